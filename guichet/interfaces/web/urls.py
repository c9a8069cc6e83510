from django.urls import include, path

from guichet.interfaces.web.account import views as views_account
from guichet.interfaces.web.certificates import views as views_certificates
from guichet.interfaces.web.code_reset import views as code_reset_views
from guichet.interfaces.web.complementary import views as views_complementary
from guichet.interfaces.web.enrollment import views as views_enrollment
from guichet.interfaces.web.pages import views
from guichet.interfaces.web.powers import views as views_powers
from guichet.interfaces.web.sign_in import views as views_auth

app_name = "web"

urlpatterns = [
    path("", views_account.home, name="home"),
    path("connexion/", views_auth.login_view, name="login"),
    path("deconnexion/", views_auth.logout_view, name="logout"),
    path("connexion/reprendre/", views_auth.session_resume, name="session_resume"),
    path("session/prolonger/", views_auth.session_extend, name="session_extend"),
    path("connexion/suite/", views_auth.after_login, name="after_login"),
    path("connexion/numero-de-securite-sociale/", views_auth.nir_help, name="nir_help"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.personal_data, name="personal_data"),
    path("gestion-des-cookies/", views.cookies, name="cookies"),
    path("connexion/code-oublie/", code_reset_views.password_reset, name="password_reset"),
    path(
        "connexion/code-oublie/<str:uidb64>/<str:token>/",
        code_reset_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("mes-paiements/", views_account.payments, name="payments"),
    path("mes-demarches/", views_account.procedures, name="procedures"),
    path("mon-espace-prevention/", views.prevention, name="prevention"),
    path("mes-informations/", views_account.information, name="information"),
    path("mes-informations/code-personnel/", views_account.code_change, name="code_change"),
    path("mes-informations/resilier/", views_account.account_close, name="account_close"),
    path("compte-resilie/", views_account.account_closed, name="account_closed"),
    path("ma-messagerie/", views_account.messages_list, name="messages"),
    path("ma-messagerie/<int:message_id>/", views_account.message_detail, name="message"),
    path(
        "notifications/<int:notification_id>/lue/",
        views_account.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/tout-lire/",
        views_account.notifications_read_all,
        name="notifications_read_all",
    ),
    path("notez-votre-demarche/", views_account.rating, name="rating"),
]

# Online power of attorney (issue 4, rules P1–P7).
urlpatterns += [
    path("mes-demarches/procuration/", views_powers.power_start, name="power_start"),
    path("mes-demarches/procuration/mandataire/", views_powers.power_proxy, name="power_proxy"),
    path("mes-demarches/procuration/recapitulatif/", views_powers.power_recap, name="power_recap"),
    path(
        "mes-demarches/procuration/<int:power_id>/validee/",
        views_powers.power_done,
        name="power_done",
    ),
    path(
        "mes-demarches/procuration/<int:power_id>/revoquer/",
        views_powers.power_revoke,
        name="power_revoke",
    ),
]

# Certificates (issue 5, rules A1–A6) and their public verification page.
urlpatterns += [
    path(
        "mes-demarches/attestation-de-droits/",
        views_certificates.rights,
        name="certificate_rights",
    ),
    path(
        "mes-demarches/attestation-indemnites-journalieres/",
        views_certificates.daily_allowance,
        name="certificate_daily_allowance",
    ),
    path("mes-demarches/releves-mensuels/", views_certificates.monthly, name="certificate_monthly"),
    path("mes-demarches/releve-fiscal/", views_certificates.tax, name="certificate_tax"),
    path("mes-demarches/mon-adresse/", views_certificates.address, name="certificate_address"),
    path("mes-documents/", views_certificates.documents, name="certificate_documents"),
    path(
        "mes-documents/<str:reference>/",
        views_certificates.document,
        name="certificate_document",
    ),
    path(
        "mes-documents/<str:reference>/pdf/",
        views_certificates.document_pdf,
        name="certificate_pdf",
    ),
    path("verifier/", views_certificates.verify, name="certificate_verify"),
    path("verifier/<str:code>/", views_certificates.verify, name="certificate_verify_code"),
]

# Carte Vitale: declaration, order and tracking (issue 7, rules V1–V6).
urlpatterns += [path("mes-demarches/carte-vitale/", include("guichet.interfaces.web.cards.urls"))]

# Immediate account creation (issue 3, rules C1–C9).
urlpatterns += [
    path("creer-mon-compte/", views_enrollment.start, name="enrollment_start"),
    path("creer-mon-compte/carte-vitale/", views_enrollment.identity, name="enrollment_identity"),
    path(
        "creer-mon-compte/carte-vitale/verification/",
        views_enrollment.proof,
        name="enrollment_proof",
    ),
    path(
        "creer-mon-compte/autres-solutions/",
        views_enrollment.ways_out,
        name="enrollment_ways_out",
    ),
    path(
        "creer-mon-compte/compte-existant/", views_enrollment.existing, name="enrollment_existing"
    ),
    path("creer-mon-compte/code-personnel/", views_enrollment.code, name="enrollment_code"),
    path(
        "creer-mon-compte/code-personnel/niveau/",
        views_enrollment.code_strength_json,
        name="enrollment_code_strength",
    ),
    path("creer-mon-compte/coordonnees/", views_enrollment.contact, name="enrollment_contact"),
    path("creer-mon-compte/validation-email/", views_enrollment.sent, name="enrollment_sent"),
    path(
        "creer-mon-compte/email/<str:token>/",
        views_enrollment.confirm,
        name="enrollment_confirm",
    ),
    path("creer-mon-compte/activation/", views_enrollment.activation, name="enrollment_activation"),
    path(
        "franceconnect/connexion/",
        views_enrollment.franceconnect_start,
        name="franceconnect_start",
    ),
    path(
        "franceconnect/retour/",
        views_enrollment.franceconnect_callback,
        name="franceconnect_callback",
    ),
]

# Overlapping complementary insurers (issue 6, rules O2–O6) and processing times (G5).
urlpatterns += [
    path(
        "mes-demarches/organisme-complementaire/alerte/",
        views_complementary.alert,
        name="complementary_alert",
    ),
    path(
        "mes-demarches/organisme-complementaire/plus-tard/",
        views_complementary.later,
        name="complementary_later",
    ),
    path(
        "mes-demarches/organisme-complementaire/",
        views_complementary.choose,
        name="complementary_choose",
    ),
    path(
        "mes-demarches/organisme-complementaire/confirmation/",
        views_complementary.confirm,
        name="complementary_confirm",
    ),
    path(
        "mes-demarches/organisme-complementaire/envoye/",
        views_complementary.sent,
        name="complementary_sent",
    ),
    path(
        "mes-demarches/delais-de-traitement/",
        views_complementary.processing_times,
        name="processing_times",
    ),
]
