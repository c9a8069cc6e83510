"""Slots computed from the openings, never stored (rule RDV9), within the window (RDV1),
in Europe/Paris across the changes of time; openings that overlap are refused (RDV4)."""

import datetime as dt

import pytest
import time_machine

from guichet.appointments import selectors, services
from guichet.appointments.models import Appointment, PlaceClosure
from guichet.core.clock import PARIS
from guichet.core.refusals import Refused
from tests.appointments.factories import desk, motif_for, opening, place_for
from tests.factories import AgentFactory, FundFactory, InsuredUserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 16, 10, 0, tzinfo=PARIS)  # a Monday, 10:00 in Paris
UTC = dt.UTC


def _starts(slots):
    return [slot.start.astimezone(UTC).replace(tzinfo=None) for slot in slots]


@time_machine.travel(NOW, tick=False)
def test_rdv9_slots_are_the_openings_cut_into_the_motifs_length():
    place, motif, _ = desk(FundFactory())
    wednesday = dt.date(2026, 3, 18)
    slots = selectors.free_slots(place=place, motif=motif, first_day=wednesday, last_day=wednesday)
    assert [s.local_start.strftime("%H:%M") for s in slots] == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
        "11:30",
    ]
    assert all(s.end - s.start == dt.timedelta(minutes=30) for s in slots)
    assert Appointment.objects.count() == 0  # nothing stored


@time_machine.travel(NOW, tick=False)
def test_rdv9_absences_and_booked_appointments_are_not_offered():
    fund = FundFactory()
    place, motif, slot = desk(fund)
    wednesday = dt.date(2026, 3, 18)
    services.absence_create(
        agent=slot.agent,
        start=dt.datetime(2026, 3, 18, 9, 0, tzinfo=PARIS),
        end=dt.datetime(2026, 3, 18, 10, 0, tzinfo=PARIS),
        reason="Formation",
    )
    user = InsuredUserFactory(person__family__fund=fund)
    services.appointment_book(
        person=user.person,
        by=user,
        motif=motif,
        place=place,
        start=dt.datetime(2026, 3, 18, 11, 0, tzinfo=PARIS),
        phone="06 12 34 56 78",
    )
    slots = selectors.free_slots(place=place, motif=motif, first_day=wednesday, last_day=wednesday)
    assert [s.local_start.strftime("%H:%M") for s in slots] == ["10:00", "10:30", "11:30"]


@time_machine.travel(NOW, tick=False)
def test_rdv9_two_agents_offer_the_same_start_once_to_the_person():
    place, motif, _ = desk(FundFactory())
    opening(place, motif)  # a second agent, same hours
    day = dt.date(2026, 3, 18)
    slots = selectors.free_slots(place=place, motif=motif, first_day=day, last_day=day)
    assert len(slots) == 12
    assert len(selectors.free_starts(slots)) == 6


@time_machine.travel(NOW, tick=False)
def test_rdv1_the_booking_window_bounds_the_slots():
    """At least 24 hours ahead, at most 42 days (the motif's defaults)."""
    place, motif, _ = desk(FundFactory())
    tomorrow = dt.date(2026, 3, 17)
    slots = selectors.free_slots(place=place, motif=motif, first_day=tomorrow, last_day=tomorrow)
    assert slots[0].local_start.strftime("%H:%M") == "10:00"  # 24 h from now
    far = selectors.free_slots(
        place=place, motif=motif, first_day=dt.date(2026, 4, 27), last_day=dt.date(2026, 4, 28)
    )
    assert {s.local_start.date() for s in far} == {dt.date(2026, 4, 27)}  # day 42 is the last


def test_rdv9_last_sunday_of_march_skips_the_missing_hour():
    """29 March 2026: 02:00 → 03:00. An opening 01:00–04:00 offers 01:00 and 03:00 only."""
    place = place_for(FundFactory())
    motif = motif_for(place.fund, minutes=60, min_booking_delay_hours=0)
    opening(place, motif, weekdays=[6], start=dt.time(1), end=dt.time(4))
    with time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=PARIS), tick=False):
        day = dt.date(2026, 3, 29)
        slots = selectors.free_slots(place=place, motif=motif, first_day=day, last_day=day)
    assert _starts(slots) == [dt.datetime(2026, 3, 29, 0, 0), dt.datetime(2026, 3, 29, 1, 0)]
    assert [s.local_start.strftime("%H:%M %z") for s in slots] == ["01:00 +0100", "03:00 +0200"]


