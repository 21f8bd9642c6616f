#!/usr/bin/env bash
# pg_start.sh STATE_FILE - starts a throw-away PostgreSQL server for the
# store and server tests (a ctest FIXTURES_SETUP), and writes its
# connection URL to STATE_FILE; pg_stop.sh STATE_FILE stops it and removes
# it.  The server listens on a Unix socket in its own temporary folder
# only (no TCP port to collide with), trusts local connections, and is
# run as the `postgres` user when we are root (PostgreSQL refuses root).
# Without the Debian postgresql package it writes "skip" instead, and the
# tests that need it say so and skip.
set -euo pipefail
state=$1
rm -f "$state"
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
  echo "skip" >"$state"
  echo "pg_start: PostgreSQL server not installed (Debian postgresql); skipping"
  exit 0
fi
dir=$(mktemp -d /tmp/gk-pg.XXXXXX)
echo "$dir" >"$state.dir" # pg_stop.sh removes it, even after a failed start
chmod 755 "$dir"
as=()
if ((EUID == 0)); then
  chown postgres: "$dir"
  as=(runuser -u postgres --)
fi
port=$((20000 + RANDOM % 20000))
"${as[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust \
  -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log"; exit 1; }
"${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 \
  -o "-k $dir -p $port -c listen_addresses='' -c fsync=off -c max_connections=60" \
  start >/dev/null || { cat "$dir/server.log"; exit 1; }
echo "postgresql:///postgres?host=$dir&port=$port&user=postgres" >"$state"
echo "pg_start: PostgreSQL in $dir, port $port"
