"""The demo state of the power of attorney is idempotent."""

import io

import pytest

from guichet.demo.personas import persona
from guichet.powers import demo
from guichet.powers.models import PowerOfAttorney, PowerUse
from tests.factories import AgentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_seed_gives_one_power_with_one_use_and_is_idempotent():
    etm = persona(demo.PERSONA_KEY)
    person = PersonFactory(nir=etm.nir, birth_date=etm.birth_date)
    AgentFactory(username=demo.FRONT_DESK_AGENT)
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    power = PowerOfAttorney.objects.get()
    assert power.grantor == person
    assert power.proxy_first_name == "Nicolas"
    assert PowerUse.objects.count() == 1


def test_seed_without_the_persona_does_nothing():
    out = io.StringIO()
    demo.seed(out)
    assert not PowerOfAttorney.objects.exists()
    assert "absent" in out.getvalue()
