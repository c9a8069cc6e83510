"""Writes: issue a document (rules A1–A6), record each download. The new postal address of
A4 is situation.services.person_address_change (one service for both démarches, SIT2).

A request ends with one of the outcomes of rule A4: the document is issued, the address must
be given first, or the document cannot be issued. Issuing is immediate (A6): no email, no
notice, no task.
"""

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from guichet.accounts.models import User
from guichet.certificates import documents, pdf, references, rules, selectors
from guichet.certificates.enums import Channel, DocumentKind, Outcome
from guichet.certificates.models import Download, Issuance
from guichet.core import clock
from guichet.core.refusals import Refusal, Refused
from guichet.reference.models import Payment, Person

logger = logging.getLogger(__name__)


class NotOffered(Refused):
    """The document is not offered to this person now (A3 exclusion, A5 window, bad choice). The core `Refused`: built from a rule's `Refusal`, or from a
    French message under the stable code `not_offered` (docs/decisions/rules-in-services.md)."""

    def __init__(self, refusal: Refusal | str) -> None:
        super().__init__(
            refusal if isinstance(refusal, Refusal) else Refusal("not_offered", refusal)
        )


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    issuance: Issuance | None = None
    message: str = ""


def _create(
    *,
    kind: str,
    channel: str,
    person: Person,
    user: User | None,
    beneficiary: Person | None,
    valid_until: dt.date | None,
    build: Callable[[str, dt.date], dict],
) -> Issuance:
    issued_at = clock.now()
    issued_on = clock.today()
    holder = beneficiary or person
    for _ in range(5):
        reference = references.new_reference(kind)
        try:
            with transaction.atomic():
                return Issuance.objects.create(
                    reference=reference,
                    kind=kind,
                    channel=channel,
                    family_id=person.family_id,
                    requested_by=person,
                    user=user,
                    beneficiary=beneficiary,
                    holder_initials=documents.initials(holder),
                    issued_at=issued_at,
                    valid_until=valid_until,
                    data=build(reference, issued_on),
                )
        except IntegrityError:
            continue
    raise RuntimeError("Impossible d'attribuer une référence unique.")


def _blocked(person: Person, beneficiaries: Iterable[Person]) -> Result | None:
    refusal = rules.cannot_issue_reason(person=person, beneficiaries=beneficiaries)
    if refusal:
        return Result(Outcome.CANNOT_ISSUE, message=refusal.message)
    if rules.address_unknown(person=person):
        return Result(Outcome.ADDRESS_UNKNOWN, message=rules.ADDRESS_UNKNOWN_MESSAGE)
    return None


@transaction.atomic
def rights_certificate_issue(
    *,
    person: Person,
    user: User | None,
    channel: Channel,
    beneficiary_id: int | None,
    mentions: Iterable[str],
    covered: list[selectors.Covered] | None = None,
) -> Result:
    """A1, A3, A4: an attestation de droits for the whole family (None) or one beneficiary.

    `covered` is `selectors.covered_members` of the person's family today when the caller has
    just read it in the same request (the web form's choices): not read twice (issue 16)."""
    today = clock.today()
    if covered is None:
        covered = selectors.covered_members(family_id=person.family_id, day=today)
    exclusion = rules.rights_certificate_exclusion(
        person=person, open_rights=selectors.rights_open(covered, person=person)
    )
    if exclusion:
        raise NotOffered(exclusion)
    chosen = selectors.select_beneficiaries(covered, beneficiary_id)
    if not chosen:
        raise NotOffered("Cette personne n'a pas de droits ouverts à l'Assurance Maladie.")
    blocked = _blocked(person, [c.person for c in chosen])
    if blocked:
        return blocked
    applicable = set(selectors.applicable_mentions(chosen))
    printed = [m for m in mentions if m in applicable]
    ends = [c.period.end_date for c in chosen if c.period.end_date]
    issuance = _create(
        kind=DocumentKind.RIGHTS,
        channel=channel,
        person=person,
        user=user,
        beneficiary=chosen[0].person if beneficiary_id is not None else None,
        valid_until=rules.rights_certificate_valid_until(
            issued_on=today, rights_end=min(ends) if ends else None
        ),
        build=lambda reference, issued_on: documents.rights_data(
            person=person,
            covered=chosen,
            mentions=printed,
            reference=reference,
            issued_on=issued_on,
        ),
    )
    return Result(Outcome.ISSUED, issuance)


def _payments_document(
    *,
    kind: DocumentKind,
    person: Person,
    user: User | None,
    channel: Channel,
    payments: list[Payment],
    none_message: str,
    build: Callable[[str, dt.date], dict],
) -> Result:
    """A4, A5: a document listing payments, refused when there are none to list."""
    if not payments:
        raise NotOffered(none_message)
    blocked = _blocked(person, [])
    if blocked:
        return blocked
    issuance = _create(
        kind=kind,
        channel=channel,
        person=person,
        user=user,
        beneficiary=None,
        valid_until=None,
        build=build,
    )
    return Result(Outcome.ISSUED, issuance)


