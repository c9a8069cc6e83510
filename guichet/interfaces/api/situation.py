"""/situation: « Changement d'adresse postale », « Modifier mes coordonnées bancaires » and
« Changement de nom d'usage », « Déclaration du nouveau-né », « Inscrire votre enfant sur la carte
Vitale de l'autre parent » and « Annuler ma demande » (rules SIT1–SIT27), over
guichet.situation's services, with the web's French messages."""

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.files import UploadedFile
from ninja.params import functions
from pydantic import Field, field_validator

from guichet.cards.uploads import UploadRejected
from guichet.core.http import client_ip
from guichet.core.masking import mask_iban
from guichet.core.refusals import Refused
from guichet.interfaces.api.errors import INVALID_INPUT, ApiError, invalid_fields, responses
from guichet.interfaces.api.schemas import AddressLine, PostalCode
from guichet.interfaces.api.security import current_user
from guichet.situation import rules, selectors, services
from guichet.situation.enums import UsageNameProof, WithdrawableKind
from guichet.situation.models import (
    BankDetailsChange,
    NewbornDeclaration,
    OtherParentRegistration,
    UsageNameChange,
)

router = Router(tags=["Changement de situation"])


class AddressIn(Schema):
    """« Changement d'adresse postale » (SIT1: postal code and commune together)."""

    line1: AddressLine = Field(
        min_length=1, max_length=200, description="Numéro et libellé de la voie."
    )
    line2: AddressLine = Field("", max_length=200, description="Complément d'adresse.")
    postal_code: PostalCode = Field(description="Code postal, 5 chiffres.")
    city: AddressLine = Field(
        min_length=1, max_length=100, description="Commune desservie par ce code postal."
    )

    @field_validator("line1", "city")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Ce champ est obligatoire.")
        return value.strip()


class AddressOut(Schema):
    line1: str
    line2: str
    postal_code: str
    city: str
    mail_returned: bool = Field(description="NPAI : le courrier est revenu de cette adresse.")


def _address_out(person) -> AddressOut:
    return AddressOut(
        line1=person.address_line1,
        line2=person.address_line2,
        postal_code=person.postal_code,
        city=person.city,
        mail_returned=person.address_npai,
    )


@router.get(
    "/situation/address",
    response=responses({200: AddressOut}, 401),
    summary="Mon adresse postale",
)
def address_show(request: HttpRequest) -> AddressOut:
    return _address_out(current_user(request).person)


@router.put(
    "/situation/address",
    response=responses({200: AddressOut}, 400, 401, 422),
    summary="Changement d'adresse postale",
)
def address_change(request: HttpRequest, payload: AddressIn) -> AddressOut:
    """The new address replaces the old one at once and clears NPAI; the attestation and the
    carte Vitale order use it from then on; the person is told by notification and email."""
    user = current_user(request)
    try:
        person = services.person_address_change(
            person=user.person,
            user=user,
            line1=payload.line1,
            line2=payload.line2.strip(),
            postal_code=payload.postal_code,
            city=payload.city,
        )
    except ValidationError as invalid:
        raise invalid_fields(invalid) from None
    return _address_out(person)


class BankChangeOut(Schema):
    id: int
    status: str = Field(description="pending, approved ou rejected.")
    status_label: str
    iban: str = Field(description="Le nouvel IBAN, masqué.")
    holder_name: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    rejection_reason: str


class BankDetailsOut(Schema):
    iban: str = Field(description="L'IBAN où sont versés les remboursements, masqué.")
    can_request: bool
    refusal_code: str = Field(description="Pourquoi une demande n'est pas possible maintenant.")
    refusal_message: str
    latest_change: BankChangeOut | None


def _change_out(change: BankDetailsChange) -> BankChangeOut:
    return BankChangeOut(
        id=change.pk,
        status=change.status,
        status_label=change.get_status_display(),
        iban=mask_iban(change.iban),
        holder_name=change.holder_name,
        requested_at=change.requested_at,
        decided_at=change.decided_at,
        rejection_reason=change.rejection_reason,
    )


