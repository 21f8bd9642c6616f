/*
 * write_json.c - the report model as JSON (model.md §1–2).
 *
 * A small streaming writer rather than jansson's object builder: the 万元
 * fee must keep the decimals the source printed ("1.20" stays 1.20), and
 * jansson prints reals in its own precision.  Keys are written in the
 * model's order; strings are escaped per RFC 8259 (UTF-8 passes through).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "model.h"
#include "writers/findings.h"

/* Output of one report is bounded: a 64 MiB input cannot need more. */
#define GK_MAX_JSON_BYTES ((size_t)256 << 20)

/* The buffer a model starts with: most models fit (the bench corpus's
 * are 10-30 KB), so it rarely grows. */
#define GK_JSON_START_BYTES ((size_t)32 << 10)

typedef struct jw {
  gk__buf *b;
  bool pretty;
  int inline_; /* > 0: pretty, but this object stays on one line */
  int depth;
  bool first; /* no member written yet at this level */
  gk_status st;
  bool excerpt; /* GK_JSON_EXCERPT */
} jw;

/* A model writes some 5,000 pieces, most of one to a few bytes: they are
 * copied straight into the buffer while it has room (and the NUL the
 * buffer keeps after its text), and only a piece that needs the buffer to
 * grow goes through gk__buf_append() (callgrind: the appends were a third
 * of the writer's instructions). */
static void raw(jw *w, const char *s, size_t n) {
  gk__buf *b = w->b;
  if (w->st != GK_OK)
    return;
  if (n < b->cap - b->len && n <= b->max - b->len) {
    char *d = b->data + b->len;
    if (n == 1)
      d[0] = s[0];
    else
      memcpy(d, s, n);
    d[n] = '\0';
    b->len += n;
    return;
  }
  w->st = gk__buf_append(b, s, n);
}

static void rawz(jw *w, const char *s) { raw(w, s, strlen(s)); }

static void newline(jw *w) {
  if (!w->pretty || w->inline_)
    return;
  raw(w, "\n", 1);
  for (int i = 0; i < w->depth; i++)
    raw(w, "  ", 2);
}

/* Bytes a JSON string must escape: the controls, the quote and the
 * backslash (UTF-8 passes through). */
static const unsigned char must_escape[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,         1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, ['"'] = 1, ['\\'] = 1};

/* The characters of s as a JSON string's, escaped, without the quotes.
 * (Word-at-a-time scanning did not pay: a model's strings are short.) */
static void str_body(jw *w, const char *s) {
  const unsigned char *run = (const unsigned char *)s, *p = run;
  for (;; p++) {
    unsigned char c = *p;
    if (!must_escape[c])
      continue;
    if (c == '\0')
      break;
    raw(w, (const char *)run, (size_t)(p - run));
    char esc[8];
    switch (c) {
    case '"':
      raw(w, "\\\"", 2);
      break;
    case '\\':
      raw(w, "\\\\", 2);
      break;
    case '\n':
      raw(w, "\\n", 2);
      break;
    case '\r':
      raw(w, "\\r", 2);
      break;
    case '\t':
      raw(w, "\\t", 2);
      break;
    default:
      snprintf(esc, sizeof esc, "\\u%04x", c);
      rawz(w, esc);
    }
    run = p + 1;
  }
  raw(w, (const char *)run, (size_t)(p - run));
}

static void str(jw *w, const char *s) {
  if (!s) {
    rawz(w, "null");
    return;
  }
  raw(w, "\"", 1);
  str_body(w, s);
  raw(w, "\"", 1);
}

static void sep(jw *w) {
  if (!w->first)
    raw(w, w->pretty && w->inline_ ? ", " : ",",
        w->pretty && w->inline_ ? 2 : 1);
  w->first = false;
  newline(w);
}

/* Keys are the model's own names (literals here and the keys of the
 * compiled-in table definitions, model.md): ASCII identifiers, written
 * as they are, without looking for characters to escape. */
