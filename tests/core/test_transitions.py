"""The one transition mechanism (guichet.core.transitions), on real procedures' models: a kiosk
(one object at a time) and the complementary conflicts (a bulk job)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.complementary.detection import conflicts_detect
from guichet.complementary.enums import ConflictStatus
from guichet.complementary.models import Conflict, ConflictTransition
from guichet.complementary.rules import CONFLICT_MACHINE
from guichet.core.refusals import Refused
from guichet.core.transitions import StaleTransition, TransitionNotAllowed
from guichet.terminals.enums import KioskStatus
from guichet.terminals.models import KioskDevice, KioskTransition
from guichet.terminals.services import TRANSITIONS as KIOSK_MACHINE
from guichet.terminals.services import kiosk_enrol
from tests.complementary.factories import family_with_overlaps
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 23)


# What the kiosk's constraints ask of each state (kiosk_credentials_follow_status).
REVOKED = {"revoked_at": dt.datetime(2026, 3, 10, tzinfo=dt.UTC), "enrolment_code_digest": ""}
ACTIVE = {
    "secret_digest": "d" * 64,
    "enrolment_code_digest": "",
    "installed_at": dt.datetime(2026, 3, 9, tzinfo=dt.UTC),
}


def _kiosk():
    agent = AgentFactory()
    return kiosk_enrol(name="Accueil Paris 11", by=agent).device, agent


def _log(device):
    return list(
        KioskTransition.objects.filter(device=device).values_list(
            "from_status", "to_status", "by", "note"
        )
    )


def test_move_changes_the_status_and_fields_and_logs_who_and_why():
    device, agent = _kiosk()
    KIOSK_MACHINE.move(device, KioskStatus.REVOKED, by=agent, note="Borne volée", **REVOKED)
    assert (device.status, device.revoked_at) == (KioskStatus.REVOKED, REVOKED["revoked_at"])
    device.refresh_from_db()
    assert (device.status, device.revoked_at) == (KioskStatus.REVOKED, REVOKED["revoked_at"])
    assert _log(device) == [
        ("", KioskStatus.PENDING, agent.pk, ""),
        (KioskStatus.PENDING, KioskStatus.REVOKED, agent.pk, "Borne volée"),
    ]


def test_a_move_the_table_forbids_writes_nothing():
    device, agent = _kiosk()
    KIOSK_MACHINE.move(device, KioskStatus.REVOKED, by=agent, **REVOKED)
    with pytest.raises(TransitionNotAllowed):
        KIOSK_MACHINE.move(device, KioskStatus.ACTIVE, by=agent, **ACTIVE)
    device.refresh_from_db()
    assert device.status == KioskStatus.REVOKED
    assert len(_log(device)) == 2


def test_a_stale_object_is_refused_with_the_machines_message_and_nothing_is_logged():
    device, agent = _kiosk()
    other_tab = KioskDevice.objects.get(pk=device.pk)
    KIOSK_MACHINE.move(device, KioskStatus.ACTIVE, by=None, **ACTIVE)
    with pytest.raises(StaleTransition) as refused:
        KIOSK_MACHINE.move(other_tab, KioskStatus.REVOKED, by=agent, **REVOKED)
    assert isinstance(refused.value, Refused)
    assert refused.value.code == "stale_state"
    assert refused.value.message == KIOSK_MACHINE.stale.message
    assert other_tab.status == KioskStatus.PENDING  # the object is not changed either
    device.refresh_from_db()
    assert device.status == KioskStatus.ACTIVE
    assert [row[1] for row in _log(device)] == [KioskStatus.PENDING, KioskStatus.ACTIVE]


def test_the_queryset_narrows_the_rows_a_move_may_touch():
    device, agent = _kiosk()
    with pytest.raises(StaleTransition):
        KIOSK_MACHINE.move(
            device,
            KioskStatus.REVOKED,
            by=agent,
            queryset=KioskDevice.objects.exclude(created_by=agent),
            **REVOKED,
        )
    device.refresh_from_db()
    assert device.status == KioskStatus.PENDING


def test_the_status_and_its_log_row_are_one_transaction():
    device, agent = _kiosk()
    with pytest.raises(TypeError):
        KIOSK_MACHINE.move(
            device, KioskStatus.REVOKED, by=agent, log_fields={"unknown": 1}, **REVOKED
        )
    device.refresh_from_db()
    assert device.status == KioskStatus.PENDING
    assert len(_log(device)) == 1


def test_record_checks_the_table_too():
    device, agent = _kiosk()
    with pytest.raises(TransitionNotAllowed):
        KIOSK_MACHINE.record(device, source="", target=KioskStatus.ACTIVE, by=agent)
    assert len(_log(device)) == 1


def _conflicts(beneficiaries: int):
    user, _people, _contracts = family_with_overlaps(beneficiaries=beneficiaries)
    conflicts_detect(day=DAY)
    return user, Conflict.objects.filter(family_id=user.person.family_id)


def test_move_many_moves_only_the_rows_that_may_go_and_logs_each():
    user, conflicts = _conflicts(3)
    already = conflicts.first()
    CONFLICT_MACHINE.move(already, ConflictStatus.RESOLVED, by=None)
    moved = CONFLICT_MACHINE.move_many(conflicts, ConflictStatus.REQUESTED, by=user, note="Choix")
    assert moved == 2
    assert sorted(conflicts.values_list("status", flat=True)) == [
        ConflictStatus.REQUESTED,
        ConflictStatus.REQUESTED,
        ConflictStatus.RESOLVED,
    ]
    requested = ConflictTransition.objects.filter(to_status=ConflictStatus.REQUESTED)
    assert sorted(requested.values_list("conflict_id", "from_status", "by", "note")) == sorted(
        (pk, ConflictStatus.PENDING, user.pk, "Choix")
        for pk in conflicts.exclude(pk=already.pk).values_list("pk", flat=True)
    )


def test_move_many_does_the_same_queries_for_two_rows_or_four():
    counts = []
    for beneficiaries in (2, 4):
        _user, conflicts = _conflicts(beneficiaries)
        with CaptureQueriesContext(connection) as queries:
            moved = CONFLICT_MACHINE.move_many(conflicts, ConflictStatus.RESOLVED)
        assert moved == beneficiaries
        counts.append(len(queries))
    assert counts[0] == counts[1]
