"""A kiosk's browser in the office: refused until the IT team enrols it, then a kiosk (A7)."""

import pytest

from guichet.terminals import services
from tests.browser.conftest import audit
from tests.certificates.helpers import family_user
from tests.factories import CardFactory
from tests.terminals.helpers import kiosk_cookie_name

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_kiosk_is_refused_until_enrolled_with_its_one_time_code(page, live_server):
    page.goto("/borne/")
    page.get_by_role("heading", name="Cette borne n'est pas enregistrée").wait_for()
    assert page.get_by_label("Numéro de série de la carte Vitale").count() == 0
    audit(page)

    enrolment = services.kiosk_enrol(name="Accueil Paris 11", by=None)
    page.goto("/borne/" + enrolment.link.split("/borne/", 1)[1])  # the link, on this server
    assert page.get_by_label("Code d'enregistrement").input_value() == enrolment.code
    audit(page)
    page.get_by_role("button", name="Enregistrer cette borne").click()
    page.get_by_text("Cette borne est enregistrée sous le nom « Accueil Paris 11 »").wait_for()
    audit(page)
    (cookie,) = [c for c in page.context.cookies() if c["name"] == kiosk_cookie_name()]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/borne/"

    page.get_by_role("link", name="Ouvrir l'écran d'accueil de la borne").click()
    card = CardFactory(person=family_user().person)
    page.get_by_label("Numéro de série de la carte Vitale").fill(card.serial_number)
    page.get_by_label("Date de naissance").fill("20/05/1970")
    page.get_by_role("button", name="Valider").click()
    page.get_by_role("link", name="Mon attestation de droits").wait_for()


def test_a_used_enrolment_code_is_refused_with_a_french_message(page):
    enrolment = services.kiosk_enrol(name="Accueil Lyon", by=None)
    services.kiosk_install(code=enrolment.code, ip="127.0.0.1")
    page.goto("/borne/enregistrement/")
    page.get_by_role("button", name="Enregistrer cette borne").click()
    page.get_by_text("Saisissez le code d'enregistrement de la borne.").first.wait_for()
    audit(page)
    page.get_by_label("Code d'enregistrement").fill(enrolment.code)
    page.get_by_role("button", name="Enregistrer cette borne").click()
    page.get_by_text("Ce code d'enregistrement n'est pas valide ou a expiré").wait_for()
    audit(page)
    page.goto("/borne/")
    page.get_by_role("heading", name="Cette borne n'est pas enregistrée").wait_for()
