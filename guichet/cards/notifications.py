"""Notices posted in the account, and emails queued in the outbox, when an order moves (V6).

The emails only point to the tracking page: no NIR, no health data, no rejection reason (it
may describe an identity document); the beneficiary is named by first name only.
"""

from guichet.cards.models import CardOrder
from guichet.notifications.links import web_path, web_url
from guichet.notifications.services import account_email_queue, notification_post

TRACKING_URL_NAME = "web:card_tracking"
REJECTED_SUBJECT = "Votre commande de carte Vitale a été refusée"
SENT_SUBJECT = "Votre commande de carte Vitale a été envoyée"
DELIVERED_SUBJECT = "Votre commande de carte Vitale a été remise"


def _post(order: CardOrder, title: str, body: str) -> None:
    notification_post(
        recipient=order.ordered_by,
        title=title,
        body=body,
        link_url=web_path(TRACKING_URL_NAME),
        link_label="Suivre ma commande de carte Vitale",
        about=order,
    )


def _email(order: CardOrder, *, subject: str, template: str, **extra: object) -> None:
    """Queue the email to the ordering account's confirmed address (or, once it is closed, to
    the account the person opened since)."""
    beneficiary = order.beneficiary
    ordered_by = order.ordered_by
    account_email_queue(
        recipient=ordered_by,
        subject=subject,
        template=f"emails/{template}",
        context={
            "for_self": beneficiary.pk in (ordered_by.person_id, ordered_by.closed_person_id),
            "first_name": beneficiary.given_name,
            "tracking_url": web_url(TRACKING_URL_NAME),
            **extra,
        },
        category=template,
    )


def order_rejected(*, order: CardOrder) -> None:
    _post(
        order,
        "Commande de carte Vitale refusée",
        f"Votre commande de carte Vitale pour {order.beneficiary.full_name} n'a pas pu être "
        f"acceptée : {order.rejection_reason}",
    )
    _email(order, subject=REJECTED_SUBJECT, template="card_order_rejected")


def order_sent(*, order: CardOrder) -> None:
    _post(
        order,
        "Carte Vitale envoyée",
        f"La carte Vitale de {order.beneficiary.full_name} vous a été envoyée par courrier.",
    )
    _email(order, subject=SENT_SUBJECT, template="card_order_sent")


OLD_CARD_OPPOSED = "L'ancienne carte est en opposition : elle ne peut plus être utilisée."


def order_delivered(*, order: CardOrder) -> None:
    """The new card is active; the card it replaces, if any, is opposed (not for a first card)."""
    body = f"La nouvelle carte Vitale de {order.beneficiary.full_name} est remise et active."
    if order.replaced_card_id:
        body += f" {OLD_CARD_OPPOSED}"
    _post(order, "Nouvelle carte Vitale active", body)
    _email(
        order,
        subject=DELIVERED_SUBJECT,
        template="card_order_delivered",
        old_card_opposed=order.replaced_card_id is not None,
    )
