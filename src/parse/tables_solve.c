/*
 * tables_solve.c - placement by the table's arithmetic (issue 10).
 *
 * The row reader (tables_assign.c) places a row's values by the grid, by
 * the tab positions, or in order when there is one per cell.  A row of
 * text that prints fewer values than it has cells and marks none of its
 * blanks ("只读到 6 个数字，应有 7 个": a PDF's text, a crawler's record)
 * leaves no trace of where its blank cells were; a row of digits run
 * together may cut several ways (tables_glued.c).  Such rows are pending:
 * each keeps its candidate placements (which cells are the dropped
 * blanks; which cut), filtered by the row's own identities.  Once the
 * whole table is read, gk__resolve_pending() makes one bounded search over
 * the pending rows: a combination of one candidate per row holds when
 * every column identity of the table (format.c: I-2, I-3 in table 3)
 * holds over the fixed cells and the chosen candidates.  A row whose
 * candidate is the same in every combination that holds is placed so, and
 * says it was placed by the arithmetic; the others stay null with their
 * diagnostics, listing the candidates.  Never a guess: no holding
 * combination, several, or a search past its limit leave the rows null.
 *
 * Blank is not zero.  A blank cell (one the text dropped, one marked "—",
 * a fixed cell left null) is unknown to the arithmetic, and an identity
 * with an unknown count in it holds when it can with the unknown >= 0
 * (counts are never negative): lhs = rhs + u needs lhs >= rhs.  With
 * unknowns on both sides, or in a column that may be negative (2019's
 * 本年增/减, not in tables 3 and 4), it holds whatever the known cells are.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "tables_int.h"

/* Candidate placements kept for a row whose values are fewer than its
 * cells: a row of table 3 with three of seven cells dropped has 35, and
 * table 4's fifteen cells with two dropped have 105 before the rows'
 * arithmetic; more left after it is ambiguous at once. */
#define MAX_PLACE_CANDIDATES 64
/* Blank cells one placement may take as dropped: past three the rows'
 * arithmetic rarely narrows the candidates below the limit above. */
#define MAX_PLACE_DROPS 3
/* Recursion steps spent enumerating one row's placements (C(15, 3) = 455
 * leaves): bounds the work for table 4's single line. */
#define MAX_PLACE_STEPS 20000
/* Search nodes for one table: a node is one candidate tried at one depth,
 * with its checks updated (a few hundred ns).  The bound keeps a table of
 * 32 pending rows with 64 candidates each to a few tens of milliseconds;
 * past it no row of the search is placed. */
#define MAX_SOLVE_NODES 200000
/* Column identities (one per identity and column) a table is solved by:
 * table 3 has 2 x 7. */
#define MAX_SOLVE_CHECKS 32

_Static_assert(MAX_SPLIT_CANDIDATES <= MAX_PLACE_CANDIDATES,
               "a glued row's candidates fit the solver's");
_Static_assert(GK_MAX_TERMS <= 32,
               "a row_check's signed_mask has a bit a term");
_Static_assert(MAX_SLOTS <= UINT8_MAX, "slot indexes fit a uint8_t");

/* ------------------------------------------------ blank is not zero */

/* Whether an identity with the known sides lhs - rhs = diff holds for
 * some values >= 0 of its unknown cells: unk[0] (left) and unk[1]
 * (right) say on which sides there are some, `free` that one of them may
 * be negative. */
static bool holds_with_unknowns(int64_t diff, bool unk_l, bool unk_r,
                                bool free) {
  if (free || (unk_l && unk_r))
    return true;
  if (unk_l)
    return diff <= 0; /* lhs + u = rhs */
  if (unk_r)
    return diff >= 0; /* lhs = rhs + u */
  return diff == 0;
}

/* A candidate of one row as an identity reads it. */
typedef struct cand_read {
  const slot *slots;
  size_t n;
  const int64_t *v;
  const bool *known;
  bool unk[2];
  bool free;
} cand_read;

/* A term of a per-row identity (gk__term_fn): the candidate's value;
 * an unknown cell reads 0 and is noted on its side.  False (undecided)
 * for a cell the row does not have. */
static bool cand_term(void *ctx, int side, int row, int col, int64_t *value) {
  cand_read *cr = ctx;
  for (size_t m = 0; m < cr->n; m++)
    if (cr->slots[m].row == row && cr->slots[m].col == col) {
      *value = cr->known[m] ? cr->v[m] : 0;
      if (!cr->known[m]) {
        cr->unk[side] = true;
        cr->free = cr->free || cr->slots[m].kind != GK_V_COUNT;
      }
      return true;
    }
  return false;
}

bool gk__row_holds(const gk__edition_def *ed, const gk__tabledef *t,
                   const slot *slots, size_t n, const int64_t *v,
                   const bool *known) {
  for (size_t x = 0; x < ed->n_identities; x++) {
    const gk__identity *id = &ed->identities[x];
    if (id->table != t->id || id->axis != GK_AXIS_COLS)
      continue;
    for (size_t i = 0; i < n; i++) {
      if (slots[i].col != 0 || !(id->mask & (1u << slots[i].row)))
        continue;
      cand_read cr = {slots, n, v, known, {false, false}, false};
      int64_t lhs, rhs;
      if (gk__identity_eval(id, slots[i].row, cand_term, &cr, &lhs, &rhs) ==
          GK_ID_UNDECIDED)
        continue;
      if (!holds_with_unknowns(lhs - rhs, cr.unk[0], cr.unk[1], cr.free))
        return false;
    }
  }
  return true;
}

void gk__row_plan_compile(gk__row_plan *plan, const gk__edition_def *ed,
                          const gk__tabledef *t, const slot *slots, size_t n) {
  plan->ok = false;
  plan->n_checks = 0;
  for (size_t x = 0; x < ed->n_identities; x++) {
    const gk__identity *id = &ed->identities[x];
    if (id->table != t->id || id->axis != GK_AXIS_COLS)
      continue;
    for (size_t i = 0; i < n; i++) {
      if (slots[i].col != 0 || !(id->mask & (1u << slots[i].row)))
        continue;
      if (plan->n_checks == MAX_ROW_CHECKS)
        return;
      row_check *c = &plan->checks[plan->n_checks++];
      c->undecided = false;
      c->signed_mask[0] = c->signed_mask[1] = 0;
      for (int side = 0; side < 2; side++) {
        const int8_t *terms = side ? id->rhs : id->lhs;
        size_t q = 0;
        for (; q < GK_MAX_TERMS && terms[q] >= 0; q++) {
          /* The first slot at the term's cell, as cand_term() finds it. */
          size_t m = 0;
          while (m < n &&
                 (slots[m].row != slots[i].row || slots[m].col != terms[q]))
            m++;
          if (m == n) {
            c->undecided = true;
            break;
          }
          c->slot[side][q] = (uint8_t)m;
          if (slots[m].kind != GK_V_COUNT)
            c->signed_mask[side] |= 1u << q;
        }
        c->n[side] = (uint8_t)q;
        if (q == 0)
          c->undecided = true;
        if (c->undecided)
          break;
      }
    }
  }
  plan->ok = true;
}

bool gk__row_plan_holds(const gk__row_plan *plan, const int64_t *v,
                        const bool *known) {
  for (size_t x = 0; x < plan->n_checks; x++) {
    const row_check *c = &plan->checks[x];
    if (c->undecided)
      continue;
    int64_t sum[2] = {0, 0};
    bool unk[2] = {false, false}, free = false, overflow = false;
    for (int side = 0; side < 2 && !overflow; side++)
      for (size_t q = 0; q < c->n[side]; q++) {
        size_t m = c->slot[side][q];
        if (!known[m]) {
          unk[side] = true;
          free = free || (c->signed_mask[side] >> q & 1u);
        } else if (__builtin_add_overflow(sum[side], v[m], &sum[side])) {
          overflow = true; /* undecided, as gk__identity_eval() says */
          break;
        }
      }
    if (!overflow &&
        !holds_with_unknowns(sum[0] - sum[1], unk[0], unk[1], free))
      return false;
  }
  return true;
}

fit gk__row_plan_fit(const gk__row_plan *plan, const int64_t *v,
                     const bool *known) {
  fit result = FIT_YES;
  bool decided = false;
  for (size_t x = 0; x < plan->n_checks; x++) {
    const row_check *c = &plan->checks[x];
    bool undecided = c->undecided;
    int64_t sum[2] = {0, 0};
    for (int side = 0; side < 2 && !undecided; side++)
      for (size_t q = 0; q < c->n[side] && !undecided; q++) {
        size_t m = c->slot[side][q];
        undecided =
            !known[m] || __builtin_add_overflow(sum[side], v[m], &sum[side]);
      }
    if (undecided) {
      result = FIT_UNKNOWN;
      continue;
    }
    if (sum[0] != sum[1])
      return FIT_NO;
    decided = true;
  }
  return decided ? result : FIT_UNKNOWN;
}

/* ------------------------------------------ rows with dropped blanks */

typedef struct place_job {
  const gk__edition_def *ed;
  const gk__tabledef *t;
  const slot *slots;
  size_t n;
  const gk__token *const *vals;
  size_t k;
  int64_t v[MAX_SLOTS];
  bool known[MAX_SLOTS];
  split_src src[MAX_SLOTS];
  pending_row *pr;
  long steps;
  bool overflow;
} place_job;

/* Value vi (and those after it) into slots si.. in order; the slots it
 * skips are the blanks the text dropped. */
