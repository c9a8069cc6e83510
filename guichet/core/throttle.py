"""Rate limits kept in the database so that several web processes share them.

A key (for instance ``login:<nir>:<ip>``) may be hit ``limit`` times within ``window``; the
next hit blocks the key for ``cool_off`` (never for good: NIRs are not secret, rule G1).
Rows are claimed with SELECT ... FOR UPDATE, so two processes never both pass the limit.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db import transaction

from guichet.core import clock
from guichet.core.models import ThrottleCounter


@dataclass(frozen=True)
class ThrottleState:
    allowed: bool
    retry_after: dt.timedelta | None = None


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
