"""The periodic detection of overlapping complementary contracts (O1) and of exclusions (O4).

Set-based: one GROUP BY scan of the contracts for the pairs not recorded yet (on the
read replica when there is one, issue 16), one INSERT … SELECT per thousand pairs found that
checks them again on the primary, then ONE statement over the pending conflicts, their two
contracts and their family's scheme that decides which conflicts are stale, which contracts
are still transmitted and each family's O4 reason, and returns only what must be written (and
one row of counts); only that is written, by primary key. No Python loop per person, per
contract or per pending conflict that does not change. The conflicts that end are moved by
the conflict machine's bulk mover (an UPDATE per 500 rows, their log rows by bulk_create), so
each keeps its audit trail. The SQL is portable to SQLite and PostgreSQL (both name a VALUES
list's columns column1, column2…, both support INSERT … SELECT … ON CONFLICT DO NOTHING).
"""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.db import connection, connections, transaction

from guichet.complementary.enums import ConflictStatus, Exclusion
from guichet.complementary.models import Conflict
from guichet.complementary.rules import CONFLICT_MACHINE, EXCLUDED_FROM_BENEFICIARIES
from guichet.core import clock
from guichet.core.db import heavy_reads
from guichet.reference.enums import ContractKind
from guichet.reference.models import ComplementaryContract, Family, Person, Scheme

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
        "family": quote(Family._meta.db_table),
        "scheme": quote(Scheme._meta.db_table),
        "overlap": _OVERLAP,
    }


def _families_clause(
    sql: str, ids: list[int], family_ids: Collection[int] | None, **names: str
) -> str:
    """The WHERE clause that limits a statement to `family_ids` (all families when None):
    `sql` with one placeholder per id, or a clause that matches nothing for no family."""
    if family_ids is None:
        return ""
    return sql.format(ids=", ".join(["%s"] * len(ids)), **names) if ids else "AND 1 = 0"


def _new_pairs(day: dt.date, family_ids: Collection[int] | None) -> list[tuple[int, int]]:
    ids = sorted(family_ids) if family_ids is not None else []
    tables = _tables()
    families = _families_clause(_FAMILIES_SQL, ids, family_ids, person=tables["person"])
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


_WRITE_BATCH = 1000  # primary keys per UPDATE (SQLite's bound-parameter limit)

# The steps after the INSERT, decided in ONE statement over the pending conflicts (issue 16,
# third pass: docs/decisions/complementary-detection-sql.md). For each pending conflict, from
# its two contracts and its family's scheme: whether it is stale (one contract has ended on the
# day), which of its contracts are still transmitted (O1 blocks them), and its family's O4
# reason, the first found in the rule's order over the family's conflicts that are not stale:
# a « contrat de précarité », then 5 beneficiaries or more, then a partner scheme. Only the
# conflicts where something must be written come back, with one summary row (kind 1) that
# counts the conflicts still pending and those excluded: a run that finds nothing new reads one
# row. The same SQL on SQLite and PostgreSQL.
_PENDING_SQL = """
WITH pending AS (
  SELECT c.id, c.family_id, c.person_id, c.exclusion,
         CASE WHEN (a.end_date IS NOT NULL AND a.end_date < %s)
                OR (b.end_date IS NOT NULL AND b.end_date < %s) THEN 1 ELSE 0 END AS stale,
         CASE WHEN a.payments_transmitted THEN a.id END AS a_sent,
         CASE WHEN b.payments_transmitted THEN b.id END AS b_sent,
         CASE WHEN a.kind IN ({kinds}) OR b.kind IN ({kinds}) THEN 1 ELSE 0 END AS precarity,
         CASE WHEN s.is_partner THEN 1 ELSE 0 END AS partner
  FROM {conflict} c
  JOIN {contract} a ON a.id = c.contract_a_id
  JOIN {contract} b ON b.id = c.contract_b_id
  JOIN {family} f ON f.id = c.family_id
  JOIN {scheme} s ON s.id = f.scheme_id
  WHERE c.status = %s {families}
), reasons AS (
  SELECT family_id,
         CASE WHEN MAX(precarity) = 1 THEN %s
              WHEN COUNT(DISTINCT person_id) >= %s THEN %s
              WHEN MAX(partner) = 1 THEN %s
              ELSE %s END AS reason,
         COUNT(*) AS conflicts
  FROM pending WHERE stale = 0
  GROUP BY family_id
)
SELECT 0, p.id, p.stale, p.a_sent, p.b_sent, r.reason, p.exclusion
FROM pending p LEFT JOIN reasons r ON r.family_id = p.family_id
WHERE p.stale = 1 OR p.a_sent IS NOT NULL OR p.b_sent IS NOT NULL OR r.reason <> p.exclusion
UNION ALL
SELECT 1, COALESCE(SUM(conflicts), 0),
       COALESCE(SUM(CASE WHEN reason <> %s THEN conflicts ELSE 0 END), 0),
       NULL, NULL, NULL, NULL
FROM reasons
"""


