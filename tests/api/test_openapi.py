"""The OpenAPI description is served, documented, and the committed copy does not drift."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from guichet.interfaces.api.management.commands.export_openapi import openapi_text

pytestmark = pytest.mark.urls("config.urls")  # the real mount

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def test_served_description_is_the_committed_file(client):
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert served.json() == committed, (
        "docs/openapi.json est périmé : lancez `python manage.py export_openapi` et commitez-le."
    )


def test_export_command_writes_the_served_description(tmp_path, client):
    target = tmp_path / "openapi.json"
    call_command("export_openapi", output=str(target), stdout=io.StringIO())
    assert target.read_text(encoding="utf-8") == openapi_text()
    assert (
        json.loads(target.read_text(encoding="utf-8")) == client.get("/api/v1/openapi.json").json()
    )


def test_docs_page_is_served_without_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"cdn" not in response.content.lower()


def test_every_operation_documents_the_error_shape(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            errors = [code for code in operation["responses"] if code.startswith(("4", "5"))]
            assert errors, f"{method.upper()} {path} ne documente aucune erreur"
            for code in errors:
                ref = operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorOut"), (method, path, code)


def test_a_wrong_method_answers_with_the_error_shape(client):
    """Even ninja's own 405 (no operation for that method) has the documented shape."""
    response = client.delete("/api/v1/documents")
    assert response.status_code == 405
    assert response.json() == {
        "code": "method_not_allowed",
        "message": "Cette opération n'accepte pas cette méthode HTTP.",
        "fields": {},
    }
    assert "GET" in response["Allow"]
    # The rest of the site keeps Django's own 405.
    page = client.put("/connexion/")
    assert page.status_code == 405 and not page["Content-Type"].startswith("application/json")


def test_every_operation_with_a_body_documents_the_bad_json_answer(client):
    """A body that is not JSON answers 400 `bad_request` (docs/api.md) before the operation
    runs: each operation that takes a body says so, or schemathesis finds the gap."""
    schema = client.get("/api/v1/openapi.json").json()
    missing = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
        and "400" not in operation["responses"]
    ]
    assert missing == []
