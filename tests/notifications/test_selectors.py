"""The unread counts every insured page shows: right, per person, in one statement (issue 16)."""

import pytest

from guichet.exchanges import services as exchange_services
from guichet.notifications import selectors
from guichet.notifications.services import (
    message_mark_read,
    message_post,
    notification_mark_read,
    notification_post,
)
from tests.exchanges.factories import fund_agent, start_thread
from tests.factories import InsuredUserFactory

pytestmark = pytest.mark.django_db


def test_unread_counts_are_each_kind_unread_for_this_person_only(django_assert_num_queries):
    user, other = InsuredUserFactory(), InsuredUserFactory()
    notes = [notification_post(recipient=user, title=f"N{i}", body="…") for i in range(3)]
    messages = [message_post(recipient=user, subject=f"M{i}", body="…") for i in range(2)]
    notification_post(recipient=other, title="Autre", body="…")
    message_post(recipient=other, subject="Autre", body="…")
    notification_mark_read(recipient=user, notification_id=notes[0].pk)
    message_mark_read(recipient=user, message_id=messages[1].pk)
    thread = start_thread(user)
    agent = fund_agent(thread)
    for body in ("Réponse 1", "Réponse 2", "Réponse 3"):
        exchange_services.thread_answer(agent=agent, thread_id=thread.pk, body=body)
    exchange_services.thread_note(agent=agent, thread_id=thread.pk, body="Note interne")
    with django_assert_num_queries(1):
        counts = selectors.unread_counts(user=user)
    # The fund's answers of the « Espace d'échanges » (rule ECH10), less what it notified.
    assert counts == {"notifications": 5, "messages": 1, "exchanges": 3, "inbox": 4}
    assert selectors.unread_counts(user=other) == {
        "notifications": 1,
        "messages": 1,
        "exchanges": 0,
        "inbox": 1,
    }
    assert selectors.unread_counts(user=InsuredUserFactory()) == {
        "notifications": 0,
        "messages": 0,
        "exchanges": 0,
        "inbox": 0,
    }
