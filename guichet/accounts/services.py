"""Signing in and out of an online account (rule G1)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.db import transaction
from oauth2_provider.models import (
    get_access_token_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

from guichet.accounts import second_factor
from guichet.accounts import selectors as account_selectors
from guichet.accounts.enums import CodeChangeWay, UserKind
from guichet.accounts.models import LoginEvent, User
from guichet.apitokens import services as apitokens_services
from guichet.apitokens.enums import RevocationReason
from guichet.core import clock, throttle
from guichet.core.refusals import Refusal, Refused, refuse
from guichet.notifications import services as notification_services
from guichet.notifications.links import web_url
from guichet.powers import services as powers_services
from guichet.reference.validators import normalize_nir

GENERIC_LOGIN_ERROR = "Numéro de sécurité sociale ou code personnel incorrect."
AGENT_LOGIN_ERROR = "Identifiant ou mot de passe incorrect."


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    error: str = ""
    retry_after: dt.timedelta | None = None


def login_limits(kind: str) -> throttle.CredentialLimits:
    """Failed logins of one kind of account (rule G1), per (login, IP), per login across IPs
    and per IP across logins, each for a window then a cool-off of the same length."""
    window = dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    return throttle.CredentialLimits(
        pair=throttle.Limit(f"login-{kind}", settings.LOGIN_FAILURE_LIMIT, window, window),
        account=throttle.Limit(
            f"login-{kind}-account", settings.LOGIN_ACCOUNT_FAILURE_LIMIT, window, window
        ),
        address=throttle.Limit(f"login-{kind}-ip", settings.LOGIN_IP_FAILURE_LIMIT, window, window),
    )


def throttled_message(state: throttle.ThrottleState, *, kind: str = UserKind.INSURED) -> str:
    """The French message of a refused login, naming what was attacked and how long to wait."""
    assert state.retry_after is not None
    wait = throttle.wait_in_minutes(state.retry_after)
    if state.dimension == throttle.ACCOUNT:
        if kind == UserKind.INSURED:
            return (
                "Trop de tentatives de connexion ont échoué pour ce numéro de sécurité sociale. "
                f"Pour votre sécurité, réessayez dans {wait}, ou choisissez un nouveau code "
                "personnel avec « Code oublié ? »."
            )
        return (
            "Trop de tentatives de connexion ont échoué pour cet identifiant. Pour votre "
            f"sécurité, réessayez dans {wait}."
        )
    if state.dimension == throttle.ADDRESS:
        return (
            "Trop de tentatives de connexion ont échoué depuis votre adresse réseau. Pour votre "
            f"sécurité, réessayez dans {wait}."
        )
    return (
        f"Trop de tentatives de connexion ont échoué. Pour votre sécurité, réessayez dans {wait}."
    )


def _check_secret(
    *, kind: str, login: str, ip: str, user: User | None, check: Callable[[], bool]
) -> throttle.ThrottleState | bool:
    """Run ``check`` (the secret is right) under the login limits of ``kind``: the refusal
    (a ThrottleState) when a limit applies, else whether the secret was right. A wrong secret
    is kept in the security history."""
    limits = login_limits(kind)

    def trusted() -> bool:
        return account_selectors.address_known(user=user, ip=ip)

    refused = limits.refused(account=login, address=ip, trusted=trusted)
    if not refused.allowed:
        LoginEvent.objects.create(
            user=user, outcome=LoginEvent.Outcome.THROTTLED, ip_address=ip or None
        )
        return refused
    if check():
        limits.succeeded(account=login, address=ip)
        return True
    LoginEvent.objects.create(user=user, outcome=LoginEvent.Outcome.FAILURE, ip_address=ip or None)
    failed = limits.failed(account=login, address=ip, trusted=trusted)
    return failed if not failed.allowed else False


def _authenticate(*, kind: str, login: str, password: str, ip: str, error: str) -> LoginResult:
    """Check a login and a secret under the login limits (never a permanent lock)."""
    user = User.objects.filter(username=login, kind=kind).select_related("person").first()

    def right() -> bool:
        if user is None:
            # Hash anyway so that an unknown NIR answers as slowly as a known one.
            User().set_password(password)
            return False
        return user.check_password(password) and user.is_active

    outcome = _check_secret(kind=kind, login=login, ip=ip, user=user, check=right)
    if isinstance(outcome, throttle.ThrottleState):
        assert outcome.retry_after is not None
        return LoginResult(None, throttled_message(outcome, kind=kind), outcome.retry_after)
    return LoginResult(user) if outcome else LoginResult(None, error)


def insured_authenticate(*, nir: str, code: str, ip: str) -> LoginResult:
    return _authenticate(
        kind=UserKind.INSURED,
        login=normalize_nir(nir),
        password=code,
        ip=ip,
        error=GENERIC_LOGIN_ERROR,
    )


def agent_authenticate(*, username: str, password: str, ip: str) -> LoginResult:
    """The agents' password step (also /admin/'s). Besides the (identifier, IP) limit, wrong
    passwords are counted per identifier across IPs and per IP across identifiers, with a
    cool-off (accounts.second_factor). A right password is not a login: the second factor
    follows (docs/decisions/security-agents-second-factor.md)."""
    login = username.strip().lower()
    wait = second_factor.password_blocked(login=login, ip=ip)
    if wait is not None:
        LoginEvent.objects.create(outcome=LoginEvent.Outcome.THROTTLED, ip_address=ip or None)
        return LoginResult(None, _agent_throttled_message(wait), wait)
    result = _authenticate(
        kind=UserKind.AGENT, login=login, password=password, ip=ip, error=AGENT_LOGIN_ERROR
    )
    if result.user is None and result.error == AGENT_LOGIN_ERROR:
        wait = second_factor.password_failed(login=login, ip=ip)
        if wait is not None:
            return LoginResult(None, _agent_throttled_message(wait), wait)
    return result


def _agent_throttled_message(wait: dt.timedelta) -> str:
    """The agents' own limits (accounts.second_factor) name no dimension: one message."""
    state = throttle.ThrottleState(allowed=False, retry_after=wait)
    return throttled_message(state, kind=UserKind.AGENT)


