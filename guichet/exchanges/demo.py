"""Demo state of the « Espace d'échanges » (called by `manage.py seed_demo`, issue 19).

Marie MARTIN (persona « family-of-four », CPAM de Paris) has written twice to her fund, and
neither message is answered yet: the reimbursement question is routed to « Prestations », the
« Autre » one (her new médecin traitant) to « Relations avec les assurés » (ECH15), both the
services of the agent « backoffice », who finds them in his inbox (/agents/echanges/) with
their due date, ready to be taken, answered or transferred (the médecin traitant one belongs
to « Carte Vitale et droits », the agent « backoffice-droits »'s service, ECH17); the
« superviseur » sees every service. She finds them in « Ma messagerie ». Restored on every
run: the demo agents are attached to their services again (personas.AGENTS, ECH16), the
personas' families' threads are deleted (with their files) and these two written again, so
the demo starts as documented.
"""

from functools import partial
from typing import TextIO

from django.db import transaction

from guichet.accounts.models import User
from guichet.demo.personas import AGENTS, persona
from guichet.exchanges import services
from guichet.exchanges.enums import ThreadSubject
from guichet.exchanges.models import Attachment, FundService, Thread
from guichet.reference.models import Fund

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


def _attach_agents(stdout: TextIO) -> None:
    """ECH16: each demo agent's services of their fund, exactly those of personas.AGENTS."""
    for demo_agent in AGENTS:
        agent = User.objects.filter(username=demo_agent.username).first()
        fund = Fund.objects.filter(code=demo_agent.fund).first()
        if agent is None or fund is None:
            continue
        services.fund_services_seed(fund=fund)
        wanted = list(FundService.objects.filter(fund=fund, code__in=demo_agent.exchange_services))
        for service in FundService.objects.filter(fund=fund):
            service_agents = [a for a in service.agents.all() if a.pk != agent.pk]
            if service in wanted:
                service_agents.append(agent)
            services.service_agents_set(service=service, agents=service_agents)
        if wanted:
            names = ", ".join(f"« {service.name} »" for service in wanted)
            stdout.write(f"Espace d'échanges : « {demo_agent.username} » rattaché à {names}.\n")


def seed(stdout: TextIO) -> None:
    _attach_agents(stdout)
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
