"""« Espace d'échanges » (issue 19), included under /ma-messagerie/ in the « web » namespace."""

from django.urls import path

from guichet.interfaces.web.exchanges import views

urlpatterns = [
    path("ecrire/", views.thread_new, name="exchange_new"),
    path("echanges/<int:thread_id>/", views.thread_detail, name="exchange_thread"),
    path(
        "echanges/<int:thread_id>/pieces-jointes/<int:attachment_id>/",
        views.attachment,
        name="exchange_attachment",
    ),
]
