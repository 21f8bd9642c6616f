#!/usr/bin/python3
"""Judges a zoo.py --workdir again with another gongkai binary, without
generating anything: the same documents before and after a change.

    rejudge.py GONGKAI WORKDIR [--layouts spaces,crawler,...]

Each dNNNNN.model.json of WORKDIR and the layouts' files beside it (as
zoo.py names them) are parsed by GONGKAI and judged by zoo.py's judge()
and its oracle tally (oracle.py), and the same two tables are printed.
Standard library only; exit 1 when a cell is wrong or filled where the
text does not determine it.
"""
import argparse
import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zoo  # noqa: E402

# What zoo.py calls each layout's file (the base is WORKDIR/dNNNNN).
SUFFIX = {"txt": ".txt", "md": ".md", "html": ".html", "docx": ".docx",
          "spaces": ".spaces.txt", "thousands": ".thousands.txt",
          "fullwidth": ".fullwidth.txt", "variants": ".variants.txt",
          "perturbed": ".perturbed.txt", "crawler": ".crawler.json",
          "glued": ".glued.txt", "glued_dropped": ".glued_dropped.txt",
          "gbk_html": ".gbk.html", "pandoc_gfm": ".pandoc_gfm.md",
          "pandoc_md": ".pandoc_md.md", "pdftotext_layout": ".layout.txt",
          "pdftotext_raw": ".raw.txt", "mutool": ".mutool.txt"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gongkai")
    ap.add_argument("workdir")
    ap.add_argument("--layouts", default="spaces,crawler,pdftotext_layout,"
                    "pdftotext_raw,mutool")
    ap.add_argument("--show", type=int, default=5)
    zoo.oracle_args(ap)
    a = ap.parse_args()
    gk = os.path.abspath(a.gongkai)
    layouts = [x for x in a.layouts.split(",") if x]
    told = zoo.OracleTally(a.oracle, a.show)
    stats = {}
    shown = 0
    for mj in sorted(glob.glob(os.path.join(a.workdir, "d*.model.json"))):
        base = mj[:-len(".model.json")]
        with open(mj, encoding="utf-8") as f:
            m = json.load(f)
        for layout in layouts:
            path = base + SUFFIX[layout]
            if not os.path.exists(path):
                continue
            s = stats.setdefault(layout, [0, 0, 0, 0])
            s[0] += 1
            parsed = zoo.parse(gk, path)
            if parsed is None:
                s[3] += sum(1 for _ in zoo.cells(m))
                continue
            told.add(layout, m, parsed, path)
            r, fl, w, bad = zoo.judge(m, parsed)
            s[1] += r
            s[2] += fl
            s[3] += w
            for b in bad:
                if shown < a.show:
                    print(f"WRONG {layout} {path}: {b[0]} model {b[1]} "
                          f"parsed {b[2]}", file=sys.stderr)
                    shown += 1
    print("| layout | documents | cells | right | null, flagged | wrong |")
    print("|---|---:|---:|---:|---:|---:|")
    wrong = 0
    for layout in layouts:
        if layout not in stats:
            continue
        d, r, fl, w = stats[layout]
        n = r + fl + w
        pct = 100.0 * r / n if n else 0.0
        print(f"| {layout} | {d} | {n} | {r} ({pct:.2f}%) | {fl} | {w} |")
        wrong += w
    guessed = told.report(layouts, layouts)
    return 1 if wrong or guessed else 0


if __name__ == "__main__":
    sys.exit(main())
