"""GET /me, /family, /family/{id}, /payments, /dashboard (rules G2, G4)."""

import datetime as dt

import pytest

from guichet.core.masking import mask_iban
from guichet.notifications.models import Message, Notification
from tests.factories import (
    CardFactory,
    ComplementaryContractFactory,
    PaymentFactory,
    PersonFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


def test_me_shows_masked_data_like_the_web(api, api_user):
    person = api_user.person
    ComplementaryContractFactory(person=person)
    CardFactory(person=person)
    body = api.get("/me").json()
    assert body["person"]["id"] == person.pk
    assert body["is_account_holder"] is True
    assert body["rights_open"] is True
    assert body["rights_message"] == "Vos droits à l'Assurance Maladie sont ouverts."
    assert body["iban_masked"] == mask_iban(person.iban)
    assert body["iban_masked"].startswith("FR76 ••••")
    assert person.iban not in str(body)
    assert body["email_masked"].startswith(api_user.email[0]) and "•" in body["email_masked"]
    assert api_user.email not in str(body)
    assert body["fund"]["code"] == person.family.fund.code
    assert len(body["complementary_contracts"]) == 1
    assert body["carte_vitale"]["issued_on"] == "2021-03-01"


def test_me_without_open_rights(api, api_user):
    api_user.person.rights_periods.update(end_date=dt.date(2021, 1, 1))
    body = api.get("/me").json()
    assert body["rights_open"] is False


def test_family_lists_the_insured_then_the_dependants(api, api_user):
    child = PersonFactory(
        family=api_user.person.family, dependant=True, birth_date=dt.date(2015, 1, 1)
    )
    members = api.get("/family").json()["members"]
    assert [m["id"] for m in members] == [api_user.person.pk, child.pk]
    assert members[1]["nir_masked"] is None
    assert "•" in members[0]["nir_masked"]


def test_beneficiary_file_of_a_dependant(api, api_user):
    child = PersonFactory(family=api_user.person.family, dependant=True)
    body = api.get(f"/family/{child.pk}").json()
    assert body["person"]["id"] == child.pk
    assert body["is_account_holder"] is False


def test_payments_paginated_and_filtered(api, api_user):
    child = PersonFactory(family=api_user.person.family, dependant=True)
    for day in range(1, 4):
        PaymentFactory(beneficiary=api_user.person, paid_on=dt.date(2026, 10, day))
    PaymentFactory(beneficiary=child, paid_on=dt.date(2026, 9, 1))
    first = api.get("/payments", page_size=2).json()
    assert (first["count"], first["pages"], first["page"]) == (4, 2, 1)
    assert [p["paid_on"] for p in first["items"]] == ["2026-10-03", "2026-10-02"]
    assert first["items"][0]["amount"] == "18.50"
    only_child = api.get("/payments", beneficiary_id=child.pk).json()
    assert [p["beneficiary"]["id"] for p in only_child["items"]] == [child.pk]
    beyond = api.get("/payments", page_size=2, page=9).json()
    assert beyond["page"] == 2


def test_payments_bad_page_size_is_a_validation_error(api):
    response = api.get("/payments", page_size=1000)
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "page_size": ["La valeur doit être inférieure ou égale à 100."]
    }


def test_payments_query_count_does_not_grow(api, api_user, django_assert_max_num_queries):
    for _ in range(15):
        PaymentFactory(beneficiary=api_user.person)
    with django_assert_max_num_queries(6):
        assert api.get("/payments").status_code == 200


def test_dashboard(api, api_user):
    PaymentFactory(beneficiary=api_user.person)
    Notification.objects.create(recipient=api_user, title="Bienvenue", body="…")
    Message.objects.create(recipient=api_user, subject="Votre caisse", body="…")
    body = api.get("/dashboard").json()
    assert len(body["latest_payments"]) == 1
    assert body["unread"] == {"notifications": 1, "messages": 1}
    assert body["latest_notifications"][0]["title"] == "Bienvenue"
