from django.db import models


class ConfirmationStatus(models.TextChoices):
    """The life of one emailed confirmation link (rules C7, C8)."""

    PENDING = "pending", "En attente de validation"
    EXPIRED = "expired", "Lien plus actif (renvoi possible)"
    CONFIRMED = "confirmed", "Adresse validée"
    SUPERSEDED = "superseded", "Remplacé par un nouveau lien"
    ADDRESS_DELETED = "address_deleted", "Adresse supprimée"


class LinkPhase(models.TextChoices):
    """What a link (or a login on an inactive account) leads to, from the link's age (C8)."""

    ACTIVE = "active", "Lien actif"
    EXPIRED = "expired", "Le lien n'est plus actif"
    ADDRESS_DELETED = "address_deleted", "Adresse supprimée"
    CONFIRMED = "confirmed", "Déjà validée"
    SUPERSEDED = "superseded", "Lien remplacé"


class Way(models.TextChoices):
    """The two ways of rule C1."""

    CARTE_VITALE = "carte_vitale", "Avec ma carte Vitale et mon IBAN"
    FRANCECONNECT = "franceconnect", "Avec FranceConnect"


class Exclusion(models.TextChoices):
    """Why a person cannot create an account immediately (rule C4), with its French message."""

    NOT_RIGHTS_OPENER = (
        "not_rights_opener",
        "Seuls les assurés ouvreurs de droits du régime général ou d'un régime partenaire "
        "peuvent créer leur compte immédiatement.",
    )
    SCHEME_NOT_COVERED = (
        "scheme_not_covered",
        "Votre régime d'assurance maladie ne permet pas la création immédiate du compte.",
    )
    PROVISIONAL_NIR = (
        "provisional_nir",
        "Votre numéro de sécurité sociale est provisoire ou n'est pas encore certifié.",
    )
    NO_BANK_DETAILS = (
        "no_bank_details",
        "Nous ne disposons pas de vos coordonnées bancaires.",
    )
    NO_ACTIVE_CARD = (
        "no_active_card",
        "Vous ne disposez pas d'une carte Vitale active.",
    )
    CARD_TRANSFER_FAILED = (
        "card_transfer_failed",
        "La mutation de votre carte Vitale ne s'est pas déroulée correctement.",
    )


class ProofMethod(models.TextChoices):
    """How the person proves who they are before a new address is accepted (C8, issue 13)."""

    CODE = "code", "Avec mon code personnel"
    CARD = "carte_vitale", "Avec ma carte Vitale et mon IBAN"
