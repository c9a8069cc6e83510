"""The periodic detection of overlapping complementary contracts (O1) and of exclusions (O4).

Set-based: one INSERT … SELECT over a self-join of the contracts, then a few UPDATEs over
whole families. No Python loop per person: it has to run on millions of insured. The conflicts
that end are moved by the conflict machine's bulk mover (an UPDATE per 500 rows, their log
rows by bulk_create), so each keeps its audit trail. The SQL is
portable to SQLite and PostgreSQL (both support INSERT … SELECT … ON CONFLICT DO NOTHING).
"""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When

from guichet.complementary.enums import ConflictStatus, Exclusion
from guichet.complementary.models import Conflict
from guichet.complementary.rules import CONFLICT_MACHINE, EXCLUDED_FROM_BENEFICIARIES
from guichet.core import clock
from guichet.reference.enums import ContractKind
from guichet.reference.models import ComplementaryContract, Person

# O1: the persons with two contracts or more in force on the day are found first, by one
# GROUP BY over the contracts (the same work as the bare query that counts them); a person
# with exactly two gives the pair directly (min and max id), and only a person with three or
# more is joined back to their contracts. The family is read per pair through the person's
# primary key. The former self-join of every contract on the person (a hash join of the
# whole table that spilled to temporary files) is gone (docs/benchmarks.md). The WITH comes
# after INSERT INTO so that SQLite's driver still reports the rows inserted.
_IN_FORCE = "{alias}start_date <= %s AND ({alias}end_date IS NULL OR {alias}end_date >= %s)"
_FAMILIES_SQL = "AND person_id IN (SELECT id FROM {person} WHERE family_id IN ({ids}))"
_INSERT_SQL = """
INSERT INTO {conflict} (person_id, family_id, contract_a_id, contract_b_id, detected_at,
                        status, exclusion)
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
SELECT pairs.person_id, (SELECT p.family_id FROM {person} p WHERE p.id = pairs.person_id),
       pairs.a_id, pairs.b_id, %s, %s, %s
FROM pairs
WHERE TRUE -- SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT
ON CONFLICT (contract_a_id, contract_b_id) DO NOTHING
"""


@dataclass(frozen=True)
class DetectionResult:
    detected: int
    ended: int
    pending: int
    excluded: int


def _insert_conflicts(day: dt.date, family_ids: Collection[int] | None) -> int:
    ids = sorted(family_ids) if family_ids is not None else []
    person = connection.ops.quote_name(Person._meta.db_table)
    families = ""
    if family_ids is not None:
        families = (
            _FAMILIES_SQL.format(person=person, ids=", ".join(["%s"] * len(ids)))
            if ids
            else "AND 1 = 0"
        )
    sql = _INSERT_SQL.format(
        conflict=connection.ops.quote_name(Conflict._meta.db_table),
        contract=connection.ops.quote_name(ComplementaryContract._meta.db_table),
        person=person,
        in_force=_IN_FORCE.format(alias=""),
        a_in_force=_IN_FORCE.format(alias="a."),
        b_in_force=_IN_FORCE.format(alias="b."),
        families=families,
    )
    params: list[dt.date | dt.datetime | str | int] = [
        day,
        day,
        *ids,
        *[day] * 4,
        clock.now(),
        ConflictStatus.PENDING.value,
        Exclusion.NONE.value,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


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
