"""The data printed on each document, computed from the fund's records.

Everything here is plain strings, lists and dicts: it is stored on the Issuance (so the same
document can be rendered again) and passed to typst as JSON input, never spliced into markup.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from guichet.certificates.enums import DocumentKind, Mention
from guichet.certificates.selectors import Covered
from guichet.core.masking import format_nir
from guichet.reference import selectors as reference_selectors
from guichet.reference.enums import SolidarityCoverage
from guichet.reference.models import Payment, Person

NARROW_SPACE = "\u202f"
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def fr_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def fr_month(month: dt.date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


def fr_amount(amount: Decimal) -> str:
    whole, _, cents = f"{amount:.2f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{NARROW_SPACE.join(groups)},{cents} €"


def initials(person: Person) -> str:
    """« C. C. »: what the verification page shows of the holder, nothing more."""
    first = person.first_names.strip()[:1].upper()
    last = person.display_last_name.strip()[:1].upper()
    return f"{first}. {last}."


def _identity(person: Person) -> dict:
    return {
        "civility": person.get_civility_display(),
        "name": f"{person.first_names} {person.display_last_name}",
        "birth_name": person.last_name if person.usage_name else "",
        "birth_date": fr_date(person.birth_date),
        "nir": format_nir(person.nir) if person.nir else "",
        "address": [
            line
            for line in (
                person.address_line1,
                person.address_line2,
                f"{person.postal_code} {person.city}".strip(),
            )
            if line
        ],
    }


def _header(*, kind: str, person: Person, reference: str, issued_on: dt.date) -> dict:
    family = reference_selectors.family_with_fund(family_id=person.family_id)
    fund = family.fund
    return {
        "kind": kind,
        "title": DocumentKind(kind).label,
        "reference": reference,
        "issued_on": fr_date(issued_on),
        "fund": {"name": fund.name, "code": fund.code, "address": fund.address},
        "scheme": family.scheme.name,
        "insured": _identity(person),
    }


def rights_data(
    *,
    person: Person,
    covered: list[Covered],
    mentions: Iterable[str],
    reference: str,
    issued_on: dt.date,
) -> dict:
    """A1: the beneficiaries, their rights period, the médecin traitant, the chosen mentions."""
    chosen = set(mentions)
    beneficiaries = []
    for c in covered:
        lines = []
        if Mention.ETM in chosen and c.period.ticket_moderateur_exemption:
            reason = f" ({c.period.exemption_reason})" if c.period.exemption_reason else ""
            lines.append(f"Exonération du ticket modérateur{reason}")
        if Mention.SOLIDARITY in chosen and c.period.solidarity_coverage != SolidarityCoverage.NONE:
            lines.append(f"Bénéficiaire : {c.period.get_solidarity_coverage_display()}")
        beneficiaries.append(
            {
                "name": f"{c.person.first_names} {c.person.display_last_name}",
                "birth_date": fr_date(c.person.birth_date),
                "nir": format_nir(c.person.nir) if c.person.nir else "",
                "quality": c.person.get_relationship_display(),
                "rights": (
                    f"du {fr_date(c.period.start_date)} au {fr_date(c.period.end_date)}"
                    if c.period.end_date
                    else f"depuis le {fr_date(c.period.start_date)}"
                ),
                "scheme": c.period.scheme.name,
                "doctor": c.person.attending_doctor or "Aucun médecin traitant déclaré",
                "mentions": lines,
            }
        )
    return {
        **_header(
            kind=DocumentKind.RIGHTS, person=person, reference=reference, issued_on=issued_on
        ),
        "beneficiaries": beneficiaries,
    }


def _payment_rows(payments: Iterable[Payment], *, with_beneficiary: bool) -> tuple[list, Decimal]:
    rows, total = [], Decimal("0")
    for p in payments:
        row = {
            "paid_on": fr_date(p.paid_on),
            "label": p.label,
            "period": (
                f"du {fr_date(p.care_date)} au {fr_date(p.period_end)}"
                if p.period_end
                else fr_date(p.care_date)
            ),
            "amount": fr_amount(p.amount),
            "paid_to": p.paid_to,
        }
        if with_beneficiary:
            row["beneficiary"] = p.beneficiary.first_names
        rows.append(row)
        total += p.amount
    return rows, total


def daily_allowance_data(
    *,
    person: Person,
    payments: Iterable[Payment],
    start: dt.date,
    end: dt.date,
    reference: str,
    issued_on: dt.date,
) -> dict:
    rows, total = _payment_rows(payments, with_beneficiary=False)
    return {
        **_header(
            kind=DocumentKind.DAILY_ALLOWANCE,
            person=person,
            reference=reference,
            issued_on=issued_on,
        ),
        "period": f"du {fr_date(start)} au {fr_date(end)}",
        "payments": rows,
        "total": fr_amount(total),
    }


def monthly_data(
    *,
    person: Person,
    payments: Iterable[Payment],
    month: dt.date,
    reference: str,
    issued_on: dt.date,
) -> dict:
    rows, total = _payment_rows(payments, with_beneficiary=True)
    return {
        **_header(
            kind=DocumentKind.MONTHLY_STATEMENT,
            person=person,
            reference=reference,
            issued_on=issued_on,
        ),
        "period": fr_month(month),
        "payments": rows,
        "total": fr_amount(total),
    }


def tax_data(
    *, person: Person, payments: Iterable[Payment], year: int, reference: str, issued_on: dt.date
) -> dict:
    rows, total = _payment_rows(payments, with_beneficiary=False)
    return {
        **_header(
            kind=DocumentKind.TAX_STATEMENT, person=person, reference=reference, issued_on=issued_on
        ),
        "period": f"année {year}",
        "payments": rows,
        "total": fr_amount(total),
    }


def ceam_provisional_data(
    *,
    person: Person,
    beneficiary: Person,
    valid_from: dt.date,
    valid_until: dt.date,
    reference: str,
    issued_on: dt.date,
) -> dict:
    """CEAM7: the certificat provisoire de remplacement of the CEAM, for one beneficiary."""
    return {
        **_header(
            kind=DocumentKind.CEAM_PROVISIONAL,
            person=person,
            reference=reference,
            issued_on=issued_on,
        ),
        "holder": _identity(beneficiary),
        "valid_from": fr_date(valid_from),
        "valid_until": fr_date(valid_until),
    }
