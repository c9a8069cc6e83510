from django.db import models


class ConsultationReason(models.TextChoices):
    """Why a front-desk agent opens an insured person's client file (logged)."""

    INSURED_AT_DESK = "insured_at_desk", "Accueil de l'assuré en personne"
    PROXY_AT_DESK = "proxy_at_desk", "Accueil d'un mandataire (procuration)"
    APPOINTMENT = "appointment", "Préparation d'un rendez-vous"
    MAIL = "mail", "Traitement d'un courrier de l'assuré"
    OTHER = "other", "Autre motif (à préciser)"
