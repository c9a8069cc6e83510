"""Back-office cases (« affaires »): generic work items routed to a fund's queue.

A case is about one subject record of a procedure (a complementary-insurer choice, a carte
Vitale order…), linked by content type and id, so this app never imports the procedures.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from guichet.cases.enums import CaseKind, CaseStatus
from guichet.core import clock
from guichet.core.models import TransitionLog
from guichet.reference.models import Fund, Person


class Case(models.Model):
    kind = models.CharField("type d'affaire", max_length=40, choices=CaseKind.choices)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name="type de l'objet"
    )
    subject_id = models.PositiveBigIntegerField("identifiant de l'objet")
    subject = GenericForeignKey("subject_type", "subject_id")
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="cases", verbose_name="caisse de traitement"
    )
    insured = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="cases", verbose_name="assuré"
    )
    is_complex = models.BooleanField("affaire complexe", default=False)
    status = models.CharField(
        "statut", max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name="agent en charge",
    )
    opened_at = models.DateTimeField("ouverte le", default=clock.now)
    due_at = models.DateTimeField("à traiter avant le")
    closed_at = models.DateTimeField("clôturée le", null=True, blank=True)

    class Meta:
        verbose_name = "affaire"
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["fund", "status", "due_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="case_status_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=CaseKind.values), name="case_kind_valid"),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.IN_PROGRESS) | Q(assignee__isnull=False),
                name="case_in_progress_has_assignee",
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.CLOSED) | Q(closed_at__isnull=False),
                name="case_closed_has_date",
            ),
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"],
                condition=~Q(status=CaseStatus.CLOSED),
                name="one_open_case_per_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"Affaire n° {self.pk} — {self.get_kind_display()}"

    @property
    def is_overdue(self) -> bool:
        return self.status != CaseStatus.CLOSED and self.due_at < clock.now()


class CaseTransition(TransitionLog):
    """One row per status change: the audit trail (who, when, from, to)."""

    subject_field = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("de", max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField("vers", max_length=20, choices=CaseStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "changement de statut d'affaire"

    def __str__(self) -> str:
        return f"{self.case_id} : {self.from_status or '∅'} → {self.to_status}"
