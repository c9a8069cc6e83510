from django.db import models


class DocumentKind(models.TextChoices):
    RIGHTS = "rights", "Attestation de droits"
    DAILY_ALLOWANCE = "daily_allowance", "Attestation de paiement d'indemnités journalières"
    MONTHLY_STATEMENT = "monthly", "Relevé mensuel"
    TAX_STATEMENT = "tax", "Relevé fiscal"
    CEAM_PROVISIONAL = "ceam_provisional", "Certificat provisoire de remplacement de la CEAM"


class Channel(models.TextChoices):
    WEB = "web", "Compte en ligne"
    KIOSK = "kiosk", "Borne multi-services"
    APP = "app", "Application mobile"


class Mention(models.TextChoices):
    """Optional mentions of an attestation de droits (rule A1)."""

    ETM = "etm", "Exonération du ticket modérateur"
    SOLIDARITY = "css", "Complémentaire santé solidaire (CMU)"


class Outcome(models.TextChoices):
    """What a request for a document ends with (rule A4)."""

    ISSUED = "issued", "Document délivré"
    ADDRESS_UNKNOWN = "address_unknown", "Adresse à préciser"
    CANNOT_ISSUE = "cannot_issue", "Document impossible à délivrer"
