"""Who may get which document, and why not (rules A3, A4, A5).

Each function returns the reason a request is refused, as a core `Refusal` (a stable code
and its French message), or None.
See docs/decisions/certificates-rules.md for the cases the guide leaves open.
"""

import datetime as dt
from collections.abc import Iterable

from guichet.core import clock
from guichet.core.refusals import Refusal
from guichet.reference.enums import NirStatus
from guichet.reference.models import Person

# A5: the relevé fiscal of a tax year is offered during the 6 months after that year ends.
TAX_STATEMENT_AVAILABLE_MONTHS = 6
# The longest period an attestation de paiement d'indemnités journalières may cover.
DAILY_ALLOWANCE_MAX_DAYS = 366
# How far back monthly statements (« relevés mensuels ») are offered.
MONTHLY_STATEMENTS_MONTHS = 12
# An attestation de droits is accepted for 3 months after its issue (and never beyond the
# end of the rights it states).
RIGHTS_CERTIFICATE_VALIDITY_MONTHS = 3

NO_RIGHTS_MESSAGE = (
    "Vous n'avez pas de droits ouverts à l'Assurance Maladie : nous ne pouvons pas vous "
    "délivrer d'attestation de droits. Veuillez contacter votre caisse."
)
STUDENT_MESSAGE = (
    "Attention, si vous êtes étudiant(e), adressez-vous à votre mutuelle étudiante pour "
    "obtenir ce document."
)
CANNOT_ISSUE_MESSAGE = (
    "Nous ne pouvons satisfaire votre demande car les informations vous concernant doivent "
    "être mises à jour. Veuillez contacter votre caisse."
)
ADDRESS_UNKNOWN_MESSAGE = (
    "Votre attestation est en cours de composition. Merci de bien vouloir nous préciser "
    "votre nouvelle adresse dont nous n'avons pas connaissance."
)


def rights_certificate_exclusion(*, person: Person, open_rights: bool) -> Refusal | None:
    """A3: no open rights → excluded; students are sent to their student mutual."""
    if not open_rights:
        return Refusal("no_rights", NO_RIGHTS_MESSAGE)
    if person.is_student:
        return Refusal("student", STUDENT_MESSAGE)
    return None


def cannot_issue_reason(*, person: Person, beneficiaries: Iterable[Person]) -> Refusal | None:
    """A4 « ne peut pas être éditée »: the records must be updated by the fund first.

    The insured's or a beneficiary's NIR is provisional or an uncertified waiting number, or
    an identity is incomplete (no first name or no name): the document would state an
    identity the fund cannot vouch for.
    """
    for someone in (person, *beneficiaries):
        if someone.nir_status != NirStatus.CERTIFIED:
            return Refusal("records_need_update", CANNOT_ISSUE_MESSAGE)
        if not someone.first_names.strip() or not someone.last_name.strip():
            return Refusal("records_need_update", CANNOT_ISSUE_MESSAGE)
    return None


def address_unknown(*, person: Person) -> bool:
    """A4: the address is missing or mail came back (NPAI)."""
    return not person.has_address


def tax_statement_year(*, day: dt.date) -> int | None:
    """A5: the tax year whose relevé fiscal is offered on `day`, or None.

    The statement of year Y is offered from 1 January Y+1 to 30 June Y+1 inclusive.
    """
    year_end_next = dt.date(day.year, 1, 1)
    closes = clock.add_months(year_end_next, TAX_STATEMENT_AVAILABLE_MONTHS)
    if year_end_next <= day < closes:
        return day.year - 1
    return None


def daily_allowance_period_refusal(*, start: dt.date, end: dt.date, day: dt.date) -> Refusal | None:
    """Why this period cannot be asked for (A5), or None."""
    if start > end:
        return Refusal(
            "period_reversed", "La date de début doit être antérieure ou égale à la date de fin."
        )
    if end > day:
        return Refusal("period_in_future", "La période ne peut pas se terminer après aujourd'hui.")
    if (end - start).days + 1 > DAILY_ALLOWANCE_MAX_DAYS:
        return Refusal("period_too_long", "La période ne peut pas dépasser 12 mois.")
    return None


def offered_months(*, day: dt.date) -> list[dt.date]:
    """First days of the months offered for monthly statements, the latest first."""
    first = day.replace(day=1)
    return [clock.add_months(first, -n) for n in range(MONTHLY_STATEMENTS_MONTHS)]


def rights_certificate_valid_until(*, issued_on: dt.date, rights_end: dt.date | None) -> dt.date:
    limit = clock.add_months(issued_on, RIGHTS_CERTIFICATE_VALIDITY_MONTHS)
    return min(limit, rights_end) if rights_end else limit
