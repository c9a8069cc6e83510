"""Reads of appointments: the free slots, computed (rule RDV9), and each side's lists.

The agents' reads start from `accounts.rules.agent_fund_id` (rule RDV10): another fund's place
or appointment does not exist for them (docs/decisions/security-agents-scope.md).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, F, Q, QuerySet, Value, When

from guichet.accounts.enums import AgentRole
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
    PlaceClosure,
)
from guichet.core import clock
from guichet.core.prepared import PreparedRead
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


def _busy_index(intervals: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    """An agent's busy intervals (POSIX seconds), by start, with the latest end so far: any
    interval starting before `end` ends after `start` iff that running maximum does."""
    intervals.sort()
    starts, latest_ends, latest = [], [], float("-inf")
    for start, end in intervals:
        latest = max(latest, end)
        starts.append(start)
        latest_ends.append(latest)
    return starts, latest_ends


def _is_busy(index: tuple[list[float], list[float]], start: float, end: float) -> bool:
    starts, latest_ends = index
    before = bisect_left(starts, end)
    return before > 0 and latest_ends[before - 1] > start


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
    `include_booked`), the place's closed days (rule RDV23) and whatever falls outside the
    booking window (rule RDV1). Four queries whatever the number of agents, days and
    appointments; the overlaps are checked in
    POSIX seconds with a binary search per slot (bench/slots.py: 20 agents over 6 weeks)."""
    now = now or clock.now()
    earliest, latest = (moment.timestamp() for moment in rules.booking_window(motif, now))
    openings = list(
        OpeningSlot.objects.filter(place=place, motifs=motif, first_day__lte=last_day).filter(
            Q(last_day__isnull=True) | Q(last_day__gte=first_day)
        )
    )
    if not openings:
        return []
    agents = {opening.agent_id for opening in openings}
    closed = set(
        PlaceClosure.objects.filter(place=place, day__range=(first_day, last_day)).values_list(
            "day", flat=True
        )
    )
    range_start, _ = day_bounds(first_day)
    _, range_end = day_bounds(last_day)
    intervals: dict[int, list[tuple[float, float]]] = defaultdict(list)
    absences = Absence.objects.filter(agent_id__in=agents, start__lt=range_end, end__gt=range_start)
    for agent_id, start, end in absences.values_list("agent_id", "start", "end"):
        intervals[agent_id].append((start.timestamp(), end.timestamp()))
    if not include_booked:
        booked = Appointment.objects.filter(
            agent_id__in=agents,
            status__in=HOLDING_STATUSES,
            start__lt=range_end,
            end__gt=range_start,
        )
        for agent_id, start, end in booked.values_list("agent_id", "start", "end"):
            intervals[agent_id].append((start.timestamp(), end.timestamp()))
    busy = {agent_id: _busy_index(intervals[agent_id]) for agent_id in agents}
    length = dt.timedelta(minutes=motif.duration_minutes)
    seconds = length.total_seconds()
    # One wall-clock conversion per (day, time), shared by the agents who open then.
    starts: dict[tuple[dt.date, dt.time], tuple[float, dt.datetime, dt.datetime] | None] = {}
    found_slots: list[tuple[float, int, dt.datetime, dt.datetime]] = []
    day = first_day
    while day <= last_day:
        if day in closed:
            day += dt.timedelta(days=1)
            continue
        weekday = day.weekday()
        for opening in openings:
            if day < opening.first_day or (opening.last_day and day > opening.last_day):
                continue
            if weekday not in opening.weekdays:
                continue
            closing = dt.datetime.combine(day, opening.end_time)
            wall = dt.datetime.combine(day, opening.start_time)
            agent_busy = busy[opening.agent_id]
            while wall + length <= closing:
                key = (day, wall.time())
                if key not in starts:
                    start = _wall_clock(day, key[1])
                    starts[key] = (
                        None
                        if start is None
                        else (
                            start.timestamp(),
                            start,
                            (start.astimezone(dt.UTC) + length).astimezone(clock.PARIS),
                        )
                    )
                found = starts[key]
                if found is not None:
                    stamp = found[0]
                    if earliest <= stamp <= latest and not _is_busy(
                        agent_busy, stamp, stamp + seconds
                    ):
                        found_slots.append((stamp, opening.agent_id, found[1], found[2]))
                wall += length
        day += dt.timedelta(days=1)
    found_slots.sort(key=lambda found: (found[0], found[1]))
    return [Slot(start=start, end=end, agent_id=agent) for _, agent, start, end in found_slots]


