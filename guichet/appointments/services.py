"""Writes of appointments: openings and absences (agents), booking and cancelling (the
person), the preparatory call and the day's transitions (front desk). Rules RDV1–RDV10.

Every service checks its own rules, whoever calls it, and raises `Refused` with the rule's
French message.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F

from guichet.accounts.enums import AgentRole
from guichet.accounts.models import User
from guichet.accounts.rules import FRONT_DESK_ROLES, agent_fund_id
from guichet.appointments import notifications, rules, selectors
from guichet.appointments.enums import AppointmentStatus, Arrival, CallOutcome, Channel
from guichet.appointments.models import (
    Absence,
    Appointment,
    AppointmentTransition,
    Motif,
    OpeningSlot,
    Place,
    PlaceClosure,
)
from guichet.appointments.validators import clean_appointment_phone
from guichet.core import clock
from guichet.core.refusals import Refusal, Refused, refuse
from guichet.core.transitions import StateMachine
from guichet.powers import selectors as power_selectors
from guichet.powers import services as power_services
from guichet.reference.models import Person

SUPERVISOR_ROLES = frozenset({AgentRole.SUPERVISOR})

APPOINTMENT_MACHINE = StateMachine(
    rules.APPOINTMENT_MACHINE_TABLE,
    log=AppointmentTransition,
    stale=Refusal(
        "appointment_changed",
        "Ce rendez-vous a changé entre-temps (annulé ou déjà traité). Rechargez la page.",
    ),
)


# --- Openings and absences (rule RDV4) ---------------------------------------------------------


@transaction.atomic
def opening_slot_create(
    *,
    agent: User,
    place: Place,
    motifs: list[Motif],
    weekdays: list[int],
    start_time: dt.time,
    end_time: dt.time,
    first_day: dt.date,
    last_day: dt.date | None = None,
) -> OpeningSlot:
    """Open an agent's recurring slot; refused when it overlaps another of the same agent
    (rule RDV4), or when its place or motifs are not of the agent's fund."""
    refuse(rules.weekdays_refusal(weekdays))
    if end_time <= start_time:
        raise Refused(Refusal("opening_times", "L'heure de fin doit être après l'heure de début."))
    if last_day is not None and last_day < first_day:
        raise Refused(Refusal("opening_dates", "La date de fin doit être après la date de début."))
    if place.fund_id != agent.fund_id or any(m.fund_id != agent.fund_id for m in motifs):
        raise Refused(rules.OUTSIDE_SCOPE)
    # Lock the agent's row: two openings created at once for one agent are checked in turn.
    User.objects.select_for_update().filter(pk=agent.pk).first()
    for other in OpeningSlot.objects.filter(agent=agent):
        if rules.openings_overlap(
            set(weekdays),
            (start_time, end_time),
            (first_day, last_day),
            set(other.weekdays),
            (other.start_time, other.end_time),
            (other.first_day, other.last_day),
        ):
            raise Refused(rules.OPENING_OVERLAP)
    opening = OpeningSlot.objects.create(
        agent=agent,
        place=place,
        weekdays=sorted(set(weekdays)),
        start_time=start_time,
        end_time=end_time,
        first_day=first_day,
        last_day=last_day,
    )
    opening.motifs.set(motifs)
    return opening


def _supervisor_of(by: User, place: Place) -> None:
    """Rules RDV22, RDV23: only a supervisor of the place's fund manages it."""
    if agent_fund_id(by, roles=SUPERVISOR_ROLES) != place.fund_id:
        raise Refused(rules.NOT_SUPERVISOR_OF_PLACE)


@transaction.atomic
def opening_slot_open(
    *,
    by: User,
    agent: User,
    place: Place,
    motifs: list[Motif],
    weekdays: list[int],
    start_time: dt.time,
    end_time: dt.time,
    first_day: dt.date,
    last_day: dt.date | None = None,
) -> OpeningSlot:
    """Rule RDV22: a supervisor of the place's fund opens a recurring slot there for one of
    the fund's active front-desk agents or supervisors, from today on, for at least one of
    the fund's motifs, with the checks of `opening_slot_create` (overlaps refused, RDV4)."""
    _supervisor_of(by, place)
    if not agent.is_active or agent_fund_id(agent, roles=FRONT_DESK_ROLES) != place.fund_id:
        raise Refused(rules.OPENING_AGENT_NOT_IN_FUND)
    if not motifs:
        raise Refused(rules.OPENING_NO_MOTIF)
    if first_day < clock.today():
        raise Refused(rules.OPENING_IN_PAST)
    return opening_slot_create(
        agent=agent,
        place=place,
        motifs=motifs,
        weekdays=weekdays,
        start_time=start_time,
        end_time=end_time,
        first_day=first_day,
        last_day=last_day,
    )