static void place_rec(place_job *j, size_t vi, size_t si) {
  if (j->overflow || ++j->steps > MAX_PLACE_STEPS) {
    j->overflow = true;
    return;
  }
  if (vi == j->k) {
    for (size_t q = si; q < j->n; q++) {
      j->known[q] = false;
      j->v[q] = 0;
      j->src[q] = (split_src){0, 0};
    }
    if (!gk__row_holds(j->ed, j->t, j->slots, j->n, j->v, j->known))
      return;
    pending_row *pr = j->pr;
    if (pr->n_cand == MAX_PLACE_CANDIDATES) {
      j->overflow = true;
      return;
    }
    memcpy(pr->cand[pr->n_cand], j->v, sizeof j->v);
    memcpy(pr->cand_known[pr->n_cand], j->known, sizeof j->known);
    memcpy(pr->cand_src[pr->n_cand], j->src, sizeof j->src);
    pr->n_cand++;
    return;
  }
  /* Value vi goes to slot s; the slots between si and s are dropped. */
  for (size_t s = si; s + (j->k - vi) <= j->n; s++) {
    const gk__token *tok = j->vals[vi];
    j->known[s] = tok->kind == GK_TOK_NUMBER;
    j->v[s] = j->known[s] ? tok->value : 0;
    j->src[s] = (split_src){(uint32_t)tok->start, (uint32_t)tok->end};
    place_rec(j, vi + 1, s + 1);
    if (j->overflow)
      return;
    /* Slot s is dropped in the next round. */
    j->known[s] = false;
    j->v[s] = 0;
    j->src[s] = (split_src){0, 0};
  }
}

/* Whether the values stand one a line, each alone on its line, the
 * lines one after another (empty lines between them aside): a row's cells
 * as `mutool draw -F txt` prints them, a blank cell leaving no line.
 * (Issue 10; a small change beside the solver, from gk-layout.) */
static bool one_a_line(const gk__stream *s, const gk__token *const *vals,
                       size_t k) {
  if (k < 2)
    return false;
  for (size_t i = 0; i < k; i++) {
    uint32_t l = vals[i]->line;
    if (s->line_begin[l] != vals[i]->start || s->line_end[l] != vals[i]->end)
      return false;
    if (i == 0)
      continue;
    if (l <= vals[i - 1]->line)
      return false;
    for (uint32_t m = vals[i - 1]->line + 1; m < l; m++)
      if (s->line_begin[m] != s->line_end[m])
        return false;
  }
  return true;
}

/* Whether a row's value tokens can be placed by the arithmetic: whole
 * numbers (a text that marks blank cells does not drop them), each set
 * apart from the next by white space,
 * all on one line of text without a grid (or one a line, as above), none that
 * could be part of a number ("07") or cells run together (a digit run of
 * several cells where more than one cell is missing is tables_glued.c's,
 * unless `whole`: the glued reading found no cut, so each is one number;
 * or the values stand one a line, each a cell of its own). */
static bool placeable(const gk__stream *s, const gk__token *const *vals,
                      size_t k, size_t n, bool whole) {
  if (k == 0 || k >= n || n - k > MAX_PLACE_DROPS)
    return false;
  bool multi = false, stacked = one_a_line(s, vals, k);
  for (size_t i = 0; i < k; i++) {
    const gk__token *v = vals[i];
    if (s->layout->runs[v->run].table >= 0 ||
        (v->line != vals[0]->line && !stacked))
      return false;
    if (i > 0 && s->ch[v->start].brk < GK_BRK_THIN)
      return false;
    if (v->kind != GK_TOK_NUMBER || v->scale || v->sign || v->overflow ||
        v->unreadable || v->leading_zero || v->sign_word)
      return false;
    multi = multi || v->n_chars > 1;
  }
  /* Digit runs with two cells or more missing: they may be cells run
   * together ("2600000 26"), which the glued reading enumerates. */
  return !multi || k + 1 >= n || whole || stacked;
}

bool gk__pend_placements(gk__parse *p, const gk__edition_def *ed,
                         const gk__tabledef *t, const slot *slots, size_t n,
                         const gk__token *const *vals, size_t k,
                         table_notes *tn, const char *label,
                         uint32_t label_line, bool whole) {
  if (tn->n_pending == MAX_PENDING_ROWS ||
      !placeable(&p->s, vals, k, n, whole) ||
      !gk__row_has_identity(ed, t, slots, n))
    return false;
  pending_row *pr = &tn->pending[tn->n_pending];
  memset(pr, 0, sizeof *pr);
  gk__arena *a = &p->r->arena;
  pr->cand = gk__arena_alloc(a, MAX_PLACE_CANDIDATES * sizeof *pr->cand);
  pr->cand_known =
      gk__arena_alloc(a, MAX_PLACE_CANDIDATES * sizeof *pr->cand_known);
  pr->cand_src =
      gk__arena_alloc(a, MAX_PLACE_CANDIDATES * sizeof *pr->cand_src);
  if (!pr->cand || !pr->cand_known || !pr->cand_src)
    return false; /* the arena's failure is sticky: the parse reports it */
  place_job j = {
      .ed = ed, .t = t, .slots = slots, .n = n, .vals = vals, .k = k, .pr = pr};
  place_rec(&j, 0, 0);
  /* No placement its own arithmetic allows: the row reader's diagnostic
   * (too few values) stands. */
  if (!j.overflow && pr->n_cand == 0)
    return false;
  memcpy(pr->slots, slots, n * sizeof *slots);
  pr->n = n;
  pr->overflow = j.overflow;
  pr->dropped = true;
  pr->k = k;
  pr->label = label;
  pr->printed = gk__printed_tokens(p, vals, k);
  pr->line = label_line ? label_line : gk__stream_lineno(&p->s, vals[0]->start);
  for (size_t i = 0; i < n; i++) {
    slots[i].cell->state = GK_CELL_NULL;
    slots[i].cell->line = pr->line;
  }
  tn->n_pending++;
  return true;
}

/* --------------------------------------------------- the table search */

/* What candidate c of a pending row adds to one check: lhs - rhs of its
 * cells there, and on which sides it leaves a cell unknown. */
typedef struct solve_term {
  int64_t add;
  bool unk[2];
  bool free;
} solve_term;

/* One column identity at one column. */
typedef struct solve_check {
  int64_t fixed; /* lhs - rhs over the cells no pending row owns */
  /* over the searched rows from depth d on: the least and most their
   * candidates add, and whether one of them may leave a cell unknown on
   * a side (or one that may be negative) */
  int64_t rest_lo[MAX_PENDING_ROWS + 1], rest_hi[MAX_PENDING_ROWS + 1];
  bool rest_unk[2][MAX_PENDING_ROWS + 1];
  bool fixed_unk[2], fixed_free; /* the fixed cells' unknowns */
} solve_check;

typedef struct solve_job {
  table_notes *tn;
  solve_check *checks;
  size_t n_checks;
  const solve_term *terms; /* [row][candidate][check] */
  size_t order[MAX_PENDING_ROWS];
  size_t n_order;
  bool involved[MAX_PENDING_ROWS];
  /* the combination being built */
  int64_t sum[MAX_SOLVE_CHECKS];
  int unk[MAX_SOLVE_CHECKS][2];
  int free[MAX_SOLVE_CHECKS];
  size_t idx[MAX_PENDING_ROWS];
  /* results */
  bool used[MAX_PENDING_ROWS][MAX_PLACE_CANDIDATES];
  size_t holding;
  long nodes;
  bool overflow;
} solve_job;

static const solve_term *term_at(const solve_job *sj, size_t i, size_t c) {
  return sj->terms + (i * MAX_PLACE_CANDIDATES + c) * sj->n_checks;
}

/* Whether check k can still hold once rows d.. are given candidates: the
 * final lhs - rhs lies in [sum + lo, sum + hi], and an unknown that a
 * later row may bring loosens it as holds_with_unknowns() does. */
static bool still_possible(const solve_job *sj, size_t k, size_t d) {
  const solve_check *ck = &sj->checks[k];
  if (sj->free[k])
    return true;
  bool l = sj->unk[k][0] || ck->rest_unk[0][d];
  bool r = sj->unk[k][1] || ck->rest_unk[1][d];
  if (l && r)
    return true;
  int64_t lo = sj->sum[k] + ck->rest_lo[d], hi = sj->sum[k] + ck->rest_hi[d];
  if (l)
    return lo <= 0;
  if (r)
    return hi >= 0;
  return lo <= 0 && hi >= 0;
}

static void solve_rec(solve_job *sj, size_t d) {
  if (d == sj->n_order) {
    for (size_t k = 0; k < sj->n_checks; k++)
      if (!holds_with_unknowns(sj->sum[k], sj->unk[k][0] > 0, sj->unk[k][1] > 0,
                               sj->free[k] > 0))
        return;
    sj->holding++;
    for (size_t o = 0; o < sj->n_order; o++)
      sj->used[sj->order[o]][sj->idx[o]] = true;
    return;
  }
  size_t row = sj->order[d];
  for (size_t c = 0; c < sj->tn->pending[row].n_cand; c++) {
    if (++sj->nodes > MAX_SOLVE_NODES) {
      sj->overflow = true;
      return;
    }
    const solve_term *st = term_at(sj, row, c);
    for (size_t k = 0; k < sj->n_checks; k++) {
      sj->sum[k] += st[k].add;
      sj->unk[k][0] += st[k].unk[0];
      sj->unk[k][1] += st[k].unk[1];
      sj->free[k] += st[k].free;
    }
    bool ok = true;
    for (size_t k = 0; k < sj->n_checks && ok; k++)
      ok = still_possible(sj, k, d + 1);
    if (ok) {
      sj->idx[d] = c;
      solve_rec(sj, d + 1);
    }
    for (size_t k = 0; k < sj->n_checks; k++) {
      sj->sum[k] -= st[k].add;
      sj->unk[k][0] -= st[k].unk[0];
      sj->unk[k][1] -= st[k].unk[1];
      sj->free[k] -= st[k].free;
    }
    if (sj->overflow)
      return;
  }
}

