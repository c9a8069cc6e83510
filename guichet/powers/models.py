"""Online powers of attorney (« procurations en ligne », rules P1–P8).

An insured person names a proxy (« mandataire ») who may represent them at the fund's front
desk for one month. The status is stored; see docs/decisions/powers-expiry.md for how
« expired » is set and docs/decisions/powers-one-active.md for what a new power does to the
previous one.
"""

import datetime as dt

from django.db import models
from django.db.models import Q

from guichet.accounts.models import User
from guichet.core import clock
from guichet.core.models import TransitionLog
from guichet.powers.enums import EndReason, IdentityDocument, PowerStatus
from guichet.reference.enums import Civility
from guichet.reference.models import Fund, Person


class PowerOfAttorney(models.Model):
    grantor = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="powers_of_attorney",
        verbose_name="assuré représenté",
    )
    granted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="donnée depuis le compte",
    )
    proxy_civility = models.CharField(
        "civilité du mandataire", max_length=3, choices=Civility.choices
    )
    proxy_last_name = models.CharField("nom du mandataire", max_length=100)
    proxy_usage_name = models.CharField("nom d'usage du mandataire", max_length=100, blank=True)
    proxy_first_name = models.CharField("prénom du mandataire", max_length=100)
    proxy_birth_date = models.DateField("date de naissance du mandataire")
    status = models.CharField(
        "statut", max_length=10, choices=PowerStatus.choices, default=PowerStatus.ACTIVE
    )
    created_at = models.DateTimeField("donnée le", default=clock.now)
    valid_until = models.DateTimeField("valable jusqu'au")
    ended_at = models.DateTimeField("fin le", null=True, blank=True)
    idempotency_key = models.UUIDField(
        "jeton de soumission",
        unique=True,
        help_text="Jeton du formulaire : une double soumission ne crée pas deux procurations.",
    )

    class Meta:
        verbose_name = "procuration"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["grantor"],
                condition=Q(status=PowerStatus.ACTIVE),
                name="one_active_power_per_insured",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PowerStatus.values), name="power_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("created_at")),
                name="power_valid_until_after_creation",
            ),
            models.CheckConstraint(
                condition=Q(status=PowerStatus.ACTIVE, ended_at__isnull=True)
                | (~Q(status=PowerStatus.ACTIVE) & Q(ended_at__isnull=False)),
                name="power_ended_at_iff_not_active",
            ),
        ]

    def __str__(self) -> str:
        return f"Procuration de {self.grantor} à {self.proxy_display_name}"

    @property
    def proxy_display_name(self) -> str:
        return f"{self.get_proxy_civility_display()} {self.proxy_first_name} {self.proxy_last_name}"

    @property
    def proxy_short_name(self) -> str:
        """« M. DUPONT » as in rule P7."""
        title = "M." if self.proxy_civility == Civility.MR else "Mme"
        return f"{title} {self.proxy_last_name.upper()}"

    def is_usable_at(self, moment: dt.datetime) -> bool:
        return self.status == PowerStatus.ACTIVE and moment <= self.valid_until

    @property
    def effective_status(self) -> str:
        """The status as of now: an « active » row past its end counts as expired at once,
        even before the periodic command has stored it."""
        if self.status == PowerStatus.ACTIVE and clock.now() > self.valid_until:
            return PowerStatus.EXPIRED
        return self.status

    @property
    def effective_status_label(self) -> str:
        return PowerStatus(self.effective_status).label


class PowerTransition(TransitionLog):
    """One change of status: the audit trail (who, when, from, to, why)."""

    subject_field = "power"

    power = models.ForeignKey(PowerOfAttorney, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("de", max_length=20, choices=PowerStatus.choices, blank=True)
    to_status = models.CharField("vers", max_length=20, choices=PowerStatus.choices)
    reason = models.CharField("motif", max_length=20, choices=EndReason.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "changement de statut de procuration"
        verbose_name_plural = "changements de statut de procuration"

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status} ({self.get_reason_display()})"


class PowerUse(models.Model):
    """One time a front-desk agent served the proxy, after checking their identity document."""

    power = models.ForeignKey(PowerOfAttorney, on_delete=models.PROTECT, related_name="uses")
    agent = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="agent d'accueil"
    )
    fund = models.ForeignKey(
        Fund,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="accueil (caisse)",
    )
    document_type = models.CharField(
        "pièce d'identité vérifiée", max_length=20, choices=IdentityDocument.choices
    )
    document_last_digits = models.CharField("derniers caractères du numéro", max_length=4)
    used_at = models.DateTimeField("le", default=clock.now)

    class Meta:
        verbose_name = "utilisation de procuration"
        verbose_name_plural = "utilisations de procuration"
        ordering = ["-used_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document_type__in=IdentityDocument.values),
                name="power_use_document_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Utilisation du {self.used_at:%d/%m/%Y %H:%M}"

    @property
    def desk_label(self) -> str:
        return f"Accueil de la {self.fund.name}" if self.fund else "Accueil de la caisse"
