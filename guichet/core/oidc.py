"""What every OpenID Connect relying party of the project does the same way.

The FranceConnect client (guichet.enrollment.franceconnect, rule C9) and the demo partner of
/oidc/ (guichet.interfaces.demopartner) fetch the provider's JSON documents and verify its signed JWTs
here; each turns the neutral errors below into its own French message.
"""

import requests
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

HTTP_TIMEOUT = 10
CLOCK_LEEWAY_SECONDS = 60


class ProviderUnreachable(Exception):
    """The provider did not answer, or not with JSON."""


class InvalidToken(Exception):
    """A JWT that cannot be trusted; ``reason`` is "signature", "algorithm" or "claims"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def get_json(url: str, **kwargs: object) -> dict:
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT, **kwargs)  # type: ignore[arg-type]
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnreachable(url) from exc


def verify_jwt(
    token: str,
    *,
    jwks: dict,
    issuer: str,
    audience: str,
    nonce: str | None,
    algorithms: tuple[str, ...],
) -> dict:
    """Check the signature (``algorithms`` only), issuer, audience and, for an ID token
    (``nonce`` given), expiry, nonce and subject."""
    try:
        key_set = KeySet.import_key_set(jwks)  # type: ignore[arg-type]
        decoded = jwt.decode(token, key_set, algorithms=list(algorithms))
    except (JoseError, ValueError, KeyError) as exc:
        raise InvalidToken("signature") from exc
    if decoded.header.get("alg") not in algorithms:
        raise InvalidToken("algorithm")
    options: dict = {
        "iss": {"essential": True, "value": issuer},
        "aud": {"essential": True, "value": audience},
    }
    if nonce is not None:
        options["exp"] = {"essential": True}
        options["nonce"] = {"essential": True, "value": nonce}
        options["sub"] = {"essential": True}
    try:
        JWTClaimsRegistry(leeway=CLOCK_LEEWAY_SECONDS, **options).validate(decoded.claims)
    except JoseError as exc:
        raise InvalidToken("claims") from exc
    return dict(decoded.claims)
