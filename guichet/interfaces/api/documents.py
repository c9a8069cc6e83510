"""/documents: « Mes documents » of the app (rules A1–A7), over certificates.services."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.params import functions
from pydantic import Field, field_validator

from guichet.certificates import selectors as certificate_selectors
from guichet.certificates import services as certificate_services
from guichet.certificates.enums import Channel, Mention, Outcome
from guichet.certificates.models import Issuance
from guichet.interfaces.api.errors import ApiError, invalid_fields, responses
from guichet.interfaces.api.schemas import AddressLine, PostalCode
from guichet.interfaces.api.security import current_user
from guichet.reference import selectors as reference_selectors
from guichet.situation import services as situation_services

router = Router(tags=["Mes documents"])

DocumentReference = Annotated[
    str, functions.Path(pattern=r"^[A-Za-z0-9-]{1,40}$", description="Référence du document.")
]

APP_CHANNEL = Channel.APP  # each issuance and download records the app as its channel


class DocumentOut(Schema):
    reference: str
    kind: str = Field(description="rights, daily_allowance, monthly ou tax.")
    kind_label: str
    issued_at: dt.datetime
    valid_until: dt.date | None
    pdf_url: str = Field(description="Téléchargement du PDF (même jeton d'accès).")


class RightsIn(Schema):
    beneficiary_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="Un bénéficiaire ; absent : toute la famille."
    )
    mentions: list[Mention] = Field(
        default_factory=list, description="Mentions facultatives : etm, css (si applicables)."
    )


class PeriodIn(Schema):
    start: dt.date
    end: dt.date


class MonthIn(Schema):
    month: dt.date = Field(description="Le premier jour du mois, par exemple 2026-10-01.")


class AddressIn(Schema):
    """« Je renseigne ma nouvelle adresse » (rule A4)."""

    line1: AddressLine = Field(
        min_length=1, max_length=200, description="Numéro et libellé de la voie."
    )
    line2: AddressLine = Field("", max_length=200, description="Complément d'adresse.")
    postal_code: PostalCode = Field(description="Code postal, 5 chiffres.")
    city: AddressLine = Field(min_length=1, max_length=100)

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


def document_out(issuance: Issuance) -> DocumentOut:
    return DocumentOut(
        reference=issuance.reference,
        kind=issuance.kind,
        kind_label=issuance.get_kind_display(),
        issued_at=issuance.issued_at,
        valid_until=issuance.valid_until,
        pdf_url=f"/api/v1/documents/{issuance.reference}/pdf",
    )


def _conclude(run) -> Status[DocumentOut]:
    """A4's outcomes: issued (201), address to give or cannot be issued (409), not offered (403)."""
    try:
        result = run()
    except certificate_services.NotOffered as refusal:
        raise ApiError(403, "not_offered", refusal.message) from None
    if result.outcome == Outcome.ADDRESS_UNKNOWN:
        raise ApiError(409, "address_unknown", result.message)
    if result.outcome == Outcome.CANNOT_ISSUE:
        raise ApiError(409, "cannot_issue", result.message)
    return Status(201, document_out(result.issuance))


ISSUE_ERRORS = (400, 401, 403, 409, 422)


@router.get("/documents", response=responses({200: list[DocumentOut]}, 401), summary="Liste")
def documents(request: HttpRequest) -> list[DocumentOut]:
    """Every document already issued: each can be downloaded again (rule A5)."""
    person = current_user(request).person
    return [document_out(i) for i in certificate_selectors.issuances_of(person=person)]


@router.post(
    "/documents/rights",
    response=responses({201: DocumentOut}, *ISSUE_ERRORS, 404),
    summary="Attestation de droits",
)
def rights_certificate(request: HttpRequest, payload: RightsIn) -> Status[DocumentOut]:
    user = current_user(request)
    person = user.person
    beneficiary_id = payload.beneficiary_id
    if beneficiary_id is not None and (  # a child attached from another family too (SIT29)
        reference_selectors.family_beneficiary(family_id=person.family_id, person_id=beneficiary_id)
        is None
    ):
        raise Http404
    return _conclude(
        lambda: certificate_services.rights_certificate_issue(
            person=person,
            user=user,
            channel=APP_CHANNEL,
            beneficiary_id=beneficiary_id,
            mentions=[str(m) for m in payload.mentions],
        )
    )


@router.post(
    "/documents/daily-allowance",
    response=responses({201: DocumentOut}, *ISSUE_ERRORS),
    summary="Attestation d'indemnités journalières",
)
def daily_allowance_certificate(request: HttpRequest, payload: PeriodIn) -> Status[DocumentOut]:
    user = current_user(request)
    return _conclude(
        lambda: certificate_services.daily_allowance_certificate_issue(
            person=user.person, user=user, channel=APP_CHANNEL, start=payload.start, end=payload.end
        )
    )


@router.post(
    "/documents/monthly",
    response=responses({201: DocumentOut}, *ISSUE_ERRORS),
    summary="Relevé mensuel",
)
def monthly_statement(request: HttpRequest, payload: MonthIn) -> Status[DocumentOut]:
    user = current_user(request)
    return _conclude(
        lambda: certificate_services.monthly_statement_issue(
            person=user.person, user=user, channel=APP_CHANNEL, month=payload.month
        )
    )


@router.post(
    "/documents/tax",
    response=responses({201: DocumentOut}, 401, 403, 409),
    summary="Relevé fiscal",
)
def tax_statement(request: HttpRequest) -> Status[DocumentOut]:
    user = current_user(request)
    return _conclude(
        lambda: certificate_services.tax_statement_issue(
            person=user.person, user=user, channel=APP_CHANNEL
        )
    )


@router.get(
    "/documents/{reference}/pdf",
    response=responses({}, 401, 404, 422),
    summary="Télécharger le PDF",
    openapi_extra={
        "responses": {
            200: {
                "description": "Le document PDF.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def document_pdf(request: HttpRequest, reference: DocumentReference) -> HttpResponse:
    """The PDF, for the insured who asked for it only (others: 404); each download recorded."""
    user = current_user(request)
    issuance = certificate_selectors.issuance_for_owner(reference=reference, person=user.person)
    if issuance is None:
        raise Http404
    content = certificate_services.document_download(
        issuance=issuance, person=user.person, user=user, channel=APP_CHANNEL
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{issuance.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/documents/address",
    response=responses({200: AddressOut}, 400, 401, 422),
    summary="Renseigner ma nouvelle adresse",
)
def address_update(request: HttpRequest, payload: AddressIn) -> AddressOut:
    """The new postal address replaces the old one (and clears « NPAI »); then ask again.
    The same service as PUT /situation/address (rules SIT1, SIT2)."""
    user = current_user(request)
    try:
        person = situation_services.person_address_change(
            person=user.person,
            user=user,
            line1=payload.line1,
            line2=payload.line2.strip(),
            postal_code=payload.postal_code,
            city=payload.city,
        )
    except ValidationError as invalid:
        raise invalid_fields(invalid) from None
    return AddressOut(
        line1=person.address_line1,
        line2=person.address_line2,
        postal_code=person.postal_code,
        city=person.city,
    )
