"""/situation: the same services and French messages as the web (rules SIT1–SIT10)."""

import pytest
import time_machine
from django.test import override_settings

from guichet.situation.models import BankDetailsChange, NewbornDeclaration, UsageNameChange
from tests.api.conftest import ApiClient, obtain_tokens
from tests.cards.factories import pdf_bytes, upload
from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory
from tests.situation.factories import NEW_IBAN, NEWBORN_TODAY, REQUESTED, bank_change_for

# The services announce each change by a notice and an email linking to the site's pages.
pytestmark = [pytest.mark.django_db, pytest.mark.urls("config.urls")]
ADDRESS = {"line1": "3 rue d'Echallon", "line2": "", "postal_code": "01100", "city": "Oyonnax"}


def _put(api, body):
    return api.client.put(
        "/api/v1/situation/address", body, content_type="application/json", headers=api._headers()
    )


@pytest.fixture
def girard(db):
    return InsuredUserFactory(person__last_name="GIRARD", person__npai=True)


@pytest.fixture
def api_girard(client, girard):
    return ApiClient(client, obtain_tokens(client, girard)["access_token"])


def test_sit2_the_address_is_changed_and_npai_cleared(api_girard, girard):
    assert api_girard.get("/situation/address").json()["mail_returned"] is True
    response = _put(api_girard, ADDRESS)
    assert response.status_code == 200
    assert response.json() == {**ADDRESS, "mail_returned": False}
    assert api_girard.post("/documents/rights", {}).status_code == 201


def test_sit1_a_commune_not_served_gets_the_webs_message_on_its_field(api_girard):
    response = _put(api_girard, {**ADDRESS, "city": "Lyon"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["fields"]["city"][0].startswith(
        "La commune ne correspond pas au code postal 01100."
    )


def test_sit1_the_attestations_address_endpoint_checks_the_same(api_girard):
    response = api_girard.post("/documents/address", {**ADDRESS, "postal_code": "99999"})
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "postal_code": ["Ce code postal n'existe pas : vérifiez-le."]
    }


def _bank(api, user, **overrides):
    data = {
        "iban": NEW_IBAN,
        "holder_name": f"Julie {user.person.last_name}",
        "code": DEFAULT_PASSWORD,
        "rib": upload("rib.pdf", pdf_bytes(), "application/pdf"),
        **overrides,
    }
    return api.post_multipart("/situation/bank-details", data)


@time_machine.travel(REQUESTED, tick=False)
def test_sit9_a_request_is_created_then_shown_pending(api_girard, girard):
    response = _bank(api_girard, girard)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending" and NEW_IBAN not in response.text
    shown = api_girard.get("/situation/bank-details").json()
    assert shown["can_request"] is False and shown["refusal_code"] == "bank_change_pending"
    assert shown["latest_change"]["status_label"] == "En cours de vérification"
    assert shown["iban"].startswith("FR76")


def test_sit4_a_wrong_code_is_a_field_error(api_girard, girard):
    response = _bank(api_girard, girard, code="pas-le-bon")
    assert response.status_code == 422
    assert response.json()["fields"] == {"code": ["Le code personnel saisi est incorrect."]}


@override_settings(LOGIN_FAILURE_LIMIT=1)
def test_sit4_too_many_wrong_codes_answer_429_with_retry_after(api_girard, girard):
    _bank(api_girard, girard, code="pas-le-bon")
    response = _bank(api_girard, girard, code="pas-le-bon")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


@pytest.mark.parametrize(
    ("overrides", "field", "start"),
    [
        ({"iban": "FR76 0000"}, "iban", "Cet IBAN n'est pas valide."),
        ({"holder_name": "Marc Dupont"}, "holder_name", "Le titulaire du compte doit être vous"),
        ({"rib": upload("rib.gif", b"GIF89a....", "image/gif")}, "rib", "Le RIB doit être"),
    ],
)
def test_sit3_to_sit6_bad_inputs_are_field_errors(api_girard, girard, overrides, field, start):
    response = _bank(api_girard, girard, **overrides)
    assert response.status_code == 422
    assert response.json()["fields"][field][0].startswith(start)
    assert not BankDetailsChange.objects.exists()


def test_sit7_a_second_request_is_a_conflict(api_girard, girard):
    bank_change_for(girard)
    response = _bank(api_girard, girard)
    assert response.status_code == 409 and response.json()["code"] == "bank_change_pending"


# « Changement de nom d'usage » (SIT12–SIT14): the web's service and messages.


def _usage_name(api, **overrides):
    data = {
        "usage_name": "Martin",
        "proof_kind": "marriage_certificate",
        "proof": upload("acte.pdf", pdf_bytes(), "application/pdf"),
        **overrides,
    }
    return api.post_multipart("/situation/usage-name", data)


def test_sit14_a_usage_name_request_is_created_then_shown_pending(api_girard, girard):
    shown = api_girard.get("/situation/usage-name").json()
    assert (shown["last_name"], shown["usage_name"], shown["can_request"]) == ("GIRARD", "", True)
    assert shown["proof_kinds"]["marriage_certificate"] == "Acte de mariage"
    response = _usage_name(api_girard)
    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["usage_name"]) == ("pending", "Martin")
    shown = api_girard.get("/situation/usage-name").json()
    assert shown["can_request"] is False and shown["refusal_code"] == "usage_name_change_pending"
    assert shown["usage_name"] == ""  # not before the back office's check
    assert shown["latest_change"]["proof_kind_label"] == "Acte de mariage"
    second = _usage_name(api_girard, usage_name="Durand")
    assert second.status_code == 409 and second.json()["code"] == "usage_name_change_pending"


