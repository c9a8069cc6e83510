"""Only a kiosk enrolled by the IT team opens kiosk pages (docs/decisions/security-kiosk-devices.md).

The kiosk's browser holds the device secret in a long-lived cookie (HttpOnly, Secure outside
development, SameSite=Strict) set by the enrolment page. Every kiosk view but that page is
wrapped in ``kiosk_device_required``: without an active kiosk's secret it answers « Cette
borne n'est pas enregistrée… » (403) and ends any kiosk session. The cookie's life is renewed
whenever the kiosk's use is recorded, so a kiosk in service never loses it.
"""

import datetime as dt
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.interfaces.kiosk import session
from guichet.terminals import services

COOKIE_NAME = "guichet_borne"
# Browsers keep a cookie 400 days at most; it is renewed while the kiosk is used.
COOKIE_MAX_AGE = dt.timedelta(days=400)


def set_device_cookie(response: HttpResponse, secret: str) -> None:
    response.set_cookie(
        COOKIE_NAME,
        secret,
        max_age=int(COOKIE_MAX_AGE.total_seconds()),
        path="/borne/",
        secure=settings.SECURE_COOKIES,
        httponly=True,
        samesite="Strict",
    )


def not_enrolled(request: HttpRequest) -> HttpResponse:
    if request.session.get(session.PERSON_KEY):
        session.end(request)
    response = render(
        request,
        "kiosk/not_enrolled.html",
        {"title": "Borne non enregistrée", "kiosk_idle_seconds": settings.KIOSK_IDLE_SECONDS},
        status=403,
    )
    response["Cache-Control"] = "no-store"
    return response


def kiosk_device_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An enrolled kiosk in service (``request.kiosk_device``), or the « not enrolled » page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        secret = request.COOKIES.get(COOKIE_NAME, "")
        access = services.kiosk_authenticate(secret=secret)
        if access is None:
            return not_enrolled(request)
        request.kiosk_device = access.device  # type: ignore[attr-defined]
        response = view(request, *args, **kwargs)
        if access.use_recorded:
            set_device_cookie(response, secret)
        return response

    return wrapper
