"""Insured pages of the online power of attorney (rules P1–P7)."""

import datetime as dt
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from guichet.core import clock
from guichet.interfaces.web.access import insured_required
from guichet.interfaces.web.navigation import account_context
from guichet.interfaces.web.powers.forms import ConfirmPowerForm, ProxyForm
from guichet.powers import rules, selectors, services
from guichet.powers.enums import PowerStatus
from guichet.reference.enums import Civility

DRAFT_KEY = "power_draft"
TITLE = "Faire ou révoquer une procuration en ligne"
# Where « Retour » of the revocation page leads, by the page it was opened from (rule P7).
REVOKE_ORIGINS = {"informations": "web:information", "demarches": "web:power_start"}


def _draft(request: HttpRequest) -> dict[str, str]:
    return request.session.get(DRAFT_KEY) or {}


def _proxy_identity(draft: dict[str, str]) -> services.ProxyIdentity:
    return services.ProxyIdentity(
        civility=draft["civility"],
        last_name=draft["last_name"],
        usage_name=draft.get("usage_name", ""),
        first_name=draft["first_name"],
        birth_date=dt.date.fromisoformat(draft["birth_date"]),
    )


@insured_required
@require_GET
def power_start(request: HttpRequest) -> HttpResponse:
    """Step 0: the principles, the power in force if any, and the history (P1, P7)."""
    person = request.user.person
    context = account_context(
        request,
        "procedures",
        title=TITLE,
        current=selectors.current_power(person=person),
        history=selectors.power_history(person=person),
    )
    return render(request, "web/powers/start.html", context)


@insured_required
@require_http_methods(["GET", "POST"])
def power_proxy(request: HttpRequest) -> HttpResponse:
    """Step 1 « Le mandataire » (P3, P4). The draft lives in the session until validated."""
    if request.method == "GET" and request.GET.get("nouvelle") == "1":
        request.session.pop(DRAFT_KEY, None)
    draft = _draft(request)
    if request.method == "POST":
        form = ProxyForm(request.POST)
        if form.is_valid():
            request.session[DRAFT_KEY] = {
                **form.to_draft(),
                "token": draft.get("token") or str(uuid.uuid4()),
            }
            return redirect("web:power_recap")
    else:
        form = ProxyForm(initial=ProxyForm.initial_from_draft(draft))
    return render(
        request,
        "web/powers/proxy.html",
        account_context(request, "procedures", title=f"{TITLE} — Le mandataire", form=form),
    )


@insured_required
@require_http_methods(["GET", "POST"])
def power_recap(request: HttpRequest) -> HttpResponse:
    """Step 2 « Récapitulatif des éléments déclarés » (P5), then validation (P6)."""
    person = request.user.person
    draft = _draft(request)
    if request.method == "POST":
        form = ConfirmPowerForm(request.POST)
        if form.is_valid():
            token = form.cleaned_data["token"]
            already = selectors.power_by_token(person=person, token=token)
            if already is not None:  # second click, back button, second tab
                request.session.pop(DRAFT_KEY, None)
                return redirect("web:power_done", power_id=already.pk)
            if not draft or draft.get("token") != str(token):
                messages.warning(request, "Votre demande a expiré : merci de la saisir à nouveau.")
                return redirect("web:power_proxy")
            try:
                power = services.power_give(
                    grantor=person,
                    by=request.user,
                    proxy=_proxy_identity(draft),
                    idempotency_key=token,
                )
            except services.PowerRefused as refused:
                form.add_error(None, refused.message)
            else:
                request.session.pop(DRAFT_KEY, None)
                return redirect("web:power_done", power_id=power.pk)
    else:
        if not draft.get("token"):
            return redirect("web:power_proxy")
        form = ConfirmPowerForm(initial={"token": draft["token"]})
    if not draft.get("token"):
        return redirect("web:power_proxy")
    proxy = _proxy_identity(draft)
    return render(
        request,
        "web/powers/recap.html",
        account_context(
            request,
            "procedures",
            title=f"{TITLE} — Récapitulatif",
            form=form,
            person=person,
            proxy=proxy,
            proxy_civility_label="M." if proxy.civility == Civility.MR else "Mme",
            validity_months=rules.VALIDITY_MONTHS,
        ),
    )


@insured_required
@require_GET
def power_done(request: HttpRequest, power_id: int) -> HttpResponse:
    """Confirmation « Ma procuration est validée ! » (P6)."""
    power = selectors.power_for(person=request.user.person, power_id=power_id)
    if power is None:
        raise Http404
    return render(
        request,
        "web/powers/done.html",
        account_context(request, "procedures", title="Ma procuration est validée !", power=power),
    )


@insured_required
@require_http_methods(["GET", "POST"])
def power_revoke(request: HttpRequest, power_id: int) -> HttpResponse:
    """« Révocation de procuration »: a confirmation page, so it works without JavaScript (P7)."""
    person = request.user.person
    power = selectors.power_for(person=person, power_id=power_id)
    if power is None:
        raise Http404
    origin = request.POST.get("depuis") or request.GET.get("depuis")
    if origin not in REVOKE_ORIGINS:
        origin = "demarches"
    back_url_name = REVOKE_ORIGINS[origin]
    if power.effective_status != PowerStatus.ACTIVE:
        messages.info(request, "Cette procuration n'est plus en cours.")
        return redirect(back_url_name)
    if request.method == "POST":
        try:
            services.power_revoke(power_id=power.pk, grantor=person, by=request.user)
        except services.PowerNotUsable as error:
            messages.info(request, error.message)
        else:
            messages.success(
                request,
                f"Votre procuration accordée à {power.proxy_short_name} est révoquée "
                f"depuis le {clock.now().astimezone(clock.PARIS):%d/%m/%Y à %H:%M}.",
            )
        return redirect(back_url_name)
    return render(
        request,
        "web/powers/revoke.html",
        account_context(
            request,
            "information" if origin == "informations" else "procedures",
            title="Révocation de procuration",
            power=power,
            origin=origin,
            back_url_name=back_url_name,
        ),
    )
