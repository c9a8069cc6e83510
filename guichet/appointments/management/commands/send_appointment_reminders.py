from django.core.management.base import BaseCommand

from guichet.appointments.services import appointment_reminders_send


class Command(BaseCommand):
    help = (
        "Envoie le rappel des rendez-vous qui commencent dans les 48 heures, une seule fois par "
        "rendez-vous (idempotent, règle RDV20)."
    )

    def handle(self, *args: object, **options: object) -> None:
        count = appointment_reminders_send()
        self.stdout.write(f"{count} rappel(s) de rendez-vous envoyé(s).")
