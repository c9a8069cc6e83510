"""Front desk: client file and power of attorney (issue 4, rule P8), under /agents/accueil/."""

from django.urls import path

from guichet.interfaces.agents.frontdesk import views

urlpatterns = [
    path("", views.lookup, name="frontdesk_lookup"),
    path("dossier/<int:consultation_id>/", views.client_file, name="frontdesk_file"),
    path(
        "dossier/<int:consultation_id>/procuration/verification/",
        views.power_use,
        name="frontdesk_power_use",
    ),
]
