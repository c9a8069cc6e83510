"""Agents and the IT team's /admin/ sign in with a password *and* a second factor (TOTP or a
single-use recovery code): docs/decisions/security-agents-second-factor.md."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts import second_factor
from guichet.accounts.models import LoginEvent
from guichet.core.clock import PARIS
from tests.factories import (
    AGENT_RECOVERY_CODES,
    AGENT_TOTP_SEED,
    DEFAULT_PASSWORD,
    AgentFactory,
    InsuredUserFactory,
    agent_login,
    totp_now,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 14, 0, 10, tzinfo=PARIS)
LOGIN = "/agents/connexion/"
CODE = "/agents/connexion/code/"


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _password(client, agent, password=DEFAULT_PASSWORD, next_url=""):
    data = {"username": agent.username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def _desk_urls():
    """Every agents' page but the two login steps and the logout, with placeholder arguments."""
    resolver = next(
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == "agents"
    )

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield pattern.name, prefix + str(pattern.pattern)

    urls = []
    for name, route in walk(resolver.url_patterns):
        if name in {"login", "login_code", "logout"}:
            continue
        path = route.replace("<int:pk>", "1").replace("<int:case_id>", "1")
        path = path.replace("<int:consultation_id>", "1").replace("<str:kind>", "photo")
        path = (
            path.replace("<int:appointment_id>", "1")
            .replace("<int:thread_id>", "1")
            .replace("<int:attachment_id>", "1")
            .replace("<int:place_id>", "1")
            .replace("<int:motif_id>", "1")
            .replace("<int:opening_id>", "1")
            .replace("<int:closure_id>", "1")
        )
        assert "<" not in path, path
        urls.append("/agents/" + path)
    return urls


DESK_URLS = _desk_urls()
ADMIN_URLS = ["/admin/", "/admin/cases/case/", "/admin/otp_totp/totpdevice/"]


def test_the_sweep_covers_the_desk():
    assert len(DESK_URLS) >= 12
    assert "/agents/accueil/" in DESK_URLS and "/agents/affaires/1/cloturer/" in DESK_URLS


