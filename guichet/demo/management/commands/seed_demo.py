from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from guichet.demo import services, tables


class Command(BaseCommand):
    help = (
        "Charge les personas de démonstration, les comptes agents et les données de démonstration "
        "de chaque application (idempotent : peut être relancée)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--write-docs",
            action="store_true",
            help="Écrit aussi docs/personas.md à partir des mêmes données.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seeded = services.demo_seed()
        self.stdout.write(f"{len(seeded)} personas de démonstration :\n")
        self.stdout.write(tables.console_table())
        self.stdout.write("\nComptes agents (/agents/, administration : /admin/) :\n")
        self.stdout.write(tables.agents_table())
        self.stdout.write("")
        for name in services.app_demos_seed(self.stdout):
            self.stdout.write(f"Données de démonstration chargées : {name}")
        if options["write_docs"]:
            self.stdout.write(f"Écrit : {tables.write_docs()}")
