"""« Déclarer un changement de situation »: the bank-details and usage-name changes waiting for
the back office.

The postal address has no model of its own: it is the Person's, changed at once (SIT2). A new
IBAN is a request until an agent checks it against the RIB (SIT9): the Person keeps the old
IBAN, where the payments go, until then. A new usage name likewise waits for an agent to check
its proof (SIT14): the Person keeps the name on file until then.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from guichet.core import clock
from guichet.core.models import TransitionLog
from guichet.reference.enums import Gender
from guichet.reference.models import Person
from guichet.situation.enums import (
    BankDetailsChangeStatus,
    NewbornDeclarationStatus,
    OtherParentRegistrationStatus,
    UsageNameChangeStatus,
    UsageNameProof,
)


class BackOfficeRequest(models.Model):
    """What every situation request that waits for the back office shares (SIT9, SIT14, SIT20,
    SIT25, SIT27): when it was asked and decided, by whom, the reason of a refusal. Each
    concrete request has its own status (and `applicant_field`, the person whose request it is:
    the one who may withdraw it online, SIT27)."""

    applicant_field = "person"

    requested_at = models.DateTimeField("demandée le", default=clock.now)
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_%(class)s",
        verbose_name="décidée par",
    )
    rejection_reason = models.TextField("motif du refus", blank=True, max_length=500)

    class Meta:
        abstract = True
        ordering = ["-requested_at", "-id"]

    @property
    def applicant_id(self) -> int:
        return getattr(self, f"{self.applicant_field}_id")


def _upload_path(instance: "BankDetailsChange", filename: str) -> str:
    """Random names: nothing of the person's identity in a path (MEDIA_ROOT, no public URL)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"situation/rib/{uuid.uuid4().hex}.{extension}"


class BankDetailsChange(BackOfficeRequest):
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


def _proof_path(instance: "UsageNameChange", filename: str) -> str:
    """Random names, as for the RIB (SIT13)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"situation/usage-name/{uuid.uuid4().hex}.{extension}"


class UsageNameChange(BackOfficeRequest):
    """« Changement de nom d'usage » (SIT12–SIT16)."""

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="usage_name_changes",
        verbose_name="assuré",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="usage_name_changes",
        verbose_name="demandée par",
    )
    usage_name = models.CharField("nouveau nom d'usage", max_length=100)
    previous_usage_name = models.CharField("nom d'usage précédent", max_length=100, blank=True)
    proof_kind = models.CharField("justificatif", max_length=30, choices=UsageNameProof.choices)
    proof = models.FileField(
        "justificatif joint", upload_to=_proof_path, blank=True, max_length=200
    )
    proof_content_type = models.CharField(max_length=40)
    status = models.CharField(
        "statut",
        max_length=12,
        choices=UsageNameChangeStatus.choices,
        default=UsageNameChangeStatus.PENDING,
    )

    class Meta:
        verbose_name = "changement de nom d'usage"
        verbose_name_plural = "changements de nom d'usage"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=UsageNameChangeStatus.values),
                name="usage_name_change_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(proof_kind__in=UsageNameProof.values),
                name="usage_name_change_proof_kind_valid",
            ),
            # SIT14: one change waiting for the back office at a time.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status=UsageNameChangeStatus.PENDING),
                name="one_pending_usage_name_change_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(status=UsageNameChangeStatus.REJECTED) | ~Q(rejection_reason=""),
                name="usage_name_change_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_status_display()}"


