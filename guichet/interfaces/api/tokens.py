"""/auth: sign in with the NIR and the code personnel, refresh, sign out (rule G1)."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field, field_validator

from guichet.accounts import services as account_services
from guichet.apitokens import services as token_services
from guichet.core.http import client_ip
from guichet.interfaces.api.errors import ApiError, responses
from guichet.reference.validators import normalize_nir

router = Router(tags=["Authentification"], auth=None)

NIR_FORMAT_MESSAGE = (
    "Le numéro de sécurité sociale comporte 13 caractères suivis d'une clé de 2 chiffres."
)


class TokenIn(Schema):
    nir: str = Field(
        max_length=21,
        description="Numéro de sécurité sociale (13 caractères et la clé), espaces permis.",
        examples=["2 84 05 75 111 011 04"],  # persona « family-of-four » (docs/personas.md)
    )
    code: str = Field(min_length=1, max_length=50, description="Code personnel.")

    @field_validator("nir")
    @classmethod
    def _nir_format(cls, value: str) -> str:
        nir = normalize_nir(value)
        if len(nir) != 15 or not (nir[:1].isdigit() and nir[7:].isdigit()):
            raise ValueError(NIR_FORMAT_MESSAGE)
        return nir


class RefreshIn(Schema):
    refresh_token: str = Field(min_length=1, max_length=200)


class RevokeIn(Schema):
    token: str = Field(
        min_length=1, max_length=200, description="Le jeton d'accès ou de renouvellement."
    )


class TokenOut(Schema):
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 (the OAuth token type, not a secret)
    access_token: str
    expires_in: int = Field(description="Durée de vie du jeton d'accès, en secondes.")
    access_expires_at: dt.datetime
    refresh_token: str
    refresh_expires_at: dt.datetime


def _out(pair: token_services.TokenPair) -> TokenOut:
    return TokenOut(
        access_token=pair.access_token,
        expires_in=int(token_services.ACCESS_TOKEN_LIFETIME.total_seconds()),
        access_expires_at=pair.access_expires_at,
        refresh_token=pair.refresh_token,
        refresh_expires_at=pair.refresh_expires_at,
    )


@router.post(
    "/token", response=responses({200: TokenOut}, 400, 401, 422, 429), summary="Se connecter"
)
def token_obtain(request: HttpRequest, payload: TokenIn) -> TokenOut:
    """NIR + code personnel, throttled per (NIR, IP) like the web login."""
    ip = client_ip(request)
    result = account_services.insured_authenticate(nir=payload.nir, code=payload.code, ip=ip)
    if result.retry_after is not None:
        raise ApiError(
            429,
            "too_many_attempts",
            result.error,
            headers={"Retry-After": str(max(1, int(result.retry_after.total_seconds())))},
        )
    if result.user is None:
        raise ApiError(401, "invalid_credentials", result.error)
    account_services.user_record_login(user=result.user, ip=ip)
    return _out(token_services.token_pair_issue(user=result.user, ip=ip))


@router.post("/refresh", response=responses({200: TokenOut}, 400, 401, 422), summary="Renouveler")
def token_refresh(request: HttpRequest, payload: RefreshIn) -> TokenOut:
    """A new pair for a refresh token, which can be used only once."""
    try:
        pair = token_services.token_pair_refresh(refresh_token=payload.refresh_token)
    except token_services.RefreshRefused as exc:
        raise ApiError(401, "invalid_refresh_token", exc.message) from None
    return _out(pair)


@router.post("/revoke", response=responses({204: None}, 400, 422), summary="Se déconnecter")
def token_revoke(request: HttpRequest, payload: RevokeIn) -> Status[None]:
    """Revoke the session of an access or refresh token; always 204 (RFC 7009)."""
    token_services.token_family_revoke(token=payload.token)
    return Status(204, None)
