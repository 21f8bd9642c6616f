#!/usr/bin/env bash
# diff_cli.sh - `gongkai diff OLD NEW` end to end (issue 5).
#
#   diff_cli.sh GONGKAI SOURCE_DIR [SHARED_DIR]
#
# On two made-up years of one township (tests/batch/cases): the two years
# side by side, the changed cells with their change, the prose
# similarity, no history finding; on the second year with a carry-over
# that does not match, history.carry-over and exit 1.  With SHARED_DIR
# (../shared), also the real seeds 001 (2023) and 003 (2024) of 丙谷镇:
# no carry-over error.  The last line is "N passed, N failed".
set -u

if [ $# -lt 2 ]; then
  echo "usage: $0 GONGKAI SOURCE_DIR [SHARED_DIR]" >&2
  exit 2
fi
cli=$1
cases=$2/tests/batch/cases
shared=${3:-}

. "$(dirname "$0")/harness.sh" diff-cli
has() { grep -qF -- "$1" "$out" || fail "stdout lacks: $1"; }
# A line of the side-by-side: the Chinese location, old → new (change),
# then the path.
row() {
  grep -qE -- "^第.部分·[^ ]*：$2 → $3（$4） \[$1\]$" "$out" ||
    fail "no row: $1 $2 $3 $4"
}

"$cli" diff "$cases/baisha_2023.txt" "$cases/baisha_2024.txt" >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 0 ] || fail "exit status $rc, expected 0"
[ -s "$err" ] && fail "stderr is not empty"
has "上年 $cases/baisha_2023.txt：云岭县白沙镇人民政府，2023 年度"
has "本年 $cases/baisha_2024.txt：云岭县白沙镇人民政府，2024 年度"
has "未发现问题"
has "有变化的单元格：25 个"
row proactive.licensing 10 14 '\+4'
row proactive.punishment 3 2 -1
row applications.received.total 6 8 '\+2'
row applications.carried_forward.total 1 0 -1
grep -q '\[applications.carried_over' "$out" && fail "carried_over listed as changed"
grep -qE '部分 1 一、总体情况：[0-9]+%' "$out" || fail "no similarity for part 1"
grep -qE '部分 5 五、存在的主要问题及改进情况：[0-9]+%' "$out" ||
  fail "no similarity for part 5"
has "部分 6 六、其他需要报告的事项：文字过短，未比较"
report "two made-up years: side by side, no history finding"

"$cli" diff --all "$cases/baisha_2023.txt" "$cases/baisha_2024.txt" >"$out" 2>"$err"
has "单元格（两年对照）：200 个"
row applications.carried_over.total 1 1 不变
report "--all lists every cell"

"$cli" diff "$cases/baisha_2023.txt" "$cases/baisha_2024_bad_carry.txt" >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 1 ] || fail "exit status $rc, expected 1"
[ "$(grep -c '\[history.carry-over\]' "$out")" -eq 2 ] ||
  fail "expected two history.carry-over findings"
has "baisha_2024_bad_carry.txt:"
report "a carry-over that does not match: history.carry-over, exit 1"

"$cli" diff "$cases/baisha_2023.txt" >"$out" 2>"$err"
[ $? -eq 2 ] || fail "one file: not exit 2"
"$cli" diff "$cases/baisha_2023.txt" "$dir/missing.txt" >"$out" 2>"$err"
[ $? -eq 3 ] || fail "missing file: not exit 3"
grep -qF "$dir/missing.txt" "$err" || fail "stderr does not name the missing file"
report "usage and unreadable input"

if [ -n "$shared" ] && [ -d "$shared/seeds" ]; then
  old=$(ls "$shared"/seeds/001_*.txt 2>/dev/null | head -n 1)
  new=$(ls "$shared"/seeds/003_*.txt 2>/dev/null | head -n 1)
  if [ -n "$old" ] && [ -n "$new" ]; then
    "$cli" diff "$old" "$new" >"$out" 2>"$err"
    rc=$?
    [ "$rc" -eq 0 ] || fail "exit status $rc, expected 0"
    has "2023 年度"
    has "2024 年度"
    has "米易县丙谷镇"
    grep -q 'history.carry-over' "$out" && fail "carry-over error on seeds 001/003"
    grep -qE '部分 1 .*：([0-9]+%|文字过短)' "$out" || fail "no part 1 similarity"
    report "seeds 001 (2023) and 003 (2024): no carry-over error"
  fi
else
  echo "skip seeds 001/003: no shared folder"
fi

finish
