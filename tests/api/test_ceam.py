"""/ceam and /work-stoppages over the same services and messages as the web (CEAM1-CEAM8)."""

import datetime as dt

import pytest
import time_machine

from guichet.ceam.models import CeamOrder
from guichet.reference.enums import WorkStoppageKind
from guichet.reference.models import RightsPeriod, WorkStoppage
from tests.api.conftest import ApiClient, obtain_tokens
from tests.factories import InsuredUserFactory, PaymentFactory, PersonFactory

# The whole site's URLs: the order's notice links to the web's tracking page (CEAM8).
pytestmark = [pytest.mark.django_db]
TODAY = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_order_with_departure_then_track_and_download(api, api_user):
    child = PersonFactory(family=api_user.person.family, dependant=True)
    listing = api.get("/ceam/beneficiaries").json()
    assert [b["person"]["id"] for b in listing] == [api_user.person.pk, child.pk]
    assert all(b["can_order"] for b in listing)
    response = api.post("/ceam/orders", {"beneficiary_id": child.pk, "departure_on": "2026-12-07"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["expected_on"]) == ("ordered", "2026-12-16")  # CEAM5
    assert body["certificate_valid_until"] == "2027-03-02"  # CEAM7
    pdf = api.get(body["certificate_pdf_url"].removeprefix("/api/v1"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert [o["id"] for o in api.get("/ceam/orders").json()] == [body["id"]]
    again = api.post("/ceam/orders", {"beneficiary_id": child.pk})
    assert again.status_code == 409
    assert again.json()["code"] == "ceam_open_order"  # CEAM4, the web's message
    assert "déjà en cours" in again.json()["message"]


def test_exclusion_and_bad_departure(api, api_user):
    RightsPeriod.objects.filter(person=api_user.person).update(end_date=dt.date(2026, 1, 1))
    refused = api.post("/ceam/orders", {"beneficiary_id": api_user.person.pk})
    assert refused.status_code == 409 and refused.json()["code"] == "ceam_no_rights"  # CEAM2
    RightsPeriod.objects.filter(person=api_user.person).update(end_date=None)
    past = api.post(
        "/ceam/orders", {"beneficiary_id": api_user.person.pk, "departure_on": "2026-11-30"}
    )
    assert past.status_code == 422
    assert past.json()["fields"]["departure_on"] == [
        "La date de départ ne peut pas être passée : indiquez une date à partir d'aujourd'hui."
    ]
    bad = api.post("/ceam/orders", {"beneficiary_id": api_user.person.pk, "departure_on": "demain"})
    assert bad.status_code == 422 and "departure_on" in str(bad.json()["fields"])
    assert not CeamOrder.objects.exists()


def test_another_accounts_order_and_person_answer_404(client, api, api_user):
    stranger = PersonFactory()
    assert api.post("/ceam/orders", {"beneficiary_id": stranger.pk}).status_code == 404
    order = api.post(
        "/ceam/orders", {"beneficiary_id": api_user.person.pk, "departure_on": "2026-12-03"}
    ).json()
    other = ApiClient(client, obtain_tokens(client, InsuredUserFactory())["access_token"])
    assert other.get(f"/ceam/orders/{order['id']}/certificate").status_code == 404
    assert other.get("/ceam/orders").json() == []


def test_work_stoppages(api, api_user):
    stoppage = WorkStoppage.objects.create(
        person=api_user.person,
        kind=WorkStoppageKind.SICKNESS,
        start_date=dt.date(2026, 10, 2),
        end_date=dt.date(2026, 10, 15),
        received_on=dt.date(2026, 10, 3),
    )
    PaymentFactory(beneficiary=api_user.person, daily_allowance=True, work_stoppage=stoppage)
    WorkStoppage.objects.create(
        person=PersonFactory(),
        kind=WorkStoppageKind.SICKNESS,
        start_date=dt.date(2026, 10, 2),
        end_date=dt.date(2026, 10, 15),
        received_on=dt.date(2026, 10, 3),
    )
    body = api.get("/work-stoppages").json()
    assert [s["id"] for s in body] == [stoppage.pk]
    assert body[0]["kind_label"] == "Maladie"
    assert [(p["period_start"], p["amount"]) for p in body[0]["payments"]] == [
        ("2026-10-02", "412.30")
    ]


@pytest.mark.urls("tests.api.urls")
def test_an_order_through_the_api_alone_links_to_the_web_tracking_page(api, api_user):
    """A server that serves the API alone (its URLconf without the web pages) still writes the
    notice's and the email's links from the site's URLs (guichet.notifications.links): the
    order answered 500 there, found by schemathesis."""
    response = api.post("/ceam/orders", {"beneficiary_id": api_user.person.pk})
    assert response.status_code == 201, response.content
    notice = api_user.notifications.get()
    assert notice.link_url == "/mes-demarches/ceam/suivi/"
