"""Conflicts between complementary contracts (rule O1) and the insured's choices (O3, O6)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from guichet.complementary.enums import ConflictStatus, Exclusion, RequestStatus
from guichet.core import clock
from guichet.core.models import TransitionLog
from guichet.reference.models import ComplementaryContract, Family, Person


class ChoiceRequest(models.Model):
    """The insured's choice for every beneficiary in conflict, sent at once (O3).

    Pending (« DEMANDE EN COURS », O6) until its back-office case is closed; the agent applies
    the choices (« applied »), then closes the case (« closed »).
    """

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="complementary_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="demandé par"
    )
    status = models.CharField(
        "statut", max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    requested_at = models.DateTimeField("demande faite le", default=clock.now)
    applied_at = models.DateTimeField("choix appliqués le", null=True, blank=True)
    closed_at = models.DateTimeField("traitée le", null=True, blank=True)

    class Meta:
        verbose_name = "choix d'organisme complémentaire"
        verbose_name_plural = "choix d'organisme complémentaire"
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(closed_at__isnull=True),
                name="one_pending_complementary_request_per_family",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values), name="choice_request_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=RequestStatus.PENDING, applied_at__isnull=True)
                | Q(status=RequestStatus.APPLIED, applied_at__isnull=False)
                | Q(status=RequestStatus.CLOSED, applied_at__isnull=False),
                name="choice_request_applied_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status=RequestStatus.CLOSED, closed_at__isnull=False)
                | (~Q(status=RequestStatus.CLOSED) & Q(closed_at__isnull=True)),
                name="choice_request_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Choix de complémentaire n° {self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.closed_at is None


class Conflict(models.Model):
    """Two complementary contracts in force on the same day for one beneficiary (O1).

    The pair is stored ordered (contract_a < contract_b) and unique, so the detection can run
    again and again without duplicating it.
    """

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="complementary_conflicts",
        verbose_name="bénéficiaire",
    )
    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="complementary_conflicts"
    )
    contract_a = models.ForeignKey(
        ComplementaryContract, on_delete=models.CASCADE, related_name="+"
    )
    contract_b = models.ForeignKey(
        ComplementaryContract, on_delete=models.CASCADE, related_name="+"
    )
    detected_at = models.DateTimeField("détecté le", default=clock.now)
    status = models.CharField(
        "statut", max_length=10, choices=ConflictStatus.choices, default=ConflictStatus.PENDING
    )
    exclusion = models.CharField(
        "motif d'exclusion (O4)",
        max_length=10,
        choices=Exclusion.choices,
        default=Exclusion.NONE,
        blank=True,
    )
    request = models.ForeignKey(
        ChoiceRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conflicts",
    )

    class Meta:
        verbose_name = "chevauchement"
        ordering = ["family_id", "person_id", "id"]
        indexes = [models.Index(fields=["family", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["contract_a", "contract_b"], name="one_conflict_per_contract_pair"
            ),
            models.CheckConstraint(
                condition=Q(contract_a__lt=F("contract_b")), name="conflict_pair_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ConflictStatus.values), name="conflict_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(exclusion__in=Exclusion.values), name="conflict_exclusion_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Chevauchement {self.contract_a_id}/{self.contract_b_id}"


class ChoiceRequestTransition(TransitionLog):
    """One change of status of a choice request: the audit trail (who, when, from, to)."""

    subject_field = "request"

    request = models.ForeignKey(ChoiceRequest, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("de", max_length=20, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField("vers", max_length=20, choices=RequestStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "changement de statut de choix"
        verbose_name_plural = "changements de statut de choix"


class ConflictTransition(TransitionLog):
    """One change of status of a conflict (the choice sent, resolved); none at detection."""

    subject_field = "conflict"

    conflict = models.ForeignKey(Conflict, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("de", max_length=20, choices=ConflictStatus.choices, blank=True)
    to_status = models.CharField("vers", max_length=20, choices=ConflictStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "changement de statut de chevauchement"
        verbose_name_plural = "changements de statut de chevauchement"


class Choice(models.Model):
    """For one beneficiary, the contract the insured keeps."""

    request = models.ForeignKey(ChoiceRequest, on_delete=models.CASCADE, related_name="choices")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, verbose_name="bénéficiaire")
    chosen_contract = models.ForeignKey(
        ComplementaryContract, on_delete=models.PROTECT, verbose_name="contrat conservé"
    )

    class Meta:
        verbose_name = "choix par bénéficiaire"
        ordering = ["person__birth_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="one_choice_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.chosen_contract}"