CLOSURE_NOTE = "Fermeture du lieu"
CLOSURE_REASON_MAX = 200


@transaction.atomic
def place_closure_record(
    *, by: User, place: Place, day: dt.date, reason: str = ""
) -> tuple[PlaceClosure, list[Appointment]]:
    """Rule RDV23: a supervisor of the place's fund closes it for a day (today or later): no
    slot is offered there that day (`selectors.free_slots`), and every appointment booked
    there that day and still to come is cancelled « par la caisse », logged and notified to
    the person (email and notification), as an absence does (RDV14)."""
    _supervisor_of(by, place)
    reason = reason.strip()
    if len(reason) > CLOSURE_REASON_MAX:
        raise Refused(
            Refusal(
                "closure_reason",
                "Le motif de la fermeture ne doit pas dépasser 200 caractères.",
                "reason",
            )
        )
    if day < clock.today():
        raise Refused(rules.CLOSURE_IN_PAST)
    try:
        with transaction.atomic():
            closure = PlaceClosure.objects.create(
                place=place, day=day, reason=reason, created_by=by
            )
    except IntegrityError as error:
        raise Refused(rules.CLOSURE_EXISTS) from error
    start, end = selectors.day_bounds(day)
    booked = (
        Appointment.objects.select_for_update()
        .select_related("motif", "place__fund", "person")
        .filter(
            place=place,
            status=AppointmentStatus.BOOKED,
            start__gte=start,
            start__lt=end,
            start__gt=clock.now(),
        )
        .order_by("start")
    )
    note = f"{CLOSURE_NOTE} : {reason}" if reason else CLOSURE_NOTE
    cancelled = []
    for appointment in booked:
        APPOINTMENT_MACHINE.move(appointment, AppointmentStatus.CANCELLED_BY_FUND, by=by, note=note)
        notifications.appointment_cancelled(appointment=appointment)
        cancelled.append(appointment)
    return closure, cancelled


def absence_create(
    *, agent: User, start: dt.datetime, end: dt.datetime, reason: str = ""
) -> Absence:
    """An agent's absence or a closed day: no slot is offered inside it (rule RDV9)."""
    if end <= start:
        raise Refused(rules.ABSENCE_ORDER)
    return Absence.objects.create(agent=agent, start=start, end=end, reason=reason)


# --- Booking and cancelling (rules RDV1–RDV6) ----------------------------------------------------


