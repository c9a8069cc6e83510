"""The rules of appointments (issue 17; decided in docs/decisions/appointments-rules.md).

Each rule returns a `Refusal` (None: allowed); the services check them whoever calls them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings

from guichet.appointments.enums import AppointmentStatus, Arrival, CallOutcome, Channel
from guichet.core import clock
from guichet.core.refusals import Refusal
from guichet.reference.enums import FamilyRole, NirStatus

if TYPE_CHECKING:
    from guichet.appointments.models import Appointment, Motif, Place
    from guichet.powers.models import PowerOfAttorney
    from guichet.reference.models import Person

# Rule RDV7: the one state machine of an appointment. A no-show changes nothing else: no
# penalty, no block on booking again (rule RDV13, docs/decisions/appointments-rules.md).
# Rule RDV11: a desk appointment's arrival is checked in (booked → checked in) before it is seen.
APPOINTMENT_MACHINE_TABLE = {
    "": [AppointmentStatus.BOOKED],
    AppointmentStatus.BOOKED: [
        AppointmentStatus.CHECKED_IN,
        AppointmentStatus.BOOKED,  # moved to another slot by the person (RDV17)
        AppointmentStatus.SEEN,
        AppointmentStatus.NO_SHOW,
        AppointmentStatus.CANCELLED_BY_PERSON,
        AppointmentStatus.CANCELLED_BY_FUND,
    ],
    AppointmentStatus.CHECKED_IN: [AppointmentStatus.SEEN, AppointmentStatus.CANCELLED_BY_FUND],
    AppointmentStatus.SEEN: [],
    AppointmentStatus.NO_SHOW: [],
    AppointmentStatus.CANCELLED_BY_PERSON: [],
    AppointmentStatus.CANCELLED_BY_FUND: [],
}
# What the front desk may do on the day (rule RDV7).
DESK_TARGETS = (
    AppointmentStatus.SEEN,
    AppointmentStatus.NO_SHOW,
    AppointmentStatus.CANCELLED_BY_FUND,
)

# Rule RDV1: the defaults of a new motif (each motif may set its own).
DEFAULT_MIN_BOOKING_DELAY_HOURS = 24
DEFAULT_MAX_BOOKING_DELAY_DAYS = 42

SLOT_TAKEN = Refusal(
    "slot_taken",
    "Ce créneau vient d'être réservé par une autre personne. Merci d'en choisir un autre.",
    "slot",
)
SLOT_UNAVAILABLE = Refusal(
    "slot_unavailable",
    "Ce créneau n'est pas proposé pour ce motif et ce lieu. Merci de choisir l'un des créneaux libres affichés.",
    "slot",
)
ALREADY_BOOKED = Refusal(
    "already_booked",
    "Vous avez déjà un rendez-vous à venir pour ce motif. Annulez-le dans « Mes rendez-vous » avant d'en prendre un autre.",
    "motif",
)
NO_POWER_FOR_DATE = Refusal(
    "no_power_for_date",
    "Aucune procuration en cours ne couvre la date de ce rendez-vous : votre mandataire ne pourra pas vous y représenter. Vous pouvez faire une nouvelle procuration.",
    "represented",
)
NOT_CANCELLABLE = Refusal(
    "not_cancellable", "Ce rendez-vous ne peut plus être annulé : il n'est plus à venir."
)
OPENING_OVERLAP = Refusal(
    "opening_overlap",
    "Cette plage d'ouverture chevauche une autre plage du même agent (mêmes jours, mêmes heures, mêmes dates).",
)
BAD_WEEKDAYS = Refusal(
    "opening_weekdays",
    "Choisissez au moins un jour de la semaine, du lundi au dimanche.",
    "weekdays",
)
ABSENCE_ORDER = Refusal("absence_order", "La fin de l'absence doit être après son début.", "end")
TOO_EARLY_FOR_OUTCOME = Refusal(
    "too_early_for_outcome",
    "Ce rendez-vous n'a pas encore eu lieu : il ne peut être marqué « reçu » ou « absent » qu'à partir de son heure.",
)
CALL_NOT_DUE = Refusal(
    "call_not_due", "L'appel préparatoire ne concerne que les rendez-vous à venir."
)
NOT_MOVABLE = Refusal(
    "not_movable", "Ce rendez-vous ne peut plus être déplacé : il n'est plus à venir."
)
SAME_SLOT = Refusal(
    "same_slot", "Votre rendez-vous est déjà à ce créneau : choisissez-en un autre.", "slot"
)
NOT_IN_FAMILY = Refusal(
    "not_in_family",
    "Vous ne pouvez prendre un rendez-vous que pour vous-même ou pour un bénéficiaire de votre famille.",
    "beneficiary",
)
# Rule RDV30: nothing is booked in the name of a beneficiary the fund has not identified yet (a
# newborn declared online, SIT19): a refused declaration must take the child out of the family
# with nothing kept in their name (SIT20; an appointment and its consultation log are kept).
BENEFICIARY_NIR_NOT_CERTIFIED = Refusal(
    "beneficiary_nir_not_certified",
    "Le numéro de sécurité sociale de ce bénéficiaire n'est pas encore certifié par votre caisse "
    "(par exemple pour un nouveau-né déclaré récemment) : vous pourrez prendre un rendez-vous "
    "pour lui une fois ce numéro certifié, ou dès maintenant pour vous-même.",
    "beneficiary",
)
OUTSIDE_SCOPE = Refusal(
    "outside_scope", "Ce lieu n'appartient pas à la caisse de l'agent.", "place"
)
# Rule RDV24: any fund's place open to appointments, with a motif of that place's fund.
PLACE_NOT_BOOKABLE = Refusal(
    "place_not_bookable",
    "Ce lieu ne prend plus de rendez-vous. Merci d'en choisir un autre.",
    "lieu",
)
MOTIF_NOT_OF_PLACE = Refusal(
    "motif_not_of_place",
    "Ce motif n'est pas proposé dans ce lieu : les motifs dépendent de la caisse du lieu choisi. Choisissez l'un des motifs proposés pour ce lieu.",
    "motif",
)

NOT_CHECKED_IN = Refusal(
    "not_checked_in",
    "Enregistrez d'abord l'arrivée de la personne (et, pour un mandataire, la vérification de sa pièce d'identité) avant de la marquer « reçue ».",
)
CHECK_IN_NOT_DESK = Refusal(
    "check_in_not_desk",
    "Un rendez-vous téléphonique n'a pas d'arrivée à l'accueil : marquez-le directement « reçu » ou « absent ».",
)
CHECK_IN_NOT_BOOKED = Refusal(
    "check_in_not_booked",
    "L'arrivée ne peut être enregistrée que pour un rendez-vous réservé, ni annulé ni déjà traité.",
)
CHECK_IN_NOT_TODAY = Refusal(
    "check_in_not_today",
    "L'arrivée ne peut être enregistrée que le jour du rendez-vous.",
)
CHECK_IN_NO_POWER = Refusal(
    "check_in_no_power",
    "Aucune procuration en cours pour cet assuré : le mandataire ne peut pas être reçu à sa place.",
    "arrival",
)
ARRIVAL_UNKNOWN = Refusal("arrival", "Indiquez qui se présente à l'accueil.", "arrival")
ABSENCE_NOT_ALLOWED = Refusal(
    "absence_not_allowed",
    "Seul l'agent lui-même ou un superviseur de sa caisse peut déclarer son absence.",
)
# Rules RDV22 and RDV23: a place's openings and closed days are its fund's supervisors' work.
NOT_SUPERVISOR_OF_PLACE = Refusal(
    "not_supervisor_of_place",
    "Seul un superviseur de la caisse de ce lieu peut gérer ses plages d'ouverture et ses jours de fermeture.",
)
OPENING_AGENT_NOT_IN_FUND = Refusal(
    "opening_agent_not_in_fund",
    "Choisissez un agent d'accueil de la caisse de ce lieu.",
    "agent",
)
OPENING_IN_PAST = Refusal(
    "opening_in_past",
    "Une plage d'ouverture ne peut pas commencer avant aujourd'hui.",
    "first_day",
)
OPENING_NO_MOTIF = Refusal(
    "opening_no_motif", "Choisissez au moins un motif de rendez-vous.", "motifs"
)
CLOSURE_IN_PAST = Refusal(
    "closure_in_past", "Un jour de fermeture ne peut pas être déjà passé.", "day"
)
CLOSURE_EXISTS = Refusal("closure_exists", "Ce lieu est déjà fermé ce jour-là.", "day")
NOT_IN_FUND = Refusal(
    "person_not_in_fund",
    "Aucun assuré de votre caisse ne correspond à ce numéro de sécurité sociale.",
    "nir",
)


CLOSURE_PAST = Refusal(
    "closure_past", "Un jour de fermeture déjà passé ne peut plus être retiré.", "day"
)


def cancel_delay() -> dt.timedelta:
    """Rule RDV5: how long before its start the person may still cancel online
    (GUICHET_APPOINTMENT_CANCEL_HOURS, 24 by default)."""
    return dt.timedelta(hours=settings.APPOINTMENT_CANCEL_HOURS)


def booking_window(motif: Motif, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Rule RDV1: the first and last instants a slot of `motif` may start, seen from `now`:
    at least the motif's minimum delay (hours) ahead, at most its maximum delay (days, to the
    end of that day in Europe/Paris)."""
    earliest = now + dt.timedelta(hours=motif.min_booking_delay_hours)
    last_day = now.astimezone(clock.PARIS).date() + dt.timedelta(days=motif.max_booking_delay_days)
    return earliest, clock.end_of_day(last_day)


