"""Order state machine, back-office claim and review, export/import round trip (V3, V6)."""

import datetime as dt
import json

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError
from django.utils import timezone

from guichet.cards import rules, selectors, services
from guichet.cards.enums import OrderReason, OrderStatus
from guichet.cards.models import CardOrder
from guichet.core.refusals import Refused
from guichet.core.transitions import TransitionNotAllowed
from guichet.reference.enums import CardStatus
from guichet.reference.models import Card
from tests.cards.factories import jpeg_bytes, pdf_bytes, upload
from tests.factories import AgentFactory, CardFactory, InsuredUserFactory

pytestmark = pytest.mark.django_db


def attach_files_and_submit(order, user):
    """Steps 2 to 4 of V3: the photo, the identity document, « Valider »."""
    services.card_order_attach_photo(order=order, upload=upload("p.jpg", jpeg_bytes(gps=True)))
    services.card_order_attach_document(
        order=order, document_type="passport", upload=upload("d.pdf", pdf_bytes())
    )
    order.refresh_from_db()
    return services.card_order_submit(order=order, user=user)


def submitted_order():
    user = InsuredUserFactory()
    old = CardFactory(person=user.person)
    services.card_declare(user=user, card=old, kind="stolen")
    order = services.card_order_start(user=user, beneficiary=user.person)
    return attach_files_and_submit(order, user), old


def test_declaration_opposes_at_once_and_order_reaches_received():
    order, old = submitted_order()
    old.refresh_from_db()
    assert old.status == CardStatus.STOLEN
    assert order.status == OrderStatus.RECEIVED
    assert order.replaced_card == old
    # The fund's day (Europe/Paris), not the UTC date: after 23:00 UTC they differ.
    assert order.expected_on == timezone.localdate(order.submitted_at) + dt.timedelta(days=15)
    assert list(order.transitions.values_list("from_status", "to_status")) == [
        ("draft", "received")
    ]


def test_one_open_order_per_beneficiary_in_the_database():
    order, _ = submitted_order()
    with pytest.raises(IntegrityError):
        CardOrder.objects.create(beneficiary=order.beneficiary, ordered_by=order.ordered_by)


def test_transition_table_refuses_skipping_states():
    order, _ = submitted_order()
    with pytest.raises(TransitionNotAllowed):
        services.ORDER_MACHINE.move(order, OrderStatus.DELIVERED, by=None)


def test_two_agents_cannot_claim_the_same_order():
    order, _ = submitted_order()
    first, second = AgentFactory(back_office=True), AgentFactory(back_office=True)
    assert services.card_order_claim(order_id=order.pk, agent=first)
    assert not services.card_order_claim(order_id=order.pk, agent=second)
    with pytest.raises(Refused):
        services.card_order_review(order=order, agent=second, accept=True)


def test_rejection_needs_a_reason_and_deletes_files():
    order, _ = submitted_order()
    agent = AgentFactory(back_office=True)
    services.card_order_claim(order_id=order.pk, agent=agent)
    with pytest.raises(Refused):
        services.card_order_review(order=order, agent=agent, accept=False, reason="  ")
    photo_name = order.photo.name
    order = services.card_order_review(
        order=order, agent=agent, accept=False, reason="La photo est floue."
    )
    assert order.status == OrderStatus.REJECTED
    assert not order.photo
    assert not order.photo.storage.exists(photo_name)
    assert order.ordered_by.notifications.filter(body__contains="La photo est floue.").exists()


def accepted_order():
    order, old = submitted_order()
    agent = AgentFactory(back_office=True)
    services.card_order_claim(order_id=order.pk, agent=agent)
    return services.card_order_review(order=order, agent=agent, accept=True), old


def test_export_import_round_trip(tmp_path):
    order, old = accepted_order()
    call_command("export_card_orders", "--out", str(tmp_path))
    files = list(tmp_path.glob("*.jsonl"))
    assert len(files) == 1
    lines = [json.loads(line) for line in files[0].read_text().splitlines()]
    assert [line["reference"] for line in lines] == [order.reference]
    assert lines[0]["carte_remplacee"] == old.serial_number
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PRODUCTION

    call_command("export_card_orders", "--out", str(tmp_path))  # idempotent
    assert len(list(tmp_path.glob("*.jsonl"))) == 1

    today = dt.date.today().isoformat()
    status_file = tmp_path / "etats.csv"
    status_file.write_text(
        "reference;statut;date;numero_serie\n"
        f"{order.reference};envoyee;{today};\n"
        f"{order.reference};remise;{today};12345678901234567890\n"
    )
    call_command("import_card_statuses", str(status_file))
    order.refresh_from_db()
    old.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert order.new_card.serial_number == "12345678901234567890"
    assert order.new_card.status == CardStatus.ACTIVE
    assert old.status == CardStatus.OPPOSED
    assert not order.photo and not order.document and order.files_deleted_at
    call_command("import_card_statuses", str(status_file))  # re-reading changes nothing
    assert Card.objects.filter(person=order.beneficiary, status=CardStatus.ACTIVE).count() == 1


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("CV99999999;envoyee;2026-01-01;", "inconnue"),
        ("XX1;envoyee;2026-01-01;", "invalide"),
        ("{ref};perdue;2026-01-01;", "inconnu"),
        ("{ref};remise;2026-13-01;123", "date"),
        ("{ref};remise;2026-01-01;", "numéro de série"),
        ("{ref};envoyee;2999-01-01;", "futur"),
    ],
)
def test_import_validates_every_line(tmp_path, line, message):
    order, _ = accepted_order()
    services.card_orders_export(out_dir=tmp_path)
    status_file = tmp_path / "etats.csv"
    status_file.write_text(
        "reference;statut;date;numero_serie\n"
        f"{order.reference};envoyee;2026-01-01;\n" + line.format(ref=order.reference) + "\n"
    )
    with pytest.raises(CommandError, match=message):
        call_command("import_card_statuses", str(status_file))
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PRODUCTION  # nothing applied


