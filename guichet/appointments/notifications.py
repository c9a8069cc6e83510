"""The confirmation (with its calendar file), the notices of a move and of a cancellation, and
the 48-hour reminder (rules RDV10, RDV18, RDV20).

They go to the person's own account and address, even when a proxy will attend: mail stays
addressed to the insured (rule P8); for a beneficiary without an account of their own, to the
account of the insured who opens the family's rights and booked it (rule RDV19).
"""

from __future__ import annotations

import datetime as dt

from guichet.accounts.models import User
from guichet.appointments.calendar import appointment_ics
from guichet.appointments.enums import AppointmentStatus
from guichet.appointments.models import Appointment
from guichet.core import clock
from guichet.notifications.links import web_path, web_url
from guichet.notifications.services import Attachment, account_email_queue, notification_post
from guichet.reference.enums import FamilyRole

LIST_URL_NAME = "web:appointments"
BOOKED_SUBJECT = "Votre rendez-vous avec l'Assurance Maladie est confirmé"
CANCELLED_SUBJECT = "Votre rendez-vous avec l'Assurance Maladie est annulé"
MOVED_SUBJECT = "Votre rendez-vous avec l'Assurance Maladie a changé d'horaire"
REMINDER_SUBJECT = "Rappel : votre rendez-vous avec l'Assurance Maladie"


def _account(appointment: Appointment) -> User | None:
    """The person's own open account, else (a beneficiary without one) the family holder's."""
    accounts = User.objects.filter(closed_at__isnull=True)
    own = accounts.filter(person_id=appointment.person_id).first()
    if own is not None or appointment.person.is_rights_opener:
        return own
    return (
        accounts.filter(
            person__family_id=appointment.person.family_id,
            person__role=FamilyRole.RIGHTS_OPENER,
        )
        .select_related("person")
        .first()
    )


def _for_whom(appointment: Appointment, account: User) -> str:
    """« pour Léa MARTIN » when the appointment is a beneficiary's, shown in the holder's mail."""
    if account.person_id == appointment.person_id:
        return ""
    return appointment.person.full_name


def _context(appointment: Appointment, account: User) -> dict:
    return {
        "appointment": appointment,
        "first_name": account.person.given_name if account.person else "",
        "for_whom": _for_whom(appointment, account),
        "when": appointment.local_start,
        "list_url": web_url(LIST_URL_NAME),
    }


def _whose(appointment: Appointment, account: User) -> str:
    for_whom = _for_whom(appointment, account)
    return f"Le rendez-vous de {for_whom}" if for_whom else "Votre rendez-vous"


def _when(appointment: Appointment) -> str:
    return f"{appointment.local_start:%d/%m/%Y à %H:%M}"


def appointment_booked(*, appointment: Appointment) -> None:
    account = _account(appointment)
    if account is None:
        return
    notification_post(
        recipient=account,
        title="Rendez-vous confirmé",
        body=f"{_whose(appointment, account)} « {appointment.motif.name} » du "
        f"{_when(appointment)} est confirmé.",
        link_url=web_path(LIST_URL_NAME),
        link_label="Mes rendez-vous",
        about=appointment,
    )
    account_email_queue(
        recipient=account,
        subject=BOOKED_SUBJECT,
        template="emails/appointment_booked",
        context=_context(appointment, account),
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
            f"{_whose(appointment, account)} « {appointment.motif.name} » du "
            f"{_when(appointment)} a été "
            + ("annulé par votre caisse." if by_fund else "annulé à votre demande.")
        ),
        link_url=web_path("web:appointment_book"),
        link_label="Prendre un rendez-vous",
        about=appointment,
    )
    account_email_queue(
        recipient=account,
        subject=CANCELLED_SUBJECT,
        template="emails/appointment_cancelled",
        context={**_context(appointment, account), "by_fund": by_fund},
        category="appointment_cancelled",
        attachment=Attachment(
            "rendez-vous-annule.ics", "text/calendar", appointment_ics(appointment, cancelled=True)
        ),
    )


def appointment_moved(*, appointment: Appointment, previous_start: dt.datetime) -> None:
    """Rule RDV18: the notice of a move, with the calendar file of the same UID and a higher
    SEQUENCE, so that the person's calendar moves its event instead of adding one."""
    account = _account(appointment)
    if account is None:
        return
    before = previous_start.astimezone(clock.PARIS)
    notification_post(
        recipient=account,
        title="Rendez-vous déplacé",
        body=f"{_whose(appointment, account)} « {appointment.motif.name} » du "
        f"{before:%d/%m/%Y à %H:%M} est déplacé au {_when(appointment)}.",
        link_url=web_path(LIST_URL_NAME),
        link_label="Mes rendez-vous",
        about=appointment,
    )
    account_email_queue(
        recipient=account,
        subject=MOVED_SUBJECT,
        template="emails/appointment_moved",
        context={**_context(appointment, account), "before": before},
        category="appointment_moved",
        attachment=Attachment("rendez-vous.ics", "text/calendar", appointment_ics(appointment)),
    )


def appointment_reminder(*, appointment: Appointment) -> None:
    """Rule RDV20: the reminder, 48 hours before, with the calendar file again."""
    account = _account(appointment)
    if account is None:
        return
    notification_post(
        recipient=account,
        title="Rappel de rendez-vous",
        body=f"{_whose(appointment, account)} « {appointment.motif.name} » a lieu le "
        f"{_when(appointment)}.",
        link_url=web_path(LIST_URL_NAME),
        link_label="Mes rendez-vous",
        about=appointment,
    )
    account_email_queue(
        recipient=account,
        subject=REMINDER_SUBJECT,
        template="emails/appointment_reminder",
        context=_context(appointment, account),
        category="appointment_reminder",
        attachment=Attachment("rendez-vous.ics", "text/calendar", appointment_ics(appointment)),
    )
