import io
from typing import Any

import segno
from django.core.management.base import BaseCommand, CommandError, CommandParser

from guichet.accounts import second_factor
from guichet.accounts.enums import UserKind
from guichet.accounts.models import User


class Command(BaseCommand):
    help = (
        "Active (ou remplace, en cas de téléphone perdu) le second facteur d'un agent : une "
        "nouvelle clé TOTP à enregistrer dans son application d'authentification et dix codes "
        "de secours à usage unique. À lancer par l'équipe informatique, en présence de l'agent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Identifiant de l'agent.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(
            username=options["username"].strip().lower(), kind=UserKind.AGENT
        ).first()
        if user is None:
            raise CommandError(f"Aucun compte agent « {options['username']} ».")
        enrolment = second_factor.agent_second_factor_set(user=user)
        self.stdout.write(f"Second facteur de « {user.username} » activé (l'ancien ne sert plus).")
        self.stdout.write("Scannez ce QR code avec l'application d'authentification de l'agent :")
        picture = io.StringIO()
        segno.make(enrolment.config_url).terminal(out=picture, compact=True)
        self.stdout.write(picture.getvalue(), ending="")
        self.stdout.write(f"ou saisissez la clé : {enrolment.seed}")
        self.stdout.write("Codes de secours (à usage unique, à remettre à l'agent) :")
        for code in enrolment.recovery_codes:
            self.stdout.write(f"  {code}")