def window_refusal(motif: Motif, start: dt.datetime, now: dt.datetime) -> Refusal | None:
    """Rule RDV1 on one start."""
    earliest, latest = booking_window(motif, now)
    if start < earliest:
        return Refusal(
            "too_soon",
            f"Ce créneau est trop proche : un rendez-vous « {motif.name} » se prend au moins "
            f"{motif.min_booking_delay_hours} heures à l'avance.",
            "slot",
        )
    if start > latest:
        return Refusal(
            "too_far",
            f"Ce créneau est trop lointain : un rendez-vous « {motif.name} » se prend au plus "
            f"{motif.max_booking_delay_days} jours à l'avance.",
            "slot",
        )
    return None


def place_motif_refusal(place: Place, motif: Motif) -> Refusal | None:
    """Rule RDV24: an insured books at a place of any fund (their own fund's first on the
    pages), open to appointments, for an active motif of that place's own fund."""
    if not place.is_active:
        return PLACE_NOT_BOOKABLE
    if motif.fund_id != place.fund_id or not motif.is_active:
        return MOTIF_NOT_OF_PLACE
    return None


def one_upcoming_refusal(*, has_upcoming: bool) -> Refusal | None:
    """Rule RDV2: one upcoming appointment per motif and person."""
    return ALREADY_BOOKED if has_upcoming else None


