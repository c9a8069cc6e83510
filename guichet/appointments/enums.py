from django.db import models


class Channel(models.TextChoices):
    """Where the appointment takes place."""

    DESK = "desk", "À l'accueil"
    PHONE = "phone", "Par téléphone"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Réservé"
    CHECKED_IN = "checked_in", "Arrivé(e) à l'accueil"
    SEEN = "seen", "Reçu"
    NO_SHOW = "no_show", "Absent"
    CANCELLED_BY_PERSON = "cancelled_by_person", "Annulé par l'assuré"
    CANCELLED_BY_FUND = "cancelled_by_fund", "Annulé par la caisse"


class CallOutcome(models.TextChoices):
    """The outcome of the preparatory call of the day before (« appel préparatoire »)."""

    REACHED = "reached", "Joint"
    NOT_REACHED = "not_reached", "Non joint"
    WILL_BE_REPRESENTED = (
        "will_be_represented",
        "Sera représenté(e) par son mandataire",
    )


class Arrival(models.TextChoices):
    """Who comes to the front desk for a desk appointment (rule RDV11)."""

    INSURED = "insured", "L'assuré(e) en personne"
    PROXY = "proxy", "Son mandataire (procuration)"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "lundi"
    TUESDAY = 1, "mardi"
    WEDNESDAY = 2, "mercredi"
    THURSDAY = 3, "jeudi"
    FRIDAY = 4, "vendredi"
    SATURDAY = 5, "samedi"
    SUNDAY = 6, "dimanche"
