"""Issue 13, identity provider (rule C10): PKCE S256 only, a replayed code revokes its tokens,
client secret failures throttled, discovery advertising only what is supported.
See docs/decisions/security-identity-provider.md."""

import base64
import datetime as dt
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

from guichet.core import clock
from guichet.interfaces.idp.views import (
    CLIENT_FAILURE_COOL_OFF,
    CLIENT_FAILURE_LIMIT,
    IP_FAILURE_LIMIT,
)
from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory

pytestmark = pytest.mark.django_db
REDIRECT = "https://rp.example/callback"
SECRET = "relying-party-secret-0123456789"
SCOPE = "openid family_name"


def _application(client_id="rp-test", **extra):
    fields = {
        "name": "Site de test",
        "client_id": client_id,
        "client_secret": SECRET,
        "client_type": Application.CLIENT_CONFIDENTIAL,
        "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
        "redirect_uris": REDIRECT,
        "algorithm": Application.RS256_ALGORITHM,
        **extra,
    }
    return Application.objects.create(**fields)


@pytest.fixture
def application():
    return _application()


@pytest.fixture
def user():
    return InsuredUserFactory()


def _pkce():
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _authorize(client, **params):
    query = {
        "response_type": "code",
        "client_id": "rp-test",
        "redirect_uri": REDIRECT,
        "scope": SCOPE,
        "state": "s" * 32,
        "nonce": "n" * 32,
        **params,
    }
    return client.get("/oidc/authorize/", {k: v for k, v in query.items() if v is not None})


def _code(client, user, challenge):
    client.force_login(user)
    consent = _authorize(client, code_challenge=challenge, code_challenge_method="S256")
    form = {k: v for k, v in consent.context["form"].initial.items() if v is not None}
    allowed = client.post("/oidc/authorize/", {**form, "scope": SCOPE, "allow": "1"})
    return parse_qs(urlsplit(allowed["Location"]).query)["code"][0]


def _exchange(client, code, verifier, **extra):
    data: dict[str, str] = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": "rp-test",
        "client_secret": SECRET,
        "code_verifier": verifier,
        **extra,
    }
    return client.post("/oidc/token/", data)


def _refresh(client, refresh_token):
    return client.post(
        "/oidc/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": "rp-test",
            "client_secret": SECRET,
        },
    )


def _userinfo(client, access_token):
    return client.get("/oidc/userinfo/", HTTP_AUTHORIZATION=f"Bearer {access_token}")


def _error_of(response):
    """The error of a refused authorization request: sent back to the relying party."""
    assert response.status_code == 302, response.status_code
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    return parse_qs(location.query)["error"][0]


# --- PKCE: S256 only (RFC 7636 § 4.2, OAuth 2.0 Security BCP RFC 9700 § 2.1.1) ---------------


@pytest.mark.parametrize("method", ["plain", None])
def test_pkce_plain_is_refused_before_the_consent_screen(client, application, user, method):
    """« plain » (or no method, which means plain) would let whoever sees the authorization
    request redeem the code: refused at once, before the person is asked anything."""
    client.force_login(user)
    verifier = secrets.token_urlsafe(48)
    response = _authorize(client, code_challenge=verifier, code_challenge_method=method)
    assert _error_of(response) == "invalid_request"
    assert not Grant.objects.exists()


def test_pkce_is_required(client, application, user):
    client.force_login(user)
    assert _error_of(_authorize(client)) == "invalid_request"


def test_pkce_s256_needs_the_right_verifier(client, application, user):
    verifier, challenge = _pkce()
    code = _code(client, user, challenge)
    assert _exchange(client, code, secrets.token_urlsafe(48)).json()["error"] == "invalid_grant"
    assert _exchange(client, code, challenge).json()["error"] == "invalid_grant"
    # A failed check does not burn the code: the relying party's own exchange still works.
    assert _exchange(client, code, verifier).status_code == 200


