"""Rule RDV30: the holder books for a beneficiary once the fund has certified their NIR. A newborn
declared online is in the family at once (SIT19); an appointment booked for a child who does
not exist kept a record in their name (Appointment.person is PROTECT, and so is the agents'
consultation log the appointment leads to), so the agent's refusal of the declaration answered
500 and the fictitious child stayed in the family for good (security walk of the newest areas)."""

import datetime as dt

import pytest
import time_machine

from guichet.appointments import rules
from guichet.appointments import services as appointment_services
from guichet.appointments.models import Appointment
from guichet.cases import services as case_services
from guichet.cases.enums import CaseKind
from guichet.cases.models import Case
from guichet.core.refusals import Refused
from guichet.reference.enums import NirStatus
from guichet.reference.models import Person
from guichet.situation import services
from guichet.situation.enums import NewbornDeclarationStatus
from tests.appointments.factories import desk
from tests.factories import AgentFactory, InsuredUserFactory
from tests.situation.factories import NEWBORN_TODAY, girls_nir, newborn_for

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC)  # a Thursday, 10:00 in Paris


def _book(user, person, place, motif, start=START):
    return appointment_services.appointment_book(
        person=person, by=user, motif=motif, place=place, start=start, phone="06 12 34 56 78"
    )


def test_rdv24_no_appointment_for_a_newborn_until_the_nir_is_certified_and_sit20_refusal_works():
    with time_machine.travel(NEWBORN_TODAY, tick=False):
        user = InsuredUserFactory(person__last_name="GIRARD")
        fund = user.person.family.fund
        declaration = newborn_for(user)
        child = declaration.child
        place, motif, _ = desk(fund)
        with pytest.raises(Refused) as refused:
            _book(user, child, place, motif)
        assert refused.value.refusal == rules.BENEFICIARY_NIR_NOT_CERTIFIED
        assert not Appointment.objects.exists()
        agent = AgentFactory(back_office=True, fund=fund)
        case = Case.objects.get(subject_id=declaration.pk, kind=CaseKind.NEWBORN_DECLARATION)
        case_services.case_claim(case_id=case.pk, agent=agent)
        declaration = services.newborn_decide(
            declaration_id=declaration.pk,
            agent=agent,
            certify=False,
            reason="Aucun enfant n'est né à cette date.",
        )
    assert declaration.status == NewbornDeclarationStatus.REJECTED
    assert not Person.objects.filter(pk=child.pk).exists()


def test_rdv24_once_certified_the_child_is_booked_and_the_holder_books_for_themselves():
    with time_machine.travel(NEWBORN_TODAY, tick=False):
        user = InsuredUserFactory(person__last_name="GIRARD")
        child = newborn_for(user).child
        place, motif, _ = desk(user.person.family.fund)
        child.nir, child.nir_status = girls_nir(), NirStatus.CERTIFIED
        child.save()
        assert _book(user, child, place, motif).person == child
        later = START + dt.timedelta(minutes=30)
        assert _book(user, user.person, place, motif, later).person == user.person
