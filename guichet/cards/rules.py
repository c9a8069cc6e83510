"""Who may order a carte Vitale online, and when (rules V2, V4, V5), decided in one place.

Every function here returns the reason a beneficiary is excluded, as a core `Refusal` (a stable
code, one of ``ExclusionCode``, and the French message shown to the insured), or None when the
order is allowed. The services of the order check ``exclusion`` at each step, whoever calls
them; the pages read it through ``selectors.beneficiary_choices`` and ``selectors.draft_refusal``
to show it before anything is uploaded.

The V5 window is counted in calendar days of Europe/Paris (docs/decisions/cards-order-window.md):
after a loss or theft declared on day J, ordering online is open until the end of J+4, blocked
on J+5 (the paper form is being mailed), and open again from J+6.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, QuerySet

from guichet.cards.enums import DeclarationKind, ExclusionCode, OrderReason, OrderStatus
from guichet.cards.models import CardDeclaration, CardOrder
from guichet.core import clock
from guichet.core.refusals import Refusal
from guichet.reference.enums import CardStatus, FamilyRole
from guichet.reference.models import Card, Person

MINIMUM_AGE = 12  # V2: a dependant of 12 or more may have their own card
ORDER_WINDOW_DAYS = 4  # V5: days after the declaration day to order online
PAPER_FORM_BLOCKED_DAYS = 1  # V5: then ordering online is blocked while the form is mailed
EXPECTED_DELIVERY_DAYS = (
    15  # V6: « Le délai moyen d'obtention de la nouvelle carte est de 15 jours »
)

REPLACEABLE_STATUSES = frozenset({CardStatus.LOST, CardStatus.STOLEN, CardStatus.FAULTY})


@dataclass(frozen=True)
class OrderWindow:
    """The V5 calendar after a loss or theft declared on ``declared_on``."""

    declared_on: dt.date

    @property
    def last_online_day(self) -> dt.date:
        return self.declared_on + dt.timedelta(days=ORDER_WINDOW_DAYS)

    @property
    def reopens_on(self) -> dt.date:
        return self.last_online_day + dt.timedelta(days=PAPER_FORM_BLOCKED_DAYS + 1)

    def is_blocked_on(self, day: dt.date) -> bool:
        return self.last_online_day < day < self.reopens_on

    def is_open_on(self, day: dt.date) -> bool:
        return not self.is_blocked_on(day)


def orderable_people(*, person: Person) -> list[Person]:
    """Whom the account holder may order for: themselves, and the family's dependants if they
    open the rights (each then checked by ``exclusion``, which refuses those under 12)."""
    if person.role != FamilyRole.RIGHTS_OPENER:
        return [person]
    members = list(
        Person.objects.filter(family_id=person.family_id).select_related("family__scheme")
    )
    return sorted(members, key=lambda p: (not p.is_rights_opener, p.birth_date))


LOSS_KINDS = (DeclarationKind.LOST, DeclarationKind.STOLEN)


def latest_loss_declaration(*, beneficiary: Person) -> CardDeclaration | None:
    return (
        CardDeclaration.objects.filter(card__person=beneficiary, kind__in=LOSS_KINDS)
        .order_by("-declared_at")
        .first()
    )


def _window(declared_at: dt.datetime | None) -> OrderWindow | None:
    if declared_at is None:
        return None
    return OrderWindow(declared_on=declared_at.astimezone(clock.PARIS).date())


def order_window(*, beneficiary: Person) -> OrderWindow | None:
    declaration = latest_loss_declaration(beneficiary=beneficiary)
    return _window(declaration.declared_at if declaration is not None else None)


@dataclass(frozen=True)
class CardHistory:
    """What the rules V2, V4 and V5 read about one beneficiary, besides the person: their cards
    (the latest status change first), whether an order other than the holder's own drafts is
    open for them, and the V5 window of their latest loss or theft declaration."""

    cards: list[Card]
    other_open_order: bool
    window: OrderWindow | None


def _open_orders(*, holder: Person, ignoring_order: CardOrder | None) -> QuerySet[CardOrder]:
    orders = CardOrder.objects.filter(status__in=OrderStatus.open_values())
    if ignoring_order is not None:
        orders = orders.exclude(pk=ignoring_order.pk)
    return orders.exclude(status=OrderStatus.DRAFT, ordered_by__person=holder)


def card_history(
    *, holder: Person, beneficiary: Person, ignoring_order: CardOrder | None = None
) -> CardHistory:
    """One beneficiary's history, read now (3 queries): what the services check."""
    return CardHistory(
        cards=list(Card.objects.filter(person=beneficiary).order_by("-status_changed_at")),
        other_open_order=_open_orders(holder=holder, ignoring_order=ignoring_order)
        .filter(beneficiary=beneficiary)
        .exists(),
        window=order_window(beneficiary=beneficiary),
    )


