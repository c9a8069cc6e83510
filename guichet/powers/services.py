"""Writes of the online power of attorney: give, revoke, expire, record a front-desk use."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from guichet.accounts.models import User
from guichet.accounts.rules import FRONT_DESK_ROLES, agent_fund_id
from guichet.core import clock
from guichet.core.refusals import Refusal, Refused
from guichet.core.transitions import StaleTransition, StateMachine
from guichet.powers import rules
from guichet.powers.enums import EndReason, IdentityDocument, PowerStatus
from guichet.powers.models import PowerOfAttorney, PowerTransition, PowerUse
from guichet.reference.models import Person
from guichet.reference.validators import (
    normalize_text,
    validate_no_control_characters,
    validate_person_name,
)

TRANSITIONS = StateMachine(
    {
        "": [PowerStatus.ACTIVE],
        PowerStatus.ACTIVE: [PowerStatus.REVOKED, PowerStatus.EXPIRED],
        PowerStatus.REVOKED: [],
        PowerStatus.EXPIRED: [],
    },
    log=PowerTransition,
)


class PowerRefused(Refused):
    """The power cannot be given (P1–P7). The core `Refused`: built from a rule's `Refusal`, or from a
    French message under the stable code `power_refused` (docs/decisions/rules-in-services.md)."""

    def __init__(self, refusal: Refusal | str) -> None:
        super().__init__(
            refusal if isinstance(refusal, Refusal) else Refusal("power_refused", refusal)
        )


class PowerNotUsable(Refused):
    """The power cannot be used or revoked now (not in force, expired, unknown ID type). The core `Refused`: built from a rule's `Refusal`, or from a
    French message under the stable code `power_not_usable` (docs/decisions/rules-in-services.md)."""

    def __init__(self, refusal: Refusal | str) -> None:
        super().__init__(
            refusal if isinstance(refusal, Refusal) else Refusal("power_not_usable", refusal)
        )


@dataclass(frozen=True)
class ProxyIdentity:
    civility: str
    last_name: str
    usage_name: str
    first_name: str
    birth_date: dt.date


def _end(power: PowerOfAttorney, *, target: str, reason: str, by: User | None) -> bool:
    """Move a locked or known-active power out of « active » with a conditional UPDATE."""
    moment = clock.now()
    ended_at = min(moment, power.valid_until) if target == PowerStatus.EXPIRED else moment
    try:
        TRANSITIONS.move(power, target, by=by, log_fields={"reason": reason}, ended_at=ended_at)
    except StaleTransition:
        return False
    return True


def _revoke_or_expire(power: PowerOfAttorney, *, reason: str, by: User | None) -> bool:
    """End a locked active power: revoked for `reason`, or stored as expired (by nobody) when
    its validity has already run out and the periodic expiry has not passed yet. True when
    revoked."""
    if power.valid_until < clock.now():
        _end(power, target=PowerStatus.EXPIRED, reason=EndReason.VALIDITY_ENDED, by=None)
        return False
    _end(power, target=PowerStatus.REVOKED, reason=reason, by=by)
    return True


@transaction.atomic
def power_give(
    *,
    grantor: Person,
    by: User | None,
    proxy: ProxyIdentity,
    idempotency_key: uuid.UUID,
) -> PowerOfAttorney:
    """Give a power of attorney, effective at once for one month (rules P4–P6).

    The same form token twice returns the power already given (double click, back button,
    two tabs). A previous active power is revoked automatically (reason « replaced »), or
    stored as expired if its month is over: one active power per insured, also enforced by
    the database constraint ``one_active_power_per_insured``.
    """
    # Serialise the gifts of one insured person: concurrent submissions wait here.
    Person.objects.select_for_update().filter(pk=grantor.pk).first()
    existing = PowerOfAttorney.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.grantor_id != grantor.pk:
            raise PowerRefused(rules.FORM_ERROR)
        return existing
    today = clock.today()
    refusal = rules.proxy_birth_date_refusal(proxy.birth_date, today)
    if refusal is not None:
        raise PowerRefused(refusal)
    # The names are printed and shown at the front desk (P7, P8): civil-status characters only.
    for name in (proxy.last_name, proxy.usage_name, proxy.first_name):
        try:
            validate_no_control_characters(name)
            validate_person_name(name)
        except ValidationError as invalid:
            raise PowerRefused(invalid.messages[0]) from None
    moment = clock.now()
    previous = (
        PowerOfAttorney.objects.select_for_update()
        .filter(grantor=grantor, status=PowerStatus.ACTIVE)
        .first()
    )
    if previous is not None:
        _revoke_or_expire(previous, reason=EndReason.REPLACED, by=by)
    power = PowerOfAttorney.objects.create(
        grantor=grantor,
        granted_by=by,
        proxy_civility=proxy.civility,
        proxy_last_name=normalize_text(proxy.last_name),
        proxy_usage_name=normalize_text(proxy.usage_name),
        proxy_first_name=normalize_text(proxy.first_name),
        proxy_birth_date=proxy.birth_date,
        status=PowerStatus.ACTIVE,
        created_at=moment,
        valid_until=rules.valid_until_for(moment),
        idempotency_key=idempotency_key,
    )
    TRANSITIONS.record(power, source="", target=PowerStatus.ACTIVE, by=by, reason=EndReason.CREATED)
    return power


@transaction.atomic
def power_revoke(*, power_id: int, grantor: Person, by: User | None) -> PowerOfAttorney:
    """Revoke one's own active power (rule P7). Raises PowerOfAttorney.DoesNotExist when the
    power is not the grantor's, PowerNotUsable when it is no longer active."""
    power = PowerOfAttorney.objects.select_for_update().get(pk=power_id, grantor=grantor)
    if power.status != PowerStatus.ACTIVE:
        raise PowerNotUsable("Cette procuration n'est plus en cours.")
    if not _revoke_or_expire(power, reason=EndReason.REVOKED_BY_INSURED, by=by):
        raise PowerNotUsable("Cette procuration a expiré.")
    return power


