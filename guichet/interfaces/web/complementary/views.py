"""Overlapping complementary insurers, insured side (rules O2 to O6), and the CPAM's
processing times (G5)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from guichet.cases import selectors as case_selectors
from guichet.complementary import rules, selectors
from guichet.complementary.services import choice_request_submit
from guichet.core.refusals import Refused
from guichet.exchanges import selectors as exchange_selectors
from guichet.exchanges.enums import ThreadSubject
from guichet.interfaces.web.access import insured_required
from guichet.interfaces.web.complementary.forms import ComplementaryChoiceForm, field_name
from guichet.interfaces.web.navigation import account_context

POSTPONED_KEY = "complementary_postponed"
CHOICES_KEY = "complementary_choices"
TITLE = "Choisir mon organisme complémentaire"


def interstitial_due(request: HttpRequest) -> bool:
    """O2: shown after login while a choice is pending, unless « Plus tard » this session."""
    if request.session.get(POSTPONED_KEY):
        return False
    person = request.user.person
    return person is not None and selectors.situation(family_id=person.family_id).choice_pending


@insured_required
def alert(request: HttpRequest) -> HttpResponse:
    """The screen shown automatically after login (O2)."""
    situation = selectors.situation(family_id=request.user.person.family_id)
    if not situation.choice_pending:
        return redirect("web:home")
    return render(
        request,
        "web/complementary/alert.html",
        account_context(request, "home", title="Transmission à votre complémentaire bloquée"),
    )


@insured_required
@require_POST
def later(request: HttpRequest) -> HttpResponse:
    """« Plus tard »: not again in this session; shown again at the next login."""
    request.session[POSTPONED_KEY] = True
    return redirect("web:home")


def _blocked_page(request: HttpRequest, situation: selectors.Situation) -> HttpResponse | None:
    """The page shown instead of the choice: excluded (O4), pending request (O6), nothing."""
    if situation.pending_request is not None:
        template = "web/complementary/pending.html"
    elif situation.exclusion is not None:
        template = "web/complementary/excluded.html"
    elif not situation.has_conflict:
        template = "web/complementary/no_conflict.html"
    else:
        return None
    contact = exchange_selectors.latest_demarche(
        person=request.user.person, subject=ThreadSubject.COMPLEMENTARY
    )
    threads = (
        exchange_selectors.threads_about(user=request.user, refs=[contact.ref]) if contact else {}
    )
    return render(
        request,
        template,
        account_context(
            request,
            "procedures",
            title=TITLE,
            situation=situation,
            exclusion_message=situation.exclusion.message if situation.exclusion else "",
            exclusion_advice=rules.EXCLUSION_ADVICE,
            contact_demarche=contact,
            contact_threads=threads.get(contact.ref, []) if contact else [],
        ),
    )


@insured_required
@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest) -> HttpResponse:
    """O3: for each beneficiary concerned, the two insurers; one choice each, all at once."""
    situation = selectors.situation(family_id=request.user.person.family_id)
    blocked = _blocked_page(request, situation)
    if blocked is not None:
        return blocked
    kept = request.session.get(CHOICES_KEY) or {}
    initial = {field_name(int(pid)): cid for pid, cid in kept.items()}
    form = ComplementaryChoiceForm(
        request.POST or None, beneficiaries=situation.beneficiaries, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        request.session[CHOICES_KEY] = {str(k): v for k, v in form.choices().items()}
        return redirect("web:complementary_confirm")
    return render(
        request,
        "web/complementary/choose.html",
        account_context(request, "procedures", title=TITLE, form=form),
        status=400 if form.is_bound else 200,
    )


@insured_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    """« Confirmer mon choix de complémentaire »: a separate step, no JavaScript needed."""
    situation = selectors.situation(family_id=request.user.person.family_id)
    blocked = _blocked_page(request, situation)
    if blocked is not None:
        return blocked
    kept = request.session.get(CHOICES_KEY) or {}
    choices = {int(pid): cid for pid, cid in kept.items()}
    rows = []
    for entry in situation.beneficiaries:
        chosen = next((c for c in entry.contracts if c.pk == choices.get(entry.person.pk)), None)
        if chosen is None:
            return redirect("web:complementary_choose")
        rows.append({"person": entry.person, "contract": chosen})
    if request.method == "POST":
        try:
            choice_request_submit(user=request.user, choices=choices)
        except Refused as refused:
            messages.error(request, refused.message)
            return redirect("web:complementary_choose")
        request.session.pop(CHOICES_KEY, None)
        return redirect("web:complementary_sent")
    return render(
        request,
        "web/complementary/confirm.html",
        account_context(
            request, "procedures", title="Confirmer mon choix de complémentaire", rows=rows
        ),
    )


@insured_required
def sent(request: HttpRequest) -> HttpResponse:
    """O5: « Votre choix a bien été envoyé ! »"""
    request_ = selectors.pending_request(family_id=request.user.person.family_id)
    if request_ is None:
        return redirect("web:complementary_choose")
    return render(
        request,
        "web/complementary/sent.html",
        account_context(request, "procedures", title="Votre choix a bien été envoyé !"),
    )


@insured_required
def processing_times(request: HttpRequest) -> HttpResponse:
    """« Consulter les délais de traitement de ma CPAM » (G5), from the cases closed lately."""
    rows = case_selectors.processing_times()
    own_fund_id = request.user.person.family.fund_id
    return render(
        request,
        "web/complementary/processing_times.html",
        account_context(
            request,
            "procedures",
            title="Délais de traitement de ma CPAM",
            own=next((r for r in rows if r.fund.pk == own_fund_id), None),
            own_fund=request.user.person.family.fund,
            rows=rows,
        ),
    )
