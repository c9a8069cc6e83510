"""Documents issued to the insured (rules A1–A7) and each time they were downloaded.

An ``Issuance`` keeps the data printed on the document (a snapshot), checked by its reference
on the public verification page, and the PDF rendered at its first download, served again at
every later one (« Possibilité de télécharger plusieurs fois le même document »). Every
download is a ``Download`` row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from guichet.certificates.enums import Channel, DocumentKind
from guichet.core import clock
from guichet.reference.models import Family, Person


class Issuance(models.Model):
    reference = models.CharField("référence", max_length=24, unique=True)
    kind = models.CharField("document", max_length=16, choices=DocumentKind.choices)
    channel = models.CharField("canal", max_length=8, choices=Channel.choices)
    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="issuances", verbose_name="famille"
    )
    requested_by = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="requested_issuances",
        verbose_name="demandé par",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issuances",
        verbose_name="compte",
    )
    beneficiary = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="beneficiary_issuances",
        verbose_name="bénéficiaire (vide : toute la famille)",
    )
    holder_initials = models.CharField("initiales du titulaire", max_length=12)
    issued_at = models.DateTimeField("délivré le", default=clock.now)
    valid_until = models.DateField("valable jusqu'au", null=True, blank=True)
    data = models.JSONField("données imprimées")
    # The PDF as first rendered, kept through Django's storage API (default_storage): the
    # bytes of an issued document never change, so a re-download serves them again
    # (docs/decisions/certificates-stored-pdf.md). Empty until the first download.
    pdf = models.FileField("PDF délivré", upload_to="certificates/", blank=True)

    class Meta:
        verbose_name = "document délivré"
        verbose_name_plural = "documents délivrés"
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-issued_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="issuance_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="issuance_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"


class Download(models.Model):
    """One download (or display at the kiosk) of an issued document: who, what, when."""

    issuance = models.ForeignKey(
        Issuance, on_delete=models.CASCADE, related_name="downloads", verbose_name="document"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="downloads", verbose_name="par"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="downloads",
        verbose_name="compte",
    )
    channel = models.CharField("canal", max_length=8, choices=Channel.choices)
    downloaded_at = models.DateTimeField("téléchargé le", default=clock.now)

    class Meta:
        verbose_name = "téléchargement"
        ordering = ["-downloaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="download_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuance.reference} — {self.downloaded_at:%d/%m/%Y %H:%M}"
