"""The identity provider's request validator (rule C10; issue 13, see
docs/decisions/security-identity-provider.md).

- Only ``response_type=code``, only the grants ``authorization_code`` and ``refresh_token``, and
  only relying parties whose ID tokens are signed with the provider's RS256 key (an HS256 one
  would be signed with its own client secret), whatever was registered in the admin.
- A replayed authorization code revokes every token issued from it (RFC 6749 § 4.1.2): the
  toolkit deletes its grant on use, so the used codes are remembered in ``RedeemedCode``.
"""

import datetime as dt
import hashlib
from typing import Any

from django.db import IntegrityError, router, transaction
from oauth2_provider.models import AccessToken, Application, RefreshToken, revoke_access_token
from oauthlib.oauth2.rfc6749 import errors

from guichet.core import clock
from guichet.interfaces.idp.claims import ClaimsValidator
from guichet.interfaces.idp.models import RedeemedCode

GRANT_TYPES = ("authorization_code", "refresh_token")
# How long a used code is remembered. Rotation keeps a refresh token family alive past its
# 1 hour lifetime, and a stolen code is replayed soon after the theft: 7 days covers both.
REDEEMED_CODE_RETENTION = dt.timedelta(days=7)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _revoke_replayed(code: str) -> None:
    """A code presented again: mark it replayed and revoke what was issued from it.

    The row is locked first, so an exchange still saving its tokens finishes before (and its
    tokens are revoked here), or sees the mark and issues nothing."""
    with transaction.atomic(using=router.db_for_write(RedeemedCode)):
        redeemed = (
            RedeemedCode.objects.select_for_update().filter(code_digest=_digest(code)).first()
        )
        if redeemed is None:
            return
        redeemed.replayed_at = clock.now()
        redeemed.save(update_fields=["replayed_at"])
        if redeemed.token_family:
            # The refresh tokens rotated from the first one, and their access tokens.
            RefreshToken.revoke_family(redeemed.token_family)
        access_token = AccessToken.objects.filter(pk=redeemed.access_token_id).first()
        if access_token is not None:
            revoke_access_token(access_token)


class GuichetOAuth2Validator(ClaimsValidator):
    def validate_response_type(
        self,
        client_id: str,
        response_type: str,
        client: Any,
        request: Any,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        return (
            response_type == "code"
            and client.algorithm == Application.RS256_ALGORITHM
            and super().validate_response_type(client_id, response_type, client, request)
        )

    def validate_grant_type(
        self, client_id: str, grant_type: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        return grant_type in GRANT_TYPES and super().validate_grant_type(
            client_id, grant_type, client, request
        )

    def validate_code(
        self, client_id: str, code: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        if super().validate_code(client_id, code, client, request, *args, **kwargs):
            return True
        # Unknown, expired, or already used: in the last case, a replay.
        _revoke_replayed(code)
        return False

    def claim_code(self, request: Any) -> None:
        """The last check of a code exchange (an oauthlib post_token validator, see
        guichet.interfaces.idp.server): the code is claimed, unique digest, in its own transaction, before
        any token exists; if another exchange claimed it first, this one is a replay."""
        try:
            with transaction.atomic(using=router.db_for_write(RedeemedCode)):
                RedeemedCode.objects.create(
                    code_digest=_digest(request.code), application=request.client
                )
        except IntegrityError:
            _revoke_replayed(request.code)
            raise errors.InvalidGrantError(request=request) from None

    def save_bearer_token(self, token: dict, request: Any, *args: Any, **kwargs: Any) -> None:
        if request.grant_type != "authorization_code":
            super().save_bearer_token(token, request, *args, **kwargs)
            return
        digest = _digest(request.code)
        with transaction.atomic(using=router.db_for_write(AccessToken)):
            redeemed = RedeemedCode.objects.select_for_update().get(code_digest=digest)
            if redeemed.replayed_at is not None:
                raise errors.InvalidGrantError(request=request)
            self._save_bearer_token(token, request, *args, **kwargs)
            access_token = AccessToken.objects.get(token_checksum=_digest(token["access_token"]))
            redeemed.access_token = access_token
            redeemed.token_family = (
                RefreshToken.objects.filter(access_token=access_token)
                .values_list("token_family", flat=True)
                .first()
            )
            redeemed.save(update_fields=["access_token", "token_family"])
        RedeemedCode.objects.filter(redeemed_at__lt=clock.now() - REDEEMED_CODE_RETENTION).delete()
