"""The insured's pages without JavaScript: « Déplacer un rendez-vous » (RDV17), booking for a
beneficiary (RDV19), the proxy offered only when the power covers the date (RDV6, RDV21), and
the booking page's query budget."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from guichet.appointments import selectors, services
from guichet.appointments.models import Absence, Appointment
from guichet.core.clock import PARIS
from guichet.powers import services as power_services
from tests.appointments.factories import desk, opening
from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory, PersonFactory
from tests.powers.factories import give_power

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 16, 10, 0, tzinfo=PARIS)  # a Monday
WEDNESDAY_9 = dt.datetime(2026, 3, 18, 9, 0, tzinfo=PARIS)
THURSDAY_10 = dt.datetime(2026, 3, 19, 10, 0, tzinfo=PARIS)


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


def _slots_url(motif, place, **extra) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"motif": motif.pk, "lieu": place.pk, **extra}.items())
    return f"{reverse('web:appointment_slots')}?{query}"


@time_machine.travel(NOW, tick=False)
def test_rdv17_move_from_the_pages(insured_client, insured):
    place, motif, _ = desk(insured.person.family.fund)
    appointment = _book(insured, place, motif)
    listing = insured_client.get(reverse("web:appointments")).content.decode()
    move_url = reverse("web:appointment_move", args=[appointment.pk])
    assert f'href="{move_url}"' in listing
    page = insured_client.get(move_url).content.decode()
    assert "Déplacer un rendez-vous" in page
    assert f'value="{THURSDAY_10.isoformat()}"' in page
    assert f'value="{WEDNESDAY_9.isoformat()}"' not in page  # its own slot is not offered
    empty = insured_client.post(move_url, {})
    assert empty.status_code == 400
    assert "Choisissez un nouveau créneau." in empty.content.decode()
    response = insured_client.post(move_url, {"slot": THURSDAY_10.isoformat()})
    assert response.status_code == 302 and response.url == reverse("web:appointments")
    appointment.refresh_from_db()
    assert appointment.start == THURSDAY_10
    assert "Votre rendez-vous est déplacé." in insured_client.get(response.url).content.decode()


@time_machine.travel(NOW, tick=False)
def test_rdv17_the_week_after_and_a_slot_taken_meanwhile(insured_client, insured):
    place, motif, _ = desk(insured.person.family.fund)
    appointment = _book(insured, place, motif)
    move_url = reverse("web:appointment_move", args=[appointment.pk])
    next_week = insured_client.get(f"{move_url}?du=2026-03-24").content.decode()
    assert "Créneaux libres du 24 mars 2026 au 30 mars 2026" in next_week
    assert 'value="2026-03-24T09:00:00+01:00"' in next_week
    # Taken by somebody else between the page and the POST: the choice is gone, a clear message.
    _book(InsuredUserFactory(person__family__fund=place.fund), place, motif, start=THURSDAY_10)
    response = insured_client.post(move_url, {"slot": THURSDAY_10.isoformat()})
    assert response.status_code == 400
    assert "plus proposé" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.start == WEDNESDAY_9


def test_rdv17_too_late_to_move_says_so(insured_client, insured):
    place, motif, _ = desk(insured.person.family.fund)
    with time_machine.travel(NOW, tick=False):
        appointment = _book(insured, place, motif)
    with time_machine.travel(WEDNESDAY_9 - dt.timedelta(hours=20), tick=False):
        move_url = reverse("web:appointment_move", args=[appointment.pk])
        page = insured_client.get(move_url).content.decode()
        assert "ne peut plus être déplacé en ligne" in page
        assert "Je déplace mon rendez-vous" not in page
        assert insured_client.post(move_url, {"slot": THURSDAY_10.isoformat()}).status_code == 400
        listing = insured_client.get(reverse("web:appointments")).content.decode()
        assert f'href="{move_url}"' not in listing


@time_machine.travel(NOW, tick=False)
def test_rdv17_another_persons_appointment_cannot_be_moved(client, insured):
    place, motif, _ = desk(insured.person.family.fund)
    appointment = _book(insured, place, motif)
    other = InsuredUserFactory(person__family__fund=place.fund)
    client.post("/connexion/", {"nir": other.username, "code": DEFAULT_PASSWORD})
    move_url = reverse("web:appointment_move", args=[appointment.pk])
    assert client.get(move_url).status_code == 404
    assert client.post(move_url, {"slot": THURSDAY_10.isoformat()}).status_code == 404
    appointment.refresh_from_db()
    assert appointment.start == WEDNESDAY_9


@time_machine.travel(NOW, tick=False)
def test_rdv19_book_for_a_child_from_the_pages(insured_client, insured):
    place, motif, _ = desk(insured.person.family.fund)
    child = PersonFactory(dependant=True, family=insured.person.family, first_names="Léa")
    step1 = insured_client.get(reverse("web:appointment_book")).content.decode()
    assert "Pour qui ?" in step1
    assert f'<option value="{child.pk}">{child.full_name}</option>' in step1
    stranger = PersonFactory(family__fund=place.fund)
    bad = insured_client.get(_slots_url(motif, place, beneficiaire=stranger.pk))
    assert bad.status_code == 400
    assert escape("Choisissez l'une des personnes de votre famille proposées.") in (
        bad.content.decode()
    )
    url = _slots_url(motif, place, beneficiaire=child.pk)
    page = insured_client.get(url).content.decode()
    assert f'Rendez-vous pour <span class="fr-text--bold">{child.full_name}</span>' in page
    assert "procuration" not in page  # a child's appointment: no proxy of the holder's
    response = insured_client.post(url, {"slot": WEDNESDAY_9.isoformat(), "phone": "0612345678"})
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.person == child and appointment.booked_by == insured
    done = insured_client.get(response.url).content.decode()
    assert f"Pour {child.full_name}" in done
    listing = insured_client.get(reverse("web:appointments")).content.decode()
    assert f"Pour {child.full_name}" in listing


@time_machine.travel(NOW, tick=False)
def test_rdv19_alone_in_the_family_no_choice_of_person(insured_client, insured):
    desk(insured.person.family.fund)
    assert "Pour qui ?" not in insured_client.get(reverse("web:appointment_book")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_rdv21_the_proxy_is_offered_only_for_the_dates_the_power_covers(insured_client, insured):
    place, motif, _ = desk(insured.person.family.fund)
    give_power(insured.person, at=NOW - dt.timedelta(days=20), by=insured)  # until 24 March
    this_week = insured_client.get(_slots_url(motif, place)).content.decode()
    assert "Je me ferai représenter par mon mandataire" in this_week
    assert "power-ends" not in this_week  # the power covers every slot of the week
    # The week of 23 March: the power ends on the 24th, before some of the slots.
    partly = insured_client.get(_slots_url(motif, place, du="2026-03-23")).content.decode()
    assert "Je me ferai représenter par mon mandataire" in partly
    assert "avant certains créneaux de cette semaine" in partly
    assert f'href="{reverse("web:power_start")}">Renouveler ma procuration' in partly
    # A slot after its end, represented: the service refuses, the page says why and keeps all.
    url = _slots_url(motif, place, du="2026-03-23")
    late = dt.datetime(2026, 3, 26, 9, 0, tzinfo=PARIS)
    response = insured_client.post(
        url, {"slot": late.isoformat(), "phone": "06 12 34 56 78", "represented": "on"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Aucune procuration en cours ne couvre la date de ce rendez-vous" in body
    assert 'value="06 12 34 56 78"' in body and "checked" in body
    assert not Appointment.objects.exists()
    # The week after: the power ends before every slot, no checkbox, the renewal link.
    after = insured_client.get(_slots_url(motif, place, du="2026-03-30")).content.decode()
    assert "Je me ferai représenter par mon mandataire" not in after
    assert "avant les créneaux de cette semaine" in after


@time_machine.travel(NOW, tick=False)
def test_rdv21_the_list_says_when_a_power_no_longer_covers_a_represented_appointment(
    insured_client, insured
):
    place, motif, _ = desk(insured.person.family.fund)
    power = give_power(insured.person, at=NOW - dt.timedelta(days=20), by=insured)
    _book(insured, place, motif, represented_by_proxy=True)
    listing = insured_client.get(reverse("web:appointments")).content.decode()
    assert "Vous serez représenté(e) par votre mandataire." in listing
    assert "ne couvre plus la date" not in listing
    power_services.power_revoke(power_id=power.pk, grantor=insured.person, by=insured)
    listing = insured_client.get(reverse("web:appointments")).content.decode()
    assert "Votre procuration ne couvre plus la date de ce rendez-vous" in listing
    assert "Renouveler ma procuration" in listing


@time_machine.travel(NOW, tick=False)
def test_the_booking_page_query_count_does_not_grow_with_appointments(
    insured_client, insured, django_assert_max_num_queries
):
    """Rule RDV9's three reads whatever the number of agents, absences and appointments."""
    place, motif, _ = desk(insured.person.family.fund)
    url = _slots_url(motif, place)
    assert insured_client.get(url).status_code == 200  # the session's first request
    with CaptureQueriesContext(connection) as few:
        assert insured_client.get(url).status_code == 200
    for _ in range(3):
        opening(place, motif)  # three more agents at the same hours
    thursday = THURSDAY_10.date()
    slots = selectors.free_slots(
        place=place, motif=motif, first_day=WEDNESDAY_9.date(), last_day=thursday
    )
    for slot in slots[:30]:
        _book(InsuredUserFactory(person__family__fund=place.fund), place, motif, start=slot.start)
    Absence.objects.create(
        agent=place.opening_slots.last().agent,
        start=dt.datetime(2026, 3, 20, 9, tzinfo=PARIS),
        end=dt.datetime(2026, 3, 20, 12, tzinfo=PARIS),
    )
    assert Appointment.objects.count() == 30
    with django_assert_max_num_queries(len(few)):
        page = insured_client.get(url)
    assert page.status_code == 200
    assert 'value="2026-03-20T09:00:00+01:00"' in page.content.decode()  # three agents left


@time_machine.travel(NOW, tick=False)
def test_rdv19_my_appointments_query_count_does_not_grow_with_the_family(
    insured_client, insured, django_assert_max_num_queries
):
    place, motif, _ = desk(insured.person.family.fund)
    _book(insured, place, motif)
    url = reverse("web:appointments")
    assert insured_client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as few:
        assert insured_client.get(url).status_code == 200
    for hour in (9, 10, 11):
        for day in (18, 19, 20):
            child = PersonFactory(dependant=True, family=insured.person.family)
            start = dt.datetime(2026, 3, day, hour, 30, tzinfo=PARIS)
            _book(insured, place, motif, start=start, person=child)
    with django_assert_max_num_queries(len(few)):
        page = insured_client.get(url)
    assert page.content.decode().count("Pour ") >= 9
    home = insured_client.get(reverse("web:home")).content.decode()
    assert "Prochain rendez-vous : 18/03/2026 à 09:00" in home
