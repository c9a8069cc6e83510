"""/oidc/: discovery, JWKS, authorize (consent), token, revocation, userinfo, logout. No client
self-service: relying parties are registered by the fund in the admin."""

from django.urls import path, re_path
from oauth2_provider.urls import oidc_urlpatterns

from guichet.interfaces.idp import views

app_name = "oauth2_provider"

DISCOVERY = "oidc-connect-discovery-info"

urlpatterns = [
    path("authorize/", views.InsuredAuthorizationView.as_view(), name="authorize"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
    re_path(
        r"^\.well-known/openid-configuration/?$", views.DiscoveryView.as_view(), name=DISCOVERY
    ),
    *[pattern for pattern in oidc_urlpatterns if pattern.name != DISCOVERY],
]
