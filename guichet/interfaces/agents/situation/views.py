"""« Modifier mes coordonnées bancaires » on the agents' side: the front desk records new bank
details with the insured's RIB (SIT11), the back office checks them (SIT9: the RIB shown beside
the IBAN and holder typed, then « Coordonnées conformes » or a refusal with its reason). Only for
a file or a case of the agent's fund (others: 404). « Changement de nom d'usage » likewise: the
proof shown beside the name typed, then approval or a refusal with its reason (SIT14); and
« Déclaration du nouveau-né »: the birth certificate, then the NIR certified or a refusal (SIT20);
« Inscrire votre enfant sur la carte Vitale de l'autre parent »: the proof naming both parents,
then the child attached to the other parent's family or a refusal (SIT25)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.accounts.enums import AgentRole
from guichet.cards.uploads import UploadRejected
from guichet.cases import selectors as case_selectors
from guichet.cases.models import Case
from guichet.core.http import stored_file_response
from guichet.core.masking import mask_iban
from guichet.core.refusals import Refused
from guichet.frontdesk import selectors as frontdesk_selectors
from guichet.frontdesk.models import FileConsultation
from guichet.interfaces.agents.access import agent_required
from guichet.interfaces.agents.situation.forms import (
    BankChangeDecisionForm,
    DeskBankDetailsForm,
    NewbornDecisionForm,
    OtherParentDecisionForm,
    UsageNameDecisionForm,
)
from guichet.situation import selectors, services
from guichet.situation.enums import (
    Decision,
    NewbornDecision,
    OtherParentDecision,
    UsageNameDecision,
)
from guichet.situation.models import (
    BankDetailsChange,
    NewbornDeclaration,
    OtherParentRegistration,
    UsageNameChange,
)

ROLES = [AgentRole.BACK_OFFICE]
DESK_ROLES = [AgentRole.FRONT_DESK]  # supervisors are always allowed by agent_required


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


@agent_required(roles=DESK_ROLES)
@require_http_methods(["GET", "POST"])
def desk_bank_details(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """SIT11: the front desk records new bank details for the insured whose file it opened;
    the back office checks them like a request made online."""
    consultation = frontdesk_selectors.consultation_for(
        agent=request.user, consultation_id=consultation_id
    )
    if consultation is None:
        raise Http404("Fiche introuvable.")
    person = consultation.person
    form = DeskBankDetailsForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.bank_details_change_record_at_desk(
                agent=request.user,
                consultation_id=consultation.pk,
                iban=form.cleaned_data["iban"],
                holder_name=form.cleaned_data["holder_name"],
                rib=form.cleaned_data["rib"],
                identity_checked=form.cleaned_data["identity_checked"],
            )
        except FileConsultation.DoesNotExist as gone:
            raise Http404("Fiche introuvable.") from gone
        except ValidationError as invalid:
            form.add_error(None, invalid)
        except UploadRejected as rejected:
            form.add_error("rib", str(rejected))
        except Refused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(
                request,
                "Les nouvelles coordonnées bancaires sont transmises au back-office pour "
                "vérification ; l'IBAN actuel est conservé jusque-là.",
            )
            return redirect("agents:frontdesk_file", consultation_id=consultation.pk)
    return render(
        request,
        "agents/situation/desk_bank_details.html",
        {
            "title": f"Coordonnées bancaires — {person.full_name}",
            "consultation": consultation,
            "person": person,
            "current_iban": mask_iban(person.iban) if person.iban else "",
            "refusal": services.bank_details_change_refusal(person=person),
            "form": form,
        },
    )


def _case_and_usage_name(request: HttpRequest, case_id: int) -> tuple[Case, UsageNameChange]:
    case = case_selectors.case_for_agent(agent=request.user, case_id=case_id)
    change = selectors.usage_name_change_for_case(case=case) if case is not None else None
    if case is None or change is None:
        raise Http404("Affaire introuvable.")
    return case, change


@agent_required(roles=ROLES)
@require_GET
def usage_name_proof(request: HttpRequest, case_id: int) -> HttpResponse:
    case, _ = _case_and_usage_name(request, case_id)
    return stored_file_response(selectors.usage_name_proof(case=case, agent=request.user))


@agent_required(roles=ROLES)
@require_POST
def usage_name_decide(request: HttpRequest, case_id: int) -> HttpResponse:
    case, change = _case_and_usage_name(request, case_id)
    form = UsageNameDecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == UsageNameDecision.APPROVE
        try:
            services.usage_name_change_decide(
                change_id=change.pk,
                agent=request.user,
                approve=approve,
                reason=form.cleaned_data["reason"],
            )
        except UsageNameChange.DoesNotExist as gone:
            raise Http404("Affaire introuvable.") from gone
        except Refused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(
                request,
                "Le nom d'usage est enregistré ; l'assuré en est averti."
                if approve
                else "La demande est refusée ; l'assuré en est averti.",
            )
            return redirect("agents:case_detail", case_id=case.pk)
    return render(
        request,
        "agents/situation/usage_name_decide.html",
        {"title": f"Affaire n° {case.pk}", "case": case, "change": change, "form": form},
    )


def _case_and_newborn(request: HttpRequest, case_id: int) -> tuple[Case, NewbornDeclaration]:
    case = case_selectors.case_for_agent(agent=request.user, case_id=case_id)
    declaration = selectors.newborn_for_case(case=case) if case is not None else None
    if case is None or declaration is None:
        raise Http404("Affaire introuvable.")
    return case, declaration


@agent_required(roles=ROLES)
@require_GET
def newborn_certificate(request: HttpRequest, case_id: int) -> HttpResponse:
    case, _ = _case_and_newborn(request, case_id)
    return stored_file_response(selectors.newborn_birth_certificate(case=case, agent=request.user))


@agent_required(roles=ROLES)
@require_POST
def newborn_decide(request: HttpRequest, case_id: int) -> HttpResponse:
    case, declaration = _case_and_newborn(request, case_id)
    form = NewbornDecisionForm(request.POST)
    if form.is_valid():
        certify = form.cleaned_data["decision"] == NewbornDecision.CERTIFY
        try:
            services.newborn_decide(
                declaration_id=declaration.pk,
                agent=request.user,
                certify=certify,
                nir=form.cleaned_data["nir"],
                reason=form.cleaned_data["reason"],
            )
        except NewbornDeclaration.DoesNotExist as gone:
            raise Http404("Affaire introuvable.") from gone
        except Refused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(
                request,
                "Le NIR de l'enfant est certifié ; l'assuré en est averti."
                if certify
                else "La déclaration est refusée ; l'assuré en est averti.",
            )
            return redirect("agents:case_detail", case_id=case.pk)
    return render(
        request,
        "agents/situation/newborn_decide.html",
        {"title": f"Affaire n° {case.pk}", "case": case, "declaration": declaration, "form": form},
    )


def _case_and_registration(
    request: HttpRequest, case_id: int
) -> tuple[Case, OtherParentRegistration]:
    case = case_selectors.case_for_agent(agent=request.user, case_id=case_id)
    registration = (
        selectors.other_parent_registration_for_case(case=case) if case is not None else None
    )
    if case is None or registration is None:
        raise Http404("Affaire introuvable.")
    return case, registration


@agent_required(roles=ROLES)
@require_GET
def other_parent_proof(request: HttpRequest, case_id: int) -> HttpResponse:
    case, _ = _case_and_registration(request, case_id)
    return stored_file_response(selectors.other_parent_proof(case=case, agent=request.user))


@agent_required(roles=ROLES)
@require_POST
def other_parent_decide(request: HttpRequest, case_id: int) -> HttpResponse:
    case, registration = _case_and_registration(request, case_id)
    form = OtherParentDecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == OtherParentDecision.APPROVE
        try:
            services.other_parent_registration_decide(
                registration_id=registration.pk,
                agent=request.user,
                approve=approve,
                reason=form.cleaned_data["reason"],
            )
        except OtherParentRegistration.DoesNotExist as gone:
            raise Http404("Affaire introuvable.") from gone
        except Refused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(
                request,
                "L'enfant est inscrit sur la carte Vitale de l'autre parent ; les deux parents "
                "en sont avertis."
                if approve
                else "La demande est refusée ; l'assuré en est averti.",
            )
            return redirect("agents:case_detail", case_id=case.pk)
    return render(
        request,
        "agents/situation/other_parent_decide.html",
        {
            "title": f"Affaire n° {case.pk}",
            "case": case,
            "registration": registration,
            "form": form,
        },
    )
