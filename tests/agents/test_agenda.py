"""The agents' agenda pages (issue 17): the agenda's query budget, the preparatory call, the
check-in with the proxy's ID check, the outcomes, booking for an insured, and the client file
linked both ways (rules RDV7, RDV8, RDV11–RDV16)."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from guichet.appointments import services
from guichet.appointments.enums import AppointmentStatus
from guichet.appointments.models import Appointment
from guichet.core.clock import PARIS
from guichet.frontdesk.enums import ConsultationReason
from guichet.frontdesk.models import FileConsultation
from guichet.powers.models import PowerUse
from tests.appointments.factories import desk, opening, place_for
from tests.factories import AgentFactory, FundFactory, InsuredUserFactory, agent_login
from tests.powers.factories import give_power

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 16, 10, 0, tzinfo=PARIS)  # a Monday
TUESDAY_9 = dt.datetime(2026, 3, 17, 9, 0, tzinfo=PARIS)
WEDNESDAY_9 = dt.datetime(2026, 3, 18, 9, 0, tzinfo=PARIS)


@pytest.fixture
def world(client):
    fund = FundFactory()
    place, motif, _ = desk(fund)
    front_desk = AgentFactory(fund=fund)
    return fund, place, motif, agent_login(client, front_desk), front_desk


def _book(fund, place, motif, start, *, last_name="Dupont", **extra):
    user = InsuredUserFactory(person__family__fund=fund, person__last_name=last_name)
    with time_machine.travel(NOW - dt.timedelta(days=3), tick=False):
        return services.appointment_book(
            person=user.person,
            by=user,
            motif=motif,
            place=place,
            start=start,
            phone="06 12 34 56 78",
            **extra,
        )


@time_machine.travel(NOW, tick=False)
def test_rdv16_the_agenda_query_count_does_not_grow_with_its_appointments(
    world, django_assert_max_num_queries
):
    fund, place, motif, client, _ = world
    _book(fund, place, motif, WEDNESDAY_9)
    url = f"{reverse('agents:agenda-day')}?lieu={place.pk}&jour=2026-03-18&vue=semaine"
    with django_assert_max_num_queries(14) as few:
        response = client.get(url)
    assert response.status_code == 200
    for index in range(1, 6):
        _book(
            fund,
            place,
            motif,
            WEDNESDAY_9 + dt.timedelta(minutes=30 * index),
            last_name=f"N{index}",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    text = response.content.decode()
    assert text.count('id="rdv-') == 6
    assert "Semaine du 16 mars 2026 au 22 mars 2026 — 6 rendez-vous" in text


@time_machine.travel(NOW, tick=False)
def test_rdv16_the_agenda_shows_person_motif_phone_status_call_and_proxy(world):
    fund, place, motif, client, _ = world
    appointment = _book(fund, place, motif, WEDNESDAY_9, last_name="Françoise")
    give_power(appointment.person)
    Appointment.objects.filter(pk=appointment.pk).update(
        represented_by_proxy=True, call_outcome="will_be_represented"
    )
    text = client.get(
        reverse("agents:agenda-day"), {"lieu": place.pk, "jour": "18/03/2026"}
    ).content.decode()
    row = text[text.index(f'id="rdv-{appointment.pk}"') :].split("</tr>")[0]
    for expected in (
        "09:00–09:30",
        appointment.person.full_name,
        "Rendez-vous à l&#x27;accueil",
        "06 12 34 56 78",
        "Réservé",
        "Sera représenté(e) par son mandataire",
        "Représenté(e) par son mandataire",
    ):
        assert expected in row, expected
    bad = client.get(reverse("agents:agenda-day"), {"lieu": place.pk, "jour": "31/02/2026"})
    assert bad.status_code == 400
    assert "Saisissez une date valide" in bad.content.decode()
    assert 'value="31/02/2026"' in bad.content.decode()  # what was typed is kept


@time_machine.travel(NOW, tick=False)
def test_rdv8_preparatory_calls_of_tomorrow_recorded_from_the_page(world):
    fund, place, motif, client, front_desk = world
    appointment = _book(fund, place, motif, TUESDAY_9)
    page = client.get(reverse("agents:agenda-calls")).content.decode()
    assert appointment.person.full_name in page
    url = reverse("agents:agenda-call", args=[appointment.pk])
    response = client.post(url, {}, follow=True)
    assert "Choisissez le résultat de l" in response.content.decode()
    response = client.post(url, {f"a{appointment.pk}-outcome": "will_be_represented"}, follow=True)
    assert "Aucune procuration en cours ne couvre" in response.content.decode()
    give_power(appointment.person)
    response = client.post(url, {f"a{appointment.pk}-outcome": "will_be_represented"}, follow=True)
    assert "Appel préparatoire de" in response.content.decode()
    appointment.refresh_from_db()
    assert (appointment.call_outcome, appointment.called_by) == ("will_be_represented", front_desk)
    assert appointment.represented_by_proxy


def test_rdv11_check_in_of_the_proxy_then_seen_from_the_page(world):
    fund, place, motif, client, front_desk = world
    appointment = _book(fund, place, motif, WEDNESDAY_9, represented_by_proxy=False)
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        give_power(appointment.person, first_name="Nicolas")
    page_url = reverse("agents:agenda-appointment", args=[appointment.pk])
    url = reverse("agents:agenda-check-in", args=[appointment.pk])
    with time_machine.travel(WEDNESDAY_9 - dt.timedelta(minutes=10), tick=False):
        page = client.get(page_url).content.decode()
        assert "Procuration en cours" in page and "Nicolas" in page
        response = client.post(url, {"arrival": "proxy", "document_last_digits": "48"})
        assert response.status_code == 400
        text = response.content.decode()
        assert "Choisissez le type de pièce d&#x27;identité vérifiée." in text
        assert "Saisissez 4 chiffres ou lettres" in text
        assert "Confirmez que l&#x27;identité correspond" in text
        assert 'value="48"' in text
        assert not PowerUse.objects.exists()
        response = client.post(
            url,
            {
                "arrival": "proxy",
                "document_type": "id_card",
                "document_last_digits": "4821",
                "identity_matches": "on",
            },
            follow=True,
        )
        text = response.content.decode()
        assert "le RDV peut commencer" in text
        assert 'id="power-use"' in text
        appointment.refresh_from_db()
        assert appointment.status == AppointmentStatus.CHECKED_IN
        assert appointment.power_use.agent == front_desk
        response = client.post(
            reverse("agents:agenda-outcome", args=[appointment.pk]), {"target": "seen"}, follow=True
        )
        assert "marqué « reçu »" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.SEEN


def test_rdv13_a_no_show_from_the_page_and_an_unknown_action(world):
    fund, place, motif, client, _ = world
    appointment = _book(fund, place, motif, WEDNESDAY_9)
    url = reverse("agents:agenda-outcome", args=[appointment.pk])
    with time_machine.travel(WEDNESDAY_9 + dt.timedelta(minutes=20), tick=False):
        response = client.post(url, {"target": "booked"}, follow=True)
        assert "Choisissez une action proposée." in response.content.decode()
        response = client.post(url, {"target": "no_show", "note": "x" * 301})
        assert response.status_code == 400
        assert "ne doit pas dépasser 300 caractères" in response.content.decode()
        response = client.post(url, {"target": "no_show"}, follow=True)
        assert "Cela ne pénalise pas l&#x27;assuré" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW


@time_machine.travel(NOW, tick=False)
def test_rdv15_book_for_an_insured_found_by_nir_in_the_agents_fund(world):
    fund, place, motif, client, front_desk = world
    user = InsuredUserFactory(person__family__fund=fund)
    stranger = InsuredUserFactory(person__family__fund=FundFactory(code="691"))
    response = client.post(reverse("agents:agenda-book"), {"nir": stranger.person.nir})
    assert response.status_code == 400
    assert "Aucun assuré de votre caisse ne correspond" in response.content.decode()
    response = client.post(reverse("agents:agenda-book"), {"nir": "123"})
    assert response.status_code == 400
    assert not FileConsultation.objects.exists()
    response = client.post(reverse("agents:agenda-book"), {"nir": user.person.nir})
    consultation = FileConsultation.objects.get()
    assert consultation.reason == ConsultationReason.APPOINTMENT
    assert response.url == reverse("agents:agenda-book-slots", args=[consultation.pk])
    url = f"{response.url}?motif={motif.pk}&lieu={place.pk}"
    page = client.get(url).content.decode()
    assert f'value="{WEDNESDAY_9.isoformat()}"' in page
    response = client.post(url, {"slot": WEDNESDAY_9.isoformat(), "phone": "12"})
    assert response.status_code == 400
    assert "Le numéro de téléphone doit compter 10 chiffres" in response.content.decode()
    assert f'value="{WEDNESDAY_9.isoformat()}" checked' in response.content.decode()
    response = client.post(url, {"slot": WEDNESDAY_9.isoformat(), "phone": "06 11 22 33 44"})
    booked = Appointment.objects.get()
    assert response.url == reverse("agents:agenda-appointment", args=[booked.pk])
    assert (booked.person, booked.booked_by, booked.phone) == (
        user.person,
        front_desk,
        "06 11 22 33 44",
    )


@time_machine.travel(NOW, tick=False)
def test_the_appointment_and_the_client_file_link_both_ways(world):
    fund, place, motif, client, front_desk = world
    appointment = _book(fund, place, motif, WEDNESDAY_9)
    response = client.post(reverse("agents:agenda-file", args=[appointment.pk]))
    consultation = FileConsultation.objects.get()
    assert (consultation.agent, consultation.person, consultation.reason) == (
        front_desk,
        appointment.person,
        ConsultationReason.APPOINTMENT,
    )
    assert response.url == reverse("agents:frontdesk_file", args=[consultation.pk])
    page = client.get(response.url).content.decode()
    assert reverse("agents:agenda-appointment", args=[appointment.pk]) in page
    assert reverse("agents:agenda-book-slots", args=[consultation.pk]) in page


def test_back_office_agents_do_not_reach_the_agenda(client):
    agent_login(client, AgentFactory(back_office=True))
    assert client.get(reverse("agents:agenda-day")).status_code == 403
    assert client.get(reverse("agents:agenda-calls")).status_code == 403
    assert re.search("agenda", client.get(reverse("agents:home")).content.decode()) is None


@time_machine.travel(NOW, tick=False)
def test_rdv14_an_absence_declared_from_the_page_cancels_and_tells_each_person(
    client, django_capture_on_commit_callbacks
):
    fund = FundFactory()
    place, motif, slot = desk(fund)
    holder = slot.agent
    supervisor = AgentFactory(fund=fund, supervisor=True)
    front_desk = AgentFactory(fund=fund)
    first = _book(fund, place, motif, WEDNESDAY_9)
    kept = _book(fund, place, motif, dt.datetime(2026, 3, 19, 9, 0, tzinfo=PARIS), last_name="B")
    url = reverse("agents:agenda-absence")
    # A front-desk agent may declare only their own absence.
    agent_login(client, front_desk)
    page = client.get(url).content.decode()
    assert f'value="{front_desk.pk}"' in page and f'value="{holder.pk}"' not in page
    response = client.post(url, {"agent": holder.pk})
    assert "Choisissez l&#x27;un des agents proposés." in response.content.decode()
    agent_login(client, supervisor)
    data = {
        "agent": holder.pk,
        "start_day": "18/03/2026",
        "start_time": "08:00",
        "end_day": "18/03/2026",
        "end_time": "07:00",
        "reason": "Formation",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "La fin de l&#x27;absence doit être après son début." in text
    assert "Confirmez l&#x27;annulation des rendez-vous" in text
    assert 'value="Formation"' in text  # nothing typed is lost
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "end_time": "18:00", "confirm": "on"}, follow=True)
    assert "1 rendez-vous annulé(s)" in response.content.decode()
    first.refresh_from_db()
    kept.refresh_from_db()
    assert (first.status, kept.status) == ("cancelled_by_fund", "booked")
    (email,) = mail.outbox
    assert email.to == [first.person.account.email]
    assert "annulé par votre caisse" in email.body


@time_machine.travel(NOW, tick=False)
def test_rdv8_the_calls_page_query_count_does_not_grow_with_its_appointments(
    world, django_assert_max_num_queries
):
    fund, place, motif, client, _ = world
    _book(fund, place, motif, TUESDAY_9)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("agents:agenda-calls"))
    for index in range(1, 6):
        _book(
            fund, place, motif, TUESDAY_9 + dt.timedelta(minutes=30 * index), last_name=f"N{index}"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        text = client.get(reverse("agents:agenda-calls")).content.decode()
    assert text.count("Enregistrer l'appel de") == 6


@time_machine.travel(NOW, tick=False)
def test_rdv10_another_funds_place_is_not_offered_in_the_agenda(world):
    client = world[3]
    other_fund = FundFactory(code="691", name="CPAM du Rhône")
    other_place, other_motif, _ = desk(other_fund)
    stranger = _book(other_fund, other_place, other_motif, WEDNESDAY_9, last_name="Lyonnaz")
    response = client.get(
        reverse("agents:agenda-day"), {"lieu": other_place.pk, "jour": "18/03/2026"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Choisissez l&#x27;un des lieux proposés." in text
    assert stranger.person.last_name not in text


@time_machine.travel(NOW, tick=False)
def test_rdv16_preparatory_calls_filtered_by_place(world):
    fund, place, motif, client, _ = world
    north = place_for(fund, name="Accueil Nord")
    opening(north, motif)
    here = _book(fund, place, motif, TUESDAY_9, last_name="Icila")
    there = _book(fund, north, motif, TUESDAY_9, last_name="Labas")
    url = reverse("agents:agenda-calls")
    every = client.get(url).content.decode()
    assert "Icila" in every and "Labas" in every and "Tous les lieux" in every
    only = client.get(url, {"lieu": north.pk}).content.decode()
    assert "Labas" in only and "Icila" not in only
    assert "Accueil Nord — 1 appel(s)" in only
    record = reverse("agents:agenda-call", args=[there.pk])
    assert f'action="{record}?lieu={north.pk}"' in only
    response = client.post(f"{record}?lieu={north.pk}", {f"a{there.pk}-outcome": "reached"})
    assert response.url == f"{url}?lieu={north.pk}#rdv-{there.pk}"
    other = desk(FundFactory(code="691"))[0]
    for bad in (other.pk, "abc"):
        refused = client.get(url, {"lieu": bad})
        assert refused.status_code == 400
        assert "Choisissez l&#x27;un des lieux proposés." in refused.content.decode()
        assert "Icila" not in refused.content.decode()
    assert here.person.full_name in client.get(url, {"lieu": ""}).content.decode()
