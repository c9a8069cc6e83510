"""A fund's places, motifs, openings and closed days managed online by its supervisors (rules
RDV26–RDV29): French messages, nothing typed lost, the fund's scope (404 otherwise), the
admin's history, deactivation keeping the bookings made, openings not pulled from under
bookings, closed days reopened."""

import datetime as dt

import pytest
import time_machine
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.urls import reverse

from guichet.appointments import rules, selectors, services
from guichet.appointments.enums import AppointmentStatus, Channel
from guichet.appointments.models import Motif, OpeningSlot, Place, PlaceClosure
from guichet.core.clock import PARIS
from guichet.core.refusals import Refused
from tests.appointments.factories import desk, motif_for, opening
from tests.factories import AgentFactory, FundFactory, InsuredUserFactory, agent_login

pytestmark = [pytest.mark.django_db, pytest.mark.urls("config.urls")]

NOW = dt.datetime(2026, 3, 16, 10, 0, tzinfo=PARIS)  # a Monday
WEDNESDAY_9 = dt.datetime(2026, 3, 18, 9, 0, tzinfo=PARIS)


@pytest.fixture
def world(client):
    fund = FundFactory(code="751", name="CPAM de Paris")
    place, motif, slot = desk(fund)
    supervisor = AgentFactory(fund=fund, supervisor=True, first_name="Claire", last_name="Chef")
    return {
        "fund": fund,
        "place": place,
        "motif": motif,
        "slot": slot,
        "supervisor": supervisor,
        "client": agent_login(client, supervisor),
    }


def _book(world, start=WEDNESDAY_9, motif=None, place=None):
    user = InsuredUserFactory(person__family__fund=world["fund"])
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        return services.appointment_book(
            person=user.person,
            by=user,
            motif=motif or world["motif"],
            place=place or world["place"],
            start=start,
            phone="06 12 34 56 78",
        )


PLACE = {
    "name": "Accueil Belleville",
    "address": "12 rue de Belleville, 75020 Paris",
    "opening_hours": "Du lundi au vendredi, de 9 h à 16 h",
    "is_active": "on",
}
MOTIF = {
    "name": "Dossier de retraite",
    "channel": "desk",
    "duration_minutes": "45",
    "min_booking_delay_hours": "24",
    "max_booking_delay_days": "30",
    "is_active": "on",
}


# --- Places (RDV26, RDV27) ------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_rdv26_a_supervisor_creates_and_edits_a_place_logged_in_the_history(world):
    client = world["client"]
    response = client.post(reverse("agents:agenda-place-create"), PLACE, follow=True)
    assert "Lieu « Accueil Belleville » créé." in response.content.decode()
    place = Place.objects.get(name="Accueil Belleville")
    assert (place.fund, place.is_active) == (world["fund"], True)
    added = LogEntry.objects.get(object_id=str(place.pk), action_flag=ADDITION)
    assert added.user == world["supervisor"]
    url = reverse("agents:agenda-place-edit", args=[place.pk])
    assert 'value="12 rue de Belleville, 75020 Paris"' in client.get(url).content.decode()
    client.post(url, {**PLACE, "address": "14 rue de Belleville, 75020 Paris"})
    place.refresh_from_db()
    assert place.address == "14 rue de Belleville, 75020 Paris"
    changed = LogEntry.objects.get(object_id=str(place.pk), action_flag=CHANGE)
    assert changed.get_change_message() == "Modification de adresse."


