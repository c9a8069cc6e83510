"""The periodic detection of overlapping complementary contracts (O1) and of exclusions (O4).

Set-based: one GROUP BY scan of the contracts for the pairs not recorded yet (on the
read replica when there is one, issue 16), one INSERT … SELECT per thousand pairs found that
checks them again on the primary, then ONE read of the pending conflicts with the columns the
later steps need (their two contracts' end, kind and transmission, the family's scheme), from
which the stale conflicts, the contracts to block and each family's O4 reason are decided; only
what changes is written, by primary key. No Python loop per person or per contract: the loop
is over the pending conflicts (a few per thousand insured). The conflicts that end are moved by
the conflict machine's bulk mover (an UPDATE per 500 rows, their log rows by bulk_create), so
each keeps its audit trail. The SQL is portable to SQLite and PostgreSQL (both name a VALUES
list's columns column1, column2…, both support INSERT … SELECT … ON CONFLICT DO NOTHING).
"""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.db import connection, connections, transaction
from django.db.models import QuerySet

from guichet.complementary.enums import ConflictStatus, Exclusion
from guichet.complementary.models import Conflict
from guichet.complementary.rules import CONFLICT_MACHINE, EXCLUDED_FROM_BENEFICIARIES
from guichet.core import clock
from guichet.core.db import heavy_reads
from guichet.reference.enums import ContractKind
from guichet.reference.models import ComplementaryContract, Person

# O1: the persons with two contracts or more in force on the day are found first, by one
# GROUP BY over the contracts (the same work as the bare query that counts them); a person
# with exactly two gives the pair directly (min and max id), and only a person with three or
# more is joined back to their contracts. The former self-join of every contract on the person
# (a hash join of the whole table that spilled to temporary files) is gone (docs/benchmarks.md).
# This scan is the heavy part: it runs on the replica when there is one (core.db), and only
# the pairs not recorded yet come back, a handful among millions of contracts.
_IN_FORCE = "{alias}start_date <= %s AND ({alias}end_date IS NULL OR {alias}end_date >= %s)"
_FAMILIES_SQL = "AND person_id IN (SELECT id FROM {person} WHERE family_id IN ({ids}))"
_SCAN_SQL = """
WITH overlapping AS (
  SELECT person_id, MIN(id) AS first_id, MAX(id) AS last_id, COUNT(*) AS contracts
  FROM {contract}
  WHERE {in_force} {families}
  GROUP BY person_id
  HAVING COUNT(*) >= 2
), pairs AS (
  SELECT person_id, first_id AS a_id, last_id AS b_id FROM overlapping WHERE contracts = 2
  UNION ALL
  SELECT o.person_id, a.id, b.id
  FROM overlapping o
  JOIN {contract} a ON a.person_id = o.person_id
  JOIN {contract} b ON b.person_id = o.person_id AND b.id > a.id
  WHERE o.contracts > 2 AND {a_in_force} AND {b_in_force}
)
SELECT pairs.a_id, pairs.b_id
FROM pairs
LEFT JOIN {conflict} c ON c.contract_a_id = pairs.a_id AND c.contract_b_id = pairs.b_id
WHERE c.id IS NULL
"""
# On the primary, for the pairs found: checked again there (the replica may lag a little),
# recorded once (ON CONFLICT), by primary key only.
_OVERLAP = """
  a.start_date <= %s AND (a.end_date IS NULL OR a.end_date >= %s)
  AND b.start_date <= %s AND (b.end_date IS NULL OR b.end_date >= %s)
"""
_INSERT_SQL = """
INSERT INTO {conflict} (person_id, family_id, contract_a_id, contract_b_id, detected_at,
                        status, exclusion)
SELECT a.person_id, p.family_id, a.id, b.id, %s, %s, %s
FROM (VALUES {pairs}) AS found
JOIN {contract} a ON a.id = found.column1
JOIN {contract} b ON b.id = found.column2 AND b.person_id = a.person_id
JOIN {person} p ON p.id = a.person_id
WHERE {overlap}
ON CONFLICT (contract_a_id, contract_b_id) DO NOTHING
"""
_INSERT_BATCH = 1000


