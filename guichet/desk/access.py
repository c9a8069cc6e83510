"""Agent pages are for agent accounts only; some need a given role."""

from collections.abc import Callable, Iterable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from guichet.accounts.enums import AgentRole


def agent_required(
    roles: Iterable[AgentRole] | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    allowed = frozenset(roles) if roles else None

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect(f"/agents/connexion/?next={request.path}")
            if not getattr(user, "is_agent", False):
                raise PermissionDenied("Ces pages sont réservées aux agents de la caisse.")
            if (
                allowed is not None
                and user.agent_role not in allowed
                and user.agent_role != AgentRole.SUPERVISOR
            ):
                raise PermissionDenied("Votre rôle ne donne pas accès à cette page.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
