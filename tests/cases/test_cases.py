"""Cases: state machine, transition log, claiming, queues and processing times (O6, G5)."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError

from guichet.cases import selectors
from guichet.cases.enums import CaseKind, CaseStatus
from guichet.cases.models import Case
from guichet.cases.services import (
    case_claim,
    case_close,
    case_open,
    case_release,
)
from guichet.core.refusals import Refused
from tests.factories import AgentFactory, FundFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _case(person=None, **kwargs):
    person = person or PersonFactory()
    return case_open(
        kind=CaseKind.COMPLEMENTARY_CHOICE,
        subject=person,
        fund=person.family.fund,
        insured=person,
        **kwargs,
    )


def test_two_agents_claiming_the_same_case():
    case = _case()
    first = AgentFactory(back_office=True, fund=case.fund)
    second = AgentFactory(back_office=True, fund=case.fund)
    case_claim(case_id=case.pk, agent=first)
    with pytest.raises(Refused, match="autre agent"):
        case_claim(case_id=case.pk, agent=second)
    with pytest.raises(Refused):
        case_close(case_id=case.pk, agent=second)
    case.refresh_from_db()
    assert case.assignee == first
    assert case.transitions.count() == 2


def test_release_then_another_agent_claims():
    case = _case()
    first = AgentFactory(back_office=True, fund=case.fund)
    second = AgentFactory(supervisor=True, fund=case.fund)
    case_claim(case_id=case.pk, agent=first)
    case_release(case_id=case.pk, agent=first)
    case = case_claim(case_id=case.pk, agent=second)
    case = case_close(case_id=case.pk, agent=second)
    assert case.status == CaseStatus.CLOSED and case.closed_at
    log = [(t.by, t.from_status, t.to_status) for t in case.transitions.all()]
    assert log == [
        (None, "", "open"),
        (first, "open", "in_progress"),
        (first, "in_progress", "open"),
        (second, "open", "in_progress"),
        (second, "in_progress", "closed"),
    ]


def test_an_open_case_cannot_be_closed_without_being_claimed():
    case = _case()
    agent = AgentFactory(back_office=True, fund=case.fund)
    with pytest.raises(Refused):
        case_close(case_id=case.pk, agent=agent)
    case.refresh_from_db()
    # The table allows open → closed for a request the person withdraws (SIT27) only:
    # an agent's closing always starts from « en cours de traitement ».
    assert case.status == CaseStatus.OPEN


def test_status_check_constraint():
    case = _case()
    with pytest.raises(IntegrityError):
        Case.objects.filter(pk=case.pk).update(status="lost")


def test_one_open_case_per_subject():
    person = PersonFactory()
    _case(person)
    with pytest.raises(IntegrityError):
        _case(person)


def test_queue_ordered_by_due_date_with_overdue_flag():
    fund = FundFactory()
    with time_machine.travel(dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC), tick=False):
        old = _case(PersonFactory(family__fund=fund))
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), tick=False):
        recent = _case(PersonFactory(family__fund=fund))
        queue = list(selectors.agent_queue(agent=AgentFactory(back_office=True, fund=fund)))
        assert queue == [old, recent]
        assert queue[0].is_overdue and not queue[1].is_overdue


def test_a_supervisor_of_another_fund_cannot_claim():
    """Supervisors handle their own fund's queue, not every fund's (security-agents-scope)."""
    case = _case()
    supervisor = AgentFactory(supervisor=True, fund=FundFactory(code="131", name="CPAM 13"))
    with pytest.raises(Case.DoesNotExist):
        case_claim(case_id=case.pk, agent=supervisor)
    assert not selectors.agent_queue(agent=supervisor).exists()


def test_processing_times_median_and_p90():
    fund = FundFactory()
    agent = AgentFactory(back_office=True, fund=fund)
    for days in [1, 2, 3, 4, 10]:
        with time_machine.travel(dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC), tick=False):
            case = _case(PersonFactory(family__fund=fund))
            case_claim(case_id=case.pk, agent=agent)
        with time_machine.travel(dt.datetime(2026, 11, 1 + days, 9, tzinfo=dt.UTC), tick=False):
            case_close(case_id=case.pk, agent=agent)
    with time_machine.travel(dt.datetime(2026, 11, 20, tzinfo=dt.UTC), tick=False):
        (row,) = selectors.processing_times()
        assert (row.fund, row.closed_count, row.median_days, row.p90_days) == (fund, 5, 3, 10)
    with time_machine.travel(dt.datetime(2026, 12, 31, tzinfo=dt.UTC), tick=False):
        assert selectors.processing_times() == []
