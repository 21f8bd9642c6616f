/*
 * pdf_grid.c - the geometry of a PDF page (see pdf_grid.h): rulings ->
 * cells -> rows -> grid, characters -> visual lines, and the order of
 * both down the page.  read_pdf.c feeds it from MuPDF and writes what it
 * finds into the layout; nothing here knows MuPDF, so the unit tests
 * (tests/unit/test_pdf_grid.c) drive it with synthetic boxes.
 *
 * A character enclosed by rulings on all four sides, in a box that has
 * another ruled cell beside it, is in a table cell.  Cells whose top
 * rulings agree make one table row: the vertical rulings that cross the
 * row cut it into its grid cells (slots), each of which becomes one run,
 * empty when nothing is written in it.  Every other character is grouped
 * into visual lines by its baseline.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "readers/pdf_grid.h"

/* ------------------------------------------------------------ limits */

/* Rulings examined when looking for a character's cell: 64 on each side.
 * Real tables have at most 20 columns; the bound keeps the search linear
 * on a page of crafted rulings. */
#define MAX_RULING_SCAN 64

/* A ruled cell whose text takes more visual lines than this is not a
 * table cell but a frame around prose, read as ordinary lines. */
#define MAX_CELL_LINES 40

/* ------------------------------------------------------------ geometry */

/* All in points (1/72 inch) or in font sizes (em). */

/* Two characters are on one visual line when their baselines differ by
 * at most this much of the font size. */
#define LINE_TOL_EM 0.4f
/* A level or upright stroked line is a ruling, and so is a filled
 * rectangle no thicker than this (Word draws borders so)... */
#define RULE_THICK 2.5f
/* ...when it is at least this long. */
#define RULE_MIN_LEN 4.0f
/* Collinear ruling pieces closer than this are one ruling. */
#define RULE_JOIN 1.5f
/* A ruling reaches a point within this slack. */
#define RULE_SLACK 1.0f
/* Vertical rulings closer than this cut no cell between them (a double
 * border). */
#define RULE_MIN_CELL 3.0f
/* Cells whose tops differ by at most this are on one table row. */
#define ROW_TOL 2.0f

/* ------------------------------------------------------ collection */

/* qsort, but never with a null base: with fewer than two elements there
 * is nothing to sort (and the arrays of an empty page are null). */
static void sort_n(void *base, size_t n, size_t size,
                   int (*cmp)(const void *, const void *)) {
  if (n > 1)
    qsort(base, n, size, cmp);
}

static void add_seg(gk__pdf_page *pw, bool horizontal, float pos, float a,
                    float b) {
  if (!isfinite(pos) || !isfinite(a) || !isfinite(b))
    return;
  if (a > b) {
    float t = a;
    a = b;
    b = t;
  }
  if (b - a < RULE_MIN_LEN)
    return;
  if (pw->h.n + pw->v.n >= GK_PDF_MAX_RULINGS) {
    pw->rulings_overflow = true;
    return;
  }
  gk__pdf_segs *sv = horizontal ? &pw->h : &pw->v;
  if (gk__array_grow(&sv->v, &sv->cap, sv->n + 1, sizeof(gk__pdf_seg),
                     GK_PDF_MAX_RULINGS) != GK_OK) {
    pw->oom = true;
    return;
  }
  sv->v[sv->n++] = (gk__pdf_seg){pos, a, b};
}

void gk__pdf_add_line(gk__pdf_page *pw, float px, float py, float qx,
                      float qy) {
  float dx = fabsf(qx - px), dy = fabsf(qy - py);
  if (dy <= 0.5f && dx >= RULE_MIN_LEN)
    add_seg(pw, true, (py + qy) / 2, px, qx);
  else if (dx <= 0.5f && dy >= RULE_MIN_LEN)
    add_seg(pw, false, (px + qx) / 2, py, qy);
}

void gk__pdf_add_box(gk__pdf_page *pw, float x0, float y0, float x1, float y1) {
  float w = x1 - x0, h = y1 - y0;
  if (!(w >= 0) || !(h >= 0))
    return;
  if (h <= RULE_THICK && w >= RULE_MIN_LEN)
    add_seg(pw, true, (y0 + y1) / 2, x0, x1);
  else if (w <= RULE_THICK && h >= RULE_MIN_LEN)
    add_seg(pw, false, (x0 + x1) / 2, y0, y1);
}

