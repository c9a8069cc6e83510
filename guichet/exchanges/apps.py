from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "guichet.exchanges"
    verbose_name = "Espace d'échanges"
    label = "exchanges"
