"""« Mon agenda »: « Prendre un rendez-vous », « Mes rendez-vous », « Déplacer un rendez-vous »
(issue 17, RDV1–RDV6, RDV17–RDV21).

Works without JavaScript: step 1 is a GET form (for whom, motif and place), step 2 lists one
week of computed free slots as radio buttons and books with one POST; moving lists the weeks
of the same motif and place the same way."""

import datetime as dt
from itertools import groupby

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from guichet.appointments import rules, selectors, services
from guichet.appointments.models import Appointment, Motif, Place
from guichet.core import clock
from guichet.core.refusals import Refused
from guichet.interfaces.web.access import insured_required
from guichet.interfaces.web.appointments.forms import MotifPlaceForm, MoveForm, SlotForm
from guichet.interfaces.web.navigation import account_context
from guichet.powers import selectors as power_selectors
from guichet.powers.models import PowerOfAttorney

BOOK_TITLE = "Prendre un rendez-vous"
WEEK = dt.timedelta(days=7)


def _choice_form(
    request: HttpRequest, data: QueryDict | None
) -> tuple[MotifPlaceForm, Place | None]:
    """Rule RDV24: any fund's place, the person's own fund's first; the motifs are those of
    the place named in the query (bound, or only shown with « Afficher les motifs de ce
    lieu »), else of the person's own fund."""
    person = request.user.person
    places = selectors.places_for_person(person=person)
    place_id = _int(request.GET.get("lieu"))
    place = places.filter(pk=place_id).first() if place_id else None
    motifs = (
        selectors.motifs_for_place(place=place)
        if place is not None
        else selectors.motifs_for_person(person=person)
    )
    initial = {}
    if data is None and place is not None:
        initial = {"lieu": place.pk, "beneficiaire": _int(request.GET.get("beneficiaire"))}
    form = MotifPlaceForm(
        data,
        motifs=motifs,
        places=places,
        people=selectors.bookable_people(holder=person),
        own_fund_id=person.family.fund_id,
        initial=initial,
    )
    return form, place


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def _week(request: HttpRequest, motif: Motif) -> dict:
    """The week of slots shown (« du » in the query), within the booking window (RDV1)."""
    earliest, latest = rules.booking_window(motif, clock.now())
    first_day, last_day = earliest.astimezone(clock.PARIS).date(), latest.date()
    week = _week_start(request, first_day, last_day)
    week_end = min(week + WEEK - dt.timedelta(1), last_day)
    return {
        "week": week,
        "week_end": week_end,
        "previous_week": week - WEEK if week > first_day else None,
        "next_week": week + WEEK if week + WEEK <= last_day else None,
    }


def _days(starts: list[dt.datetime]) -> list[tuple[dt.date, list[dt.datetime]]]:
    return [
        (day, list(group))
        for day, group in groupby(starts, key=lambda s: s.astimezone(clock.PARIS).date())
    ]


def _for_whom(request: HttpRequest, appointment: Appointment) -> str:
    """A beneficiary's name when the appointment is not the account holder's own (RDV19)."""
    if appointment.person_id == request.user.person_id:
        return ""
    return appointment.person.full_name


def _proxy_offer(power: PowerOfAttorney | None, starts: list[dt.datetime]) -> dict:
    """Rule RDV21: « Je me ferai représenter par mon mandataire » only when the power in
    force covers at least one of the slots shown; when it ends before some or all of them,
    the page says so and offers to renew it."""
    covered = [start for start in starts if rules.power_covers(power, start)]
    return {
        "power": power,
        "proxy_offered": bool(covered),
        "power_ends_before": any(rules.power_ends_before(power, start) for start in starts),
    }


@insured_required
@require_GET
def appointment_book(request: HttpRequest) -> HttpResponse:
    """Step 1: the place (any fund's, the person's own fund's first: RDV24) and the motif
    (of the place's fund: « Afficher les motifs de ce lieu » reloads them without JavaScript)."""
    form, place = _choice_form(request, None)
    return render(
        request,
        "web/appointments/book.html",
        account_context(request, "home", title=BOOK_TITLE, form=form, place=place),
    )


def _week_start(request: HttpRequest, first_day: dt.date, last_day: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("du", ""))
    except ValueError:
        return first_day
    return min(max(day, first_day), last_day)


