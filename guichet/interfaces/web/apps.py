from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "guichet.interfaces.web"
    label = "web"
    verbose_name = "Compte en ligne (pages web)"
