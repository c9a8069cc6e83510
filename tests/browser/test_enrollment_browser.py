"""Account creation in a browser (rules C1-C9): both ways from the login page to an activated
account, the refusals, and the day-7 link (a new address with the holder's proof, issue 13);
axe-core audits every page visited."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from guichet.accounts.models import User
from guichet.enrollment.services import unconfirmed_addresses_delete
from guichet.notifications.models import OutboundEmail
from guichet.reference.enums import CardStatus, NirStatus
from tests.browser.conftest import audit, header, login
from tests.enrollment.factories import GOOD_CODE, PROOF, dubois, eligible_person
from tests.factories import CardFactory, FamilyFactory, PersonFactory, SchemeFactory
from tests.fcsandbox.registration import register_sandbox_client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fc(settings, live_server):
    settings.FC_DISCOVERY_URL = (
        f"{live_server.url}/sandbox/franceconnect/.well-known/openid-configuration"
    )
    register_sandbox_client(settings, live_server.url)


def _link_path() -> str:
    body = OutboundEmail.objects.order_by("-pk").first().body_text
    return re.search(r"https?://[^/\s]+(/creer-mon-compte/email/\S+/)", body).group(1)


def fill_identity(page, person):
    page.goto("/creer-mon-compte/carte-vitale/")
    page.get_by_label("Mon nom").fill(person.last_name)
    page.get_by_label("Mon n° de sécurité sociale").fill(person.nir)
    page.get_by_label("Ma date de naissance").fill(person.birth_date.strftime("%d/%m/%Y"))
    page.get_by_label("Mon code postal").fill(person.postal_code)
    page.get_by_role("button", name="Valider").click()


def fill_proof(page):
    page.get_by_label("7 derniers caractères de votre IBAN").fill(PROOF["iban_end"])
    page.get_by_label("11 derniers chiffres").fill(PROOF["serial_end"])
    page.get_by_role("button", name="Valider").click()


def _choose_code_and_contact(page, email):
    page.get_by_role("heading", name="Je choisis mon code personnel", level=1).wait_for()
    audit(page)
    # C5 refusal, shown on submit without relying on JavaScript.
    page.get_by_role("textbox", name="Mon nouveau code", exact=True).fill("motdepasse")
    page.get_by_label("Confirmer mon nouveau code").fill("motdepasse")
    page.get_by_role("button", name="Valider").click()
    page.get_by_text("au moins une lettre majuscule").first.wait_for()
    audit(page)
    page.get_by_role("textbox", name="Mon nouveau code", exact=True).fill(GOOD_CODE)
    # The live « Niveau indicatif de sécurité » (JavaScript enhancement).
    page.locator("#strength-label").filter(has_text=re.compile("Bon|Très bon")).wait_for()
    page.get_by_label("Confirmer mon nouveau code").fill(GOOD_CODE)
    page.get_by_role("button", name="Valider").click()
    page.get_by_role("heading", name="Mes coordonnées", level=1).wait_for()
    audit(page)
    page.get_by_label("Mon téléphone portable").fill("0612")
    page.get_by_label("Mon adresse email").fill(email)
    page.get_by_role("button", name="Valider").click()
    page.get_by_text("commencer par 06 ou 07").first.wait_for()
    audit(page)
    page.get_by_label("Mon téléphone portable").fill("06 12 34 56 78")
    page.get_by_text("J'accepte de recevoir des informations").click()
    page.get_by_role("button", name="Valider").click()
    page.get_by_role("heading", name="Validation de mon email", level=1).wait_for()
    page.get_by_text("Pour finaliser la création de votre compte").wait_for()
    audit(page)


def _activate_and_login(page, nir):
    page.goto(_link_path())
    page.get_by_role("heading", name="Mon compte est activé").wait_for()
    audit(page)
    login(page, nir, GOOD_CODE)
    header(page).get_by_role("button", name="Me déconnecter").wait_for()
    audit(page)


def test_way_1_carte_vitale_and_iban_to_an_activated_account(page):
    person = eligible_person()
    page.goto("/")
    page.get_by_role("heading", name="J'accède à mon compte").wait_for()
    audit(page)
    page.get_by_role("link", name="Je crée mon compte").click()
    page.get_by_role("heading", name="Je crée mon compte ameli").wait_for()
    audit(page)
    page.get_by_role("link", name="Je crée mon compte avec ma carte Vitale").click()
    audit(page)
    page.get_by_label("Mon nom").fill(person.last_name)
    page.get_by_label("Mon n° de sécurité sociale").fill(person.nir)
    page.get_by_label("Ma date de naissance").fill(person.birth_date.strftime("%d/%m/%Y"))
    page.get_by_label("Mon code postal").fill("75001")
    page.get_by_role("button", name="Valider").click()
    page.get_by_text("ne permettent pas de vous identifier").wait_for()
    audit(page)
    page.get_by_label("Mon code postal").fill(person.postal_code)
    page.get_by_role("button", name="Valider").click()
    page.get_by_text("FR76 3000 6").wait_for()
    audit(page)
    page.get_by_label("7 derniers caractères de votre IBAN").fill(PROOF["iban_end"])
    page.get_by_label("11 derniers chiffres").fill("00000000000")
    page.get_by_role("button", name="Valider").click()
    page.get_by_text("ne correspondent pas à celles connues").wait_for()
    audit(page)
    fill_proof(page)
    _choose_code_and_contact(page, "marie.test@exemple.fr")
    assert not User.objects.get(person=person).is_active
    _activate_and_login(page, person.nir)


def test_way_1_refusals_lead_to_the_two_ways_out(page):
    person = eligible_person()
    person.iban = ""
    person.save()
    fill_identity(page, person)
    page.get_by_text("Nous ne disposons pas de vos coordonnées bancaires").wait_for()
    page.get_by_text("Contactez votre caisse d'assurance maladie").wait_for()
    audit(page)


def test_no_serial_number_offers_the_ways_out(page):
    person = eligible_person()
    fill_identity(page, person)
    page.get_by_role("link", name="Je ne dispose pas du numéro de série de ma carte Vitale").click()
    page.get_by_text("Créez votre compte avec FranceConnect").wait_for()
    audit(page)


def test_way_2_franceconnect_to_an_activated_account(page, fc):
    person = dubois()
    page.goto("/")
    page.get_by_role("button", name="S’identifier avec FranceConnect").click()
    page.get_by_role("heading", name="FranceConnect — bac à sable").wait_for()
    audit(page)
    page.get_by_text("Angela Claire Louise DUBOIS").click()
    page.get_by_role("button", name="Continuer sur le site").click()
    _choose_code_and_contact(page, "angela.test@exemple.fr")
    _activate_and_login(page, person.nir)


def test_way_2_no_match_is_explained(page, fc):
    page.goto("/creer-mon-compte/")
    page.get_by_role("button", name="S’identifier avec FranceConnect").click()
    page.get_by_text("Pierre MERCIER").click()
    page.get_by_role("button", name="Continuer sur le site").click()
    page.get_by_text("ne correspond à aucun assuré").wait_for()
    audit(page)


def test_link_after_day_7_offers_the_two_choices(page, django_capture_on_commit_callbacks):
    person = eligible_person()
    start = timezone.now()
    fill_identity(page, person)
    fill_proof(page)
    _choose_code_and_contact(page, "tardif@exemple.fr")
    link = _link_path()
    with time_machine.travel(start + dt.timedelta(days=7, minutes=5)):
        page.goto(link)
        page.get_by_role("heading", name="Le lien n'est plus actif").wait_for()
        audit(page)
        page.get_by_label("Mon adresse email").fill("nouvelle.adresse@exemple.fr")
        # Issue 13: a new address only with the holder's proof; a wrong one is refused.
        page.get_by_role("button", name="Renvoyer le lien à cette adresse").click()
        page.get_by_text("prouvez que vous êtes le titulaire du compte").first.wait_for()
        audit(page)
        page.get_by_role("radio", name="Avec mon code personnel").check(force=True)
        page.get_by_label(re.compile(r"^Mon code personnel")).fill("Faux-Code-2026")
        page.get_by_role("button", name="Renvoyer le lien à cette adresse").click()
        page.get_by_text("Le code personnel saisi est incorrect.").first.wait_for()
        audit(page)
        assert page.get_by_label("Mon adresse email").input_value() == (
            "nouvelle.adresse@exemple.fr"
        )
        page.get_by_role("radio", name="Avec ma carte Vitale et mon IBAN").check(force=True)
        page.get_by_label("11 derniers chiffres").fill(PROOF["serial_end"])
        page.get_by_label("7 derniers caractères de votre IBAN").fill(PROOF["iban_end"])
        page.get_by_role("button", name="Renvoyer le lien à cette adresse").click()
        page.get_by_role("heading", name="Validation de mon email", level=1).wait_for()
        audit(page)
        notice = OutboundEmail.objects.get(category="email_changed")
        assert (
            notice.to == "tardif@exemple.fr" and "n•••••••••••••••@exemple.fr" in notice.body_text
        )
        _activate_and_login(page, person.nir)
    assert User.objects.get(person=person).email == "nouvelle.adresse@exemple.fr"


def test_every_c4_refusal_is_explained_with_the_ways_out(page):
    no_card = PersonFactory(postal_code="63000")
    failed = PersonFactory(postal_code="63000")
    CardFactory(person=failed, status=CardStatus.TRANSFER_FAILED)
    cases = [
        (eligible_person(nir_status=NirStatus.PROVISIONAL, serial="1" * 20), "provisoire"),
        (no_card, "Vous ne disposez pas d'une carte Vitale active."),
        (failed, "La mutation de votre carte Vitale"),
        (
            eligible_person(
                family=FamilyFactory(scheme=SchemeFactory(other=True)), serial="2" * 20
            ),
            "Votre régime d'assurance maladie ne permet pas",
        ),
    ]
    for person, message in cases:
        fill_identity(page, person)
        page.locator("#exclusion-reason").filter(has_text=message).wait_for()
        page.get_by_text("Contactez votre caisse d'assurance maladie").wait_for()
        audit(page)


def test_every_c5_refusal_names_the_broken_rule(page):
    person = eligible_person()
    fill_identity(page, person)
    fill_proof(page)
    refusals = [
        ("Ab1-", "entre 8 et 50 caractères"),
        ("SOLEIL-VERT-2026", "au moins une lettre minuscule"),
        ("SoleilVertJaune", "un chiffre ou un caractère spécial"),
        ("Soleil Vert 2026", "caractères non autorisés"),
        (f"Abc-{person.nir[:6]}", "ne doit pas contenir votre numéro de sécurité sociale"),
        ("Password1", "les plus utilisés"),
    ]
    for code, message in refusals:
        page.get_by_role("textbox", name="Mon nouveau code", exact=True).fill(code)
        page.get_by_label("Confirmer mon nouveau code").fill(code)
        page.get_by_role("button", name="Valider").click()
        page.get_by_text(message).first.wait_for()
        audit(page)


def test_login_after_day_21_asks_for_a_valid_address(page):
    person = eligible_person()
    start = timezone.now()
    fill_identity(page, person)
    fill_proof(page)
    _choose_code_and_contact(page, "oubliee@exemple.fr")
    with time_machine.travel(start + dt.timedelta(days=21, minutes=5)):
        unconfirmed_addresses_delete()
        assert User.objects.get(person=person).email == ""
        login(page, person.nir, GOOD_CODE)
        page.get_by_role("heading", name="Je saisis une adresse email valide").wait_for()
        audit(page)
        page.get_by_label("Mon adresse email").fill("valide@exemple.fr")
        page.get_by_role("radio", name="Avec mon code personnel").check(force=True)
        page.get_by_label(re.compile(r"^Mon code personnel")).fill(GOOD_CODE)
        page.get_by_role("button", name="Recevoir un nouveau lien").click()
        page.get_by_role("heading", name="Validation de mon email", level=1).wait_for()
        _activate_and_login(page, person.nir)
