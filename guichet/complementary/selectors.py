"""Reads: what the insured's family has to choose (O2, O3), and the pending request (O6)."""

from dataclasses import dataclass, field

from guichet.complementary import rules
from guichet.complementary.enums import ConflictStatus, Exclusion
from guichet.complementary.models import ChoiceRequest, Conflict
from guichet.core.prepared import PreparedRead
from guichet.core.refusals import Refusal
from guichet.reference.models import ComplementaryContract, Person


@dataclass
class BeneficiaryConflict:
    person: Person
    contracts: list[ComplementaryContract] = field(default_factory=list)


@dataclass
class Situation:
    """The family's conflicts still to choose, or why the choice is not offered online."""

    beneficiaries: list[BeneficiaryConflict]
    exclusion: Refusal | None  # O4, from rules.exclusion_refusal
    pending_request: ChoiceRequest | None

    @property
    def has_conflict(self) -> bool:
        return bool(self.beneficiaries)

    @property
    def choice_pending(self) -> bool:
        """O2: show the interstitial, and offer the choice."""
        return self.has_conflict and self.exclusion is None and self.pending_request is None

    def contract_ids_of(self, person_id: int) -> set[int]:
        for beneficiary in self.beneficiaries:
            if beneficiary.person.pk == person_id:
                return {c.pk for c in beneficiary.contracts}
        return set()


def pending_request(*, family_id: int) -> ChoiceRequest | None:
    return ChoiceRequest.objects.filter(family_id=family_id, closed_at__isnull=True).first()


def situation(*, family_id: int) -> Situation:
    conflicts = (
        Conflict.objects.filter(family_id=family_id, status=ConflictStatus.PENDING)
        .select_related("person", "contract_a__insurer", "contract_b__insurer")
        .order_by("person__birth_date", "person_id", "id")
    )
    beneficiaries: dict[int, BeneficiaryConflict] = {}
    exclusion: Refusal | None = None
    for conflict in conflicts:
        if exclusion is None:
            exclusion = rules.exclusion_refusal(conflict.exclusion)
        entry = beneficiaries.setdefault(
            conflict.person_id, BeneficiaryConflict(person=conflict.person)
        )
        for contract in (conflict.contract_a, conflict.contract_b):
            if all(c.pk != contract.pk for c in entry.contracts):
                entry.contracts.append(contract)
    for entry in beneficiaries.values():
        entry.contracts.sort(key=lambda c: (c.start_date, c.pk))
    return Situation(
        beneficiaries=list(beneficiaries.values()),
        exclusion=exclusion,
        pending_request=pending_request(family_id=family_id),
    )


def family_contracts_in_force(*, family_id: int, day) -> list[ComplementaryContract]:
    """The contracts of every member of the family in force on `day` (« Mes informations »)."""
    return list(
        ComplementaryContract.objects.filter(person__family_id=family_id, start_date__lte=day)
        .exclude(end_date__lt=day)
        .select_related("insurer", "person")
        .order_by("person__birth_date", "person_id", "start_date")
    )


def request_detail(*, request_id: int) -> ChoiceRequest:
    return ChoiceRequest.objects.select_related("family__fund", "requested_by").get(pk=request_id)


def request_choices(*, request: ChoiceRequest) -> list[dict]:
    """For the agent: each beneficiary, the contract kept and the ones to stop."""
    rows = []
    conflicts = list(request.conflicts.select_related("contract_a__insurer", "contract_b__insurer"))
    for choice in request.choices.select_related("person", "chosen_contract__insurer"):
        others: dict[int, ComplementaryContract] = {}
        for conflict in conflicts:
            if conflict.person_id != choice.person_id:
                continue
            for contract in (conflict.contract_a, conflict.contract_b):
                if contract.pk != choice.chosen_contract_id:
                    others[contract.pk] = contract
        rows.append(
            {
                "person": choice.person,
                "chosen": choice.chosen_contract,
                "others": list(others.values()),
            }
        )
    return rows


@dataclass(frozen=True)
class BeneficiaryStatus:
    """What « Mes informations » says of one beneficiary's complementary insurers (O6)."""

    pending_request: ChoiceRequest | None
    blocked: bool
    excluded: bool


# « Mes informations » asks them for every beneficiary it shows: compiled once per process
# (core.prepared, issue 16).
_pending_request = PreparedRead(
    "complementary.beneficiary_status.pending_request",
    lambda family_id, person_id: ChoiceRequest.objects.filter(
        family_id=family_id, closed_at__isnull=True, choices__person_id=person_id
    ).order_by("-requested_at", "pk")[:1],
    family_id=int,
    person_id=int,
)
_open_exclusions = PreparedRead(
    "complementary.beneficiary_status.open_exclusions",
    lambda person_id: Conflict.objects.filter(
        person_id=person_id, status=ConflictStatus.PENDING
    ).values_list("exclusion", flat=True),
    person_id=int,
)


def beneficiary_status(*, person: Person) -> BeneficiaryStatus:
    requests = _pending_request(family_id=person.family_id, person_id=person.pk)
    request = requests[0] if requests else None
    exclusions = set(_open_exclusions(person_id=person.pk))
    return BeneficiaryStatus(
        pending_request=request,
        blocked=bool(exclusions),
        excluded=bool(exclusions - {Exclusion.NONE}),
    )
