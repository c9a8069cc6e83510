"""Notices posted in the account when an order moves (rule V6)."""

from django.urls import reverse

from guichet.cards.models import CardOrder
from guichet.notifications.services import notification_post

TRACKING_URL_NAME = "web:card_tracking"


def _post(order: CardOrder, title: str, body: str) -> None:
    notification_post(
        recipient=order.ordered_by,
        title=title,
        body=body,
        link_url=reverse(TRACKING_URL_NAME),
        link_label="Suivre ma commande de carte Vitale",
    )


def order_rejected(*, order: CardOrder) -> None:
    _post(
        order,
        "Commande de carte Vitale refusée",
        f"Votre commande de carte Vitale pour {order.beneficiary.full_name} n'a pas pu être "
        f"acceptée : {order.rejection_reason}",
    )


def order_sent(*, order: CardOrder) -> None:
    _post(
        order,
        "Carte Vitale envoyée",
        f"La carte Vitale de {order.beneficiary.full_name} vous a été envoyée par courrier.",
    )


def order_delivered(*, order: CardOrder) -> None:
    _post(
        order,
        "Nouvelle carte Vitale active",
        f"La nouvelle carte Vitale de {order.beneficiary.full_name} est remise et active. "
        "L'ancienne carte reste en opposition.",
    )
