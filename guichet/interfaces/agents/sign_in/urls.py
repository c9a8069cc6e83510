"""The agents' sign-in in two steps (password, then the second factor) and sign-out."""

from django.urls import path

from guichet.interfaces.agents.sign_in import views

urlpatterns = [
    path("connexion/", views.login_view, name="login"),
    path("connexion/code/", views.login_code_view, name="login_code"),
    path("deconnexion/", views.logout_view, name="logout"),
]
