"""/complementary/choice: the choice between overlapping complementary insurers (rules O1–O6),
over complementary.services and complementary.selectors."""

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from guichet.complementary import rules as complementary_rules
from guichet.complementary import selectors as complementary_selectors
from guichet.complementary import services as complementary_services
from guichet.complementary.models import ChoiceRequest
from guichet.core import clock
from guichet.core.refusals import Refused
from guichet.interfaces.api.errors import ApiError, responses
from guichet.interfaces.api.schemas import PersonOut, person_out
from guichet.interfaces.api.security import current_user
from guichet.reference import selectors as reference_selectors

router = Router(tags=["Complémentaire santé"])

BLOCKED = (
    "La transmission automatique des remboursements vers votre complémentaire est bloquée. "
    "Sélectionnez l'une de vos complémentaires pour l'activer."
)
SENT = "Votre choix a bien été envoyé !"
OTHER_HIDDEN = (
    "L'autre organisme complémentaire ne sera plus visible dans votre compte ameli sous 7 jours."
)
MAX_ID = 2**63 - 1


class ContractChoiceOut(Schema):
    id: int
    insurer_name: str
    member_number: str = Field(description="« N° adhérent ».")
    start_date: dt.date = Field(description="« Contrat du … ».")


class BeneficiaryChoiceOut(Schema):
    person: PersonOut
    contracts: list[ContractChoiceOut]


class PendingRequestOut(Schema):
    requested_at: dt.datetime
    message: str = Field(
        description="« DEMANDE EN COURS — Demande faite le … — traité sous 7 jours »."
    )


class SituationOut(Schema):
    choice_pending: bool = Field(description="Règle O2 : le choix est à faire maintenant.")
    message: str
    exclusion_message: str = Field(description="Règle O4 : pourquoi le choix n'est pas en ligne.")
    beneficiaries: list[BeneficiaryChoiceOut]
    pending_request: PendingRequestOut | None


class ChoiceItem(Schema):
    beneficiary_id: int = Field(ge=1, le=MAX_ID)
    contract_id: int = Field(ge=1, le=MAX_ID, description="Le contrat conservé.")


class ChoiceIn(Schema):
    choices: list[ChoiceItem] = Field(
        min_length=1, max_length=10, description="Un choix par bénéficiaire concerné, en une fois."
    )


class ChoiceSentOut(Schema):
    message: str
    pending_request: PendingRequestOut


def _pending_out(request: ChoiceRequest) -> PendingRequestOut:
    day = request.requested_at.astimezone(clock.PARIS).date()
    return PendingRequestOut(
        requested_at=request.requested_at,
        message=f"DEMANDE EN COURS — Demande faite le {day:%d/%m/%Y} — traité sous 7 jours",
    )


@router.get(
    "/complementary/choice",
    response=responses({200: SituationOut}, 401),
    summary="Chevauchement de complémentaires",
)
def situation(request: HttpRequest) -> SituationOut:
    person = current_user(request).person
    current = complementary_selectors.situation(family_id=person.family_id)
    exclusion = (
        f"{current.exclusion.message} {complementary_rules.EXCLUSION_ADVICE}"
        if current.exclusion is not None
        else ""
    )
    return SituationOut(
        choice_pending=current.choice_pending,
        message=BLOCKED if current.choice_pending else "",
        exclusion_message=exclusion,
        beneficiaries=[
            BeneficiaryChoiceOut(
                person=person_out(b.person),
                contracts=[
                    ContractChoiceOut(
                        id=c.pk,
                        insurer_name=c.insurer.name,
                        member_number=c.member_number,
                        start_date=c.start_date,
                    )
                    for c in b.contracts
                ],
            )
            for b in current.beneficiaries
        ],
        pending_request=_pending_out(current.pending_request) if current.pending_request else None,
    )


@router.post(
    "/complementary/choice",
    response=responses({201: ChoiceSentOut}, 400, 401, 404, 409, 422),
    summary="Confirmer mon choix de complémentaire",
)
def choice_submit(request: HttpRequest, payload: ChoiceIn) -> Status[ChoiceSentOut]:
    """All beneficiaries at once (O3); opens the case for the back office (O6)."""
    user = current_user(request)
    for item in payload.choices:
        if (
            reference_selectors.family_member(
                family_id=user.person.family_id, person_id=item.beneficiary_id
            )
            is None
        ):
            raise Http404
    try:
        sent = complementary_services.choice_request_submit(
            user=user, choices={c.beneficiary_id: c.contract_id for c in payload.choices}
        )
    except Refused as refused:
        raise ApiError(409, "choice_refused", refused.message) from None
    return Status(
        201, ChoiceSentOut(message=f"{SENT} {OTHER_HIDDEN}", pending_request=_pending_out(sent))
    )
