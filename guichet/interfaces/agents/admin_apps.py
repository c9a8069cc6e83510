"""Django's admin app, with the IT team's admin site of guichet.interfaces.agents.admin_site."""

from django.contrib.admin.apps import AdminConfig


class AgentAdminConfig(AdminConfig):
    default_site = "guichet.interfaces.agents.admin_site.AgentAdminSite"
