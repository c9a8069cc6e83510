"""The agents' agenda (issue 17): the day's and the week's appointments per place and per
agent, the preparatory calls, the front desk's check-in and outcomes, and booking for an
insured person. Views validate, call one service or selector, render (rules RDV7–RDV16)."""

import datetime as dt
from itertools import groupby
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.accounts.enums import AgentRole
from guichet.accounts.models import User
from guichet.appointments import rules, selectors, services
from guichet.appointments.enums import AppointmentStatus, Arrival, Weekday
from guichet.appointments.models import Appointment, OpeningSlot, Place
from guichet.core import clock
from guichet.core.masking import format_nir
from guichet.core.refusals import Refused
from guichet.frontdesk import selectors as frontdesk_selectors
from guichet.frontdesk import services as frontdesk_services
from guichet.frontdesk.enums import ConsultationReason
from guichet.interfaces.agents.access import agent_required
from guichet.interfaces.agents.agenda.forms import (
    AbsenceForm,
    AgendaForm,
    CallForm,
    CallsForm,
    CheckInForm,
    ClosureForm,
    MotifForm,
    MotifPlaceForm,
    OpeningEditForm,
    OpeningSlotForm,
    OutcomeForm,
    PersonLookupForm,
    PlaceForm,
    SlotForm,
)
from guichet.powers import selectors as power_selectors
from guichet.powers.models import PowerOfAttorney

FRONT_DESK = [AgentRole.FRONT_DESK]  # supervisors are always allowed by agent_required
SUPERVISOR = [AgentRole.SUPERVISOR]
WEEK = dt.timedelta(days=7)
OUTCOME_LABELS = {
    AppointmentStatus.SEEN: "Marquer « reçu »",
    AppointmentStatus.NO_SHOW: "Marquer « absent »",
    AppointmentStatus.CANCELLED_BY_FUND: "Annuler le rendez-vous (caisse)",
}
OUTCOME_DONE = {
    AppointmentStatus.SEEN: "Le rendez-vous est marqué « reçu ».",
    AppointmentStatus.NO_SHOW: "Le rendez-vous est marqué « absent ». Cela ne pénalise pas l'assuré : il peut reprendre rendez-vous.",
    AppointmentStatus.CANCELLED_BY_FUND: "Le rendez-vous est annulé ; l'assuré en est informé par email et dans son compte.",
}


def _days(appointments: list[Appointment]) -> list[tuple[dt.date, list[Appointment]]]:
    return [
        (day, list(rows)) for day, rows in groupby(appointments, key=lambda a: a.local_start.date())
    ]


@agent_required(roles=FRONT_DESK)
@require_GET
def agenda(request: HttpRequest) -> HttpResponse:
    """Rule RDV16: the day's or the week's agenda of a place, optionally of one agent."""
    places = selectors.places_for_agent(agent=request.user)
    data = request.GET.copy()
    if "lieu" not in data and len(places) == 1:
        data["lieu"] = str(places[0].pk)
    chosen = selectors.place_for_agent(agent=request.user, place_id=_int(data.get("lieu")))
    agents = (
        [
            (a.pk, f"{a.first_name} {a.last_name}".strip() or a.username)
            for a in selectors.place_agents(agent=request.user, place=chosen)
        ]
        if chosen
        else []
    )
    form = AgendaForm(data if "lieu" in data else None, places=places, agents=agents)
    context: dict = {"form": form, "title": "Agenda de l'accueil"}
    if form.is_bound and form.is_valid():
        place = form.cleaned_data["lieu"]
        day = form.cleaned_data["jour"] or clock.today()
        week = form.cleaned_data["vue"] == "semaine"
        first = day - dt.timedelta(days=day.weekday()) if week else day
        last = first + dt.timedelta(days=6) if week else day
        rows = selectors.agenda(
            agent=request.user,
            place=place,
            first_day=first,
            last_day=last,
            of_agent_id=form.cleaned_data["agent"],
        )
        step = WEEK if week else dt.timedelta(days=1)
        query = {"lieu": place.pk, "vue": "semaine" if week else "jour"}
        if form.cleaned_data["agent"]:
            query["agent"] = form.cleaned_data["agent"]
        context.update(
            place=place,
            week=week,
            first=first,
            last=last,
            days=_days(rows),
            count=len(rows),
            previous_url=_agenda_url(query, first - step),
            next_url=_agenda_url(query, first + step),
            other_view_url=_agenda_url(
                {**query, "vue": "jour" if week else "semaine"}, day if not week else first
            ),
            title=f"Agenda — {place.name}",
        )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "agents/agenda/agenda.html", context, status=status)


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def _agenda_url(query: dict, day: dt.date) -> str:
    return f"{reverse('agents:agenda-day')}?{urlencode({**query, 'jour': day.isoformat()})}"


