"""Rules A3, A4, A5 of the certificates."""

import datetime as dt

import pytest

from guichet.certificates import rules
from tests.factories import PersonFactory


@pytest.mark.django_db
def test_a3_no_open_rights_is_excluded():
    person = PersonFactory(rights=False)
    refusal = rules.rights_certificate_exclusion(person=person, open_rights=False)
    assert refusal.code == "no_rights"


@pytest.mark.django_db
def test_a3_students_are_sent_to_their_student_mutual():
    person = PersonFactory(student=True)
    refusal = rules.rights_certificate_exclusion(person=person, open_rights=True)
    assert refusal.code == "student"
    assert "mutuelle étudiante" in refusal.message


@pytest.mark.django_db
def test_a3_insured_with_open_rights_is_not_excluded():
    person = PersonFactory()
    assert rules.rights_certificate_exclusion(person=person, open_rights=True) is None


@pytest.mark.django_db
def test_a4_provisional_nir_cannot_be_issued():
    person = PersonFactory(provisional=True)
    refusal = rules.cannot_issue_reason(person=person, beneficiaries=[])
    assert refusal.message == rules.CANNOT_ISSUE_MESSAGE


@pytest.mark.django_db
def test_a4_beneficiary_with_uncertified_nir_cannot_be_issued():
    person = PersonFactory()
    child = PersonFactory(dependant=True, family=person.family, nir_status="waiting")
    assert rules.cannot_issue_reason(person=person, beneficiaries=[child]) is not None
    assert rules.cannot_issue_reason(person=person, beneficiaries=[]) is None


@pytest.mark.django_db
def test_a4_npai_or_missing_address_is_unknown():
    assert rules.address_unknown(person=PersonFactory(npai=True))
    assert rules.address_unknown(person=PersonFactory(address_line1=""))
    assert not rules.address_unknown(person=PersonFactory())


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2026, 1, 1), 2025),
        (dt.date(2026, 6, 30), 2025),
        (dt.date(2026, 7, 1), None),
        (dt.date(2026, 12, 31), None),
    ],
)
def test_a5_tax_statement_is_offered_six_months_after_the_year(day, year):
    assert rules.tax_statement_year(day=day) == year


def test_daily_allowance_period_is_validated():
    today = dt.date(2026, 11, 23)

    def ok(**period):
        refusal = rules.daily_allowance_period_refusal(**period)
        return refusal.message if refusal else None

    assert ok(start=dt.date(2026, 1, 1), end=dt.date(2026, 10, 31), day=today) is None
    assert "antérieure" in ok(start=dt.date(2026, 2, 1), end=dt.date(2026, 1, 1), day=today)
    assert "après aujourd'hui" in ok(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 1), day=today)
    assert "12 mois" in ok(start=dt.date(2024, 1, 1), end=dt.date(2025, 6, 1), day=today)


def test_offered_months_are_the_last_twelve():
    months = rules.offered_months(day=dt.date(2026, 3, 15))
    assert months[0] == dt.date(2026, 3, 1)
    assert months[-1] == dt.date(2025, 4, 1)
    assert len(months) == 12


def test_rights_certificate_validity_never_passes_the_end_of_rights():
    issued = dt.date(2026, 11, 23)
    assert rules.rights_certificate_valid_until(issued_on=issued, rights_end=None) == dt.date(
        2027, 2, 23
    )
    assert rules.rights_certificate_valid_until(
        issued_on=issued, rights_end=dt.date(2026, 12, 31)
    ) == dt.date(2026, 12, 31)
