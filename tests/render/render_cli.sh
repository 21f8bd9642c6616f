#!/bin/sh
# render_cli.sh - `gongkai render` end to end: the template filled with
# numbers that do not add up is refused with exactly the findings that say
# so (exit 1); filled with numbers that add up, it renders; --force, -o,
# the exit codes of model.md §4.
#
#   render_cli.sh GONGKAI EXAMPLES_DIR
set -u
G=$1
EXAMPLES=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
TAB=$(printf '\t')

# Exit status of a command, its output in $T/out and $T/err.
run() {
  "$@" >"$T/out" 2>"$T/err"
  echo $?
}

# The blank model.
rc=$(run "$G" render --template --year 2024 --agency XX县青石镇人民政府)
cp "$T/out" "$T/blank.json"
if [ "$rc" = 0 ] && grep -q '"schema": "gongkai.report/1"' "$T/blank.json" &&
  grep -q '"title": "XX县青石镇人民政府2024年政府信息公开工作年度报告"' "$T/blank.json"; then
  ok template
else
  bad "template (exit $rc)"
fi

# Five new applications from natural persons, none handled, none carried
# forward: the 勾稽 identity fails in the 自然人 and 总计 columns.
sed -e 's/"received": {"natural_person": 0,/"received": {"natural_person": 5,/' \
  -e '/"received"/s/"total": 0}/"total": 5}/' \
  -e 's/"published": null/"published": "2025-01-20"/' \
  "$T/blank.json" >"$T/unbalanced.json"
rc=$(run "$G" render --to txt "$T/unbalanced.json")
grep '\[arith\.\|\[structure\.' "$T/err" >"$T/found"
cat >"$T/want" <<EOF
$T/unbalanced.json: error: 第三部分“自然人”列：本年新收 5 + 上年结转 0 = 5 ≠ （七）总计 0 + 结转下年度 0 = 0 [arith.balance]
$T/unbalanced.json: error: 第三部分“总计”列：本年新收 5 + 上年结转 0 = 5 ≠ （七）总计 0 + 结转下年度 0 = 0 [arith.balance]
EOF
if [ "$rc" = 1 ] && [ ! -s "$T/out" ] && cmp -s "$T/found" "$T/want" &&
  grep -q '未生成报告' "$T/err"; then
  ok "unbalanced template refused"
else
  bad "unbalanced template refused (exit $rc)"
  diff "$T/want" "$T/found"
  cat "$T/err"
fi

# --force renders it anyway, still listing the findings.
rc=$(run "$G" render --force --to txt "$T/unbalanced.json")
if [ "$rc" = 0 ] && grep -q 'arith.balance' "$T/err" && [ -s "$T/out" ]; then
  ok "--force"
else
  bad "--force (exit $rc)"
fi

# The same numbers handled: granted 5 of 5; every identity holds.
sed -e '/"granted"/s/"natural_person": 0,/"natural_person": 5,/' \
  -e '/"granted"/s/"total": 0}/"total": 5}/' \
  -e '/"processed_total"/s/"natural_person": 0,/"natural_person": 5,/' \
  -e '/"processed_total"/s/"total": 0}/"total": 5}/' \
  "$T/unbalanced.json" >"$T/balanced.json"
rc=$(run "$G" render --to txt "$T/balanced.json")
if [ "$rc" = 0 ] && ! grep -q '\[arith\.' "$T/err" &&
  grep -q "^一、本年新收政府信息公开申请数量${TAB}5${TAB}0${TAB}0${TAB}0${TAB}0${TAB}0${TAB}5\$" "$T/out" &&
  grep -q '^2025年1月20日$' "$T/out"; then
  ok "balanced template renders"
else
  bad "balanced template renders (exit $rc)"
  cat "$T/err"
fi

# From standard input, every format; -o writes the file whole, and the
# format follows its name.
for f in md html txt; do
  rc=$(run "$G" render --to $f - <"$T/balanced.json")
  if [ "$rc" = 0 ] && [ -s "$T/out" ]; then ok "stdin --to $f"; else bad "stdin --to $f (exit $rc)"; fi
done
rc=$(run "$G" render -o "$T/report.docx" "$T/balanced.json")
if [ "$rc" = 0 ] && [ "$(head -c 2 "$T/report.docx")" = PK ] &&
  [ "$(ls "$T" | grep -c 'report.docx.')" = 0 ]; then
  ok "-o report.docx"
else
  bad "-o report.docx (exit $rc)"
fi
rc=$(run "$G" render --template --to docx -o "$T/blank.docx")
if [ "$rc" = 0 ] && [ -s "$T/blank.docx" ]; then ok "--template --to docx"; else bad "--template --to docx (exit $rc)"; fi

