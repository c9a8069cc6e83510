"""« Modifier mes coordonnées bancaires » on the agents' side (rules SIT9, SIT11), beside the
cases under /agents/affaires/ and the client file under /agents/accueil/."""

from django.urls import path

from guichet.interfaces.agents.situation import views

urlpatterns = [
    path("affaires/<int:case_id>/rib/", views.rib, name="bank_change_rib"),
    path(
        "affaires/<int:case_id>/coordonnees-bancaires/",
        views.decide,
        name="bank_change_decide",
    ),
    path(
        "accueil/dossier/<int:consultation_id>/coordonnees-bancaires/",
        views.desk_bank_details,
        name="frontdesk_bank_details",
    ),
]
