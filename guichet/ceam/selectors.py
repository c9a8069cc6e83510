"""Reads of the CEAM procedure: the family with each beneficiary's exclusion, the orders."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, QuerySet

from guichet.accounts.models import User
from guichet.ceam import rules
from guichet.ceam.enums import CeamOrderStatus
from guichet.ceam.models import CeamOrder
from guichet.core import clock
from guichet.core.refusals import Refusal
from guichet.reference import selectors as reference_selectors
from guichet.reference.enums import NirStatus
from guichet.reference.models import EuropeanHealthCard, Person


@dataclass(frozen=True)
class Choice:
    person: Person
    exclusion: Refusal | None
    card_valid_until: dt.date | None


def mailing_npai(*, holder: Person, beneficiary: Person) -> bool:
    """The card goes to the beneficiary's own address when they have one, else the holder's."""
    return (beneficiary if beneficiary.address_line1 else holder).address_npai


def facts_for(*, holder: Person, people: list[Person], today: dt.date) -> dict[int, rules.Facts]:
    """The facts of rules.exclusion for each person, in three queries whatever the family."""
    ids = [p.pk for p in people]
    with_rights = set(
        reference_selectors.open_rights_periods(person_ids=ids, day=today).values_list(
            "person_id", flat=True
        )
    )
    open_orders = set(
        CeamOrder.objects.filter(
            beneficiary_id__in=ids, status__in=CeamOrderStatus.open_values()
        ).values_list("beneficiary_id", flat=True)
    )
    cards = dict(
        EuropeanHealthCard.objects.filter(person_id__in=ids)
        .values("person_id")
        .annotate(last=Max("valid_until"))
        .values_list("person_id", "last")
    )
    return {
        p.pk: rules.Facts(
            open_rights=p.pk in with_rights,
            nir_certified=p.nir_status == NirStatus.CERTIFIED,
            address_npai=mailing_npai(holder=holder, beneficiary=p),
            open_order=p.pk in open_orders,
            card_valid_until=cards.get(p.pk),
        )
        for p in people
    }


def beneficiary_choices(*, holder: Person) -> list[Choice]:
    """Every person the holder may order for (CEAM1), each with its exclusion (CEAM2-CEAM4)."""
    today = clock.today()
    people = rules.orderable_people(holder=holder)
    facts = facts_for(holder=holder, people=people, today=today)
    return [
        Choice(
            person=p,
            exclusion=rules.exclusion(facts=facts[p.pk], today=today),
            card_valid_until=facts[p.pk].card_valid_until,
        )
        for p in people
    ]


def rights_end(*, person: Person, day: dt.date) -> dt.date | None:
    """The end of the rights period open on `day` (None: open without an end date)."""
    ends = list(
        reference_selectors.open_rights_periods(person_ids=[person.pk], day=day).values_list(
            "end_date", flat=True
        )
    )
    if not ends or None in ends:
        return None
    return max(ends)


def user_orders(*, user: User) -> QuerySet[CeamOrder]:
    """The orders this account placed, newest first, with what the tracking page prints."""
    return CeamOrder.objects.filter(ordered_by=user).select_related(
        "beneficiary", "card", "provisional_certificate"
    )


def user_order(*, user: User, pk: int) -> CeamOrder | None:
    """One order of this account; None for anyone else's (the pages answer 404)."""
    return user_orders(user=user).filter(pk=pk).first()


def family_orders(*, family_id: int) -> QuerySet[CeamOrder]:
    """The orders for a family's members, whoever placed them (the agents' client file), one
    query."""
    return CeamOrder.objects.filter(beneficiary__family_id=family_id).select_related(
        "beneficiary", "card", "provisional_certificate"
    )
