"""/enrollment: immediate account creation, way 1 (carte Vitale + IBAN), rules C1–C7.

The app offers way 1 only (C1). One request carries the whole web journey (identity, proof,
code personnel, contact); the fields are validated by the web's own forms so that every
message is the web's, then the enrollment services run in the web's order with the same
throttling per NIR and per IP. The account stays inactive until the emailed link is clicked
(C7): no token is issued here.
"""

import datetime as dt

from django import forms
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from guichet.api.errors import INVALID_INPUT, ApiError, responses
from guichet.api.security import client_ip
from guichet.core.masking import mask_email
from guichet.core.refusals import Refusal, Refused
from guichet.enrollment import rules as enrollment_rules
from guichet.enrollment import services as enrollment
from guichet.enrollment.enums import Way
from guichet.enrollment.services import CheckResult
from guichet.web.forms_enrollment import CodeForm, ContactForm, IdentityForm, ProofForm

router = Router(tags=["Création de compte"], auth=None)

CHECK_YOUR_MAILBOX = (  # the web's « Validation de mon email » page
    "Pour finaliser la création de votre compte, merci de cliquer sur le lien reçu par email. "
    "Vous disposez de 7 jours pour valider votre adresse."
)
# The web forms' field names → the API's.
_FIELD_NAMES = {"code1": "code", "code2": "code_confirmation"}


class EnrollmentIn(Schema):
    last_name: str = Field(max_length=100, description="« Mon nom ».")
    nir: str = Field(max_length=21, description="« Mon n° de sécurité sociale ».")
    birth_date: dt.date = Field(description="« Ma date de naissance ».")
    postal_code: str = Field(max_length=10, description="« Mon code postal ».")
    iban_end: str = Field(max_length=12, description="Les 7 derniers caractères de l'IBAN.")
    serial_end: str = Field(
        max_length=20, description="Les 11 derniers chiffres du n° de série de la carte Vitale."
    )
    code: str = Field(max_length=200, description="Le code personnel (règle C5).")
    code_confirmation: str = Field(max_length=200, description="Le même code, une 2e fois.")
    email: str = Field(max_length=254)
    mobile_phone: str = Field("", max_length=20)
    landline_phone: str = Field("", max_length=20)
    information_consent: bool = False


class EnrollmentOut(Schema):
    email_masked: str
    message: str


def _invalid(*bound: forms.Form) -> None:
    fields: dict[str, list[str]] = {}
    for form in bound:
        if not form.is_valid():
            for name, errors in form.errors.items():
                fields.setdefault(_FIELD_NAMES.get(name, name), []).extend(errors)
    if fields:
        raise ApiError(422, "invalid_input", INVALID_INPUT, fields=fields)


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
    identity = IdentityForm(
        {
            "last_name": payload.last_name,
            "nir": payload.nir,
            "birth_date": payload.birth_date.strftime("%d/%m/%Y"),
            "postal_code": payload.postal_code,
        }
    )
    proof = ProofForm({"iban_end": payload.iban_end, "serial_end": payload.serial_end})
    contact = ContactForm(
        {
            "email": payload.email,
            "mobile_phone": payload.mobile_phone,
            "landline_phone": payload.landline_phone,
            "information_consent": payload.information_consent,
        }
    )
    _invalid(identity, proof, contact)

    found = enrollment.identity_check(ip=ip, **identity.cleaned_data)
    if found.person is None:
        raise _refused(found, "identity_mismatch")
    person = found.person
    refusal = enrollment_rules.creation_refusal(person, way=Way.CARTE_VITALE)
    if refusal is not None:
        raise _not_eligible(refusal)
    proven = enrollment.proof_check(person=person, ip=ip, **proof.cleaned_data)
    if proven.person is None:
        raise _refused(proven, "proof_mismatch")
    code = CodeForm({"code1": payload.code, "code2": payload.code_confirmation}, person=person)
    _invalid(code)

    try:
        user = enrollment.account_create(
            request=enrollment.AccountRequest(
                person=person,
                way=Way.CARTE_VITALE,
                password_hash=make_password(code.cleaned_data["code1"]),
                email=contact.cleaned_data["email"],
                mobile_phone=contact.cleaned_data["mobile_phone"],
                landline_phone=contact.cleaned_data["landline_phone"],
                information_consent=contact.cleaned_data["information_consent"],
            )
        )
    except enrollment.EmailTaken as taken:
        raise ApiError(
            422, "invalid_input", INVALID_INPUT, fields={"email": [str(taken)]}
        ) from None
    except enrollment.AccountExists as exists:
        raise ApiError(409, "account_exists", str(exists)) from None
    except Refused as refused:
        raise _not_eligible(refused.refusal) from None
    except enrollment.EnrollmentError as refusal:
        raise ApiError(403, "not_eligible", str(refusal)) from None
    return Status(
        201, EnrollmentOut(email_masked=mask_email(user.email), message=CHECK_YOUR_MAILBOX)
    )