def power_covers(power: PowerOfAttorney | None, start: dt.datetime) -> bool:
    """Rule RDV6: an active power whose month still runs at the appointment's start."""
    return power is not None and power.is_usable_at(start)


def proxy_refusal(power: PowerOfAttorney | None, start: dt.datetime) -> Refusal | None:
    """Rule RDV6: « Je me ferai représenter par mon mandataire » needs a power covering the
    appointment's date."""
    return None if power_covers(power, start) else NO_POWER_FOR_DATE


def power_ends_before(power: PowerOfAttorney | None, start: dt.datetime) -> bool:
    """Rule RDV21: a power is in force now but ends before the appointment's start (the page
    says so and offers to renew it)."""
    return power is not None and not power_covers(power, start)


def cancel_refusal(appointment: Appointment, now: dt.datetime) -> Refusal | None:
    """Rule RDV5: the person cancels a booked appointment up to the configured delay before."""
    if appointment.status != AppointmentStatus.BOOKED or appointment.start <= now:
        return NOT_CANCELLABLE
    if appointment.start - now < cancel_delay():
        hours = settings.APPOINTMENT_CANCEL_HOURS
        return Refusal(
            "cancel_too_late",
            f"Ce rendez-vous commence dans moins de {hours} heures : il ne peut plus être annulé "
            "en ligne. Appelez votre caisse au 3646.",
        )
    return None


