from django.core.management.base import BaseCommand

from guichet.powers.services import powers_expire_due


class Command(BaseCommand):
    help = (
        "Passe à « expirée » toute procuration dont le mois de validité est terminé (idempotent)."
    )

    def handle(self, *args: object, **options: object) -> None:
        count = powers_expire_due()
        self.stdout.write(f"{count} procuration(s) expirée(s).")
