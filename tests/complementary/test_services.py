"""The insured's choice (O3, O6), the agent applying it and closing the case (O7)."""

import datetime as dt

import pytest

from guichet.cases.enums import CaseStatus
from guichet.cases.models import Case
from guichet.cases.services import case_claim, case_close
from guichet.complementary import selectors
from guichet.complementary.detection import conflicts_detect
from guichet.complementary.enums import ConflictStatus, RequestStatus
from guichet.complementary.services import (
    choice_request_apply,
    choice_request_close,
    choice_request_submit,
)
from guichet.core.refusals import Refused
from guichet.notifications.models import Notification, OutboundEmail
from tests.complementary.factories import family_with_overlaps
from tests.factories import AgentFactory, FundFactory

pytestmark = pytest.mark.django_db


def _submitted(beneficiaries: int = 2):
    user, people, contracts = family_with_overlaps(beneficiaries=beneficiaries)
    conflicts_detect()
    choices = {p.pk: contracts[p.pk][1].pk for p in people}
    return user, people, contracts, choice_request_submit(user=user, choices=choices)


def test_submit_opens_a_case_in_the_insured_fund_due_in_7_days():
    user, _, _, request = _submitted()
    case = Case.objects.get()
    assert case.fund == user.person.family.fund
    assert case.status == CaseStatus.OPEN
    assert case.due_at - case.opened_at == dt.timedelta(days=7)
    assert not case.is_complex
    assert case.transitions.get().to_status == CaseStatus.OPEN
    situation = selectors.situation(family_id=user.person.family_id)
    assert situation.pending_request == request
    assert not situation.choice_pending


def test_complex_case_goes_to_the_central_fund():
    central = FundFactory(code="041", name="CPAM des Alpes-de-Haute-Provence", is_central=True)
    _submitted(beneficiaries=3)
    case = Case.objects.get()
    assert case.is_complex
    assert case.fund == central


def test_submit_needs_a_choice_for_every_beneficiary():
    user, people, contracts = family_with_overlaps(beneficiaries=2)
    conflicts_detect()
    with pytest.raises(Refused, match="chaque bénéficiaire"):
        choice_request_submit(user=user, choices={people[0].pk: contracts[people[0].pk][0].pk})
    _other_user, other_people, other_contracts = family_with_overlaps(beneficiaries=1)
    with pytest.raises(Refused, match="ne correspond pas"):
        choice_request_submit(
            user=user,
            choices={
                people[0].pk: other_contracts[other_people[0].pk][0].pk,
                people[1].pk: contracts[people[1].pk][0].pk,
            },
        )
    assert not Case.objects.exists()


def test_submit_twice_is_refused():
    user, people, contracts, _ = _submitted(beneficiaries=1)
    with pytest.raises(Refused, match="déjà en cours"):
        choice_request_submit(user=user, choices={people[0].pk: contracts[people[0].pk][0].pk})


def test_apply_and_close(django_capture_on_commit_callbacks, mailoutbox):
    user, people, contracts, request = _submitted()
    agent = AgentFactory(back_office=True, fund=user.person.family.fund)
    case = Case.objects.get()
    with pytest.raises(Refused, match="Prenez d'abord"):
        choice_request_apply(request_id=request.pk, agent=agent)
    case_claim(case_id=case.pk, agent=agent)
    with pytest.raises(Refused, match="Appliquez les choix"):
        choice_request_close(request_id=request.pk, agent=agent)
    choice_request_apply(request_id=request.pk, agent=agent)
    for person in people:
        old, new = contracts[person.pk]
        old.refresh_from_db()
        new.refresh_from_db()
        assert new.payments_transmitted and not old.payments_transmitted
    with django_capture_on_commit_callbacks(execute=True):
        choice_request_close(request_id=request.pk, agent=agent)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert [t.to_status for t in case.transitions.all()] == ["open", "in_progress", "closed"]
    assert not selectors.pending_request(family_id=user.person.family_id)
    assert set(request.conflicts.values_list("status", flat=True)) == {ConflictStatus.RESOLVED}
    # Both machines logged every step, with who did it.
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
    assert list(request.transitions.values_list("from_status", "to_status", "by")) == [
        ("", RequestStatus.PENDING, user.pk),
        (RequestStatus.PENDING, RequestStatus.APPLIED, agent.pk),
        (RequestStatus.APPLIED, RequestStatus.CLOSED, agent.pk),
    ]
    for conflict in request.conflicts.all():
        assert list(conflict.transitions.values_list("from_status", "to_status", "by")) == [
            (ConflictStatus.PENDING, ConflictStatus.REQUESTED, user.pk),
            (ConflictStatus.REQUESTED, ConflictStatus.RESOLVED, agent.pk),
        ]
    notification = Notification.objects.get(recipient=user)
    assert notification.body == (
        "La transmission automatique des paiements à votre complémentaire est activée."
    )
    # about the request's first overlap, so that a thread about it is linked (ECH5)
    first = request.conflicts.order_by("pk").first()
    assert (notification.about_type.model, notification.about_id) == ("conflict", first.pk)
    email = OutboundEmail.objects.get(to=user.email)
    assert email.status == "sent"
    assert "Une information importante vous attend" in email.body_text
    for contract in contracts[people[0].pk]:
        assert contract.insurer.name not in email.body_text
        assert contract.member_number not in email.body_text
    assert len(mailoutbox) == 1
    # The detection finds nothing new after the choice: the stopped contract no longer counts.
    assert conflicts_detect().detected == 0
    assert not selectors.situation(family_id=user.person.family_id).has_conflict


def test_agent_of_another_fund_cannot_claim():
    _submitted(beneficiaries=1)
    stranger = AgentFactory(back_office=True, fund=FundFactory(code="131", name="CPAM 13"))
    with pytest.raises(Case.DoesNotExist):  # another fund's case does not exist for them
        case_claim(case_id=Case.objects.get().pk, agent=stranger)


def test_o7_the_case_service_closes_a_choice_case_through_the_procedures_closer():
    """`cases.services.case_close` dispatches to the closer ComplementaryConfig.ready()
    registered: it refuses before the choices are applied, then closes the request too."""
    user, _, _, request = _submitted(beneficiaries=1)
    agent = AgentFactory(back_office=True, fund=user.person.family.fund)
    case = Case.objects.get()
    case_claim(case_id=case.pk, agent=agent)
    with pytest.raises(Refused, match="Appliquez les choix") as refused:
        case_close(case_id=case.pk, agent=agent)
    assert refused.value.code == "choices_not_applied"
    choice_request_apply(request_id=request.pk, agent=agent)
    assert case_close(case_id=case.pk, agent=agent).status == CaseStatus.CLOSED
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
    assert Notification.objects.filter(recipient=user).count() == 1
