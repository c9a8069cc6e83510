"""PostgreSQL read replicas (issue 16): a database router, the alias of heavy reads, and « read
your own writes » (docs/decisions/database-replicas.md).

- Every read goes to the primary ("default") unless a heavy selector asks for
  ``heavy_reads()``: the payments lists, the statements' payments, the overlap detection's scan.
  A row read from the replica keeps reading its relations there (Django's own rule: a router
  that has no opinion leaves a related read on the instance's database).
- Every write goes to the primary, even the save of a row read from the replica.
- ``heavy_reads()`` answers "replica" only when the alias exists (GUICHET_REPLICA_URL) and the
  person served has not just written: a write during this request, or a write of theirs in the
  last GUICHET_REPLICA_PIN_SECONDS in any web process (a mark in the shared cache, set by
  ``ReadYourWritesMiddleware`` when a request that wrote ends). Outside a request (a command,
  the worker), a process that has written reads the primary from then on.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
# Writes that every request makes, whatever the person does (the session's touch, the cache):
# never a reason to keep someone's reads on the primary (the session model of the
# SESSION_ENGINE, guichet.accounts.sessions, and Django's database cache, whose stand-in model
# has an app label and a model name but no label).
BOOKKEEPING_MODELS = frozenset({"accounts.session", "django_cache.cacheentry"})
PIN_KEY = "guichet:lire-le-primaire:{}"

_wrote: ContextVar[bool] = ContextVar("guichet_wrote", default=False)
_request: ContextVar[HttpRequest | None] = ContextVar("guichet_request", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _person_id(request: HttpRequest) -> int | None:
    """The account served: the API's bearer token holder (request.auth) or the session's user."""
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


def pinned(person_id: int) -> bool:
    """Whether this account wrote in the last GUICHET_REPLICA_PIN_SECONDS (any web process)."""
    return bool(cache.get(PIN_KEY.format(person_id)))


def pin(person_id: int) -> None:
    cache.set(PIN_KEY.format(person_id), True, timeout=settings.GUICHET_REPLICA_PIN_SECONDS)


def heavy_reads() -> str:
    """The database alias a heavy read should use: the replica, unless the reader just wrote."""
    if not replica_configured() or _wrote.get():
        return DEFAULT_DB_ALIAS
    request = _request.get()
    person_id = _person_id(request) if request is not None else None
    if person_id is not None and pinned(person_id):
        return DEFAULT_DB_ALIAS
    return REPLICA


class PrimaryReplicaRouter:
    """DATABASE_ROUTERS: writes on the primary, reads where the query or its instance says."""

    def db_for_read(self, model: type[Model], **hints: object) -> str | None:
        return None

    def db_for_write(self, model: type[Model], **hints: object) -> str:
        if f"{model._meta.app_label}.{model._meta.model_name}" not in BOOKKEEPING_MODELS:
            _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: object) -> bool | None:
        same_data = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in same_data and obj2._state.db in same_data:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool | None:
        return False if db == REPLICA else None


class ReadYourWritesMiddleware:
    """Scopes « this request wrote » to the request, and when it did, keeps the person's heavy
    reads on the primary for GUICHET_REPLICA_PIN_SECONDS, in every web process (the cache)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        wrote_token = _wrote.set(False)
        request_token = _request.set(request)
        try:
            response = self.get_response(request)
            if _wrote.get() and replica_configured():
                person_id = _person_id(request)
                if person_id is not None:
                    pin(person_id)
            return response
        finally:
            _request.reset(request_token)
            _wrote.reset(wrote_token)
