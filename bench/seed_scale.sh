#!/usr/bin/env bash
# Measures `manage.py seed_scale` on PostgreSQL: a fresh database, migrations, then N insured.
#   bench/seed_scale.sh [N] [DATABASE_URL]
# defaults: N=100000, postgres://postgres@127.0.0.1:5432/guichet_scale (dropped and re-created).
# Writes the figures on stdout; docs/benchmarks.md keeps the last measured ones.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
URL="${2:-postgres://postgres@127.0.0.1:5432/guichet_scale}"
DB="${URL##*/}"
SERVER="${URL%/*}"
PY=.venv/bin/python

export DATABASE_URL="$URL"
export GUICHET_DEBUG=false  # no query log, as in production
export GUICHET_SECRET_KEY="${GUICHET_SECRET_KEY:-bench-only-secret-key-not-for-production-0123456789}"

psql "$SERVER/postgres" -qc "DROP DATABASE IF EXISTS \"$DB\"" -c "CREATE DATABASE \"$DB\""
$PY manage.py migrate --no-input -v0

echo "seed_scale --insured $N on $URL ($(nproc) CPU, load $(cut -d' ' -f1-3 /proc/loadavg))"
start=$(date +%s.%N)
$PY manage.py seed_scale --insured "$N" -v0
end=$(date +%s.%N)
seconds=$(echo "$end - $start" | bc)
rows=$(psql "$URL" -Atc "SELECT (SELECT count(*) FROM reference_family) + (SELECT count(*) FROM reference_person)
  + (SELECT count(*) FROM reference_rightsperiod) + (SELECT count(*) FROM reference_card)
  + (SELECT count(*) FROM reference_complementarycontract) + (SELECT count(*) FROM reference_payment)
  + (SELECT count(*) FROM reference_europeanhealthcard) + (SELECT count(*) FROM accounts_user)")
printf 'elapsed: %.1f s  insured/s: %.0f  rows: %s  rows/s: %.0f  projected 1,000,000 insured: %.1f min\n' \
  "$seconds" "$(echo "$N / $seconds" | bc -l)" "$rows" "$(echo "$rows / $seconds" | bc -l)" \
  "$(echo "1000000 / ($N / $seconds) / 60" | bc -l)"
psql "$URL" -Atc "SELECT pg_size_pretty(pg_database_size(current_database()))" | sed 's/^/database size: /'
