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


def _directives(policy: str) -> dict[str, str]:
    return dict(part.split(" ", 1) for part in policy.split("; "))


def test_the_policy_built_once_is_django_csps_with_each_responses_nonce(insured_client):
    """guichet.core.middleware.CSPMiddleware: the header django-csp would build for the same
    nonce (directive by directive), a new nonce on each response, none when no page asks."""
    from csp.utils import build_policy

    first = insured_client.get(reverse("web:home"))
    second = insured_client.get(reverse("web:home"))
    nonces = [
        r["Content-Security-Policy"].split("'nonce-")[1].split("'")[0] for r in (first, second)
    ]
    assert nonces[0] != nonces[1]
    for response, nonce in zip((first, second), nonces, strict=True):
        expected = _directives(build_policy(nonce=nonce))
        assert _directives(response["Content-Security-Policy"]) == expected
    without_page = insured_client.post(reverse("web:session_extend"))
    assert _directives(without_page["Content-Security-Policy"]) == _directives(build_policy())
    assert "Content-Security-Policy-Report-Only" not in without_page


def test_a_changed_policy_setting_is_the_one_sent(insured_client, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    response = insured_client.post(reverse("web:session_extend"))
    assert response["Content-Security-Policy-Report-Only"] == "default-src 'none'"


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
