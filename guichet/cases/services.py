"""Writes on cases. Every status change is a conditional UPDATE plus a transition-log row.

Closing a case is its procedure's business (O7: the complementary choice is applied first and
the insured notified): `case_close` dispatches to the closer that the procedure's app registers
in its AppConfig.ready() with `case_closer_register`, for the model its cases are about, and
closes a case as is when its subject has none (docs/decisions/rules-in-services.md).
"""

from typing import Any, Protocol

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from guichet.accounts.models import User
from guichet.cases import selectors
from guichet.cases.enums import CaseKind, CaseStatus
from guichet.cases.models import Case
from guichet.cases.rules import CASE_DUE_DELAY, CASE_MACHINE
from guichet.core import clock
from guichet.core.refusals import Refused
from guichet.reference.models import Fund, Person


class CaseCloser(Protocol):
    """A procedure's closing service for one case the agent holds (raises Refused)."""

    def __call__(self, *, case: Case, agent: User) -> object: ...


_CLOSERS: dict[type[models.Model], CaseCloser] = {}


def case_closer_register(*, subject: type[models.Model], closer: CaseCloser) -> None:
    """Called once by a procedure's AppConfig.ready(): the cases about a `subject` are closed
    by `closer`, whoever asks to close them."""
    registered = _CLOSERS.setdefault(subject, closer)
    if registered is not closer:
        raise ValueError(f"Les affaires sur {subject.__name__} ont déjà un service de clôture.")


def case_closer(*, subject: type[models.Model] | None) -> CaseCloser | None:
    return _CLOSERS.get(subject) if subject is not None else None


@transaction.atomic
def case_open(
    *,
    kind: CaseKind,
    subject: models.Model,
    fund: Fund,
    insured: Person,
    is_complex: bool = False,
    actor: User | None = None,
) -> Case:
    now = clock.now()
    case = Case.objects.create(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        fund=fund,
        insured=insured,
        is_complex=is_complex,
        opened_at=now,
        due_at=now + CASE_DUE_DELAY,
    )
    CASE_MACHINE.record(case, source="", target=CaseStatus.OPEN, by=actor)
    return case


def _move(*, case_id: int, agent: User, source: str, target: str, **changes: Any) -> Case:
    CASE_MACHINE.check(source, target)
    # Raises Case.DoesNotExist outside the agent's scope: another fund's case does not exist.
    scope = selectors.cases_for_agent(agent=agent)
    case = scope.get(pk=case_id)
    if case.status != source:
        raise Refused(CASE_MACHINE.stale)
    if source == CaseStatus.IN_PROGRESS:
        scope = scope.filter(assignee=agent)
    # Conditional UPDATE: of two agents acting at once, exactly one matches the row (the other
    # gets StaleTransition, a Refused with the machine's stale refusal).
    CASE_MACHINE.move(case, target, by=agent, queryset=scope, **changes)
    case.refresh_from_db()
    return case


@transaction.atomic
def case_claim(*, case_id: int, agent: User) -> Case:
    """Take an open case: it is then in progress and only this agent may work on it."""
    return _move(
        case_id=case_id,
        agent=agent,
        source=CaseStatus.OPEN,
        target=CaseStatus.IN_PROGRESS,
        assignee=agent,
    )


@transaction.atomic
def case_release(*, case_id: int, agent: User) -> Case:
    """Put a case one holds back in the queue."""
    return _move(
        case_id=case_id,
        agent=agent,
        source=CaseStatus.IN_PROGRESS,
        target=CaseStatus.OPEN,
        assignee=None,
    )


@transaction.atomic
def case_close(*, case_id: int, agent: User) -> Case:
    """Close a case the agent holds, through its procedure's closer when one is registered for
    its subject (raises Case.DoesNotExist outside the agent's scope, Refused when the case or
    its procedure cannot be closed now)."""
    case = selectors.cases_for_agent(agent=agent).select_related("subject_type").get(pk=case_id)
    closer = case_closer(subject=case.subject_type.model_class())
    if closer is None:
        return case_mark_closed(case_id=case_id, agent=agent)
    closer(case=case, agent=agent)
    case.refresh_from_db()
    return case


@transaction.atomic
def case_mark_closed(*, case_id: int, agent: User) -> Case:
    """The closing move itself (in progress → closed), which a procedure's closer makes once
    its own work is done."""
    return _move(
        case_id=case_id,
        agent=agent,
        source=CaseStatus.IN_PROGRESS,
        target=CaseStatus.CLOSED,
        closed_at=clock.now(),
    )


@transaction.atomic
def case_close_withdrawn(*, subject: models.Model, by: User) -> Case | None:
    """The person withdrew the request a case is about (SIT27): its case leaves the queue,
    open or held by an agent, closed with the note « demande annulée par l'assuré ». The caller
    has locked and moved the request itself; None when it had no open case."""
    case = (
        Case.objects.select_for_update()
        .filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)
        .exclude(status=CaseStatus.CLOSED)
        .first()
    )
    if case is None:
        return None
    CASE_MACHINE.move(
        case,
        CaseStatus.CLOSED,
        by=by,
        note="Demande annulée par l'assuré.",
        closed_at=clock.now(),
    )
    return case
