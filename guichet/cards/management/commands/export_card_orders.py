from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.cards.services import card_orders_export
from guichet.core.refusals import Refused


class Command(BaseCommand):
    help = (
        "Écrit les commandes de carte Vitale vérifiées dans un fichier JSON lines pour le "
        "fabricant ; chaque commande n'est exportée qu'une fois (elle passe « en fabrication »)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, type=Path, help="Dossier de dépôt")

    def handle(self, *args, out: Path, **options):
        try:
            result = card_orders_export(out_dir=out)
        except Refused as refused:
            raise CommandError(refused.message) from refused
        if result.path is None:
            self.stdout.write("Aucune commande à transmettre.")
        else:
            self.stdout.write(f"{result.count} commande(s) écrite(s) dans {result.path}")
