"""Insured pages (O2–O6) and agent pages (O6, O7) through the Django test client."""

import pytest

from guichet.cases.models import Case
from guichet.complementary.detection import conflicts_detect
from tests.complementary.factories import family_with_overlaps
from tests.factories import DEFAULT_PASSWORD, AgentFactory, SchemeFactory, agent_login

pytestmark = pytest.mark.django_db


def _login(client, user):
    response = client.post("/connexion/", {"nir": user.username, "code": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client.get(response.url)


def test_after_login_redirects_to_the_interstitial_until_later(client):
    """O2: the blocked transmission is shown right after login, until « Plus tard »."""
    user, _, _ = family_with_overlaps(beneficiaries=1)
    conflicts_detect()
    response = _login(client, user)
    assert response.url == "/mes-demarches/organisme-complementaire/alerte/"
    page = client.get(response.url)
    assert (
        "La transmission automatique des remboursements vers votre complémentaire est bloquée"
        in page.content.decode()
    )
    client.post("/mes-demarches/organisme-complementaire/plus-tard/")
    assert client.get("/connexion/suite/").url == "/"


def test_excluded_family_gets_no_interstitial_but_a_message(client):
    user, _, _ = family_with_overlaps(beneficiaries=1, scheme=SchemeFactory(partner=True))
    conflicts_detect()
    assert _login(client, user).url == "/"
    page = client.get("/mes-demarches/organisme-complementaire/").content.decode()
    assert "Ce service n&#x27;est pas proposé aux assurés des régimes partenaires." in page
    assert "Valider" not in page


def test_choice_needs_every_beneficiary_and_keeps_what_was_entered(client):
    user, people, contracts = family_with_overlaps(beneficiaries=2)
    conflicts_detect()
    _login(client, user)
    chosen = contracts[people[0].pk][1]
    response = client.post(
        "/mes-demarches/organisme-complementaire/", {f"beneficiaire_{people[0].pk}": chosen.pk}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Choisissez l&#x27;organisme complémentaire de {people[1].first_names}" in html
    assert f'value="{chosen.pk}" checked' in html


def test_full_flow_then_agent_closes(client, django_capture_on_commit_callbacks):
    """O3, O5, O6, O7: the choice for everyone at once, « Votre choix a bien été envoyé ! »,
    « DEMANDE EN COURS », then the agent of the fund closes the case."""
    user, people, contracts = family_with_overlaps(beneficiaries=2)
    conflicts_detect()
    _login(client, user)
    data = {f"beneficiaire_{p.pk}": contracts[p.pk][0].pk for p in people}
    assert client.post("/mes-demarches/organisme-complementaire/", data).status_code == 302
    confirm = client.get("/mes-demarches/organisme-complementaire/confirmation/")
    assert "Confirmer mon choix de complémentaire" in confirm.content.decode()
    response = client.post("/mes-demarches/organisme-complementaire/confirmation/")
    assert response.url == "/mes-demarches/organisme-complementaire/envoye/"
    assert "Votre choix a bien été envoyé !" in client.get(response.url).content.decode()
    info = client.get("/mes-informations/").content.decode()
    assert "DEMANDE EN COURS" in info
    assert client.get("/connexion/suite/").url == "/"

    case = Case.objects.get()
    agent_client = client.__class__()
    agent = AgentFactory(back_office=True, fund=case.fund)
    agent_login(agent_client, agent)
    queue = agent_client.get("/agents/affaires/").content.decode()
    assert f"N° {case.pk}" in queue
    agent_client.post(f"/agents/affaires/{case.pk}/prendre/")
    agent_client.post(f"/agents/affaires/{case.pk}/appliquer/")
    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(f"/agents/affaires/{case.pk}/cloturer/")
    case.refresh_from_db()
    assert case.status == "closed"
    info = client.get("/mes-informations/").content.decode()
    assert "DEMANDE EN COURS" not in info


def test_front_desk_agent_cannot_open_the_queue(client):
    agent = AgentFactory()
    agent_login(client, agent)
    assert client.get("/agents/affaires/").status_code == 403


def test_processing_times_page(insured_client):
    page = insured_client.get("/mes-demarches/delais-de-traitement/").content.decode()
    assert "Délais de traitement de ma CPAM" in page
