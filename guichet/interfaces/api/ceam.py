"""/ceam: « Commander une carte européenne d'assurance maladie (CEAM) », its tracking and the
provisional replacement certificate (rules CEAM1-CEAM8), over ceam.services and ceam.selectors."""

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from pydantic import Field

from guichet.ceam import selectors as ceam_selectors
from guichet.ceam import services as ceam_services
from guichet.ceam.models import CeamOrder
from guichet.certificates import services as certificate_services
from guichet.certificates.enums import Channel
from guichet.core.refusals import Refused
from guichet.interfaces.api.errors import INVALID_INPUT, ApiError, responses
from guichet.interfaces.api.params import MAX_ID, ObjectId
from guichet.interfaces.api.schemas import PersonOut, person_out
from guichet.interfaces.api.security import current_user

router = Router(tags=["CEAM"])


class CeamBeneficiaryOut(Schema):
    person: PersonOut
    can_order: bool
    exclusion_code: str = Field(description="Code de l'exclusion (CEAM2-CEAM4) ; vide sinon.")
    exclusion_message: str
    card_valid_until: dt.date | None = Field(description="Fin de validité de la CEAM actuelle.")


class CeamOrderIn(Schema):
    beneficiary_id: int = Field(ge=1, le=MAX_ID)
    departure_on: dt.date | None = Field(
        None,
        description="Date de départ à l'étranger (facultative) : si elle tombe avant la "
        "réception prévue, un certificat provisoire de remplacement est délivré (CEAM7).",
    )


class CeamOrderOut(Schema):
    id: int
    reference: str
    beneficiary: PersonOut
    status: str = Field(description="ordered (commande reçue) ou sent (envoyée).")
    status_label: str
    ordered_at: dt.datetime
    departure_on: dt.date | None
    expected_on: dt.date = Field(description="Date de réception prévue (14 jours, CEAM5).")
    sent_on: dt.date | None
    card_number: str = Field(description="Numéro de la CEAM envoyée ; vide avant l'envoi.")
    card_valid_until: dt.date | None
    certificate_valid_until: dt.date | None = Field(
        description="Fin de validité du certificat provisoire de remplacement, s'il y en a un."
    )
    certificate_pdf_url: str = Field(description="Son PDF (même jeton) ; vide s'il n'y en a pas.")


def order_out(order: CeamOrder) -> CeamOrderOut:
    certificate = order.provisional_certificate
    return CeamOrderOut(
        id=order.pk,
        reference=order.reference,
        beneficiary=person_out(order.beneficiary),
        status=order.status,
        status_label=order.get_status_display(),
        ordered_at=order.ordered_at,
        departure_on=order.departure_on,
        expected_on=order.expected_on,
        sent_on=order.sent_on,
        card_number=order.card.number if order.card else "",
        card_valid_until=order.card.valid_until if order.card else None,
        certificate_valid_until=certificate.valid_until if certificate else None,
        certificate_pdf_url=f"/api/v1/ceam/orders/{order.pk}/certificate" if certificate else "",
    )


@router.get(
    "/ceam/beneficiaries",
    response=responses({200: list[CeamBeneficiaryOut]}, 401),
    summary="Pour qui commander une CEAM",
)
def ceam_beneficiaries(request: HttpRequest) -> list[CeamBeneficiaryOut]:
    user = current_user(request)
    return [
        CeamBeneficiaryOut(
            person=person_out(c.person),
            can_order=c.exclusion is None,
            exclusion_code=c.exclusion.code if c.exclusion else "",
            exclusion_message=c.exclusion.message if c.exclusion else "",
            card_valid_until=c.card_valid_until,
        )
        for c in ceam_selectors.beneficiary_choices(holder=user.person)
    ]


@router.post(
    "/ceam/orders",
    response=responses({201: CeamOrderOut}, 400, 401, 404, 409, 422),
    summary="Commander une carte européenne d'assurance maladie (CEAM)",
)
def ceam_order(request: HttpRequest, payload: CeamOrderIn) -> Status:
    """A beneficiary outside the family: 404; an exclusion (CEAM2-CEAM4): 409 with its code;
    a departure date refused (CEAM7): 422 on the field ``departure_on``."""
    user = current_user(request)
    beneficiary = next(
        (
            c.person
            for c in ceam_selectors.beneficiary_choices(holder=user.person)
            if c.person.pk == payload.beneficiary_id
        ),
        None,
    )
    if beneficiary is None:
        raise Http404
    try:
        order = ceam_services.ceam_order(
            user=user,
            beneficiary=beneficiary,
            departure_on=payload.departure_on,
            channel=Channel.APP,
        )
    except Refused as refused:
        if refused.field == "departure_on":
            raise ApiError(
                422, "invalid_input", INVALID_INPUT, fields={"departure_on": [refused.message]}
            ) from None
        raise ApiError(409, refused.code, refused.message) from None
    return Status(201, order_out(order))


@router.get(
    "/ceam/orders",
    response=responses({200: list[CeamOrderOut]}, 401),
    summary="Suivre mes commandes de CEAM",
)
def ceam_orders(request: HttpRequest) -> list[CeamOrderOut]:
    return [order_out(o) for o in ceam_selectors.user_orders(user=current_user(request))]


@router.get(
    "/ceam/orders/{order_id}/certificate",
    response=responses({}, 401, 404, 422),
    summary="Télécharger le certificat provisoire de remplacement",
    openapi_extra={
        "responses": {
            200: {
                "description": "Le certificat provisoire de remplacement (PDF).",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def ceam_certificate(request: HttpRequest, order_id: ObjectId) -> HttpResponse:
    """Another account's order, or an order without a certificate: 404."""
    user = current_user(request)
    order = ceam_selectors.user_order(user=user, pk=order_id)
    if order is None or order.provisional_certificate is None:
        raise Http404
    issuance = order.provisional_certificate
    content = certificate_services.document_download(
        issuance=issuance, person=user.person, user=user, channel=Channel.APP
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{issuance.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
