"""Families of every size for the dashboard tests."""

import datetime as dt
from decimal import Decimal

from guichet.accounts.models import User
from guichet.reference.enums import PaymentKind
from tests.factories import (
    CardFactory,
    ComplementaryContractFactory,
    InsuredUserFactory,
    PaymentFactory,
    PersonFactory,
)


def family_account(
    *, dependants: int = 1, payments: int = 3, contracts: bool = True, last_name: str = ""
) -> User:
    """An insured account with `dependants` children, `payments` payments spread over them."""
    user = InsuredUserFactory(**({"person__last_name": last_name} if last_name else {}))
    holder = user.person
    members = [holder]
    for i in range(dependants):
        members.append(
            PersonFactory(
                dependant=True,
                family=holder.family,
                birth_date=dt.date(2010 + i % 10, 1 + i % 12, 1 + i),
                first_names=f"Enfant{i}",
                last_name=holder.last_name,
            )
        )
    for member in members:
        CardFactory(person=member)
        if contracts:
            ComplementaryContractFactory(person=member)
    for i in range(payments):
        PaymentFactory(
            beneficiary=members[i % len(members)],
            kind=PaymentKind.REIMBURSEMENT,
            paid_on=dt.date(2026, 1, 1) + dt.timedelta(days=i),
            amount=Decimal("10.00") + i,
        )
    return user
