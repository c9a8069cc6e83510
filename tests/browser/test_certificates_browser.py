"""Certificates in a browser (rules A1–A7): each outcome on the web and the kiosk, audited."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from guichet.certificates.models import Issuance
from guichet.certificates.services import issuance_qr_code
from tests.browser.conftest import audit, header, login
from tests.certificates.helpers import family_user, pdf_text
from tests.factories import CardFactory
from tests.terminals.helpers import enrolled_kiosk, kiosk_cookie_name

pytestmark = pytest.mark.django_db(transaction=True)


def _open_rights_page(page, user):
    login(page, user.username)
    header(page).get_by_role("link", name="Mes démarches", exact=True).first.click()
    page.get_by_role("link", name="Attestation de droits").first.click()
    page.get_by_role("heading", name="Attestation de droits", level=1).wait_for()


def test_web_rights_certificate_opens_with_the_fallback_link(page):
    user = family_user(rights={"ticket_moderateur_exemption": True})
    _open_rights_page(page, user)
    audit(page)
    page.get_by_label("Souhaitez-vous une attestation pour :").select_option(
        label="Corinne Chevalerias 20/05/1970"
    )
    page.get_by_text("Exonération du ticket modérateur").click()
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Valider").click()
    opened.value.close()
    page.get_by_text("s'est affichée dans une nouvelle fenêtre").wait_for()
    audit(page)
    issuance = Issuance.objects.get()
    assert issuance.beneficiary.first_names == "Corinne"
    with page.expect_popup() as popup:
        page.get_by_role(
            "link", name="Si votre document ne s'ouvre pas directement, cliquez sur ce lien"
        ).click()
    pdf_url = popup.value.url
    assert pdf_url.endswith(reverse("web:certificate_pdf", args=[issuance.reference]))
    content = page.request.get(pdf_url).body()
    text = pdf_text(content)
    assert "Corinne Chevalerias" in text and "Exonération du ticket modérateur" in text
    assert "Adrik" not in text and "Nikita" not in text


def test_web_unknown_address_asks_for_it_then_gives_the_document(page):
    user = family_user(npai=True)
    _open_rights_page(page, user)
    page.get_by_role("button", name="Valider").click()
    page.get_by_text("Merci de bien vouloir nous préciser votre nouvelle adresse").wait_for()
    audit(page)
    page.get_by_role("link", name="Je renseigne ma nouvelle adresse").click()
    page.get_by_role("button", name="Enregistrer mon adresse").click()
    page.get_by_text("Saisissez votre adresse (numéro et voie).").first.wait_for()
    audit(page)
    page.get_by_label("Numéro et libellé de la voie").fill("3 rue d'Echallon")
    page.get_by_label("Code postal").fill("01100")
    page.get_by_label("Commune").fill("Oyonnax")
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Enregistrer mon adresse").click()
    opened.value.close()
    page.get_by_text("s'est affichée dans une nouvelle fenêtre").wait_for()
    user.person.refresh_from_db()
    assert user.person.city == "Oyonnax"


def test_web_cannot_be_issued_shows_the_rejection(page):
    user = family_user(provisional=True)
    _open_rights_page(page, user)
    page.get_by_role("button", name="Valider").click()
    page.get_by_text("Nous ne pouvons satisfaire votre demande").wait_for()
    audit(page)
    assert not Issuance.objects.exists()


def test_web_no_open_rights_excluded_before_any_step(page):
    user = family_user(rights=False)
    _open_rights_page(page, user)
    page.get_by_text("Vous n'avez pas de droits ouverts").wait_for()
    assert page.get_by_role("button", name="Valider").count() == 0
    audit(page)


def test_web_daily_allowance_period_errors_then_verification(page):
    from tests.factories import PaymentFactory

    user = family_user()
    PaymentFactory(
        beneficiary=user.person,
        daily_allowance=True,
        care_date=dt.date(2026, 1, 5),
        period_end=dt.date(2026, 1, 20),
        paid_on=dt.date(2026, 1, 25),
    )
    login(page, user.username)
    page.goto("/mes-demarches/attestation-indemnites-journalieres/")
    page.get_by_role("button", name="Valider").click()
    page.get_by_text("Saisissez la date de début de la période.").first.wait_for()
    audit(page)
    page.get_by_label("Date de début de la période").fill("2026-01-01")
    page.get_by_label("Date de fin de la période").fill("2026-01-31")
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Valider").click()
    opened.value.close()
    page.get_by_text("s'est affichée dans une nouvelle fenêtre").wait_for()
    issuance = Issuance.objects.get()

    page.goto(f"/verifier/{issuance_qr_code(issuance)}/")
    page.get_by_text("Document authentique").wait_for()
    audit(page)
    page.goto("/verifier/")
    page.get_by_label("Référence du document").fill(
        issuance.reference[:-1] + ("0" if issuance.reference[-1] != "0" else "1")
    )
    page.get_by_role("button", name="Vérifier").click()
    page.get_by_text("Aucun document ne porte cette référence.").wait_for()
    audit(page)


@pytest.fixture
def kiosk(page, live_server):
    """The browser is a kiosk enrolled by the IT team: it holds the device cookie."""
    _, secret = enrolled_kiosk()
    host = urlsplit(live_server.url).hostname
    page.context.add_cookies(
        [{"name": kiosk_cookie_name(), "value": secret, "domain": host, "path": "/borne/"}]
    )


def _kiosk_sign_in(page, card):
    page.goto("/borne/")
    page.get_by_label("Numéro de série de la carte Vitale").fill(card.serial_number)
    page.get_by_label("Date de naissance").fill("20/05/1970")
    page.get_by_role("button", name="Valider").click()


def _pdf_frame_loaded(page, reference) -> bool:
    page.wait_for_function("() => window.frames.length === 1")
    # The frame starts empty and then navigates to the PDF: wait for it, 5 seconds at most.
    for _ in range(50):
        if any(f"/borne/documents/{reference}/pdf/" in f.url for f in page.frames[1:]):
            break
        page.wait_for_timeout(100)
    return any(f"/borne/documents/{reference}/pdf/" in f.url for f in page.frames[1:])


def test_kiosk_whole_journey_with_confirm_active_only_once_answered(page, kiosk):
    user = family_user(rights={"ticket_moderateur_exemption": True})
    card = CardFactory(person=user.person)
    page.goto("/borne/")
    audit(page)
    _kiosk_sign_in(page, card)
    page.get_by_role("link", name="Mon attestation de droits").click()
    confirm = page.get_by_role("button", name="Confirmer")
    assert confirm.is_disabled()
    audit(page)
    page.get_by_text("L'ensemble des bénéficiaires").click()
    assert confirm.is_enabled()
    confirm.click()
    page.get_by_text("Souhaitez-vous ajouter pour").wait_for()
    # The text shows before the page's last script has run: wait for it to disable the button.
    expect(page.get_by_role("button", name="Confirmer")).to_be_disabled()
    audit(page)
    page.get_by_text("OUI", exact=True).click()
    page.get_by_role("button", name="Confirmer").click()
    page.get_by_text("Votre attestation est prête").wait_for()
    audit(page)
    issuance = Issuance.objects.get()
    assert issuance.channel == "kiosk"
    page.get_by_role("link", name="Afficher et imprimer mon attestation").click()
    # The frame's own request first: the live server's SQLite is shared by its threads.
    assert _pdf_frame_loaded(page, issuance.reference)
    src = page.locator("iframe#kiosk-document").get_attribute("src")
    response = page.request.get(src)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF"), len(body)
    text = pdf_text(body)
    assert "Adrik Reglain" in text and "Exonération du ticket modérateur" in text


def test_kiosk_refuses_a_lost_card(page, kiosk):
    user = family_user()
    card = CardFactory(person=user.person, status="lost")
    _kiosk_sign_in(page, card)
    page.get_by_text("Cette carte Vitale ne peut pas être utilisée").wait_for()
    audit(page)


def test_kiosk_idle_timeout_returns_to_the_start_screen(page, kiosk, settings):
    settings.KIOSK_IDLE_SECONDS = 2
    user = family_user()
    _kiosk_sign_in(page, CardFactory(person=user.person))
    page.get_by_role("link", name="Mon attestation de droits").wait_for()
    page.get_by_text("Votre session a été fermée après une période sans activité").wait_for(
        timeout=8_000
    )
    audit(page)
    page.goto("/borne/services/")
    page.get_by_label("Numéro de série de la carte Vitale").wait_for()


def test_kiosk_document_is_shown_in_a_kiosk_page_with_the_idle_timeout(page, kiosk, settings):
    """A7: the attestation opens inside the kiosk's page; idle, a warning, then the start."""
    settings.KIOSK_IDLE_SECONDS = 6  # the warning comes 3 seconds before the end
    user = family_user()
    _kiosk_sign_in(page, CardFactory(person=user.person))
    page.get_by_role("link", name="Mon attestation de droits").click()
    page.get_by_text("L'ensemble des bénéficiaires").click()
    page.get_by_role("button", name="Confirmer").click()
    page.get_by_role("link", name="Afficher et imprimer mon attestation").click()
    reference = Issuance.objects.get().reference
    frame = page.locator("iframe#kiosk-document")
    assert frame.get_attribute("title") == f"Attestation de droits, référence {reference}"
    # Chromium's viewer opens at the frame's width, without the page thumbnails.
    assert frame.get_attribute("src") == f"/borne/documents/{reference}/pdf/#navpanes=0&view=FitH"
    # The browser loads the PDF in the frame (its CSP and X-Frame-Options allow this page).
    assert _pdf_frame_loaded(page, reference)
    assert page.get_by_role("button", name="Accueil — terminer").is_visible()
    audit(page)
    warning = page.get_by_role("alert").filter(has_text="votre session se termine")
    warning.wait_for()
    audit(page)
    with page.expect_response("**/borne/activite/") as activity:
        page.get_by_role("button", name="Continuer").click()
    assert activity.value.status == 204  # the server keeps the session too
    warning.wait_for(state="hidden")
    assert page.url.endswith(f"/borne/documents/{reference}/afficher/")
    page.get_by_text("Votre session a été fermée après une période sans activité").wait_for(
        timeout=10_000
    )
    assert page.request.get(f"/borne/documents/{reference}/pdf/").url.endswith("/borne/")
