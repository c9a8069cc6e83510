"""What the identity provider remembers beyond django-oauth-toolkit's tables (rule C10)."""

from django.db import models
from oauth2_provider.settings import oauth2_settings

from guichet.core import clock


class RedeemedCode(models.Model):
    """An authorization code already exchanged, and the tokens issued from it.

    django-oauth-toolkit deletes its grant once the code is used, so a replay would find
    nothing; RFC 6749 § 4.1.2 asks to revoke the tokens issued from a replayed code. Only the
    code's SHA-256 digest is kept (the code itself is a one-time secret). The row is written
    (unique digest) before the tokens, so two concurrent exchanges cannot both win.
    """

    code_digest = models.CharField(max_length=64, unique=True)
    # The toolkit's models are not swapped here (no OAUTH2_PROVIDER_*_MODEL setting).
    application = models.ForeignKey(
        oauth2_settings.APPLICATION_MODEL, on_delete=models.CASCADE, swappable=False
    )
    access_token = models.ForeignKey(
        oauth2_settings.ACCESS_TOKEN_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        swappable=False,
    )
    token_family = models.UUIDField(null=True, blank=True)
    redeemed_at = models.DateTimeField(default=clock.now, db_index=True)
    replayed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "code d'autorisation utilisé"
        verbose_name_plural = "codes d'autorisation utilisés"

    def __str__(self) -> str:
        return f"{self.application_id} ({self.redeemed_at:%d/%m/%Y %H:%M})"
