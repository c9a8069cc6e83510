"""« Déclarer la perte ou le vol de carte Vitale », « Commander une carte Vitale » and its
tracking (rules V1-V6). The rules live in guichet.cards.rules and the services check them at
every step; these views only call a service, or a selector to show a refusal before any upload."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from guichet.cards import rules
from guichet.cards import selectors as card_selectors
from guichet.cards import services as card_services
from guichet.cards.enums import DeclarationKind
from guichet.cards.models import CardDeclaration, CardOrder
from guichet.cards.uploads import UploadRejected
from guichet.core.http import stored_file_response
from guichet.core.refusals import Refusal, Refused
from guichet.exchanges import selectors as exchange_selectors
from guichet.interfaces.web.access import insured_required
from guichet.interfaces.web.cards.forms import (
    BeneficiaryForm,
    DeclarationForm,
    DocumentForm,
    PhotoForm,
)
from guichet.interfaces.web.navigation import account_context

STEPS = [
    "Bénéficiaire",
    "Photo d'identité",
    "Pièce d'identité",
    "Validation",
    "Confirmation",
]
ORDER_TITLE = "Commander une carte Vitale"


def _stepper(current: int) -> dict:
    return {
        "number": current,
        "count": len(STEPS),
        "title": STEPS[current - 1],
        "next": STEPS[current] if current < len(STEPS) else None,
    }


def _page(request: HttpRequest, template: str, title: str, **extra: object) -> HttpResponse:
    stepper = extra.get("stepper")
    if isinstance(stepper, dict):  # each step its own page title (RGAA 8.6)
        title = f"{title} — Étape {stepper['number']} sur {stepper['count']} : {stepper['title']}"
    return render(request, template, account_context(request, "procedures", title=title, **extra))


@insured_required
@require_http_methods(["GET", "POST"])
def card_declare(request: HttpRequest) -> HttpResponse:
    cards = card_selectors.declarable_cards(user=request.user)
    form = DeclarationForm(request.POST or None, cards=cards)
    if request.method == "POST" and form.is_valid():
        card = next(c for c in cards if c.pk == form.cleaned_data["card"])
        try:
            declaration = card_services.card_declare(
                user=request.user, card=card, kind=form.cleaned_data["kind"]
            )
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            return redirect("web:card_declared", pk=declaration.pk)
    return _page(
        request,
        "web/cards/declare.html",
        "Déclarer la perte ou le vol de carte Vitale",
        form=form,
        cards=cards,
        outdated=card_selectors.outdated_cards(cards),
    )


@insured_required
def card_declared(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(
        CardDeclaration.objects.select_related("card__person"), pk=pk, declared_by=request.user
    )
    window = rules.order_window(beneficiary=declaration.card.person)
    return _page(
        request,
        "web/cards/declared.html",
        "Déclaration enregistrée",
        declaration=declaration,
        window=window if declaration.kind != DeclarationKind.FAULTY else None,
    )


@insured_required
@require_http_methods(["GET", "POST"])
def card_order_start(request: HttpRequest) -> HttpResponse:
    """Step 1: the beneficiary, with the exclusions of V2/V4/V5 shown before any upload."""
    choices = card_selectors.beneficiary_choices(user=request.user)
    allowed = [c.person for c in choices if c.exclusion is None]
    initial = {}
    if request.GET.get("beneficiaire", "").isdigit():
        initial["beneficiary"] = int(request.GET["beneficiaire"])
    elif len(allowed) == 1:
        initial["beneficiary"] = allowed[0].pk
    form = BeneficiaryForm(request.POST or None, allowed=allowed, initial=initial)
    if request.method == "POST" and form.is_valid():
        beneficiary = next(p for p in allowed if p.pk == form.cleaned_data["beneficiary"])
        try:
            order = card_services.card_order_start(user=request.user, beneficiary=beneficiary)
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            return redirect("web:card_order_photo", pk=order.pk)
    selected = form["beneficiary"].value()
    return _page(
        request,
        "web/cards/order_beneficiary.html",
        ORDER_TITLE,
        form=form,
        choices=choices,
        selected=str(selected) if selected is not None else "",
        stepper=_stepper(1),
    )


def _draft_or_404(request: HttpRequest, pk: int) -> CardOrder:
    order = card_selectors.user_draft(user=request.user, pk=pk)
    if order is None:
        raise Http404("Commande introuvable.")
    return order


def _excluded_page(request: HttpRequest, order: CardOrder, refusal: Refusal) -> HttpResponse:
    return _page(request, "web/cards/excluded.html", ORDER_TITLE, exclusion=refusal, order=order)


def _excluded(request: HttpRequest, order: CardOrder) -> HttpResponse | None:
    """The draft's refusal, if any, shown at each step before the form (the V5 window may close
    while one is ordering); the step's service refuses the same on its own."""
    refusal = card_selectors.draft_refusal(user=request.user, order=order)
    return None if refusal is None else _excluded_page(request, order, refusal)


