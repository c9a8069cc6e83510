from django.core.management.base import BaseCommand

from guichet.notifications import services


class Command(BaseCommand):
    help = (
        "Envoie les courriels en attente et ceux d'un worker arrêté en cours d'envoi "
        "(tâche périodique idempotente, filet de sécurité)."
    )

    def handle(self, *args: object, **options: object) -> None:
        sent = services.emails_send_due()
        self.stdout.write(f"{sent} courriel(s) envoyé(s).")
