from django.db import models


class ConflictStatus(models.TextChoices):
    PENDING = "pending", "À choisir"
    REQUESTED = "requested", "Choix envoyé"
    RESOLVED = "resolved", "Résolu"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Demande en cours"
    APPLIED = "applied", "Choix appliqués"
    CLOSED = "closed", "Traitée"


class Exclusion(models.TextChoices):
    """Why the online choice is not offered (rule O4); empty when it is offered."""

    NONE = "", "Aucune"
    PRECARITY = "precarity", "Contrat de précarité impliqué"
    TOO_MANY_BENEFICIARIES = "too_many", "5 bénéficiaires ou plus concernés"
    PARTNER_SCHEME = "partner", "Régime partenaire"
