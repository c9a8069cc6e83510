"""What an agent may reach: their own fund's records, for the work of their role.

The domain selectors and services of every procedure start from `agent_fund_id`, so every
interface (agent pages, commands, a future API) gets the same scope; an object outside it is
treated as not existing (docs/decisions/security-agents-scope.md).
"""

from guichet.accounts.enums import AgentRole

# Front desk: client files and the powers of attorney shown in them (rule P8).
FRONT_DESK_ROLES = frozenset({AgentRole.FRONT_DESK, AgentRole.SUPERVISOR})
# Back office: carte Vitale orders (V3) and cases (O6-O7).
BACK_OFFICE_ROLES = frozenset({AgentRole.BACK_OFFICE, AgentRole.SUPERVISOR})


def agent_fund_id(agent: object, *, roles: frozenset[str]) -> int | None:
    """The fund whose records `agent` may reach for the work of `roles`, or None for nothing
    at all: not an active agent, a role without this work, or no fund."""
    if not getattr(agent, "is_agent", False) or not getattr(agent, "is_active", False):
        return None
    if getattr(agent, "agent_role", "") not in roles:
        return None
    return getattr(agent, "fund_id", None)
