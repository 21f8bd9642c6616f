"""What the text determines (issue 10): an oracle for the layout zoo.

For a model (zoo.py's JSON: proactive, applications, appeals) and a layout
that loses information, this module derives what the text shows of each
table row, then computes which cells every table consistent with that text
and with the edition's identities agrees on.  It is independent of the
parser: its own grammar, its own identities (written from
../shared/spec/format.md §1.7 and §2.1, rules.md "arith"), its own search.

What each layout shows of a row (zoo.py's transformations):

- spaces, crawler: the non-blank cells' printed numbers in order, one space
  apart; a blank cell leaves no trace.
- glued: the row's printed cells run together after its label, a blank cell
  as the marker "—"; glued_dropped: the same with blank cells dropped.  As
  zoo.py's glued() does, cells up to the last cell that is not all digits
  (a negative change, a decimal fee, an amount in 元) stay apart, one space
  each, and their blanks are dropped.
- mutool (`mutool draw -F txt` of the PDF): each cell's text on a line
  of its own (or a few cells of a row on one line, one space apart), in
  the row's order, a blank cell no line at all: what spaces shows.  The
  oracle assumes the tool keeps every row's cells together and in order
  (it does on LibreOffice's PDFs; a row split over a page is still in
  order) and that it prints no positions.
- pandoc_md: pandoc's simple tables keep every column by character
  position (a blank cell is spaces under its column), so nothing is lost:
  the layout is not searched (every cell determined).
- pdftotext_layout (`pdftotext -layout`): every word at the character
  column where it begins, so each number stands under its column's header
  and a blank cell is spaces there; counted lossless like pandoc_md.  The
  assumption is that the columns are told apart by position: the first
  piece of each column header (结果维 of 结果维持 wrapped) begins left of
  its numbers and right of the previous column's (checked on the zoo's
  PDFs, docs/ACCURACY.md).

Semantics of a blank ("blank is not zero"): a blank cell is an unknown
integer >= 0 (>= 0 with two decimals for the 2021 fee, any integer for the
2019 本年增/减).  A table is consistent if some values for its blanks make
every identity hold.  The check is exact for identities with one unknown
(the unknown is solved for and carried into the other identities, until
nothing changes) and, for identities left with two or more unknowns, each
is checked on its own (the unknowns' ranges): a relaxation, so the
consistent set can only be larger than the true one and "determined" only
smaller — never a claim the text does not support.

A cell is *determined* when every consistent table gives it the same
value (or blank).  Searches are bounded (MAX_ROW_NODES, MAX_ROW_CANDIDATES,
MAX_TABLE_NODES); a row over a bound is *undecided*: its cells are reported
apart, never as determined, and to the other rows it counts as blank (a
relaxation again).

Standard library only.
"""
import json
import re

# Bounds.  Python does about a million simple steps a second; a zoo run
# judges thousands of documents, so a row may take a fraction of a second
# and a table a few seconds at most.
MAX_ROW_NODES = 400000      # steps cutting one row's text into cells
MAX_ROW_CANDIDATES = 20000  # readings of one row kept for the table search
MAX_TABLE_NODES = 400000    # steps of the support search over one table
# With blank cells dropped, a run of digits may hide a blank anywhere, so
# a row of table 3 has thousands of readings (its total may be the dropped
# cell, and then any cut of the rest fits it); the table search over rows
# that large would take minutes a document.  Past these smaller bounds the
# row is undecided.
MAX_ROW_CANDIDATES_DROPPED = 1000
MAX_TABLE_NODES_DROPPED = 50000

MARKER = "—"  # zoo.py's blank-cell marker in the glued layout

LOSSY = ("spaces", "crawler", "glued", "glued_dropped", "mutool")
LOSSLESS = ("pandoc_md", "pdftotext_layout")

APP_COLS = ["natural_person", "business", "research", "nonprofit",
            "legal_service", "other", "total"]
APPEAL_BLOCKS = ["review", "litigation_direct", "litigation_after_review"]
APPEAL_COLS = ["upheld", "corrected", "other", "pending", "total"]
APP_FIXED = ("received", "carried_over", "processed_total",
             "carried_forward")

