"""Appointments with the fund (« Mon agenda », issue 17, rules RDV1–RDV10).

Modelled on rdv-service-public: each fund has places (« lieux ») and motifs; agents open
recurring slots (« plages d'ouverture ») at a place for some motifs, and record absences; the
free slots are computed from them (selectors.free_slots), never stored. Only the booked
appointment is a row, and a partial unique constraint books a slot once (rule RDV3).
"""

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from guichet.accounts.models import User
from guichet.appointments.enums import AppointmentStatus, CallOutcome, Channel
from guichet.core import clock
from guichet.core.models import TransitionLog
from guichet.powers.models import PowerUse
from guichet.reference.models import Fund, Person

# The statuses that hold their slot: a cancelled appointment frees it (rule RDV3).
HOLDING_STATUSES = (
    AppointmentStatus.BOOKED,
    AppointmentStatus.CHECKED_IN,
    AppointmentStatus.SEEN,
    AppointmentStatus.NO_SHOW,
)


class Place(models.Model):
    """One of a fund's front desks (« accueil »)."""

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="places", verbose_name="caisse"
    )
    name = models.CharField("nom", max_length=120)
    address = models.CharField("adresse", max_length=250)
    opening_hours = models.CharField(
        "horaires d'ouverture",
        max_length=250,
        help_text="Tels qu'affichés aux assurés, par exemple « Du lundi au vendredi, 8 h 30 – 17 h ».",
    )
    is_active = models.BooleanField("ouvert aux rendez-vous", default=True)

    class Meta:
        verbose_name = "lieu d'accueil"
        verbose_name_plural = "lieux d'accueil"
        ordering = ["fund_id", "name"]

    def __str__(self) -> str:
        return self.name


class Motif(models.Model):
    """Why one books (« Rendez-vous à l'accueil », « Rendez-vous téléphonique »): its length,
    its channel and its booking window (rule RDV1)."""

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="motifs", verbose_name="caisse"
    )
    name = models.CharField("nom", max_length=120)
    channel = models.CharField("modalité", max_length=5, choices=Channel.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        "durée (minutes)", validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    min_booking_delay_hours = models.PositiveSmallIntegerField(
        "délai minimum de réservation (heures)", default=24
    )
    max_booking_delay_days = models.PositiveSmallIntegerField(
        "délai maximum de réservation (jours)", default=42
    )
    is_active = models.BooleanField("proposé aux assurés", default=True)

    class Meta:
        verbose_name = "motif de rendez-vous"
        verbose_name_plural = "motifs de rendez-vous"
        ordering = ["fund_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=240),
                name="motif_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="motif_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(max_booking_delay_days__gte=1), name="motif_max_delay_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OpeningSlot(models.Model):
    """An agent's recurring opening (« plage d'ouverture »): at a place, for some motifs, on
    some weekdays, between two times, from a first day to a last one (open-ended if none)."""

    agent = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="opening_slots", verbose_name="agent"
    )
    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="opening_slots", verbose_name="lieu"
    )
    motifs = models.ManyToManyField(Motif, related_name="opening_slots", verbose_name="motifs")
    weekdays = models.JSONField(
        "jours de la semaine", help_text="0 pour lundi … 6 pour dimanche, par exemple [0, 2, 4]."
    )
    start_time = models.TimeField("de")
    end_time = models.TimeField("à")
    first_day = models.DateField("à partir du")
    last_day = models.DateField("jusqu'au", null=True, blank=True)

    class Meta:
        verbose_name = "plage d'ouverture"
        verbose_name_plural = "plages d'ouverture"
        ordering = ["place_id", "agent_id", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="opening_slot_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(last_day__isnull=True) | Q(last_day__gte=F("first_day")),
                name="opening_slot_last_day_after_first",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} — {self.agent} ({self.start_time:%H:%M}–{self.end_time:%H:%M})"