@insured_required
@require_http_methods(["GET", "POST"])
def card_order_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: the conformity rules, the upload, then the preview."""
    order = _draft_or_404(request, pk)
    if (blocked := _excluded(request, order)) is not None:
        return blocked
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            order = card_services.card_order_attach_photo(
                order=order, upload=form.cleaned_data["photo"]
            )
        except UploadRejected as error:
            form.add_error("photo", str(error))
        except Refused as refused:
            return _excluded_page(request, order, refused.refusal)
        else:
            messages.success(request, "Votre photo d'identité est bien reçue. Vérifiez-la.")
            return redirect("web:card_order_photo", pk=order.pk)
    return _page(
        request,
        "web/cards/order_photo.html",
        ORDER_TITLE,
        form=form,
        order=order,
        stepper=_stepper(2),
    )


@insured_required
@require_http_methods(["GET", "POST"])
def card_order_document(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 3: the identity document; « Continuer » is active once type and file are in."""
    order = _draft_or_404(request, pk)
    if (blocked := _excluded(request, order)) is not None:
        return blocked
    if not order.photo:
        return redirect("web:card_order_photo", pk=order.pk)
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        initial={"document_type": order.document_type},
    )
    if request.method == "POST":
        form.is_valid()
        upload = form.cleaned_data.get("document")
        document_type = form.cleaned_data.get("document_type")
        if upload is None and not order.document and "document" not in form.errors:
            form.add_error("document", "Choisissez le fichier de votre pièce d'identité.")
        try:
            order = card_services.card_order_attach_document(
                order=order, document_type=document_type, upload=upload
            )
        except UploadRejected as error:
            form.add_error("document", str(error))
        except Refused as refused:
            return _excluded_page(request, order, refused.refusal)
        if not form.errors:
            messages.success(request, "Votre pièce d'identité est bien reçue. Vérifiez-la.")
            return redirect("web:card_order_document", pk=order.pk)
    return _page(
        request,
        "web/cards/order_document.html",
        ORDER_TITLE,
        form=form,
        order=order,
        ready=bool(order.document and order.document_type),
        stepper=_stepper(3),
    )


@insured_required
@require_http_methods(["GET", "POST"])
def card_order_validate(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 4: the summary and « Valider »."""
    order = _draft_or_404(request, pk)
    if (blocked := _excluded(request, order)) is not None:
        return blocked
    if not order.photo:
        return redirect("web:card_order_photo", pk=order.pk)
    if not (order.document and order.document_type):
        return redirect("web:card_order_document", pk=order.pk)
    error = None
    if request.method == "POST":
        try:
            order = card_services.card_order_submit(order=order, user=request.user)
        except Refused as refused:
            error = refused.message
        else:
            return redirect("web:card_order_confirmation", pk=order.pk)
    return _page(
        request,
        "web/cards/order_validate.html",
        ORDER_TITLE,
        order=order,
        error=error,
        stepper=_stepper(4),
    )


@insured_required
def card_order_confirmation(request: HttpRequest, pk: int) -> HttpResponse:
    order = card_selectors.user_order(user=request.user, pk=pk)
    if order is None or order.submitted_at is None:
        raise Http404("Commande introuvable.")
    return _page(
        request,
        "web/cards/order_confirmation.html",
        ORDER_TITLE,
        order=order,
        tracking_from=rules.tracking_visible_from(submitted_on=card_selectors.submitted_on(order)),
        stepper=_stepper(5),
    )


@insured_required
@require_POST
def card_order_abandon(request: HttpRequest, pk: int) -> HttpResponse:
    order = _draft_or_404(request, pk)
    card_services.card_order_abandon(order=order)
    messages.info(request, "Votre commande de carte Vitale en cours de saisie est abandonnée.")
    return redirect("web:procedures")


@insured_required
def card_order_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    order = card_selectors.user_order(user=request.user, pk=pk)
    if order is None:
        raise Http404("Fichier introuvable.")
    return stored_file_response(
        card_selectors.order_file(user=request.user, order=order, kind=kind)
    )


@insured_required
def card_tracking(request: HttpRequest) -> HttpResponse:
    """« Suivre mes démarches › Commande de carte Vitale » (rule V6), each order with the threads
    about it (ECH5, one query for all)."""
    tracked = list(card_selectors.tracked_orders(user=request.user))
    threads = exchange_selectors.threads_about(
        user=request.user, refs=[exchange_selectors.demarche_ref_of(order) for order in tracked]
    )
    orders = [
        {
            "order": order,
            "visible": card_selectors.is_tracking_visible(order),
            "visible_from": rules.tracking_visible_from(
                submitted_on=card_selectors.submitted_on(order)
            ),
            "steps": card_selectors.tracking_steps(order),
            "demarche": exchange_selectors.demarche_key_of(order),
            "threads": threads.get(exchange_selectors.demarche_ref_of(order), []),
        }
        for order in tracked
    ]
    return _page(
        request,
        "web/cards/tracking.html",
        "Commande de carte Vitale",
        orders=orders,
        order_url=reverse("web:card_order_start"),
    )
