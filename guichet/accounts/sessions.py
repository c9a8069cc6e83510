"""Web sessions read with their account: one statement per signed-in request (issue 16).

Django reads the session row, then its AuthenticationMiddleware reads the account named inside
the signed session data: two statements on every signed-in request. Here the row also keeps the
account's id in a column (`accounts.Session.user`, written with the data at every save), so the
store reads the row, the account and its person in one joined statement, and
`SessionAuthenticationMiddleware` takes the account from there, with every check of Django's
`auth.get_user` (docs/decisions/sessions-with-the-account.md):

- the session must name this account and `accounts.backends.AccountBackend` (whose `get_user`
  the join replaces), still in AUTHENTICATION_BACKENDS; otherwise Django's own `get_user`
  decides;
- the account must be allowed to sign in (`user_can_authenticate`: an inactive or closed
  account is signed out);
- the session's auth hash must match the account's: a new code personnel ends every session
  (docs/decisions/security-credentials-and-sessions.md); a hash of one of SECRET_KEY_FALLBACKS
  is renewed with a new session key, as Django does.

A session that names an account which is gone or may no longer sign in is emptied (Django only
ignores it). The idle expiry, the touch interval, the absolute lifetime and the drafts handed on
are those of `guichet.core.sessions.SessionStore`, which this store extends.
"""

from typing import Any, cast

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import ForeignKey, Model, OneToOneField
from django.db.models.expressions import Col
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from guichet.accounts.backends import BACKEND, AccountBackend
from guichet.accounts.models import Session, User
from guichet.core import sessions
from guichet.reference.models import Person


def _account_id(data: dict[str, Any]) -> int | None:
    """The account named in the session data, as the column stores it."""
    value = data.get(SESSION_KEY)
    if value is None:
        return None
    try:
        return User._meta.pk.to_python(value)  # type: ignore[union-attr]
    except ValidationError:
        return None


class _Table:
    """One model of the joined read: its columns in the statement and how to build its row."""

    def __init__(self, model: type[Model], connection: BaseDatabaseWrapper) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [field.attname for field in self.fields]
        self.columns = [
            f"{connection.ops.quote_name(model._meta.db_table)}."
            f"{connection.ops.quote_name(field.column)}"
            for field in self.fields
        ]
        # What the ORM applies to each value read (none for these models on PostgreSQL or
        # SQLite today; kept so that a field type with a converter is read as the ORM reads it).
        self.converters = [
            (index, converters)
            for index, field in enumerate(self.fields)
            if (
                converters := [
                    *connection.ops.get_db_converters(Col(model._meta.db_table, field)),
                    *Col(model._meta.db_table, field).get_db_converters(connection),
                ]
            )
        ]

    def build(self, alias: str, values: list[Any], connection: BaseDatabaseWrapper) -> Model:
        for index, converters in self.converters:
            for converter in converters:
                values[index] = converter(values[index], self.fields[index], connection)
        return self.model.from_db(alias, self.attnames, values)


