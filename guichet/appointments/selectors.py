"""Reads of appointments: the free slots, computed (rule RDV9), and each side's lists.

The agents' reads start from `accounts.rules.agent_fund_id` (rule RDV10): another fund's place
or appointment does not exist for them (docs/decisions/security-agents-scope.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from guichet.accounts.models import User
from guichet.accounts.rules import FRONT_DESK_ROLES, agent_fund_id
from guichet.appointments import rules
from guichet.appointments.enums import AppointmentStatus
from guichet.appointments.models import (
    HOLDING_STATUSES,
    Absence,
    Appointment,
    Motif,
    OpeningSlot,
    Place,
)
from guichet.core import clock
from guichet.reference.enums import FamilyRole
from guichet.reference.models import Person


@dataclass(frozen=True)
class Slot:
    """A free slot: an agent's time at a place for a motif; never stored (rule RDV9)."""

    start: dt.datetime
    end: dt.datetime
    agent_id: int

    @property
    def local_start(self) -> dt.datetime:
        return self.start.astimezone(clock.PARIS)


def _wall_clock(day: dt.date, time: dt.time) -> dt.datetime | None:
    """`time` on `day` in Europe/Paris, or None when the spring change skips it (02:30 on the
    last Sunday of March does not exist). In the autumn the repeated hour is taken once."""
    wall = dt.datetime.combine(day, time, tzinfo=clock.PARIS)
    back = wall.astimezone(dt.UTC).astimezone(clock.PARIS)
    if back.replace(tzinfo=None) != wall.replace(tzinfo=None):
        return None
    return wall


def _overlaps(
    busy: list[tuple[dt.datetime, dt.datetime]], start: dt.datetime, end: dt.datetime
) -> bool:
    return any(b_start < end and start < b_end for b_start, b_end in busy)


def free_slots(
    *,
    place: Place,
    motif: Motif,
    first_day: dt.date,
    last_day: dt.date,
    now: dt.datetime | None = None,
    include_booked: bool = False,
) -> list[Slot]:
    """Every free slot of `motif` at `place` from `first_day` to `last_day` (Europe/Paris),
    by start then agent (rule RDV9): the agents' openings cut into the motif's length, in wall-
    clock time, less their absences, their appointments that hold a slot (unless
    `include_booked`) and whatever falls outside the booking window (rule RDV1). Three
    queries whatever the number of agents, days and appointments."""
    now = now or clock.now()
    earliest, latest = rules.booking_window(motif, now)
    openings = list(
        OpeningSlot.objects.filter(place=place, motifs=motif, first_day__lte=last_day).filter(
            Q(last_day__isnull=True) | Q(last_day__gte=first_day)
        )
    )
    if not openings:
        return []
    agents = {opening.agent_id for opening in openings}
    range_start, _ = _day_bounds(first_day)
    _, range_end = _day_bounds(last_day)
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    absences = Absence.objects.filter(agent_id__in=agents, start__lt=range_end, end__gt=range_start)
    for agent_id, start, end in absences.values_list("agent_id", "start", "end"):
        busy[agent_id].append((start, end))
    if not include_booked:
        booked = Appointment.objects.filter(
            agent_id__in=agents,
            status__in=HOLDING_STATUSES,
            start__lt=range_end,
            end__gt=range_start,
        )
        for agent_id, start, end in booked.values_list("agent_id", "start", "end"):
            busy[agent_id].append((start, end))
    length = dt.timedelta(minutes=motif.duration_minutes)
    slots = []
    day = first_day
    while day <= last_day:
        for opening in openings:
            if day < opening.first_day or (opening.last_day and day > opening.last_day):
                continue
            if day.weekday() not in opening.weekdays:
                continue
            closing = dt.datetime.combine(day, opening.end_time)
            wall = dt.datetime.combine(day, opening.start_time)
            while wall + length <= closing:
                start = _wall_clock(day, wall.time())
                if start is not None:
                    end = (start.astimezone(dt.UTC) + length).astimezone(clock.PARIS)
                    if earliest <= start <= latest and not _overlaps(
                        busy[opening.agent_id], start, end
                    ):
                        slots.append(Slot(start=start, end=end, agent_id=opening.agent_id))
                wall += length
        day += dt.timedelta(days=1)
    slots.sort(key=lambda slot: (slot.start, slot.agent_id))
    return slots


def free_starts(slots: list[Slot]) -> list[dt.datetime]:
    """The distinct starts the person chooses from (the agent is chosen at booking)."""
    seen: dict[dt.datetime, None] = {}
    for slot in slots:
        seen.setdefault(slot.start, None)
    return list(seen)


# --- The insured's side ------------------------------------------------------------------------


def places_for_person(*, person: Person) -> QuerySet[Place]:
    """The places of the person's own fund, open to appointments."""
    return Place.objects.filter(fund_id=person.family.fund_id, is_active=True)


