"""Immediate account creation (issue 3, rules C1–C9) and FranceConnect.

Included by guichet/interfaces/web/urls.py at the site's root, in the « web » namespace."""

from django.urls import path

from guichet.interfaces.web.enrollment import views

urlpatterns = [
    path("creer-mon-compte/", views.start, name="enrollment_start"),
    path("creer-mon-compte/carte-vitale/", views.identity, name="enrollment_identity"),
    path(
        "creer-mon-compte/carte-vitale/verification/",
        views.proof,
        name="enrollment_proof",
    ),
    path(
        "creer-mon-compte/autres-solutions/",
        views.ways_out,
        name="enrollment_ways_out",
    ),
    path("creer-mon-compte/compte-existant/", views.existing, name="enrollment_existing"),
    path("creer-mon-compte/code-personnel/", views.code, name="enrollment_code"),
    path(
        "creer-mon-compte/code-personnel/niveau/",
        views.code_strength_json,
        name="enrollment_code_strength",
    ),
    path("creer-mon-compte/coordonnees/", views.contact, name="enrollment_contact"),
    path("creer-mon-compte/validation-email/", views.sent, name="enrollment_sent"),
    path(
        "creer-mon-compte/email/<str:token>/",
        views.confirm,
        name="enrollment_confirm",
    ),
    path("creer-mon-compte/activation/", views.activation, name="enrollment_activation"),
    path(
        "franceconnect/connexion/",
        views.franceconnect_start,
        name="franceconnect_start",
    ),
    path(
        "franceconnect/retour/",
        views.franceconnect_callback,
        name="franceconnect_callback",
    ),
]