class _JoinedRead:
    """The statement of every request, written once per process from the models' metadata:
    the session row LEFT JOIN its account LEFT JOIN the account's person, by session key.

    It is what ``Session.objects.select_related("user__person").get(session_key=…)`` runs,
    column for column, without the ORM compiling it again at each request (about a third of
    the CPU of « Rester connecté », docs/decisions/pages-per-request-cost.md, third change).
    """

    def __init__(self, alias: str) -> None:
        connection = connections[alias]
        qn = connection.ops.quote_name
        user_field = cast(ForeignKey, Session._meta.get_field("user"))
        person_field = cast(OneToOneField, User._meta.get_field("person"))
        self.tables = [_Table(model, connection) for model in (Session, User, Person)]

        def column(model: type[Model], name: str) -> str:
            return f"{qn(model._meta.db_table)}.{qn(name)}"

        def pk(model: type[Model]) -> str:
            return column(model, model._meta.pk.column)  # type: ignore[union-attr]

        columns = ", ".join(c for table in self.tables for c in table.columns)
        self.sql = (
            f"SELECT {columns} FROM {qn(Session._meta.db_table)}"  # noqa: S608 (names only)
            f" LEFT OUTER JOIN {qn(User._meta.db_table)}"
            f" ON ({column(Session, user_field.column)} = {pk(User)})"
            f" LEFT OUTER JOIN {qn(Person._meta.db_table)}"
            f" ON ({column(User, person_field.column)} = {pk(Person)})"
            f" WHERE {pk(Session)} = %s"
        )
        self.user_field = user_field
        self.person_field = person_field

    def row(self, alias: str, session_key: str) -> Session:
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [session_key])
            values = cursor.fetchone()
        if values is None:
            raise Session.DoesNotExist
        objects: list[Model | None] = []
        start = 0
        for table in self.tables:
            part = list(values[start : start + len(table.fields)])
            start += len(table.fields)
            pk_index = table.fields.index(table.model._meta.pk)  # type: ignore[arg-type]
            objects.append(None if part[pk_index] is None else table.build(alias, part, connection))
        session, user, person = objects
        # As select_related leaves them: each relation cached, the one-to-one both ways.
        self.user_field.set_cached_value(session, user)
        if user is not None:
            self.person_field.set_cached_value(user, person)
            if person is not None:
                self.person_field.remote_field.set_cached_value(person, user)
        return cast(Session, session)


_reads: dict[str, _JoinedRead] = {}


def joined_session_row(session_key: str) -> Session:
    """The session row of this key with its account and the account's person (None when the
    row names none), in one statement; raises Session.DoesNotExist when there is no row."""
    alias = router.db_for_read(Session) or DEFAULT_DB_ALIAS
    read = _reads.get(alias)
    if read is None:
        read = _reads[alias] = _JoinedRead(alias)
    return read.row(alias, session_key)


class SessionStore(sessions.SessionStore):
    """SESSION_ENGINE: the core store on `accounts.Session`, read with its account and person."""

    account: User | None = None

    @classmethod
    def get_model_class(cls) -> type[Session]:
        return Session

    def _read_session_row(self) -> Session:
        return joined_session_row(self.session_key or "")

    def _get_session_from_db(self):  # type: ignore[no-untyped-def]
        session = super()._get_session_from_db()
        self.account = session.user if session is not None else None
        return session

    def create_model_instance(self, data: dict[str, Any]) -> Session:
        instance = cast(Session, super().create_model_instance(data))
        instance.user_id = _account_id(data)
        return instance


def _checked(request: HttpRequest, account: User) -> User | None:
    """Django's checks of `auth.get_user` on the account read with the session row."""
    session = request.session
    if not AccountBackend().user_can_authenticate(account):
        return None
    session_hash = session.get(HASH_SESSION_KEY) or ""
    auth_hash = account.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, auth_hash):
        return account
    if session_hash and any(
        constant_time_compare(session_hash, fallback)
        for fallback in account.get_session_auth_fallback_hash()
    ):
        session.cycle_key()
        session[HASH_SESSION_KEY] = auth_hash
        return account
    return None


def session_user(request: HttpRequest) -> User | AnonymousUser:
    """The signed-in account of the request's session, or AnonymousUser."""
    session = request.session
    user_id = session.get(SESSION_KEY)
    if user_id is None:
        return AnonymousUser()
    account = getattr(session, "account", None)
    if (
        account is not None
        and session.get(BACKEND_SESSION_KEY) == BACKEND
        and BACKEND in settings.AUTHENTICATION_BACKENDS
        and account._meta.pk.value_to_string(account) == user_id  # type: ignore[union-attr]
    ):
        user: Any = _checked(request, account)
    else:
        user = auth.get_user(request)  # Django's own reads and checks
        if not user.is_authenticated:
            user = None
    if user is None:
        session.flush()
        return AnonymousUser()
    return user


def _cached_session_user(request: HttpRequest) -> User | AnonymousUser:
    if not hasattr(request, "_cached_user"):
        request._cached_user = session_user(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


class SessionAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, `request.user` taken from the session row's join."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_session_user(request))  # type: ignore[assignment]
