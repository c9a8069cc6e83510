"""Writes of the front desk: log a client-file consultation before showing the file."""

from django.db import transaction

from guichet.accounts.models import User
from guichet.accounts.rules import FRONT_DESK_ROLES, agent_fund_id
from guichet.core.refusals import Refusal, Refused
from guichet.frontdesk.enums import ConsultationReason
from guichet.frontdesk.models import FileConsultation
from guichet.reference.models import Person

NOT_IN_FUND = "Aucun assuré de votre caisse ne correspond à ce numéro de sécurité sociale."


class ConsultationRefused(Refused):
    """The client file cannot be opened (rule P8): the core `Refused`, code
    `consultation_refused` (docs/decisions/rules-in-services.md)."""

    def __init__(self, message: str) -> None:
        super().__init__(Refusal("consultation_refused", message))


@transaction.atomic
def consultation_record(
    *, agent: User, person: Person, reason: str, detail: str = ""
) -> FileConsultation:
    """Log who opens whose file, when and why; the caller shows the file only afterwards.

    Only a front-desk agent (or supervisor) of the insured's own fund may open it; another
    fund's insured gets the answer of an unknown NIR (security-agents-scope.md)."""
    fund_id = agent_fund_id(agent, roles=FRONT_DESK_ROLES)
    if fund_id is None:
        raise ConsultationRefused("Seul un agent d'accueil de la caisse peut consulter un dossier.")
    if person.family.fund_id != fund_id:
        raise ConsultationRefused(NOT_IN_FUND)
    detail = detail.strip()
    if reason not in ConsultationReason.values:
        raise ConsultationRefused("Choisissez le motif de la consultation.")
    if reason == ConsultationReason.OTHER and not detail:
        raise ConsultationRefused("Précisez le motif de la consultation.")
    return FileConsultation.objects.create(agent=agent, person=person, reason=reason, detail=detail)
