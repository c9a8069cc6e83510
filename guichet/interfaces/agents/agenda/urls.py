"""The agents' agenda (issue 17, rules RDV7–RDV16, RDV22–RDV29), under /agents/agenda/."""

from django.urls import path

from guichet.interfaces.agents.agenda import views

urlpatterns = [
    path("", views.agenda, name="agenda-day"),
    path("appels/", views.calls, name="agenda-calls"),
    path("rendez-vous/<int:appointment_id>/", views.appointment, name="agenda-appointment"),
    path("rendez-vous/<int:appointment_id>/appel/", views.call_record, name="agenda-call"),
    path("rendez-vous/<int:appointment_id>/arrivee/", views.check_in, name="agenda-check-in"),
    path("rendez-vous/<int:appointment_id>/issue/", views.outcome, name="agenda-outcome"),
    path("rendez-vous/<int:appointment_id>/fiche/", views.client_file, name="agenda-file"),
    path("absence/", views.absence, name="agenda-absence"),
    path("lieux/", views.places, name="agenda-places"),
    path("lieux/nouveau/", views.place_form, name="agenda-place-create"),
    path("lieux/<int:place_id>/modifier/", views.place_form, name="agenda-place-edit"),
    path("motifs/", views.motifs, name="agenda-motifs"),
    path("motifs/nouveau/", views.motif_form, name="agenda-motif-create"),
    path("motifs/<int:motif_id>/modifier/", views.motif_form, name="agenda-motif-edit"),
    path("plages/<int:opening_id>/modifier/", views.opening_edit, name="agenda-opening-edit"),
    path("plages/<int:opening_id>/supprimer/", views.opening_remove, name="agenda-opening-remove"),
    path(
        "fermetures/<int:closure_id>/supprimer/", views.closure_remove, name="agenda-closure-remove"
    ),
    path("lieux/<int:place_id>/plages/", views.place_openings, name="agenda-place-openings"),
    path("lieux/<int:place_id>/fermetures/", views.place_closures, name="agenda-place-closures"),
    path("reserver/", views.book, name="agenda-book"),
    path("reserver/<int:consultation_id>/", views.book_slots, name="agenda-book-slots"),
]