/*
 * The search reads the column identities through gk__identity_eval()
 * (format/identity.c), the one place that knows how an identity's terms
 * are laid out and summed.  An identity at one column is linear in its
 * cells, so what it says about a combination is the sum of parts
 * evaluated apart: the fixed cells alone (the pending rows' cells read as
 * 0), and each candidate of each pending row alone (every other cell read
 * as 0); the search adds those parts.
 */
typedef struct solve_read {
  const gk__tabledef *def;
  const gk__table *t;
  const table_notes *tn;
  /* [row * max_cols + col]: 1 + the pending row that owns the cell (0: a
   * fixed cell), and its slot there. */
  const uint8_t *owner;
  const uint8_t *owner_slot;
  int row_i;   /* the pending row whose candidate is read; -1: fixed cells */
  size_t cand; /* ... and which candidate */
  uint32_t touched; /* pending rows owning a term (fixed pass) */
  bool unk[2], free;
} solve_read;

/* A term of a column identity (gk__term_fn), read as the pass reads it.
 * False (the identity cannot be judged there) for a row or column the
 * table does not have, or a fixed cell with a fraction. */
static bool solve_term_value(void *ctx, int side, int row, int col,
                             int64_t *value) {
  solve_read *sr = ctx;
  if (row < 0 || row >= sr->def->n_rows || col < 0 ||
      col >= sr->def->rows[row].n_cols)
    return false;
  size_t at = (size_t)row * sr->def->max_cols + (size_t)col;
  int owner = (int)sr->owner[at] - 1;
  bool count = sr->def->rows[row].cols[col].kind == GK_V_COUNT;
  *value = 0;
  if (sr->row_i < 0) {
    if (owner >= 0) {
      sr->touched |= 1u << owner;
      return true;
    }
    const gk__cell *cell = gk__table_cell(sr->t, row, col);
    if (cell->state != GK_CELL_VALUE) {
      sr->unk[side] = true;
      sr->free = sr->free || !count;
      return true;
    }
    if (cell->scale)
      return false;
    *value = cell->value;
    return true;
  }
  if (owner != sr->row_i)
    return true;
  const pending_row *pr = &sr->tn->pending[owner];
  size_t q = sr->owner_slot[at];
  if (!pr->cand_known[sr->cand][q]) {
    sr->unk[side] = true;
    sr->free = sr->free || !count;
    return true;
  }
  *value = pr->cand[sr->cand][q];
  return true;
}

/* Builds the checks of the table's column identities into sj.  Returns
 * false when one of them fails whatever the pending rows hold (its cells
 * are all fixed and cannot add up): the table's arithmetic is broken, and
 * no placement is taken from it. */
static bool solve_prepare(gk__parse *p, const gk__edition_def *ed,
                          const gk__tabledef *def, gk__table *t,
                          solve_job *sj) {
  table_notes *tn = sj->tn;
  size_t m = tn->n_pending;
  size_t n_cells = (size_t)def->n_rows * def->max_cols;
  uint8_t *owner = gk__arena_calloc(&p->r->arena, n_cells ? n_cells : 1, 2);
  if (!owner)
    return false;
  /* A row whose candidates were too many to keep owns no cell: its
   * cells are null, unknown to every check. */
  for (size_t i = 0; i < m; i++)
    for (size_t q = 0; q < tn->pending[i].n && !tn->pending[i].overflow; q++) {
      size_t at = (size_t)(tn->pending[i].slots[q].cell - t->cells);
      if (at < n_cells) {
        owner[at] = (uint8_t)(i + 1);
        owner[n_cells + at] = (uint8_t)q;
      }
    }
  solve_read sr = {.def = def,
                   .t = t,
                   .tn = tn,
                   .owner = owner,
                   .owner_slot = owner + n_cells};
  const gk__identity *ids[MAX_SOLVE_CHECKS];
  int cols[MAX_SOLVE_CHECKS];
  uint32_t touched[MAX_SOLVE_CHECKS];
  solve_check fixed[MAX_SOLVE_CHECKS];
  size_t n = 0;
  for (size_t x = 0; x < ed->n_identities; x++) {
    const gk__identity *id = &ed->identities[x];
    if (id->table != def->id || id->axis != GK_AXIS_ROWS)
      continue;
    for (int col = 0; col < def->max_cols; col++) {
      if (!(id->mask & (1u << col)))
        continue;
      int64_t lhs, rhs;
      sr.row_i = -1;
      sr.touched = 0;
      sr.unk[0] = sr.unk[1] = sr.free = false;
      if (gk__identity_eval(id, col, solve_term_value, &sr, &lhs, &rhs) ==
          GK_ID_UNDECIDED)
        continue; /* cannot be judged whatever the pending rows hold */
      if (!sr.touched) {
        if (!holds_with_unknowns(lhs - rhs, sr.unk[0], sr.unk[1], sr.free))
          return false;
        continue;
      }
      if (n == MAX_SOLVE_CHECKS)
        return false;
      ids[n] = id;
      cols[n] = col;
      touched[n] = sr.touched;
      memset(&fixed[n], 0, sizeof fixed[n]);
      fixed[n].fixed = lhs - rhs;
      fixed[n].fixed_unk[0] = sr.unk[0];
      fixed[n].fixed_unk[1] = sr.unk[1];
      fixed[n].fixed_free = sr.free;
      n++;
    }
  }
  sj->n_checks = n;
  solve_term *terms = gk__arena_calloc(
      &p->r->arena, (m ? m : 1) * MAX_PLACE_CANDIDATES * (n ? n : 1),
      sizeof *terms);
  solve_check *checks =
      gk__arena_calloc(&p->r->arena, n ? n : 1, sizeof *checks);
  if (!terms || !checks)
    return false;
  sj->terms = terms;
  sj->checks = checks;
  for (size_t k = 0; k < n; k++) {
    checks[k] = fixed[k];
    sj->sum[k] = fixed[k].fixed;
    sj->unk[k][0] = fixed[k].fixed_unk[0];
    sj->unk[k][1] = fixed[k].fixed_unk[1];
    sj->free[k] = fixed[k].fixed_free;
    for (size_t i = 0; i < m; i++) {
      if (!(touched[k] & (1u << i)))
        continue;
      sj->involved[i] = true;
      sr.row_i = (int)i;
      for (size_t c = 0; c < tn->pending[i].n_cand; c++) {
        solve_term *st = &terms[(i * MAX_PLACE_CANDIDATES + c) * n + k];
        int64_t lhs, rhs;
        sr.cand = c;
        sr.unk[0] = sr.unk[1] = sr.free = false;
        if (gk__identity_eval(ids[k], cols[k], solve_term_value, &sr, &lhs,
                              &rhs) == GK_ID_UNDECIDED) {
          st->free = true; /* the check cannot judge this candidate */
          continue;
        }
        st->add = lhs - rhs;
        st->unk[0] = sr.unk[0];
        st->unk[1] = sr.unk[1];
        st->free = sr.free;
      }
    }
  }
  sj->n_order = 0;
  for (size_t i = 0; i < m; i++)
    if (sj->involved[i])
      sj->order[sj->n_order++] = i;
  for (size_t k = 0; k < n; k++) {
    solve_check *ck = &checks[k];
    for (size_t o = sj->n_order; o-- > 0;) {
      size_t i = sj->order[o];
      int64_t lo = 0, hi = 0;
      bool ul = false, ur = false;
      for (size_t c = 0; c < tn->pending[i].n_cand; c++) {
        const solve_term *st = term_at(sj, i, c);
        if (c == 0 || st[k].add < lo)
          lo = st[k].add;
        if (c == 0 || st[k].add > hi)
          hi = st[k].add;
        ul = ul || st[k].unk[0] || st[k].free;
        ur = ur || st[k].unk[1] || st[k].free;
      }
      if (__builtin_add_overflow(ck->rest_lo[o + 1], lo, &ck->rest_lo[o]) ||
          __builtin_add_overflow(ck->rest_hi[o + 1], hi, &ck->rest_hi[o]))
        return false;
      ck->rest_unk[0][o] = ck->rest_unk[0][o + 1] || ul;
      ck->rest_unk[1][o] = ck->rest_unk[1][o + 1] || ur;
    }
  }
  return true;
}

/* ------------------------------------------------------ the outcome */

/* Candidates a diagnostic lists; more are "等". */
#define MAX_LISTED 3

/* "5、空、0、…；5、0、空、…" for the candidates of row i that hold (all
 * when none does). */
static void list_candidates(gk__buf *b, const pending_row *pr, const bool *used,
                            bool any, size_t *shown, size_t *total) {
  *shown = *total = 0;
  for (size_t c = 0; c < pr->n_cand; c++) {
    if (any && !used[c])
      continue;
    (*total)++;
    if (*shown == MAX_LISTED)
      continue;
    gk__buf_puts(b, *shown ? "；" : "");
    gk__values_text(b, pr->cand[c], pr->cand_known[c], pr->n);
    (*shown)++;
  }
}

/* The cell.blank diagnostics of a row placed with dropped blanks, one
 * per model row, as the row reader gives them. */
