"""Sign-in, sign-out and the session's resumption.

Included by guichet/interfaces/web/urls.py at the site's root, in the « web » namespace."""

from django.urls import path

from guichet.interfaces.web.sign_in import views

urlpatterns = [
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("connexion/reprendre/", views.session_resume, name="session_resume"),
    path("session/prolonger/", views.session_extend, name="session_extend"),
    path("connexion/suite/", views.after_login, name="after_login"),
    path("connexion/numero-de-securite-sociale/", views.nir_help, name="nir_help"),
]
