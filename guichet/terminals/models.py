"""A kiosk of the fund, known by the digest of its device secret (docs/decisions/security-kiosk-devices.md).

The IT team enrols a kiosk: a one-time enrolment code is shown once; used on the kiosk, it
installs a random device secret in the kiosk's browser. Only SHA-256 digests of the code and
of the secret are stored (both are random strings of 80 bits or more, so a fast digest is
enough): a copy of the database does not make a kiosk.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from guichet.core import clock
from guichet.core.models import TransitionLog
from guichet.terminals.enums import KioskStatus


class KioskDevice(models.Model):
    name = models.CharField(
        "nom", max_length=120, help_text="Où est la borne, par exemple « Accueil Paris 11 »."
    )
    status = models.CharField(
        "statut", max_length=10, choices=KioskStatus.choices, default=KioskStatus.PENDING
    )
    enrolment_code_digest = models.CharField(
        "empreinte du code d'enregistrement", max_length=64, blank=True, editable=False
    )
    enrolment_expires_at = models.DateTimeField(
        "code d'enregistrement valable jusqu'au", null=True, blank=True, editable=False
    )
    secret_digest = models.CharField(
        "empreinte du secret de la borne", max_length=64, blank=True, editable=False
    )
    created_at = models.DateTimeField("enregistrée le", default=clock.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistrée par",
        editable=False,
    )
    installed_at = models.DateTimeField("installée le", null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(
        "dernière utilisation", null=True, blank=True, editable=False
    )
    revoked_at = models.DateTimeField("révoquée le", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "borne"
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=KioskStatus.values), name="kiosk_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status=KioskStatus.PENDING) & Q(secret_digest=""))
                | (
                    Q(status=KioskStatus.ACTIVE)
                    & ~Q(secret_digest="")
                    & Q(enrolment_code_digest="")
                    & Q(installed_at__isnull=False)
                )
                | (
                    Q(status=KioskStatus.REVOKED)
                    & Q(enrolment_code_digest="")
                    & Q(revoked_at__isnull=False)
                ),
                name="kiosk_credentials_follow_status",
            ),
            models.UniqueConstraint(
                fields=["secret_digest"],
                condition=~Q(secret_digest=""),
                name="kiosk_secret_digest_unique",
            ),
            models.UniqueConstraint(
                fields=["enrolment_code_digest"],
                condition=~Q(enrolment_code_digest=""),
                name="kiosk_enrolment_code_digest_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display().lower()})"


class KioskTransition(TransitionLog):
    """One change of status of a kiosk: the audit trail (who, when, from, to).

    ``by`` is empty for a command of the IT team or the installation on the kiosk itself.
    """

    subject_field = "device"

    device = models.ForeignKey(KioskDevice, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("de", max_length=20, choices=KioskStatus.choices, blank=True)
    to_status = models.CharField("vers", max_length=20, choices=KioskStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "changement de statut de borne"
        verbose_name_plural = "changements de statut de borne"

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"
