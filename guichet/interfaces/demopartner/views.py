"""The demo partner's pages: a home page with the button, the redirection to /oidc/, the return
with the identity received (rule C10). The attempt (state, nonce, PKCE verifier) is kept in a
signed cookie of the partner's own, as a site on another origin would keep it, not in the
account's session."""

import dataclasses
import json

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from guichet.interfaces.demopartner import client

COOKIE = "partenaire_demo"
COOKIE_SALT = "guichet.interfaces.demopartner.attempt"
COOKIE_MAX_AGE = 600  # seconds to sign in at the provider and come back
REFUSED = "access_denied"


def _cookie_path() -> str:
    return reverse("demopartner:home")


def _attempt(request: HttpRequest) -> client.Attempt | None:
    try:
        raw = request.get_signed_cookie(COOKIE, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
    except (KeyError, signing.BadSignature):
        return None
    try:
        return client.Attempt(**json.loads(raw or ""))
    except (ValueError, TypeError):
        return None


def _page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    return render(
        request,
        "demopartner/home.html",
        {"title": client.NAME, "error": error},
        status=status,
    )


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    attempt = client.new_attempt()
    try:
        url = client.authorization_url(attempt)
    except client.PartnerError as exc:
        return _page(request, error=str(exc), status=502)
    response = redirect(url)
    response.set_signed_cookie(
        COOKIE,
        json.dumps(dataclasses.asdict(attempt)),
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        path=_cookie_path(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    error = request.GET.get("error", "")
    attempt = _attempt(request)
    if error == REFUSED:
        response = _page(
            request,
            error="Vous avez refusé de transmettre vos informations : le partenaire ne vous a "
            "pas connecté.",
        )
    elif error or not request.GET.get("code"):
        response = _page(request, error="La connexion n'a pas abouti. Recommencez.", status=400)
    elif attempt is None:
        response = _page(
            request,
            error="Votre demande de connexion a expiré ou n'a pas été faite depuis ce "
            "navigateur. Recommencez.",
            status=400,
        )
    else:
        try:
            signed_in = client.sign_in(
                attempt=attempt, code=request.GET["code"], state=request.GET.get("state", "")
            )
        except client.PartnerError as exc:
            response = _page(request, error=str(exc), status=400)
        else:
            rows = [
                (label, signed_in.userinfo[claim])
                for claim, label in client.CLAIM_LABELS.items()
                if claim in signed_in.userinfo
            ]
            response = render(
                request,
                "demopartner/signed_in.html",
                {
                    "title": f"{client.NAME} : vous êtes connecté",
                    "rows": rows,
                    "id_token_claims": json.dumps(signed_in.claims, indent=2, ensure_ascii=False),
                    "logout_url": client.logout_url(signed_in.id_token),
                },
            )
    # One attempt, one return: a reload starts again.
    response.delete_cookie(COOKIE, path=_cookie_path(), samesite="Lax")
    return response
