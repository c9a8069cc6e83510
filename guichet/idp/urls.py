"""/oidc/: discovery, JWKS, authorize (consent), token, userinfo, logout. No client self-service:
relying parties are registered by the fund in the admin."""

from django.urls import path
from oauth2_provider import views as dot_views
from oauth2_provider.urls import oidc_urlpatterns

from guichet.idp.views import InsuredAuthorizationView

app_name = "oauth2_provider"

urlpatterns = [
    path("authorize/", InsuredAuthorizationView.as_view(), name="authorize"),
    path("token/", dot_views.TokenView.as_view(), name="token"),
    path("revoke_token/", dot_views.RevokeTokenView.as_view(), name="revoke-token"),
    *oidc_urlpatterns,
]
