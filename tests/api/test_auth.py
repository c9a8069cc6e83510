"""POST /auth/token, /auth/refresh, /auth/revoke and bearer authentication (rule G1)."""

import datetime as dt

import pytest
import time_machine

from guichet.accounts.models import LoginEvent
from guichet.apitokens.models import IssuedToken, TokenFamily
from guichet.apitokens.services import ACCESS_TOKEN_LIFETIME, token_digest
from tests.api.conftest import ApiClient, obtain_tokens
from tests.factories import DEFAULT_PASSWORD, AgentFactory, InsuredUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


def test_token_then_me(client, api_user):
    tokens = obtain_tokens(client, api_user)
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == ACCESS_TOKEN_LIFETIME.total_seconds()
    response = ApiClient(client, tokens["access_token"]).get("/me")
    assert response.status_code == 200
    assert response.json()["person"]["id"] == api_user.person_id


def test_tokens_are_stored_hashed_only(client, api_user):
    tokens = obtain_tokens(client, api_user)
    digests = set(IssuedToken.objects.values_list("digest", flat=True))
    assert digests == {token_digest(tokens["access_token"]), token_digest(tokens["refresh_token"])}
    assert tokens["access_token"] not in digests


def test_login_is_recorded_like_the_web(client, api_user):
    obtain_tokens(client, api_user)
    assert LoginEvent.objects.filter(user=api_user, outcome=LoginEvent.Outcome.SUCCESS).count() == 1
    api_user.refresh_from_db()
    assert api_user.last_login is not None


def test_wrong_code_answers_the_web_message(api_anonymous, api_user):
    response = api_anonymous.post("/auth/token", {"nir": api_user.username, "code": "Mauvais-1"})
    assert response.status_code == 401
    assert response.json() == {
        "code": "invalid_credentials",
        "message": "Numéro de sécurité sociale ou code personnel incorrect.",
        "fields": {},
    }


def test_agents_cannot_obtain_tokens(api_anonymous):
    agent = AgentFactory()
    response = api_anonymous.post("/auth/token", {"nir": agent.username, "code": DEFAULT_PASSWORD})
    assert response.status_code in {401, 422}
    assert not TokenFamily.objects.exists()


def test_inactive_account_cannot_obtain_tokens(api_anonymous):
    user = InsuredUserFactory(is_active=False)
    response = api_anonymous.post("/auth/token", {"nir": user.username, "code": DEFAULT_PASSWORD})
    assert response.status_code == 401


def test_throttled_per_nir_and_ip_like_the_web(api_anonymous, api_user, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        assert (
            api_anonymous.post("/auth/token", {"nir": api_user.username, "code": "x"}).status_code
            == 401
        )
    response = api_anonymous.post("/auth/token", {"nir": api_user.username, "code": "x"})
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "too_many_attempts"
    assert body["message"].startswith("Trop de tentatives de connexion ont échoué.")
    assert int(response["Retry-After"]) > 0
    # Even the right code is refused during the cool-off.
    right = api_anonymous.post("/auth/token", {"nir": api_user.username, "code": DEFAULT_PASSWORD})
    assert right.status_code == 429


def test_validation_errors_have_the_documented_shape(api_anonymous):
    response = api_anonymous.post("/auth/token", {"nir": "12"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["message"].startswith("Le formulaire comporte une ou plusieurs erreurs.")
    assert body["fields"] == {
        "nir": [
            "Le numéro de sécurité sociale comporte 13 caractères suivis d'une clé de 2 chiffres."
        ],
        "code": ["Ce champ est obligatoire."],
    }


def test_malformed_json_is_a_validation_error(client):
    response = client.post("/api/v1/auth/token", "{oops", content_type="application/json")
    assert response.status_code in {400, 422}
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer gat_inconnu", "Basic Zm9vOmJhcg==", "Token abc"]
)
def test_missing_or_bad_bearer_is_401(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_access_token_expires(client, api_user):
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        tokens = obtain_tokens(client, api_user)
    api = ApiClient(client, tokens["access_token"])
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 14, tzinfo=dt.UTC), tick=False):
        assert api.get("/me").status_code == 200
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 15, 1, tzinfo=dt.UTC), tick=False):
        assert api.get("/me").status_code == 401


