"""One shape for « why not »: every rule that refuses says so with a `Refusal`.

A rule returns ``Refusal | None`` (None: allowed); a service that must stop raises
``Refused(refusal)``. The code is stable (tests, the API's error bodies and the logs read it);
the message is the French sentence the person reads, from the guide where it gives one.
Interfaces never write a refusal's text themselves: they show ``refusal.message``, and put it on
``refusal.field`` when the refusal concerns one field of their form.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str
    field: str | None = None  # the input it concerns, when it concerns one
    retry_after: dt.timedelta | None = None  # a throttled refusal: how long until a new try

    def on(self, field: str | None) -> Refusal:
        """The same refusal, put on one field of a form (None: on the form as a whole)."""
        return replace(self, field=field)


class Refused(Exception):
    """A service stopped by a rule: carries the rule's `Refusal`."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal

    @property
    def code(self) -> str:
        return self.refusal.code

    @property
    def message(self) -> str:
        return self.refusal.message

    @property
    def field(self) -> str | None:
        return self.refusal.field

    @property
    def retry_after(self) -> dt.timedelta | None:
        return self.refusal.retry_after


def refuse(refusal: Refusal | None) -> None:
    """Raise `Refused` when a rule returned a refusal; do nothing when it returned None."""
    if refusal is not None:
        raise Refused(refusal)
