"""Agent pages are for agent accounts signed in with a second factor; some need a given role.

Signing in takes two steps (docs/decisions/security-agents-second-factor.md): the password
(`desk:login`) keeps the agent *pending* in the session, not logged in; the second factor
(`desk:login_code`) then logs them in with django-otp's verified device. A session without a
verified device (opened before the second factor existed, or by any other way) is closed.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from guichet.accounts.enums import AgentRole
from guichet.accounts.models import User
from guichet.core import clock

PENDING_SESSION_KEY = "desk_pending_agent"
PENDING_LIFETIME = dt.timedelta(minutes=5)


def pending_set(request: HttpRequest, user: User, next_url: str) -> None:
    """After the right password: the agent waits for the second factor, for a few minutes."""
    request.session.cycle_key()
    request.session[PENDING_SESSION_KEY] = {
        "user": user.pk,
        "since": clock.now().isoformat(),
        "next": next_url,
    }


def pending_get(request: HttpRequest) -> tuple[User, str] | None:
    """The agent who gave the right password a moment ago, and where they were going."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(pending, dict):
        return None
    since = dt.datetime.fromisoformat(pending["since"])
    if clock.now() - since > PENDING_LIFETIME:
        del request.session[PENDING_SESSION_KEY]
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None or not user.is_agent:
        return None
    return user, pending["next"]


def pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)


def safe_next(request: HttpRequest, next_url: str) -> str:
    """A local agents' or admin page to go back to, or ""."""
    if next_url.startswith(("/agents/", "/admin/")) and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        return next_url
    return ""


def is_verified(user: object) -> bool:
    """Signed in with a second factor (django-otp's OTPMiddleware sets is_verified)."""
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def _to_login(request: HttpRequest) -> HttpResponse:
    step = "agents:login_code" if pending_get(request) else "agents:login"
    return redirect(f"{reverse(step)}?{urlencode({'next': request.path})}")


def agent_required(
    roles: Iterable[AgentRole] | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    allowed = frozenset(roles) if roles else None

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return _to_login(request)
            if not getattr(user, "is_agent", False):
                raise PermissionDenied("Ces pages sont réservées aux agents de la caisse.")
            if not is_verified(user):
                logout(request)
                return _to_login(request)
            if (
                allowed is not None
                and user.agent_role not in allowed
                and user.agent_role != AgentRole.SUPERVISOR
            ):
                raise PermissionDenied("Votre rôle ne donne pas accès à cette page.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
