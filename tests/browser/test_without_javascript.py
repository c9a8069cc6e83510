"""The main journeys with JavaScript disabled: a public service must work without it (scripts
blocked, an old browser, a failed download). Enhancements (the revocation dialog, the strength
meter, buttons enabled as fields fill, the document opened in a new tab) are skipped; the
server does the same checks. The procuration's revocation is in test_powers_browser.py."""

import re

import pytest
from django.urls import reverse

from guichet.accounts.models import User
from guichet.cards.models import CardOrder
from guichet.certificates.models import Issuance
from guichet.complementary.detection import conflicts_detect
from guichet.notifications.models import OutboundEmail
from tests.browser.conftest import login
from tests.browser.test_cards_browser import files
from tests.browser.test_enrollment_browser import fill_identity, fill_proof
from tests.certificates.helpers import family_user, pdf_text
from tests.complementary.factories import family_with_overlaps
from tests.enrollment.factories import GOOD_CODE, eligible_person
from tests.factories import CardFactory, InsuredUserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_account_creation_way_1_without_javascript(nojs_page):
    """C2, C5-C7: identity, proof, code (the level computed by the server), contact, link."""
    page = nojs_page
    person = eligible_person()
    fill_identity(page, person)
    fill_proof(page)
    page.get_by_role("heading", name="Je choisis mon code personnel", level=1).wait_for()
    page.get_by_role("textbox", name="Mon nouveau code", exact=True).fill("motdepasse")
    page.get_by_label("Confirmer mon nouveau code").fill("motdepasse")
    page.get_by_role("button", name="Valider").click()
    page.get_by_text("au moins une lettre majuscule").first.wait_for()
    page.get_by_role("textbox", name="Mon nouveau code", exact=True).fill(GOOD_CODE)
    page.get_by_label("Confirmer mon nouveau code").fill(GOOD_CODE)
    page.get_by_role("button", name="Valider").click()
    page.get_by_role("heading", name="Mes coordonnées", level=1).wait_for()
    page.get_by_label("Mon adresse email").fill("sans.js@exemple.fr")
    page.get_by_role("button", name="Valider").click()
    page.get_by_role("heading", name="Validation de mon email", level=1).wait_for()
    body = OutboundEmail.objects.order_by("-pk").first().body_text
    page.goto(re.search(r"https?://[^/\s]+(/creer-mon-compte/email/\S+/)", body).group(1))
    page.get_by_role("heading", name="Mon compte est activé").wait_for()
    assert User.objects.get(person=person).is_active


def test_rights_certificate_without_javascript(nojs_page):
    """A2, A4: the form, then the page whose fallback link gives the PDF."""
    page = nojs_page
    user = family_user(rights={"ticket_moderateur_exemption": True})
    login(page, user.username)
    page.goto("/mes-demarches/")
    page.get_by_role("link", name="Attestation de droits").first.click()
    page.get_by_text("Exonération du ticket modérateur").click()
    page.get_by_role("button", name="Valider").click()
    link = page.get_by_role(
        "link", name="Si votre document ne s'ouvre pas directement, cliquez sur ce lien"
    )
    link.wait_for()
    issuance = Issuance.objects.get()
    assert link.get_attribute("href") == reverse("web:certificate_pdf", args=[issuance.reference])
    response = page.request.get(link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert "Exonération du ticket modérateur" in pdf_text(response.body())


def test_carte_vitale_order_without_javascript(nojs_page, tmp_path):
    """V2, V3: a card showing a former name, the order's four steps with real files."""
    page = nojs_page
    user = InsuredUserFactory()
    CardFactory(person=user.person, printed_name="ANCIEN NOM")
    f = files(tmp_path)
    login(page, user.username)
    page.goto("/mes-demarches/")
    page.get_by_role("link", name="Déclarer la perte ou le vol de carte Vitale").click()
    page.get_by_role("link", name="commandez une nouvelle carte Vitale").click()
    page.get_by_text("Étape 1 sur 5").wait_for()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_text("Étape 2 sur 5").wait_for()
    page.get_by_label("Je transmets ma photo").set_input_files(str(f["photo"]))
    page.get_by_role("button", name="Envoyer la photo").click()
    page.get_by_role("link", name="Continuer").click()
    page.get_by_text("Étape 3 sur 5").wait_for()
    page.get_by_label("Type de pièce d'identité").select_option("passport")
    page.get_by_label("Fichier de la pièce d'identité").set_input_files(str(f["cni"]))
    page.get_by_role("button", name="Envoyer la pièce d'identité").click()
    page.get_by_role("link", name="Continuer").click()
    page.get_by_text("Étape 4 sur 5").wait_for()
    page.get_by_role("button", name="Valider").click()
    page.get_by_text("Votre demande de carte Vitale est bien prise en compte.").wait_for()
    assert CardOrder.objects.get(beneficiary=user.person).reason == "visual_change"


def test_complementary_choice_without_javascript(nojs_page):
    """O2, O3, O5: the interstitial, one choice per beneficiary, the confirmation."""
    page = nojs_page
    user, people, _contracts = family_with_overlaps(beneficiaries=2)
    conflicts_detect()
    login(page, user.username)
    page.get_by_role("link", name="Sélectionner").click()
    for person, insurer in ((people[0], "LA BALOISE ASSURANCES"), (people[1], "LES MUTUELLES")):
        page.get_by_role("group", name=person.first_names).locator(
            "label", has_text=insurer
        ).click()
    page.get_by_role("button", name="Valider").click()
    page.get_by_role("button", name="Confirmer mon choix de complémentaire").click()
    page.get_by_role("heading", name="Votre choix a bien été envoyé !").wait_for()


def test_scripts_really_do_not_run_in_these_tests(nojs_page, page):
    """The DSFR's script marks <html data-fr-js="true"> when it runs: not in nojs_page."""
    nojs_page.goto("/connexion/")
    nojs_page.get_by_role("heading", name="J'accède à mon compte").wait_for()
    assert nojs_page.locator("html").get_attribute("data-fr-js") is None
    page.goto("/connexion/")
    page.wait_for_function("document.documentElement.dataset.frJs === 'true'")
