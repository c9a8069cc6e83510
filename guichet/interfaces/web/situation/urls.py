"""« Déclarer un changement de situation » (rule G3), under « Mes démarches »."""

from django.urls import path

from guichet.interfaces.web.situation import views

urlpatterns = [
    path("mes-demarches/changement-adresse/", views.address, name="situation_address"),
    path(
        "mes-demarches/changement-adresse/enregistree/",
        views.address_done,
        name="situation_address_done",
    ),
    path(
        "mes-demarches/coordonnees-bancaires/",
        views.bank_details,
        name="situation_bank_details",
    ),
    path("mes-demarches/nom-usage/", views.usage_name, name="situation_usage_name"),
    path("mes-demarches/nouveau-ne/", views.newborn, name="situation_newborn"),
    path(
        "mes-demarches/carte-autre-parent/",
        views.other_parent,
        name="situation_other_parent",
    ),
    path(
        "mes-demarches/demandes/<str:kind>/<int:request_id>/annuler/",
        views.withdraw,
        name="situation_withdraw",
    ),
]
