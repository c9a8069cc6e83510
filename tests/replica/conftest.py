"""The replica tests use the two throwaway clusters that tests/replica/run.sh starts, as they
are: the project is migrated on the primary by the script, no test database is created (the
standby could not hold one), and each test flushes the primary afterwards (transactional tests:
the standby only sees what was committed). GUICHET_REPLICA_TEST names the script's temporary
folder, and the primary must live in it: no other database is ever flushed by these tests."""

import os

import pytest
from django.db import connections


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker):
    work = os.environ.get("GUICHET_REPLICA_TEST", "")
    if not work:
        pytest.skip("make test-replica démarre le primaire et sa réplique")
    with django_db_blocker.unblock(), connections["default"].cursor() as cursor:
        cursor.execute("SHOW data_directory")
        (data_directory,) = cursor.fetchone()
    if not data_directory.startswith(work.rstrip("/") + "/"):
        pytest.exit(f"Le primaire n'est pas celui de tests/replica/run.sh : {data_directory}")
