"""Writes of the carte Vitale procedure: declarations, orders, review, production files."""

import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
from base64 import b64encode
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q

from guichet.accounts.models import User
from guichet.cards import notifications, rules, selectors
from guichet.cards.enums import DeclarationKind, IdentityDocumentType, OrderStatus
from guichet.cards.models import CardDeclaration, CardOrder, CardOrderTransition
from guichet.cards.uploads import CleanFile, clean_document, clean_photo
from guichet.core import clock
from guichet.core.refusals import Refusal, Refused, refuse
from guichet.core.transitions import StateMachine
from guichet.reference.enums import CardStatus
from guichet.reference.models import Card, Person

ORDER_MACHINE = StateMachine(
    {
        OrderStatus.DRAFT: {OrderStatus.RECEIVED},
        OrderStatus.RECEIVED: {OrderStatus.PHOTO_CHECKED, OrderStatus.REJECTED},
        OrderStatus.PHOTO_CHECKED: {OrderStatus.IN_PRODUCTION},
        OrderStatus.IN_PRODUCTION: {OrderStatus.SENT, OrderStatus.DELIVERED},
        OrderStatus.SENT: {OrderStatus.DELIVERED},
    },
    log=CardOrderTransition,
    stale=Refusal(
        "card_order_stale", "Cette commande a changé d'état entre-temps. Rechargez la page."
    ),
)
CLAIM_TIMEOUT = dt.timedelta(minutes=30)  # an agent's claim on an order lapses after this
DECLARABLE_STATUSES = {
    DeclarationKind.LOST: CardStatus.LOST,
    DeclarationKind.STOLEN: CardStatus.STOLEN,
    DeclarationKind.FAULTY: CardStatus.FAULTY,
}


@transaction.atomic
def card_declare(*, user: User, card: Card, kind: str) -> CardDeclaration:
    """Declare a loss, theft or malfunction: the card stops being valid at once."""
    updated = Card.objects.filter(pk=card.pk, status=CardStatus.ACTIVE).update(
        status=DECLARABLE_STATUSES[DeclarationKind(kind)], status_changed_at=clock.now()
    )
    if not updated:
        raise Refused(rules.CARD_NOT_ACTIVE)
    card.refresh_from_db()
    return CardDeclaration.objects.create(card=card, kind=kind, declared_by=user)


def holder_of(user: User) -> Person:
    """The insured person behind an online account (agents have none)."""
    if user.person is None:
        raise Refused(rules.NOT_INSURED)
    return user.person


def _check_rules(*, user: User, beneficiary: Person) -> None:
    """V2, V4, V5 before a draft exists (raises Refused with the rule's refusal)."""
    refuse(rules.exclusion(holder=holder_of(user), beneficiary=beneficiary))


def _check_draft(*, user: User, draft: CardOrder) -> None:
    """The same rules at every later step: the V5 window may close while one is ordering."""
    holder_of(user)
    refuse(selectors.draft_refusal(user=user, order=draft))


@transaction.atomic
def card_order_start(*, user: User, beneficiary: Person) -> CardOrder:
    """Step 1: the beneficiary. Resumes the user's draft for them if there is one."""
    if beneficiary not in rules.orderable_people(person=holder_of(user)):
        raise Refused(rules.NOT_IN_FAMILY)
    _check_rules(user=user, beneficiary=beneficiary)
    draft = CardOrder.objects.filter(
        beneficiary=beneficiary, ordered_by=user, status=OrderStatus.DRAFT
    ).first()
    if draft is not None:
        return draft
    try:
        with transaction.atomic():
            replaced = rules.replaced_card(beneficiary=beneficiary)
            return CardOrder.objects.create(
                beneficiary=beneficiary,
                ordered_by=user,
                replaced_card=replaced,
                reason=rules.order_reason(replaced=replaced),
            )
    except IntegrityError as error:  # another order was opened at the same instant
        raise Refused(rules.ORDER_ALREADY_OPEN) from error


def _store(order: CardOrder, field_name: str, clean: CleanFile) -> None:
    file_field = getattr(order, field_name)
    if file_field:
        file_field.delete(save=False)
    file_field.save(f"{field_name}.{clean.extension}", ContentFile(clean.content), save=False)
    setattr(order, f"{field_name}_content_type", clean.content_type)
    order.save(update_fields=[field_name, f"{field_name}_content_type"])


