"""« Code oublié ? »: a single-use emailed link to choose a new code personnel."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from guichet.accounts import services as account_services
from guichet.accounts.enums import CodeChangeWay, UserKind
from guichet.accounts.models import User
from guichet.core import throttle
from guichet.reference.validators import normalize_nir

RESET_REQUEST_LIMIT = 3
RESET_REQUEST_WINDOW = dt.timedelta(hours=1)


@transaction.atomic
def code_reset_request(*, nir: str, birth_date: dt.date, ip: str) -> None:
    """Email a reset link when the NIR and birth date match an account with a confirmed email.

    The caller always shows the same answer: the page says nothing of whether an account exists.
    """
    from guichet.notifications.services import email_queue

    nir = normalize_nir(nir)
    state = throttle.hit(
        throttle.make_key("code-reset", nir),
        limit=RESET_REQUEST_LIMIT,
        window=RESET_REQUEST_WINDOW,
        cool_off=RESET_REQUEST_WINDOW,
    )
    if not state.allowed:
        return
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
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = settings.SITE_URL + reverse("web:password_reset_confirm", args=[uid, token])
    email_queue(
        to=user.email,
        subject="Réinitialisation de votre code personnel",
        template="emails/code_reset",
        context={"link": link, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
        category="code_reset",
    )


def code_reset_user(*, uidb64: str, token: str) -> User | None:
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, kind=UserKind.INSURED).select_related("person").first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def code_reset_complete(*, user: User, code: str) -> None:
    """The new code personnel chosen from the emailed link: every access ends (code_set)."""
    account_services.code_set(user=user, code=code, way=CodeChangeWay.RESET)