# --- A replayed code revokes every token issued from it (RFC 6749 § 4.1.2) ------------------


def test_replayed_code_revokes_the_tokens_issued_from_it(client, application, user):
    verifier, challenge = _pkce()
    code = _code(client, user, challenge)
    tokens = _exchange(client, code, verifier).json()
    assert _userinfo(client, tokens["access_token"]).status_code == 200
    # The relying party refreshes once: the new pair comes from the same code.
    refreshed = _refresh(client, tokens["refresh_token"]).json()
    assert _userinfo(client, refreshed["access_token"]).status_code == 200

    replay = _exchange(client, code, verifier)

    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    assert _userinfo(client, refreshed["access_token"]).status_code == 401
    assert _refresh(client, refreshed["refresh_token"]).status_code == 400
    assert not AccessToken.objects.exists()
    assert not RefreshToken.objects.filter(revoked__isnull=True).exists()


def test_replay_with_a_wrong_verifier_still_revokes(client, application, user):
    """Whoever replays the code is not the relying party that redeemed it: the tokens go."""
    verifier, challenge = _pkce()
    code = _code(client, user, challenge)
    tokens = _exchange(client, code, verifier).json()
    assert _exchange(client, code, "x" * 50).status_code == 400
    assert _userinfo(client, tokens["access_token"]).status_code == 401


def test_replay_leaves_the_other_logins_alone(client, application, user):
    verifier, challenge = _pkce()
    first = _code(client, user, challenge)
    first_tokens = _exchange(client, first, verifier).json()
    other_verifier, other_challenge = _pkce()
    second = _code(client, user, other_challenge)
    second_tokens = _exchange(client, second, other_verifier).json()

    assert _exchange(client, first, verifier).status_code == 400

    assert _userinfo(client, first_tokens["access_token"]).status_code == 401
    assert _userinfo(client, second_tokens["access_token"]).status_code == 200
    assert _refresh(client, second_tokens["refresh_token"]).status_code == 200


def test_replay_by_another_client_revokes_too(client, application, user):
    _application("rp-autre")
    verifier, challenge = _pkce()
    code = _code(client, user, challenge)
    tokens = _exchange(client, code, verifier).json()
    other = _exchange(client, code, verifier, client_id="rp-autre")
    assert other.status_code == 400
    assert _userinfo(client, tokens["access_token"]).status_code == 401


def test_a_code_claimed_by_a_concurrent_exchange_issues_nothing(client, application, user):
    """Two exchanges of one code at once: both pass the checks, one only claims the code; the
    other is a replay (its tokens are never issued and the winner's are revoked)."""
    from guichet.interfaces.idp.models import RedeemedCode

    verifier, challenge = _pkce()
    code = _code(client, user, challenge)
    RedeemedCode.objects.create(
        code_digest=hashlib.sha256(code.encode()).hexdigest(), application=application
    )
    response = _exchange(client, code, verifier)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()


def test_a_replay_between_the_claim_and_the_tokens_issues_nothing(
    client, application, user, monkeypatch
):
    """The other order of the race: the replay comes once the code is claimed but before the
    winner saved its tokens; the winner sees the mark (row lock) and issues nothing."""
    from guichet.interfaces.idp import validator

    claim = validator.GuichetOAuth2Validator.claim_code

    def claim_then_replayed(self, request):
        claim(self, request)
        validator._revoke_replayed(request.code)

    monkeypatch.setattr(validator.GuichetOAuth2Validator, "claim_code", claim_then_replayed)
    verifier, challenge = _pkce()
    code = _code(client, user, challenge)
    response = _exchange(client, code, verifier)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists() and not RefreshToken.objects.exists()


def test_a_reused_refresh_token_revokes_its_family(client, application, user):
    """Same rule for refresh tokens (RFC 9700 § 4.14.2, REFRESH_TOKEN_REUSE_PROTECTION)."""
    verifier, challenge = _pkce()
    tokens = _exchange(client, _code(client, user, challenge), verifier).json()
    refreshed = _refresh(client, tokens["refresh_token"]).json()
    assert _refresh(client, tokens["refresh_token"]).status_code == 400
    assert _userinfo(client, refreshed["access_token"]).status_code == 401


