"""The pages of « Changement de nom d'usage » (rules G3, SIT12–SIT16): the person's form, every
bad input answered in French with what was typed kept, and the back office's decision in the
same case queue as the bank-details changes."""

import pytest
from django.urls import reverse

from guichet.cases.models import Case
from guichet.situation.models import UsageNameChange
from tests.cards.factories import pdf_bytes, upload
from tests.factories import (
    DEFAULT_PASSWORD,
    AgentFactory,
    CardFactory,
    FundFactory,
    InsuredUserFactory,
    agent_login,
)
from tests.situation.factories import usage_name_change_for

pytestmark = pytest.mark.django_db
URL = "/mes-demarches/nom-usage/"


def _login(client, user):
    response = client.post("/connexion/", {"nir": user.username, "code": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def _proof():
    return upload("acte.pdf", pdf_bytes(), "application/pdf")


@pytest.fixture
def user():
    return InsuredUserFactory(person__last_name="GIRARD", person__first_names="Julie")


def test_g3_the_demarche_is_offered_in_mes_demarches(client, user):
    page = _login(client, user).get(reverse("web:procedures")).content.decode()
    assert f'href="{URL}">Changement de nom d&#x27;usage</a>' in page


def test_the_page_needs_a_signed_in_insured(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/connexion/")


def test_the_page_shows_the_name_on_file_and_the_form(client, user):
    page = _login(client, user).get(URL).content.decode()
    assert "vous êtes enregistré sous votre nom de naissance, GIRARD" in page
    assert "Acte de mariage" in page and "Envoyer ma demande" in page


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"usage_name": "MARTIN#", "proof_kind": "marriage_certificate"}, "« # »"),
        ({"usage_name": "", "proof_kind": "marriage_certificate"}, "Saisissez votre nouveau nom"),
        (
            {"usage_name": "MARTIN", "proof_kind": ""},
            "Choisissez le justificatif que vous joignez.",
        ),
        ({"usage_name": "MARTIN", "proof_kind": "x"}, "Choisissez un des justificatifs proposés."),
        ({"usage_name": "Girard", "proof_kind": "marriage_certificate"}, "aucun changement"),
    ],
)
def test_sit12_sit13_each_bad_input_gets_its_message_and_what_was_typed_is_kept(
    client, user, data, field_message
):
    page = _login(client, user).post(URL, {**data, "proof": _proof()}).content.decode()
    assert "Le formulaire comporte une ou plusieurs erreurs" in page
    assert field_message in page.replace("&#x27;", "'")
    if data["usage_name"]:
        assert f'value="{data["usage_name"]}"' in page
    if data["proof_kind"] == "marriage_certificate":
        assert 'value="marriage_certificate" selected' in page
    assert not UsageNameChange.objects.exists()


def test_sit13_a_missing_or_bad_proof_is_refused_on_its_field(client, user):
    _login(client, user)
    page = client.post(URL, {"usage_name": "MARTIN", "proof_kind": "marriage_certificate"})
    assert "Joignez votre justificatif." in page.content.decode()
    bad = upload("acte.pdf", b"not a pdf at all, just text", "application/pdf")
    page = client.post(
        URL, {"usage_name": "MARTIN", "proof_kind": "marriage_certificate", "proof": bad}
    ).content.decode()
    assert "Le justificatif doit être un fichier PDF, JPEG ou PNG" in page
    assert 'value="MARTIN"' in page
    assert not UsageNameChange.objects.exists()


def test_sit14_a_request_is_sent_then_shown_pending_and_no_second_one_is_offered(client, user):
    response = _login(client, user).post(
        URL, {"usage_name": "Martin", "proof_kind": "marriage_certificate", "proof": _proof()}
    )
    assert response.url == URL
    page = client.get(URL).content.decode()
    assert "Votre demande est envoyée : votre caisse vérifie le justificatif." in page
    assert "Demande en cours" in page and "En cours de vérification" in page
    assert "Une demande de changement de nom d&#x27;usage est déjà en cours" in page
    assert "Envoyer ma demande" not in page
    assert UsageNameChange.objects.get().usage_name == "Martin"


