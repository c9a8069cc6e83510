"""Back-office cases (« affaires »): queues per fund, claim, apply the choices, close (O6, O7)."""

from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from guichet.accounts.enums import AgentRole
from guichet.cases import selectors as case_selectors
from guichet.cases import services as case_services
from guichet.cases.enums import CaseKind
from guichet.cases.models import Case
from guichet.complementary import selectors as complementary_selectors
from guichet.complementary import services as complementary_services
from guichet.complementary.models import ChoiceRequest
from guichet.interfaces.agents.access import agent_required
from guichet.interfaces.agents.actions import run_action
from guichet.interfaces.agents.situation.forms import (
    BankChangeDecisionForm,
    NewbornDecisionForm,
    OtherParentDecisionForm,
    UsageNameDecisionForm,
)
from guichet.situation import selectors as situation_selectors

CASE_ROLES = [AgentRole.BACK_OFFICE]


@agent_required(roles=CASE_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    """The queue of the agent's own fund (supervisors included: security-agents-scope.md)."""
    fund = request.user.fund
    if fund is None:
        raise PermissionDenied("Votre compte n'est rattaché à aucune caisse.")
    return render(
        request,
        "agents/cases/queue.html",
        {
            "title": f"Affaires à traiter — {fund.name}",
            "fund": fund,
            "cases": list(case_selectors.agent_queue(agent=request.user)),
        },
    )


def _case_or_404(request: HttpRequest, case_id: int) -> Case:
    """A case of the agent's fund's queue; any other answers 404, as if it did not exist."""
    case = case_selectors.case_for_agent(agent=request.user, case_id=case_id)
    if case is None:
        raise Http404("Affaire introuvable.")
    return case


@agent_required(roles=CASE_ROLES)
def detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_or_404(request, case_id)
    context: dict = {
        "title": f"Affaire n° {case.pk}",
        "case": case,
        "transitions": case.transitions.select_related("by"),
        "holds_case": case.assignee_id == request.user.pk and case.status == "in_progress",
    }
    if case.kind == CaseKind.COMPLEMENTARY_CHOICE:
        choice_request = complementary_selectors.request_detail(request_id=case.subject_id)
        context["choice_request"] = choice_request
        context["choices"] = complementary_selectors.request_choices(request=choice_request)
    bank_change = situation_selectors.bank_change_for_case(case=case)
    if bank_change is not None:
        context["bank_change"] = bank_change
        context["bank_form"] = BankChangeDecisionForm()
    usage_name_change = situation_selectors.usage_name_change_for_case(case=case)
    if usage_name_change is not None:
        context["usage_name_change"] = usage_name_change
        context["usage_name_form"] = UsageNameDecisionForm()
    newborn = situation_selectors.newborn_for_case(case=case)
    if newborn is not None:
        context["newborn"] = newborn
        context["newborn_form"] = NewbornDecisionForm()
    registration = situation_selectors.other_parent_registration_for_case(case=case)
    if registration is not None:
        context["registration"] = registration
        context["registration_form"] = OtherParentDecisionForm()
    return render(request, "agents/cases/detail.html", context)


_run = partial(
    run_action,
    gone=(Case.DoesNotExist, ChoiceRequest.DoesNotExist),
    gone_message="Affaire introuvable.",
    redirect_to="agents:case_detail",
)


@agent_required(roles=CASE_ROLES)
@require_POST
def claim(request: HttpRequest, case_id: int) -> HttpResponse:
    _case_or_404(request, case_id)
    return _run(
        request,
        lambda: case_services.case_claim(case_id=case_id, agent=request.user),
        success="Vous avez pris en charge cette affaire.",
        case_id=case_id,
    )


@agent_required(roles=CASE_ROLES)
@require_POST
def release(request: HttpRequest, case_id: int) -> HttpResponse:
    _case_or_404(request, case_id)
    return _run(
        request,
        lambda: case_services.case_release(case_id=case_id, agent=request.user),
        success="L'affaire est remise dans la file.",
        case_id=case_id,
    )


def _complementary_request_id(case: Case) -> int:
    if case.kind != CaseKind.COMPLEMENTARY_CHOICE:
        raise Http404
    expected = ContentType.objects.get_for_model(ChoiceRequest)
    if case.subject_type_id != expected.pk:
        raise Http404
    return case.subject_id


@agent_required(roles=CASE_ROLES)
@require_POST
def apply_choices(request: HttpRequest, case_id: int) -> HttpResponse:
    request_id = _complementary_request_id(_case_or_404(request, case_id))
    return _run(
        request,
        lambda: complementary_services.choice_request_apply(
            request_id=request_id, agent=request.user
        ),
        success="Les choix sont appliqués : la transmission des paiements est mise à jour.",
        case_id=case_id,
    )


@agent_required(roles=CASE_ROLES)
@require_POST
def close(request: HttpRequest, case_id: int) -> HttpResponse:
    """O7: the case service closes it through its procedure's own closer."""
    _case_or_404(request, case_id)
    return _run(
        request,
        lambda: case_services.case_close(case_id=case_id, agent=request.user),
        success="L'affaire est clôturée ; l'assuré en est averti.",
        case_id=case_id,
    )