# Table 2's columns in print order and the grammar of each (format.md §1.4,
# §2.1): count (integer >= 0), fee (decimal >= 0, 万元), change (2019
# 本年增/减, any integer), amount (2019 采购总金额, decimal >= 0 printed
# with 元).  Decimals are not limited to two: real reports give 万元 to
# six places (the seeds' and corpus' expected JSON that zoo.py --real
# takes in).
PRO_COLS = {
    "2021": {"rules": ["issued", "repealed", "in_force"],
             "normative_documents": ["issued", "repealed", "in_force"]},
    "2019": {"rules": ["made", "published", "total"],
             "normative_documents": ["made", "published", "total"],
             "licensing": ["previous", "change", "decisions"],
             "other_services": ["previous", "change", "decisions"],
             "punishment": ["previous", "change", "decisions"],
             "coercion": ["previous", "change", "decisions"],
             "fees": ["previous", "change"],
             "procurement": ["items", "amount_yuan"]},
}

GRAMMAR = {
    "count": re.compile(r"(0|[1-9][0-9]*)"),
    "fee": re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?"),
    "change": re.compile(r"(0|-?[1-9][0-9]*)"),
    "amount": re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?元"),
}


def kind_of(table, row, col):
    if col == "change":
        return "change"
    if col == "amount_yuan":
        return "amount"
    if table == "proactive" and row == "fees" and col is None:
        return "fee"
    return "count"


def printed(value, kind):
    """A value as gongkai's txt writer prints it (zoo.py feeds the model
    as JSON, and the writer keeps the decimals it was given)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and \
            kind in ("count", "change"):
        value = int(value)
    s = json.dumps(value)
    return s + "元" if kind == "amount" else s


def value_of(token, kind):
    """The value a token of a cell's grammar stands for (None if it is
    not one)."""
    if not GRAMMAR[kind].fullmatch(token):
        return None
    t = token[:-1] if kind == "amount" else token
    return float(t) if "." in t else int(t)


# ------------------------------------------------------------ the tables

class Unit:
    """One printed row: its cells' paths and kinds, its printed tokens,
    and the identities inside it (list of (terms, total) index lists)."""

    def __init__(self, table, paths, kinds, values, internal=()):
        self.table = table
        self.paths = paths
        self.kinds = kinds
        self.values = values
        self.tokens = [printed(v, k) for v, k in zip(values, kinds)]
        self.internal = list(internal)


def units(model):
    """The printed rows of a model's tables, in print order."""
    out = []
    ed = model.get("edition") or "2021"
    pro = model.get("proactive") or {}
    for row, v in pro.items():
        if isinstance(v, dict):
            cols = PRO_COLS.get(ed, {}).get(row) or list(v)
            cols = [c for c in cols if c in v] + [c for c in v
                                                  if c not in cols]
            out.append(Unit("proactive",
                            [f"proactive.{row}.{c}" for c in cols],
                            [kind_of("proactive", row, c) for c in cols],
                            [v[c] for c in cols]))
        else:
            k = kind_of("proactive", row, None)
            out.append(Unit("proactive", [f"proactive.{row}"], [k], [v]))
    app = model.get("applications") or {}
    for row, v in app.items():
        out.append(Unit("applications",
                        [f"applications.{row}.{c}" for c in APP_COLS],
                        ["count"] * 7, [v.get(c) for c in APP_COLS],
                        [(list(range(6)), 6)]))
    ap = model.get("appeals") or {}
    if ap:
        paths, vals = [], []
        for b in APPEAL_BLOCKS:
            for c in APPEAL_COLS:
                paths.append(f"appeals.{b}.{c}")
                vals.append((ap.get(b) or {}).get(c))
        out.append(Unit("appeals", paths, ["count"] * 15, vals,
                        [([5 * b + j for j in range(4)], 5 * b + 4)
                         for b in range(3)]))
    return out


