"""/sante/vivant, /sante/pret and /metriques, answered before any other middleware.

They come first (settings.MIDDLEWARE) because their callers are machines: a load balancer
probes a backend by its address (no allowed host name) and in plain HTTP (no HTTPS redirect),
Prometheus scrapes every few seconds; none of them has a session, a CSRF token or a page to
protect, and their answers hold no personal data. So no host check, no session read or
written, no CSRF, no CSP, and they are not counted in the request log and latency
(docs/decisions/operations-health-and-metrics.md).
"""

import hmac
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.core import GaugeMetricFamily

from guichet.core import clock, health, metrics
from guichet.notifications import selectors as notifications

LIVENESS_PATH = "/sante/vivant"
READINESS_PATH = "/sante/pret"
METRICS_PATH = "/metriques"


def liveness(request: HttpRequest) -> HttpResponse:
    """The process answers: no database, no other service."""
    return JsonResponse({"status": "ok"})


def readiness(request: HttpRequest) -> HttpResponse:
    """The database answers and a task worker beat less than GUICHET_WORKER_STALE_SECONDS ago;
    503 otherwise, saying which."""
    state = health.readiness()
    if not state.database:
        worker = "unknown"
    elif state.worker_age_seconds is None:
        worker = "absent"
    else:
        worker = "ok" if state.worker else "stale"
    return JsonResponse(
        {
            "status": "ok" if state.ready else "unavailable",
            "database": "ok" if state.database else "unavailable",
            "worker": worker,
            "worker_age_seconds": None
            if state.worker_age_seconds is None
            else round(state.worker_age_seconds, 1),
            "stale_after_seconds": state.stale_after_seconds,
        },
        status=200 if state.ready else 503,
    )


def outbox_gauges() -> Iterable[GaugeMetricFamily]:
    """The email outbox (guichet.notifications) by status, and its oldest waiting email."""
    outbox = GaugeMetricFamily(
        "guichet_email_outbox", "Courriels de la file d'envoi, par statut.", labels=["status"]
    )
    for status, count in sorted(notifications.outbox_counts().items()):
        outbox.add_metric([status], count)
    yield outbox
    oldest = notifications.outbox_oldest_waiting()
    yield GaugeMetricFamily(
        "guichet_email_outbox_oldest_waiting_seconds",
        "Âge du plus ancien courriel pas encore envoyé (0 si aucun).",
        value=0 if oldest is None else max((clock.now() - oldest).total_seconds(), 0.0),
    )


def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus' text format, for the bearer of GUICHET_METRICS_TOKEN (unset: 404)."""
    token = settings.GUICHET_METRICS_TOKEN
    if not token:
        return JsonResponse({"status": "not_found"}, status=404)
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), token.encode()):
        response = JsonResponse({"status": "unauthorized"}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metriques"'
        return response
    return HttpResponse(
        metrics.metrics_render(sources=[outbox_gauges]), content_type=CONTENT_TYPE_LATEST
    )


ENDPOINTS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    LIVENESS_PATH: liveness,
    READINESS_PATH: readiness,
    METRICS_PATH: metrics_view,
}


class OpsEndpointsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        endpoint = ENDPOINTS.get(request.path_info.rstrip("/"))
        if endpoint is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse({"status": "method_not_allowed"}, status=405)
            response["Allow"] = "GET, HEAD"
        else:
            response = endpoint(request)
        add_never_cache_headers(response)
        response["X-Content-Type-Options"] = "nosniff"
        return response
