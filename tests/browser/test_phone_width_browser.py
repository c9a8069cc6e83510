"""At 320 px nothing scrolls sideways: the insured's pages and the agents' card review (issue 14)."""

import pytest

from guichet.cards import services as card_services
from tests.browser.conftest import agent_sign_in, audit, login
from tests.cards.factories import jpeg_bytes, png_bytes, upload
from tests.factories import AgentFactory, CardFactory, InsuredUserFactory
from tests.web.factories import family_account

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.parametrize("viewport", ["phone"], indirect=True),  # these checks are the phone's
]

PHONE = {"width": 320, "height": 640}
INSURED_PAGES = ["/", "/mes-paiements/", "/mes-demarches/", "/mes-informations/", "/ma-messagerie/"]


def assert_no_sideways_scroll(page):
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
            .filter((e) => !e.closest('.fr-table__content, .fr-header__menu:not(.fr-modal--opened)'))
            .map((e) => e.tagName + '.' + e.className).slice(0, 5)"""
    )
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1] and not overflow, (page.url, width, overflow)


def test_insured_pages_fit_a_320_px_screen(page):
    user = family_account(dependants=3, payments=25)
    page.set_viewport_size(PHONE)
    login(page, user.username)
    page.get_by_role("heading", name="Mes derniers paiements").wait_for()
    for path in INSURED_PAGES:
        page.goto(path)
        assert_no_sideways_scroll(page)
    audit(page)


def test_the_agents_card_review_fits_a_320_px_screen(page):
    user = InsuredUserFactory()
    card_services.card_declare(user=user, card=CardFactory(person=user.person), kind="stolen")
    order = card_services.card_order_start(user=user, beneficiary=user.person)
    card_services.card_order_attach_photo(order=order, upload=upload("p.jpg", jpeg_bytes()))
    # A landscape scan of the identity document: the widest image the review shows.
    card_services.card_order_attach_document(
        order=order,
        document_type="passport",
        upload=upload("d.png", png_bytes(1600, 1000), "image/png"),
    )
    order.refresh_from_db()
    order = card_services.card_order_submit(order=order, user=user)
    agent = AgentFactory(back_office=True, fund=order.beneficiary.family.fund)
    card_services.card_order_claim(order_id=order.pk, agent=agent)
    page.set_viewport_size(PHONE)
    agent_sign_in(page, agent.username)
    page.goto(f"/agents/cartes-vitale/{order.pk}/")
    page.get_by_role("heading", name="Photo d'identité").wait_for()
    page.wait_for_function("[...document.images].every((i) => i.complete)")
    assert_no_sideways_scroll(page)
    audit(page)