def column_identities(us):
    """Table 3's identities across rows (I-2, I-3), as (lhs, rhs) lists of
    (unit index, cell index)."""
    idx = {u.paths[0].split(".")[1]: i for i, u in enumerate(us)
           if u.table == "applications"}
    if not all(k in idx for k in APP_FIXED):
        return []
    results = [i for k, i in idx.items() if k not in APP_FIXED]
    out = []
    for c in range(7):
        out.append(([(r, c) for r in results],
                    [(idx["processed_total"], c)]))                  # I-2
        out.append(([(idx["received"], c), (idx["carried_over"], c)],
                    [(idx["processed_total"], c),
                     (idx["carried_forward"], c)]))                  # I-3
    return out


# ------------------------------------------------------------ what is shown

def glue_line(label, tokens, drop):
    """zoo.py's glued() on one row (kept in step with it)."""
    cs = [label] + list(tokens)
    first = 1 + max((i for i, c in enumerate(cs)
                     if c and not c.isdigit()), default=-1)
    labels = [c for c in cs[:first] if c]
    nums = [c if c else ("" if drop else MARKER) for c in cs[first:]]
    return " ".join(labels) + ("" if not nums else " " + "".join(nums))


def shown(unit, layout):
    """What the layout shows of the row after its label."""
    if layout in ("spaces", "crawler", "mutool"):
        return tuple(t for t in unit.tokens if t)
    return glue_line("L", unit.tokens, layout == "glued_dropped")[1:]


class Over(Exception):
    pass


def _internal_ok(vals, internal):
    """The row's own identities on a (partial) reading: blanks unknown."""
    for terms, total in internal:
        if any(vals[i] is _UNSET for i in terms + [total]):
            continue
        known = [vals[i] for i in terms if vals[i] is not None]
        s = sum(known)
        t = vals[total]
        if t is None:
            continue
        if len(known) == len(terms):
            if abs(s - t) > 1e-9:
                return False
        elif s > t + 1e-9:
            return False
    return True


_UNSET = object()


def candidates_spaces(unit, obs):
    """Placements of the shown numbers among the row's cells."""
    n, k = len(unit.kinds), len(obs)
    out = []
    vals = [_UNSET] * n
    steps = [0]

    def rec(i, j):
        steps[0] += 1
        if steps[0] > MAX_ROW_NODES:
            raise Over
        if i == n:
            if j == k and _internal_ok(vals, unit.internal):
                out.append(tuple(vals))
                if len(out) > MAX_ROW_CANDIDATES:
                    raise Over
            return
        if n - i > k - j:  # room for a blank here
            vals[i] = None
            rec(i + 1, j)
        if j < k:
            v = value_of(obs[j], unit.kinds[i])
            if v is not None:
                vals[i] = v
                if _internal_ok(vals[:i + 1] + [_UNSET] * (n - i - 1),
                                unit.internal):
                    rec(i + 1, j + 1)
        vals[i] = _UNSET
    rec(0, 0)
    return out


def _block_of(unit):
    """For each cell: (block index, is total) for the row's identities."""
    info = [None] * len(unit.kinds)
    for b, (terms, total) in enumerate(unit.internal):
        for t in terms:
            info[t] = (b, False)
        info[total] = (b, True)
    return info


