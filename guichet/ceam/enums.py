from django.db import models


class CeamOrderStatus(models.TextChoices):
    """The life of a CEAM order (rule CEAM5): received, then sent by post."""

    ORDERED = "ordered", "Commande reçue"
    SENT = "sent", "Envoyée"

    @classmethod
    def open_values(cls) -> list[str]:
        return [cls.ORDERED]


class CeamExclusionCode(models.TextChoices):
    """Why a beneficiary cannot order a CEAM online (rules CEAM1-CEAM4, CEAM9)."""

    NOT_IN_FAMILY = "ceam_not_in_family", "Hors de la famille"
    NO_RIGHTS = "ceam_no_rights", "Droits fermés"
    NPAI = "ceam_npai", "Adresse inconnue (NPAI)"
    OPEN_ORDER = "ceam_open_order", "Commande déjà en cours"
    CARD_STILL_VALID = "ceam_card_still_valid", "CEAM encore valable"
    NIR_NOT_CERTIFIED = "ceam_nir_not_certified", "Numéro de sécurité sociale non certifié"
