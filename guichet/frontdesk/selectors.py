"""Reads of the front desk, within the agent's fund (docs/decisions/security-agents-scope.md)."""

from guichet.accounts.models import User
from guichet.accounts.rules import FRONT_DESK_ROLES, agent_fund_id
from guichet.frontdesk.models import FileConsultation
from guichet.reference.models import Person


def person_by_nir(*, nir: str, agent: User) -> Person | None:
    """The insured with this NIR if their family belongs to the agent's fund; None otherwise,
    whether the NIR is unknown or another fund's (the answer does not tell them apart)."""
    fund_id = agent_fund_id(agent, roles=FRONT_DESK_ROLES)
    if fund_id is None:
        return None
    return (
        Person.objects.select_related("family__fund", "family__scheme")
        .filter(nir=nir, family__fund_id=fund_id)
        .first()
    )


def consultation_for(*, agent: User, consultation_id: int) -> FileConsultation | None:
    """An agent's own consultation of a file of their fund: the file is shown only under the
    consultation logged, and no longer once the agent or the insured changed fund."""
    fund_id = agent_fund_id(agent, roles=FRONT_DESK_ROLES)
    if fund_id is None:
        return None
    return (
        FileConsultation.objects.select_related("person__family__fund", "person__family__scheme")
        .filter(pk=consultation_id, agent=agent, person__family__fund_id=fund_id)
        .first()
    )
