from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "guichet.interfaces.api"
    label = "api"
    verbose_name = "API de l'application mobile"
