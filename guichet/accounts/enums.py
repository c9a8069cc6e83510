from django.db import models


class UserKind(models.TextChoices):
    INSURED = "insured", "Assuré"
    AGENT = "agent", "Agent de la caisse"


class AgentRole(models.TextChoices):
    FRONT_DESK = "front_desk", "Accueil"
    BACK_OFFICE = "back_office", "Back-office"
    SUPERVISOR = "supervisor", "Superviseur"
