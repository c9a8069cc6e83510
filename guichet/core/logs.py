"""Structured logs (issue 16, docs/operations.md « Journaux »): one JSON object per line,
formatted by python-json-logger (settings.LOGGING), each carrying the id of the request it
belongs to.

No personal data goes into a log: the request line names the URL pattern, never the path
typed (it may hold a NIR) nor the query string; Django's own request records (« Not Found:
/path ») get the same pattern instead of the path, and the request object they carry is
never printed (its repr has the query string).
"""

import contextvars
import logging
import re
import uuid

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is kept when it looks like an id: 8 to 128 letters, digits, '.', '_', ':',
# '-', and not only digits (a NIR is 15 digits; a bare number is no request id).
_WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
UNMATCHED_ROUTE = "<aucune route>"

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "guichet_request_id", default=None
)


def request_id_from(incoming: str | None) -> str:
    """The id of a request: the caller's X-Request-ID if well formed, else a new one."""
    if incoming and _WELL_FORMED_ID.fullmatch(incoming) and not incoming.isdigit():
        return incoming
    return uuid.uuid4().hex


def request_id_bind(value: str | None) -> contextvars.Token:
    return _request_id.set(value)


def request_id_unbind(token: contextvars.Token) -> None:
    _request_id.reset(token)


def route_of(request: object) -> str:
    """The URL pattern a request matched (e.g. ``mes-documents/<str:reference>/pdf/``)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNMATCHED_ROUTE
    return match.route or "/"  # the home page's pattern is empty


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record written while a request is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = _request_id.get()
        return True


class DjangoRequestFilter(logging.Filter):
    """Django's own records about a request (``django.request``, ``django.security.*``:
    « Not Found: /path », « Forbidden (CSRF …): /path ») name the URL pattern, not the path."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = record.__dict__.pop("request", None)
        if request is None:
            return True
        # Django writes its « Not Found » after the middleware returned: the id is the request's.
        record.request_id = getattr(request, "request_id", None)
        if isinstance(record.args, tuple):
            path = getattr(request, "path", None)
            record.args = tuple(route_of(request) if arg == path else arg for arg in record.args)
        return True
