import base64
import binascii
import datetime as dt
import json
import math
from urllib.parse import unquote_plus

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from oauth2_provider import views as dot_views

from guichet.core import throttle
from guichet.core.http import client_ip
from guichet.interfaces.idp.scopes import ACR

# Client secret failures (issue 13, docs/decisions/security-identity-provider.md): counted per
# client_id (a distributed guess) and per address; past the limit, a cool-off only.
CLIENT_FAILURE_LIMIT = 20
IP_FAILURE_LIMIT = 10
FAILURE_WINDOW = dt.timedelta(minutes=15)
CLIENT_FAILURE_COOL_OFF = dt.timedelta(minutes=15)


class InsuredAuthorizationView(dot_views.AuthorizationView):
    """The consent screen: only an active insured account can lend its identity (rule C10)."""

    template_name = "oauth2_provider/authorize.html"

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not (getattr(user, "is_insured", False) and user.is_active):
            raise PermissionDenied("Seuls les assurés peuvent se connecter à un autre site.")
        return super().dispatch(request, *args, **kwargs)


def _client_ids(request: HttpRequest) -> list[str]:
    """The client_ids the caller may authenticate as: the toolkit tries HTTP Basic, then the
    body, so both are counted (a bogus Basic header must not hide a guess in the body)."""
    ids = [request.POST.get("client_id", "")]
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme == "Basic":
        try:
            decoded = base64.b64decode(credentials).decode()
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        if ":" in decoded:
            ids.insert(0, unquote_plus(decoded.split(":", 1)[0]))
    return list(dict.fromkeys(ids))


class ClientThrottleMixin:
    """Refuse (429) a caller whose client_id or address failed its client authentication too
    often; count each failure (``invalid_client``, 401). Successes are not counted."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        keys = [(throttle.make_key("oidc-client-ip", client_ip(request)), IP_FAILURE_LIMIT)]
        keys += [
            (throttle.make_key("oidc-client-id", client_id), CLIENT_FAILURE_LIMIT)
            for client_id in _client_ids(request)
        ]
        for key, _limit in keys:
            state = throttle.check(key)
            if not state.allowed:
                return self._throttled(state.retry_after or CLIENT_FAILURE_COOL_OFF)
        response = super().post(request, *args, **kwargs)  # type: ignore[misc]
        if response.status_code == 401:
            for key, limit in keys:
                # hit() blocks once the count passes its limit: the limit-th failure blocks,
                # so that attempt limit + 1 is the first one refused.
                throttle.hit(
                    key, limit=limit - 1, window=FAILURE_WINDOW, cool_off=CLIENT_FAILURE_COOL_OFF
                )
        return response

    def _throttled(self, retry_after: dt.timedelta) -> JsonResponse:
        response = JsonResponse(
            {
                "error": "temporarily_unavailable",
                "error_description": "Trop d'échecs d'authentification du client. Réessayez dans "
                f"{throttle.wait_in_minutes(retry_after)}.",
            },
            status=429,
        )
        response["Retry-After"] = str(math.ceil(retry_after.total_seconds()))
        response["Cache-Control"] = "no-store"
        return response


class TokenView(ClientThrottleMixin, dot_views.TokenView):
    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        # An error raised while the tokens are saved (a replay racing the exchange) comes back
        # from the toolkit without oauthlib's JSON headers.
        if response.status_code == 400 and response["Content-Type"].startswith("text/html"):
            response["Content-Type"] = "application/json"
            response["Cache-Control"] = "no-store"
        return response


class RevokeTokenView(ClientThrottleMixin, dot_views.RevokeTokenView):
    pass


class DiscoveryView(dot_views.ConnectDiscoveryInfoView):
    """The discovery document, advertising only what the provider accepts (guichet.interfaces.idp.server
    and guichet.interfaces.idp.validator): the code flow, PKCE S256, ID tokens signed RS256, pairwise `sub`
    (guichet.interfaces.idp.subjects)."""

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        data = json.loads(super().get(request, *args, **kwargs).content)
        data.update(
            {
                "response_types_supported": ["code"],
                "response_modes_supported": ["query"],
                "subject_types_supported": ["pairwise"],
                "grant_types_supported": ["authorization_code", "refresh_token"],
                "code_challenge_methods_supported": ["S256"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
                "revocation_endpoint": self._get_endpoint_url(request, "revoke-token"),
                "revocation_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
                "acr_values_supported": [ACR],
            }
        )
        response = JsonResponse(data)
        response["Access-Control-Allow-Origin"] = "*"
        return response