/* ------------------------------------------------------------ rulings */

static int cmp_seg(const void *a, const void *b) {
  const gk__pdf_seg *x = a, *y = b;
  if (x->pos != y->pos)
    return x->pos < y->pos ? -1 : 1;
  if (x->lo != y->lo)
    return x->lo < y->lo ? -1 : 1;
  return 0;
}

static int cmp_seg_lo(const void *a, const void *b) {
  const gk__pdf_seg *x = a, *y = b;
  if (x->lo != y->lo)
    return x->lo < y->lo ? -1 : 1;
  return x->hi < y->hi ? -1 : x->hi > y->hi;
}

/* Sorts rulings by position and joins collinear pieces that touch: a
 * border drawn cell by cell is one ruling.  Rulings at nearly the same
 * position (within 0.75 pt) are one line; along it, pieces that overlap
 * or nearly meet are joined, and pieces apart stay apart (two tables one
 * above the other). */
void gk__pdf_merge_rulings(gk__pdf_segs *sv) {
  if (sv->n == 0)
    return;
  sort_n(sv->v, sv->n, sizeof(gk__pdf_seg), cmp_seg);
  size_t k = 0;
  for (size_t i = 0; i < sv->n;) {
    size_t j = i + 1;
    while (j < sv->n && sv->v[j].pos - sv->v[j - 1].pos <= 0.75f)
      j++;
    float pos = sv->v[i].pos;
    sort_n(sv->v + i, j - i, sizeof(gk__pdf_seg), cmp_seg_lo);
    gk__pdf_seg cur = sv->v[i];
    for (size_t q = i + 1; q < j; q++) {
      const gk__pdf_seg *s = &sv->v[q];
      if (s->lo <= cur.hi + RULE_JOIN) {
        if (s->hi > cur.hi)
          cur.hi = s->hi;
      } else {
        cur.pos = pos;
        sv->v[k++] = cur;
        cur = *s;
      }
    }
    cur.pos = pos;
    sv->v[k++] = cur;
    i = j;
  }
  sv->n = k;
}

