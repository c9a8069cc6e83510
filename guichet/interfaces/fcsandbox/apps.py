from django.apps import AppConfig


class FcSandboxConfig(AppConfig):
    name = "guichet.interfaces.fcsandbox"
    verbose_name = "Bac à sable FranceConnect (développement et tests)"