def test_rdv9_last_sunday_of_october_takes_the_repeated_hour_once():
    """25 October 2026: 03:00 → 02:00. Wall-clock 01:00, 02:00 (summer time) and 03:00."""
    place = place_for(FundFactory())
    motif = motif_for(place.fund, minutes=60, min_booking_delay_hours=0)
    opening(place, motif, weekdays=[6], start=dt.time(1), end=dt.time(4))
    with time_machine.travel(dt.datetime(2026, 10, 20, 12, tzinfo=PARIS), tick=False):
        day = dt.date(2026, 10, 25)
        slots = selectors.free_slots(place=place, motif=motif, first_day=day, last_day=day)
    assert _starts(slots) == [
        dt.datetime(2026, 10, 24, 23, 0),
        dt.datetime(2026, 10, 25, 0, 0),
        dt.datetime(2026, 10, 25, 2, 0),
    ]


def test_rdv9_a_nine_oclock_opening_stays_at_nine_in_paris_across_the_change():
    place, motif, _ = desk(FundFactory())
    with time_machine.travel(dt.datetime(2026, 3, 20, 8, tzinfo=PARIS), tick=False):
        slots = selectors.free_slots(
            place=place, motif=motif, first_day=dt.date(2026, 3, 27), last_day=dt.date(2026, 3, 30)
        )
    firsts = {s.local_start.date(): s for s in reversed(slots)}
    assert firsts[dt.date(2026, 3, 27)].start.astimezone(UTC).hour == 8  # Friday, UTC+1
    assert firsts[dt.date(2026, 3, 30)].start.astimezone(UTC).hour == 7  # Monday, UTC+2
    assert {s.local_start.strftime("%H:%M") for s in firsts.values()} == {"09:00"}


def test_rdv9_slots_take_four_queries_whatever_the_bookings_and_closed_days(
    django_assert_max_num_queries,
):
    fund = FundFactory()
    place, motif, _ = desk(fund)
    for _ in range(5):
        opening(place, motif)
    for day in (18, 25):  # rule RDV23
        PlaceClosure.objects.create(place=place, day=dt.date(2026, 3, day))
    with (
        time_machine.travel(NOW, tick=False),
        django_assert_max_num_queries(4),
    ):
        selectors.free_slots(
            place=place, motif=motif, first_day=dt.date(2026, 3, 17), last_day=dt.date(2026, 4, 27)
        )


def test_rdv4_overlapping_openings_of_one_agent_are_refused():
    place, motif, first = desk(FundFactory())
    with pytest.raises(Refused) as refused:
        opening(
            place, motif, agent=first.agent, weekdays=[4, 5], start=dt.time(11), end=dt.time(13)
        )
    assert refused.value.code == "opening_overlap"
    assert "chevauche" in refused.value.message
    # Other days, other hours, or other dates: no overlap.
    opening(place, motif, agent=first.agent, weekdays=[5], start=dt.time(9), end=dt.time(12))
    opening(place, motif, agent=first.agent, weekdays=[0], start=dt.time(14), end=dt.time(17))
    bounded = opening(
        place,
        motif,
        agent=AgentFactory(fund=place.fund, second_factor=False),
        first_day=dt.date(2026, 1, 1),
        last_day=dt.date(2026, 1, 31),
    )
    opening(place, motif, agent=bounded.agent, first_day=dt.date(2026, 2, 1))


def test_rdv4_an_opening_needs_a_weekday_and_its_end_after_its_start():
    place, motif, first = desk(FundFactory())
    with pytest.raises(Refused) as refused:
        opening(place, motif, weekdays=[])
    assert refused.value.code == "opening_weekdays"
    with pytest.raises(Refused):
        opening(place, motif, weekdays=[7])
    with pytest.raises(Refused) as refused:
        services.absence_create(
            agent=first.agent,
            start=dt.datetime(2026, 3, 18, 10, tzinfo=PARIS),
            end=dt.datetime(2026, 3, 18, 9, tzinfo=PARIS),
        )
    assert refused.value.code == "absence_order"