def card_histories(*, holder: Person, people: list[Person]) -> dict[int, CardHistory]:
    """The histories of several beneficiaries (by person id) in 3 queries, whatever their
    number: what the order's first page shows for the whole family (issue 16)."""
    ids = [person.pk for person in people]
    cards: dict[int, list[Card]] = {pk: [] for pk in ids}
    for card in Card.objects.filter(person_id__in=ids).order_by("-status_changed_at"):
        cards[card.person_id].append(card)
    open_for = set(
        _open_orders(holder=holder, ignoring_order=None)
        .filter(beneficiary_id__in=ids)
        .values_list("beneficiary_id", flat=True)
    )
    declared = dict(
        CardDeclaration.objects.filter(card__person_id__in=ids, kind__in=LOSS_KINDS)
        .values("card__person_id")
        .annotate(latest=Max("declared_at"))
        .values_list("card__person_id", "latest")
    )
    return {
        pk: CardHistory(
            cards=cards[pk], other_open_order=pk in open_for, window=_window(declared.get(pk))
        )
        for pk in ids
    }


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def exclusion(
    *,
    holder: Person,
    beneficiary: Person,
    ignoring_order: CardOrder | None = None,
    history: CardHistory | None = None,
) -> Refusal | None:
    """Why ``holder`` cannot order a card for ``beneficiary`` online now, or None.

    ``ignoring_order`` is the holder's own draft when the order is being validated. The
    beneficiary's ``history`` is read now unless given (``card_histories``, for a page).
    """
    today = clock.today()
    if not beneficiary.is_rights_opener and beneficiary.age_on(today) < MINIMUM_AGE:
        return Refusal(
            ExclusionCode.UNDER_12.value,
            "Un enfant de moins de 12 ans n'a pas sa propre carte Vitale : il figure sur la "
            "carte Vitale de ses parents.",
        )
    if holder.address_npai or beneficiary.address_npai:
        return Refusal(
            ExclusionCode.NPAI.value,
            "Le courrier envoyé à votre adresse nous est revenu (n'habite pas à l'adresse "
            "indiquée). Déclarez votre nouvelle adresse ou contactez votre caisse avant de "
            "commander une carte Vitale.",
        )
    if history is None:
        history = card_history(
            holder=holder, beneficiary=beneficiary, ignoring_order=ignoring_order
        )
    cards = history.cards
    if not beneficiary.family.scheme.issues_carte_vitale or any(c.withheld for c in cards):
        return Refusal(
            ExclusionCode.NOT_ALLOWED.value,
            "Vous ne pouvez pas commander de carte Vitale en ligne pour ce bénéficiaire. "
            "Contactez votre caisse.",
        )
    if any(c.status == CardStatus.IN_TRANSFER for c in cards):
        return Refusal(
            ExclusionCode.IN_TRANSFER.value,
            "La carte Vitale de ce bénéficiaire est en cours de mutation vers un autre régime "
            "d'assurance maladie. Vous ne pouvez pas en commander une nouvelle en ligne pour "
            "le moment.",
        )
    if history.other_open_order:
        return Refusal(
            ExclusionCode.OPEN_ORDER.value,
            "Une commande de carte Vitale est déjà en cours pour ce bénéficiaire. "
            "Suivez-la dans « Suivre mes démarches › Commande de carte Vitale ».",
        )
    if any(c.status == CardStatus.ACTIVE and not visual_outdated(c, beneficiary) for c in cards):
        return Refusal(
            ExclusionCode.DECLARATION_NEEDED.value,
            "La carte Vitale actuelle de ce bénéficiaire est toujours valable. Déclarez "
            "d'abord sa perte, son vol ou son dysfonctionnement.",
        )
    window = history.window
    if window is not None and window.is_blocked_on(today):
        return Refusal(
            ExclusionCode.PAPER_FORM_PENDING.value,
            "Le délai de 4 jours pour commander en ligne après votre déclaration de perte ou "
            "de vol est dépassé : un formulaire papier vous est envoyé par courrier. Vous "
            f"pourrez de nouveau commander en ligne à partir du {_fmt(window.reopens_on)}.",
        )
    return None


