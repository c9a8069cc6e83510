from django.apps import AppConfig


class ComplementaryConfig(AppConfig):
    name = "guichet.complementary"
    label = "complementary"
    verbose_name = "Chevauchement d'organismes complémentaires"
