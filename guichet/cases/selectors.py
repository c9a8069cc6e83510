"""Reads on cases: the queues and the published processing times (G5)."""

import datetime as dt
import math
import statistics
from dataclasses import dataclass

from django.db.models import QuerySet

from guichet.cases.enums import CaseStatus
from guichet.cases.models import Case
from guichet.cases.rules import PROCESSING_TIMES_WINDOW
from guichet.core import clock
from guichet.reference.models import Fund


def fund_queue(*, fund_id: int, include_closed: bool = False) -> QuerySet[Case]:
    """A fund's cases, the most urgent first (earliest due date)."""
    cases = Case.objects.filter(fund_id=fund_id).select_related("insured", "assignee")
    if not include_closed:
        cases = cases.exclude(status=CaseStatus.CLOSED)
    return cases.order_by("due_at", "id")


def case_detail(*, case_id: int) -> Case:
    return Case.objects.select_related("insured", "assignee", "fund", "subject_type").get(
        pk=case_id
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
