"""Periodic job: `python manage.py detect_complementary_conflicts` (idempotent)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser

from guichet.complementary.detection import conflicts_detect


class Command(BaseCommand):
    help = "Détecte les chevauchements d'organismes complémentaires (règles O1 et O4)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--day", type=dt.date.fromisoformat, help="AAAA-MM-JJ (défaut : aujourd'hui)"
        )

    def handle(self, *args: object, **options: object) -> None:
        result = conflicts_detect(day=options["day"])
        self.stdout.write(
            f"{result.detected} nouveau(x) chevauchement(s), {result.ended} terminé(s), "
            f"{result.pending} en attente dont {result.excluded} exclu(s) du service en ligne."
        )