def free_starts(slots: list[Slot]) -> list[dt.datetime]:
    """The distinct starts the person chooses from (the agent is chosen at booking)."""
    seen: dict[dt.datetime, None] = {}
    for slot in slots:
        seen.setdefault(slot.start, None)
    return list(seen)


# --- The insured's side ------------------------------------------------------------------------


def places_for_person(*, person: Person) -> QuerySet[Place]:
    """Rule RDV24: every place open to appointments, the person's own fund's first, then the
    other funds' by fund and name, each with its fund (one query)."""
    own = person.family.fund_id
    return (
        Place.objects.filter(is_active=True)
        .select_related("fund")
        .annotate(other_fund=Case(When(fund_id=own, then=Value(0)), default=Value(1)))
        .order_by("other_fund", "fund__name", "fund_id", "name", "pk")
    )


def motifs_for_person(*, person: Person) -> QuerySet[Motif]:
    """The active motifs of the person's own fund."""
    return Motif.objects.filter(fund_id=person.family.fund_id, is_active=True)


def motifs_for_place(*, place: Place) -> QuerySet[Motif]:
    """Rule RDV24: the motifs one books at a place are its own fund's (active ones)."""
    return Motif.objects.filter(fund_id=place.fund_id, is_active=True)


def has_upcoming(*, person: Person, motif: Motif, now: dt.datetime | None = None) -> bool:
    """Rule RDV2: a booked appointment of this motif still to come."""
    return Appointment.objects.filter(
        person=person, motif=motif, status=AppointmentStatus.BOOKED, start__gt=now or clock.now()
    ).exists()


def _with_relations(rows: QuerySet[Appointment]) -> QuerySet[Appointment]:
    return rows.select_related("motif", "place__fund", "person__family")


def bookable_people(*, holder: Person) -> list[Person]:
    """Rule RDV19: the people an account holder books for (themselves first), one query."""
    if holder.role != FamilyRole.RIGHTS_OPENER:
        return [holder]
    return rules.bookable_people(
        holder=holder, members=list(Person.objects.filter(family_id=holder.family_id))
    )


def _scope(holder: Person) -> tuple[str, int]:
    """Rule RDV19: the appointments an account shows: the holder's own and, for the insured who
    opens the family's rights, those of every beneficiary of the family (a lookup, its id)."""
    if holder.role == FamilyRole.RIGHTS_OPENER:
        return "person__family_id", holder.family_id
    return "person_id", holder.pk


def _account_scope(holder: Person) -> Q:
    lookup, scope_id = _scope(holder)
    return Q(**{lookup: scope_id})


def account_appointments(*, holder: Person) -> QuerySet[Appointment]:
    return Appointment.objects.filter(_account_scope(holder))


def appointments_of(*, person: Person) -> tuple[list[Appointment], list[Appointment]]:
    """« Mes rendez-vous » of the account of `person` (with the family's, RDV19): the upcoming
    ones (booked, to come), soonest first, and the others, latest first. One query."""
    now = clock.now()
    rows = list(_with_relations(account_appointments(holder=person)))
    upcoming = [a for a in rows if a.status == AppointmentStatus.BOOKED and a.start > now]
    past = [a for a in reversed(rows) if a not in upcoming]
    return upcoming, past


def _next_of(scope: str) -> PreparedRead[Appointment]:
    return PreparedRead(
        f"appointments.next_appointment_{scope}",
        lambda scope_id, now: _with_relations(
            Appointment.objects.filter(
                **{scope: scope_id}, status=AppointmentStatus.BOOKED, start__gt=now
            )
        ).order_by("start", "pk")[:1],
        scope_id=int,
        now=dt.datetime,
    )


# Accueil shows it on every visit: its four-table join compiled once per process (issue 16),
# one statement for each scope of RDV19.
_next_of_scope = {lookup: _next_of(lookup) for lookup in ("person__family_id", "person_id")}


