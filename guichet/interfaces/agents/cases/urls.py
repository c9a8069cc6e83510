"""Back-office cases (issue 6), included under /agents/affaires/ with the desk namespace."""

from django.urls import path

from guichet.interfaces.agents.cases import views as views_cases

urlpatterns = [
    path("", views_cases.queue, name="case_queue"),
    path("<int:case_id>/", views_cases.detail, name="case_detail"),
    path("<int:case_id>/prendre/", views_cases.claim, name="case_claim"),
    path("<int:case_id>/remettre/", views_cases.release, name="case_release"),
    path("<int:case_id>/appliquer/", views_cases.apply_choices, name="case_apply"),
    path("<int:case_id>/cloturer/", views_cases.close, name="case_close"),
]
