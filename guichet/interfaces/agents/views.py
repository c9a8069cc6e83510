from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.exchanges import selectors as exchange_selectors
from guichet.interfaces.agents.access import agent_required


@agent_required()
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "agents/home.html",
        {
            "title": "Espace agent",
            # The fund's side of « lu » (ECH10): threads with a message no agent has opened.
            "unread_threads": exchange_selectors.unread_threads_for_fund(agent=request.user),
        },
    )
