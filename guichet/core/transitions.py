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
    ) -> None:
        self._allowed = {source: frozenset(targets) for source, targets in transitions.items()}
        self.log = log
        self.field = field

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
        stale: Refusal = STALE,
        log_fields: Mapping[str, object] | None = None,
        **fields: object,
    ) -> None:
        """Move ``obj`` to ``target`` (and set ``fields`` in the same UPDATE), then log it.

        Raises TransitionNotAllowed when the table forbids it (a programming error), and
        StaleTransition (a `Refused` with ``stale``'s message) when the stored status is no
        longer the one ``obj`` holds.
        """
        source = getattr(obj, self.field)
        self.check(source, target)
        with transaction.atomic():
            updated = (
                type(obj)
                ._default_manager.filter(pk=obj.pk, **{self.field: source})
                .update(**{self.field: target}, **fields)
            )
            if not updated:
                raise StaleTransition(source, target, stale)
            setattr(obj, self.field, target)
            for name, value in fields.items():
                setattr(obj, name, value)
            self.record(obj, source=source, target=target, by=by, note=note, **(log_fields or {}))

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
        """Write the log row of a change (also the first one, from "" at creation)."""
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
