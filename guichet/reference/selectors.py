"""Reads of the fund's records."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from guichet.core.db import heavy_reads
from guichet.core.prepared import PreparedRead
from guichet.reference.enums import CardStatus
from guichet.reference.models import (
    Card,
    ComplementaryContract,
    EuropeanHealthCard,
    Family,
    Fund,
    Payment,
    Person,
    RightsPeriod,
    SecondParentAttachment,
    WorkStoppage,
)


def family_payments(*, family_id: int) -> QuerySet[Payment]:
    """« Mes paiements », a heavy read: on the replica when there is one (core.db)."""
    return (
        Payment.objects.using(heavy_reads())
        .filter(family_id=family_id)
        .select_related("beneficiary")
    )


_family_with_fund = PreparedRead(
    "reference.family_with_fund",
    lambda family_id: Family.objects.select_related("fund", "scheme").filter(pk=family_id),
    family_id=int,
)


@cache
def _latest_family_payments(limit: int) -> PreparedRead[Payment]:
    return PreparedRead(
        f"reference.latest_family_payments_{limit}",
        lambda family_id: Payment.objects.filter(family_id=family_id).select_related("beneficiary")[
            :limit
        ],
        using=heavy_reads,
        family_id=int,
    )


def latest_family_payments(*, family_id: int, limit: int) -> list[Payment]:
    """The family's `limit` latest payments (Accueil), a heavy read like « Mes paiements »,
    compiled once per process (core.prepared)."""
    return _latest_family_payments(limit)(family_id=family_id)


def family_with_fund(*, family_id: int) -> Family:
    """The family with its fund and scheme (what every document's header prints), one query
    compiled once per process (core.prepared)."""
    rows = _family_with_fund(family_id=family_id)
    if not rows:
        raise Family.DoesNotExist(f"Family {family_id}")
    return rows[0]


def of_beneficiaries(queryset: QuerySet, family_id: int, *, to_person: str = "") -> QuerySet:
    """`queryset` restricted to the family's beneficiaries (rule SIT29): its members, and the
    children of another family attached to it (`SecondParentAttachment`, rule SIT25). One
    statement, a UNION ALL of two index look-ups (the persons' family, the attachments' family),
    never an OR across a join that would read every person. `to_person` is the path from the
    queryset's model to the person (« person__ » for rights periods). Only LIMIT, ORDER BY on
    selected columns and values() apply to the result; no one is in both branches (SIT23: the
    other parent is in another family)."""
    members = queryset.filter(**{f"{to_person}family_id": family_id}).order_by()
    attached = queryset.filter(
        **{f"{to_person}second_parent_attachment__family_id": family_id}
    ).order_by()
    return members.union(attached, all=True)


def _family_sorted(members: Iterable[Person]) -> list[Person]:
    """The insured first, then the dependants by birth date."""
    return sorted(members, key=lambda p: (not p.is_rights_opener, p.birth_date))


def _in_family_order(members: QuerySet[Person]) -> list[Person]:
    return _family_sorted(members.order_by("-role", "birth_date"))


def family_members(*, family_id: int) -> list[Person]:
    """The insured first, then the dependants by birth date."""
    return _in_family_order(Person.objects.filter(family_id=family_id))


def family_beneficiaries(*, family_id: int) -> list[Person]:
    """The family's members and the children attached to it from another family (SIT29), in
    family order: who « Mes bénéficiaires » and « Mes informations » show."""
    return _in_family_order(of_beneficiaries(Person.objects.all(), family_id))


def family_beneficiary(*, family_id: int, person_id: int) -> Person | None:
    """One beneficiary of the family (SIT29: a child attached from another family included),
    or None when the id belongs to someone else (never leaks). For what the family may read
    about the child (Mes informations, the attestation); démarches stay with `family_member`."""
    return next(
        iter(of_beneficiaries(Person.objects.filter(pk=person_id), family_id)),
        None,
    )


def open_rights_periods(*, person_ids: list[int], day: dt.date) -> QuerySet[RightsPeriod]:
    return RightsPeriod.objects.filter(person_id__in=person_ids, start_date__lte=day).exclude(
        end_date__lt=day
    )


def family_open_rights_periods(*, family_id: int, day: dt.date) -> QuerySet[RightsPeriod]:
    """The rights periods open on `day` of every beneficiary of a family (its members and the
    children attached to it, SIT29), with person and scheme."""
    return of_beneficiaries(
        RightsPeriod.objects.filter(start_date__lte=day)
        .exclude(end_date__lt=day)
        .select_related("person", "scheme"),
        family_id,
        to_person="person__",
    )


# Compiled once per process (core.prepared, issue 16): every attestation reads it.
family_open_rights_periods_by_person = PreparedRead(
    "reference.family_open_rights_periods_by_person",
    lambda family_id, day: family_open_rights_periods(family_id=family_id, day=day).order_by(
        "person_id", "id"
    ),
    family_id=int,
    day=dt.date,
)


def has_open_rights(*, person: Person, day: dt.date) -> bool:
    return open_rights_periods(person_ids=[person.pk], day=day).exists()


def members_with_rights(*, family_id: int) -> QuerySet[Person]:
    return Person.objects.filter(family_id=family_id).prefetch_related(
        Prefetch("rights_periods", queryset=RightsPeriod.objects.select_related("scheme"))
    )


def family_payments_for(*, family_id: int, beneficiary_id: int | None = None) -> QuerySet[Payment]:
    """The family's payments, newest first, optionally for one beneficiary of the family."""
    payments = family_payments(family_id=family_id)
    if beneficiary_id is not None:
        payments = payments.filter(beneficiary_id=beneficiary_id)
    return payments


def family_member(*, family_id: int, person_id: int) -> Person | None:
    """One member of the family, or None when the id belongs to someone else (never leaks)."""
    return Person.objects.filter(family_id=family_id, pk=person_id).first()


@dataclass(frozen=True)
class BeneficiaryFile:
    """What « Mes informations » shows about one beneficiary of the family (rule G4)."""

    person: Person
    fund: Fund
    rights_open: bool
    contracts: list[ComplementaryContract]
    european_card: EuropeanHealthCard | None
    active_card: Card | None
    members: list[Person]  # the whole family, in family_members' order (the switch of G4),
    # with the children attached to it from another family (SIT29)
    second_parent: SecondParentAttachment | None  # the person on both parents' cards (SIT29)
    attached_here: bool  # a child of another family, attached to this one (SIT29)


def _members_with_open_rights(family_id: int, day: dt.date) -> QuerySet[Person]:
    open_periods = RightsPeriod.objects.filter(
        person_id=OuterRef("pk"), start_date__lte=day
    ).exclude(end_date__lt=day)
    return of_beneficiaries(
        Person.objects.select_related(
            "family__fund", "family__scheme", "second_parent_attachment__parent"
        ).annotate(has_open_rights=Exists(open_periods)),
        family_id,
    ).order_by("-role", "birth_date")


# « Mes informations » reads these at every visit: compiled once per process (core.prepared).
_file_members = PreparedRead(
    "reference.beneficiary_file.members", _members_with_open_rights, family_id=int, day=dt.date
)
_file_contracts = PreparedRead(
    "reference.beneficiary_file.contracts",
    lambda person_id, day: (
        ComplementaryContract.objects.filter(person_id=person_id, start_date__lte=day)
        .exclude(end_date__lt=day)
        .select_related("insurer")
        .order_by("start_date", "pk")
    ),
    person_id=int,
    day=dt.date,
)
_file_european_cards = PreparedRead(
    "reference.beneficiary_file.european_cards",
    lambda person_id: EuropeanHealthCard.objects.filter(person_id=person_id).order_by(
        "-valid_until"
    )[:1],
    person_id=int,
)
_file_active_cards = PreparedRead(
    "reference.beneficiary_file.active_cards",
    lambda person_id: Card.objects.filter(person_id=person_id, status=CardStatus.ACTIVE)[:1],
    person_id=int,
)


def _of_person(rows: list, person: Person) -> list:
    """The rows of `person`, each with its person set as a prefetch would leave it."""
    for row in rows:
        row.person = person
    return rows


def beneficiary_file(*, family_id: int, person_id: int, day: dt.date) -> BeneficiaryFile | None:
    """The beneficiary's records and the family's members in 4 queries, whatever the family's
    size and history: the members with their family, fund, scheme and whether their rights are
    open on `day`, then the beneficiary's contracts, CEAM and active card (issue 16), each
    statement compiled once per process (core.prepared)."""
    members = _family_sorted(_file_members(family_id=family_id, day=day))
    person = next((member for member in members if member.pk == person_id), None)
    if person is None:
        return None
    european_cards = _of_person(_file_european_cards(person_id=person.pk), person)
    active_cards = _of_person(_file_active_cards(person_id=person.pk), person)
    return BeneficiaryFile(
        person=person,
        fund=person.family.fund,
        rights_open=person.has_open_rights,  # type: ignore[attr-defined]
        contracts=_of_person(_file_contracts(person_id=person.pk, day=day), person),
        european_card=european_cards[0] if european_cards else None,
        active_card=active_cards[0] if active_cards else None,
        members=members,
        second_parent=getattr(person, "second_parent_attachment", None),
        attached_here=person.family_id != family_id,
    )


def work_stoppages(*, person: Person) -> list[WorkStoppage]:
    """« Arrêts de travail »: the person's periods, newest first, each with its daily-allowance
    payments (oldest first): two queries, whatever the history."""
    return list(
        WorkStoppage.objects.filter(person=person).prefetch_related(
            Prefetch("payments", queryset=Payment.objects.order_by("care_date", "id"))
        )
    )
