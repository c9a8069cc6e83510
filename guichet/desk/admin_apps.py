"""Django's admin app, with the IT team's admin site of guichet.desk.admin_site."""

from django.contrib.admin.apps import AdminConfig


class AgentAdminConfig(AdminConfig):
    default_site = "guichet.desk.admin_site.AgentAdminSite"
