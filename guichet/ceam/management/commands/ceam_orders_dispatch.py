"""Periodic job: post the CEAM orders whose dispatch day has come (rules CEAM5, CEAM6)."""

from django.core.management.base import BaseCommand

from guichet.ceam.services import ceam_orders_dispatch


class Command(BaseCommand):
    help = "Envoie les CEAM commandées depuis 10 jours (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        count = ceam_orders_dispatch()
        self.stdout.write(f"{count} CEAM envoyée(s).")
