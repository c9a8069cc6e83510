"""Reads for the certificates: who can be named on an attestation, which mentions apply."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from guichet.certificates import references
from guichet.certificates.enums import Mention
from guichet.certificates.models import Issuance
from guichet.core import clock
from guichet.core.db import heavy_reads
from guichet.core.prepared import PreparedRead
from guichet.core.refusals import Refusal
from guichet.reference import selectors as reference_selectors
from guichet.reference.enums import CardStatus, PaymentKind, SolidarityCoverage
from guichet.reference.models import Card, Payment, Person, RightsPeriod


@dataclass(frozen=True)
class Covered:
    """A family member with open rights on a day, and the period that opens them."""

    person: Person
    period: RightsPeriod


def covered_members(*, family_id: int, day: dt.date) -> list[Covered]:
    """Members with open rights on `day`, the insured first, then by birth date (one query)."""
    periods: dict[int, RightsPeriod] = {}
    for period in reference_selectors.family_open_rights_periods_by_person(
        family_id=family_id, day=day
    ):
        periods.setdefault(period.person_id, period)
    members = sorted(
        (period.person for period in periods.values()),
        key=lambda p: (not p.is_rights_opener, p.birth_date),
    )
    return [Covered(m, periods[m.pk]) for m in members]


def rights_open(covered: list[Covered], *, person: Person) -> bool:
    """A3: whether `person` has open rights, read from the family's covered members."""
    return any(c.person.pk == person.pk for c in covered)


def applicable_mentions(covered: list[Covered]) -> list[Mention]:
    """A1: the optional mentions that apply to at least one of these beneficiaries."""
    mentions = []
    if any(c.period.ticket_moderateur_exemption for c in covered):
        mentions.append(Mention.ETM)
    if any(c.period.solidarity_coverage != SolidarityCoverage.NONE for c in covered):
        mentions.append(Mention.SOLIDARITY)
    return mentions


def select_beneficiaries(covered: list[Covered], beneficiary_id: int | None) -> list[Covered]:
    """The whole family (None) or the one person chosen; [] when that person is not covered."""
    if beneficiary_id is None:
        return covered
    return [c for c in covered if c.person.pk == beneficiary_id]


# The statements' payments are heavy reads: on the replica when there is one (core.db, issue 16).


def daily_allowances(*, person: Person, start: dt.date, end: dt.date) -> QuerySet[Payment]:
    """IJ paid to the insured for periods that overlap [start, end]."""
    return (
        Payment.objects.using(heavy_reads())
        .filter(
            beneficiary=person,
            kind=PaymentKind.DAILY_ALLOWANCE,
            care_date__lte=end,
            period_end__gte=start,
        )
        .order_by("care_date", "id")
    )


def daily_allowances_paid_in(*, person: Person, year: int) -> QuerySet[Payment]:
    """IJ paid to the insured during a calendar year (the taxable amounts of the relevé fiscal)."""
    return (
        Payment.objects.using(heavy_reads())
        .filter(beneficiary=person, kind=PaymentKind.DAILY_ALLOWANCE, paid_on__year=year)
        .order_by("paid_on", "id")
    )


def payments_in_month(*, family_id: int, month: dt.date) -> QuerySet[Payment]:
    return (
        Payment.objects.using(heavy_reads())
        .filter(family_id=family_id, paid_on__year=month.year, paid_on__month=month.month)
        .select_related("beneficiary")
        .order_by("paid_on", "id")
    )


def months_with_payments(*, family_id: int, months: list[dt.date]) -> list[dt.date]:
    if not months:
        return []
    paid = set(
        Payment.objects.using(heavy_reads())
        .filter(family_id=family_id, paid_on__gte=min(months))
        .dates("paid_on", "month")
    )
    return [m for m in months if m in paid]


def issuance_for_owner(*, reference: str, person: Person) -> Issuance | None:
    """A document, only when the person asked for it (others get None → 404).

    The person is the one given, not read again with the document: the join of every column
    of the person cost about a tenth of a download's Django work (issue 16)."""
    rows = _issuance_for_owner(reference=reference, person_id=person.pk)
    if not rows:
        return None
    issuance = rows[0]
    issuance.requested_by = person
    return issuance


# Compiled once per process (core.prepared, issue 16): every download reads it.
_issuance_for_owner = PreparedRead(
    "certificates.issuance_for_owner",
    lambda reference, person_id: Issuance.objects.filter(
        reference=reference, requested_by_id=person_id
    ).order_by("pk")[:1],
    reference=str,
    person_id=int,
)


def issuance_by_reference(*, reference: str) -> Issuance | None:
    return Issuance.objects.filter(reference=reference).first()


@dataclass(frozen=True)
class Verification:
    """What the public verification page may show: nothing personal beyond initials."""

    genuine: bool
    reason: str = ""
    kind_label: str = ""
    reference: str = ""
    issued_on: dt.date | None = None
    initials: str = ""
    valid_until: dt.date | None = None
    still_valid: bool = False


ALTERED = "Ce document a été modifié : il n'est pas authentique."
UNKNOWN = "Aucun document ne porte cette référence."


def verify(*, reference: str = "", code: str = "", day: dt.date) -> Verification:
    """Check a reference typed by hand, or the signed code of a QR code, against the records."""
    payload = None
    if code and not references.is_signed_code(code):
        # A reference typed in the address, not a QR code: the same answer as the form's.
        reference, code = code, ""
    if code:
        payload = references.qr_payload(code)
        if payload is None:
            return Verification(False, ALTERED)
        reference = payload["reference"]
    reference = references.normalize_reference(reference)
    if not references.reference_is_genuine(reference):
        return Verification(False, UNKNOWN)
    issuance = issuance_by_reference(reference=reference)
    if issuance is None:
        return Verification(False, UNKNOWN)
    issued_on = issuance.issued_at.astimezone(clock.PARIS).date()
    if payload is not None and payload["issued_on"] != issued_on:
        return Verification(False, ALTERED)
    return Verification(
        True,
        kind_label=issuance.get_kind_display(),
        reference=issuance.reference,
        issued_on=issued_on,
        initials=issuance.holder_initials,
        valid_until=issuance.valid_until,
        still_valid=issuance.valid_until is None or day <= issuance.valid_until,
    )


def issuances_of(*, person: Person) -> QuerySet[Issuance]:
    return Issuance.objects.filter(requested_by=person).only(
        "reference", "kind", "issued_at", "valid_until"
    )


CARD_REFUSED = (
    "Cette carte Vitale ne peut pas être utilisée : elle a été déclarée perdue, volée ou "
    "défectueuse, ou elle n'est plus valable. Adressez-vous à l'accueil de votre caisse."
)
CARD_UNKNOWN = (
    "La carte Vitale n'a pas pu être lue : vérifiez le numéro de série et la date de naissance."
)


@dataclass(frozen=True)
class CardHolder:
    person: Person | None
    refusal: Refusal | None = None


def card_holder(*, serial_number: str, birth_date: dt.date) -> CardHolder:
    """A7: the person a carte Vitale identifies at the kiosk; a card not active is refused."""
    card = (
        Card.objects.filter(serial_number=serial_number, person__birth_date=birth_date)
        .select_related("person")
        .first()
    )
    if card is None:
        return CardHolder(None, Refusal("card_unknown", CARD_UNKNOWN))
    if card.status != CardStatus.ACTIVE:
        return CardHolder(None, Refusal("card_not_active", CARD_REFUSED))
    return CardHolder(card.person)
