"""Login limits beside the (NIR, IP) one: per NIR across IPs and per IP across NIRs, on the web
login and on the API token endpoint (rule G1). Limit + 1 for each, cool-offs with time-machine,
and nobody locked out for good: an address the account signed in from lately is trusted
(docs/decisions/security-credentials-and-sessions.md)."""

import datetime as dt
from itertools import count

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import LoginEvent
from guichet.core import clock
from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory

pytestmark = pytest.mark.django_db

WRONG = "Mauvais-Code-1"
ACCOUNT_LIMIT = 4
IP_LIMIT = 6
_addresses = count(1)


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = ACCOUNT_LIMIT
    settings.LOGIN_IP_FAILURE_LIMIT = IP_LIMIT
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60


def fresh_ip() -> str:
    n = next(_addresses)
    return f"198.51.{n // 250}.{n % 250 + 1}"


def web(nir: str, code: str, ip: str) -> tuple[str, str]:
    response = Client(REMOTE_ADDR=ip).post(reverse("web:login"), {"nir": nir, "code": code})
    if response.status_code == 302:
        return "ok", ""
    page = response.content.decode()
    if "Trop de tentatives de connexion ont échoué" in page:
        return "throttled", page
    assert "Numéro de sécurité sociale ou code personnel incorrect." in page
    return "wrong", page


def api(nir: str, code: str, ip: str) -> tuple[str, str]:
    response = Client(REMOTE_ADDR=ip).post(
        "/api/v1/auth/token", {"nir": nir, "code": code}, content_type="application/json"
    )
    if response.status_code == 200:
        return "ok", ""
    body = response.json()
    if response.status_code == 429:
        assert body["code"] == "too_many_attempts" and int(response["Retry-After"]) > 0
        return "throttled", body["message"]
    assert response.status_code == 401 and body["code"] == "invalid_credentials"
    return "wrong", body["message"]


ENDPOINTS = [pytest.param(web, id="web-login"), pytest.param(api, id="api-token")]


@pytest.mark.parametrize("attempt", ENDPOINTS)
def test_per_account_across_addresses_limit_plus_one(attempt):
    user = InsuredUserFactory()
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        # A botnet: every failure from a new address, so no (NIR, IP) limit is ever reached.
        for _ in range(ACCOUNT_LIMIT):
            assert attempt(user.username, WRONG, fresh_ip())[0] == "wrong"
        outcome, message = attempt(user.username, WRONG, fresh_ip())
        assert outcome == "throttled"
        assert "pour ce numéro de sécurité sociale" in message
        assert "réessayez dans 15 minutes" in message and "« Code oublié ? »" in message
        # Refused without being checked: even the right code, from any address not trusted.
        assert attempt(user.username, DEFAULT_PASSWORD, fresh_ip())[0] == "throttled"
        assert LoginEvent.objects.filter(outcome=LoginEvent.Outcome.THROTTLED).exists()
        # Another account is not concerned.
        assert attempt(InsuredUserFactory().username, DEFAULT_PASSWORD, fresh_ip())[0] == "ok"
        traveller.shift(dt.timedelta(minutes=15))
        assert attempt(user.username, DEFAULT_PASSWORD, fresh_ip())[0] == "ok"


@pytest.mark.parametrize("attempt", ENDPOINTS)
def test_per_address_across_accounts_limit_plus_one(attempt):
    sprayer = fresh_ip()
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        # One address tries one code on many NIRs (known or not): one failure each.
        for _ in range(IP_LIMIT):
            nir = InsuredUserFactory().username
            assert attempt(nir, WRONG, sprayer)[0] == "wrong"
        outcome, message = attempt(InsuredUserFactory().username, WRONG, sprayer)
        assert outcome == "throttled"
        assert "depuis votre adresse réseau" in message and "réessayez dans 15 minutes" in message
        someone = InsuredUserFactory()
        assert attempt(someone.username, DEFAULT_PASSWORD, sprayer)[0] == "throttled"
        # Other addresses are not concerned.
        assert attempt(someone.username, DEFAULT_PASSWORD, fresh_ip())[0] == "ok"
        traveller.shift(dt.timedelta(minutes=15))
        assert attempt(InsuredUserFactory().username, DEFAULT_PASSWORD, sprayer)[0] == "ok"


