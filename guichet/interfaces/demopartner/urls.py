from django.urls import path

from guichet.interfaces.demopartner import views

app_name = "demopartner"

urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", views.start, name="start"),
    path("retour/", views.callback, name="callback"),
]
