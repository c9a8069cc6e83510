from django.db import models


class DeclarationKind(models.TextChoices):
    """What happened to the card (rule V2): each sets the card's status at once."""

    LOST = "lost", "Perte"
    STOLEN = "stolen", "Vol"
    FAULTY = "faulty", "Dysfonctionnement"


class OrderReason(models.TextChoices):
    """Why a card is ordered (rule V2), decided by ``rules.order_reason``."""

    LOST = "lost", "Remplacement après une perte"
    STOLEN = "stolen", "Remplacement après un vol"
    FAULTY = "faulty", "Remplacement d'une carte défectueuse"
    VISUAL_CHANGE = "visual_change", "Changement de nom ou de numéro de sécurité sociale"
    FIRST_CARD = "first_card", "Première carte Vitale"


class OrderStatus(models.TextChoices):
    """The life of a carte Vitale order (rule V6). A draft is an order not yet « Valider »-ed."""

    DRAFT = "draft", "En cours de saisie"
    RECEIVED = "received", "Commande reçue"
    PHOTO_CHECKED = "photo_checked", "Photo et pièce d'identité vérifiées"
    IN_PRODUCTION = "in_production", "En fabrication"
    SENT = "sent", "Envoyée"
    DELIVERED = "delivered", "Remise"
    REJECTED = "rejected", "Refusée"

    @classmethod
    def open_values(cls) -> list[str]:
        return [cls.DRAFT, cls.RECEIVED, cls.PHOTO_CHECKED, cls.IN_PRODUCTION, cls.SENT]


class IdentityDocumentType(models.TextChoices):
    IDENTITY_CARD = "identity_card", "Carte nationale d'identité"
    PASSPORT = "passport", "Passeport"
    RESIDENCE_PERMIT = "residence_permit", "Titre de séjour"


class ExclusionCode(models.TextChoices):
    """Why a beneficiary cannot order online (rules V2, V4, V5)."""

    UNDER_12 = "under_12", "Moins de 12 ans"
    NPAI = "npai", "Adresse inconnue (NPAI)"
    NOT_ALLOWED = "not_allowed", "Pas de droit à une carte Vitale"
    IN_TRANSFER = "in_transfer", "Carte en cours de mutation"
    OPEN_ORDER = "open_order", "Commande déjà en cours"
    DECLARATION_NEEDED = "declaration_needed", "Déclaration préalable nécessaire"
    PAPER_FORM_PENDING = "paper_form_pending", "Envoi du formulaire papier en cours"
