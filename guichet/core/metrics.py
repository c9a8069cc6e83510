"""Prometheus metrics (issue 16, docs/operations.md « Santé et métriques »), with
prometheus-client.

Two kinds: the request latency histogram, counted by each web process (with gunicorn, in
prometheus-client's multiprocess files, PROMETHEUS_MULTIPROC_DIR, set by
config/gunicorn.conf.py, so that a scrape sums every worker of the machine); and gauges read
from the database at scrape time (task queue, workers' heartbeats, plus what a domain app
adds, e.g. the email outbox), so that every process of every machine gives the same figures.
"""

import os
from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from guichet.core import health

_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUEST_LATENCY = Histogram(
    "guichet_http_request_duration_seconds",
    "Durée des requêtes HTTP, par méthode, route (motif d'URL) et statut.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0),
)


def request_observe(*, method: str, route: str, status: int, seconds: float) -> None:
    """Count a request in the histogram (an unknown method counts as OTHER: bounded labels)."""
    REQUEST_LATENCY.labels(
        method=method if method in _METHODS else "OTHER", route=route, status=str(status)
    ).observe(seconds)


GaugeSource = Callable[[], Iterable[GaugeMetricFamily]]


class DatabaseGauges(Collector):
    """Gauges computed from the database when Prometheus scrapes."""

    def __init__(self, sources: Iterable[GaugeSource]) -> None:
        self.sources = list(sources)

    def collect(self) -> Iterable[GaugeMetricFamily]:
        for source in self.sources:
            yield from source()


def core_gauges() -> Iterable[GaugeMetricFamily]:
    """The task queue by queue and status, and each worker's heartbeat age."""
    tasks = GaugeMetricFamily(
        "guichet_tasks",
        "Tâches de django-tasks-db, par file et par statut (READY : en attente).",
        labels=["queue", "status"],
    )
    for (queue, status), count in sorted(health.task_counts().items()):
        tasks.add_metric([queue, status], count)
    yield tasks
    ages = GaugeMetricFamily(
        "guichet_worker_heartbeat_age_seconds",
        "Secondes depuis le dernier signe de vie de chaque worker.",
        labels=["worker_id", "host"],
    )
    for seen in health.workers_seen():
        ages.add_metric([seen.worker_id, seen.host], seen.age_seconds)
    yield ages
    ready = health.readiness()
    yield GaugeMetricFamily(
        "guichet_worker_ready",
        "1 si un worker a donné signe de vie depuis moins de GUICHET_WORKER_STALE_SECONDS.",
        value=1 if ready.worker else 0,
    )


def metrics_render(*, sources: Iterable[GaugeSource]) -> bytes:
    """The text exposition of one scrape: this machine's latency and the database's gauges."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_LATENCY)
    registry.register(DatabaseGauges([core_gauges, *sources]))
    return generate_latest(registry)