@transaction.atomic
def appointment_book(
    *,
    person: Person,
    by: User,
    motif: Motif,
    place: Place,
    start: dt.datetime,
    phone: str,
    represented_by_proxy: bool = False,
) -> Appointment:
    """Book the free slot starting at `start`, with a free agent of the place for the motif,
    for `person`: the account holder or, booked from the holder's account, a beneficiary of
    their family (RDV19; an agent books for anybody of their fund).

    The place may be any fund's, open to appointments, and the motif must be one of that
    place's fund (RDV24). Checks a beneficiary's NIR certified (RDV30), the booking window
    (RDV1), one upcoming appointment per motif (RDV2, the person's row locked so that two tabs
    cannot both pass), the power when represented (RDV6) and the
    slot itself: never offered → SLOT_UNAVAILABLE; taken, even by a booking that committed
    between the read and the insert (the partial unique constraint, RDV3) → SLOT_TAKEN.
    """
    now = clock.now()
    if by.person_id is not None:
        _check_acts_for(by, person)
    refuse(rules.beneficiary_refusal(by_person_id=by.person_id, person=person))
    refuse(rules.place_motif_refusal(place, motif))
    try:
        phone = clean_appointment_phone(phone)
    except ValidationError as error:
        raise Refused(Refusal("phone", error.messages[0], "phone")) from error
    refuse(rules.window_refusal(motif, start, now))
    Person.objects.select_for_update().filter(pk=person.pk).first()
    refuse(
        rules.one_upcoming_refusal(has_upcoming=selectors.has_upcoming(person=person, motif=motif))
    )
    if represented_by_proxy:
        refuse(rules.proxy_refusal(power_selectors.current_power(person=person), start))
    for slot in _candidates(place=place, motif=motif, start=start, now=now):
        try:
            with transaction.atomic():
                appointment = Appointment.objects.create(
                    person=person,
                    booked_by=by,
                    motif=motif,
                    place=place,
                    agent_id=slot.agent_id,
                    start=slot.start,
                    end=slot.end,
                    phone=phone,
                    represented_by_proxy=represented_by_proxy,
                )
        except IntegrityError:
            continue  # booked by someone else since the read (rule RDV3): the next agent
        APPOINTMENT_MACHINE.record(appointment, source="", target=AppointmentStatus.BOOKED, by=by)
        notifications.appointment_booked(appointment=appointment)
        return appointment
    raise Refused(rules.SLOT_TAKEN)


def _check_acts_for(by: User, person: Person) -> None:
    """Rule RDV19: an insured account acts for its holder and, for the insured who opens the
    family's rights, for the family's beneficiaries."""
    if by.person is None or person.pk not in {
        p.pk for p in selectors.bookable_people(holder=by.person)
    }:
        raise Refused(rules.NOT_IN_FAMILY)


def _candidates(
    *, place: Place, motif: Motif, start: dt.datetime, now: dt.datetime
) -> list[selectors.Slot]:
    """The free slots (one per free agent) starting at `start`; refused with SLOT_TAKEN when
    the start is offered but booked, SLOT_UNAVAILABLE when it is never offered (RDV3)."""
    day = start.astimezone(clock.PARIS).date()
    slots = selectors.free_slots(place=place, motif=motif, first_day=day, last_day=day, now=now)
    candidates = [slot for slot in slots if slot.start == start]
    if not candidates:
        offered = selectors.free_slots(
            place=place, motif=motif, first_day=day, last_day=day, now=now, include_booked=True
        )
        refuse(
            rules.SLOT_TAKEN if any(s.start == start for s in offered) else rules.SLOT_UNAVAILABLE
        )
    return candidates


def _own_locked(person: Person, appointment_id: int) -> Appointment:
    """One appointment the account of `person` shows (RDV19), locked; DoesNotExist otherwise."""
    return (
        selectors.account_appointments(holder=person)
        .select_for_update(of=("self",))
        .select_related("motif", "place", "person")
        .get(pk=appointment_id)
    )


@transaction.atomic
def appointment_reschedule(
    *, person: Person, appointment_id: int, by: User, start: dt.datetime
) -> Appointment:
    """Rule RDV17: the person moves one of the appointments of their account to another free
    slot of the same motif and place, up to the cancellation delay before (RDV5), with the
    booking's rules: the window (RDV1), the slot free (RDV3, the partial unique constraint
    guarding a race), the power covering the new date when represented (RDV6). The same row
    keeps its id; its calendar file's SEQUENCE goes up (RDV18); the reminder is due again
    (RDV20). A log row booked → booked notes the move (RDV7)."""
    _check_acts_for(by, person)
    appointment = _own_locked(person, appointment_id)
    now = clock.now()
    refuse(rules.move_refusal(appointment, now))
    # A place or motif no longer open to appointments keeps its bookings, not new slots (RDV27).
    refuse(rules.place_motif_refusal(appointment.place, appointment.motif))
    if start == appointment.start:
        raise Refused(rules.SAME_SLOT)
    refuse(rules.window_refusal(appointment.motif, start, now))
    if appointment.represented_by_proxy:
        power = power_selectors.current_power(person=appointment.person)
        refuse(rules.proxy_refusal(power, start))
    previous = appointment.start
    # Moved into the reminder's window: the notice of the change stands as the reminder.
    reminded_at = now if start - now <= rules.REMINDER_DELAY else None
    for slot in _candidates(place=appointment.place, motif=appointment.motif, start=start, now=now):
        try:
            with transaction.atomic():
                updated = Appointment.objects.filter(
                    pk=appointment.pk, status=AppointmentStatus.BOOKED, start=previous
                ).update(
                    agent_id=slot.agent_id,
                    start=slot.start,
                    end=slot.end,
                    sequence=F("sequence") + 1,
                    reminded_at=reminded_at,
                )
        except IntegrityError:
            continue  # booked by someone else since the read (rule RDV3): the next agent
        if not updated:
            raise Refused(APPOINTMENT_MACHINE.stale)
        appointment.refresh_from_db()
        APPOINTMENT_MACHINE.record(
            appointment,
            source=AppointmentStatus.BOOKED,
            target=AppointmentStatus.BOOKED,
            by=by,
            note=f"Déplacé du {previous.astimezone(clock.PARIS):%d/%m/%Y %H:%M} "
            f"au {appointment.local_start:%d/%m/%Y %H:%M}",
        )
        notifications.appointment_moved(appointment=appointment, previous_start=previous)
        return appointment
    raise Refused(rules.SLOT_TAKEN)


