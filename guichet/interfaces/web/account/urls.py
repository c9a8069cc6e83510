"""The account's own pages: home, payments, procedures, information, code personnel, closing, messages, rating (rules G1–G5).

Included by guichet/interfaces/web/urls.py at the site's root, in the « web » namespace."""

from django.urls import path

from guichet.interfaces.web.account import views

urlpatterns = [
    path("", views.home, name="home"),
    path("mes-paiements/", views.payments, name="payments"),
    path("mes-demarches/", views.procedures, name="procedures"),
    path("mes-informations/", views.information, name="information"),
    path("mes-informations/code-personnel/", views.code_change, name="code_change"),
    path("mes-informations/resilier/", views.account_close, name="account_close"),
    path("compte-resilie/", views.account_closed, name="account_closed"),
    path("ma-messagerie/", views.messages_list, name="messages"),
    path("ma-messagerie/<int:message_id>/", views.message_detail, name="message"),
    path(
        "notifications/<int:notification_id>/lue/",
        views.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/tout-lire/",
        views.notifications_read_all,
        name="notifications_read_all",
    ),
    path("notez-votre-demarche/", views.rating, name="rating"),
]
