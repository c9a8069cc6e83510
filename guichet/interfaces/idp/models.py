"""What the identity provider remembers beyond django-oauth-toolkit's tables (rule C10)."""

import secrets

from django.db import models
from oauth2_provider.settings import oauth2_settings

from guichet.core import clock

# 32 random bytes, 43 URL-safe characters: a `sub` is at most 255 ASCII characters (OpenID
# Connect Core § 2) and must be unguessable.
SUBJECT_BYTES = 32


def new_subject() -> str:
    return secrets.token_urlsafe(SUBJECT_BYTES)


class PairwiseSubject(models.Model):
    """The `sub` one relying party knows a person by (OpenID Connect Core § 8.1, rule C10).

    One random identifier per (person, client), drawn the first time the person signs in to
    that client and kept: stable across sign-ins, refreshes, a new code personnel or a reopened
    account, and across a rotation of SECRET_KEY; different for each client, so two partners
    cannot match their users by `sub`; never derived from a primary key or the NIR
    (docs/decisions/oidc-pairwise-sub.md).
    """

    person = models.ForeignKey(
        "reference.Person", on_delete=models.CASCADE, related_name="pairwise_subjects"
    )
    application = models.ForeignKey(
        oauth2_settings.APPLICATION_MODEL, on_delete=models.CASCADE, swappable=False
    )
    sub = models.CharField(max_length=64, unique=True, default=new_subject, editable=False)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "identifiant de l'assuré chez un partenaire"
        verbose_name_plural = "identifiants des assurés chez les partenaires"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "application"], name="idp_one_subject_per_person_and_client"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} ({self.created_at:%d/%m/%Y})"


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
