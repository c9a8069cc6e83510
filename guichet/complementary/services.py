"""Writes: the insured sends their choice (O3, O6); the agent applies it and closes (O7)."""

from collections.abc import Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from guichet.accounts.models import User
from guichet.cases import selectors as case_selectors
from guichet.cases import services as case_services
from guichet.cases.enums import CaseKind, CaseStatus
from guichet.cases.models import Case
from guichet.complementary import rules, selectors
from guichet.complementary.enums import ConflictStatus, RequestStatus
from guichet.complementary.models import Choice, ChoiceRequest, Conflict
from guichet.complementary.notifications import notify_choice_applied
from guichet.core import clock
from guichet.core.refusals import Refused
from guichet.reference.models import ComplementaryContract, Fund


def _route(*, family_fund: Fund, complex_case: bool) -> Fund:
    """O6: the insured's fund, or the central fund for complex cases (when one exists)."""
    if complex_case:
        central = Fund.objects.filter(is_central=True).order_by("code").first()
        if central is not None:
            return central
    return family_fund


@transaction.atomic
def choice_request_submit(*, user: User, choices: Mapping[int, int]) -> ChoiceRequest:
    """Record one choice per beneficiary in conflict, all at once, and open the case.

    ``choices`` maps each beneficiary's person id to the id of the contract kept.
    """
    person = user.person
    if person is None:
        raise Refused(rules.NOT_INSURED)
    current = selectors.situation(family_id=person.family_id)
    if current.pending_request is not None:
        raise Refused(rules.REQUEST_PENDING)
    if current.exclusion is not None:
        raise Refused(current.exclusion)
    if not current.has_conflict:
        raise Refused(rules.NO_CONFLICT)
    expected = {b.person.pk for b in current.beneficiaries}
    if set(choices) != expected:
        raise Refused(rules.CHOICE_MISSING)
    for person_id, contract_id in choices.items():
        if contract_id not in current.contract_ids_of(person_id):
            raise Refused(rules.CHOICE_UNKNOWN)
    try:
        with transaction.atomic():
            request = ChoiceRequest.objects.create(
                family_id=person.family_id, requested_by=user, requested_at=clock.now()
            )
    except IntegrityError as exc:
        raise Refused(rules.REQUEST_PENDING) from exc
    rules.REQUEST_MACHINE.record(request, source="", target=RequestStatus.PENDING, by=user)
    Choice.objects.bulk_create(
        Choice(request=request, person_id=person_id, chosen_contract_id=contract_id)
        for person_id, contract_id in choices.items()
    )
    rules.CONFLICT_MACHINE.move_many(
        Conflict.objects.filter(
            family_id=person.family_id, status=ConflictStatus.PENDING, exclusion=""
        ),
        ConflictStatus.REQUESTED,
        by=user,
        request=request,
    )
    complex_case = rules.is_complex(
        contracts_per_beneficiary=[len(b.contracts) for b in current.beneficiaries]
    )
    family = person.family
    case_services.case_open(
        kind=CaseKind.COMPLEMENTARY_CHOICE,
        subject=request,
        fund=_route(family_fund=family.fund, complex_case=complex_case),
        insured=person,
        is_complex=complex_case,
        actor=user,
    )
    return request


def _held_case(*, request: ChoiceRequest, agent: User) -> Case:
    """The request's open case, held by `agent`. Raises ChoiceRequest.DoesNotExist when no case
    of the request is in the agent's scope (docs/decisions/security-agents-scope.md)."""
    cases = case_selectors.cases_for_agent(agent=agent).filter(
        subject_type=ContentType.objects.get_for_model(ChoiceRequest), subject_id=request.pk
    )
    if not cases.exists():
        raise ChoiceRequest.DoesNotExist("Demande introuvable.")
    case = cases.select_for_update().exclude(status=CaseStatus.CLOSED).first()
    if case is None or case.status != CaseStatus.IN_PROGRESS or case.assignee_id != agent.pk:
        raise Refused(rules.CASE_NOT_HELD)
    return case


@transaction.atomic
def choice_request_apply(*, request_id: int, agent: User) -> ChoiceRequest:
    """Update the benefits records: the chosen contract keeps the transmission, the other stops."""
    request = ChoiceRequest.objects.select_for_update().get(pk=request_id)
    _held_case(request=request, agent=agent)
    if request.applied_at is not None:
        raise Refused(rules.ALREADY_APPLIED)
    for row in selectors.request_choices(request=request):
        ComplementaryContract.objects.filter(pk=row["chosen"].pk).update(payments_transmitted=True)
        ComplementaryContract.objects.filter(pk__in=[c.pk for c in row["others"]]).update(
            payments_transmitted=False
        )
    rules.CONFLICT_MACHINE.move_many(request.conflicts.all(), ConflictStatus.RESOLVED, by=agent)
    rules.REQUEST_MACHINE.move(request, RequestStatus.APPLIED, by=agent, applied_at=clock.now())
    return request


@transaction.atomic
def choice_request_close(*, request_id: int, agent: User) -> ChoiceRequest:
    """Close the case once the choices are applied; the insured is notified (O7)."""
    request = ChoiceRequest.objects.select_for_update().get(pk=request_id)
    case = _held_case(request=request, agent=agent)
    if request.applied_at is None:
        raise Refused(rules.NOT_APPLIED)
    case_services.case_mark_closed(case_id=case.pk, agent=agent)
    rules.REQUEST_MACHINE.move(request, RequestStatus.CLOSED, by=agent, closed_at=clock.now())
    notify_choice_applied(
        user=request.requested_by, conflict=request.conflicts.order_by("pk").first()
    )
    return request


def choice_request_case_close(*, case: Case, agent: User) -> ChoiceRequest:
    """The closer of a choice request's case (registered in ComplementaryConfig.ready() for
    `cases.services.case_close`): the request's own closing, O7."""
    return choice_request_close(request_id=case.subject_id, agent=agent)
