#!/bin/bash
# same_output.sh REF NEW [DIR...] - whether two gongkai binaries give the
# same output, byte for byte: `gongkai parse` and `gongkai check --json
# --jobs=1 --no-pair` over every file of ../shared/seeds,
# ../shared/corpus/raw, the tests' fixtures and each DIR given (a bench
# corpus: `gk_bench --reports 500 --keep DIR`; symbolic links to files
# count as the files), 50 files a process, exit status included.  Used
# after every step of a speed pass (docs/PERFORMANCE.md):
#
#   cp build/release/gongkai /tmp/gongkai-main      # before the first change
#   scripts/same_output.sh /tmp/gongkai-main build/release/gongkai /tmp/gk-speed-bc500
#
# Prints one line per chunk that differs and a summary; exits 1 on any
# difference.
set -u
ref=${1:?usage: same_output.sh REF NEW [DIR...]}
new=${2:?usage: same_output.sh REF NEW [DIR...]}
shift 2
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
  for d in "$here/../shared/seeds" "$here/../shared/corpus/raw"; do
    [ -d "$d" ] && find "$d" -type f
  done
  find "$here/tests" -type f \( -name '*.txt' -o -name '*.md' -o -name '*.html' \
    -o -name '*.docx' -o -name '*.pdf' -o -name '*.json' \
    -o -path '*fuzz/corpus/text*' \)
  for d in "$@"; do find -L "$d" -type f; done
} | sort >"$work/list"
split -l 50 "$work/list" "$work/chunk."
fail=0
for c in "$work"/chunk.*; do
  for cmd in parse "check --json --jobs=1 --no-pair"; do
    # shellcheck disable=SC2086 # cmd is two words on purpose
    { xargs -d '\n' -a "$c" "$ref" $cmd; echo "exit $?"; } >"$work/ref" 2>&1
    # shellcheck disable=SC2086
    { xargs -d '\n' -a "$c" "$new" $cmd; echo "exit $?"; } >"$work/new" 2>&1
    if ! cmp -s "$work/ref" "$work/new"; then
      echo "differs: $cmd on $(head -1 "$c") … ($(wc -l <"$c") files)"
      fail=1
    fi
  done
done
echo "$(wc -l <"$work/list") files, parse and check --json: $([ $fail = 0 ] && echo identical || echo DIFFERENT)"
exit $fail
