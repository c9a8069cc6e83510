"""« Mon agenda » (issue 17): included by guichet/interfaces/web/urls.py in « web »."""

from django.urls import path

from guichet.interfaces.web.appointments import views

urlpatterns = [
    path("mes-rendez-vous/", views.appointments, name="appointments"),
    path("mes-rendez-vous/prendre/", views.appointment_book, name="appointment_book"),
    path("mes-rendez-vous/prendre/creneaux/", views.appointment_slots, name="appointment_slots"),
    path(
        "mes-rendez-vous/<int:appointment_id>/confirme/",
        views.appointment_done,
        name="appointment_done",
    ),
    path(
        "mes-rendez-vous/<int:appointment_id>/deplacer/",
        views.appointment_move,
        name="appointment_move",
    ),
    path(
        "mes-rendez-vous/<int:appointment_id>/annuler/",
        views.appointment_cancel,
        name="appointment_cancel",
    ),
]
