"""/appointments: « Mon agenda » in the app — list, free slots, book, move, cancel (rules
RDV1–RDV6, RDV17–RDV21), over appointments.services and appointments.selectors, scoped to the
token's account (its holder and, for the insured who opens the rights, the family)."""

import datetime as dt
from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.params import functions
from pydantic import AfterValidator, Field

from guichet.appointments import rules, selectors, services
from guichet.appointments.models import Appointment, Motif, Place
from guichet.appointments.validators import clean_appointment_phone
from guichet.core import clock
from guichet.core.refusals import Refused
from guichet.interfaces.api.errors import INVALID_INPUT, ApiError, responses
from guichet.interfaces.api.params import MAX_ID, ObjectId
from guichet.interfaces.api.schemas import PersonOut, domain_check, person_out
from guichet.interfaces.api.security import current_user
from guichet.powers import selectors as power_selectors
from guichet.reference.models import Person

router = Router(tags=["Rendez-vous"])

MOTIF_CHOICE = "Choisissez l'un des motifs proposés."
PLACE_CHOICE = "Choisissez l'un des lieux proposés."
START_TIMEZONE = (
    "Indiquez la date et l'heure avec leur fuseau horaire, par exemple 2026-03-18T09:00:00+01:00."
)
MAX_DAYS = 14


def _aware(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError(START_TIMEZONE)
    return value


AwareStart = Annotated[
    dt.datetime,
    AfterValidator(_aware),
    Field(description="Début du créneau, avec son fuseau horaire."),
]


class MotifOut(Schema):
    id: int
    name: str
    channel: str = Field(description="« desk » (à l'accueil) ou « phone » (par téléphone).")
    channel_label: str
    duration_minutes: int
    min_booking_delay_hours: int
    max_booking_delay_days: int


class PlaceOut(Schema):
    id: int
    name: str
    address: str
    opening_hours: str
    fund_name: str = Field(description="La caisse de ce lieu d'accueil.")
    own_fund: bool = Field(
        description="Un accueil de la caisse de l'assuré (listés d'abord) ; sinon d'une autre "
        "caisse, où l'on réserve avec les motifs de cette caisse (règle RDV24)."
    )


class ChoicesOut(Schema):
    beneficiaries: list[PersonOut] = Field(
        description="Pour qui réserver : le titulaire d'abord, puis les bénéficiaires de sa "
        "famille s'il ouvre les droits (règle RDV19)."
    )
    motifs: list[MotifOut] = Field(
        description="Les motifs de la caisse du lieu `place_id` s'il est donné, sinon de la "
        "caisse de l'assuré (règle RDV24)."
    )
    places: list[PlaceOut] = Field(
        description="Tous les lieux ouverts aux rendez-vous : ceux de la caisse de l'assuré "
        "d'abord, puis ceux des autres caisses (règle RDV24)."
    )


class SlotsOut(Schema):
    motif: MotifOut
    place: PlaceOut
    first_day: dt.date
    last_day: dt.date
    starts: list[dt.datetime] = Field(description="Débuts des créneaux libres (Europe/Paris).")
    proxy_until: dt.datetime | None = Field(
        description="Fin de la procuration en cours du bénéficiaire : « représenté par son "
        "mandataire » n'est accepté que pour un créneau jusqu'à cette date (RDV6, RDV21)."
    )
    proxy_message: str = Field(description="Le texte du site sur la procuration, vide sinon.")


class AppointmentOut(Schema):
    id: int
    person: PersonOut
    motif: MotifOut
    place: PlaceOut
    start: dt.datetime
    end: dt.datetime
    phone: str
    represented_by_proxy: bool
    status: str = Field(
        description="booked, seen, no_show, cancelled_by_person ou cancelled_by_fund."
    )
    status_label: str
    can_move: bool = Field(description="Déplaçable en ligne maintenant (règle RDV17).")
    can_cancel: bool = Field(description="Annulable en ligne maintenant (règle RDV5).")
    summary: str


class AppointmentsOut(Schema):
    upcoming: list[AppointmentOut]
    past: list[AppointmentOut]


class BookIn(Schema):
    motif_id: int = Field(ge=1, le=MAX_ID)
    place_id: int = Field(ge=1, le=MAX_ID)
    start: AwareStart
    phone: Annotated[str, domain_check(clean_appointment_phone)] = Field(
        max_length=20, description="Pour vous joindre la veille, par exemple 06 12 34 56 78."
    )
    represented_by_proxy: bool = Field(
        False, description="« Je me ferai représenter par mon mandataire »."
    )
    beneficiary_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Un bénéficiaire de la famille ; vous par défaut."
    )


class MoveIn(Schema):
    start: AwareStart


