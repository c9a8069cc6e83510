from django.apps import AppConfig


class PowersConfig(AppConfig):
    name = "guichet.powers"
    label = "powers"
    verbose_name = "Procurations en ligne"
