"""The pages of « Déclaration du nouveau-né » (rules G3, SIT17–SIT20): the parent's form, every
bad input answered in French with what was typed kept, and the back office's certification of
the NIR in the same case queue."""

import pytest
import time_machine
from django.urls import reverse
from stdnum.fr.nir import calc_check_digits

from guichet.cases.models import Case
from guichet.reference.enums import NirStatus
from guichet.reference.models import Person
from guichet.situation.models import NewbornDeclaration
from tests.cards.factories import pdf_bytes, upload
from tests.factories import (
    DEFAULT_PASSWORD,
    AgentFactory,
    FundFactory,
    InsuredUserFactory,
    agent_login,
)
from tests.situation.factories import NEWBORN_TODAY, girls_nir, newborn_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
URL = "/mes-demarches/nouveau-ne/"
GOOD = {"last_name": "GIRARD", "first_names": "Léa", "gender": "female", "birth_date": "01/03/2026"}


@pytest.fixture
def frozen():
    with time_machine.travel(NEWBORN_TODAY, tick=False):
        yield


def _login(client, user):
    response = client.post("/connexion/", {"nir": user.username, "code": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def _certificate():
    return upload("acte.pdf", pdf_bytes(), "application/pdf")


@pytest.fixture
def user():
    return InsuredUserFactory(person__last_name="GIRARD", person__first_names="Julie")


def test_g3_the_demarche_is_offered_in_mes_demarches(client, user):
    page = _login(client, user).get(reverse("web:procedures")).content.decode()
    assert f'href="{URL}">Déclaration du nouveau-né</a>' in page


def test_the_page_needs_a_signed_in_insured(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/connexion/")


def test_the_form_starts_with_the_parents_name(client, user):
    page = _login(client, user).get(URL).content.decode()
    assert 'value="GIRARD"' in page and "Déclarer mon enfant" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"first_names": "Léa!"}, "« ! »"),
        ({"first_names": ""}, "Saisissez le prénom de l&#x27;enfant."),
        ({"gender": ""}, "Indiquez le sexe de l&#x27;enfant."),
        ({"birth_date": "31/02/2026"}, "Saisissez une date au format JJ/MM/AAAA"),
        ({"birth_date": "11/03/2026"}, "La date de naissance ne peut pas être dans le futur."),
        ({"birth_date": "01/01/2025"}, "dans les 12 mois qui suivent sa naissance"),
    ],
)
def test_sit17_each_bad_input_gets_its_message_and_what_was_typed_is_kept(
    client, user, overrides, message
):
    data = {**GOOD, **overrides, "birth_certificate": _certificate()}
    page = _login(client, user).post(URL, data).content.decode()
    assert "Le formulaire comporte une ou plusieurs erreurs" in page
    assert message in page
    for field in ("first_names", "birth_date"):
        if data[field]:
            assert f'value="{data[field]}"' in page
    if data["gender"]:
        assert 'value="female" selected' in page
    assert not NewbornDeclaration.objects.exists()


def test_sit18_a_missing_or_bad_birth_certificate_is_refused_on_its_field(client, user):
    _login(client, user)
    page = client.post(URL, GOOD).content.decode()
    assert "Joignez l&#x27;acte de naissance." in page
    bad = upload("acte.pdf", b"just some text", "application/pdf")
    page = client.post(URL, {**GOOD, "birth_certificate": bad}).content.decode()
    assert "L&#x27;acte de naissance doit être un fichier PDF, JPEG ou PNG" in page
    assert 'value="Léa"' in page
    assert not NewbornDeclaration.objects.exists()


def test_sit19_a_declaration_is_sent_then_listed(client, user):
    response = _login(client, user).post(URL, {**GOOD, "birth_certificate": _certificate()})
    assert response.url == URL
    page = client.get(URL).content.decode()
    assert "Votre enfant est rattaché à votre famille." in page
    assert "Léa GIRARD, né(e) le 01/03/2026" in page
    assert "NIR en cours de certification" in page
    info = client.get(reverse("web:information")).content.decode()
    assert "Léa" in info  # one of the family's beneficiaries at once


def test_the_page_reads_in_a_few_queries_whatever_the_number_of_children(
    client, user, django_assert_max_num_queries
):
    for first_names in ("Léa", "Paul", "Zoé"):
        newborn_for(user, first_names=first_names)
    _login(client, user)
    with django_assert_max_num_queries(14):
        page = client.get(URL).content.decode()
    assert page.count("NIR en cours de certification") == 3


@pytest.fixture
def declaration(user):
    return newborn_for(user)


@pytest.fixture
def agent(declaration):
    return AgentFactory(back_office=True, fund=declaration.parent.family.fund)


def _case(declaration):
    return Case.objects.get(subject_id=declaration.pk, kind="newborn_declaration")


def _claimed(client, agent, declaration):
    case = _case(declaration)
    agent_login(client, agent).post(reverse("agents:case_claim", args=[case.pk]))
    return case


def test_the_case_shows_the_child_and_the_birth_certificate(client, agent, declaration):
    queue = agent_login(client, agent).get(reverse("agents:case_queue")).content.decode()
    assert "Déclaration du nouveau-né" in queue
    case = _case(declaration)
    page = client.get(reverse("agents:case_detail", args=[case.pk])).content.decode()
    assert "Léa Marie GIRARD" in page and "01/03/2026" in page
    assert reverse("agents:newborn_certificate", args=[case.pk]) in page
    response = client.get(reverse("agents:newborn_certificate", args=[case.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_another_funds_agent_gets_404(client, declaration):
    other = AgentFactory(back_office=True, fund=FundFactory(code="691", name="CPAM du Rhône"))
    case = _case(declaration)
    agent_login(client, other)
    assert client.get(reverse("agents:newborn_certificate", args=[case.pk])).status_code == 404
    decide = reverse("agents:newborn_decide", args=[case.pk])
    assert client.post(decide, {"decision": "certify", "nir": girls_nir()}).status_code == 404
    assert Person.objects.get(pk=declaration.child_id).nir_status == NirStatus.PROVISIONAL


def test_sit20_a_wrong_nir_is_asked_again_with_what_was_typed(client, agent, declaration):
    case = _claimed(client, agent, declaration)
    boys = "1260375056123" + calc_check_digits("1260375056123")  # a boy's, for a girl
    typed = f"{boys[:1]} {boys[1:3]} {boys[3:5]} {boys[5:7]} {boys[7:10]} {boys[10:13]} {boys[13:]}"
    page = client.post(
        reverse("agents:newborn_decide", args=[case.pk]), {"decision": "certify", "nir": typed}
    ).content.decode()
    assert "Ce numéro ne correspond pas à l&#x27;enfant" in page
    assert f'value="{typed}"' in page and 'value="certify" checked' in page


def test_sit20_the_agent_certifies_the_nir_then_the_case_is_closed(client, agent, declaration):
    case = _claimed(client, agent, declaration)
    response = client.post(
        reverse("agents:newborn_decide", args=[case.pk]),
        {"decision": "certify", "nir": girls_nir()},
    )
    assert response.url == reverse("agents:case_detail", args=[case.pk])
    page = client.get(response.url).content.decode()
    assert "Le NIR de l&#x27;enfant est certifié ; l&#x27;assuré en est averti." in page
    child = Person.objects.get(pk=declaration.child_id)
    case.refresh_from_db()
    assert (child.nir, child.nir_status, case.status) == (girls_nir(), "certified", "closed")
