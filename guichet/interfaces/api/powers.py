"""/powers: give, show, revoke an online power of attorney (rules P3–P7), over powers.services."""

import datetime as dt
import uuid
from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field, field_validator

from guichet.core import clock
from guichet.interfaces.api.errors import INVALID_INPUT, ApiError, responses
from guichet.interfaces.api.params import ObjectId
from guichet.interfaces.api.schemas import PersonName, domain_check
from guichet.interfaces.api.security import current_user
from guichet.powers import rules as power_rules
from guichet.powers import selectors as power_selectors
from guichet.powers import services as power_services
from guichet.powers.models import PowerOfAttorney
from guichet.powers.validators import validate_proxy_birth_year

router = Router(tags=["Procuration"])

CERTIFY_REQUIRED = "Cochez « Je certifie l'exactitude des éléments déclarés » pour valider."


class PowerIn(Schema):
    """Step 1 « Le mandataire » and step 2's certification, in one request (rules P3–P5)."""

    civility: Literal["M", "MME"] = Field(description="Civilité du mandataire.")
    last_name: PersonName = Field(min_length=1, max_length=100)
    usage_name: PersonName = Field("", max_length=100)
    first_name: PersonName = Field(min_length=1, max_length=100)
    birth_date: Annotated[dt.date, domain_check(validate_proxy_birth_year)] = Field(
        description="Date de naissance du mandataire (18 ans révolus)."
    )
    certify: bool = Field(description="« Je certifie l'exactitude des éléments déclarés ».")
    idempotency_key: uuid.UUID = Field(
        description="Identifiant choisi par l'application pour cette demande : la renvoyer "
        "(réseau coupé, double appui) ne crée pas une seconde procuration."
    )

    @field_validator("last_name", "first_name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Ce champ est obligatoire.")
        return value


class PowerOut(Schema):
    id: int
    status: str = Field(description="active, revoked ou expired.")
    status_label: str
    proxy_civility: str
    proxy_last_name: str
    proxy_usage_name: str
    proxy_first_name: str
    proxy_birth_date: dt.date
    created_at: dt.datetime
    valid_until: dt.datetime
    ended_at: dt.datetime | None
    summary: str = Field(description="« Accordée à M. DUPONT - jusqu'au JJ/MM/AAAA ».")


class CurrentPowerOut(Schema):
    power: PowerOut | None
    message: str = Field(description="Le texte de « Mes démarches » (règle P7).")


def power_out(power: PowerOfAttorney) -> PowerOut:
    until = power.valid_until.astimezone(clock.PARIS).date()
    name = power.proxy_usage_name or power.proxy_last_name
    return PowerOut(
        id=power.pk,
        status=power.status,
        status_label=power.get_status_display(),
        proxy_civility=power.proxy_civility,
        proxy_last_name=power.proxy_last_name,
        proxy_usage_name=power.proxy_usage_name,
        proxy_first_name=power.proxy_first_name,
        proxy_birth_date=power.proxy_birth_date,
        created_at=power.created_at,
        valid_until=power.valid_until,
        ended_at=power.ended_at,
        summary=f"Accordée à {power.get_proxy_civility_display()} {name.upper()} - "
        f"jusqu'au {until:%d/%m/%Y}",
    )


@router.post(
    "/powers",
    response=responses({201: PowerOut}, 400, 401, 422),
    summary="Donner une procuration",
)
def power_give(request: HttpRequest, payload: PowerIn) -> Status[PowerOut]:
    """Effective at once for one month; replaces a power in force (rules P4–P6)."""
    if not payload.certify:
        raise ApiError(422, "invalid_input", INVALID_INPUT, fields={"certify": [CERTIFY_REQUIRED]})
    age = power_rules.proxy_birth_date_refusal(payload.birth_date, clock.today())
    if age is not None:
        raise ApiError(
            422,
            "invalid_input",
            f"{INVALID_INPUT} {age.message}",
            fields={"birth_date": [age.message]},
        )
    user = current_user(request)
    try:
        power = power_services.power_give(
            grantor=user.person,
            by=user,
            proxy=power_services.ProxyIdentity(
                civility=payload.civility,
                last_name=payload.last_name,
                usage_name=payload.usage_name,
                first_name=payload.first_name,
                birth_date=payload.birth_date,
            ),
            idempotency_key=payload.idempotency_key,
        )
    except power_services.PowerRefused as refusal:
        raise ApiError(422, "invalid_input", refusal.message) from None
    return Status(201, power_out(power))


@router.get(
    "/powers/current",
    response=responses({200: CurrentPowerOut}, 401),
    summary="Procuration en cours",
)
def power_current(request: HttpRequest) -> CurrentPowerOut:
    power = power_selectors.current_power(person=current_user(request).person)
    if power is None:
        return CurrentPowerOut(power=None, message="Vous n'avez pas de procuration en cours.")
    until = power.valid_until.astimezone(clock.PARIS).date()
    return CurrentPowerOut(
        power=power_out(power),
        message="Vous avez actuellement une procuration en cours. "
        f"Elle est valable jusqu'au {until:%d/%m/%Y}.",
    )


@router.get("/powers", response=responses({200: list[PowerOut]}, 401), summary="Historique")
def power_list(request: HttpRequest) -> list[PowerOut]:
    person = current_user(request).person
    return [power_out(p) for p in power_selectors.power_history(person=person)]


@router.post(
    "/powers/{power_id}/revoke",
    response=responses({200: PowerOut}, 401, 404, 409, 422),
    summary="Révoquer",
)
def power_revoke(request: HttpRequest, power_id: ObjectId) -> PowerOut:
    """« Révocation de procuration » (rule P7); another person's power answers 404."""
    user = current_user(request)
    if power_selectors.power_for(person=user.person, power_id=power_id) is None:
        raise Http404
    try:
        power = power_services.power_revoke(power_id=power_id, grantor=user.person, by=user)
    except power_services.PowerNotUsable as refusal:
        raise ApiError(409, "power_not_active", refusal.message) from None
    return power_out(power)
