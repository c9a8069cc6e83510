"""The IT team's /admin/: signed in through the agents' login and its second factor.

/admin/login/ sends to /agents/connexion/ (the same password throttle and second factor, see
docs/decisions/security-agents-second-factor.md), and every admin page needs an active staff
agent whose session was verified by a second factor (django-otp's OTPAdminSite).
"""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.admin import OTPAdminSite


class AgentAdminSite(OTPAdminSite):
    site_header = "Guichet — administration technique"

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and getattr(request.user, "is_agent", False)

    def login(
        self, request: HttpRequest, extra_context: dict[str, object] | None = None
    ) -> HttpResponse:
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('agents:login')}?{urlencode({'next': next_url})}")