class UsageNameChangeTransition(TransitionLog):
    subject_field = "change"

    change = models.ForeignKey(
        UsageNameChange, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        "de", max_length=20, choices=UsageNameChangeStatus.choices, blank=True
    )
    to_status = models.CharField("vers", max_length=20, choices=UsageNameChangeStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "changement de statut d'une demande de nom d'usage"


def _birth_certificate_path(instance: "NewbornDeclaration", filename: str) -> str:
    """Random names, as for the RIB (SIT18)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"situation/newborn/{uuid.uuid4().hex}.{extension}"


class NewbornDeclaration(BackOfficeRequest):
    """« Déclaration du nouveau-né » (SIT17–SIT21): the child joins the family at once with a
    provisional NIR status; the back office certifies the NIR from the birth certificate."""

    applicant_field = "parent"

    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="newborn_declarations",
        verbose_name="déclarée par",
    )
    parent = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="declared_newborns", verbose_name="parent"
    )
    child = models.OneToOneField(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newborn_declaration",
        verbose_name="enfant",
    )
    last_name = models.CharField("nom de l'enfant", max_length=100)
    first_names = models.CharField("prénoms de l'enfant", max_length=150)
    gender = models.CharField("sexe", max_length=6, choices=Gender.choices)
    birth_date = models.DateField("date de naissance")
    birth_certificate = models.FileField(
        "acte de naissance", upload_to=_birth_certificate_path, blank=True, max_length=200
    )
    birth_certificate_content_type = models.CharField(max_length=40)
    status = models.CharField(
        "statut",
        max_length=12,
        choices=NewbornDeclarationStatus.choices,
        default=NewbornDeclarationStatus.PENDING,
    )

    class Meta:
        verbose_name = "déclaration de nouveau-né"
        verbose_name_plural = "déclarations de nouveau-né"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=NewbornDeclarationStatus.values),
                name="newborn_declaration_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(gender__in=Gender.values), name="newborn_declaration_gender_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=NewbornDeclarationStatus.REJECTED) | ~Q(rejection_reason=""),
                name="newborn_declaration_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_names} {self.last_name} — {self.get_status_display()}"


class NewbornDeclarationTransition(TransitionLog):
    subject_field = "declaration"

    declaration = models.ForeignKey(
        NewbornDeclaration, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        "de", max_length=20, choices=NewbornDeclarationStatus.choices, blank=True
    )
    to_status = models.CharField("vers", max_length=20, choices=NewbornDeclarationStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "changement de statut d'une déclaration de nouveau-né"


def _parents_proof_path(instance: "OtherParentRegistration", filename: str) -> str:
    """Random names, as for the RIB (SIT24)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"situation/other-parent/{uuid.uuid4().hex}.{extension}"


class OtherParentRegistration(BackOfficeRequest):
    """« Inscrire votre enfant sur la carte Vitale de l'autre parent » (SIT22–SIT26): a parent
    asks that their child, a beneficiary of their family, be attached to the other parent's
    family too (« rattachement aux deux parents »), the other parent found in the records by
    NIR, name and birth date; the back office of the other parent's fund checks the proof."""

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="other_parent_registrations",
        verbose_name="parent demandeur",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="other_parent_registrations",
        verbose_name="demandée par",
    )
    child = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="other_parent_requests",
        verbose_name="enfant",
    )
    other_parent = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="registrations_as_other_parent",
        verbose_name="autre parent",
    )
    proof = models.FileField(
        "acte de naissance ou livret de famille",
        upload_to=_parents_proof_path,
        blank=True,
        max_length=200,
    )
    proof_content_type = models.CharField(max_length=40)
    status = models.CharField(
        "statut",
        max_length=12,
        choices=OtherParentRegistrationStatus.choices,
        default=OtherParentRegistrationStatus.PENDING,
    )

    class Meta(BackOfficeRequest.Meta):
        verbose_name = "inscription d'un enfant sur la carte de l'autre parent"
        verbose_name_plural = "inscriptions d'enfants sur la carte de l'autre parent"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OtherParentRegistrationStatus.values),
                name="other_parent_registration_status_valid",
            ),
            # SIT22: one request waiting for the back office per child.
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status=OtherParentRegistrationStatus.PENDING),
                name="one_pending_other_parent_registration_per_child",
            ),
            models.CheckConstraint(
                condition=~Q(status=OtherParentRegistrationStatus.REJECTED)
                | ~Q(rejection_reason=""),
                name="other_parent_registration_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} — {self.get_status_display()}"


class OtherParentRegistrationTransition(TransitionLog):
    subject_field = "registration"

    registration = models.ForeignKey(
        OtherParentRegistration, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        "de", max_length=20, choices=OtherParentRegistrationStatus.choices, blank=True
    )
    to_status = models.CharField(
        "vers", max_length=20, choices=OtherParentRegistrationStatus.choices
    )

    class Meta(TransitionLog.Meta):
        verbose_name = "changement de statut d'une inscription sur la carte de l'autre parent"
