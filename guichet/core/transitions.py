"""Explicit state machines: one mechanism for every procedure (docs/architecture.md).

A procedure declares its table once (``StateMachine({source: {targets}}, log=TheLog)``) and
moves its objects only with ``machine.move(obj, target, by=..., note=...)``: the table is
checked, the status changes by a conditional UPDATE on the status read (two agents, two
tabs or two workers cannot both move the same object from the same state), and the log row
(``core.models.TransitionLog``: from, to, at, by, note) is written in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from guichet.core.refusals import Refusal, Refused

if TYPE_CHECKING:
    from guichet.core.models import TransitionLog

BATCH_SIZE = 500  # rows per UPDATE and per bulk_create in move_many (SQLite's variable limit)
STALE = Refusal(
    "stale_state", "Ce dossier a changé d'état entre-temps. Rechargez la page pour le voir."
)


class TransitionNotAllowed(Exception):
    def __init__(self, source: str, target: str) -> None:
        super().__init__(f"Transition interdite : {source} → {target}")
        self.source = source
        self.target = target


class StaleTransition(Refused):
    """Someone else moved the object first: its status is no longer the one that was read."""

    def __init__(self, source: str, target: str, refusal: Refusal = STALE) -> None:
        super().__init__(refusal)
        self.source = source
        self.target = target


class StateMachine:
    def __init__(
        self,
        transitions: Mapping[str, Iterable[str]],
        *,
        log: type[TransitionLog] | None = None,
        field: str = "status",
        stale: Refusal = STALE,
    ) -> None:
        self._allowed = {source: frozenset(targets) for source, targets in transitions.items()}
        self.log = log
        self.field = field
        self.stale = stale  # the procedure's own words for « someone moved it first »

    def can(self, source: str, target: str) -> bool:
        return target in self._allowed.get(source, frozenset())

    def check(self, source: str, target: str) -> None:
        if not self.can(source, target):
            raise TransitionNotAllowed(source, target)

    def targets(self, source: str) -> frozenset[str]:
        return self._allowed.get(source, frozenset())

    def move(
        self,
        obj: models.Model,
        target: str,
        *,
        by: Any = None,
        note: str = "",
        stale: Refusal | None = None,
        queryset: models.QuerySet | None = None,
        log_fields: Mapping[str, object] | None = None,
        **fields: object,
    ) -> None:
        """Move ``obj`` to ``target`` (and set ``fields`` in the same UPDATE), then log it.

        ``queryset`` narrows the rows the UPDATE may touch (an agent's scope, the holder of a
        case); by default every row of the model. Raises TransitionNotAllowed when the table
        forbids the move (a programming error), and StaleTransition (a `Refused` with
        ``stale``'s message, else the machine's) when the stored row is no longer the one ``obj`` holds.
        """
        source = getattr(obj, self.field)
        self.check(source, target)
        rows = type(obj)._default_manager.all() if queryset is None else queryset
        with transaction.atomic():
            updated = rows.filter(pk=obj.pk, **{self.field: source}).update(
                **{self.field: target}, **fields
            )
            if not updated:
                raise StaleTransition(source, target, stale or self.stale)
            setattr(obj, self.field, target)
            for name, value in fields.items():
                setattr(obj, name, value)
            self.record(obj, source=source, target=target, by=by, note=note, **(log_fields or {}))

    def move_many(
        self,
        queryset: models.QuerySet,
        target: str,
        *,
        by: Any = None,
        note: str = "",
        **fields: object,
    ) -> int:
        """Move every row of ``queryset`` whose status may go to ``target``, for a bulk job.

        The rows are locked, moved by one conditional UPDATE per source state and their log
        rows written with ``bulk_create``, all in one transaction; rows whose status cannot go
        to ``target`` are left alone. Returns how many moved. Raises StaleTransition (and
        nothing is kept) if a row changed between the lock and the UPDATE, which the lock
        prevents on PostgreSQL.
        """
        sources = [source for source, targets in self._allowed.items() if target in targets]
        moved = 0
        with transaction.atomic():
            locked = (
                queryset.select_for_update(of=("self",))
                .filter(**{f"{self.field}__in": sources})
                .order_by("pk")
                .values_list("pk", self.field)
            )
            by_source: dict[str, list[Any]] = {}
            for pk, source in locked:
                by_source.setdefault(source, []).append(pk)
            manager = queryset.model._default_manager
            for source, pks in by_source.items():
                for start in range(0, len(pks), BATCH_SIZE):
                    batch = pks[start : start + BATCH_SIZE]
                    updated = manager.filter(pk__in=batch, **{self.field: source}).update(
                        **{self.field: target}, **fields
                    )
                    if updated != len(batch):
                        raise StaleTransition(source, target, self.stale)
                    if self.log is not None:
                        self.log._default_manager.bulk_create(
                            [
                                self.log(
                                    **{f"{self.log.subject_field}_id": pk},
                                    from_status=source,
                                    to_status=target,
                                    by=by,
                                    note=note[:300],
                                )
                                for pk in batch
                            ]
                        )
                    moved += updated
        return moved

    def record(
        self,
        obj: models.Model,
        *,
        source: str,
        target: str,
        by: Any = None,
        note: str = "",
        **log_fields: object,
    ) -> None:
        """Write the log row of a change; at creation, the row from "" (declared in the table:
        ``StateMachine({"": {initial}, ...})``)."""
        self.check(source, target)
        if self.log is None:
            return
        self.log._default_manager.create(
            **{self.log.subject_field: obj},
            from_status=source,
            to_status=target,
            by=by,
            note=note[:300],
            **log_fields,
        )
