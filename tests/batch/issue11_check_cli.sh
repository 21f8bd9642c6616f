#!/usr/bin/env bash
# issue11_check_cli.sh - what `gongkai check` tells a reviewer (issue 11).
#
#   issue11_check_cli.sh GONGKAI SOURCE_DIR
#
# Two townships' folders holding the same file name: each finding names
# the path as walked, not the bare file name; the summary says how many
# reports were checked, unreadable and clean; a folder with no report in
# it exits 3, not 0; `gongkai CMD --help` for every command; --jobs N and
# --jobs=N for check and table.  The last line is "N passed, N failed".
set -u

if [ $# -lt 2 ]; then
  echo "usage: $0 GONGKAI SOURCE_DIR" >&2
  exit 2
fi
cli=$1
cases=$2/tests/checks/cases

. "$(dirname "$0")/harness.sh" issue11

# Two townships, the same file name; one report with a finding, one clean,
# and one file that is no report.
mkdir -p "$dir/county/青石镇" "$dir/county/松溪镇" "$dir/empty"
cp "$cases/issue11_title_about.txt" "$dir/county/青石镇/2024年报.txt"
cp "$cases/body_county_on_time.txt" "$dir/county/松溪镇/2024年报.txt"
printf 'x' > "$dir/county/松溪镇/notes.txt"

(cd "$dir" && "$cli" check --quiet county) >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 3 ] || fail "exit $rc, expected 3 (one file unreadable)"
grep -q '^county/青石镇/2024年报.txt:1: warning: .*\[meta.title-variant\]$' "$out" ||
  fail "the finding does not name the path as walked: $(head -3 "$out")"
grep -q '^2024年报.txt:' "$out" && fail "a finding names the bare file name"
last=$(tail -n 1 "$out")
[ "$last" = "共检查 3 份报告（1 份无法读取，1 份无问题）：0 个错误，1 个警告" ] ||
  fail "summary: $last"
report path_as_given_and_summary

(cd "$dir" && "$cli" check --quiet empty) >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 3 ] || fail "empty folder: exit $rc, expected 3"
grep -q '没有找到可检查的报告' "$err" || fail "empty folder: no message: $(cat "$err")"
report empty_folder

for cmd in parse check table diff render rules; do
  "$cli" "$cmd" --help >"$out" 2>"$err"
  rc=$?
  [ "$rc" -eq 0 ] || fail "$cmd --help: exit $rc: $(cat "$err")"
  grep -q "^  gongkai $cmd " "$out" || fail "$cmd --help does not show its usage"
done
report command_help

# serve: an option that takes a value and has none (last, or followed by
# another option) is named as such, never taken as a file or "未知选项".
for args in "--data" "--import --roster r.csv" "--workers"; do
  # shellcheck disable=SC2086
  "$cli" serve $args >"$out" 2>"$err"
  rc=$?
  [ "$rc" -eq 2 ] || fail "serve $args: exit $rc, expected 2"
  opt=${args%% *}
  grep -q "serve: $opt 需要一个值" "$err" || fail "serve $args: $(head -1 "$err")"
done
"$cli" serve --database x >"$out" 2>"$err"
grep -q '未知选项 --database' "$err" || fail "serve --database: $(head -1 "$err")"
report serve_option_without_value

one=$cases/issue11_title_about.txt
for form in "--jobs 2" "--jobs=2"; do
  # shellcheck disable=SC2086
  "$cli" check --quiet $form "$one" >"$out" 2>"$err"
  [ $? -eq 0 ] || fail "check $form: $(cat "$err")"
  # shellcheck disable=SC2086
  "$cli" table --quiet $form "$one" >"$out" 2>"$err"
  [ $? -eq 0 ] || fail "table $form: $(cat "$err")"
done
report jobs_both_forms

# The findings sheet of the XLSX speaks Chinese: the severity, and the
# rule's line of the catalogue next to its ID.
if command -v unzip >/dev/null; then
  "$cli" table --quiet --xlsx "$dir/out.xlsx" "$one" >"$out" 2>"$err"
  s2=$(unzip -p "$dir/out.xlsx" xl/worksheets/sheet2.xml)
  [[ $s2 == *'<t>警告</t>'* ]] || fail "the severity is not in Chinese"
  [[ $s2 == *'<t>warning</t>'* ]] && fail "the severity is in English"
  [[ $s2 == *'<t>meta.title-variant</t>'* ]] || fail "no rule ID"
  [[ $s2 == *'<t>规则说明</t>'* ]] || fail "no 规则说明 header"
  [[ $s2 == *'标题不是标准形式'* ]] || fail "no rule summary"
  report xlsx_findings_in_chinese
else
  echo "skip xlsx_findings_in_chinese (no unzip)"
fi

# A crawler's CSV with two years of one body: refused with a clear message,
# never read as one merged report.
{
  echo '标题,时间,内容,一级类别,来源网站'
  echo '岚山县人民政府2024年政府信息公开工作年度报告,2025年03月20日,"一、总体情况 2024年，…",年报,县政府网'
  echo '岚山县人民政府2023年政府信息公开工作年度报告,2024年03月20日,"一、总体情况 2023年，…",年报,县政府网'
} >"$dir/two.csv"
"$cli" check --quiet "$dir/two.csv" >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 3 ] || fail "two reports in one CSV: exit $rc, expected 3"
grep -q '一个文件中有多份报告' "$err" || fail "no clear message: $(cat "$err")"
grep -q 'error\|warning' "$out" && fail "findings printed for a merged report"
report several_reports_in_one_csv

# A PDF's findings name the page a person can open, not the line of the
# extracted text.
pdf=$2/tests/golden/cases/14_pdf_blank_cell.pdf
"$cli" check --quiet "$pdf" >"$out" 2>"$err"
grep -qF "$pdf:第2页: error: " "$out" || fail "no page in: $(head -2 "$out")"
grep -qE "\.pdf:[0-9]+:" "$out" && fail "a PDF finding names a line"
report pdf_page

# The manual page gongkai(1) names every option the top help lists, and
# the top help lists every option a command's help does.
man=$2/docs/gongkai.1
"$cli" --help >"$out" 2>&1
for opt in $(grep -o -- '--[a-z][a-z-]*' "$out" | sort -u); do
  grep -qF -- "${opt//-/\\-}" "$man" || fail "gongkai.1 lacks $opt"
done
for cmd in parse check table diff render rules; do
  "$cli" "$cmd" --help >"$err" 2>&1
  for opt in $(grep -o -- '--[a-z][a-z-]*' "$err" | sort -u); do
    grep -qF -- "$opt" "$out" || fail "the top help lacks $cmd $opt"
  done
done
report man_page_and_help

finish
