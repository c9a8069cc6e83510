from django.apps import AppConfig


class TerminalsConfig(AppConfig):
    name = "guichet.terminals"
    label = "terminals"
    verbose_name = "Bornes multi-services"
