/*
 * layout_build.c - markup to layout lines (see layout_build.h), shared by
 * read_html.c and read_docx.c.
 *
 * Outside tables, text flows into the run being built and paragraphs end
 * lines.  Inside tables, everything is recorded as events (text pieces,
 * breaks, rows, cells, nested tables) until the outermost table ends; then
 * each table is resolved: a table holding another table is read as
 * paragraphs, any other becomes a grid of one line per row and one run per
 * column, with the empty runs that keep spanned cells' positions.
 *
 * Under it is the floor every reader writes through (gk__lines: lines of
 * runs, appended), which the text, Markdown, PDF and model readers use
 * directly.
 */
#include <stdlib.h>
#include <string.h>

#include "layout_build.h"

/* Runs in one layout: 1 million (48 bytes each).  A real report has a
 * few thousand; a page of a million empty cells is refused with
 * GK_ELIMIT instead of growing the layout without bound. */
#define GK_LB_MAX_RUNS 1000000u

/* Recorded table events: 2 million (24 bytes each).  A report's three
 * tables need a few thousand; the cap bounds a page of nothing but empty
 * cells. */
#define GK_LB_MAX_EVENTS 2000000u

/* Grid columns of one table: 1000, HTML's own cap on colspan.  The
 * national tables have at most 16; the cap bounds the per-row work and
 * the empty runs a few absurd spans would make. */
#define GK_LB_MAX_COLS 1000u

/* Rows one cell may span: 65534, HTML's cap on rowspan (it is also
 * clipped to the rows the table has). */
#define GK_LB_MAX_ROWSPAN 65534u

/* Bytes of text in one run: 8 MiB.  A paragraph of a real report is a few
 * KB; a page without a single block element is one paragraph, and one
 * over this is refused rather than held twice in memory. */
#define GK_LB_MAX_TEXT ((size_t)8 << 20)

enum {
  EV_TEXT = 0,
  EV_BREAK,
  EV_FIELD,
  EV_TABLE,
  EV_TABLE_END,
  EV_ROW,
  EV_ROW_END,
  EV_CELL,
  EV_CELL_END
};

struct gk__lb_event {
  uint8_t kind;
  uint32_t line;    /* source line, 0 when unknown */
  uint32_t a;       /* EV_TEXT: length; EV_CELL: colspan */
  uint32_t b;       /* EV_CELL: rowspan (0: to the table's end) */
  const char *text; /* EV_TEXT: in the arena */
};

static const char empty_text[1] = "";

/* ------------------------------------------------------------ the floor */

void gk__lines_init(gk__lines *w, size_t max_runs) {
  memset(w, 0, sizeof *w);
  w->max_runs = max_runs;
}

void gk__lines_reserve(gk__lines *w, gk__arena *a, size_t n_lines,
                       size_t n_runs) {
  if (w->status != GK_OK || w->lines || w->runs)
    return;
  if (n_lines > GK_MAX_LINES)
    n_lines = GK_MAX_LINES;
  if (n_runs > w->max_runs)
    n_runs = w->max_runs;
  w->arena = a;
  gk_status st = gk__arena_array_grow(a, &w->lines, &w->cap_lines, 0,
                                      n_lines ? n_lines : 1, sizeof *w->lines,
                                      GK_MAX_LINES);
  if (st == GK_OK)
    st = gk__arena_array_grow(a, &w->runs, &w->cap_runs, 0, n_runs ? n_runs : 1,
                              sizeof *w->runs, w->max_runs);
  if (st != GK_OK)
    w->status = st;
}

/* Room for `need` elements of an array of w: in the arena after
 * gk__lines_reserve(), else malloc'd. */
static gk_status grow(gk__lines *w, void *array, size_t *cap, size_t n,
                      size_t need, size_t elem, size_t max) {
  if (w->arena)
    return gk__arena_array_grow(w->arena, array, cap, n, need, elem, max);
  return gk__array_grow(array, cap, need, elem, max);
}

void gk__lines_free(gk__lines *w) {
  if (!w->arena) {
    free(w->lines);
    free(w->runs);
  }
  w->lines = NULL;
  w->runs = NULL;
}

void gk__lines_open(gk__lines *w) {
  if (w->status != GK_OK || w->open)
    return;
  w->open = true;
  w->first_run = (uint32_t)w->n_runs;
}

