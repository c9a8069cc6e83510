"""docs/api.md's examples work as they are on `make run`: their NIR, code personnel and
account-creation fields are read out of the page, then sent after `seed_demo` (issue 14)."""

import io
import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command

from guichet.accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.urls("config.urls")]

API_DOC = settings.BASE_DIR / "docs" / "api.md"


def _payload(endpoint: str) -> dict:
    """The JSON body of the doc's first `curl … $BASE<endpoint> … -d '…'` example."""
    text = API_DOC.read_text(encoding="utf-8")
    match = re.search(
        rf"curl [^\n]*\$BASE{re.escape(endpoint)} .*?-d '(\{{.*?\}})'", text, flags=re.DOTALL
    )
    assert match, f"no curl example of {endpoint} with a JSON body in docs/api.md"
    return json.loads(match.group(1))


@pytest.fixture
def seeded_demo():
    call_command("seed_demo", stdout=io.StringIO())


def test_the_doc_token_example_signs_in_a_persona(seeded_demo, client):
    body = _payload("/auth/token")
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 200, response.content
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"
    assert tokens["access_token"].startswith("gat_")
    assert tokens["refresh_token"].startswith("grt_")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200


def test_the_doc_enrollment_example_creates_the_persona_account(seeded_demo, client):
    body = _payload("/enrollment")
    response = client.post("/api/v1/enrollment", body, content_type="application/json")
    assert response.status_code == 201, response.content
    masked = response.json()["email_masked"]
    assert f'"email_masked": "{masked}"' in API_DOC.read_text(encoding="utf-8")
    user = User.objects.get(email=body["email"])
    assert user.username == "".join(body["nir"].split()) and not user.is_active
