"""« Déclarer un changement de situation »: the bank-details changes waiting for the back office.

The postal address has no model of its own: it is the Person's, changed at once (SIT2). A new
IBAN is a request until an agent checks it against the RIB (SIT9): the Person keeps the old
IBAN, where the payments go, until then.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from guichet.core import clock
from guichet.core.models import TransitionLog
from guichet.reference.models import Person
from guichet.situation.enums import BankDetailsChangeStatus


def _upload_path(instance: "BankDetailsChange", filename: str) -> str:
    """Random names: nothing of the person's identity in a path (MEDIA_ROOT, no public URL)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"situation/rib/{uuid.uuid4().hex}.{extension}"


class BankDetailsChange(models.Model):
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="bank_details_changes",
        verbose_name="assuré",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bank_details_changes",
        verbose_name="demandée par",
    )
    iban = models.CharField("nouvel IBAN", max_length=34)
    holder_name = models.CharField("titulaire du compte", max_length=100)
    previous_iban = models.CharField("IBAN précédent", max_length=34, blank=True)
    rib = models.FileField("RIB", upload_to=_upload_path, blank=True, max_length=200)
    rib_content_type = models.CharField(max_length=40)
    status = models.CharField(
        "statut",
        max_length=12,
        choices=BankDetailsChangeStatus.choices,
        default=BankDetailsChangeStatus.PENDING,
    )
    requested_at = models.DateTimeField("demandée le", default=clock.now)
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_bank_details_changes",
        verbose_name="décidée par",
    )
    rejection_reason = models.TextField("motif du refus", blank=True, max_length=500)

    class Meta:
        verbose_name = "changement de coordonnées bancaires"
        verbose_name_plural = "changements de coordonnées bancaires"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=BankDetailsChangeStatus.values),
                name="bank_change_status_valid",
            ),
            # SIT7: one change waiting for the back office at a time.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status=BankDetailsChangeStatus.PENDING),
                name="one_pending_bank_change_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(status=BankDetailsChangeStatus.REJECTED) | ~Q(rejection_reason=""),
                name="bank_change_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_status_display()}"


class BankDetailsChangeTransition(TransitionLog):
    subject_field = "change"

    change = models.ForeignKey(
        BankDetailsChange, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        "de", max_length=20, choices=BankDetailsChangeStatus.choices, blank=True
    )
    to_status = models.CharField("vers", max_length=20, choices=BankDetailsChangeStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "changement de statut d'une demande de coordonnées bancaires"
