"""Signing in and out of an online account (rule G1)."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from guichet.accounts.enums import UserKind
from guichet.accounts.models import LoginEvent, User
from guichet.core import clock, throttle
from guichet.reference.validators import normalize_nir

GENERIC_LOGIN_ERROR = "Numéro de sécurité sociale ou code personnel incorrect."
AGENT_LOGIN_ERROR = "Identifiant ou mot de passe incorrect."


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    error: str = ""
    retry_after: dt.timedelta | None = None


def _throttle_key(kind: str, login: str, ip: str) -> str:
    return throttle.make_key(f"login-{kind}", login, ip)


def _minutes(delta: dt.timedelta) -> int:
    return max(1, -(-int(delta.total_seconds()) // 60))


def throttled_message(retry_after: dt.timedelta) -> str:
    minutes = _minutes(retry_after)
    unit = "minute" if minutes == 1 else "minutes"
    return (
        "Trop de tentatives de connexion ont échoué. Pour votre sécurité, réessayez dans "
        f"{minutes} {unit}."
    )


def _authenticate(*, kind: str, login: str, password: str, ip: str, error: str) -> LoginResult:
    """Check a login and a secret, throttled per (login, IP) with a cool-off (never for good)."""
    key = _throttle_key(kind, login, ip)
    state = throttle.check(key)
    if not state.allowed:
        LoginEvent.objects.create(outcome=LoginEvent.Outcome.THROTTLED, ip_address=ip or None)
        assert state.retry_after is not None
        return LoginResult(None, throttled_message(state.retry_after), state.retry_after)

    user = User.objects.filter(username=login, kind=kind).select_related("person").first()
    if user is None:
        # Hash anyway so that an unknown NIR answers as slowly as a known one.
        User().set_password(password)
    elif user.check_password(password) and user.is_active:
        throttle.reset(key)
        return LoginResult(user)

    failed = throttle.hit(
        key,
        limit=settings.LOGIN_FAILURE_LIMIT,
        window=dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS),
        cool_off=dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS),
    )
    LoginEvent.objects.create(user=user, outcome=LoginEvent.Outcome.FAILURE, ip_address=ip or None)
    if not failed.allowed:
        assert failed.retry_after is not None
        return LoginResult(None, throttled_message(failed.retry_after), failed.retry_after)
    return LoginResult(None, error)


def insured_authenticate(*, nir: str, code: str, ip: str) -> LoginResult:
    return _authenticate(
        kind=UserKind.INSURED,
        login=normalize_nir(nir),
        password=code,
        ip=ip,
        error=GENERIC_LOGIN_ERROR,
    )


def agent_authenticate(*, username: str, password: str, ip: str) -> LoginResult:
    return _authenticate(
        kind=UserKind.AGENT,
        login=username.strip().lower(),
        password=password,
        ip=ip,
        error=AGENT_LOGIN_ERROR,
    )


@transaction.atomic
def user_record_login(*, user: User, ip: str) -> None:
    """Keep the previous login time for « Dernière connexion le … à … » (rule G2)."""
    now = clock.now()
    User.objects.filter(pk=user.pk).update(previous_login_at=user.last_login, last_login=now)
    user.previous_login_at, user.last_login = user.last_login, now
    LoginEvent.objects.create(user=user, outcome=LoginEvent.Outcome.SUCCESS, ip_address=ip or None)
