# harness.sh - what the shell tests of tests/batch share, sourced (bash)
# with the test's short name as its argument:
#
#   . "$(dirname "$0")/harness.sh" table-cli
#
# It makes a temporary folder $dir (removed at exit) with $out and $err
# for the command under test's stdout and stderr; fail MESSAGE marks the
# current case failed; report NAME ends the case ("ok   NAME" or
# "FAIL NAME" with the start of stdout and stderr); finish prints the last
# line, "N passed, N failed", and is the script's status.

dir=$(mktemp -d "${TMPDIR:-/tmp}/gk-$1-XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
out=$dir/stdout
err=$dir/stderr

passed=0
failed=0
ok=1
fail() {
  echo "  $*"
  ok=0
}
report() {
  if [ "$ok" -eq 1 ]; then
    passed=$((passed + 1))
    echo "ok   $1"
  else
    failed=$((failed + 1))
    echo "FAIL $1"
    if [ -s "$out" ]; then
      echo "  stdout was:"
      head -n 20 "$out" | cut -c 1-300 | sed 's/^/    /'
    fi
    if [ -s "$err" ]; then
      echo "  stderr was:"
      head -n 8 "$err" | cut -c 1-300 | sed 's/^/    /'
    fi
  fi
  ok=1
}
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
