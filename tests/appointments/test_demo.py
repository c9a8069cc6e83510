"""seed_demo's agenda (issue 17): a persona of the CPAM de Paris finds free slots at once, and
a second run adds nothing."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from guichet.accounts.models import User
from guichet.appointments import demo, selectors, services
from guichet.appointments.enums import Arrival
from guichet.appointments.models import Appointment, Motif, OpeningSlot, Place
from guichet.core import clock
from guichet.demo.personas import persona
from guichet.notifications.models import Notification
from guichet.powers.models import PowerOfAttorney

pytestmark = pytest.mark.django_db

# A Tuesday morning: the next days of the week are open.
INSTANT = dt.datetime(2026, 11, 24, 8, 0, tzinfo=dt.UTC)


def test_seed_demo_opens_every_demo_cpams_front_desk_to_appointments():
    with time_machine.travel(INSTANT, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        counts = (Place.objects.count(), Motif.objects.count(), OpeningSlot.objects.count())
        call_command("seed_demo", stdout=io.StringIO())
        assert (Place.objects.count(), Motif.objects.count(), OpeningSlot.objects.count()) == counts
        # Every demo CPAM has its front desk (RDV24): five places, two motifs and two openings each.
        assert counts == (5, 10, 10)
        assert set(Place.objects.values_list("fund__code", flat=True)) == {
            "751",
            "691",
            "131",
            "331",
            "441",
        }
        for code in ("691", "131", "331", "441"):
            assert User.objects.filter(
                username=f"accueil-{code}", fund__code=code, agent_role="front_desk"
            ).exists()
            assert User.objects.filter(
                username=f"superviseur-{code}", fund__code=code, agent_role="supervisor"
            ).exists()
        place = Place.objects.get(fund__code=persona("family-of-four").fund)
        for motif in Motif.objects.filter(fund=place.fund):
            slots = selectors.free_slots(
                place=place,
                motif=motif,
                first_day=clock.today(),
                last_day=clock.today() + dt.timedelta(days=7),
            )
            assert slots, motif.name
            assert all(slot.start.weekday() < 5 for slot in slots)


def test_seed_demo_gives_mamie_francoise_her_represented_appointment_back():
    """Issue 17: one upcoming desk appointment, represented by her nephew; kept while to come,
    booked again when a demo checked her in or cancelled it, her inbox empty either way."""

    with time_machine.travel(INSTANT, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        (first,) = Appointment.objects.filter(person__nir=persona("mamie-francoise").nir)
        assert first.represented_by_proxy and first.is_upcoming
        power = PowerOfAttorney.objects.get(grantor=first.person)
        assert (power.proxy_first_name, power.proxy_last_name) == ("Nicolas", "MOREAU")
        assert power.is_usable_at(first.start)  # rule RDV6
        assert first.agent.username == "accueil"
        assert first.booked_by.person_id == first.person_id
        assert not Notification.objects.filter(recipient__person=first.person).exists()
        call_command("seed_demo", stdout=io.StringIO())
        assert list(Appointment.objects.filter(person=first.person)) == [first]
    with time_machine.travel(first.start - dt.timedelta(minutes=15), tick=False):
        services.appointment_check_in(
            appointment_id=first.pk, agent=first.agent, arrival=Arrival.INSURED
        )
        call_command("seed_demo", stdout=io.StringIO())
        (again,) = Appointment.objects.filter(person=first.person)
        assert again.pk != first.pk and again.is_upcoming and again.represented_by_proxy


def test_seed_demo_opens_a_front_desk_for_each_fund_with_a_front_desk_agent_only():
    """Every demo CPAM has a front-desk agent, the central fund none: it gets no agenda."""
    desks = demo.front_desk_agents()
    assert desks == {
        "751": "accueil",
        "691": "accueil-691",
        "131": "accueil-131",
        "331": "accueil-331",
        "441": "accueil-441",
    }
    with time_machine.travel(INSTANT, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
    assert set(Place.objects.values_list("fund__code", flat=True)) == set(desks)
    for place in Place.objects.select_related("fund"):
        assert place.address == place.fund.address
        holders = set(
            OpeningSlot.objects.filter(place=place).values_list("agent__username", flat=True)
        )
        assert holders == {desks[place.fund.code]}
