"""Writes of the CEAM procedure (rules CEAM1-CEAM8): the order, and its dispatch by the
periodic command ``ceam_orders_dispatch``."""

import datetime as dt
import secrets

from django.db import IntegrityError, transaction

from guichet.accounts.models import User
from guichet.ceam import notifications, rules, selectors
from guichet.ceam.enums import CeamOrderStatus
from guichet.ceam.models import CeamOrder, CeamOrderTransition
from guichet.certificates import services as certificate_services
from guichet.certificates.enums import Channel
from guichet.core import clock
from guichet.core.refusals import Refusal, Refused, refuse
from guichet.core.transitions import StateMachine
from guichet.reference.models import EuropeanHealthCard, Person

ORDER_MACHINE = StateMachine(
    {"": {CeamOrderStatus.ORDERED}, CeamOrderStatus.ORDERED: {CeamOrderStatus.SENT}},
    log=CeamOrderTransition,
    stale=Refusal(
        "ceam_order_stale", "Cette commande a changé d'état entre-temps. Rechargez la page."
    ),
)
CARD_NUMBER_PREFIX = "80250"  # ISO 7812 issuer prefix printed on the fund's CEAM
CARD_NUMBER_LENGTH = 20


def holder_of(user: User) -> Person:
    if user.person is None:
        raise Refused(rules.NOT_INSURED)
    return user.person


@transaction.atomic
def ceam_order(
    *, user: User, beneficiary: Person, departure_on: dt.date | None, channel: Channel
) -> CeamOrder:
    """« Commander une carte européenne d'assurance maladie (CEAM) » for one beneficiary.

    Checks CEAM1-CEAM4 and the departure date (CEAM7); the card is expected within two weeks
    (CEAM5); when the person leaves before, the provisional replacement certificate is issued
    at once (CEAM7); a notice and an email say so (CEAM8)."""
    holder = holder_of(user)
    if beneficiary.pk not in {p.pk for p in rules.orderable_people(holder=holder)}:
        raise Refused(rules.NOT_IN_FAMILY)
    today = clock.today()
    facts = selectors.facts_for(holder=holder, people=[beneficiary], today=today)[beneficiary.pk]
    refuse(rules.exclusion(facts=facts, today=today))
    refuse(rules.departure_refusal(departure_on, today))
    expected = rules.expected_on(ordered_on=today)
    try:
        with transaction.atomic():
            order = CeamOrder.objects.create(
                beneficiary=beneficiary,
                ordered_by=user,
                departure_on=departure_on,
                expected_on=expected,
            )
    except IntegrityError as error:  # another order for them at the same instant
        raise Refused(rules.ORDER_OPEN) from error
    ORDER_MACHINE.record(order, source="", target=CeamOrderStatus.ORDERED, by=user)
    if rules.needs_provisional_certificate(departure_on=departure_on, expected=expected):
        order.provisional_certificate = certificate_services.ceam_provisional_certificate_issue(
            person=holder,
            beneficiary=beneficiary,
            user=user,
            channel=channel,
            valid_from=today,
            valid_until=rules.provisional_valid_until(
                issued_on=today, rights_end=selectors.rights_end(person=beneficiary, day=today)
            ),
        )
        order.save(update_fields=["provisional_certificate"])
    notifications.order_received(order=order)
    return order


def _new_card_number() -> str:
    digits = CARD_NUMBER_LENGTH - len(CARD_NUMBER_PREFIX)
    return CARD_NUMBER_PREFIX + "".join(secrets.choice("0123456789") for _ in range(digits))


def _send(order: CeamOrder, today: dt.date) -> None:
    valid_until = rules.card_valid_until(
        sent_on=today, rights_end=selectors.rights_end(person=order.beneficiary, day=today)
    )
    for _ in range(5):
        try:
            with transaction.atomic():
                card = EuropeanHealthCard.objects.create(
                    person=order.beneficiary, number=_new_card_number(), valid_until=valid_until
                )
            break
        except IntegrityError:
            continue
    else:
        raise RuntimeError("Impossible d'attribuer un numéro de CEAM unique.")
    ORDER_MACHINE.move(
        order, CeamOrderStatus.SENT, by=None, note="Envoyée", sent_on=today, card=card
    )
    notifications.order_sent(order=order)


@transaction.atomic
def ceam_orders_dispatch() -> int:
    """CEAM5-CEAM6: post every order DISPATCH_DAYS old: a EuropeanHealthCard with its number and
    validity, the order « Envoyée », the notice and the email. Idempotent: the rows are locked
    and a sent order is never picked again. Returns how many were sent."""
    today = clock.today()
    orders = [
        order
        for order in CeamOrder.objects.select_for_update(of=("self",))
        .filter(status=CeamOrderStatus.ORDERED)
        .select_related("beneficiary", "ordered_by")
        .order_by("ordered_at", "pk")
        if rules.dispatch_due(
            ordered_on=order.ordered_at.astimezone(clock.PARIS).date(), today=today
        )
    ]
    for order in orders:
        _send(order, today)
    return len(orders)
