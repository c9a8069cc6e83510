"""Detection of overlaps (O1) and exclusions (O4): set-based, idempotent."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.complementary.detection import conflicts_detect
from guichet.complementary.enums import ConflictStatus, Exclusion
from guichet.complementary.models import Conflict
from guichet.reference.enums import ContractKind
from guichet.reference.models import ComplementaryContract
from tests.complementary.factories import family_with_overlaps
from tests.factories import ComplementaryContractFactory, PersonFactory, SchemeFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 23)


def test_detection_twice_gives_the_same_conflicts():
    family_with_overlaps(beneficiaries=2)
    first = conflicts_detect(day=DAY)
    snapshot = list(Conflict.objects.values_list("person_id", "contract_a_id", "contract_b_id"))
    second = conflicts_detect(day=DAY)
    assert first.detected == 2
    assert second.detected == 0
    assert (
        list(Conflict.objects.values_list("person_id", "contract_a_id", "contract_b_id"))
        == snapshot
    )
    assert Conflict.objects.count() == 2
    # O1: the overlap blocks the automatic transmission of both contracts.
    assert not ComplementaryContract.objects.filter(payments_transmitted=True).exists()


def test_contracts_not_in_force_together_are_no_conflict():
    person = PersonFactory()
    ComplementaryContractFactory(
        person=person, start_date=dt.date(2018, 1, 1), end_date=dt.date(2019, 12, 31)
    )
    ComplementaryContractFactory(person=person, start_date=dt.date(2020, 1, 1))
    ComplementaryContractFactory(person=PersonFactory(), start_date=dt.date(2020, 1, 1))
    assert conflicts_detect(day=DAY).detected == 0


def test_future_contract_overlaps_only_from_its_start():
    person = PersonFactory()
    ComplementaryContractFactory(person=person, start_date=dt.date(2018, 1, 1))
    ComplementaryContractFactory(person=person, start_date=dt.date(2027, 1, 1))
    assert conflicts_detect(day=DAY).detected == 0
    assert conflicts_detect(day=dt.date(2027, 1, 1)).detected == 1


def test_conflict_ends_when_a_contract_ends():
    person = PersonFactory()
    ComplementaryContractFactory(person=person, start_date=dt.date(2018, 1, 1))
    ComplementaryContractFactory(
        person=person, start_date=dt.date(2020, 1, 1), end_date=dt.date(2026, 12, 31)
    )
    conflicts_detect(day=DAY)
    result = conflicts_detect(day=dt.date(2027, 1, 2))
    assert result.ended == 1
    assert Conflict.objects.get().status == ConflictStatus.RESOLVED
    ended = Conflict.objects.get().transitions.get()
    assert (ended.from_status, ended.to_status, ended.by) == (
        ConflictStatus.PENDING,
        ConflictStatus.RESOLVED,
        None,
    )
    assert ended.note == "Les contrats ne se chevauchent plus"


def test_ordinary_overlap_is_offered():
    family_with_overlaps(beneficiaries=4)
    result = conflicts_detect(day=DAY)
    assert result.excluded == 0
    assert set(Conflict.objects.values_list("exclusion", flat=True)) == {Exclusion.NONE}


@pytest.mark.parametrize("kind", sorted(ContractKind.precarity()))
def test_o4_precarity_contract_excludes_the_whole_family(kind):
    _user, people, _contracts = family_with_overlaps(beneficiaries=2)
    # Only the dependant's conflict involves a précarité contract: the whole set is excluded.
    ComplementaryContractFactory(person=people[1], start_date=dt.date(2021, 1, 1), kind=kind)
    conflicts_detect(day=DAY)
    assert set(Conflict.objects.values_list("exclusion", flat=True)) == {Exclusion.PRECARITY}


def test_o4_five_beneficiaries_are_excluded():
    family_with_overlaps(beneficiaries=5)
    result = conflicts_detect(day=DAY)
    assert result.excluded == Conflict.objects.count() == 5
    assert set(Conflict.objects.values_list("exclusion", flat=True)) == {
        Exclusion.TOO_MANY_BENEFICIARIES
    }


def test_o4_partner_scheme_is_excluded():
    family_with_overlaps(beneficiaries=1, scheme=SchemeFactory(partner=True))
    conflicts_detect(day=DAY)
    assert Conflict.objects.get().exclusion == Exclusion.PARTNER_SCHEME


def test_o4_exclusion_is_per_family():
    family_with_overlaps(beneficiaries=5)
    user, _, _ = family_with_overlaps(beneficiaries=1)
    conflicts_detect(day=DAY)
    assert Conflict.objects.get(family=user.person.family).exclusion == Exclusion.NONE


def test_management_command_is_idempotent(capsys):
    from django.core.management import call_command

    family_with_overlaps(beneficiaries=1)
    call_command("detect_complementary_conflicts", "--day", DAY.isoformat())
    call_command("detect_complementary_conflicts", "--day", DAY.isoformat())
    out = capsys.readouterr().out
    assert "1 nouveau(x) chevauchement(s)" in out
    assert "0 nouveau(x) chevauchement(s)" in out
    assert Conflict.objects.count() == 1


def test_three_contracts_in_force_give_every_pair_once():
    """O1: a beneficiary with three contracts in force has three pairs (the detection's join
    branch), recorded once however often it runs."""
    person = PersonFactory()
    ids = [
        ComplementaryContractFactory(person=person, start_date=dt.date(2018 + i, 1, 1)).pk
        for i in range(3)
    ]
    assert conflicts_detect(day=DAY).detected == 3
    assert conflicts_detect(day=DAY).detected == 0
    assert sorted(Conflict.objects.values_list("contract_a_id", "contract_b_id")) == [
        (ids[0], ids[1]),
        (ids[0], ids[2]),
        (ids[1], ids[2]),
    ]
    assert set(Conflict.objects.values_list("family_id", flat=True)) == {person.family_id}


def test_family_ids_limit_the_detection_to_those_families():
    _, people, _ = family_with_overlaps(beneficiaries=1)
    family_with_overlaps(beneficiaries=2)
    result = conflicts_detect(day=DAY, family_ids=[people[0].family_id])
    assert result.detected == 1
    assert list(Conflict.objects.values_list("person_id", flat=True)) == [people[0].pk]
    assert conflicts_detect(day=DAY, family_ids=[]).detected == 0


def test_o4_exclusion_is_lifted_when_its_reason_ends():
    scheme = SchemeFactory(partner=True)
    family_with_overlaps(beneficiaries=1, scheme=scheme)
    conflicts_detect(day=DAY)
    scheme.is_partner = False
    scheme.save()
    assert conflicts_detect(day=DAY).excluded == 0
    assert Conflict.objects.get().exclusion == Exclusion.NONE


def _detection_queries(families: int) -> tuple[int, int]:
    """Queries of a first and a second run, over every conflict recorded again."""
    Conflict.objects.all().delete()
    for _ in range(families):
        family_with_overlaps(beneficiaries=2)
    with CaptureQueriesContext(connection) as first:
        conflicts_detect(day=DAY)
    with CaptureQueriesContext(connection) as again:
        conflicts_detect(day=DAY)
    return len(first), len(again)


def test_detection_queries_do_not_grow_with_the_persons():
    """Set-based (issue 16): as many queries for 1 family in conflict as for 6, first run
    and idempotent run alike."""
    one = _detection_queries(1)
    assert Conflict.objects.count() == 2
    assert _detection_queries(5) == one
    assert Conflict.objects.count() == 12


def test_o4_reasons_are_taken_in_the_rules_order():
    """O4, decided in the detection's one statement (issue 16): a précarité contract first,
    then 5 beneficiaries or more, then a partner scheme; the counts are of conflicts."""
    _, precarity_people, _ = family_with_overlaps(
        beneficiaries=5, scheme=SchemeFactory(partner=True), second_kind=ContractKind.CSS
    )
    _, many_people, _ = family_with_overlaps(beneficiaries=5, scheme=SchemeFactory(partner=True))
    _, partner_people, _ = family_with_overlaps(beneficiaries=1, scheme=SchemeFactory(partner=True))
    _, offered_people, _ = family_with_overlaps(beneficiaries=4)
    result = conflicts_detect(day=DAY)
    assert (result.detected, result.pending, result.excluded) == (15, 15, 11)
    reasons = dict(Conflict.objects.values_list("family_id", "exclusion").distinct())
    assert reasons == {
        precarity_people[0].family_id: Exclusion.PRECARITY,
        many_people[0].family_id: Exclusion.TOO_MANY_BENEFICIARIES,
        partner_people[0].family_id: Exclusion.PARTNER_SCHEME,
        offered_people[0].family_id: Exclusion.NONE,
    }


def test_a_stale_conflict_neither_counts_nor_decides_its_familys_reason():
    """A conflict whose contract has ended is resolved; the family's other conflicts are
    decided without it: 4 beneficiaries left in conflict, the choice is offered again."""
    _, people, contracts = family_with_overlaps(beneficiaries=5)
    assert conflicts_detect(day=DAY).excluded == 5
    ending = contracts[people[4].pk][1]
    ending.end_date = DAY + dt.timedelta(days=5)
    ending.save()
    result = conflicts_detect(day=DAY + dt.timedelta(days=6))
    assert (result.detected, result.ended, result.pending, result.excluded) == (0, 1, 4, 0)
    assert Conflict.objects.get(person=people[4]).status == ConflictStatus.RESOLVED
    assert set(
        Conflict.objects.filter(status=ConflictStatus.PENDING).values_list("exclusion", flat=True)
    ) == {Exclusion.NONE}
    assert Conflict.objects.get(person=people[4]).exclusion == Exclusion.TOO_MANY_BENEFICIARIES


def test_a_contract_of_a_pending_conflict_transmitted_again_is_blocked_again():
    """O1: whatever sets a contract's transmission back while its conflict is pending, the
    next run blocks it again; the other contracts are not written."""
    _, people, contracts = family_with_overlaps(beneficiaries=2)
    conflicts_detect(day=DAY)
    again = contracts[people[1].pk][0]
    ComplementaryContract.objects.filter(pk=again.pk).update(payments_transmitted=True)
    with CaptureQueriesContext(connection) as queries:
        conflicts_detect(day=DAY)
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1 and str(again.pk) in updates[0]
    assert not ComplementaryContract.objects.filter(payments_transmitted=True).exists()
