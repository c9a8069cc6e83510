"""/enrollment: immediate account creation, way 1 (carte Vitale + IBAN), rules C1–C7.

The app offers way 1 only (C1). One request carries the whole web journey (identity, proof,
code personnel, contact); the schema checks each field with the domain validators the web
forms use, so that every message is the web's, then the enrollment services run in the web's
order with the same throttling per NIR and per IP. The account stays inactive until the emailed link is clicked
(C7): no token is issued here.
"""

import datetime as dt
from typing import Annotated

from django.contrib.auth.hashers import make_password
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from guichet.accounts import passwords
from guichet.accounts import validators as account_validators
from guichet.core.http import client_ip
from guichet.core.masking import mask_email
from guichet.core.refusals import Refusal, Refused
from guichet.enrollment import rules as enrollment_rules
from guichet.enrollment import services as enrollment
from guichet.enrollment.enums import Way
from guichet.enrollment.services import CheckResult
from guichet.interfaces.api.errors import INVALID_INPUT, ApiError, responses
from guichet.interfaces.api.schemas import domain_check
from guichet.reference import validators

router = Router(tags=["Création de compte"], auth=None)

CHECK_YOUR_MAILBOX = (  # the web's « Validation de mon email » page
    "Pour finaliser la création de votre compte, merci de cliquer sur le lien reçu par email. "
    "Vous disposez de 7 jours pour valider votre adresse."
)
# The fields of the web's forms (IdentityForm, ProofForm, ContactForm), with their messages.
LastName = Annotated[
    str,
    domain_check(
        validators.validate_person_name,
        normalize=validators.normalize_text,
        required="Saisissez votre nom.",
    ),
]
Nir = Annotated[
    str,
    domain_check(
        validators.validate_nir_format,
        normalize=validators.normalize_nir,
        required="Saisissez votre numéro de sécurité sociale.",
    ),
]
PostalCode = Annotated[
    str,
    domain_check(
        validators.validate_postal_code,
        normalize=str.strip,
        required="Saisissez votre code postal.",
    ),
]
IbanEnd = Annotated[
    str,
    domain_check(
        validators.validate_iban_tail,
        normalize=lambda value: validators.compact(value).upper(),
        required="Saisissez les 7 derniers caractères de votre IBAN.",
    ),
]
SerialEnd = Annotated[
    str,
    domain_check(
        validators.validate_serial_tail,
        normalize=validators.compact,
        required="Saisissez les 11 derniers chiffres du numéro de série de votre carte Vitale.",
    ),
]
Email = Annotated[
    str,
    domain_check(
        account_validators.validate_email_address,
        normalize=str.strip,
        required=account_validators.EMAIL_REQUIRED,
    ),
]
MobilePhone = Annotated[
    str, domain_check(lambda value: validators.clean_french_phone(value, mobile=True))
]
LandlinePhone = Annotated[
    str, domain_check(lambda value: validators.clean_french_phone(value, mobile=False))
]


class EnrollmentIn(Schema):
    last_name: LastName = Field(max_length=100, description="« Mon nom ».")
    nir: Nir = Field(max_length=21, description="« Mon n° de sécurité sociale ».")
    birth_date: dt.date = Field(description="« Ma date de naissance ».")
    postal_code: PostalCode = Field(max_length=10, description="« Mon code postal ».")
    iban_end: IbanEnd = Field(max_length=12, description="Les 7 derniers caractères de l'IBAN.")
    serial_end: SerialEnd = Field(
        max_length=20, description="Les 11 derniers chiffres du n° de série de la carte Vitale."
    )
    code: str = Field(max_length=200, description="Le code personnel (règle C5).")
    code_confirmation: str = Field(max_length=200, description="Le même code, une 2e fois.")
    email: Email = Field(max_length=account_validators.EMAIL_MAX_LENGTH)
    mobile_phone: MobilePhone = Field("", max_length=20)
    landline_phone: LandlinePhone = Field("", max_length=20)
    information_consent: bool = False


class EnrollmentOut(Schema):
    email_masked: str
    message: str


_CODE_FIELDS = {"code": "code", "confirmation": "code_confirmation"}


def _not_eligible(refusal: Refusal) -> ApiError:
    """An account already there (409 account_exists), or excluded by rule C4 (403 not_eligible)."""
    if refusal == enrollment_rules.ACCOUNT_EXISTS:
        return ApiError(409, refusal.code, refusal.message)
    return ApiError(403, "not_eligible", refusal.message)


def _refused(result: CheckResult, code: str) -> ApiError:
    if result.throttled:
        return ApiError(429, "too_many_attempts", result.error)
    return ApiError(422, code, result.error)


@router.post(
    "/enrollment",
    response=responses({201: EnrollmentOut}, 400, 403, 409, 422, 429),
    summary="Créer mon compte (carte Vitale et IBAN)",
)
def enrollment_create(request: HttpRequest, payload: EnrollmentIn) -> Status[EnrollmentOut]:
    ip = client_ip(request)
    found = enrollment.identity_check(
        ip=ip,
        last_name=payload.last_name,
        nir=payload.nir,
        birth_date=payload.birth_date,
        postal_code=payload.postal_code,
    )
    if found.person is None:
        raise _refused(found, "identity_mismatch")
    person = found.person
    refusal = enrollment_rules.creation_refusal(person, way=Way.CARTE_VITALE)
    if refusal is not None:
        raise _not_eligible(refusal)
    proven = enrollment.proof_check(
        person=person, ip=ip, iban_end=payload.iban_end, serial_end=payload.serial_end
    )
    if proven.person is None:
        raise _refused(proven, "proof_mismatch")
    code_errors = passwords.new_code_errors(
        code=payload.code, confirmation=payload.code_confirmation, person=person
    )
    if code_errors:
        fields = {_CODE_FIELDS[name]: messages for name, messages in code_errors.items()}
        raise ApiError(422, "invalid_input", INVALID_INPUT, fields=fields)

    try:
        user = enrollment.account_create(
            request=enrollment.AccountRequest(
                person=person,
                way=Way.CARTE_VITALE,
                password_hash=make_password(payload.code),
                email=payload.email,
                mobile_phone=payload.mobile_phone,
                landline_phone=payload.landline_phone,
                information_consent=payload.information_consent,
            )
        )
    except enrollment.EmailTaken as taken:
        raise ApiError(
            422, "invalid_input", INVALID_INPUT, fields={"email": [str(taken)]}
        ) from None
    except enrollment.AccountExists as exists:
        raise ApiError(409, "account_exists", str(exists)) from None
    except enrollment.EnrollmentError as refusal:  # a Refused too: before the rules' refusals
        raise ApiError(403, "not_eligible", str(refusal)) from None
    except Refused as refused:
        raise _not_eligible(refused.refusal) from None
    return Status(
        201, EnrollmentOut(email_masked=mask_email(user.email), message=CHECK_YOUR_MAILBOX)
    )
