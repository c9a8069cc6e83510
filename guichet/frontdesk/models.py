"""The log of client-file consultations by agents: who, when, why. Append-only.

Rows can be created, never changed or deleted through the ORM (model, queryset, admin);
see docs/decisions/frontdesk-consultation-log.md.
"""

from django.db import models
from django.db.models import Q

from guichet.accounts.models import User
from guichet.core import clock
from guichet.frontdesk.enums import ConsultationReason
from guichet.reference.models import Person


class ImmutableRecord(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise ImmutableRecord("Le journal des consultations ne peut pas être modifié.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableRecord("Le journal des consultations ne peut pas être supprimé.")

    def bulk_update(self, *args: object, **kwargs: object) -> int:
        raise ImmutableRecord("Le journal des consultations ne peut pas être modifié.")


class FileConsultation(models.Model):
    agent = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="file_consultations", verbose_name="agent"
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="file_consultations",
        verbose_name="assuré consulté",
    )
    reason = models.CharField("motif", max_length=20, choices=ConsultationReason.choices)
    detail = models.CharField("précision", max_length=200, blank=True)
    at = models.DateTimeField("le", default=clock.now, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "consultation de dossier"
        verbose_name_plural = "consultations de dossier"
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=ConsultationReason.values),
                name="consultation_reason_valid",
            ),
            models.CheckConstraint(
                condition=~Q(reason=ConsultationReason.OTHER) | ~Q(detail=""),
                name="consultation_other_reason_has_detail",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent} a consulté {self.person} le {self.at:%d/%m/%Y %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ImmutableRecord("Une consultation enregistrée ne peut pas être modifiée.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ImmutableRecord("Une consultation enregistrée ne peut pas être supprimée.")
