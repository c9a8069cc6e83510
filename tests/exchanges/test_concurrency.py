"""Two requests at once (PostgreSQL only: SQLite serialises every write anyway): the daily
limit and the claim of a thread hold under concurrency (rules ECH4, ECH7)."""

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
