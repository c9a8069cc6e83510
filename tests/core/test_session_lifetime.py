"""A signed-in session ends after GUICHET_SESSION_ABSOLUTE_SECONDS (12 h) however active it is,
beside the idle expiry (docs/decisions/security-credentials-and-sessions.md)."""

import datetime as dt
import os
import subprocess
import sys

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import Session
from guichet.accounts.sessions import SessionStore
from guichet.core import clock
from tests.factories import DEFAULT_PASSWORD, AgentFactory, agent_login

pytestmark = pytest.mark.django_db


def _signed_out(client, url="web:home"):
    response = client.get(reverse(url))
    return response.status_code == 302 and "connexion" in response["Location"]


def test_default_is_twelve_hours():
    assert settings.GUICHET_SESSION_ABSOLUTE_SECONDS == 12 * 3600


def test_an_active_session_ends_twelve_hours_after_sign_in(client, insured):
    absolute = dt.timedelta(seconds=settings.GUICHET_SESSION_ABSOLUTE_SECONDS)
    step = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE) - dt.timedelta(minutes=1)
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.post(reverse("web:login"), {"nir": insured.username, "code": DEFAULT_PASSWORD})
        while clock.now() + step < start + absolute:
            traveller.shift(step)  # never idle long enough to expire
            assert client.get(reverse("web:home")).status_code == 200
        traveller.move_to(start + absolute - dt.timedelta(seconds=1))
        assert client.get(reverse("web:home")).status_code == 200
        traveller.move_to(start + absolute)
        assert _signed_out(client)
        # The signed-in row is deleted, not just ignored; what remains is the anonymous session
        # that hands the drafts on (docs/decisions/sessions-expiry-warning-and-drafts.md).
        assert not [s for s in Session.objects.all() if "_auth_user_id" in s.get_decoded()]
        # Signing in again starts a new lifetime.
        client.post(reverse("web:login"), {"nir": insured.username, "code": DEFAULT_PASSWORD})
        assert client.get(reverse("web:home")).status_code == 200


def test_the_lifetime_counts_from_the_sign_in_not_from_an_earlier_anonymous_session(
    client, insured
):
    absolute = dt.timedelta(seconds=settings.GUICHET_SESSION_ABSOLUTE_SECONDS)
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        session = client.session
        session["guichet-test"] = "anonymous visit"
        session.save()
        traveller.shift(absolute - dt.timedelta(minutes=5))
        client.post(reverse("web:login"), {"nir": insured.username, "code": DEFAULT_PASSWORD})
        traveller.shift(dt.timedelta(minutes=10))
        assert client.get(reverse("web:home")).status_code == 200


def test_agents_sessions_end_too():
    agent = AgentFactory()
    absolute = dt.timedelta(seconds=settings.GUICHET_SESSION_ABSOLUTE_SECONDS)
    with time_machine.travel(clock.now(), tick=False) as traveller:
        client = agent_login(Client(), agent)
        assert client.get(reverse("agents:home")).status_code == 200
        traveller.shift(absolute)
        assert _signed_out(client, "agents:home")


def test_a_signed_in_session_without_its_sign_in_time_ends(client, insured):
    """A session written before this rule (or forged without the time) is not kept."""
    store = SessionStore()
    store[SESSION_KEY] = str(insured.pk)
    store[BACKEND_SESSION_KEY] = "guichet.accounts.backends.AccountBackend"
    store[HASH_SESSION_KEY] = insured.get_session_auth_hash()
    store.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    assert _signed_out(client)


@pytest.mark.parametrize("value", ["900", "600"])
def test_settings_refuse_an_absolute_lifetime_not_longer_than_the_idle_expiry(value):
    env = {
        **os.environ,
        "GUICHET_DEBUG": "true",
        "GUICHET_SESSION_IDLE_SECONDS": "900",
        "GUICHET_SESSION_ABSOLUTE_SECONDS": value,
    }
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode != 0
    assert "GUICHET_SESSION_ABSOLUTE_SECONDS" in result.stderr
