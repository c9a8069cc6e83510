"""Read-only queries on online accounts."""

import datetime as dt
from dataclasses import dataclass

from guichet.accounts.enums import OnlineAccountState
from guichet.accounts.models import LoginEvent, User
from guichet.core import clock
from guichet.reference.models import Person

# An address the account signed in from within this many days is trusted by the login's
# account-wide and address-wide limits (docs/decisions/security-credentials-and-sessions.md).
KNOWN_ADDRESS_DAYS = 30


def address_known(*, user: User | None, ip: str) -> bool:
    """Whether the account signed in successfully from this address lately (one query)."""
    if user is None or not ip:
        return False
    return LoginEvent.objects.filter(
        user=user,
        outcome=LoginEvent.Outcome.SUCCESS,
        ip_address=ip,
        created_at__gte=clock.now() - dt.timedelta(days=KNOWN_ADDRESS_DAYS),
    ).exists()


@dataclass(frozen=True)
class OnlineAccount:
    """What the front desk may say about a person's online account: its state and dates, never
    its email or code."""

    state: OnlineAccountState
    created_at: dt.datetime | None = None
    last_login: dt.datetime | None = None
    closed_at: dt.datetime | None = None


def online_account(*, person: Person) -> OnlineAccount:
    """The person's open account, else their latest closed one, else none."""
    user = User.objects.filter(person=person).only("is_active", "date_joined", "last_login").first()
    if user is not None:
        state = (
            OnlineAccountState.ACTIVE
            if user.is_active
            else OnlineAccountState.AWAITING_CONFIRMATION
        )
        return OnlineAccount(state, created_at=user.date_joined, last_login=user.last_login)
    closed = (
        User.objects.filter(closed_person=person)
        .only("date_joined", "closed_at")
        .order_by("-closed_at")
        .first()
    )
    if closed is not None:
        return OnlineAccount(
            OnlineAccountState.CLOSED, created_at=closed.date_joined, closed_at=closed.closed_at
        )
    return OnlineAccount(OnlineAccountState.NONE)


def current_account(*, user: User) -> User | None:
    """Where a notice for `user` goes: the account itself while it is open; once closed, the
    account the person opened since, if any (docs/decisions/accounts-closure.md)."""
    if user.closed_at is None:
        return user
    if user.closed_person_id is None:
        return None
    return (
        User.objects.filter(person_id=user.closed_person_id, closed_at__isnull=True)
        .select_related("person")
        .first()
    )
