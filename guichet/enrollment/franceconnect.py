"""FranceConnect relying party (rule C9): OpenID Connect authorization code flow.

Everything about the provider comes from its discovery document (settings FC_DISCOVERY_URL,
FC_CLIENT_ID, FC_CLIENT_SECRET): the local sandbox and the real service differ by configuration
only. ID tokens and userinfo are signed JWTs checked against the provider's JWKS; only RS256
and ES256 are accepted (never HS256 nor "none").
"""

import datetime as dt
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from django.conf import settings

from guichet.core import oidc

ALLOWED_ALGORITHMS = ("RS256", "ES256")
ACR_VALUES = "eidas1"
SCOPES = "openid given_name family_name birthdate gender birthplace birthcountry email"
RANDOM_BYTES = 32  # token_urlsafe(32): 43 characters for state and nonce
HTTP_TIMEOUT = oidc.HTTP_TIMEOUT


class FranceConnectError(Exception):
    """The provider's answer cannot be trusted or used: the flow stops with a French message."""


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    state: str
    nonce: str


@dataclass(frozen=True)
class Identity:
    sub: str
    given_name: str
    family_name: str
    birthdate: dt.date
    gender: str
    birthplace: str
    birthcountry: str
    email: str
    id_token: str


def is_configured() -> bool:
    return bool(settings.FC_DISCOVERY_URL and settings.FC_CLIENT_ID)


def _get_json(url: str, **kwargs: object) -> dict:
    try:
        return oidc.get_json(url, **kwargs)
    except oidc.ProviderUnreachable as exc:
        raise FranceConnectError("FranceConnect ne répond pas. Réessayez plus tard.") from exc


def provider_metadata() -> dict:
    metadata = _get_json(settings.FC_DISCOVERY_URL)
    required = (
        "issuer",
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
    )
    if any(not metadata.get(key) for key in required):
        raise FranceConnectError("La configuration de FranceConnect est incomplète.")
    return metadata


def authorization_request(*, redirect_uri: str) -> AuthorizationRequest:
    metadata = provider_metadata()
    state = secrets.token_urlsafe(RANDOM_BYTES)
    nonce = secrets.token_urlsafe(RANDOM_BYTES)
    query = urlencode(
        {
            "response_type": "code",
            "client_id": settings.FC_CLIENT_ID,
            "redirect_uri": redirect_uri,
            "scope": SCOPES,
            "acr_values": ACR_VALUES,
            "state": state,
            "nonce": nonce,
        }
    )
    return AuthorizationRequest(f"{metadata['authorization_endpoint']}?{query}", state, nonce)


_TOKEN_MESSAGES = {
    "signature": "La signature de la réponse de FranceConnect est invalide.",
    "algorithm": "Algorithme de signature refusé.",
    "claims": "La réponse de FranceConnect n'est pas valide.",
}


def verify_jwt(token: str, *, jwks: dict, issuer: str, audience: str, nonce: str | None) -> dict:
    """Check signature (RS256/ES256 only), issuer, audience, expiry and, for an ID token, nonce."""
    try:
        return oidc.verify_jwt(
            token,
            jwks=jwks,
            issuer=issuer,
            audience=audience,
            nonce=nonce,
            algorithms=ALLOWED_ALGORITHMS,
        )
    except oidc.InvalidToken as exc:
        raise FranceConnectError(_TOKEN_MESSAGES[exc.reason]) from exc


def identity_from_callback(
    *, code: str, state: str, expected_state: str, nonce: str, redirect_uri: str
) -> Identity:
    """Exchange the code, verify the ID token and the signed userinfo, return the identity."""
    if not expected_state or not secrets.compare_digest(state or "", expected_state):
        raise FranceConnectError("La réponse de FranceConnect ne correspond pas à votre demande.")
    metadata = provider_metadata()
    try:
        response = requests.post(
            metadata["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": settings.FC_CLIENT_ID,
                "client_secret": settings.FC_CLIENT_SECRET,
            },
            timeout=HTTP_TIMEOUT,
        )
        response.raise_for_status()
        tokens = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise FranceConnectError("FranceConnect a refusé la connexion. Réessayez.") from exc
    jwks = _get_json(metadata["jwks_uri"])
    id_token = str(tokens.get("id_token", ""))
    claims = verify_jwt(
        id_token,
        jwks=jwks,
        issuer=metadata["issuer"],
        audience=settings.FC_CLIENT_ID,
        nonce=nonce,
    )
    if claims.get("acr") != ACR_VALUES:
        raise FranceConnectError("Le niveau de garantie de l'identité est insuffisant.")
    try:
        userinfo_response = requests.get(
            metadata["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {tokens.get('access_token', '')}"},
            timeout=HTTP_TIMEOUT,
        )
        userinfo_response.raise_for_status()
    except requests.RequestException as exc:
        raise FranceConnectError("FranceConnect n'a pas transmis votre identité.") from exc
    userinfo = verify_jwt(
        userinfo_response.text.strip(),
        jwks=jwks,
        issuer=metadata["issuer"],
        audience=settings.FC_CLIENT_ID,
        nonce=None,
    )
    if userinfo.get("sub") != claims.get("sub"):
        raise FranceConnectError("L'identité transmise par FranceConnect est incohérente.")
    try:
        birthdate = dt.date.fromisoformat(str(userinfo["birthdate"]))
        return Identity(
            sub=str(userinfo["sub"]),
            given_name=str(userinfo["given_name"]),
            family_name=str(userinfo["family_name"]),
            birthdate=birthdate,
            gender=str(userinfo["gender"]),
            birthplace=str(userinfo.get("birthplace") or ""),
            birthcountry=str(userinfo.get("birthcountry") or ""),
            email=str(userinfo.get("email") or ""),
            id_token=id_token,
        )
    except (KeyError, ValueError) as exc:
        raise FranceConnectError("L'identité transmise par FranceConnect est incomplète.") from exc


def logout_url(*, id_token: str, post_logout_redirect_uri: str) -> str | None:
    """The provider's end-session URL, or None when it has none."""
    metadata = provider_metadata()
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": secrets.token_urlsafe(RANDOM_BYTES),
            "post_logout_redirect_uri": post_logout_redirect_uri,
        }
    )
    return f"{endpoint}?{query}"
