"""A local OpenID Connect provider that behaves like FranceConnect (development and tests only).

Discovery, authorize (a page to pick a test identity), token, userinfo (a signed JWT, like
FranceConnect v2), JWKS and end_session. Mounted only when GUICHET_FC_SANDBOX is true.
"""

import datetime as dt
import secrets
import time
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from joserfc import jwt

from guichet.core import clock
from guichet.interfaces.fcsandbox.identities import IDENTITIES
from guichet.interfaces.fcsandbox.keys import public_jwks, signing_key
from guichet.interfaces.fcsandbox.models import Grant

CODE_LIFETIME = dt.timedelta(seconds=60)
TOKEN_LIFETIME = dt.timedelta(seconds=60)
SUPPORTED_ACR = ("eidas1",)


def _issuer(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("fcsandbox:root")).rstrip("/")


def _url(request: HttpRequest, name: str) -> str:
    return request.build_absolute_uri(reverse(f"fcsandbox:{name}"))


@require_GET
def discovery(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "issuer": _issuer(request),
            "authorization_endpoint": _url(request, "authorize"),
            "token_endpoint": _url(request, "token"),
            "userinfo_endpoint": _url(request, "userinfo"),
            "jwks_uri": _url(request, "jwks"),
            "end_session_endpoint": _url(request, "end_session"),
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "userinfo_signing_alg_values_supported": ["RS256"],
            "acr_values_supported": list(SUPPORTED_ACR),
            "scopes_supported": [
                "openid",
                "given_name",
                "family_name",
                "birthdate",
                "gender",
                "birthplace",
                "birthcountry",
                "email",
            ],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
        }
    )


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse(public_jwks())


def _registered(uri: str, registered: list[str]) -> bool:
    """Only a URI registered for the client, compared exactly, as FranceConnect does (issue 13):
    no parsing, so no userinfo, port, path, query, fragment or case trick gets through."""
    return uri in registered


@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    client_id = params.get("client_id", "")
    redirect_uri = params.get("redirect_uri", "")
    if client_id != settings.FC_CLIENT_ID or not _registered(
        redirect_uri, settings.FC_SANDBOX_REDIRECT_URIS
    ):
        return HttpResponseBadRequest("Client ou adresse de retour inconnus du bac à sable.")
    if params.get("response_type") != "code" or "openid" not in params.get("scope", "").split():
        return HttpResponseBadRequest(
            "Seul le flux « authorization code » avec openid est accepté."
        )
    acr = params.get("acr_values", "")
    state, nonce = params.get("state", ""), params.get("nonce", "")
    if acr not in SUPPORTED_ACR or len(state) < 32 or len(nonce) < 32:
        return HttpResponseBadRequest("acr_values, state ou nonce manquant ou trop court.")
    if request.method == "POST" and params.get("identity") in IDENTITIES:
        grant = Grant.objects.create(
            code=secrets.token_urlsafe(32),
            identity=params["identity"],
            client_id=client_id,
            redirect_uri=redirect_uri,
            nonce=nonce,
            acr=acr,
        )
        return redirect(f"{redirect_uri}?{urlencode({'code': grant.code, 'state': state})}")
    hidden = {
        k: params.get(k, "")
        for k in ("client_id", "redirect_uri", "scope", "acr_values", "state", "nonce")
    }
    hidden["response_type"] = "code"
    return render(
        request,
        "fcsandbox/authorize.html",
        {"identities": IDENTITIES, "hidden": hidden, "title": "Bac à sable FranceConnect"},
    )


def _sign(claims: dict) -> str:
    key = signing_key()
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key, algorithms=["RS256"])


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> JsonResponse:
    if request.POST.get("client_id") != settings.FC_CLIENT_ID or not secrets.compare_digest(
        request.POST.get("client_secret", ""), settings.FC_CLIENT_SECRET
    ):
        return JsonResponse({"error": "invalid_client"}, status=401)
    now = clock.now()
    code = request.POST.get("code", "")
    # Single use: the code is claimed by a conditional UPDATE.
    claimed = Grant.objects.filter(
        code=code,
        code_used_at__isnull=True,
        created_at__gt=now - CODE_LIFETIME,
        redirect_uri=request.POST.get("redirect_uri", ""),
        client_id=request.POST.get("client_id", ""),
    ).update(
        code_used_at=now,
        access_token=secrets.token_urlsafe(32),
        token_expires_at=now + TOKEN_LIFETIME,
    )
    if not claimed:
        return JsonResponse({"error": "invalid_grant"}, status=400)
    grant = Grant.objects.get(code=code)
    issued = int(time.time())
    id_token = _sign(
        {
            "iss": _issuer(request),
            "aud": grant.client_id,
            "sub": f"sandbox-{grant.identity}",
            "iat": issued,
            "exp": issued + int(TOKEN_LIFETIME.total_seconds()),
            "nonce": grant.nonce,
            "acr": grant.acr,
            "amr": ["pwd"],
        }
    )
    return JsonResponse(
        {
            "access_token": grant.access_token,
            "token_type": "Bearer",
            "expires_in": int(TOKEN_LIFETIME.total_seconds()),
            "id_token": id_token,
        }
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def userinfo(request: HttpRequest) -> HttpResponse:
    header = request.headers.get("Authorization", "")
    access = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    grant = (
        Grant.objects.filter(access_token=access, token_expires_at__gt=clock.now()).first()
        if access
        else None
    )
    if grant is None:
        return JsonResponse({"error": "invalid_token"}, status=401)
    claims = {
        "iss": _issuer(request),
        "aud": grant.client_id,
        "sub": f"sandbox-{grant.identity}",
        **{k: v for k, v in IDENTITIES[grant.identity].items() if k != "preferred_username"},
    }
    return HttpResponse(_sign(claims), content_type="application/jwt")


@require_GET
def end_session(request: HttpRequest) -> HttpResponse:
    target = request.GET.get("post_logout_redirect_uri", "")
    if not request.GET.get("id_token_hint") or not _registered(
        target, settings.FC_SANDBOX_POST_LOGOUT_REDIRECT_URIS
    ):
        return HttpResponseBadRequest("id_token_hint ou adresse de retour manquants.")
    # The sandbox keeps no session of its own: ending it only invalidates pending tokens.
    Grant.objects.filter(token_expires_at__gt=clock.now()).update(token_expires_at=F("created_at"))
    state = request.GET.get("state", "")
    separator = "&" if "?" in target else "?"
    return redirect(f"{target}{separator}{urlencode({'state': state})}" if state else target)


@require_GET
def root(request: HttpRequest) -> HttpResponse:
    return redirect("fcsandbox:discovery")
