"""The online power of attorney walked as a person would (rules P1–P8), every page audited."""

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import Page, expect

from guichet.core import clock
from guichet.powers import services
from guichet.powers.models import PowerOfAttorney
from tests.browser.conftest import agent_sign_in, audit, header, login
from tests.factories import AgentFactory, InsuredUserFactory
from tests.powers.factories import give_power

pytestmark = pytest.mark.django_db(transaction=True)

MINOR_MESSAGE = "Le mandataire doit avoir 18 ans révolus pour pouvoir vous représenter"


def _until(day: dt.date) -> str:
    return clock.add_months(day, 1).strftime("%d/%m/%Y")


def _fill_proxy(page: Page, *, birth_date: str = "16/04/1991") -> None:
    page.locator("#id_civility").select_option("M")
    page.locator("#id_last_name").fill("Dupont")
    page.locator("#id_usage_name").fill("Durand")
    page.locator("#id_first_name").fill("Martin")
    page.locator("#id_birth_date").fill(birth_date)


def _open_procuration(page: Page) -> None:
    header(page).get_by_role("link", name="Mes démarches").click()
    page.get_by_role("link", name="Faire ou révoquer une procuration en ligne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Faire ou révoquer une procuration en ligne"
    )


def test_create_with_retour_then_confirm_then_revoke_from_mes_informations(page):
    """P1, P3, P5, P6, P7 (via « Mes informations »), and no duplicate on resubmission."""
    user = InsuredUserFactory()
    login(page, user.username)
    _open_procuration(page)
    audit(page)
    page.get_by_role("link", name="Je démarre ma demande").click()
    expect(page.get_by_role("heading", name="1. Le mandataire")).to_be_visible()
    expect(page.get_by_role("button", name="Suivant")).to_be_disabled()
    audit(page)
    _fill_proxy(page)
    expect(page.get_by_role("button", name="Suivant")).to_be_enabled()
    page.get_by_role("button", name="Suivant").click()

    expect(page.get_by_text("Récapitulatif des éléments déclarés")).to_be_visible()
    expect(page.locator("#recap-proxy")).to_contain_text("M. Martin DUPONT")
    expect(page.locator("#recap-proxy")).to_contain_text("16/04/1991")
    expect(page.get_by_text("Pendant 1 mois.")).to_be_visible()
    expect(page.get_by_text("313-1 à 313-3, 433-19, 441-1")).to_be_visible()
    audit(page)

    page.get_by_role("link", name="Retour").click()
    expect(page.locator("#id_civility")).to_have_value("M")
    expect(page.locator("#id_last_name")).to_have_value("Dupont")
    expect(page.locator("#id_usage_name")).to_have_value("Durand")
    expect(page.locator("#id_first_name")).to_have_value("Martin")
    expect(page.locator("#id_birth_date")).to_have_value("16/04/1991")
    page.get_by_role("button", name="Suivant").click()

    page.get_by_role("button", name="Je valide ma demande").click()
    expect(
        page.get_by_text("Cochez « Je certifie l'exactitude des éléments déclarés »").first
    ).to_be_visible()
    audit(page)
    # A second tab of the same session shows the same recap, with the same form token.
    second_tab = page.context.new_page()
    second_tab.goto("/mes-demarches/procuration/recapitulatif/")
    page.locator("label", has_text="Je certifie l'exactitude des éléments déclarés").click()
    page.get_by_role("button", name="Je valide ma demande").click()
    expect(page.get_by_role("heading", name="Ma procuration est validée !")).to_be_visible()
    audit(page)
    # Validating again in the second tab shows the same power: one power only.
    second_tab.locator("label", has_text="Je certifie l'exactitude des éléments déclarés").click()
    second_tab.get_by_role("button", name="Je valide ma demande").click()
    expect(second_tab.get_by_role("heading", name="Ma procuration est validée !")).to_be_visible()
    assert second_tab.url == page.url
    second_tab.close()
    # The back button is not replayed here: no page with personal data is stored
    # (Cache-Control: no-store, docs/security.md), so the browser would ask to send the form
    # again, which is what the second tab above did with the same form token: one power.
    done_url = page.url
    page.goto(done_url)
    expect(page.get_by_role("heading", name="Ma procuration est validée !")).to_be_visible()
    assert page.url == done_url
    assert PowerOfAttorney.objects.filter(grantor=user.person).count() == 1

    header(page).get_by_role("link", name="Mes informations").first.click()
    block = page.locator("#procuration")
    expect(block).to_contain_text(f"Accordée à M. DUPONT - jusqu'au {_until(clock.today())}")
    audit(page)
    # With JavaScript, « Révoquer » opens the guide's dialog; « Retour » closes it.
    opener = block.get_by_role("button", name="Révoquer la procuration accordée à M. DUPONT")
    opener.click()
    dialog = page.get_by_role("dialog", name="Révocation de procuration")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("le mandaté que j'ai choisi ne pourra plus me représenter")
    audit(page)
    dialog.get_by_role("button", name="Retour").click()
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    expect(block).to_contain_text("Accordée à M. DUPONT")
    opener.click()
    dialog.get_by_role("button", name="Révoquer", exact=True).click()
    expect(page.get_by_role("heading", name="Mes informations", level=1)).to_be_visible()
    expect(page.locator("#procuration")).to_contain_text("Aucune procuration en cours.")
    expect(page.get_by_text("Votre procuration accordée à M. DUPONT est révoquée")).to_be_visible()
    audit(page)


