#!/usr/bin/env bash
# table_cli.sh - `gongkai table` end to end (issue 5).
#
#   table_cli.sh GONGKAI SOURCE_DIR
#
# GONGKAI is the CLI binary, SOURCE_DIR the checkout.  The inputs are our
# own fixtures: tests/golden/cases and examples/ (each file judged
# readable or not by `gongkai parse` on its own), tests/batch/cases (two
# years of one made-up township), and, made here, an image and a short
# note that are no reports.  The last line is "N passed, N failed".
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 GONGKAI SOURCE_DIR" >&2
  exit 2
fi
cli=$1
src=$2

. "$(dirname "$0")/harness.sh" table-cli
no_sanitizer_report() {
  if grep -qE 'Sanitizer|runtime error:|SUMMARY:' "$err"; then
    fail "sanitizer report on stderr"
  fi
}
# The number of lines of a file (0 when it is missing).
lines() { if [ -f "$1" ]; then grep -c '' "$1"; else echo 0; fi; }

have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1

# ----------------------------------------------------------- the inputs
in=$dir/in
mkdir -p "$in/golden" "$in/examples" "$in/batch" "$in/other"
cp "$src"/tests/golden/cases/* "$in/golden/"
cp "$src"/examples/* "$in/examples/"
cp "$src"/tests/batch/cases/baisha_2023.txt "$src"/tests/batch/cases/baisha_2024.txt \
  "$in/batch/"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' >"$in/other/scan.png"
printf '会议通知：请于周五下午三点到会议室开会。\n' >"$in/other/notes.txt"
printf 'hidden\n' >"$in/other/.hidden.txt" # skipped by the walk

# What each file is, by `gongkai parse` on its own.
readable=0
unreadable=0
: >"$dir/bad.list"
while IFS= read -r f; do
  if "$cli" parse "$f" >/dev/null 2>&1; then
    readable=$((readable + 1))
  else
    unreadable=$((unreadable + 1))
    echo "$f" >>"$dir/bad.list"
  fi
done < <(find "$in" -type f ! -name '.*' | LC_ALL=C sort)
echo "inputs: $readable readable, $unreadable not reports"

# --------------------------------------------------------------- CSV
"$cli" table --quiet --csv "$dir/out.csv" "$in" >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 3 ] || fail "exit status $rc, expected 3 (some inputs are no reports)"
no_sanitizer_report
[ "$(lines "$err")" -eq "$unreadable" ] ||
  fail "$(lines "$err") lines on stderr, expected $unreadable"
while IFS= read -r f; do
  grep -qF -- "gongkai: $f: " "$err" || fail "stderr does not name $f"
done <"$dir/bad.list"
[ -s "$out" ] && fail "stdout is not empty"
[ -f "$dir/out.csv" ] || fail "out.csv was not written"
[ "$(head -c 3 "$dir/out.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] ||
  fail "no UTF-8 BOM"
[ "$(lines "$dir/out.csv")" -eq $((readable + 1)) ] ||
  fail "$(lines "$dir/out.csv") lines, expected $((readable + 1))"
head -n 1 "$dir/out.csv" | grep -q $'^\xef\xbb\xbfsource,format,title,agency,' ||
  fail "the header row does not start with the column names"
head -n 1 "$dir/out.csv" | grep -q 'applications.received.total' ||
  fail "no applications.received.total column"
grep -q $'\r$' "$dir/out.csv" || fail "lines do not end in CR LF"
if [ "$have_python" -eq 1 ]; then
  python3 - "$dir/out.csv" "$in" <<'EOF' || fail "CSV content (see above)"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
head, body = rows[0], rows[1:]
bad = 0
def expect(cond, msg):
    global bad
    if not cond:
        print("  " + msg); bad += 1
expect(len(head) == 14 + 229, "%d columns" % len(head))
expect(len(set(head)) == len(head), "duplicate column names")
for r in body:
    expect(len(r) == len(head), "%s: %d fields" % (r[0], len(r)))
by = {r[0].rsplit("/", 1)[-1]: dict(zip(head, r)) for r in body}
sources = [r[0] for r in body]
expect(sources == sorted(sources), "rows not in the walk's sorted order")
r = by.get("01_tabs_clean.txt")
expect(r is not None, "no row for 01_tabs_clean.txt")
if r:
    expect(r["applications.received.total"] == "15", "received.total " + r["applications.received.total"])
    expect(r["proactive.licensing"] == "12", "licensing " + r["proactive.licensing"])
    expect(r["year"] == "2024" and r["edition"] == "2021", "year/edition")
    expect(r["errors"] == "0", "errors " + r["errors"])
    expect(r["applications.other.total"] == "", "2019-only cell not empty")
r = by.get("10_fee_label_variant.txt")
if r:
    expect(r["proactive.fees"] == "1.25", "fee " + r["proactive.fees"])
r = by.get("07_blank_marks.txt")
if r:
    expect(int(r["errors"]) > 0 and "cell.blank" in r["rules"].split(), "07: errors/rules " + r["errors"] + " " + r["rules"])
# Every number is a number; an empty field is a null cell.
for r in body:
    for k in head[14:]:
        v = r[head.index(k)]
        if v:
            try: float(v)
            except ValueError: expect(False, "%s %s = %r" % (r[0], k, v))
# The two years of one body are paired: 2024 names 2023 as last year's.
a, b = by.get("baisha_2023.txt"), by.get("baisha_2024.txt")
expect(a is not None and b is not None, "no rows for the township's two years")
if a and b:
    expect(a["prev"] == "", "2023 has a prev: " + a["prev"])
    expect(b["prev"].endswith("baisha_2023.txt"), "2024 prev is " + repr(b["prev"]))
    expect("history.carry-over" not in b["rules"], "carry-over error on the pair")
sys.exit(1 if bad else 0)
EOF
fi
report "csv: one row per report, header, BOM, numbers, stderr per non-report"

# The same with one thread and with two: byte for byte the same file.
"$cli" table --quiet --jobs 1 --csv "$dir/j1.csv" "$in" >/dev/null 2>"$err"
"$cli" table --quiet --jobs 2 --csv "$dir/j2.csv" "$in" >/dev/null 2>>"$err"
no_sanitizer_report
cmp -s "$dir/j1.csv" "$dir/j2.csv" || fail "--jobs 1 and --jobs 2 differ"
cmp -s "$dir/j1.csv" "$dir/out.csv" || fail "--jobs 1 and the default differ"
report "csv: stable order whatever the number of threads"

# Only reports: exit 0, nothing on stderr.  The Chinese header row.
"$cli" table --quiet --zh --csv "$dir/ok.csv" "$in/batch" >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 0 ] || fail "exit status $rc, expected 0"
[ -s "$err" ] && fail "stderr is not empty"
[ "$(lines "$dir/ok.csv")" -eq 4 ] || fail "$(lines "$dir/ok.csv") lines, expected 4"
head -n 1 "$dir/ok.csv" | grep -q '^.\{0,3\}来源文件,文件格式,标题' ||
  fail "no Chinese header row"
sed -n 2p "$dir/ok.csv" | grep -q '^source,format,' || fail "no names row"
report "csv: --zh, exit 0 when every input is a report"

# A table written into the folder it tables does not read itself, nor
# its temporary file, on this run or the next.
cp -r "$in/batch" "$dir/self"
for run in 1 2; do
  "$cli" table --quiet --csv "$dir/self/table.csv" "$dir/self" >"$out" 2>"$err"
  rc=$?
  [ "$rc" -eq 0 ] || fail "run $run: exit status $rc, expected 0"
  [ -s "$err" ] && fail "run $run: stderr is not empty"
  [ "$(lines "$dir/self/table.csv")" -eq 3 ] ||
    fail "run $run: $(lines "$dir/self/table.csv") lines, expected 3"
done
report "csv: the output inside the input folder is not an input"

# Pairing by name: a short name pairs with the full one ("白沙镇人民政府"
# signed one year, "云岭县白沙镇人民政府" the next); two candidates for last
# year pair with neither.
mkdir -p "$dir/pair1" "$dir/pair2"
sed 's/^云岭县白沙镇人民政府$/白沙镇人民政府/' "$src/tests/batch/cases/baisha_2023.txt" \
  >"$dir/pair1/a2023.txt"
cp "$src/tests/batch/cases/baisha_2024.txt" "$dir/pair1/b2024.txt"
cp "$src/tests/batch/cases/baisha_2023.txt" "$dir/pair2/a.txt"
cp "$src/tests/batch/cases/baisha_2023.txt" "$dir/pair2/b.txt"
cp "$src/tests/batch/cases/baisha_2024.txt" "$dir/pair2/c.txt"
"$cli" table --quiet "$dir/pair1" >"$out" 2>"$err"
grep -q "^$dir/pair1/b2024.txt,.*,$dir/pair1/a2023.txt," "$out" ||
  fail "the short and the full name did not pair"
"$cli" table --quiet "$dir/pair2" >"$out" 2>"$err"
grep -q "$dir/pair2/[ab].txt,[0-9]" "$out" && fail "an ambiguous pair was made"
[ "$(grep -c "$dir/pair2/" "$out")" -eq 3 ] || fail "pair2: not three rows"
report "pairing: by the end of the name, never when ambiguous"

# --no-pair: no history rules, no prev.
"$cli" table --quiet --no-pair --csv "$dir/np.csv" "$in/batch" >/dev/null 2>"$err"
grep -q 'baisha_2023.txt' "$dir/np.csv" && ! cut -d, -f10 "$dir/np.csv" | grep -q baisha ||
  fail "--no-pair still paired"
report "csv: --no-pair"

# Without --csv or --xlsx the CSV goes to standard output.
"$cli" table --quiet "$in/batch" >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 0 ] || fail "exit status $rc"
[ "$(head -c 3 "$out" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "no BOM on stdout"
[ "$(lines "$out")" -eq 3 ] || fail "$(lines "$out") lines on stdout, expected 3"
report "csv: standard output"

# ------------------------------------------------------------------ XLSX
"$cli" table --quiet --xlsx "$dir/out.xlsx" --csv "$dir/both.csv" "$in" >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 3 ] || fail "exit status $rc, expected 3"
no_sanitizer_report
[ "$(lines "$err")" -eq "$unreadable" ] ||
  fail "$(lines "$err") lines on stderr, expected $unreadable"
cmp -s "$dir/both.csv" "$dir/out.csv" || fail "CSV beside XLSX differs"
[ "$(head -c 4 "$dir/out.xlsx" | od -An -tx1 | tr -d ' ')" = 504b0304 ] ||
  fail "out.xlsx is not a zip file"
if command -v unzip >/dev/null 2>&1; then
  unzip -p "$dir/out.xlsx" '\[Content_Types\].xml' | grep -q 'spreadsheetml.sheet.main' ||
    fail "no workbook content type"
  wb=$(unzip -p "$dir/out.xlsx" xl/workbook.xml)
  [[ $wb == *'<sheet name="报告"'* && $wb == *'<sheet name="问题"'* ]] ||
    fail "the sheets are not 报告 and 问题"
  s1=$(unzip -p "$dir/out.xlsx" xl/worksheets/sheet1.xml)
  n=$(grep -o '<row ' <<<"$s1" | wc -l)
  [ "$n" -eq $((readable + 2)) ] || fail "sheet 报告 has $n rows, expected $((readable + 2))"
  [[ $s1 == *'ySplit="2"'*'state="frozen"'* ]] || fail "header rows not frozen"
  [[ $s1 == *'<t>来源文件</t>'* && $s1 == *'<t>applications.received.total</t>'* ]] ||
    fail "no Chinese and key header rows"
  grep -q '<v>15</v>' <<<"$s1" || fail "no number cell 15 (numbers as numbers)"
  s2=$(unzip -p "$dir/out.xlsx" xl/worksheets/sheet2.xml)
  [[ $s2 == *'<t>cell.blank</t>'* ]] || fail "no cell.blank finding on sheet 问题"
  [[ $s2 == *'<t>说明</t>'* ]] || fail "no Chinese header on sheet 问题"
  if [ "$have_python" -eq 1 ]; then
    python3 - "$dir/out.xlsx" <<'EOF' || fail "the XML parts do not parse"
import sys, zipfile, xml.dom.minidom
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    if n.endswith(".xml") or n.endswith(".rels"):
        xml.dom.minidom.parseString(z.read(n))
EOF
  fi
else
  echo "  (unzip not installed: XML parts not checked)"
fi
# LibreOffice converts spreadsheets only with its Calc module installed
# (Debian: libreoffice-calc); soffice alone may be Writer only.
lo_calc=0
if command -v soffice >/dev/null 2>&1; then
  lo_dir=$(dirname "$(readlink -f "$(command -v soffice)")")
  ls "$lo_dir"/libsclo.so >/dev/null 2>&1 && lo_calc=1
fi
if [ "$lo_calc" -eq 1 ]; then
  mkdir -p "$dir/lo"
  if timeout 120 soffice --headless --norestore \
    "-env:UserInstallation=file://$dir/lo/profile" \
    --convert-to csv:"Text - txt - csv (StarCalc)":44,34,76 \
    --outdir "$dir/lo" "$dir/out.xlsx" >"$dir/lo/log" 2>&1 &&
    [ -f "$dir/lo/out.csv" ]; then
    n=$(lines "$dir/lo/out.csv")
    [ "$n" -eq $((readable + 2)) ] ||
      fail "LibreOffice's CSV has $n lines, expected $((readable + 2))"
    grep -q 'applications.received.total' "$dir/lo/out.csv" ||
      fail "LibreOffice's CSV has no key header"
  else
    fail "soffice could not convert out.xlsx"
    head -n 5 "$dir/lo/log" | sed 's/^/    /'
  fi
else
  echo "  (LibreOffice Calc not installed: the XLSX is checked by its XML parts only)"
fi
report "xlsx: two sheets, frozen headers, numbers, one row per report"

# ------------------------------------------------------ the output file
ls "$dir" | grep -q '\.tmp\.' && fail "a temporary file was left"
"$cli" table --quiet --csv "$dir/no/such/dir/x.csv" "$in/batch" >"$out" 2>"$err"
rc=$?
# The user's environment, not an internal error (issue 15): exit 3.
[ "$rc" -eq 3 ] || fail "unwritable output: exit status $rc, expected 3"
grep -qF "$dir/no/such/dir/x.csv" "$err" || fail "stderr does not name the output"
report "output: no temporary file left; unwritable output is exit 3"

# An interrupted run leaves the old file whole and no temporary file.
mkdir -p "$dir/many"
for i in $(seq 1 400); do
  cp "$src/tests/batch/cases/baisha_2024.txt" "$dir/many/r$i.txt"
done
printf 'old\n' >"$dir/int.csv"
"$cli" table --quiet --jobs 1 --csv "$dir/int.csv" "$dir/many" >/dev/null 2>&1 &
pid=$!
sleep 0.3
kill -INT "$pid" 2>/dev/null
wait "$pid"
rc=$?
if [ "$rc" -eq 0 ]; then
  [ "$(lines "$dir/int.csv")" -eq 401 ] || fail "finished run wrote a partial file"
else
  [ "$(cat "$dir/int.csv")" = old ] || fail "interrupted run changed the old file"
fi
ls "$dir" | grep -q 'int\.csv\.tmp\.' && fail "interrupted run left its temporary file"
report "output: an interrupted run leaves no partial file (status $rc)"

# ---------------------------------------------------------------- usage
"$cli" table --csv >/dev/null 2>&1
[ $? -eq 2 ] || fail "--csv without a file: not exit 2"
"$cli" table --csv "$dir/u.csv" >/dev/null 2>&1
[ $? -eq 2 ] || fail "no PATH: not exit 2"
"$cli" table --bogus "$in" >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown option: not exit 2"
"$cli" table --xlsx - "$in" >/dev/null 2>&1
[ $? -eq 2 ] || fail "--xlsx -: not exit 2"
report "usage errors are exit 2"

finish
