from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "guichet.cases"
    label = "cases"
    verbose_name = "Affaires (back-office)"
