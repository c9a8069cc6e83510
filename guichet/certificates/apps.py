from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "guichet.certificates"
    label = "certificates"
    verbose_name = "Attestations et relevés"
