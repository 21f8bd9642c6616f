#!/usr/bin/env bash
# tidy.sh - `make tidy`: clang-tidy over the given files with build/dev's
# compile commands (.clang-tidy makes every warning an error), one
# clang-tidy process per file and JOBS of them at once.  Each file's
# findings are printed together; exits 1 when any file has one.
#
#   scripts/tidy.sh JOBS FILE...          (CLANG_TIDY picks the binary)
#
# One process per file, not one for all: given several files, clang-tidy
# 14's valist checker is right in the first only, and in each later one
# calls every vsnprintf(..., ap) "uninitialized va_list" (try
# `clang-tidy -p build/dev src/base/arena.c src/base/buf.c`, then buf.c
# alone).  It also lets both cores work.
set -uo pipefail

jobs=${1:?usage: scripts/tidy.sh JOBS FILE...}
shift
export CLANG_TIDY=${CLANG_TIDY:-clang-tidy}

# Runs one file; prints its output in one piece, without clang's
# "N warnings generated." count (it counts warnings in system headers and
# NOLINT-ed ones too, which are not shown).
one() {
  local out rc
  out=$("$CLANG_TIDY" -p build/dev --quiet "$1" 2>&1)
  rc=$?
  out=$(printf '%s\n' "$out" | grep -Ev '^[0-9]+ warnings? generated\.$')
  [ -n "$out" ] && printf '%s\n' "$out"
  return "$rc"
}
export -f one

if printf '%s\n' "$@" | xargs -r -n 1 -P "$jobs" bash -c 'one "$1"' one; then
  echo "tidy: $# files, no warnings"
else
  echo "tidy: clang-tidy found something (above); fix it, or silence a" \
    "false positive at its line: // NOLINTNEXTLINE(check): reason" >&2
  exit 1
fi
