"""Explicit state machines: one transition table per procedure, checked in one place."""

from collections.abc import Iterable, Mapping


class TransitionNotAllowed(Exception):
    def __init__(self, source: str, target: str) -> None:
        super().__init__(f"Transition interdite : {source} → {target}")
        self.source = source
        self.target = target


class StateMachine:
    def __init__(self, transitions: Mapping[str, Iterable[str]]) -> None:
        self._allowed = {source: frozenset(targets) for source, targets in transitions.items()}

    def can(self, source: str, target: str) -> bool:
        return target in self._allowed.get(source, frozenset())

    def check(self, source: str, target: str) -> None:
        if not self.can(source, target):
            raise TransitionNotAllowed(source, target)

    def targets(self, source: str) -> frozenset[str]:
        return self._allowed.get(source, frozenset())
