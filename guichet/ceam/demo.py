"""Demo state of the CEAM procedure (idempotent): the orders of the personas' families, and the
cards their dispatch created, are what a demo left; they are deleted, so that « family-of-four »
can order again for its members (docs/decisions/demo-restore.md). The personas' own CEAM rows
are seed_demo's (guichet.demo.services)."""

from typing import TextIO

from guichet.ceam.models import CeamOrder
from guichet.reference.models import EuropeanHealthCard


def seed(stdout: TextIO) -> None:
    from guichet.demo.services import persona_families  # guichet.demo loads this module

    orders = CeamOrder.objects.filter(beneficiary__family__in=persona_families())
    cards = list(orders.exclude(card=None).values_list("card_id", flat=True))
    count = orders.delete()[0]
    EuropeanHealthCard.objects.filter(pk__in=cards).delete()
    if count:
        stdout.write(f"CEAM : {count} commande(s) d'une démonstration effacée(s).")