def next_appointment(*, person: Person) -> Appointment | None:
    """The soonest booked appointment to come that the account shows (RDV19)."""
    lookup, scope_id = _scope(person)
    rows = _next_of_scope[lookup](scope_id=scope_id, now=clock.now())
    return rows[0] if rows else None


def appointment_for_person(*, person: Person, appointment_id: int) -> Appointment | None:
    """One of the appointments the account of `person` shows (RDV19); None for anybody else's
    (404)."""
    return _with_relations(account_appointments(holder=person).filter(pk=appointment_id)).first()


def reminders_due(*, now: dt.datetime) -> QuerySet[Appointment]:
    """Rule RDV20: booked appointments starting within the next 48 hours, not reminded yet, and
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


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Midnight to midnight in Europe/Paris (23 or 25 hours on the days the clocks change)."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=clock.PARIS)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=clock.PARIS)


def day_agenda(*, agent: User, place: Place, day: dt.date) -> list[Appointment]:
    """The day's appointments at one of the agent's fund's places, cancelled ones included."""
    start, end = day_bounds(day)
    return list(_agent_appointments(agent).filter(place=place, start__gte=start, start__lt=end))


def calls_due(*, agent: User, day: dt.date, place: Place | None = None) -> list[Appointment]:
    """Rule RDV8: the booked appointments of `day` (tomorrow) to call, in the agent's fund,
    at every place of it or at one (rule RDV16)."""
    start, end = day_bounds(day)
    rows = _agent_appointments(agent).filter(
        status=AppointmentStatus.BOOKED, start__gte=start, start__lt=end
    )
    if place is not None:
        rows = rows.filter(place=place)
    return list(rows)


def appointment_for_agent(*, agent: User, appointment_id: int) -> Appointment | None:
    return (
        _agent_appointments(agent)
        .select_related("power_use__agent", "booked_by", "called_by", "person__family__fund")
        .filter(pk=appointment_id)
        .first()
    )


def agenda(
    *,
    agent: User,
    place: Place,
    first_day: dt.date,
    last_day: dt.date,
    of_agent_id: int | None = None,
) -> list[Appointment]:
    """Rule RDV16: the appointments of one of the agent's fund's places from `first_day` to
    `last_day` (Europe/Paris), cancelled ones included, optionally of one agent only, by start;
    one query whatever their number."""
    start, _ = day_bounds(first_day)
    _, end = day_bounds(last_day)
    rows = _agent_appointments(agent).filter(place=place, start__gte=start, start__lt=end)
    if of_agent_id is not None:
        rows = rows.filter(agent_id=of_agent_id)
    return list(rows)