static void blank_diags(gk__parse *p, const gk__tabledef *t,
                        const pending_row *pr, const bool *known) {
  for (size_t i = 0; i < pr->n;) {
    int row = pr->slots[i].row;
    size_t j = i, blanks = 0;
    char cols[200] = "";
    size_t clen = 0;
    while (j < pr->n && pr->slots[j].row == row) {
      if (!known[j]) {
        blanks++;
        const gk__rowdef *rd = &t->rows[row];
        if (!rd->scalar && clen < sizeof cols - 40) {
          int w = snprintf(cols + clen, sizeof cols - clen, "“%s”",
                           rd->cols[pr->slots[j].col].label.text);
          if (w > 0)
            clen += (size_t)w;
        }
      }
      j++;
    }
    if (blanks) {
      char *path = gk__row_path(p->r, t, row);
      if (blanks == j - i && j - i > 1)
        gk__diag_rule(p->r, GK_R_CELL_BLANK, pr->line, path,
                      "%s“%s”%zu 个单元格为空（应填 0）",
                      gk__table_part_name(t->id), row_display(t, row), blanks);
      else
        gk__diag_rule(p->r, GK_R_CELL_BLANK, pr->line, path,
                      "%s“%s”行%s列为空（应填 0）", gk__table_part_name(t->id),
                      row_display(t, row), cols);
    }
    i = j;
  }
}

/* Places a row with dropped blanks by candidate c. */
static void place_row(gk__parse *p, const gk__tabledef *def,
                      const pending_row *pr, size_t c) {
  for (size_t i = 0; i < pr->n; i++) {
    gk__cell *cell = pr->slots[i].cell;
    cell->state = GK_CELL_NULL;
    cell->value = 0;
    cell->scale = 0;
    cell->line = pr->line;
    cell->text = NULL;
    cell->page = 0;
    const split_src *src = &pr->cand_src[c][i];
    if (src->end > src->start)
      gk__cell_provenance_at(p, cell, src->start, src->end);
    if (pr->cand_known[c][i]) {
      cell->state = GK_CELL_VALUE;
      cell->value = pr->cand[c][i];
    }
  }
  blank_diags(p, def, pr, pr->cand_known[c]);
}

/*
 * The cells of a row on which every candidate that holds agrees: the same
 * number wherever the row's values go (the candidates differ in the other
 * cells only, as a 0 and a dropped blank side by side: "3 492 0 14 509"
 * places 3, 492, 14 and 509 whichever of the two cells holds the 0).
 * Stores those into the row's cells and returns how many; the others stay
 * null.
 */
static size_t place_agreed(gk__parse *p, const pending_row *pr,
                           const bool *used) {
  size_t agreed = 0;
  for (size_t q = 0; q < pr->n; q++) {
    long first = -1;
    bool same = true, same_src = true;
    for (size_t c = 0; c < pr->n_cand && same; c++) {
      if (!used[c])
        continue;
      if (first < 0) {
        first = (long)c;
        continue;
      }
      const size_t f = (size_t)first;
      same = pr->cand_known[c][q] && pr->cand_known[f][q] &&
             pr->cand[c][q] == pr->cand[f][q];
      same_src = same_src &&
                 pr->cand_src[c][q].start == pr->cand_src[f][q].start &&
                 pr->cand_src[c][q].end == pr->cand_src[f][q].end;
    }
    if (first < 0 || !same)
      continue;
    gk__cell *cell = pr->slots[q].cell;
    const split_src *src = &pr->cand_src[first][q];
    cell->line = pr->line;
    cell->text = NULL;
    cell->page = 0;
    if (same_src && src->end > src->start)
      gk__cell_provenance_at(p, cell, src->start, src->end);
    cell->state = GK_CELL_VALUE;
    cell->value = pr->cand[first][q];
    cell->scale = 0;
    agreed++;
  }
  return agreed;
}

/* What both diagnostics of a row left null begin with: the row's path
 * (the table's key for table 4's one line) and, unless a search ran out,
 * the holding candidates listed into b (initialised here; the caller
 * frees it), with how many were shown and how many there are. */
static char *listed_candidates(gk__parse *p, const gk__tabledef *def,
                               const pending_row *pr, const bool *used,
                               bool any, bool overflow, gk__buf *b,
                               size_t *shown, size_t *total) {
  gk__buf_init(b, 1024);
  if (!overflow && !pr->overflow)
    list_candidates(b, pr, used, any, shown, total);
  gk__buf_oom_to(b, &p->r->arena);
  return def->layout == GK_LAYOUT_BLOCKS
             ? (char *)def->key
             : gk__row_path(p->r, def, pr->slots[0].row);
}

/* A row with dropped blanks left null: the row reader's diagnostic, with
 * the placements the arithmetic leaves when there are several. */
static void unplaced_diag(gk__parse *p, const gk__tabledef *def,
                          const pending_row *pr, const bool *used, bool any,
                          bool overflow, size_t agreed) {
  gk__buf b;
  size_t shown = 0, total = 0;
  char *path =
      listed_candidates(p, def, pr, used, any, overflow, &b, &shown, &total);
  if (total > 1 && agreed)
    gk__diag_rule(p->r, GK_R_CELL_BLANK, pr->line, path,
                  "%s“%s”只读到 %zu 个数字，应有 %zu 个，表格的算术关系允许 "
                  "%zu 种放法（%s%s），已读取各种放法都相同的 %zu 个单元格，"
                  "其余无法确定，按空处理",
                  gk__table_part_name(def->id), pr->label, pr->k, pr->n, total,
                  b.data ? b.data : "", total > shown ? "等" : "", agreed);
  else if (total > 1)
    gk__diag_rule(p->r, GK_R_CELL_BLANK, pr->line, path,
                  "%s“%s”只读到 %zu 个数字，应有 %zu 个，表格的算术关系允许 "
                  "%zu 种放法（%s%s），无法确定各数字所在列，该行按空处理",
                  gk__table_part_name(def->id), pr->label, pr->k, pr->n, total,
                  b.data ? b.data : "", total > shown ? "等" : "");
  else
    gk__diag_rule(p->r, GK_R_CELL_BLANK, pr->line, path,
                  "%s“%s”只读到 %zu 个数字，应有 %zu 个，无法确定各数字所在"
                  "列，该行按空处理",
                  gk__table_part_name(def->id), pr->label, pr->k, pr->n);
  gk__buf_free(&b);
}

/* A glued row left null: cell.ambiguous with the cuts that hold. */
static void glued_diag(gk__parse *p, const gk__tabledef *def,
                       const pending_row *pr, const bool *used, bool any,
                       bool overflow, size_t agreed) {
  gk__buf b;
  size_t shown = 0, total = 0;
  char *path =
      listed_candidates(p, def, pr, used, any, overflow, &b, &shown, &total);
  if (total && agreed)
    gk__diag_rule(p->r, GK_R_CELL_AMBIGUOUS, pr->line, path,
                  "%s“%s”的数字连写为“%s”，有 %zu 种拆分，表格的算术关系"
                  "无法区分（%s%s），已读取各种拆分都相同的 %zu 个单元格，"
                  "其余按空处理",
                  gk__table_part_name(def->id), pr->label, pr->printed, total,
                  b.data ? b.data : "", total > shown ? "等" : "", agreed);
  else if (total)
    gk__diag_rule(p->r, GK_R_CELL_AMBIGUOUS, pr->line, path,
                  "%s“%s”的数字连写为“%s”，有 %zu 种拆分，表格的算术关系"
                  "无法区分（%s%s），这些单元格按空处理",
                  gk__table_part_name(def->id), pr->label, pr->printed, total,
                  b.data ? b.data : "", total > shown ? "等" : "");
  else
    gk__diag_rule(p->r, GK_R_CELL_AMBIGUOUS, pr->line, path,
                  "%s“%s”的数字连写为“%s”，可能的拆分过多，无法确定，"
                  "这些单元格按空处理",
                  gk__table_part_name(def->id), pr->label, pr->printed);
  gk__buf_free(&b);
}

/* ------------------------------------------- unforced rows confirmed */

/* A term of a column identity (gk__term_fn) over the table's cells as
 * read, the unforced row's cells as one reading of it (values v, known[]:
 * read) gives them.  An unknown cell reads 0 and is noted on its side, as
 * the search does; a cell with a fraction is undecided.  A cell of
 * another unforced row of the table not yet confirmed (unsettled[]) is
 * unknown too: its row has other readings, and a reading of this row that
 * fails against its cut as read may hold against another of its readings
 * (issue 10: two rows of "1000001" kind confirmed each other as read). */
typedef struct confirm_read {
  const gk__table *t;
  const gk__unforced_row *u;
  const int64_t *v;
  const bool *known;
  const uint8_t *unsettled; /* per cell of the table: 1 not settled */
  size_t involved;          /* terms of the identity in the row */
  bool all_known;           /* every term is a number read and settled */
  bool unk[2], free;
} confirm_read;

static bool confirm_term(void *ctx, int side, int row, int col,
                         int64_t *value) {
  confirm_read *cr = ctx;
  const gk__tabledef *def = cr->t->def;
  if (row < 0 || row >= def->n_rows || col < 0 || col >= def->rows[row].n_cols)
    return false;
  const gk__cell *c = gk__table_cell(cr->t, row, col);
  bool count = def->rows[row].cols[col].kind == GK_V_COUNT;
  *value = 0;
  for (size_t q = 0; q < cr->u->n; q++)
    if (cr->u->cells[q] == c) {
      cr->involved++;
      if (cr->known[q]) {
        *value = cr->v[q];
        return true;
      }
      cr->all_known = false;
      cr->unk[side] = true;
      cr->free = cr->free || !count;
      return true;
    }
  if (c->state != GK_CELL_VALUE || cr->unsettled[c - cr->t->cells]) {
    cr->all_known = false;
    cr->unk[side] = true;
    cr->free = cr->free || !count;
    return true;
  }
  if (c->scale)
    return false;
  *value = c->value;
  return true;
}