@transaction.atomic
def appointment_cancel_by_person(*, person: Person, appointment_id: int, by: User) -> Appointment:
    """The person cancels one of the appointments of their account (their own or, for the
    holder, a beneficiary's: RDV19), up to the delay before (rule RDV5)."""
    _check_acts_for(by, person)
    appointment = _own_locked(person, appointment_id)
    refuse(rules.cancel_refusal(appointment, clock.now()))
    APPOINTMENT_MACHINE.move(appointment, AppointmentStatus.CANCELLED_BY_PERSON, by=by)
    notifications.appointment_cancelled(appointment=appointment)
    return appointment


# --- The 48-hour reminder (rule RDV20) ----------------------------------------------------------


def appointment_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Send the reminder of every appointment due one (RDV20), each exactly once: a conditional
    UPDATE claims the row (`reminded_at` still empty) in the transaction that queues the email,
    so that two runs at once, or one run again, never send it twice. Returns how many went."""
    now = now or clock.now()
    sent = 0
    for pk in list(selectors.reminders_due(now=now).values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = Appointment.objects.filter(
                pk=pk, reminded_at__isnull=True, status=AppointmentStatus.BOOKED, start__gt=now
            ).update(reminded_at=now)
            if not claimed:
                continue  # another run claimed it, or it changed since the read
            appointment = Appointment.objects.select_related("motif", "place", "person").get(pk=pk)
            notifications.appointment_reminder(appointment=appointment)
        sent += 1
    return sent


# --- The front desk (rules RDV7, RDV8, RDV10) ---------------------------------------------------


def _for_agent(agent: User, appointment_id: int) -> Appointment:
    fund_id = agent_fund_id(agent, roles=FRONT_DESK_ROLES)
    if fund_id is None:
        raise Appointment.DoesNotExist("Rendez-vous introuvable.")
    # Rule RDV24: the place's fund serves the appointment, whichever fund holds the person's file.
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("place", "motif", "person")
        .get(pk=appointment_id, place__fund_id=fund_id)
    )


@transaction.atomic
def appointment_call_record(*, appointment_id: int, agent: User, outcome: str) -> Appointment:
    """Rule RDV8: the outcome of the preparatory call. « Sera représenté(e) par son
    mandataire » marks the appointment as represented, if a power covers its date (RDV6)."""
    appointment = _for_agent(agent, appointment_id)
    refuse(rules.call_refusal(appointment, outcome, clock.now()))
    represented = appointment.represented_by_proxy
    if outcome == CallOutcome.WILL_BE_REPRESENTED:
        power = power_selectors.current_power(person=appointment.person)
        refuse(rules.proxy_refusal(power, appointment.start))
        represented = True
    Appointment.objects.filter(pk=appointment.pk).update(
        call_outcome=outcome,
        called_at=clock.now(),
        called_by=agent,
        represented_by_proxy=represented,
    )
    appointment.refresh_from_db()
    return appointment


@transaction.atomic
def appointment_move(
    *, appointment_id: int, agent: User, target: str, note: str = ""
) -> Appointment:
    """Rule RDV7: the front desk marks an appointment seen, no-show or cancelled by the fund;
    a cancellation notifies the person."""
    if target not in rules.DESK_TARGETS:
        raise Refused(Refusal("target", "Choisissez une action proposée."))
    appointment = _for_agent(agent, appointment_id)
    if not APPOINTMENT_MACHINE.can(appointment.status, target):
        raise Refused(APPOINTMENT_MACHINE.stale)
    refuse(rules.outcome_refusal(appointment, target, clock.now()))
    APPOINTMENT_MACHINE.move(appointment, target, by=agent, note=note)
    if target == AppointmentStatus.CANCELLED_BY_FUND:
        notifications.appointment_cancelled(appointment=appointment)
    return appointment


# --- The agents' agenda (rules RDV11–RDV15) -----------------------------------------------------

ABSENCE_NOTE = "Absence de l'agent"
ABSENCE_REASON_MAX = 200


@transaction.atomic
def appointment_check_in(
    *,
    appointment_id: int,
    agent: User,
    arrival: str,
    document_type: str = "",
    document_last_digits: str = "",
) -> Appointment:
    """Rule RDV11: the front desk records an arrival on the appointment's day. When the proxy
    comes, their identity document is checked and recorded the way the front desk does it
    (rule P8, `powers.services.power_use_record`), and the check is kept on the appointment.
    Another fund's appointment does not exist (Appointment.DoesNotExist, rule RDV10)."""
    appointment = _for_agent(agent, appointment_id)
    now = clock.now()
    power = power_selectors.current_power(person=appointment.person)
    refuse(rules.check_in_refusal(appointment, arrival, power, now))
    use = None
    note = "Arrivée de l'assuré(e)"
    if arrival == Arrival.PROXY and power is not None:  # a proxy without a power: refused above
        digits = document_last_digits.strip().upper()
        if not re.fullmatch(r"[0-9A-Z]{4}", digits):
            raise Refused(
                Refusal(
                    "document_last_digits",
                    "Saisissez les 4 derniers caractères du numéro de la pièce (chiffres ou lettres).",
                    "document_last_digits",
                )
            )
        use = power_services.power_use_record(
            power_id=power.pk,
            grantor=appointment.person,
            agent=agent,
            document_type=document_type,
            document_last_digits=digits,
            # RDV24: at another fund's place, that fund's desk checks the proxy for this
            # appointment (`_for_agent` scoped it to the place's fund), not the client file.
            at_fund_id=appointment.place.fund_id,
        )
        note = f"Arrivée du mandataire {power.proxy_display_name}, pièce d'identité vérifiée"
    APPOINTMENT_MACHINE.move(
        appointment, AppointmentStatus.CHECKED_IN, by=agent, note=note, power_use=use
    )
    return appointment


