"""Rate limits kept in the database so that several web processes share them.

A key (for instance ``login:<nir>:<ip>``) may be hit ``limit`` times within ``window``; the
next hit blocks the key for ``cool_off`` (never for good: NIRs are not secret, rule G1).
Rows are claimed with SELECT ... FOR UPDATE, so two processes never both pass the limit.

`Limit` names one such rule (scope, limit, window, cool-off); `CredentialLimits` counts the
failed checks of one secret three ways (per account and address, per account across
addresses, per address across accounts) for every place a secret is typed: the web login and
the API token endpoint (accounts.services), and whoever else checks a secret.
docs/decisions/security-credentials-and-sessions.md.
"""

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.db import transaction

from guichet.core import clock
from guichet.core.models import ThrottleCounter

# Which count refused an attempt (ThrottleState.dimension), for the message to give.
PAIR = "pair"  # this account from this address
ACCOUNT = "account"  # this account, from every address
ADDRESS = "address"  # this address, for every account


@dataclass(frozen=True)
class ThrottleState:
    allowed: bool
    retry_after: dt.timedelta | None = None
    dimension: str = ""


ALLOWED = ThrottleState(allowed=True)


def wait_in_minutes(retry_after: dt.timedelta) -> str:
    """« 1 minute », « 12 minutes »: a wait rounded up to the minute, for the messages."""
    minutes = max(1, -(-int(retry_after.total_seconds()) // 60))
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


def make_key(*parts: str) -> str:
    """A fixed-length key that does not store the NIR or the address in clear."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"{parts[0]}:{digest}"


def check(key: str) -> ThrottleState:
    """Whether the key is currently blocked, without counting an attempt."""
    row = ThrottleCounter.objects.filter(key=key).only("blocked_until").first()
    now = clock.now()
    if row and row.blocked_until and row.blocked_until > now:
        return ThrottleState(allowed=False, retry_after=row.blocked_until - now)
    return ThrottleState(allowed=True)


@transaction.atomic
def hit(key: str, *, limit: int, window: dt.timedelta, cool_off: dt.timedelta) -> ThrottleState:
    """Count one attempt; refuse it when the key is blocked or this attempt passes the limit."""
    now = clock.now()
    row, _ = ThrottleCounter.objects.select_for_update().get_or_create(
        key=key, defaults={"window_start": now, "count": 0}
    )
    if row.blocked_until and row.blocked_until > now:
        return ThrottleState(allowed=False, retry_after=row.blocked_until - now)
    if row.window_start + window <= now or row.blocked_until:
        row.window_start, row.count, row.blocked_until = now, 0, None
    row.count += 1
    if row.count > limit:
        row.blocked_until = now + cool_off
        row.save(update_fields=["window_start", "count", "blocked_until"])
        return ThrottleState(allowed=False, retry_after=cool_off)
    row.save(update_fields=["window_start", "count", "blocked_until"])
    return ThrottleState(allowed=True)


def reset(key: str) -> None:
    ThrottleCounter.objects.filter(key=key).delete()


def refusal(*states: ThrottleState) -> ThrottleState:
    """The refused state with the longest wait, or ALLOWED when none refuses."""
    refused = [state for state in states if not state.allowed]
    if not refused:
        return ALLOWED
    return max(refused, key=lambda state: state.retry_after or dt.timedelta(0))


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` hits per ``window`` on one key of ``scope``, then ``cool_off`` blocked."""

    scope: str
    limit: int
    window: dt.timedelta
    cool_off: dt.timedelta

    def key(self, *parts: str) -> str:
        return make_key(self.scope, *parts)

    def check(self, *parts: str) -> ThrottleState:
        return check(self.key(*parts))

    def hit(self, *parts: str) -> ThrottleState:
        return hit(self.key(*parts), limit=self.limit, window=self.window, cool_off=self.cool_off)

    def reset(self, *parts: str) -> None:
        reset(self.key(*parts))


@dataclass(frozen=True)
class CredentialLimits:
    """Failed checks of one secret, counted per (account, address), per account across
    addresses (many machines on one account) and per address across accounts (one machine
    trying one code on many accounts).

    - A blocked (account, address) pair is refused whatever is typed, for its cool-off.
    - A blocked account, or a blocked address, is refused for its cool-off except where the
      caller ``trusted`` the pair (for the login: an address the account signed in from
      lately): an attacker elsewhere cannot lock the person out at home, and nobody is ever
      locked out for good (every block ends).
    - Refused attempts are not checked, so they are not guesses; they are not counted either.
    ``trusted`` is called only when an account-wide or address-wide block applies.
    """

    pair: Limit
    account: Limit
    address: Limit

    def _wide(self, account: ThrottleState, address: ThrottleState) -> ThrottleState:
        return refusal(
            replace(account, dimension=ACCOUNT) if not account.allowed else account,
            replace(address, dimension=ADDRESS) if not address.allowed else address,
        )

    def refused(self, *, account: str, address: str, trusted: Callable[[], bool]) -> ThrottleState:
        """Whether an attempt is refused before the secret is checked (ALLOWED otherwise)."""
        pair = self.pair.check(account, address)
        if not pair.allowed:
            return replace(pair, dimension=PAIR)
        wide = self._wide(
            self.account.check(account), self.address.check(address) if address else ALLOWED
        )
        if not wide.allowed and not trusted():
            return wide
        return ALLOWED

    def failed(self, *, account: str, address: str, trusted: Callable[[], bool]) -> ThrottleState:
        """Count a wrong secret three ways; returns the refusal this attempt gets (the limit
        just passed), or ALLOWED while no limit that applies to it is passed."""
        pair = self.pair.hit(account, address)
        wide = self._wide(
            self.account.hit(account), self.address.hit(address) if address else ALLOWED
        )
        if not pair.allowed:
            return replace(pair, dimension=PAIR)
        if not wide.allowed and not trusted():
            return wide
        return ALLOWED

    def succeeded(self, *, account: str, address: str) -> None:
        """The right secret: the pair starts afresh (the wider counts keep others' failures)."""
        self.pair.reset(account, address)

    def forget_account(self, *, account: str) -> None:
        """The person proved it otherwise (for instance « Code oublié ? »): the account-wide
        count starts afresh."""
        self.account.reset(account)
