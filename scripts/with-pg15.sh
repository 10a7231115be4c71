#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster built from the machine's own binaries,
# with DATABASE_URL set to its superuser URL, then stops and removes the cluster whatever the
# command did. Hosted Supabase projects run PostgreSQL 15 or 17; the embedded server is 17.
#
#   bash scripts/with-pg15.sh npx vitest run --project db tests/db
#
# initdb and postgres refuse to run as root, so as root the cluster belongs to the `postgres`
# OS user. Loopback only, trust auth for that one throwaway cluster.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: scripts/with-pg15.sh COMMAND [ARGS...]" >&2
  exit 2
fi

bindir="${PG15_BINDIR:-/usr/lib/postgresql/15/bin}"
if [ ! -x "$bindir/initdb" ]; then
  bindir="$(pg_config --bindir 2>/dev/null || true)"
fi
if [ ! -x "$bindir/initdb" ] || ! "$bindir/postgres" --version | grep -q ' 15\.'; then
  echo "with-pg15: no PostgreSQL 15 binaries found (tried /usr/lib/postgresql/15/bin and" \
    "pg_config --bindir); install postgresql-15 or set PG15_BINDIR" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

workdir="$(mktemp -d -t cuepoint-pg15-XXXXXX)"
datadir="$workdir/data"
started=false

cleanup() {
  if [ "$started" = true ]; then
    as_owner "$bindir/pg_ctl" -D "$datadir" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT INT TERM

if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$workdir"
fi

# A free port on 127.0.0.1, chosen by the kernel.
free_port='const s = require("net").createServer();
s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
port="$(node -e "$free_port")"

as_owner "$bindir/initdb" -D "$datadir" -U postgres --auth=trust --encoding=UTF8 \
  --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 || {
  cat "$workdir/initdb.log" >&2
  exit 1
}

started=true
as_owner "$bindir/pg_ctl" -D "$datadir" -l "$workdir/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off" start >/dev/null || {
  cat "$workdir/server.log" >&2
  exit 1
}

export DATABASE_URL="postgres://postgres:postgres@127.0.0.1:$port/postgres"
echo "with-pg15: $("$bindir/postgres" --version) on 127.0.0.1:$port" >&2

"$@"
