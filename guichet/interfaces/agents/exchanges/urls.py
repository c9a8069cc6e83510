"""The fund's inbox of the « Espace d'échanges » (issue 19), included under /agents/echanges/."""

from django.urls import path

from guichet.interfaces.agents.exchanges import views

urlpatterns = [
    path("", views.inbox, name="exchange_inbox"),
    path("suivi/", views.backlog, name="exchange_backlog"),
    path("<int:thread_id>/", views.detail, name="exchange_thread"),
    path("<int:thread_id>/attribuer/", views.claim, name="exchange_claim"),
    path("<int:thread_id>/remettre/", views.release, name="exchange_release"),
    path("<int:thread_id>/repondre/", views.answer, name="exchange_answer"),
    path("<int:thread_id>/note/", views.note, name="exchange_note"),
    path("<int:thread_id>/cloturer/", views.close, name="exchange_close"),
    path("<int:thread_id>/rouvrir/", views.reopen, name="exchange_reopen"),
    path("<int:thread_id>/transferer/", views.transfer, name="exchange_transfer"),
    path(
        "<int:thread_id>/pieces-jointes/<int:attachment_id>/",
        views.attachment,
        name="exchange_attachment",
    ),
]
