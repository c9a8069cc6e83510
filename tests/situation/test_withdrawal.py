"""« Annuler ma demande » (rule SIT27; docs/decisions/situation-withdrawal.md): one service for
every situation request waiting for the back office, used by the web page and the API."""

import pytest
import time_machine

from guichet.cases import services as case_services
from guichet.cases.models import Case
from guichet.core.refusals import Refused
from guichet.notifications.models import OutboundEmail
from guichet.reference.models import Person
from guichet.situation import rules, services
from tests.api.conftest import ApiClient, obtain_tokens
from tests.factories import DEFAULT_PASSWORD, AgentFactory, InsuredUserFactory
from tests.situation.factories import (
    NEWBORN_TODAY,
    bank_change_for,
    newborn_for,
    usage_name_change_for,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with time_machine.travel(NEWBORN_TODAY, tick=False):
        yield


@pytest.fixture
def user():
    return InsuredUserFactory(person__last_name="GIRARD", person__first_names="Julie")


MAKERS = {
    "bank-details": (bank_change_for, "rib"),
    "usage-name": (usage_name_change_for, "proof"),
    "newborn": (newborn_for, "birth_certificate"),
}


@pytest.mark.parametrize("kind", list(MAKERS))
def test_sit27_a_pending_request_is_withdrawn_its_case_closed_the_person_told(user, kind):
    make, document = MAKERS[kind]
    request = make(user)
    case = Case.objects.get(
        subject_id=request.pk, kind=Case.objects.get(subject_id=request.pk).kind
    )
    agent = AgentFactory(back_office=True, fund=user.person.family.fund)
    case_services.case_claim(case_id=case.pk, agent=agent)  # even held by an agent
    OutboundEmail.objects.all().delete()
    withdrawn = services.situation_request_withdraw(user=user, kind=kind, request_id=request.pk)
    assert withdrawn.status == "withdrawn"
    assert getattr(withdrawn, document).name == ""
    assert [(t.from_status, t.to_status, t.by) for t in withdrawn.transitions.all()][-1] == (
        "pending",
        "withdrawn",
        user,
    )
    case.refresh_from_db()
    assert case.status == "closed"
    assert case.transitions.order_by("at", "id").last().note == "Demande annulée par l'assuré."
    [email] = OutboundEmail.objects.filter(to=user.email)
    assert "est annulée" in email.body_text


def test_sit27_a_withdrawn_newborn_leaves_the_family(user):
    declaration = newborn_for(user)
    child_id = declaration.child_id
    services.situation_request_withdraw(user=user, kind="newborn", request_id=declaration.pk)
    assert not Person.objects.filter(pk=child_id).exists()


def test_sit27_refused_once_checked(user):
    change = usage_name_change_for(user)
    case = Case.objects.get(subject_id=change.pk, kind="usage_name_change")
    agent = AgentFactory(back_office=True, fund=user.person.family.fund)
    case_services.case_claim(case_id=case.pk, agent=agent)
    services.usage_name_change_decide(change_id=change.pk, agent=agent, approve=True)
    with pytest.raises(Refused) as refused:
        services.situation_request_withdraw(user=user, kind="usage-name", request_id=change.pk)
    assert refused.value.refusal == rules.NOT_WITHDRAWABLE
    change.refresh_from_db()
    assert change.status == "approved"


def test_sit27_a_withdrawn_request_cannot_be_decided(user):
    change = usage_name_change_for(user)
    case = Case.objects.get(subject_id=change.pk, kind="usage_name_change")
    agent = AgentFactory(back_office=True, fund=user.person.family.fund)
    case_services.case_claim(case_id=case.pk, agent=agent)
    services.situation_request_withdraw(user=user, kind="usage-name", request_id=change.pk)
    with pytest.raises(Refused):
        services.usage_name_change_decide(change_id=change.pk, agent=agent, approve=True)


def test_sit27_only_ones_own_request_and_a_known_kind(user):
    change = usage_name_change_for(user)
    stranger = InsuredUserFactory()
    for who, kind in ((stranger, "usage-name"), (user, "bank-details"), (user, "nothing")):
        with pytest.raises(Refused) as refused:
            services.situation_request_withdraw(user=who, kind=kind, request_id=change.pk)
        assert refused.value.refusal == rules.REQUEST_NOT_FOUND
    change.refresh_from_db()
    assert change.status == "pending"


def _login(client, user):
    response = client.post("/connexion/", {"nir": user.username, "code": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def test_the_web_page_confirms_then_withdraws(client, user):
    change = usage_name_change_for(user)
    url = f"/mes-demarches/demandes/usage-name/{change.pk}/annuler/"
    page = _login(client, user).get("/mes-demarches/nom-usage/").content.decode()
    assert url in page
    confirm = client.get(url).content.decode()
    assert "Annuler ma demande" in confirm and "Retour" in confirm
    response = client.post(url)
    assert response.url == "/mes-demarches/nom-usage/"
    assert "Votre demande est annulée" in client.get(response.url).content.decode()
    again = client.post(url)
    assert "déjà été traitée" in client.get(again.url).content.decode()
    assert (
        client.get(f"/mes-demarches/demandes/usage-name/{change.pk + 99}/annuler/").status_code
        == 404
    )


@pytest.mark.urls("config.urls")
def test_the_api_withdraws_with_the_same_service(client, user):
    change = usage_name_change_for(user)
    api = ApiClient(client, obtain_tokens(client, user)["access_token"])
    path = f"/situation/requests/usage-name/{change.pk}/withdrawal"
    response = api.post(path, {})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"
    again = api.post(path, {})
    assert again.status_code == 409 and again.json()["code"] == "request_not_withdrawable"
    assert (
        api.post(f"/situation/requests/usage-name/{change.pk + 9}/withdrawal", {}).status_code
        == 404
    )
