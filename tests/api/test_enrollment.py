"""POST /enrollment: account creation way 1 over enrollment.services (rules C1–C7)."""

import pytest

from guichet.accounts.models import User
from guichet.enrollment.enums import Exclusion
from guichet.reference.enums import NirStatus
from tests.enrollment.factories import GOOD_CODE, PROOF, eligible_person
from tests.factories import InsuredUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("config.urls")]


def request_for(person, **overrides) -> dict:
    return {
        "last_name": person.last_name,
        "nir": person.nir,
        "birth_date": person.birth_date.isoformat(),
        "postal_code": person.postal_code,
        **PROOF,
        "code": GOOD_CODE,
        "code_confirmation": GOOD_CODE,
        "email": "nouvelle@exemple.fr",
        "information_consent": True,
        **overrides,
    }


def test_way_1_creates_an_inactive_account_and_emails_the_link(
    api_anonymous, mailoutbox, django_capture_on_commit_callbacks
):
    person = eligible_person()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_anonymous.post("/enrollment", request_for(person))
    assert response.status_code == 201, response.content
    assert response.json()["email_masked"].startswith("n•")
    user = User.objects.get(person=person)
    assert user.is_active is False and user.check_password(GOOD_CODE)
    assert [m.to for m in mailoutbox] == [["nouvelle@exemple.fr"]]
    # C7: no token before the link is clicked.
    login = api_anonymous.post("/auth/token", {"nir": person.nir, "code": GOOD_CODE})
    assert login.status_code == 401


def test_identity_mismatch_answers_the_web_message(api_anonymous):
    person = eligible_person()
    response = api_anonymous.post("/enrollment", request_for(person, postal_code="75001"))
    assert response.status_code == 422
    assert response.json()["code"] == "identity_mismatch"
    assert response.json()["message"].startswith("Les informations saisies ne permettent pas")
    assert not User.objects.exists()


def test_proof_mismatch(api_anonymous):
    person = eligible_person()
    response = api_anonymous.post("/enrollment", request_for(person, serial_end="00000000000"))
    assert response.status_code == 422
    assert response.json()["code"] == "proof_mismatch"


def test_fields_are_validated_by_the_domain_validators(api_anonymous):
    person = eligible_person()
    response = api_anonymous.post(
        "/enrollment", request_for(person, iban_end="12", email="pas-une-adresse")
    )
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert fields["iban_end"] == ["Saisissez exactement 7 chiffres ou lettres."]
    assert "email" in fields


def test_code_rules_c5(api_anonymous):
    person = eligible_person()
    response = api_anonymous.post(
        "/enrollment", request_for(person, code=GOOD_CODE, code_confirmation="Autre-Code-2026!")
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "code_confirmation": ["Les deux codes saisis ne sont pas identiques."]
    }


def test_excluded_person_is_told_why(api_anonymous):
    person = eligible_person(nir_status=NirStatus.PROVISIONAL)
    response = api_anonymous.post("/enrollment", request_for(person))
    assert response.status_code == 403
    assert response.json()["code"] == "not_eligible"
    assert response.json()["message"] == str(Exclusion.PROVISIONAL_NIR.label)


def test_existing_account(api_anonymous):
    person = eligible_person()
    InsuredUserFactory(person=person)
    response = api_anonymous.post("/enrollment", request_for(person))
    assert response.status_code == 409
    assert response.json()["code"] == "account_exists"


def test_throttled_per_nir(api_anonymous):
    person = eligible_person()
    codes = [
        api_anonymous.post("/enrollment", request_for(person, postal_code="75001")).status_code
        for _ in range(7)
    ]
    assert codes[-1] == 429
