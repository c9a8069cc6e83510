from django.apps import AppConfig


class CeamConfig(AppConfig):
    name = "guichet.ceam"
    label = "ceam"
    verbose_name = "Carte européenne d'assurance maladie : commandes"