def power_revoke_on_account_closure(*, grantor: Person, by: User) -> PowerOfAttorney | None:
    """End the grantor's active power when they close their online account: it was given and
    is managed there (docs/decisions/accounts-closure.md). Call inside a transaction."""
    power = (
        PowerOfAttorney.objects.select_for_update()
        .filter(grantor=grantor, status=PowerStatus.ACTIVE)
        .first()
    )
    if power is None or not _revoke_or_expire(power, reason=EndReason.ACCOUNT_CLOSED, by=by):
        return None
    return power


def powers_expire_due() -> int:
    """Store « expired » on every active power past its end. Idempotent: run it as often as
    wanted (management command ``powers_expire``); returns how many were expired."""
    count = 0
    due = PowerOfAttorney.objects.filter(
        status=PowerStatus.ACTIVE, valid_until__lt=clock.now()
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            power = (
                PowerOfAttorney.objects.select_for_update()
                .filter(pk=pk, status=PowerStatus.ACTIVE)
                .first()
            )
            if power is not None and _end(
                power, target=PowerStatus.EXPIRED, reason=EndReason.VALIDITY_ENDED, by=None
            ):
                count += 1
    return count


@transaction.atomic
def power_use_record(
    *,
    power_id: int,
    grantor: Person,
    agent: User,
    document_type: str,
    document_last_digits: str,
    at_fund_id: int | None = None,
) -> PowerUse:
    """Record that a front-desk agent checked the proxy's identity document and served them
    (rule P8). Only an active power within its month can be used, by a front-desk agent (or
    supervisor) of the grantor's fund: for anybody else the power does not exist
    (PowerOfAttorney.DoesNotExist, docs/decisions/security-agents-scope.md).

    `at_fund_id`: the fund whose desk receives the proxy for an appointment booked at one of
    its places (rule RDV24, the caller scoped the appointment to it); that fund's agent then
    records the check instead of the grantor's fund."""
    fund_id = agent_fund_id(agent, roles=FRONT_DESK_ROLES)
    if fund_id is None or (at_fund_id is not None and at_fund_id != fund_id):
        raise PowerOfAttorney.DoesNotExist("Procuration introuvable.")
    scope = {} if at_fund_id is not None else {"grantor__family__fund_id": fund_id}
    power = PowerOfAttorney.objects.select_for_update(of=("self",)).get(
        pk=power_id, grantor=grantor, **scope
    )
    if power.status == PowerStatus.REVOKED:
        raise PowerNotUsable(
            "Cette procuration a été révoquée : le mandataire ne peut pas être reçu."
        )
    if not power.is_usable_at(clock.now()):
        raise PowerNotUsable("Cette procuration a expiré : le mandataire ne peut pas être reçu.")
    if document_type not in IdentityDocument.values:
        raise PowerNotUsable("Type de pièce d'identité inconnu.")
    return PowerUse.objects.create(
        power=power,
        agent=agent,
        fund=agent.fund,
        document_type=document_type,
        document_last_digits=document_last_digits,
    )
