#!/usr/bin/env bash
# The read-replica tests (issue 16, docs/decisions/database-replicas.md) against a real
# PostgreSQL streaming replica: a throwaway primary (wal_level=replica) initialised in a
# temporary folder on a free loopback port, its standby taken with pg_basebackup -R and started
# on another port, the project migrated on the primary, then `pytest -m replica tests/replica`
# with DATABASE_URL on the primary and GUICHET_REPLICA_URL on the standby. Both clusters are
# stopped and removed at the end, whatever happens; the machine's own cluster is never used.
# Every step has a time limit (the whole run takes well under two minutes).
#   tests/replica/run.sh [pytest arguments…]
set -euo pipefail
cd "$(dirname "$0")/../.."
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
PY=.venv/bin/python
DB=replica_guichet

# initdb refuses to run as root: the clusters then belong to the system's postgres user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

WORK="$(mktemp -d /tmp/guichet-replica.XXXXXX)"
chmod 755 "$WORK"
[ "$(id -u)" = 0 ] && chown postgres: "$WORK"
cleanup() {
  for cluster in standby primary; do
    if [ -f "$WORK/$cluster/postmaster.pid" ]; then
      as_owner "$PG_BIN/pg_ctl" -D "$WORK/$cluster" -m immediate -t 20 stop >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

read -r PRIMARY_PORT STANDBY_PORT < <("$PY" - <<'PY'
import socket
sockets = [socket.socket() for _ in range(2)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))
for s in sockets:
    s.close()
PY
)

echo "primaire 127.0.0.1:$PRIMARY_PORT, réplique 127.0.0.1:$STANDBY_PORT, dans $WORK"
as_owner timeout 60 "$PG_BIN/initdb" -D "$WORK/primary" -U postgres --auth=trust \
  --encoding=UTF8 --locale=C.UTF-8 --no-sync >/dev/null
cat >>"$WORK/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = '$WORK'
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = off
full_page_writes = off
CONF
as_owner "$PG_BIN/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -w -t 30 start >/dev/null
as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres "$DB"

# The standby: a base backup of the primary with the recovery settings (-R: standby.signal
# and primary_conninfo), streaming the WAL while it copies.
as_owner timeout 60 "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres \
  -D "$WORK/standby" -R -X stream --checkpoint=fast --no-sync
as_owner "$PG_BIN/pg_ctl" -D "$WORK/standby" -l "$WORK/standby.log" -w -t 30 \
  -o "-p $STANDBY_PORT" start >/dev/null

export DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/$DB"
export GUICHET_REPLICA_URL="postgres://postgres@127.0.0.1:$STANDBY_PORT/$DB"
export GUICHET_REPLICA_TEST="$WORK"
GUICHET_DEBUG=true timeout 90 "$PY" manage.py migrate --no-input -v0
timeout 90 .venv/bin/pytest -m replica tests/replica -p no:randomly "$@"
