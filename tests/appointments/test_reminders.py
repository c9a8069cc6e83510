"""The 48-hour reminder (rule RDV20): one email and one notification per appointment, never
twice, 48 real hours before (across the daylight-saving changes), even with two runs at once."""

import datetime as dt
import threading
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection

from guichet.appointments import services
from guichet.appointments.models import Appointment
from guichet.core.clock import PARIS
from guichet.notifications.models import Notification, OutboundEmail
from tests.appointments.factories import desk
from tests.factories import InsuredUserFactory


def _booked(start: dt.datetime) -> Appointment:
    """An appointment at `start`, booked well before its reminder is due."""
    user = InsuredUserFactory()
    place, motif, _ = desk(user.person.family.fund)
    motif.max_booking_delay_days = 300
    motif.save()
    with time_machine.travel(start - dt.timedelta(days=20), tick=False):
        return services.appointment_book(
            person=user.person,
            by=user,
            motif=motif,
            place=place,
            start=start,
            phone="06 12 34 56 78",
        )


def _run(at: dt.datetime) -> int:
    with time_machine.travel(at, tick=False):
        out = StringIO()
        call_command("send_appointment_reminders", stdout=out)
        return int(out.getvalue().split()[0])


@pytest.mark.django_db
def test_rdv20_one_reminder_48_hours_before_never_twice(django_capture_on_commit_callbacks):
    start = dt.datetime(2026, 3, 18, 9, 0, tzinfo=PARIS)
    appointment = _booked(start)
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(start - dt.timedelta(hours=48, minutes=1)) == 0
        assert _run(start - dt.timedelta(hours=48)) == 1
        assert _run(start - dt.timedelta(hours=47)) == 0  # run again: nothing more
        assert _run(start - dt.timedelta(hours=1)) == 0
    [reminder] = [m for m in mail.outbox if m.subject.startswith("Rappel")]
    assert "le mercredi 18 mars 2026 à 09:00" in reminder.body
    assert reminder.attachments[0][0] == "rendez-vous.ics"
    appointment.refresh_from_db()
    assert appointment.reminded_at == start - dt.timedelta(hours=48)
    assert Notification.objects.filter(title="Rappel de rendez-vous").count() == 1


@pytest.mark.django_db
def test_rdv20_no_reminder_for_a_cancelled_a_past_or_a_late_booking():
    start = dt.datetime(2026, 3, 18, 9, 0, tzinfo=PARIS)
    cancelled = _booked(start)
    with time_machine.travel(start - dt.timedelta(days=3), tick=False):
        services.appointment_cancel_by_person(
            person=cancelled.person, appointment_id=cancelled.pk, by=cancelled.booked_by
        )
    late = _booked(start)
    Appointment.objects.filter(pk=late.pk).update(created_at=start - dt.timedelta(hours=30))
    assert _run(start - dt.timedelta(hours=24)) == 0  # the confirmation was the reminder
    assert _run(start + dt.timedelta(hours=1)) == 0
    assert not OutboundEmail.objects.filter(category="appointment_reminder").exists()


@pytest.mark.django_db
def test_rdv20_a_move_makes_the_reminder_due_again():
    start = dt.datetime(2026, 3, 18, 9, 0, tzinfo=PARIS)
    appointment = _booked(start)
    assert _run(start - dt.timedelta(hours=40)) == 1
    later = dt.datetime(2026, 3, 25, 9, 0, tzinfo=PARIS)
    with time_machine.travel(start - dt.timedelta(hours=30), tick=False):
        services.appointment_reschedule(
            person=appointment.person,
            appointment_id=appointment.pk,
            by=appointment.booked_by,
            start=later,
        )
    assert _run(later - dt.timedelta(hours=47)) == 1
    assert OutboundEmail.objects.filter(category="appointment_reminder").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "due"),
    [
        # Monday after the spring change (Sunday 29 March 2026): 48 hours before 09:00 CEST is
        # Saturday 08:00 CET, one wall-clock hour earlier.
        (
            dt.datetime(2026, 3, 30, 9, 0, tzinfo=PARIS),
            dt.datetime(2026, 3, 28, 8, 0, tzinfo=PARIS),
        ),
        # Monday after the autumn change (Sunday 25 October 2026): Saturday 10:00 CEST.
        (
            dt.datetime(2026, 10, 26, 9, 0, tzinfo=PARIS),
            dt.datetime(2026, 10, 24, 10, 0, tzinfo=PARIS),
        ),
    ],
    ids=["march", "october"],
)
def test_rdv20_48_real_hours_across_the_daylight_saving_change(start, due):
    _booked(start)
    assert start.astimezone(dt.UTC) - due.astimezone(dt.UTC) == dt.timedelta(hours=48)
    assert _run(due - dt.timedelta(minutes=1)) == 0
    assert _run(due) == 1
    assert _run(due + dt.timedelta(hours=1)) == 0


def test_rdv20_two_runs_at_once_send_each_reminder_once(concurrent_db):
    """Two workers (two threads, two database connections) run the command together."""
    start = dt.datetime(2026, 3, 18, 9, 0, tzinfo=PARIS)
    for _ in range(3):
        _booked(start)
    now = start - dt.timedelta(hours=47)
    barrier = threading.Barrier(2, timeout=10)
    counts: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            counts.append(services.appointment_reminders_send(now=now))
        except BaseException as error:  # reported by the main thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert sorted(counts)[-1] >= 1 and sum(counts) == 3
    assert OutboundEmail.objects.filter(category="appointment_reminder").count() == 3
    assert not Appointment.objects.filter(reminded_at__isnull=True).exists()
