from django.apps import AppConfig


class DemoPartnerConfig(AppConfig):
    name = "guichet.interfaces.demopartner"
    verbose_name = "Partenaire de démonstration (OpenID Connect)"
