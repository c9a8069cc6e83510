"""Who may open the insured person's pages: a signed-in insured account, and only their own data."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from guichet.core.sessions import EXPIRED_KEY

# What a form sent when the session had just expired is kept to be sent again after the login,
# less what must be typed again: the CSRF token and the code personnel fields.
_NOT_KEPT = {"csrfmiddlewaretoken", "code", "old_password", "new_password1", "new_password2"}


def _keep_expired_post(request: HttpRequest) -> None:
    carry = request.session.get(EXPIRED_KEY)
    if request.method != "POST" or not isinstance(carry, dict):
        return
    fields = [[k, v] for k, values in request.POST.lists() if k not in _NOT_KEPT for v in values]
    carry["post"] = {"path": request.get_full_path(), "fields": fields}
    request.session[EXPIRED_KEY] = carry


def insured_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            _keep_expired_post(request)
            return redirect_to_login(request.get_full_path())
        if not getattr(user, "is_insured", False):
            raise PermissionDenied("Cette page est réservée aux assurés.")
        return view(request, *args, **kwargs)

    return wrapper
