"""Liveness and readiness (issue 16, docs/operations.md « Santé et métriques »)."""

import datetime as dt

import pytest
import time_machine
from django.db import OperationalError, connection
from django.test import override_settings

from guichet.core import clock, health
from guichet.core.management.commands.run_worker import Worker
from guichet.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


def _beat(worker_id: str = "worker-a", at: dt.datetime = NOW) -> None:
    with time_machine.travel(at, tick=False):
        health.worker_heartbeat_start(worker_id=worker_id, host="machine-1", pid=4242)


def _worker() -> Worker:
    return Worker(
        sweeps=[],
        sweep_interval=15.0,
        queue_names=["default"],
        interval=0.1,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="worker-under-test",
        excluded_queue_names=[],
    )


def test_liveness_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/sante/vivant")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["guichet.example"])
def test_probes_by_address_in_plain_http_are_answered(client):
    # A load balancer probes a backend by its address, in plain HTTP: neither the host check
    # nor the HTTPS redirect stands in the way (they still guard the pages).
    response = client.get("/sante/vivant", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    page = client.get("/connexion/", HTTP_HOST="guichet.example")
    assert page.status_code == 301


def test_health_endpoints_never_touch_a_session(insured_client, django_assert_num_queries):
    # A signed-in browser's session cookie comes along: no session is read nor written back.
    _beat(at=clock.now())
    with django_assert_num_queries(1):  # the heartbeat's MAX(beat_at), nothing else
        response = insured_client.get("/sante/pret")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert "Vary" not in response


def test_readiness_without_any_worker_is_unavailable(client):
    response = client.get("/sante/pret")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "worker": "absent",
        "worker_age_seconds": None,
        "stale_after_seconds": 60,
    }


def test_readiness_with_a_recent_heartbeat_is_ok(client):
    _beat(at=NOW)
    with time_machine.travel(NOW + dt.timedelta(seconds=59), tick=False):
        response = client.get("/sante/pret/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["worker_age_seconds"] == 59.0


@override_settings(GUICHET_WORKER_STALE_SECONDS=60)
def test_readiness_with_a_stale_heartbeat_is_unavailable(client):
    _beat(at=NOW)
    with time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False):
        response = client.get("/sante/pret")
    assert response.status_code == 503
    assert response.json()["worker"] == "stale"


def test_the_freshest_of_several_workers_counts(client):
    _beat("worker-gone", at=NOW - dt.timedelta(minutes=30))
    _beat("worker-alive", at=NOW)
    with time_machine.travel(NOW + dt.timedelta(seconds=5), tick=False):
        assert client.get("/sante/pret").status_code == 200


def test_readiness_when_the_database_fails(client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("connexion refusée")

    with connection.execute_wrapper(refuse):
        response = client.get("/sante/pret")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert response.json()["worker"] == "unknown"


def test_health_endpoints_take_only_get_and_head(client):
    response = client.post("/sante/vivant")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_the_worker_loop_writes_its_heartbeat_at_most_every_interval():
    worker = _worker()
    with time_machine.travel(NOW, tick=False):
        worker.beat_if_due()
    row = WorkerHeartbeat.objects.get(worker_id="worker-under-test")
    assert row.beat_at == NOW
    assert row.started_at == NOW
    with time_machine.travel(NOW + dt.timedelta(seconds=3), tick=False):
        worker.beat_if_due()  # within HEARTBEAT_INTERVAL_SECONDS: no write
    row.refresh_from_db()
    assert row.beat_at == NOW
    worker._next_beat = 0.0  # the interval has passed
    with time_machine.travel(NOW + dt.timedelta(seconds=12), tick=False):
        worker.beat_if_due()
    row.refresh_from_db()
    assert row.beat_at == NOW + dt.timedelta(seconds=12)
    assert row.started_at == NOW


def test_a_worker_forgets_rows_a_day_old_at_start_and_removes_its_own_when_it_stops():
    _beat("worker-of-last-week", at=clock.now() - dt.timedelta(days=7))
    _beat("worker-of-this-morning", at=clock.now() - dt.timedelta(hours=3))
    worker = _worker()
    worker.beat_if_due()  # the first beat of the loop
    assert set(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == {
        "worker-of-this-morning",
        "worker-under-test",
    }
    worker.heartbeat_stop()  # run()'s finally, after a clean stop
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == [
        "worker-of-this-morning"
    ]