def test_minor_proxy_is_refused_with_the_guides_message(page):
    """P4: 17 years and 364 days old on the day is refused, with the guide's message."""
    user = InsuredUserFactory()
    login(page, user.username)
    page.goto("/mes-demarches/procuration/mandataire/?nouvelle=1")
    today = clock.today()
    birth = clock.add_months(today, -18 * 12) + dt.timedelta(days=1)
    _fill_proxy(page, birth_date=birth.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Suivant").click()
    expect(
        page.get_by_text(
            "Le formulaire comporte une ou plusieurs erreurs. Merci de vérifier votre saisie."
        )
    ).to_be_visible()
    expect(page.get_by_text(MINOR_MESSAGE).first).to_be_visible()
    expect(page.locator("#id_last_name")).to_have_value("Dupont")
    audit(page)
    assert not PowerOfAttorney.objects.exists()


def test_revoke_from_mes_demarches_in_the_dialog(page):
    """P7 via « Mes démarches » with JavaScript: the dialog, then the history says revoked."""
    user = InsuredUserFactory()
    give_power(user.person, by=user)
    login(page, user.username)
    _open_procuration(page)
    page.get_by_role("button", name="Je souhaite révoquer ma procuration").click()
    dialog = page.get_by_role("dialog", name="Révocation de procuration")
    expect(dialog).to_be_visible()
    audit(page)
    dialog.get_by_role("button", name="Révoquer").click()
    expect(page.get_by_text("Vous avez actuellement une procuration en cours.")).to_have_count(0)
    expect(page.locator("#historique + ul")).to_contain_text("Révoquée")
    audit(page)


def test_revoke_from_mes_demarches_without_javascript(nojs_page):
    """P7 via « Mes démarches » without JavaScript: the confirmation page, « Retour » keeps the
    power, « Révoquer » ends it; the dialog is never shown."""
    page = nojs_page
    user = InsuredUserFactory()
    give_power(user.person, by=user)
    login(page, user.username)
    _open_procuration(page)
    expect(page.get_by_text("Vous avez actuellement une procuration en cours.")).to_be_visible()
    expect(page.get_by_text(f"Elle est valable jusqu'au {_until(clock.today())}.")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.get_by_role("link", name="Je souhaite révoquer ma procuration").click()
    expect(page.get_by_role("heading", name="Révocation de procuration")).to_be_visible()
    page.get_by_role("link", name="Retour").click()
    expect(page.get_by_text("Vous avez actuellement une procuration en cours.")).to_be_visible()
    page.get_by_role("link", name="Je souhaite révoquer ma procuration").click()
    page.get_by_role("button", name="Révoquer").click()
    expect(page.get_by_text("Vous avez actuellement une procuration en cours.")).to_have_count(0)
    expect(page.locator("#historique + ul")).to_contain_text("Révoquée")


def test_revoke_from_mes_informations_without_javascript(nojs_page):
    """P7 via « Mes informations » without JavaScript: back to « Mes informations »."""
    page = nojs_page
    user = InsuredUserFactory()
    give_power(user.person, by=user)
    login(page, user.username)
    page.goto("/mes-informations/")
    page.locator("#procuration").get_by_role("link", name="Révoquer").click()
    expect(page.get_by_role("heading", name="Révocation de procuration")).to_be_visible()
    page.get_by_role("button", name="Révoquer").click()
    expect(page.get_by_role("heading", name="Mes informations", level=1)).to_be_visible()
    expect(page.locator("#procuration")).to_contain_text("Aucune procuration en cours.")


def test_expiry_after_one_month(page):
    """P6: given a month ago today → still valid until tonight; one day earlier → expired."""
    user = InsuredUserFactory()
    today = clock.today()
    paris_noon = dt.datetime.combine(clock.add_months(today, -1), dt.time(12), tzinfo=clock.PARIS)
    expired = give_power(user.person, at=paris_noon - dt.timedelta(days=1), last_name="Ancien")
    with time_machine.travel(expired.valid_until + dt.timedelta(microseconds=1), tick=False):
        assert services.powers_expire_due() == 1
    give_power(user.person, at=paris_noon, last_name="Dupont")
    login(page, user.username)
    page.goto("/mes-informations/")
    expect(page.locator("#procuration")).to_contain_text(
        f"Accordée à M. DUPONT - jusqu'au {today:%d/%m/%Y}"
    )
    _open_procuration(page)
    history = page.locator("#historique + ul")
    expect(history).to_contain_text("Procuration accordée à M. ANCIEN")
    expect(history).to_contain_text("Expirée")
    audit(page)


def test_expired_today_is_no_longer_shown_as_current(page):
    """P6: a power whose last day was yesterday is expired even before the periodic command."""
    user = InsuredUserFactory()
    today = clock.today()
    give_power(
        user.person,
        at=dt.datetime.combine(
            clock.add_months(today, -1) - dt.timedelta(days=1), dt.time(9), tzinfo=clock.PARIS
        ),
    )
    login(page, user.username)
    page.goto("/mes-informations/")
    expect(page.locator("#procuration")).to_contain_text("Aucune procuration en cours.")
    audit(page)


def _agent_lookup(page: Page, nir: str) -> None:
    page.goto("/agents/")
    page.get_by_role("link", name="Accueil : fiche client et procuration").click()
    page.locator("#id_nir").fill(nir)
    page.locator("#id_reason").select_option("proxy_at_desk")
    page.get_by_role("button", name="Consulter la fiche client").click()


def test_front_desk_lookup_before_and_after_revocation(page, browser, live_server):
    """P8: the agent sees the proxy, checks the ID (a use the insured sees), then after the
    insured revokes it the agent sees it revoked and cannot use it."""
    user = InsuredUserFactory()
    power = give_power(user.person, by=user)
    agent = AgentFactory()
    agent_sign_in(page, agent.username)
    audit(page)
    page.get_by_role("link", name="Accueil : fiche client et procuration").click()
    audit(page)
    page.get_by_role("button", name="Consulter la fiche client").click()
    expect(
        page.get_by_text("Saisissez le numéro de sécurité sociale de l'assuré.").first
    ).to_be_visible()
    audit(page)
    _agent_lookup(page, user.username)
    mandataire = page.locator("#mandataire")
    expect(mandataire).to_contain_text("Procuration en cours")
    expect(mandataire).to_contain_text("DUPONT")
    expect(mandataire).to_contain_text("Martin")
    expect(mandataire).to_contain_text("16/04/1991")
    expect(mandataire).to_contain_text(f"{clock.today():%d/%m/%Y}")
    audit(page)
    page.locator("#id_document_type").select_option("id_card")
    page.locator("#id_document_last_digits").fill("1234")
    page.get_by_text(
        "L'identité de la personne présente correspond au mandataire enregistré"
    ).click()
    page.get_by_role("button", name="Identité vérifiée : recevoir le mandataire").click()
    expect(page.get_by_text("Identité du mandataire vérifiée")).to_be_visible()
    audit(page)

    services.power_revoke(power_id=power.pk, grantor=user.person, by=user)
    _agent_lookup(page, user.username)
    expect(page.locator("#power-status")).to_have_text("Procuration révoquée")
    expect(page.locator("#power-not-usable")).to_be_visible()
    expect(
        page.get_by_role("button", name="Identité vérifiée : recevoir le mandataire")
    ).to_have_count(0)
    audit(page)

    # The insured sees the use in their history (date and desk).
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport=page.viewport_size,
    )
    insured_page = context.new_page()
    login(insured_page, user.username)
    insured_page.goto("/mes-demarches/procuration/")
    expect(insured_page.locator("#historique + ul")).to_contain_text(
        f"Accueil de la {agent.fund.name}"
    )
    audit(insured_page)
    context.close()
