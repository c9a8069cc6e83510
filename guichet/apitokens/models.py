"""Tokens of the mobile app's API: a family per sign-in, its access and refresh tokens.

Only a SHA-256 digest of each token is stored: a copy of the database does not let anyone
sign in. The tokens themselves are 256-bit random strings, so a fast digest is enough.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from guichet.apitokens.enums import RevocationReason, TokenKind
from guichet.core import clock


class TokenFamily(models.Model):
    """One sign-in of the app: every token rotated from it belongs to the same family."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_token_families",
        verbose_name="compte",
    )
    created_at = models.DateTimeField("créée le", default=clock.now)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    revoked_at = models.DateTimeField("révoquée le", null=True, blank=True)
    revoked_reason = models.CharField(
        "motif de révocation", max_length=10, choices=RevocationReason.choices, blank=True
    )

    class Meta:
        verbose_name = "session de l'application"
        verbose_name_plural = "sessions de l'application"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(revoked_at__isnull=True) & Q(revoked_reason=""))
                | (Q(revoked_at__isnull=False) & Q(revoked_reason__in=RevocationReason.values)),
                name="token_family_revocation_consistent",
            )
        ]

    def __str__(self) -> str:
        return f"Session {self.pk} de {self.user}"


class IssuedToken(models.Model):
    """An access or refresh token, known only by its digest."""

    family = models.ForeignKey(
        TokenFamily, on_delete=models.CASCADE, related_name="tokens", verbose_name="session"
    )
    kind = models.CharField("type", max_length=8, choices=TokenKind.choices)
    digest = models.CharField("empreinte SHA-256", max_length=64, unique=True)
    created_at = models.DateTimeField("émis le", default=clock.now)
    expires_at = models.DateTimeField("expire le")
    used_at = models.DateTimeField(
        "utilisé le", null=True, blank=True, help_text="Renouvellement : le jeton a été échangé."
    )

    class Meta:
        verbose_name = "jeton"
        indexes = [models.Index(fields=["family", "kind"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=TokenKind.values), name="token_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=TokenKind.REFRESH) | Q(used_at__isnull=True),
                name="only_refresh_tokens_are_used",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.digest[:8]}…"