def test_refresh_rotates_the_refresh_token(client, api_user):
    first = obtain_tokens(client, api_user)
    anonymous = ApiClient(client)
    response = anonymous.post("/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert response.status_code == 200
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert ApiClient(client, second["access_token"]).get("/me").status_code == 200
    third = anonymous.post("/auth/refresh", {"refresh_token": second["refresh_token"]})
    assert third.status_code == 200


def test_reused_refresh_token_revokes_the_family(client, api_user):
    first = obtain_tokens(client, api_user)
    anonymous = ApiClient(client)
    second = anonymous.post("/auth/refresh", {"refresh_token": first["refresh_token"]}).json()
    replay = anonymous.post("/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    assert replay.json()["code"] == "invalid_refresh_token"
    family = TokenFamily.objects.get()
    assert family.revoked_reason == "reuse"
    # The legitimate holder's newer tokens die with the family.
    assert (
        anonymous.post("/auth/refresh", {"refresh_token": second["refresh_token"]}).status_code
        == 401
    )
    assert ApiClient(client, second["access_token"]).get("/me").status_code == 401


def test_other_sign_ins_survive_a_reuse(client, api_user):
    phone = obtain_tokens(client, api_user)
    tablet = obtain_tokens(client, api_user)
    anonymous = ApiClient(client)
    anonymous.post("/auth/refresh", {"refresh_token": phone["refresh_token"]})
    anonymous.post("/auth/refresh", {"refresh_token": phone["refresh_token"]})
    assert ApiClient(client, tablet["access_token"]).get("/me").status_code == 200


def test_refresh_token_expires_after_30_days(client, api_user):
    with time_machine.travel(dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        tokens = obtain_tokens(client, api_user)
    with time_machine.travel(dt.datetime(2026, 1, 31, 9, 0, 1, tzinfo=dt.UTC), tick=False):
        response = ApiClient(client).post(
            "/auth/refresh", {"refresh_token": tokens["refresh_token"]}
        )
    assert response.status_code == 401


def test_access_token_is_not_a_refresh_token(client, api_user):
    tokens = obtain_tokens(client, api_user)
    response = ApiClient(client).post("/auth/refresh", {"refresh_token": tokens["access_token"]})
    assert response.status_code == 401


@pytest.mark.parametrize("which", ["access_token", "refresh_token"])
def test_revoke_signs_the_app_out(client, api_user, which):
    tokens = obtain_tokens(client, api_user)
    anonymous = ApiClient(client)
    assert anonymous.post("/auth/revoke", {"token": tokens[which]}).status_code == 204
    assert ApiClient(client, tokens["access_token"]).get("/me").status_code == 401
    assert (
        anonymous.post("/auth/refresh", {"refresh_token": tokens["refresh_token"]}).status_code
        == 401
    )
    assert TokenFamily.objects.get().revoked_reason == "logout"


def test_revoke_of_an_unknown_token_is_204(api_anonymous):
    assert api_anonymous.post("/auth/revoke", {"token": "grt_inconnu"}).status_code == 204


def test_deactivated_account_loses_its_tokens(client, api_user):
    tokens = obtain_tokens(client, api_user)
    api_user.is_active = False
    api_user.save()
    assert ApiClient(client, tokens["access_token"]).get("/me").status_code == 401
    response = ApiClient(client).post("/auth/refresh", {"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 401


@pytest.mark.urls("config.urls")  # the security email links to the web's « Code oublié ? »
def test_a_new_code_personnel_signs_the_app_out(client, api_user):
    """Issue 13: « Code oublié ? » or « Mon code personnel » ends every app session."""
    from guichet.accounts.enums import CodeChangeWay
    from guichet.accounts.services import code_set

    tokens = obtain_tokens(client, api_user)
    code_set(user=api_user, code="Autre-Code-2027", way=CodeChangeWay.CHANGE)
    assert ApiClient(client, tokens["access_token"]).get("/me").status_code == 401
    response = ApiClient(client).post("/auth/refresh", {"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 401
    assert TokenFamily.objects.get().revoked_reason == "code"
