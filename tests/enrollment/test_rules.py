"""Rule C4: each exclusion returns its own reason; way 2 skips the bank and card checks."""

import pytest

from guichet.enrollment import rules
from guichet.enrollment.enums import Exclusion, Way
from guichet.reference.enums import CardStatus, FamilyRole, NirStatus
from tests.enrollment.factories import eligible_person
from tests.factories import CardFactory, FamilyFactory, PersonFactory, SchemeFactory

pytestmark = pytest.mark.django_db


def exclusion_reason(person, *, way):
    """The code of the refusal (the Exclusion value), checked against its French message."""
    refusal = rules.exclusion_reason(person, way=way)
    if refusal is None:
        return None
    assert refusal.message == Exclusion(refusal.code).label
    return refusal.code


def test_eligible_person_has_no_exclusion_on_both_ways():
    """C1: the two ways, carte Vitale + IBAN and FranceConnect, are open to a rights opener."""
    person = eligible_person()
    assert exclusion_reason(person, way=Way.CARTE_VITALE) is None
    assert exclusion_reason(person, way=Way.FRANCECONNECT) is None


def test_partner_scheme_is_accepted():
    person = eligible_person(family=FamilyFactory(scheme=SchemeFactory(partner=True)))
    assert exclusion_reason(person, way=Way.CARTE_VITALE) is None


def test_other_scheme_is_excluded():
    person = eligible_person(family=FamilyFactory(scheme=SchemeFactory(other=True)))
    assert exclusion_reason(person, way=Way.CARTE_VITALE) == Exclusion.SCHEME_NOT_COVERED
    assert exclusion_reason(person, way=Way.FRANCECONNECT) == Exclusion.SCHEME_NOT_COVERED


def test_dependant_is_not_a_rights_opener():
    opener = eligible_person()
    child = PersonFactory(dependant=True, family=opener.family)
    assert child.role == FamilyRole.DEPENDANT
    assert exclusion_reason(child, way=Way.FRANCECONNECT) == Exclusion.NOT_RIGHTS_OPENER


@pytest.mark.parametrize("status", [NirStatus.PROVISIONAL, NirStatus.WAITING])
def test_provisional_or_waiting_nir_is_excluded(status):
    person = eligible_person(nir_status=status)
    assert exclusion_reason(person, way=Way.CARTE_VITALE) == Exclusion.PROVISIONAL_NIR
    assert exclusion_reason(person, way=Way.FRANCECONNECT) == Exclusion.PROVISIONAL_NIR


def test_no_bank_details_excludes_way_1_only():
    person = eligible_person()
    person.iban = ""
    person.save()
    assert exclusion_reason(person, way=Way.CARTE_VITALE) == Exclusion.NO_BANK_DETAILS
    assert exclusion_reason(person, way=Way.FRANCECONNECT) is None


@pytest.mark.parametrize(
    "status", [CardStatus.LOST, CardStatus.STOLEN, CardStatus.OPPOSED, CardStatus.IN_TRANSFER]
)
def test_no_active_card_excludes_way_1_only(status):
    person = PersonFactory()
    CardFactory(person=person, status=status)
    assert exclusion_reason(person, way=Way.CARTE_VITALE) == Exclusion.NO_ACTIVE_CARD
    assert exclusion_reason(person, way=Way.FRANCECONNECT) is None


def test_no_card_at_all_excludes_way_1():
    assert exclusion_reason(PersonFactory(), way=Way.CARTE_VITALE) == Exclusion.NO_ACTIVE_CARD


def test_failed_transfer_has_its_own_reason():
    person = PersonFactory()
    CardFactory(person=person, status=CardStatus.TRANSFER_FAILED)
    assert exclusion_reason(person, way=Way.CARTE_VITALE) == Exclusion.CARD_TRANSFER_FAILED
