"""Issue 14, rule C10: a login from the demo partner in a browser, as the README tells it:
the partner's button, the account's login and consent, the claims back at the partner, the
logout; axe-core audits every page visited."""

import io

import pytest

from guichet.interfaces.demopartner import demo
from guichet.interfaces.idp.models import PairwiseSubject
from tests.browser.conftest import audit
from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def partner(settings, live_server):
    settings.SITE_URL = live_server.url
    demo.seed(io.StringIO())


def test_a_person_signs_in_at_the_demo_partner(page, partner):
    user = InsuredUserFactory(person__first_names="Angela Claire", person__last_name="DUBOIS")
    page.goto("/partenaire-demo/")
    page.get_by_role("heading", name="Partenaire de démonstration", level=1).wait_for()
    audit(page)
    page.get_by_role("button", name="Se connecter avec mon compte").click()
    page.get_by_label("Numéro de sécurité sociale").fill(user.username)
    page.get_by_label("Code personnel").fill(DEFAULT_PASSWORD)
    audit(page)
    page.get_by_role("button", name="Me connecter").click()
    page.get_by_role("heading", name="Se connecter à Partenaire de démonstration").wait_for()
    audit(page)
    page.get_by_role("button", name="J'accepte de transmettre ces informations").click()
    page.get_by_role(
        "heading", name="Vous êtes connecté au partenaire de démonstration", level=1
    ).wait_for()
    audit(page)
    claims = page.locator("#claims")
    sub = PairwiseSubject.objects.get(person=user.person).sub
    assert (
        claims.get_by_role("row", name="Identifiant technique").get_by_role("cell").inner_text()
        == sub
    )
    assert claims.get_by_role("row", name="Prénoms").get_by_role("cell").inner_text() == (
        "Angela Claire"
    )
    page.get_by_role("link", name="Se déconnecter").click()
    page.get_by_role("button", name="Se connecter avec mon compte").wait_for()
    # The account's session ended too.
    page.goto("/")
    page.get_by_role("button", name="Me connecter").wait_for()
