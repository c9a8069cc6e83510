"""Schemas shared by several endpoints: the typed input fields (checked by the domain
validators, the web forms' own) and the outputs (people, payments, pages)."""

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from ninja import Schema
from pydantic import AfterValidator, Field

from guichet.core.masking import mask_nir
from guichet.reference.models import Payment, Person
from guichet.reference.validators import (
    normalize_text,
    validate_address_line,
    validate_person_name,
    validate_postal_code,
)


def domain_check(
    validate: Callable[[Any], Any],
    *,
    normalize: Callable[[Any], Any] = lambda value: value,
    required: str | None = None,
) -> AfterValidator:
    """A pydantic validator running a domain validator (docs/decisions/field-validators-in-the-domain.md).

    The value is normalised first (as the web form's field does), an empty one answers
    `required` when given, then `validate` runs: its Django ValidationError becomes the field's
    French message in the API's error shape. A validator that returns a value (a phone written
    « 06 12 34 56 78 ») replaces the typed one."""

    def check(value: Any) -> Any:
        value = normalize(value)
        if required is not None and not value:
            raise ValueError(required)
        try:
            cleaned = validate(value)
        except ValidationError as invalid:
            raise ValueError(invalid.messages[0]) from None
        return value if cleaned is None else cleaned

    return AfterValidator(check)


def _strip(value: str) -> str:
    return value.strip()


# Text printed on documents (issue 13), as the web's PersonNameField and AddressLineField.
PersonName = Annotated[str, domain_check(validate_person_name, normalize=normalize_text)]
AddressLine = Annotated[str, domain_check(validate_address_line, normalize=normalize_text)]
PostalCode = Annotated[str, domain_check(validate_postal_code, normalize=_strip)]


class PersonOut(Schema):
    id: int
    civility: str = Field(description="« M » ou « MME ».")
    first_names: str
    last_name: str = Field(description="Nom d'usage s'il existe, sinon nom de naissance.")
    birth_date: dt.date
    role: str = Field(description="« opener » (ouvreur de droits) ou « dependant » (ayant droit).")
    relationship: str
    nir_masked: str | None = Field(description="NIR masqué, absent pour un ayant droit sans NIR.")


def person_out(person: Person) -> PersonOut:
    return PersonOut(
        id=person.pk,
        civility=person.civility,
        first_names=person.first_names,
        last_name=person.display_last_name,
        birth_date=person.birth_date,
        role=person.role,
        relationship=person.relationship,
        nir_masked=mask_nir(person.nir) if person.nir else None,
    )


class BeneficiaryRef(Schema):
    id: int
    name: str


class PaymentOut(Schema):
    id: int
    kind: str = Field(description="reimbursement, third_party ou daily_allowance.")
    kind_label: str
    label: str
    care_date: dt.date
    period_end: dt.date | None
    paid_on: dt.date
    amount: str = Field(description="Montant versé en euros, deux décimales (« 18.50 »).")
    paid_to: str
    transmitted_to_complementary: bool
    beneficiary: BeneficiaryRef


def payment_out(payment: Payment) -> PaymentOut:
    return PaymentOut(
        id=payment.pk,
        kind=payment.kind,
        kind_label=payment.get_kind_display(),
        label=payment.label,
        care_date=payment.care_date,
        period_end=payment.period_end,
        paid_on=payment.paid_on,
        amount=f"{payment.amount:.2f}",
        paid_to=payment.paid_to,
        transmitted_to_complementary=payment.transmitted_to_complementary,
        beneficiary=BeneficiaryRef(id=payment.beneficiary_id, name=payment.beneficiary.full_name),
    )


class PageInfo(Schema):
    page: int
    page_size: int
    pages: int
    count: int