def _draft_for_update(order: CardOrder) -> CardOrder:
    locked = CardOrder.objects.select_for_update().get(pk=order.pk)
    if locked.status != OrderStatus.DRAFT:
        raise Refused(rules.ORDER_ALREADY_SUBMITTED)
    return locked


@transaction.atomic
def card_order_attach_photo(*, order: CardOrder, upload: UploadedFile) -> CardOrder:
    """Step 2: the ID photo, checked and re-encoded (raises UploadRejected), while the
    order's rules still allow it (raises Refused)."""
    clean = clean_photo(upload)
    locked = _draft_for_update(order)
    _check_draft(user=locked.ordered_by, draft=locked)
    _store(locked, "photo", clean)
    return locked


@transaction.atomic
def card_order_attach_document(
    *, order: CardOrder, document_type: str | None, upload: UploadedFile | None
) -> CardOrder:
    """Step 3: the identity document type and/or file (raises UploadRejected), while the
    order's rules still allow it (raises Refused)."""
    clean = clean_document(upload) if upload is not None else None
    locked = _draft_for_update(order)
    _check_draft(user=locked.ordered_by, draft=locked)
    if document_type:
        locked.document_type = IdentityDocumentType(document_type)
        locked.save(update_fields=["document_type"])
    if clean is not None:
        _store(locked, "document", clean)
    return locked


def _delete_files(order: CardOrder) -> None:
    for name in ("photo", "document"):
        file_field = getattr(order, name)
        if file_field:
            file_field.delete(save=False)
    order.files_deleted_at = clock.now()
    order.save(update_fields=["photo", "document", "files_deleted_at"])


@transaction.atomic
def card_order_abandon(*, order: CardOrder) -> None:
    """Drop a draft and its files."""
    locked = _draft_for_update(order)
    for field_name in ("photo", "document"):
        file_field = getattr(locked, field_name)
        if file_field:
            transaction.on_commit(partial(file_field.storage.delete, file_field.name))
    locked.delete()


@transaction.atomic
def card_order_submit(*, order: CardOrder, user: User) -> CardOrder:
    """Step 4 « Valider »: the rules are checked again, then the order is received."""
    locked = _draft_for_update(order)
    if not (locked.photo and locked.document and locked.document_type):
        raise Refused(rules.FILES_MISSING)
    _check_draft(user=user, draft=locked)
    now = clock.now()
    # The card replaced may have changed since the draft began (a loss declared meanwhile).
    replaced = rules.replaced_card(beneficiary=locked.beneficiary)
    ORDER_MACHINE.move(
        locked,
        OrderStatus.RECEIVED,
        by=user,
        replaced_card=replaced,
        reason=rules.order_reason(replaced=replaced),
        submitted_at=now,
        expected_on=rules.expected_delivery(submitted_on=clock.today()),
    )
    return locked


def card_order_claim(*, order_id: int, agent: User) -> bool:
    """Take a received order for review; False when another agent holds it (conditional UPDATE)
    or when the order is outside the agent's scope (selectors.card_orders_for_agent)."""
    now = clock.now()
    return bool(
        selectors.card_orders_for_agent(agent=agent)
        .filter(pk=order_id, status=OrderStatus.RECEIVED)
        .filter(
            Q(claimed_by__isnull=True) | Q(claimed_by=agent) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
        )
        .update(claimed_by=agent, claimed_at=now)
    )


@transaction.atomic
def card_order_review(
    *, order: CardOrder, agent: User, accept: bool, reason: str = ""
) -> CardOrder:
    """The back office's decision on the photo and the document. Raises CardOrder.DoesNotExist
    for an order outside the agent's scope, even one they claimed before (another fund now)."""
    locked = (
        selectors.card_orders_for_agent(agent=agent)
        .select_for_update(of=("self",))
        .get(pk=order.pk)
    )
    if locked.status != OrderStatus.RECEIVED or locked.claimed_by_id != agent.pk:
        raise Refused(rules.NOT_CLAIMED)
    if accept:
        ORDER_MACHINE.move(locked, OrderStatus.PHOTO_CHECKED, by=agent, note="Pièces conformes")
        return locked
    reason = reason.strip()
    if not reason:
        raise Refused(rules.REJECTION_REASON_REQUIRED)
    ORDER_MACHINE.move(locked, OrderStatus.REJECTED, by=agent, note=reason, rejection_reason=reason)
    _delete_files(locked)
    notifications.order_rejected(order=locked)
    return locked


