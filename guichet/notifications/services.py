"""Notifications in the account, messages, and emails through the outbox."""

import datetime as dt
import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string

from guichet.accounts.models import User
from guichet.accounts.selectors import current_account
from guichet.core import clock
from guichet.notifications.enums import EmailStatus
from guichet.notifications.models import Message, Notification, OutboundEmail

logger = logging.getLogger(__name__)


def notification_post(
    *, recipient: User, title: str, body: str, link_url: str = "", link_label: str = ""
) -> Notification | None:
    """Post a notice in the account (or in the one the person opened after closing it); a
    closed account with no successor gets nothing."""
    account = current_account(user=recipient)
    if account is None:
        return None
    return Notification.objects.create(
        recipient=account, title=title, body=body, link_url=link_url, link_label=link_label
    )


def message_post(*, recipient: User, subject: str, body: str, sender: str = "") -> Message | None:
    account = current_account(user=recipient)
    if account is None:
        return None
    extra = {"sender": sender} if sender else {}
    return Message.objects.create(recipient=account, subject=subject, body=body, **extra)


def notification_mark_read(*, recipient: User, notification_id: int) -> bool:
    return bool(
        Notification.objects.filter(
            pk=notification_id, recipient=recipient, read_at__isnull=True
        ).update(read_at=clock.now())
    )


def notifications_mark_all_read(*, recipient: User) -> int:
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(
        read_at=clock.now()
    )


def message_mark_read(*, recipient: User, message_id: int) -> bool:
    return bool(
        Message.objects.filter(pk=message_id, recipient=recipient, read_at__isnull=True).update(
            read_at=clock.now()
        )
    )


def inbox_delete(*, recipient: User) -> int:
    """Delete an account's notifications and messages (its account closed)."""
    notifications, _ = Notification.objects.filter(recipient=recipient).delete()
    messages, _ = Message.objects.filter(recipient=recipient).delete()
    return notifications + messages


def email_queue(
    *, to: str, subject: str, template: str, context: dict, category: str = ""
) -> OutboundEmail:
    """Store an email in the outbox; the worker sends it once the transaction commits.

    ``template`` names ``<template>.txt`` (mandatory) and ``<template>.html`` (optional).
    """
    body_text: str = render_to_string(f"{template}.txt", context)
    body_html: str
    try:
        body_html = render_to_string(f"{template}.html", context)
    except Exception:
        body_html = ""
    email = OutboundEmail.objects.create(
        to=to, subject=subject, body_text=body_text, body_html=body_html, category=category
    )
    from guichet.notifications.tasks import send_email

    transaction.on_commit(lambda: send_email.enqueue(email.pk))
    return email


def account_email_queue(
    *, recipient: User, subject: str, template: str, context: dict, category: str = ""
) -> OutboundEmail | None:
    """Email an account, as notification_post posts to it: only to a confirmed address (rule
    C7), of the account or, once closed, of the one the person opened since; nothing (None)
    when there is no such address."""
    account = current_account(user=recipient)
    if account is None or not account.confirmed_email:
        return None
    return email_queue(
        to=account.confirmed_email,
        subject=subject,
        template=template,
        context=context,
        category=category,
    )


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=2**attempts)


def email_send(*, email_id: int) -> EmailStatus:
    """Send one queued email. Claimed by a conditional UPDATE, so it is sent once."""
    now = clock.now()
    claimed = OutboundEmail.objects.filter(
        pk=email_id, status=EmailStatus.QUEUED, next_attempt_at__lte=now
    ).update(status=EmailStatus.SENDING, attempts=F("attempts") + 1)
    if not claimed:
        return EmailStatus(
            OutboundEmail.objects.filter(pk=email_id).values_list("status", flat=True).first()
            or EmailStatus.FAILED
        )
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(email.subject, email.body_text, to=[email.to])
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception as exc:
        logger.warning("Échec d'envoi du courriel %s : %s", email.pk, exc)
        email.last_error = str(exc)[:2000]
        if email.attempts >= OutboundEmail.MAX_ATTEMPTS:
            email.status = EmailStatus.FAILED
        else:
            email.status = EmailStatus.QUEUED
            email.next_attempt_at = clock.now() + _backoff(email.attempts)
        email.save(update_fields=["last_error", "status", "next_attempt_at"])
        return EmailStatus(email.status)
    email.status, email.sent_at, email.last_error = EmailStatus.SENT, clock.now(), ""
    email.save(update_fields=["status", "sent_at", "last_error"])
    return EmailStatus.SENT


def emails_send_due() -> int:
    """Send every queued email whose time has come (the periodic safety net)."""
    due = OutboundEmail.objects.filter(
        status=EmailStatus.QUEUED, next_attempt_at__lte=clock.now()
    ).values_list("pk", flat=True)
    return sum(1 for pk in list(due) if email_send(email_id=pk) == EmailStatus.SENT)


def emails_release_stuck(*, older_than: dt.timedelta = dt.timedelta(minutes=15)) -> int:
    """A worker that died mid-send leaves a row in SENDING: put it back in the queue."""
    return OutboundEmail.objects.filter(
        status=EmailStatus.SENDING, next_attempt_at__lte=clock.now() - older_than
    ).update(status=EmailStatus.QUEUED)
