from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.cards.services import card_statuses_import


class Command(BaseCommand):
    help = (
        "Lit le fichier d'états du fabricant (CSV « reference;statut;date;numero_serie », "
        "statut envoyee ou remise). Toutes les lignes sont vérifiées avant d'en appliquer une."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Lecture impossible de {file} : {error}") from error
        result = card_statuses_import(text=text)
        if result.errors:
            raise CommandError(
                "Fichier refusé, aucune ligne appliquée :\n" + "\n".join(result.errors)
            )
        self.stdout.write(
            f"{result.applied} commande(s) mise(s) à jour, {result.unchanged} déjà à jour."
        )