static void key(jw *w, const char *k) {
  sep(w);
  raw(w, "\"", 1);
  rawz(w, k);
  raw(w, "\"", 1);
  raw(w, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
}

/* The key "a.b" (b NULL: "a"), written in pieces: formatting it first
 * with snprintf cost 900 instructions a cell (callgrind). */
static void key_dotted(jw *w, const char *a, const char *b) {
  sep(w);
  raw(w, "\"", 1);
  rawz(w, a);
  if (b) {
    raw(w, ".", 1);
    rawz(w, b);
  }
  raw(w, "\"", 1);
  raw(w, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
}

static void open_(jw *w, char c) {
  raw(w, &c, 1);
  w->depth++;
  w->first = true;
}

static void close_(jw *w, char c) {
  w->depth--;
  if (!w->first)
    newline(w);
  raw(w, &c, 1);
  w->first = false;
}

/* By hand, not snprintf: a model writes some 4,000 integers (the lines
 * of its cells' provenance), and snprintf's were a tenth of the
 * instructions of `gongkai parse` (callgrind, docs/PERFORMANCE.md). */
/* Writes u's decimal digits backwards, ending just before end (at most
 * 20 characters); returns where they begin. */
static char *digits_before(char *end, unsigned long long u) {
  do {
    *--end = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  return end;
}

static void integer(jw *w, long long v) {
  char n[24];
  char *p = digits_before(n + sizeof n, v < 0 ? 0ULL - (unsigned long long)v
                                              : (unsigned long long)v);
  if (v < 0)
    *--p = '-';
  raw(w, p, (size_t)(n + sizeof n - p));
}

/* A cell's value as gk__decimal_text() prints it ("-12", "1.20"), by
 * hand: its snprintf was a third of the model JSON's instructions (a
 * model writes some 170 values a table; callgrind, docs/PERFORMANCE.md
 * "Sixth pass").  The scale (unsigned) is clamped to 18 as there. */
static void cell(jw *w, const gk__cell *c) {
  if (c->state != GK_CELL_VALUE) {
    rawz(w, "null");
    return;
  }
  int scale = c->scale > 18 ? 18 : c->scale;
  unsigned long long u = c->value < 0 ? 0ULL - (unsigned long long)c->value
                                      : (unsigned long long)c->value;
  char n[48]; /* 20 digits, the sign, the point, 18 leading zeros */
  char *p = n + sizeof n;
  for (int i = 0; i < scale; i++) {
    *--p = (char)('0' + u % 10);
    u /= 10;
  }
  if (scale > 0)
    *--p = '.';
  p = digits_before(p, u);
  if (c->value < 0)
    *--p = '-';
  raw(w, p, (size_t)(n + sizeof n - p));
}

static void table(jw *w, const gk__table *t) {
  if (!t) {
    rawz(w, "null");
    return;
  }
  const gk__tabledef *def = t->def;
  open_(w, '{');
  for (int ri = 0; ri < def->n_rows; ri++) {
    const gk__rowdef *row = &def->rows[ri];
    key(w, row->key);
    if (row->scalar) {
      cell(w, gk__table_cell(t, ri, 0));
      continue;
    }
    /* Table rows stay on one line in pretty output: 25 rows of 7 cells
     * read better as a grid than as 175 lines. */
    w->inline_++;
    open_(w, '{');
    for (int ci = 0; ci < row->n_cols; ci++) {
      key(w, row->cols[ci].key);
      cell(w, gk__table_cell(t, ri, ci));
    }
    close_(w, '}');
    w->inline_--;
  }
  close_(w, '}');
}

/* ------------------------------------------------------- provenance */

static void number2(jw *w, float v) {
  char n[48];
  snprintf(n, sizeof n, "%.2f", (double)v);
  rawz(w, n);
}

/* A cell's provenance members: line, the token as printed, page and box
 * (PDF).  Written inside an open object. */
/* A PDF cell's page and box, members of the open object. */
static void cell_page_box(jw *w, const gk__cell *c) {
  key(w, "page");
  integer(w, c->page);
  key(w, "box");
  open_(w, '[');
  const float box[4] = {c->x0, c->y0, c->x1, c->y1};
  for (int k = 0; k < 4; k++) {
    sep(w);
    number2(w, box[k]);
  }
  close_(w, ']');
}

static void cell_source(jw *w, const gk__cell *c) {
  key(w, "line");
  integer(w, c->line);
  if (c->text) {
    key(w, "text");
    str(w, c->text);
  }
  if (c->page)
    cell_page_box(w, c);
}

/* A cell's provenance as a member "a.b":{...} of the open object, in
 * compact output: what key_dotted(), open_(), cell_source() and close_()
 * write, with its fixed part (the key and the line) put together first
 * and copied once.  The cells' provenance is most of a model (some 170
 * members a table): some 810 instructions a cell with its text through
 * the generic calls, 480 so (callgrind, docs/PERFORMANCE.md "Sixth
 * pass"). */
static void cell_source_compact(jw *w, const char *a, const char *b,
                                const gk__cell *c) {
  size_t na = strlen(a), nb = b ? strlen(b) : 0;
  /* the keys are the model's names (model.md), far shorter than this;
   * a longer one takes the generic path */
  char head[160];
  if (na + nb + 48 > sizeof head) {
    key_dotted(w, a, b);
    open_(w, '{');
    cell_source(w, c);
    close_(w, '}');
    return;
  }
  char *p = head;
  if (!w->first)
    *p++ = ',';
  w->first = false;
  *p++ = '"';
  memcpy(p, a, na);
  p += na;
  if (b) {
    *p++ = '.';
    memcpy(p, b, nb);
    p += nb;
  }
  memcpy(p, "\":{\"line\":", 10);
  p += 10;
  char n[24];
  const char *q = digits_before(n + sizeof n, c->line);
  size_t nn = (size_t)(n + sizeof n - q);
  memcpy(p, q, nn);
  p += nn;
  if (c->text) {
    memcpy(p, ",\"text\":", 8);
    p += 8;
  }
  raw(w, head, (size_t)(p - head));
  if (c->text)
    str(w, c->text);
  if (c->page) {
    w->first = false;
    cell_page_box(w, c);
  }
  raw(w, "}", 1);
  w->first = false;
}

/* The table, row and column a model path names ("applications.received.
 * total"): *row and *col are -1 when the path stops before them.  NULL
 * when it names no table of the report. */
static const gk__table *path_target(const gk_report *r, const char *path,
                                    int *row, int *col) {
  *row = *col = -1;
  if (!path)
    return NULL;
  const char *dot = strchr(path, '.');
  size_t tl = dot ? (size_t)(dot - path) : strlen(path);
  const gk__table *t = NULL;
  for (int i = 0; i < GK_N_TABLES && !t; i++)
    if (r->tables[i] && strlen(r->tables[i]->def->key) == tl &&
        memcmp(r->tables[i]->def->key, path, tl) == 0)
      t = r->tables[i];
  if (!t || !dot)
    return t;
  const char *rk = dot + 1, *dot2 = strchr(rk, '.');
  size_t rl = dot2 ? (size_t)(dot2 - rk) : strlen(rk);
  for (int i = 0; i < t->def->n_rows; i++)
    if (strlen(t->def->rows[i].key) == rl &&
        memcmp(t->def->rows[i].key, rk, rl) == 0)
      *row = i;
  if (*row < 0 || !dot2)
    return t;
  const gk__rowdef *rd = &t->def->rows[*row];
  for (int i = 0; i < rd->n_cols; i++)
    if (rd->cols[i].key && strcmp(rd->cols[i].key, dot2 + 1) == 0)
      *col = i;
  return t;
}

/* One cell of a finding's provenance, with its path. */
static void finding_cell(jw *w, const gk__table *t, int row, int col) {
  const gk__cell *c = gk__table_cell(t, row, col);
  if (!c->line && !c->text)
    return;
  const gk__rowdef *rd = &t->def->rows[row];
  sep(w);
  w->inline_++;
  open_(w, '{');
  key(w, "path");
  char path[256];
  if (rd->scalar)
    snprintf(path, sizeof path, "%s.%s", t->def->key, rd->key);
  else
    snprintf(path, sizeof path, "%s.%s.%s", t->def->key, rd->key,
             rd->cols[col].key);
  str(w, path);
  cell_source(w, c);
  close_(w, '}');
  w->inline_--;
}

/* What a finding is about, where the source shows it: the row's label
 * line and the label as printed, and every cell it names with its line,
 * token and (PDF) box.  Nothing when its path names no table. */
static void fact(jw *w, const gk_report *r, const gk__fact *x);

/* "facts": the facts the prose pass read on source line `line`, if any
 * (what a text.* finding on that line is about). */
static void facts_on_line(jw *w, const gk_report *r, uint32_t line) {
  const gk__facts *f = r->facts;
  size_t n = 0;
  for (size_t i = 0; line && f && i < f->n_facts; i++)
    n += f->facts[i].line == line;
  if (!n)
    return;
  key(w, "facts");
  open_(w, '[');
  for (size_t i = 0; i < f->n_facts; i++) {
    if (f->facts[i].line != line)
      continue;
    sep(w);
    fact(w, r, &f->facts[i]);
  }
  close_(w, ']');
}

/* The text of the source a finding without a table path is about: the
 * metadata field its path names (title, agency, published), the part
 * heading on its line, and the facts the prose pass read on its line. */
static void text_source(jw *w, const gk_report *r, const gk_diag *d) {
  const char *field = NULL;
  uint32_t line = d->line;
  if (d->path && strcmp(d->path, "title") == 0) {
    field = r->title;
    line = r->title_line;
  } else if (d->path && strcmp(d->path, "agency") == 0) {
    /* The body the 落款 names, else the agency as the title names it. */
    field = r->signature_agency ? r->signature_agency : r->agency;
    line = r->signature_agency ? r->signature_line
           : r->agency         ? r->title_line
                               : line;
  } else if (d->path && strcmp(d->path, "published") == 0) {
    field = r->published;
    line = r->date_line;
  }
  const gk__section *heading = NULL;
  for (size_t i = 0; line && i < r->n_sections && !heading; i++)
    if (r->sections[i].pub.line == line)
      heading = &r->sections[i];
  if (!line && !field)
    return;
  key(w, "provenance");
  open_(w, '{');
  key(w, "line");
  integer(w, line);
  uint32_t page = gk__report_page(r, line);
  if (page) {
    key(w, "page");
    integer(w, page);
  }
  if (field) {
    key(w, "text");
    str(w, field);
  }
  if (heading) {
    key(w, "heading");
    w->inline_++;
    open_(w, '{');
    key(w, "number");
    integer(w, heading->pub.number);
    key(w, "text");
    str(w, heading->pub.heading);
    close_(w, '}');
    w->inline_--;
  }
  facts_on_line(w, r, line);
  close_(w, '}');
}

/* "lines": [first, last], a table's span in the source, on one line. */
static void table_lines(jw *w, const gk__table *t) {
  key(w, "lines");
  w->inline_++;
  open_(w, '[');
  sep(w);
  integer(w, t->first_line);
  sep(w);
  integer(w, t->last_line);
  close_(w, ']');
  w->inline_--;
}

static void finding_source(jw *w, const gk_report *r, const gk_diag *d) {
  if (!r->has_provenance)
    return;
  int row, col;
  const gk__table *t = path_target(r, d->path, &row, &col);
  if (!t) {
    text_source(w, r, d);
    return;
  }
  key(w, "provenance");
  open_(w, '{');
  if (row < 0) {
    table_lines(w, t);
  } else {
    if (t->row_found[row]) {
      key(w, "label");
      w->inline_++;
      open_(w, '{');
      key(w, "line");
      integer(w, t->row_line[row]);
      const char *printed = t->row_printed && t->row_printed[row]
                                ? t->row_printed[row]
                                : t->row_label[row];
      if (printed) {
        key(w, "text");
        str(w, printed);
      }
      close_(w, '}');
      w->inline_--;
    }
    key(w, "cells");
    open_(w, '[');
    const gk__rowdef *rd = &t->def->rows[row];
    for (int c = 0; c < (rd->scalar ? 1 : rd->n_cols); c++)
      if (col < 0 || c == col)
        finding_cell(w, t, row, c);
    close_(w, ']');
  }
  facts_on_line(w, r, d->line);
  close_(w, '}');
}

/* A year statement, or null. */
static void year_at(jw *w, bool found, int year, uint32_t line) {
  if (!found) {
    rawz(w, "null");
    return;
  }
  w->inline_++;
  open_(w, '{');
  key(w, "year");
  integer(w, year);
  key(w, "line");
  integer(w, line);
  close_(w, '}');
  w->inline_--;
}

static void opt_str(jw *w, const char *s) {
  if (s)
    str(w, s);
  else
    rawz(w, "null");
}

/* A table's provenance: its lines, its header as found, its rows' labels
 * as found and printed, and where each cell was read. */
static void table_source(jw *w, const gk__table *t) {
  const gk__tabledef *def = t->def;
  open_(w, '{');
  table_lines(w, t);
  if (t->col_label) {
    key(w, "columns");
    w->inline_++;
    open_(w, '[');
    for (int k = 0; k < def->n_header_cols; k++) {
      sep(w);
      opt_str(w, t->col_label[k]);
    }
    close_(w, ']');
    w->inline_--;
  }
  if (t->header_text) {
    key(w, "header");
    open_(w, '{');
    key(w, "to");
    integer(w, t->header_to);
    key(w, "text");
    str(w, t->header_text);
    key(w, "lines");
    open_(w, '[');
    for (size_t i = 0; i < t->n_header_lines; i++) {
      sep(w);
      w->inline_++;
      open_(w, '[');
      sep(w);
      integer(w, t->header_lineno[i]);
      sep(w);
      str(w, t->header_line_text[i]);
      close_(w, ']');
      w->inline_--;
    }
    close_(w, ']');
    close_(w, '}');
  }
  key(w, "rows");
  open_(w, '{');
  for (int i = 0; i < def->n_rows; i++) {
    if (!t->row_found[i])
      continue;
    key(w, def->rows[i].key);
    w->inline_++;
    open_(w, '{');
    key(w, "line");
    integer(w, t->row_line[i]);
    key(w, "label");
    opt_str(w, t->row_label[i]);
    if (t->row_printed && t->row_printed[i]) {
      key(w, "printed");
      str(w, t->row_printed[i]);
    }
    close_(w, '}');
    w->inline_--;
  }
  close_(w, '}');
  key(w, "cells");
  open_(w, '{');
  for (int i = 0; i < def->n_rows; i++) {
    const gk__rowdef *rd = &def->rows[i];
    for (int c = 0; c < (rd->scalar ? 1 : rd->n_cols); c++) {
      const gk__cell *cl = gk__table_cell(t, i, c);
      if (!cl->line && !cl->text)
        continue;
      if (!w->pretty) {
        cell_source_compact(w, rd->key, rd->scalar ? NULL : rd->cols[c].key,
                            cl);
        continue;
      }
      key_dotted(w, rd->key, rd->scalar ? NULL : rd->cols[c].key);
      w->inline_++;
      open_(w, '{');
      cell_source(w, cl);
      close_(w, '}');
      w->inline_--;
    }
  }
  close_(w, '}');
  close_(w, '}');
}

/* One fact the prose pass read: its kind, value, part, line and the text
 * it was read from (trigger word to unit). */
static void fact(jw *w, const gk_report *r, const gk__fact *x) {
  const gk__section *sec = NULL;
  for (size_t k = 0; k < r->n_sections && !sec; k++)
    if (r->sections[k].pub.number == x->part)
      sec = &r->sections[k];
  w->inline_++;
  open_(w, '{');
  key(w, "kind");
  str(w, gk__fact_kind_name(x->kind));
  if (x->flags & GK_FACT_HAS_VALUE) {
    key(w, "value");
    integer(w, (long long)x->value);
  }
  key(w, "part");
  integer(w, x->part);
  key(w, "line");
  integer(w, x->line);
  const char *text = sec ? sec->pub.text : NULL;
  if (text && x->end > x->start && x->end <= strlen(text)) {
    size_t n = x->end - x->start;
    char *span = malloc(n + 1);
    if (!span) {
      w->st = GK_ENOMEM;
    } else {
      memcpy(span, text + x->start, n);
      span[n] = '\0';
      key(w, "text");
      str(w, span);
      free(span);
    }
  }
  close_(w, '}');
  w->inline_--;
}

/* The facts the prose pass read. */
static void facts_source(jw *w, const gk_report *r) {
  const gk__facts *f = r->facts;
  open_(w, '[');
  for (size_t i = 0; f && i < f->n_facts; i++) {
    sep(w);
    fact(w, r, &f->facts[i]);
  }
  close_(w, ']');
}

/* Where everything in the model came from (docs/MODEL.md): written for a
 * report that knows its source positions. */
static void provenance(jw *w, const gk_report *r) {
  key(w, "provenance");
  open_(w, '{');
  key(w, "title_line");
  integer(w, r->title_line);
  key(w, "signature");
  w->inline_++;
  open_(w, '{');
  key(w, "agency");
  opt_str(w, r->signature_agency);
  key(w, "line");
  integer(w, r->signature_line);
  key(w, "date_line");
  integer(w, r->date_line);
  key(w, "agency_from_signature");
  rawz(w, r->agency_from_signature ? "true" : "false");
  close_(w, '}');
  w->inline_--;
  key(w, "pages");
  open_(w, '[');
  {
    /* Runs of consecutive lines on one page: [page, first, last]. */
    const gk__layout *l = &r->layout;
    gk__page_span cur = {0, 0, 0};
    for (size_t i = 0; i <= l->n_lines + r->n_page_spans; i++) {
      gk__page_span at = {0, 0, 0};
      if (i < l->n_lines) {
        const gk__line *ln = &l->lines[i];
        at.page = ln->n_runs ? l->runs[ln->first_run].page : 0;
        at.first = at.last = ln->lineno;
      } else if (i < l->n_lines + r->n_page_spans) {
        at = r->page_spans[i - l->n_lines];
      }
      if (cur.page && at.page == cur.page && at.first == cur.last + 1) {
        cur.last = at.last;
        continue;
      }
      if (cur.page) {
        sep(w);
        w->inline_++;
        open_(w, '[');
        sep(w);
        integer(w, cur.page);
        sep(w);
        integer(w, cur.first);
        sep(w);
        integer(w, cur.last);
        close_(w, ']');
        w->inline_--;
      }
      cur = at;
    }
  }
  close_(w, ']');
  key(w, "sections");
  open_(w, '[');
  for (size_t i = 0; i < r->n_sections; i++) {
    const gk__section *s = &r->sections[i];
    sep(w);
    w->inline_++;
    open_(w, '{');
    key(w, "numeral");
    integer(w, s->numeral);
    key(w, "end_line");
    integer(w, s->end_line);
    key(w, "repeat_line");
    if (s->repeated)
      integer(w, s->repeat_line);
    else
      rawz(w, "null");
    /* Where each source line starts in the part's text: [byte, line]. */
    key(w, "text_lines");
    open_(w, '[');
    const gk__facts_lines *m =
        r->facts && s->pub.number >= 1 && s->pub.number <= 6
            ? &r->facts->lines[s->pub.number]
            : NULL;
    for (size_t k = 0; m && k < m->n; k++) {
      sep(w);
      open_(w, '[');
      sep(w);
      integer(w, (long long)m->offset[k]);
      sep(w);
      integer(w, m->line[k]);
      close_(w, ']');
    }
    close_(w, ']');
    close_(w, '}');
    w->inline_--;
  }
  close_(w, ']');
  key(w, "edition_marker");
  if (r->edition_marker >= 0) {
    w->inline_++;
    open_(w, '{');
    key(w, "text");
    str(w, gk__edition_2019.markers[r->edition_marker]);
    key(w, "line");
    integer(w, r->edition_marker_line);
    close_(w, '}');
    w->inline_--;
  } else {
    rawz(w, "null");
  }
  key(w, "period");
  year_at(w, r->period_found, r->period_year, r->period_line);
  key(w, "opening");
  year_at(w, r->opening_year != 0, r->opening_year, r->opening_line);
  key(w, "mentions_accountability");
  rawz(w, r->facts && r->facts->mentions_accountability ? "true" : "false");
  key(w, "tables");
  open_(w, '{');
  for (int t = 0; t < GK_N_TABLES; t++) {
    if (!r->tables[t])
      continue;
    key(w, r->tables[t]->def->key);
    table_source(w, r->tables[t]);
  }
  close_(w, '}');
  key(w, "facts");
  facts_source(w, r);
  close_(w, '}');
}

static void diag(jw *w, const gk_report *r, const gk_diag *d) {
  open_(w, '{');
  key(w, "rule");
  str(w, d->rule);
  key(w, "severity");
  str(w, gk_severity_name(d->severity));
  key(w, "message");
  str(w, d->message);
  if (d->line || d->page) {
    key(w, "location");
    w->inline_++;
    open_(w, '{');
    if (d->line) {
      key(w, "line");
      integer(w, d->line);
    }
    if (d->page) {
      key(w, "page");
      integer(w, d->page);
    }
    close_(w, '}');
    w->inline_--;
  }
  if (d->path) {
    key(w, "path");
    str(w, d->path);
  }
  if (d->has_expected) {
    key(w, "expected");
    integer(w, (long long)d->expected);
    key(w, "actual");
    integer(w, (long long)d->actual);
  }
  finding_source(w, r, d);
  char text[GK_EXCERPT_BYTES];
  if (w->excerpt && gk__diag_excerpt(r, d, text)) {
    key(w, "excerpt");
    str(w, text);
  }
  close_(w, '}');
}

gk_status gk_report_to_json(const gk_report *r, unsigned flags, char **out,
                            size_t *len) {
  if (!r || !out)
    return GK_EINVAL;
  *out = NULL;
  gk__buf b;
  gk__buf_init(&b, GK_MAX_JSON_BYTES);
  /* a model is 10-30 KB: one allocation instead of seven doublings */
  if (gk__buf_append(&b, "", 0) == GK_OK && b.cap < GK_JSON_START_BYTES) {
    char *p = realloc(b.data, GK_JSON_START_BYTES);
    if (p) {
      b.data = p;
      b.cap = GK_JSON_START_BYTES;
    }
  }
  jw w = {&b,    (flags & GK_JSON_PRETTY) != 0, 0, 0, true,
          GK_OK, (flags & GK_JSON_EXCERPT) != 0};

  open_(&w, '{');
  key(&w, "schema");
  str(&w, "gongkai.report/1");
  key(&w, "source");
  open_(&w, '{');
  key(&w, "name");
  str(&w, r->source_name);
  key(&w, "format");
  str(&w, r->source_format);
  key(&w, "bytes");
  integer(&w, (long long)r->source_bytes);
  key(&w, "sha256");
  str(&w, r->sha256);
  close_(&w, '}');
  key(&w, "edition");
  str(&w, gk__edition_name(r->edition));
  key(&w, "title");
  str(&w, r->title);
  key(&w, "agency");
  str(&w, r->agency);
  key(&w, "year");
  if (r->year)
    integer(&w, r->year);
  else
    rawz(&w, "null");
  key(&w, "published");
  str(&w, r->published);
  key(&w, "sections");
  open_(&w, '[');
  for (size_t i = 0; i < r->n_sections; i++) {
    const gk_section *s = &r->sections[i].pub;
    sep(&w);
    open_(&w, '{');
    key(&w, "number");
    integer(&w, s->number);
    key(&w, "heading");
    str(&w, s->heading);
    key(&w, "line");
    integer(&w, s->line);
    if (s->page) {
      key(&w, "page");
      integer(&w, s->page);
    }
    key(&w, "text");
    str(&w, s->text);
    close_(&w, '}');
  }
  close_(&w, ']');
  key(&w, "proactive");
  table(&w, r->tables[GK_T_PROACTIVE]);
  key(&w, "applications");
  table(&w, r->tables[GK_T_APPLICATIONS]);
  key(&w, "appeals");
  table(&w, r->tables[GK_T_APPEALS]);
  key(&w, "diagnostics");
  open_(&w, '[');
  for (size_t i = 0; i < r->n_diags; i++) {
    sep(&w);
    diag(&w, r, &r->diags[i]);
  }
  close_(&w, ']');
  if (r->has_provenance)
    provenance(&w, r);
  close_(&w, '}');

  if (w.st != GK_OK) {
    gk__buf_free(&b);
    return w.st == GK_ETOOBIG ? GK_ELIMIT : w.st;
  }
  *out = gk__buf_detach(&b, len);
  return GK_OK;
}
