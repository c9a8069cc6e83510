"""The periodic detection of overlapping complementary contracts (O1) and of exclusions (O4).

Set-based: one GROUP BY scan of the contracts for the pairs not recorded yet (on the
read replica when there is one, issue 16), one INSERT … SELECT per thousand pairs found that
checks them again on the primary, then a few UPDATEs over whole families. No Python loop per
person: it has to run on millions of insured. The conflicts that end are moved by the conflict
machine's bulk mover (an UPDATE per 500 rows, their log rows by bulk_create), so each keeps its
audit trail. The SQL is portable to SQLite and PostgreSQL (both name a VALUES list's columns
column1, column2…, both support INSERT … SELECT … ON CONFLICT DO NOTHING).
"""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.db import connection, connections, transaction
from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When

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


def _end_stale_conflicts(day: dt.date, conflicts: QuerySet[Conflict]) -> int:
    """A pending conflict whose contracts no longer overlap on the day has resolved itself."""
    stale = Q(contract_a__end_date__lt=day) | Q(contract_b__end_date__lt=day)
    return CONFLICT_MACHINE.move_many(
        conflicts.filter(stale, status=ConflictStatus.PENDING),
        ConflictStatus.RESOLVED,
        note="Les contrats ne se chevauchent plus",
    )


def _block_transmission(conflicts: QuerySet[Conflict]) -> int:
    """O1: a conflict blocks the automatic transmission of both contracts until the choice.

    One UPDATE per side of the pair, each a semi-join on the contracts' primary key (an OR of
    the two sides made PostgreSQL scan every contract)."""
    pending = conflicts.filter(status=ConflictStatus.PENDING)
    transmitted = ComplementaryContract.objects.filter(payments_transmitted=True)
    return sum(
        transmitted.filter(pk__in=pending.values(side)).update(payments_transmitted=False)
        for side in ("contract_a_id", "contract_b_id")
    )


def _apply_exclusions(conflicts: QuerySet[Conflict]) -> None:
    """Decide O4 per family (the conflict set), keeping the first reason found.

    One UPDATE: each pending conflict gets the first reason of its family (or none), and
    only the rows whose reason changes are written, so a run that finds nothing new writes
    nothing."""
    pending = conflicts.filter(status=ConflictStatus.PENDING)
    precarity = list(ContractKind.precarity())
    families_by_reason = {
        Exclusion.PRECARITY: pending.filter(
            Q(contract_a__kind__in=precarity) | Q(contract_b__kind__in=precarity)
        ).values("family_id"),
        Exclusion.TOO_MANY_BENEFICIARIES: pending.values("family_id")
        .annotate(beneficiaries=Count("person_id", distinct=True))
        .filter(beneficiaries__gte=EXCLUDED_FROM_BENEFICIARIES)
        .values("family_id"),
        Exclusion.PARTNER_SCHEME: pending.filter(family__scheme__is_partner=True).values(
            "family_id"
        ),
    }
    reason = Case(
        *(
            When(family_id__in=families, then=Value(r))
            for r, families in families_by_reason.items()
        ),
        default=Value(Exclusion.NONE),
        output_field=CharField(),
    )
    pending.exclude(exclusion=reason).update(exclusion=reason)


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
    conflicts = _conflicts(family_ids)
    detected = _insert_conflicts(day, family_ids)
    ended = _end_stale_conflicts(day, conflicts)
    _block_transmission(conflicts)
    _apply_exclusions(conflicts)
    pending = conflicts.filter(status=ConflictStatus.PENDING)
    return DetectionResult(
        detected=detected,
        ended=ended,
        pending=pending.count(),
        excluded=pending.exclude(exclusion=Exclusion.NONE).count(),
    )
