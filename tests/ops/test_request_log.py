"""The JSON request log (issue 16, docs/operations.md « Journaux »): one line per request,
its id, no personal data. The log is read as the configured console handler writes it."""

import io
import json
import logging

import pytest

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

NIR = "284057511101104"


@pytest.fixture
def log_output():
    """What settings.LOGGING's console handler writes (its JSON formatter and filters)."""
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


def _lines(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def _request_lines(buffer: io.StringIO) -> list[dict]:
    return [line for line in _lines(buffer) if line["logger"] == "guichet.request"]


def test_one_json_line_per_request_with_its_id_route_status_and_duration(client, log_output):
    response = client.get("/connexion/?suivant=/mes-paiements/")
    assert response.status_code == 200
    (line,) = _request_lines(log_output)
    assert line["message"] == "requête"
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["route"] == "connexion/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32
    assert "time" in line


def test_the_route_is_the_url_pattern_not_the_path(insured_client, log_output):
    insured_client.get("/mes-documents/ATT-2026-XYZ/pdf/")
    (line,) = _request_lines(log_output)
    assert line["route"] == "mes-documents/<str:reference>/pdf/"
    assert "ATT-2026-XYZ" not in log_output.getvalue()


def test_a_well_formed_incoming_request_id_is_kept(client, log_output):
    response = client.get("/connexion/", HTTP_X_REQUEST_ID="lb-7f3a9c2e-0001")
    assert response["X-Request-ID"] == "lb-7f3a9c2e-0001"
    assert _request_lines(log_output)[0]["request_id"] == "lb-7f3a9c2e-0001"


@pytest.mark.parametrize(
    "incoming",
    ["court", "x" * 129, "a b c d e f g h", "<script>alert(1)</script>", NIR, "id\nfaux-1234"],
)
def test_a_malformed_incoming_request_id_is_replaced(client, log_output, incoming):
    response = client.get("/connexion/", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32
    assert incoming not in log_output.getvalue()


def test_records_written_during_a_request_carry_its_id(client, log_output):
    # Django's own « Not Found » warning is written inside the request: same id.
    response = client.get("/page-qui-n-existe-pas/")
    assert response.status_code == 404
    lines = _lines(log_output)
    assert {line["request_id"] for line in lines} == {response["X-Request-ID"]}
    assert any(line["logger"] == "django.request" for line in lines)


def test_a_nir_in_the_url_the_query_or_the_body_never_reaches_the_log(client, insured, log_output):
    # In a path that matches no route (Django's « Not Found: /path » too), in a query string,
    # in a login form (failed then successful), and in the JSON body of the API.
    client.get(f"/mes-documents/{NIR}/")
    client.get(f"/assure/{NIR}/")
    client.get(f"/connexion/?nir={NIR}&nom=DUPONT&email=jean.dupont@example.org")
    client.post("/connexion/", {"nir": NIR, "code": "pas-le-bon-code"})
    client.post("/connexion/", {"nir": insured.username, "code": DEFAULT_PASSWORD})
    client.post(
        "/api/v1/auth/token", {"nir": NIR, "code": "mauvais"}, content_type="application/json"
    )
    output = log_output.getvalue()
    assert len(_request_lines(log_output)) == 6
    for secret in (NIR, insured.username, "DUPONT", "jean.dupont", "nom=", "?"):
        assert secret not in output, (secret, output)
    assert "<aucune route>" in output


def test_a_server_error_is_logged_without_its_path_or_query(client, log_output, settings):
    settings.ROOT_URLCONF = "tests.core.urls_errors"
    client.raise_request_exception = False
    response = client.get(f"/panne/?nir={NIR}")
    assert response.status_code == 500
    output = log_output.getvalue()
    assert NIR not in output
    (line,) = _request_lines(log_output)
    assert line["status"] == 500
    errors = [line for line in _lines(log_output) if line["logger"] == "django.request"]
    assert errors
    assert errors[0]["level"] == "ERROR"
    assert "exc_info" in errors[0]
