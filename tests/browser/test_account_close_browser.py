"""« Résilier mon compte ameli » walked as a person would (rule G4), every page audited."""

import pytest
from playwright.sync_api import expect

from guichet.accounts.models import User
from tests.browser.conftest import audit, header, login
from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_close_with_a_wrong_code_then_the_right_one_then_sign_in_fails(page):
    user = InsuredUserFactory()
    nir = user.username
    login(page, nir)
    header(page).get_by_role("link", name="Mes informations").first.click()
    page.get_by_role("link", name="Résilier mon compte ameli").click()
    expect(page.get_by_role("heading", name="Résilier mon compte ameli", level=1)).to_be_visible()
    audit(page)
    page.get_by_role("button", name="Résilier mon compte").click()
    expect(page.get_by_text("Saisissez votre code personnel.").first).to_be_visible()
    expect(
        page.get_by_text(
            "Cochez « Je confirme vouloir résilier mon compte ameli » pour résilier."
        ).first
    ).to_be_visible()
    audit(page)
    page.get_by_label("Code personnel").fill("Mauvais-Code1")
    page.locator("label", has_text="Je confirme vouloir résilier mon compte ameli").click()
    page.get_by_role("button", name="Résilier mon compte").click()
    expect(page.get_by_text("Le code personnel saisi est incorrect.").first).to_be_visible()
    expect(page.get_by_label("Je confirme vouloir résilier mon compte ameli")).to_be_checked()
    page.get_by_label("Code personnel").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Résilier mon compte").click()
    expect(page.get_by_role("heading", name="Votre compte est résilié")).to_be_visible()
    audit(page)
    assert User.objects.get(pk=user.pk).closed_at is not None
    login(page, nir)
    expect(
        page.get_by_text("Numéro de sécurité sociale ou code personnel incorrect.")
    ).to_be_visible()
