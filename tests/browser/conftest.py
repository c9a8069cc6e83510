"""Browser tests: Playwright drives Debian's chromium; axe-core audits every page visited."""

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, sync_playwright

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


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def nojs_page(browser, live_server):
    """A page whose scripts do not run: the service must work without JavaScript."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        java_script_enabled=False,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


class AxeViolations(AssertionError):
    pass


def audit(page: Page) -> None:
    """Run axe-core on the current page: zero violations of WCAG 2.1 A/AA."""
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


def login(page: Page, nir: str, code: str = DEFAULT_PASSWORD) -> None:
    page.goto("/connexion/")
    page.get_by_label("Numéro de sécurité sociale").fill(nir)
    page.get_by_label("Code personnel").fill(code)
    page.get_by_role("button", name="Me connecter").click()


def agent_code(username: str) -> str:
    """The code the agent's authenticator application shows: the current one, or the next one
    when the current one was already used (django-otp accepts each code once)."""
    device = TOTPDevice.objects.get(user__username=username)
    current = int(time.time()) // device.step
    ahead = max(0, device.last_t + 1 - current)
    return f"{totp(device.bin_key, step=device.step, t0=-ahead * device.step):06d}"


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
