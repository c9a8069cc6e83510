"""Middleware of every response: the request log line (issue 16, docs/operations.md) and the
headers that every page and API response carries (issue 13, docs/security.md)."""

import functools
import logging
import time
from collections.abc import Callable

import csp.middleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
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


_NONCE_MARK = "\x00"  # never in a policy: where each response's nonce goes
_PER_VIEW = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@functools.cache
def _settings_policies() -> dict[bool, tuple[str, list[str]]]:
    """The policy of the settings (and the report-only one), built once per process: for each,
    the header without a nonce and the header cut where the nonce goes."""
    return {
        report_only: (
            build_policy(report_only=report_only),
            build_policy(nonce=_NONCE_MARK, report_only=report_only).split(_NONCE_MARK),
        )
        for report_only in (False, True)
    }


@receiver(setting_changed)
def _policies_changed(setting: str, **kwargs: object) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policies.cache_clear()


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, the settings' policy built once per process (issue 16).

    django-csp builds the header from the settings at every response (two dataclass copies, the
    directives copied, sorted and joined: about a tenth of the minimal signed-in request's CPU);
    the settings do not change while the process runs, only the nonce does, so the header is
    built once with a mark where the nonce goes. A view with its own policy (a ``csp_*``
    decorator: the kiosk's frame-ancestors) still gets django-csp's own construction.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if any(getattr(response, name, None) is not None for name in _PER_VIEW) or (
            settings.DEBUG and response.status_code in (500, 404)
        ):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        for report_only, header, exempt, setting in (
            (False, csp.middleware.HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (
                True,
                csp.middleware.HEADER_REPORT_ONLY,
                "_csp_exempt_ro",
                "CONTENT_SECURITY_POLICY_REPORT_ONLY",
            ),
        ):
            without_nonce, around_nonce = _settings_policies()[report_only]
            policy = nonce.join(around_nonce) if nonce else without_nonce
            if not policy or header in response or getattr(response, exempt, False):
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = policy
        if nonce is None:
            request.csp_nonce = csp.middleware.CheckableLazyObject(  # type: ignore[attr-defined]
                self._csp_nonce_post_response
            )
        return response
