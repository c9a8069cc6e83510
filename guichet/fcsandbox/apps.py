from django.apps import AppConfig


class FcSandboxConfig(AppConfig):
    name = "guichet.fcsandbox"
    verbose_name = "Bac à sable FranceConnect (développement et tests)"
