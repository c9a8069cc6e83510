"""Reads for account creation."""

from guichet.accounts.enums import UserKind
from guichet.accounts.models import User
from guichet.enrollment.models import EmailConfirmation
from guichet.reference.validators import normalize_nir


def latest_confirmation(*, user: User) -> EmailConfirmation | None:
    return EmailConfirmation.objects.filter(user=user).order_by("-sent_at", "-pk").first()


def account_awaiting_activation(*, nir: str, code: str) -> User | None:
    """An account created online, not activated yet, whose NIR and code personnel are right.

    The login page sends it to the activation page instead of refusing it (C8).
    """
    user = (
        User.objects.filter(
            username=normalize_nir(nir),
            kind=UserKind.INSURED,
            is_active=False,
            email_confirmed_at__isnull=True,
        )
        .select_related("person")
        .first()
    )
    if user is None or not user.check_password(code):
        return None
    if not EmailConfirmation.objects.filter(user=user).exists():
        return None
    return user