/* Whether reading (v, known) of row u holds over every column identity of
 * table t, blanks and unsettled cells unknown (>= 0); *judged: whether
 * some identity decided over the row has a term in it.  (A row's readings
 * are judged by its gk__confirm_plan, built once; this is the general
 * path, for a row too large for a plan.) */
bool gk__reading_holds(const gk__edition_def *ed, const gk__table *t,
                       const uint8_t *unsettled, const gk__unforced_row *u,
                       const int64_t *v, const bool *known, bool *judged) {
  const gk__tabledef *def = t->def;
  *judged = false;
  for (size_t x = 0; x < ed->n_identities; x++) {
    const gk__identity *id = &ed->identities[x];
    if (id->table != def->id || id->axis != GK_AXIS_ROWS)
      continue;
    for (size_t q = 0; q < u->n; q++) {
      size_t at = (size_t)(u->cells[q] - t->cells);
      int col = (int)(at % def->max_cols);
      if (!(id->mask & (1u << col)))
        continue;
      confirm_read cr = {t,    u, v, known, unsettled, 0, true, {false, false},
                         false};
      int64_t lhs, rhs;
      if (gk__identity_eval(id, col, confirm_term, &cr, &lhs, &rhs) ==
              GK_ID_UNDECIDED ||
          cr.involved == 0)
        continue;
      *judged = true;
      if (!holds_with_unknowns(lhs - rhs, cr.unk[0], cr.unk[1], cr.free))
        return false;
    }
  }
  return true;
}

/* Check c of identity id at the column of row u's cell q (slot_map set
 * for u): 1 decided with a term in the row, 0 not (undecided, or no term
 * in the row), -1 more terms in the row than a check keeps. */
static int build_check(confirm_check *c, const gk__identity *id,
                       const gk__table *t, const uint8_t *unsettled,
                       const uint8_t *slot_map, size_t q, int col) {
  const gk__tabledef *def = t->def;
  *c = (confirm_check){.at = (uint8_t)q, .all_known = true};
  for (int side = 0; side < 2; side++) {
    const int8_t *terms = side ? id->rhs : id->lhs;
    size_t k = 0;
    for (; k < GK_MAX_TERMS && terms[k] >= 0; k++) {
      int row = (int)terms[k]; /* >= 0: the loop stops at -1 */
      if (row >= def->n_rows || col >= def->rows[row].n_cols)
        return 0;
      const gk__cell *cell = gk__table_cell(t, row, col);
      size_t place = (size_t)(cell - t->cells);
      bool count = def->rows[row].cols[col].kind == GK_V_COUNT;
      if (slot_map[place]) {
        if (c->n_in == MAX_CONFIRM_TERMS)
          return -1;
        c->q[c->n_in] = (uint8_t)(slot_map[place] - 1);
        c->right |= (uint8_t)(side << c->n_in);
        c->loose |= (uint8_t)(!count << c->n_in);
        c->n_in++;
      } else if (cell->state != GK_CELL_VALUE || unsettled[place]) {
        c->all_known = false;
        c->unk[side] = true;
        c->free = c->free || !count;
      } else if (cell->scale ||
                 __builtin_add_overflow(c->fixed[side], cell->value,
                                        &c->fixed[side])) {
        return 0;
      }
    }
    if (k == 0)
      return 0;
  }
  return c->n_in > 0;
}

static bool check_sums(const confirm_check *c, const int64_t *v,
                       const bool *known, int64_t *sum, bool *unk, bool *free,
                       bool *all_known);

void gk__slot_map(uint8_t *slot_map, const gk__table *t,
                  const gk__unforced_row *u, bool on) {
  for (size_t q = u->n; q-- > 0;)
    slot_map[u->cells[q] - t->cells] = on ? (uint8_t)(q + 1) : 0;
}

int gk__cell_pinned_mapped(const gk__edition_def *ed, const gk__table *t,
                           const uint8_t *unsettled, const uint8_t *slot_map,
                           const gk__unforced_row *u, const int64_t *v,
                           const bool *known, size_t q) {
  const gk__tabledef *def = t->def;
  int col = (int)((size_t)(u->cells[q] - t->cells) % def->max_cols);
  for (size_t x = 0; x < ed->n_identities; x++) {
    const gk__identity *id = &ed->identities[x];
    if (id->table != def->id || id->axis != GK_AXIS_ROWS ||
        !(id->mask & (1u << col)))
      continue;
    confirm_check c;
    int got = build_check(&c, id, t, unsettled, slot_map, q, col);
    if (got < 0)
      return -1;
    int64_t sum[2];
    bool unk[2], free, all_known;
    if (got > 0 && c.n_in == 1 &&
        check_sums(&c, v, known, sum, unk, &free, &all_known) && all_known &&
        sum[0] == sum[1])
      return 1;
  }
  return 0;
}

/* Builds the plan (all_checks) or only finds whether it has a check
 * (!all_checks: pl->judged, the first check found ends it; pl->n 0). */
static bool plan_build(gk__confirm_plan *pl, const gk__edition_def *ed,
                       const gk__table *t, const uint8_t *unsettled,
                       uint8_t *slot_map, const gk__unforced_row *u,
                       bool all_checks) {
  const gk__tabledef *def = t->def;
  pl->ok = true;
  pl->judged = false;
  pl->n = 0;
  /* slot_map: 1 + the row's first cell at each place of the table. */
  for (size_t q = u->n; q-- > 0;)
    slot_map[u->cells[q] - t->cells] = (uint8_t)(q + 1);
  for (size_t x = 0; x < ed->n_identities && pl->ok; x++) {
    const gk__identity *id = &ed->identities[x];
    if (id->table != def->id || id->axis != GK_AXIS_ROWS)
      continue;
    for (size_t q = 0; q < u->n && pl->ok; q++) {
      int col = (int)((size_t)(u->cells[q] - t->cells) % def->max_cols);
      if (!(id->mask & (1u << col)))
        continue;
      confirm_check c;
      int got = build_check(&c, id, t, unsettled, slot_map, q, col);
      if (got < 0 || (got > 0 && pl->n == MAX_CONFIRM_CHECKS)) {
        pl->ok = false;
      } else if (got > 0) {
        pl->judged = true;
        if (!all_checks)
          break;
        pl->checks[pl->n++] = c;
      }
    }
    if (pl->judged && !all_checks)
      break;
  }
  for (size_t q = 0; q < u->n; q++)
    slot_map[u->cells[q] - t->cells] = 0;
  return pl->ok;
}

bool gk__confirm_plan_build(gk__confirm_plan *pl, const gk__edition_def *ed,
                            const gk__table *t, const uint8_t *unsettled,
                            uint8_t *slot_map, const gk__unforced_row *u) {
  return plan_build(pl, ed, t, unsettled, slot_map, u, true);
}

bool gk__row_judged(const gk__edition_def *ed, const gk__table *t,
                    const uint8_t *unsettled, uint8_t *slot_map,
                    const gk__unforced_row *u) {
  gk__confirm_plan pl;
  if (plan_build(&pl, ed, t, unsettled, slot_map, u, false))
    return pl.judged;
  /* A check too large for a plan: the general path. */
  int64_t v[MAX_SLOTS];
  bool known[MAX_SLOTS], judged;
  for (size_t q = 0; q < u->n; q++) {
    known[q] = u->cells[q]->state == GK_CELL_VALUE;
    v[q] = known[q] ? u->cells[q]->value : 0;
  }
  (void)gk__reading_holds(ed, t, unsettled, u, v, known, &judged);
  return judged;
}

/* Check c over reading (v, known): lhs and rhs (false when a sum
 * overflows: undecided), with the unknowns. */
static bool check_sums(const confirm_check *c, const int64_t *v,
                       const bool *known, int64_t *sum, bool *unk, bool *free,
                       bool *all_known) {
  sum[0] = c->fixed[0];
  sum[1] = c->fixed[1];
  unk[0] = c->unk[0];
  unk[1] = c->unk[1];
  *free = c->free;
  *all_known = c->all_known;
  for (size_t i = 0; i < c->n_in; i++) {
    size_t q = c->q[i];
    int side = c->right >> i & 1;
    if (!known[q]) {
      *all_known = false;
      unk[side] = true;
      *free = *free || (c->loose >> i & 1);
    } else if (__builtin_add_overflow(sum[side], v[q], &sum[side])) {
      return false;
    }
  }
  return true;
}

bool gk__confirm_plan_holds(const gk__confirm_plan *pl, const int64_t *v,
                            const bool *known) {
  for (size_t x = 0; x < pl->n; x++) {
    int64_t sum[2];
    bool unk[2], free, all_known;
    if (check_sums(&pl->checks[x], v, known, sum, unk, &free, &all_known) &&
        !holds_with_unknowns(sum[0] - sum[1], unk[0], unk[1], free))
      return false;
  }
  return true;
}

bool gk__confirm_plan_pinned(const gk__confirm_plan *pl, const int64_t *v,
                             const bool *known, size_t q) {
  for (size_t x = 0; x < pl->n; x++) {
    const confirm_check *c = &pl->checks[x];
    int64_t sum[2];
    bool unk[2], free, all_known;
    if (c->at == q && c->n_in == 1 &&
        check_sums(c, v, known, sum, unk, &free, &all_known) && all_known &&
        sum[0] == sum[1])
      return true;
  }
  return false;
}

