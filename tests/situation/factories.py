"""Helpers of the « changement de situation » tests (issue 18)."""

import datetime as dt

from stdnum.fr.nir import calc_check_digits

from guichet.accounts.models import User
from guichet.situation import services
from guichet.situation.enums import UsageNameProof
from guichet.situation.models import BankDetailsChange, NewbornDeclaration, UsageNameChange
from tests.cards.factories import pdf_bytes, upload
from tests.factories import DEFAULT_PASSWORD

NEW_IBAN = "FR7620041010050500013026052"  # a valid French IBAN, not the factories' one
NEW_IBAN_SPACED = "fr76 2004 1010 0505 0001 3026 052"
NOT_SEPA_IBAN = "TR330006100519786457841326"
GERMAN_IBAN = "DE89370400440532013000"
# A day after which the cooling-off (SIT9) of a request made at REQUESTED is over.
REQUESTED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
AFTER_COOLING_OFF = dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC)


def rib_pdf():
    return upload("rib.pdf", pdf_bytes(), "application/pdf")


def bank_change_for(user: User, **overrides: object) -> BankDetailsChange:
    person = user.person
    values = {
        "iban": NEW_IBAN,
        "holder_name": f"{person.first_names} {person.last_name}",
        "rib": rib_pdf(),
        "code": DEFAULT_PASSWORD,
        "ip": "203.0.113.9",
        **overrides,
    }
    return services.bank_details_change_request(user=user, **values)


def usage_name_change_for(user: User, **overrides: object) -> UsageNameChange:
    values = {
        "usage_name": "MARTIN",
        "proof_kind": UsageNameProof.MARRIAGE_CERTIFICATE,
        "proof": upload("acte.pdf", pdf_bytes(), "application/pdf"),
        **overrides,
    }
    return services.usage_name_change_request(user=user, **values)


NEWBORN_DAY = dt.date(2026, 3, 1)  # born 9 days before NEWBORN_TODAY
NEWBORN_TODAY = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)


def girls_nir(serial: str = "75056123") -> str:
    """A valid NIR of a girl born in March 2026 (SIT20), its key computed."""
    base = f"22603{serial}"[:13]
    return base + calc_check_digits(base)


def newborn_for(user: User, **overrides: object) -> NewbornDeclaration:
    values = {
        "last_name": user.person.last_name,
        "first_names": "Léa Marie",
        "gender": "female",
        "birth_date": NEWBORN_DAY,
        "birth_certificate": upload("acte.pdf", pdf_bytes(), "application/pdf"),
        **overrides,
    }
    return services.newborn_declare(user=user, **values)


def child_hugo(mother: User, *, birth_date: dt.date = dt.date(2020, 3, 4)):
    """Hugo GIRARD, a boy of the mother's family with a valid certified NIR (SIT22)."""
    from tests.factories import PersonFactory, _nir_for

    child = PersonFactory(
        family=mother.person.family,
        dependant=True,
        man=True,
        last_name="GIRARD",
        first_names="Hugo",
        birth_date=birth_date,
    )
    child.nir = _nir_for(child)
    child.save(update_fields=["nir"])
    return child


def father_paul():
    """Paul MOREAU, the other parent: a rights opener of another family and another fund
    (the CPAM du Rhône), without an account until a test gives him one (SIT23)."""
    from tests.factories import FundFactory, PersonFactory

    return PersonFactory(
        man=True,
        last_name="MOREAU",
        usage_name="",
        first_names="Paul",
        birth_date=dt.date(1982, 11, 2),
        family__fund=FundFactory(code="691", name="CPAM du Rhône"),
    )
