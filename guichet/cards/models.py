"""Carte Vitale declarations (loss, theft, malfunction) and orders with their transition log."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from guichet.cards.enums import DeclarationKind, IdentityDocumentType, OrderReason, OrderStatus
from guichet.core import clock
from guichet.core.models import TransitionLog
from guichet.reference.models import Card, Person


class CardDeclaration(models.Model):
    """« Déclarer la perte ou le vol de carte Vitale »: the card's status changes at once."""

    card = models.ForeignKey(
        Card, on_delete=models.CASCADE, related_name="declarations", verbose_name="carte"
    )
    kind = models.CharField("motif", max_length=8, choices=DeclarationKind.choices)
    declared_at = models.DateTimeField("déclarée le", default=clock.now, db_index=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déclarée par",
    )

    class Meta:
        verbose_name = "déclaration de perte, vol ou dysfonctionnement"
        verbose_name_plural = "déclarations de perte, vol ou dysfonctionnement"
        ordering = ["-declared_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DeclarationKind.values), name="declaration_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.card}"


def _upload_path(instance: "CardOrder", filename: str) -> str:
    """Random names: nothing of the person's identity in a path (MEDIA_ROOT, no public URL)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"cards/orders/{uuid.uuid4().hex}.{extension}"


class CardOrder(models.Model):
    """« Commander une carte Vitale » (rules V1-V6): a draft until « Valider », then tracked."""

    beneficiary = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="card_orders", verbose_name="bénéficiaire"
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="card_orders",
        verbose_name="commandée par",
    )
    replaced_card = models.ForeignKey(
        Card,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replacement_orders",
        verbose_name="carte remplacée",
    )
    reason = models.CharField(
        "motif", max_length=16, choices=OrderReason.choices, default=OrderReason.FIRST_CARD
    )
    status = models.CharField(
        "état", max_length=16, choices=OrderStatus.choices, default=OrderStatus.DRAFT
    )
    created_at = models.DateTimeField("créée le", default=clock.now)
    submitted_at = models.DateTimeField("validée le", null=True, blank=True, db_index=True)
    expected_on = models.DateField("date de remise prévue", null=True, blank=True)

    photo = models.FileField("photo d'identité", upload_to=_upload_path, blank=True, max_length=200)
    photo_content_type = models.CharField(max_length=40, blank=True)
    document_type = models.CharField(
        "type de pièce d'identité", max_length=20, choices=IdentityDocumentType.choices, blank=True
    )
    document = models.FileField(
        "pièce d'identité", upload_to=_upload_path, blank=True, max_length=200
    )
    document_content_type = models.CharField(max_length=40, blank=True)
    files_deleted_at = models.DateTimeField("fichiers supprimés le", null=True, blank=True)

    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claimed_card_orders",
        verbose_name="prise en charge par",
    )
    claimed_at = models.DateTimeField("prise en charge le", null=True, blank=True)
    rejection_reason = models.TextField("motif du refus", blank=True, max_length=500)

    exported_at = models.DateTimeField("transmise au fabricant le", null=True, blank=True)
    export_file = models.CharField("fichier d'export", max_length=120, blank=True)
    sent_on = models.DateField("envoyée le", null=True, blank=True)
    delivered_on = models.DateField("remise le", null=True, blank=True)
    new_card = models.OneToOneField(
        Card,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="order",
        verbose_name="nouvelle carte",
    )

    class Meta:
        verbose_name = "commande de carte Vitale"
        verbose_name_plural = "commandes de carte Vitale"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OrderStatus.values), name="card_order_status_valid"
            ),
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=Q(status__in=OrderStatus.open_values()),
                name="one_open_card_order_per_beneficiary",
            ),
            models.CheckConstraint(
                condition=~Q(status=OrderStatus.REJECTED) | ~Q(rejection_reason=""),
                name="card_order_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=OrderStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="card_order_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=OrderStatus.DELIVERED) | Q(new_card__isnull=False),
                name="card_order_delivered_has_card",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"Commande {self.reference} — {self.beneficiary}"

    @property
    def reference(self) -> str:
        """The order's reference, also used in the card maker's files."""
        return f"CV{self.pk:08d}"

    @property
    def is_open(self) -> bool:
        return self.status in OrderStatus.open_values()


class CardOrderTransition(TransitionLog):
    """One change of an order's state: the audit trail (who, when, from, to, why)."""

    subject_field = "order"

    order = models.ForeignKey(
        CardOrder, on_delete=models.CASCADE, related_name="transitions", verbose_name="commande"
    )
    from_status = models.CharField("de", max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField("vers", max_length=20, choices=OrderStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "changement d'état de commande"
        verbose_name_plural = "changements d'état de commande"

    def __str__(self) -> str:
        return f"{self.order.reference} : {self.from_status} → {self.to_status}"
