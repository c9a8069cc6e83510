"""After a refused submit the error summary has the focus and leads to each field (issue 14)."""

import pytest

from tests.browser.conftest import audit

pytestmark = pytest.mark.django_db(transaction=True)


def test_error_summary_takes_the_focus_and_links_to_the_field(page):
    page.goto("/connexion/code-oublie/")
    page.get_by_role("button", name="Recevoir le lien").click()
    page.locator("#form-errors").wait_for()
    assert page.title().startswith("Erreur : ")
    assert page.evaluate("document.activeElement.id") == "form-errors"
    audit(page)
    page.locator("#form-errors a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_nir"
