"""The database router against a real streaming replica (issue 16): tests/replica/run.sh
starts the primary and its standby (make test-replica). Heavy reads go to the standby, a row
written on the primary is read there once replication has caught up, a person's own write is
read from the primary at once and for GUICHET_REPLICA_PIN_SECONDS, writes never go to the
standby. docs/decisions/database-replicas.md."""

import contextvars
import datetime as dt
import time
from contextlib import contextmanager
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext

from guichet.complementary.detection import conflicts_detect
from guichet.complementary.models import Conflict
from guichet.core.db import REPLICA
from guichet.reference import selectors as reference_selectors
from guichet.reference.models import Payment
from tests.complementary.factories import family_with_overlaps
from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory, PaymentFactory

pytestmark = [
    pytest.mark.replica,
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
]
DAY = dt.date(2026, 11, 23)


def _lsn(alias: str, function: str) -> str:
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT {function}()")
        return cursor.fetchone()[0]


def caught_up(timeout: float = 20) -> None:
    """Wait until the standby has replayed everything the primary has written so far."""
    target = _lsn("default", "pg_current_wal_lsn")
    deadline = time.monotonic() + timeout
    while True:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        assert time.monotonic() < deadline, "la réplique n'a pas rattrapé le primaire"
        time.sleep(0.05)


@contextmanager
def replay_paused():
    """The standby stops replaying the WAL: it lags behind the primary until the end."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")


def fresh(function, *args, **kwargs):
    """Run as a new process or request would: nothing written yet in this context."""
    return contextvars.Context().run(function, *args, **kwargs)


def payments_of(family_id: int) -> list[Payment]:
    return list(reference_selectors.family_payments(family_id=family_id))


def test_the_replica_is_a_streaming_standby_of_the_primary():
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT state FROM pg_stat_replication")
        assert [row[0] for row in cursor.fetchall()] == ["streaming"]


def test_a_row_written_on_the_primary_is_read_on_the_replica_once_caught_up():
    payment = PaymentFactory(label="Pharmacie")
    caught_up()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        read = fresh(payments_of, payment.family_id)
    assert [(p.pk, p.label, p._state.db) for p in read] == [(payment.pk, "Pharmacie", REPLICA)]
    assert any("reference_payment" in q["sql"] for q in on_replica.captured_queries)
    # A relation of a row read on the replica is read there too.
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert read[0].beneficiary.pk == payment.beneficiary_id
    assert read[0].beneficiary._state.db == REPLICA


def test_heavy_reads_really_come_from_the_replica_while_it_lags():
    payment = PaymentFactory()
    caught_up()
    with replay_paused():
        PaymentFactory(beneficiary=payment.beneficiary, label="Écrit pendant la pause")
        assert [p.pk for p in fresh(payments_of, payment.family_id)] == [payment.pk]
    caught_up()
    assert len(fresh(payments_of, payment.family_id)) == 2


def test_writes_never_go_to_the_replica():
    payment = PaymentFactory()
    caught_up()
    (read,) = fresh(payments_of, payment.family_id)
    read.amount = Decimal("21.00")
    read.save()  # the standby would refuse it: « cannot execute UPDATE in a read-only transaction »
    assert read._state.db == "default"
    assert Payment.objects.using("default").get(pk=payment.pk).amount == Decimal("21.00")


def test_a_write_in_the_same_context_keeps_its_heavy_reads_on_the_primary():
    def write_then_read(family_id, beneficiary):
        PaymentFactory(beneficiary=beneficiary, label="Écrit puis lu")
        return payments_of(family_id)

    payment = PaymentFactory()
    caught_up()
    with replay_paused():
        read = fresh(write_then_read, payment.family_id, payment.beneficiary)
    assert {p.label for p in read} == {payment.label, "Écrit puis lu"}
    assert {p._state.db for p in read} == {"default"}


def _sign_in(client, user):
    response = client.post("/connexion/", {"nir": user.username, "code": DEFAULT_PASSWORD})
    assert response.status_code == 302


def test_a_person_reads_their_own_write_from_the_primary_for_the_pin_window(client):
    writer, other = InsuredUserFactory(), InsuredUserFactory()
    for user in (writer, other):
        PaymentFactory(beneficiary=user.person, label="Payé avant")
    caught_up()
    other_client = client.__class__()
    other_client.force_login(other)  # outside a request: no write of theirs is recorded
    with replay_paused():
        for user in (writer, other):
            PaymentFactory(beneficiary=user.person, label="Payé pendant la pause")
        _sign_in(client, writer)  # a write of the person: last login, throttle reset…
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            mine = client.get("/mes-paiements/").content.decode()
        assert "Payé pendant la pause" in mine
        assert not on_replica.captured_queries

        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            theirs = other_client.get("/mes-paiements/").content.decode()
        assert "Payé avant" in theirs and "Payé pendant la pause" not in theirs
        assert any("reference_payment" in q["sql"] for q in on_replica.captured_queries)

        # Past the window, the person's heavy reads are back on the replica.
        later = dt.datetime.now(dt.UTC) + dt.timedelta(
            seconds=settings.GUICHET_REPLICA_PIN_SECONDS + 1
        )
        with time_machine.travel(later), CaptureQueriesContext(connections[REPLICA]) as on_replica:
            mine = client.get("/mes-paiements/").content.decode()
        assert "Payé avant" in mine and "Payé pendant la pause" not in mine
        assert on_replica.captured_queries


def test_the_detection_scans_the_replica_and_records_on_the_primary():
    family_with_overlaps(beneficiaries=2)
    caught_up()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        result = fresh(conflicts_detect, day=DAY)
    assert result.detected == 2
    assert Conflict.objects.using("default").count() == 2
    assert any("reference_complementarycontract" in q["sql"] for q in on_replica.captured_queries)
    assert not any(
        q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
        for q in on_replica.captured_queries
    )

    caught_up()
    with replay_paused():
        family_with_overlaps(beneficiaries=1)
        # The standby does not see the new pair yet: the next periodic run records it.
        assert fresh(conflicts_detect, day=DAY).detected == 0
    caught_up()
    assert fresh(conflicts_detect, day=DAY).detected == 1
    assert Conflict.objects.using("default").count() == 3
