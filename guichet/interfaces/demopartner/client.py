"""The demo partner as a relying party of /oidc/: authorization code flow with PKCE S256,
a confidential client, ID token verified against the provider's JWKS, then userinfo.

Everything about the provider comes from its discovery document at GUICHET_SITE_URL, fetched
over HTTP as a partner's server would (runserver answers its own requests on `make run`).
"""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.urls import reverse

from guichet.core import oidc

NAME = "Partenaire de démonstration"
CLIENT_ID = "partenaire-demo"
# A demo secret, printed by seed_demo like the personas' codes: the client exists only when
# GUICHET_DEMO_PARTNER is on, never in production.
CLIENT_SECRET = "partenaire-demo-secret-pas-pour-la-production"  # noqa: S105 (published demo)
SCOPES = ("openid", "given_name", "family_name", "birthdate", "gender", "email")
RANDOM_BYTES = 32  # state, nonce: 43 characters; the PKCE verifier: 64 (RFC 7636: 43 to 128)
HTTP_TIMEOUT = oidc.HTTP_TIMEOUT

# The claims shown to the person, in this order, with their French names.
CLAIM_LABELS = {
    "sub": "Identifiant technique chez ce partenaire (sub)",
    "given_name": "Prénoms",
    "family_name": "Nom de naissance",
    "preferred_username": "Nom d'usage",
    "birthdate": "Date de naissance",
    "gender": "Sexe",
    "email": "Adresse email",
    "acr": "Niveau de garantie (acr)",
}


class PartnerError(Exception):
    """The sign-in cannot go on; the message is shown to the person."""


@dataclass(frozen=True)
class Attempt:
    """What the partner keeps between the redirection and the return (a signed cookie)."""

    state: str
    nonce: str
    verifier: str


@dataclass(frozen=True)
class SignedIn:
    claims: dict
    userinfo: dict
    id_token: str


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def home_uri() -> str:
    return _site() + reverse("demopartner:home")


def redirect_uri() -> str:
    return _site() + reverse("demopartner:callback")


def _get_json(url: str, **kwargs: object) -> dict:
    try:
        return oidc.get_json(url, **kwargs)
    except oidc.ProviderUnreachable as exc:
        raise PartnerError("Le fournisseur d'identité ne répond pas. Réessayez plus tard.") from exc


def provider_metadata() -> dict:
    return _get_json(_site() + reverse("oauth2_provider:oidc-connect-discovery-info"))


def new_attempt() -> Attempt:
    return Attempt(
        state=secrets.token_urlsafe(RANDOM_BYTES),
        nonce=secrets.token_urlsafe(RANDOM_BYTES),
        verifier=secrets.token_urlsafe(48),
    )


def authorization_url(attempt: Attempt) -> str:
    digest = hashlib.sha256(attempt.verifier.encode()).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    query = urlencode(
        {
            "response_type": "code",
            "client_id": CLIENT_ID,
            "redirect_uri": redirect_uri(),
            "scope": " ".join(SCOPES),
            "state": attempt.state,
            "nonce": attempt.nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    return f"{provider_metadata()['authorization_endpoint']}?{query}"


def _verify_id_token(token: str, *, metadata: dict, nonce: str) -> dict:
    try:
        return oidc.verify_jwt(
            token,
            jwks=_get_json(metadata["jwks_uri"]),
            issuer=metadata["issuer"],
            audience=CLIENT_ID,
            nonce=nonce,
            algorithms=("RS256",),
        )
    except (oidc.InvalidToken, KeyError) as exc:
        raise PartnerError("Le jeton d'identité reçu n'est pas valide.") from exc


def sign_in(*, attempt: Attempt, code: str, state: str) -> SignedIn:
    """The return from the provider: check the state, exchange the code (with the PKCE
    verifier and the client secret), verify the ID token, then read userinfo."""
    if not secrets.compare_digest(state, attempt.state):
        raise PartnerError("La réponse ne correspond pas à votre demande de connexion.")
    metadata = provider_metadata()
    try:
        response = requests.post(
            metadata["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri(),
                "code_verifier": attempt.verifier,
            },
            auth=(CLIENT_ID, CLIENT_SECRET),
            timeout=HTTP_TIMEOUT,
        )
        response.raise_for_status()
        tokens = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise PartnerError(
            "Le fournisseur d'identité a refusé la connexion (code déjà utilisé ou expiré). "
            "Recommencez."
        ) from exc
    id_token = str(tokens.get("id_token", ""))
    claims = _verify_id_token(id_token, metadata=metadata, nonce=attempt.nonce)
    userinfo = _get_json(
        metadata["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {tokens.get('access_token', '')}"},
    )
    if userinfo.get("sub") != claims["sub"]:
        raise PartnerError("L'identité transmise est incohérente.")
    return SignedIn(claims=claims, userinfo=userinfo, id_token=id_token)


def logout_url(id_token: str) -> str:
    """RP-initiated logout: the provider ends the account's session, then comes back here."""
    query = urlencode({"id_token_hint": id_token, "post_logout_redirect_uri": home_uri()})
    return f"{_site()}{reverse('oauth2_provider:rp-initiated-logout')}?{query}"
