"""The email outbox with the real django-tasks-db backend and the worker command."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.checks import run_checks
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django_tasks_db.models import DBTaskResult

from guichet.core import clock
from guichet.notifications import services
from guichet.notifications.enums import EmailStatus
from guichet.notifications.models import OutboundEmail
from guichet.notifications.services import email_queue, email_send, emails_send_due

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("serveur SMTP injoignable")


class WorkerKilled(BaseException):
    """The worker process dies in the middle of the SMTP exchange (SIGKILL, power cut)."""


class DyingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise WorkerKilled


def _queue():
    return email_queue(
        to="assure@exemple.fr",
        subject="Réinitialisation de votre code personnel",
        template="emails/code_reset",
        context={"link": "http://localhost/lien", "hours": 24},
        category="code_reset",
    )


@pytest.mark.django_db(transaction=True)
def test_email_is_enqueued_after_commit_and_sent_by_the_worker(settings):
    """Real transactions here: the worker checks its connection like in production."""
    settings.TASKS = DB_TASKS
    with transaction.atomic():
        email = _queue()
        assert not DBTaskResult.objects.exists()  # nothing before the commit
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [email.pk]
    assert OutboundEmail.objects.get(pk=email.pk).status == EmailStatus.QUEUED

    call_command("run_worker", batch=True, interval=0, verbosity=0)

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


def test_each_email_has_its_message_id_from_the_queue_and_keeps_it_on_every_attempt(settings):
    """A re-send is the same message: receivers de-duplicate on Message-ID."""
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox.FailingBackend"
    email, other = _queue(), _queue()
    assert email.message_id and other.message_id and email.message_id != other.message_id
    assert email.message_id.startswith("<") and email.message_id.endswith("@localhost>")
    assert email_send(email_id=email.pk) == EmailStatus.QUEUED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    email.refresh_from_db()
    with time_machine.travel(email.next_attempt_at, tick=False):
        assert email_send(email_id=email.pk) == EmailStatus.SENT
    assert mail.outbox[0].message()["Message-ID"] == email.message_id
    assert OutboundEmail.objects.get(pk=email.pk).message_id == email.message_id


def test_a_claim_is_a_lease_longer_than_the_smtp_timeout(settings):
    assert settings.EMAIL_LEASE_SECONDS >= 2 * settings.EMAIL_TIMEOUT
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox.DyingBackend"
    with time_machine.travel(clock.now(), tick=False):
        email = _queue()
        with pytest.raises(WorkerKilled):
            email_send(email_id=email.pk)
        email.refresh_from_db()
        assert email.status == EmailStatus.SENDING and email.attempts == 1
        assert email.lease_until == clock.now() + dt.timedelta(seconds=settings.EMAIL_LEASE_SECONDS)


def test_a_dead_workers_email_is_sent_again_as_soon_as_its_lease_has_passed(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox.DyingBackend"
    with time_machine.travel(clock.now(), tick=False) as traveller:
        email = _queue()
        with pytest.raises(WorkerKilled):
            email_send(email_id=email.pk)
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        # While the lease holds, the first worker may still be talking to the server.
        assert emails_send_due() == 0 and email_send(email_id=email.pk) == EmailStatus.SENDING
        assert not mail.outbox
        email.refresh_from_db()
        traveller.move_to(email.lease_until)
        assert emails_send_due() == 1  # at once, not 15 minutes later
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 2
    assert [m.message()["Message-ID"] for m in mail.outbox] == [email.message_id]
    assert emails_send_due() == 0 and len(mail.outbox) == 1


def test_a_sent_email_is_never_reclaimed_even_past_its_lease():
    email = _queue()
    assert email_send(email_id=email.pk) == EmailStatus.SENT
    email.refresh_from_db()
    assert email.lease_until is None
    with time_machine.travel(clock.now() + dt.timedelta(days=1)):
        assert emails_send_due() == 0
        assert email_send(email_id=email.pk) == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_a_lease_lost_at_the_last_attempt_fails_the_email_without_sending(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox.DyingBackend"
    email = _queue()
    OutboundEmail.objects.filter(pk=email.pk).update(attempts=OutboundEmail.MAX_ATTEMPTS - 1)
    with pytest.raises(WorkerKilled):
        email_send(email_id=email.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    email.refresh_from_db()
    with time_machine.travel(email.lease_until):
        assert emails_send_due() == 0
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED and "interrompu" in email.last_error
    assert not mail.outbox


@pytest.mark.django_db(transaction=True)
def test_a_database_error_when_recording_the_send_is_retried_not_resent(monkeypatch, settings):
    """The server took the message: recording it must not give up on a locked database, or
    the row would be sent again once its lease has passed. (The worker runs in autocommit,
    as this test does.)"""
    monkeypatch.setattr(services, "RECORD_RETRY_DELAYS", (0, 0, 0))
    failures = []

    def locked_once(execute, sql, params, many, context):
        recording_a_send = sql.startswith("UPDATE") and "sent" in params
        if recording_a_send and "outboundemail" in sql and not failures:
            failures.append(sql)
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)

    settings.TASKS = DB_TASKS  # queued only: this test sends it
    email = _queue()
    with connection.execute_wrapper(locked_once):
        assert email_send(email_id=email.pk) == EmailStatus.SENT
    assert failures
    assert OutboundEmail.objects.get(pk=email.pk).status == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_the_lease_must_outlast_the_smtp_timeout(settings):
    settings.EMAIL_TIMEOUT, settings.EMAIL_LEASE_SECONDS = 60, 90
    assert [m.id for m in run_checks()] == ["notifications.E001"]
    settings.EMAIL_LEASE_SECONDS = 120
    assert not run_checks()