@transaction.atomic
def absence_record(
    *, by: User, agent: User, start: dt.datetime, end: dt.datetime, reason: str = ""
) -> tuple[Absence, list[Appointment]]:
    """Rule RDV14: an agent's absence (declared by the agent or a supervisor of their fund)
    cancels, « annulé par la caisse », every appointment of theirs booked inside it and still
    to come, and notifies each person (email and notification, rule RDV10)."""
    fund_id = agent_fund_id(by, roles=FRONT_DESK_ROLES)
    if (
        fund_id is None
        or agent.fund_id != fund_id
        or not (by.pk == agent.pk or by.agent_role == AgentRole.SUPERVISOR)
    ):
        raise Refused(rules.ABSENCE_NOT_ALLOWED)
    if len(reason.strip()) > ABSENCE_REASON_MAX:
        raise Refused(
            Refusal(
                "absence_reason",
                "Le motif de l'absence ne doit pas dépasser 200 caractères.",
                "reason",
            )
        )
    absence = absence_create(agent=agent, start=start, end=end, reason=reason.strip())
    booked = (
        Appointment.objects.select_for_update()
        .select_related("motif", "place__fund", "person")
        .filter(
            agent=agent,
            status=AppointmentStatus.BOOKED,
            start__lt=end,
            end__gt=start,
            start__gt=clock.now(),
        )
        .order_by("start")
    )
    cancelled = []
    note = f"{ABSENCE_NOTE} : {absence.reason}" if absence.reason else ABSENCE_NOTE
    for appointment in booked:
        APPOINTMENT_MACHINE.move(appointment, AppointmentStatus.CANCELLED_BY_FUND, by=by, note=note)
        notifications.appointment_cancelled(appointment=appointment)
        cancelled.append(appointment)
    return absence, cancelled


