from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "guichet.desk"
    label = "desk"
    verbose_name = "Pages des agents"
