"""Demo state of the carte Vitale procedure, after the personas exist (idempotent).

- every lost, stolen or faulty demo card gets its declaration, dated when its status changed,
  so the V5 window of the « card-lost-… » personas is computed as for a real declaration;
- the « faulty-card » persona has an order waiting for the back office, with a generated
  photo and identity document, so the agents' queue is not empty;
- every other order of the personas' families, and the declarations of cards no longer
  declared (seed_demo has put their status back), are what a demo left: they are deleted, so
  « card-lost-2-days » can order again and the back office's order is back in the queue.
"""

import io
from functools import partial
from typing import TextIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import QuerySet
from PIL import Image

from guichet.accounts.models import User
from guichet.cards import services
from guichet.cards.enums import DeclarationKind, OrderStatus
from guichet.cards.models import CardDeclaration, CardOrder
from guichet.reference.enums import CardStatus
from guichet.reference.models import Card, Person

_KIND = {
    CardStatus.LOST: DeclarationKind.LOST,
    CardStatus.STOLEN: DeclarationKind.STOLEN,
    CardStatus.FAULTY: DeclarationKind.FAULTY,
}
ORDER_PERSONA = "faulty-card"


def _image(width: int, height: int, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="JPEG")
    return SimpleUploadedFile("demo.jpg", out.getvalue(), content_type="image/jpeg")


def _orders_delete(orders: QuerySet[CardOrder]) -> int:
    """Delete orders a demo left, with their files (once the transaction commits)."""
    for order in orders:
        for file_field in (order.photo, order.document):
            if file_field and file_field.name:
                transaction.on_commit(partial(file_field.storage.delete, file_field.name))
    return orders.delete()[0]


def _documented_order_kept(user: User | None) -> bool:
    """Whether the order of « faulty-card » is there as documented: received, nobody on it."""
    if user is None:
        return False
    return CardOrder.objects.filter(
        beneficiary=user.person,
        ordered_by=user,
        status=OrderStatus.RECEIVED,
        claimed_by__isnull=True,
    ).exists()


def _declarations_restore(cards: QuerySet[Card]) -> int:
    """Every lost, stolen or faulty card of the personas gets its declaration (set-based: a
    fixed number of queries however many cards, and only the personas' cards are read)."""
    CardDeclaration.objects.filter(card__in=cards).exclude(card__status__in=list(_KIND)).delete()
    declared_cards = list(
        cards.filter(status__in=list(_KIND)).select_related("person").order_by("pk")
    )
    families = {card.person.family_id for card in declared_cards}
    accounts: dict[int, User] = {}
    accounts_of_families = User.objects.filter(person__family_id__in=families)
    # The family's first account (smallest id, as .first() gives it): the last one written wins.
    for account in accounts_of_families.select_related("person").order_by("-pk"):
        accounts[account.person.family_id] = account
    existing = {d.card_id: d for d in CardDeclaration.objects.filter(card__in=declared_cards)}
    fields = ("kind", "declared_at", "declared_by")
    created, changed = [], []
    for card in declared_cards:
        wanted = {
            "kind": _KIND[CardStatus(card.status)],
            "declared_at": card.status_changed_at,
            "declared_by": accounts.get(card.person.family_id),
        }
        declaration = existing.get(card.pk)
        if declaration is None:
            created.append(CardDeclaration(card=card, **wanted))
        elif any(getattr(declaration, f) != wanted[f] for f in fields):
            for name, value in wanted.items():
                setattr(declaration, name, value)
            changed.append(declaration)
    CardDeclaration.objects.bulk_create(created)
    CardDeclaration.objects.bulk_update(changed, fields)
    return len(created)


@transaction.atomic
def seed(stdout: TextIO) -> None:
    """Bring the personas' declarations and orders back to what docs/personas.md says: only
    the personas' own rows are read and written (the scale database has a million insured)."""
    from guichet.demo.personas import persona
    from guichet.demo.services import persona_families

    people = Person.objects.filter(family__in=persona_families())
    declared = _declarations_restore(Card.objects.filter(person__in=people))
    user = User.objects.filter(username=persona(ORDER_PERSONA).nir).select_related("person").first()
    orders = CardOrder.objects.filter(beneficiary__in=people)
    kept = _documented_order_kept(user)
    if kept:
        orders = orders.exclude(ordered_by=user, status=OrderStatus.RECEIVED)
    _orders_delete(orders)
    ordered = 0
    if user is not None and user.person is not None and not kept:
        order = services.card_order_start(user=user, beneficiary=user.person)
        services.card_order_attach_photo(order=order, upload=_image(600, 800, (190, 170, 150)))
        services.card_order_attach_document(
            order=order, document_type="identity_card", upload=_image(856, 540, (120, 150, 200))
        )
        order.refresh_from_db()
        services.card_order_submit(order=order, user=user)
        ordered = 1
    stdout.write(f"Cartes Vitale : {declared} déclaration(s), {ordered} commande(s) à vérifier.\n")