class Absence(models.Model):
    """An agent's absence or a closed day: no slot is offered inside it."""

    agent = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="absences", verbose_name="agent"
    )
    start = models.DateTimeField("début")
    end = models.DateTimeField("fin")
    reason = models.CharField("motif", max_length=200, blank=True)

    class Meta:
        verbose_name = "absence"
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="absence_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.agent} du {self.start:%d/%m/%Y %H:%M} au {self.end:%d/%m/%Y %H:%M}"


class PlaceClosure(models.Model):
    """A day a place is closed (« fermeture exceptionnelle », rule RDV23): no slot is offered
    there that day, whoever's opening it is."""

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="closures", verbose_name="lieu"
    )
    day = models.DateField("jour")
    reason = models.CharField("motif", max_length=200, blank=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déclaré par",
    )
    created_at = models.DateTimeField("déclaré le", default=clock.now)

    class Meta:
        verbose_name = "jour de fermeture"
        verbose_name_plural = "jours de fermeture"
        ordering = ["place_id", "day"]
        constraints = [
            models.UniqueConstraint(fields=["place", "day"], name="place_closure_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.place} fermé le {self.day:%d/%m/%Y}"


class Appointment(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="appointments", verbose_name="assuré"
    )
    booked_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="réservé par",
    )
    motif = models.ForeignKey(Motif, on_delete=models.PROTECT, verbose_name="motif")
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="appointments", verbose_name="lieu"
    )
    agent = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="appointments", verbose_name="agent"
    )
    start = models.DateTimeField("début")
    end = models.DateTimeField("fin")
    phone = models.CharField("téléphone", max_length=20)
    represented_by_proxy = models.BooleanField("représenté par son mandataire", default=False)
    status = models.CharField(
        "statut",
        max_length=20,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    created_at = models.DateTimeField("réservé le", default=clock.now)
    call_outcome = models.CharField(
        "appel préparatoire", max_length=20, choices=CallOutcome.choices, blank=True
    )
    called_at = models.DateTimeField("appelé le", null=True, blank=True)
    called_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="appelé par",
    )
    power_use = models.ForeignKey(
        PowerUse,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="identité du mandataire vérifiée",
        help_text="La vérification de la pièce d'identité du mandataire à son arrivée (règle P8).",
    )
    sequence = models.PositiveIntegerField(
        "version du fichier agenda",
        default=0,
        help_text="SEQUENCE du fichier ICS : augmente à chaque déplacement (règle RDV18).",
    )
    reminded_at = models.DateTimeField(
        "rappel envoyé le",
        null=True,
        blank=True,
        help_text="Le rappel de 48 heures, envoyé une seule fois (règle RDV20).",
    )

    class Meta:
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["place", "start"]), models.Index(fields=["agent", "start"])]
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "start"],
                condition=Q(status__in=HOLDING_STATUSES),
                name="appointment_slot_booked_once",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AppointmentStatus.values), name="appointment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="appointment_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(call_outcome="") | Q(call_outcome__in=CallOutcome.values),
                name="appointment_call_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Rendez-vous du {clock_local(self.start):%d/%m/%Y à %H:%M} ({self.motif})"

    @property
    def local_start(self) -> dt.datetime:
        """The start in Europe/Paris, the time the person reads (rule RDV9)."""
        return clock_local(self.start)

    @property
    def local_end(self) -> dt.datetime:
        return clock_local(self.end)

    @property
    def is_upcoming(self) -> bool:
        return self.status == AppointmentStatus.BOOKED and self.start > clock.now()


def clock_local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(clock.PARIS)


class AppointmentTransition(TransitionLog):
    """One change of status of an appointment: the audit trail (rule RDV7)."""

    subject_field = "appointment"

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        "de", max_length=20, choices=AppointmentStatus.choices, blank=True
    )
    to_status = models.CharField("vers", max_length=20, choices=AppointmentStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "changement de statut de rendez-vous"
        verbose_name_plural = "changements de statut de rendez-vous"
