"""Reads on cases: the queues and the published processing times (G5)."""

import datetime as dt
import math
import statistics
from dataclasses import dataclass

from django.db.models import QuerySet

from guichet.accounts.models import User
from guichet.accounts.rules import BACK_OFFICE_ROLES, agent_fund_id
from guichet.cases.enums import CaseStatus
from guichet.cases.models import Case
from guichet.cases.rules import PROCESSING_TIMES_WINDOW
from guichet.core import clock
from guichet.reference.models import Fund


def cases_for_agent(*, agent: User) -> QuerySet[Case]:
    """The cases an agent may see: those routed to their fund's queue (the central fund's are
    the complex cases of every fund, rule O6), for back office and supervisors only
    (docs/decisions/security-agents-scope.md)."""
    fund_id = agent_fund_id(agent, roles=BACK_OFFICE_ROLES)
    if fund_id is None:
        return Case.objects.none()
    return Case.objects.filter(fund_id=fund_id)


def agent_queue(*, agent: User) -> QuerySet[Case]:
    """The agent's fund's cases still to handle, the most urgent first."""
    return (
        cases_for_agent(agent=agent)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("insured", "assignee")
        .order_by("due_at", "id")
    )


def case_for_agent(*, agent: User, case_id: int) -> Case | None:
    """One case of the agent's scope; None otherwise (the page answers 404)."""
    return (
        cases_for_agent(agent=agent)
        .select_related("insured", "assignee", "fund", "subject_type")
        .filter(pk=case_id)
        .first()
    )


@dataclass(frozen=True)
class ProcessingTime:
    fund: Fund
    closed_count: int
    median_days: float
    p90_days: float


def _percentile(values: list[float], rank: float) -> float:
    """Nearest-rank percentile (the value below which `rank` of the cases were closed)."""
    ordered = sorted(values)
    index = max(0, math.ceil(rank * len(ordered)) - 1)
    return ordered[index]


def processing_times(*, window: dt.timedelta = PROCESSING_TIMES_WINDOW) -> list[ProcessingTime]:
    """Median and 90th percentile of the days from opening to closing, per fund.

    Cases closed in the last 30 days only; a fund with no closed case is not listed.
    """
    since = clock.now() - window
    durations: dict[int, list[float]] = {}
    funds: dict[int, Fund] = {}
    closed = (
        Case.objects.filter(status=CaseStatus.CLOSED, closed_at__gte=since)
        .select_related("fund")
        .only("opened_at", "closed_at", "fund")
    )
    for case in closed.iterator():
        days = (case.closed_at - case.opened_at).total_seconds() / 86400
        durations.setdefault(case.fund_id, []).append(days)
        funds[case.fund_id] = case.fund
    return [
        ProcessingTime(
            fund=funds[fund_id],
            closed_count=len(values),
            median_days=round(statistics.median(values), 1),
            p90_days=round(_percentile(values, 0.9), 1),
        )
        for fund_id, values in sorted(durations.items(), key=lambda item: funds[item[0]].code)
    ]


def case_for_subject(*, subject_type_id: int, subject_id: int) -> Case | None:
    """The latest case about a subject record."""
    return (
        Case.objects.filter(subject_type_id=subject_type_id, subject_id=subject_id)
        .order_by("-opened_at", "-id")
        .first()
    )