@pytest.mark.parametrize("attempt", ENDPOINTS)
def test_an_attack_on_the_account_does_not_lock_the_person_out_at_a_known_address(attempt):
    user = InsuredUserFactory()
    home = fresh_ip()
    assert attempt(user.username, DEFAULT_PASSWORD, home)[0] == "ok"
    for _ in range(ACCOUNT_LIMIT + 5):
        attempt(user.username, WRONG, fresh_ip())
    assert attempt(user.username, DEFAULT_PASSWORD, fresh_ip())[0] == "throttled"
    # The attack goes on, yet the person signs in from home.
    assert attempt(user.username, DEFAULT_PASSWORD, home)[0] == "ok"
    # A mistyped code at home is told as usual (and counts only as the person's own failure).
    assert attempt(user.username, WRONG, home)[0] == "wrong"
    assert attempt(user.username, DEFAULT_PASSWORD, home)[0] == "ok"


@pytest.mark.parametrize("attempt", ENDPOINTS)
def test_a_sprayed_shared_address_does_not_lock_out_who_signs_in_there(attempt):
    office = fresh_ip()
    colleague = InsuredUserFactory()
    assert attempt(colleague.username, DEFAULT_PASSWORD, office)[0] == "ok"
    for _ in range(IP_LIMIT + 1):
        attempt(InsuredUserFactory().username, WRONG, office)
    assert attempt(InsuredUserFactory().username, DEFAULT_PASSWORD, office)[0] == "throttled"
    assert attempt(colleague.username, DEFAULT_PASSWORD, office)[0] == "ok"


def test_an_address_is_trusted_for_thirty_days_only():
    user = InsuredUserFactory()
    home = fresh_ip()
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        assert web(user.username, DEFAULT_PASSWORD, home)[0] == "ok"
        traveller.shift(dt.timedelta(days=30, minutes=1))
        for _ in range(ACCOUNT_LIMIT + 1):
            web(user.username, WRONG, fresh_ip())
        assert web(user.username, DEFAULT_PASSWORD, home)[0] == "throttled"


def test_the_web_and_the_app_share_the_counts():
    user = InsuredUserFactory()
    for _ in range(ACCOUNT_LIMIT // 2):
        assert web(user.username, WRONG, fresh_ip())[0] == "wrong"
        assert api(user.username, WRONG, fresh_ip())[0] == "wrong"
    assert web(user.username, WRONG, fresh_ip())[0] == "throttled"
    assert api(user.username, DEFAULT_PASSWORD, fresh_ip())[0] == "throttled"


def test_unknown_nirs_are_counted_too():
    """The limits do not tell an existing NIR from an unknown one."""
    nir = "199017505600188"
    for _ in range(ACCOUNT_LIMIT):
        assert web(nir, WRONG, fresh_ip())[0] == "wrong"
    assert web(nir, WRONG, fresh_ip())[0] == "throttled"


def test_a_completed_code_reset_frees_the_account_from_an_attack():
    """The way out for a person on a new network while the account is attacked: « Code
    oublié ? » proves the mailbox, and the account-wide count starts afresh."""
    from guichet.accounts.recovery import code_reset_complete

    user = InsuredUserFactory()
    for _ in range(ACCOUNT_LIMIT + 1):
        web(user.username, WRONG, fresh_ip())
    new_place = fresh_ip()
    assert web(user.username, DEFAULT_PASSWORD, new_place)[0] == "throttled"
    code_reset_complete(user=user, code="Autre-Code-2027", ip=new_place)
    assert web(user.username, "Autre-Code-2027", new_place)[0] == "ok"
