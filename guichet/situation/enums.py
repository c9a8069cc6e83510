from django.db import models


class BankDetailsChangeStatus(models.TextChoices):
    """« Modifier mes coordonnées bancaires » (rules SIT3–SIT10): asked, then checked."""

    PENDING = "pending", "En cours de vérification"
    APPROVED = "approved", "Validée"
    REJECTED = "rejected", "Refusée"


class Decision(models.TextChoices):
    """The back office's answer to a bank-details change (SIT9)."""

    APPROVE = "approve", "Coordonnées conformes : les valider"
    REJECT = "reject", "Refuser la demande"
