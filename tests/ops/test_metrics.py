"""Prometheus metrics (issue 16, docs/operations.md « Santé et métriques »): the latency
histogram, and gauges read from the database at scrape time, behind a bearer token."""

import datetime as dt

import pytest
import time_machine
from prometheus_client.parser import text_string_to_metric_families

from guichet.core import health
from guichet.notifications import services as notifications
from guichet.notifications.enums import EmailStatus
from guichet.notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db

TOKEN = "jeton-de-test-des-metriques-0123456789"
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _token(settings):
    settings.GUICHET_METRICS_TOKEN = TOKEN


def _scrape(client) -> dict[str, list]:
    response = client.get("/metriques", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return {
        family.name: family.samples
        for family in text_string_to_metric_families(response.content.decode())
    }


def _value(samples, name: str, **labels: str) -> float:
    (value,) = [s.value for s in samples if s.name == name and s.labels == labels]
    return value


def test_without_a_configured_token_there_are_no_metrics(client, settings):
    settings.GUICHET_METRICS_TOKEN = ""
    assert client.get("/metriques").status_code == 404
    assert client.get("/metriques", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.parametrize(
    "authorization", [None, "Bearer mauvais-jeton", f"Basic {TOKEN}", TOKEN, f"Bearer {TOKEN}x"]
)
def test_metrics_need_the_bearer_token(client, authorization):
    extra = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    response = client.get("/metriques", **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"guichet_" not in response.content


def test_the_latency_histogram_counts_requests_by_route_and_status(client):
    labels = {"method": "GET", "route": "connexion/", "status": "200"}
    count_name = "guichet_http_request_duration_seconds_count"
    before = [
        s.value
        for s in _scrape(client)["guichet_http_request_duration_seconds"]
        if s.name == count_name and s.labels == labels
    ]
    client.get("/connexion/?nir=284057511101104")
    client.get("/connexion/")
    samples = _scrape(client)["guichet_http_request_duration_seconds"]
    count = _value(samples, count_name, **labels)
    assert count == sum(before) + 2
    assert _value(samples, "guichet_http_request_duration_seconds_bucket", **labels, le="+Inf") == (
        count
    )
    assert not any("284057511101104" in str(s.labels) for s in samples)
    # The scrapes themselves and the health probes are not counted.
    assert not any(s.labels.get("route", "").startswith(("metriques", "sante")) for s in samples)


def test_the_task_queue_and_the_outbox_are_read_from_the_database(
    client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            notifications.email_queue(
                to=f"personne{n}@example.org",
                subject="Réinitialisation de votre code personnel",
                template="emails/code_reset",
                context={"link": "http://localhost/lien", "hours": 24},
            )
    OutboundEmail.objects.filter(to="personne0@example.org").update(status=EmailStatus.SENT)
    OutboundEmail.objects.filter(to="personne1@example.org").update(
        created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    )
    metrics = _scrape(client)
    assert _value(metrics["guichet_tasks"], "guichet_tasks", queue="default", status="READY") == 3
    outbox = metrics["guichet_email_outbox"]
    assert _value(outbox, "guichet_email_outbox", status="queued") == 2
    assert _value(outbox, "guichet_email_outbox", status="sent") == 1
    assert _value(outbox, "guichet_email_outbox", status="failed") == 0
    oldest = metrics["guichet_email_outbox_oldest_waiting_seconds"][0].value
    assert 600 <= oldest < 700


def test_the_workers_heartbeats_are_read_from_the_database(client):
    with time_machine.travel(NOW, tick=False):
        health.worker_heartbeat_start(worker_id="worker-b", host="machine-2", pid=7)
    with time_machine.travel(NOW + dt.timedelta(seconds=20), tick=False):
        metrics = _scrape(client)
    ages = metrics["guichet_worker_heartbeat_age_seconds"]
    assert _value(
        ages, "guichet_worker_heartbeat_age_seconds", worker_id="worker-b", host="machine-2"
    ) == pytest.approx(20.0)
    assert metrics["guichet_worker_ready"][0].value == 1
    with time_machine.travel(NOW + dt.timedelta(seconds=120), tick=False):
        assert _scrape(client)["guichet_worker_ready"][0].value == 0
