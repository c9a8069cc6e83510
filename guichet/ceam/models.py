"""« Commander une carte européenne d'assurance maladie (CEAM) » (rules CEAM1-CEAM8): the order,
its transition log, the card it gives and the provisional replacement certificate."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from guichet.ceam.enums import CeamOrderStatus
from guichet.certificates.models import Issuance
from guichet.core import clock
from guichet.core.models import TransitionLog
from guichet.reference.models import EuropeanHealthCard, Person


class CeamOrder(models.Model):
    beneficiary = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="ceam_orders", verbose_name="bénéficiaire"
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="ceam_orders",
        verbose_name="commandée par",
    )
    status = models.CharField(
        "état", max_length=12, choices=CeamOrderStatus.choices, default=CeamOrderStatus.ORDERED
    )
    ordered_at = models.DateTimeField("commandée le", default=clock.now, db_index=True)
    departure_on = models.DateField("date de départ à l'étranger", null=True, blank=True)
    expected_on = models.DateField("date de réception prévue")
    sent_on = models.DateField("envoyée le", null=True, blank=True)
    card = models.OneToOneField(
        EuropeanHealthCard,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="order",
        verbose_name="carte envoyée",
    )
    provisional_certificate = models.OneToOneField(
        Issuance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ceam_order",
        verbose_name="certificat provisoire de remplacement",
    )

    class Meta:
        verbose_name = "commande de CEAM"
        verbose_name_plural = "commandes de CEAM"
        ordering = ["-ordered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CeamOrderStatus.values), name="ceam_order_status_valid"
            ),
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=Q(status__in=CeamOrderStatus.open_values()),
                name="one_open_ceam_order_per_beneficiary",
            ),
            models.CheckConstraint(
                condition=~Q(status=CeamOrderStatus.SENT)
                | (Q(sent_on__isnull=False) & Q(card__isnull=False)),
                name="ceam_order_sent_has_card",
            ),
        ]
        indexes = [models.Index(fields=["status", "ordered_at"])]

    def __str__(self) -> str:
        return f"Commande {self.reference} — {self.beneficiary}"

    @property
    def reference(self) -> str:
        return f"CE{self.pk:08d}"

    @property
    def is_open(self) -> bool:
        return self.status in CeamOrderStatus.open_values()


class CeamOrderTransition(TransitionLog):
    subject_field = "order"

    order = models.ForeignKey(
        CeamOrder, on_delete=models.CASCADE, related_name="transitions", verbose_name="commande"
    )
    from_status = models.CharField("de", max_length=20, choices=CeamOrderStatus.choices, blank=True)
    to_status = models.CharField("vers", max_length=20, choices=CeamOrderStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "changement d'état de commande de CEAM"
        verbose_name_plural = "changements d'état de commande de CEAM"

    def __str__(self) -> str:
        return f"{self.order.reference} : {self.from_status or '∅'} → {self.to_status}"