def motif_out(motif: Motif) -> MotifOut:
    return MotifOut(
        id=motif.pk,
        name=motif.name,
        channel=motif.channel,
        channel_label=motif.get_channel_display(),
        duration_minutes=motif.duration_minutes,
        min_booking_delay_hours=motif.min_booking_delay_hours,
        max_booking_delay_days=motif.max_booking_delay_days,
    )


def place_out(place: Place, own_fund_id: int) -> PlaceOut:
    return PlaceOut(
        id=place.pk,
        name=place.name,
        address=place.address,
        opening_hours=place.opening_hours,
        fund_name=place.fund.name,
        own_fund=place.fund_id == own_fund_id,
    )


def appointment_out(appointment: Appointment, now: dt.datetime) -> AppointmentOut:
    return AppointmentOut(
        id=appointment.pk,
        person=person_out(appointment.person),
        motif=motif_out(appointment.motif),
        place=place_out(appointment.place, appointment.person.family.fund_id),
        start=appointment.start,
        end=appointment.end,
        phone=appointment.phone,
        represented_by_proxy=appointment.represented_by_proxy,
        status=appointment.status,
        status_label=appointment.get_status_display(),
        can_move=rules.move_refusal(appointment, now) is None,
        can_cancel=rules.cancel_refusal(appointment, now) is None,
        summary=str(appointment),
    )


def _refused(refused: Refused) -> ApiError:
    """A rule's refusal: its stable code and the web's message; a field's answers 422."""
    if refused.code == "phone":
        return ApiError(422, "invalid_input", INVALID_INPUT, fields={"phone": [refused.message]})
    return ApiError(409, refused.code, refused.message)


def _motif_place(person: Person, motif_id: int, place_id: int) -> tuple[Motif, Place]:
    """Rule RDV24: any fund's place open to appointments, a motif of that place's fund."""
    place = selectors.places_for_person(person=person).filter(pk=place_id).first()
    motifs = (
        selectors.motifs_for_place(place=place)
        if place is not None
        else selectors.motifs_for_person(person=person)
    )
    motif = motifs.filter(pk=motif_id).first()
    fields = {}
    if motif is None:
        fields["motif_id"] = [MOTIF_CHOICE]
    if place is None:
        fields["place_id"] = [PLACE_CHOICE]
    if motif is None or place is None:
        raise ApiError(422, "invalid_input", INVALID_INPUT, fields=fields)
    return motif, place


def _beneficiary(holder: Person, beneficiary_id: int | None) -> Person:
    """Rule RDV19: the holder, or one of the family's beneficiaries; anyone else is 404."""
    if beneficiary_id is None:
        return holder
    for person in selectors.bookable_people(holder=holder):
        if person.pk == beneficiary_id:
            return person
    raise Http404


@router.get(
    "/appointments",
    response=responses({200: AppointmentsOut}, 401),
    summary="Mes rendez-vous",
)
def appointment_list(request: HttpRequest) -> AppointmentsOut:
    """Upcoming (soonest first) and past or cancelled (latest first), the family's included."""
    upcoming, past = selectors.appointments_of(person=current_user(request).person)
    now = clock.now()
    return AppointmentsOut(
        upcoming=[appointment_out(a, now) for a in upcoming],
        past=[appointment_out(a, now) for a in past],
    )


@router.get(
    "/appointments/choices",
    response=responses({200: ChoicesOut}, 401, 422),
    summary="Pour qui, motifs et lieux",
)
def appointment_choices(
    request: HttpRequest,
    place_id: Annotated[
        int | None,
        functions.Query(
            None, ge=1, le=MAX_ID, description="Un lieu : les motifs de sa caisse (RDV24)."
        ),
    ] = None,
) -> ChoicesOut:
    """« Prendre un rendez-vous », step 1: every place open to appointments, the account's
    fund's first (RDV24), and the motifs of the chosen place's fund (the account's fund's by
    default). An unknown place answers 422."""
    person = current_user(request).person
    places = list(selectors.places_for_person(person=person))
    motifs = selectors.motifs_for_person(person=person)
    if place_id is not None:
        place = next((p for p in places if p.pk == place_id), None)
        if place is None:
            raise ApiError(422, "invalid_input", INVALID_INPUT, fields={"place_id": [PLACE_CHOICE]})
        motifs = selectors.motifs_for_place(place=place)
    own = person.family.fund_id
    return ChoicesOut(
        beneficiaries=[person_out(p) for p in selectors.bookable_people(holder=person)],
        motifs=[motif_out(m) for m in motifs],
        places=[place_out(p, own) for p in places],
    )