gk__run *gk__lines_run(gk__lines *w, const char *text, uint32_t len,
                       int32_t table, int32_t row, int32_t col) {
  gk__lines_open(w);
  if (w->status != GK_OK)
    return NULL;
  /* A run a line (a Markdown cell, a PDF box): grown only when full. */
  if (w->n_runs == w->cap_runs) {
    gk_status st = grow(w, &w->runs, &w->cap_runs, w->n_runs, w->n_runs + 1,
                        sizeof *w->runs, w->max_runs);
    if (st != GK_OK) {
      w->status = st;
      return NULL;
    }
  }
  gk__run *r = &w->runs[w->n_runs];
  /* Written whole (page and box 0), not cleared and then filled. */
  *r = (gk__run){.text = text,
                 .len = len,
                 .field = (uint32_t)w->n_runs - w->first_run,
                 .table = table,
                 .row = row,
                 .col = col};
  w->n_runs++;
  return r;
}

gk_status gk__lines_close(gk__lines *w, uint32_t lineno, bool drop_blank) {
  if (w->status != GK_OK || !w->open)
    return w->status;
  w->open = false;
  if (drop_blank) {
    bool any = false;
    for (size_t i = w->first_run; i < w->n_runs && !any; i++)
      any = w->runs[i].len > 0;
    if (!any) {
      w->n_runs = w->first_run;
      return GK_OK;
    }
  }
  gk_status st = grow(w, &w->lines, &w->cap_lines, w->n_lines, w->n_lines + 1,
                      sizeof *w->lines, GK_MAX_LINES);
  if (st != GK_OK)
    return w->status = st;
  gk__line *l = &w->lines[w->n_lines++];
  l->lineno = lineno;
  l->first_run = w->first_run;
  l->n_runs = (uint32_t)w->n_runs - w->first_run;
  return GK_OK;
}

gk_status gk__lines_finish(gk__lines *w, gk__arena *a, const char *format,
                           gk__layout *out) {
  if (w->open)
    gk__lines_close(w, (uint32_t)w->n_lines + 1, false);
  if (w->status != GK_OK)
    return w->status;
  if (w->arena == a) {
    /* Reserved in this arena: handed over as they are. */
    out->format = format;
    out->lines = w->lines;
    out->n_lines = w->n_lines;
    out->runs = w->runs;
    out->n_runs = w->n_runs;
    w->lines = NULL;
    w->runs = NULL;
    w->cap_lines = w->cap_runs = 0;
    return GK_OK;
  }
  gk__line *lines = gk__arena_alloc(a, (w->n_lines + 1) * sizeof *lines);
  gk__run *runs = gk__arena_alloc(a, (w->n_runs + 1) * sizeof *runs);
  if (!lines || !runs)
    return w->status = GK_ENOMEM;
  if (w->n_lines)
    memcpy(lines, w->lines, w->n_lines * sizeof *lines);
  if (w->n_runs)
    memcpy(runs, w->runs, w->n_runs * sizeof *runs);
  out->format = format;
  out->lines = lines;
  out->n_lines = w->n_lines;
  out->runs = runs;
  out->n_runs = w->n_runs;
  return GK_OK;
}

/* ----------------------------------------------------- markup builder */

static gk_status fail(gk__lb *b, gk_status st) {
  if (b->status == GK_OK)
    b->status = st;
  return b->status;
}

void gk__lb_init(gk__lb *b, gk__arena *arena) {
  memset(b, 0, sizeof *b);
  b->arena = arena;
  gk__buf_init(&b->text, GK_LB_MAX_TEXT);
  gk__lines_init(&b->out, GK_LB_MAX_RUNS);
}

void gk__lb_free(gk__lb *b) {
  gk__buf_free(&b->text);
  gk__lines_free(&b->out);
  free(b->ev);
  b->ev = NULL;
}

static bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

/* The text without white space (ASCII and Unicode spaces) at its ends. */
static void trim(const char *s, size_t len, size_t *start, size_t *n) {
  size_t a = 0, e = len;
  while (a < e) {
    int32_t cp;
    size_t k = gk__utf8_decode(s + a, e - a, &cp);
    if (!gk__is_space(cp) && !(cp < 0x80 && is_ascii_space((char)cp)))
      break;
    a += k;
  }
  while (e > a) {
    size_t q = e - 1;
    while (q > a && ((unsigned char)s[q] & 0xC0) == 0x80)
      q--;
    int32_t cp;
    gk__utf8_decode(s + q, e - q, &cp);
    if (!gk__is_space(cp) && !(cp < 0x80 && is_ascii_space((char)cp)))
      break;
    e = q;
  }
  *start = a;
  *n = e - a;
}

