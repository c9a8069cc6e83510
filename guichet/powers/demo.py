"""Demo state of the online power of attorney (called by `manage.py seed_demo`).

Bernard LEFEBVRE (persona « etm ») has given a power of attorney to his nephew Nicolas, used
once at the front desk of his fund by the agent « accueil ». Idempotent: nothing is added while
he has a power in force.
"""

import datetime as dt
import uuid
from typing import TextIO

from guichet.accounts.models import User
from guichet.core import clock
from guichet.demo.personas import persona
from guichet.powers import selectors, services
from guichet.powers.enums import IdentityDocument
from guichet.reference.enums import Civility
from guichet.reference.models import Person

PERSONA_KEY = "etm"
FRONT_DESK_AGENT = "accueil"


def seed(stdout: TextIO) -> None:
    person = Person.objects.filter(nir=persona(PERSONA_KEY).nir).first()
    if person is None:
        stdout.write("Procuration : persona « etm » absent, rien à faire.\n")
        return
    if selectors.current_power(person=person) is not None:
        stdout.write(f"Procuration : {person.full_name} en a déjà une en cours.\n")
        return
    key = uuid.uuid5(uuid.NAMESPACE_URL, f"guichet-demo-power-{person.pk}-{clock.today()}")
    power = services.power_give(
        grantor=person,
        by=User.objects.filter(person=person).first(),
        proxy=services.ProxyIdentity(
            civility=Civility.MR,
            last_name="LEFEBVRE",
            usage_name="",
            first_name="Nicolas",
            birth_date=dt.date(1988, 3, 14),
        ),
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
