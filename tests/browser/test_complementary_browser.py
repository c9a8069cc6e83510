"""Overlapping complementary insurers, as the insured and the agent walk it (rules O2–O7)."""

import pytest
from playwright.sync_api import expect

from guichet.complementary.detection import conflicts_detect
from guichet.notifications.models import OutboundEmail
from tests.browser.conftest import agent_sign_in, audit, claim_case, login, sign_out
from tests.complementary.factories import family_with_overlaps
from tests.factories import AgentFactory, SchemeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_choice_for_two_beneficiaries_then_agent_closes(page, browser, live_server):
    user, people, contracts = family_with_overlaps(beneficiaries=2)
    conflicts_detect()

    # O2: the interstitial right after login; « Plus tard » shows it again at the next login.
    login(page, user.username)
    expect(page.get_by_text("La transmission automatique des remboursements")).to_be_visible()
    audit(page)
    page.get_by_role("button", name="Plus tard").click()
    page.get_by_role("heading", name="Mes derniers paiements").wait_for()
    sign_out(page)
    login(page, user.username)
    expect(page.get_by_text("La transmission automatique des remboursements")).to_be_visible()

    # O3: one choice per beneficiary, all at once; a missing choice is refused clearly.
    page.get_by_role("link", name="Sélectionner").click()
    audit(page)
    expect(
        page.get_by_text("N° adhérent* : " + contracts[people[0].pk][1].member_number)
    ).to_be_visible()
    page.get_by_role("group", name=people[0].birth_date.strftime("%d/%m/%Y")).locator(
        "label", has_text="LA BALOISE ASSURANCES"
    ).click()
    page.get_by_role("button", name="Valider").click()
    expect(
        page.get_by_text(f"Choisissez l'organisme complémentaire de {people[1].first_names}").first
    ).to_be_visible()
    audit(page)
    page.get_by_role("group", name=people[1].birth_date.strftime("%d/%m/%Y")).locator(
        "label", has_text="LES MUTUELLES DE L'AIN 2"
    ).click()
    page.get_by_role("button", name="Valider").click()

    # The confirmation step, without JavaScript.
    page.get_by_role("heading", name="Confirmer mon choix de complémentaire").wait_for()
    audit(page)
    page.get_by_role("button", name="Confirmer mon choix de complémentaire").click()

    # O5, O6.
    page.get_by_role("heading", name="Votre choix a bien été envoyé !").wait_for()
    expect(page.get_by_role("link", name="Mes paiements").last).to_be_visible()
    audit(page)
    page.goto("/mes-informations/")
    expect(page.get_by_text("DEMANDE EN COURS")).to_be_visible()
    audit(page)
    sign_out(page)
    login(page, user.username)
    page.get_by_role("heading", name="Mes derniers paiements").wait_for()
    sign_out(page)

    # O7: the agent of the insured's fund claims, applies and closes the case.
    agent = AgentFactory(back_office=True, fund=user.person.family.fund)
    agent_page = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport=page.viewport_size
    ).new_page()
    agent_sign_in(agent_page, agent.username)
    agent_page.get_by_role("link", name="Back-office : affaires à traiter").click()
    audit(agent_page)
    agent_page.locator("#case-queue a").first.click()
    audit(agent_page)
    claim_case(agent_page)
    agent_page.get_by_role("button", name="Appliquer les choix").click()
    expect(agent_page.locator("#choices-applied")).to_be_visible()
    agent_page.get_by_role("button", name="Clôturer l'affaire").click()
    expect(agent_page.locator("#case-status")).to_have_text("Clôturée")
    audit(agent_page)
    agent_page.context.close()

    login(page, user.username)
    expect(
        page.get_by_text(
            "La transmission automatique des paiements à votre complémentaire est activée."
        )
    ).to_be_visible()
    page.goto("/mes-informations/")
    expect(page.get_by_text("DEMANDE EN COURS")).to_have_count(0)
    email = OutboundEmail.objects.get(to=user.email, category="avis_de_depot")
    assert "compte ameli" in email.body_text
    assert "BALOISE" not in email.body_text


def test_excluded_situation_shows_a_message(page):
    user, _, _ = family_with_overlaps(beneficiaries=1, second_kind="css")
    conflicts_detect()
    login(page, user.username)
    page.get_by_role("heading", name="Mes derniers paiements").wait_for()
    page.goto("/mes-demarches/organisme-complementaire/")
    expect(page.get_by_text("Complémentaire santé solidaire")).to_be_visible()
    expect(page.get_by_role("button", name="Valider")).to_have_count(0)
    audit(page)


def test_partner_scheme_and_processing_times(page):
    user, _, _ = family_with_overlaps(beneficiaries=1, scheme=SchemeFactory(partner=True))
    conflicts_detect()
    login(page, user.username)
    page.get_by_role("heading", name="Mes derniers paiements").wait_for()
    page.goto("/mes-demarches/organisme-complementaire/")
    expect(page.get_by_text("régimes partenaires")).to_be_visible()
    audit(page)
    page.goto("/mes-demarches/delais-de-traitement/")
    page.get_by_role("heading", name="Délais de traitement de ma CPAM").wait_for()
    audit(page)