def place_agents(*, agent: User, place: Place) -> QuerySet[User]:
    """The agents who open slots at one of the agent's fund's places (the agenda's filter)."""
    if place_for_agent(agent=agent, place_id=place.pk) is None:
        return User.objects.none()
    return (
        User.objects.filter(opening_slots__place=place)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def person_appointments_for_agent(*, agent: User, person: Person) -> list[Appointment]:
    """The client file's appointments (rule RDV11): the person's of today and to come, in the
    agent's fund, soonest first."""
    start, _ = day_bounds(clock.today())
    return list(
        _agent_appointments(agent).filter(
            person=person,
            start__gte=start,
            status__in=(AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN),
        )
    )


def person_for_agent(*, agent: User, person_id: int) -> Person | None:
    """An insured of the agent's fund (rule RDV15); None for anybody else's (404)."""
    fund_id = agent_fund_id(agent, roles=FRONT_DESK_ROLES)
    if fund_id is None:
        return None
    return (
        Person.objects.select_related("family__fund")
        .filter(pk=person_id, family__fund_id=fund_id)
        .first()
    )


def absence_agents(*, agent: User) -> QuerySet[User]:
    """Whose absence the agent may declare (rule RDV14): their own, or, for a supervisor, any
    front-desk agent or supervisor of their fund."""
    fund_id = agent_fund_id(agent, roles=FRONT_DESK_ROLES)
    if fund_id is None:
        return User.objects.none()
    if agent.agent_role != AgentRole.SUPERVISOR:
        return User.objects.filter(pk=agent.pk)
    return User.objects.filter(
        fund_id=fund_id, is_active=True, agent_role__in=FRONT_DESK_ROLES
    ).order_by("last_name", "first_name", "pk")


# --- A place's openings and closed days, for its fund's supervisors (rules RDV22, RDV23) -------


def place_for_supervisor(*, agent: User, place_id: int) -> Place | None:
    """A place of the supervisor's fund; None for anyone else, or another fund's (404)."""
    fund_id = agent_fund_id(agent, roles=frozenset({AgentRole.SUPERVISOR}))
    if fund_id is None:
        return None
    return Place.objects.filter(fund_id=fund_id, pk=place_id).first()


def place_openings(*, place: Place) -> list[OpeningSlot]:
    """The place's openings still running or to come, with their agent and motifs; two
    queries whatever their number."""
    return list(
        OpeningSlot.objects.filter(place=place)
        .filter(Q(last_day__isnull=True) | Q(last_day__gte=clock.today()))
        .select_related("agent")
        .prefetch_related("motifs")
        .order_by("agent__last_name", "agent__first_name", "agent_id", "start_time", "pk")
    )


def place_closures(*, place: Place) -> list[PlaceClosure]:
    """The place's closed days from today on, soonest first."""
    return list(PlaceClosure.objects.filter(place=place, day__gte=clock.today()).order_by("day"))


def opening_agents(*, place: Place) -> QuerySet[User]:
    """Who may hold an opening at the place (rule RDV22): the active front-desk agents and
    supervisors of its fund."""
    return User.objects.filter(
        fund_id=place.fund_id, is_active=True, agent_role__in=FRONT_DESK_ROLES
    ).order_by("last_name", "first_name", "pk")


def fund_motifs(*, place: Place) -> QuerySet[Motif]:
    return Motif.objects.filter(fund_id=place.fund_id, is_active=True)


# --- The fund's places and motifs, for its supervisors (rules RDV26–RDV29) ---------------------


def _supervisor_fund_id(agent: User) -> int | None:
    return agent_fund_id(agent, roles=frozenset({AgentRole.SUPERVISOR}))


def places_with_upcoming(*, agent: User) -> list[Place]:
    """The supervisor's fund's places, each with `upcoming` (booked, to come); one query."""
    fund_id = _supervisor_fund_id(agent)
    if fund_id is None:
        return []
    return list(_with_upcoming(Place.objects.filter(fund_id=fund_id), "appointments"))


def motifs_for_supervisor(*, agent: User) -> list[Motif]:
    """The supervisor's fund's motifs, active or not, each with `upcoming`; one query."""
    fund_id = _supervisor_fund_id(agent)
    if fund_id is None:
        return []
    return list(_with_upcoming(Motif.objects.filter(fund_id=fund_id), "appointment"))


def _with_upcoming(rows: QuerySet, relation: str) -> QuerySet:
    return rows.annotate(
        upcoming=Count(
            relation,
            filter=Q(
                **{
                    f"{relation}__status": AppointmentStatus.BOOKED,
                    f"{relation}__start__gt": clock.now(),
                }
            ),
        )
    ).order_by("-is_active", "name", "pk")


def motif_for_supervisor(*, agent: User, motif_id: int) -> Motif | None:
    """A motif of the supervisor's fund; None for anyone else, or another fund's (404)."""
    fund_id = _supervisor_fund_id(agent)
    if fund_id is None:
        return None
    return Motif.objects.filter(fund_id=fund_id, pk=motif_id).first()


def opening_for_supervisor(*, agent: User, opening_id: int) -> OpeningSlot | None:
    fund_id = _supervisor_fund_id(agent)
    if fund_id is None:
        return None
    return (
        OpeningSlot.objects.select_related("place", "agent")
        .filter(place__fund_id=fund_id, pk=opening_id)
        .first()
    )


def closure_for_supervisor(*, agent: User, closure_id: int) -> PlaceClosure | None:
    fund_id = _supervisor_fund_id(agent)
    if fund_id is None:
        return None
    return (
        PlaceClosure.objects.select_related("place")
        .filter(place__fund_id=fund_id, pk=closure_id)
        .first()
    )
