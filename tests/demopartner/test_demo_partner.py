"""Issue 14, rule C10: the demo partner signs a person in through /oidc/, end to end: its
button, the account's login and consent, the code, its token request, ID token and userinfo
over HTTP (a live server), the claims shown, then the logout. seed_demo registers it, twice
the same."""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from oauth2_provider.models import Application

from guichet.demo.services import app_demo_modules
from guichet.interfaces.demopartner import client as partner
from guichet.interfaces.demopartner import demo
from guichet.interfaces.idp.models import PairwiseSubject
from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def registered(settings, live_server):
    """The partner's server calls /oidc/ at GUICHET_SITE_URL: here, the live server."""
    settings.SITE_URL = live_server.url
    demo.seed(io.StringIO())
    return Application.objects.get(client_id=partner.CLIENT_ID)


def _local(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _to_consent(client, user):
    """The partner's button, then the account's login: returns the consent page."""
    page = client.get("/partenaire-demo/")
    assert "Se connecter avec mon compte" in page.content.decode()
    to_provider = client.post("/partenaire-demo/connexion/")
    assert to_provider.status_code == 302
    authorize = urlsplit(to_provider["Location"])
    params = parse_qs(authorize.query)
    assert authorize.path == "/oidc/authorize/"
    assert params["client_id"] == [partner.CLIENT_ID]
    assert params["code_challenge_method"] == ["S256"]
    to_login = client.get(_local(to_provider["Location"]))
    assert to_login.status_code == 302 and to_login["Location"].startswith("/connexion/")
    login = client.post(
        "/connexion/",
        {
            "nir": user.username,
            "code": DEFAULT_PASSWORD,
            "next": parse_qs(urlsplit(to_login["Location"]).query)["next"][0],
        },
    )
    assert login.status_code == 302
    consent = client.get(login["Location"])
    assert "Se connecter à Partenaire de démonstration" in consent.content.decode()
    return consent


def _answer(client, consent, *, allow=True):
    form = {k: v for k, v in consent.context["form"].initial.items() if v is not None}
    if allow:
        form["allow"] = "Authorize"
    back = client.post("/oidc/authorize/", form)
    assert back.status_code == 302
    assert back["Location"].startswith(partner.redirect_uri())
    return _local(back["Location"])


def test_a_person_signs_in_at_the_demo_partner(client, registered, live_server):
    user = InsuredUserFactory(person__first_names="Angela Claire", person__last_name="DUBOIS")
    callback = _answer(client, _to_consent(client, user))
    page = client.get(callback)
    assert page.status_code == 200, page.content.decode()[:2000]
    html = page.content.decode()
    sub = PairwiseSubject.objects.get(person=user.person, application=registered).sub
    assert "Vous êtes connecté au partenaire de démonstration" in html
    assert f"<td>{sub}</td>" in html
    assert "<td>Angela Claire</td>" in html and "<td>DUBOIS</td>" in html
    assert f"<td>{user.person.birth_date.isoformat()}</td>" in html
    assert f"<td>{user.email}</td>" in html
    # The ID token's claims, verified by the partner, are shown too.
    assert f"&quot;sub&quot;: &quot;{sub}&quot;" in html
    assert f"&quot;aud&quot;: &quot;{partner.CLIENT_ID}&quot;" in html
    # The return is used once: reloading it does not sign in again.
    again = client.get(callback)
    assert again.status_code == 400
    assert "Votre demande de connexion a expiré" in again.content.decode()
    # « Se déconnecter »: the account's session ends and the person is back at the partner.
    # (The browser is at the site's address, as the ID token's issuer: the live server's.)
    logout = client.get(
        _local(page.context["logout_url"]), headers={"host": urlsplit(live_server.url).netloc}
    )
    assert logout.status_code == 302 and logout["Location"] == partner.home_uri()
    assert "_auth_user_id" not in client.session


def test_refusing_the_consent_signs_nobody_in(client, registered):
    callback = _answer(client, _to_consent(client, InsuredUserFactory()), allow=False)
    page = client.get(callback)
    assert "Vous avez refusé de transmettre vos informations" in page.content.decode()
    assert not PairwiseSubject.objects.exists()


def test_a_return_that_does_not_match_the_request_is_refused(client, registered):
    callback = _answer(client, _to_consent(client, InsuredUserFactory()))
    parts = urlsplit(callback)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    page = client.get(parts.path, {**query, "state": "x" * 43})
    assert page.status_code == 400
    assert "ne correspond pas à votre demande" in page.content.decode()


def test_seed_demo_registers_the_same_client_every_time(settings, registered):
    first = io.StringIO()
    demo.seed(first)
    second = io.StringIO()
    demo.seed(second)
    assert first.getvalue() == second.getvalue()
    assert f"client_id {partner.CLIENT_ID}, secret {partner.CLIENT_SECRET}" in first.getvalue()
    assert "/partenaire-demo/" in first.getvalue()
    application = Application.objects.get(client_id=partner.CLIENT_ID)
    assert application.pk == registered.pk
    assert application.redirect_uris == partner.redirect_uri()
    assert application.client_type == Application.CLIENT_CONFIDENTIAL
    assert demo in app_demo_modules()


def test_the_client_follows_the_port(settings, registered):
    settings.SITE_URL = "http://localhost:8765"
    demo.seed(io.StringIO())
    application = Application.objects.get(client_id=partner.CLIENT_ID)
    assert application.pk == registered.pk
    assert application.redirect_uris == "http://localhost:8765/partenaire-demo/retour/"
    assert application.post_logout_redirect_uris == "http://localhost:8765/partenaire-demo/"


def test_without_the_setting_nothing_is_registered(settings, db):
    settings.GUICHET_DEMO_PARTNER = False
    out = io.StringIO()
    demo.seed(out)
    assert out.getvalue() == ""
    assert not Application.objects.filter(client_id=partner.CLIENT_ID).exists()
