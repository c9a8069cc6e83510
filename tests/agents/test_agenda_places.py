"""The supervisors' pages of a place's openings and closed days (rules RDV22, RDV23): every
field checked with a French message, nothing typed lost, overlaps refused (RDV4), the closed
day's appointments cancelled and each person told, and no one else reaches them."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from guichet.appointments import services
from guichet.appointments.models import OpeningSlot, PlaceClosure
from guichet.core.clock import PARIS
from tests.appointments.factories import desk
from tests.factories import AgentFactory, FundFactory, InsuredUserFactory, agent_login

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 16, 10, 0, tzinfo=PARIS)  # a Monday


@pytest.fixture
def world(client):
    fund = FundFactory()
    place, motif, slot = desk(fund)
    supervisor = AgentFactory(fund=fund, supervisor=True, first_name="Claire", last_name="Chef")
    return fund, place, motif, slot, supervisor, agent_login(client, supervisor)


def _data(agent, motif, **changes):
    return {
        "agent": agent.pk,
        "motifs": [motif.pk],
        "weekdays": ["0", "2"],
        "start_time": "14:00",
        "end_time": "16:00",
        "first_day": "18/03/2026",
        "last_day": "",
        **changes,
    }


@time_machine.travel(NOW, tick=False)
def test_rdv22_a_supervisor_lists_and_adds_a_place_openings(world, django_assert_max_num_queries):
    fund, place, motif, _slot, supervisor, client = world
    home = client.get(reverse("agents:agenda-places")).content.decode()
    assert place.name in home
    assert reverse("agents:agenda-place-openings", args=[place.pk]) in home
    assert (
        "Lieux : plages et fermetures" in client.get(reverse("agents:agenda-day")).content.decode()
    )
    url = reverse("agents:agenda-place-openings", args=[place.pk])
    with django_assert_max_num_queries(16) as few:
        page = client.get(url)
    budget = len(few.captured_queries)  # read now: the next request resets Django's query log
    assert page.status_code == 200
    assert "09:00–12:00" in page.content.decode()
    response = client.post(url, _data(supervisor, motif), follow=True)
    text = response.content.decode()
    assert "Plage d&#x27;ouverture enregistrée pour Claire Chef : 14:00–16:00." in text
    assert "lundi, mercredi" in text and "14:00–16:00" in text
    opening = OpeningSlot.objects.get(agent=supervisor)
    assert (opening.place, opening.weekdays, opening.first_day) == (
        place,
        [0, 2],
        dt.date(2026, 3, 18),
    )
    for index in range(3):  # the list's queries do not grow with its openings
        agent = AgentFactory(fund=fund, last_name=f"A{index}")
        services.opening_slot_create(
            agent=agent,
            place=place,
            motifs=[motif],
            weekdays=[1],
            start_time=dt.time(9),
            end_time=dt.time(10),
            first_day=dt.date(2026, 3, 17),
        )
    with django_assert_max_num_queries(budget):
        assert client.get(url).content.decode().count("<tr>") == 1 + 5


@time_machine.travel(NOW, tick=False)
def test_rdv22_overlap_and_bad_fields_get_a_french_message_and_keep_what_was_typed(world):
    _, place, motif, slot, _, client = world
    url = reverse("agents:agenda-place-openings", args=[place.pk])
    overlap = client.post(url, _data(slot.agent, motif, start_time="11:00", end_time="13:00"))
    assert overlap.status_code == 400
    text = overlap.content.decode()
    assert "Cette plage d&#x27;ouverture chevauche une autre plage du même agent" in text
    assert 'value="11:00"' in text and 'value="13:00"' in text
    bad = client.post(
        url,
        {
            "agent": "",
            "start_time": "25:00",
            "end_time": "",
            "first_day": "31/02/2026",
            "last_day": "01/01/2026",
        },
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    for message in (
        "Choisissez l&#x27;agent qui tient cette plage.",
        "Choisissez au moins un motif de rendez-vous.",
        "Choisissez au moins un jour de la semaine.",
        "Saisissez une heure valide, par exemple 09:00.",
        "Saisissez l&#x27;heure de fin de la plage.",
        "Saisissez une date valide, par exemple 18/03/2026.",
    ):
        assert message in text, message
    assert 'value="25:00"' in text and 'value="01/01/2026"' in text
    past = client.post(url, _data(slot.agent, motif, first_day="13/03/2026", weekdays=["5"]))
    assert "Une plage d&#x27;ouverture ne peut pas commencer avant aujourd&#x27;hui." in (
        past.content.decode()
    )
    order = client.post(url, _data(slot.agent, motif, end_time="13:00", start_time="14:00"))
    assert "L&#x27;heure de fin doit être après l&#x27;heure de début." in order.content.decode()
    assert OpeningSlot.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_rdv23_a_closed_day_from_the_page_cancels_and_tells_each_person(
    world, django_capture_on_commit_callbacks
):
    fund, place, motif, _, _, client = world
    user = InsuredUserFactory(person__family__fund=fund)
    with time_machine.travel(NOW - dt.timedelta(days=3), tick=False):
        booked = services.appointment_book(
            person=user.person,
            by=user,
            motif=motif,
            place=place,
            start=dt.datetime(2026, 3, 18, 9, tzinfo=PARIS),
            phone="06 12 34 56 78",
        )
    url = reverse("agents:agenda-place-closures", args=[place.pk])
    assert "Aucun jour de fermeture à venir" in client.get(url).content.decode()
    missing = client.post(url, {"day": "", "reason": "Travaux"})
    assert missing.status_code == 400
    text = missing.content.decode()
    assert "Saisissez le jour de fermeture." in text
    assert "Confirmez l&#x27;annulation des rendez-vous de ce jour." in text
    assert 'value="Travaux"' in text
    past = client.post(url, {"day": "13/03/2026", "reason": "Travaux", "confirm": "on"})
    assert "Un jour de fermeture ne peut pas être déjà passé." in past.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url, {"day": "18/03/2026", "reason": "Travaux", "confirm": "on"}, follow=True
        )
    text = done.content.decode()
    assert "Fermeture du 18/03/2026 enregistrée : 1 rendez-vous annulé(s)" in text
    assert "Mercredi 18 mars 2026 — Travaux" in text
    booked.refresh_from_db()
    assert booked.status == "cancelled_by_fund"
    (email,) = mail.outbox
    assert email.to == [user.email] and "annulé par votre caisse" in email.body
    again = client.post(url, {"day": "18/03/2026", "confirm": "on"})
    assert "Ce lieu est déjà fermé ce jour-là." in again.content.decode()
    assert PlaceClosure.objects.count() == 1


def test_rdv22_rdv23_front_desk_and_back_office_are_refused_another_fund_is_not_found(
    world, client
):
    _, place, *_ = world
    urls = [
        reverse("agents:agenda-places"),
        reverse("agents:agenda-place-openings", args=[place.pk]),
        reverse("agents:agenda-place-closures", args=[place.pk]),
    ]
    for role in ({}, {"back_office": True}):
        agent_login(client, AgentFactory(fund=place.fund, **role))
        for url in urls:
            assert client.get(url).status_code == 403
    agent_login(client, AgentFactory(fund=FundFactory(code="691"), supervisor=True))
    page = client.get(urls[0]).content.decode()
    assert place.name not in page
    for url in urls[1:]:
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
    assert not PlaceClosure.objects.exists()
