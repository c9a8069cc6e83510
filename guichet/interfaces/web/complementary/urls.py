"""Overlapping complementary insurers (issue 6, rules O2–O6) and processing times (G5).

Included by guichet/interfaces/web/urls.py at the site's root, in the « web » namespace."""

from django.urls import path

from guichet.interfaces.web.complementary import views

urlpatterns = [
    path(
        "mes-demarches/organisme-complementaire/alerte/",
        views.alert,
        name="complementary_alert",
    ),
    path(
        "mes-demarches/organisme-complementaire/plus-tard/",
        views.later,
        name="complementary_later",
    ),
    path(
        "mes-demarches/organisme-complementaire/",
        views.choose,
        name="complementary_choose",
    ),
    path(
        "mes-demarches/organisme-complementaire/confirmation/",
        views.confirm,
        name="complementary_confirm",
    ),
    path(
        "mes-demarches/organisme-complementaire/envoye/",
        views.sent,
        name="complementary_sent",
    ),
    path(
        "mes-demarches/delais-de-traitement/",
        views.processing_times,
        name="processing_times",
    ),
]
