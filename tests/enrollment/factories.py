"""People able (or not) to create their account immediately (rules C2-C4)."""

import datetime as dt

from guichet.reference.enums import Gender
from tests.factories import CardFactory, PersonFactory

SERIAL = "80250000204671322631"  # 20 digits; the form asks for the last 11: "04671322631"
IBAN = "FR7630006000011234567890189"  # the form asks for the last 7: "7890189"


def eligible_person(**kwargs: object):
    """A rights opener of the régime général, certified NIR, IBAN on file, active carte Vitale."""
    serial = kwargs.pop("serial", SERIAL)
    person = PersonFactory(iban=IBAN, postal_code="63000", **kwargs)
    CardFactory(person=person, serial_number=serial)
    return person


def dubois(**kwargs: object):
    """The insured matching FranceConnect's public test identity Angela Claire Louise DUBOIS."""
    fields = {
        "last_name": "DUBOIS",
        "first_names": "Angela Claire Louise",
        "birth_date": dt.date(1962, 8, 24),
        "gender": Gender.FEMALE,
        "birth_place_insee": "75107",
        **kwargs,
    }
    return PersonFactory(**fields)


def identity_data(person, **overrides: str) -> dict:
    data = {
        "last_name": person.last_name,
        "nir": person.nir,
        "birth_date": person.birth_date.strftime("%d/%m/%Y"),
        "postal_code": person.postal_code,
    }
    return {**data, **overrides}


PROOF = {"iban_end": IBAN[-7:], "serial_end": SERIAL[-11:]}
GOOD_CODE = "Soleil-Vert-2026!"