def test_the_page_reads_in_a_few_queries_whatever_the_history(
    client, user, django_assert_max_num_queries
):
    for name in ("MARTIN", "DURAND", "PETIT"):
        usage_name_change_for(user, usage_name=name)
        UsageNameChange.objects.update(status="rejected", rejection_reason="Acte illisible.")
    _login(client, user)
    with django_assert_max_num_queries(14):
        page = client.get(URL).content.decode()
    assert "Motif du refus :</strong> Acte illisible." in page


# The back office's side (SIT14).


@pytest.fixture
def change(user):
    return usage_name_change_for(user)


@pytest.fixture
def agent(change):
    return AgentFactory(back_office=True, fund=change.person.family.fund)


def _case(change):
    return Case.objects.get(subject_id=change.pk, kind="usage_name_change")


def _claimed(client, agent, change):
    case = _case(change)
    agent_login(client, agent).post(reverse("agents:case_claim", args=[case.pk]))
    return case


def test_the_case_is_in_the_funds_queue_and_shows_the_name_and_the_proof(client, agent, change):
    queue = agent_login(client, agent).get(reverse("agents:case_queue")).content.decode()
    assert "Changement de nom d&#x27;usage" in queue
    case = _case(change)
    page = client.get(reverse("agents:case_detail", args=[case.pk])).content.decode()
    assert "MARTIN" in page and "Acte de mariage" in page
    assert reverse("agents:usage_name_proof", args=[case.pk]) in page
    assert "Enregistrer la décision" not in page  # not held yet
    response = client.get(reverse("agents:usage_name_proof", args=[case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"


def test_an_insured_cannot_reach_the_proof(client, change):
    client.force_login(change.requested_by)
    response = client.get(reverse("agents:usage_name_proof", args=[_case(change).pk]))
    assert response.status_code in {302, 403}


def test_another_funds_agent_gets_404(client, change):
    other = AgentFactory(back_office=True, fund=FundFactory(code="691", name="CPAM du Rhône"))
    case = _case(change)
    agent_login(client, other)
    assert client.get(reverse("agents:usage_name_proof", args=[case.pk])).status_code == 404
    decide = reverse("agents:usage_name_decide", args=[case.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    assert client.get(reverse("agents:case_detail", args=[case.pk])).status_code == 404
    change.person.refresh_from_db()
    assert change.person.usage_name == ""


def test_a_refusal_without_reason_is_asked_again_with_the_choice_kept(client, agent, change):
    case = _claimed(client, agent, change)
    page = client.post(
        reverse("agents:usage_name_decide", args=[case.pk]), {"decision": "reject", "reason": ""}
    ).content.decode()
    assert "Indiquez le motif du refus : l&#x27;assuré le verra." in page
    assert 'value="reject" checked' in page


def test_a_bad_decision_value_is_refused(client, agent, change):
    case = _claimed(client, agent, change)
    page = client.post(
        reverse("agents:usage_name_decide", args=[case.pk]), {"decision": "maybe"}
    ).content.decode()
    assert "Choisissez une des décisions proposées." in page


def test_sit15_approval_then_the_person_is_offered_a_new_card_for_the_change_of_name(
    client, agent, change, user
):
    CardFactory(person=user.person)
    case = _claimed(client, agent, change)
    page = client.get(reverse("agents:case_detail", args=[case.pk])).content.decode()
    assert "Enregistrer la décision" in page and "Clôturer l&#x27;affaire" not in page
    response = client.post(
        reverse("agents:usage_name_decide", args=[case.pk]), {"decision": "approve"}
    )
    assert response.url == reverse("agents:case_detail", args=[case.pk])
    assert "Le nom d&#x27;usage est enregistré" in client.get(response.url).content.decode()
    case.refresh_from_db()
    assert case.status == "closed"
    client.logout()
    page = _login(client, user).get(URL).content.decode()
    assert "Votre nom d'usage enregistré est MARTIN" in page
    assert f'href="{reverse("web:card_order_start")}" id="order-new-card"' in page
