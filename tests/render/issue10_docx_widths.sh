#!/bin/sh
# issue10_docx_widths.sh - the number columns of the DOCX gongkai writes
# hold a number of up to six digits (and a fee like 1163.54) on one line
# when LibreOffice sets the page (issue 10): a number wrapped in a narrow
# cell (`154` over `5`) is what every text extracted from the PDF then
# shows.  The made-up model cases/issue10_wide_numbers.json fills tables
# 3 and 4 with five- and six-digit numbers; its DOCX goes through
# LibreOffice to PDF, and every number of four digits or more must come
# out of `pdftotext -layout` as one word.  Our example report (small
# numbers) must stay on portrait pages.  Skipped (77) without soffice or
# pdftotext.
#
#   issue10_docx_widths.sh GONGKAI CASE.json EXAMPLE.txt
set -u
G=$1
CASE=$2
EXAMPLE=$3
for tool in soffice pdftotext pdfinfo; do
  if ! command -v $tool >/dev/null 2>&1; then
    echo "skip: $tool is not installed (scripts/deps.sh installs it)"
    exit 77
  fi
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }

"$G" render --force --to docx -o "$T/wide.docx" "$CASE" 2>/dev/null
"$G" render --force --to docx -o "$T/example.docx" "$EXAMPLE" 2>/dev/null
# One LibreOffice call (it starts slowly), with a profile of its own.
soffice "-env:UserInstallation=file://$T/profile" --headless \
  --convert-to pdf --outdir "$T" "$T/wide.docx" "$T/example.docx" \
  >/dev/null 2>&1
if [ ! -s "$T/wide.pdf" ] || [ ! -s "$T/example.pdf" ]; then
  bad "LibreOffice made no PDF"
  exit 1
fi

# Every table number of four digits or more, one per line (the model's
# "column": number pairs).
cols='natural_person|business|research|nonprofit|legal_service|other|total'
cols="$cols|upheld|corrected|pending|issued|repealed|in_force|licensing"
cols="$cols|punishment|coercion|fees"
grep -oE "\"($cols)\": [0-9]{4,}(\.[0-9]+)?" "$CASE" |
  sed 's/.*: //' | sort -u >"$T/numbers"
pdftotext -layout "$T/wide.pdf" "$T/wide.txt"
tr -s ' \n' '\n\n' <"$T/wide.txt" | sort -u >"$T/words"
n=$(wc -l <"$T/numbers")
missing=$(comm -23 "$T/numbers" "$T/words")
if [ "$n" -ge 20 ] && [ -z "$missing" ]; then
  ok "all $n wide numbers on one line"
else
  bad "wide numbers wrapped ($n checked): $(echo $missing | head -c 200)"
fi

# The example's small numbers fit the portrait page: no landscape page.
pages=$(pdfinfo "$T/example.pdf" | sed -n 's/^Pages: *//p')
if pdfinfo -f 1 -l "$pages" "$T/example.pdf" | grep '^Page .*size:' |
  grep -qv '595.* x 841'; then
  bad "the example has a landscape page"
else
  ok "the example stays portrait ($pages pages)"
fi
# The wide tables are set on landscape pages rather than wrapped.
if pdfinfo -f 1 -l 99 "$T/wide.pdf" 2>/dev/null | grep '^Page .*size:' |
  grep -q '841.* x 595'; then
  ok "wide tables on landscape pages"
else
  bad "no landscape page for the wide tables"
fi
[ "$fails" = 0 ]