def test_import_refuses_a_received_order(tmp_path):
    order, _ = submitted_order()
    status_file = tmp_path / "etats.csv"
    status_file.write_text(
        f"reference;statut;date;numero_serie\n{order.reference};envoyee;2026-01-01;\n"
    )
    with pytest.raises(CommandError, match="impossible"):
        call_command("import_card_statuses", str(status_file))


def test_v2_visual_change_round_trip(tmp_path):
    """V2: a new name calls for a new card; the old one works until the new one is delivered."""
    user = InsuredUserFactory()
    old = CardFactory(person=user.person)
    user.person.usage_name = "NOUVEAUNOM"
    user.person.save()
    order = services.card_order_start(user=user, beneficiary=user.person)
    assert (order.reason, order.replaced_card) == (OrderReason.VISUAL_CHANGE, old)
    order = attach_files_and_submit(order, user)
    old.refresh_from_db()
    assert old.status == CardStatus.ACTIVE  # no declaration: still usable meanwhile
    agent = AgentFactory(back_office=True)
    services.card_order_claim(order_id=order.pk, agent=agent)
    services.card_order_review(order=order, agent=agent, accept=True)
    call_command("export_card_orders", "--out", str(tmp_path))
    (line,) = [
        json.loads(row) for f in tmp_path.glob("*.jsonl") for row in f.read_text().splitlines()
    ]
    assert (line["motif"], line["nom"], line["carte_remplacee"]) == (
        "visual_change",
        "NOUVEAUNOM",
        old.serial_number,
    )
    status_file = tmp_path / "etats.csv"
    status_file.write_text(
        "reference;statut;date;numero_serie\n"
        f"{order.reference};remise;{dt.date.today().isoformat()};12345678901234567891\n"
    )
    call_command("import_card_statuses", str(status_file))
    old.refresh_from_db()
    order.refresh_from_db()
    assert old.status == CardStatus.OPPOSED
    assert order.new_card.printed_name == user.person.card_name
    assert order.new_card.printed_nir == user.person.nir
    assert not rules.visual_outdated(order.new_card, user.person)


def test_v2_the_reason_follows_a_loss_declared_while_the_draft_was_open():
    user = InsuredUserFactory()
    old = CardFactory(person=user.person)
    user.person.usage_name = "NOUVEAUNOM"
    user.person.save()
    order = services.card_order_start(user=user, beneficiary=user.person)
    services.card_declare(user=user, card=old, kind="lost")
    order = attach_files_and_submit(order, user)
    order.refresh_from_db()
    assert (order.reason, order.replaced_card) == (OrderReason.LOST, old)


def test_v5_every_step_of_a_draft_is_refused_by_its_service_once_the_window_closes():
    """The rules are checked by each step's service, whoever calls it (issue 15): a draft
    filled in on J+4 is refused on J+5 with the V5 refusal, at the photo, the document and
    « Valider », and stays a draft with its first files."""
    user = InsuredUserFactory()
    card = CardFactory(person=user.person)
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC), tick=False):
        services.card_declare(user=user, card=card, kind="lost")
    with time_machine.travel(dt.datetime(2026, 3, 14, 10, tzinfo=dt.UTC), tick=False):
        order = services.card_order_start(user=user, beneficiary=user.person)
        services.card_order_attach_photo(order=order, upload=upload("p.jpg", jpeg_bytes()))
        services.card_order_attach_document(
            order=order, document_type="passport", upload=upload("d.pdf", pdf_bytes())
        )
    order.refresh_from_db()
    photo_name, document_name = order.photo.name, order.document.name
    with time_machine.travel(dt.datetime(2026, 3, 15, 10, tzinfo=dt.UTC), tick=False):
        assert selectors.draft_refusal(user=user, order=order).code == "paper_form_pending"
        with pytest.raises(Refused) as photo:
            services.card_order_attach_photo(order=order, upload=upload("p.jpg", jpeg_bytes()))
        with pytest.raises(Refused) as document:
            services.card_order_attach_document(
                order=order, document_type="passport", upload=upload("d.pdf", pdf_bytes())
            )
        with pytest.raises(Refused) as submit:
            services.card_order_submit(order=order, user=user)
    assert photo.value.code == document.value.code == submit.value.code == "paper_form_pending"
    assert "un formulaire papier vous est envoyé" in photo.value.message
    order.refresh_from_db()
    assert (order.photo.name, order.document.name) == (photo_name, document_name)
    assert order.status == OrderStatus.DRAFT
