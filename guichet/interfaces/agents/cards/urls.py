"""Back-office review of carte Vitale orders (issue 7), under /agents/cartes-vitale/."""

from django.urls import path

from guichet.interfaces.agents.cards import views as views_cards

urlpatterns = [
    path("", views_cards.card_queue, name="card_queue"),
    path("<int:pk>/prendre/", views_cards.card_claim, name="card_claim"),
    path("<int:pk>/", views_cards.card_review, name="card_review"),
    path("<int:pk>/fichier/<str:kind>/", views_cards.card_file, name="card_file"),
]
