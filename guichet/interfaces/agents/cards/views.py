"""Back-office review of carte Vitale orders (issue 7): the queue lives in guichet.cards,
not in the generic case app of issue 6 (docs/decisions/cards-review-queue.md)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.enums import AgentRole
from guichet.cards import selectors as card_selectors
from guichet.cards import services as card_services
from guichet.cards.models import CardOrder
from guichet.core.http import stored_file_response
from guichet.core.refusals import Refused
from guichet.interfaces.agents.access import agent_required
from guichet.interfaces.agents.cards.forms import ReviewForm

BACK_OFFICE = [AgentRole.BACK_OFFICE]


def _order_or_404(request: HttpRequest, pk: int) -> CardOrder:
    """An order of the agent's scope; any other answers 404, as if it did not exist."""
    order = card_selectors.card_order_for_agent(agent=request.user, pk=pk)
    if order is None:
        raise Http404("Commande introuvable.")
    return order


@agent_required(roles=BACK_OFFICE)
def card_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "agents/cards/queue.html",
        {
            "title": "Commandes de carte Vitale à vérifier",
            "orders": card_selectors.review_queue(agent=request.user),
        },
    )


@agent_required(roles=BACK_OFFICE)
@require_POST
def card_claim(request: HttpRequest, pk: int) -> HttpResponse:
    _order_or_404(request, pk)
    if card_services.card_order_claim(order_id=pk, agent=request.user):
        return redirect("agents:card_review", pk=pk)
    messages.error(
        request, "Cette commande est déjà prise en charge par un autre agent ou traitée."
    )
    return redirect("agents:card_queue")


@agent_required(roles=BACK_OFFICE)
@require_http_methods(["GET", "POST"])
def card_review(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order_or_404(request, pk)
    mine = order.claimed_by_id == request.user.pk
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and mine and form.is_valid():
        try:
            card_services.card_order_review(
                order=order,
                agent=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except CardOrder.DoesNotExist as gone:
            raise Http404("Commande introuvable.") from gone
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"Commande {order.reference} traitée.")
            return redirect("agents:card_queue")
    return render(
        request,
        "agents/cards/review.html",
        {"title": f"Commande {order.reference}", "order": order, "form": form, "mine": mine},
    )


@agent_required(roles=BACK_OFFICE)
def card_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    order = _order_or_404(request, pk)
    return stored_file_response(
        card_selectors.order_file(user=request.user, order=order, kind=kind)
    )
