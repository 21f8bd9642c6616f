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
    judged = zoo.Judged(gk, a.show, told)
    for mj in sorted(glob.glob(os.path.join(a.workdir, "d*.model.json"))):
        base = mj[:-len(".model.json")]
        with open(mj, encoding="utf-8") as f:
            m = json.load(f)
        for layout in layouts:
            path = base + zoo.SUFFIX[layout]
            if os.path.exists(path):
                judged.tally(layout, m, path)
    wrong = judged.print_table(layouts, layouts)
    guessed = told.report(layouts, layouts)
    return 1 if wrong or guessed else 0


if __name__ == "__main__":
    sys.exit(main())
