"""The choice request's stored status is set from its dates when it is added (issue 15)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import InsuredUserFactory

BEFORE = [("complementary", "0001_initial")]
AFTER = [("complementary", "0004_transition_logs")]
AT = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_status_from_the_dates():
    families = [InsuredUserFactory() for _ in range(3)]
    old = _migrate(BEFORE)
    Request = old.get_model("complementary", "ChoiceRequest")
    dates = [{}, {"applied_at": AT}, {"applied_at": AT, "closed_at": AT}]
    for user, extra in zip(families, dates, strict=True):
        Request.objects.create(
            family_id=user.person.family_id, requested_by_id=user.pk, requested_at=AT, **extra
        )
    try:
        new = _migrate(AFTER)
        requests = new.get_model("complementary", "ChoiceRequest").objects.order_by("pk")
        assert list(requests.values_list("status", flat=True)) == ["pending", "applied", "closed"]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
