#!/usr/bin/env bash
# hostile_cli.sh - hostile inputs against the gongkai command.
#
#   hostile_cli.sh GONGKAI HOSTILE_LIB
#
# GONGKAI is the CLI binary; HOSTILE_LIB is the hostile_lib program, whose
# --generate mode writes the inputs (one generator for both suites).  For
# each input, `gongkai parse FILE` must exit with status 3 (model.md §4),
# print exactly one line on stderr that names the file, print nothing on
# stdout, finish within the time budget, and not crash or trip a sanitizer.
# A good file and a bad one together must both be processed: exit 3, one
# JSON line on stdout.  The last line is "N passed, N failed".
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 GONGKAI HOSTILE_LIB" >&2
  exit 2
fi
cli=$1
gen=$2

# A hung run is killed after this much wall time, generous so that a
# loaded machine (two cores shared by several builds) does not trip it.
# The budget proper is BUDGET_MS of CPU time (user + system, from GNU
# time), which load does not inflate; GK_HOSTILE_BUDGET_MS overrides it.
# Without GNU time the wall clock is measured, against WALL_BUDGET_MS.
TIMEOUT_S=60
BUDGET_MS=${GK_HOSTILE_BUDGET_MS:-1000}
WALL_BUDGET_MS=${GK_HOSTILE_WALL_BUDGET_MS:-10000}
# Peak resident memory of one run, checked where GNU time is installed.
# Sanitizers inflate it; reading the 1 GiB file whole goes far past it.
MEMORY_BUDGET_KIB=$((512 * 1024))

dir=$(mktemp -d "${TMPDIR:-/tmp}/gk-hostile-cli-XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
out=$dir/stdout
err=$dir/stderr
if ! "$gen" --generate "$dir"; then
  echo "cannot generate the inputs in $dir"
  exit 1
fi

timer=()
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null
then
  # Last line of $dir/rss: "peak-KiB user-seconds system-seconds".
  timer=(/usr/bin/time -f "%M %U %S" -o "$dir/rss")
fi

passed=0
failed=0
ok=1

fail() {
  echo "  $*"
  ok=0
}

# Runs `gongkai parse ARGS...`, sets rc and ms.  Standard input comes from
# the caller's redirection.
run() {
  local t0 t1
  rm -f "$dir/rss"
  t0=$(date +%s%N)
  timeout "$TIMEOUT_S" "${timer[@]}" "$cli" parse "$@" >"$out" 2>"$err"
  rc=$?
  t1=$(date +%s%N)
  ms=$(((t1 - t0) / 1000000))
  cpu_ms
}

# Sets ms to the CPU time of the last run when GNU time measured it (and
# budget to BUDGET_MS); otherwise leaves the wall time and sets budget to
# WALL_BUDGET_MS.
cpu_ms() {
  budget=$WALL_BUDGET_MS
  kind=wall
  if [ -s "$dir/rss" ]; then
    local c
    c=$(tail -n 1 "$dir/rss" | awk '{ if (NF == 3) printf "%d", ($2 + $3) * 1000 }')
    if [ -n "$c" ]; then
      ms=$c
      budget=$BUDGET_MS
      kind=CPU
    fi
  fi
}

# The checks every refused run shares; $1 is what stderr must name.
check_common() {
  local name=$1 lines
  if [ "$rc" -eq 124 ]; then
    fail "killed after ${TIMEOUT_S} s"
  elif [ "$rc" -ge 128 ]; then
    fail "died of signal $((rc - 128))"
  elif [ "$rc" -ne 3 ]; then
    fail "exit status $rc, expected 3"
  fi
  if grep -qE 'Sanitizer|runtime error:|SUMMARY:' "$err"; then
    fail "sanitizer report on stderr:"
    head -n 20 "$err" | sed 's/^/    /'
  fi
  lines=$(grep -c '' "$err")
  [ "$lines" -eq 1 ] || fail "$lines lines on stderr, expected 1"
  grep -qF -- "$name" "$err" || fail "stderr does not name $name"
  [ "$ms" -lt "$budget" ] || fail "took $ms ms of $kind time (budget $budget)"
  if [ -s "$dir/rss" ]; then
    local kib
    kib=$(tail -n 1 "$dir/rss" | awk '{print $1}')
    [ "$kib" -le "$MEMORY_BUDGET_KIB" ] 2>/dev/null ||
      fail "peak memory $kib KiB (budget $MEMORY_BUDGET_KIB KiB)"
  fi
}

report() {
  if [ "$ok" -eq 1 ]; then
    passed=$((passed + 1))
    echo "ok   $1 ($ms ms $kind)"
  else
    failed=$((failed + 1))
    echo "FAIL $1"
    if [ -s "$err" ]; then
      echo "  stderr was:"
      head -n 5 "$err" | sed 's/^/    /'
    fi
  fi
}

# refused NAME: `gongkai parse DIR/NAME` is refused cleanly.
refused() {
  local path=$dir/$1
  ok=1
  run "$path" </dev/null
  check_common "$path"
  [ -s "$out" ] && fail "stdout is not empty"
  report "$1"
}

for name in image.png empty.txt random.bin folder.txt sparse_1g.txt \
  tabs_200k.txt invalid_utf8.txt invalid_gbk.txt utf16_odd.txt \
  long_line.txt nul_text.txt no-such-file.txt pdf_10k_pages.pdf \
  pdf_image_only.pdf pdf_truncated.pdf pdf_dense_page.pdf html_deep.html html_invalid_gbk.html \
  docx_truncated.docx docx_bomb.docx docx_bomb_lying.docx md_separators.md pdf_big_content.pdf; do
  refused "$name"
done

# Standard input: 1 GiB through a pipe must stop at the size cap, not be
# read whole.  The message names the input as "-".
ok=1
t0=$(date +%s%N)
rm -f "$dir/rss"
cat "$dir/sparse_1g.txt" 2>/dev/null |
  timeout "$TIMEOUT_S" "${timer[@]}" "$cli" parse - >"$out" 2>"$err"
rc=${PIPESTATUS[1]}
ms=$((($(date +%s%N) - t0) / 1000000))
cpu_ms
check_common "-"
[ -s "$out" ] && fail "stdout is not empty"
report "stdin_sparse_1g"

# The image on standard input, by redirection.
ok=1
run - <"$dir/image.png"
check_common "-"
report "stdin_png"

# A good file and a bad one, in both orders: both are processed, the good
# one gives one JSON line, the bad one one line on stderr, and the status
# is 3.
for order in good-first bad-first; do
  ok=1
  good=$dir/valid.txt
  bad=$dir/image.png
  if [ "$order" = good-first ]; then
    run "$good" "$bad" </dev/null
  else
    run "$bad" "$good" </dev/null
  fi
  check_common "$bad"
  n=$(grep -c '' "$out")
  [ "$n" -eq 1 ] || fail "$n lines on stdout, expected 1"
  first=$(head -n 1 "$out")
  [[ $first == '{"schema":"gongkai.report/1"'* ]] ||
    fail "stdout does not start with the report JSON"
  grep -qF -- "$good" "$err" && fail "stderr names the good file"
  report "mixed_$order"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
