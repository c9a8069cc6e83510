"""The back office's check of a bank-details change (rule SIT9), on the agents' case pages."""

import pytest
import time_machine
from django.urls import reverse

from guichet.cases.models import Case
from tests.factories import AgentFactory, FundFactory, InsuredUserFactory, agent_login
from tests.situation.factories import AFTER_COOLING_OFF, NEW_IBAN, REQUESTED, bank_change_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def change():
    with time_machine.travel(REQUESTED, tick=False):
        return bank_change_for(InsuredUserFactory(person__last_name="GIRARD"))


@pytest.fixture
def agent(change):
    return AgentFactory(back_office=True, fund=change.person.family.fund)


def _case(change):
    return Case.objects.get(subject_id=change.pk, kind="bank_details_change")


def _claimed(client, agent, change):
    case = _case(change)
    agent_login(client, agent).post(reverse("agents:case_claim", args=[case.pk]))
    return case


def test_the_case_is_in_the_funds_queue_and_shows_the_typed_iban_holder_and_rib(
    client, agent, change
):
    queue = agent_login(client, agent).get(reverse("agents:case_queue")).content.decode()
    assert "Changement de coordonnées bancaires" in queue
    case = _case(change)
    page = client.get(reverse("agents:case_detail", args=[case.pk])).content.decode()
    assert NEW_IBAN in page and change.holder_name in page
    assert "FR7630006000011234567890189" in page  # the IBAN kept until the decision
    assert reverse("agents:bank_change_rib", args=[case.pk]) in page
    assert "Enregistrer la décision" not in page  # not held yet


def test_the_rib_is_served_as_a_private_download(client, agent, change):
    case = _case(change)
    response = agent_login(client, agent).get(reverse("agents:bank_change_rib", args=[case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content.startswith(b"%PDF-")


def test_an_insured_cannot_reach_the_agents_pages(client, change):
    client.force_login(change.requested_by)
    response = client.get(reverse("agents:bank_change_rib", args=[_case(change).pk]))
    assert response.status_code in {302, 403}


def test_another_funds_agent_gets_404(client, change):
    other = AgentFactory(back_office=True, fund=FundFactory(code="691", name="CPAM du Rhône"))
    case = _case(change)
    agent_login(client, other)
    assert client.get(reverse("agents:bank_change_rib", args=[case.pk])).status_code == 404
    decide = reverse("agents:bank_change_decide", args=[case.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    change.person.refresh_from_db()
    assert change.person.iban != NEW_IBAN


def test_sit9_approval_before_the_cooling_off_is_refused_on_the_page(client, agent, change):
    case = _claimed(client, agent, change)
    with time_machine.travel(REQUESTED, tick=False):
        page = client.post(
            reverse("agents:bank_change_decide", args=[case.pk]), {"decision": "approve"}
        ).content.decode()
    assert "ne peut être validé qu&#x27;après un délai de 2 jours" in page


def test_sit9_a_refusal_without_reason_is_asked_again_with_the_choice_kept(client, agent, change):
    case = _claimed(client, agent, change)
    page = client.post(
        reverse("agents:bank_change_decide", args=[case.pk]), {"decision": "reject", "reason": ""}
    ).content.decode()
    assert "Indiquez le motif du refus : l&#x27;assuré le verra." in page
    assert 'value="reject" checked' in page


def test_sit9_the_agent_approves_the_new_iban_then_the_case_is_closed(client, agent, change):
    case = _claimed(client, agent, change)
    page = client.get(reverse("agents:case_detail", args=[case.pk])).content.decode()
    assert "Enregistrer la décision" in page and "Clôturer l&#x27;affaire" not in page
    with time_machine.travel(AFTER_COOLING_OFF, tick=False):
        response = client.post(
            reverse("agents:bank_change_decide", args=[case.pk]), {"decision": "approve"}
        )
        assert response.url == reverse("agents:case_detail", args=[case.pk])
        page = client.get(response.url).content.decode()
    change.person.refresh_from_db()
    case.refresh_from_db()
    assert change.person.iban == NEW_IBAN and case.status == "closed"
    assert "Le nouvel IBAN est enregistré ; l&#x27;assuré en est averti." in page


def test_sit9_a_bad_decision_value_is_refused(client, agent, change):
    case = _claimed(client, agent, change)
    page = client.post(
        reverse("agents:bank_change_decide", args=[case.pk]), {"decision": "maybe"}
    ).content.decode()
    assert "Choisissez une des décisions proposées." in page


def test_the_queue_reads_in_the_same_queries_whatever_the_number_of_requests(
    client, django_assert_max_num_queries
):
    users = [InsuredUserFactory(person__last_name="GIRARD") for _ in range(6)]
    bank_change_for(users[0])
    agent = AgentFactory(back_office=True, fund=users[0].person.family.fund)
    agent_login(client, agent)
    url = reverse("agents:case_queue")
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    for user in users[1:]:
        bank_change_for(user)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Changement de coordonnées bancaires") == 6


def test_the_admin_lists_the_requests_read_only(client, change):
    admin_user = AgentFactory(supervisor=True, is_staff=True, is_superuser=True)
    agent_login(client, admin_user)
    listing = client.get("/admin/situation/bankdetailschange/")
    assert listing.status_code == 200 and "GIRARD" in listing.content.decode()
    assert client.get("/admin/situation/bankdetailschange/add/").status_code == 403
    url = f"/admin/situation/bankdetailschange/{change.pk}/change/"
    assert client.get(url).status_code == 200  # shown, not editable
    assert client.post(url, {"status": "approved"}).status_code == 403
    change.refresh_from_db()
    assert change.status == "pending"
