"""/documents over certificates.services (rules A1–A7, « Mes documents » of the app)."""

import pytest

from guichet.certificates.models import Download, Issuance
from tests.certificates.helpers import pdf_text
from tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


def test_rights_certificate_then_list_then_download(api, api_user):
    response = api.post("/documents/rights", {})
    assert response.status_code == 201, response.content
    document = response.json()
    assert document["kind"] == "rights"
    listed = api.get("/documents").json()
    assert [d["reference"] for d in listed] == [document["reference"]]
    pdf = api.get(f"/documents/{document['reference']}/pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert document["reference"] in pdf_text(pdf.content)
    assert (
        Download.objects.filter(
            issuance__reference=document["reference"], user=api_user, channel="app"
        ).count()
        == 1
    )
    assert Issuance.objects.get(reference=document["reference"]).channel == "app"


def test_rights_certificate_for_one_beneficiary(api, api_user):
    child = PersonFactory(family=api_user.person.family, dependant=True)
    response = api.post("/documents/rights", {"beneficiary_id": child.pk})
    assert response.status_code == 201
    assert Issuance.objects.get().beneficiary_id == child.pk


def test_no_open_rights_is_refused_with_the_web_message(api, api_user):
    api_user.person.rights_periods.all().delete()
    response = api.post("/documents/rights", {})
    assert response.status_code == 403
    assert response.json()["code"] == "not_offered"
    assert not Issuance.objects.exists()


# The new address is announced by a notice and an email linking to the site's pages (SIT2).
@pytest.mark.urls("config.urls")
def test_unknown_address_asks_for_it(api, api_user):
    person = api_user.person
    person.address_npai = True
    person.save()
    response = api.post("/documents/rights", {})
    assert response.status_code == 409
    assert response.json()["code"] == "address_unknown"
    assert (
        "Merci de bien vouloir nous préciser votre nouvelle adresse" in response.json()["message"]
    )
    address = {"line1": "3 rue Neuve", "postal_code": "69001", "city": "Lyon"}
    assert api.post("/documents/address", address).status_code == 200
    assert api.post("/documents/rights", {}).status_code == 201


def test_address_is_validated_like_the_web(api):
    response = api.post(
        "/documents/address", {"line1": "3 rue Neuve", "postal_code": "6900", "city": "Lyon"}
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"postal_code": ["Le code postal comporte 5 chiffres."]}


def test_monthly_statement_for_a_month_not_offered(api):
    response = api.post("/documents/monthly", {"month": "1990-01-01"})
    assert response.status_code == 403
    assert response.json() == {
        "code": "not_offered",
        "message": "Ce mois n'est pas proposé.",
        "fields": {},
    }