/*
 * The unforced rows of table t whose readings are all known (u->alt_all),
 * settled together: one search (solve_rec(), MAX_SOLVE_NODES) over every
 * combination of their readings against the table's column identities,
 * the other cells as read (blank: an unknown >= 0).  The rows unforced
 * without all their readings known are unknown to it (their cells read
 * null while it runs): one reading of theirs is no more certain than
 * another.  Each row learns which of its readings some combination that
 * holds uses (u->joint, u->use); gk__settle_unforced() keeps the cells on
 * which those agree.  Taking the rows one at a time against the others as
 * read (above) cannot do this: in a text that may drop blank cells every
 * row of table 3 has other readings, and a column's identity rules a
 * reading out only with the other rows' cells settled.  Nothing is found
 * when the search runs out or no combination holds (the table's
 * arithmetic is broken, or a row's reading lies beyond the bounds).
 */
static void joint_unforced(gk__parse *p, const gk__edition_def *ed,
                           const gk__tabledef *def, gk__table *t) {
  size_t n_cells = (size_t)def->n_rows * def->max_cols;
  size_t member[MAX_PENDING_ROWS], m = 0;
  bool any_column = false;
  for (size_t x = 0; x < ed->n_identities && !any_column; x++)
    any_column = ed->identities[x].table == def->id &&
                 ed->identities[x].axis == GK_AXIS_ROWS;
  if (!any_column)
    return;
  for (size_t i = 0; i < p->n_unforced; i++) {
    gk__unforced_row *u = &p->unforced[i];
    if (u->n == 0 || u->cells[0] < t->cells ||
        u->cells[0] >= t->cells + n_cells)
      continue;
    if (u->alt_all && m < MAX_PENDING_ROWS)
      member[m++] = i;
  }
  if (m == 0)
    return;
  table_notes *tn = gk__arena_calloc(&p->r->arena, 1, sizeof *tn);
  solve_job *sj = gk__arena_calloc(&p->r->arena, 1, sizeof *sj);
  if (!tn || !sj)
    return; /* sticky: the parse reports it */
  /* The rows known only by one reading: unknown while the search runs. */
  gk__cell *hidden[MAX_UNFORCED_ROWS * MAX_SLOTS];
  uint8_t was[MAX_UNFORCED_ROWS * MAX_SLOTS];
  size_t n_hidden = 0;
  for (size_t i = 0; i < p->n_unforced; i++) {
    gk__unforced_row *u = &p->unforced[i];
    if (u->n == 0 || u->cells[0] < t->cells ||
        u->cells[0] >= t->cells + n_cells || u->alt_all || u->confirmed)
      continue;
    for (size_t q = 0; q < u->n; q++) {
      hidden[n_hidden] = u->cells[q];
      was[n_hidden++] = u->cells[q]->state;
      u->cells[q]->state = GK_CELL_NULL;
    }
  }
  bool ok = true;
  for (size_t g = 0; g < m && ok; g++) {
    const gk__unforced_row *u = &p->unforced[member[g]];
    pending_row *pr = &tn->pending[g];
    memcpy(pr->slots, u->slots, u->n * sizeof *u->slots);
    pr->n = u->n;
    pr->n_cand = 1 + u->n_alt;
    pr->cand = gk__arena_alloc(&p->r->arena, pr->n_cand * sizeof *pr->cand);
    pr->cand_known =
        gk__arena_alloc(&p->r->arena, pr->n_cand * sizeof *pr->cand_known);
    ok = pr->cand && pr->cand_known;
    for (size_t q = 0; ok && q < u->n; q++) {
      pr->cand_known[0][q] = u->cells[q]->state == GK_CELL_VALUE;
      pr->cand[0][q] = pr->cand_known[0][q] ? u->cells[q]->value : 0;
    }
    for (size_t a = 0; ok && a < u->n_alt; a++) {
      memcpy(pr->cand[1 + a], u->alt[a], sizeof pr->cand[0]);
      memcpy(pr->cand_known[1 + a], u->alt_known[a], sizeof pr->cand_known[0]);
    }
  }
  tn->n_pending = m;
  sj->tn = tn;
  bool found = ok && solve_prepare(p, ed, def, t, sj);
  if (found) {
    solve_rec(sj, 0);
    found = !sj->overflow && sj->holding > 0;
  }
  for (size_t h = 0; h < n_hidden; h++)
    hidden[h]->state = was[h];
  if (!found)
    return;
  for (size_t g = 0; g < m; g++) {
    gk__unforced_row *u = &p->unforced[member[g]];
    u->joint = true;
    for (size_t c = 0; c < tn->pending[g].n_cand; c++)
      u->use[c] = !sj->involved[g] || sj->used[g][c];
  }
}

/* Marks row u of table t confirmed: its cells are settled from now on. */
static void confirm_row(const gk__table *t, uint8_t *unsettled,
                        gk__unforced_row *u) {
  u->confirmed = true;
  for (size_t q = 0; q < u->n; q++)
    unsettled[u->cells[q] - t->cells] = 0;
}

/* The cut of row u: its cells as read. */
static void cut_of(const gk__unforced_row *u, int64_t *v, bool *known) {
  for (size_t q = 0; q < u->n; q++) {
    known[q] = u->cells[q]->state == GK_CELL_VALUE;
    v[q] = known[q] ? u->cells[q]->value : 0;
  }
}

/* Whether cell q of the cut (v, known) of row u is pinned by some column
 * identity: one that holds over it, whose every other term is a settled
 * number and which has no other term in the row (then it gives the cell
 * exactly, whatever reading the table's other rows take); stops at the
 * first identity that pins it. */
bool gk__cell_pinned(const gk__edition_def *ed, const gk__table *t,
                     const uint8_t *unsettled, const gk__unforced_row *u,
                     const int64_t *v, const bool *known, size_t q) {
  const gk__tabledef *def = t->def;
  int col = (int)((size_t)(u->cells[q] - t->cells) % def->max_cols);
  for (size_t x = 0; x < ed->n_identities; x++) {
    const gk__identity *id = &ed->identities[x];
    if (id->table != def->id || id->axis != GK_AXIS_ROWS ||
        !(id->mask & (1u << col)))
      continue;
    confirm_read cr = {t,    u, v, known, unsettled, 0, true, {false, false},
                       false};
    int64_t lhs, rhs;
    if (gk__identity_eval(id, col, confirm_term, &cr, &lhs, &rhs) !=
            GK_ID_UNDECIDED &&
        cr.involved == 1 && cr.all_known && lhs == rhs)
      return true;
  }
  return false;
}

/* Whether every cell of the cut of row u is known and pinned and the cut
 * holds over the table (then it is confirmed).  The cells are tried in
 * turn, and the first one not pinned ends it: while the other rows are
 * unsettled, that is the first cell of nearly every row, and the table's
 * rows are tried again after each row settles. */
static bool cut_pinned(const gk__edition_def *ed, const gk__table *t,
                       const uint8_t *unsettled, uint8_t *slot_map,
                       const gk__unforced_row *u) {
  int64_t v[MAX_SLOTS];
  bool known[MAX_SLOTS], judged, all = true;
  cut_of(u, v, known);
  gk__slot_map(slot_map, t, u, true);
  for (size_t q = 0; q < u->n && all; q++) {
    int pinned = known[q] ? gk__cell_pinned_mapped(ed, t, unsettled, slot_map,
                                                   u, v, known, q)
                          : 0;
    all = pinned > 0 ||
          (pinned < 0 && gk__cell_pinned(ed, t, unsettled, u, v, known, q));
  }
  gk__slot_map(slot_map, t, u, false);
  if (!all)
    return false;
  gk__confirm_plan plan;
  return gk__confirm_plan_build(&plan, ed, t, unsettled, slot_map, u)
             ? gk__confirm_plan_holds(&plan, v, known)
             : gk__reading_holds(ed, t, unsettled, u, v, known, &judged);
}

/*
 * An unforced row of table t (tables_glued.c) is confirmed when no other
 * reading of its digits can hold in any reading of the table: its cut is
 * then the one the text allows.  Settled cells are those of rows read
 * alone (one reading) and of rows confirmed so far; a cell of an unforced
 * row not confirmed is an unknown count (>= 0) to the identities, as a
 * blank is: every reading its row may take is one of those.  Until nothing
 * changes:
 *
 *  - pins: a row every cell of which an identity gives exactly (its other
 *    terms settled numbers, no other term in the row) is confirmed without
 *    searching its other readings: another reading differs in a pinned
 *    cell, and fails there, or leaves it a dropped blank, and then prints
 *    fewer digits;
 *  - search: a row that is not pinned has its other readings searched
 *    (gk__unforced_search; rows no column identity reaches wait for
 *    gk__settle_unforced): a row found forced is settled and may pin
 *    others;
 *  - exclusion: a row whose cut holds and whose other readings, all known,
 *    each fail an identity is confirmed.
 *
 * Before issue 10's sixth pass the pins took every other row as read: two
 * glued rows of one column identity, each with other readings (d00191's
 * "1000001" and its 总计), pinned each other, and a reading with two
 * dropped blanks that the text allows as well was never looked at.
 */