def candidates_glued(unit, obs, drop):
    """Readings of the row whose glued text is obs (generate, prune by the
    row's identities — a total with every term read must equal their sum,
    so it is compared, not enumerated — and check by regluing)."""
    n = len(unit.kinds)
    kinds = unit.kinds
    parts = obs.split(" ")
    if parts[0] != "":
        return []
    parts = parts[1:]
    info = _block_of(unit)
    out = []
    steps = [0]

    def emit(vals):
        if glue_line("L", [printed(v, k) for v, k in zip(vals, kinds)],
                     drop)[1:] != obs:
            return
        if not _internal_ok(vals, unit.internal):
            return
        out.append(tuple(vals))
        if len(out) > MAX_ROW_CANDIDATES:
            raise Over

    # jl: the last cell that prints other than digits (-1: none).
    for jl in range(-1, n):
        if jl >= 0 and not any(k != "count" for k in kinds[:jl + 1]):
            continue  # only a sign, decimals or 元 print other than digits
        if jl + 1 < n:
            if not parts:
                continue
            spaced, glue = parts[:-1], parts[-1]
        else:
            spaced, glue = parts, None
        if jl < 0 and spaced:
            continue
        for head in _spaced(spaced, kinds[:jl + 1]):
            if jl >= 0 and (head[jl] is None or
                            printed(head[jl], kinds[jl]).isdigit()):
                continue
            if glue is None:
                emit(list(head))
                continue
            vals = list(head) + [_UNSET] * (n - jl - 1)

            def rec(i, p):
                steps[0] += 1
                if steps[0] > MAX_ROW_NODES:
                    raise Over
                if i == n:
                    if p == len(glue):
                        emit(list(vals))
                    return
                kind = kinds[i]
                # a blank: the marker, or nothing when dropped
                blank = "" if drop else MARKER
                if glue.startswith(blank, p):
                    vals[i] = None
                    rec(i + 1, p + len(blank))
                bi = info[i]
                if bi is not None and bi[1]:
                    terms = unit.internal[bi[0]][0]
                    tv = [vals[t] for t in terms]
                    if all(v is not None and v is not _UNSET for v in tv):
                        s = str(sum(tv))
                        if glue.startswith(s, p):
                            vals[i] = sum(tv)
                            rec(i + 1, p + len(s))
                        vals[i] = _UNSET
                        return
                    least = sum(v for v in tv if v is not None and
                                v is not _UNSET)
                else:
                    least = None
                for e in range(p + 1, len(glue) + 1):
                    tok = glue[p:e]
                    if not tok.isdigit():
                        break
                    if tok[0] == "0" and e > p + 1:
                        break
                    v = value_of(tok, kind)
                    if v is None:
                        continue
                    if least is not None and v < least:
                        continue
                    vals[i] = v
                    rec(i + 1, e)
                vals[i] = _UNSET
            rec(jl + 1, 0)
    # the same reading may come from two values of jl
    return list(dict.fromkeys(out))


def _spaced(tokens, kinds):
    """Placements of space-separated tokens among cells (blanks dropped)."""
    n, k = len(kinds), len(tokens)
    out = []

    def rec(i, j, acc):
        if i == n:
            if j == k:
                out.append(tuple(acc))
            return
        if n - i > k - j:
            rec(i + 1, j, acc + [None])
        if j < k:
            v = value_of(tokens[j], kinds[i])
            if v is not None:
                rec(i + 1, j + 1, acc + [v])
    rec(0, 0, [])
    return out


