#!/usr/bin/env bash
# Measures the detection of overlapping complementary contracts (rules O1, O4) on PostgreSQL,
# on the data of `seed_scale`: a fresh database, migrations, N insured, then the periodic job
# run twice (the second run finds nothing new: it is idempotent).
#   bench/detect_conflicts.sh [N] [DATABASE_URL] [--keep]
# With --keep as third argument the database is not re-created: N more insured are added.
# With --measure as third argument only the timed step runs, on the database as it is (N unused).
# defaults: N=100000, postgres://postgres@127.0.0.1:5432/guichet_conflicts (dropped, re-created).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
URL="${2:-postgres://postgres@127.0.0.1:5432/guichet_conflicts}"
DB="${URL##*/}"
SERVER="${URL%/*}"
PY=.venv/bin/python

export DATABASE_URL="$URL"
export GUICHET_DEBUG=false
export GUICHET_SECRET_KEY="${GUICHET_SECRET_KEY:-bench-only-secret-key-not-for-production-0123456789}"

if [ "${3:-}" = "--measure" ]; then
  :
elif [ "${3:-}" != "--keep" ]; then
  psql "$SERVER/postgres" -qc "DROP DATABASE IF EXISTS \"$DB\"" -c "CREATE DATABASE \"$DB\""
  $PY manage.py migrate --no-input -v0
fi
if [ "${3:-}" != "--measure" ]; then
  $PY manage.py seed_scale --insured "$N" -v0
  psql "$URL" -qc "VACUUM ANALYZE"
fi
psql "$URL" -Atc "SELECT 'persons: ' || count(*) FROM reference_person"
psql "$URL" -Atc "SELECT 'contracts: ' || count(*) FROM reference_complementarycontract"
echo "detect_complementary_conflicts on $(psql "$URL" -Atc "SELECT count(*) FROM reference_family") insured ($(nproc) CPU, load $(cut -d' ' -f1-3 /proc/loadavg))"
# Timed inside the process, so Django's start-up is not counted. Then the goal of issue 16:
# the detection (nothing new to record) against the bare SQL GROUP BY that finds the same
# persons, run alternately on the same warm database; the ratio is of the medians.
$PY manage.py shell -c '
import statistics, time
from django.db import connection
from guichet.complementary.detection import conflicts_detect
from guichet.core import clock
for run in (1, 2):
    start = time.perf_counter()
    result = conflicts_detect()
    print(f"run {run}: {time.perf_counter() - start:.2f} s  {result}")
BARE = """SELECT person_id FROM reference_complementarycontract
WHERE start_date <= %s AND (end_date IS NULL OR end_date >= %s)
GROUP BY person_id HAVING COUNT(*) >= 2"""
bare, detection = [], []
for _ in range(5):
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(BARE, [clock.today()] * 2)
        persons = len(cursor.fetchall())
    bare.append(time.perf_counter() - start)
    start = time.perf_counter()
    conflicts_detect()
    detection.append(time.perf_counter() - start)
b, d = statistics.median(bare), statistics.median(detection)
print(f"bare GROUP BY: {persons} persons, median {b:.3f} s ({min(bare):.3f}-{max(bare):.3f})")
print(f"detection:     median {d:.3f} s ({min(detection):.3f}-{max(detection):.3f})")
print(f"ratio detection / bare GROUP BY: {d / b:.1f} (goal: at most 2)")
'
psql "$URL" -Atc "SELECT 'conflicts by exclusion: ' || string_agg(coalesce(nullif(exclusion, ''), 'offered') || '=' || n, ', ')
  FROM (SELECT exclusion, count(*) n FROM complementary_conflict GROUP BY exclusion) t"
