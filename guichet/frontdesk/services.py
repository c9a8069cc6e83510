"""Writes of the front desk: log a client-file consultation before showing the file."""

from django.db import transaction

from guichet.accounts.models import User
from guichet.frontdesk.enums import ConsultationReason
from guichet.frontdesk.models import FileConsultation
from guichet.reference.models import Person


class ConsultationRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@transaction.atomic
def consultation_record(
    *, agent: User, person: Person, reason: str, detail: str = ""
) -> FileConsultation:
    """Log who opens whose file, when and why; the caller shows the file only afterwards."""
    if not agent.is_agent:
        raise ConsultationRefused("Seul un agent de la caisse peut consulter un dossier.")
    detail = detail.strip()
    if reason not in ConsultationReason.values:
        raise ConsultationRefused("Choisissez le motif de la consultation.")
    if reason == ConsultationReason.OTHER and not detail:
        raise ConsultationRefused("Précisez le motif de la consultation.")
    return FileConsultation.objects.create(agent=agent, person=person, reason=reason, detail=detail)
