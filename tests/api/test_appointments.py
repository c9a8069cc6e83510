"""/appointments: the same services and French messages as the web, stable codes, scoped to
the token's account (rules RDV1–RDV6, RDV17–RDV21)."""

import datetime as dt

import pytest
import time_machine

from guichet.appointments.models import Appointment
from guichet.core.clock import PARIS
from tests.api.conftest import ApiClient, obtain_tokens
from tests.appointments.factories import desk
from tests.factories import InsuredUserFactory, PersonFactory
from tests.powers.factories import give_power

# The whole site's URLs: the services' emails and notifications link to the web pages.
pytestmark = [pytest.mark.django_db, pytest.mark.urls("config.urls")]

NOW = dt.datetime(2026, 3, 16, 10, 0, tzinfo=PARIS)  # a Monday
WEDNESDAY_9 = dt.datetime(2026, 3, 18, 9, 0, tzinfo=PARIS)
THURSDAY_10 = dt.datetime(2026, 3, 19, 10, 0, tzinfo=PARIS)


@pytest.fixture
def agenda(api_user):
    place, motif, _ = desk(api_user.person.family.fund)
    return place, motif


def _book(api, place, motif, start=WEDNESDAY_9, **extra):
    return api.post(
        "/appointments",
        {
            "motif_id": motif.pk,
            "place_id": place.pk,
            "start": start.isoformat(),
            "phone": "06 12 34 56 78",
            **extra,
        },
    )


