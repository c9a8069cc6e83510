"""The fund's inbox of the « Espace d'échanges » (issue 19, rules ECH6–ECH12)."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from guichet.exchanges import services
from guichet.exchanges.enums import ThreadSubject
from guichet.exchanges.models import Attachment, ThreadMessage
from tests.exchanges.factories import fund_agent, pdf_bytes, start_thread, upload
from tests.factories import AgentFactory, FundFactory, InsuredUserFactory, agent_login

pytestmark = pytest.mark.django_db

THURSDAY = dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def thread():
    with time_machine.travel(THURSDAY, tick=False):
        return start_thread(
            InsuredUserFactory(person__last_name="Martinez"),
            uploads=[upload("ordonnance.pdf", pdf_bytes(), "application/pdf")],
        )


@pytest.fixture
def agent(thread):
    return fund_agent(thread)


def _client(agent) -> Client:
    return agent_login(Client(), agent)


def test_ech6_the_inbox_shows_the_delay_and_the_due_date(thread, agent):
    with time_machine.travel(THURSDAY + dt.timedelta(days=20), tick=False):
        page = _client(agent).get(reverse("agents:exchange_inbox")).content.decode()
    assert f"N° {thread.pk}" in page and "Martinez" in page
    assert "19/03/2026" in page  # 10 working days after Thursday 5 March
    assert "En retard" in page and "14 jours ouvrés" in page
    assert "Non lu" in page


def test_ech11_search_by_nir_or_subject(thread, agent):
    other = start_thread(InsuredUserFactory(person__last_name="Bernard"), subject="carte_vitale")
    client = _client(agent)
    url = reverse("agents:exchange_inbox")
    by_nir = client.get(url, {"q": thread.insured.nir[:7]}).content.decode()
    assert "Martinez" in by_nir
    assert thread.insured.nir[:7] != other.insured.nir[:7] or "Bernard" in by_nir
    full = client.get(url, {"q": thread.insured.nir}).content.decode()
    assert "Martinez" in full and "Bernard" not in full
    by_subject = client.get(url, {"q": "vitale"}).content.decode()
    assert "Bernard" in by_subject and "Martinez" not in by_subject
    free = start_thread(
        thread.account, subject=ThreadSubject.OTHER, subject_other="Cure thermale à Vichy"
    )
    assert f"N° {free.pk}" in client.get(url, {"q": "thermale"}).content.decode()
    assert "Aucun fil" in client.get(url, {"q": "introuvable"}).content.decode()
    bad = client.get(url, {"q": "a\x00b"})
    assert bad.status_code == 200 and "caractère de contrôle" in bad.content.decode()


def test_ech10_opening_marks_read_and_shows_the_attachment(thread, agent):
    client = _client(agent)
    page = client.get(reverse("agents:exchange_thread", args=[thread.pk])).content.decode()
    assert "ordonnance.pdf" in page and "Message de l'assuré" in page
    message = thread.messages.get()
    assert message.read_by == agent
    attachment = Attachment.objects.get()
    response = client.get(reverse("agents:exchange_attachment", args=[thread.pk, attachment.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_ech7_assign_answer_close_reopen_through_the_pages(thread, agent):
    client = _client(agent)
    url = reverse("agents:exchange_thread", args=[thread.pk])
    client.post(reverse("agents:exchange_claim", args=[thread.pk]))
    assert "Ce fil d&#x27;échanges vous est attribué." in client.get(url).content.decode()
    response = client.post(
        reverse("agents:exchange_answer", args=[thread.pk]),
        {
            "body": "Bonjour, votre dossier est traité.",
            "attachments": [upload("r.pdf", pdf_bytes())],
        },
    )
    assert response.status_code == 302
    answer = ThreadMessage.objects.get(kind="fund")
    assert answer.attachments.count() == 1 and answer.recipient == thread.account
    client.post(reverse("agents:exchange_close", args=[thread.pk]))
    page = client.get(url).content.decode()
    assert "Clôturé" in page and "Rouvrir" in page and "Envoyer la réponse" not in page
    client.post(reverse("agents:exchange_reopen", args=[thread.pk]))
    thread.refresh_from_db()
    assert thread.status == "open"
    assert list(thread.transitions.values_list("to_status", flat=True)) == [
        "open",
        "in_progress",
        "closed",
        "open",
    ]


def test_ech2_a_refused_answer_keeps_what_was_typed(thread, agent):
    client = _client(agent)
    response = client.post(
        reverse("agents:exchange_answer", args=[thread.pk]),
        {"body": "Réponse à garder", "attachments": [upload("x.exe", b"MZ nope")]},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Réponse à garder" in page and "Pièce jointe n° 1" in page
    assert "joignez-les de nouveau" in page
    assert not ThreadMessage.objects.filter(kind="fund").exists()
    response = client.post(reverse("agents:exchange_note", args=[thread.pk]), {"note": "x"})
    assert "Écrivez votre message." in response.content.decode()


def test_ech7_another_agents_thread_is_theirs_to_answer(thread, agent):
    holder = fund_agent(thread)
    services.thread_claim(agent=holder, thread_id=thread.pk)
    client = _client(agent)
    page = client.get(reverse("agents:exchange_thread", args=[thread.pk])).content.decode()
    assert "pris en charge par un autre agent" in page and "Envoyer la réponse" not in page
    response = client.post(
        reverse("agents:exchange_answer", args=[thread.pk]), {"body": "Je réponds quand même"}
    )
    assert "lui seul peut y répondre" in response.content.decode()
    assert "Je réponds quand même" in response.content.decode()


def test_ech8_a_note_is_shown_to_agents_only(thread, agent):
    client = _client(agent)
    client.post(reverse("agents:exchange_note", args=[thread.pk]), {"note": "Vu avec le service"})
    assert (
        "Vu avec le service"
        in client.get(reverse("agents:exchange_thread", args=[thread.pk])).content.decode()
    )
    insured = Client()
    insured.force_login(thread.account)
    page = insured.get(reverse("web:exchange_thread", args=[thread.pk])).content.decode()
    assert "Vu avec le service" not in page


def test_ech11_the_backlog_is_for_supervisors(thread, agent):
    supervisor = fund_agent(thread, agent_role="supervisor")
    services.thread_claim(agent=agent, thread_id=thread.pk)
    assert _client(agent).get(reverse("agents:exchange_backlog")).status_code == 403
    page = _client(supervisor).get(reverse("agents:exchange_backlog")).content.decode()
    assert "Pris en charge : <strong>1</strong>" in page
    assert "Sophie Durand" in page


def test_ech11_front_desk_agents_have_no_inbox(thread):
    front_desk = fund_agent(thread, agent_role="front_desk")
    assert _client(front_desk).get(reverse("agents:exchange_inbox")).status_code == 403


def test_ech11_the_inbox_query_count_does_not_grow(thread, agent, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(agent)
    url = reverse("agents:exchange_inbox")
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    for index in range(6):
        more = start_thread(InsuredUserFactory())
        services.thread_answer(agent=agent, thread_id=more.pk, body=f"Réponse {index}")
        services.thread_reply_by_insured(user=more.account, thread_id=more.pk, body="Merci")
    with django_assert_max_num_queries(len(first)):
        assert client.get(url).status_code == 200


def test_ech11_another_funds_agent_sees_nothing(thread):
    stranger = AgentFactory(agent_role="supervisor", fund=FundFactory(code="691", name="Rhône"))
    client = _client(stranger)
    assert "Martinez" not in client.get(reverse("agents:exchange_inbox")).content.decode()
    assert client.get(reverse("agents:exchange_thread", args=[thread.pk])).status_code == 404


def test_ech6_threads_awaiting_an_answer_come_first_then_pages_keep_the_filters(
    thread, agent, monkeypatch
):
    from guichet.interfaces.agents.exchanges import views

    answered = start_thread(InsuredUserFactory())
    services.thread_answer(agent=agent, thread_id=answered.pk, body="Réponse")
    later = start_thread(InsuredUserFactory())
    client = _client(agent)
    page = client.get(reverse("agents:exchange_inbox")).content.decode()
    order = [page.index(f"N° {t.pk}<") for t in (thread, later, answered)]
    assert order == sorted(order)
    monkeypatch.setattr(views, "PER_PAGE", 1)
    page = client.get(reverse("agents:exchange_inbox"), {"mine": "on", "q": ""}).content.decode()
    assert f"N° {answered.pk}<" in page
    page = client.get(reverse("agents:exchange_inbox"), {"statut": "tous"}).content.decode()
    assert "?statut=tous&amp;page=2" in page


def test_ech10_the_agents_home_counts_unread_threads(thread, agent):
    client = _client(agent)
    assert "1 non lu" in client.get(reverse("agents:home")).content.decode()
    client.get(reverse("agents:exchange_thread", args=[thread.pk]))
    assert "unread-threads-badge" not in client.get(reverse("agents:home")).content.decode()