/* ----------------------------------------------------------- output */

static gk_status push_run(gk__lb *b, const char *text, uint32_t len,
                          int32_t table, int32_t row, int32_t col,
                          uint32_t lineno) {
  if (!b->out.open)
    b->line_lineno = 0;
  if (!gk__lines_run(&b->out, text, len, table, row, col))
    return fail(b, b->out.status);
  if (len && !b->line_lineno)
    b->line_lineno = lineno;
  return GK_OK;
}

/* Ends the open line; a line without text is dropped. */
static gk_status end_line(gk__lb *b) {
  if (!b->out.open)
    return b->status;
  gk_status st = gk__lines_close(&b->out, b->line_lineno, true);
  return st != GK_OK ? fail(b, st) : b->status;
}

/* The text being built, trimmed and copied into the arena; resets it. */
static const char *take_text(gk__lb *b, uint32_t *len, uint32_t *line) {
  size_t a = 0, n = 0;
  if (b->text.len)
    trim(b->text.data, b->text.len, &a, &n);
  const char *t = empty_text;
  if (n) {
    t = gk__arena_strndup(b->arena, b->text.data + a, n);
    if (!t) {
      fail(b, GK_ENOMEM);
      t = empty_text;
      n = 0;
    }
  }
  *len = (uint32_t)n;
  *line = b->text_line;
  b->text.len = 0;
  b->pending_space = false;
  b->text_line = 0;
  return t;
}

/* Ends the flowing run (kept even when empty: a tab position). */
static gk_status flow_field(gk__lb *b) {
  uint32_t len, line;
  const char *t = take_text(b, &len, &line);
  return push_run(b, t, len, -1, -1, -1, line);
}

static gk_status flow_break(gk__lb *b) {
  if (b->text.len || b->out.open) {
    gk_status st = flow_field(b);
    if (st != GK_OK)
      return st;
  }
  return end_line(b);
}

static gk_status append(gk__lb *b, const char *s, size_t len) {
  gk_status st = gk__buf_append(&b->text, s, len);
  if (st == GK_ETOOBIG)
    st = GK_ELIMIT;
  return st == GK_OK ? GK_OK : fail(b, st);
}

gk_status gk__lb_text(gk__lb *b, const char *s, size_t len, bool collapse) {
  if (b->status != GK_OK)
    return b->status;
  size_t i = 0;
  while (i < len) {
    size_t j = i;
    while (j < len && !(collapse ? is_ascii_space(s[j]) : s[j] == '\n'))
      j++;
    if (j > i) {
      if (b->pending_space && b->text.len && append(b, " ", 1) != GK_OK)
        return b->status;
      b->pending_space = false;
      if (!b->text_line)
        b->text_line = b->cur_lineno;
      if (append(b, s + i, j - i) != GK_OK)
        return b->status;
    }
    while (j < len && (collapse ? is_ascii_space(s[j]) : s[j] == '\n')) {
      if (s[j] == '\n')
        b->cur_lineno += b->cur_lineno ? 1 : 0;
      b->pending_space = true;
      j++;
    }
    i = j;
  }
  return GK_OK;
}

/* ------------------------------------------------------------ recording */

static gk_status record(gk__lb *b, uint8_t kind, uint32_t a, uint32_t bb,
                        const char *text) {
  gk_status st = gk__array_grow(&b->ev, &b->cap_ev, b->n_ev + 1, sizeof *b->ev,
                                GK_LB_MAX_EVENTS);
  if (st != GK_OK)
    return fail(b, st);
  gk__lb_event *e = &b->ev[b->n_ev++];
  e->kind = kind;
  e->line = b->cur_lineno;
  e->a = a;
  e->b = bb;
  e->text = text;
  return GK_OK;
}