# --- Only the authorization code flow, ID tokens signed with the RS256 key ------------------


def test_discovery_advertises_only_what_is_supported(client):
    config = client.get("/oidc/.well-known/openid-configuration").json()
    assert config["response_types_supported"] == ["code"]
    assert config["grant_types_supported"] == ["authorization_code", "refresh_token"]
    assert config["code_challenge_methods_supported"] == ["S256"]
    assert config["id_token_signing_alg_values_supported"] == ["RS256"]
    assert config["token_endpoint_auth_methods_supported"] == [
        "client_secret_basic",
        "client_secret_post",
    ]
    assert config["revocation_endpoint"].endswith("/oidc/revoke_token/")
    assert config["acr_values_supported"] == ["eidas1"]
    assert "introspection_endpoint" not in config and "registration_endpoint" not in config
    keys = client.get("/oidc/.well-known/jwks.json").json()["keys"]
    assert {key["alg"] for key in keys} == {"RS256"}


@pytest.mark.parametrize(
    ("grant_type", "response_type"),
    [
        (Application.GRANT_IMPLICIT, "token"),
        (Application.GRANT_IMPLICIT, "id_token"),
        (Application.GRANT_OPENID_HYBRID, "code id_token"),
        (Application.GRANT_OPENID_HYBRID, "code token"),
    ],
)
def test_implicit_and_hybrid_flows_are_refused(client, user, grant_type, response_type):
    """Even for a relying party registered for them by mistake in the admin."""
    _application(authorization_grant_type=grant_type)
    client.force_login(user)
    _, challenge = _pkce()
    response = _authorize(
        client, response_type=response_type, code_challenge=challenge, code_challenge_method="S256"
    )
    assert response.status_code in (302, 400)
    location = response.get("Location", "")
    assert not any(f"{name}=" in location for name in ("code", "access_token", "id_token"))
    assert not Grant.objects.exists() and not AccessToken.objects.exists()


@pytest.mark.parametrize(
    "grant_type", [Application.GRANT_PASSWORD, Application.GRANT_CLIENT_CREDENTIALS]
)
def test_password_and_client_credentials_grants_are_refused(client, user, grant_type):
    """Even for a relying party registered for them: the provider lends identities with the
    person's consent only."""
    _application(authorization_grant_type=grant_type)
    data = {"username": user.username, "password": DEFAULT_PASSWORD}
    response = client.post(
        "/oidc/token/",
        {
            "grant_type": grant_type,
            "client_id": "rp-test",
            "client_secret": SECRET,
            "scope": "openid",
            **data,
        },
    )
    assert response.status_code in (400, 401)
    assert not AccessToken.objects.exists()


def test_a_relying_party_registered_with_hs256_is_refused(client, user):
    """HS256 would sign ID tokens with the client secret, a shared key: not offered."""
    _application(algorithm=Application.HS256_ALGORITHM)
    client.force_login(user)
    _, challenge = _pkce()
    response = _authorize(client, code_challenge=challenge, code_challenge_method="S256")
    assert _error_of(response) == "unauthorized_client"
    assert not Grant.objects.exists()


# --- Client secret failures throttled per client_id and per IP ------------------------------


def _bad_secret(client, client_id="rp-test", ip="203.0.113.7", endpoint="/oidc/token/"):
    data = {"client_id": client_id, "client_secret": "mauvais"}
    if endpoint == "/oidc/token/":
        data.update(grant_type="authorization_code", code="x", code_verifier="y" * 43)
    else:
        data.update(token="t")
    return client.post(endpoint, data, REMOTE_ADDR=ip)


def _basic(client_id, secret):
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return f"Basic {raw}"


