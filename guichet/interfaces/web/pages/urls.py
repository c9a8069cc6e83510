"""Help, prevention and legal pages.

Included by guichet/interfaces/web/urls.py at the site's root, in the « web » namespace."""

from django.urls import path

from guichet.interfaces.web.pages import views

urlpatterns = [
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.personal_data, name="personal_data"),
    path("gestion-des-cookies/", views.cookies, name="cookies"),
    path("mon-espace-prevention/", views.prevention, name="prevention"),
]
