"""Demo state of the online power of attorney (called by `manage.py seed_demo`).

Bernard LEFEBVRE (persona « etm ») has given a power of attorney to his nephew Nicolas, used
once at the front desk of his fund by the agent « accueil ». Idempotent: nothing is added while
he has that power in force. Every other power of the personas' families is what a demo left
(a power given by « family-of-four », another one of « etm »): it is deleted with its history,
so the personas are back to the state docs/personas.md describes.
"""

import datetime as dt
import uuid
from typing import TextIO

from guichet.accounts.models import User
from guichet.core import clock
from guichet.demo.personas import persona
from guichet.powers import selectors, services
from guichet.powers.enums import IdentityDocument
from guichet.powers.models import PowerOfAttorney, PowerUse
from guichet.reference.enums import Civility
from guichet.reference.models import Person

PERSONA_KEY = "etm"
FRONT_DESK_AGENT = "accueil"


PROXY = services.ProxyIdentity(
    civility=Civility.MR,
    last_name="LEFEBVRE",
    usage_name="",
    first_name="Nicolas",
    birth_date=dt.date(1988, 3, 14),
)


def _is_documented(power: PowerOfAttorney | None) -> bool:
    return power is not None and (
        power.proxy_civility,
        power.proxy_last_name,
        power.proxy_usage_name,
        power.proxy_first_name,
        power.proxy_birth_date,
    ) == (PROXY.civility, PROXY.last_name, PROXY.usage_name, PROXY.first_name, PROXY.birth_date)


def _undocumented_delete(*, kept: PowerOfAttorney | None) -> None:
    from guichet.demo.services import persona_families

    powers = PowerOfAttorney.objects.filter(grantor__family__in=persona_families())
    if kept is not None:
        powers = powers.exclude(pk=kept.pk)
    PowerUse.objects.filter(power__in=powers).delete()
    powers.delete()


def seed(stdout: TextIO) -> None:
    person = Person.objects.filter(nir=persona(PERSONA_KEY).nir).first()
    if person is None:
        stdout.write("Procuration : persona « etm » absent, rien à faire.\n")
        return
    current = selectors.current_power(person=person)
    if _is_documented(current):
        _undocumented_delete(kept=current)
        stdout.write(f"Procuration : {person.full_name} en a déjà une en cours.\n")
        return
    _undocumented_delete(kept=None)
    key = uuid.uuid5(uuid.NAMESPACE_URL, f"guichet-demo-power-{person.pk}-{clock.today()}")
    power = services.power_give(
        grantor=person,
        by=User.objects.filter(person=person).first(),
        proxy=PROXY,
        idempotency_key=key,
    )
    agent = User.objects.filter(username=FRONT_DESK_AGENT).first()
    if agent is not None and not power.uses.exists():
        services.power_use_record(
            power_id=power.pk,
            grantor=person,
            agent=agent,
            document_type=IdentityDocument.ID_CARD,
            document_last_digits="4821",
        )
    stdout.write(
        f"Procuration : {person.full_name} → {power.proxy_display_name}, "
        f"jusqu'au {power.valid_until.astimezone(clock.PARIS):%d/%m/%Y}.\n"
    )
