from django.db import models


class KioskStatus(models.TextChoices):
    PENDING = "pending", "En attente d'installation"
    ACTIVE = "active", "En service"
    REVOKED = "revoked", "Révoquée"
