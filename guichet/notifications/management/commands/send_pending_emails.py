from django.core.management.base import BaseCommand

from guichet.notifications import services


class Command(BaseCommand):
    help = "Envoie les courriels en attente (tâche périodique idempotente, filet de sécurité)."

    def handle(self, *args: object, **options: object) -> None:
        released = services.emails_release_stuck()
        sent = services.emails_send_due()
        self.stdout.write(f"{sent} courriel(s) envoyé(s), {released} remis en file.")