void gk__confirm_unforced(gk__parse *p, const gk__edition_def *ed,
                          const gk__tabledef *def, gk__table *t) {
  size_t n_cells = (size_t)def->n_rows * def->max_cols;
  size_t rows[MAX_UNFORCED_ROWS], m = 0;
  for (size_t i = 0; i < p->n_unforced; i++) {
    gk__unforced_row *u = &p->unforced[i];
    if (!u->confirmed && u->n > 0 && u->cells[0] >= t->cells &&
        u->cells[0] < t->cells + n_cells)
      rows[m++] = i;
  }
  if (m == 0)
    return; /* every row confirmed: each stands */
  uint8_t *unsettled = gk__arena_calloc(&p->r->arena, n_cells, 1);
  if (!unsettled)
    return; /* sticky: the parse reports it */
  for (size_t g = 0; g < m; g++) {
    const gk__unforced_row *u = &p->unforced[rows[g]];
    for (size_t q = 0; q < u->n; q++)
      unsettled[u->cells[q] - t->cells] = 1;
  }
  /* Whether a column identity reaches each row at all (u->judged): the
   * checks of its plan (every reading has the same). */
  uint8_t *slot_map = gk__arena_calloc(&p->r->arena, n_cells, 1);
  if (!slot_map)
    return; /* sticky: the parse reports it */
  for (size_t g = 0; g < m; g++) {
    gk__unforced_row *u = &p->unforced[rows[g]];
    u->judged = gk__row_judged(ed, t, unsettled, slot_map, u);
  }
  gk__confirm_plan plan;
  bool searched[MAX_UNFORCED_ROWS] = {false};
  /* A text that marks its blank cells (so far) keeps its cuts as printed
   * (gk__settle_unforced): the pins are cheap, the search is not, and
   * should a later table show dropped blanks after all, a row left
   * unsearched here is searched there, and stands only if forced. */
  bool marked = p->blanks_marked && !p->blanks_dropped;
  for (bool progress = true; progress;) {
    progress = false;
    /* Pins, until no more row is pinned. */
    for (bool more = true; more;) {
      more = false;
      for (size_t g = 0; g < m; g++) {
        gk__unforced_row *u = &p->unforced[rows[g]];
        if (u->confirmed)
          continue;
        if (cut_pinned(ed, t, unsettled, slot_map, u)) {
          confirm_row(t, unsettled, u);
          more = progress = true;
        }
      }
    }
    /* Search the rows not pinned; a forced one may pin others.  All of
     * them before the pins are tried again: a pin between two searches
     * saves a search in rare texts only (a row with a nonzero count is
     * seldom forced), and each round of pins costs as much. */
    for (size_t g = 0; g < m && !marked; g++) {
      gk__unforced_row *u = &p->unforced[rows[g]];
      if (u->confirmed || searched[g])
        continue;
      /* No column identity reaches the row (table 4): its other cuts
       * matter only if the text shows that it drops blank cells, and are
       * looked for then (gk__settle_unforced). */
      if (!u->judged && u->job)
        continue;
      searched[g] = true;
      if (!gk__unforced_search(u)) {
        confirm_row(t, unsettled, u);
        progress = true;
      }
    }
    if (progress || marked)
      continue;
    /* Exclusion: whether another reading holds where the cut does, or at
     * all (the others unsettled); when none does, the text allows no
     * other reading of the row. */
    for (size_t g = 0; g < m; g++) {
      gk__unforced_row *u = &p->unforced[rows[g]];
      if (u->confirmed || !searched[g])
        continue;
      int64_t v[MAX_SLOTS];
      bool known[MAX_SLOTS], judged;
      cut_of(u, v, known);
      /* The cut and its other readings against one state of the table:
       * its plan, built once. */
      bool planned =
          gk__confirm_plan_build(&plan, ed, t, unsettled, slot_map, u);
      bool cut =
          planned ? gk__confirm_plan_holds(&plan, v, known)
                  : gk__reading_holds(ed, t, unsettled, u, v, known, &judged);
      bool other = !u->alt;
      for (size_t a = 0; a < u->n_alt && !other; a++)
        other = planned
                    ? gk__confirm_plan_holds(&plan, u->alt[a], u->alt_known[a])
                    : gk__reading_holds(ed, t, unsettled, u, u->alt[a],
                                        u->alt_known[a], &judged);
      u->contested = other;
      if (cut && !other) {
        confirm_row(t, unsettled, u);
        progress = true;
      }
    }
  }
  if (!marked) {
    joint_unforced(p, ed, def, t);
    return;
  }
  /* Not searched: no other reading is known to fail. */
  for (size_t g = 0; g < m; g++)
    p->unforced[rows[g]].contested = !p->unforced[rows[g]].confirmed;
}

/* ------------------------------------------------- composed rows */

/* A term of a column identity (gk__term_fn) for compose_row(): the
 * table's cells as read, the row's own cell (row, col) read as 0 and
 * noted on its side; undecided for any other cell not a whole number. */
typedef struct compose_read {
  const gk__table *t;
  int row, col;
  int side; /* where the row's cell is: 0, 1; -1 not met; 2 more than once */
} compose_read;

static bool compose_term(void *ctx, int side, int row, int col,
                         int64_t *value) {
  compose_read *cr = ctx;
  const gk__tabledef *def = cr->t->def;
  if (row < 0 || row >= def->n_rows || col < 0 || col >= def->rows[row].n_cols)
    return false;
  *value = 0;
  if (row == cr->row && col == cr->col) {
    cr->side = cr->side < 0 ? side : 2;
    return true;
  }
  const gk__cell *c = gk__table_cell(cr->t, row, col);
  if (c->state != GK_CELL_VALUE || c->scale)
    return false;
  *value = c->value;
  return true;
}

/*
 * A glued row left undecided whose every cell a column identity gives
 * from the other cells as read (the one term not read; "（七）总计" is the
 * sum of the result rows, "一、本年新收" is 总计 plus 结转下年度 less
 * 上年结转), when its digits as printed are exactly those values written in
 * turn: stores them and returns true.  The cut is then the one the table
 * implies; the digits tie it to the text (a row printed with a blank
 * dropped does not compose, and stays null).  Only rows of digits (no
 * blank marker).  Comparing the composed string replaces enumerating the
 * row's cuts: a 37-digit total row has too many to keep.
 */
static bool compose_row(gk__parse *p, const gk__edition_def *ed,
                        const gk__tabledef *def, const gk__table *t,
                        table_notes *tn, const pending_row *pr, bool store) {
  if (pr->marked || !pr->printed)
    return false;
  int64_t v[MAX_SLOTS];
  bool known[MAX_SLOTS];
  char digits[MAX_SLOTS * 20 + 1];
  size_t len = 0;
  for (size_t q = 0; q < pr->n; q++) {
    const slot *sl = &pr->slots[q];
    bool found = false;
    for (size_t x = 0; x < ed->n_identities && !found; x++) {
      const gk__identity *id = &ed->identities[x];
      if (id->table != def->id || id->axis != GK_AXIS_ROWS ||
          !(id->mask & (1u << sl->col)))
        continue;
      compose_read cr = {t, sl->row, sl->col, -1};
      int64_t lhs, rhs;
      if (gk__identity_eval(id, sl->col, compose_term, &cr, &lhs, &rhs) ==
              GK_ID_UNDECIDED ||
          cr.side < 0 || cr.side > 1)
        continue;
      int64_t val = cr.side == 0 ? rhs - lhs : lhs - rhs;
      if (val < 0 || val > GK_MAX_CELL_VALUE)
        return false; /* the table's cells as read give no count here */
      v[q] = val;
      known[q] = found = true;
    }
    if (!found)
      return false;
    int w =
        snprintf(digits + len, sizeof digits - len, "%lld", (long long)v[q]);
    if (w <= 0 || (size_t)w >= sizeof digits - len)
      return false;
    len += (size_t)w;
  }
  /* The row's digits as printed, white space left out. */
  size_t at = 0;
  for (const char *c = pr->printed; *c; c++) {
    if (*c == ' ')
      continue;
    if (*c < '0' || *c > '9' || at >= len || digits[at] != *c)
      return false;
    at++;
  }
  if (at != len)
    return false;
  split_src src[MAX_SLOTS] = {{0, 0}};
  if (!store) {
    /* Written for the next row to compose from, not noted. */
    for (size_t q = 0; q < pr->n; q++) {
      pr->slots[q].cell->state = GK_CELL_VALUE;
      pr->slots[q].cell->value = v[q];
      pr->slots[q].cell->scale = 0;
    }
    return true;
  }
  gk__store_split(p, pr->slots, pr->n, v, known, src, pr->line);
  gk__note_split(p, tn, pr->label, pr->printed, v, known, pr->n, pr->line);
  return true;
}

/* Combinations of the undecided rows' candidates tried when composing:
 * two rows of two cuts each are common; past this the rows stay null. */
#define MAX_COMPOSE_COMBOS 256

/* Composes every target row it can (compose_row), again while one more
 * is found; true when every target row was composed.  *done marks them. */
static bool compose_all(gk__parse *p, const gk__edition_def *ed,
                        const gk__tabledef *def, const gk__table *t,
                        table_notes *tn, const size_t *target, size_t n_target,
                        bool *done, bool store) {
  size_t n_done = 0;
  for (bool more = true; more;) {
    more = false;
    for (size_t g = 0; g < n_target; g++)
      if (!done[g] &&
          compose_row(p, ed, def, t, tn, &tn->pending[target[g]], store)) {
        done[g] = more = true;
        n_done++;
      }
  }
  return n_done == n_target;
}

/*
 * The undecided glued rows of a table: those the search left with several
 * cuts that hold (choices) and those with too many to keep (targets).
 * Each combination of the choices' cuts (up to MAX_COMPOSE_COMBOS) is
 * written into the table in turn, and the targets composed from it
 * (compose_row); a combination under which every target composes is one
 * the text and the arithmetic agree on.  Exactly one such combination:
 * the choices and the targets are read so.  Else (none, several, too
 * many) only targets composed without any choice are read.
 */
