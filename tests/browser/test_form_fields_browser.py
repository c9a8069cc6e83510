"""Each field rendered by django-dsfr is described, for a screen reader, by its hint and its
error (issue 14, docs/decisions/forms-dsfr-rendering.md); « Afficher » shows the code personnel."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import audit

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_invalid_field_is_described_by_its_hint_then_its_error_and_keeps_what_was_typed(page):
    page.goto("/creer-mon-compte/carte-vitale/")
    nir = page.get_by_label("Mon n° de sécurité sociale")
    expect(nir).to_have_accessible_description(re.compile(r"^13 chiffres et la clé"))
    audit(page)
    page.get_by_label("Mon nom").fill("Dubois")
    nir.fill("1 84")
    page.get_by_label("Ma date de naissance").fill("31/02/1980")
    page.get_by_role("button", name="Valider").click()
    page.locator("#form-errors").wait_for()
    audit(page)
    expect(nir).to_have_accessible_description(
        re.compile(r"^13 chiffres et la clé.*comporte 13 caractères suivis d'une clé")
    )
    expect(nir).to_have_attribute("aria-invalid", "true")
    expect(nir).to_have_value("1 84")
    expect(page.get_by_label("Mon nom")).to_have_value("Dubois")
    expect(page.get_by_label("Mon code postal")).to_have_accessible_description(
        re.compile(r"^5 chiffres.*Saisissez votre code postal\.")
    )
    expect(page.get_by_label("Mon nom")).not_to_have_attribute("aria-invalid", "true")


def test_afficher_shows_the_code_personnel_typed(page):
    page.goto("/connexion/")
    code = page.get_by_label("Code personnel", exact=False).first
    code.fill("Secret-123")
    expect(code).to_have_attribute("type", "password")
    page.get_by_text("Afficher", exact=True).click()
    expect(code).to_have_attribute("type", "text")
    expect(code).to_have_value("Secret-123")
    audit(page)
