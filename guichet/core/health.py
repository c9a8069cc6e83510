"""Health of the service (issue 16, docs/operations.md « Santé et métriques »): the task
workers' heartbeats, the readiness check and the task queue's counts.

Each worker (manage.py run_worker) writes its heartbeat row at most every
HEARTBEAT_INTERVAL_SECONDS from its loop, between two tasks, so a row that stops moving means a
worker that stopped working (dead, stuck in a task, or without its database). A heartbeat is
stale after settings.GUICHET_WORKER_STALE_SECONDS (60 s by default: six missed beats;
docs/decisions/operations-health-and-metrics.md).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Max
from django_tasks_db.models import DBTaskResult

from guichet.core import clock
from guichet.core.models import WorkerHeartbeat

HEARTBEAT_INTERVAL_SECONDS = 10.0
# Rows of workers gone for this long are deleted when a worker starts.
HEARTBEAT_FORGET_AFTER = dt.timedelta(days=1)


def worker_heartbeat(*, worker_id: str, host: str, pid: int, started_at: dt.datetime) -> None:
    """Record that this worker is alive now (one row per worker id, updated in place)."""
    now = clock.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=now)
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, host=host, pid=pid, started_at=started_at, beat_at=now
        )


def worker_heartbeat_start(*, worker_id: str, host: str, pid: int) -> dt.datetime:
    """A worker starts: forget the workers long gone and write its first heartbeat."""
    started_at = clock.now()
    WorkerHeartbeat.objects.filter(beat_at__lt=started_at - HEARTBEAT_FORGET_AFTER).delete()
    worker_heartbeat(worker_id=worker_id, host=host, pid=pid, started_at=started_at)
    return started_at


def worker_heartbeat_stop(*, worker_id: str) -> None:
    """A worker stops cleanly: its row goes, so readiness does not count it for a minute."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


@dataclass(frozen=True)
class Readiness:
    database: bool
    # Seconds since the freshest heartbeat; None when no worker has ever beaten.
    worker_age_seconds: float | None
    stale_after_seconds: int

    @property
    def worker(self) -> bool:
        return (
            self.worker_age_seconds is not None
            and self.worker_age_seconds <= self.stale_after_seconds
        )

    @property
    def ready(self) -> bool:
        return self.database and self.worker


def readiness() -> Readiness:
    """Does the database answer, and has a worker beaten recently? One indexed query."""
    stale_after = settings.GUICHET_WORKER_STALE_SECONDS
    try:
        last = WorkerHeartbeat.objects.aggregate(last=Max("beat_at"))["last"]
    except DatabaseError:
        return Readiness(database=False, worker_age_seconds=None, stale_after_seconds=stale_after)
    age = None if last is None else max((clock.now() - last).total_seconds(), 0.0)
    return Readiness(database=True, worker_age_seconds=age, stale_after_seconds=stale_after)


@dataclass(frozen=True)
class WorkerSeen:
    worker_id: str
    host: str
    age_seconds: float


def workers_seen() -> list[WorkerSeen]:
    """Every worker with a heartbeat row and the age of its last beat."""
    now = clock.now()
    return [
        WorkerSeen(
            worker_id=row.worker_id,
            host=row.host,
            age_seconds=max((now - row.beat_at).total_seconds(), 0.0),
        )
        for row in WorkerHeartbeat.objects.order_by("worker_id")
    ]


def task_counts() -> dict[tuple[str, str], int]:
    """django-tasks-db's table counted by (queue, status), in one GROUP BY."""
    rows = DBTaskResult.objects.values("queue_name", "status").annotate(n=Count("pk"))
    return {(row["queue_name"], row["status"]): row["n"] for row in rows}
