"""Security headers, the Content-Security-Policy and idle session expiry (issue 2)."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from guichet.core import clock
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def test_security_headers_and_csp_on_insured_pages(insured_client):
    response = insured_client.get(reverse("web:home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_inline_scripts_carry_the_nonce(insured_client):
    response = insured_client.get(reverse("web:home"))
    csp = response["Content-Security-Policy"]
    html = response.content.decode()
    inline = [
        c.split(">", 1)[0] for c in html.split("<script")[1:] if "src=" not in c.split(">")[0]
    ]
    for tag in inline:
        nonce = csp.split("'nonce-")[1].split("'")[0]
        assert f'nonce="{nonce}"' in tag, tag


def test_session_cookie_is_http_only_and_lax(client, insured):
    response = client.post(
        reverse("web:login"), {"nir": insured.username, "code": DEFAULT_PASSWORD}
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_session_expires_when_idle_and_activity_keeps_it(client, insured):
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert settings.SESSION_SAVE_EVERY_REQUEST
    with time_machine.travel(clock.now(), tick=False) as traveller:
        client.post(reverse("web:login"), {"nir": insured.username, "code": DEFAULT_PASSWORD})
        for _ in range(3):  # active: each request pushes the expiry back
            traveller.shift(idle - dt.timedelta(minutes=1))
            assert client.get(reverse("web:home")).status_code == 200
        traveller.shift(idle + dt.timedelta(seconds=1))
        response = client.get(reverse("web:home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))


def test_csrf_is_enforced_on_account_forms(insured, settings):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(insured)
    assert strict.post(reverse("web:notifications_read_all")).status_code == 403


def _expiry(client):
    from guichet.accounts.models import Session

    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_an_unchanged_session_is_written_back_at_most_once_a_minute(client, insured):
    """Idle expiry without a database write per page view (guichet.core.sessions)."""
    touch = dt.timedelta(seconds=settings.GUICHET_SESSION_TOUCH_SECONDS)
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(clock.now(), tick=False) as traveller:
        client.post(reverse("web:login"), {"nir": insured.username, "code": DEFAULT_PASSWORD})
        logged_in = _expiry(client).expire_date
        traveller.shift(touch - dt.timedelta(seconds=1))
        assert client.get(reverse("web:home")).status_code == 200
        assert _expiry(client).expire_date == logged_in  # not written again
        traveller.shift(dt.timedelta(seconds=2))
        assert client.get(reverse("web:home")).status_code == 200
        assert _expiry(client).expire_date == clock.now() + idle  # pushed back
        # A changed session is written at once, however recent the last write.
        traveller.shift(dt.timedelta(seconds=1))
        session = client.session
        session["guichet-test"] = "changed"
        session.save()
        assert _expiry(client).expire_date == clock.now() + idle