@transaction.atomic
def appointment_book_by_agent(
    *,
    agent: User,
    person: Person,
    motif: Motif,
    place: Place,
    start: dt.datetime,
    phone: str,
    represented_by_proxy: bool = False,
) -> Appointment:
    """Rule RDV15: a front-desk agent books for an insured of their own fund (at the desk, or on
    the phone when the person or their proxy calls), with every rule of the person's booking
    (RDV1–RDV10, `appointment_book`); the appointment records the agent as `booked_by`."""
    fund_id = agent_fund_id(agent, roles=FRONT_DESK_ROLES)
    if fund_id is None or person.family.fund_id != fund_id:
        raise Refused(rules.NOT_IN_FUND)
    return appointment_book(
        person=person,
        by=agent,
        motif=motif,
        place=place,
        start=start,
        phone=phone,
        represented_by_proxy=represented_by_proxy,
    )


# --- A fund's places, motifs, openings and closed days, online (rules RDV26–RDV29) -------------

PLACE_LIMITS = {"name": 120, "address": 250, "opening_hours": 250}
PLACE_LABELS = {
    "name": ("le nom du lieu", "Le nom"),
    "address": ("l'adresse du lieu", "L'adresse"),
    "opening_hours": ("les horaires d'ouverture", "Les horaires d'ouverture"),
}


def _supervised_fund_id(by: User) -> int:
    fund_id = agent_fund_id(by, roles=SUPERVISOR_ROLES)
    if fund_id is None:
        raise Refused(rules.NOT_SUPERVISOR)
    return fund_id


def _log(by: User, obj: models.Model, flag: int, fields: list[str] | None = None) -> None:
    """Rule RDV26: the agents' changes are logged where the admin logs them (the object's
    « Historique » in /admin/, `django.contrib.admin.models.LogEntry`): who, when, what."""
    message: list = []
    if flag == ADDITION:
        message = [{"added": {}}]
    elif flag == CHANGE:
        message = [{"changed": {"fields": fields or []}}]
    LogEntry.objects.log_actions(
        user_id=by.pk, queryset=[obj], action_flag=flag, change_message=message, single_object=True
    )


