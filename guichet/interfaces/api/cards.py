"""/cards: carte Vitale declaration, order with photo and identity document, tracking
(rules V1–V6), over cards.services and cards.selectors."""

import datetime as dt
from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status, UploadedFile
from ninja.params import functions
from pydantic import Field

from guichet.cards import selectors as card_selectors
from guichet.cards import services as card_services
from guichet.cards.models import CardOrder
from guichet.cards.uploads import UploadRejected
from guichet.core.refusals import Refused
from guichet.interfaces.api.errors import INVALID_INPUT, ApiError, responses
from guichet.interfaces.api.params import MAX_ID, ObjectId
from guichet.interfaces.api.schemas import PersonOut, person_out
from guichet.interfaces.api.security import current_user

router = Router(tags=["Carte Vitale"])


class DeclarableCardOut(Schema):
    id: int
    holder: PersonOut
    serial_end: str = Field(description="Les 4 derniers chiffres du numéro de série.")
    issued_on: dt.date


class OrderableOut(Schema):
    person: PersonOut
    can_order: bool
    exclusion_message: str
    reason: str = Field(
        description="Motif de la commande si elle est possible (V2) : lost, stolen, faulty, "
        "visual_change (changement de nom ou de NIR), first_card ; vide sinon."
    )
    reason_label: str


class CardsOut(Schema):
    declarable_cards: list[DeclarableCardOut]
    beneficiaries: list[OrderableOut]


class DeclarationIn(Schema):
    kind: Literal["lost", "stolen", "faulty"] = Field(description="Perte, vol, dysfonctionnement.")


class DeclarationOut(Schema):
    card_id: int
    kind: str
    message: str


class OrderOut(Schema):
    id: int
    beneficiary: PersonOut
    status: str
    status_label: str
    reason: str = Field(description="Motif (V2) : lost, stolen, faulty, visual_change, first_card.")
    reason_label: str
    submitted_at: dt.datetime | None
    expected_on: dt.date | None = Field(description="Date de remise prévue (environ 15 jours).")
    tracking_visible: bool = Field(description="Suivi visible 1 à 2 jours après la commande (V6).")


def order_out(order: CardOrder) -> OrderOut:
    return OrderOut(
        id=order.pk,
        beneficiary=person_out(order.beneficiary),
        status=order.status,
        status_label=order.get_status_display(),
        reason=order.reason,
        reason_label=order.get_reason_display(),
        submitted_at=order.submitted_at,
        expected_on=order.expected_on,
        tracking_visible=card_selectors.is_tracking_visible(order),
    )


@router.get("/cards", response=responses({200: CardsOut}, 401), summary="Mes cartes Vitale")
def cards(request: HttpRequest) -> CardsOut:
    user = current_user(request)
    return CardsOut(
        declarable_cards=[
            DeclarableCardOut(
                id=c.pk,
                holder=person_out(c.person),
                serial_end=c.serial_number[-4:],
                issued_on=c.issued_on,
            )
            for c in card_selectors.declarable_cards(user=user)
        ],
        beneficiaries=[
            OrderableOut(
                person=person_out(b.person),
                can_order=b.exclusion is None,
                exclusion_message=b.exclusion.message if b.exclusion else "",
                reason=b.reason.value if b.reason else "",
                reason_label=b.reason.label if b.reason else "",
            )
            for b in card_selectors.beneficiary_choices(user=user)
        ],
    )


@router.post(
    "/cards/{card_id}/declare",
    response=responses({201: DeclarationOut}, 400, 401, 404, 409, 422),
    summary="Déclarer une perte, un vol ou un dysfonctionnement",
)
def card_declare(request: HttpRequest, card_id: ObjectId, payload: DeclarationIn) -> Status:
    user = current_user(request)
    card = next((c for c in card_selectors.declarable_cards(user=user) if c.pk == card_id), None)
    if card is None:
        raise Http404
    try:
        declaration = card_services.card_declare(user=user, card=card, kind=payload.kind)
    except Refused as refused:
        raise ApiError(409, "card_not_active", refused.message) from None
    return Status(
        201,
        DeclarationOut(
            card_id=card.pk,
            kind=declaration.kind,
            message="Votre déclaration est enregistrée : cette carte Vitale n'est plus valable. "
            "Vous pouvez commander une nouvelle carte Vitale.",
        ),
    )


@router.post(
    "/cards/orders",
    response=responses({201: OrderOut}, 400, 401, 404, 409, 422),
    summary="Commander une carte Vitale",
)
def card_order(
    request: HttpRequest,
    beneficiary_id: Annotated[int, functions.Form(ge=1, le=MAX_ID)],
    document_type: Annotated[
        Literal["identity_card", "passport", "residence_permit"], functions.Form()
    ],
    photo: Annotated[UploadedFile, functions.File(description="Photo d'identité ou selfie.")],
    document: Annotated[UploadedFile, functions.File(description="Pièce d'identité valide.")],
) -> Status:
    """Steps 1–4 of V3 in one multipart request: beneficiary, photo, identity document, « Valider »."""
    user = current_user(request)
    beneficiary = next(
        (
            b.person
            for b in card_selectors.beneficiary_choices(user=user)
            if b.person.pk == beneficiary_id
        ),
        None,
    )
    if beneficiary is None:
        raise Http404
    try:
        order = card_services.card_order_start(user=user, beneficiary=beneficiary)
        try:
            order = card_services.card_order_attach_photo(order=order, upload=photo)
        except UploadRejected as rejected:
            raise ApiError(
                422, "invalid_input", INVALID_INPUT, fields={"photo": [str(rejected)]}
            ) from None
        try:
            order = card_services.card_order_attach_document(
                order=order, document_type=document_type, upload=document
            )
        except UploadRejected as rejected:
            raise ApiError(
                422, "invalid_input", INVALID_INPUT, fields={"document": [str(rejected)]}
            ) from None
        order = card_services.card_order_submit(order=order, user=user)
    except Refused as refused:
        raise ApiError(409, "order_refused", refused.message) from None
    return Status(201, order_out(order))


@router.get(
    "/cards/orders",
    response=responses({200: list[OrderOut]}, 401),
    summary="Suivre mes commandes",
)
def card_orders(request: HttpRequest) -> list[OrderOut]:
    return [order_out(o) for o in card_selectors.tracked_orders(user=current_user(request))]
