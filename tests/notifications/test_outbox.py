"""The email outbox with the real django-tasks-db backend and the worker command."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from guichet.core import clock
from guichet.notifications.enums import EmailStatus
from guichet.notifications.models import OutboundEmail
from guichet.notifications.services import email_queue, email_send

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("serveur SMTP injoignable")


def _queue():
    return email_queue(
        to="assure@exemple.fr",
        subject="Réinitialisation de votre code personnel",
        template="emails/code_reset",
        context={"link": "http://localhost/lien", "hours": 24},
        category="code_reset",
    )


@pytest.mark.django_db(transaction=True)
def test_email_is_enqueued_after_commit_and_sent_by_the_db_worker(settings):
    """Real transactions here: the worker checks its connection like in production."""
    settings.TASKS = DB_TASKS
    with transaction.atomic():
        email = _queue()
        assert not DBTaskResult.objects.exists()  # nothing before the commit
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [email.pk]
    assert OutboundEmail.objects.get(pk=email.pk).status == EmailStatus.QUEUED

    call_command("db_worker", batch=True, interval=0, verbosity=0)

    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 1
    assert len(mail.outbox) == 1 and "http://localhost/lien" in mail.outbox[0].body
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_failing_smtp_is_retried_then_failed(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox.FailingBackend"
    with time_machine.travel(clock.now(), tick=False) as traveller:
        email = _queue()
        for attempt in range(1, OutboundEmail.MAX_ATTEMPTS):
            email.refresh_from_db()
            traveller.move_to(email.next_attempt_at)
            assert email_send(email_id=email.pk) == EmailStatus.QUEUED
            email.refresh_from_db()
            assert email.attempts == attempt and "injoignable" in email.last_error
            assert email.next_attempt_at > clock.now()
            # Not due yet: a second call does nothing.
            assert email_send(email_id=email.pk) == EmailStatus.QUEUED
            assert OutboundEmail.objects.get(pk=email.pk).attempts == attempt
        traveller.move_to(email.next_attempt_at + dt.timedelta(seconds=1))
        assert email_send(email_id=email.pk) == EmailStatus.FAILED
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED and email.attempts == OutboundEmail.MAX_ATTEMPTS
    assert email_send(email_id=email.pk) == EmailStatus.FAILED  # never sent again
    assert not mail.outbox


def test_a_sent_email_is_not_sent_twice():
    email = _queue()
    assert email_send(email_id=email.pk) == EmailStatus.SENT
    assert email_send(email_id=email.pk) == EmailStatus.SENT
    assert len(mail.outbox) == 1