/* Records the text piece being built, if it has any text. */
static gk_status flush_piece(gk__lb *b) {
  if (!b->text.len)
    return b->status;
  uint32_t len, line;
  const char *t = take_text(b, &len, &line);
  if (!len)
    return b->status;
  if (record(b, EV_TEXT, len, 0, t) != GK_OK)
    return b->status;
  if (line)
    b->ev[b->n_ev - 1].line = line;
  return GK_OK;
}

gk_status gk__lb_break(gk__lb *b) {
  if (b->status != GK_OK)
    return b->status;
  if (b->depth == 0)
    return flow_break(b);
  if (flush_piece(b) != GK_OK)
    return b->status;
  if (b->n_ev && b->ev[b->n_ev - 1].kind == EV_BREAK)
    return GK_OK;
  return record(b, EV_BREAK, 0, 0, NULL);
}

gk_status gk__lb_field(gk__lb *b) {
  if (b->status != GK_OK)
    return b->status;
  if (b->depth == 0)
    return flow_field(b);
  if (flush_piece(b) != GK_OK)
    return b->status;
  return record(b, EV_FIELD, 0, 0, NULL);
}

static gk_status close_cell(gk__lb *b) {
  if (!b->open[b->depth - 1].cell_open)
    return b->status;
  b->open[b->depth - 1].cell_open = false;
  return record(b, EV_CELL_END, 0, 0, NULL);
}

static gk_status close_row(gk__lb *b) {
  if (close_cell(b) != GK_OK || !b->open[b->depth - 1].row_open)
    return b->status;
  b->open[b->depth - 1].row_open = false;
  return record(b, EV_ROW_END, 0, 0, NULL);
}

static gk_status resolve_table(gk__lb *b, size_t i0, size_t i1);

gk_status gk__lb_table_begin(gk__lb *b) {
  if (b->status != GK_OK)
    return b->status;
  if (b->depth == 0) {
    if (flow_break(b) != GK_OK)
      return b->status;
  } else if (flush_piece(b) != GK_OK) {
    return b->status;
  }
  if (b->depth >= GK_LB_MAX_TABLE_NESTING)
    return fail(b, GK_ELIMIT);
  if (record(b, EV_TABLE, 0, 0, NULL) != GK_OK)
    return b->status;
  b->open[b->depth].row_open = b->open[b->depth].cell_open = false;
  b->depth++;
  return GK_OK;
}

gk_status gk__lb_table_end(gk__lb *b) {
  if (b->status != GK_OK || b->depth == 0)
    return b->status;
  if (flush_piece(b) != GK_OK || close_row(b) != GK_OK)
    return b->status;
  if (record(b, EV_TABLE_END, 0, 0, NULL) != GK_OK)
    return b->status;
  b->depth--;
  if (b->depth > 0)
    return GK_OK;
  gk_status st = resolve_table(b, 0, b->n_ev - 1);
  b->n_ev = 0;
  return st;
}

/* Starts a row in the innermost open table. */
static gk_status open_row(gk__lb *b) {
  if (record(b, EV_ROW, 0, 0, NULL) != GK_OK)
    return b->status;
  b->open[b->depth - 1].row_open = true;
  return GK_OK;
}

gk_status gk__lb_row_begin(gk__lb *b) {
  if (b->status != GK_OK)
    return b->status;
  if (b->depth == 0)
    return flow_break(b);
  if (flush_piece(b) != GK_OK || close_row(b) != GK_OK)
    return b->status;
  return open_row(b);
}

gk_status gk__lb_row_end(gk__lb *b) {
  if (b->status != GK_OK)
    return b->status;
  if (b->depth == 0)
    return flow_break(b);
  if (flush_piece(b) != GK_OK)
    return b->status;
  return close_row(b);
}

gk_status gk__lb_cell_begin(gk__lb *b, uint32_t colspan, uint32_t rowspan) {
  if (b->status != GK_OK)
    return b->status;
  if (b->depth == 0)
    return flow_break(b);
  if (flush_piece(b) != GK_OK || close_cell(b) != GK_OK)
    return b->status;
  /* A cell outside any row: the row is implied. */
  if (!b->open[b->depth - 1].row_open && open_row(b) != GK_OK)
    return b->status;
  if (colspan < 1)
    colspan = 1;
  if (colspan > GK_LB_MAX_COLS)
    colspan = GK_LB_MAX_COLS;
  if (rowspan > GK_LB_MAX_ROWSPAN)
    rowspan = GK_LB_MAX_ROWSPAN;
  if (record(b, EV_CELL, colspan, rowspan, NULL) != GK_OK)
    return b->status;
  b->open[b->depth - 1].cell_open = true;
  return GK_OK;
}

