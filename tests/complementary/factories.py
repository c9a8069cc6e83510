"""Families whose beneficiaries hold overlapping complementary contracts (rule O1)."""

import datetime as dt

from guichet.reference.models import Person
from tests.factories import (
    ComplementaryContractFactory,
    ComplementaryInsurerFactory,
    InsuredUserFactory,
    PersonFactory,
)


def overlap_for(person: Person, *, second_kind: str = "ordinary") -> tuple:
    """Two contracts in force together for `person`: an old one and a newer one."""
    old = ComplementaryContractFactory(
        person=person,
        insurer=ComplementaryInsurerFactory(name="LES MUTUELLES DE L'AIN 2"),
        member_number=f"4789{person.pk:04d}P",
        start_date=dt.date(2018, 7, 1),
    )
    new = ComplementaryContractFactory(
        person=person,
        insurer=ComplementaryInsurerFactory(name="LA BALOISE ASSURANCES"),
        member_number=f"1458{person.pk:04d}E",
        start_date=dt.date(2020, 1, 1),
        kind=second_kind,
    )
    return old, new


def family_with_overlaps(*, beneficiaries: int = 2, scheme=None, second_kind: str = "ordinary"):
    """An insured account and `beneficiaries` people of the family (insured first) in conflict."""
    extra = {"family__scheme": scheme} if scheme is not None else {}
    user = InsuredUserFactory(
        person__man=True,
        person__birth_date=dt.date(1974, 11, 22),
        **{f"person__{k}": v for k, v in extra.items()},
    )
    people = [user.person]
    for index in range(beneficiaries - 1):
        people.append(
            PersonFactory(
                dependant=True,
                family=user.person.family,
                birth_date=dt.date(2002 + index, 5, 18),
            )
        )
    contracts = {p.pk: overlap_for(p, second_kind=second_kind) for p in people}
    return user, people, contracts
