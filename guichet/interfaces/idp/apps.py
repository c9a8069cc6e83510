from django.apps import AppConfig


class IdpConfig(AppConfig):
    name = "guichet.interfaces.idp"
    verbose_name = "Fournisseur d'identité (OpenID Connect)"
