from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guichet.terminals import services


class Command(BaseCommand):
    help = (
        "Enregistre une borne multi-services et affiche son code d'enregistrement à usage "
        "unique (et le lien à ouvrir sur la borne). docs/decisions/security-kiosk-devices.md"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Où est la borne, par exemple « Accueil Paris 11 ».")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            enrolment = services.kiosk_enrol(name=options["name"], by=None)
        except ValueError as refusal:
            raise CommandError(str(refusal)) from refusal
        hours = int(services.ENROLMENT_CODE_LIFETIME.total_seconds() // 3600)
        self.stdout.write(
            f"Borne « {enrolment.device.name} » enregistrée (n° {enrolment.device.pk}).\n"
            f"Code d'enregistrement (une seule fois, valable {hours} heures) : {enrolment.code}\n"
            f"Sur la borne, ouvrez : {enrolment.link}\n"
            "puis touchez « Enregistrer cette borne ». Révocation : /admin/ > Bornes."
        )