def test_client_secret_failures_are_throttled_per_client(client, application, user):
    verifier, challenge = _pkce()
    code = _code(client, user, challenge)
    for n in range(CLIENT_FAILURE_LIMIT):
        # Spread over many addresses, as a distributed guess would be.
        assert _bad_secret(client, ip=f"198.51.100.{n}").status_code == 401
    refused = _bad_secret(client, ip="192.0.2.1")
    assert refused.status_code == 429
    assert refused.json()["error"] == "temporarily_unavailable"
    assert "Réessayez dans" in refused.json()["error_description"]
    assert 0 < int(refused["Retry-After"]) <= CLIENT_FAILURE_COOL_OFF.total_seconds()
    # Cool-off: even the right secret waits (through HTTP Basic too).
    blocked = client.post(
        "/oidc/token/",
        {"grant_type": "authorization_code", "code": code, "code_verifier": verifier},
        HTTP_AUTHORIZATION=_basic("rp-test", SECRET),
        REMOTE_ADDR="192.0.2.1",
    )
    assert blocked.status_code == 429
    assert not AccessToken.objects.exists()
    # Another relying party is not affected.
    _application("rp-autre")
    assert _bad_secret(client, client_id="rp-autre", ip="192.0.2.2").status_code == 401


def test_client_lockout_is_a_cool_off_only(client, application, user):
    for n in range(CLIENT_FAILURE_LIMIT + 1):
        _bad_secret(client, ip=f"198.51.100.{n}")
    later = clock.now() + CLIENT_FAILURE_COOL_OFF + dt.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        verifier, challenge = _pkce()
        code = _code(client, user, challenge)
        assert _exchange(client, code, verifier).status_code == 200


def test_client_secret_failures_are_throttled_per_ip(client, application):
    for n in range(IP_FAILURE_LIMIT):
        assert _bad_secret(client, client_id=f"rp-{n}").status_code == 401
    assert _bad_secret(client, client_id="rp-test").status_code == 429
    # Another address is not affected.
    assert _bad_secret(client, client_id="rp-test", ip="203.0.113.8").status_code == 401


def test_basic_auth_failures_count(client, application):
    for n in range(IP_FAILURE_LIMIT):
        response = client.post(
            "/oidc/token/",
            {"grant_type": "authorization_code", "code": "x"},
            HTTP_AUTHORIZATION=_basic("rp-test", f"mauvais-{n}"),
            REMOTE_ADDR="203.0.113.9",
        )
        assert response.status_code == 401
    assert _bad_secret(client, ip="203.0.113.9").status_code == 429


def test_revocation_endpoint_failures_are_throttled(client, application):
    for _ in range(IP_FAILURE_LIMIT):
        assert _bad_secret(client, endpoint="/oidc/revoke_token/").status_code == 401
    assert _bad_secret(client, endpoint="/oidc/revoke_token/").status_code == 429
    # The same counters as the token endpoint.
    assert _bad_secret(client).status_code == 429


def test_good_secrets_are_not_counted(client, application, user):
    for _ in range(IP_FAILURE_LIMIT + 1):
        verifier, challenge = _pkce()
        code = _code(client, user, challenge)
        assert _exchange(client, code, verifier).status_code == 200


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://rp.example@evil.example/callback",
        "https://rp.example:1@evil.example/callback",
        "https://rp.example:8443/callback",
        "https://rp.example/callback/autre",
        "https://rp.example/callback?next=https://evil.example/",
        "https://rp.example/callback#x",
        "http://rp.example/callback",
    ],
)
def test_the_relying_party_redirect_uri_is_matched_exactly(client, application, user, redirect_uri):
    """Regression guard (the toolkit's matching): the sandbox's flaw is not here."""
    client.force_login(user)
    _, challenge = _pkce()
    response = _authorize(
        client, redirect_uri=redirect_uri, code_challenge=challenge, code_challenge_method="S256"
    )
    assert response.status_code != 302 and "form" not in (response.context or {})
    assert not Grant.objects.exists()
