"""Issue 13: the FranceConnect sandbox compares redirect URIs exactly, as FranceConnect does
with the URIs registered in its partner space (rule C9; docs/decisions/security-identity-provider.md).
Before, any URI whose host was in ALLOWED_HOSTS passed, ``http://localhost:1@evil.example/cb``
included (its host is evil.example), and received the code."""

from urllib.parse import parse_qs, urlsplit

import pytest

from guichet.interfaces.fcsandbox.models import Grant

pytestmark = pytest.mark.django_db
CALLBACK = "http://localhost:8000/franceconnect/retour/"
LOGGED_OUT = "http://localhost:8000/connexion/"

REFUSED = [
    "http://localhost:1@evil.example/cb",  # the issue's: userinfo « localhost:1 », host evil.example
    "http://localhost:8000@evil.example/franceconnect/retour/",
    "http://localhost:8001/franceconnect/retour/",  # another port
    "http://localhost/franceconnect/retour/",  # no port
    "http://localhost:8000/franceconnect/retour/autre",  # a longer path
    "http://localhost:8000/franceconnect/retour",  # a shorter one
    "http://localhost:8000/franceconnect/retour/?next=https://evil.example/",  # a query
    "http://localhost:8000/franceconnect/retour/#https://evil.example/",  # a fragment
    "http://user@localhost:8000/franceconnect/retour/",  # userinfo
    "http://LOCALHOST:8000/franceconnect/retour/",  # the host's case
    "HTTP://localhost:8000/franceconnect/retour/",  # the scheme's case
    "https://localhost:8000/franceconnect/retour/",  # another scheme
    "http://127.0.0.1:8000/franceconnect/retour/",  # another allowed host
    "http://localhost:8000/franceconnect/retour/%2e%2e/",
    " http://localhost:8000/franceconnect/retour/",
    "http://localhost:8000/connexion/",  # a post-logout URI is no redirect URI
    "",
]


@pytest.fixture(autouse=True)
def registered(settings):
    settings.FC_SANDBOX_REDIRECT_URIS = [CALLBACK]
    settings.FC_SANDBOX_POST_LOGOUT_REDIRECT_URIS = [LOGGED_OUT]


def _params(redirect_uri):
    return {
        "response_type": "code",
        "client_id": "guichet-sandbox",
        "redirect_uri": redirect_uri,
        "scope": "openid given_name",
        "acr_values": "eidas1",
        "state": "s" * 43,
        "nonce": "n" * 43,
    }


def test_the_registered_redirect_uri_receives_the_code(client):
    assert client.get("/sandbox/franceconnect/authorize", _params(CALLBACK)).status_code == 200
    response = client.post(
        "/sandbox/franceconnect/authorize", {**_params(CALLBACK), "identity": "angela-dubois"}
    )
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    assert parse_qs(location.query)["code"] == [Grant.objects.get().code]


@pytest.mark.parametrize("redirect_uri", REFUSED)
def test_any_other_redirect_uri_is_refused(client, redirect_uri):
    shown = client.get("/sandbox/franceconnect/authorize", _params(redirect_uri))
    assert shown.status_code == 400
    assert "adresse de retour inconnus" in shown.content.decode()
    posted = client.post(
        "/sandbox/franceconnect/authorize", {**_params(redirect_uri), "identity": "angela-dubois"}
    )
    assert posted.status_code == 400
    assert not Grant.objects.exists()


def test_the_registered_post_logout_uri_is_followed(client):
    response = client.get(
        "/sandbox/franceconnect/session/end",
        {"id_token_hint": "x", "post_logout_redirect_uri": LOGGED_OUT, "state": "e" * 43},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LOGGED_OUT}?state={'e' * 43}"


@pytest.mark.parametrize(
    "target",
    [
        "http://localhost:1@evil.example/cb",
        "http://localhost:8001/connexion/",
        "http://localhost:8000/connexion/?next=/x",
        "http://localhost:8000/connexion/#x",
        "http://LOCALHOST:8000/connexion/",
        CALLBACK,
    ],
)
def test_any_other_post_logout_uri_is_refused(client, target):
    response = client.get(
        "/sandbox/franceconnect/session/end",
        {"id_token_hint": "x", "post_logout_redirect_uri": target},
    )
    assert response.status_code == 400
