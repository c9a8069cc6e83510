"""Writes on cases. Every status change is a conditional UPDATE plus a transition-log row."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from guichet.accounts.models import User
from guichet.cases import selectors
from guichet.cases.enums import CaseKind, CaseStatus
from guichet.cases.models import Case
from guichet.cases.rules import CASE_DUE_DELAY, CASE_MACHINE
from guichet.core import clock
from guichet.core.transitions import StaleTransition
from guichet.reference.models import Fund, Person


class CaseActionRefused(Exception):
    """The action cannot be done on this case now; the message is shown to the agent."""


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
        raise CaseActionRefused(CASE_MACHINE.stale.message)
    if source == CaseStatus.IN_PROGRESS:
        scope = scope.filter(assignee=agent)
    # Conditional UPDATE: of two agents acting at once, exactly one matches the row.
    try:
        CASE_MACHINE.move(case, target, by=agent, queryset=scope, **changes)
    except StaleTransition as stale:
        raise CaseActionRefused(stale.message) from stale
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
    """Close a case the agent holds. Procedures call this from their own closing service."""
    return _move(
        case_id=case_id,
        agent=agent,
        source=CaseStatus.IN_PROGRESS,
        target=CaseStatus.CLOSED,
        closed_at=clock.now(),
    )