/* The first ruling with pos > x. */
static size_t seg_upper(const gk__pdf_segs *sv, float x) {
  size_t lo = 0, hi = sv->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (sv->v[mid].pos <= x)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static bool seg_covers(const gk__pdf_seg *s, float at) {
  return at >= s->lo - RULE_SLACK && at <= s->hi + RULE_SLACK;
}

/* The nearest ruling before (dir < 0) or after (dir > 0) position x that
 * reaches `at`, starting from index `from`; -1 when there is none within
 * MAX_RULING_SCAN. */
static long seg_nearest(const gk__pdf_segs *sv, size_t from, int dir,
                        float at) {
  long i = (long)from;
  for (int steps = 0; steps < MAX_RULING_SCAN; steps++) {
    if (dir < 0 ? i < 0 : i >= (long)sv->n)
      return -1;
    if (seg_covers(&sv->v[i], at))
      return i;
    i += dir;
  }
  return -1;
}

/* Whether a ruling beyond index i (in direction dir), at least
 * RULE_MIN_CELL further out, reaches `at`. */
static bool seg_beyond(const gk__pdf_segs *sv, long i, int dir, float at) {
  float pos = sv->v[i].pos;
  long j = i + dir;
  for (int steps = 0; steps < MAX_RULING_SCAN; steps++, j += dir) {
    if (j < 0 || j >= (long)sv->n)
      return false;
    if (fabsf(sv->v[j].pos - pos) >= RULE_MIN_CELL && seg_covers(&sv->v[j], at))
      return true;
  }
  return false;
}

/* ------------------------------------------------------------- sorting */

/* qsort has no context argument in C17; the page being sorted. */
static _Thread_local const gk__pdf_char *sort_ch;

static int cmp_base(const void *a, const void *b) {
  const gk__pdf_char *x = &sort_ch[*(const uint32_t *)a];
  const gk__pdf_char *y = &sort_ch[*(const uint32_t *)b];
  if (x->base != y->base)
    return x->base < y->base ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_x(const void *a, const void *b) {
  const gk__pdf_char *x = &sort_ch[*(const uint32_t *)a];
  const gk__pdf_char *y = &sort_ch[*(const uint32_t *)b];
  if (x->x0 != y->x0)
    return x->x0 < y->x0 ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* By cell, then by slot; -1 sorts first. */
static int cmp_cell(const void *a, const void *b) {
  const gk__pdf_char *x = &sort_ch[*(const uint32_t *)a];
  const gk__pdf_char *y = &sort_ch[*(const uint32_t *)b];
  if (x->cell != y->cell)
    return x->cell < y->cell ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_slot(const void *a, const void *b) {
  const gk__pdf_char *x = &sort_ch[*(const uint32_t *)a];
  const gk__pdf_char *y = &sort_ch[*(const uint32_t *)b];
  if (x->slot != y->slot)
    return x->slot < y->slot ? -1 : 1;
  return cmp_base(a, b);
}

/* A cell key: where its four sides are, for grouping characters by
 * cell; it and ib are its top and bottom rulings, or -1 when a side is
 * where the vertical rulings end (a table cut by a page break has no
 * ruling there). */
typedef struct cell_key {
  float t, l, r, b;
  int32_t it, ib;
  uint32_t ch;
} cell_key;

static int cmp_key(const void *a, const void *b) {
  const cell_key *x = a, *y = b;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  if (x->l != y->l)
    return x->l < y->l ? -1 : 1;
  if (x->r != y->r)
    return x->r < y->r ? -1 : 1;
  if (x->b != y->b)
    return x->b < y->b ? -1 : 1;
  return x->ch < y->ch ? -1 : x->ch > y->ch;
}

static bool same_cell(const cell_key *x, const cell_key *y) {
  return x->t == y->t && x->l == y->l && x->r == y->r && x->b == y->b;
}

static int cmp_item(const void *a, const void *b) {
  const gk__pdf_item *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  if (x->is_row != y->is_row)
    return x->is_row ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Puts order[0..n) (characters already sorted by baseline) into reading
 * order: visual lines top to bottom, each left to right, and marks in
 * brk[] where each visual line starts.  Returns the number of lines.
 */
static size_t into_lines(const gk__pdf_char *ch, uint32_t *order, uint8_t *brk,
                         size_t n) {
  size_t lines = 0, i = 0;
  sort_ch = ch;
  while (i < n) {
    const gk__pdf_char *first = &ch[order[i]];
    float tol = LINE_TOL_EM * first->size;
    size_t j = i + 1;
    while (j < n && ch[order[j]].base - first->base <= tol)
      j++;
    sort_n(order + i, j - i, sizeof *order, cmp_x);
    brk[i] = 1;
    for (size_t k = i + 1; k < j; k++)
      brk[k] = 0;
    lines++;
    i = j;
  }
  return lines;
}

/* ------------------------------------------------------- page layout */

/* Finds each character's ruled cell; groups the characters by cell. */
static bool find_cells(gk__pdf_page *pw) {
  const gk__pdf_segs *h = &pw->h, *v = &pw->v;
  pw->n_cells = 0;
  if (h->n < 1 || v->n < 3 || pw->rulings_overflow)
    return true;
  cell_key *keys = malloc(pw->n_ch * sizeof *keys);
  if (!keys && pw->n_ch)
    return false;
  size_t nk = 0;
  for (size_t i = 0; i < pw->n_ch; i++) {
    gk__pdf_char *c = &pw->ch[i];
    float cx = (c->x0 + c->x1) / 2, cy = (c->y0 + c->y1) / 2;
    size_t ux = seg_upper(v, cx), uy = seg_upper(h, cy);
    long il = ux > 0 ? seg_nearest(v, ux - 1, -1, cy) : -1;
    long ir = seg_nearest(v, ux, 1, cy);
    long it = uy > 0 ? seg_nearest(h, uy - 1, -1, cx) : -1;
    long ib = seg_nearest(h, uy, 1, cx);
    if (il < 0 || ir < 0)
      continue;
    /* The cell's top is the ruling above, or where the rulings on both
     * sides begin if that is lower (or there is none); the same below. */
    const gk__pdf_seg *sl = &v->v[il], *sr = &v->v[ir];
    float vt = fmaxf(sl->lo, sr->lo), vb = fminf(sl->hi, sr->hi);
    cell_key key = {vt, sl->pos, sr->pos, vb, -1, -1, (uint32_t)i};
    if (it >= 0 && h->v[it].pos >= vt - RULE_SLACK) {
      key.t = h->v[it].pos;
      key.it = (int32_t)it;
    }
    if (ib >= 0 && h->v[ib].pos <= vb + RULE_SLACK) {
      key.b = h->v[ib].pos;
      key.ib = (int32_t)ib;
    }
    if (key.t >= cy || key.b <= cy)
      continue;
    /* A box with nothing ruled beside it is a frame, not a cell. */
    if (!seg_beyond(v, il, -1, cy) && !seg_beyond(v, ir, 1, cy))
      continue;
    keys[nk++] = key;
  }
  sort_n(keys, nk, sizeof *keys, cmp_key);
  bool ok = true;
  for (size_t i = 0; i < nk && ok;) {
    size_t j = i + 1;
    while (j < nk && same_cell(&keys[j], &keys[i]))
      j++;
    if (gk__array_grow(&pw->cells, &pw->cap_cells, pw->n_cells + 1,
                       sizeof(gk__pdf_cell), SIZE_MAX) != GK_OK) {
      ok = false;
      break;
    }
    gk__pdf_cell *c = &pw->cells[pw->n_cells];
    c->l = keys[i].l;
    c->r = keys[i].r;
    c->t = keys[i].t;
    c->b = keys[i].b;
    c->it = keys[i].it;
    c->ib = keys[i].ib;
    c->index = (uint32_t)pw->n_cells;
    c->ok = true;
    for (size_t k = i; k < j; k++)
      pw->ch[keys[k].ch].cell = (int32_t)pw->n_cells;
    pw->n_cells++;
    i = j;
  }
  free(keys);
  return ok;
}

/* Sorts the cells' characters into order[] by cell and rejects cells that
 * hold a whole frame of prose. */
static void check_cells(gk__pdf_page *pw) {
  size_t n = 0;
  for (size_t i = 0; i < pw->n_ch; i++)
    pw->order[n++] = (uint32_t)i;
  sort_ch = pw->ch;
  sort_n(pw->order, n, sizeof *pw->order, cmp_cell);
  size_t i = 0;
  while (i < n && pw->ch[pw->order[i]].cell < 0)
    i++;
  while (i < n) {
    int32_t ci = pw->ch[pw->order[i]].cell;
    size_t j = i;
    while (j < n && pw->ch[pw->order[j]].cell == ci)
      j++;
    gk__pdf_cell *c = &pw->cells[ci];
    sort_ch = pw->ch;
    sort_n(pw->order + i, j - i, sizeof *pw->order, cmp_base);
    if (into_lines(pw->ch, pw->order + i, pw->brk + i, j - i) >
        MAX_CELL_LINES) {
      c->ok = false;
      for (size_t k = i; k < j; k++)
        pw->ch[pw->order[k]].cell = -1;
    }
    i = j;
  }
}

static int cmp_cell_top(const void *a, const void *b) {
  const gk__pdf_cell *x = a, *y = b;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  return x->l < y->l ? -1 : x->l > y->l;
}

/* The grid cell of row rw holding x, or -1. */
static long slot_at(const gk__pdf_page *pw, const gk__pdf_row *rw, float x) {
  for (uint32_t k = 0; k < rw->n_slots; k++) {
    const gk__pdf_slot *s = &pw->slots[rw->slot0 + k];
    if (x >= s->x0 && x <= s->x1)
      return (long)rw->slot0 + (long)k;
  }
  return -1;
}

/* Groups the ruled cells into table rows and cuts each row into its grid
 * cells; gives each character in a row its grid cell (slot). */
static bool build_rows(gk__pdf_page *pw) {
  pw->n_rows = 0;
  pw->n_slots = 0;
  /* Cells by top: the characters keep their cell index, so map it. */
  size_t nc = 0;
  for (size_t i = 0; i < pw->n_cells; i++)
    if (pw->cells[i].ok)
      nc++;
  if (nc == 0)
    return true;
  uint32_t *map = malloc(pw->n_cells * sizeof *map);
  gk__pdf_cell *sorted = malloc(nc * sizeof *sorted);
  if (!map || !sorted) {
    free(map), free(sorted);
    return false;
  }
  size_t k = 0;
  for (size_t i = 0; i < pw->n_cells; i++)
    if (pw->cells[i].ok) {
      sorted[k] = pw->cells[i];
      k++;
    }
  sort_n(sorted, nc, sizeof *sorted, cmp_cell_top);
  for (size_t i = 0; i < nc; i++)
    map[sorted[i].index] = (uint32_t)i;
  bool ok = true;
  for (size_t i = 0; i < nc && ok;) {
    size_t j = i + 1;
    while (j < nc && sorted[j].t - sorted[i].t <= ROW_TOL)
      j++;
    if (gk__array_grow(&pw->rows, &pw->cap_rows, pw->n_rows + 1,
                       sizeof(gk__pdf_row), SIZE_MAX) != GK_OK) {
      ok = false;
      break;
    }
    gk__pdf_row *rw = &pw->rows[pw->n_rows];
    rw->t = sorted[i].t;
    rw->b = rw->bmax = sorted[i].b;
    rw->ext0 = sorted[i].l;
    rw->ext1 = sorted[i].r;
    /* The row spans its cells and the rulings above and below them: a
     * blank column at either end is in the row too. */
    for (size_t q = i; q < j; q++) {
      const gk__pdf_cell *ce = &sorted[q];
      rw->b = fminf(rw->b, ce->b);
      rw->bmax = fmaxf(rw->bmax, ce->b);
      rw->ext0 = fminf(rw->ext0, ce->l);
      rw->ext1 = fmaxf(rw->ext1, ce->r);
      for (int side = 0; side < 2; side++) {
        int32_t hi = side ? ce->ib : ce->it;
        if (hi >= 0) {
          rw->ext0 = fminf(rw->ext0, pw->h.v[hi].lo);
          rw->ext1 = fmaxf(rw->ext1, pw->h.v[hi].hi);
        }
      }
    }
    rw->first_cell = (uint32_t)i;
    rw->n_cells = (uint32_t)(j - i);
    pw->n_rows++;
    i = j;
  }
  /* Rows that follow one another without a gap make one table; the table
   * spans all their extents, so that a column merged down from a row
   * above is an empty run in every row it covers. */
  for (size_t i = 0; i < pw->n_rows;) {
    gk__pdf_row *g = &pw->rows[i];
    float bmax = g->bmax, e0 = g->ext0, e1 = g->ext1;
    size_t j = i + 1;
    while (j < pw->n_rows && pw->rows[j].t <= bmax + ROW_TOL &&
           pw->rows[j].ext0 < e1 && pw->rows[j].ext1 > e0) {
      bmax = fmaxf(bmax, pw->rows[j].bmax);
      e0 = fminf(e0, pw->rows[j].ext0);
      e1 = fmaxf(e1, pw->rows[j].ext1);
      j++;
    }
    for (size_t q = i; q < j; q++) {
      pw->rows[q].ext0 = e0;
      pw->rows[q].ext1 = e1;
      pw->rows[q].table = (int32_t)i; /* the table's first row */
      pw->rows[q].index = (int32_t)(q - i);
    }
    i = j;
  }
  /* Each row's grid: the vertical rulings across its middle. */
  for (size_t i = 0; i < pw->n_rows && ok; i++) {
    gk__pdf_row *rw = &pw->rows[i];
    rw->slot0 = (uint32_t)pw->n_slots;
    rw->n_slots = 0;
    float ym = (rw->t + rw->b) / 2, prev = -INFINITY;
    bool have_prev = false;
    for (size_t q = 0; q < pw->v.n; q++) {
      const gk__pdf_seg *s = &pw->v.v[q];
      if (s->pos < rw->ext0 - RULE_MIN_CELL ||
          s->pos > rw->ext1 + RULE_MIN_CELL || !seg_covers(s, ym))
        continue;
      if (have_prev && s->pos - prev < RULE_MIN_CELL)
        continue;
      if (have_prev) {
        if (gk__array_grow(&pw->slots, &pw->cap_slots, pw->n_slots + 1,
                           sizeof(gk__pdf_slot), SIZE_MAX) != GK_OK) {
          ok = false;
          break;
        }
        pw->slots[pw->n_slots++] = (gk__pdf_slot){prev, s->pos, (uint32_t)i};
        rw->n_slots++;
      }
      prev = s->pos;
      have_prev = true;
    }
  }
  /* Each cell's characters to the grid cell under their middle. */
  for (size_t i = 0; i < pw->n_ch && ok; i++) {
    gk__pdf_char *c = &pw->ch[i];
    if (c->cell < 0)
      continue;
    uint32_t si = map[c->cell];
    /* The row holding sorted cell si. */
    size_t lo = 0, hi = pw->n_rows;
    while (hi - lo > 1) {
      size_t mid = (lo + hi) / 2;
      if (pw->rows[mid].first_cell <= si)
        lo = mid;
      else
        hi = mid;
    }
    const gk__pdf_row *rw = &pw->rows[lo];
    long s = slot_at(pw, rw, (c->x0 + c->x1) / 2);
    if (s < 0) {
      const gk__pdf_cell *ce = &sorted[si];
      s = slot_at(pw, rw, (ce->l + ce->r) / 2);
    }
    c->slot = (int32_t)s;
    if (s < 0)
      c->cell = -1; /* read with the page's loose lines */
  }
  free(map);
  free(sorted);
  return ok;
}

/* A loose character inside a row's band and grid joins that grid cell
 * (a cell whose top ruling is missing, as at the top of a page). */
static void attach_loose(gk__pdf_page *pw) {
  if (pw->n_rows == 0)
    return;
  for (size_t i = 0; i < pw->n_ch; i++) {
    gk__pdf_char *c = &pw->ch[i];
    if (c->slot >= 0)
      continue;
    float cx = (c->x0 + c->x1) / 2, cy = (c->y0 + c->y1) / 2;
    /* The last row whose top is above cy (rows are sorted by top). */
    size_t lo = 0, hi = pw->n_rows;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (pw->rows[mid].t <= cy)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (lo == 0)
      continue;
    const gk__pdf_row *rw = &pw->rows[lo - 1];
    if (cy > rw->b)
      continue;
    long s = slot_at(pw, rw, cx);
    if (s >= 0)
      c->slot = (int32_t)s;
  }
}

/* A page number's share of the page: it sits in the top or bottom this
 * much of the height. */
#define PAGE_MARGIN 0.15f

static bool is_dash(int32_t cp) {
  return cp == '-' || cp == 0x2010 || cp == 0x2012 || cp == 0x2013 ||
         cp == 0x2014 || cp == 0x2015 || cp == 0x2212 || cp == 0xFF0D ||
         cp == '~' || cp == 0xFF5E;
}

static bool is_digit_cp(int32_t cp) { return cp >= '0' && cp <= '9'; }

/* Whether characters order[0..n) (a visual line) say only a page number:
 * "- 4 -", "— 12 —", "4", "第 3 页", "第3页 共8页", "3/8". */
static bool page_number_text(const gk__pdf_char *ch, const uint32_t *order,
                             size_t n) {
  int32_t cp[24];
  if (n == 0 || n > 24)
    return false;
  for (size_t i = 0; i < n; i++)
    cp[i] = ch[order[i]].cp;
  size_t i = 0, digits = 0;
  if (cp[0] == 0x7B2C /* 第 */) {
    for (i = 1; i < n && is_digit_cp(cp[i]); i++)
      digits++;
    if (!digits || i >= n || cp[i] != 0x9875 /* 页 */)
      return false;
    if (++i == n)
      return true;
    if (cp[i] != 0x5171 /* 共 */)
      return false;
    for (i++, digits = 0; i < n && is_digit_cp(cp[i]); i++)
      digits++;
    return digits && i + 1 == n && cp[i] == 0x9875;
  }
  while (i < n && is_dash(cp[i]))
    i++;
  for (; i < n && is_digit_cp(cp[i]); i++)
    digits++;
  if (digits == 0 || digits > 4)
    return false;
  if (i < n && cp[i] == '/') {
    size_t more = 0;
    for (i++; i < n && is_digit_cp(cp[i]); i++)
      more++;
    if (!more)
      return false;
  }
  while (i < n && is_dash(cp[i]))
    i++;
  return i == n;
}

/* Drops the page's header or footer when it is only the page number:
 * the first or last visual line of the page, in its margin.  Prose that
 * runs on to the next page then joins up as if the page had not ended. */
static void drop_page_numbers(gk__pdf_page *pw) {
  float h = pw->bottom - pw->top;
  if (pw->n_items == 0 || !(h > 0))
    return;
  for (int end = 0; end < 2 && pw->n_items > 0; end++) {
    size_t k = end ? pw->n_items - 1 : 0;
    const gk__pdf_item *x = &pw->items[k];
    if (x->is_row)
      continue;
    const gk__pdf_char *c = &pw->ch[pw->order[x->index]];
    float y = (c->y0 + c->y1) / 2;
    bool margin =
        end ? y > pw->bottom - PAGE_MARGIN * h : y < pw->top + PAGE_MARGIN * h;
    if (!margin || !page_number_text(pw->ch, pw->order + x->index, x->n))
      continue;
    memmove(pw->items + k, pw->items + k + 1,
            (pw->n_items - k - 1) * sizeof *pw->items);
    pw->n_items--;
  }
}

/* ------------------------------------------------------- the page */

gk_status gk__pdf_grid_page(gk__pdf_page *pw) {
  if (gk__array_grow(&pw->order, &pw->cap_order, pw->n_ch + 1, sizeof(uint32_t),
                     SIZE_MAX) != GK_OK)
    return GK_ENOMEM;
  uint8_t *nb = realloc(pw->brk, pw->cap_order);
  if (!nb)
    return GK_ENOMEM;
  pw->brk = nb;
  pw->n_rows = pw->n_slots = pw->n_items = pw->n_loose = 0;
  free(pw->slot_first);
  pw->slot_first = NULL;

  gk__pdf_merge_rulings(&pw->h);
  gk__pdf_merge_rulings(&pw->v);
  if (!find_cells(pw))
    return GK_ENOMEM;
  if (pw->n_cells) {
    check_cells(pw);
    if (!build_rows(pw))
      return GK_ENOMEM;
    attach_loose(pw);
  }

  /* order[]: first the loose characters, in visual lines; then those of
   * the table grid cells, cell by cell, each cell's in reading order. */
  size_t n = 0;
  for (size_t i = 0; i < pw->n_ch; i++)
    pw->order[n++] = (uint32_t)i;
  sort_ch = pw->ch;
  sort_n(pw->order, n, sizeof *pw->order, cmp_slot);
  size_t n_loose = 0;
  while (n_loose < n && pw->ch[pw->order[n_loose]].slot < 0)
    n_loose++;
  into_lines(pw->ch, pw->order, pw->brk, n_loose);
  for (size_t i = n_loose; i < n;) {
    size_t j = i + 1;
    while (j < n && pw->ch[pw->order[j]].slot == pw->ch[pw->order[i]].slot)
      j++;
    into_lines(pw->ch, pw->order + i, pw->brk + i, j - i);
    i = j;
  }

  /* The items down the page: rows by their top, lines by their top. */
  for (size_t i = 0; i < pw->n_rows; i++) {
    if (gk__array_grow(&pw->items, &pw->cap_items, pw->n_items + 1,
                       sizeof(gk__pdf_item), SIZE_MAX) != GK_OK)
      return GK_ENOMEM;
    pw->items[pw->n_items++] = (gk__pdf_item){pw->rows[i].t, 1, (uint32_t)i, 0};
  }
  for (size_t i = 0; i < n_loose;) {
    size_t j = i + 1;
    float top = pw->ch[pw->order[i]].y0;
    while (j < n_loose && !pw->brk[j]) {
      top = fminf(top, pw->ch[pw->order[j]].y0);
      j++;
    }
    if (gk__array_grow(&pw->items, &pw->cap_items, pw->n_items + 1,
                       sizeof(gk__pdf_item), SIZE_MAX) != GK_OK)
      return GK_ENOMEM;
    pw->items[pw->n_items++] =
        (gk__pdf_item){top, 0, (uint32_t)i, (uint32_t)(j - i)};
    i = j;
  }
  sort_n(pw->items, pw->n_items, sizeof(gk__pdf_item), cmp_item);
  drop_page_numbers(pw);

  /* Where each slot's characters start in order[]. */
  size_t *slot_first = calloc(pw->n_slots + 1, sizeof *slot_first);
  if (!slot_first)
    return GK_ENOMEM;
  pw->slot_first = slot_first;
  for (size_t i = n_loose; i < n; i++)
    slot_first[pw->ch[pw->order[i]].slot + 1]++;
  for (size_t s = 0; s < pw->n_slots; s++)
    slot_first[s + 1] += slot_first[s];
  pw->n_loose = n_loose;
  return GK_OK;
}

void gk__pdf_page_free(gk__pdf_page *pw) {
  free(pw->ch);
  free(pw->h.v);
  free(pw->v.v);
  free(pw->order);
  free(pw->brk);
  free(pw->cells);
  free(pw->rows);
  free(pw->slots);
  free(pw->items);
  free(pw->slot_first);
}
