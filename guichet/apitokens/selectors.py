from django.db.models import Q

from guichet.accounts.enums import UserKind
from guichet.accounts.models import User
from guichet.apitokens.enums import TokenKind
from guichet.apitokens.models import IssuedToken
from guichet.apitokens.services import token_digest
from guichet.core import clock


def user_for_access_token(*, token: str) -> User | None:
    """The active insured account behind a live access token, or None (one query)."""
    row = (
        IssuedToken.objects.filter(
            Q(digest=token_digest(token))
            & Q(kind=TokenKind.ACCESS)
            & Q(expires_at__gt=clock.now())
            & Q(family__revoked_at__isnull=True)
            & Q(family__user__is_active=True)
            & Q(family__user__kind=UserKind.INSURED)
        )
        .select_related("family__user__person")
        .first()
    )
    return row.family.user if row else None
