"""CEAM pages (rules CEAM1-CEAM8), included under /mes-demarches/ceam/."""

from django.urls import path

from guichet.interfaces.web.ceam import views as views_ceam

urlpatterns = [
    path("commander/", views_ceam.ceam_order, name="ceam_order"),
    path("commande/<int:pk>/", views_ceam.ceam_confirmation, name="ceam_confirmation"),
    path(
        "commande/<int:pk>/certificat-provisoire/",
        views_ceam.ceam_certificate,
        name="ceam_certificate",
    ),
    path("suivi/", views_ceam.ceam_tracking, name="ceam_tracking"),
]
