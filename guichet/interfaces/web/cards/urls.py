"""Carte Vitale pages (issue 7, rules V1-V6), included under /mes-demarches/carte-vitale/."""

from django.urls import path

from guichet.interfaces.web.cards import views as views_cards

urlpatterns = [
    path("declarer/", views_cards.card_declare, name="card_declare"),
    path("declaration/<int:pk>/", views_cards.card_declared, name="card_declared"),
    path("commander/", views_cards.card_order_start, name="card_order_start"),
    path("commande/<int:pk>/photo/", views_cards.card_order_photo, name="card_order_photo"),
    path(
        "commande/<int:pk>/piece-identite/",
        views_cards.card_order_document,
        name="card_order_document",
    ),
    path(
        "commande/<int:pk>/validation/", views_cards.card_order_validate, name="card_order_validate"
    ),
    path(
        "commande/<int:pk>/confirmation/",
        views_cards.card_order_confirmation,
        name="card_order_confirmation",
    ),
    path("commande/<int:pk>/abandon/", views_cards.card_order_abandon, name="card_order_abandon"),
    path(
        "commande/<int:pk>/fichier/<str:kind>/", views_cards.card_order_file, name="card_order_file"
    ),
    path("suivi/", views_cards.card_tracking, name="card_tracking"),
]
