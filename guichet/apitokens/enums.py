from django.db import models


class TokenKind(models.TextChoices):
    ACCESS = "access", "Jeton d'accès"
    REFRESH = "refresh", "Jeton de renouvellement"


class RevocationReason(models.TextChoices):
    LOGOUT = "logout", "Déconnexion demandée"
    REUSE = "reuse", "Jeton de renouvellement réutilisé"
    CLOSED = "closed", "Compte résilié"
    CODE_CHANGED = "code", "Code personnel changé"
