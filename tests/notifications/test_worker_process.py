"""The task worker as a real process (manage.py run_worker) against a real SMTP server.

A database error must not stop the worker (it logs, backs off and goes on), and a worker
killed in the middle of an SMTP send must leave an email that the next worker sends again as
soon as the claim's lease has passed, with the same Message-ID. The worker works on this
test's database: a file copy of it on SQLite, the test database itself on PostgreSQL
(DATABASE_URL), so these tests run on both. Every wait is bounded.
"""

import asyncio
import email as email_parser
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django_tasks_db.models import DBTaskResult

from guichet.notifications.enums import EmailStatus
from guichet.notifications.models import OutboundEmail
from guichet.notifications.services import email_queue

pytestmark = [pytest.mark.worker_process, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
WORKER = ["run_worker", "--interval", "0.2", "--sweep-interval", "1"]
WAIT_SECONDS = 30


class RecordingSMTPHandler:
    """Records the Message-ID of every message it receives; can hold the first in DATA."""

    def __init__(self) -> None:
        self.message_ids: list[str] = []
        self.hold_first = False
        self.holding = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email_parser.message_from_bytes(envelope.content)
        with self._lock:
            self.message_ids.append(str(message["Message-ID"]))
            first = len(self.message_ids) == 1
        if self.hold_first and first:
            self.holding.set()
            deadline = time.monotonic() + WAIT_SECONDS
            while not self.release.is_set() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            return "451 Envoi interrompu"
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    handler = RecordingSMTPHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port(), ready_timeout=10)
    controller.start()
    yield controller.port, handler
    handler.release.set()
    controller.stop()


@pytest.fixture
def worker_db(settings, tmp_path):
    """The name of the database the worker processes use, and the ORM pointed at it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    if connection.vendor != "sqlite":
        yield connection.settings_dict["NAME"]
        return
    # The SQLite test database lives in memory: copy it (schema, no rows) to a file that the
    # worker processes can open, and point this test's connection at that file.
    path = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    in_memory = connections["default"]
    on_file = SQLiteWrapper({**in_memory.settings_dict, "NAME": str(path)}, "default")
    connections["default"] = on_file
    yield str(path)
    on_file.close()
    connections["default"] = in_memory


@pytest.fixture
def workers(worker_db, smtp, tmp_path):
    """Starts worker processes; every one still running at the end is stopped."""
    port, _ = smtp
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "WORKER_TEST_DB_NAME": worker_db,
        "WORKER_TEST_SMTP_PORT": str(port),
        "PYTHONUNBUFFERED": "1",
    }
    started: list[subprocess.Popen] = []

    def start(*command: str) -> subprocess.Popen:
        log = tmp_path / f"process-{len(started)}.log"
        args = command or (*WORKER, "--no-reload", "--no-startup-delay")
        with log.open("w") as output:
            process = subprocess.Popen(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        process.log = log  # type: ignore[attr-defined]
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _logs(*processes) -> str:
    return "\n".join(f"--- {p.args}\n{p.log.read_text()}" for p in processes)


def wait_for(condition, what: str, *processes) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"{what}: pas dans les {WAIT_SECONDS} s\n{_logs(*processes)}")


def _queue() -> OutboundEmail:
    with transaction.atomic():
        return email_queue(
            to="assure@exemple.fr",
            subject="Votre carte Vitale est en fabrication",
            template="emails/code_reset",
            context={"link": "http://localhost/lien", "hours": 24},
        )


def _status(email: OutboundEmail) -> str:
    return OutboundEmail.objects.values_list("status", flat=True).get(pk=email.pk)


@contextmanager
def database_locked(db_name: str):
    """Another connection holds a write lock (like seed_demo's long transaction)."""
    if connection.vendor == "sqlite":
        holder = sqlite3.connect(db_name, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    holder = connection.copy()  # a second connection to the same (test) database
    try:
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            tables = (DBTaskResult._meta.db_table, OutboundEmail._meta.db_table)
            cursor.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
        yield
    finally:
        holder.rollback()
        holder.close()


def _mentions_a_lock(log: str) -> bool:
    return "database is locked" in log or "lock timeout" in log


def test_the_worker_survives_a_locked_database_backs_off_then_sends(worker_db, workers, smtp):
    _, handler = smtp
    email = _queue()
    with database_locked(worker_db):
        worker = workers()
        wait_for(
            lambda: _mentions_a_lock(worker.log.read_text()),
            "le worker rencontre le verrou",
            worker,
        )
    wait_for(lambda: _status(email) == EmailStatus.SENT, "courriel envoyé", worker)
    wait_for(lambda: DBTaskResult.objects.get().status == "SUCCESSFUL", "tâche exécutée", worker)
    assert worker.poll() is None, _logs(worker)
    log = worker.log.read_text()
    assert "base de données indisponible" in log and "nouvel essai dans" in log, log
    email.refresh_from_db()
    assert handler.message_ids == [email.message_id]


def test_a_worker_killed_mid_send_the_next_one_resends_the_same_message(workers, smtp):
    _, handler = smtp
    handler.hold_first = True
    email = _queue()
    first = workers()
    assert handler.holding.wait(timeout=WAIT_SECONDS), _logs(first)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    # What a dead worker leaves: the row claimed, its task « running » for ever.
    assert _status(email) == EmailStatus.SENDING
    assert DBTaskResult.objects.get().status == "RUNNING"

    second = workers()
    wait_for(lambda: _status(email) == EmailStatus.SENT, "courriel renvoyé", first, second)
    email.refresh_from_db()
    assert email.attempts == 2
    # The same message twice (the receiver keeps one), never two different messages.
    assert handler.message_ids == [email.message_id, email.message_id]

    # A confirmed send is never sent again, by the periodic command either.
    command = workers("send_pending_emails")
    assert command.wait(timeout=WAIT_SECONDS) == 0, _logs(command)
    assert handler.message_ids == [email.message_id, email.message_id]
    assert _status(email) == EmailStatus.SENT
