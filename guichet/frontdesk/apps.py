from django.apps import AppConfig


class FrontdeskConfig(AppConfig):
    name = "guichet.frontdesk"
    label = "frontdesk"
    verbose_name = "Accueil physique"
