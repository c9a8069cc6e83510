"""/notifications and /messages: list, read, mark read (rule G2, « Ma messagerie »)."""

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from ninja import Router, Schema

from guichet.interfaces.api.errors import responses
from guichet.interfaces.api.params import ObjectId, PageNumber, PageSize
from guichet.interfaces.api.schemas import PageInfo
from guichet.interfaces.api.security import current_user
from guichet.notifications import selectors as notification_selectors
from guichet.notifications import services as notification_services
from guichet.notifications.models import Message, Notification

router = Router(tags=["Notifications et messagerie"])


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    link_url: str
    link_label: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class MessageOut(Schema):
    id: int
    sender: str
    subject: str
    body: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationPageOut(PageInfo):
    unread: int
    items: list[NotificationOut]


class MessagePageOut(PageInfo):
    unread: int
    items: list[MessageOut]


class MarkedOut(Schema):
    marked_read: int


def _notification_out(n: Notification) -> NotificationOut:
    return NotificationOut(
        id=n.pk,
        title=n.title,
        body=n.body,
        link_url=n.link_url,
        link_label=n.link_label,
        created_at=n.created_at,
        read_at=n.read_at,
    )


def _message_out(m: Message) -> MessageOut:
    return MessageOut(
        id=m.pk,
        sender=m.sender,
        subject=m.subject,
        body=m.body,
        created_at=m.created_at,
        read_at=m.read_at,
    )


@router.get(
    "/notifications", response=responses({200: NotificationPageOut}, 401, 422), summary="Liste"
)
def notifications(
    request: HttpRequest, page: PageNumber = 1, page_size: PageSize = 20
) -> NotificationPageOut:
    user = current_user(request)
    # notifications.selectors has no paginable queryset of them: the same filter as its own.
    paginator = Paginator(Notification.objects.filter(recipient=user), page_size)
    current = paginator.get_page(page)
    return NotificationPageOut(
        page=current.number,
        page_size=page_size,
        pages=paginator.num_pages,
        count=paginator.count,
        unread=notification_selectors.unread_counts(user=user)["notifications"],
        items=[_notification_out(n) for n in current],
    )


@router.post(
    "/notifications/read-all",
    response=responses({200: MarkedOut}, 401),
    summary="Tout marquer comme lu",
)
def notifications_read_all(request: HttpRequest) -> MarkedOut:
    count = notification_services.notifications_mark_all_read(recipient=current_user(request))
    return MarkedOut(marked_read=count)


@router.post(
    "/notifications/{notification_id}/read",
    response=responses({200: NotificationOut}, 401, 404, 422),
    summary="Marquer comme lue",
)
def notification_read(request: HttpRequest, notification_id: ObjectId) -> NotificationOut:
    user = current_user(request)
    if notification_selectors.notification_for(user=user, notification_id=notification_id) is None:
        raise Http404
    notification_services.notification_mark_read(recipient=user, notification_id=notification_id)
    notification = notification_selectors.notification_for(
        user=user, notification_id=notification_id
    )
    assert notification is not None
    return _notification_out(notification)


@router.get("/messages", response=responses({200: MessagePageOut}, 401, 422), summary="Liste")
def messages(
    request: HttpRequest, page: PageNumber = 1, page_size: PageSize = 20
) -> MessagePageOut:
    user = current_user(request)
    paginator = Paginator(notification_selectors.messages_for(user=user), page_size)
    current = paginator.get_page(page)
    return MessagePageOut(
        page=current.number,
        page_size=page_size,
        pages=paginator.num_pages,
        count=paginator.count,
        unread=notification_selectors.unread_counts(user=user)["messages"],
        items=[_message_out(m) for m in current],
    )


def _own_message(request: HttpRequest, message_id: int, *, mark_read: bool) -> MessageOut:
    user = current_user(request)
    message = notification_selectors.message_for(user=user, message_id=message_id)
    if message is None:
        raise Http404
    if mark_read and message.read_at is None:
        notification_services.message_mark_read(recipient=user, message_id=message.pk)
        message = notification_selectors.message_for(user=user, message_id=message_id)
        assert message is not None
    return _message_out(message)


@router.get(
    "/messages/{message_id}",
    response=responses({200: MessageOut}, 401, 404, 422),
    summary="Lire un message",
)
def message_detail(request: HttpRequest, message_id: ObjectId) -> MessageOut:
    """Opening a message marks it read, as on the web."""
    return _own_message(request, message_id, mark_read=True)


@router.post(
    "/messages/{message_id}/read",
    response=responses({200: MessageOut}, 401, 404, 422),
    summary="Marquer comme lu",
)
def message_read(request: HttpRequest, message_id: ObjectId) -> MessageOut:
    return _own_message(request, message_id, mark_read=True)
