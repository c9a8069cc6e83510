"""Middleware of every response: the request log line (issue 16, docs/operations.md) and the
headers that every page and API response carries (issue 13, docs/security.md)."""

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from guichet.core import logs, metrics

request_logger = logging.getLogger("guichet.request")


class RequestLogMiddleware:
    """One JSON line per request (logger ``guichet.request``) and its latency in the metrics.

    The line has the request's id (the caller's well-formed X-Request-ID, else a new one, sent
    back in the response's X-Request-ID), the method, the URL pattern matched (never the path
    typed nor the query string: they may hold a NIR), the status and the duration. Nothing
    else: no user, no address, no body.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = logs.request_id_from(request.headers.get(logs.REQUEST_ID_HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        token = logs.request_id_bind(request_id)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            duration = time.perf_counter() - start
            route = logs.route_of(request)
            response[logs.REQUEST_ID_HEADER] = request_id
            metrics.request_observe(
                method=request.method or "",
                route=route,
                status=response.status_code,
                seconds=duration,
            )
            request_logger.info(
                "requête",
                extra={
                    "method": request.method,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 1),
                },
            )
            return response
        finally:
            logs.request_id_unbind(token)


class NoStoreMiddleware:
    """No cache — browser, proxy or shared — keeps what the application serves.

    Nearly every page shows personal data (a NIR, a name, payments) or a CSRF token tied to the
    visitor, so no response is storable unless its view says otherwise by setting its own
    ``Cache-Control`` (static files are served before this middleware runs).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
