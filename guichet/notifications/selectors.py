import datetime as dt
from functools import cache

from django.db import connection
from django.db.models import Count, Min

from guichet.accounts.models import User
from guichet.core.prepared import PreparedRead
from guichet.exchanges.models import ThreadMessage
from guichet.notifications.enums import EmailStatus
from guichet.notifications.models import Message, Notification, OutboundEmail


def unread_counts(*, user: User) -> dict[str, int]:
    """Unread notifications, messages and answers of the fund in the « Espace d'échanges »
    (rule ECH10), in one statement whatever their number.

    Every insured page shows these counts (the « Ma messagerie » tab, Accueil's badges): one
    round trip of three indexed counts (recipient, read_at) instead of three ORM aggregates, and
    SQL written once rather than compiled by the ORM on every request (issue 16,
    docs/decisions/pages-per-request-cost.md).
    """
    with connection.cursor() as cursor:
        cursor.execute(_unread_sql(), [user.pk, user.pk, user.pk])
        notifications, messages, exchanges = cursor.fetchone()
    return {
        "notifications": notifications,
        "messages": messages,
        "exchanges": exchanges,
        "inbox": messages + exchanges,
    }


@cache
def _unread_sql() -> str:
    """Table and column names from the models' metadata, never from input."""
    quote = connection.ops.quote_name
    counts = [
        f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)}"  # noqa: S608
        f" WHERE {quote(model._meta.get_field('recipient').column)} = %s"
        f" AND {quote(model._meta.get_field('read_at').column)} IS NULL)"
        for model in (Notification, Message, ThreadMessage)
    ]
    return "SELECT " + ", ".join(counts)


@cache
def _latest(model: type[Notification] | type[Message], limit: int) -> PreparedRead:
    """The `limit` latest of a user's notifications or messages (the models' ordering), SQL
    compiled once per process (core.prepared): every Accueil and the app's dashboard read them."""
    return PreparedRead(
        f"notifications.latest_{model._meta.model_name}s_{limit}",
        lambda user_id: model.objects.filter(recipient_id=user_id)[:limit],
        user_id=int,
    )


def latest_notifications(*, user: User, limit: int = 5) -> list[Notification]:
    return _latest(Notification, limit)(user_id=user.pk)


def messages_for(*, user: User):
    return Message.objects.filter(recipient=user)


def notification_for(*, user: User, notification_id: int) -> Notification | None:
    """The user's own notification; None for anyone else's (the view answers 404)."""
    return Notification.objects.filter(recipient=user, pk=notification_id).first()


def message_for(*, user: User, message_id: int) -> Message | None:
    """The user's own message; None for anyone else's (the view answers 404)."""
    return Message.objects.filter(recipient=user, pk=message_id).first()


def latest_messages(*, user: User, limit: int = 3) -> list[Message]:
    return _latest(Message, limit)(user_id=user.pk)


def outbox_counts() -> dict[str, int]:
    """The email outbox by status (every status, 0 included), in one GROUP BY (metrics)."""
    counts = dict.fromkeys(EmailStatus.values, 0)
    for row in OutboundEmail.objects.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def outbox_oldest_waiting() -> dt.datetime | None:
    """When the oldest email still waiting (queued or sending) was queued, None if none."""
    return OutboundEmail.objects.filter(
        status__in=[EmailStatus.QUEUED, EmailStatus.SENDING]
    ).aggregate(oldest=Min("created_at"))["oldest"]