def candidates_counts(unit, obs, drop, limits=None):
    """The readings of a row of counts (tables 3 and 4, table 2's counts in
    2021) whose glued text is obs.  A block's total is placed first, then
    its terms are cut from the digits before it: no term exceeds the total
    and, with every term read, they add up to it exactly (so a 35-digit row
    of table 3 takes thousands of steps, not the millions of its cuts).
    limits: per cell, the (least, greatest) value a number there can have
    by the column identities (a blank is always possible)."""
    if not obs.startswith(" "):
        return []
    b = obs[1:]
    n = len(unit.kinds)
    blank = "" if drop else MARKER
    items = []
    inblock = {}
    for terms, total in unit.internal:
        for t in terms:
            inblock[t] = (terms, total)
    i = 0
    while i < n:
        if i in inblock:
            terms, total = inblock[i]
            items.append((terms, total))
            i = total + 1
        else:
            items.append(([], i))
            i += 1
    out = []
    steps = [0]
    vals = [None] * n
    ndig = [0]
    for ch in b:
        ndig.append(ndig[-1] + ch.isdigit())

    def step():
        steps[0] += 1
        if steps[0] > MAX_ROW_NODES:
            raise Over

    def tokens(p, end, bound, cell):
        """(value, next position) of a count at p, within end."""
        least, most = limits[cell] if limits else (0, float("inf"))
        for e in range(p + 1, end + 1):
            tok = b[p:e]
            if not tok[-1].isdigit() or (tok[0] == "0" and e > p + 1):
                break
            v = int(tok)
            if (bound is not None and v > bound) or v > most:
                break
            if v >= least:
                yield v, e

    def terms_cut(cells, j, p, end, bound, s, gap, then):
        step()
        if j == len(cells):
            if p != end:
                return
            if bound is None or (s == bound if not gap else s <= bound):
                then()
            return
        left = len(cells) - j
        if not drop and end - p < left:
            return
        if bound is not None:
            width = len(str(bound))
            digits = ndig[end] - ndig[p]
            if digits > left * width:
                return
            # some term has at least digits/left digits
            need = -(-digits // left)
            if need > 1 and s + 10 ** (need - 1) > bound:
                return
            # with no blank possible, the terms must reach the total: the
            # most they make is one term of all but left - 1 digits and
            # nines in the others
            if not gap and not drop and digits == end - p and \
                    s + 10 ** (digits - left + 1) - 1 + 9 * (left - 1) \
                    < bound:
                return
        if b.startswith(blank, p):
            vals[cells[j]] = None
            terms_cut(cells, j + 1, p + len(blank), end, bound, s, True,
                      then)
        for v, e in tokens(p, end, None if bound is None else bound - s,
                           cells[j]):
            vals[cells[j]] = v
            terms_cut(cells, j + 1, e, end, bound, s + v, gap, then)

    def rec(k, p):
        step()
        if k == len(items):
            if p == len(b):
                out.append(tuple(vals))
                if len(out) > MAX_ROW_CANDIDATES:
                    raise Over
            return
        terms, total = items[k]
        last = k == len(items) - 1
        # the total blank: a marker (or nothing) after the terms
        for q in range(p, len(b) + 1):
            if not b.startswith(blank, q) or \
                    (last and q + len(blank) != len(b)):
                continue
            if blank and q < len(b) and b[q] != blank:
                continue
            vals[total] = None
            terms_cut(terms, 0, p, q, None, 0, False,
                      lambda q=q: rec(k + 1, q + len(blank)))
        # the total a count: every span after p
        for q in range(p, len(b)):
            if not b[q].isdigit():
                continue
            ends = [len(b)] if last else range(q + 1, len(b) + 1)
            for e in ends:
                tok = b[q:e]
                if not tok.isdigit() or (tok[0] == "0" and len(tok) > 1):
                    if not tok.isdigit():
                        break
                    continue
                t = int(tok)
                if limits and not limits[total][0] <= t <= limits[total][1]:
                    continue
                vals[total] = t
                terms_cut(terms, 0, p, q, t if terms else None, 0, False,
                          lambda e=e: rec(k + 1, e))
        vals[total] = None
    rec(0, 0)
    return list(dict.fromkeys(out))


def row_candidates(unit, layout):
    """Every reading of one row consistent with what the layout shows and
    with the row's own identities; raises Over past the bounds."""
    obs = shown(unit, layout)
    if layout in ("spaces", "crawler", "mutool"):
        return candidates_spaces(unit, obs)
    drop = layout == "glued_dropped"
    if all(k == "count" for k in unit.kinds):
        return candidates_counts(unit, obs, drop)
    return candidates_glued(unit, obs, drop)


# ------------------------------------------------------------ the table

def _consistent(table, idents):
    """Whether some values for the blanks make every identity hold:
    identities with one unknown solve it (carried on), the rest are
    checked each on its own."""
    fixed = {}
    pending = list(idents)
    changed = True
    while changed:
        changed = False
        rest = []
        for lhs, rhs in pending:
            lk = rk = 0
            lu, ru = [], []
            for side, acc in ((lhs, lu), (rhs, ru)):
                for cell in side:
                    v = table[cell[0]][cell[1]] if cell not in fixed \
                        else fixed[cell]
                    if v is None:
                        acc.append(cell)
                    elif side is lhs:
                        lk += v
                    else:
                        rk += v
            if not lu and not ru:
                if abs(lk - rk) > 1e-9:
                    return False
                continue
            if len(lu) + len(ru) == 1:
                cell = (lu or ru)[0]
                v = rk - lk if lu else lk - rk
                if v < -1e-9:
                    return False
                fixed[cell] = v
                changed = True
                continue
            if not ru and lk > rk + 1e-9:
                return False
            if not lu and rk > lk + 1e-9:
                return False
            rest.append((lhs, rhs))
        pending = rest
    return True


def _retry(us, cands, idents, involved, layout):
    """Rows over the bounds, read again with each number limited to what
    the column identities leave it given the other rows' readings (a row
    over the bounds counts as blanks, [0, inf)), until no row is read."""
    while True:
        over = [i for i in involved if cands[i] is None and
                all(k == "count" for k in us[i].kinds)]
        if not over:
            return
        lo, hi = {}, {}
        for i in involved:
            if cands[i] is None:
                n = len(us[i].kinds)
                lo[i], hi[i] = [0] * n, [float("inf")] * n
            else:
                lo[i], hi[i] = _bounds(cands[i])
        progress = False
        for i in over:
            limits = [[0, float("inf")] for _ in us[i].kinds]
            for lhs, rhs in idents:
                for side, other in ((lhs, rhs), (rhs, lhs)):
                    for cell in side:
                        if cell[0] != i:
                            continue
                        rest = [x for x in side if x != cell]
                        # cell = other - rest
                        most = sum(hi[u][c] for u, c in other) - \
                            sum(lo[u][c] for u, c in rest)
                        least = sum(lo[u][c] for u, c in other) - \
                            sum(hi[u][c] for u, c in rest)
                        limits[cell[1]][0] = max(limits[cell[1]][0], least)
                        limits[cell[1]][1] = min(limits[cell[1]][1], most)
            if all(hi_ == float("inf") for _, hi_ in limits):
                continue
            try:
                cands[i] = candidates_counts(
                    us[i], shown(us[i], layout), layout == "glued_dropped",
                    limits)
                progress = True
            except Over:
                pass
        if not progress:
            return


def _bounds(cands):
    """Per cell, the least and greatest value over a row's readings (a
    blank ranges over [0, inf))."""
    n = len(cands[0])
    lo = [min(0 if c[i] is None else c[i] for c in cands) for i in range(n)]
    hi = [max(float("inf") if c[i] is None else c[i] for c in cands)
          for i in range(n)]
    return lo, hi


def _ident_ok(ident, lo, hi):
    lhs, rhs = ident
    llo = sum(lo[u][c] for u, c in lhs)
    lhi = sum(hi[u][c] for u, c in lhs)
    rlo = sum(lo[u][c] for u, c in rhs)
    rhi = sum(hi[u][c] for u, c in rhs)
    return llo <= rhi + 1e-9 and rlo <= lhi + 1e-9


def solve(model, layout):
    """Returns {path: state} for every table cell: ("determined", value),
    ("open", None) when consistent tables differ there, ("undecided",
    None) past a bound."""
    global MAX_ROW_CANDIDATES, MAX_TABLE_NODES
    if layout == "glued_dropped":
        saved = MAX_ROW_CANDIDATES, MAX_TABLE_NODES
        MAX_ROW_CANDIDATES = min(MAX_ROW_CANDIDATES,
                                 MAX_ROW_CANDIDATES_DROPPED)
        MAX_TABLE_NODES = min(MAX_TABLE_NODES, MAX_TABLE_NODES_DROPPED)
        try:
            return _solve(model, "glued_dropped")
        finally:
            MAX_ROW_CANDIDATES, MAX_TABLE_NODES = saved
    return _solve(model, layout)


def _solve(model, layout):
    us = units(model)
    res = {}
    if layout in LOSSLESS:
        for u in us:
            for p, v in zip(u.paths, u.values):
                res[p] = ("determined", v)
        return res
    cands = []
    for u in us:
        try:
            c = row_candidates(u, layout)
        except Over:
            c = None
        if c == []:
            # The model's own row is always a reading of its text: an
            # oracle that finds none misreads the layout (say so).
            raise AssertionError(f"no reading of {u.paths[0]} in {layout}: "
                                 f"{shown(u, layout)!r}")
        cands.append(c)
    idents = column_identities(us)
    involved = {cell[0] for lhs, rhs in idents for cell in lhs + rhs}
    if layout in ("glued", "glued_dropped"):
        _retry(us, cands, idents, involved, layout)
    undecided = {i for i, c in enumerate(cands) if c is None}
    # An undecided row counts as blank to the others (a relaxation).
    for i in undecided:
        cands[i] = [tuple([None] * len(us[i].kinds))]
    # Narrow each row's readings by the bounds of the others until nothing
    # changes, then find for each reading left whether a consistent table
    # uses it (support search, bounded).
    lo, hi = {}, {}
    for i in involved:
        lo[i], hi[i] = _bounds(cands[i])
    by_unit = {}
    for k, (lhs, rhs) in enumerate(idents):
        for u, _ in lhs + rhs:
            by_unit.setdefault(u, set()).add(k)
    changed = True
    while changed:
        changed = False
        for i in sorted(involved):
            keep = []
            for c in cands[i]:
                lo_i, hi_i = lo[i], hi[i]
                lo[i] = [0 if x is None else x for x in c]
                hi[i] = [float("inf") if x is None else x for x in c]
                if all(_ident_ok(idents[k], lo, hi)
                       for k in by_unit.get(i, ())):
                    keep.append(c)
                lo[i], hi[i] = lo_i, hi_i
            if len(keep) < len(cands[i]):
                cands[i] = keep
                changed = True
                if keep:
                    lo[i], hi[i] = _bounds(keep)
            if not cands[i]:
                # Cannot happen for the model's own text (the true table
                # is consistent); say so rather than claim anything.
                raise AssertionError(f"no reading of {us[i].paths[0]}")
    # A row counted as blank widens the others' readings: where they still
    # differ it proves nothing, so they are undecided too (a row read one
    # way stays determined: the true readings are among its readings).
    relaxed = bool(undecided & involved)
    supported = None if relaxed else \
        _support(cands, sorted(involved), idents, by_unit)
    for i, u in enumerate(us):
        if i in undecided or (supported is None and i in involved and
                              len(cands[i]) > 1):
            for p in u.paths:
                res[p] = ("undecided", None)
            continue
        cs = cands[i]
        if supported is not None and i in supported:
            cs = supported[i]
        for j, p in enumerate(u.paths):
            vs = {c[j] for c in cs}
            res[p] = ("determined", vs.pop()) if len(vs) == 1 else \
                ("open", None)
    return res


def _support(cands, rows, idents, by_unit):
    """For each pending row of the identities, the readings that some
    consistent table uses; None past MAX_TABLE_NODES.  For every reading
    not yet seen in a consistent table, a depth-first search over the
    other pending rows (pruned by each identity's range) looks for one;
    each table found marks all its readings."""
    pending = [i for i in rows if len(cands[i]) > 1]
    table = {i: cands[i][0] for i in rows if len(cands[i]) == 1}
    if not pending:
        if not _consistent(table, idents):
            raise AssertionError("the fixed rows break an identity")
        return {}
    pending.sort(key=lambda i: len(cands[i]))
    lo, hi = {}, {}
    for i in rows:
        lo[i], hi[i] = _bounds(cands[i])
    supported = {i: set() for i in pending}
    nodes = [0]

    def place(i, c):
        lo[i] = [0 if x is None else x for x in c]
        hi[i] = [float("inf") if x is None else x for x in c]
        return all(_ident_ok(idents[k], lo, hi) for k in by_unit[i])

    def dfs(order, d):
        nodes[0] += 1
        if nodes[0] > MAX_TABLE_NODES:
            raise Over
        if d == len(order):
            if not _consistent(table, idents):
                return False
            for i in pending:
                supported[i].add(table[i])
            return True
        i = order[d]
        saved = lo[i], hi[i]
        # readings not yet seen first: each table found then marks more
        for c in sorted(cands[i], key=lambda c: c in supported[i]):
            if place(i, c):
                table[i] = c
                if dfs(order, d + 1):
                    lo[i], hi[i] = saved
                    return True
                del table[i]
        lo[i], hi[i] = saved
        return False

    try:
        for first in pending:
            order = [first] + [i for i in pending if i != first]
            for c in cands[first]:
                if c in supported[first]:
                    continue
                saved = lo[first], hi[first]
                if place(first, c):
                    table[first] = c
                    dfs(order, 1)
                lo[first], hi[first] = saved
                # dfs keeps the rows of a table found in `table`: clear them
                for i in pending:
                    table.pop(i, None)
    except Over:
        return None
    return {i: [c for c in cands[i] if c in supported[i]] for i in pending}
