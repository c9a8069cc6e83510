"""At 320 px the header's « Menu » opens the account menu and « Me déconnecter » (issue 14)."""

import pytest

from tests.browser.conftest import agent_sign_in, audit, login
from tests.factories import AgentFactory
from tests.web.factories import family_account

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.parametrize("viewport", ["phone"], indirect=True),  # these checks are the phone's
]

PHONE = {"width": 320, "height": 640}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_insured_menu_opens_at_320_px_and_logs_out(page):
    user = family_account(dependants=1, payments=3)
    page.set_viewport_size(PHONE)
    login(page, user.username)
    page.get_by_role("heading", name="Mes derniers paiements").wait_for()
    logout = page.get_by_role("button", name="Me déconnecter")
    assert not logout.first.is_visible()  # the tools are behind « Menu » on a phone
    assert no_sideways_scroll(page)
    audit(page)

    page.get_by_role("button", name="Menu").click()
    menu = page.get_by_role("dialog")
    menu.get_by_role("link", name="Mes informations").wait_for()
    audit(page)
    menu.get_by_role("link", name="Mes informations").click()
    page.get_by_role("heading", level=1, name="Mes informations").wait_for()

    page.get_by_role("button", name="Menu").click()
    page.get_by_role("dialog").get_by_role("button", name="Me déconnecter").click()
    page.get_by_role("button", name="Me connecter").wait_for()


def test_the_skip_link_reaches_the_menu_button_on_a_phone(page):
    user = family_account(dependants=0, payments=1)
    page.set_viewport_size(PHONE)
    login(page, user.username)
    page.get_by_role("heading", name="Mes derniers paiements").wait_for()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Menu du compte")
    assert skip.count() == 1 and skip.is_visible()
    skip.click()
    page.keyboard.press("Enter")
    page.get_by_role("dialog").get_by_role("link", name="Mes paiements").wait_for()


def test_agents_menu_opens_at_320_px(page, live_server):
    agent = AgentFactory(back_office=True)
    page.set_viewport_size(PHONE)
    agent_sign_in(page, agent.username)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("dialog").get_by_role("button", name="Me déconnecter").wait_for()
    audit(page)


def test_without_javascript_the_phone_menu_is_in_the_page(nojs_page):
    user = family_account(dependants=0, payments=1)
    nojs_page.set_viewport_size(PHONE)
    login(nojs_page, user.username)
    nav = nojs_page.get_by_role("navigation", name="Menu du compte")
    assert nav.get_by_role("link", name="Mes informations").is_visible()
    assert nojs_page.get_by_role("button", name="Me déconnecter").last.is_visible()