@agent_required(roles=FRONT_DESK)
@require_GET
def calls(request: HttpRequest) -> HttpResponse:
    """Rule RDV8: tomorrow's booked appointments to call, with the outcome already recorded,
    at every place of the agent's fund or at the one chosen (RDV16)."""
    tomorrow = clock.today() + dt.timedelta(days=1)
    form = CallsForm(
        request.GET if "lieu" in request.GET else None,
        places=selectors.places_for_agent(agent=request.user),
    )
    context: dict = {"form": form, "day": tomorrow, "title": "Appels préparatoires", "rows": []}
    if form.is_bound and not form.is_valid():
        return render(request, "agents/agenda/calls.html", context, status=400)
    place = form.cleaned_data["lieu"] if form.is_bound else None
    rows = selectors.calls_due(agent=request.user, day=tomorrow, place=place)
    context.update(
        place=place,
        lieu_query=f"?{urlencode({'lieu': place.pk})}" if place else "",
        rows=[(a, CallForm(prefix=f"a{a.pk}")) for a in rows],
    )
    return render(request, "agents/agenda/calls.html", context)


@agent_required(roles=FRONT_DESK)
@require_POST
def call_record(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = _appointment(request, appointment_id)
    form = CallForm(request.POST, prefix=f"a{appointment.pk}")
    if form.is_valid():
        try:
            services.appointment_call_record(
                appointment_id=appointment.pk,
                agent=request.user,
                outcome=form.cleaned_data["outcome"],
            )
        except Refused as refused:
            messages.error(request, f"{appointment.person.full_name} : {refused.message}")
        except Appointment.DoesNotExist as gone:
            raise Http404 from gone
        else:
            messages.success(
                request,
                f"Appel préparatoire de {appointment.person.full_name} enregistré : "
                f"{dict(form.fields['outcome'].choices)[form.cleaned_data['outcome']].lower()}.",
            )
    else:
        messages.error(request, f"{appointment.person.full_name} : {form.errors['outcome'][0]}")
    place = _int(request.GET.get("lieu"))  # the list's place, checked again by that page
    query = f"?{urlencode({'lieu': place})}" if place else ""
    return redirect(f"{reverse('agents:agenda-calls')}{query}#rdv-{appointment.pk}")


def _appointment(request: HttpRequest, appointment_id: int) -> Appointment:
    appointment = selectors.appointment_for_agent(agent=request.user, appointment_id=appointment_id)
    if appointment is None:
        raise Http404
    return appointment


def _appointment_context(request: HttpRequest, appointment: Appointment) -> dict:
    now = clock.now()
    power = power_selectors.current_power(person=appointment.person)
    latest = power or power_selectors.latest_power(person=appointment.person)
    check_in_open = rules.check_in_refusal(appointment, Arrival.INSURED, None, now) is None
    own_file = appointment.person.family.fund_id == request.user.fund_id
    outcomes = [
        (target, OUTCOME_LABELS[target])
        for target in rules.DESK_TARGETS
        if services.APPOINTMENT_MACHINE.can(appointment.status, target)
        and rules.outcome_refusal(appointment, target, now) is None
    ]
    return {
        "appointment": appointment,
        # Rule RDV25: another fund's insured, received at this fund's place: this appointment
        # only, neither their NIR nor their client file.
        "own_file": own_file,
        "nir_display": format_nir(appointment.person.nir or "") if own_file else "",
        "power": latest,
        "power_usable": power is not None and power.is_usable_at(now),
        "check_in_open": check_in_open,
        "check_in_form": _check_in_form(appointment, proxy_offered=power is not None),
        "outcomes": outcomes,
        "outcome_form": OutcomeForm(),
        "transitions": list(appointment.transitions.select_related("by")),
        "title": f"Rendez-vous de {appointment.person.full_name}",
    }


def _check_in_form(appointment: Appointment, *, proxy_offered: bool) -> CheckInForm:
    """Who is expected: the proxy when the person said she will be represented (RDV8)."""
    expected = (
        Arrival.PROXY if proxy_offered and appointment.represented_by_proxy else Arrival.INSURED
    )
    return CheckInForm(proxy_offered=proxy_offered, initial={"arrival": expected})


@agent_required(roles=FRONT_DESK)
@require_GET
def appointment(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """The appointment opened at the front desk, beside the power when one is in force."""
    found = _appointment(request, appointment_id)
    return render(request, "agents/agenda/appointment.html", _appointment_context(request, found))


@agent_required(roles=FRONT_DESK)
@require_POST
def check_in(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """Rule RDV11: the arrival, with the proxy's identity document checked (P8)."""
    found = _appointment(request, appointment_id)
    context = _appointment_context(request, found)
    form = CheckInForm(request.POST, proxy_offered=context["check_in_form"].proxy_offered)
    if form.is_valid():
        try:
            services.appointment_check_in(
                appointment_id=found.pk,
                agent=request.user,
                arrival=form.cleaned_data["arrival"],
                document_type=form.cleaned_data["document_type"],
                document_last_digits=form.cleaned_data["document_last_digits"],
            )
        except (Appointment.DoesNotExist, PowerOfAttorney.DoesNotExist) as gone:
            raise Http404 from gone
        except Refused as refused:
            field = refused.field if refused.field in form.fields else None
            form.add_error(field, refused.message)
        else:
            if form.cleaned_data["arrival"] == Arrival.PROXY:
                messages.success(
                    request,
                    "Identité du mandataire vérifiée et arrivée enregistrée : le RDV peut commencer.",
                )
            else:
                messages.success(request, "Arrivée enregistrée : le RDV peut commencer.")
            return redirect("agents:agenda-appointment", appointment_id=found.pk)
    context["check_in_form"] = form
    return render(request, "agents/agenda/appointment.html", context, status=400)


@agent_required(roles=FRONT_DESK)
@require_POST
def outcome(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """Rule RDV7: seen, no-show or cancelled by the fund (the person is told of a cancellation)."""
    found = _appointment(request, appointment_id)
    target = request.POST.get("target", "")
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.appointment_move(
                appointment_id=found.pk,
                agent=request.user,
                target=target,
                note=form.cleaned_data["note"],
            )
        except Appointment.DoesNotExist as gone:
            raise Http404 from gone
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, OUTCOME_DONE[AppointmentStatus(target)])
        return redirect("agents:agenda-appointment", appointment_id=found.pk)
    context = _appointment_context(request, found)
    context["outcome_form"] = form
    return render(request, "agents/agenda/appointment.html", context, status=400)


@agent_required(roles=FRONT_DESK)
@require_POST
def client_file(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """The appointment's client file: the consultation is logged (« Préparation d'un
    rendez-vous », rule P8), then the front desk's file page opens."""
    found = _appointment(request, appointment_id)
    try:
        consultation = frontdesk_services.consultation_record(
            agent=request.user, person=found.person, reason=ConsultationReason.APPOINTMENT
        )
    except Refused as refused:
        raise Http404 from refused
    return redirect("agents:frontdesk_file", consultation_id=consultation.pk)


@agent_required(roles=FRONT_DESK)
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    """Rule RDV15, step 1: find the insured of the agent's fund by NIR (the look-up is logged
    as a client-file consultation, « Préparation d'un rendez-vous »)."""
    form = PersonLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = frontdesk_selectors.person_by_nir(nir=form.cleaned_data["nir"], agent=request.user)
        if person is None:
            form.add_error("nir", rules.NOT_IN_FUND.message)
        else:
            try:
                consultation = frontdesk_services.consultation_record(
                    agent=request.user, person=person, reason=ConsultationReason.APPOINTMENT
                )
            except Refused as refused:
                form.add_error(None, refused.message)
            else:
                return redirect("agents:agenda-book-slots", consultation_id=consultation.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "agents/agenda/book.html",
        {"form": form, "title": "Prendre un rendez-vous pour un assuré"},
        status=status,
    )


def _week_start(request: HttpRequest, first_day: dt.date, last_day: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("du", ""))
    except ValueError:
        return first_day
    return min(max(day, first_day), last_day)


@agent_required(roles=FRONT_DESK)
@require_http_methods(["GET", "POST"])
def book_slots(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """Rule RDV15, step 2: motif and place, then a free slot, the phone and the proxy flag,
    booked through the person's own rules (RDV1–RDV10) with the agent as `booked_by`."""
    consultation = frontdesk_selectors.consultation_for(
        agent=request.user, consultation_id=consultation_id
    )
    if consultation is None:
        raise Http404
    person = consultation.person
    power = power_selectors.current_power(person=person)
    # Rule RDV24: any fund's place, the person's (the agent's) fund's first; the motifs of the
    # place named in the query (« Afficher les motifs de ce lieu »), else of the person's fund.
    places = selectors.places_for_person(person=person)
    place_id = _int(request.GET.get("lieu"))
    chosen = places.filter(pk=place_id).first() if place_id else None
    choice = MotifPlaceForm(
        request.GET if "motif" in request.GET and "motifs" not in request.GET else None,
        motifs=(
            selectors.motifs_for_place(place=chosen)
            if chosen is not None
            else selectors.motifs_for_person(person=person)
        ),
        places=places,
        own_fund_id=person.family.fund_id,
        initial={"lieu": chosen.pk} if chosen is not None else {},
    )
    context: dict = {
        "consultation": consultation,
        "person": person,
        "nir_display": format_nir(person.nir or ""),
        "power": power,
        "choice": choice,
        "chosen_place": chosen,
        "title": f"Rendez-vous pour {person.full_name}",
    }
    if not (choice.is_bound and choice.is_valid()):
        status = 400 if choice.is_bound else 200
        return render(request, "agents/agenda/book_slots.html", context, status=status)
    motif, place = choice.cleaned_data["motif"], choice.cleaned_data["lieu"]
    earliest, latest = rules.booking_window(motif, clock.now())
    first_day, last_day = earliest.astimezone(clock.PARIS).date(), latest.date()
    week = _week_start(request, first_day, last_day)
    week_end = min(week + WEEK - dt.timedelta(1), last_day)
    slots = selectors.free_slots(place=place, motif=motif, first_day=week, last_day=week_end)
    starts = selectors.free_starts(slots)
    form = SlotForm(
        request.POST if request.method == "POST" else None,
        starts=starts,
        proxy_offered=power is not None,
        initial={"phone": person.mobile_phone or person.landline_phone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            booked = services.appointment_book_by_agent(
                agent=request.user,
                person=person,
                motif=motif,
                place=place,
                start=form.cleaned_data["slot"],
                phone=form.cleaned_data["phone"],
                represented_by_proxy=form.cleaned_data.get("represented", False),
            )
        except Refused as refused:
            field = refused.field if refused.field in form.fields else None
            form.add_error(field, refused.message)
        else:
            messages.success(
                request,
                f"Rendez-vous réservé pour {person.full_name} le "
                f"{booked.local_start:%d/%m/%Y à %H:%M} ; la confirmation lui est envoyée.",
            )
            return redirect("agents:agenda-appointment", appointment_id=booked.pk)
    query = f"motif={motif.pk}&lieu={place.pk}"
    context.update(
        form=form,
        motif=motif,
        place=place,
        days=[
            (day, list(group))
            for day, group in groupby(starts, key=lambda s: s.astimezone(clock.PARIS).date())
        ],
        query=query,
        week=week,
        week_end=week_end,
        previous_week=week - WEEK if week > first_day else None,
        next_week=week + WEEK if week + WEEK <= last_day else None,
    )
    status = 400 if request.method == "POST" else 200
    return render(request, "agents/agenda/book_slots.html", context, status=status)


@agent_required(roles=FRONT_DESK)
@require_http_methods(["GET", "POST"])
def absence(request: HttpRequest) -> HttpResponse:
    """Rule RDV14: declare an absence; the booked appointments inside it are cancelled by the
    fund and each person is told (email and notification)."""
    agents = list(selectors.absence_agents(agent=request.user))
    form = AbsenceForm(
        request.POST or None,
        agents=[(a.pk, f"{a.first_name} {a.last_name}".strip() or a.username) for a in agents],
        initial={"agent": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        absent = next(a for a in agents if a.pk == form.cleaned_data["agent"])
        try:
            _, cancelled = services.absence_record(
                by=request.user,
                agent=absent,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                reason=form.cleaned_data["reason"],
            )
        except Refused as refused:
            field = refused.field if refused.field in form.fields else None
            form.add_error(field, refused.message)
        else:
            messages.success(
                request,
                f"Absence enregistrée : {len(cancelled)} rendez-vous annulé(s), "
                "chaque assuré est prévenu par email et dans son compte.",
            )
            return redirect("agents:agenda-day")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "agents/agenda/absence.html",
        {"form": form, "title": "Déclarer une absence"},
        status=status,
    )


# --- A place's openings and closed days: its fund's supervisors (rules RDV22, RDV23) ---------


def _agent_name(agent: User) -> str:
    return f"{agent.first_name} {agent.last_name}".strip() or agent.username


@agent_required(roles=SUPERVISOR)
@require_GET
def places(request: HttpRequest) -> HttpResponse:
    """The fund's places, each with its upcoming bookings, to edit, and its openings and closed
    days to manage (rules RDV22, RDV23, RDV26); one query whatever their number."""
    return render(
        request,
        "agents/agenda/places.html",
        {
            "places": selectors.places_with_upcoming(agent=request.user),
            "title": "Lieux d'accueil : plages et fermetures",
        },
    )


def _kept_message(kept: int) -> str:
    """Rule RDV27: what a deactivation keeps."""
    if not kept:
        return ""
    return (
        f" Plus aucun nouveau rendez-vous n'y sera pris ; les {kept} rendez-vous déjà réservés "
        "et à venir sont maintenus."
    )


@agent_required(roles=SUPERVISOR)
@require_http_methods(["GET", "POST"])
def place_form(request: HttpRequest, place_id: int | None = None) -> HttpResponse:
    """Rule RDV26: a new place of the supervisor's fund, or one of its places edited."""
    place = _supervised_place(request, place_id) if place_id is not None else None
    initial = (
        {
            "name": place.name,
            "address": place.address,
            "opening_hours": place.opening_hours,
            "is_active": place.is_active,
        }
        if place
        else {"is_active": True}
    )
    form = PlaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved, kept = services.place_save(by=request.user, place=place, **form.cleaned_data)
        except Refused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            done = "modifié" if place else "créé"
            messages.success(request, f"Lieu « {saved.name} » {done}.{_kept_message(kept)}")
            return redirect("agents:agenda-places")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "agents/agenda/place_form.html",
        {
            "place": place,
            "form": form,
            "title": f"Modifier le lieu — {place.name}" if place else "Ajouter un lieu d'accueil",
        },
        status=status,
    )


@agent_required(roles=SUPERVISOR)
@require_GET
def motifs(request: HttpRequest) -> HttpResponse:
    """Rule RDV26: the fund's motifs, active or not, with their upcoming bookings."""
    return render(
        request,
        "agents/agenda/motifs.html",
        {
            "motifs": selectors.motifs_for_supervisor(agent=request.user),
            "title": "Motifs de rendez-vous",
        },
    )


@agent_required(roles=SUPERVISOR)
@require_http_methods(["GET", "POST"])
def motif_form(request: HttpRequest, motif_id: int | None = None) -> HttpResponse:
    """Rule RDV26: a new motif of the supervisor's fund, or one of its motifs edited."""
    motif = None
    if motif_id is not None:
        motif = selectors.motif_for_supervisor(agent=request.user, motif_id=motif_id)
        if motif is None:
            raise Http404
    initial = (
        {
            "name": motif.name,
            "channel": motif.channel,
            "duration_minutes": motif.duration_minutes,
            "min_booking_delay_hours": motif.min_booking_delay_hours,
            "max_booking_delay_days": motif.max_booking_delay_days,
            "is_active": motif.is_active,
        }
        if motif
        else {
            "min_booking_delay_hours": rules.DEFAULT_MIN_BOOKING_DELAY_HOURS,
            "max_booking_delay_days": rules.DEFAULT_MAX_BOOKING_DELAY_DAYS,
            "is_active": True,
        }
    )
    form = MotifForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved, kept = services.motif_save(by=request.user, motif=motif, **form.cleaned_data)
        except Refused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            done = "modifié" if motif else "créé"
            messages.success(request, f"Motif « {saved.name} » {done}.{_kept_message(kept)}")
            return redirect("agents:agenda-motifs")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "agents/agenda/motif_form.html",
        {
            "motif": motif,
            "form": form,
            "title": f"Modifier le motif — {motif.name}" if motif else "Ajouter un motif",
        },
        status=status,
    )


def _supervised_opening(request: HttpRequest, opening_id: int) -> OpeningSlot:
    opening = selectors.opening_for_supervisor(agent=request.user, opening_id=opening_id)
    if opening is None:
        raise Http404
    return opening


@agent_required(roles=SUPERVISOR)
@require_http_methods(["GET", "POST"])
def opening_edit(request: HttpRequest, opening_id: int) -> HttpResponse:
    """Rule RDV28: an opening edited (overlaps refused, RDV4; bookings it would drop listed)."""
    opening = _supervised_opening(request, opening_id)
    place = opening.place
    form = OpeningEditForm(
        request.POST or None,
        motifs=selectors.fund_motifs(place=place),
        initial={
            "motifs": list(opening.motifs.all()),
            "weekdays": opening.weekdays,
            "start_time": opening.start_time,
            "end_time": opening.end_time,
            "first_day": opening.first_day,
            "last_day": opening.last_day,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.opening_slot_update(
                by=request.user,
                opening=opening,
                motifs=list(data["motifs"]),
                weekdays=data["weekdays"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                first_day=data["first_day"],
                last_day=data["last_day"],
            )
        except Refused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(
                request, f"Plage d'ouverture de {_agent_name(opening.agent)} modifiée."
            )
            return redirect("agents:agenda-place-openings", place_id=place.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "agents/agenda/opening_edit.html",
        {
            "place": place,
            "opening": opening,
            "form": form,
            "title": f"Modifier une plage d'ouverture — {place.name}",
        },
        status=status,
    )


@agent_required(roles=SUPERVISOR)
@require_POST
def opening_remove(request: HttpRequest, opening_id: int) -> HttpResponse:
    """Rule RDV28: an opening removed, unless appointments booked in it are still to come."""
    opening = _supervised_opening(request, opening_id)
    try:
        services.opening_slot_remove(by=request.user, opening=opening)
    except Refused as refused:
        messages.error(request, f"La plage n'est pas supprimée. {refused.message}")
    else:
        messages.success(request, f"Plage d'ouverture de {_agent_name(opening.agent)} supprimée.")
    return redirect("agents:agenda-place-openings", place_id=opening.place_id)


@agent_required(roles=SUPERVISOR)
@require_POST
def closure_remove(request: HttpRequest, closure_id: int) -> HttpResponse:
    """Rule RDV29: a closed day removed; the bookings it cancelled stay cancelled."""
    closure = selectors.closure_for_supervisor(agent=request.user, closure_id=closure_id)
    if closure is None:
        raise Http404
    try:
        services.place_closure_remove(by=request.user, closure=closure)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            f"Le lieu est de nouveau ouvert le {closure.day:%d/%m/%Y} : ses créneaux sont "
            "proposés à nouveau. Les rendez-vous annulés par la fermeture restent annulés.",
        )
    return redirect("agents:agenda-place-closures", place_id=closure.place_id)


def _supervised_place(request: HttpRequest, place_id: int) -> Place:
    place = selectors.place_for_supervisor(agent=request.user, place_id=place_id)
    if place is None:
        raise Http404
    return place


@agent_required(roles=SUPERVISOR)
@require_http_methods(["GET", "POST"])
def place_openings(request: HttpRequest, place_id: int) -> HttpResponse:
    """Rule RDV22: the place's recurring openings, and a new one (overlaps refused, RDV4)."""
    place = _supervised_place(request, place_id)
    agents = list(selectors.opening_agents(place=place))
    form = OpeningSlotForm(
        request.POST or None,
        agents=[(a.pk, _agent_name(a)) for a in agents],
        motifs=selectors.fund_motifs(place=place),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opening = services.opening_slot_open(
                by=request.user,
                agent=next(a for a in agents if a.pk == data["agent"]),
                place=place,
                motifs=list(data["motifs"]),
                weekdays=data["weekdays"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                first_day=data["first_day"],
                last_day=data["last_day"],
            )
        except Refused as refused:
            field = refused.field if refused.field in form.fields else None
            form.add_error(field, refused.message)
        else:
            messages.success(
                request,
                f"Plage d'ouverture enregistrée pour {_agent_name(opening.agent)} : "
                f"{opening.start_time:%H:%M}–{opening.end_time:%H:%M}.",
            )
            return redirect("agents:agenda-place-openings", place_id=place.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "agents/agenda/place_openings.html",
        {
            "place": place,
            "openings": selectors.place_openings(place=place),
            "weekday_labels": dict(Weekday.choices),
            "form": form,
            "title": f"Plages d'ouverture — {place.name}",
        },
        status=status,
    )


@agent_required(roles=SUPERVISOR)
@require_http_methods(["GET", "POST"])
def place_closures(request: HttpRequest, place_id: int) -> HttpResponse:
    """Rule RDV23: the place's closed days, and a new one (its appointments cancelled)."""
    place = _supervised_place(request, place_id)
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closure, cancelled = services.place_closure_record(
                by=request.user,
                place=place,
                day=form.cleaned_data["day"],
                reason=form.cleaned_data["reason"],
            )
        except Refused as refused:
            field = refused.field if refused.field in form.fields else None
            form.add_error(field, refused.message)
        else:
            messages.success(
                request,
                f"Fermeture du {closure.day:%d/%m/%Y} enregistrée : {len(cancelled)} rendez-vous "
                "annulé(s), chaque assuré est prévenu par email et dans son compte.",
            )
            return redirect("agents:agenda-place-closures", place_id=place.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "agents/agenda/place_closures.html",
        {
            "place": place,
            "closures": selectors.place_closures(place=place),
            "form": form,
            "title": f"Jours de fermeture — {place.name}",
        },
        status=status,
    )
