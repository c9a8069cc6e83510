"""Two requests at once (PostgreSQL only: SQLite serialises every write anyway): the daily
limit, the claim and the transfer of a thread hold under concurrency (rules ECH4, ECH7,
ECH17)."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from guichet.core.refusals import Refused
from guichet.exchanges import rules, services
from guichet.exchanges.models import Thread, ThreadMessage
from tests.exchanges.factories import fund_agent, start_thread
from tests.factories import InsuredUserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL"),
]


def _at_once(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls in threads released together; each outcome is a result or an exception."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            outcomes[index] = call()
        except Exception as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_ech4_two_messages_at_once_never_pass_the_daily_limit(monkeypatch):
    monkeypatch.setattr(rules, "MESSAGES_PER_DAY", 2)
    user = InsuredUserFactory()
    thread = start_thread(user)
    outcomes = _at_once(
        [
            lambda: services.thread_reply_by_insured(user=user, thread_id=thread.pk, body="Un"),
            lambda: services.thread_reply_by_insured(user=user, thread_id=thread.pk, body="Deux"),
        ]
    )
    refused = [o for o in outcomes if isinstance(o, Refused)]
    assert len(refused) == 1 and refused[0].code == "daily_limit", outcomes
    assert ThreadMessage.objects.filter(thread=thread).count() == 2


def test_ech7_two_agents_claiming_at_once_one_gets_it():
    thread = start_thread(InsuredUserFactory())
    first, second = fund_agent(thread), fund_agent(thread)
    outcomes = _at_once(
        [
            lambda: services.thread_claim(agent=first, thread_id=thread.pk),
            lambda: services.thread_claim(agent=second, thread_id=thread.pk),
        ]
    )
    refused = [o for o in outcomes if isinstance(o, Refused)]
    assert len(refused) == 1, outcomes
    thread = Thread.objects.get(pk=thread.pk)
    assert thread.status == "in_progress" and thread.assignee in (first, second)
    assert thread.transitions.filter(to_status="in_progress").count() == 1


def test_ech17_two_transfers_at_once_one_moves_the_thread():
    """Two agents of « Prestations » transfer the same thread at once: the row lock makes the
    second read the moved thread, no longer of their service, and refuses it."""
    from guichet.exchanges.models import FundService

    thread = start_thread(InsuredUserFactory())
    first, second = fund_agent(thread), fund_agent(thread)
    FundService.objects.get(fund=thread.fund, code="prestations").agents.add(first, second)
    targets = [
        FundService.objects.get(fund=thread.fund, code=code).pk
        for code in ("carte-vitale-droits", "relations-assures")
    ]
    outcomes = _at_once(
        [
            lambda: services.thread_transfer(
                agent=first, thread_id=thread.pk, service_id=targets[0]
            ),
            lambda: services.thread_transfer(
                agent=second, thread_id=thread.pk, service_id=targets[1]
            ),
        ]
    )
    moved = [o for o in outcomes if isinstance(o, Thread)]
    refused = [o for o in outcomes if isinstance(o, Refused)]
    assert len(moved) == 1 and len(refused) == 1, outcomes
    assert refused[0].code == "thread_other_service"
    thread = Thread.objects.get(pk=thread.pk)
    assert thread.service_id == moved[0].service_id
    assert thread.transitions.filter(to_service__isnull=False).count() == 1
    assert thread.messages.filter(kind="note").count() == 1