@pytest.mark.parametrize("url", DESK_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_session_without_second_factor_reaches_no_agent_page(client, url, method):
    """An agent signed in without a verified device (a session from before the second factor,
    or any other way) is signed out and sent to the login."""
    client.force_login(AgentFactory(supervisor=True))
    response = getattr(client, method)(url)
    assert response.status_code == 302, (url, response.status_code)
    assert response.url.startswith(LOGIN)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", DESK_URLS)
def test_after_the_password_alone_only_the_code_step_is_shown(client, url):
    agent = AgentFactory(supervisor=True)
    assert _password(client, agent).url == CODE
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(CODE)


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_admin_needs_the_second_factor(client, url):
    admin = AgentFactory(supervisor=True, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    agent_login(client, admin)
    assert client.get(url).status_code == 200


def test_admin_login_is_the_agents_login_with_the_second_factor(client):
    admin = AgentFactory(supervisor=True, is_staff=True, is_superuser=True)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == f"{LOGIN}?next=%2Fadmin%2F"
    response = _password(client, admin, next_url="/admin/")
    assert response.url == CODE
    assert client.get("/admin/").status_code == 302
    response = client.post(CODE, {"code": totp_now()})
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_password_then_code_signs_the_agent_in(client):
    agent = AgentFactory()
    response = _password(client, agent, next_url="/agents/accueil/")
    assert response.url == CODE
    assert "_auth_user_id" not in client.session  # the password alone is not a login
    page = client.get(CODE).content.decode()
    assert "Code de vérification" in page
    response = client.post(CODE, {"code": totp_now()})
    assert response.url == "/agents/accueil/"
    assert client.get("/agents/accueil/").status_code == 200
    assert LoginEvent.objects.filter(user=agent, outcome=LoginEvent.Outcome.SUCCESS).count() == 1


def test_wrong_code_is_refused_with_a_french_message(client):
    agent = AgentFactory()
    _password(client, agent)
    wrong = f"{(int(totp_now()) + 1) % 1_000_000:06d}"
    response = client.post(CODE, {"code": wrong})
    assert response.status_code == 200
    assert second_factor.WRONG_CODE in response.content.decode().replace("&#x27;", "'")
    assert "_auth_user_id" not in client.session
    response = client.post(CODE, {"code": ""})
    assert "Saisissez le code de vérification." in response.content.decode()


def test_a_code_is_refused_a_second_time(client):
    agent = AgentFactory()
    code = totp_now()
    _password(client, agent)
    assert client.post(CODE, {"code": code}).status_code == 302
    other = client.__class__()
    _password(other, agent)
    response = other.post(CODE, {"code": code})
    assert (
        response.status_code == 200
        and "Code de vérification incorrect" in response.content.decode()
    )
    # Nor the code of the previous time step, still within the tolerance.
    response = other.post(CODE, {"code": totp_now(steps=-1)})
    assert response.status_code == 200
    # The next one is accepted.
    response = other.post(CODE, {"code": totp_now(steps=1)})
    assert response.status_code == 302


def test_a_recovery_code_works_once(client):
    agent = AgentFactory()
    code = AGENT_RECOVERY_CODES[0]
    _password(client, agent)
    assert client.post(CODE, {"code": code.upper()[:4] + " " + code[4:]}).status_code == 302
    assert not StaticToken.objects.filter(token=code).exists()
    other = client.__class__()
    _password(other, agent)
    response = other.post(CODE, {"code": code})
    assert (
        response.status_code == 200
        and "Code de vérification incorrect" in response.content.decode()
    )
    assert other.post(CODE, {"code": AGENT_RECOVERY_CODES[1]}).status_code == 302


def test_an_agent_without_second_factor_is_sent_to_the_it_team(client):
    agent = AgentFactory(second_factor=False)
    response = _password(client, agent)
    assert response.status_code == 200
    text = response.content.decode().replace("&#x27;", "'")
    assert "pas encore activé" in text and "équipe informatique" in text
    assert client.get(CODE).url == LOGIN


def test_a_wrong_password_never_reaches_the_code_step(client):
    agent = AgentFactory()
    response = _password(client, agent, password="Mauvais-Mot-De-Passe-1")
    assert (
        response.status_code == 200
        and "Identifiant ou mot de passe incorrect" in response.content.decode()
    )
    assert client.get(CODE).url == LOGIN


def test_the_code_step_expires(client, _frozen_clock):
    agent = AgentFactory()
    _password(client, agent)
    _frozen_clock.shift(dt.timedelta(minutes=6))
    response = client.post(CODE, {"code": totp_now()})
    assert response.url == LOGIN
    assert "_auth_user_id" not in client.session


def test_next_is_kept_to_local_agent_and_admin_pages_only(client):
    agent = AgentFactory()
    _password(client, agent, next_url="https://evil.example/agents/")
    assert client.post(CODE, {"code": totp_now()}).url == reverse("agents:home")


def test_an_insured_cannot_use_the_agents_login(client):
    insured = InsuredUserFactory()
    response = client.post(LOGIN, {"username": insured.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert client.get(CODE).url == LOGIN


def test_the_it_team_command_replaces_a_lost_second_factor(client):
    agent = AgentFactory()
    old = totp_now()
    out = io.StringIO()
    call_command("agent_second_factor", agent.username, stdout=out)
    text = out.getvalue()
    seed = text.split("saisissez la clé : ")[1].split()[0]
    assert seed != AGENT_TOTP_SEED
    assert TOTPDevice.objects.filter(user=agent).count() == 1
    new_codes = list(StaticToken.objects.filter(device__user=agent).values_list("token", flat=True))
    assert len(new_codes) == second_factor.RECOVERY_CODE_COUNT
    assert all(code in text for code in new_codes)
    _password(client, agent)
    assert client.post(CODE, {"code": AGENT_RECOVERY_CODES[0]}).status_code == 200
    if old != totp_now(seed):
        assert client.post(CODE, {"code": old}).status_code == 200
    assert client.post(CODE, {"code": totp_now(seed)}).status_code == 302
