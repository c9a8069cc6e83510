"""« Code oublié ? »: a single-use emailed link to choose a new code personnel."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from guichet.accounts import services as account_services
from guichet.accounts.enums import CodeChangeWay, UserKind
from guichet.accounts.models import User
from guichet.core import throttle
from guichet.notifications.links import web_url
from guichet.reference.validators import normalize_nir

# docs/decisions/security-credentials-and-sessions.md
# At most 3 links per account and per hour, whoever asks and from wherever: only a request
# with the right NIR and birth date uses one, so nobody else's wrong birth dates stop it.
RESET_LINKS_PER_ACCOUNT = 3
# Wrong NIR + birth date pairs answered as usual, per (NIR, IP) and per IP across NIRs, before
# the next request from there is refused for the cool-off.
RESET_WRONG_PER_NIR_AND_IP = 5
RESET_WRONG_PER_IP = 20
RESET_WINDOW = dt.timedelta(hours=1)

LINKS_SENT = throttle.Limit("code-reset-sent", RESET_LINKS_PER_ACCOUNT, RESET_WINDOW, RESET_WINDOW)
# A wrong request is always answered as usual, and the one that reaches the limit blocks the
# next ones (hit() blocks past `limit`, hence the - 1): whether a request is refused never
# depends on whether its birth date matched, so the answers do not tell the birth date.
WRONG_PER_NIR_AND_IP = throttle.Limit(
    "code-reset-wrong", RESET_WRONG_PER_NIR_AND_IP - 1, RESET_WINDOW, RESET_WINDOW
)
WRONG_PER_IP = throttle.Limit(
    "code-reset-wrong-ip", RESET_WRONG_PER_IP - 1, RESET_WINDOW, RESET_WINDOW
)


def wrong_limit_message(retry_after: dt.timedelta) -> str:
    return (
        "Trop de demandes de nouveau code ont été faites avec un numéro de sécurité sociale et "
        "une date de naissance qui ne correspondent pas. Pour protéger vos données, réessayez "
        f"dans {throttle.wait_in_minutes(retry_after)}, ou contactez votre caisse."
    )


def links_limit_message(retry_after: dt.timedelta) -> str:
    return (
        f"Un lien pour choisir un nouveau code personnel vous a déjà été envoyé "
        f"{RESET_LINKS_PER_ACCOUNT} fois depuis moins d'une heure : consultez votre messagerie "
        "(pensez aux courriers indésirables), le dernier lien reçu est valable 24 heures. Vous "
        f"pourrez demander un nouveau lien dans {throttle.wait_in_minutes(retry_after)}."
    )


@dataclass(frozen=True)
class ResetRequest:
    """The answer to « Code oublié ? »: the usual page (message empty: a link was sent if the
    NIR and the birth date match), or a refusal with its French message."""

    message: str = ""
    retry_after: dt.timedelta | None = None


@transaction.atomic
def code_reset_request(*, nir: str, birth_date: dt.date, ip: str) -> ResetRequest:
    """Email a reset link when the NIR and birth date match an account with a confirmed email.

    The usual answer says nothing of whether an account exists. A refusal is never silent:
    too many wrong requests from this address (checked before the lookup, so it does not
    depend on the birth date), or too many links already sent to this account.
    """
    from guichet.notifications.services import email_queue

    nir = normalize_nir(nir)
    blocked = throttle.refusal(
        WRONG_PER_NIR_AND_IP.check(nir, ip), WRONG_PER_IP.check(ip) if ip else throttle.ALLOWED
    )
    if not blocked.allowed:
        assert blocked.retry_after is not None
        return ResetRequest(wrong_limit_message(blocked.retry_after), blocked.retry_after)
    user = (
        User.objects.filter(
            username=nir,
            kind=UserKind.INSURED,
            person__birth_date=birth_date,
            email_confirmed_at__isnull=False,
            is_active=True,
        )
        .exclude(email="")
        .first()
    )
    if user is None:
        WRONG_PER_NIR_AND_IP.hit(nir, ip)
        if ip:
            WRONG_PER_IP.hit(ip)
        return ResetRequest()
    sent = LINKS_SENT.hit(str(user.pk))
    if not sent.allowed:
        assert sent.retry_after is not None
        return ResetRequest(links_limit_message(sent.retry_after), sent.retry_after)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = web_url("web:password_reset_confirm", [uid, token])
    email_queue(
        to=user.email,
        subject="Réinitialisation de votre code personnel",
        template="emails/code_reset",
        context={"link": link, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
        category="code_reset",
    )
    return ResetRequest()


def code_reset_user(*, uidb64: str, token: str) -> User | None:
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, kind=UserKind.INSURED).select_related("person").first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def code_reset_complete(*, user: User, code: str, ip: str) -> None:
    """The new code personnel chosen from the emailed link: every access ends (code_set), and
    the person, who has just proved they read the account's mailbox, is no longer held by the
    login limits of the account across addresses nor of this address."""
    account_services.code_set(user=user, code=code, way=CodeChangeWay.RESET)
    limits = account_services.login_limits(UserKind.INSURED)
    limits.forget_account(account=user.username)
    limits.succeeded(account=user.username, address=ip)
