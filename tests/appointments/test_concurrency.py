"""Rule RDV3 under a real race: two people, two threads and two database connections, book the
same slot at once; one booking, and one clear French message (on SQLite and PostgreSQL)."""

import datetime as dt
import threading

import time_machine
from django.db import connection

from guichet.appointments import rules, selectors, services
from guichet.appointments.models import Appointment
from guichet.core.clock import PARIS
from guichet.core.refusals import Refused
from tests.appointments.factories import desk
from tests.factories import InsuredUserFactory

NOW = dt.datetime(2026, 3, 16, 10, 0, tzinfo=PARIS)
WEDNESDAY_9 = dt.datetime(2026, 3, 18, 9, 0, tzinfo=PARIS)


def _race(monkeypatch, attempt) -> tuple[list[object], list[BaseException]]:
    """Run `attempt(i)` in two threads at once. On PostgreSQL both first read the slot free
    (a barrier after the read), so that the partial unique constraint decides; SQLite's
    IMMEDIATE transactions take the write lock at their start, so the second one reads after
    the first committed."""
    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2, timeout=10)
        read = selectors.free_slots

        def read_then_wait(**kwargs):
            slots = read(**kwargs)
            if not kwargs.get("include_booked"):
                barrier.wait()
            return slots

        monkeypatch.setattr(selectors, "free_slots", read_then_wait)
    results: list[object] = []
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            with time_machine.travel(NOW, tick=False):
                results.append(attempt(i))
        except Refused as refused:
            results.append(refused)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results, errors


def test_rdv3_two_people_racing_for_one_slot_get_one_booking(concurrent_db, monkeypatch):
    user = InsuredUserFactory()
    place, motif, _ = desk(user.person.family.fund)
    people = [user, InsuredUserFactory(person__family__fund=place.fund)]

    def book(i: int):
        return services.appointment_book(
            person=people[i].person,
            by=people[i],
            motif=motif,
            place=place,
            start=WEDNESDAY_9,
            phone="06 12 34 56 78",
        )

    results, errors = _race(monkeypatch, book)
    assert not errors, errors
    booked = [r for r in results if isinstance(r, Appointment)]
    refused = [r for r in results if isinstance(r, Refused)]
    assert len(booked) == 1 and len(refused) == 1
    assert refused[0].refusal == rules.SLOT_TAKEN
    assert "vient d'être réservé par une autre personne" in refused[0].message
    assert Appointment.objects.filter(start=WEDNESDAY_9).count() == 1


def test_rdv17_a_move_racing_a_booking_for_one_slot_gets_one(concurrent_db, monkeypatch):
    user = InsuredUserFactory()
    place, motif, _ = desk(user.person.family.fund)
    other = InsuredUserFactory(person__family__fund=place.fund)
    thursday = WEDNESDAY_9 + dt.timedelta(days=1)
    with time_machine.travel(NOW, tick=False):
        mine = services.appointment_book(
            person=user.person,
            by=user,
            motif=motif,
            place=place,
            start=thursday,
            phone="06 12 34 56 78",
        )

    def attempt(i: int):
        if i == 0:
            return services.appointment_reschedule(
                person=user.person, appointment_id=mine.pk, by=user, start=WEDNESDAY_9
            )
        return services.appointment_book(
            person=other.person,
            by=other,
            motif=motif,
            place=place,
            start=WEDNESDAY_9,
            phone="06 12 34 56 78",
        )

    results, errors = _race(monkeypatch, attempt)
    assert not errors, errors
    assert sum(isinstance(r, Appointment) for r in results) == 1
    [refused] = [r for r in results if isinstance(r, Refused)]
    assert refused.refusal == rules.SLOT_TAKEN
    assert Appointment.objects.filter(start=WEDNESDAY_9).count() == 1
    mine.refresh_from_db()
    moved = any(isinstance(r, Appointment) and r.pk == mine.pk for r in results)
    assert mine.start == (WEDNESDAY_9 if moved else thursday)  # a refused move stays put
