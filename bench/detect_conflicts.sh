#!/usr/bin/env bash
# Measures the detection of overlapping complementary contracts (rules O1, O4) on PostgreSQL,
# on the data of `seed_scale`: a fresh database, migrations, N insured, then the periodic job
# run twice (the second run finds nothing new: it is idempotent).
#   bench/detect_conflicts.sh [N] [DATABASE_URL] [--keep]
# With --keep as third argument the database is not re-created: N more insured are added.
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

if [ "${3:-}" != "--keep" ]; then
  psql "$SERVER/postgres" -qc "DROP DATABASE IF EXISTS \"$DB\"" -c "CREATE DATABASE \"$DB\""
  $PY manage.py migrate --no-input -v0
fi
$PY manage.py seed_scale --insured "$N" -v0
psql "$URL" -qc "VACUUM ANALYZE"
psql "$URL" -Atc "SELECT 'persons: ' || count(*) FROM reference_person"
psql "$URL" -Atc "SELECT 'contracts: ' || count(*) FROM reference_complementarycontract"
echo "detect_complementary_conflicts on $(psql "$URL" -Atc "SELECT count(*) FROM reference_family") insured ($(nproc) CPU, load $(cut -d' ' -f1-3 /proc/loadavg))"
# Timed inside the process, so Django's start-up is not counted.
$PY manage.py shell -c '
import time
from guichet.complementary.detection import conflicts_detect
for run in (1, 2):
    start = time.perf_counter()
    result = conflicts_detect()
    print(f"run {run}: {time.perf_counter() - start:.2f} s  {result}")
'
psql "$URL" -Atc "SELECT 'conflicts by exclusion: ' || string_agg(coalesce(nullif(exclusion, ''), 'offered') || '=' || n, ', ')
  FROM (SELECT exclusion, count(*) n FROM complementary_conflict GROUP BY exclusion) t"
