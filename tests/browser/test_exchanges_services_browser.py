"""The fund's services of the « Espace d'échanges » in a real browser, at desktop and phone
width, with axe-core on every page (issue 19, rules ECH15–ECH17): a message is routed to the
service of its subject, an agent of another service reads it without acting, its service's
agent transfers it, the other service takes it, the supervisor sees the backlog per service."""

import pytest
from playwright.sync_api import expect

from guichet.exchanges import services
from guichet.exchanges.enums import MessageKind
from guichet.exchanges.models import FundService, Thread
from tests.browser.conftest import agent_sign_in, audit, login
from tests.factories import AgentFactory, InsuredUserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _agent_page(page, live_server, agent):
    context = page.context.browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport=page.viewport_size
    )
    context.set_default_timeout(10_000)
    agent_page = context.new_page()
    agent_sign_in(agent_page, agent.username)
    agent_page.get_by_role("heading", name="Espace agent").wait_for()
    return agent_page


def _attached(fund, code: str, **names: str):
    agent = AgentFactory(back_office=True, fund=fund, **names)
    FundService.objects.get(fund=fund, code=code).agents.add(agent)
    return agent


def test_ech16_ech17_a_message_is_routed_read_by_another_service_and_transferred(page, live_server):
    user = InsuredUserFactory(person__last_name="Garnier")
    fund = user.person.family.fund
    services.fund_services_seed(fund=fund)
    rights = _attached(fund, "carte-vitale-droits", first_name="Rita", last_name="Droits")
    benefits = _attached(fund, "prestations", first_name="Paul", last_name="Prestations")

    # ECH15: the insured chooses a subject, never a service; « Carte Vitale » is routed.
    login(page, user.username)
    page.goto("/ma-messagerie/ecrire/")
    page.get_by_role("heading", name="Écrire à ma caisse", level=1).wait_for()
    page.get_by_label("Objet de votre message").select_option("carte_vitale")
    page.get_by_role("textbox", name="Votre message").fill(
        "Bonjour, le remboursement de ma carte perdue est-il prévu ?"
    )
    page.get_by_role("button", name="Envoyer mon message").click()
    page.get_by_text("Votre message est envoyé à votre caisse").wait_for()
    expect(page.get_by_text("Carte Vitale et droits")).to_have_count(0)
    audit(page)
    thread = Thread.objects.get()
    assert thread.service.code == "carte-vitale-droits"
    due = thread.due_on

    # ECH16: « Prestations » does not see it by default; filtered, reads it without acting.
    other = _agent_page(page, live_server, benefits)
    other.goto("/agents/echanges/")
    other.get_by_role("heading", name="Espace d'échanges — CPAM de Paris").wait_for()
    expect(other.locator("#inbox-services")).to_contain_text("Vos services : Prestations.")
    other.get_by_text("Aucun fil d'échanges ne correspond.").wait_for()
    audit(other)
    other.get_by_label("Service", exact=True).select_option(label="Carte Vitale et droits")
    other.get_by_role("button", name="Filtrer").click()
    other.get_by_role("link", name=f"N° {thread.pk}").click()
    other.get_by_role("heading", name=f"Échange n° {thread.pk} — Carte Vitale").wait_for()
    other.get_by_text("vous pouvez le lire, pas y agir").wait_for()
    expect(other.get_by_role("button", name="Me l'attribuer")).to_have_count(0)
    expect(other.get_by_role("button", name="Envoyer la réponse")).to_have_count(0)
    audit(other)

    # ECH17: the service's agent takes it and transfers it; the due date stays.
    owner = _agent_page(page, live_server, rights)
    owner.goto("/agents/echanges/")
    owner.get_by_role("link", name=f"N° {thread.pk}").click()
    owner.get_by_role("button", name="Me l'attribuer").click()
    owner.get_by_text("Ce fil d'échanges vous est attribué.").wait_for()
    audit(owner)
    owner.get_by_role("button", name="Transférer").click()  # no service chosen: refused
    owner.get_by_text("Choisissez le service auquel transférer ce fil.").first.wait_for()
    audit(owner)
    owner.get_by_label("Service destinataire").select_option(label="Prestations")
    owner.get_by_label("Motif du transfert (facultatif)").fill("Question de remboursement")
    owner.get_by_role("button", name="Transférer").click()
    owner.get_by_text("Ce fil d'échanges est transféré au service « Prestations ».").wait_for()
    expect(owner.locator("#thread-service")).to_have_text("Prestations")
    expect(owner.locator("#thread-status")).to_have_text("À traiter")
    expect(owner.locator("#thread-history")).to_contain_text(
        "transféré de « Carte Vitale et droits » à « Prestations »"
    )
    owner.get_by_text("Motif : Question de remboursement").wait_for()
    owner.get_by_text("vous pouvez le lire, pas y agir").wait_for()
    audit(owner)
    thread.refresh_from_db()
    assert thread.due_on == due and thread.assignee is None

    # « Prestations » now finds it in its own inbox, and takes it.
    other.goto("/agents/echanges/")
    other.get_by_role("link", name=f"N° {thread.pk}").click()
    other.get_by_role("button", name="Me l'attribuer").click()
    other.get_by_text("Ce fil d'échanges vous est attribué.").wait_for()
    audit(other)

    # The insured never sees the transfer's note.
    page.goto(f"/ma-messagerie/echanges/{thread.pk}/")
    page.get_by_text("le remboursement de ma carte perdue").wait_for()
    expect(page.get_by_text("Transfert du service")).to_have_count(0)
    assert thread.messages.filter(kind=MessageKind.NOTE).count() == 1
    audit(page)
    other.context.close()
    owner.context.close()


def test_ech16_the_supervisor_sees_every_service_and_the_backlog_per_service(page, live_server):
    user = InsuredUserFactory(person__last_name="Lambert")
    from tests.exchanges.factories import start_thread

    thread = start_thread(user, subject="daily_allowance", body="Mes indemnités journalières ?")
    supervisor = AgentFactory(supervisor=True, fund=thread.fund, username="superviseur")
    page = _agent_page(page, live_server, supervisor)
    page.goto("/agents/echanges/")
    page.get_by_role("link", name=f"N° {thread.pk}").wait_for()
    audit(page)
    page.goto("/agents/echanges/suivi/")
    page.get_by_role("heading", name="Par service").wait_for()
    row = page.locator("#backlog-services tr", has_text="Indemnités journalières")
    expect(row.locator("td").nth(1)).to_have_text("1")  # « À traiter »
    audit(page)
    row.get_by_role("link", name="Indemnités journalières").click()
    page.get_by_role("link", name=f"N° {thread.pk}").wait_for()
    expect(page.get_by_label("Service", exact=True)).to_have_value(str(thread.service_id))
    audit(page)
    page.context.close()
