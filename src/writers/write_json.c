/*
 * write_json.c - the report model as JSON (model.md §1–2).
 *
 * A small streaming writer rather than jansson's object builder: the 万元
 * fee must keep the decimals the source printed ("1.20" stays 1.20), and
 * jansson prints reals in its own precision.  Keys are written in the
 * model's order; strings are escaped per RFC 8259 (UTF-8 passes through).
 */
#include <stdio.h>
#include <string.h>

#include "model.h"

/* Output of one report is bounded: a 64 MiB input cannot need more. */
#define GK_MAX_JSON_BYTES ((size_t)256 << 20)

typedef struct jw {
  gk__buf *b;
  bool pretty;
  int inline_; /* > 0: pretty, but this object stays on one line */
  int depth;
  bool first; /* no member written yet at this level */
  gk_status st;
} jw;

static void raw(jw *w, const char *s, size_t n) {
  if (w->st == GK_OK)
    w->st = gk__buf_append(w->b, s, n);
}

static void rawz(jw *w, const char *s) { raw(w, s, strlen(s)); }

static void newline(jw *w) {
  if (!w->pretty || w->inline_)
    return;
  raw(w, "\n", 1);
  for (int i = 0; i < w->depth; i++)
    raw(w, "  ", 2);
}

static void str(jw *w, const char *s) {
  if (!s) {
    rawz(w, "null");
    return;
  }
  raw(w, "\"", 1);
  const char *run = s;
  for (const char *p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    raw(w, run, (size_t)(p - run));
    char esc[8];
    switch (c) {
    case '"':
      rawz(w, "\\\"");
      break;
    case '\\':
      rawz(w, "\\\\");
      break;
    case '\n':
      rawz(w, "\\n");
      break;
    case '\r':
      rawz(w, "\\r");
      break;
    case '\t':
      rawz(w, "\\t");
      break;
    default:
      snprintf(esc, sizeof esc, "\\u%04x", c);
      rawz(w, esc);
    }
    run = p + 1;
  }
  rawz(w, run);
  raw(w, "\"", 1);
}

static void sep(jw *w) {
  if (!w->first)
    raw(w, w->pretty && w->inline_ ? ", " : ",",
        w->pretty && w->inline_ ? 2 : 1);
  w->first = false;
  newline(w);
}

static void key(jw *w, const char *k) {
  sep(w);
  str(w, k);
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

static void integer(jw *w, long long v) {
  char n[32];
  snprintf(n, sizeof n, "%lld", v);
  rawz(w, n);
}

static void cell(jw *w, const gk__cell *c) {
  if (c->state != GK_CELL_VALUE) {
    rawz(w, "null");
    return;
  }
  char n[48];
  if (!gk__decimal_text(c->value, c->scale, n, sizeof n)) {
    rawz(w, "null");
    return;
  }
  rawz(w, n);
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

static void diag(jw *w, const gk_diag *d) {
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
  close_(w, '}');
}

gk_status gk_report_to_json(const gk_report *r, unsigned flags, char **out,
                            size_t *len) {
  if (!r || !out)
    return GK_EINVAL;
  *out = NULL;
  gk__buf b;
  gk__buf_init(&b, GK_MAX_JSON_BYTES);
  jw w = {&b, (flags & GK_JSON_PRETTY) != 0, 0, 0, true, GK_OK};

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
    diag(&w, &r->diags[i]);
  }
  close_(&w, ']');
  close_(&w, '}');

  if (w.st != GK_OK) {
    gk__buf_free(&b);
    return w.st == GK_ETOOBIG ? GK_ELIMIT : w.st;
  }
  *out = gk__buf_detach(&b, len);
  return GK_OK;
}