@time_machine.travel(NOW, tick=False)
def test_choices_slots_book_list_move_cancel(api, api_user, agenda):
    place, motif = agenda
    choices = api.get("/appointments/choices").json()
    assert [p["id"] for p in choices["beneficiaries"]] == [api_user.person.pk]
    assert [m["id"] for m in choices["motifs"]] == [motif.pk]
    assert [p["id"] for p in choices["places"]] == [place.pk]
    slots = api.get("/appointments/slots", motif_id=motif.pk, place_id=place.pk).json()
    assert slots["first_day"] == "2026-03-17" and slots["last_day"] == "2026-03-23"
    assert "2026-03-18T09:00:00+01:00" in slots["starts"]
    assert slots["proxy_until"] is None
    booked = _book(api, place, motif)
    assert booked.status_code == 201, booked.content
    body = booked.json()
    assert body["status"] == "booked" and body["can_move"] and body["can_cancel"]
    assert body["summary"] == "Rendez-vous du 18/03/2026 à 09:00 (Rendez-vous à l'accueil)"
    listing = api.get("/appointments").json()
    assert [a["id"] for a in listing["upcoming"]] == [body["id"]]
    moved = api.post(f"/appointments/{body['id']}/move", {"start": THURSDAY_10.isoformat()})
    assert moved.status_code == 200, moved.content
    assert dt.datetime.fromisoformat(moved.json()["start"]) == THURSDAY_10
    cancelled = api.post(f"/appointments/{body['id']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled_by_person"
    listing = api.get("/appointments").json()
    assert listing["upcoming"] == [] and [a["id"] for a in listing["past"]] == [body["id"]]


@time_machine.travel(NOW, tick=False)
def test_refusals_answer_the_rules_codes_and_the_webs_messages(api, api_user, agenda):
    place, motif = agenda
    other = InsuredUserFactory(person__family__fund=place.fund)
    other_api = ApiClient(api.client, obtain_tokens(api.client, other)["access_token"])
    assert _book(other_api, place, motif).status_code == 201
    taken = _book(api, place, motif)
    assert taken.status_code == 409
    assert taken.json() == {
        "code": "slot_taken",
        "message": "Ce créneau vient d'être réservé par une autre personne. Merci d'en choisir un autre.",
        "fields": {},
    }
    never = _book(api, place, motif, start=dt.datetime(2026, 3, 18, 14, 0, tzinfo=PARIS))
    assert never.json()["code"] == "slot_unavailable"
    soon = _book(api, place, motif, start=dt.datetime(2026, 3, 17, 9, 0, tzinfo=PARIS))
    assert soon.json()["code"] == "too_soon"
    assert _book(api, place, motif, start=THURSDAY_10).status_code == 201
    again = _book(api, place, motif, start=dt.datetime(2026, 3, 20, 9, 0, tzinfo=PARIS))
    assert again.json()["code"] == "already_booked"


@time_machine.travel(NOW, tick=False)
def test_bad_input_is_answered_field_by_field_in_french(api, agenda):
    place, motif = agenda
    bad = api.post(
        "/appointments",
        {"motif_id": 999999, "place_id": place.pk, "start": "2026-03-18T09:00:00", "phone": "12"},
    )
    assert bad.status_code == 422
    fields = bad.json()["fields"]
    assert fields["start"] == [
        "Indiquez la date et l'heure avec leur fuseau horaire, par exemple "
        "2026-03-18T09:00:00+01:00."
    ]
    assert "10 chiffres" in fields["phone"][0]
    unknown_motif = _book(api, place, type(motif)(pk=999999))
    assert unknown_motif.status_code == 422
    assert unknown_motif.json()["fields"] == {"motif_id": ["Choisissez l'un des motifs proposés."]}
    slots = api.get("/appointments/slots", motif_id=motif.pk, place_id=place.pk, days=99)
    assert slots.status_code == 422 and "days" in slots.json()["fields"]
    assert not Appointment.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_another_persons_appointment_is_404_and_untouched(api, agenda):
    place, motif = agenda
    other = InsuredUserFactory(person__family__fund=place.fund)
    other_api = ApiClient(api.client, obtain_tokens(api.client, other)["access_token"])
    theirs = _book(other_api, place, motif).json()["id"]
    api_again = ApiClient(api.client, api.token)
    move = api_again.post(f"/appointments/{theirs}/move", {"start": THURSDAY_10.isoformat()})
    assert move.status_code == 404 and move.json()["code"] == "not_found"
    assert api_again.post(f"/appointments/{theirs}/cancel").status_code == 404
    assert api_again.get("/appointments").json()["upcoming"] == []
    appointment = Appointment.objects.get(pk=theirs)
    assert (appointment.status, appointment.start) == ("booked", WEDNESDAY_9)


@time_machine.travel(NOW, tick=False)
def test_booking_for_a_beneficiary_of_the_family_and_not_for_anyone_else(api, api_user, agenda):
    place, motif = agenda
    child = PersonFactory(dependant=True, family=api_user.person.family)
    choices = api.get("/appointments/choices").json()
    assert [p["id"] for p in choices["beneficiaries"]] == [api_user.person.pk, child.pk]
    booked = _book(api, place, motif, beneficiary_id=child.pk)
    assert booked.status_code == 201
    assert booked.json()["person"]["id"] == child.pk
    stranger = PersonFactory(family__fund=place.fund)
    outside = _book(api, place, motif, start=THURSDAY_10, beneficiary_id=stranger.pk)
    assert outside.status_code == 404
    assert Appointment.objects.filter(person=stranger).count() == 0


@time_machine.travel(NOW, tick=False)
def test_the_slots_say_until_when_the_power_covers(api, api_user, agenda):
    place, motif = agenda
    power = give_power(api_user.person, at=NOW - dt.timedelta(days=20), by=api_user)
    slots = api.get(
        "/appointments/slots", motif_id=motif.pk, place_id=place.pk, first_day="2026-03-23"
    ).json()
    until = dt.datetime.fromisoformat(slots["proxy_until"])
    assert abs(until - power.valid_until) < dt.timedelta(milliseconds=1)
    assert slots["proxy_message"].startswith("Votre procuration prend fin le 24/03/2026")
    late = _book(
        api,
        place,
        motif,
        start=dt.datetime(2026, 3, 26, 9, 0, tzinfo=PARIS),
        represented_by_proxy=True,
    )
    assert late.status_code == 409 and late.json()["code"] == "no_power_for_date"
    ok = _book(api, place, motif, represented_by_proxy=True)
    assert ok.status_code == 201 and ok.json()["represented_by_proxy"]


def test_without_a_token_401(api_anonymous):
    assert api_anonymous.get("/appointments").status_code == 401


@time_machine.travel(NOW, tick=False)
def test_a_body_that_is_not_json_answers_the_documented_400(client, api, api_user, agenda):
    place, motif = agenda
    booked = _book(api, place, motif).json()
    for path in ("/api/v1/appointments", f"/api/v1/appointments/{booked['id']}/move"):
        response = client.post(
            path, "{not json", content_type="application/json", headers=api._headers()
        )
        assert response.status_code == 400, path
        assert response.json() == {
            "code": "bad_request",
            "message": "Le corps de la requête n'est pas un JSON valide.",
            "fields": {},
        }
