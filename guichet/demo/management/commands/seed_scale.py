import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from guichet.demo import scale


class Command(BaseCommand):
    help = (
        "Génère N assurés réalistes (familles, droits, cartes, contrats, paiements) par "
        "insertions groupées, pour les mesures de performance. Relancée, elle ajoute N assurés."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--insured", type=int, required=True, help="Nombre d'assurés.")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=scale.DEFAULT_BATCH,
            help="Familles par transaction (défaut : %(default)s).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Graine du générateur.")
        parser.add_argument(
            "--no-pipeline",
            action="store_true",
            help="PostgreSQL : écrire chaque lot dans la transaction courante, sans second fil.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        goal = options["insured"]

        def progress(report: scale.ScaleReport) -> None:
            elapsed = time.monotonic() - started
            self.stdout.write(
                f"{report.families}/{goal} assurés, {report.persons} personnes "
                f"({report.families / max(elapsed, 1e-6):.0f} assurés/s)"
            )

        report = scale.scale_seed(
            insured=goal,
            batch_size=options["batch_size"],
            seed=options["seed"],
            pipeline=not options["no_pipeline"],
            progress=progress if options["verbosity"] >= 1 else None,
        )
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.families} assurés ajoutés en {elapsed:.1f} s : {report.persons} "
                f"personnes, {report.rights_periods} périodes de droits, {report.cards} cartes, "
                f"{report.contracts} contrats, {report.payments} paiements, "
                f"{report.european_cards} CEAM, {report.accounts} comptes en ligne "
                f"(code personnel : {scale.SCALE_CODE})."
            )
        )
