"""Browser tests: Playwright drives Debian's chromium; axe-core audits every page visited.

Every test that uses `page` or `nojs_page` runs twice, at 1280 px ("desktop") and at 320 px
("phone", issue 14): `audit` also checks that nothing scrolls sideways, and the first sign-in
of each browser context checks the header's « Menu » at 320 px.
"""

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Locator, Page, expect, sync_playwright

from tests.factories import DEFAULT_PASSWORD

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("GUICHET_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 320, "height": 640}}
# The DSFR's « lg » breakpoint: below it the header's tools and navigation are behind « Menu ».
HEADER_MENU_BELOW = 992


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(live_server):
    # Depends on the live server so that it is torn down after the browser: Chromium's
    # keep-alive connections end while the server still shares its SQLite connection with
    # its request threads (else a request thread closes it after `live_server` stopped).
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium introuvable ({CHROMIUM}) : lancez `make test`, qui l'installe.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> dict[str, int]:
    """The screen of the journey: each test runs at both widths, unless it narrows the choice
    with `@pytest.mark.parametrize("viewport", ["phone"], indirect=True)`."""
    return VIEWPORTS[request.param]


@pytest.fixture
def page(browser, live_server, viewport):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris", viewport=viewport
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def nojs_page(browser, live_server, viewport):
    """A page whose scripts do not run: the service must work without JavaScript."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        java_script_enabled=False,
        viewport=viewport,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


class AxeViolations(AssertionError):
    pass


class SidewaysScroll(AssertionError):
    pass


# The element that reaches furthest right outside the screen, not counting those inside a box
# that clips or scrolls its own content (a DSFR table scrolls inside its container); when only
# text overflows, the deepest element whose content is wider than its box.
WIDEST_OVERFLOW_JS = """() => {
    const screen = window.innerWidth;
    const page = document.documentElement.scrollWidth;
    if (page <= screen) return null;
    // Only the boxes of its containing-block chain clip an element: an absolutely positioned
    // one (a screen-reader text) skips the boxes that are not positioned.
    const clipped = (element) => {
        let position = getComputedStyle(element).position;
        if (position === "fixed") return true;
        for (let a = element.parentElement; a && a !== document.body; a = a.parentElement) {
            const style = getComputedStyle(a);
            if (position === "absolute" && style.position === "static") continue;
            if (style.overflowX !== "visible") return true;
            position = style.position;
            if (position === "fixed") return true;
        }
        return false;
    };
    const describe = (e) => {
        const classes = [...e.classList].map((c) => "." + c).join("");
        const text = (e.innerText || e.getAttribute("alt") || "").trim().replace(/\\s+/g, " ");
        return `<${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${classes}> « ${text.slice(0, 60)} »`;
    };
    let widest = null;
    let right = screen;
    for (const e of document.body.querySelectorAll("*")) {
        const r = e.getBoundingClientRect();
        if (r.right > right + 0.5 && !clipped(e)) { widest = e; right = r.right; }
    }
    if (widest === null) {
        for (const e of document.body.querySelectorAll("*")) {
            if (e.scrollWidth > e.clientWidth + 1 && !clipped(e)) widest = e;
        }
    }
    return {page, screen, right: Math.round(right), element: widest ? describe(widest) : "?"};
}"""


def assert_no_sideways_scroll(page: Page) -> None:
    """Issue 14: the page is no wider than the screen; else name its widest element."""
    overflow = page.evaluate(WIDEST_OVERFLOW_JS)
    if overflow:
        raise SidewaysScroll(
            f"{page.url} : la page défile horizontalement à {overflow['screen']} px (largeur "
            f"{overflow['page']} px) ; élément le plus large : {overflow['element']}, "
            f"bord droit à {overflow['right']} px"
        )


def audit(page: Page) -> None:
    """Run axe-core on the current page: zero violations of WCAG 2.1 A/AA, and nothing that
    scrolls sideways (issue 14: at 320 px the page fits the screen)."""
    # Wait for running transitions (a DSFR dialog fading in): mid-fade, text has low contrast.
    page.wait_for_function(
        """() => document.getAnimations().every(
            (a) => a.playState !== "running" || a.effect.getTiming().iterations === Infinity
        )"""
    )
    page.evaluate(AXE_PATH.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
    if violations:
        raise AxeViolations(f"{page.url} : " + json.dumps(violations, ensure_ascii=False, indent=1))
    assert_no_sideways_scroll(page)


def header_menu_collapsed(page: Page) -> bool:
    return page.viewport_size["width"] < HEADER_MENU_BELOW


def header(page: Page) -> Locator:
    """Where the header's tools and the account's navigation are on screen: in the header at
    1280 px; at 320 px in the menu that « Menu » opens (or, without JavaScript, in the page)."""
    if page.locator("html[data-fr-js]").count() == 0:
        return page.locator("header")
    if not header_menu_collapsed(page):
        # The « Menu » dialog repeats the tools (`fr-header__menu-links`), hidden at this width
        # once the page's style applies: wait for that, so that the copy never makes a second
        # match of « Me déconnecter » while the page settles (seen once in CI). A click that
        # navigates returns once the new page commits; its style is applied at "load".
        page.wait_for_load_state("load")
        expect(page.locator("header .fr-header__menu-links")).to_be_hidden()
        return page.locator("header")
    page.get_by_role("button", name="Menu", exact=True).click()
    menu = page.get_by_role("dialog", name="Menu")
    expect(menu).to_be_visible()
    return menu


def sign_out(page: Page) -> None:
    header(page).get_by_role("button", name="Me déconnecter").click()


def check_header_menu(page: Page) -> None:
    """Issue 14, at 320 px: « Menu » opens the header's menu, where « Me déconnecter » is
    visible and reached with the keyboard; « Fermer » closes it. Without JavaScript the menu
    is in the page, and so is « Me déconnecter »."""
    if page.locator("html[data-fr-js]").count() == 0:
        expect(page.get_by_role("button", name="Menu", exact=True)).to_have_count(0)
        logout = page.get_by_role("button", name="Me déconnecter")
        expect(logout).to_be_visible()
        logout.focus()
        expect(logout).to_be_in_viewport()
        return
    button = page.get_by_role("button", name="Menu", exact=True)
    expect(button).to_be_visible()
    expect(page.get_by_role("button", name="Me déconnecter")).to_have_count(0)  # behind « Menu »
    button.click()
    menu = page.get_by_role("dialog", name="Menu")
    logout = menu.get_by_role("button", name="Me déconnecter")
    expect(logout).to_be_visible()
    for _ in range(20):  # the dialog keeps the focus inside: Tab reaches every control in it
        if logout.evaluate("(button) => button === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(logout).to_be_focused()
    expect(logout).to_be_in_viewport()
    audit(page)
    menu.get_by_role("button", name="Fermer").click()
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()
    # The journey goes on as if the menu had not been opened: the next Tab starts at the top.
    page.evaluate(
        """() => {
            const root = document.documentElement;
            root.tabIndex = -1;
            root.focus();
            root.blur();
            root.removeAttribute("tabindex");
        }"""
    )


def _check_header_menu_once(page: Page, logout_path: str) -> None:
    """At 320 px, the first page of each browser context that is signed in (it carries the
    logout form) checks the header's menu: once per journey and per person."""
    context = page.context
    if not header_menu_collapsed(page) or getattr(context, "guichet_menu_checked", False):
        return
    page.wait_for_load_state()
    if page.locator(f"form[action='{logout_path}']").count() == 0:
        return  # not signed in: a refusal, or an account that waits for its activation
    check_header_menu(page)
    context.guichet_menu_checked = True


def login(page: Page, nir: str, code: str = DEFAULT_PASSWORD) -> None:
    page.goto("/connexion/")
    page.get_by_label("Numéro de sécurité sociale").fill(nir)
    page.get_by_label("Code personnel").fill(code)
    page.get_by_role("button", name="Me connecter").click()
    _check_header_menu_once(page, "/deconnexion/")


def agent_code(username: str) -> str:
    """The code the agent's authenticator application shows: the current one, or the next one
    when the current one was already used (django-otp accepts each code once)."""
    device = TOTPDevice.objects.get(user__username=username)
    current = int(time.time()) // device.step
    ahead = max(0, device.last_t + 1 - current)
    return f"{totp(device.bin_key, step=device.step, t0=-ahead * device.step):06d}"


def claim_case(page: Page) -> None:
    """« Prendre en charge » on a case's page, then wait until the page it leads to is styled:
    a click that navigates returns once the new page commits, and a radio checked before the
    style applies is clicked where it no longer is (seen once in CI at 320 px)."""
    page.get_by_role("button", name="Prendre en charge").click()
    page.get_by_role("button", name="Remettre dans la file").wait_for()
    page.wait_for_load_state("load")


def agent_sign_in(page: Page, username: str, password: str = DEFAULT_PASSWORD) -> None:
    """The agents' two login steps: password, then the second-factor code."""
    page.goto("/agents/connexion/")
    page.get_by_label("Identifiant agent").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Me connecter").click()
    page.get_by_role("heading", name="Connexion des agents : code de vérification").wait_for()
    audit(page)
    page.get_by_label("Code de vérification").fill(agent_code(username))
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(lambda url: "/agents/connexion/" not in url)
    _check_header_menu_once(page, "/agents/deconnexion/")
