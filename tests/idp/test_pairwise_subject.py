"""Rule C10, OpenID Connect Core § 8.1: each relying party gets its own stable `sub` for a
person, never the primary key; the ID token, userinfo and discovery agree.
See docs/decisions/oidc-pairwise-sub.md."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
from oauth2_provider.models import Application

from guichet.accounts.enums import CodeChangeWay
from guichet.accounts.services import code_set
from guichet.enrollment.franceconnect import verify_jwt
from guichet.interfaces.idp.models import PairwiseSubject
from tests.factories import InsuredUserFactory, PersonFactory

pytestmark = pytest.mark.django_db
SECRET = "relying-party-secret-0123456789"
SCOPE = "openid family_name"
NEW_CODE = "Nouveau-Code-2026!"


def _application(client_id):
    return Application.objects.create(
        name=f"Site {client_id}",
        client_id=client_id,
        client_secret=SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"https://{client_id}.example/callback",
        algorithm=Application.RS256_ALGORITHM,
    )


@pytest.fixture
def first():
    return _application("partenaire-a")


@pytest.fixture
def second():
    return _application("partenaire-b")


def _pkce():
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _sign_in(client, user, application):
    """A whole sign-in at the relying party: a new session, consent, code, tokens. Returns the
    tokens and the verified ID token's claims."""
    client.logout()
    client.force_login(user)
    verifier, challenge = _pkce()
    nonce = secrets.token_urlsafe(32)
    consent = client.get(
        "/oidc/authorize/",
        {
            "response_type": "code",
            "client_id": application.client_id,
            "redirect_uri": application.redirect_uris,
            "scope": SCOPE,
            "state": "s" * 32,
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        },
    )
    form = {k: v for k, v in consent.context["form"].initial.items() if v is not None}
    allowed = client.post("/oidc/authorize/", {**form, "scope": SCOPE, "allow": "1"})
    code = parse_qs(urlsplit(allowed["Location"]).query)["code"][0]
    tokens = client.post(
        "/oidc/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": application.redirect_uris,
            "client_id": application.client_id,
            "client_secret": SECRET,
            "code_verifier": verifier,
        },
    ).json()
    return tokens, _verified(client, tokens["id_token"], application, nonce=nonce)


def _verified(client, id_token, application, *, nonce):
    jwks = client.get("/oidc/.well-known/jwks.json").json()
    issuer = client.get("/oidc/.well-known/openid-configuration").json()["issuer"]
    return verify_jwt(
        id_token, jwks=jwks, issuer=issuer, audience=application.client_id, nonce=nonce
    )


def _userinfo(client, tokens):
    response = client.get("/oidc/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert response.status_code == 200
    return response.json()


def _refresh(client, tokens, application):
    return client.post(
        "/oidc/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": application.client_id,
            "client_secret": SECRET,
        },
    ).json()


def test_discovery_advertises_pairwise_subjects(client):
    config = client.get("/oidc/.well-known/openid-configuration").json()
    assert config["subject_types_supported"] == ["pairwise"]


def test_two_relying_parties_get_two_subjects_for_one_person(client, first, second):
    user = InsuredUserFactory()
    _, at_first = _sign_in(client, user, first)
    _, at_second = _sign_in(client, user, second)
    assert at_first["sub"] != at_second["sub"]
    assert PairwiseSubject.objects.filter(person=user.person).count() == 2


def test_the_same_relying_party_gets_the_same_subject_every_time(client, first):
    user = InsuredUserFactory()
    tokens, claims = _sign_in(client, user, first)
    # A second sign-in, in a new session.
    again, claims_again = _sign_in(client, user, first)
    assert claims_again["sub"] == claims["sub"]
    assert _userinfo(client, again)["sub"] == claims["sub"]
    # A refresh gives a new ID token, with the same subject.
    refreshed = _refresh(client, tokens, first)
    assert refreshed["id_token"] != tokens["id_token"]
    refreshed_claims = _verified(client, refreshed["id_token"], first, nonce=None)
    assert refreshed_claims["sub"] == claims["sub"]
    assert _userinfo(client, refreshed)["sub"] == claims["sub"]
    # A new code personnel ends the tokens, not the identifier.
    code_set(user=user, code=NEW_CODE, way=CodeChangeWay.RESET)
    _, after_new_code = _sign_in(client, user, first)
    assert after_new_code["sub"] == claims["sub"]
    assert PairwiseSubject.objects.filter(person=user.person, application=first).count() == 1


def test_two_people_get_two_subjects(client, first):
    _, one = _sign_in(client, InsuredUserFactory(), first)
    _, other = _sign_in(client, InsuredUserFactory(), first)
    assert one["sub"] != other["sub"]


def test_the_subject_is_neither_a_primary_key_nor_the_nir(client, first):
    # Distinctive primary keys, so that finding them inside a random subject cannot happen by
    # chance (a 9-digit run in 43 random URL-safe characters: about 1 in 10^14).
    person = PersonFactory(pk=876543219)
    user = InsuredUserFactory(pk=987654321, person=person)
    _, claims = _sign_in(client, user, first)
    sub = claims["sub"]
    for secret in (str(user.pk), str(person.pk), person.nir, user.username):
        assert secret not in sub
    assert len(sub) >= 43
    assert sub == PairwiseSubject.objects.get(person=person, application=first).sub


def test_userinfo_and_id_token_agree(client, first, second, django_assert_max_num_queries):
    user = InsuredUserFactory()
    for application in (first, second):
        tokens, claims = _sign_in(client, user, application)
        # The subject is read, not drawn again: the token, its user and person, the subject.
        with django_assert_max_num_queries(5):
            userinfo = _userinfo(client, tokens)
        assert userinfo["sub"] == claims["sub"]
        assert userinfo["family_name"] == claims["family_name"] == user.person.last_name
