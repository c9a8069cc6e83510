"""The confirmation (with its calendar file) and the cancellation notice (rule RDV10).

They go to the person's own account and address, even when a proxy will attend: mail stays
addressed to the insured (rule P8).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from guichet.accounts.models import User
from guichet.appointments.calendar import appointment_ics
from guichet.appointments.enums import AppointmentStatus
from guichet.appointments.models import Appointment
from guichet.notifications.services import Attachment, account_email_queue, notification_post

LIST_URL_NAME = "web:appointments"
BOOKED_SUBJECT = "Votre rendez-vous avec l'Assurance Maladie est confirmé"
CANCELLED_SUBJECT = "Votre rendez-vous avec l'Assurance Maladie est annulé"


def _account(appointment: Appointment) -> User | None:
    return User.objects.filter(person_id=appointment.person_id, closed_at__isnull=True).first()


def _context(appointment: Appointment) -> dict:
    return {
        "appointment": appointment,
        "first_name": appointment.person.given_name,
        "when": appointment.local_start,
        "list_url": settings.SITE_URL.rstrip("/") + reverse(LIST_URL_NAME),
    }


def _when(appointment: Appointment) -> str:
    return f"{appointment.local_start:%d/%m/%Y à %H:%M}"


def appointment_booked(*, appointment: Appointment) -> None:
    account = _account(appointment)
    if account is None:
        return
    notification_post(
        recipient=account,
        title="Rendez-vous confirmé",
        body=f"Votre rendez-vous « {appointment.motif.name} » du {_when(appointment)} est confirmé.",
        link_url=reverse(LIST_URL_NAME),
        link_label="Mes rendez-vous",
    )
    account_email_queue(
        recipient=account,
        subject=BOOKED_SUBJECT,
        template="emails/appointment_booked",
        context=_context(appointment),
        category="appointment_booked",
        attachment=Attachment("rendez-vous.ics", "text/calendar", appointment_ics(appointment)),
    )


def appointment_cancelled(*, appointment: Appointment) -> None:
    account = _account(appointment)
    if account is None:
        return
    by_fund = appointment.status == AppointmentStatus.CANCELLED_BY_FUND
    notification_post(
        recipient=account,
        title="Rendez-vous annulé",
        body=(
            f"Votre rendez-vous « {appointment.motif.name} » du {_when(appointment)} a été "
            + ("annulé par votre caisse." if by_fund else "annulé à votre demande.")
        ),
        link_url=reverse("web:appointment_book"),
        link_label="Prendre un rendez-vous",
    )
    account_email_queue(
        recipient=account,
        subject=CANCELLED_SUBJECT,
        template="emails/appointment_cancelled",
        context={**_context(appointment), "by_fund": by_fund},
        category="appointment_cancelled",
        attachment=Attachment(
            "rendez-vous-annule.ics", "text/calendar", appointment_ics(appointment, cancelled=True)
        ),
    )