@transaction.atomic
def user_record_login(*, user: User, ip: str) -> None:
    """Keep the previous login time for « Dernière connexion le … à … » (rule G2)."""
    now = clock.now()
    User.objects.filter(pk=user.pk).update(previous_login_at=user.last_login, last_login=now)
    user.previous_login_at, user.last_login = user.last_login, now
    LoginEvent.objects.create(user=user, outcome=LoginEvent.Outcome.SUCCESS, ip_address=ip or None)


CLOSE_CODE_ERROR = "Le code personnel saisi est incorrect."
CLOSE_CONFIRM_REQUIRED = "Cochez « Je confirme vouloir résilier mon compte ameli » pour résilier."
# The refusals of a code check and of « Résilier mon compte ameli » (G1, G4), by stable code.
WRONG_CODE = "wrong_code"
THROTTLED = "throttled"
CLOSE_WRONG_CODE = Refusal(WRONG_CODE, CLOSE_CODE_ERROR, field="code")
CLOSE_NOT_ALLOWED = Refusal("not_allowed", "Ce compte ne peut pas être résilié.")
ALREADY_CLOSED = Refusal("already_closed", "Ce compte est déjà résilié.")
# « Mon code personnel »: the current code, on the field where it is typed.
CURRENT_CODE_WRONG = Refusal(
    WRONG_CODE, "Le code personnel actuel est incorrect.", field="old_password"
)


def code_verify(*, user: User, code: str, ip: str, wrong: Refusal) -> Refusal | None:
    """Check the code personnel of a signed-in insured person before a sensitive change (code
    change, closure): None when it is right, else `wrong`. A wrong code counts as a failed
    login under the same limits, so that a session left open cannot be used to guess the code;
    a blocked key refuses even the right code until the cool-off ends (a `THROTTLED` refusal,
    on the same field as `wrong`, with its `retry_after`)."""
    outcome = _check_secret(
        kind=UserKind.INSURED,
        login=user.username,
        ip=ip,
        user=user,
        check=lambda: user.check_password(code),
    )
    if isinstance(outcome, throttle.ThrottleState):
        assert outcome.retry_after is not None
        return Refusal(
            THROTTLED,
            throttled_message(outcome),
            field=wrong.field,
            retry_after=outcome.retry_after,
        )
    return None if outcome else wrong


CODE_CHANGED_SUBJECT = "Votre code personnel a été modifié"


def credentials_revoke(*, user: User, reason: RevocationReason) -> None:
    """End the account's app sessions (API access and refresh tokens) and every token the
    identity provider issued for it at /oidc/ (access, refresh, ID tokens and pending codes)."""
    apitokens_services.token_families_revoke_for(user=user, reason=reason)
    for model in (
        get_access_token_model(),
        get_refresh_token_model(),
        get_grant_model(),
        get_id_token_model(),
    ):
        model.objects.filter(user=user).delete()


