"""Rule C8's periodic job: delete addresses left unconfirmed 21 days (safe to run any time)."""

from django.core.management.base import BaseCommand

from guichet.enrollment.services import unconfirmed_addresses_delete


class Command(BaseCommand):
    help = "Supprime les adresses électroniques non validées depuis 21 jours (règle C8)."

    def handle(self, *args: object, **options: object) -> None:
        count = unconfirmed_addresses_delete()
        self.stdout.write(f"{count} adresse(s) non validée(s) supprimée(s).")
