from django.db import models


class CaseKind(models.TextChoices):
    """What a case is about. Each procedure that creates cases adds its kind here."""

    COMPLEMENTARY_CHOICE = "complementary_choice", "Choix d'organisme complémentaire"
    BANK_DETAILS_CHANGE = "bank_details_change", "Changement de coordonnées bancaires"
    USAGE_NAME_CHANGE = "usage_name_change", "Changement de nom d'usage"
    NEWBORN_DECLARATION = "newborn_declaration", "Déclaration du nouveau-né"
    OTHER_PARENT_REGISTRATION = (
        "other_parent_registration",
        "Inscription d'un enfant sur la carte Vitale de l'autre parent",
    )


class CaseStatus(models.TextChoices):
    OPEN = "open", "À traiter"
    IN_PROGRESS = "in_progress", "En cours de traitement"
    CLOSED = "closed", "Clôturée"
