"""Way 2 (rule C9): the relying party against the local FranceConnect sandbox, over HTTP."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from guichet.accounts.models import User
from guichet.enrollment import franceconnect
from guichet.interfaces.fcsandbox.keys import public_jwks
from tests.enrollment.factories import GOOD_CODE, dubois
from tests.factories import InsuredUserFactory
from tests.fcsandbox.registration import register_sandbox_client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fc(settings, live_server):
    settings.FC_DISCOVERY_URL = (
        f"{live_server.url}/sandbox/franceconnect/.well-known/openid-configuration"
    )
    register_sandbox_client(settings, "http://testserver")
    return live_server


def _authorize(client, identity="angela-dubois"):
    """Start at the login page's button, pick the identity at the sandbox, return the callback."""
    response = client.post("/franceconnect/connexion/")
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    params = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert params["acr_values"] == "eidas1"
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    assert params["response_type"] == "code"
    response = client.post(url.path, {**params, "identity": identity})
    assert response.status_code == 302
    return urlsplit(response["Location"])


def _callback(client, identity="angela-dubois"):
    back = _authorize(client, identity)
    return client.get(f"{back.path}?{back.query}")


def test_matched_person_without_account_goes_on_to_choose_a_code(client, fc):
    person = dubois()
    response = _callback(client)
    assert response["Location"] == "/creer-mon-compte/code-personnel/"
    assert client.session["enrollment"]["person_id"] == person.pk
    client.post("/creer-mon-compte/code-personnel/", {"code1": GOOD_CODE, "code2": GOOD_CODE})
    page = client.get("/creer-mon-compte/coordonnees/").content.decode()
    assert 'value="wossewodda-3728@yopmail.com"' in page
    response = client.post("/creer-mon-compte/coordonnees/", {"email": "angela@exemple.fr"})
    # C7 + C9: logged out here and at FranceConnect (end-session endpoint), then told to confirm.
    assert "/sandbox/franceconnect/session/end?" in response["Location"]
    assert "id_token_hint=" in response["Location"]
    end = urlsplit(response["Location"])
    back = client.get(f"{end.path}?{end.query}")
    assert urlsplit(back["Location"]).path == "/creer-mon-compte/validation-email/"
    user = User.objects.get(person=person)
    assert not user.is_active and user.email == "angela@exemple.fr"


def test_no_match_gives_a_clear_message_and_the_ways_out(client, fc):
    dubois(birth_place_insee="13055")
    response = _callback(client)
    end = urlsplit(response["Location"])
    assert end.path == "/sandbox/franceconnect/session/end"
    page = client.get(f"{end.path}?{end.query}", follow=True).content.decode()
    assert "ne correspond à aucun assuré" in page
    assert "Contactez votre caisse" in page


def test_several_matches_are_refused(client, fc):
    dubois()
    dubois()
    response = _callback(client)
    end = urlsplit(response["Location"])
    page = client.get(f"{end.path}?{end.query}", follow=True).content.decode()
    assert "correspond à plusieurs assurés" in page
    assert not User.objects.exists()


def test_never_linked_on_email_alone(client, fc):
    InsuredUserFactory(email="wossewodda-3728@yopmail.com")
    response = _callback(client)
    end = urlsplit(response["Location"])
    page = client.get(f"{end.path}?{end.query}", follow=True).content.decode()
    assert "ne correspond à aucun assuré" in page
    assert "_auth_user_id" not in client.session


def test_existing_active_account_logs_in(client, fc):
    user = InsuredUserFactory(person=dubois())
    response = _callback(client)
    assert response["Location"] == "/connexion/suite/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_excluded_person_is_sent_to_the_ways_out(client, fc):
    dubois(nir_status="provisional")
    response = _callback(client)
    page = client.get(response["Location"]).content.decode()
    assert "provisoire" in page


def test_wrong_state_is_refused(client, fc):
    dubois()
    back = _authorize(client)
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    response = client.get(back.path, {"code": query["code"], "state": "x" * 43})
    assert "ne correspond pas à votre demande" in response.content.decode()
    assert "enrollment" not in client.session


def test_wrong_nonce_is_refused(client, fc):
    dubois()
    back = _authorize(client)
    session = client.session
    session["franceconnect"] = {**session["franceconnect"], "nonce": "n" * 43}
    session.save()
    response = client.get(f"{back.path}?{back.query}")
    assert "n&#x27;est pas valide" in response.content.decode()
    assert "enrollment" not in client.session


def test_code_is_single_use(client, fc):
    dubois()
    back = _authorize(client)
    session_state = dict(client.session["franceconnect"])
    assert client.get(f"{back.path}?{back.query}").status_code == 302
    session = client.session
    session["franceconnect"] = session_state
    session.save()
    response = client.get(f"{back.path}?{back.query}")
    assert "a refusé la connexion" in response.content.decode()


def _claims(**extra):
    now = int(time.time())
    return {
        "iss": "https://fc.example",
        "aud": "rp",
        "sub": "s",
        "iat": now,
        "exp": now + 60,
        **extra,
    }


def test_hs256_tokens_are_refused_even_with_the_client_secret(db):
    secret = OctKey.import_key("sandbox-secret-not-for-production-0123456789")
    token = jwt.encode({"alg": "HS256"}, _claims(nonce="n" * 43), secret, algorithms=["HS256"])
    jwks = {"keys": [secret.as_dict(), *public_jwks()["keys"]]}
    with pytest.raises(franceconnect.FranceConnectError):
        franceconnect.verify_jwt(
            token, jwks=jwks, issuer="https://fc.example", audience="rp", nonce="n" * 43
        )


def test_rs256_token_from_another_key_or_audience_is_refused(db):
    other = RSAKey.generate_key(2048, parameters={"kid": "other"})
    token = jwt.encode({"alg": "RS256", "kid": "other"}, _claims(), other, algorithms=["RS256"])
    with pytest.raises(franceconnect.FranceConnectError):
        franceconnect.verify_jwt(
            token, jwks=public_jwks(), issuer="https://fc.example", audience="rp", nonce=None
        )
    good_jwks = {"keys": [other.as_dict(private=False)]}
    assert (
        franceconnect.verify_jwt(
            token, jwks=good_jwks, issuer="https://fc.example", audience="rp", nonce=None
        )["sub"]
        == "s"
    )
    with pytest.raises(franceconnect.FranceConnectError):
        franceconnect.verify_jwt(
            token, jwks=good_jwks, issuer="https://fc.example", audience="autre", nonce=None
        )


def test_logout_of_a_franceconnect_session_goes_through_the_provider(client, fc):
    InsuredUserFactory(person=dubois())
    _callback(client)
    response = client.post("/deconnexion/")
    assert "/sandbox/franceconnect/session/end?" in response["Location"]
    assert "_auth_user_id" not in client.session
