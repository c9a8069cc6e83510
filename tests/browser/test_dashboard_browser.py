"""The dashboard in a browser: every tab, « Mes informations » of a dependant, code change,
messages, notifications; axe-core audits each page (WCAG 2.1 A/AA)."""

import pytest

from guichet.notifications.models import Notification
from guichet.notifications.services import message_post, notification_post
from tests.browser.conftest import audit, header, login
from tests.web.factories import family_account

pytestmark = pytest.mark.django_db(transaction=True)

TABS = ["Mes paiements", "Mes démarches", "Mon espace prévention", "Mes informations"]


def test_dashboard_tabs_information_switch_code_and_messages(page):
    user = family_account(dependants=2, payments=25)
    notification = notification_post(
        recipient=user,
        title="Mes paiements",
        body="Un ou plusieurs paiement(s) sont à télécharger et à transmettre à votre organisme complémentaire.",
    )
    message_post(
        recipient=user, subject="Vaccinez-vous contre la grippe", body="Bonjour,\nÀ bientôt."
    )
    login(page, user.username)
    page.get_by_role("heading", name="Mes derniers paiements").wait_for()
    audit(page)

    page.get_by_role("button", name="Marquer comme lue : Mes paiements").click()
    page.get_by_role("heading", name="Mes derniers paiements").wait_for()
    assert page.get_by_role("button", name="Marquer comme lue : Mes paiements").count() == 0
    notification.refresh_from_db()
    assert notification.read_at is not None
    audit(page)

    def nav():  # at 320 px the account's navigation is in the header's « Menu »
        return header(page).get_by_role("navigation", name="Menu du compte")

    for tab in TABS:
        nav().get_by_role("link", name=tab).click()
        page.get_by_role("heading", level=1, name=tab).wait_for()
        audit(page)

    nav().get_by_role("link", name="Mes paiements").click()
    page.get_by_role("link", name="Page suivante").click()
    page.get_by_text("page 2 sur 2", exact=False).wait_for()
    page.get_by_label("Bénéficiaire").select_option(label=f"Enfant0 {user.person.last_name}")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_text("pour le bénéficiaire choisi", exact=False).wait_for()
    audit(page)

    nav().get_by_role("link", name="Mes informations").click()
    switch = page.get_by_role("navigation", name="Bénéficiaires de la famille")
    switch.get_by_role("link", name="Enfant1").click()
    page.get_by_role("heading", level=2, name="Enfant1").wait_for()
    assert page.get_by_role("heading", name="Mes coordonnées").count() == 0
    audit(page)

    switch.get_by_role("link", name=user.person.first_names).click()
    page.get_by_role("link", name="Mon code personnel").click()
    page.get_by_role("heading", level=1, name="Mon code personnel").wait_for()
    audit(page)
    page.get_by_label("Code personnel actuel").fill("Mauvais-Code-1")
    page.get_by_label("Nouveau code personnel", exact=False).first.fill("abc")
    page.get_by_label("Confirmation du nouveau code personnel").fill("abc")
    page.get_by_role("button", name="Enregistrer mon nouveau code").click()
    page.get_by_text("Le code personnel actuel est incorrect.").first.wait_for()
    audit(page)

    nav().get_by_role("link", name="Ma messagerie").click()
    page.get_by_role("heading", level=1, name="Ma messagerie").wait_for()
    audit(page)
    page.get_by_role("link", name="Vaccinez-vous contre la grippe").click()
    page.get_by_role("heading", level=1, name="Vaccinez-vous contre la grippe").wait_for()
    audit(page)
    assert "non lu" not in nav().inner_text()
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
