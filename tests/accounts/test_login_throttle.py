"""Failed logins are throttled per (NIR, IP) with a cool-off, never a permanent lock (rule G1).

The limits per NIR across IPs and per IP across NIRs: test_login_limits.py."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from guichet.accounts.models import LoginEvent
from guichet.accounts.services import GENERIC_LOGIN_ERROR, insured_authenticate
from guichet.core import clock
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def _fail(nir, ip="10.0.0.1", times=1):
    return [insured_authenticate(nir=nir, code="Mauvais-Code-1", ip=ip) for _ in range(times)]


def test_limit_failures_then_refusal_then_success_after_cool_off(insured):
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        results = _fail(insured.username, times=settings.LOGIN_FAILURE_LIMIT)
        assert all(r.user is None and r.error == GENERIC_LOGIN_ERROR for r in results)
        over = _fail(insured.username)[0]
        assert over.user is None and "Trop de tentatives" in over.error
        # Even the right code is refused during the cool-off.
        blocked = insured_authenticate(nir=insured.username, code=DEFAULT_PASSWORD, ip="10.0.0.1")
        assert blocked.user is None and "réessayez dans 15 minutes" in blocked.error
        assert LoginEvent.objects.filter(outcome=LoginEvent.Outcome.THROTTLED).exists()
        traveller.shift(dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS - 60))
        assert (
            insured_authenticate(nir=insured.username, code=DEFAULT_PASSWORD, ip="10.0.0.1").user
            is None
        )
        traveller.shift(dt.timedelta(seconds=61))
        ok = insured_authenticate(nir=insured.username, code=DEFAULT_PASSWORD, ip="10.0.0.1")
        assert ok.user == insured


def test_someone_else_cannot_lock_the_insured_out_from_another_address(insured):
    """NIRs are not secret: failures from one IP do not block the same NIR from another IP."""
    _fail(insured.username, ip="203.0.113.9", times=settings.LOGIN_FAILURE_LIMIT + 3)
    ok = insured_authenticate(nir=insured.username, code=DEFAULT_PASSWORD, ip="10.0.0.1")
    assert ok.user == insured


def test_success_resets_the_counter(insured):
    _fail(insured.username, times=settings.LOGIN_FAILURE_LIMIT - 1)
    assert insured_authenticate(nir=insured.username, code=DEFAULT_PASSWORD, ip="10.0.0.1").user
    results = _fail(insured.username, times=settings.LOGIN_FAILURE_LIMIT)
    assert all(r.error == GENERIC_LOGIN_ERROR for r in results)


def test_the_login_page_shows_the_cool_off(client, insured):
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 1):
        response = client.post(
            reverse("web:login"), {"nir": insured.username, "code": "Mauvais-Code-1"}
        )
    assert "Trop de tentatives de connexion ont échoué" in response.content.decode()
    response = client.post(
        reverse("web:login"), {"nir": insured.username, "code": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200  # refused, not signed in
