"""Email confirmation of a new account (rules C7, C8): a state machine with its log."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from guichet.core import clock
from guichet.core.models import TransitionLog
from guichet.enrollment.enums import ConfirmationStatus, Way


def _new_nonce() -> str:
    return secrets.token_urlsafe(24)


class EmailConfirmation(models.Model):
    """One link sent to one address. Only the latest link of an account can be pending."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="email_confirmations",
        verbose_name="compte",
    )
    email = models.EmailField("adresse à valider")
    status = models.CharField(
        "statut",
        max_length=16,
        choices=ConfirmationStatus.choices,
        default=ConfirmationStatus.PENDING,
    )
    way = models.CharField("voie de création", max_length=16, choices=Way.choices)
    nonce = models.CharField(max_length=40, default=_new_nonce, unique=True, editable=False)
    sent_at = models.DateTimeField("envoyé le", default=clock.now, db_index=True)
    confirmed_at = models.DateTimeField("validé le", null=True, blank=True)

    class Meta:
        verbose_name = "validation d'adresse électronique"
        verbose_name_plural = "validations d'adresse électronique"
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ConfirmationStatus.values),
                name="email_confirmation_status_valid",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=[ConfirmationStatus.PENDING, ConfirmationStatus.EXPIRED]),
                name="one_open_email_confirmation_per_user",
            ),
            models.CheckConstraint(
                condition=~Q(status=ConfirmationStatus.CONFIRMED) | Q(confirmed_at__isnull=False),
                name="email_confirmation_confirmed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()})"


class EmailConfirmationTransition(TransitionLog):
    """One change of status: who, when, from, to (the audit trail)."""

    subject_field = "confirmation"

    confirmation = models.ForeignKey(
        EmailConfirmation, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        "de", max_length=20, choices=ConfirmationStatus.choices, blank=True
    )
    to_status = models.CharField("vers", max_length=20, choices=ConfirmationStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "changement de statut"