@time_machine.travel(NOW, tick=False)
def test_rdv26_bad_place_fields_get_a_french_message_and_keep_what_was_typed(world):
    response = world["client"].post(
        reverse("agents:agenda-place-create"),
        {**PLACE, "name": "", "opening_hours": "x" * 251},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Saisissez le nom du lieu." in text
    assert "Les horaires d&#x27;ouverture ne doivent pas dépasser 250 caractères." in text
    assert 'value="12 rue de Belleville, 75020 Paris"' in text
    assert not Place.objects.filter(address=PLACE["address"]).exists()
    with pytest.raises(Refused) as refused:
        services.place_save(
            by=world["supervisor"], name="  ", address="Ici", opening_hours="Toujours"
        )
    assert refused.value.message == "Saisissez le nom du lieu."


@time_machine.travel(NOW, tick=False)
def test_rdv27_a_place_closed_to_appointments_keeps_its_bookings_and_takes_no_new_one(world):
    booked = _book(world)
    place = world["place"]
    response = world["client"].post(
        reverse("agents:agenda-place-edit", args=[place.pk]),
        {
            "name": place.name,
            "address": place.address,
            "opening_hours": place.opening_hours,
        },
        follow=True,
    )
    text = response.content.decode()
    assert "les 1 rendez-vous déjà réservés et à venir sont maintenus" in text
    place.refresh_from_db()
    booked.refresh_from_db()
    assert not place.is_active and booked.status == AppointmentStatus.BOOKED
    user = InsuredUserFactory(person__family__fund=world["fund"])
    assert place not in selectors.places_for_person(person=user.person)
    with pytest.raises(Refused) as refused:
        services.appointment_book(
            person=user.person,
            by=user,
            motif=world["motif"],
            place=place,
            start=WEDNESDAY_9 + dt.timedelta(minutes=30),
            phone="06 12 34 56 78",
        )
    assert refused.value.refusal == rules.PLACE_NOT_BOOKABLE
    with pytest.raises(Refused) as refused:  # nor a move to another of its slots
        services.appointment_reschedule(
            person=booked.person,
            appointment_id=booked.pk,
            by=booked.person.account,
            start=WEDNESDAY_9 + dt.timedelta(minutes=30),
        )
    assert refused.value.refusal == rules.PLACE_NOT_BOOKABLE
    # The person may still cancel it (RDV5).
    services.appointment_cancel_by_person(
        person=booked.person, appointment_id=booked.pk, by=booked.person.account
    )


# --- Motifs (RDV26, RDV27) ------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_rdv26_a_supervisor_creates_and_edits_a_motif(world):
    client = world["client"]
    page = client.get(reverse("agents:agenda-motif-create")).content.decode()
    assert 'value="24"' in page and 'value="42"' in page  # RDV1's defaults
    response = client.post(reverse("agents:agenda-motif-create"), MOTIF, follow=True)
    assert "Motif « Dossier de retraite » créé." in response.content.decode()
    motif = Motif.objects.get(name="Dossier de retraite")
    assert (motif.fund, motif.channel, motif.duration_minutes) == (world["fund"], "desk", 45)
    assert LogEntry.objects.filter(object_id=str(motif.pk), action_flag=ADDITION).exists()
    listing = client.get(reverse("agents:agenda-motifs")).content.decode()
    assert "de 24 heures à 30 jours à l'avance" in listing
    client.post(
        reverse("agents:agenda-motif-edit", args=[motif.pk]), {**MOTIF, "duration_minutes": "60"}
    )
    motif.refresh_from_db()
    assert motif.duration_minutes == 60


@time_machine.travel(NOW, tick=False)
def test_rdv26_the_latest_delay_must_be_after_the_earliest_and_fields_in_range(world):
    url = reverse("agents:agenda-motif-create")
    response = world["client"].post(
        url, {**MOTIF, "min_booking_delay_hours": "72", "max_booking_delay_days": "3"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Le délai maximum de réservation doit être après le délai minimum" in text
    assert 'value="Dossier de retraite"' in text
    response = world["client"].post(url, {**MOTIF, "duration_minutes": "300", "channel": "fax"})
    text = response.content.decode()
    assert "La durée doit être comprise entre 5 et 240 minutes." in text
    assert "Choisissez à l&#x27;accueil ou par téléphone." in text
    assert not Motif.objects.filter(name="Dossier de retraite").exists()
    with pytest.raises(Refused) as refused:  # the service checks it too, whoever calls it
        services.motif_save(
            by=world["supervisor"],
            name="X",
            channel=Channel.DESK,
            duration_minutes=30,
            min_booking_delay_hours=48,
            max_booking_delay_days=2,
        )
    assert refused.value.refusal == rules.MOTIF_DELAYS


@time_machine.travel(NOW, tick=False)
def test_rdv27_a_motif_withdrawn_keeps_its_bookings_and_its_channel_is_locked(world):
    booked = _book(world)
    motif = world["motif"]
    url = reverse("agents:agenda-motif-edit", args=[motif.pk])
    data = {
        "name": motif.name,
        "channel": "phone",
        "duration_minutes": "30",
        "min_booking_delay_hours": "24",
        "max_booking_delay_days": "42",
        "is_active": "on",
    }
    response = world["client"].post(url, data)
    assert response.status_code == 400
    assert "sa modalité (à l&#x27;accueil ou par téléphone) ne peut plus changer" in (
        response.content.decode()
    )
    response = world["client"].post(url, {**data, "channel": "desk", "is_active": ""}, follow=True)
    assert "sont maintenus" in response.content.decode()
    motif.refresh_from_db()
    booked.refresh_from_db()
    assert not motif.is_active and booked.status == AppointmentStatus.BOOKED
    assert motif not in selectors.motifs_for_place(place=world["place"])
    user = InsuredUserFactory(person__family__fund=world["fund"])
    with pytest.raises(Refused) as refused:
        services.appointment_book(
            person=user.person,
            by=user,
            motif=motif,
            place=world["place"],
            start=WEDNESDAY_9 + dt.timedelta(minutes=30),
            phone="06 12 34 56 78",
        )
    assert refused.value.refusal == rules.MOTIF_NOT_OF_PLACE


# --- Scope -------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_rdv26_another_funds_place_or_motif_is_not_found_and_other_roles_are_refused(client, world):
    other = FundFactory(code="691")
    other_place, other_motif, _ = desk(other)
    urls = [
        reverse("agents:agenda-place-edit", args=[other_place.pk]),
        reverse("agents:agenda-motif-edit", args=[other_motif.pk]),
    ]
    for url in urls:
        assert world["client"].get(url).status_code == 404
        assert world["client"].post(url, {**PLACE, **MOTIF}).status_code == 404
    other_place.refresh_from_db()
    assert other_place.name == "Accueil de test"
    agent_login(client, AgentFactory(fund=world["fund"]))
    for url in (
        reverse("agents:agenda-place-create"),
        reverse("agents:agenda-motifs"),
        reverse("agents:agenda-motif-edit", args=[world["motif"].pk]),
    ):
        assert client.get(url).status_code == 403
    with pytest.raises(Refused) as refused:
        services.motif_save(
            by=AgentFactory(fund=world["fund"]),
            name="X",
            channel=Channel.DESK,
            duration_minutes=30,
            min_booking_delay_hours=24,
            max_booking_delay_days=42,
        )
    assert refused.value.refusal == rules.NOT_SUPERVISOR


@time_machine.travel(NOW, tick=False)
def test_rdv26_the_lists_cost_the_same_whatever_their_rows(world, django_assert_num_queries):
    client = world["client"]
    for name in ("agents:agenda-places", "agents:agenda-motifs"):
        client.get(reverse(name))
    counts = {}
    for name in ("agents:agenda-places", "agents:agenda-motifs"):
        with django_assert_num_queries(BUDGETS[name]):
            client.get(reverse(name))
    for index in range(3):
        desk(world["fund"])
        motif_for(world["fund"], name=f"Motif {index}")
        _book(world, start=WEDNESDAY_9 + dt.timedelta(minutes=30 * index))
    for name in ("agents:agenda-places", "agents:agenda-motifs"):
        with django_assert_num_queries(BUDGETS[name]):
            counts[name] = client.get(reverse(name)).content.decode()
    assert counts["agents:agenda-places"].count("Modifier le lieu") == 4
    assert counts["agents:agenda-motifs"].count("Modifier<span") == 7


# Exact counts, the same for 1 or 4 places and 1 or 7 motifs: the session with its agent, the
# agent's second factor, and the page's one list query (with the upcoming bookings counted).
BUDGETS = {"agents:agenda-places": 3, "agents:agenda-motifs": 3}


# --- Openings (RDV28) -----------------------------------------------------------------------------


def _opening_data(world, **changes):
    return {
        "motifs": [world["motif"].pk],
        "weekdays": ["0", "1", "2", "3", "4"],
        "start_time": "09:00",
        "end_time": "12:00",
        "first_day": "01/01/2026",
        "last_day": "",
        **changes,
    }


@time_machine.travel(NOW, tick=False)
def test_rdv28_an_opening_edited_keeps_its_bookings_inside_or_is_refused_with_their_list(world):
    booked = _book(world)  # Wednesday 9:00, in the 9:00–12:00 opening
    slot = world["slot"]
    url = reverse("agents:agenda-opening-edit", args=[slot.pk])
    page = world["client"].get(url).content.decode()
    assert 'value="09:00"' in page and 'value="01/01/2026"' in page
    response = world["client"].post(url, _opening_data(world, start_time="10:00"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "1 rendez-vous déjà réservé(s) sortirai(en)t de cette plage" in text
    assert "18/03/2026 à 09:00" in text and booked.person.full_name in text
    assert 'value="10:00"' in text  # what was typed is kept
    slot.refresh_from_db()
    assert slot.start_time == dt.time(9)
    # Shortened at the other end, the booking stays inside: saved, logged.
    response = world["client"].post(url, _opening_data(world, end_time="11:00"), follow=True)
    assert "Plage d&#x27;ouverture de" in response.content.decode()
    slot.refresh_from_db()
    assert slot.end_time == dt.time(11)
    assert LogEntry.objects.filter(object_id=str(slot.pk), action_flag=CHANGE).exists()
    # A first day moved into the past is refused; kept as it was, it is not.
    response = world["client"].post(url, _opening_data(world, first_day="02/01/2026"))
    assert "ne peut pas commencer avant aujourd&#x27;hui" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_rdv28_an_edit_overlapping_another_opening_of_the_agent_is_refused(world):
    other = opening(
        world["place"],
        world["motif"],
        agent=world["slot"].agent,
        start=dt.time(14),
        end=dt.time(16),
    )
    response = world["client"].post(
        reverse("agents:agenda-opening-edit", args=[other.pk]),
        _opening_data(world, start_time="11:00", end_time="15:00"),
    )
    assert response.status_code == 400
    assert "chevauche une autre plage du même agent" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_rdv28_an_opening_is_removed_only_once_its_bookings_are_gone(world):
    booked = _book(world)
    slot = world["slot"]
    url = reverse("agents:agenda-opening-remove", args=[slot.pk])
    response = world["client"].post(url, follow=True)
    text = response.content.decode()
    assert "La plage n&#x27;est pas supprimée." in text and "18/03/2026 à 09:00" in text
    assert OpeningSlot.objects.filter(pk=slot.pk).exists()
    services.appointment_cancel_by_person(
        person=booked.person, appointment_id=booked.pk, by=booked.person.account
    )
    response = world["client"].post(url, follow=True)
    assert "supprimée." in response.content.decode()
    assert not OpeningSlot.objects.filter(pk=slot.pk).exists()
    assert LogEntry.objects.filter(object_id=str(slot.pk), action_flag=DELETION).exists()


# --- Closed days (RDV29) --------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_rdv29_a_closed_day_is_reopened_its_cancelled_bookings_stay_cancelled(world):
    booked = _book(world)
    closure, cancelled = services.place_closure_record(
        by=world["supervisor"], place=world["place"], day=dt.date(2026, 3, 18)
    )
    assert cancelled == [booked]
    day = dt.date(2026, 3, 18)
    assert not selectors.free_slots(
        place=world["place"], motif=world["motif"], first_day=day, last_day=day
    )
    page = world["client"].get(reverse("agents:agenda-place-closures", args=[world["place"].pk]))
    remove = reverse("agents:agenda-closure-remove", args=[closure.pk])
    assert remove in page.content.decode()
    response = world["client"].post(remove, follow=True)
    assert "Les rendez-vous annulés par la fermeture restent annulés." in response.content.decode()
    assert not PlaceClosure.objects.exists()
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CANCELLED_BY_FUND
    starts = {
        s.start
        for s in selectors.free_slots(
            place=world["place"], motif=world["motif"], first_day=day, last_day=day
        )
    }
    assert WEDNESDAY_9 in starts


def test_rdv29_a_past_closed_day_is_not_removed(world):
    with time_machine.travel(NOW, tick=False):
        closure, _ = services.place_closure_record(
            by=world["supervisor"], place=world["place"], day=dt.date(2026, 3, 18)
        )
    with (
        time_machine.travel(NOW + dt.timedelta(days=5), tick=False),
        pytest.raises(Refused) as refused,
    ):
        services.place_closure_remove(by=world["supervisor"], closure=closure)
    assert refused.value.refusal == rules.CLOSURE_PAST
    assert PlaceClosure.objects.filter(pk=closure.pk).exists()