gk_status gk__lb_cell_end(gk__lb *b) {
  if (b->status != GK_OK)
    return b->status;
  if (b->depth == 0)
    return flow_break(b);
  if (flush_piece(b) != GK_OK)
    return b->status;
  return close_cell(b);
}

/* ----------------------------------------------------------- resolving */

/* The EV_TABLE_END that closes the EV_TABLE at i. */
static size_t match_end(const gk__lb *b, size_t i) {
  size_t depth = 0;
  for (; i < b->n_ev; i++) {
    if (b->ev[i].kind == EV_TABLE)
      depth++;
    else if (b->ev[i].kind == EV_TABLE_END && --depth == 0)
      return i;
  }
  return b->n_ev - 1; /* not reached: tables are closed before resolving */
}

/* Appends a recorded text piece to the flowing run. */
static gk_status flow_piece(gk__lb *b, const gk__lb_event *e) {
  if (b->text.len && append(b, " ", 1) != GK_OK)
    return b->status;
  if (!b->text_line)
    b->text_line = e->line;
  return append(b, e->text, e->a);
}

/* A layout table: its content as paragraphs, its tables resolved in
 * turn. */
static gk_status flow_table(gk__lb *b, size_t i0, size_t i1) {
  for (size_t k = i0 + 1; k < i1 && b->status == GK_OK; k++) {
    const gk__lb_event *e = &b->ev[k];
    switch (e->kind) {
    case EV_TEXT:
      flow_piece(b, e);
      break;
    case EV_FIELD:
      flow_field(b);
      break;
    case EV_TABLE: {
      size_t j = match_end(b, k);
      resolve_table(b, k, j);
      k = j;
      break;
    }
    default: /* breaks, rows and cells all end a paragraph */
      flow_break(b);
      break;
    }
  }
  return flow_break(b);
}

/* Per grid column while laying out a data table. */
typedef struct grid_col {
  uint32_t pending; /* rows (this one included) a span still covers */
  const char *text; /* the anchor cell's text in this row, or NULL */
  uint32_t len;
} grid_col;

/* The text of the cell whose EV_CELL is at k: its pieces joined by a
 * space.  Sets *end to the index of its EV_CELL_END. */
static const char *cell_text(gk__lb *b, size_t k, size_t limit, uint32_t *len,
                             size_t *end) {
  size_t n_pieces = 0, total = 0, first = 0, j = k + 1;
  for (; j < limit && b->ev[j].kind != EV_CELL_END; j++) {
    if (b->ev[j].kind != EV_TEXT)
      continue;
    if (n_pieces++ == 0)
      first = j;
    total += b->ev[j].a + 1;
  }
  *end = j;
  if (n_pieces == 0) {
    *len = 0;
    return empty_text;
  }
  if (n_pieces == 1) {
    *len = b->ev[first].a;
    return b->ev[first].text;
  }
  char *t = gk__arena_alloc(b->arena, total);
  if (!t) {
    fail(b, GK_ENOMEM);
    *len = 0;
    return empty_text;
  }
  size_t o = 0;
  for (size_t q = first; q < j; q++) {
    if (b->ev[q].kind != EV_TEXT)
      continue;
    if (o)
      t[o++] = ' ';
    memcpy(t + o, b->ev[q].text, b->ev[q].a);
    o += b->ev[q].a;
  }
  *len = (uint32_t)o;
  return t;
}

/* Emits, as lines of their own, the text pieces in [from, to) that lie
 * outside cells: a caption, or stray text a browser would show beside the
 * table. */
static void flow_loose_text(gk__lb *b, size_t from, size_t to) {
  bool in_cell = false;
  for (size_t k = from; k < to && b->status == GK_OK; k++) {
    const gk__lb_event *e = &b->ev[k];
    if (e->kind == EV_CELL) {
      in_cell = true;
    } else if (e->kind == EV_CELL_END) {
      in_cell = false;
    } else if (e->kind == EV_TEXT && !in_cell) {
      flow_piece(b, e);
      flow_break(b);
    }
  }
}

/* A data table: one line per grid row, one run per grid column.  Text
 * outside cells keeps its place in the source: before or between rows, or
 * right after the row it sits in. */
