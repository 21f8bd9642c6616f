#!/usr/bin/env bash
# issue11_review.sh - what is left of review-grade findings (issue 11):
# output files of another kind are never replaced, `diff` prints fees as
# printed and leads with the Chinese location, excerpts, HTML findings by
# their visible text, and agencies found where the report states them.
#
#   issue11_review.sh GONGKAI SOURCE_DIR
#
# Every input is made up here, in a temporary folder (never a device or a
# FIFO).  The last line is "N passed, N failed".
set -u

if [ $# -lt 2 ]; then
  echo "usage: $0 GONGKAI SOURCE_DIR" >&2
  exit 2
fi
cli=$1
src=$2
batch=$src/tests/batch/cases

. "$(dirname "$0")/harness.sh" issue11r

# ------------------------------------------------------------ output guard
# One function guards every writer: an existing file of another kind is
# kept (exit 2, a line naming both kinds and --force); the same kind, a
# new file and --force are written.
one=$batch/baisha_2023.txt
printf 'PK\003\004\024\000\000\000word/document.xml' >"$dir/letter.docx"
cp "$one" "$dir/report.txt"
printf '%%PDF-1.4\n' >"$dir/scan.pdf"
sum() { sha256sum "$1" | cut -d' ' -f1; }
for target in letter.docx report.txt scan.pdf; do
  before=$(sum "$dir/$target")
  "$cli" table --quiet --csv "$dir/$target" "$one" >"$out" 2>"$err"
  rc=$?
  [ "$rc" -eq 2 ] || fail "table --csv over $target: exit $rc, expected 2"
  grep -q -- '--force' "$err" || fail "table --csv over $target: no --force hint"
  [ "$(sum "$dir/$target")" = "$before" ] || fail "$target was replaced"
done
"$cli" table --quiet --xlsx "$dir/report.txt" "$one" >"$out" 2>"$err"
[ $? -eq 2 ] || fail "table --xlsx over a text report was not refused"
grep -q '文本文件' "$err" || fail "the message does not say what the file is"
"$cli" table --quiet --xlsx "$dir/t.xlsx" "$one" >"$out" 2>"$err" ||
  fail "table --xlsx to a new file failed"
"$cli" table --quiet --xlsx "$dir/t.xlsx" "$one" >"$out" 2>"$err" ||
  fail "table --xlsx over its own kind failed"
"$cli" table --quiet --csv "$dir/t.xlsx" "$one" >"$out" 2>"$err"
[ $? -eq 2 ] || fail "table --csv over an XLSX was not refused"
grep -q 'Excel' "$err" || fail "the XLSX is not named as one: $(cat "$err")"
"$cli" table --quiet --csv "$dir/t.csv" "$one" >"$out" 2>"$err" &&
  "$cli" table --quiet --csv "$dir/t.csv" "$one" >"$out" 2>"$err" ||
  fail "table --csv over its own kind failed"
"$cli" table --quiet --force --csv "$dir/report.txt" "$one" >"$out" 2>"$err" ||
  fail "--force did not write"
head -c 3 "$dir/report.txt" | od -An -tx1 | grep -q 'ef bb bf' ||
  fail "--force did not replace the file with the CSV"
"$cli" parse "$one" >"$dir/model.json"
"$cli" render -o "$dir/letter.docx" "$dir/model.json" >"$out" 2>"$err"
[ $? -eq 0 ] || fail "render DOCX over a DOCX was refused"
"$cli" render -o "$dir/t.md" "$dir/model.json" >"$out" 2>"$err" ||
  fail "render to a new .md failed"
cp "$dir/t.csv" "$dir/t2.md"
"$cli" render -o "$dir/t2.md" "$dir/model.json" >"$out" 2>"$err"
[ $? -eq 2 ] || fail "render Markdown over a CSV was not refused"
report issue11_output_guard

# -------------------------------------------------------------------- diff
# A fee printed 1.50 stays 1.50 (and 2.50 stays 2.50); each line leads
# with the Chinese location, the model path last; a report of another
# body is said under its own rule.
sed 's/^行政事业性收费\t0/行政事业性收费\t1.50/' "$batch/baisha_2023.txt" >"$dir/old.txt"
sed 's/^行政事业性收费\t0/行政事业性收费\t2.50/' "$batch/baisha_2024.txt" >"$dir/new.txt"
"$cli" diff "$dir/old.txt" "$dir/new.txt" >"$out" 2>"$err"
grep -qF '第二部分·行政事业性收费·本年收费金额（单位：万元）：1.50 → 2.50（+1.00） [proactive.fees]' "$out" ||
  fail "the fee is not printed as the source printed it"
grep -qF '第二部分·行政许可·本年处理决定数量：10 → 14（+4） [proactive.licensing]' "$out" ||
  fail "a count's line does not lead with its location"
grep -E '^[a-z_]+\.[a-z_.]+ ' "$out" && fail "a line leads with a model path"
sed 's/白沙镇/青石镇/g' "$batch/baisha_2024.txt" >"$dir/other.txt"
"$cli" diff "$dir/old.txt" "$dir/other.txt" >"$out" 2>"$err"
grep -q '云岭县青石镇人民政府.*云岭县白沙镇人民政府.*\[history.other-body\]$' "$out" ||
  fail "no history.other-body for another body's report"
report issue11_diff

# ----------------------------------------------------------------- excerpt
# --excerpt quotes the source line under each finding ("    | …"), in
# --json as "excerpt"; off when stdout is no terminal, and --no-excerpt
# turns it off; a long line is cut after 80 characters, on a character
# boundary, with "…".
title=$src/tests/checks/cases/issue11_title_about.txt
"$cli" check --quiet --excerpt "$title" >"$out" 2>"$err"
grep -A1 '\[meta.title-variant\]$' "$out" | tail -n 1 |
  grep -qxF '    | 岚山县人民政府关于2024年度政府信息公开工作年度报告' ||
  fail "no excerpt under the finding"
"$cli" check --quiet "$title" >"$out" 2>"$err"
grep -q '^    | ' "$out" && fail "an excerpt without a terminal or --excerpt"
"$cli" check --quiet --excerpt --no-excerpt "$title" >"$out" 2>"$err"
grep -q '^    | ' "$out" && fail "--no-excerpt did not turn it off"
"$cli" check --quiet --json --excerpt "$title" >"$out" 2>"$err"
grep -qF '"excerpt":"岚山县人民政府关于2024年度政府信息公开工作年度报告"' "$out" ||
  fail "no excerpt field in --json"
"$cli" check --quiet --json "$title" >"$out" 2>"$err"
grep -qF '"excerpt"' "$out" && fail "an excerpt field without --excerpt"
# A finding on a prose line of 100 characters and more: the excerpt
# stops at 80.
cp "$src/tests/checks/cases/arith_balance.txt" "$dir/long.txt"
"$cli" check --quiet --excerpt "$dir/long.txt" >"$out" 2>"$err"
ex=$(grep -m1 '^    | ' "$out" | sed 's/^    | //')
[ "${ex: -1}" = "…" ] || fail "a long line is not cut with …: $ex"
[ "${#ex}" -eq 81 ] || fail "the excerpt is ${#ex} characters, expected 80 and …"
printf '%s' "$ex" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 ||
  fail "the excerpt is cut inside a character"
report issue11_excerpt

# -------------------------------------------------------------------- HTML
# An HTML page's findings name the visible text, not the markup line: on
# a page written on one markup line every finding would say ":1:".
{
  printf '<html><body>'
  sed 's/.*/<p>&<\/p>/' "$title" | tr -d '\n'
  printf '</body></html>\n'
} >"$dir/oneline.html"
"$cli" check --quiet "$dir/oneline.html" >"$out" 2>"$err"
grep -qF "$dir/oneline.html:“岚山县人民政府关于2024年度政府信息公开工作年…”: warning: " "$out" ||
  fail "the title finding does not name its visible text"
grep -qE '\.html:[0-9]+:' "$out" && fail "an HTML finding names a markup line"
# A table row is named by its label, not by the group spanning rows.
"$cli" check --quiet "$src/tests/golden/cases/30_html_word_paste.html" >"$out" 2>"$err"
grep -qF '30_html_word_paste.html:“1.本机关不掌握相关政府信息”: error: ' "$out" ||
  fail "the row's finding does not name the row's label"
# Table 4's row of numbers has no label of its own (the labels are in the
# header rows): it is named by its part's heading, not by its first number.
sed '921s/>0</></' "$src/tests/golden/cases/30_html_word_paste.html" >"$dir/t4.html"
"$cli" check --quiet "$dir/t4.html" >"$out" 2>"$err"
grep -qF 't4.html:“四、政府信息公开行政复议、行政诉讼情况”: error: 第四部分“行政复议”行“结果纠正”列为空' "$out" ||
  fail "table 4's row is not named by its part's heading"
"$cli" check --quiet --json "$dir/oneline.html" >"$out" 2>"$err"
grep -qF '"location":{"line":1}' "$out" ||
  fail "the JSON line is not the visible line"
report issue11_html_visible_text

# ---------------------------------------------------------------- metadata
# Where a report states its body when neither a title line nor a
# signature of its own does (corpus 008, 010, 011, 023, 024, 026-028 are
# of these kinds).
base=$batch/baisha_2024.txt
body() { sed -n '2,$p' "$base" | head -n -3; }
agency_of() {
  "$cli" parse "$1" | grep -o '"agency":"[^"]*"' | head -n 1
}
title_of() {
  "$cli" parse "$1" | grep -o '"title":"[^"]*"' | head -n 1
}
# A title that puts the year first, wrapped by a PDF converter after a
# "正文" label: the line "年度报告" alone is not the title.
{
  printf '正文\n2024 年云岭县文化和旅游局政府信息公开工作\n年度报告\n'
  body
} >"$dir/wrapped.md"
[ "$(title_of "$dir/wrapped.md")" = '"title":"2024年云岭县文化和旅游局政府信息公开工作年度报告"' ] ||
  fail "wrapped title: $(title_of "$dir/wrapped.md")"
[ "$(agency_of "$dir/wrapped.md")" = '"agency":"云岭县文化和旅游局"' ] ||
  fail "year-first title: $(agency_of "$dir/wrapped.md")"
# A crawled page flattened to one line, no title line, no signature; its
# attachment's name at the end names the body.
{
  body | tr -d '\n'
  printf '附件：云岭县教育体育局2024年政府信息公开工作年度报告\n'
} >"$dir/flat.txt"
[ "$(agency_of "$dir/flat.txt")" = '"agency":"云岭县教育体育局"' ] ||
  fail "cited name: $(agency_of "$dir/flat.txt")"
# The signature run into part 六's "无" and followed by the portal's own
# line, in a crawled page flattened to one line:
# "…事项无某某局2025年1月20日更多信息请关注官方微信“某某”".
{
  body | tr '\t' ' ' | tr -d '\n' | sed 's/本年度我镇未收取信息处理费。$/无/'
  printf '云岭县人力资源和社会保障局2025年1月20日更多信息请关注官方微信“云岭人社”\n'
} >"$dir/chrome.txt"
[ "$(agency_of "$dir/chrome.txt")" = '"agency":"云岭县人力资源和社会保障局"' ] ||
  fail "signature before portal text: $(agency_of "$dir/chrome.txt")"
"$cli" parse "$dir/chrome.txt" | grep -qF '"published":"2025-01-20"' ||
  fail "the date before portal text is not read"
# A PDF whose body has no title line: the document title (metadata) is
# the fallback, with a note that says so.
pdf=$src/tests/golden/cases/issue11_pdf_metadata_title.pdf
[ "$(title_of "$pdf")" = '"title":"云岭县白鹭镇2024年政府信息公开工作年度报告"' ] ||
  fail "PDF title from metadata: $(title_of "$pdf")"
"$cli" check --quiet "$pdf" >"$out" 2>"$err"
grep -q ': note: 正文没有标题行.*\[meta.title-from-metadata\]$' "$out" ||
  fail "no note that the title is the PDF's metadata"
grep -q 'meta.no-title' "$out" && fail "meta.no-title beside the metadata title"
"$cli" check --quiet "$src/tests/golden/cases/13_pdf_ruled_tables.pdf" >"$out" 2>"$err"
grep -q 'meta.title-from-metadata' "$out" && fail "the note for a PDF with a title line"
report issue11_metadata

finish