@dataclass(frozen=True)
class DetectionResult:
    detected: int
    ended: int
    pending: int
    excluded: int


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "conflict": quote(Conflict._meta.db_table),
        "contract": quote(ComplementaryContract._meta.db_table),
        "person": quote(Person._meta.db_table),
        "overlap": _OVERLAP,
    }


def _new_pairs(day: dt.date, family_ids: Collection[int] | None) -> list[tuple[int, int]]:
    ids = sorted(family_ids) if family_ids is not None else []
    tables = _tables()
    families = ""
    if family_ids is not None:
        families = (
            _FAMILIES_SQL.format(person=tables["person"], ids=", ".join(["%s"] * len(ids)))
            if ids
            else "AND 1 = 0"
        )
    sql = _SCAN_SQL.format(
        conflict=tables["conflict"],
        contract=tables["contract"],
        in_force=_IN_FORCE.format(alias=""),
        a_in_force=_IN_FORCE.format(alias="a."),
        b_in_force=_IN_FORCE.format(alias="b."),
        families=families,
    )
    with connections[heavy_reads()].cursor() as cursor:
        cursor.execute(sql, [day, day, *ids, *[day] * 4])
        return [(a, b) for a, b in cursor.fetchall()]


def _insert_conflicts(day: dt.date, family_ids: Collection[int] | None) -> int:
    pairs = _new_pairs(day, family_ids)
    inserted = 0
    for start in range(0, len(pairs), _INSERT_BATCH):
        batch = pairs[start : start + _INSERT_BATCH]
        sql = _INSERT_SQL.format(pairs=", ".join(["(%s, %s)"] * len(batch)), **_tables())
        params: list[dt.date | dt.datetime | str | int] = [
            clock.now(),
            ConflictStatus.PENDING.value,
            Exclusion.NONE.value,
            *(contract_id for pair in batch for contract_id in pair),
            day,
            day,
            day,
            day,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            inserted += max(cursor.rowcount, 0)
    return inserted


def _conflicts(family_ids: Collection[int] | None) -> QuerySet[Conflict]:
    if family_ids is None:
        return Conflict.objects.all()
    return Conflict.objects.filter(family_id__in=family_ids)


_WRITE_BATCH = 1000  # primary keys per UPDATE (SQLite's bound-parameter limit)


@dataclass(frozen=True)
class _Pending:
    """A pending conflict with what O1 and O4 read of it: its contracts and its family."""

    pk: int
    family_id: int
    person_id: int
    exclusion: str
    contracts: tuple[int, int]
    stale: bool
    transmitted: tuple[int, ...]
    precarity: bool
    partner: bool


def _pending(day: dt.date, conflicts: QuerySet[Conflict]) -> list[_Pending]:
    """Every pending conflict and what the steps after the INSERT need of it, in ONE read.

    The former steps each joined every pending conflict to its contracts again (stale check,
    blocking, each O4 reason): four passes of index probes for what one pass reads (issue 16,
    docs/decisions/complementary-detection-sql.md)."""
    precarity = ContractKind.precarity()
    rows = (
        conflicts.filter(status=ConflictStatus.PENDING)
        .order_by()
        .values_list(
            "pk",
            "family_id",
            "person_id",
            "exclusion",
            "contract_a_id",
            "contract_a__end_date",
            "contract_a__kind",
            "contract_a__payments_transmitted",
            "contract_b_id",
            "contract_b__end_date",
            "contract_b__kind",
            "contract_b__payments_transmitted",
            "family__scheme__is_partner",
        )
    )
    return [
        _Pending(
            pk=pk,
            family_id=family_id,
            person_id=person_id,
            exclusion=exclusion,
            contracts=(a_id, b_id),
            stale=(a_end is not None and a_end < day) or (b_end is not None and b_end < day),
            transmitted=tuple(
                contract_id for contract_id, sent in ((a_id, a_sent), (b_id, b_sent)) if sent
            ),
            precarity=a_kind in precarity or b_kind in precarity,
            partner=bool(partner),
        )
        for (
            pk,
            family_id,
            person_id,
            exclusion,
            a_id,
            a_end,
            a_kind,
            a_sent,
            b_id,
            b_end,
            b_kind,
            b_sent,
            partner,
        ) in rows
    ]


def _batches(pks: list[int]) -> list[list[int]]:
    return [pks[i : i + _WRITE_BATCH] for i in range(0, len(pks), _WRITE_BATCH)]


def _end_stale_conflicts(pending: list[_Pending]) -> int:
    """A pending conflict whose contracts no longer overlap on the day has resolved itself."""
    stale = sorted(conflict.pk for conflict in pending if conflict.stale)
    return sum(
        CONFLICT_MACHINE.move_many(
            Conflict.objects.filter(pk__in=batch, status=ConflictStatus.PENDING),
            ConflictStatus.RESOLVED,
            note="Les contrats ne se chevauchent plus",
        )
        for batch in _batches(stale)
    )


def _block_transmission(pending: list[_Pending]) -> int:
    """O1: a conflict blocks the automatic transmission of both contracts until the choice.

    Only the contracts still transmitted are written (none on a run that finds nothing new)."""
    contracts = sorted({pk for conflict in pending for pk in conflict.transmitted})
    return sum(
        ComplementaryContract.objects.filter(pk__in=batch, payments_transmitted=True).update(
            payments_transmitted=False
        )
        for batch in _batches(contracts)
    )


def _family_exclusion(conflicts: list[_Pending]) -> str:
    """O4 for one family's pending conflicts: the first reason found, in the rule's order."""
    if any(conflict.precarity for conflict in conflicts):
        return Exclusion.PRECARITY
    if len({conflict.person_id for conflict in conflicts}) >= EXCLUDED_FROM_BENEFICIARIES:
        return Exclusion.TOO_MANY_BENEFICIARIES
    if any(conflict.partner for conflict in conflicts):
        return Exclusion.PARTNER_SCHEME
    return Exclusion.NONE


def _apply_exclusions(pending: list[_Pending]) -> int:
    """Decide O4 per family (the conflict set), keeping the first reason found.

    Only the conflicts whose reason changes are written, one UPDATE per reason and batch, so a
    run that finds nothing new writes nothing. Returns how many pending conflicts stay
    excluded."""
    by_family: dict[int, list[_Pending]] = {}
    for conflict in pending:
        by_family.setdefault(conflict.family_id, []).append(conflict)
    changes: dict[str, list[int]] = {}
    excluded = 0
    for family in by_family.values():
        reason = _family_exclusion(family)
        if reason != Exclusion.NONE:
            excluded += len(family)
        for conflict in family:
            if conflict.exclusion != reason:
                changes.setdefault(reason, []).append(conflict.pk)
    for reason, pks in changes.items():
        for batch in _batches(sorted(pks)):
            Conflict.objects.filter(pk__in=batch, status=ConflictStatus.PENDING).update(
                exclusion=reason
            )
    return excluded


@transaction.atomic
def conflicts_detect(
    *, day: dt.date | None = None, family_ids: Collection[int] | None = None
) -> DetectionResult:
    """Record every pair of contracts in force on `day` for one beneficiary, once.

    A pair already recorded is never recorded again, whatever its status: once the agent has
    applied the insured's choice (one contract transmitted, the other not), the pair stays
    resolved. `family_ids` limits the work (and the counts) to these families: seed_demo
    restores the personas without scanning the whole database.
    """
    day = day or clock.today()
    detected = _insert_conflicts(day, family_ids)
    pending = _pending(day, _conflicts(family_ids))
    ended = _end_stale_conflicts(pending)
    pending = [conflict for conflict in pending if not conflict.stale]
    _block_transmission(pending)
    excluded = _apply_exclusions(pending)
    return DetectionResult(detected=detected, ended=ended, pending=len(pending), excluded=excluded)
