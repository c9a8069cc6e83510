"""POST /account/close: « Résilier mon compte ameli » from the app (rule G4)."""

import pytest
from django.test import override_settings

from guichet.accounts.models import User
from guichet.powers.enums import PowerStatus
from tests.api.conftest import ApiClient, obtain_tokens
from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory
from tests.powers.factories import give_power

# The real mount: the closure email links to the web's account creation.
pytestmark = [pytest.mark.django_db, pytest.mark.urls("config.urls")]


@pytest.fixture
def user():
    return InsuredUserFactory()


@pytest.fixture
def tokens(client, user):
    return obtain_tokens(client, user)


@pytest.fixture
def app(client, tokens):
    return ApiClient(client, tokens["access_token"])


def test_confirmation_and_code_are_required_with_the_webs_messages(app, user):
    response = app.post("/account/close", {"code": DEFAULT_PASSWORD, "confirm": False})
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "confirm": ["Cochez « Je confirme vouloir résilier mon compte ameli » pour résilier."]
    }
    response = app.post("/account/close", {"code": "Mauvais-Code1", "confirm": True})
    assert response.status_code == 422
    assert response.json()["fields"] == {"code": ["Le code personnel saisi est incorrect."]}
    missing = app.post("/account/close", {"confirm": True})
    assert missing.status_code == 422 and "code" in missing.json()["fields"]
    user.refresh_from_db()
    assert user.closed_at is None


@override_settings(LOGIN_FAILURE_LIMIT=1)
def test_wrong_codes_are_throttled_like_the_login(app, user):
    assert app.post("/account/close", {"code": "Mauvais-1", "confirm": True}).status_code == 422
    assert app.post("/account/close", {"code": "Mauvais-2", "confirm": True}).status_code == 429
    # Blocked: even the right code waits for the cool-off.
    blocked = app.post("/account/close", {"code": DEFAULT_PASSWORD, "confirm": True})
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "too_many_attempts"
    assert int(blocked.headers["Retry-After"]) > 0
    user.refresh_from_db()
    assert user.closed_at is None


def test_closing_ends_every_token_at_once(app, client, user, tokens):
    power = give_power(user.person, by=user)
    response = app.post("/account/close", {"code": DEFAULT_PASSWORD, "confirm": True})
    assert response.status_code == 200
    body = response.json()
    assert body["power_revoked"] is True
    assert "Vos droits à l'Assurance Maladie ne changent pas." in body["message"]
    assert app.get("/me").status_code == 401
    refresh = client.post(
        "/api/v1/auth/refresh",
        {"refresh_token": tokens["refresh_token"]},
        content_type="application/json",
    )
    assert refresh.status_code == 401
    power.refresh_from_db()
    assert power.status == PowerStatus.REVOKED
    assert User.objects.get(pk=user.pk).closed_at is not None
