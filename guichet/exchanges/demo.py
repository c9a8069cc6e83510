"""Demo state of the « Espace d'échanges » (called by `manage.py seed_demo`, issue 19).

Marie MARTIN (persona « family-of-four », CPAM de Paris) has written twice to her fund, and
neither message is answered yet: the agents « backoffice » and « superviseur » find them in the
fund's inbox (/agents/echanges/) with their due date, ready to be taken and answered, and she
finds them in « Ma messagerie ». Restored on every run: the personas' families' threads are
deleted (with their files) and these two are written again, so the demo starts as documented.
"""

from functools import partial
from typing import TextIO

from django.db import transaction

from guichet.accounts.models import User
from guichet.demo.personas import persona
from guichet.exchanges import services
from guichet.exchanges.enums import ThreadSubject
from guichet.exchanges.models import Attachment, Thread

PERSONA_KEY = "family-of-four"
THREADS = (
    (
        ThreadSubject.REIMBURSEMENT,
        "",
        "Bonjour, je n'ai pas encore reçu le remboursement de la consultation de mon fils chez "
        "le pédiatre, il y a trois semaines. Pouvez-vous me dire où en est ce remboursement ?",
    ),
    (
        ThreadSubject.OTHER,
        "Déclaration de mon nouveau médecin traitant",
        "Bonjour, j'ai changé de médecin traitant le mois dernier. Dois-je vous envoyer le "
        "formulaire signé, ou le médecin s'en charge-t-il ?",
    ),
)


def _restore() -> None:
    from guichet.demo.services import persona_families

    threads = Thread.objects.filter(insured__family__in=persona_families())
    for attachment in Attachment.objects.filter(message__thread__in=threads):
        transaction.on_commit(partial(attachment.file.storage.delete, attachment.file.name))
    threads.delete()


def seed(stdout: TextIO) -> None:
    user = User.objects.filter(username=persona(PERSONA_KEY).nir).first()
    if user is None:
        stdout.write("Espace d'échanges : persona « family-of-four » absent, rien à faire.\n")
        return
    _restore()
    for subject, subject_other, body in THREADS:
        services.thread_start(user=user, subject=subject, subject_other=subject_other, body=body)
    stdout.write(
        f"Espace d'échanges : {len(THREADS)} messages de « {PERSONA_KEY} » en attente de "
        "réponse à la CPAM de Paris.\n"
    )