@transaction.atomic
def code_set(*, user: User, code: str, way: CodeChangeWay) -> None:
    """A new code personnel (rule C5), from « Code oublié ? » or « Mon code personnel ».

    Every access opened with the old code ends: the app's tokens and the identity provider's
    tokens here; the web sessions because Django stores in each session a hash of the password
    hash (`get_session_auth_hash`) and refuses, in any process, a session whose hash no longer
    matches (the web page that made the change keeps its own with `update_session_auth_hash`).
    An email tells the person, with what to do if it was not them.
    docs/decisions/security-credentials-and-sessions.md
    """
    password_validation.validate_password(code, user)
    user.set_password(code)
    user.save(update_fields=["password"])
    credentials_revoke(user=user, reason=RevocationReason.CODE_CHANGED)
    notification_services.account_email_queue(
        recipient=user,
        subject=CODE_CHANGED_SUBJECT,
        template="emails/code_changed",
        context={
            "changed_on": clock.now().astimezone(clock.PARIS),
            "way": way.label,
            "this_session_stays": way == CodeChangeWay.CHANGE,
            "reset_url": web_url("web:password_reset"),
        },
        category="code_changed",
    )


def code_change(*, user: User, current_code: str, new_code: str | None, ip: str) -> None:
    """« Mon code personnel » (G4, C5): the current code, then the new one.

    The current code is checked first, like a login (G1, `code_verify`): a wrong one counts as
    a failed login even when the new code was refused by the form (`new_code` None), so that
    the page cannot be used to guess it; it raises Refused (`CURRENT_CODE_WRONG` or a throttled
    refusal, on the field « old_password »). Then the new code replaces it (`code_set`, which
    applies C5 again); the caller keeps its own session (`update_session_auth_hash`).
    """
    refuse(code_verify(user=user, code=current_code, ip=ip, wrong=CURRENT_CODE_WRONG))
    if new_code is not None:
        code_set(user=user, code=new_code, way=CodeChangeWay.CHANGE)


CLOSED_SUBJECT = "Votre compte ameli est résilié"


@dataclass(frozen=True)
class ClosedAccount:
    closed_at: dt.datetime
    power_revoked: bool
    email_sent_to: str


def account_close(*, user: User, code: str, ip: str) -> ClosedAccount:
    """« Résilier mon compte ameli » (rule G4), confirmed with the code personnel.

    A wrong code counts as a failed login of the same (NIR, IP), so that this form cannot be
    used to guess the code (docs/decisions/accounts-closure.md). The closure itself is one
    transaction: see _close.
    """
    if not user.is_insured or user.is_closed:
        raise Refused(CLOSE_NOT_ALLOWED)
    refusal = code_verify(user=user, code=code, ip=ip, wrong=CLOSE_WRONG_CODE)
    if refusal is not None and refusal.code == THROTTLED:
        raise Refused(refusal.on(None))  # said above the form's fields, not on the code's
    refuse(refusal)
    return _close(user_id=user.pk)


def account_close_for_demo(*, user_id: int) -> ClosedAccount:
    """Close an account opened during a demo by a persona documented without one, so that
    `seed_demo` gives the account creation back (docs/personas.md). The same closure as
    « Résilier mon compte ameli », without the code (nobody types it) and without the
    confirmation email (nobody asked for it)."""
    return _close(user_id=user_id, send_email=False)


@transaction.atomic
def _close(*, user_id: int, send_email: bool = True) -> ClosedAccount:
    """Close the account: the row stays for the logs that name it, without login, person or
    contact data, so the NIR is free for a new account. Its active power of attorney is
    revoked, its app and OIDC tokens too, its notifications and messages deleted, and an
    email confirms the closure to a confirmed address (unless `send_email` is false)."""
    user = User.objects.select_for_update(of=("self",)).select_related("person").get(pk=user_id)
    person = user.person
    if user.is_closed or person is None:
        raise Refused(ALREADY_CLOSED)
    now = clock.now()
    power = powers_services.power_revoke_on_account_closure(grantor=person, by=user)
    credentials_revoke(user=user, reason=RevocationReason.CLOSED)
    notification_services.inbox_delete(recipient=user)
    email = (
        notification_services.account_email_queue(
            recipient=user,
            subject=CLOSED_SUBJECT,
            template="emails/account_closed",
            context={
                "closed_on": now.astimezone(clock.PARIS),
                "enrollment_url": web_url("web:enrollment_start"),
            },
            category="account_closed",
        )
        if send_email
        else None
    )
    User.objects.filter(pk=user.pk).update(
        closed_at=now,
        closed_person=person,
        person=None,
        is_active=False,
        username=f"resilie-{user.pk}",
        password=make_password(None),
        email="",
        email_confirmed_at=None,
        information_consent=False,
        information_consent_at=None,
        first_name="",
        last_name="",
    )
    return ClosedAccount(
        closed_at=now, power_revoked=power is not None, email_sent_to=email.to if email else ""
    )
