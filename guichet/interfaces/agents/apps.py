from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "guichet.interfaces.agents"
    label = "agents"
    verbose_name = "Pages des agents"
