"""Certificates (issue 5, rules A1–A6) and their public verification page.

Included by guichet/interfaces/web/urls.py at the site's root, in the « web » namespace."""

from django.urls import path

from guichet.interfaces.web.certificates import views

urlpatterns = [
    path(
        "mes-demarches/attestation-de-droits/",
        views.rights,
        name="certificate_rights",
    ),
    path(
        "mes-demarches/attestation-indemnites-journalieres/",
        views.daily_allowance,
        name="certificate_daily_allowance",
    ),
    path("mes-demarches/releves-mensuels/", views.monthly, name="certificate_monthly"),
    path("mes-demarches/releve-fiscal/", views.tax, name="certificate_tax"),
    path("mes-demarches/mon-adresse/", views.address, name="certificate_address"),
    path("mes-documents/", views.documents, name="certificate_documents"),
    path(
        "mes-documents/<str:reference>/",
        views.document,
        name="certificate_document",
    ),
    path(
        "mes-documents/<str:reference>/pdf/",
        views.document_pdf,
        name="certificate_pdf",
    ),
    path("verifier/", views.verify, name="certificate_verify"),
    path("verifier/<str:code>/", views.verify, name="certificate_verify_code"),
]
