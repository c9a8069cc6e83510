"""Rule C10: the account as an OpenID Connect identity provider, end to end for a test relying
party (authorization code + PKCE, consent, ID token and userinfo checked, logout)."""

import base64
import datetime as dt
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
from oauth2_provider.models import Application

from guichet.enrollment.franceconnect import FranceConnectError, verify_jwt
from tests.factories import (
    DEFAULT_PASSWORD,
    AgentFactory,
    InsuredUserFactory,
    PersonFactory,
    agent_login,
)

pytestmark = pytest.mark.django_db
REDIRECT = "https://rp.example/callback"
LOGOUT_REDIRECT = "https://rp.example/au-revoir"
SECRET = "relying-party-secret-0123456789"
SCOPE = "openid given_name family_name birthdate gender birthplace birthcountry email"


@pytest.fixture
def application():
    return Application.objects.create(
        name="Site de test",
        client_id="rp-test",
        client_secret=SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT,
        post_logout_redirect_uris=LOGOUT_REDIRECT,
        algorithm=Application.RS256_ALGORITHM,
    )


@pytest.fixture
def user():
    person = PersonFactory(
        first_names="Angela Claire Louise",
        last_name="DUBOIS",
        birth_date=dt.date(1962, 8, 24),
        birth_place_insee="75107",
    )
    return InsuredUserFactory(person=person, email="angela@exemple.fr")


def _pkce():
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _authorize(client, *, nonce, challenge, state="s" * 32):
    return client.get(
        "/oidc/authorize/",
        {
            "response_type": "code",
            "client_id": "rp-test",
            "redirect_uri": REDIRECT,
            "scope": SCOPE,
            "state": state,
            "nonce": nonce,
            "acr_values": "eidas1",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        },
    )


def test_discovery_and_jwks(client):
    config = client.get("/oidc/.well-known/openid-configuration").json()
    assert config["issuer"].endswith("/oidc")
    assert "RS256" in config["id_token_signing_alg_values_supported"]
    assert config["end_session_endpoint"].endswith("/oidc/logout/")
    keys = client.get("/oidc/.well-known/jwks.json").json()["keys"]
    assert keys and keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256"


def test_relying_party_logs_in_end_to_end(client, application, user):
    verifier, challenge = _pkce()
    nonce = secrets.token_urlsafe(32)
    # Not logged in: the login page, then back to the consent screen.
    response = _authorize(client, nonce=nonce, challenge=challenge)
    assert response.status_code == 302 and response["Location"].startswith("/connexion/")
    login = client.post(
        "/connexion/",
        {
            "nir": user.username,
            "code": DEFAULT_PASSWORD,
            "next": response["Location"].split("next=")[1],
        },
    )
    assert login.status_code == 302
    consent = _authorize(client, nonce=nonce, challenge=challenge)
    page = consent.content.decode()
    assert "Se connecter à Site de test" in page
    assert "Votre date de naissance" in page
    form = {k: v for k, v in consent.context["form"].initial.items() if v is not None}
    allowed = client.post("/oidc/authorize/", {**form, "scope": SCOPE, "allow": "Authorize"})
    location = urlsplit(allowed["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["s" * 32]
    # The relying party exchanges the code (with the PKCE verifier) for tokens.
    tokens = client.post(
        "/oidc/token/",
        {
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": REDIRECT,
            "client_id": "rp-test",
            "client_secret": SECRET,
            "code_verifier": verifier,
        },
    ).json()
    jwks = client.get("/oidc/.well-known/jwks.json").json()
    issuer = client.get("/oidc/.well-known/openid-configuration").json()["issuer"]
    claims = verify_jwt(
        tokens["id_token"], jwks=jwks, issuer=issuer, audience="rp-test", nonce=nonce
    )
    assert claims["acr"] == "eidas1"
    assert claims["given_name"] == "Angela Claire Louise"
    assert claims["family_name"] == "DUBOIS"
    assert claims["birthdate"] == "1962-08-24"
    assert claims["gender"] == "female"
    assert claims["birthplace"] == "75107"
    assert claims["birthcountry"] == "99100"
    assert claims["email"] == "angela@exemple.fr"
    assert claims["exp"] - claims["iat"] <= 300
    with pytest.raises(FranceConnectError):
        verify_jwt(
            tokens["id_token"], jwks=jwks, issuer=issuer, audience="rp-test", nonce="autre" * 8
        )
    userinfo = client.get(
        "/oidc/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}"
    ).json()
    assert userinfo["birthdate"] == "1962-08-24" and userinfo["sub"] == claims["sub"]
    # The code is single use.
    again = client.post(
        "/oidc/token/",
        {
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": REDIRECT,
            "client_id": "rp-test",
            "client_secret": SECRET,
            "code_verifier": verifier,
        },
    )
    assert again.status_code == 400
    # Logout initiated by the relying party ends the session here and goes back to it.
    logout = client.get(
        "/oidc/logout/",
        {"id_token_hint": tokens["id_token"], "post_logout_redirect_uri": LOGOUT_REDIRECT},
    )
    assert logout.status_code == 302 and logout["Location"].startswith(LOGOUT_REDIRECT)
    assert "_auth_user_id" not in client.session


def test_scopes_not_granted_are_not_released(client, application, user):
    client.force_login(user)
    verifier, challenge = _pkce()
    response = client.get(
        "/oidc/authorize/",
        {
            "response_type": "code",
            "client_id": "rp-test",
            "redirect_uri": REDIRECT,
            "scope": "openid family_name",
            "state": "s" * 32,
            "nonce": "n" * 32,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        },
    )
    form = {k: v for k, v in response.context["form"].initial.items() if v is not None}
    allowed = client.post("/oidc/authorize/", {**form, "scope": "openid family_name", "allow": "1"})
    code = parse_qs(urlsplit(allowed["Location"]).query)["code"][0]
    tokens = client.post(
        "/oidc/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": "rp-test",
            "client_secret": SECRET,
            "code_verifier": verifier,
        },
    ).json()
    userinfo = client.get(
        "/oidc/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}"
    ).json()
    assert userinfo["family_name"] == "DUBOIS"
    assert "birthdate" not in userinfo and "email" not in userinfo


def test_agents_cannot_lend_an_identity(client, application):
    agent_login(client, AgentFactory())
    _, challenge = _pkce()
    response = _authorize(client, nonce="n" * 32, challenge=challenge)
    assert response.status_code == 403
