"""The unread counts every insured page shows: right, per person, in one statement (issue 16)."""

import pytest

from guichet.notifications import selectors
from guichet.notifications.services import (
    message_mark_read,
    message_post,
    notification_mark_read,
    notification_post,
)
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
    with django_assert_num_queries(1):
        counts = selectors.unread_counts(user=user)
    assert counts == {"notifications": 2, "messages": 1}
    assert selectors.unread_counts(user=other) == {"notifications": 1, "messages": 1}
    assert selectors.unread_counts(user=InsuredUserFactory()) == {"notifications": 0, "messages": 0}
