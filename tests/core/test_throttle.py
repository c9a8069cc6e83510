"""The reusable throttle helpers: Limit, refusal() and CredentialLimits (core.throttle)."""

import datetime as dt

import pytest
import time_machine

from guichet.core import clock, throttle

pytestmark = pytest.mark.django_db

WINDOW = dt.timedelta(minutes=10)
LIMITS = throttle.CredentialLimits(
    pair=throttle.Limit("test-pair", 2, WINDOW, WINDOW),
    account=throttle.Limit("test-account", 3, WINDOW, WINDOW),
    address=throttle.Limit("test-ip", 4, WINDOW, 2 * WINDOW),
)


def _never_trusted():
    raise AssertionError("trusted() is asked only under an account-wide or address-wide block")


def test_refusal_keeps_the_longest_wait():
    short = throttle.ThrottleState(False, dt.timedelta(minutes=1), throttle.PAIR)
    long = throttle.ThrottleState(False, dt.timedelta(minutes=9), throttle.ADDRESS)
    assert throttle.refusal(throttle.ALLOWED, short, long) == long
    assert throttle.refusal(throttle.ALLOWED, throttle.ALLOWED).allowed


def test_the_pair_blocks_whatever_the_trust():
    for _ in range(2):
        assert LIMITS.failed(account="a", address="ip1", trusted=_never_trusted).allowed
    state = LIMITS.failed(account="a", address="ip1", trusted=lambda: True)
    assert not state.allowed and state.dimension == throttle.PAIR
    assert LIMITS.refused(account="a", address="ip1", trusted=lambda: True).dimension == "pair"
    assert LIMITS.refused(account="a", address="ip2", trusted=_never_trusted).allowed


def test_account_and_address_blocks_spare_the_trusted_and_end():
    with time_machine.travel(clock.now(), tick=False) as traveller:
        for n in range(3):
            assert LIMITS.failed(account="b", address=f"ip{n}", trusted=_never_trusted).allowed
        state = LIMITS.failed(account="b", address="ip9", trusted=lambda: False)
        assert state.dimension == throttle.ACCOUNT and state.retry_after == WINDOW
        assert LIMITS.refused(account="b", address="home", trusted=lambda: True).allowed
        assert not LIMITS.refused(account="b", address="new", trusted=lambda: False).allowed
        traveller.shift(WINDOW)
        assert LIMITS.refused(account="b", address="new", trusted=_never_trusted).allowed


def test_forget_account_lifts_the_account_wide_block():
    for n in range(4):
        LIMITS.failed(account="c", address=f"ip{n}", trusted=lambda: False)
    assert not LIMITS.refused(account="c", address="x", trusted=lambda: False).allowed
    LIMITS.forget_account(account="c")
    assert LIMITS.refused(account="c", address="x", trusted=_never_trusted).allowed


def test_no_address_no_address_count():
    for n in range(10):
        LIMITS.failed(account=f"d{n}", address="", trusted=_never_trusted)
    assert LIMITS.refused(account="e", address="", trusted=_never_trusted).allowed
