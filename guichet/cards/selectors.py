"""Reads of the carte Vitale procedure."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from guichet.accounts.models import User
from guichet.accounts.rules import BACK_OFFICE_ROLES, agent_fund_id
from guichet.cards import rules
from guichet.cards.enums import OrderReason, OrderStatus
from guichet.cards.models import CardOrder, CardOrderTransition
from guichet.core import clock
from guichet.core.http import StoredFile
from guichet.core.refusals import Refusal
from guichet.reference.enums import CardStatus
from guichet.reference.models import Card, Person


def _holder(user: User) -> Person:
    if user.person is None:
        raise PermissionError("Réservé aux assurés.")
    return user.person


@dataclass(frozen=True)
class BeneficiaryChoice:
    person: Person
    exclusion: Refusal | None
    window: rules.OrderWindow | None
    reason: OrderReason | None  # V2, when the person may order


def beneficiary_choices(*, user: User) -> list[BeneficiaryChoice]:
    """Step 1 of the order: each person of the family with the rule that excludes them, if any,
    or else why the card would be ordered (V2), in 4 queries whatever the family's size."""
    holder = _holder(user)
    people = rules.orderable_people(person=holder)
    histories = rules.card_histories(holder=holder, people=people)  # 3 queries for the family
    choices = []
    for person in people:
        history = histories[person.pk]
        exclusion = rules.exclusion(holder=holder, beneficiary=person, history=history)
        choices.append(
            BeneficiaryChoice(
                person=person,
                exclusion=exclusion,
                window=history.window,
                reason=None
                if exclusion
                else rules.order_reason(
                    replaced=rules.replaced_card(beneficiary=person, cards=history.cards)
                ),
            )
        )
    return choices


def draft_refusal(*, user: User, order: CardOrder) -> Refusal | None:
    """Why the user's draft `order` may not go on now (V2, V4, V5), or None: the rules of
    ``rules.exclusion`` for its beneficiary, the draft itself set aside. The services of the
    later steps refuse with it; the pages read it to say so before anything is uploaded."""
    return rules.exclusion(
        holder=_holder(user), beneficiary=order.beneficiary, ignoring_order=order
    )


def declarable_cards(*, user: User) -> list[Card]:
    """The active cards the account holder may declare lost, stolen or faulty."""
    people = rules.orderable_people(person=_holder(user))
    return list(
        Card.objects.filter(person__in=people, status=CardStatus.ACTIVE)
        .select_related("person")
        .order_by("person__birth_date")
    )


def outdated_cards(cards: list[Card]) -> list[Card]:
    """V2: the active cards that no longer show their holder's name or NIR."""
    return [card for card in cards if rules.visual_outdated(card, card.person)]


def user_draft(*, user: User, pk: int) -> CardOrder | None:
    return (
        CardOrder.objects.filter(pk=pk, ordered_by=user, status=OrderStatus.DRAFT)
        .select_related("beneficiary__family__scheme")
        .first()
    )


def user_order(*, user: User, pk: int) -> CardOrder | None:
    return CardOrder.objects.filter(pk=pk, ordered_by=user).select_related("beneficiary").first()


def tracked_orders(*, user: User) -> QuerySet[CardOrder]:
    """The validated orders of the account holder and of the family members they order for."""
    people = [p.pk for p in rules.orderable_people(person=_holder(user))]
    return (
        CardOrder.objects.exclude(status=OrderStatus.DRAFT)
        .filter(Q(ordered_by=user) | Q(beneficiary_id__in=people))
        .select_related("beneficiary", "new_card")
        .prefetch_related(
            Prefetch("transitions", queryset=CardOrderTransition.objects.order_by("at", "pk"))
        )
        .order_by("-submitted_at")
    )


def is_tracking_visible(order: CardOrder) -> bool:
    """V6: from the day after the order, or at once when it has moved on since « Valider »
    (checked, made, sent, refused: each such step emails a link to this page)."""
    if order.status not in (OrderStatus.DRAFT, OrderStatus.RECEIVED):
        return True
    return clock.today() >= rules.tracking_visible_from(submitted_on=submitted_on(order))


def card_orders_for_agent(*, agent: User) -> QuerySet[CardOrder]:
    """The orders an agent may see: back office (or supervisor) of the beneficiary's fund, and
    validated orders only (a draft is the insured's own business). Nothing for anybody else
    (docs/decisions/security-agents-scope.md)."""
    fund_id = agent_fund_id(agent, roles=BACK_OFFICE_ROLES)
    if fund_id is None:
        return CardOrder.objects.none()
    return CardOrder.objects.exclude(status=OrderStatus.DRAFT).filter(
        beneficiary__family__fund_id=fund_id
    )


def card_order_for_agent(*, agent: User, pk: int) -> CardOrder | None:
    """One order within the agent's scope; None otherwise (the page answers 404)."""
    return (
        card_orders_for_agent(agent=agent)
        .select_related("beneficiary", "claimed_by", "replaced_card")
        .filter(pk=pk)
        .first()
    )


def review_queue(*, agent: User) -> QuerySet[CardOrder]:
    """The agent's fund's orders waiting for the back office, oldest first."""
    return (
        card_orders_for_agent(agent=agent)
        .filter(status=OrderStatus.RECEIVED)
        .select_related("beneficiary", "claimed_by")
        .order_by("submitted_at", "pk")
    )


def can_view_files(*, user: User, order: CardOrder) -> bool:
    """The uploaded files: the person who ordered, and the agents whose scope the order is in."""
    if getattr(user, "is_agent", False):
        return card_orders_for_agent(agent=user).filter(pk=order.pk).exists()
    return order.ordered_by_id == user.pk


# The two files of an order, as their download URL names them.
ORDER_FILE_FIELDS = {"photo": "photo", "piece-identite": "document"}
FILE_EXTENSIONS = {"image/jpeg": "jpg", "application/pdf": "pdf"}


def order_file(*, user: User, order: CardOrder, kind: str) -> StoredFile | None:
    """The uploaded photo or identity document, if `user` may see it and it is still stored."""
    field_name = ORDER_FILE_FIELDS.get(kind)
    if field_name is None or not can_view_files(user=user, order=order):
        return None
    file_field = getattr(order, field_name)
    if not file_field:
        return None
    content_type = getattr(order, f"{field_name}_content_type")
    return StoredFile(
        file=file_field,
        content_type=content_type,
        filename=f"{order.reference}-{kind}.{FILE_EXTENSIONS.get(content_type, 'bin')}",
    )


def submitted_on(order: CardOrder) -> dt.date:
    if order.submitted_at is None:
        raise ValueError("Commande non validée.")
    return order.submitted_at.astimezone(clock.PARIS).date()


TRACKING_STEPS = [
    OrderStatus.RECEIVED,
    OrderStatus.PHOTO_CHECKED,
    OrderStatus.IN_PRODUCTION,
    OrderStatus.SENT,
    OrderStatus.DELIVERED,
]


def tracking_steps(order: CardOrder) -> list[dict]:
    """Each state of V6 with the date it was reached (from the transition log), or None."""
    reached = {t.to_status: t.at for t in order.transitions.all()}
    steps = [
        {"label": status.label, "at": reached.get(status), "done": status in reached}
        for status in TRACKING_STEPS
    ]
    if order.status == OrderStatus.REJECTED:
        steps = [s for s in steps if s["done"]]
        steps.append(
            {
                "label": OrderStatus.REJECTED.label,
                "at": reached.get(OrderStatus.REJECTED),
                "done": True,
            }
        )
    return steps
