from django.db import models


class UserKind(models.TextChoices):
    INSURED = "insured", "Assuré"
    AGENT = "agent", "Agent de la caisse"


class AgentRole(models.TextChoices):
    FRONT_DESK = "front_desk", "Accueil"
    BACK_OFFICE = "back_office", "Back-office"
    SUPERVISOR = "supervisor", "Superviseur"


class OnlineAccountState(models.TextChoices):
    """A person's online account as the front desk sees it (accounts.selectors.online_account)."""

    ACTIVE = "active", "Compte actif"
    AWAITING_CONFIRMATION = "awaiting_confirmation", "Adresse email pas encore confirmée"
    CLOSED = "closed", "Compte résilié"
    NONE = "none", "Aucun compte en ligne"


class CodeChangeWay(models.TextChoices):
    """How a new code personnel was set (accounts.services.code_set), named in the email."""

    RESET = "reset", "« Code oublié ? »"
    CHANGE = "change", "« Mon code personnel »"
