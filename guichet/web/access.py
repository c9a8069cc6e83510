"""Who may open the insured person's pages: a signed-in insured account, and only their own data."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def insured_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not getattr(user, "is_insured", False):
            raise PermissionDenied("Cette page est réservée aux assurés.")
        return view(request, *args, **kwargs)

    return wrapper


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind a proxy, set it in REMOTE_ADDR at the proxy (not trusted here)."""
    return request.META.get("REMOTE_ADDR", "")
