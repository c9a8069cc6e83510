"""The card maker's status file is checked with a constant number of queries (issue 15): the
orders and the serial numbers already given are read once for the whole file, and the orders
to move are locked in one query."""

import datetime as dt

import pytest
from django.utils import timezone

from guichet.cards import services
from guichet.cards.enums import OrderStatus
from guichet.cards.models import CardOrder
from tests.factories import CardFactory, InsuredUserFactory

pytestmark = pytest.mark.django_db

HEADER = "reference;statut;date;numero_serie\n"
# Reading the file's orders, then the cards holding its serial numbers (and the transaction).
CHECK_QUERIES = 4
# The same, then locking the orders to move (and its savepoint).
LOCK_QUERIES = CHECK_QUERIES + 2


def orders(count: int, status: str) -> list[CardOrder]:
    made = []
    for _ in range(count):
        user = InsuredUserFactory()
        made.append(
            CardOrder.objects.create(
                beneficiary=user.person,
                ordered_by=user,
                status=status,
                submitted_at=timezone.now(),
            )
        )
    return made


def status_file(lines: list[str]) -> str:
    return HEADER + "".join(line + "\n" for line in lines)


@pytest.mark.parametrize("count", [1, 50])
def test_a_refused_file_is_checked_in_constant_queries(count, django_assert_max_num_queries):
    day = dt.date.today().isoformat()
    lines = [
        f"{order.reference};remise;{day};{CardFactory().serial_number}"
        for order in orders(count, OrderStatus.IN_PRODUCTION)
    ]
    with django_assert_max_num_queries(CHECK_QUERIES):
        result = services.card_statuses_import(text=status_file(lines))
    assert len(result.errors) == count
    assert all("déjà attribué à une autre carte" in error for error in result.errors)
    assert result.applied == 0


@pytest.mark.parametrize("count", [1, 50])
def test_a_file_read_again_is_checked_and_locked_in_constant_queries(
    count, django_assert_max_num_queries
):
    day = dt.date.today().isoformat()
    lines = [f"{order.reference};envoyee;{day};" for order in orders(count, OrderStatus.SENT)]
    with django_assert_max_num_queries(LOCK_QUERIES):
        result = services.card_statuses_import(text=status_file(lines))
    assert result.errors == []
    assert (result.applied, result.unchanged) == (0, count)
