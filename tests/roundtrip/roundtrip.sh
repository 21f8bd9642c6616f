#!/bin/sh
# roundtrip.sh - the model is the contract (issue 12): a report read back
# from the model `gongkai parse` wrote is the same report.  For every input
# that parses, in each folder given:
#
#   gongkai parse FILES | gongkai parse -           the same model, byte for byte
#   gongkai parse FILES | gongkai check --json -    the same output, findings
#                                                   included, as check --json FILES
#
# Inputs are read in one run per folder (standard input as JSON Lines), so
# the suite stays quick under the sanitizers.  A folder that does not exist
# (../shared on a machine without it) is skipped with a message; when none
# exists the test is skipped (exit 77).
#
#   roundtrip.sh GONGKAI DIR...
set -u
G=$1
shift
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
sets=0
for dir in "$@"; do
  if [ ! -d "$dir" ]; then
    echo "skip $dir (absent)"
    continue
  fi
  sets=$((sets + 1))
  find "$dir" -type f ! -name '*.c' ! -name '*.h' ! -name '*.sh' \
    ! -name '*.md' ! -name 'CMakeLists.txt' | sort >"$T/all"
  # Only the inputs that parse: the others are refused the same way
  # however they are read.
  : >"$T/good"
  while IFS= read -r f; do
    "$G" parse "$f" >/dev/null 2>&1 && printf '%s\n' "$f" >>"$T/good"
  done <"$T/all"
  n=$(grep -c '' "$T/good")
  tr '\n' '\0' <"$T/good" | xargs -0 "$G" parse >"$T/models" 2>/dev/null
  "$G" parse - <"$T/models" >"$T/again" 2>"$T/err"
  if cmp -s "$T/models" "$T/again"; then
    echo "ok   $dir: parse | parse - ($n models)"
  else
    echo "FAIL $dir: parse | parse - differs"
    head -c 2000 "$T/err"
    fails=$((fails + 1))
  fi
  tr '\n' '\0' <"$T/good" |
    xargs -0 "$G" check --json --no-pair >"$T/direct" 2>/dev/null
  "$G" check --json --no-pair - <"$T/models" >"$T/readback" 2>/dev/null
  if [ -s "$T/direct" ] && cmp -s "$T/direct" "$T/readback"; then
    echo "ok   $dir: check --json = parse | check --json -"
  else
    echo "FAIL $dir: check --json differs when the model is read back"
    fails=$((fails + 1))
  fi
done
if [ "$sets" = 0 ]; then
  echo "roundtrip: no folder to read"
  exit 77
fi
[ "$fails" = 0 ] && echo "roundtrip: all passed" || echo "roundtrip: $fails failed"
[ "$fails" = 0 ]
