"""Demo state of the online power of attorney (called by `manage.py seed_demo`).

Bernard LEFEBVRE (persona « etm ») has given a power of attorney to his nephew Nicolas, used
once at the front desk of his fund by the agent « accueil »; Françoise MOREAU (persona
« mamie-francoise », issue 17) has given one to her nephew Nicolas MOREAU, who will represent
her at her appointment (guichet/appointments/demo.py). Idempotent: nothing is added while a
persona has their documented power in force. Every other power of the personas' families is
what a demo left (a power given by « family-of-four », another one of « etm »): it is deleted
with its history, so the personas are back to the state docs/personas.md describes.
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
# Issue 17: the guide's use case, Mamie Françoise represented by her nephew at an appointment.
MAMIE_KEY = "mamie-francoise"
MAMIE_PROXY = services.ProxyIdentity(
    civility=Civility.MR,
    last_name="MOREAU",
    usage_name="",
    first_name="Nicolas",
    birth_date=dt.date(1990, 6, 9),
)
DOCUMENTED = {PERSONA_KEY: PROXY, MAMIE_KEY: MAMIE_PROXY}


def _is_documented(power: PowerOfAttorney | None, proxy: services.ProxyIdentity = PROXY) -> bool:
    return power is not None and (
        power.proxy_civility,
        power.proxy_last_name,
        power.proxy_usage_name,
        power.proxy_first_name,
        power.proxy_birth_date,
    ) == (proxy.civility, proxy.last_name, proxy.usage_name, proxy.first_name, proxy.birth_date)


def _undocumented_delete(*, kept: list[PowerOfAttorney]) -> None:
    from guichet.demo.services import persona_families

    powers = PowerOfAttorney.objects.filter(grantor__family__in=persona_families()).exclude(
        pk__in=[power.pk for power in kept]
    )
    PowerUse.objects.filter(power__in=powers).delete()
    powers.delete()


def seed(stdout: TextIO) -> None:
    kept = []
    for key, proxy in DOCUMENTED.items():
        person = Person.objects.filter(nir=persona(key).nir).first()
        if person is None:
            stdout.write(f"Procuration : persona « {key} » absent, rien à faire.\n")
            continue
        current = selectors.current_power(person=person)
        if _is_documented(current, proxy):
            kept.append(current)
            if key == MAMIE_KEY:  # her nephew's visits of a demo are forgotten
                PowerUse.objects.filter(power=current).delete()
            stdout.write(f"Procuration : {person.full_name} en a déjà une en cours.\n")
    _undocumented_delete(kept=kept)
    for key, proxy in DOCUMENTED.items():
        person = Person.objects.filter(nir=persona(key).nir).first()
        if person is None or any(power.grantor_id == person.pk for power in kept):
            continue
        _give(person, proxy, with_use=key == PERSONA_KEY, stdout=stdout)


def _give(person: Person, proxy: services.ProxyIdentity, *, with_use: bool, stdout: TextIO) -> None:
    key = uuid.uuid5(uuid.NAMESPACE_URL, f"guichet-demo-power-{person.pk}-{clock.today()}")
    power = services.power_give(
        grantor=person,
        by=User.objects.filter(person=person).first(),
        proxy=proxy,
        idempotency_key=key,
    )
    agent = User.objects.filter(username=FRONT_DESK_AGENT).first()
    if with_use and agent is not None and not power.uses.exists():
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
