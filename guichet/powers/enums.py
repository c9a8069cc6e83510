from django.db import models


class PowerStatus(models.TextChoices):
    ACTIVE = "active", "En cours"
    REVOKED = "revoked", "Révoquée"
    EXPIRED = "expired", "Expirée"


class EndReason(models.TextChoices):
    """Why a power of attorney left the « active » state (written in the transition log)."""

    REVOKED_BY_INSURED = "revoked_by_insured", "Révoquée par l'assuré"
    REPLACED = "replaced", "Remplacée par une nouvelle procuration"
    VALIDITY_ENDED = "validity_ended", "Fin de validité (1 mois)"
    CREATED = "created", "Procuration donnée en ligne"
    ACCOUNT_CLOSED = "account_closed", "Révoquée à la résiliation du compte"


class IdentityDocument(models.TextChoices):
    ID_CARD = "id_card", "Carte nationale d'identité"
    PASSPORT = "passport", "Passeport"
    RESIDENCE_PERMIT = "residence_permit", "Titre de séjour"
    DRIVING_LICENCE = "driving_licence", "Permis de conduire"
