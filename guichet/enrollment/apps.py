from django.apps import AppConfig


class EnrollmentConfig(AppConfig):
    name = "guichet.enrollment"
    verbose_name = "Création immédiate du compte"