@dataclass(frozen=True)
class _Changes:
    """What the pending conflicts need written, as `_PENDING_SQL` decides it."""

    stale: list[int]
    transmitted: list[int]
    exclusions: dict[str, list[int]]
    pending: int
    excluded: int


def _pending_changes(day: dt.date, family_ids: Collection[int] | None) -> _Changes:
    """Every pending conflict checked in ONE read, only what changes coming back.

    The former steps each joined every pending conflict to its contracts again (stale check,
    blocking, each O4 reason), then one read brought every pending conflict into Python; the
    decisions are now the statement's (issue 16, docs/decisions/complementary-detection-sql.md).
    """
    kinds = sorted(ContractKind.precarity())
    ids = sorted(family_ids) if family_ids is not None else []
    sql = _PENDING_SQL.format(
        **_tables(),
        kinds=", ".join(["%s"] * len(kinds)),
        families=_families_clause("AND c.family_id IN ({ids})", ids, family_ids),
    )
    params: list[object] = [
        day,
        day,
        *kinds,
        *kinds,
        ConflictStatus.PENDING.value,
        *ids,
        Exclusion.PRECARITY.value,
        EXCLUDED_FROM_BENEFICIARIES,
        Exclusion.TOO_MANY_BENEFICIARIES.value,
        Exclusion.PARTNER_SCHEME.value,
        Exclusion.NONE.value,
        Exclusion.NONE.value,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    stale: list[int] = []
    transmitted: set[int] = set()
    exclusions: dict[str, list[int]] = {}
    pending = excluded = 0
    for row_kind, pk, is_stale, a_sent, b_sent, reason, exclusion in rows:
        if row_kind == 1:
            pending, excluded = pk, is_stale
            continue
        if is_stale:
            stale.append(pk)
            continue
        transmitted.update(contract for contract in (a_sent, b_sent) if contract is not None)
        if reason != exclusion:
            exclusions.setdefault(reason, []).append(pk)
    return _Changes(
        stale=sorted(stale),
        transmitted=sorted(transmitted),
        exclusions={reason: sorted(pks) for reason, pks in exclusions.items()},
        pending=int(pending),
        excluded=int(excluded),
    )


def _batches(pks: list[int]) -> list[list[int]]:
    return [pks[i : i + _WRITE_BATCH] for i in range(0, len(pks), _WRITE_BATCH)]


def _end_stale_conflicts(stale: list[int]) -> int:
    """A pending conflict whose contracts no longer overlap on the day has resolved itself."""
    return sum(
        CONFLICT_MACHINE.move_many(
            Conflict.objects.filter(pk__in=batch, status=ConflictStatus.PENDING),
            ConflictStatus.RESOLVED,
            note="Les contrats ne se chevauchent plus",
        )
        for batch in _batches(stale)
    )


def _block_transmission(contracts: list[int]) -> int:
    """O1: a conflict blocks the automatic transmission of both contracts until the choice.

    Only the contracts still transmitted are written (none on a run that finds nothing new)."""
    return sum(
        ComplementaryContract.objects.filter(pk__in=batch, payments_transmitted=True).update(
            payments_transmitted=False
        )
        for batch in _batches(contracts)
    )


def _apply_exclusions(exclusions: dict[str, list[int]]) -> None:
    """O4: write each family's reason on its conflicts whose reason changes, one UPDATE per
    reason and batch (none on a run that finds nothing new)."""
    for reason, pks in exclusions.items():
        for batch in _batches(pks):
            Conflict.objects.filter(pk__in=batch, status=ConflictStatus.PENDING).update(
                exclusion=reason
            )


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
    changes = _pending_changes(day, family_ids)
    ended = _end_stale_conflicts(changes.stale)
    _block_transmission(changes.transmitted)
    _apply_exclusions(changes.exclusions)
    return DetectionResult(
        detected=detected, ended=ended, pending=changes.pending, excluded=changes.excluded
    )
