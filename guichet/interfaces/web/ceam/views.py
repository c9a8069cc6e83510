"""« Commander une carte européenne d'assurance maladie (CEAM) », its confirmation, its
tracking and the provisional replacement certificate (rules CEAM1-CEAM8). The rules live in
guichet.ceam.rules and the service checks them; these views validate, call it, render."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from guichet.ceam import rules
from guichet.ceam import selectors as ceam_selectors
from guichet.ceam import services as ceam_services
from guichet.certificates import services as certificate_services
from guichet.certificates.enums import Channel
from guichet.core.refusals import Refused
from guichet.exchanges import selectors as exchange_selectors
from guichet.interfaces.web.access import insured_required
from guichet.interfaces.web.ceam.forms import CeamOrderForm
from guichet.interfaces.web.navigation import account_context

ORDER_TITLE = "Commander une carte européenne d'assurance maladie (CEAM)"


def _page(request: HttpRequest, template: str, title: str, **extra: object) -> HttpResponse:
    return render(request, template, account_context(request, "procedures", title=title, **extra))


@insured_required
@require_http_methods(["GET", "POST"])
def ceam_order(request: HttpRequest) -> HttpResponse:
    choices = ceam_selectors.beneficiary_choices(holder=request.user.person)
    allowed = [c.person for c in choices if c.exclusion is None]
    initial = {"beneficiary": allowed[0].pk} if len(allowed) == 1 else {}
    form = CeamOrderForm(request.POST or None, allowed=allowed, initial=initial)
    if request.method == "POST" and form.is_valid():
        beneficiary = next(p for p in allowed if p.pk == form.cleaned_data["beneficiary"])
        try:
            order = ceam_services.ceam_order(
                user=request.user,
                beneficiary=beneficiary,
                departure_on=form.cleaned_data["departure_on"],
                channel=Channel.WEB,
            )
        except Refused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            return redirect("web:ceam_confirmation", pk=order.pk)
    selected = form["beneficiary"].value()
    title = f"Erreur : {ORDER_TITLE}" if form.errors else ORDER_TITLE
    return _page(
        request,
        "web/ceam/order.html",
        title,
        form=form,
        choices=choices,
        selected=str(selected) if selected is not None else "",
        delivery_days=rules.DELIVERY_DAYS,
    )


def _order_or_404(request: HttpRequest, pk: int):
    order = ceam_selectors.user_order(user=request.user, pk=pk)
    if order is None:
        raise Http404("Commande introuvable.")
    return order


@insured_required
def ceam_confirmation(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(
        request,
        "web/ceam/confirmation.html",
        "Votre commande de CEAM est enregistrée",
        order=_order_or_404(request, pk),
    )


@insured_required
def ceam_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """CEAM7: the provisional replacement certificate, downloadable again and again."""
    issuance = _order_or_404(request, pk).provisional_certificate
    if issuance is None:
        raise Http404("Aucun certificat provisoire pour cette commande.")
    content = certificate_services.document_download(
        issuance=issuance, person=request.user.person, user=request.user, channel=Channel.WEB
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{issuance.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@insured_required
def ceam_tracking(request: HttpRequest) -> HttpResponse:
    """« Suivre mes démarches › Commande de CEAM » (CEAM8), each order with the threads about
    it (ECH5, one query for all)."""
    orders = list(ceam_selectors.user_orders(user=request.user))
    threads = exchange_selectors.threads_about(
        user=request.user, refs=[exchange_selectors.demarche_ref_of(order) for order in orders]
    )
    return _page(
        request,
        "web/ceam/tracking.html",
        "Commande de CEAM",
        orders=[
            {
                "order": order,
                "demarche": exchange_selectors.demarche_key_of(order),
                "threads": threads.get(exchange_selectors.demarche_ref_of(order), []),
            }
            for order in orders
        ],
    )