# --- Files exchanged with the card maker -----------------------------------------------------


@dataclass
class ExportResult:
    count: int
    path: Path | None


def _mailing_address(order: CardOrder) -> Person:
    beneficiary = order.beneficiary
    if beneficiary.address_line1 and beneficiary.postal_code:
        return beneficiary
    return holder_of(order.ordered_by)


def _export_line(order: CardOrder) -> dict:
    beneficiary = order.beneficiary
    address = _mailing_address(order)
    with order.photo.open("rb") as photo:
        photo_b64 = b64encode(photo.read()).decode()
    return {
        "reference": order.reference,
        "nir": beneficiary.nir or "",
        "nom": beneficiary.display_last_name,
        "prenoms": beneficiary.first_names,
        "date_naissance": beneficiary.birth_date.isoformat(),
        "adresse": address.address_line1,
        "complement_adresse": address.address_line2,
        "code_postal": address.postal_code,
        "commune": address.city,
        "carte_remplacee": order.replaced_card.serial_number if order.replaced_card else "",
        "motif": order.reason,
        "photo_jpeg_base64": photo_b64,
    }


@transaction.atomic
def card_orders_export(*, out_dir: Path) -> ExportResult:
    """Write the checked orders to one JSON-lines file for the card maker, each order once.

    The rows are locked, written to a temporary file renamed into place, then moved to
    « en fabrication » in the same transaction: a second run finds nothing new.
    """
    orders = list(
        CardOrder.objects.select_for_update(of=("self",))
        .filter(status=OrderStatus.PHOTO_CHECKED, exported_at__isnull=True)
        .select_related("beneficiary", "ordered_by__person", "replaced_card")
        .order_by("submitted_at", "pk")
    )
    if not orders:
        return ExportResult(0, None)
    now = clock.now()
    out_dir.mkdir(parents=True, exist_ok=True)
    name = (
        f"commandes-cartes-vitale-{now.astimezone(clock.PARIS):%Y%m%d-%H%M%S}-{orders[0].pk}.jsonl"
    )
    target = out_dir / name
    if target.exists():
        raise Refused(Refusal("export_file_exists", f"Le fichier {target} existe déjà."))
    handle, tmp_name = tempfile.mkstemp(dir=out_dir, prefix=".export-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as tmp:
            for order in orders:
                tmp.write(json.dumps(_export_line(order), ensure_ascii=False) + "\n")
        for order in orders:
            ORDER_MACHINE.move(
                order,
                OrderStatus.IN_PRODUCTION,
                by=None,
                note=f"Transmise au fabricant ({name})",
                exported_at=now,
                export_file=name,
            )
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return ExportResult(len(orders), target)


STATUS_COLUMNS = ["reference", "statut", "date", "numero_serie"]
_REFERENCE = re.compile(r"^CV(\d{8})$")
_SERIAL = re.compile(r"^\d{10,22}$")
MAKER_STATUSES = {"envoyee": OrderStatus.SENT, "remise": OrderStatus.DELIVERED}


def _already(current: str, target: str) -> bool:
    """A maker's line for a state the order has reached or passed (a file read twice)."""
    return current == target or (current == OrderStatus.DELIVERED and target == OrderStatus.SENT)


@dataclass
class StatusLine:
    line_number: int
    order: CardOrder
    status: str
    day: dt.date
    serial: str


@dataclass
class ImportResult:
    applied: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def _parse_status_file(text: str) -> tuple[list[StatusLine], list[str]]:
    """Check every line; the orders and the serial numbers already given are read once for
    the whole file (a constant number of queries, whatever its length)."""
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != STATUS_COLUMNS:
        return [], [f"En-tête attendu : {';'.join(STATUS_COLUMNS)}"]
    rows: list[tuple[int, tuple[str, ...] | None]] = []
    for number, row in enumerate(reader, start=2):
        if None in row or any(value is None for value in row.values()):
            rows.append((number, None))
        else:
            rows.append((number, tuple(row[c].strip() for c in STATUS_COLUMNS)))
    keys = [match.group(1) for _, row in rows if row and (match := _REFERENCE.match(row[0]))]
    orders = CardOrder.objects.select_related("beneficiary", "replaced_card", "ordered_by").in_bulk(
        {int(key) for key in keys}
    )
    serials = {row[3] for _, row in rows if row and row[3]}
    card_of_serial = dict(
        Card.objects.filter(serial_number__in=serials).values_list("serial_number", "pk")
    )
    lines: list[StatusLine] = []
    errors: list[str] = []
    seen_serials: set[str] = set()
    today = clock.today()
    for number, values in rows:
        problems = []
        if values is None:
            errors.append(f"Ligne {number} : nombre de colonnes incorrect.")
            continue
        reference, status, date_text, serial = values
        match = _REFERENCE.match(reference)
        order = None
        if not match:
            problems.append(f"référence « {reference} » invalide")
        else:
            order = orders.get(int(match.group(1)))
            if order is None:
                problems.append(f"commande {reference} inconnue")
        if status not in MAKER_STATUSES:
            problems.append(f"statut « {status} » inconnu (attendu : envoyee ou remise)")
        try:
            day = dt.date.fromisoformat(date_text)
        except ValueError:
            problems.append(f"date « {date_text} » invalide (AAAA-MM-JJ)")
            day = None
        if day is not None and day > today:
            problems.append(f"date {date_text} dans le futur")
        if status == "remise":
            if not _SERIAL.match(serial):
                problems.append("numéro de série de la nouvelle carte manquant ou invalide")
            elif serial in seen_serials:
                problems.append(f"numéro de série {serial} en double dans le fichier")
            elif card_of_serial.get(serial) not in (None, order.new_card_id if order else None):
                problems.append(f"numéro de série {serial} déjà attribué à une autre carte")
            seen_serials.add(serial)
        if order is not None and status in MAKER_STATUSES:
            target = MAKER_STATUSES[status]
            if not _already(order.status, target) and not ORDER_MACHINE.can(order.status, target):
                problems.append(
                    f"la commande {reference} est « {order.get_status_display()} » : "
                    f"passage à « {target.label} » impossible"
                )
        if problems:
            errors.append(f"Ligne {number} : " + " ; ".join(problems) + ".")
        elif order is not None and day is not None:
            lines.append(StatusLine(number, order, MAKER_STATUSES[status], day, serial))
    return lines, errors


def _deliver(order: CardOrder, line: StatusLine) -> None:
    Card.objects.filter(person=order.beneficiary, status=CardStatus.ACTIVE).update(
        status=CardStatus.OPPOSED, status_changed_at=clock.now()
    )
    if order.replaced_card_id:
        Card.objects.filter(pk=order.replaced_card_id).update(
            status=CardStatus.OPPOSED, status_changed_at=clock.now()
        )
    card = Card.objects.create(
        person=order.beneficiary,
        serial_number=line.serial,
        status=CardStatus.ACTIVE,
        issued_on=line.day,
        has_photo=True,
        printed_name=order.beneficiary.card_name,
        printed_nir=order.beneficiary.nir or "",
    )
    ORDER_MACHINE.move(
        order,
        OrderStatus.DELIVERED,
        by=None,
        note=f"Carte n° {line.serial} remise",
        delivered_on=line.day,
        new_card=card,
    )
    _delete_files(order)
    notifications.order_delivered(order=order)


@transaction.atomic
def card_statuses_import(*, text: str) -> ImportResult:
    """Read the card maker's status file; every line is checked before any is applied."""
    lines, errors = _parse_status_file(text)
    if errors:
        return ImportResult(errors=errors)
    result = ImportResult()
    locked = (
        CardOrder.objects.select_for_update(of=("self",))
        .select_related("beneficiary", "replaced_card", "ordered_by")
        .in_bulk({line.order.pk for line in lines})
    )
    for line in lines:
        order = locked[line.order.pk]
        if _already(order.status, line.status):
            result.unchanged += 1
            continue
        if line.status == OrderStatus.SENT:
            ORDER_MACHINE.move(
                order, OrderStatus.SENT, by=None, note="Envoyée par le fabricant", sent_on=line.day
            )
            notifications.order_sent(order=order)
        else:
            _deliver(order, line)
        result.applied += 1
    return result
