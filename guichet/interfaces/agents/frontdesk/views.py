"""Front-desk pages (rule P8): open a client file with a logged reason, see the proxy, check
their identity document and record the use."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts import selectors as account_selectors
from guichet.accounts.enums import AgentRole
from guichet.appointments import selectors as appointment_selectors
from guichet.core import clock
from guichet.core.masking import format_nir
from guichet.frontdesk import selectors as frontdesk_selectors
from guichet.frontdesk import services as frontdesk_services
from guichet.interfaces.agents.access import agent_required
from guichet.interfaces.agents.frontdesk.forms import FileLookupForm, IdentityCheckForm
from guichet.powers import selectors as power_selectors
from guichet.powers import services as power_services
from guichet.powers.models import PowerOfAttorney
from guichet.reference import selectors as reference_selectors

FRONT_DESK = [AgentRole.FRONT_DESK]  # supervisors are always allowed by agent_required


@agent_required(roles=FRONT_DESK)
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    form = FileLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = frontdesk_selectors.person_by_nir(nir=form.cleaned_data["nir"], agent=request.user)
        if person is None:
            form.add_error("nir", frontdesk_services.NOT_IN_FUND)
        else:
            try:
                consultation = frontdesk_services.consultation_record(
                    agent=request.user,
                    person=person,
                    reason=form.cleaned_data["reason"],
                    detail=form.cleaned_data["detail"],
                )
            except frontdesk_services.ConsultationRefused as refused:
                form.add_error(None, refused.message)
            else:
                return redirect("agents:frontdesk_file", consultation_id=consultation.pk)
    return render(
        request, "agents/frontdesk/lookup.html", {"form": form, "title": "Accueil — fiche client"}
    )


def _file_context(request: HttpRequest, consultation_id: int) -> dict:
    consultation = frontdesk_selectors.consultation_for(
        agent=request.user, consultation_id=consultation_id
    )
    if consultation is None:
        raise Http404
    person = consultation.person
    power = power_selectors.latest_power(person=person)
    return {
        "consultation": consultation,
        "person": person,
        "nir_display": format_nir(person.nir or ""),
        "power": power,
        "power_usable": power is not None and power.is_usable_at(clock.now()),
        "rights_open": reference_selectors.has_open_rights(person=person, day=clock.today()),
        "online_account": account_selectors.online_account(person=person),
        "uses": list(power.uses.select_related("agent", "fund")) if power else [],
        "appointments": appointment_selectors.person_appointments_for_agent(
            agent=request.user, person=person
        ),
        "title": f"Fiche client — {person.full_name}",
    }


@agent_required(roles=FRONT_DESK)
@require_http_methods(["GET"])
def client_file(request: HttpRequest, consultation_id: int) -> HttpResponse:
    context = _file_context(request, consultation_id)
    context["check_form"] = IdentityCheckForm()
    return render(request, "agents/frontdesk/file.html", context)


@agent_required(roles=FRONT_DESK)
@require_POST
def power_use(request: HttpRequest, consultation_id: int) -> HttpResponse:
    context = _file_context(request, consultation_id)
    power = context["power"]
    if power is None:
        raise Http404
    form = IdentityCheckForm(request.POST)
    if form.is_valid():
        try:
            power_services.power_use_record(
                power_id=power.pk,
                grantor=context["person"],
                agent=request.user,
                document_type=form.cleaned_data["document_type"],
                document_last_digits=form.cleaned_data["document_last_digits"],
            )
        except PowerOfAttorney.DoesNotExist as gone:
            raise Http404 from gone
        except power_services.PowerNotUsable as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                f"Identité du mandataire vérifiée : vous pouvez recevoir "
                f"{power.proxy_display_name} pour le compte de l'assuré.",
            )
        return redirect("agents:frontdesk_file", consultation_id=consultation_id)
    context["check_form"] = form
    return render(request, "agents/frontdesk/file.html", context, status=400)