@router.get(
    "/situation/bank-details",
    response=responses({200: BankDetailsOut}, 401),
    summary="Mes coordonnées bancaires",
)
def bank_details_show(request: HttpRequest) -> BankDetailsOut:
    person = current_user(request).person
    refusal = services.bank_details_change_refusal(person=person)
    latest = selectors.latest_bank_change(person=person)
    return BankDetailsOut(
        iban=mask_iban(person.iban) if person.iban else "",
        can_request=refusal is None,
        refusal_code=refusal.code if refusal else "",
        refusal_message=refusal.message if refusal else "",
        latest_change=_change_out(latest) if latest else None,
    )


@router.post(
    "/situation/bank-details",
    response=responses({201: BankChangeOut}, 400, 401, 409, 422, 429),
    summary="Modifier mes coordonnées bancaires",
)
def bank_details_request(
    request: HttpRequest,
    iban: Annotated[str, functions.Form(min_length=1, max_length=42)],
    holder_name: Annotated[str, functions.Form(min_length=1, max_length=100)],
    code: Annotated[str, functions.Form(min_length=1, max_length=128)],
    rib: Annotated[UploadedFile, functions.File(description="RIB : PDF, JPEG ou PNG, 5 Mo.")],
) -> Status:
    """The new IBAN, its holder, the RIB and the code personnel again (SIT3–SIT6): a request
    checked by the fund's back office (SIT9); payments go to the old IBAN until then."""
    user = current_user(request)
    try:
        change = services.bank_details_change_request(
            user=user, iban=iban, holder_name=holder_name, rib=rib, code=code, ip=client_ip(request)
        )
    except ValidationError as invalid:
        raise invalid_fields(invalid) from None
    except UploadRejected as rejected:
        raise ApiError(
            422, "invalid_input", INVALID_INPUT, fields={"rib": [str(rejected)]}
        ) from None
    except Refused as refused:
        if refused.retry_after is not None:
            raise ApiError(
                429,
                "too_many_attempts",
                refused.message,
                headers={"Retry-After": str(max(1, int(refused.retry_after.total_seconds())))},
            ) from None
        if refused.field is not None:
            raise ApiError(
                422, "invalid_input", INVALID_INPUT, fields={refused.field: [refused.message]}
            ) from None
        raise ApiError(409, refused.code, refused.message) from None
    return Status(201, _change_out(change))


class UsageNameChangeOut(Schema):
    id: int
    status: str = Field(description="pending, approved ou rejected.")
    status_label: str
    usage_name: str
    proof_kind: str
    proof_kind_label: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    rejection_reason: str


class UsageNameOut(Schema):
    last_name: str = Field(description="Le nom de naissance.")
    usage_name: str = Field(description="Le nom d'usage enregistré (vide : aucun).")
    can_request: bool
    refusal_code: str = Field(description="Pourquoi une demande n'est pas possible maintenant.")
    refusal_message: str
    proof_kinds: dict[str, str] = Field(description="Les justificatifs acceptés.")
    latest_change: UsageNameChangeOut | None


def _usage_name_out(change: UsageNameChange) -> UsageNameChangeOut:
    return UsageNameChangeOut(
        id=change.pk,
        status=change.status,
        status_label=change.get_status_display(),
        usage_name=change.usage_name,
        proof_kind=change.proof_kind,
        proof_kind_label=change.get_proof_kind_display(),
        requested_at=change.requested_at,
        decided_at=change.decided_at,
        rejection_reason=change.rejection_reason,
    )


@router.get(
    "/situation/usage-name",
    response=responses({200: UsageNameOut}, 401),
    summary="Mon nom d'usage",
)
def usage_name_show(request: HttpRequest) -> UsageNameOut:
    person = current_user(request).person
    refusal = services.usage_name_change_refusal(person=person)
    latest = selectors.latest_usage_name_change(person=person)
    return UsageNameOut(
        last_name=person.last_name,
        usage_name=person.usage_name,
        can_request=refusal is None,
        refusal_code=refusal.code if refusal else "",
        refusal_message=refusal.message if refusal else "",
        proof_kinds=dict(UsageNameProof.choices),
        latest_change=_usage_name_out(latest) if latest else None,
    )


