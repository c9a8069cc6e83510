"""Powers of attorney for tests, given through the service as a real insured person would."""

import datetime as dt
import uuid

import time_machine

from guichet.powers import services
from guichet.powers.models import PowerOfAttorney
from guichet.reference.enums import Civility
from guichet.reference.models import Person


def proxy_identity(**overrides: object) -> services.ProxyIdentity:
    fields: dict[str, object] = {
        "civility": Civility.MR,
        "last_name": "Dupont",
        "usage_name": "",
        "first_name": "Martin",
        "birth_date": dt.date(1991, 4, 16),
        **overrides,
    }
    return services.ProxyIdentity(**fields)  # type: ignore[arg-type]


def give_power(
    person: Person, *, at: dt.datetime | None = None, by: object = None, **proxy: object
) -> PowerOfAttorney:
    """Give a power now, or at the instant `at` (time-machine, the clock does not tick)."""

    def _give() -> PowerOfAttorney:
        return services.power_give(
            grantor=person,
            by=by,  # type: ignore[arg-type]
            proxy=proxy_identity(**proxy),
            idempotency_key=uuid.uuid4(),
        )

    if at is None:
        return _give()
    with time_machine.travel(at, tick=False):
        return _give()
