"""The agents' login, which is also /admin/'s, is throttled per identifier across IP addresses
and per IP address across identifiers, for the password and for the second-factor code; every
block is a cool-off, never a lock for good (docs/decisions/security-agents-second-factor.md)."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings

from guichet.accounts import second_factor as sf
from guichet.accounts.services import AGENT_LOGIN_ERROR, agent_authenticate
from guichet.core.clock import PARIS
from tests.factories import DEFAULT_PASSWORD, AgentFactory, totp_now

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 14, 0, 10, tzinfo=PARIS)
WRONG = "Mauvais-Mot-De-Passe-1"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _ip(n: int) -> str:
    return f"198.51.{n // 250}.{n % 250 + 1}"


def _wrong_code() -> str:
    return f"{(int(totp_now()) + 500_000) % 1_000_000:06d}"


def test_the_limits_are_those_of_the_decision():
    assert sf.PASSWORD_ACCOUNT_LIMIT > settings.LOGIN_FAILURE_LIMIT
    assert (sf.PASSWORD_ACCOUNT_LIMIT, sf.PASSWORD_IP_LIMIT) == (10, 20)
    assert (sf.CODE_SHORT_LIMIT, sf.CODE_DAILY_LIMIT) == (5, 10)


# Password, per identifier across IP addresses.


@pytest.mark.parametrize("next_url", ["/admin/", "/agents/"])
def test_password_limit_plus_one_per_account_across_ips(client, clock, next_url):
    agent = AgentFactory(supervisor=True, is_staff=True, is_superuser=True)
    for n in range(sf.PASSWORD_ACCOUNT_LIMIT):
        response = client.post(
            "/agents/connexion/",
            {"username": agent.username, "password": WRONG, "next": next_url},
            REMOTE_ADDR=_ip(n),
        )
        assert AGENT_LOGIN_ERROR in response.content.decode(), n
    over = client.post(
        "/agents/connexion/",
        {"username": agent.username, "password": WRONG, "next": next_url},
        REMOTE_ADDR=_ip(100),
    )
    assert "Trop de tentatives de connexion ont échoué" in over.content.decode()
    # Even the right password, from yet another address, waits for the cool-off...
    refused = client.post(
        "/agents/connexion/",
        {"username": agent.username, "password": DEFAULT_PASSWORD, "next": next_url},
        REMOTE_ADDR=_ip(101),
    )
    assert refused.status_code == 200 and "réessayez dans 15 minutes" in refused.content.decode()
    # ...which ends: never a lock for good.
    clock.shift(sf.PASSWORD_WINDOW + dt.timedelta(seconds=1))
    response = client.post(
        "/agents/connexion/",
        {"username": agent.username, "password": DEFAULT_PASSWORD, "next": next_url},
        REMOTE_ADDR=_ip(101),
    )
    assert response.url == "/agents/connexion/code/"
    assert client.post("/agents/connexion/code/", {"code": totp_now()}).url == next_url


def test_password_per_account_counts_unknown_identifiers_too():
    for n in range(sf.PASSWORD_ACCOUNT_LIMIT):
        assert agent_authenticate(username="inconnu", password=WRONG, ip=_ip(n)).error == (
            AGENT_LOGIN_ERROR
        )
    assert (
        "Trop de tentatives"
        in agent_authenticate(username="inconnu", password=WRONG, ip=_ip(99)).error
    )


# Password, per IP address across identifiers.


@pytest.mark.parametrize("next_url", ["/admin/", "/agents/"])
def test_password_limit_plus_one_per_ip_across_accounts(client, clock, next_url):
    ip = "203.0.113.7"
    for n in range(sf.PASSWORD_IP_LIMIT):
        response = client.post(
            "/agents/connexion/",
            {"username": f"agent-essai-{n}", "password": WRONG, "next": next_url},
            REMOTE_ADDR=ip,
        )
        assert AGENT_LOGIN_ERROR in response.content.decode(), n
    over = client.post(
        "/agents/connexion/",
        {"username": "agent-essai-x", "password": WRONG, "next": next_url},
        REMOTE_ADDR=ip,
    )
    assert "Trop de tentatives de connexion ont échoué" in over.content.decode()
    agent = AgentFactory(supervisor=True, is_staff=True, is_superuser=True)
    data = {"username": agent.username, "password": DEFAULT_PASSWORD, "next": next_url}
    refused = client.post("/agents/connexion/", data, REMOTE_ADDR=ip)
    assert "réessayez dans 15 minutes" in refused.content.decode()
    # The same agent from another address is not blocked.
    assert client.post("/agents/connexion/", data, REMOTE_ADDR="192.0.2.1").status_code == 302
    clock.shift(sf.PASSWORD_WINDOW + dt.timedelta(seconds=1))
    assert client.post("/agents/connexion/", data, REMOTE_ADDR=ip).status_code == 302


# Second-factor code, per agent across IP addresses.


def test_code_limit_plus_one_per_account_across_ips(clock):
    agent = AgentFactory()
    for n in range(sf.CODE_SHORT_LIMIT):
        result = sf.agent_code_verify(user=agent, code=_wrong_code(), ip=_ip(n))
        assert result.device is None and result.error == sf.WRONG_CODE, n
    over = sf.agent_code_verify(user=agent, code=_wrong_code(), ip=_ip(50))
    assert over.device is None and "Trop de codes de vérification erronés" in over.error
    assert "15 minutes" in over.error
    # The right code, from another address, is refused during the cool-off and not consumed.
    right = sf.agent_code_verify(user=agent, code=totp_now(), ip=_ip(51))
    assert right.device is None and right.retry_after is not None
    clock.shift(sf.CODE_SHORT_WINDOW + dt.timedelta(seconds=1))
    assert sf.agent_code_verify(user=agent, code=totp_now(), ip=_ip(51)).device is not None


def test_code_daily_limit_plus_one_per_account(clock):
    """Past the short limit, a daily one: a 6-digit code is not brute-forced at 480 a day."""
    agent = AgentFactory()
    failures = 0
    while failures < sf.CODE_DAILY_LIMIT:
        burst = min(sf.CODE_SHORT_LIMIT, sf.CODE_DAILY_LIMIT - failures)
        for _ in range(burst):
            result = sf.agent_code_verify(user=agent, code=_wrong_code(), ip=_ip(failures))
            assert result.error == sf.WRONG_CODE, failures
            failures += 1
        clock.shift(sf.CODE_SHORT_WINDOW + dt.timedelta(seconds=1))
    over = sf.agent_code_verify(user=agent, code=_wrong_code(), ip=_ip(99))
    assert "Trop de codes de vérification erronés" in over.error and "heures" in over.error
    clock.shift(dt.timedelta(hours=23))
    assert sf.agent_code_verify(user=agent, code=totp_now(), ip=_ip(99)).device is None
    clock.shift(dt.timedelta(hours=1, seconds=1))
    assert sf.agent_code_verify(user=agent, code=totp_now(), ip=_ip(99)).device is not None


def test_the_it_team_lifts_a_code_block_by_enrolling_again():
    agent = AgentFactory()
    for _ in range(sf.CODE_SHORT_LIMIT + 1):
        sf.agent_code_verify(user=agent, code=_wrong_code(), ip=_ip(1))
    enrolment = sf.agent_second_factor_set(user=agent)
    assert sf.agent_code_verify(user=agent, code=totp_now(enrolment.seed), ip=_ip(2)).device


# Second-factor code, per IP address across agents.


def test_code_limit_plus_one_per_ip_across_accounts(clock):
    ip = "203.0.113.8"
    agents = [AgentFactory() for _ in range(sf.PASSWORD_IP_LIMIT // (sf.CODE_SHORT_LIMIT - 1) + 1)]
    failures = 0
    for agent in agents:
        for _ in range(sf.CODE_SHORT_LIMIT - 1):
            if failures == sf.PASSWORD_IP_LIMIT:
                break
            assert (
                sf.agent_code_verify(user=agent, code=_wrong_code(), ip=ip).error == sf.WRONG_CODE
            )
            failures += 1
    fresh = AgentFactory()
    over = sf.agent_code_verify(user=fresh, code=_wrong_code(), ip=ip)
    assert over.device is None and "Trop de codes de vérification erronés" in over.error
    right = sf.agent_code_verify(user=fresh, code=totp_now(), ip=ip)
    assert right.device is None and right.retry_after is not None
    # The password step from that address waits too (one counter of failures per address).
    refused = agent_authenticate(username=fresh.username, password=DEFAULT_PASSWORD, ip=ip)
    assert refused.user is None and "Trop de tentatives" in refused.error
    assert sf.agent_code_verify(user=fresh, code=totp_now(), ip="192.0.2.2").device is not None
