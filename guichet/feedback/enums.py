from django.db import models


class Procedure(models.TextChoices):
    """Every démarche of the guides whose satisfaction is asked (rule G5)."""

    ACCOUNT_CREATION = "account_creation", "Création du compte"
    POWER_OF_ATTORNEY = "power_of_attorney", "Procuration en ligne"
    RIGHTS_CERTIFICATE = "rights_certificate", "Attestation de droits"
    DAILY_ALLOWANCE_CERTIFICATE = (
        "daily_allowance_certificate",
        "Attestation d'indemnités journalières",
    )
    TAX_STATEMENT = "tax_statement", "Relevé fiscal"
    COMPLEMENTARY_CHOICE = "complementary_choice", "Choix de l'organisme complémentaire"
    CARD_ORDER = "card_order", "Commande de carte Vitale"
    CARD_LOSS = "card_loss", "Déclaration de perte ou de vol de carte Vitale"


class Score(models.IntegerChoices):
    VERY_DISSATISFIED = 1, "Pas du tout satisfait"
    DISSATISFIED = 2, "Peu satisfait"
    NEUTRAL = 3, "Moyennement satisfait"
    SATISFIED = 4, "Satisfait"
    VERY_SATISFIED = 5, "Très satisfait"
