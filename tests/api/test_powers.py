"""/powers over powers.services (rules P3–P7)."""

import datetime as dt
import uuid

import pytest
import time_machine

from guichet.powers.enums import PowerStatus
from guichet.powers.models import PowerOfAttorney, PowerTransition

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]

NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


def proxy(**extra) -> dict:
    return {
        "civility": "M",
        "last_name": "Dupont",
        "first_name": "Paul",
        "birth_date": "1980-04-16",
        "certify": True,
        "idempotency_key": str(uuid.uuid4()),
        **extra,
    }


@time_machine.travel(NOW, tick=False)
def test_give_then_current_then_revoke(api, api_user):
    response = api.post("/powers", proxy())
    assert response.status_code == 201, response.content
    power = response.json()
    assert power["status"] == "active"
    assert power["summary"] == "Accordée à Monsieur DUPONT - jusqu'au 02/12/2026"
    current = api.get("/powers/current").json()
    assert current["power"]["id"] == power["id"]
    assert current["message"] == (
        "Vous avez actuellement une procuration en cours. Elle est valable jusqu'au 02/12/2026."
    )
    revoked = api.post(f"/powers/{power['id']}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    assert api.get("/powers/current").json()["power"] is None
    # Audit: the transitions are logged with the account, as from the web.
    assert PowerTransition.objects.filter(power_id=power["id"], by=api_user).count() == 2
    again = api.post(f"/powers/{power['id']}/revoke")
    assert again.status_code == 409
    assert again.json() == {
        "code": "power_not_active",
        "message": "Cette procuration n'est plus en cours.",
        "fields": {},
    }


def test_minor_proxy_is_refused_with_the_guide_message(api):
    response = api.post("/powers", proxy(birth_date=dt.date.today().replace(year=2015).isoformat()))
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == (
        "Le formulaire comporte une ou plusieurs erreurs. Merci de vérifier votre saisie. "
        "Le mandataire doit avoir 18 ans révolus pour pouvoir vous représenter"
    )
    assert body["fields"] == {
        "birth_date": ["Le mandataire doit avoir 18 ans révolus pour pouvoir vous représenter"]
    }
    assert not PowerOfAttorney.objects.exists()


def test_certification_is_required(api):
    response = api.post("/powers", proxy(certify=False))
    assert response.status_code == 422
    assert "certify" in response.json()["fields"]


def test_same_idempotency_key_gives_one_power(api):
    payload = proxy()
    first = api.post("/powers", payload).json()
    second = api.post("/powers", payload).json()
    assert first["id"] == second["id"]
    assert PowerOfAttorney.objects.count() == 1


def test_a_new_power_replaces_the_current_one(api):
    first = api.post("/powers", proxy()).json()
    api.post("/powers", proxy(last_name="Martin"))
    assert PowerOfAttorney.objects.get(pk=first["id"]).status == PowerStatus.REVOKED
    assert [p["proxy_last_name"] for p in api.get("/powers").json()] == ["Martin", "Dupont"]