@insured_required
@require_http_methods(["GET", "POST"])
def appointment_slots(request: HttpRequest) -> HttpResponse:
    """Step 2: a free slot of the week, the phone, and the proxy when a power is in force."""
    person = request.user.person
    choice, _ = _choice_form(request, request.GET)
    if not choice.is_valid():
        return render(
            request,
            "web/appointments/book.html",
            account_context(request, "home", title=BOOK_TITLE, form=choice),
            status=400,
        )
    motif, place = choice.cleaned_data["motif"], choice.cleaned_data["lieu"]
    beneficiary = choice.beneficiary()
    week = _week(request, motif)
    slots = selectors.free_slots(
        place=place, motif=motif, first_day=week["week"], last_day=week["week_end"]
    )
    starts = selectors.free_starts(slots)
    # The power is the beneficiary's own: a dependant booked by the holder has none (RDV19).
    power = power_selectors.current_power(person=beneficiary)
    offer = _proxy_offer(power, starts)
    form = SlotForm(
        request.POST if request.method == "POST" else None,
        starts=starts,
        proxy_offered=offer["proxy_offered"],
    )
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_book(
                person=beneficiary,
                by=request.user,
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
            return redirect("web:appointment_done", appointment_id=appointment.pk)
    query = f"motif={motif.pk}&lieu={place.pk}"
    if "beneficiaire" in choice.fields:
        query += f"&beneficiaire={beneficiary.pk}"
    context = account_context(
        request,
        "home",
        title=f"{BOOK_TITLE} — Choix du créneau",
        form=form,
        motif=motif,
        place=place,
        beneficiary=beneficiary,
        for_other=beneficiary.pk != person.pk,
        other_fund=place.fund_id != person.family.fund_id,
        days=_days(starts),
        query=query,
        **offer,
        **week,
    )
    status = 400 if request.method == "POST" else 200
    return render(request, "web/appointments/slots.html", context, status=status)


@insured_required
@require_GET
def appointment_done(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.appointment_for_person(
        person=request.user.person, appointment_id=appointment_id
    )
    if appointment is None:
        raise Http404
    return render(
        request,
        "web/appointments/done.html",
        account_context(
            request,
            "home",
            title="Votre rendez-vous est confirmé",
            appointment=appointment,
            for_whom=_for_whom(request, appointment),
        ),
    )


@insured_required
@require_GET
def appointments(request: HttpRequest) -> HttpResponse:
    """« Mes rendez-vous »: upcoming and past; cancel until the delay before (rule RDV5)."""
    holder = request.user.person
    upcoming, past = selectors.appointments_of(person=holder)
    now = clock.now()
    power = power_selectors.current_power(person=holder) if upcoming else None
    rows = [
        {
            "appointment": a,
            "cancellable": rules.cancel_refusal(a, now) is None,
            "movable": rules.move_refusal(a, now) is None,
            "for_whom": _for_whom(request, a),
            # RDV21: represented, but the power no longer covers the date (ended or revoked).
            "power_lapsed": a.represented_by_proxy
            and a.person_id == holder.pk
            and not rules.power_covers(power, a.start),
        }
        for a in upcoming
    ]
    return render(
        request,
        "web/appointments/list.html",
        account_context(
            request,
            "home",
            title="Mes rendez-vous",
            upcoming=rows,
            past=past,
            holder=holder,
            cancel_hours=rules.cancel_delay().total_seconds() // 3600,
        ),
    )


@insured_required
@require_http_methods(["GET", "POST"])
def appointment_cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    person = request.user.person
    appointment = selectors.appointment_for_person(person=person, appointment_id=appointment_id)
    if appointment is None:
        raise Http404
    # The page says beforehand whether it can still be cancelled (RDV5); on POST the service
    # decides, whatever the page showed.
    refusal = rules.cancel_refusal(appointment, clock.now())
    if request.method == "POST":
        try:
            services.appointment_cancel_by_person(
                person=person, appointment_id=appointment.pk, by=request.user
            )
        except Refused as refused:
            refusal = refused.refusal
        else:
            messages.success(request, "Votre rendez-vous est annulé.")
            return redirect("web:appointments")
    return render(
        request,
        "web/appointments/cancel.html",
        account_context(
            request,
            "home",
            title="Annuler un rendez-vous",
            appointment=appointment,
            for_whom=_for_whom(request, appointment),
            refusal=refusal,
        ),
        status=400 if request.method == "POST" else 200,
    )


@insured_required
@require_http_methods(["GET", "POST"])
def appointment_move(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """« Déplacer un rendez-vous »: a week of free slots of the same motif and place; the
    service decides (RDV17: the booking's rules, up to the cancellation delay before)."""
    person = request.user.person
    appointment = selectors.appointment_for_person(person=person, appointment_id=appointment_id)
    if appointment is None:
        raise Http404
    refusal = rules.move_refusal(appointment, clock.now())
    week = _week(request, appointment.motif)
    starts = []
    if refusal is None:
        slots = selectors.free_slots(
            place=appointment.place,
            motif=appointment.motif,
            first_day=week["week"],
            last_day=week["week_end"],
        )
        starts = [s for s in selectors.free_starts(slots) if s != appointment.start]
    form = MoveForm(request.POST if request.method == "POST" else None, starts=starts)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_reschedule(
                person=person,
                appointment_id=appointment.pk,
                by=request.user,
                start=form.cleaned_data["slot"],
            )
        except Refused as refused:
            field = refused.field if refused.field in form.fields else None
            form.add_error(field, refused.message)
        else:
            messages.success(
                request,
                "Votre rendez-vous est déplacé. Un email vous est envoyé avec le fichier agenda "
                "mis à jour.",
            )
            return redirect("web:appointments")
    power = (
        power_selectors.current_power(person=appointment.person)
        if appointment.represented_by_proxy
        else None
    )
    return render(
        request,
        "web/appointments/move.html",
        account_context(
            request,
            "home",
            title="Déplacer un rendez-vous",
            appointment=appointment,
            refusal=refusal,
            form=form,
            days=_days(starts),
            power=power,
            for_whom=_for_whom(request, appointment),
            **week,
        ),
        status=400 if request.method == "POST" else 200,
    )
