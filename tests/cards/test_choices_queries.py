"""Step 1 of the order for a whole family: the same exclusions as the rules read one person at
a time, in a fixed number of queries (issue 16, rules V2, V4, V5)."""

import datetime as dt

import pytest
import time_machine

from guichet.accounts.models import User
from guichet.cards import rules, selectors
from guichet.cards.enums import DeclarationKind, OrderStatus
from guichet.cards.models import CardOrder
from guichet.core import clock
from guichet.reference.enums import CardStatus
from tests.cards.factories import DeclarationFactory
from tests.factories import CardFactory, PersonFactory
from tests.web.factories import family_account

pytestmark = pytest.mark.django_db


def _family_in_every_situation():
    """A holder and dependants of 12 or more, each in another V2/V4/V5 situation."""
    user = family_account(dependants=0, payments=0)
    holder = user.person
    people = [
        PersonFactory(dependant=True, family=holder.family, birth_date=dt.date(2008, 1, 1 + i))
        for i in range(5)
    ]
    young = PersonFactory(dependant=True, family=holder.family, birth_date=dt.date(2020, 1, 1))
    lost, blocked, transfer, ordered, _first_card = people  # the last: no card yet
    DeclarationFactory(card=CardFactory(person=lost, status=CardStatus.LOST))
    with time_machine.travel(clock.now() - dt.timedelta(days=5)):
        DeclarationFactory(
            card=CardFactory(person=blocked, status=CardStatus.STOLEN), kind=DeclarationKind.STOLEN
        )
    CardFactory(person=transfer, status=CardStatus.IN_TRANSFER)
    CardFactory(person=ordered, status=CardStatus.FAULTY)
    CardOrder.objects.create(
        beneficiary=ordered, ordered_by=user, status=OrderStatus.RECEIVED, submitted_at=clock.now()
    )
    return user, [holder, *people, young]


def test_the_family_page_gives_the_rules_of_each_person():
    user, people = _family_in_every_situation()
    choices = {choice.person.pk: choice for choice in selectors.beneficiary_choices(user=user)}
    assert set(choices) == {person.pk for person in people}
    codes = set()
    for person in people:
        alone = rules.exclusion(holder=user.person, beneficiary=person)
        choice = choices[person.pk]
        assert choice.exclusion == alone, person
        assert choice.window == rules.order_window(beneficiary=person)
        if alone is None:
            assert choice.reason == rules.order_reason(
                replaced=rules.replaced_card(beneficiary=person)
            )
        codes.add(alone.code if alone else None)
    # Every branch is met: the comparison above is not between two empty answers.
    assert codes == {
        None,
        "declaration_needed",
        "paper_form_pending",
        "in_transfer",
        "open_order",
        "under_12",
    }


def test_the_family_page_costs_the_same_whatever_the_family(django_assert_num_queries):
    small = family_account(dependants=1, payments=0)
    large, _ = _family_in_every_situation()
    for account in (small, large):
        user = User.objects.select_related("person").get(pk=account.pk)  # as the session reads it
        with django_assert_num_queries(4):  # the family, its cards, open orders, declarations
            selectors.beneficiary_choices(user=user)
