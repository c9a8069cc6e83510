"""« Code oublié ? » (rule C5, issue 13).

Included by guichet/interfaces/web/urls.py at the site's root, in the « web » namespace."""

from django.urls import path

from guichet.interfaces.web.code_reset import views

urlpatterns = [
    path("connexion/code-oublie/", views.password_reset, name="password_reset"),
    path(
        "connexion/code-oublie/<str:uidb64>/<str:token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
]