static void compose_rows(gk__parse *p, const gk__edition_def *ed,
                         const gk__tabledef *def, const gk__table *t,
                         table_notes *tn, const solve_job *sj, bool any,
                         const size_t *deferred, size_t n_deferred,
                         bool *composed) {
  size_t choice[MAX_PENDING_ROWS], n_choice = 0;
  size_t target[MAX_PENDING_ROWS], tdx[MAX_PENDING_ROWS], n_target = 0;
  size_t combos = 1;
  bool ok = true;
  for (size_t d = 0; d < n_deferred; d++) {
    const pending_row *pr = &tn->pending[deferred[d]];
    size_t used = 0;
    for (size_t c = 0; any && !pr->overflow && c < pr->n_cand; c++)
      used += sj->used[deferred[d]][c];
    if (pr->overflow || used == 0) {
      tdx[n_target] = d;
      target[n_target++] = deferred[d];
    } else {
      choice[n_choice++] = d;
      combos *= used;
      ok = ok && combos <= MAX_COMPOSE_COMBOS && !pr->marked;
    }
  }
  bool done[MAX_PENDING_ROWS];
  if (n_target == 0)
    return;
  if (!ok || n_choice == 0) {
    memset(done, 0, sizeof done);
    compose_all(p, ed, def, t, tn, target, n_target, done, true);
    for (size_t g = 0; g < n_target; g++)
      composed[tdx[g]] = done[g];
    return;
  }
  /* Odometer over the choices' used candidates. */
  size_t idx[MAX_PENDING_ROWS] = {0}, found_idx[MAX_PENDING_ROWS] = {0};
  size_t found = 0;
  for (size_t combo = 0; combo < combos && found < 2; combo++) {
    size_t rest = combo;
    for (size_t h = 0; h < n_choice; h++) {
      size_t i = deferred[choice[h]];
      const pending_row *pr = &tn->pending[i];
      size_t used = 0;
      for (size_t c = 0; c < pr->n_cand; c++)
        used += sj->used[i][c];
      size_t pick = rest % used, c = 0;
      rest /= used;
      for (size_t seen = 0; c < pr->n_cand; c++)
        if (sj->used[i][c] && seen++ == pick)
          break;
      idx[h] = c;
      for (size_t q = 0; q < pr->n; q++) {
        pr->slots[q].cell->state =
            pr->cand_known[c][q] ? GK_CELL_VALUE : GK_CELL_NULL;
        pr->slots[q].cell->value = pr->cand[c][q];
        pr->slots[q].cell->scale = 0;
      }
    }
    memset(done, 0, sizeof done);
    if (compose_all(p, ed, def, t, tn, target, n_target, done, false) &&
        found++ == 0)
      memcpy(found_idx, idx, sizeof idx);
    /* The targets were written to compose the next: null them again. */
    for (size_t g = 0; g < n_target; g++)
      for (size_t q = 0; q < tn->pending[target[g]].n; q++)
        tn->pending[target[g]].slots[q].cell->state = GK_CELL_NULL;
  }
  for (size_t h = 0; h < n_choice; h++) {
    const pending_row *pr = &tn->pending[deferred[choice[h]]];
    for (size_t q = 0; q < pr->n; q++)
      pr->slots[q].cell->state = GK_CELL_NULL;
  }
  if (found != 1) {
    memset(done, 0, sizeof done);
    compose_all(p, ed, def, t, tn, target, n_target, done, true);
    for (size_t g = 0; g < n_target; g++)
      composed[tdx[g]] = done[g];
    return;
  }
  for (size_t h = 0; h < n_choice; h++) {
    const pending_row *pr = &tn->pending[deferred[choice[h]]];
    size_t c = found_idx[h];
    gk__store_split(p, pr->slots, pr->n, pr->cand[c], pr->cand_known[c],
                    pr->cand_src[c], pr->line);
    gk__note_split(p, tn, pr->label, pr->printed, pr->cand[c],
                   pr->cand_known[c], pr->n, pr->line);
    composed[choice[h]] = true;
  }
  memset(done, 0, sizeof done);
  compose_all(p, ed, def, t, tn, target, n_target, done, true);
  for (size_t g = 0; g < n_target; g++)
    composed[tdx[g]] = done[g];
}

/* A glued row the search placed by candidate c: when the text may have
 * dropped its blank cells, its candidates counted a dropped cell as 0, and
 * a cut with a blank over some number may hold as well; it stands only
 * where the table confirms it or the text prints every cell
 * (gk__confirm_unforced, gk__settle_unforced).  False when there is no
 * room to check it later: the row stays null. */
static bool glued_placed(gk__parse *p, const gk__tabledef *def,
                         const pending_row *pr, size_t c) {
  if (!pr->may_drop)
    return true;
  gk__buf b;
  gk__buf_init(&b, 1024);
  gk__values_text(&b, pr->cand[c], pr->cand_known[c], pr->n);
  gk__buf_puts(&b, "；或有空白单元格被略去的其他拆分");
  gk__buf_oom_to(&b, &p->r->arena);
  bool kept = gk__add_unforced(p, def, pr->slots, pr->n, pr->line, pr->label,
                               pr->printed, b.data ? b.data : "", true);
  gk__buf_free(&b);
  if (kept)
    p->unforced[p->n_unforced - 1].job = pr->job;
  return kept;
}

void gk__resolve_pending(gk__parse *p, const gk__edition_def *ed,
                         const gk__tabledef *def, gk__table *t,
                         table_notes *tn) {
  if (tn->n_pending == 0) {
    gk__confirm_unforced(p, ed, def, t);
    return;
  }
  size_t m = tn->n_pending;
  solve_job *sj = gk__arena_calloc(&p->r->arena, 1, sizeof *sj);
  if (!sj)
    return; /* sticky: the parse reports it */
  sj->tn = tn;
  bool searched = false;
  if (solve_prepare(p, ed, def, t, sj)) {
    solve_rec(sj, 0);
    searched = !sj->overflow;
    /* A row no check reaches takes any of its candidates in every
     * combination that holds. */
    for (size_t i = 0; i < m && searched && sj->holding; i++)
      if (!sj->involved[i])
        for (size_t c = 0; c < tn->pending[i].n_cand; c++)
          sj->used[i][c] = true;
  }
  bool any = searched && sj->holding > 0;
  size_t placed = 0, first = 0;
  size_t deferred[MAX_PENDING_ROWS], n_deferred = 0;
  for (size_t i = 0; i < m; i++) {
    pending_row *pr = &tn->pending[i];
    size_t n_used = 0, c_used = 0;
    for (size_t c = 0; any && !pr->overflow && c < pr->n_cand; c++)
      if (sj->used[i][c]) {
        n_used++;
        c_used = c;
      }
    if (n_used == 1) {
      if (pr->dropped) {
        place_row(p, def, pr, c_used);
        if (placed++ == 0)
          first = i;
      } else if (glued_placed(p, def, pr, c_used)) {
        gk__store_split(p, pr->slots, pr->n, pr->cand[c_used],
                        pr->cand_known[c_used], pr->cand_src[c_used], pr->line);
        gk__note_split(p, tn, pr->label, pr->printed, pr->cand[c_used],
                       pr->cand_known[c_used], pr->n, pr->line);
      } else {
        glued_diag(p, def, pr, sj->used[i], any, true, 0);
      }
      continue;
    }
    for (size_t q = 0; q < pr->n; q++)
      pr->slots[q].cell->state = GK_CELL_NULL;
    /* Cells all candidates agree on, where the candidates are every
     * reading there is: a row with dropped blanks (every placement its
     * arithmetic allows, blanks unknown), or a glued row that marks its
     * blank cells.  A glued row that may have dropped some kept only the
     * cuts whose dropped cell adds up as 0: the cut with a dropped total
     * over other numbers is not among them, and the total they all agree
     * on would be wrong (issue 10's zoo, glued_dropped: "…5005" read a
     * total of 5 where the total was the dropped blank).  A row without
     * identities (table 2) kept only the cuts that print every cell. */
    if (!pr->dropped) {
      deferred[n_deferred++] = i; /* perhaps composed, below */
      continue;
    }
    size_t agreed =
        n_used > 1 && gk__row_has_identity(ed, def, pr->slots, pr->n)
            ? place_agreed(p, pr, sj->used[i])
            : 0;
    unplaced_diag(p, def, pr, sj->used[i], any, sj->overflow, agreed);
  }
  /* The glued rows left undecided: each one the column identities give
   * from the other rows and whose digits are those values printed in turn
   * is read so (again, as one composed row lets the next be found). */
  bool composed[MAX_PENDING_ROWS] = {false};
  compose_rows(p, ed, def, t, tn, sj, any, deferred, n_deferred, composed);
  for (size_t d = 0; d < n_deferred; d++) {
    if (composed[d])
      continue;
    size_t i = deferred[d];
    pending_row *pr = &tn->pending[i];
    size_t n_used = 0;
    for (size_t c = 0; any && !pr->overflow && c < pr->n_cand; c++)
      n_used += sj->used[i][c];
    size_t agreed = n_used > 1 && pr->marked &&
                            gk__row_has_identity(ed, def, pr->slots, pr->n)
                        ? place_agreed(p, pr, sj->used[i])
                        : 0;
    glued_diag(p, def, pr, sj->used[i], any, sj->overflow, agreed);
  }
  if (placed) {
    const pending_row *pr = &tn->pending[first];
    size_t c = 0;
    while (!sj->used[first][c])
      c++;
    gk__buf b;
    gk__buf_init(&b, 1024);
    gk__values_text(&b, pr->cand[c], pr->cand_known[c], pr->n);
    gk__buf_oom_to(&b, &p->r->arena);
    gk__diag_rule(p->r, GK_R_CELL_PLACED_BY_ARITHMETIC, pr->line, def->key,
                  "%s表格有 %zu 行数字少于单元格且未标出空白，已按整张表格的"
                  "算术关系唯一确定各数字所在列（如“%s”%s → %s）",
                  gk__table_part_name(def->id), placed, pr->label, pr->printed,
                  b.data ? b.data : "");
    gk__buf_free(&b);
  }
  gk__confirm_unforced(p, ed, def, t);
}