@pytest.mark.parametrize(
    ("overrides", "field", "start"),
    [
        ({"usage_name": "Martin#"}, "usage_name", "Ce champ contient un caractère"),
        ({"usage_name": "Girard"}, "usage_name", "Ce nom est déjà celui"),
        ({"proof_kind": "passeport"}, "proof_kind", "Choisissez le justificatif"),
        ({"proof": upload("a.gif", b"GIF89a....", "image/gif")}, "proof", "Le justificatif doit"),
    ],
)
def test_sit12_sit13_bad_usage_name_inputs_are_field_errors(api_girard, overrides, field, start):
    response = _usage_name(api_girard, **overrides)
    assert response.status_code == 422
    assert response.json()["fields"][field][0].startswith(start)
    assert not UsageNameChange.objects.exists()


# « Déclaration du nouveau-né » (SIT17–SIT19): the web's service and messages.


def _newborn(api, **overrides):
    data = {
        "last_name": "GIRARD",
        "first_names": "Léa",
        "gender": "female",
        "birth_date": "2026-03-01",
        "birth_certificate": upload("acte.pdf", pdf_bytes(), "application/pdf"),
        **overrides,
    }
    return api.post_multipart("/situation/newborns", data)


@time_machine.travel(NEWBORN_TODAY, tick=False)
def test_sit19_a_newborn_is_declared_then_listed(api_girard):
    assert api_girard.get("/situation/newborns").json() == []
    response = _newborn(api_girard)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["status_label"]) == ("pending", "NIR en cours de certification")
    [listed] = api_girard.get("/situation/newborns").json()
    assert (listed["first_names"], listed["birth_date"]) == ("Léa", "2026-03-01")
    again = _newborn(api_girard, first_names="lea")
    assert again.status_code == 409 and again.json()["code"] == "newborn_already_declared"


@time_machine.travel(NEWBORN_TODAY, tick=False)
@pytest.mark.parametrize(
    ("overrides", "field", "start"),
    [
        ({"first_names": "Léa!"}, "first_names", "Ce champ contient un caractère"),
        ({"gender": "x"}, "gender", "Indiquez le sexe de l'enfant."),
        ({"birth_date": "2026-03-11"}, "birth_date", "La date de naissance ne peut pas"),
        (
            {"birth_certificate": upload("a.gif", b"GIF89a....", "image/gif")},
            "birth_certificate",
            "L'acte de naissance doit être",
        ),
    ],
)
def test_sit17_sit18_bad_newborn_inputs_are_field_errors(api_girard, overrides, field, start):
    response = _newborn(api_girard, **overrides)
    assert response.status_code == 422
    assert response.json()["fields"][field][0].startswith(start)
    assert not NewbornDeclaration.objects.exists()
