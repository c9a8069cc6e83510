"""Online power of attorney (issue 4, rules P1–P7).

Included by guichet/interfaces/web/urls.py at the site's root, in the « web » namespace."""

from django.urls import path

from guichet.interfaces.web.powers import views

urlpatterns = [
    path("mes-demarches/procuration/", views.power_start, name="power_start"),
    path("mes-demarches/procuration/mandataire/", views.power_proxy, name="power_proxy"),
    path("mes-demarches/procuration/recapitulatif/", views.power_recap, name="power_recap"),
    path(
        "mes-demarches/procuration/<int:power_id>/validee/",
        views.power_done,
        name="power_done",
    ),
    path(
        "mes-demarches/procuration/<int:power_id>/revoquer/",
        views.power_revoke,
        name="power_revoke",
    ),
]