def visual_outdated(card: Card, person: Person) -> bool:
    """V2: ``person``'s card no longer shows their name or NIR (marriage, correction of the NIR…).

    Only what is known is compared: a card whose printed name or NIR was not recorded is
    taken as up to date on that point.
    """
    return bool(
        (card.printed_name and card.printed_name != person.card_name)
        or (card.printed_nir and person.nir and card.printed_nir != person.nir)
    )


def replaced_card(*, beneficiary: Person, cards: list[Card] | None = None) -> Card | None:
    """The card a new order replaces: the latest lost, stolen or faulty one, else an active card
    whose visual is outdated (V2), else None (a first card). ``cards``: the beneficiary's, the
    latest status change first, if already read (``CardHistory.cards``)."""
    if cards is None:
        cards = list(Card.objects.filter(person=beneficiary).order_by("-status_changed_at"))
    for card in cards:
        if card.status in REPLACEABLE_STATUSES:
            return card
    for card in cards:
        if card.status == CardStatus.ACTIVE and visual_outdated(card, beneficiary):
            return card
    return None


_REASONS = {
    CardStatus.LOST: OrderReason.LOST,
    CardStatus.STOLEN: OrderReason.STOLEN,
    CardStatus.FAULTY: OrderReason.FAULTY,
    CardStatus.ACTIVE: OrderReason.VISUAL_CHANGE,
}


def order_reason(*, replaced: Card | None) -> OrderReason:
    """V2: why the card is ordered, from the card it replaces (None: a first card)."""
    if replaced is None:
        return OrderReason.FIRST_CARD
    return _REASONS.get(CardStatus(replaced.status), OrderReason.FIRST_CARD)


def expected_delivery(*, submitted_on: dt.date) -> dt.date:
    return submitted_on + dt.timedelta(days=EXPECTED_DELIVERY_DAYS)


def tracking_visible_from(*, submitted_on: dt.date) -> dt.date:
    """V6: the order shows in « Suivre mes démarches » from the day after it was validated."""
    return submitted_on + dt.timedelta(days=1)


# The other refusals of the procedure's steps (cards.services), each with its stable code.
CARD_NOT_ACTIVE = Refusal(
    "card_not_active", "Cette carte Vitale n'est plus active : elle a déjà été déclarée."
)
NOT_INSURED = Refusal("not_insured", "Seul un assuré peut commander une carte Vitale.")
NOT_IN_FAMILY = Refusal("not_in_family", "Ce bénéficiaire ne fait pas partie de votre famille.")
ORDER_ALREADY_OPEN = Refusal(
    ExclusionCode.OPEN_ORDER.value,
    "Une commande de carte Vitale est déjà en cours pour ce bénéficiaire.",
)
ORDER_ALREADY_SUBMITTED = Refusal(
    "order_submitted", "Cette commande est déjà validée : elle ne peut plus être modifiée."
)
FILES_MISSING = Refusal(
    "files_missing", "Ajoutez votre photo d'identité et votre pièce d'identité avant de valider."
)
NOT_CLAIMED = Refusal(
    "order_not_claimed", "Cette commande n'est pas prise en charge par vous, ou déjà traitée."
)
REJECTION_REASON_REQUIRED = Refusal(
    "rejection_reason_required", "Indiquez le motif du refus : l'assuré le verra dans son suivi."
)
