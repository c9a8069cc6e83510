import pytest

from tests.browser.conftest import audit, login
from tests.factories import InsuredUserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_insured_logs_in_and_sees_the_home_page(page):
    """G1, G2: login with NIR + code personnel, then the home page; both pages audited."""
    user = InsuredUserFactory()
    page.goto("/connexion/")
    audit(page)
    login(page, user.username)
    page.get_by_role("heading", name="Mes derniers paiements").wait_for()
    audit(page)
