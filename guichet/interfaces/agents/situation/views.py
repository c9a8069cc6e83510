"""The back office's check of « Modifier mes coordonnées bancaires » (rule SIT9): the RIB shown
beside the IBAN and holder typed, then « Coordonnées conformes » or a refusal with its reason.
Only for a case of the agent's fund's queue (others: 404)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from guichet.accounts.enums import AgentRole
from guichet.cases import selectors as case_selectors
from guichet.cases.models import Case
from guichet.core.http import stored_file_response
from guichet.core.refusals import Refused
from guichet.interfaces.agents.access import agent_required
from guichet.interfaces.agents.situation.forms import BankChangeDecisionForm
from guichet.situation import selectors, services
from guichet.situation.enums import Decision
from guichet.situation.models import BankDetailsChange

ROLES = [AgentRole.BACK_OFFICE]


def _case_and_change(request: HttpRequest, case_id: int) -> tuple[Case, BankDetailsChange]:
    case = case_selectors.case_for_agent(agent=request.user, case_id=case_id)
    change = selectors.bank_change_for_case(case=case) if case is not None else None
    if case is None or change is None:
        raise Http404("Affaire introuvable.")
    return case, change


@agent_required(roles=ROLES)
@require_GET
def rib(request: HttpRequest, case_id: int) -> HttpResponse:
    case, _ = _case_and_change(request, case_id)
    return stored_file_response(selectors.bank_change_rib(case=case, agent=request.user))


@agent_required(roles=ROLES)
@require_POST
def decide(request: HttpRequest, case_id: int) -> HttpResponse:
    case, change = _case_and_change(request, case_id)
    form = BankChangeDecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == Decision.APPROVE
        try:
            services.bank_details_change_decide(
                change_id=change.pk,
                agent=request.user,
                approve=approve,
                reason=form.cleaned_data["reason"],
            )
        except BankDetailsChange.DoesNotExist as gone:
            raise Http404("Affaire introuvable.") from gone
        except Refused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(
                request,
                "Le nouvel IBAN est enregistré ; l'assuré en est averti."
                if approve
                else "La demande est refusée ; l'assuré en est averti.",
            )
            return redirect("agents:case_detail", case_id=case.pk)
    return render(
        request,
        "agents/situation/decide.html",
        {"title": f"Affaire n° {case.pk}", "case": case, "change": change, "form": form},
    )
