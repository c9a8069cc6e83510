from django.db import models


class ThreadSubject(models.TextChoices):
    """The subjects an insured person chooses from when writing to the fund (rule ECH1)."""

    REIMBURSEMENT = "reimbursement", "Remboursement de soins"
    DAILY_ALLOWANCE = "daily_allowance", "Indemnités journalières"
    RIGHTS = "rights", "Mes droits et mon attestation"
    CARTE_VITALE = "carte_vitale", "Carte Vitale"
    COMPLEMENTARY = "complementary", "Complémentaire santé"
    PERSONAL_DETAILS = "personal_details", "Changement de situation ou de coordonnées"
    APPOINTMENT = "appointment", "Rendez-vous"
    OTHER = "other", "Autre"


class ThreadStatus(models.TextChoices):
    OPEN = "open", "À traiter"
    IN_PROGRESS = "in_progress", "Pris en charge"
    CLOSED = "closed", "Clôturé"


class MessageKind(models.TextChoices):
    """Who wrote a message of a thread; a note stays inside the fund (rule ECH8)."""

    INSURED = "insured", "Message de l'assuré"
    FUND = "fund", "Réponse de la caisse"
    NOTE = "note", "Note interne"