def _changed(obj: models.Model, values: dict) -> list[str]:
    """The verbose names of the fields `values` changes on `obj`, and sets them."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            field = obj._meta.get_field(name)
            changed.append(str(getattr(field, "verbose_name", name)))
            setattr(obj, name, value)
    return changed


def upcoming_booked(**where: object) -> int:
    return Appointment.objects.filter(
        status=AppointmentStatus.BOOKED, start__gt=clock.now(), **where
    ).count()


@transaction.atomic
def place_save(
    *,
    by: User,
    place: Place | None = None,
    name: str,
    address: str,
    opening_hours: str,
    is_active: bool = True,
) -> tuple[Place, int]:
    """Rule RDV26: a supervisor creates or edits one of their fund's places. Rule RDV27: a
    place closed to appointments keeps the ones already booked (returned: how many are still
    to come) and takes no new booking nor move. Logged (`_log`)."""
    fund_id = _supervised_fund_id(by)
    if place is not None:
        _supervisor_of(by, place)
        place = Place.objects.select_for_update().get(pk=place.pk)
    texts = {
        "name": name.strip(),
        "address": address.strip(),
        "opening_hours": opening_hours.strip(),
    }
    for field, value in texts.items():
        what, label = PLACE_LABELS[field]
        if not value:
            raise Refused(Refusal(f"place_{field}", f"Saisissez {what}.", field))
        if len(value) > PLACE_LIMITS[field]:
            raise Refused(
                Refusal(
                    f"place_{field}",
                    f"{label} ne doit pas dépasser {PLACE_LIMITS[field]} caractères.",
                    field,
                )
            )
    values: dict[str, object] = {**texts, "is_active": is_active}
    if place is None:
        place = Place.objects.create(fund_id=fund_id, **values)
        _log(by, place, ADDITION)
        return place, 0
    changed = _changed(place, values)
    if changed:
        place.save()
        _log(by, place, CHANGE, changed)
    return place, (0 if place.is_active else upcoming_booked(place=place))


@transaction.atomic
def motif_save(
    *,
    by: User,
    motif: Motif | None = None,
    name: str,
    channel: str,
    duration_minutes: int,
    min_booking_delay_hours: int,
    max_booking_delay_days: int,
    is_active: bool = True,
) -> tuple[Motif, int]:
    """Rule RDV26: a supervisor creates or edits one of their fund's motifs: a length of 5 to
    240 minutes, at the desk or by phone, a booking window whose latest delay ends after its
    earliest (RDV1). The channel does not change under upcoming bookings (their check-in
    depends on it); a new length applies to new slots only. Rule RDV27: deactivated, it keeps
    the bookings made (returned: how many are to come). Logged (`_log`)."""
    fund_id = _supervised_fund_id(by)
    if motif is not None:
        if motif.fund_id != fund_id:
            raise Refused(rules.NOT_SUPERVISOR)
        motif = Motif.objects.select_for_update().get(pk=motif.pk)
    name = name.strip()
    if not name or len(name) > 120:
        raise Refused(
            Refusal("motif_name", "Saisissez le nom du motif (120 caractères au plus).", "name")
        )
    if channel not in Channel.values:
        raise Refused(
            Refusal("motif_channel", "Choisissez à l'accueil ou par téléphone.", "channel")
        )
    if not 5 <= duration_minutes <= 240:
        raise Refused(
            Refusal(
                "motif_duration",
                "La durée doit être comprise entre 5 et 240 minutes.",
                "duration_minutes",
            )
        )
    if not 0 <= min_booking_delay_hours <= rules.MOTIF_MAX_MIN_DELAY_HOURS:
        raise Refused(
            Refusal(
                "motif_min_delay",
                "Le délai minimum doit être compris entre 0 et 2160 heures (90 jours).",
                "min_booking_delay_hours",
            )
        )
    if not 1 <= max_booking_delay_days <= rules.MOTIF_MAX_DELAY_DAYS:
        raise Refused(
            Refusal(
                "motif_max_delay",
                "Le délai maximum doit être compris entre 1 et 365 jours.",
                "max_booking_delay_days",
            )
        )
    refuse(rules.motif_delays_refusal(min_booking_delay_hours, max_booking_delay_days))
    values = {
        "name": name,
        "channel": channel,
        "duration_minutes": duration_minutes,
        "min_booking_delay_hours": min_booking_delay_hours,
        "max_booking_delay_days": max_booking_delay_days,
        "is_active": is_active,
    }
    if motif is None:
        motif = Motif.objects.create(fund_id=fund_id, **values)
        _log(by, motif, ADDITION)
        return motif, 0
    if channel != motif.channel and upcoming_booked(motif=motif):
        raise Refused(rules.MOTIF_CHANNEL_LOCKED)
    changed = _changed(motif, values)
    if changed:
        motif.save()
        _log(by, motif, CHANGE, changed)
    return motif, (0 if motif.is_active else upcoming_booked(motif=motif))


def _orphans(opening: OpeningSlot, kept: dict | None) -> list[Appointment]:
    """Rule RDV28: the upcoming booked appointments the opening holds today that neither its
    new shape (`kept`, None when removed) nor another opening of the same agent would hold."""
    motif_ids = {m.pk for m in opening.motifs.all()}
    old = {
        "weekdays": opening.weekdays,
        "start_time": opening.start_time,
        "end_time": opening.end_time,
        "first_day": opening.first_day,
        "last_day": opening.last_day,
        "motif_ids": motif_ids,
    }
    others = [
        {
            "weekdays": o.weekdays,
            "start_time": o.start_time,
            "end_time": o.end_time,
            "first_day": o.first_day,
            "last_day": o.last_day,
            "motif_ids": {m.pk for m in o.motifs.all()},
        }
        for o in OpeningSlot.objects.filter(agent_id=opening.agent_id, place_id=opening.place_id)
        .exclude(pk=opening.pk)
        .prefetch_related("motifs")
    ]
    booked = (
        Appointment.objects.select_related("person")
        .filter(
            agent_id=opening.agent_id,
            place_id=opening.place_id,
            status=AppointmentStatus.BOOKED,
            start__gt=clock.now(),
        )
        .order_by("start")
    )
    orphans = []
    for appointment in booked:
        if not rules.opening_covers(**old, appointment=appointment):
            continue
        shapes = [kept] if kept is not None else []
        if not any(rules.opening_covers(**s, appointment=appointment) for s in shapes + others):
            orphans.append(appointment)
    return orphans


@transaction.atomic
def opening_slot_update(
    *,
    by: User,
    opening: OpeningSlot,
    motifs: list[Motif],
    weekdays: list[int],
    start_time: dt.time,
    end_time: dt.time,
    first_day: dt.date,
    last_day: dt.date | None = None,
) -> OpeningSlot:
    """Rule RDV28: a supervisor of the place's fund edits an opening (same agent and place):
    the checks of its creation (RDV4 overlaps with the agent's other openings, RDV22), from
    today on unless it keeps its first day; refused, with their list, when appointments
    already booked in it would fall outside it."""
    _supervisor_of(by, opening.place)
    User.objects.select_for_update().filter(pk=opening.agent_id).first()
    opening = OpeningSlot.objects.select_for_update().select_related("place").get(pk=opening.pk)
    refuse(rules.weekdays_refusal(weekdays))
    if not motifs:
        raise Refused(rules.OPENING_NO_MOTIF)
    if any(m.fund_id != opening.place.fund_id for m in motifs):
        raise Refused(rules.OUTSIDE_SCOPE)
    if end_time <= start_time:
        raise Refused(Refusal("opening_times", "L'heure de fin doit être après l'heure de début."))
    if last_day is not None and last_day < first_day:
        raise Refused(Refusal("opening_dates", "La date de fin doit être après la date de début."))
    if first_day != opening.first_day and first_day < clock.today():
        raise Refused(rules.OPENING_EDIT_IN_PAST)
    for other in OpeningSlot.objects.filter(agent_id=opening.agent_id).exclude(pk=opening.pk):
        if rules.openings_overlap(
            set(weekdays),
            (start_time, end_time),
            (first_day, last_day),
            set(other.weekdays),
            (other.start_time, other.end_time),
            (other.first_day, other.last_day),
        ):
            raise Refused(rules.OPENING_OVERLAP)
    kept = {
        "weekdays": sorted(set(weekdays)),
        "start_time": start_time,
        "end_time": end_time,
        "first_day": first_day,
        "last_day": last_day,
        "motif_ids": {m.pk for m in motifs},
    }
    refuse(rules.opening_orphans_refusal(_orphans(opening, kept)))
    kept.pop("motif_ids")
    changed = _changed(opening, kept)
    opening.save()
    before = {m.pk for m in opening.motifs.all()}
    opening.motifs.set(motifs)
    if before != {m.pk for m in motifs}:
        changed.append("motifs")
    _log(by, opening, CHANGE, changed)
    return opening


@transaction.atomic
def opening_slot_remove(*, by: User, opening: OpeningSlot) -> None:
    """Rule RDV28: a supervisor of the place's fund removes an opening, refused with their list
    while appointments booked in it are still to come (another opening may hold them)."""
    _supervisor_of(by, opening.place)
    User.objects.select_for_update().filter(pk=opening.agent_id).first()
    refuse(rules.opening_orphans_refusal(_orphans(opening, None)))
    _log(by, opening, DELETION)
    opening.delete()


@transaction.atomic
def place_closure_remove(*, by: User, closure: PlaceClosure) -> None:
    """Rule RDV29: a supervisor of the place's fund reopens a closed day, today or later: its
    slots are offered again; the appointments its closure cancelled stay cancelled (each
    person was told, and may book again)."""
    _supervisor_of(by, closure.place)
    if closure.day < clock.today():
        raise Refused(rules.CLOSURE_PAST)
    _log(by, closure, DELETION)
    closure.delete()
