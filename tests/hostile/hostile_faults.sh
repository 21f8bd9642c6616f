#!/usr/bin/env bash
# hostile_faults.sh - the operator's faults of issue 15 against the gongkai
# command: folders that loop, FIFOs and devices, signals during a write,
# a full disk and a read-only folder.
#
#   hostile_faults.sh GONGKAI REPORT PDF
#
# GONGKAI is the CLI binary, REPORT a small valid report and PDF a valid
# PDF report (fixtures).
# Every run is killed after TIMEOUT_S of wall time, which only a hang
# reaches (each run takes well under a second of CPU): the budget holds
# on a loaded 2-core machine.  The disk-full cases use a 64 KiB tmpfs
# when this user may mount one, and always the substitute that needs no
# privilege: a file size limit (ulimit -f), under which a write fails
# with EFBIG as it would with ENOSPC.  The read-only case uses a
# directory without write permission, or a read-only tmpfs for root
# (whom permissions do not stop); it is skipped when neither can be had.
# The last line is "N passed, N failed".
set -u

if [ $# -ne 3 ]; then
  echo "usage: $0 GONGKAI REPORT PDF" >&2
  exit 2
fi
cli=$1
report=$2
pdf=$3
TIMEOUT_S=60

dir=$(mktemp -d "${TMPDIR:-/tmp}/gk-hostile-faults-XXXXXX") || exit 1
mounts=()
cleanup() {
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done
  chmod -R u+w "$dir" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
out=$dir/stdout
err=$dir/stderr

passed=0
failed=0
skipped=0
ok=1
fail() {
  echo "  $*"
  ok=0
}
report_case() {
  if [ "$ok" -eq 1 ]; then
    passed=$((passed + 1))
    echo "ok   $1"
  else
    failed=$((failed + 1))
    echo "FAIL $1"
    if [ -s "$err" ]; then
      echo "  stderr was:"
      head -n 8 "$err" | sed 's/^/    /'
    fi
  fi
}
# run ARGS...: the CLI with a hang guard; sets rc.
run() {
  timeout "$TIMEOUT_S" "$cli" "$@" >"$out" 2>"$err" </dev/null
  rc=$?
}
no_crash() {
  if [ "$rc" -eq 124 ]; then
    fail "killed after ${TIMEOUT_S} s: it hung"
  elif [ "$rc" -ge 128 ]; then
    fail "died of signal $((rc - 128))"
  fi
  if grep -qE 'Sanitizer|runtime error:|SUMMARY:' "$err"; then
    fail "sanitizer report on stderr"
  fi
}
# expect_rc N
expect_rc() {
  [ "$rc" -eq "$1" ] || fail "exit status $rc, expected $1"
}
# no_temp DIR: no PATH.tmp.XXXXXX left.
no_temp() {
  local left
  left=$(find "$1" -name '*.tmp.*' 2>/dev/null | head -n 3)
  [ -z "$left" ] || fail "temporary files left behind: $left"
}

# ------------------------------------------------ a folder that loops
# Two links back to the folder itself (issue 15: 2^32 paths), a link to
# the report, and a FIFO: the report is read once, each skip is said.
loop=$dir/loop
mkdir -p "$loop/sub"
cp "$report" "$loop/report.txt"
ln -s . "$loop/a"
ln -s . "$loop/b"
ln -s .. "$loop/sub/up"
ln -s report.txt "$loop/same.txt"
mkfifo "$loop/pipe"
for cmd in table check; do
  ok=1
  if [ "$cmd" = table ]; then
    run table --quiet "$loop"
  else
    run check --quiet --json "$loop"
  fi
  no_crash
  [ "$rc" -le 1 ] || fail "exit status $rc, expected 0 or 1"
  if [ "$cmd" = table ]; then
    rows=$(grep -c '' "$out")
    [ "$rows" -eq 2 ] || fail "$rows CSV lines, expected 2 (header, one report)"
  else
    n=$(grep -c '"schema":"gongkai.report/1"' "$out")
    [ "$n" -eq 1 ] || fail "$n reports in the JSON, expected 1"
  fi
  for name in a b up same.txt pipe; do
    grep -qF -- "$name" "$err" || fail "stderr does not say $name was skipped"
  done
  report_case "symlink_loop_$cmd"
done

# ------------------------------------------ a FIFO with no writer, a device
ok=1
mkfifo "$dir/fifo"
run parse "$dir/fifo"
no_crash
expect_rc 3
grep -qF "$dir/fifo" "$err" || fail "stderr does not name the FIFO"
report_case fifo_no_writer

ok=1
run parse /dev/zero
no_crash
expect_rc 3
grep -qF "设备" "$err" || fail "stderr does not say it is a device"
report_case device_refused

# A FIFO with a writer is read: `gongkai parse <(cat report)`.
ok=1
timeout "$TIMEOUT_S" "$cli" parse <(cat "$report") >"$out" 2>"$err"
rc=$?
no_crash
expect_rc 0
grep -q '"schema":"gongkai.report/1"' "$out" || fail "no report JSON"
report_case pipe_with_writer

# ------------------------------------------------- a PDF cut off part way
# Read as far as it goes, with a source.repaired warning: never silently.
ok=1
size=$(stat -c %s "$pdf")
head -c $((size * 90 / 100)) "$pdf" >"$dir/cut.pdf"
run check --json "$dir/cut.pdf"
no_crash
[ "$rc" -le 1 ] || fail "exit status $rc, expected 0 or 1"
grep -q '"rule":"source.repaired"' "$out" || fail "no source.repaired warning"
report_case pdf_repaired_said

# ------------------------------------------------------ signals in a write
# `table --xlsx` over a few dozen reports, interrupted at points spread
# over the whole run (the final write of the workbook included): never a
# temporary file left, and OUT either absent or the complete workbook.
many=$dir/many
mkdir -p "$many"
for i in $(seq 1 40); do cp "$report" "$many/r$i.txt"; done
sigout=$dir/sigout
mkdir -p "$sigout"
t0=$(date +%s%N)
timeout "$TIMEOUT_S" "$cli" table --quiet --xlsx "$sigout/full.xlsx" "$many" \
  >/dev/null 2>&1
full_ms=$((($(date +%s%N) - t0) / 1000000))
rm -f "$sigout/full.xlsx"
for sig in TERM INT; do
  ok=1
  finished=0
  for k in $(seq 1 16); do
    # From 5% to 120% of the uninterrupted run, in 16 steps.
    at_ms=$((full_ms * (5 + (k - 1) * 115 / 15) / 100 + 1))
    at=$(printf '%d.%03d' $((at_ms / 1000)) $((at_ms % 1000)))
    rm -f "$sigout"/*
    timeout -s "$sig" "$at" "$cli" table --quiet --xlsx "$sigout/out.xlsx" \
      "$many" >/dev/null 2>"$err"
    rc=$?
    no_temp "$sigout"
    if [ "$rc" -eq 0 ]; then
      finished=$((finished + 1))
      [ -s "$sigout/out.xlsx" ] || fail "exit 0 without the workbook"
    elif [ -e "$sigout/out.xlsx" ]; then
      # Interrupted after the rename: the file must be whole (a ZIP whose
      # central directory is there).
      tail -c 22 "$sigout/out.xlsx" | grep -q $'PK\x05\x06' ||
        fail "an interrupted run left a partial out.xlsx"
    fi
    grep -q '^\[ERROR\]' "$err" && fail "libxlsxwriter's lines on stderr"
  done
  report_case "signal_${sig}_during_table_xlsx (${full_ms} ms run, $finished of 16 finished)"
done

# ----------------------------------------------------------- a full disk
# check_full DIR NAME: writing into DIR fails for want of room.
check_full() {
  local where=$1 name=$2 fmt
  for fmt in xlsx csv; do
    ok=1
    run table --quiet "--$fmt" "$where/out.$fmt" "$many"
    no_crash
    expect_rc 3
    grep -q '磁盘空间不足' "$err" || fail "stderr does not say the disk is full"
    grep -q '^\[ERROR\]' "$err" && fail "libxlsxwriter's lines on stderr"
    lines=$(grep -c '' "$err")
    [ "$lines" -eq 1 ] || fail "$lines lines on stderr, expected 1"
    no_temp "$where"
    [ -e "$where/out.$fmt" ] && fail "out.$fmt left behind"
    report_case "${name}_$fmt"
  done
}

# The substitute that needs no privilege: a file size limit of 4 KiB.
# (The CLI ignores SIGXFSZ, so the write fails with EFBIG.)  --no-pair:
# the limit would hit the pairing spool in the temporary folder first
# (that case follows).
fsize=$dir/fsize
mkdir -p "$fsize"
for fmt in xlsx csv; do
  ok=1
  (
    ulimit -f 4
    exec timeout "$TIMEOUT_S" "$cli" table --quiet --no-pair "--$fmt" \
      "$fsize/out.$fmt" "$many"
  ) >"$out" 2>"$err" </dev/null
  rc=$?
  no_crash
  expect_rc 3
  grep -q '磁盘空间不足' "$err" || fail "stderr does not say there is no room"
  grep -q '^\[ERROR\]' "$err" && fail "libxlsxwriter's lines on stderr"
  no_temp "$fsize"
  [ -e "$fsize/out.$fmt" ] && fail "out.$fmt left behind"
  report_case "file_size_limit_$fmt"
done

# A full temporary folder while reports are paired with their previous
# year (the spool, a tmpfile() in /tmp): the same file size limit, the
# table itself going to /dev/null (no limit there).  Exit 3 and one line
# saying the temporary folder's disk is full, not exit 4.
ok=1
(
  ulimit -f 4
  exec timeout "$TIMEOUT_S" "$cli" table --quiet --csv - "$many"
) >/dev/null 2>"$err" </dev/null
rc=$?
no_crash
expect_rc 3
grep -q '临时文件写入失败.*空间不足' "$err" || fail "stderr does not say the temporary folder is full"
lines=$(grep -c '' "$err")
[ "$lines" -eq 1 ] || fail "$lines lines on stderr, expected 1"
report_case full_tmp_while_pairing

# A real full disk: a 64 KiB tmpfs, filled, when mount is allowed.
tmpfs=$dir/tmpfs
mkdir -p "$tmpfs"
if mount -t tmpfs -o size=64k tmpfs "$tmpfs" 2>/dev/null; then
  mounts+=("$tmpfs")
  dd if=/dev/zero of="$tmpfs/fill" bs=4k count=64 2>/dev/null
  check_full "$tmpfs" tmpfs_full
else
  echo "skip tmpfs_full: cannot mount a tmpfs here (the file size limit above stands in)"
  skipped=$((skipped + 1))
fi

# ------------------------------------------------------ a read-only folder
ro=$dir/readonly
mkdir -p "$ro"
ro_ok=0
if [ "$(id -u)" -ne 0 ]; then
  chmod 555 "$ro" && ro_ok=1
elif mount -t tmpfs -o ro,size=64k tmpfs "$ro" 2>/dev/null; then
  mounts+=("$ro")
  ro_ok=1
fi
if [ "$ro_ok" -eq 1 ]; then
  for fmt in xlsx csv; do
    ok=1
    run table --quiet "--$fmt" "$ro/out.$fmt" "$many"
    no_crash
    expect_rc 3
    grep -q '没有写入权限' "$err" || fail "stderr does not say the folder cannot be written"
    lines=$(grep -c '' "$err")
    [ "$lines" -eq 1 ] || fail "$lines lines on stderr, expected 1"
    report_case "readonly_folder_$fmt"
  done
else
  echo "skip readonly_folder: root here, and no read-only tmpfs could be mounted"
  skipped=$((skipped + 1))
fi

# ------------------------------------------ a file shorter than its size
# A file that shrinks while it is read gives fewer bytes than fstat()
# said.  Deterministically, without racing a truncation: a sysfs file
# is a regular file of 4096 bytes whose reads give a few ("0-1\n").  It
# must be an error naming the cause, never a report of what was read.
short=/sys/devices/system/cpu/online
if [ -f "$short" ] && [ "$(stat -c %s "$short")" -gt "$(wc -c <"$short")" ]; then
  ok=1
  run parse "$short"
  no_crash
  expect_rc 3
  grep -q '读取过程中文件变短了' "$err" || fail "stderr does not say the file shrank"
  report_case file_shorter_than_its_size
else
  echo "skip file_shorter_than_its_size: no sysfs file shorter than its size here"
  skipped=$((skipped + 1))
fi

# ------------------------------------ an output that is no regular file
# `table` given an existing FIFO or device never renames a file over it
# (as root that once replaced /dev/null).  Only ever through a symlink to
# /dev/null in this test's folder: a wrong rename replaces the link, never
# the device.  CSV goes in place into the device and into a FIFO that is
# read; a FIFO no one reads is refused at once (no blocking open); XLSX,
# which is written by name, is refused; a folder is refused.
special=$dir/special
mkdir -p "$special"
ln -s /dev/null "$special/null"
mkfifo "$special/fifo"
is_null_link() {
  [ -L "$special/null" ] && [ "$(readlink "$special/null")" = /dev/null ] ||
    fail "the link to /dev/null was replaced"
  [ -c /dev/null ] || fail "/dev/null is no longer a character device"
}
no_special_temp() {
  if compgen -G "$special/*.tmp.*" >/dev/null; then
    fail "temporary file left: $(ls "$special")"
  fi
}
ok=1
run table --quiet --csv "$special/null" "$report"
no_crash
expect_rc 0
is_null_link
no_special_temp
report_case csv_into_device_in_place
ok=1
run table --quiet --xlsx "$special/null" "$report"
no_crash
expect_rc 3
grep -q '不是普通文件' "$err" || fail "stderr does not say it is no regular file"
is_null_link
no_special_temp
report_case xlsx_into_device_refused
ok=1
run table --quiet --csv "$special/fifo" "$report"
no_crash
expect_rc 3
[ -p "$special/fifo" ] || fail "the FIFO was replaced"
no_special_temp
report_case csv_into_unread_fifo_refused
ok=1
# The reader is there before the writer (no race on a loaded machine):
# this shell holds the FIFO open read-write; the row (a few KiB) fits the
# pipe's buffer, and is read back after, until the pipe is empty.
exec {rfd}<>"$special/fifo"
run table --quiet --csv "$special/fifo" "$report"
timeout 2 cat <&"$rfd" >"$special/got"
exec {rfd}<&-
no_crash
expect_rc 0
[ -p "$special/fifo" ] || fail "the FIFO was replaced"
grep -q 'baisha_2024' "$special/got" || fail "the reader of the FIFO got no row for the report"
no_special_temp
report_case csv_into_read_fifo
ok=1
run table --quiet --csv "$special" "$report"
no_crash
expect_rc 3
[ -d "$special" ] || fail "the folder was replaced"
report_case csv_onto_folder_refused

# ------------------------------------------- the largest accepted input
# GK_MAX_TEXT_BYTES (8 MiB of decoded text per report): a text report of
# exactly 8 MiB of text is read and checked within the per-report budget
# (GK_ARENA_MAX_BYTES, 256 MiB: it exits 0 under the default budget), and
# one byte more is refused at once as the text limit, exit 3.  Two
# scripts: ASCII-heavy text (one stream character per byte, the most
# memory per byte) and Chinese.  Peak resident memory and CPU time come
# from getrusage(RUSAGE_CHILDREN); the 256 MiB peak is asserted when the
# binary has no sanitizers (ASan's shadow and quarantine inflate it), the
# CPU time always (generous: a sanitized 8 MiB check takes a few seconds).
MAX_TEXT=$((8 << 20))
PEAK_KIB=$((256 << 10))
CPU_S=120
sanitized=0
grep -aq __asan_init "$cli" && sanitized=1
# measure ARGS...: runs the CLI; sets rc, peak (KiB) and cpu (s).
measure() {
  local m
  m=$(/usr/bin/python3 -c '
import resource, subprocess, sys
with open(sys.argv[1], "wb") as o, open(sys.argv[2], "wb") as e:
    rc = subprocess.run(sys.argv[3:], stdout=o, stderr=e,
                        stdin=subprocess.DEVNULL, timeout=600).returncode
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(rc if rc >= 0 else 128 - rc, u.ru_maxrss, int(u.ru_utime + u.ru_stime))
' "$out" "$err" "$cli" "$@")
  read -r rc peak cpu <<<"$m"
}
# make_text FILE SCRIPT BYTES: the report with paragraphs in part 一 until
# its text (every byte but line ends) is BYTES.
make_text() {
  /usr/bin/python3 - "$report" "$1" "$2" "$3" <<'PY'
import sys
src, dst, script, want = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
base = open(src, encoding='utf-8').read().replace('\r', '').replace('\t', ' ')
lines = base.split('\n')
i = next(k for k, l in enumerate(lines) if l.startswith('一、'))
para = ('In 2024 the town published 1234 items, see http://example.gov.cn/xxgk/2024/index.html'
        if script == 'ascii' else
        '本年度，我镇严格按照《中华人民共和国政府信息公开条例》要求，主动公开各类政府信息。')
def text_bytes(ls):
    return sum(len(l.encode()) for l in ls)
have = text_bytes(lines)
n = (want - have) // len(para.encode()) - 1
pad = want - have - n * len(para.encode())
body = [para] * n + ['x' * pad]
out = lines[:i + 1] + body + lines[i + 1:]
assert text_bytes(out) == want
open(dst, 'w', encoding='utf-8').write('\n'.join(out))
PY
}
for script in ascii chinese; do
  ok=1
  big=$dir/largest_$script.txt
  make_text "$big" "$script" "$MAX_TEXT" || fail "cannot write the input"
  # Sanitized: parse only (the memory is the parser's); ASan makes the
  # checks' scans of 8 MiB of Chinese prose take over a minute of CPU.
  if [ "$sanitized" -eq 1 ]; then
    measure parse "$big"
  else
    measure check --quiet "$big"
  fi
  no_crash
  expect_rc 0
  [ "$cpu" -le "$CPU_S" ] || fail "$cpu s of CPU, budget $CPU_S s"
  if [ "$sanitized" -eq 0 ]; then
    [ "$peak" -le "$PEAK_KIB" ] || fail "peak resident memory $peak KiB, budget $PEAK_KIB KiB"
  fi
  report_case "largest_text_$script ($(stat -c %s "$big") bytes, peak $peak KiB, ${cpu} s CPU$([ "$sanitized" -eq 1 ] && echo ', sanitized: peak not held to 256 MiB'))"
  ok=1
  make_text "$big" "$script" $((MAX_TEXT + 1)) || fail "cannot write the input"
  measure parse "$big"
  no_crash
  expect_rc 3
  grep -q '报告文字超过单份报告的上限（8 MiB）' "$err" || fail "stderr does not name the text limit"
  [ "$cpu" -le "$CPU_S" ] || fail "$cpu s of CPU, budget $CPU_S s"
  report_case "first_refused_text_$script"
  rm -f "$big"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