def motifs_for_person(*, person: Person) -> QuerySet[Motif]:
    return Motif.objects.filter(fund_id=person.family.fund_id, is_active=True)


def has_upcoming(*, person: Person, motif: Motif, now: dt.datetime | None = None) -> bool:
    """Rule RDV2: a booked appointment of this motif still to come."""
    return Appointment.objects.filter(
        person=person, motif=motif, status=AppointmentStatus.BOOKED, start__gt=now or clock.now()
    ).exists()


def _with_relations(rows: QuerySet[Appointment]) -> QuerySet[Appointment]:
    return rows.select_related("motif", "place", "person")


def bookable_people(*, holder: Person) -> list[Person]:
    """Rule RDV22: the people an account holder books for (themselves first), one query."""
    if holder.role != FamilyRole.RIGHTS_OPENER:
        return [holder]
    return rules.bookable_people(
        holder=holder, members=list(Person.objects.filter(family_id=holder.family_id))
    )


def _account_scope(holder: Person) -> Q:
    """Rule RDV22: the appointments an account shows: the holder's own and, for the insured who
    opens the family's rights, those of every beneficiary of the family."""
    if holder.role == FamilyRole.RIGHTS_OPENER:
        return Q(person__family_id=holder.family_id)
    return Q(person_id=holder.pk)


def account_appointments(*, holder: Person) -> QuerySet[Appointment]:
    return Appointment.objects.filter(_account_scope(holder))


def appointments_of(*, person: Person) -> tuple[list[Appointment], list[Appointment]]:
    """« Mes rendez-vous » of the account of `person` (with the family's, RDV22): the upcoming
    ones (booked, to come), soonest first, and the others, latest first. One query."""
    now = clock.now()
    rows = list(_with_relations(account_appointments(holder=person)))
    upcoming = [a for a in rows if a.status == AppointmentStatus.BOOKED and a.start > now]
    past = [a for a in reversed(rows) if a not in upcoming]
    return upcoming, past


def next_appointment(*, person: Person) -> Appointment | None:
    return (
        _with_relations(
            account_appointments(holder=person).filter(
                status=AppointmentStatus.BOOKED, start__gt=clock.now()
            )
        )
        .order_by("start")
        .first()
    )


def appointment_for_person(*, person: Person, appointment_id: int) -> Appointment | None:
    """One of the appointments the account of `person` shows (RDV22); None for anybody else's
    (404)."""
    return _with_relations(account_appointments(holder=person).filter(pk=appointment_id)).first()


def reminders_due(*, now: dt.datetime) -> QuerySet[Appointment]:
    """Rule RDV23: booked appointments starting within the next 48 hours, not reminded yet, and
    booked before that window opened (a later booking's confirmation is the reminder)."""
    return Appointment.objects.filter(
        status=AppointmentStatus.BOOKED,
        reminded_at__isnull=True,
        start__gt=now,
        start__lte=now + rules.REMINDER_DELAY,
        created_at__lt=F("start") - rules.REMINDER_DELAY,
    )


# --- The agents' side (rule RDV10) -------------------------------------------------------------


def places_for_agent(*, agent: User) -> QuerySet[Place]:
    fund_id = agent_fund_id(agent, roles=FRONT_DESK_ROLES)
    return Place.objects.filter(fund_id=fund_id) if fund_id else Place.objects.none()


def place_for_agent(*, agent: User, place_id: int) -> Place | None:
    return places_for_agent(agent=agent).filter(pk=place_id).first()


def _agent_appointments(agent: User) -> QuerySet[Appointment]:
    fund_id = agent_fund_id(agent, roles=FRONT_DESK_ROLES)
    if fund_id is None:
        return Appointment.objects.none()
    return _with_relations(Appointment.objects.filter(place__fund_id=fund_id)).select_related(
        "agent"
    )


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Midnight to midnight in Europe/Paris (23 or 25 hours on the days the clocks change)."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=clock.PARIS)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=clock.PARIS)


def day_agenda(*, agent: User, place: Place, day: dt.date) -> list[Appointment]:
    """The day's appointments at one of the agent's fund's places, cancelled ones included."""
    start, end = _day_bounds(day)
    return list(_agent_appointments(agent).filter(place=place, start__gte=start, start__lt=end))


def calls_due(*, agent: User, day: dt.date) -> list[Appointment]:
    """Rule RDV8: the booked appointments of `day` (tomorrow) to call, in the agent's fund."""
    start, end = _day_bounds(day)
    return list(
        _agent_appointments(agent).filter(
            status=AppointmentStatus.BOOKED, start__gte=start, start__lt=end
        )
    )


def appointment_for_agent(*, agent: User, appointment_id: int) -> Appointment | None:
    return _agent_appointments(agent).filter(pk=appointment_id).first()
