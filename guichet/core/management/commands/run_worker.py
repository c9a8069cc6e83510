"""The task worker: django-tasks-db's worker, kept alive through database errors, that also
runs the periodic sweeps of settings.WORKER_SWEEPS (the outbox's leases, docs/decisions/
security-outbox-lease.md).

django-tasks-db 0.13's ``db_worker`` only tolerates « database is locked » while it picks a
task: a lock met when it opens its transaction (SQLite's BEGIN, e.g. while ``seed_demo``
writes), a lock timeout or a lost connection on PostgreSQL, or an error while it records a
task's result, ends its loop (its thread under --reload, the process otherwise), and no task
runs until someone restarts it. This loop logs the error, closes the connections, waits
(exponential back-off with jitter, 1 s doubling up to 60 s) and goes on.

Between two tasks it also writes its heartbeat (guichet.core.health, at most every 10 s),
which the readiness check /sante/pret reads (docs/operations.md).
"""

import datetime as dt
import logging
import os
import random
import socket
import time
from argparse import ArgumentParser
from collections.abc import Callable

from django.conf import settings
from django.core.management.base import CommandError
from django.db import Error as DatabaseError
from django.db import close_old_connections, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.module_loading import import_string
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from guichet.core import health

logger = logging.getLogger(__name__)

BACKOFF_FIRST_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 60.0
SWEEP_INTERVAL_SECONDS = 15.0


def backoff_delay(failures: int) -> float:
    """1, 2, 4 … seconds up to a minute after consecutive failures, with jitter (between half
    and all of it) so that several workers do not come back at the same instant."""
    delay = min(BACKOFF_FIRST_SECONDS * 2 ** (failures - 1), BACKOFF_MAX_SECONDS)
    return delay * (0.5 + random.random() / 2)  # noqa: S311 (jitter, not a secret)


class Worker(db_worker.Worker):
    def __init__(
        self, *, sweeps: list[Callable[[], object]], sweep_interval: float, **kwargs: object
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.sweeps = sweeps
        self.sweep_interval = sweep_interval
        self._next_sweep = 0.0
        self._next_beat = 0.0
        self._started_at: dt.datetime | None = None
        self._failures = 0

    def run(self) -> None:
        logger.info("Worker %s démarré (files : %s)", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 (spreads workers started together)
        try:
            self.loop()
        finally:
            self.heartbeat_stop()

    def loop(self) -> None:
        while self.running:
            try:
                self.beat_if_due()
                ran = self.run_next_task()
                self.sweep_if_due()
            except DatabaseError as exc:
                self._failures += 1
                delay = backoff_delay(self._failures)
                logger.warning(
                    "Worker %s : base de données indisponible (échec %d de suite), "
                    "nouvel essai dans %.1f s : %s",
                    self.worker_id,
                    self._failures,
                    delay,
                    exc,
                )
                connections.close_all()
                time.sleep(delay)
                continue
            if self._failures:
                logger.info("Worker %s : base de données de nouveau disponible", self.worker_id)
                self._failures = 0
            if self.batch and not ran:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if self.running and not ran:
                time.sleep(self.interval)

    def beat_if_due(self) -> None:
        """Write this worker's heartbeat if the last one is HEARTBEAT_INTERVAL_SECONDS old."""
        if time.monotonic() < self._next_beat:
            return
        identity = {"worker_id": self.worker_id, "host": socket.gethostname(), "pid": os.getpid()}
        if self._started_at is None:
            self._started_at = health.worker_heartbeat_start(**identity)
        else:
            health.worker_heartbeat(**identity, started_at=self._started_at)
        self._next_beat = time.monotonic() + health.HEARTBEAT_INTERVAL_SECONDS

    def heartbeat_stop(self) -> None:
        """A clean stop removes the heartbeat row (a database down then: it goes stale)."""
        if self._started_at is None:
            return
        try:
            health.worker_heartbeat_stop(worker_id=self.worker_id)
        except DatabaseError as exc:
            logger.warning("Worker %s : signe de vie non effacé : %s", self.worker_id, exc)

    def sweep_if_due(self) -> None:
        if time.monotonic() < self._next_sweep:
            return
        self.running_task = True  # a stop signal lets the sweep's sends finish
        try:
            for sweep in self.sweeps:
                sweep()
        finally:
            self.running_task = False
        self._next_sweep = time.monotonic() + self.sweep_interval

    def run_next_task(self) -> bool:
        """Claim the next ready task and run it, as db_worker does; False when there is none."""
        close_old_connections()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        if task_result is None:
            return False
        self.run_task(task_result)
        return True


class Command(db_worker.Command):
    help = (
        "Lance le worker des tâches (django-tasks-db) : il survit aux erreurs de base de "
        "données (nouvel essai avec attente croissante) et passe régulièrement sur la file "
        "des courriels."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--sweep-interval",
            default=SWEEP_INTERVAL_SECONDS,
            type=db_worker.valid_interval,
            help="Secondes entre deux passages des WORKER_SWEEPS (défaut : %(default)r)",
        )

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        logger.setLevel(logging.getLogger("django_tasks_db").level)

    def handle(  # type: ignore[override]
        self,
        *,
        verbosity: int,
        queue_name: str,
        exclude_queues: str,
        interval: float,
        sweep_interval: float,
        batch: bool,
        reload: bool,
        backend_name: str,
        startup_delay: bool,
        max_tasks: int | None,
        worker_id: str,
        **options: object,
    ) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues ne va qu'avec --queue-name=*")
        worker = Worker(
            sweeps=[import_string(path) for path in settings.WORKER_SWEEPS],
            sweep_interval=sweep_interval,
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the child process that runs the loop
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