def move_refusal(appointment: Appointment, now: dt.datetime) -> Refusal | None:
    """Rule RDV17: the person moves a booked appointment to come, up to the same delay before
    as a cancellation (RDV5): after it, the slot is the fund's to plan."""
    if appointment.status != AppointmentStatus.BOOKED or appointment.start <= now:
        return NOT_MOVABLE
    if appointment.start - now < cancel_delay():
        hours = settings.APPOINTMENT_CANCEL_HOURS
        return Refusal(
            "move_too_late",
            f"Ce rendez-vous commence dans moins de {hours} heures : il ne peut plus être déplacé "
            "en ligne. Appelez votre caisse au 3646.",
        )
    return None


def beneficiary_refusal(*, by_person_id: int | None, person: Person) -> Refusal | None:
    """Rule RDV30: an account books for a beneficiary other than its own person only once the
    fund has certified that beneficiary's NIR."""
    if by_person_id is None or person.pk == by_person_id:
        return None
    if person.nir_status != NirStatus.CERTIFIED:
        return BENEFICIARY_NIR_NOT_CERTIFIED
    return None


def bookable_people(*, holder: Person, members: list[Person]) -> list[Person]:
    """Rule RDV19: for whom an account holder books: the insured who opens the family's rights
    books for every member of the family (themselves first); anybody else for themselves."""
    if holder.role != FamilyRole.RIGHTS_OPENER:
        return [holder]
    return sorted(members, key=lambda p: (p.pk != holder.pk, p.birth_date, p.pk))


# Rule RDV20: the reminder goes once, this long before the start (real hours, not wall-clock:
# 48 hours before a Monday 09:00 after the spring change is Saturday 08:00).
REMINDER_DELAY = dt.timedelta(hours=48)


def outcome_refusal(appointment: Appointment, target: str, now: dt.datetime) -> Refusal | None:
    """Rule RDV7: « reçu » and « absent » only once the appointment's time has come; the fund
    cancels any booked appointment that has not started. Rule RDV12: a desk appointment is
    « reçu » only once its arrival is checked in (so a proxy is never served unchecked), and a
    checked-in person is not « absent »."""
    checked_in = appointment.status == AppointmentStatus.CHECKED_IN
    outcome = target in (AppointmentStatus.SEEN, AppointmentStatus.NO_SHOW)
    if outcome and now < appointment.start and not checked_in:
        return TOO_EARLY_FOR_OUTCOME
    if (
        target == AppointmentStatus.SEEN
        and not checked_in
        and appointment.motif.channel == Channel.DESK
    ):
        return NOT_CHECKED_IN
    if target == AppointmentStatus.CANCELLED_BY_FUND and appointment.start <= now:
        return Refusal(
            "cancel_started",
            "Ce rendez-vous a déjà commencé : marquez-le « reçu » ou « absent ».",
        )
    return None


def call_refusal(appointment: Appointment, outcome: str, now: dt.datetime) -> Refusal | None:
    """Rule RDV8: the preparatory call concerns a booked appointment still to come; « sera
    représenté(e) » needs a power covering its date (rule RDV6)."""
    if appointment.status != AppointmentStatus.BOOKED or appointment.start <= now:
        return CALL_NOT_DUE
    if outcome not in CallOutcome.values:
        return Refusal("call_outcome", "Choisissez le résultat de l'appel.", "outcome")
    return None


def weekdays_refusal(weekdays: list[int]) -> Refusal | None:
    if not weekdays or any(not isinstance(d, int) or not 0 <= d <= 6 for d in weekdays):
        return BAD_WEEKDAYS
    return None


def openings_overlap(
    a_days: set[int],
    a_times: tuple[dt.time, dt.time],
    a_dates: tuple[dt.date, dt.date | None],
    b_days: set[int],
    b_times: tuple[dt.time, dt.time],
    b_dates: tuple[dt.date, dt.date | None],
) -> bool:
    """Rule RDV4: two openings of one agent overlap when they share a weekday, their hours
    intersect and their date ranges intersect (an open end runs for ever)."""
    if not a_days & b_days:
        return False
    if not (a_times[0] < b_times[1] and b_times[0] < a_times[1]):
        return False
    a_last = a_dates[1] or dt.date.max
    b_last = b_dates[1] or dt.date.max
    return a_dates[0] <= b_last and b_dates[0] <= a_last


