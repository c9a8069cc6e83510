"""A place's openings and closed days, managed by its fund's supervisors (rules RDV22, RDV23;
overlaps refused as RDV4 says)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from guichet.appointments import rules, selectors, services
from guichet.appointments.enums import AppointmentStatus
from guichet.appointments.models import AppointmentTransition, OpeningSlot, PlaceClosure
from guichet.core.clock import PARIS
from guichet.core.refusals import Refused
from tests.appointments.factories import desk, motif_for
from tests.factories import AgentFactory, FundFactory, InsuredUserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 16, 10, 0, tzinfo=PARIS)  # a Monday
WEDNESDAY = dt.date(2026, 3, 18)


@pytest.fixture
def world():
    fund = FundFactory()
    place, motif, slot = desk(fund)
    supervisor = AgentFactory(fund=fund, supervisor=True, second_factor=False)
    return fund, place, motif, slot, supervisor


def _open(by, agent, place, motifs, **changes):
    fields = {
        "weekdays": [0, 2],
        "start_time": dt.time(14),
        "end_time": dt.time(16),
        "first_day": WEDNESDAY,
        "last_day": None,
        **changes,
    }
    with time_machine.travel(NOW, tick=False):
        return services.opening_slot_open(by=by, agent=agent, place=place, motifs=motifs, **fields)


def test_rdv22_a_supervisor_opens_a_slot_for_an_agent_of_the_place_fund(world):
    fund, place, motif, _, supervisor = world
    agent = AgentFactory(fund=fund, second_factor=False)
    opening = _open(supervisor, agent, place, [motif])
    assert (opening.agent, opening.place, opening.weekdays) == (agent, place, [0, 2])
    assert list(opening.motifs.all()) == [motif]
    with time_machine.travel(NOW, tick=False):
        slots = selectors.free_slots(
            place=place, motif=motif, first_day=WEDNESDAY, last_day=WEDNESDAY
        )
    assert {s.local_start.time() for s in slots if s.agent_id == agent.pk} == {
        dt.time(14),
        dt.time(14, 30),
        dt.time(15),
        dt.time(15, 30),
    }


def test_rdv22_overlaps_and_bad_inputs_are_refused_with_their_message(world):
    _fund, place, motif, slot, supervisor = world
    holder = slot.agent  # Monday to Friday 9:00–12:00 already
    with pytest.raises(Refused) as refused:
        _open(supervisor, holder, place, [motif], start_time=dt.time(11), end_time=dt.time(13))
    assert refused.value.refusal == rules.OPENING_OVERLAP
    assert "chevauche une autre plage" in refused.value.message
    cases = [
        ({"first_day": dt.date(2026, 3, 15)}, rules.OPENING_IN_PAST),
        ({"weekdays": []}, rules.BAD_WEEKDAYS),
    ]
    for changes, expected in cases:
        with pytest.raises(Refused) as refused:
            _open(supervisor, holder, place, [motif], **changes)
        assert refused.value.refusal == expected
    with pytest.raises(Refused) as refused:
        _open(supervisor, holder, place, [])
    assert refused.value.refusal == rules.OPENING_NO_MOTIF
    with pytest.raises(Refused) as refused:
        _open(supervisor, holder, place, [motif], end_time=dt.time(13, 59))
    assert refused.value.code == "opening_times"
    # A motif of another fund is refused by opening_slot_create (RDV4).
    with pytest.raises(Refused) as refused:
        _open(supervisor, holder, place, [motif_for(FundFactory(code="691"))])
    assert refused.value.refusal == rules.OUTSIDE_SCOPE
    assert OpeningSlot.objects.count() == 1


def test_rdv22_only_a_supervisor_of_the_place_fund_and_only_for_its_agents(world):
    fund, place, motif, _slot, supervisor = world
    front_desk = AgentFactory(fund=fund, second_factor=False)
    back_office = AgentFactory(fund=fund, back_office=True, second_factor=False)
    foreign = AgentFactory(fund=FundFactory(code="691"), supervisor=True, second_factor=False)
    for by in (front_desk, back_office, foreign):
        with pytest.raises(Refused) as refused:
            _open(by, front_desk, place, [motif])
        assert refused.value.refusal == rules.NOT_SUPERVISOR_OF_PLACE
    other_fund_agent = AgentFactory(fund=foreign.fund, second_factor=False)
    inactive = AgentFactory(fund=fund, is_active=False, second_factor=False)
    for agent in (back_office, other_fund_agent, inactive):
        with pytest.raises(Refused) as refused:
            _open(supervisor, agent, place, [motif])
        assert refused.value.refusal == rules.OPENING_AGENT_NOT_IN_FUND
    assert OpeningSlot.objects.count() == 1


def _book(fund, place, motif, start, last_name):
    user = InsuredUserFactory(person__family__fund=fund, person__last_name=last_name)
    with time_machine.travel(NOW - dt.timedelta(days=3), tick=False):
        appointment = services.appointment_book(
            person=user.person,
            by=user,
            motif=motif,
            place=place,
            start=start,
            phone="06 12 34 56 78",
        )
    return user, appointment


def test_rdv23_a_closed_day_offers_no_slot_and_cancels_its_appointments(
    world, django_capture_on_commit_callbacks
):
    fund, place, motif, _, supervisor = world
    user, first = _book(fund, place, motif, dt.datetime(2026, 3, 18, 9, tzinfo=PARIS), "Dupont")
    other, second = _book(fund, place, motif, dt.datetime(2026, 3, 18, 11, tzinfo=PARIS), "Martin")
    _, kept = _book(fund, place, motif, dt.datetime(2026, 3, 19, 9, tzinfo=PARIS), "Bernard")
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        time_machine.travel(NOW, tick=False),
    ):
        closure, cancelled = services.place_closure_record(
            by=supervisor, place=place, day=WEDNESDAY, reason="  Travaux  "
        )
    assert (closure.place, closure.day, closure.reason) == (place, WEDNESDAY, "Travaux")
    assert [a.pk for a in cancelled] == [first.pk, second.pk]
    for appointment in (first, second):
        appointment.refresh_from_db()
        assert appointment.status == AppointmentStatus.CANCELLED_BY_FUND
        last = AppointmentTransition.objects.filter(appointment=appointment).last()
        assert (last.by, last.note) == (supervisor, "Fermeture du lieu : Travaux")
    kept.refresh_from_db()
    assert kept.status == AppointmentStatus.BOOKED
    assert sorted(e.to[0] for e in mail.outbox) == sorted([user.email, other.email])
    assert all("annulé par votre caisse" in e.body for e in mail.outbox)
    assert user.notifications.filter(title="Rendez-vous annulé").exists()
    with time_machine.travel(NOW, tick=False):
        slots = selectors.free_slots(
            place=place, motif=motif, first_day=WEDNESDAY, last_day=dt.date(2026, 3, 19)
        )
    assert slots and {s.local_start.date() for s in slots} == {dt.date(2026, 3, 19)}


def test_rdv23_a_day_closed_once_today_or_later_by_a_supervisor_of_the_fund(world):
    fund, place, _, _, supervisor = world
    front_desk = AgentFactory(fund=fund, second_factor=False)
    foreign = AgentFactory(fund=FundFactory(code="691"), supervisor=True, second_factor=False)
    with time_machine.travel(NOW, tick=False):
        for by in (front_desk, foreign):
            with pytest.raises(Refused) as refused:
                services.place_closure_record(by=by, place=place, day=WEDNESDAY)
            assert refused.value.refusal == rules.NOT_SUPERVISOR_OF_PLACE
        with pytest.raises(Refused) as refused:
            services.place_closure_record(by=supervisor, place=place, day=dt.date(2026, 3, 15))
        assert refused.value.refusal == rules.CLOSURE_IN_PAST
        with pytest.raises(Refused) as refused:
            services.place_closure_record(
                by=supervisor, place=place, day=WEDNESDAY, reason="x" * 201
            )
        assert refused.value.code == "closure_reason"
        services.place_closure_record(by=supervisor, place=place, day=NOW.date())
        with pytest.raises(Refused) as refused:
            services.place_closure_record(by=supervisor, place=place, day=NOW.date())
        assert refused.value.refusal == rules.CLOSURE_EXISTS
        assert [c.day for c in selectors.place_closures(place=place)] == [NOW.date()]
    assert PlaceClosure.objects.count() == 1