@router.post(
    "/situation/usage-name",
    response=responses({201: UsageNameChangeOut}, 400, 401, 409, 422),
    summary="Changement de nom d'usage",
)
def usage_name_request(
    request: HttpRequest,
    usage_name: Annotated[str, functions.Form(min_length=1, max_length=100)],
    proof_kind: Annotated[str, functions.Form(min_length=1, max_length=30)],
    proof: Annotated[
        UploadedFile, functions.File(description="Justificatif : PDF, JPEG ou PNG, 5 Mo.")
    ],
) -> Status:
    """The new usage name and its proof (SIT12, SIT13): a request checked by the fund's back
    office (SIT14); once approved, the records carry it and a new carte Vitale can be ordered
    for the change of name (SIT15)."""
    user = current_user(request)
    try:
        change = services.usage_name_change_request(
            user=user, usage_name=usage_name, proof_kind=proof_kind, proof=proof
        )
    except ValidationError as invalid:
        raise invalid_fields(invalid) from None
    except UploadRejected as rejected:
        raise ApiError(
            422, "invalid_input", INVALID_INPUT, fields={"proof": [str(rejected)]}
        ) from None
    except Refused as refused:
        if refused.field is not None:
            raise ApiError(
                422, "invalid_input", INVALID_INPUT, fields={refused.field: [refused.message]}
            ) from None
        raise ApiError(409, refused.code, refused.message) from None
    return Status(201, _usage_name_out(change))


class NewbornOut(Schema):
    id: int
    status: str = Field(description="pending (NIR provisoire), certified ou rejected.")
    status_label: str
    last_name: str
    first_names: str
    gender: str = Field(description="male ou female.")
    birth_date: dt.date
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    rejection_reason: str


def _newborn_out(declaration: NewbornDeclaration) -> NewbornOut:
    return NewbornOut(
        id=declaration.pk,
        status=declaration.status,
        status_label=declaration.get_status_display(),
        last_name=declaration.last_name,
        first_names=declaration.first_names,
        gender=declaration.gender,
        birth_date=declaration.birth_date,
        requested_at=declaration.requested_at,
        decided_at=declaration.decided_at,
        rejection_reason=declaration.rejection_reason,
    )


@router.get(
    "/situation/newborns",
    response=responses({200: list[NewbornOut]}, 401),
    summary="Mes déclarations de nouveau-né",
)
def newborn_list(request: HttpRequest) -> list[NewbornOut]:
    person = current_user(request).person
    return [_newborn_out(d) for d in selectors.newborn_declarations(person=person)]


@router.post(
    "/situation/newborns",
    response=responses({201: NewbornOut}, 400, 401, 409, 422),
    summary="Déclaration du nouveau-né",
)
def newborn_declare(
    request: HttpRequest,
    last_name: Annotated[str, functions.Form(min_length=1, max_length=100)],
    first_names: Annotated[str, functions.Form(min_length=1, max_length=150)],
    gender: Annotated[str, functions.Form(min_length=1, max_length=6)],
    birth_date: Annotated[dt.date, functions.Form(description="AAAA-MM-JJ")],
    birth_certificate: Annotated[
        UploadedFile, functions.File(description="Acte de naissance : PDF, JPEG ou PNG, 5 Mo.")
    ],
) -> Status:
    """The child joins the family at once with a provisional NIR (SIT17–SIT19); the fund's
    back office certifies it from the birth certificate (SIT20)."""
    user = current_user(request)
    try:
        declaration = services.newborn_declare(
            user=user,
            last_name=last_name,
            first_names=first_names,
            gender=gender,
            birth_date=birth_date,
            birth_certificate=birth_certificate,
        )
    except ValidationError as invalid:
        raise invalid_fields(invalid) from None
    except UploadRejected as rejected:
        raise ApiError(
            422, "invalid_input", INVALID_INPUT, fields={"birth_certificate": [str(rejected)]}
        ) from None
    except Refused as refused:
        raise ApiError(409, refused.code, refused.message) from None
    return Status(201, _newborn_out(declaration))


class ChildOut(Schema):
    id: int
    first_names: str
    last_name: str
    birth_date: dt.date
    attached_to_other_parent: bool = Field(
        description="Déjà inscrit sur la carte Vitale de l'autre parent."
    )


class OtherParentRegistrationOut(Schema):
    id: int
    status: str = Field(description="pending, approved, rejected ou withdrawn.")
    status_label: str
    child_id: int
    child: str
    other_parent: str = Field(description="Le prénom et le nom de l'autre parent.")
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    rejection_reason: str


