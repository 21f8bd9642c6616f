#!/usr/bin/env bash
# pg_stop.sh STATE_FILE - stops and removes the server pg_start.sh started.
set -uo pipefail
state=$1
[[ -f "$state.dir" ]] || exit 0
dir=$(cat "$state.dir")
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
as=()
((EUID == 0)) && as=(runuser -u postgres --)
if [[ -f "$dir/data/postmaster.pid" ]]; then
  "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
fi
case "$dir" in /tmp/gk-pg.*) rm -rf "$dir" ;; esac
rm -f "$state" "$state.dir"
