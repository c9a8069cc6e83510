"""Places, motifs and openings for tests, created through the services like an agent would."""

import datetime as dt

from guichet.accounts.models import User
from guichet.appointments import services
from guichet.appointments.enums import AppointmentStatus, Channel
from guichet.appointments.models import Appointment, Motif, OpeningSlot, Place
from guichet.reference.models import Fund, Person
from tests.factories import AgentFactory

WEEKDAYS = [0, 1, 2, 3, 4]


def place_for(fund: Fund, name: str = "Accueil de test") -> Place:
    return Place.objects.create(
        fund=fund,
        name=name,
        address="1 rue de la Paix, 75002 Paris",
        opening_hours="Du lundi au vendredi, 9 h – 12 h",
    )


def motif_for(fund: Fund, *, channel: str = Channel.DESK, minutes: int = 30, **fields) -> Motif:
    name = "Rendez-vous à l'accueil" if channel == Channel.DESK else "Rendez-vous téléphonique"
    return Motif.objects.create(
        fund=fund,
        name=fields.pop("name", name),
        channel=channel,
        duration_minutes=minutes,
        **fields,
    )


def opening(
    place: Place,
    motif: Motif,
    *,
    agent: User | None = None,
    weekdays: list[int] | None = None,
    start: dt.time = dt.time(9),
    end: dt.time = dt.time(12),
    first_day: dt.date = dt.date(2026, 1, 1),
    last_day: dt.date | None = None,
) -> OpeningSlot:
    agent = agent or AgentFactory(fund=place.fund, second_factor=False)
    return services.opening_slot_create(
        agent=agent,
        place=place,
        motifs=[motif],
        weekdays=WEEKDAYS if weekdays is None else weekdays,
        start_time=start,
        end_time=end,
        first_day=first_day,
        last_day=last_day,
    )


def desk(fund: Fund) -> tuple[Place, Motif, OpeningSlot]:
    """A place open Monday to Friday 9:00–12:00 for one agent, a 30-minute desk motif."""
    place = place_for(fund)
    motif = motif_for(fund)
    return place, motif, opening(place, motif)


def appointment_at(
    place: Place, motif: Motif, person: Person, agent: User, start: dt.datetime, **fields
) -> Appointment:
    """An appointment at any instant (today, an hour ago), which booking's window (RDV1) would
    refuse: a test's setting for the day's front desk. Its creation is logged as booking's is."""
    appointment = Appointment.objects.create(
        person=person,
        motif=motif,
        place=place,
        agent=agent,
        start=start,
        end=start + dt.timedelta(minutes=motif.duration_minutes),
        phone=fields.pop("phone", "06 12 34 56 78"),
        **fields,
    )
    services.APPOINTMENT_MACHINE.record(appointment, source="", target=AppointmentStatus.BOOKED)
    return appointment