class OtherParentOut(Schema):
    children: list[ChildOut] = Field(description="Les enfants de moins de 16 ans de la famille.")
    registrations: list[OtherParentRegistrationOut]


def _registration_out(registration: OtherParentRegistration) -> OtherParentRegistrationOut:
    return OtherParentRegistrationOut(
        id=registration.pk,
        status=registration.status,
        status_label=registration.get_status_display(),
        child_id=registration.child_id,
        child=registration.child.full_name,
        other_parent=registration.other_parent.full_name,
        requested_at=registration.requested_at,
        decided_at=registration.decided_at,
        rejection_reason=registration.rejection_reason,
    )


@router.get(
    "/situation/other-parent",
    response=responses({200: OtherParentOut}, 401),
    summary="Inscrire votre enfant sur la carte Vitale de l'autre parent : mes enfants",
)
def other_parent_show(request: HttpRequest) -> OtherParentOut:
    person = current_user(request).person
    return OtherParentOut(
        children=[
            ChildOut(
                id=child.pk,
                first_names=child.first_names,
                last_name=child.display_last_name,
                birth_date=child.birth_date,
                attached_to_other_parent=hasattr(child, "second_parent_attachment"),
            )
            for child in services.other_parent_children(person=person)
        ],
        registrations=[
            _registration_out(r) for r in selectors.other_parent_registrations(person=person)
        ],
    )


@router.post(
    "/situation/other-parent",
    response=responses({201: OtherParentRegistrationOut}, 400, 401, 404, 409, 422),
    summary="Inscrire votre enfant sur la carte Vitale de l'autre parent",
)
def other_parent_request(
    request: HttpRequest,
    child_id: Annotated[int, functions.Form()],
    nir: Annotated[str, functions.Form(min_length=1, max_length=21)],
    last_name: Annotated[str, functions.Form(min_length=1, max_length=100)],
    birth_date: Annotated[dt.date, functions.Form(description="AAAA-MM-JJ")],
    proof: Annotated[
        UploadedFile,
        functions.File(description="Acte de naissance ou livret de famille : PDF, JPEG ou PNG."),
    ],
) -> Status:
    """The child, the other parent found in the records by NIR, name and birth date, the proof
    naming both parents (SIT22–SIT24): checked by the other parent's fund (SIT25)."""
    user = current_user(request)
    try:
        registration = services.other_parent_registration_request(
            user=user,
            child_id=child_id,
            nir=nir,
            last_name=last_name,
            birth_date=birth_date,
            proof=proof,
        )
    except ValidationError as invalid:
        raise invalid_fields(invalid) from None
    except UploadRejected as rejected:
        raise ApiError(
            422, "invalid_input", INVALID_INPUT, fields={"proof": [str(rejected)]}
        ) from None
    except Refused as refused:
        if refused.code == rules.CHILD_NOT_FOUND.code:  # another family's child: not found
            raise ApiError(404, "not_found", refused.message) from None
        raise ApiError(409, refused.code, refused.message) from None
    return Status(201, _registration_out(registration))


class WithdrawnOut(Schema):
    kind: str
    id: int
    status: str = Field(description="withdrawn.")
    status_label: str


@router.post(
    "/situation/requests/{kind}/{request_id}/withdrawal",
    response=responses({200: WithdrawnOut}, 401, 404, 409, 422),
    summary="Annuler ma demande",
)
def request_withdraw(
    request: HttpRequest,
    kind: Literal["bank-details", "usage-name", "newborn", "other-parent"],
    request_id: int,
) -> WithdrawnOut:
    """A request still waiting for the back office is withdrawn (SIT27): its case closed, its
    document deleted, the person told; refused (409) once the fund has checked it."""
    user = current_user(request)
    try:
        withdrawn = services.situation_request_withdraw(user=user, kind=kind, request_id=request_id)
    except Refused as refused:
        if refused.code == rules.REQUEST_NOT_FOUND.code:  # someone else's: not found
            raise ApiError(404, "not_found", refused.message) from None
        raise ApiError(409, refused.code, refused.message) from None
    return WithdrawnOut(
        kind=WithdrawableKind(kind).value,
        id=withdrawn.pk,
        status=withdrawn.status,  # type: ignore[attr-defined]
        status_label=withdrawn.get_status_display(),  # type: ignore[attr-defined]
    )
