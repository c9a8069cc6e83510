"""Issuing, rotating and revoking the API's tokens.

Access tokens live ``ACCESS_TOKEN_LIFETIME``; refresh tokens ``REFRESH_TOKEN_LIFETIME`` and
are single-use: exchanging one marks it used and issues a new pair in the same family.
Presenting a used refresh token again means it was copied: the whole family is revoked.
"""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction

from guichet.accounts.models import User
from guichet.apitokens.enums import RevocationReason, TokenKind
from guichet.apitokens.models import IssuedToken, TokenFamily
from guichet.core import clock
from guichet.core.refusals import Refusal, Refused

ACCESS_TOKEN_LIFETIME = dt.timedelta(minutes=15)
REFRESH_TOKEN_LIFETIME = dt.timedelta(days=30)
ACCESS_PREFIX = "gat_"
REFRESH_PREFIX = "grt_"

INVALID_REFRESH_MESSAGE = "Votre session a expiré. Reconnectez-vous."


class RefreshRefused(Refused):
    """The refresh token is unknown, expired, already used or revoked: the core `Refused`,
    code `refresh_refused`, one message for all four (docs/decisions/rules-in-services.md)."""

    def __init__(self) -> None:
        super().__init__(Refusal("refresh_refused", INVALID_REFRESH_MESSAGE))


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    access_expires_at: dt.datetime
    refresh_token: str
    refresh_expires_at: dt.datetime


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(
    *, family: TokenFamily, kind: TokenKind, lifetime: dt.timedelta
) -> tuple[str, dt.datetime]:
    prefix = ACCESS_PREFIX if kind == TokenKind.ACCESS else REFRESH_PREFIX
    token = prefix + secrets.token_urlsafe(32)
    expires_at = clock.now() + lifetime
    IssuedToken.objects.create(
        family=family, kind=kind, digest=token_digest(token), expires_at=expires_at
    )
    return token, expires_at


def _pair(family: TokenFamily) -> TokenPair:
    access, access_expires = _new_token(
        family=family, kind=TokenKind.ACCESS, lifetime=ACCESS_TOKEN_LIFETIME
    )
    refresh, refresh_expires = _new_token(
        family=family, kind=TokenKind.REFRESH, lifetime=REFRESH_TOKEN_LIFETIME
    )
    return TokenPair(access, access_expires, refresh, refresh_expires)


@transaction.atomic
def token_pair_issue(*, user: User, ip: str) -> TokenPair:
    """A new family and its first pair, for an insured person who has just signed in."""
    if not user.is_insured or not user.is_active:
        raise ValueError("Seuls les comptes d'assurés actifs reçoivent des jetons.")
    family = TokenFamily.objects.create(user=user, ip_address=ip or None)
    return _pair(family)


def _family_revoke(family_id: int, reason: RevocationReason) -> None:
    TokenFamily.objects.filter(pk=family_id, revoked_at__isnull=True).update(
        revoked_at=clock.now(), revoked_reason=reason
    )


def token_pair_refresh(*, refresh_token: str) -> TokenPair:
    """Exchange a refresh token for a new pair; a reused token revokes its whole family.

    The revocation is committed before the refusal is raised (it must not roll back).
    """
    with transaction.atomic():
        row = (
            IssuedToken.objects.select_for_update()
            .select_related("family__user")
            .filter(digest=token_digest(refresh_token), kind=TokenKind.REFRESH)
            .first()
        )
        if row is None or row.family.revoked_at is not None:
            raise RefreshRefused
        now = clock.now()
        reused = row.used_at is not None
        if reused:
            _family_revoke(row.family_id, RevocationReason.REUSE)
        elif row.expires_at > now and row.family.user.is_active:
            claimed = IssuedToken.objects.filter(pk=row.pk, used_at__isnull=True).update(
                used_at=now
            )
            if claimed:
                return _pair(row.family)
    raise RefreshRefused


@transaction.atomic
def token_family_revoke(*, token: str) -> bool:
    """Sign the app out: revoke the family of an access or refresh token (unknown: no-op)."""
    family_id = (
        IssuedToken.objects.filter(digest=token_digest(token))
        .values_list("family_id", flat=True)
        .first()
    )
    if family_id is None:
        return False
    _family_revoke(family_id, RevocationReason.LOGOUT)
    return True


def token_families_revoke_for(*, user: User, reason: RevocationReason) -> int:
    """Sign every app session of an account out (account closed, new code personnel);
    returns how many."""
    return TokenFamily.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=clock.now(), revoked_reason=reason
    )
