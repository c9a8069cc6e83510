"""Demo state of the carte Vitale procedure, after the personas exist (idempotent).

- every lost, stolen or faulty demo card gets its declaration, dated when its status changed,
  so the V5 window of the « card-lost-… » personas is computed as for a real declaration;
- the « faulty-card » persona has an order waiting for the back office, with a generated
  photo and identity document, so the agents' queue is not empty.
"""

import io
from typing import TextIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from guichet.accounts.models import User
from guichet.cards import services
from guichet.cards.enums import DeclarationKind, OrderStatus
from guichet.cards.models import CardDeclaration, CardOrder
from guichet.reference.enums import CardStatus
from guichet.reference.models import Card

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


@transaction.atomic
def seed(stdout: TextIO) -> None:
    from guichet.demo.personas import persona

    declared = 0
    for card in Card.objects.filter(status__in=list(_KIND)).select_related("person"):
        account = User.objects.filter(person__family_id=card.person.family_id).first()
        _, created = CardDeclaration.objects.update_or_create(
            card=card,
            defaults={
                "kind": _KIND[CardStatus(card.status)],
                "declared_at": card.status_changed_at,
                "declared_by": account,
            },
        )
        declared += created
    user = User.objects.filter(username=persona(ORDER_PERSONA).nir).first()
    ordered = 0
    if (
        user is not None
        and not CardOrder.objects.filter(
            beneficiary=user.person, status__in=OrderStatus.open_values()
        ).exists()
    ):
        order = services.card_order_start(user=user, beneficiary=user.person)
        services.card_order_attach_photo(order=order, upload=_image(600, 800, (190, 170, 150)))
        services.card_order_attach_document(
            order=order, document_type="identity_card", upload=_image(856, 540, (120, 150, 200))
        )
        order.refresh_from_db()
        services.card_order_submit(order=order, user=user)
        ordered = 1
    stdout.write(f"Cartes Vitale : {declared} déclaration(s), {ordered} commande(s) à vérifier.\n")
