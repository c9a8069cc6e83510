"""« Modifier mes coordonnées bancaires » (rules SIT9, SIT11) and « Changement de nom d'usage »
(SIT14) on the agents' side, beside the
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
        "affaires/<int:case_id>/justificatif-nom-usage/",
        views.usage_name_proof,
        name="usage_name_proof",
    ),
    path("affaires/<int:case_id>/nom-usage/", views.usage_name_decide, name="usage_name_decide"),
    path(
        "affaires/<int:case_id>/acte-naissance/",
        views.newborn_certificate,
        name="newborn_certificate",
    ),
    path("affaires/<int:case_id>/nouveau-ne/", views.newborn_decide, name="newborn_decide"),
    path(
        "affaires/<int:case_id>/justificatif-deux-parents/",
        views.other_parent_proof,
        name="other_parent_proof",
    ),
    path(
        "affaires/<int:case_id>/autre-parent/",
        views.other_parent_decide,
        name="other_parent_decide",
    ),
    path(
        "accueil/dossier/<int:consultation_id>/coordonnees-bancaires/",
        views.desk_bank_details,
        name="frontdesk_bank_details",
    ),
]
