import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from guichet.demo import services

# A fixed instant: the relative dates of the personas (« declared 2 days ago ») are exact.
SEED_INSTANT = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
# The hasher of tests/conftest.py, whose autouse fixture is function-scoped.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def frozen():
    with time_machine.travel(SEED_INSTANT, tick=False) as traveller:
        yield traveller


@pytest.fixture(scope="module")
def _seeded_module(django_db_setup, django_db_blocker):
    """The personas loaded once per module, in a transaction rolled back at its end."""
    with (
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        time_machine.travel(SEED_INSTANT, tick=False),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        seeded = {s.persona.key: s for s in services.demo_seed()}
        yield seeded
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seeded_module, db, frozen):
    """The personas and agents (without the apps' own demo modules), at SEED_INSTANT."""
    return _seeded_module
