"""The insured's side of « Mon agenda »: moving an appointment (RDV17, RDV18), booking for a
beneficiary of the family (RDV19), the power covering the date (RDV6, RDV21)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from guichet.appointments import rules, selectors, services
from guichet.appointments.enums import AppointmentStatus
from guichet.appointments.models import Appointment, AppointmentTransition
from guichet.core.clock import PARIS
from guichet.core.refusals import Refused
from guichet.notifications.models import Notification
from tests.appointments.factories import desk
from tests.factories import InsuredUserFactory, PersonFactory
from tests.powers.factories import give_power

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 16, 10, 0, tzinfo=PARIS)  # a Monday
WEDNESDAY_9 = dt.datetime(2026, 3, 18, 9, 0, tzinfo=PARIS)
THURSDAY_10 = dt.datetime(2026, 3, 19, 10, 0, tzinfo=PARIS)


@pytest.fixture
def world():
    user = InsuredUserFactory()
    place, motif, slot = desk(user.person.family.fund)
    return user, place, motif, slot


def _book(user, place, motif, start=WEDNESDAY_9, person=None, **extra):
    return services.appointment_book(
        person=person or user.person,
        by=user,
        motif=motif,
        place=place,
        start=start,
        phone="06 12 34 56 78",
        **extra,
    )


def _move(user, appointment, start=THURSDAY_10):
    return services.appointment_reschedule(
        person=user.person, appointment_id=appointment.pk, by=user, start=start
    )


def _ics(message) -> Calendar:
    [(_, content, kind)] = message.attachments
    assert kind == "text/calendar"
    return Calendar.from_ical(content)


@time_machine.travel(NOW, tick=False)
def test_rdv17_moving_keeps_the_row_frees_the_old_slot_and_logs_it(
    world, django_capture_on_commit_callbacks
):
    user, place, motif, _ = world
    with django_capture_on_commit_callbacks(execute=True):
        appointment = _book(user, place, motif)
    with django_capture_on_commit_callbacks(execute=True):
        moved = _move(user, appointment)
    assert moved.pk == appointment.pk
    assert (moved.start, moved.end) == (THURSDAY_10, THURSDAY_10 + dt.timedelta(minutes=30))
    assert moved.status == AppointmentStatus.BOOKED
    assert moved.sequence == 1
    day = WEDNESDAY_9.date()
    free = selectors.free_slots(place=place, motif=motif, first_day=day, last_day=day)
    assert WEDNESDAY_9 in [slot.start for slot in free]  # the old slot is offered again
    log = AppointmentTransition.objects.filter(appointment=moved).latest("pk")
    assert (log.from_status, log.to_status) == ("booked", "booked")
    assert log.note == "Déplacé du 18/03/2026 09:00 au 19/03/2026 10:00"
    # Rule RDV18: the notice carries the same event (same UID), a higher SEQUENCE, new times.
    booked, notice = mail.outbox
    assert "a changé d'horaire" in notice.subject
    assert "déplacé au jeudi 19 mars 2026 à 10:00" in notice.body
    [first] = _ics(booked).walk("VEVENT")
    [second] = _ics(notice).walk("VEVENT")
    assert second["UID"] == first["UID"]
    assert (int(first["SEQUENCE"]), int(second["SEQUENCE"])) == (0, 1)
    assert second.decoded("DTSTART") == THURSDAY_10.astimezone(dt.UTC)
    assert Notification.objects.filter(recipient=user, title="Rendez-vous déplacé").count() == 1


@time_machine.travel(NOW, tick=False)
def test_rdv18_a_cancellation_after_a_move_raises_the_sequence_again(
    world, django_capture_on_commit_callbacks
):
    user, place, motif, _ = world
    appointment = _book(user, place, motif)
    _move(user, appointment)
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel_by_person(
            person=user.person, appointment_id=appointment.pk, by=user
        )
    [event] = _ics(mail.outbox[-1]).walk("VEVENT")
    assert int(event["SEQUENCE"]) == 2
    assert event["STATUS"] == "CANCELLED"


@time_machine.travel(NOW, tick=False)
def test_rdv17_the_booking_rules_hold_for_a_move(world):
    user, place, motif, _ = world
    appointment = _book(user, place, motif)
    other = InsuredUserFactory(person__family__fund=place.fund)
    _book(other, place, motif, start=THURSDAY_10)
    cases = {
        THURSDAY_10: "slot_taken",
        WEDNESDAY_9: "same_slot",
        dt.datetime(2026, 3, 18, 14, 0, tzinfo=PARIS): "slot_unavailable",
        dt.datetime(2026, 3, 17, 9, 0, tzinfo=PARIS): "too_soon",
        dt.datetime(2026, 4, 29, 9, 0, tzinfo=PARIS): "too_far",
    }
    for start, code in cases.items():
        with pytest.raises(Refused) as refused:
            _move(user, appointment, start)
        assert refused.value.code == code, start
    appointment.refresh_from_db()
    assert (appointment.start, appointment.sequence) == (WEDNESDAY_9, 0)


def test_rdv17_no_move_within_the_cancellation_delay_nor_once_cancelled(world):
    user, place, motif, _ = world
    with time_machine.travel(NOW, tick=False):
        appointment = _book(user, place, motif)
    with time_machine.travel(WEDNESDAY_9 - dt.timedelta(hours=23), tick=False):
        with pytest.raises(Refused) as refused:
            _move(user, appointment)
        assert refused.value.code == "move_too_late"
        assert "3646" in refused.value.message
    with time_machine.travel(NOW, tick=False):
        services.appointment_cancel_by_person(
            person=user.person, appointment_id=appointment.pk, by=user
        )
        with pytest.raises(Refused) as refused:
            _move(user, appointment)
        assert refused.value.refusal == rules.NOT_MOVABLE


@time_machine.travel(NOW, tick=False)
def test_rdv17_another_persons_appointment_does_not_exist(world):
    user, place, motif, _ = world
    appointment = _book(user, place, motif)
    stranger = InsuredUserFactory(person__family__fund=place.fund)
    with pytest.raises(Appointment.DoesNotExist):
        _move(stranger, appointment)
    with pytest.raises(Appointment.DoesNotExist):
        services.appointment_cancel_by_person(
            person=stranger.person, appointment_id=appointment.pk, by=stranger
        )


@time_machine.travel(NOW, tick=False)
def test_rdv6_a_represented_appointment_moves_only_within_the_power(world):
    user, place, motif, _ = world
    give_power(user.person, at=NOW - dt.timedelta(days=10), by=user)  # valid until 6 April
    appointment = _book(user, place, motif, represented_by_proxy=True)
    late = dt.datetime(2026, 4, 20, 9, 0, tzinfo=PARIS)
    with pytest.raises(Refused) as refused:
        _move(user, appointment, late)
    assert refused.value.refusal == rules.NO_POWER_FOR_DATE
    assert _move(user, appointment).represented_by_proxy


@time_machine.travel(NOW, tick=False)
def test_rdv19_the_holder_books_for_a_dependant_and_sees_it_in_their_account(
    world, django_capture_on_commit_callbacks
):
    user, place, motif, _ = world
    child = PersonFactory(
        dependant=True, family=user.person.family, first_names="Léa", last_name="MARTIN"
    )
    assert [p.pk for p in selectors.bookable_people(holder=user.person)] == [
        user.person.pk,
        child.pk,
    ]
    with django_capture_on_commit_callbacks(execute=True):
        appointment = _book(user, place, motif, person=child)
    assert appointment.person == child
    # RDV2 is per person: the holder may still book the same motif for themselves.
    _book(user, place, motif, start=THURSDAY_10)
    upcoming, _ = selectors.appointments_of(person=user.person)
    assert [a.person_id for a in upcoming] == [child.pk, user.person.pk]
    assert selectors.next_appointment(person=user.person) == appointment
    # The child has no account: the confirmation goes to the holder, and says for whom.
    [message] = mail.outbox
    assert message.to == [user.email]
    assert "Ce rendez-vous est pour Léa MARTIN." in message.body
    assert f"Bonjour {user.person.given_name}," in message.body
    first_note = Notification.objects.filter(recipient=user).order_by("pk").first()
    assert first_note.body.startswith("Le rendez-vous de Léa MARTIN « Rendez-vous à l'accueil »")
    # The holder moves and cancels it from their account.
    _move(user, appointment, dt.datetime(2026, 3, 19, 11, 0, tzinfo=PARIS))
    services.appointment_cancel_by_person(
        person=user.person, appointment_id=appointment.pk, by=user
    )


@time_machine.travel(NOW, tick=False)
def test_rdv19_nobody_books_for_someone_outside_their_family(world):
    user, place, motif, _ = world
    stranger = PersonFactory(family__fund=place.fund)
    with pytest.raises(Refused) as refused:
        _book(user, place, motif, person=stranger)
    assert refused.value.refusal == rules.NOT_IN_FAMILY
    # A dependant with an account of their own books for themselves only.
    child_account = InsuredUserFactory(
        person__family=user.person.family,
        person__role="dependant",
        person__birth_date=dt.date(2004, 2, 3),
    )
    assert selectors.bookable_people(holder=child_account.person) == [child_account.person]
    with pytest.raises(Refused):
        _book(child_account, place, motif, person=user.person)
    assert not Appointment.objects.exists()
    upcoming, _ = selectors.appointments_of(person=child_account.person)
    assert upcoming == []


@time_machine.travel(NOW, tick=False)
def test_rdv21_the_power_ends_before_the_date(world):
    user, *_ = world
    power = give_power(user.person, at=NOW - dt.timedelta(days=20), by=user)
    assert rules.power_covers(power, WEDNESDAY_9)
    assert not rules.power_ends_before(power, WEDNESDAY_9)
    later = power.valid_until + dt.timedelta(minutes=1)
    assert rules.power_ends_before(power, later)
    assert not rules.power_ends_before(None, later)
