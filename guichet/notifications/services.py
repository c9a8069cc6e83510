"""Notifications in the account, messages, and emails through the outbox."""

import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import OperationalError, models, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string

from guichet.accounts.models import User
from guichet.accounts.selectors import current_account
from guichet.core import clock
from guichet.notifications.enums import EmailStatus
from guichet.notifications.models import Message, Notification, OutboundEmail

logger = logging.getLogger(__name__)


def notification_post(
    *,
    recipient: User,
    title: str,
    body: str,
    link_url: str = "",
    link_label: str = "",
    about: models.Model | None = None,
) -> Notification | None:
    """Post a notice in the account (or in the one the person opened after closing it); a
    closed account with no successor gets nothing. ``about`` is the démarche's record the
    notice is about, so that the page links it to the thread about it (rule ECH5)."""
    account = current_account(user=recipient)
    if account is None:
        return None
    return Notification.objects.create(
        recipient=account,
        title=title,
        body=body,
        link_url=link_url,
        link_label=link_label,
        about_type=ContentType.objects.get_for_model(about) if about is not None else None,
        about_id=about.pk if about is not None else None,
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


@dataclass(frozen=True)
class Attachment:
    """A text file sent with an email (a calendar file: text/calendar)."""

    name: str
    content_type: str
    text: str


def email_queue(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict,
    category: str = "",
    attachment: Attachment | None = None,
) -> OutboundEmail:
    """Store an email in the outbox; the worker sends it once the transaction commits.

    ``template`` names the email's two halves, ``<template>.txt`` and ``<template>.html``, both
    rendered from ``context`` plus the ``subject`` (the HTML part's title and heading): the
    worker sends them as one multipart/alternative message (docs/decisions/emails-html.md).
    """
    context = {"subject": subject, **context}
    body_text: str = render_to_string(f"{template}.txt", context)
    body_html: str = render_to_string(f"{template}.html", context)
    email = OutboundEmail.objects.create(
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        category=category,
        attachment_name=attachment.name if attachment else "",
        attachment_type=attachment.content_type if attachment else "",
        attachment_text=attachment.text if attachment else "",
    )
    from guichet.notifications.tasks import send_email

    transaction.on_commit(lambda: send_email.enqueue(email.pk))
    return email


def account_email_queue(
    *,
    recipient: User,
    subject: str,
    template: str,
    context: dict,
    category: str = "",
    attachment: Attachment | None = None,
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
        attachment=attachment,
    )


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=2**attempts)


# Waits between tries of recording an attempt's outcome when the database is busy; their sum
# stays well inside the lease (EMAIL_LEASE_SECONDS).
RECORD_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0)


def _lease_ended(now: dt.datetime) -> Q:
    return Q(status=EmailStatus.SENDING, lease_until__lte=now)


def _claimable(now: dt.datetime) -> Q:
    """Queued and due, or claimed by a worker whose lease has passed (it died mid-send)."""
    return Q(status=EmailStatus.QUEUED, next_attempt_at__lte=now) | (
        _lease_ended(now) & Q(attempts__lt=OutboundEmail.MAX_ATTEMPTS)
    )


def _record(*, email_id: int, attempt: int | None, **values: object) -> int:
    """Store an attempt's outcome, retrying while the database is busy (a locked SQLite file,
    a lock timeout): the email has left or failed, and losing that would re-send or stall it.

    ``attempt`` fences a failure to this worker's own claim; a confirmed send (None) is
    recorded whoever holds the row now, since the message did leave.
    """
    rows = OutboundEmail.objects.filter(pk=email_id).exclude(status=EmailStatus.SENT)
    if attempt is not None:
        rows = rows.filter(status=EmailStatus.SENDING, attempts=attempt)
    for delay in RECORD_RETRY_DELAYS:
        try:
            return rows.update(**values)
        except OperationalError as exc:
            logger.warning(
                "Courriel %s : base de données indisponible pour noter l'envoi, nouvel essai "
                "dans %.1f s : %s",
                email_id,
                delay,
                exc,
            )
            time.sleep(delay)
    return rows.update(**values)


def email_send(*, email_id: int) -> EmailStatus:
    """Send one email, sent once per claim: a conditional UPDATE claims it (queued → sending)
    for a lease of EMAIL_LEASE_SECONDS, longer than the SMTP timeout; a row whose send was
    confirmed is never claimed again. Every attempt carries the row's Message-ID, so that a
    re-send after an unknown outcome (a worker killed mid-send) is the same message."""
    now = clock.now()
    claimed = OutboundEmail.objects.filter(_claimable(now), pk=email_id).update(
        status=EmailStatus.SENDING,
        attempts=F("attempts") + 1,
        lease_until=now + dt.timedelta(seconds=settings.EMAIL_LEASE_SECONDS),
    )
    if not claimed:
        return EmailStatus(
            OutboundEmail.objects.filter(pk=email_id).values_list("status", flat=True).first()
            or EmailStatus.FAILED
        )
    # Nobody else may claim the row before the lease passes: this read is this claim's.
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        email.subject, email.body_text, to=[email.to], headers={"Message-ID": email.message_id}
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    if email.attachment_name:
        message.attach(email.attachment_name, email.attachment_text, email.attachment_type)
    try:
        message.send()
    except Exception as exc:
        logger.warning("Échec d'envoi du courriel %s : %s", email.pk, exc)
        failed = email.attempts >= OutboundEmail.MAX_ATTEMPTS
        status = EmailStatus.FAILED if failed else EmailStatus.QUEUED
        _record(
            email_id=email.pk,
            attempt=email.attempts,
            status=status,
            last_error=str(exc)[:2000],
            next_attempt_at=clock.now() + _backoff(email.attempts),
            lease_until=None,
        )
        return status
    _record(
        email_id=email.pk,
        attempt=None,
        status=EmailStatus.SENT,
        sent_at=clock.now(),
        last_error="",
        lease_until=None,
    )
    return EmailStatus.SENT


def emails_send_due() -> int:
    """Send every email whose time has come: queued and due, or left in « sending » by a
    worker whose lease has passed (the worker's sweep and the periodic safety net)."""
    now = clock.now()
    OutboundEmail.objects.filter(
        _lease_ended(now), attempts__gte=OutboundEmail.MAX_ATTEMPTS
    ).update(
        status=EmailStatus.FAILED,
        lease_until=None,
        last_error="Envoi interrompu au dernier essai (issue inconnue), abandonné.",
    )
    due = OutboundEmail.objects.filter(_claimable(now)).values_list("pk", flat=True)
    return sum(1 for pk in list(due) if email_send(email_id=pk) == EmailStatus.SENT)
