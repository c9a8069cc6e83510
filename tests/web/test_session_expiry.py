"""An expired session (WCAG 2.2.1, issue 14): the login page says so, the draft of the démarche
comes back to the same account only, and what the last form sent can be sent again."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guichet.core import clock
from guichet.interfaces.web.powers.views import DRAFT_KEY
from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory
from tests.powers.test_web import PROXY

pytestmark = pytest.mark.django_db

IDLE = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def login(client, user, **extra):
    return client.post(
        reverse("web:login"), {"nir": user.username, "code": DEFAULT_PASSWORD, **extra}
    )


def test_the_login_page_says_the_session_expired_and_the_draft_comes_back(client, insured):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        login(client, insured)
        client.post(reverse("web:power_proxy"), PROXY)
        assert DRAFT_KEY in client.session
        traveller.shift(IDLE + dt.timedelta(seconds=1))
        response = client.get(reverse("web:power_recap"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
        page = client.get(response["Location"]).content.decode()
        assert "Votre session a expiré" in page
        assert "15 minutes sans activité" in page
        response = login(client, insured, next=reverse("web:power_recap"))
        assert response["Location"] == reverse("web:power_recap")
        recap = client.get(reverse("web:power_recap")).content.decode()
        assert PROXY["last_name"].upper() in recap and PROXY["first_name"] in recap


def test_another_account_on_the_same_browser_gets_no_draft(client, insured):
    other = InsuredUserFactory()
    with time_machine.travel(clock.now(), tick=False) as traveller:
        login(client, insured)
        client.post(reverse("web:power_proxy"), PROXY)
        traveller.shift(IDLE + dt.timedelta(seconds=1))
        client.get(reverse("web:home"))
        login(client, other)
        assert DRAFT_KEY not in client.session
        assert "_guichet_expired" not in client.session


def test_a_logout_is_not_told_as_an_expiry(client, insured):
    login(client, insured)
    client.post(reverse("web:logout"))
    assert "Votre session a expiré" not in client.get(reverse("web:login")).content.decode()


def test_a_form_sent_after_the_expiry_can_be_sent_again_after_the_login(client, insured):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        login(client, insured)
        client.get(reverse("web:power_proxy"))
        traveller.shift(IDLE + dt.timedelta(seconds=1))
        response = client.post(reverse("web:power_proxy"), PROXY)
        assert response["Location"].startswith(reverse("web:login"))
        response = login(client, insured, next=reverse("web:power_proxy"))
        assert response["Location"] == reverse("web:session_resume")
        page = client.get(reverse("web:session_resume")).content.decode()
        assert f'action="{reverse("web:power_proxy")}"' in page
        assert f'name="last_name" value="{PROXY["last_name"]}"' in page
        assert 'csrfmiddlewaretoken" value' in page  # a fresh token, not the old one
        assert client.post(reverse("web:power_proxy"), PROXY)["Location"] == reverse(
            "web:power_recap"
        )


def test_the_code_personnel_is_never_kept(client, insured):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        login(client, insured)
        traveller.shift(IDLE + dt.timedelta(seconds=1))
        client.post(reverse("web:account_close"), {"code": "Secret-Code-123!", "confirm": "on"})
        login(client, insured)
        page = client.get(reverse("web:session_resume")).content.decode()
        assert "Secret-Code-123!" not in page
        assert 'name="confirm" value="on"' in page


def test_rester_connecte_starts_the_delay_again(client, insured):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        login(client, insured)
        for _ in range(3):
            traveller.shift(IDLE - dt.timedelta(minutes=2))
            assert client.post(reverse("web:session_extend")).status_code == 204
        traveller.shift(IDLE - dt.timedelta(minutes=2))
        assert client.get(reverse("web:home")).status_code == 200


def test_rester_connecte_writes_the_session_only_when_it_is_due(client, insured):
    """Right after a page, the session row is not written again; past the touch interval it
    is, so the idle delay starts again (issue 16: one statement, the session row read with its
    account and person, nothing more)."""
    touch = dt.timedelta(seconds=settings.GUICHET_SESSION_TOUCH_SECONDS)
    with time_machine.travel(clock.now(), tick=False) as traveller:
        login(client, insured)
        client.get(reverse("web:home"))
        with CaptureQueriesContext(connection) as fresh:
            assert client.post(reverse("web:session_extend")).status_code == 204
            writes = [q for q in fresh.captured_queries if q["sql"].startswith("UPDATE")]
            assert len(fresh.captured_queries) == 1 and not writes
        traveller.shift(touch + dt.timedelta(seconds=1))
        with CaptureQueriesContext(connection) as due:
            assert client.post(reverse("web:session_extend")).status_code == 204
            assert any('UPDATE "accounts_session"' in q["sql"] for q in due.captured_queries)
        traveller.shift(IDLE - dt.timedelta(seconds=1))
        assert client.get(reverse("web:home")).status_code == 200


def test_rester_connecte_needs_a_session(client):
    assert client.post(reverse("web:session_extend")).status_code == 401
    assert client.get(reverse("web:session_extend")).status_code == 405
