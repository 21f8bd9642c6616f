#!/usr/bin/python3
"""Unit test of the zoo's oracle (oracle.py): hand-made rows whose
determined cells are known, the oracle's view of a layout kept in step with
zoo.py's, and random zoo models whose every determined cell is the model's.
Standard library only; exit 1 on the first failure."""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402
import zoo  # noqa: E402

FAILED = []


def check(what, got, want):
    if got != want:
        FAILED.append(what)
        print(f"FAIL {what}: got {got!r}, want {want!r}")


def model(edition="2021", proactive=None, applications=None, appeals=None):
    return {"edition": edition, "proactive": proactive or {},
            "applications": applications or {}, "appeals": appeals or {}}


def states(m, layout, prefix):
    return {p: s for p, s in oracle.solve(m, layout).items()
            if p.startswith(prefix)}


def app_row(values):
    return dict(zip(oracle.APP_COLS, values))


def main():
    # A blank among equal zeros: 0, blank, 0 shows "0 0" — which cell is
    # blank the text does not say.
    m = model(proactive={"rules": {"issued": 0, "repealed": None,
                                   "in_force": 0}})
    for layout in ("spaces", "crawler", "glued_dropped"):
        check(f"blank among zeros ({layout})",
              states(m, layout, "proactive.rules"),
              {f"proactive.rules.{c}": ("open", None)
               for c in ("issued", "repealed", "in_force")})
    # ... but the glued layout marks it.
    check("blank among zeros (glued)", states(m, "glued", "proactive.rules"),
          {"proactive.rules.issued": ("determined", 0),
           "proactive.rules.repealed": ("determined", None),
           "proactive.rules.in_force": ("determined", 0)})

    # A table-2 row of the 2021 edition run together, "0126937": no
    # identity, five cuts (0|1|26937 … 0|12693|7); the first cell is 0 in
    # every one (no number begins with 0).
    m = model(proactive={"rules": {"issued": 0, "repealed": 12,
                                   "in_force": 6937}})
    check("0126937 shown", oracle.shown(oracle.units(m)[0], "glued"),
          " 0126937")
    check("0126937 cuts",
          len(oracle.row_candidates(oracle.units(m)[0], "glued")), 5)
    check("0126937", states(m, "glued", "proactive.rules"),
          {"proactive.rules.issued": ("determined", 0),
           "proactive.rules.repealed": ("open", None),
           "proactive.rules.in_force": ("open", None)})

    # A glued row of table 3 fixed by its total: 12|3|0|0|0|45|60 is the
    # only cut of "1230004560" whose terms add up to the last cell.
    row = [12, 3, 0, 0, 0, 45, 60]
    m = model(applications={"granted": app_row(row)})
    check("glued row fixed by its total",
          states(m, "glued", "applications.granted"),
          {f"applications.granted.{c}": ("determined", v)
           for c, v in zip(oracle.APP_COLS, row)})
    # Dropped blanks: 1230004560 may also be 1230004, blank, … — not fixed.
    got = states(m, "glued_dropped", "applications.granted")
    check("glued_dropped row not fixed",
          got["applications.granted.total"][0] != "determined", True)

    # 2019: a negative 本年增/减 can only be in the change column.
    m = model("2019", proactive={"licensing": {"previous": None,
                                               "change": -3,
                                               "decisions": 7}})
    want = {"proactive.licensing.previous": ("determined", None),
            "proactive.licensing.change": ("determined", -3),
            "proactive.licensing.decisions": ("determined", 7)}
    for layout in ("spaces", "glued", "glued_dropped"):
        check(f"2019 negative change ({layout})",
              states(m, layout, "proactive.licensing"), want)
    check("2019 negative change shown glued",
          oracle.shown(oracle.units(m)[0], "glued_dropped"), " -3 7")
    # … a positive one could be in either of two columns.
    m["proactive"]["licensing"]["change"] = 3
    got = states(m, "spaces", "proactive.licensing")
    check("2019 positive change", got["proactive.licensing.change"],
          ("open", None))

    # A blank cell of table 3 placed by the column identities: the result
    # row shows 1 0 0 0 0 3 for seven cells; only a blank under 商业企业
    # lets 总计 = the results (I-2) hold in every column.
    full = [1, 2, 0, 0, 0, 0, 3]
    zero = [0] * 7
    apps = {"received": app_row(full), "carried_over": app_row(zero),
            "granted": app_row([1, None, 0, 0, 0, 0, 3]),
            "processed_total": app_row(full),
            "carried_forward": app_row(zero)}
    m = model(applications=apps)
    check("row alone open", len(oracle.row_candidates(
        oracle.units(m)[2], "spaces")), 7)
    check("blank placed by the columns",
          states(m, "spaces", "applications.granted"),
          {f"applications.granted.{c}": ("determined", v)
           for c, v in zip(oracle.APP_COLS, [1, None, 0, 0, 0, 0, 3])})
    # The row's 3 could be a 总计 with the blank among its terms, or the
    # 其他 with 总计 blank: I-3 and I-2 in the 总计 column say 3 (a
    # blank 总计 of the results is solved from I-3, then carried to I-2).
    apps["processed_total"] = app_row([1, 2, 0, 0, 0, 0, None])
    got = states(model(applications=apps), "spaces",
                 "applications.granted")
    check("blank solved and carried",
          got["applications.granted.total"], ("determined", 3))

    # A consistent table solves an identity's single unknown and carries
    # it on: here the blank would have to be 2 by I-2 and 0 by I-3.
    t = {0: (1, None), 1: (1, 0), 2: (3, 0)}
    idents = [([(0, 0), (0, 1)], [(2, 0)]), ([(0, 1)], [(1, 1)])]
    check("exact single unknown", oracle._consistent(t, idents), False)
    t[1] = (1, 2)
    check("exact single unknown holds", oracle._consistent(t, idents), True)

    # Over the bound: undecided, never determined.
    saved = oracle.MAX_ROW_NODES
    oracle.MAX_ROW_NODES = 3
    got = states(model(applications={"granted": app_row(row)}), "glued",
                 "applications.granted")
    oracle.MAX_ROW_NODES = saved
    check("over the bound", set(got.values()), {("undecided", None)})

    # The oracle's view of a row is zoo.py's layout of it.
    rng = random.Random(7)
    for _ in range(200):
        toks = [rng.choice(["", "0", "12", "-3", "4.5", "7元", "305"])
                for _ in range(rng.randint(1, 7))]
        for drop in (False, True):
            line = "标签\t" + "\t".join(toks)
            check(f"glue {toks} {drop}", oracle.glue_line("标签", toks, drop),
                  zoo.glued(line, drop))
        check(f"spaces {toks}", " ".join(["标签"] + [t for t in toks if t]),
              zoo.spaces("标签\t" + "\t".join(toks)))

    # mutool's text shows what spaces shows (a blank cell leaves no line),
    # pdftotext -layout keeps every column (each cell determined, as
    # printed, a blank one blank).
    m = model(applications={"granted": app_row([3, None, 0, 0, 0, 0, 3])},
              appeals={"review": {"upheld": 1, "corrected": None,
                                  "other": 0, "pending": 0, "total": 1}})
    check("mutool as spaces", oracle.solve(m, "mutool"),
          oracle.solve(m, "spaces"))
    check("pdftotext_layout lossless",
          set(s for s, _ in oracle.solve(m, "pdftotext_layout").values()),
          {"determined"})
    check("pdftotext_layout blank",
          oracle.solve(m, "pdftotext_layout")["appeals.review.corrected"],
          ("determined", None))

    # Random zoo models: the model is always among the readings, so every
    # determined cell is the model's (and the search finishes).
    template = {"edition": "2021", "proactive": {}}
    rng = random.Random(10)
    for i in range(12):
        m = zoo.make_model(template, rng, 0.3)
        for layout in ("spaces", "glued"):
            for path, (state, v) in oracle.solve(m, layout).items():
                if state == "determined":
                    want = zoo.get(m, path)
                    same = want == v or (want is not None and v is not None
                                         and abs(want - v) < 1e-9)
                    if not same:
                        check(f"model {i} {layout} {path}", v, want)

    if FAILED:
        print(f"{len(FAILED)} failed")
        return 1
    print("oracle_test: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
