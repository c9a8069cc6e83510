"""Booking at another fund's place (rules RDV24, RDV25): the insured's own fund's places first,
then the other funds', with the motifs of the chosen place's fund, the same rule for the web
page, the app's API and the agents' booking; the other fund's agents serve that appointment
(agenda, preparatory call, check-in with the proxy's ID, outcome) and reach nothing else of the
person."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from guichet.appointments import rules, services
from guichet.appointments.enums import AppointmentStatus
from guichet.appointments.models import Appointment
from guichet.core.clock import PARIS
from guichet.core.refusals import Refused
from guichet.frontdesk.models import FileConsultation
from guichet.powers import services as power_services
from guichet.powers.models import PowerOfAttorney, PowerUse
from tests.api.conftest import ApiClient, obtain_tokens
from tests.appointments.factories import desk, motif_for, opening, place_for
from tests.factories import (
    DEFAULT_PASSWORD,
    AgentFactory,
    FundFactory,
    InsuredUserFactory,
    agent_login,
)
from tests.powers.factories import give_power

pytestmark = [pytest.mark.django_db, pytest.mark.urls("config.urls")]

NOW = dt.datetime(2026, 3, 16, 10, 0, tzinfo=PARIS)  # a Monday
WEDNESDAY_9 = dt.datetime(2026, 3, 18, 9, 0, tzinfo=PARIS)
THURSDAY_9 = dt.datetime(2026, 3, 19, 9, 0, tzinfo=PARIS)


@pytest.fixture
def funds():
    """Paris (the insured's fund) and Lyon, each with a front desk open for a desk motif."""
    paris = FundFactory(code="751", name="CPAM de Paris")
    lyon = FundFactory(code="691", name="CPAM du Rhône")
    paris_place, paris_motif, _ = desk(paris)
    lyon_place = place_for(lyon, name="Accueil Lyon Part-Dieu")
    lyon_motif = motif_for(lyon, name="Rendez-vous Part-Dieu")
    opening(lyon_place, lyon_motif)
    user = InsuredUserFactory(person__family__fund=paris, person__last_name="Voyageur")
    return {
        "paris": (paris, paris_place, paris_motif),
        "lyon": (lyon, lyon_place, lyon_motif),
        "user": user,
    }


def _book_at_lyon(funds, **extra):
    _, place, motif = funds["lyon"]
    user = funds["user"]
    with time_machine.travel(NOW, tick=False):
        return services.appointment_book(
            person=user.person,
            by=user,
            motif=motif,
            place=place,
            start=WEDNESDAY_9,
            phone="06 12 34 56 78",
            **extra,
        )


# --- The service's rule (RDV24) ------------------------------------------------------------------


def test_rdv24_an_insured_books_at_another_funds_place_with_that_funds_motif(funds):
    appointment = _book_at_lyon(funds)
    assert appointment.place == funds["lyon"][1]
    assert appointment.motif == funds["lyon"][2]
    assert appointment.status == AppointmentStatus.BOOKED


@time_machine.travel(NOW, tick=False)
def test_rdv24_the_motif_must_be_of_the_places_fund_and_the_place_open(funds):
    user = funds["user"]
    _, paris_place, paris_motif = funds["paris"]
    _, lyon_place, lyon_motif = funds["lyon"]
    for place, motif in ((lyon_place, paris_motif), (paris_place, lyon_motif)):
        with pytest.raises(Refused) as refused:
            services.appointment_book(
                person=user.person,
                by=user,
                motif=motif,
                place=place,
                start=WEDNESDAY_9,
                phone="06 12 34 56 78",
            )
        assert refused.value.refusal == rules.MOTIF_NOT_OF_PLACE
    lyon_place.is_active = False
    lyon_place.save()
    with pytest.raises(Refused) as refused:
        services.appointment_book(
            person=user.person,
            by=user,
            motif=lyon_motif,
            place=lyon_place,
            start=WEDNESDAY_9,
            phone="06 12 34 56 78",
        )
    assert refused.value.refusal == rules.PLACE_NOT_BOOKABLE
    assert not Appointment.objects.exists()


# --- The web page ---------------------------------------------------------------------------------


def _select(page, name):
    """The options of the <select name=…> of a page."""
    start = page.index(f'name="{name}"')
    return page[start : page.index("</select>", start)]


def _login(client, user):
    client.post(reverse("web:login"), {"nir": user.username, "code": DEFAULT_PASSWORD})


@time_machine.travel(NOW, tick=False)
def test_rdv24_the_web_page_offers_own_fund_first_then_the_others_and_books_there(client, funds):
    _login(client, funds["user"])
    _, paris_place, paris_motif = funds["paris"]
    _, lyon_place, lyon_motif = funds["lyon"]
    page = client.get(reverse("web:appointment_book")).content.decode()
    own = page.index('<optgroup label="Accueils de votre caisse">')
    other = page.index('<optgroup label="Autres caisses">')
    assert own < page.index(paris_place.name) < other < page.index(lyon_place.name)
    assert "(CPAM du Rhône)" in page
    # The own fund's motifs until a place is chosen.
    assert f'value="{paris_motif.pk}"' in _select(page, "motif")
    assert lyon_motif.name not in page
    shown = client.get(reverse("web:appointment_book"), {"lieu": lyon_place.pk}).content.decode()
    assert "Motifs proposés à l'accueil « Accueil Lyon Part-Dieu » (CPAM du Rhône)." in shown
    motifs = _select(shown, "motif")
    assert f'value="{lyon_motif.pk}"' in motifs and f'value="{paris_motif.pk}"' not in motifs
    assert f'<option value="{lyon_place.pk}" selected>' in shown
    # A motif of the own fund with another fund's place: a French message, the place kept.
    refused = client.get(
        reverse("web:appointment_slots"), {"lieu": lyon_place.pk, "motif": paris_motif.pk}
    )
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "ils dépendent de la caisse du lieu choisi" in text
    assert f'<option value="{lyon_place.pk}" selected>' in text
    url = f"{reverse('web:appointment_slots')}?lieu={lyon_place.pk}&motif={lyon_motif.pk}"
    slots = client.get(url).content.decode()
    assert 'id="other-fund"' in slots and "CPAM du Rhône" in slots
    response = client.post(url, {"slot": WEDNESDAY_9.isoformat(), "phone": "06 12 34 56 78"})
    booked = Appointment.objects.get()
    assert response.url == reverse("web:appointment_done", args=[booked.pk])
    assert (booked.place, booked.motif) == (lyon_place, lyon_motif)


@time_machine.travel(NOW, tick=False)
def test_rdv24_the_web_page_query_count_does_not_grow_with_the_funds(
    client, funds, django_assert_num_queries
):
    _login(client, funds["user"])
    url = reverse("web:appointment_book")
    client.get(url)
    with django_assert_num_queries(6):
        client.get(url)
    for index in range(4):
        desk(FundFactory(code=f"80{index}", name=f"CPAM {index}"))
    with django_assert_num_queries(6):
        page = client.get(url).content.decode()
    assert page.count("Accueil de test") == 5


# --- The app's API --------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_rdv24_the_api_lists_every_place_and_books_at_another_funds(client, funds):
    user = funds["user"]
    api = ApiClient(client, obtain_tokens(client, user)["access_token"])
    _, paris_place, paris_motif = funds["paris"]
    _, lyon_place, lyon_motif = funds["lyon"]
    choices = api.get("/appointments/choices").json()
    assert [(p["id"], p["own_fund"]) for p in choices["places"]] == [
        (paris_place.pk, True),
        (lyon_place.pk, False),
    ]
    assert choices["places"][1]["fund_name"] == "CPAM du Rhône"
    assert [m["id"] for m in choices["motifs"]] == [paris_motif.pk]
    lyon = api.get("/appointments/choices", place_id=lyon_place.pk).json()
    assert [m["id"] for m in lyon["motifs"]] == [lyon_motif.pk]
    assert api.get("/appointments/choices", place_id=999999).status_code == 422
    mismatch = api.get("/appointments/slots", motif_id=paris_motif.pk, place_id=lyon_place.pk)
    assert mismatch.status_code == 422
    assert mismatch.json()["fields"] == {"motif_id": ["Choisissez l'un des motifs proposés."]}
    slots = api.get("/appointments/slots", motif_id=lyon_motif.pk, place_id=lyon_place.pk)
    assert WEDNESDAY_9.isoformat() in slots.json()["starts"]
    booked = api.post(
        "/appointments",
        {
            "motif_id": lyon_motif.pk,
            "place_id": lyon_place.pk,
            "start": WEDNESDAY_9.isoformat(),
            "phone": "06 12 34 56 78",
        },
    )
    assert booked.status_code == 201, booked.content
    assert booked.json()["place"]["own_fund"] is False
    assert Appointment.objects.get().place == lyon_place


# --- The agents' booking (RDV15 with RDV24) -------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_rdv24_an_agent_books_their_insured_at_another_funds_place(client, funds):
    paris, _, paris_motif = funds["paris"]
    _, lyon_place, lyon_motif = funds["lyon"]
    agent = AgentFactory(fund=paris)
    agent_login(client, agent)
    response = client.post(reverse("agents:agenda-book"), {"nir": funds["user"].person.nir})
    url = response.url
    page = client.get(url, {"lieu": lyon_place.pk, "motifs": "1"}).content.decode()
    assert '<optgroup label="Autres caisses">' in page
    motifs = _select(page, "motif")
    assert f'value="{lyon_motif.pk}"' in motifs and f'value="{paris_motif.pk}"' not in motifs
    query = f"{url}?motif={lyon_motif.pk}&lieu={lyon_place.pk}"
    assert 'id="other-fund"' in client.get(query).content.decode()
    response = client.post(query, {"slot": WEDNESDAY_9.isoformat(), "phone": "06 11 22 33 44"})
    booked = Appointment.objects.get()
    assert (booked.place, booked.booked_by) == (lyon_place, agent)


# --- The other fund's agents: that appointment only (RDV25) ---------------------------------------


def test_rdv25_the_other_funds_desk_serves_the_appointment_and_checks_the_proxy(client, funds):
    user = funds["user"]
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        power = give_power(user.person, first_name="Nicolas")
    appointment = _book_at_lyon(funds, represented_by_proxy=True)
    lyon = funds["lyon"][0]
    lyon_agent = AgentFactory(fund=lyon, first_name="Léa", last_name="Lyon")
    agent_login(client, lyon_agent)
    page_url = reverse("agents:agenda-appointment", args=[appointment.pk])
    with time_machine.travel(NOW, tick=False):
        agenda = client.get(
            reverse("agents:agenda-day"), {"lieu": funds["lyon"][1].pk, "jour": "18/03/2026"}
        ).content.decode()
        assert page_url in agenda
        page = client.get(page_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="other-fund"' in text and "CPAM de Paris" in text
    assert user.person.nir not in text.replace(" ", "")
    assert reverse("agents:agenda-file", args=[appointment.pk]) not in text
    assert "Nicolas" in text  # the power: needed to receive the proxy (P8)
    with time_machine.travel(WEDNESDAY_9 - dt.timedelta(days=1), tick=False):
        agent_login(client, lyon_agent)  # a new day: a new session
        calls = client.get(reverse("agents:agenda-calls")).content.decode()
        assert reverse("agents:agenda-call", args=[appointment.pk]) in calls
        client.post(
            reverse("agents:agenda-call", args=[appointment.pk]),
            {f"a{appointment.pk}-outcome": "reached"},
        )
    with time_machine.travel(WEDNESDAY_9 - dt.timedelta(minutes=5), tick=False):
        agent_login(client, lyon_agent)
        response = client.post(
            reverse("agents:agenda-check-in", args=[appointment.pk]),
            {
                "arrival": "proxy",
                "document_type": "id_card",
                "document_last_digits": "4821",
                "identity_matches": "on",
            },
        )
        assert response.status_code == 302
        client.post(reverse("agents:agenda-outcome", args=[appointment.pk]), {"target": "seen"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.SEEN
    assert (appointment.call_outcome, appointment.called_by) == ("reached", lyon_agent)
    use = PowerUse.objects.get()
    assert (use.power, use.agent, use.fund) == (power, lyon_agent, lyon)
    # The power is used for that appointment only: the front desk's own path stays the
    # grantor's fund's (P8, security-agents-scope.md).

    with time_machine.travel(NOW, tick=False), pytest.raises(PowerOfAttorney.DoesNotExist):
        power_services.power_use_record(
            power_id=power.pk,
            grantor=user.person,
            agent=lyon_agent,
            document_type="id_card",
            document_last_digits="4821",
        )


@time_machine.travel(NOW, tick=False)
def test_rdv25_sweep_the_other_funds_agent_reaches_nothing_else_of_the_person(client, funds):
    user = funds["user"]
    lyon_appointment = _book_at_lyon(funds)
    _, paris_place, paris_motif = funds["paris"]
    home_appointment = services.appointment_book(
        person=user.person,
        by=user,
        motif=paris_motif,
        place=paris_place,
        start=THURSDAY_9,
        phone="06 12 34 56 78",
    )
    lyon_agent = AgentFactory(fund=funds["lyon"][0])
    agent_login(client, lyon_agent)
    assert (
        client.get(reverse("agents:agenda-appointment", args=[lyon_appointment.pk])).status_code
        == 200
    )
    # The person's appointment at their own fund's place does not exist for Lyon.
    for name in ("agenda-appointment",):
        assert client.get(reverse(f"agents:{name}", args=[home_appointment.pk])).status_code == 404
    for name in ("agenda-check-in", "agenda-outcome", "agenda-call", "agenda-file"):
        assert client.post(reverse(f"agents:{name}", args=[home_appointment.pk])).status_code == 404
    # The client file: neither from the appointment, nor by NIR, nor to book for the person.
    assert client.post(reverse("agents:agenda-file", args=[lyon_appointment.pk])).status_code == 404
    lookup = client.post(
        reverse("agents:frontdesk_lookup"), {"nir": user.person.nir, "reason": "appointment"}
    )
    assert "Aucun assuré de votre caisse ne correspond" in lookup.content.decode()
    book = client.post(reverse("agents:agenda-book"), {"nir": user.person.nir})
    assert book.status_code == 400
    assert not FileConsultation.objects.exists()
    with pytest.raises(Refused) as refused:
        services.appointment_book_by_agent(
            agent=lyon_agent,
            person=user.person,
            motif=funds["lyon"][2],
            place=funds["lyon"][1],
            start=WEDNESDAY_9 + dt.timedelta(minutes=30),
            phone="06 12 34 56 78",
        )
    assert refused.value.refusal == rules.NOT_IN_FUND
    # The other fund's agenda, calls and lists show Lyon's appointment only.
    calls = client.get(reverse("agents:agenda-calls")).content.decode()
    assert reverse("agents:agenda-appointment", args=[home_appointment.pk]) not in calls
    agenda = client.get(
        reverse("agents:agenda-day"),
        {"lieu": funds["lyon"][1].pk, "jour": "19/03/2026", "vue": "semaine"},
    ).content.decode()
    assert reverse("agents:agenda-appointment", args=[lyon_appointment.pk]) in agenda
    assert reverse("agents:agenda-appointment", args=[home_appointment.pk]) not in agenda
    # Nothing changed.
    home_appointment.refresh_from_db()
    assert home_appointment.status == AppointmentStatus.BOOKED
    assert not PowerUse.objects.exists()
