"""« Espace d'échanges » in a real browser, both sides, at desktop and phone width, with axe-core
on every page (issue 19, rules ECH2, ECH3, ECH7, ECH8, ECH10): write with an attachment,
assign, note, answer, « lu » and the unread count, close, reopen (by an agent, by writing)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from guichet.core import clock
from guichet.exchanges.enums import ThreadSubject
from guichet.exchanges.models import Thread
from tests.browser.conftest import agent_sign_in, audit, header, login
from tests.cards.factories import pdf_bytes
from tests.factories import AgentFactory, InsuredUserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _agent_page(page, live_server, agent):
    context = page.context.browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport=page.viewport_size
    )
    agent_page = context.new_page()
    agent_sign_in(agent_page, agent.username)
    agent_page.get_by_role("heading", name="Espace agent").wait_for()
    return agent_page


def test_ech7_the_insured_writes_the_fund_answers(page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    prescription = tmp_path / "ordonnance.pdf"
    prescription.write_bytes(pdf_bytes())
    user = InsuredUserFactory(person__last_name="Moreau")
    login(page, user.username)
    page.goto("/ma-messagerie/")
    page.get_by_role("heading", name="Ma messagerie", level=1).wait_for()
    audit(page)
    page.get_by_role("link", name="Écrire à ma caisse").click()
    page.get_by_role("heading", name="Écrire à ma caisse", level=1).wait_for()
    audit(page)
    # ECH2: « Autre » without its subject: a clear message, the message kept.
    page.get_by_label("Objet de votre message").select_option("other")
    page.get_by_role("textbox", name="Votre message").fill(
        "Bonjour, ma cure thermale est-elle remboursée ?"
    )
    page.get_by_role("button", name="Envoyer mon message").click()
    page.get_by_text("précisez l'objet de votre message").first.wait_for()
    audit(page)
    assert "cure thermale" in page.get_by_role("textbox", name="Votre message").input_value()
    page.get_by_label("Précisez l'objet").fill("Cure thermale")
    page.get_by_label("Pièces jointes").set_input_files(str(prescription))
    page.get_by_role("button", name="Envoyer mon message").click()
    page.get_by_text("Votre message est envoyé à votre caisse").wait_for()
    page.get_by_role("link", name="ordonnance.pdf").wait_for()
    thread = Thread.objects.get()
    first = thread.messages.get()
    # ECH10: not yet opened by the fund
    expect(page.locator(f"#message-{first.pk}")).to_contain_text("Non lu")
    audit(page)

    agent = AgentFactory(back_office=True, fund=thread.fund, first_name="Lucie", last_name="Roux")
    insured_page, page = page, _agent_page(page, live_server, agent)
    agent_page = page
    page.get_by_role("link", name="Back-office : espace d'échanges avec les assurés").click()
    page.get_by_role("heading", name="Espace d'échanges — CPAM de Paris").wait_for()
    audit(page)
    page.get_by_label("Rechercher par NIR ou objet").fill(user.person.nir)
    page.get_by_role("button", name="Filtrer").click()
    audit(page)
    page.get_by_role("link", name=f"N° {thread.pk}").click()
    page.get_by_role("heading", name=f"Échange n° {thread.pk} — Cure thermale").wait_for()
    page.get_by_role("link", name="ordonnance.pdf").wait_for()  # ECH3: the insured's file
    audit(page)
    page.get_by_role("button", name="Me l'attribuer").click()
    page.get_by_text("Ce fil d'échanges vous est attribué.").wait_for()
    expect(page.locator("#thread-status")).to_have_text("Pris en charge")
    audit(page)
    page.get_by_label("Note interne").fill("Vérifier la prescription médicale.")
    page.get_by_role("button", name="Enregistrer la note").click()
    page.get_by_text("La note interne est enregistrée.").wait_for()
    audit(page)
    page.get_by_label("Réponse à l'assuré").fill("Bonjour, votre cure est prise en charge.")
    page.get_by_role("button", name="Envoyer la réponse").click()
    page.get_by_text("Votre réponse est envoyée ; l'assuré en est averti.").wait_for()
    page.get_by_text("Pas encore lu par l'assuré").wait_for()
    audit(page)
    page.get_by_role("button", name="Clôturer").click()
    page.get_by_text("Ce fil d'échanges est clôturé.").wait_for()
    audit(page)
    # ECH7: an agent reopens a closed thread, back in the inbox; then closes it again
    page.get_by_role("button", name="Rouvrir").click()
    page.get_by_text("Ce fil d'échanges est rouvert.").wait_for()
    expect(page.locator("#thread-status")).to_have_text("À traiter")
    audit(page)
    page.get_by_role("button", name="Clôturer").click()
    page.get_by_text("Ce fil d'échanges est clôturé.").wait_for()

    page = insured_page
    page.goto("/mes-paiements/")
    # ECH10: the tab counts the unread answer, on every page (at 320 px, in « Menu »)
    header(page).get_by_role("link", name="Ma messagerie 1 non lu(s)").click()
    page.get_by_role("heading", name="Ma messagerie", level=1).wait_for()
    page.get_by_text("1 réponse non lue").first.wait_for()
    audit(page)
    page.get_by_role("link", name="Cure thermale").click()
    page.get_by_text("votre cure est prise en charge").wait_for()
    assert page.get_by_text("Vérifier la prescription").count() == 0  # ECH8
    # ECH10: the fund opened the insured's message: « lu »
    expect(page.locator(f"#message-{first.pk}")).to_contain_text("Lu le ")
    page.get_by_text("Votre caisse a clôturé cet échange").wait_for()
    audit(page)
    # ECH7: writing in a closed thread reopens it; the answer is now read, the badge gone
    page.get_by_role("textbox", name="Votre message").fill("Merci ! Combien de jours de cure ?")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    page.get_by_text("Votre message est envoyé à votre caisse.").wait_for()
    page.get_by_text("Combien de jours de cure ?").wait_for()
    expect(page.get_by_text("Votre caisse a clôturé cet échange")).to_have_count(0)
    audit(page)
    expect(header(page).get_by_role("link", name="Ma messagerie", exact=True)).to_have_count(1)
    thread.refresh_from_db()
    assert thread.status == "open"

    page = agent_page
    page.reload()
    expect(page.locator("#thread-status")).to_have_text("À traiter")
    page.get_by_text("Lu par l'assuré le").wait_for()
    page.get_by_text("Combien de jours de cure ?").wait_for()
    audit(page)
    page.context.close()


def test_ech11_the_supervisors_backlog(page, live_server):
    supervisor = AgentFactory(supervisor=True, username="superviseur")
    page = _agent_page(page, live_server, supervisor)
    page.get_by_role("link", name="Superviseur : suivi de l'espace d'échanges").click()
    page.get_by_role("heading", name="Suivi de l'espace d'échanges — CPAM de Paris").wait_for()
    audit(page)
    page.context.close()


def test_ech5_a_notice_leads_to_the_thread_about_its_demarche(page, live_server):
    """Accueil: the appointment's notice links to the thread about that appointment."""
    from guichet.appointments import notifications as appointment_notifications
    from guichet.exchanges import selectors
    from tests.appointments.factories import appointment_at, desk
    from tests.exchanges.factories import start_thread

    user = InsuredUserFactory()
    fund = user.person.family.fund
    place, motif, _ = desk(fund)
    start = clock.now().replace(microsecond=0) + dt.timedelta(days=3)
    appointment = appointment_at(place, motif, user.person, AgentFactory(fund=fund), start)
    appointment_notifications.appointment_booked(appointment=appointment)
    thread = start_thread(
        user,
        subject=ThreadSubject.APPOINTMENT,
        body="Puis-je venir accompagné ?",
        demarche=selectors.demarche_key_of(appointment),
    )
    login(page, user.username)
    page.get_by_text("Rendez-vous confirmé", exact=True).wait_for()
    audit(page)
    page.get_by_role("link", name="Voir l'échange « Rendez-vous » avec ma caisse").click()
    page.get_by_role("heading", name=thread.title, level=1).wait_for()
    page.get_by_text("Puis-je venir accompagné ?").wait_for()
    audit(page)


