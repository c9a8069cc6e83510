"""« Mon agenda »: « Prendre un rendez-vous » and « Mes rendez-vous » (issue 17, RDV1–RDV6).

Works without JavaScript: step 1 is a GET form (motif and place), step 2 lists one week of
computed free slots as radio buttons and books with one POST."""

import datetime as dt
from itertools import groupby

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from guichet.appointments import rules, selectors, services
from guichet.core import clock
from guichet.core.refusals import Refused
from guichet.interfaces.web.access import insured_required
from guichet.interfaces.web.appointments.forms import MotifPlaceForm, SlotForm
from guichet.interfaces.web.navigation import account_context
from guichet.powers import selectors as power_selectors

BOOK_TITLE = "Prendre un rendez-vous"
WEEK = dt.timedelta(days=7)


def _choice_form(request: HttpRequest, data: object) -> MotifPlaceForm:
    person = request.user.person
    return MotifPlaceForm(
        data,
        motifs=selectors.motifs_for_person(person=person),
        places=selectors.places_for_person(person=person),
    )


@insured_required
@require_GET
def appointment_book(request: HttpRequest) -> HttpResponse:
    """Step 1: the motif and the place."""
    form = _choice_form(request, None)
    return render(
        request,
        "web/appointments/book.html",
        account_context(request, "home", title=BOOK_TITLE, form=form),
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
    choice = _choice_form(request, request.GET)
    if not choice.is_valid():
        return render(
            request,
            "web/appointments/book.html",
            account_context(request, "home", title=BOOK_TITLE, form=choice),
            status=400,
        )
    motif, place = choice.cleaned_data["motif"], choice.cleaned_data["lieu"]
    now = clock.now()
    earliest, latest = rules.booking_window(motif, now)
    first_day, last_day = earliest.astimezone(clock.PARIS).date(), latest.date()
    week = _week_start(request, first_day, last_day)
    slots = selectors.free_slots(
        place=place,
        motif=motif,
        first_day=week,
        last_day=min(week + WEEK - dt.timedelta(1), last_day),
    )
    starts = selectors.free_starts(slots)
    power = power_selectors.current_power(person=person)
    form = SlotForm(
        request.POST if request.method == "POST" else None,
        starts=starts,
        proxy_offered=power is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_book(
                person=person,
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
    days = [
        (day, list(group))
        for day, group in groupby(starts, key=lambda s: s.astimezone(clock.PARIS).date())
    ]
    query = f"motif={motif.pk}&lieu={place.pk}"
    context = account_context(
        request,
        "home",
        title=f"{BOOK_TITLE} — Choix du créneau",
        form=form,
        motif=motif,
        place=place,
        days=days,
        power=power,
        query=query,
        week=week,
        week_end=min(week + WEEK - dt.timedelta(1), last_day),
        previous_week=week - WEEK if week > first_day else None,
        next_week=week + WEEK if week + WEEK <= last_day else None,
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
            request, "home", title="Votre rendez-vous est confirmé", appointment=appointment
        ),
    )


@insured_required
@require_GET
def appointments(request: HttpRequest) -> HttpResponse:
    """« Mes rendez-vous »: upcoming and past; cancel until the delay before (rule RDV5)."""
    upcoming, past = selectors.appointments_of(person=request.user.person)
    now = clock.now()
    rows = [(a, rules.cancel_refusal(a, now) is None) for a in upcoming]
    return render(
        request,
        "web/appointments/list.html",
        account_context(
            request,
            "home",
            title="Mes rendez-vous",
            upcoming=rows,
            past=past,
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
            refusal=refusal,
        ),
        status=400 if request.method == "POST" else 200,
    )
