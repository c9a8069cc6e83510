"""Booking, cancelling and the front desk's transitions (rules RDV1–RDV3, RDV5–RDV8, RDV10)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from icalendar import Calendar

from guichet.appointments import rules, selectors, services
from guichet.appointments.enums import AppointmentStatus, CallOutcome
from guichet.appointments.models import Appointment, AppointmentTransition
from guichet.core.clock import PARIS
from guichet.core.refusals import Refused
from tests.appointments.factories import desk, motif_for, opening
from tests.factories import AgentFactory, FundFactory, InsuredUserFactory
from tests.powers.factories import give_power

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 16, 10, 0, tzinfo=PARIS)  # a Monday
WEDNESDAY_9 = dt.datetime(2026, 3, 18, 9, 0, tzinfo=PARIS)


@pytest.fixture
def world():
    fund = FundFactory()
    place, motif, slot = desk(fund)
    user = InsuredUserFactory(person__family__fund=fund)
    return fund, place, motif, slot, user


def _book(user, place, motif, start=WEDNESDAY_9, **extra):
    return services.appointment_book(
        person=user.person,
        by=user,
        motif=motif,
        place=place,
        start=start,
        phone=extra.pop("phone", "06 12 34 56 78"),
        **extra,
    )


@time_machine.travel(NOW, tick=False)
def test_rdv3_a_slot_is_booked_once_with_a_clear_message(world):
    fund, place, motif, _, user = world
    _book(user, place, motif)
    other = InsuredUserFactory(person__family__fund=fund)
    with pytest.raises(Refused) as refused:
        _book(other, place, motif)
    assert refused.value.refusal == rules.SLOT_TAKEN
    assert "vient d'être réservé" in refused.value.message
    assert Appointment.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_rdv3_the_database_refuses_a_second_booking_read_before_the_first_committed(
    world, monkeypatch
):
    """Two people racing: both read the slot free; the partial unique constraint keeps one."""
    fund, place, motif, _, user = world
    read_before = selectors.free_slots(
        place=place, motif=motif, first_day=WEDNESDAY_9.date(), last_day=WEDNESDAY_9.date()
    )
    _book(user, place, motif)
    monkeypatch.setattr(selectors, "free_slots", lambda **kwargs: read_before)
    other = InsuredUserFactory(person__family__fund=fund)
    with pytest.raises(Refused) as refused:
        _book(other, place, motif)
    assert refused.value.refusal == rules.SLOT_TAKEN
    assert Appointment.objects.filter(start=WEDNESDAY_9).count() == 1


@time_machine.travel(NOW, tick=False)
def test_rdv3_the_constraint_frees_a_cancelled_slot(world):
    _, place, motif, slot, user = world
    first = _book(user, place, motif)
    fields = {
        "person": user.person,
        "motif": motif,
        "place": place,
        "agent": slot.agent,
        "start": first.start,
        "end": first.end,
        "phone": "06 12 34 56 78",
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(**fields)
    services.appointment_cancel_by_person(person=user.person, appointment_id=first.pk, by=user)
    Appointment.objects.create(**fields)  # the cancelled one no longer holds it


@time_machine.travel(NOW, tick=False)
def test_rdv3_a_start_never_offered_is_refused(world):
    _, place, motif, _, user = world
    with pytest.raises(Refused) as refused:
        _book(user, place, motif, start=dt.datetime(2026, 3, 18, 14, 0, tzinfo=PARIS))
    assert refused.value.refusal == rules.SLOT_UNAVAILABLE


@time_machine.travel(NOW, tick=False)
def test_rdv1_too_soon_and_too_far_are_refused(world):
    _, place, motif, _, user = world
    with pytest.raises(Refused) as refused:
        _book(user, place, motif, start=dt.datetime(2026, 3, 17, 9, 0, tzinfo=PARIS))
    assert refused.value.code == "too_soon"
    assert "24 heures à l'avance" in refused.value.message
    with pytest.raises(Refused) as refused:
        _book(user, place, motif, start=dt.datetime(2026, 4, 29, 9, 0, tzinfo=PARIS))
    assert refused.value.code == "too_far"


@time_machine.travel(NOW, tick=False)
def test_rdv2_one_upcoming_appointment_per_motif_and_person(world):
    fund, place, motif, _, user = world
    first = _book(user, place, motif)
    with pytest.raises(Refused) as refused:
        _book(user, place, motif, start=dt.datetime(2026, 3, 19, 9, 0, tzinfo=PARIS))
    assert refused.value.refusal == rules.ALREADY_BOOKED
    phone_motif = motif_for(fund, channel="phone", minutes=20)
    opening(place, phone_motif)
    _book(user, place, phone_motif, start=dt.datetime(2026, 3, 19, 9, 0, tzinfo=PARIS))
    services.appointment_cancel_by_person(person=user.person, appointment_id=first.pk, by=user)
    _book(user, place, motif, start=dt.datetime(2026, 3, 19, 9, 0, tzinfo=PARIS))


@time_machine.travel(NOW, tick=False)
def test_rdv2_a_phone_number_is_checked(world):
    _, place, motif, _, user = world
    with pytest.raises(Refused) as refused:
        _book(user, place, motif, phone="12345")
    assert refused.value.field == "phone"
    assert "10 chiffres" in refused.value.message


@time_machine.travel(NOW, tick=False)
def test_rdv6_represented_only_when_a_power_covers_the_date(world):
    _, place, motif, _, user = world
    with pytest.raises(Refused) as refused:
        _book(user, place, motif, represented_by_proxy=True)
    assert refused.value.refusal == rules.NO_POWER_FOR_DATE
    give_power(user.person)  # valid one month, to 16 April
    far = dt.datetime(2026, 4, 20, 9, 0, tzinfo=PARIS)
    with pytest.raises(Refused):
        _book(user, place, motif, start=far, represented_by_proxy=True)
    appointment = _book(user, place, motif, represented_by_proxy=True)
    assert appointment.represented_by_proxy


@time_machine.travel(NOW, tick=False)
def test_rdv5_cancel_until_the_configured_delay(world, settings):
    _, place, motif, _, user = world
    appointment = _book(user, place, motif)
    settings.APPOINTMENT_CANCEL_HOURS = 48  # 47 hours before: too late
    with pytest.raises(Refused) as refused:
        services.appointment_cancel_by_person(
            person=user.person, appointment_id=appointment.pk, by=user
        )
    assert refused.value.code == "cancel_too_late"
    assert "moins de 48 heures" in refused.value.message
    settings.APPOINTMENT_CANCEL_HOURS = 24
    services.appointment_cancel_by_person(
        person=user.person, appointment_id=appointment.pk, by=user
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED_BY_PERSON
    log = list(
        AppointmentTransition.objects.filter(appointment=appointment).values_list(
            "from_status", "to_status"
        )
    )
    assert log == [("", "booked"), ("booked", "cancelled_by_person")]


def test_rdv7_seen_and_no_show_only_from_the_start_and_logged(world):
    fund, place, motif, _, user = world
    front_desk = AgentFactory(fund=fund, second_factor=False)
    with time_machine.travel(NOW, tick=False):
        appointment = _book(user, place, motif)
        with pytest.raises(Refused) as refused:
            services.appointment_move(
                appointment_id=appointment.pk, agent=front_desk, target=AppointmentStatus.SEEN
            )
        assert refused.value.refusal == rules.TOO_EARLY_FOR_OUTCOME
    with time_machine.travel(WEDNESDAY_9, tick=False):
        services.appointment_move(
            appointment_id=appointment.pk, agent=front_desk, target=AppointmentStatus.NO_SHOW
        )
        with pytest.raises(Refused):
            services.appointment_move(
                appointment_id=appointment.pk, agent=front_desk, target=AppointmentStatus.SEEN
            )
    last = AppointmentTransition.objects.filter(appointment=appointment).last()
    assert (last.to_status, last.by) == ("no_show", front_desk)
    # A no-show changes nothing else: the person books again.
    with time_machine.travel(WEDNESDAY_9, tick=False):
        _book(user, place, motif, start=dt.datetime(2026, 3, 20, 9, 0, tzinfo=PARIS))


@time_machine.travel(NOW, tick=False)
def test_rdv7_another_funds_agent_cannot_move_it(world):
    _, place, motif, _, user = world
    appointment = _book(user, place, motif)
    stranger = AgentFactory(fund=FundFactory(code="691", name="CPAM du Rhône"), second_factor=False)
    with pytest.raises(Appointment.DoesNotExist):
        services.appointment_move(
            appointment_id=appointment.pk,
            agent=stranger,
            target=AppointmentStatus.CANCELLED_BY_FUND,
        )


@time_machine.travel(NOW, tick=False)
def test_rdv8_the_preparatory_call_records_its_outcome(world):
    fund, place, motif, _, user = world
    agent = AgentFactory(fund=fund, second_factor=False)
    appointment = _book(user, place, motif, start=dt.datetime(2026, 3, 17, 11, 0, tzinfo=PARIS))
    assert selectors.calls_due(agent=agent, day=dt.date(2026, 3, 17)) == [appointment]
    with pytest.raises(Refused) as refused:
        services.appointment_call_record(
            appointment_id=appointment.pk, agent=agent, outcome=CallOutcome.WILL_BE_REPRESENTED
        )
    assert refused.value.refusal == rules.NO_POWER_FOR_DATE
    give_power(user.person)
    services.appointment_call_record(
        appointment_id=appointment.pk, agent=agent, outcome=CallOutcome.WILL_BE_REPRESENTED
    )
    appointment.refresh_from_db()
    assert appointment.represented_by_proxy
    assert (appointment.call_outcome, appointment.called_by) == ("will_be_represented", agent)


@time_machine.travel(NOW, tick=False)
def test_rdv10_confirmation_with_a_calendar_file_to_the_insured_even_when_represented(
    world, django_capture_on_commit_callbacks
):
    _, place, motif, _, user = world
    give_power(user.person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appointment = _book(user, place, motif, represented_by_proxy=True)
    (email,) = mail.outbox
    assert email.to == [user.email]  # addressed to the insured (rule P8), not the proxy
    assert "mercredi 18 mars 2026 à 09:00" in email.body
    assert "représenté(e) par votre mandataire" in email.body
    assert email.alternatives and email.alternatives[0][1] == "text/html"
    ((name, content, mimetype),) = email.attachments
    assert (name, mimetype) == ("rendez-vous.ics", "text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == appointment.start
    assert event.decoded("dtstart").utcoffset() == dt.timedelta(0)
    assert event["location"] == f"{place.name}, {place.address}"


@time_machine.travel(NOW, tick=False)
def test_rdv10_a_cancellation_by_the_fund_is_notified(world, django_capture_on_commit_callbacks):
    fund, place, motif, _, user = world
    appointment = _book(user, place, motif)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_move(
            appointment_id=appointment.pk,
            agent=AgentFactory(fund=fund, second_factor=False),
            target=AppointmentStatus.CANCELLED_BY_FUND,
        )
    (email,) = mail.outbox
    assert "annulé par votre caisse" in email.body
    event = Calendar.from_ical(email.attachments[0][1])
    assert str(event["method"]) == "CANCEL"
    assert user.notifications.filter(title="Rendez-vous annulé").exists()