@transaction.atomic
def daily_allowance_certificate_issue(
    *, person: Person, user: User | None, channel: Channel, start: dt.date, end: dt.date
) -> Result:
    """A5: the attestation de paiement d'indemnités journalières over a chosen period."""
    refusal = rules.daily_allowance_period_refusal(start=start, end=end, day=clock.today())
    if refusal is not None:
        raise NotOffered(refusal)
    payments = list(selectors.daily_allowances(person=person, start=start, end=end))
    return _payments_document(
        kind=DocumentKind.DAILY_ALLOWANCE,
        person=person,
        user=user,
        channel=channel,
        payments=payments,
        none_message="Aucune indemnité journalière ne vous a été versée sur cette période.",
        build=lambda reference, issued_on: documents.daily_allowance_data(
            person=person,
            payments=payments,
            start=start,
            end=end,
            reference=reference,
            issued_on=issued_on,
        ),
    )


@transaction.atomic
def monthly_statement_issue(
    *, person: Person, user: User | None, channel: Channel, month: dt.date
) -> Result:
    """A5: the relevé mensuel of the family's payments in one of the months offered."""
    if month not in rules.offered_months(day=clock.today()):
        raise NotOffered("Ce mois n'est pas proposé.")
    payments = list(selectors.payments_in_month(family_id=person.family_id, month=month))
    return _payments_document(
        kind=DocumentKind.MONTHLY_STATEMENT,
        person=person,
        user=user,
        channel=channel,
        payments=payments,
        none_message="Aucun paiement n'a été effectué ce mois-là.",
        build=lambda reference, issued_on: documents.monthly_data(
            person=person, payments=payments, month=month, reference=reference, issued_on=issued_on
        ),
    )


@transaction.atomic
def tax_statement_issue(*, person: Person, user: User | None, channel: Channel) -> Result:
    """A5: the relevé fiscal of the last tax year, offered during 6 months only."""
    year = rules.tax_statement_year(day=clock.today())
    if year is None:
        raise NotOffered(
            "Le relevé fiscal est disponible du 1er janvier au 30 juin de l'année qui suit."
        )
    payments = list(selectors.daily_allowances_paid_in(person=person, year=year))
    return _payments_document(
        kind=DocumentKind.TAX_STATEMENT,
        person=person,
        user=user,
        channel=channel,
        payments=payments,
        none_message=f"Aucune indemnité journalière imposable ne vous a été versée en {year}.",
        build=lambda reference, issued_on: documents.tax_data(
            person=person, payments=payments, year=year, reference=reference, issued_on=issued_on
        ),
    )


@transaction.atomic
def ceam_provisional_certificate_issue(
    *,
    person: Person,
    beneficiary: Person,
    user: User | None,
    channel: Channel,
    valid_from: dt.date,
    valid_until: dt.date,
) -> Issuance:
    """CEAM7: the provisional replacement certificate of a CEAM order, issued at once. The
    CEAM service (guichet.ceam.services.ceam_order) decides when it is owed and its validity."""
    return _create(
        kind=DocumentKind.CEAM_PROVISIONAL,
        channel=channel,
        person=person,
        user=user,
        beneficiary=beneficiary,
        valid_until=valid_until,
        build=lambda reference, issued_on: documents.ceam_provisional_data(
            person=person,
            beneficiary=beneficiary,
            valid_from=valid_from,
            valid_until=valid_until,
            reference=reference,
            issued_on=issued_on,
        ),
    )


def issuance_qr_code(issuance: Issuance) -> str:
    return references.qr_code(
        reference=issuance.reference, issued_on=issuance.issued_at.astimezone(clock.PARIS).date()
    )


def _stored_pdf(issuance: Issuance) -> bytes | None:
    """The bytes kept at the first download, or None (never rendered, or the file is lost)."""
    if not issuance.pdf:
        return None
    try:
        with issuance.pdf.open("rb") as stored:
            return stored.read()
    except OSError:
        logger.warning("PDF of %s missing from storage: rendered again", issuance.reference)
        return None


def _store_pdf(issuance: Issuance, content: bytes) -> None:
    """Keep the rendered bytes (default_storage); when two first downloads race, the one
    recorded first is kept and the other file removed."""
    previous = issuance.pdf.name
    name = default_storage.save(f"certificates/{issuance.reference}.pdf", ContentFile(content))
    stored = Issuance.objects.filter(pk=issuance.pk, pdf=previous or "").update(pdf=name)
    if stored:
        issuance.pdf.name = name
    else:
        default_storage.delete(name)


@transaction.atomic
def document_download(
    *, issuance: Issuance, person: Person, user: User | None, channel: Channel
) -> bytes:
    """The document's PDF, and who downloaded it, and when (A5: again and again).

    Rendered once, at the first download, then served from its stored bytes: an issued
    document never changes (docs/decisions/certificates-stored-pdf.md)."""
    Download.objects.create(issuance=issuance, person=person, user=user, channel=channel)
    content = _stored_pdf(issuance)
    if content is None:
        content = pdf.render(data=issuance.data, qr_code=issuance_qr_code(issuance))
        _store_pdf(issuance, content)
    return content