def test_ech5_the_card_tracking_page_writes_about_the_order_then_shows_its_thread(
    page, settings, tmp_path
):
    from guichet.cards import services as card_services
    from tests.cards.factories import jpeg_bytes, upload
    from tests.factories import CardFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    user = InsuredUserFactory()
    card_services.card_declare(user=user, card=CardFactory(person=user.person), kind="lost")
    order = card_services.card_order_start(user=user, beneficiary=user.person)
    card_services.card_order_attach_photo(order=order, upload=upload("p.jpg", jpeg_bytes()))
    card_services.card_order_attach_document(
        order=order, document_type="passport", upload=upload("d.pdf", pdf_bytes())
    )
    order.refresh_from_db()
    card_services.card_order_submit(order=order, user=user)
    login(page, user.username)
    page.goto("/mes-demarches/carte-vitale/suivi/")
    page.get_by_role("link", name="Écrire à ma caisse à propos de cette commande").click()
    page.get_by_role("heading", name="Écrire à ma caisse", level=1).wait_for()
    page.get_by_label("Objet de votre message").select_option("carte_vitale")
    page.get_by_role("textbox", name="Votre message").fill("Quand recevrai-je ma carte ?")
    page.get_by_role("button", name="Envoyer mon message").click()
    page.get_by_text("Votre message est envoyé à votre caisse").wait_for()
    assert Thread.objects.get().about_id == order.pk
    page.goto("/mes-demarches/carte-vitale/suivi/")
    page.get_by_role("link", name=f"Voir l'échange « Carte Vitale » {order.reference}").wait_for()
    expect(page.get_by_text("Écrire à ma caisse à propos de cette commande")).to_have_count(0)
    audit(page)
