"""/complementary/choice over complementary.services (rules O2–O6)."""

import pytest

from guichet.cases.models import Case
from guichet.complementary.detection import conflicts_detect
from guichet.complementary.models import ChoiceRequest
from tests.api.conftest import ApiClient, obtain_tokens
from tests.complementary.factories import family_with_overlaps

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


@pytest.fixture
def overlap(client):
    user, people, contracts = family_with_overlaps(beneficiaries=2)
    conflicts_detect()
    return ApiClient(client, obtain_tokens(client, user)["access_token"]), people, contracts


def test_situation_then_choice_opens_a_case(overlap):
    api, people, contracts = overlap
    body = api.get("/complementary/choice").json()
    assert body["choice_pending"] is True
    assert body["message"].startswith("La transmission automatique des remboursements")
    assert [b["person"]["id"] for b in body["beneficiaries"]] == [p.pk for p in people]
    choices = [{"beneficiary_id": p.pk, "contract_id": contracts[p.pk][1].pk} for p in people]
    response = api.post("/complementary/choice", {"choices": choices})
    assert response.status_code == 201, response.content
    assert response.json()["message"].startswith("Votre choix a bien été envoyé !")
    assert ChoiceRequest.objects.count() == 1 and Case.objects.count() == 1
    after = api.get("/complementary/choice").json()
    assert after["choice_pending"] is False
    assert after["pending_request"]["message"].startswith("DEMANDE EN COURS — Demande faite le")
    again = api.post("/complementary/choice", {"choices": choices})
    assert again.status_code == 409
    assert again.json()["message"] == "Une demande est déjà en cours de traitement."


def test_every_beneficiary_must_be_chosen_at_once(overlap):
    api, people, contracts = overlap
    response = api.post(
        "/complementary/choice",
        {
            "choices": [
                {"beneficiary_id": people[0].pk, "contract_id": contracts[people[0].pk][0].pk}
            ]
        },
    )
    assert response.status_code == 409
    assert response.json()["message"] == (
        "Choisissez un organisme complémentaire pour chaque bénéficiaire."
    )
    assert not ChoiceRequest.objects.exists()


def test_another_familys_contract_is_refused(overlap):
    api, people, _ = overlap
    _, others, other_contracts = family_with_overlaps(beneficiaries=1)
    choices = [
        {"beneficiary_id": p.pk, "contract_id": other_contracts[others[0].pk][0].pk} for p in people
    ]
    response = api.post("/complementary/choice", {"choices": choices})
    assert response.status_code == 409
    assert not ChoiceRequest.objects.exists()


def test_no_overlap(api):
    body = api.get("/complementary/choice").json()
    assert body["choice_pending"] is False and body["beneficiaries"] == []
