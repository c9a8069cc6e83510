"""Statements compiled once per process (issue 16, docs/decisions/prepared-statements.md).

The ORM compiles a queryset into SQL at every evaluation: for the pages' and the documents'
fixed reads (the same joins, the same columns, only the ids and dates change), that compiling
costs more CPU than running the statement. A `PreparedRead` builds its queryset once per
process and database alias, with stand-in values for its arguments, keeps Django's compiler
of it (the SQL, the selected columns, how rows become objects) and, at each call, runs that
SQL with the call's values in the stand-ins' places; the rows go through Django's own
iterables (`ModelIterable`, `values()`…), so objects, `select_related` caches and database
converters are exactly what the queryset would give.

What it keeps is the text of a statement, a function of the code and the database's quoting:
never a row, a person or a request (nothing about anyone outlives the call).

Only for querysets whose SQL does not depend on the values: an `__in` list, a None that
becomes `IS NULL` or a value that picks a branch in Python would change the statement, and
the first call checks it (two builds with different stand-ins must give the same SQL, with
each argument at the same places) and raises `ImproperlyConfigured` otherwise.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from itertools import chain
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import QuerySet
from django.db.models.sql.constants import MULTI

T = TypeVar("T")

# The kinds of arguments, each with its stand-ins and how Django hands such a value to the
# database (the same `connection.ops` adaptation a lookup on such a field makes).
_INT_BASE = 1_900_001_000
_DATE_BASE = dt.date(1901, 2, 3)
_DATETIME_BASE = dt.datetime(1901, 2, 3, 4, 5, 6, 789_000, tzinfo=dt.UTC)


def _stand_in(kind: type, index: int, round_: int) -> Any:
    step = 97 * index + 13 * round_
    if kind is int:
        return _INT_BASE + step
    if kind is dt.datetime:
        return _DATETIME_BASE + dt.timedelta(days=step, seconds=step)
    if kind is dt.date:
        return _DATE_BASE + dt.timedelta(days=step)
    if kind is str:
        return f"\x1fprepared-{index}-{round_}"
    raise ImproperlyConfigured(f"PreparedRead: unsupported argument type {kind!r}")


def _adapted(kind: type, value: Any, connection: Any) -> Any:
    if value is None:
        raise ValueError("PreparedRead: None changes the statement (IS NULL); pass a value")
    if kind is int:
        return int(value)
    if kind is dt.datetime:
        if not isinstance(value, dt.datetime):
            raise TypeError(f"PreparedRead: a datetime is expected, not {value!r}")
        return connection.ops.adapt_datetimefield_value(value)
    if kind is dt.date:
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise TypeError(f"PreparedRead: a date is expected, not {value!r}")
        return connection.ops.adapt_datefield_value(value)
    return str(value)


class _Compiled:
    """One alias's statement: Django's compiler of the stand-ins' queryset, the SQL, and for
    each parameter either a constant of the queryset or the name of the argument it takes."""

    def __init__(self, read: "PreparedRead", alias: str) -> None:
        connection = connections[alias]
        rounds = []
        for round_ in (0, 1):
            values = {
                name: _stand_in(kind, index, round_)
                for index, (name, kind) in enumerate(read.arguments.items())
            }
            queryset = read.build(**values).using(alias)
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            adapted = {
                name: _adapted(read.arguments[name], value, connection)
                for name, value in values.items()
            }
            slots: list[tuple[bool, Any]] = []
            for param in params:
                names = [n for n, a in adapted.items() if type(a) is type(param) and a == param]
                if len(names) > 1:
                    raise ImproperlyConfigured(f"PreparedRead {read.name}: ambiguous parameter")
                slots.append((True, names[0]) if names else (False, param))
            rounds.append((queryset, compiler, sql, slots))
        (queryset, compiler, sql, slots), (_, _, other_sql, other_slots) = rounds
        taken = {value for is_argument, value in slots if is_argument}
        if sql != other_sql or slots != other_slots or taken != set(read.arguments):
            raise ImproperlyConfigured(
                f"PreparedRead {read.name}: its statement depends on the values, or an argument"
                " is not a parameter of it; use the queryset itself"
            )
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ImproperlyConfigured(f"PreparedRead {read.name}: composite fields")
        self.converters = compiler.get_converters(fields)
        self.queryset = queryset
        self.compiler = compiler
        self.sql = sql
        self.slots = slots

    def params(self, kinds: dict[str, type], values: dict[str, Any], connection: Any) -> list:
        adapted = {name: _adapted(kinds[name], values[name], connection) for name in kinds}
        return [adapted[value] if is_argument else value for is_argument, value in self.slots]


class _Replay:
    """Stands for the compiler of a call: runs the kept SQL with this call's parameters, and
    lends everything else (selected columns, converters, how rows become objects) from the
    compiler kept for the statement."""

    def __init__(self, compiled: _Compiled, params: list, alias: str) -> None:
        self._compiled = compiled
        self._params = params
        self._alias = alias

    def execute_sql(self, result_type: str = MULTI, **_: object) -> Iterator[list]:
        compiler = self._compiled.compiler
        # This thread's connection (the kept compiler's is the one of the thread that compiled).
        with connections[self._alias].cursor() as cursor:
            cursor.execute(self._compiled.sql, self._params)
            rows = cursor.fetchall()
        if compiler.col_count and compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        return iter([rows])

    def results_iter(
        self, results: Iterator[list] | None = None, tuple_expected: bool = False, **_: object
    ) -> Iterator:
        """The compiler's own (ModelIterable, values()…), on this call's rows, with the
        statement's converters found once."""
        if results is None:
            results = self.execute_sql()
        rows: Iterator = chain.from_iterable(results)
        if self._compiled.converters:
            rows = self._compiled.compiler.apply_converters(rows, self._compiled.converters)
        if tuple_expected:
            rows = map(tuple, rows)
        return rows

    def __getattr__(self, name: str) -> Any:
        return getattr(self._compiled.compiler, name)


class PreparedRead(Generic[T]):
    """A read whose SQL is compiled once per process and alias.

    `build(**arguments)` returns the queryset (sliced and ordered as wanted, not evaluated);
    `arguments` gives each argument's type (int, str, dt.date, dt.datetime). `using`, when
    given, says at each call which alias to read (e.g. `core.db.heavy_reads`); otherwise the
    router's. Calling it returns the list the queryset would give."""

    def __init__(
        self,
        name: str,
        build: Callable[..., QuerySet],
        *,
        using: Callable[[], str] | None = None,
        **arguments: type,
    ) -> None:
        self.name = name
        self.build = build
        self.arguments = arguments
        self._using = using
        self._compiled: dict[str, _Compiled] = {}
        self._model: Any = None

    def _alias(self) -> str:
        if self._using is not None:
            return self._using()
        if self._model is None:
            values = {n: _stand_in(k, i, 0) for i, (n, k) in enumerate(self.arguments.items())}
            self._model = self.build(**values).model
        return router.db_for_read(self._model) or DEFAULT_DB_ALIAS

    def __call__(self, **values: Any) -> list[T]:
        if values.keys() != self.arguments.keys():
            raise TypeError(f"PreparedRead {self.name}: arguments {sorted(self.arguments)}")
        alias = self._alias()
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = _Compiled(self, alias)
        params = compiled.params(self.arguments, values, connections[alias])
        replay = _Replay(compiled, params, alias)
        queryset = compiled.queryset._chain()  # its own clone of the query
        # This clone's compiler is the replay; the clone is evaluated here and never handed out.
        queryset.query.get_compiler = lambda *args, **kwargs: replay  # type: ignore[method-assign]
        return list(queryset)
