from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "guichet.reference"
    label = "reference"
    verbose_name = "Référentiel de la caisse"
