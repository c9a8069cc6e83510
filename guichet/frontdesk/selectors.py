"""Reads of the front desk."""

from guichet.accounts.models import User
from guichet.frontdesk.models import FileConsultation
from guichet.reference.models import Person


def person_by_nir(*, nir: str) -> Person | None:
    return Person.objects.select_related("family__fund", "family__scheme").filter(nir=nir).first()


def consultation_for(*, agent: User, consultation_id: int) -> FileConsultation | None:
    """An agent's own consultation: the file is shown only under the consultation logged."""
    return (
        FileConsultation.objects.select_related("person__family__fund", "person__family__scheme")
        .filter(pk=consultation_id, agent=agent)
        .first()
    )
