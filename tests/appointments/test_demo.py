"""seed_demo's agenda (issue 17): a persona of the CPAM de Paris finds free slots at once, and
a second run adds nothing."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from guichet.appointments import selectors
from guichet.appointments.models import Motif, OpeningSlot, Place
from guichet.core import clock
from guichet.demo.personas import persona

pytestmark = pytest.mark.django_db

# A Tuesday morning: the next days of the week are open.
INSTANT = dt.datetime(2026, 11, 24, 8, 0, tzinfo=dt.UTC)


def test_seed_demo_opens_the_paris_front_desk_to_appointments():
    with time_machine.travel(INSTANT, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        counts = (Place.objects.count(), Motif.objects.count(), OpeningSlot.objects.count())
        call_command("seed_demo", stdout=io.StringIO())
        assert (Place.objects.count(), Motif.objects.count(), OpeningSlot.objects.count()) == counts
        assert counts == (1, 2, 2)
        place = Place.objects.get()
        assert place.fund.code == persona("family-of-four").fund
        for motif in Motif.objects.all():
            slots = selectors.free_slots(
                place=place,
                motif=motif,
                first_day=clock.today(),
                last_day=clock.today() + dt.timedelta(days=7),
            )
            assert slots, motif.name
            assert all(slot.start.weekday() < 5 for slot in slots)
