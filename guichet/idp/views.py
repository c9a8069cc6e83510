from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from oauth2_provider.views import AuthorizationView


class InsuredAuthorizationView(AuthorizationView):
    """The consent screen: only an active insured account can lend its identity (rule C10)."""

    template_name = "oauth2_provider/authorize.html"

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not (getattr(user, "is_insured", False) and user.is_active):
            raise PermissionDenied("Seuls les assurés peuvent se connecter à un autre site.")
        return super().dispatch(request, *args, **kwargs)
