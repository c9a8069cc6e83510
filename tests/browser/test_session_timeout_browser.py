"""The idle session's warning, « Rester connecté », and an expiry that keeps the draft (issue 14)."""

import pytest

from tests.browser.conftest import audit, login
from tests.factories import DEFAULT_PASSWORD
from tests.powers.test_web import PROXY
from tests.web.factories import family_account

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def short_session(settings):
    settings.SESSION_COOKIE_AGE = 10
    settings.GUICHET_SESSION_TOUCH_SECONDS = 0


def test_the_warning_extends_the_session_then_an_expiry_keeps_the_draft(page, short_session):
    user = family_account(dependants=0, payments=1)
    login(page, user.username)
    page.goto("/mes-demarches/procuration/mandataire/")
    page.locator("#id_civility").select_option("M")
    page.locator("#id_last_name").fill(PROXY["last_name"])
    page.locator("#id_first_name").fill(PROXY["first_name"])
    page.locator("#id_birth_date").fill(PROXY["birth_date"])

    dialog = page.get_by_role("alertdialog", name="Votre session va expirer")
    dialog.wait_for(timeout=12_000)
    audit(page)
    with page.expect_response("**/session/prolonger/") as extended:
        dialog.get_by_role("button", name="Rester connecté").click()
    assert extended.value.status == 204
    dialog.wait_for(state="hidden")

    # Nobody answers the next warning: the dialog says the session expired, the page stays.
    ended = page.get_by_role("alertdialog", name="Votre session a expiré")
    ended.wait_for(timeout=20_000)
    audit(page)
    ended.get_by_role("button", name="Revenir à ma saisie").click()
    page.get_by_role("button", name="Suivant").click()
    page.get_by_text("Votre session a expiré").wait_for()
    audit(page)
    page.get_by_label("Numéro de sécurité sociale").fill(user.username)
    page.get_by_label("Code personnel").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Me connecter").click()
    page.get_by_role("button", name="Envoyer à nouveau ce que j'avais saisi").click()
    page.get_by_text(PROXY["last_name"].upper()).first.wait_for()
    assert "recapitulatif" in page.url