def check_in_refusal(
    appointment: Appointment, arrival: str, power: PowerOfAttorney | None, now: dt.datetime
) -> Refusal | None:
    """Rule RDV11: the arrival of a booked desk appointment is checked in on its day (Europe/
    Paris), by the insured in person or by their proxy under a power in force right now (the
    proxy's identity document is then checked and recorded, rule P8)."""
    if appointment.motif.channel != Channel.DESK:
        return CHECK_IN_NOT_DESK
    if appointment.status != AppointmentStatus.BOOKED:
        return CHECK_IN_NOT_BOOKED
    if appointment.start.astimezone(clock.PARIS).date() != now.astimezone(clock.PARIS).date():
        return CHECK_IN_NOT_TODAY
    if arrival not in Arrival.values:
        return ARRIVAL_UNKNOWN
    if arrival == Arrival.PROXY and not power_covers(power, now):
        return CHECK_IN_NO_POWER
    return None


# Rules RDV26–RDV29: a fund's places, motifs, openings and closed days, managed online by its
# supervisors (docs/decisions/appointments-places-and-motifs.md).
NOT_SUPERVISOR = Refusal(
    "not_supervisor",
    "Seul un superviseur de la caisse peut gérer ses lieux d'accueil et ses motifs de rendez-vous.",
)
MOTIF_DELAYS = Refusal(
    "motif_delays",
    "Le délai maximum de réservation doit être après le délai minimum : par exemple au moins 24 heures et au plus 42 jours à l'avance.",
    "max_booking_delay_days",
)
MOTIF_CHANNEL_LOCKED = Refusal(
    "motif_channel_locked",
    "Des rendez-vous à venir sont réservés pour ce motif : sa modalité (à l'accueil ou par téléphone) ne peut plus changer. Créez un autre motif.",
    "channel",
)
OPENING_EDIT_IN_PAST = Refusal(
    "opening_edit_in_past",
    "Une plage modifiée ne peut pas commencer avant aujourd'hui, sauf à garder sa date de début.",
    "first_day",
)
MOTIF_MAX_DELAY_DAYS = 365
MOTIF_MAX_MIN_DELAY_HOURS = 24 * 90


def motif_delays_refusal(min_hours: int, max_days: int) -> Refusal | None:
    """Rule RDV26: the latest booking delay (days) ends after the earliest one (hours)."""
    return None if max_days * 24 > min_hours else MOTIF_DELAYS


def opening_covers(
    *,
    weekdays: list[int],
    start_time: dt.time,
    end_time: dt.time,
    first_day: dt.date,
    last_day: dt.date | None,
    motif_ids: set[int],
    appointment: Appointment,
) -> bool:
    """Rule RDV28: an opening holds an appointment when the motif is one of its motifs and the
    appointment lies inside its hours, on one of its weekdays, within its dates (Paris time)."""
    local_start = appointment.start.astimezone(clock.PARIS)
    local_end = appointment.end.astimezone(clock.PARIS)
    day = local_start.date()
    return (
        appointment.motif_id in motif_ids
        and day.weekday() in weekdays
        and first_day <= day <= (last_day or dt.date.max)
        and local_end.date() == day
        and start_time <= local_start.time()
        and local_end.time() <= end_time
    )


def opening_orphans_refusal(orphans: list[Appointment]) -> Refusal | None:
    """Rule RDV28: an opening is not shortened nor removed under appointments already booked
    in it: the supervisor gets their list (moved or cancelled first, or kept by another
    opening of the same agent)."""
    if not orphans:
        return None
    listed = " ; ".join(
        f"{a.local_start:%d/%m/%Y à %H:%M} ({a.person.full_name})" for a in orphans[:10]
    )
    more = f" et {len(orphans) - 10} autre(s)" if len(orphans) > 10 else ""
    return Refusal(
        "opening_has_bookings",
        f"{len(orphans)} rendez-vous déjà réservé(s) sortirai(en)t de cette plage : {listed}{more}. "
        "Annulez-les d'abord (absence de l'agent ou jour de fermeture) ou gardez-les dans la plage.",
    )
