from django.apps import AppConfig


class ApiTokensConfig(AppConfig):
    name = "guichet.apitokens"
    label = "apitokens"
    verbose_name = "Jetons de l'application mobile"
