from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.interfaces.agents.access import agent_required


@agent_required()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "agents/home.html", {"title": "Espace agent"})
