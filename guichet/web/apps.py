from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "guichet.web"
    label = "web"
    verbose_name = "Compte en ligne (pages web)"
