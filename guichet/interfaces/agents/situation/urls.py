"""The back office's check of a bank-details change, under /agents/affaires/ (rule SIT9)."""

from django.urls import path

from guichet.interfaces.agents.situation import views

urlpatterns = [
    path("<int:case_id>/rib/", views.rib, name="bank_change_rib"),
    path("<int:case_id>/coordonnees-bancaires/", views.decide, name="bank_change_decide"),
]