# The example report (a text document) has planted arithmetic mistakes.
rc=$(run "$G" render --to html "$EXAMPLES/青石镇2024年政府信息公开工作年度报告.txt")
if [ "$rc" = 1 ] && grep -q 'arith.row-total' "$T/err"; then ok "document input checked"; else bad "document input checked (exit $rc)"; fi

# Exit codes: usage 2, unreadable input 3.
expect() {
  want=$1
  shift
  rc=$(run "$@")
  if [ "$rc" = "$want" ]; then ok "exit $want: $*"; else bad "exit $want, got $rc: $*"; cat "$T/err"; fi
}
expect 2 "$G" render
expect 2 "$G" render --to pdf "$T/balanced.json"
expect 2 "$G" render --bogus "$T/balanced.json"
expect 2 "$G" render --template --year 2017
expect 2 "$G" render --year 2024 "$T/balanced.json"
expect 2 "$G" render "$T/balanced.json" "$T/balanced.json"
expect 3 "$G" render "$T/missing.json"
printf '{"schema": "gongkai.report/1", "year": "x"}' >"$T/bad.json"
expect 3 "$G" render "$T/bad.json"
printf '{"schema": "gongkai.report/1"' >"$T/broken.json"
expect 3 "$G" render "$T/broken.json"

# Every command reads the model it writes (issue 12): the filled template
# as a JSON file is checked exactly like the same report rendered to text
# and checked (rule, severity and message; a model has no source lines).
"$G" render --force --to txt "$T/unbalanced.json" >"$T/unbalanced.txt" 2>/dev/null
"$G" check "$T/unbalanced.json" | sed -n 's/^[^ ]* \([a-z]*: .*\)$/\1/p' | sort >"$T/from_json"
"$G" check "$T/unbalanced.txt" | sed -n 's/^[^ ]* \([a-z]*: .*\)$/\1/p' | sort >"$T/from_txt"
if [ -s "$T/from_json" ] && cmp -s "$T/from_json" "$T/from_txt" &&
  grep -q 'arith.balance' "$T/from_json"; then
  ok "check model.json = check rendered text"
else
  bad "check model.json = check rendered text"
  diff "$T/from_txt" "$T/from_json"
fi
rc=$(run "$G" table "$T/unbalanced.json")
if [ "$rc" = 0 ] && grep -q '某\|XX县青石镇人民政府' "$T/out" && ! grep -q '"title"' "$T/out"; then
  ok "table reads a model"
else
  bad "table reads a model (exit $rc)"
fi
# JSON Lines on standard input: one report a line, each checked.
{ "$G" parse "$T/unbalanced.json"; "$G" parse "$T/balanced.json"; } >"$T/two.jsonl"
rc=$(run "$G" check - <"$T/two.jsonl")
if [ "$rc" = 1 ] && [ "$(grep -c 'arith.balance' "$T/out")" = 2 ]; then
  ok "check JSON Lines on stdin"
else
  bad "check JSON Lines on stdin (exit $rc)"
  cat "$T/out" "$T/err"
fi
rc=$(run "$G" parse - <"$T/two.jsonl")
if [ "$rc" = 0 ] && cmp -s "$T/out" "$T/two.jsonl"; then
  ok "parse JSON Lines on stdin, byte for byte"
else
  bad "parse JSON Lines on stdin (exit $rc)"
fi

# -o takes the format from the extension and refuses one it cannot write;
# a file of another kind is not overwritten without --force.
expect 2 "$G" render -o "$T/report.pdf" "$T/balanced.json"
[ -e "$T/report.pdf" ] && bad "-o report.pdf left a file" || ok "-o report.pdf writes nothing"
expect 2 "$G" render --to html -o "$T/report.md" "$T/balanced.json"
rc=$(run "$G" render -o "$T/model.json" "$T/balanced.json")
if [ "$rc" = 0 ] && grep -q '"schema": "gongkai.report/1"' "$T/model.json"; then ok "-o model.json"; else bad "-o model.json (exit $rc)"; fi
"$G" render -o "$T/keep.docx" "$T/balanced.json" 2>/dev/null
cp "$T/keep.docx" "$T/keep.md"
rc=$(run "$G" render -o "$T/keep.md" "$T/balanced.json")
if [ "$rc" = 2 ] && cmp -s "$T/keep.docx" "$T/keep.md" && grep -q -- '--force' "$T/err"; then
  ok "a DOCX named .md is not overwritten"
else
  bad "a DOCX named .md is not overwritten (exit $rc)"
fi
rc=$(run "$G" render --force -o "$T/keep.md" "$T/balanced.json")
if [ "$rc" = 0 ] && grep -q '政府信息公开工作年度报告' "$T/keep.md"; then ok "--force overwrites"; else bad "--force overwrites (exit $rc)"; fi

[ "$fails" = 0 ] && echo "render_cli: all passed" || echo "render_cli: $fails failed"
[ "$fails" = 0 ]