static gk_status grid_table(gk__lb *b, size_t i0, size_t i1) {
  uint32_t rows_left = 0;
  for (size_t k = i0 + 1; k < i1; k++)
    rows_left += b->ev[k].kind == EV_ROW;

  int32_t table = b->n_tables++;
  grid_col *cols = NULL;
  size_t n_cols = 0, cap_cols = 0, row_start = 0;
  uint32_t col = 0, row_line = 0;
  int32_t row = 0;
  bool in_row = false, loose = false;
  for (size_t k = i0 + 1; k < i1 && b->status == GK_OK; k++) {
    const gk__lb_event *e = &b->ev[k];
    if (e->kind == EV_ROW) {
      col = 0;
      row_line = e->line;
      row_start = k;
      in_row = true;
      loose = false;
    } else if (e->kind == EV_TEXT) {
      /* Cells' own text is skipped below: this is loose text. */
      if (in_row) {
        loose = true;
      } else {
        flow_piece(b, e);
        flow_break(b);
      }
    } else if (e->kind == EV_CELL) {
      while (col < n_cols && cols[col].pending > 0)
        col++;
      uint32_t cs = e->a ? e->a : 1;
      uint32_t rs = e->b == 0 || e->b > rows_left ? rows_left : e->b;
      if (rs < 1)
        rs = 1;
      if ((size_t)col + cs > GK_LB_MAX_COLS) {
        fail(b, GK_ELIMIT);
        break;
      }
      gk_status gs = gk__array_grow(&cols, &cap_cols, (size_t)col + cs,
                                    sizeof *cols, GK_LB_MAX_COLS);
      if (gs != GK_OK) {
        fail(b, gs);
        break;
      }
      while (n_cols < col + cs) {
        memset(&cols[n_cols], 0, sizeof *cols);
        n_cols++;
      }
      size_t end;
      cols[col].text = cell_text(b, k, i1, &cols[col].len, &end);
      for (uint32_t c = col; c < col + cs; c++)
        if (cols[c].pending < rs)
          cols[c].pending = rs;
      col += cs;
      k = end;
    } else if (e->kind == EV_ROW_END) {
      size_t width = n_cols;
      while (width > 0 && cols[width - 1].pending == 0)
        width--;
      for (size_t c = 0; c < width && b->status == GK_OK; c++) {
        const char *t = cols[c].text ? cols[c].text : empty_text;
        push_run(b, t, cols[c].text ? cols[c].len : 0, table, row, (int32_t)c,
                 row_line);
      }
      end_line(b);
      if (loose)
        flow_loose_text(b, row_start, k);
      for (size_t c = 0; c < n_cols; c++) {
        if (cols[c].pending > 0)
          cols[c].pending--;
        cols[c].text = NULL;
        cols[c].len = 0;
      }
      row++;
      if (rows_left)
        rows_left--;
      in_row = false;
    }
  }
  free(cols);
  return b->status;
}

static gk_status resolve_table(gk__lb *b, size_t i0, size_t i1) {
  for (size_t k = i0 + 1; k < i1; k++)
    if (b->ev[k].kind == EV_TABLE)
      return flow_table(b, i0, i1);
  return grid_table(b, i0, i1);
}

/* -------------------------------------------------------------- finish */

gk_status gk__lb_finish(gk__lb *b, const char *format, bool number_lines,
                        gk__layout *out) {
  while (b->status == GK_OK && b->depth > 0)
    gk__lb_table_end(b);
  if (b->status == GK_OK)
    flow_break(b);
  if (b->status != GK_OK)
    return b->status;
  /* Line numbers never go down: a table's row is numbered where the row
   * starts, and markup can put text of later lines before it. */
  gk__line *lines = b->out.lines;
  for (size_t i = 0; i < b->out.n_lines; i++) {
    if (number_lines)
      lines[i].lineno = (uint32_t)i + 1;
    else if (lines[i].lineno == 0)
      lines[i].lineno = i > 0 ? lines[i - 1].lineno : 1;
    else if (i > 0 && lines[i].lineno < lines[i - 1].lineno)
      lines[i].lineno = lines[i - 1].lineno;
  }
  gk_status st = gk__lines_finish(&b->out, b->arena, format, out);
  return st != GK_OK ? fail(b, st) : GK_OK;
}
