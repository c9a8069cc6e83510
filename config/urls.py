from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from guichet.interfaces.api.api import api as api_v1

urlpatterns = [
    path("admin/", admin.site.urls),
    path("agents/", include("guichet.interfaces.agents.urls")),
    path("oidc/", include("guichet.interfaces.idp.urls", namespace="oauth2_provider")),
    path("api/v1/", api_v1.urls),
    path("borne/", include("guichet.interfaces.kiosk.urls")),
    path("", include("guichet.interfaces.web.urls")),
]

if settings.GUICHET_FC_SANDBOX:
    # A local FranceConnect provider for development and tests (rule C9), never in production.
    urlpatterns.insert(
        0, path("sandbox/franceconnect/", include("guichet.interfaces.fcsandbox.urls"))
    )

if settings.GUICHET_DEMO_PARTNER:
    # A partner site that signs in with the account (rule C10), for development only.
    urlpatterns.insert(0, path("partenaire-demo/", include("guichet.interfaces.demopartner.urls")))

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
