"""Notices in the account and emails in the outbox when a CEAM is ordered and sent (CEAM8).

The emails point to the tracking page only: no NIR, no card number; the beneficiary is named
by first name only.
"""

from guichet.ceam.models import CeamOrder
from guichet.notifications.links import web_path, web_url
from guichet.notifications.services import account_email_queue, notification_post

TRACKING_URL_NAME = "web:ceam_tracking"
ORDERED_SUBJECT = "Votre commande de carte européenne d'assurance maladie est enregistrée"
SENT_SUBJECT = "Votre carte européenne d'assurance maladie a été envoyée"


def _post(order: CeamOrder, title: str, body: str) -> None:
    notification_post(
        recipient=order.ordered_by,
        title=title,
        body=body,
        link_url=web_path(TRACKING_URL_NAME),
        link_label="Suivre ma commande de CEAM",
        about=order,
    )


def _email(order: CeamOrder, *, subject: str, template: str, **extra: object) -> None:
    ordered_by = order.ordered_by
    account_email_queue(
        recipient=ordered_by,
        subject=subject,
        template=f"emails/{template}",
        context={
            "for_self": order.beneficiary_id in (ordered_by.person_id, ordered_by.closed_person_id),
            "first_name": order.beneficiary.given_name,
            "expected_on": order.expected_on,
            "tracking_url": web_url(TRACKING_URL_NAME),
            **extra,
        },
        category=template,
    )


def order_received(*, order: CeamOrder) -> None:
    body = (
        f"La carte européenne d'assurance maladie de {order.beneficiary.full_name} vous "
        f"parviendra d'ici le {order.expected_on:%d/%m/%Y}."
    )
    if order.provisional_certificate_id:
        body += " Son certificat provisoire de remplacement est téléchargeable dès maintenant."
    _post(order, "Commande de CEAM enregistrée", body)
    _email(
        order,
        subject=ORDERED_SUBJECT,
        template="ceam_order_received",
        with_certificate=order.provisional_certificate_id is not None,
    )


def order_sent(*, order: CeamOrder) -> None:
    _post(
        order,
        "CEAM envoyée",
        f"La carte européenne d'assurance maladie de {order.beneficiary.full_name} vous a été "
        "envoyée par courrier.",
    )
    _email(order, subject=SENT_SUBJECT, template="ceam_order_sent")
