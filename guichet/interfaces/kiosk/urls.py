from django.urls import path

from guichet.interfaces.kiosk import views

app_name = "kiosk"

urlpatterns = [
    path("", views.start, name="start"),
    path("services/", views.services_menu, name="services"),
    path("attestation-de-droits/", views.beneficiary, name="beneficiary"),
    path("attestation-de-droits/options/", views.options, name="options"),
    path("documents/<str:reference>/", views.document, name="document"),
    path("documents/<str:reference>/afficher/", views.viewer, name="viewer"),
    path("documents/<str:reference>/pdf/", views.document_pdf, name="pdf"),
    path("activite/", views.activity, name="activity"),
    path("terminer/", views.finish, name="finish"),
    # The one page open to a device not enrolled: it installs the kiosk's credential.
    path("enregistrement/", views.enrol, name="enrol"),
]
