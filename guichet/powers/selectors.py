"""Reads of the online power of attorney."""

import datetime as dt
import uuid

from django.db.models import Prefetch, QuerySet

from guichet.core import clock
from guichet.core.prepared import PreparedRead
from guichet.powers.enums import PowerStatus
from guichet.powers.models import PowerOfAttorney, PowerUse
from guichet.reference.models import Person


def current_power(*, person: Person) -> PowerOfAttorney | None:
    """The power in force right now: active and within its month (rule P6)."""
    rows = _current_power(grantor_id=person.pk, now=clock.now())
    return rows[0] if rows else None


# Every page about the account asks it (« Mes informations », the dashboard): compiled once
# per process (core.prepared, issue 16).
_current_power = PreparedRead(
    "powers.current_power",
    lambda grantor_id, now: PowerOfAttorney.objects.filter(
        grantor_id=grantor_id, status=PowerStatus.ACTIVE, valid_until__gte=now
    ).order_by("-created_at", "pk")[:1],
    grantor_id=int,
    now=dt.datetime,
)


def latest_power(*, person: Person) -> PowerOfAttorney | None:
    """The most recent power, whatever its status (what a front-desk agent must see)."""
    return PowerOfAttorney.objects.filter(grantor=person).order_by("-created_at", "-pk").first()


def power_history(*, person: Person) -> QuerySet[PowerOfAttorney]:
    """Every power the person gave, newest first, with each front-desk use."""
    return PowerOfAttorney.objects.filter(grantor=person).prefetch_related(
        Prefetch("uses", queryset=PowerUse.objects.select_related("fund"))
    )


def power_for(*, person: Person, power_id: int) -> PowerOfAttorney | None:
    """One of the person's own powers; None for anybody else's (the view answers 404)."""
    return PowerOfAttorney.objects.filter(grantor=person, pk=power_id).first()


def power_by_token(*, person: Person, token: uuid.UUID) -> PowerOfAttorney | None:
    """The person's power given with this form token (a second submission of the same form)."""
    return PowerOfAttorney.objects.filter(grantor=person, idempotency_key=token).first()
