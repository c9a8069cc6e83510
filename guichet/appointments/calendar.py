"""The calendar file (ICS, RFC 5545) sent with the confirmation, a move, the reminder and the
cancellation (RDV10, RDV18)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from icalendar import Calendar, Event

from guichet.appointments.enums import Channel
from guichet.appointments.models import Appointment
from guichet.core import clock

PRODUCT_ID = "-//Guichet//Rendez-vous//FR"


def appointment_uid(appointment: Appointment) -> str:
    """The same UID for an appointment's every file, so that a calendar replaces its event."""
    host = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "guichet"
    return f"rendez-vous-{appointment.pk}@{host}"


def appointment_ics(appointment: Appointment, *, cancelled: bool = False) -> str:
    """One event at the appointment's time (in UTC, which every calendar reads), where it takes
    place, and no personal data beyond the motif: the file may be synced anywhere."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", appointment_uid(appointment))
    event.add("dtstamp", clock.now().astimezone(dt.UTC))
    event.add("dtstart", appointment.start.astimezone(dt.UTC))
    event.add("dtend", appointment.end.astimezone(dt.UTC))
    event.add("summary", f"{appointment.motif.name} — {appointment.place.fund.name}")
    if appointment.motif.channel == Channel.PHONE:
        event.add("location", f"Par téléphone, au {appointment.phone}")
        event.add("description", "Un conseiller de votre caisse vous appellera.")
    else:
        event.add("location", f"{appointment.place.name}, {appointment.place.address}")
        event.add(
            "description",
            "Présentez-vous à l'accueil avec votre carte Vitale. Votre mandataire, s'il vous "
            "représente, apporte une pièce d'identité valide.",
        )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # Rule RDV18: each move raised `sequence`; a cancellation is one more change.
    event.add("sequence", appointment.sequence + (1 if cancelled else 0))
    calendar.add_component(event)
    return calendar.to_ical().decode()