@router.get(
    "/appointments/slots",
    response=responses({200: SlotsOut}, 401, 404, 422),
    summary="Créneaux libres",
)
def appointment_slots(
    request: HttpRequest,
    motif_id: Annotated[int, functions.Query(..., ge=1, le=MAX_ID)],
    place_id: Annotated[int, functions.Query(..., ge=1, le=MAX_ID)],
    first_day: Annotated[
        dt.date | None,
        functions.Query(None, description="Premier jour (par défaut, le premier possible)."),
    ] = None,
    days: Annotated[int, functions.Query(7, ge=1, le=MAX_DAYS, description="Jours (≤ 14).")] = 7,
    beneficiary_id: Annotated[int | None, functions.Query(None, ge=1, le=MAX_ID)] = None,
) -> SlotsOut:
    """The computed free slots (RDV9) of a motif at a place, within the booking window (RDV1)."""
    holder = current_user(request).person
    motif, place = _motif_place(holder, motif_id, place_id)
    beneficiary = _beneficiary(holder, beneficiary_id)
    earliest, latest = rules.booking_window(motif, clock.now())
    window_first, window_last = earliest.astimezone(clock.PARIS).date(), latest.date()
    first = min(max(first_day or window_first, window_first), window_last)
    last = min(first + dt.timedelta(days=days - 1), window_last)
    slots = selectors.free_slots(place=place, motif=motif, first_day=first, last_day=last)
    starts = selectors.free_starts(slots)
    power = power_selectors.current_power(person=beneficiary)
    message = ""
    if power is not None and any(rules.power_ends_before(power, s) for s in starts):
        until = power.valid_until.astimezone(clock.PARIS)
        message = (
            f"Votre procuration prend fin le {until:%d/%m/%Y} : pour un créneau après cette "
            "date, votre mandataire ne pourra pas vous représenter. Une nouvelle procuration "
            "est valable 1 mois."
        )
    return SlotsOut(
        motif=motif_out(motif),
        place=place_out(place, holder.family.fund_id),
        first_day=first,
        last_day=last,
        starts=starts,
        proxy_until=power.valid_until if power is not None else None,
        proxy_message=message,
    )


@router.post(
    "/appointments",
    response=responses({201: AppointmentOut}, 400, 401, 404, 409, 422),
    summary="Prendre un rendez-vous",
)
def appointment_book(request: HttpRequest, payload: BookIn) -> Status[AppointmentOut]:
    """Books the slot for the account holder or a beneficiary of the family (RDV1–RDV6,
    RDV19); a slot taken meanwhile answers 409 `slot_taken`."""
    user = current_user(request)
    motif, place = _motif_place(user.person, payload.motif_id, payload.place_id)
    beneficiary = _beneficiary(user.person, payload.beneficiary_id)
    try:
        appointment = services.appointment_book(
            person=beneficiary,
            by=user,
            motif=motif,
            place=place,
            start=payload.start,
            phone=payload.phone,
            represented_by_proxy=payload.represented_by_proxy,
        )
    except Refused as refused:
        raise _refused(refused) from None
    return Status(201, appointment_out(appointment, clock.now()))


def _own(request: HttpRequest, appointment_id: int) -> tuple[Person, Appointment]:
    person = current_user(request).person
    appointment = selectors.appointment_for_person(person=person, appointment_id=appointment_id)
    if appointment is None:
        raise Http404
    return person, appointment


@router.post(
    "/appointments/{appointment_id}/move",
    response=responses({200: AppointmentOut}, 400, 401, 404, 409, 422),
    summary="Déplacer un rendez-vous",
)
def appointment_move(
    request: HttpRequest, appointment_id: ObjectId, payload: MoveIn
) -> AppointmentOut:
    """Another free slot of the same motif and place (RDV17); the same id; an email with the
    updated calendar file (RDV18). Anyone else's appointment answers 404."""
    person, appointment = _own(request, appointment_id)
    try:
        moved = services.appointment_reschedule(
            person=person,
            appointment_id=appointment.pk,
            by=current_user(request),
            start=payload.start,
        )
    except Refused as refused:
        raise _refused(refused) from None
    return appointment_out(moved, clock.now())


@router.post(
    "/appointments/{appointment_id}/cancel",
    response=responses({200: AppointmentOut}, 401, 404, 409, 422),
    summary="Annuler un rendez-vous",
)
def appointment_cancel(request: HttpRequest, appointment_id: ObjectId) -> AppointmentOut:
    """Up to the delay before (RDV5); anyone else's appointment answers 404."""
    person, appointment = _own(request, appointment_id)
    try:
        cancelled = services.appointment_cancel_by_person(
            person=person, appointment_id=appointment.pk, by=current_user(request)
        )
    except Refused as refused:
        raise _refused(refused) from None
    return appointment_out(cancelled, clock.now())
