"""The confirmation log's migration to the one TransitionLog shape keeps every row (issue 15):
« assuré <id> » becomes ``by``, any other author goes to ``note``; and it can be reversed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import InsuredUserFactory

BEFORE = [("enrollment", "0001_initial")]
AFTER = [("enrollment", "0004_remove_actor")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_actor_becomes_by_or_note_and_back():
    user = InsuredUserFactory()
    old = _migrate(BEFORE)
    Confirmation = old.get_model("enrollment", "EmailConfirmation")
    confirmation = Confirmation.objects.create(
        user_id=user.pk, email="a@exemple.fr", way="carte_vitale", nonce="n1"
    )
    Transition = old.get_model("enrollment", "EmailConfirmationTransition")
    for source, target, actor in [
        ("", "pending", f"assuré {user.pk}"),
        ("pending", "address_deleted", "tâche périodique"),
    ]:
        Transition.objects.create(
            confirmation_id=confirmation.pk, source=source, target=target, actor=actor
        )
    try:
        new = _migrate(AFTER)
        rows = new.get_model("enrollment", "EmailConfirmationTransition").objects.order_by("pk")
        assert list(rows.values_list("from_status", "to_status", "by_id", "note")) == [
            ("", "pending", user.pk, ""),
            ("pending", "address_deleted", None, "tâche périodique"),
        ]
        back = _migrate(BEFORE)
        rows = back.get_model("enrollment", "EmailConfirmationTransition").objects.order_by("pk")
        assert list(rows.values_list("source", "target", "actor")) == [
            ("", "pending", f"assuré {user.pk}"),
            ("pending", "address_deleted", "tâche périodique"),
        ]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
