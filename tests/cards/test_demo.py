"""The carte Vitale demo: declarations for the V5 personas and one order to review, idempotent."""

import datetime as dt
import io

import pytest
import time_machine

from guichet.cards import demo, rules
from guichet.cards.enums import ExclusionCode, OrderStatus
from guichet.cards.models import CardDeclaration, CardOrder
from guichet.demo import services as demo_services
from guichet.demo.personas import persona
from guichet.reference.models import Person

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_gives_the_v5_states(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC), tick=False):
        demo_services.demo_seed()
        demo.seed(io.StringIO())
        demo.seed(io.StringIO())
        assert CardOrder.objects.filter(status=OrderStatus.RECEIVED).count() == 1
        declarations = CardDeclaration.objects.count()
        demo.seed(io.StringIO())
        assert CardDeclaration.objects.count() == declarations

        def code(key):
            person = Person.objects.get(nir=persona(key).nir)
            excluded = rules.exclusion(holder=person, beneficiary=person)
            return excluded.code if excluded else None

        assert code("card-lost-2-days") is None
        assert code("card-stolen-5-days") == ExclusionCode.PAPER_FORM_PENDING
        assert code("card-lost-6-days") is None


def test_seed_reads_only_the_personas_cards(settings):
    """Issue 16: the declarations are restored set-based, so the card step makes as many
    queries whatever the database holds beside the personas (lost, stolen, faulty cards of
    the scale data are never read)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from guichet.reference.enums import CardStatus
    from tests.factories import CardFactory

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC), tick=False):
        demo_services.demo_seed()
        demo.seed(io.StringIO())
        with CaptureQueriesContext(connection) as before:
            demo.seed(io.StringIO())
        for status in (CardStatus.LOST, CardStatus.STOLEN, CardStatus.FAULTY) * 4:
            CardFactory(status=status)
        declarations = CardDeclaration.objects.count()
        with CaptureQueriesContext(connection) as after:
            demo.seed(io.StringIO())
        assert len(after) == len(before)
        assert CardDeclaration.objects.count() == declarations
