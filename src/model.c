/*
 * model.c - the floor under everything: a report's diagnostics, what a
 * report exposes through gongkai.h (metadata, parts, cells, findings, the
 * source text), and freeing it.
 *
 * Every layer adds its findings here (gk__diag_add, gk__diag_rule); none
 * of this reads a source or runs a reader or the parser (that is read.c,
 * the floor above them).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* ------------------------------------------------------- diagnostics */

static gk_diag *diag_vadd(gk_report *r, const char *rule, gk_severity sev,
                          uint32_t line, const char *path, const char *fmt,
                          va_list ap0) {
  if (gk__arena_array_grow(&r->arena, &r->diags, &r->cap_diags, r->n_diags,
                           r->n_diags + 1, sizeof *r->diags, SIZE_MAX) != GK_OK)
    return NULL;
  va_list ap;
  va_copy(ap, ap0);
  char small[512];
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0)
    return NULL;
  char *msg = gk__arena_alloc(&r->arena, (size_t)n + 1);
  if (!msg)
    return NULL;
  if ((size_t)n < sizeof small) {
    memcpy(msg, small, (size_t)n + 1);
  } else {
    va_copy(ap, ap0);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  gk_diag *d = &r->diags[r->n_diags++];
  memset(d, 0, sizeof *d);
  d->rule = rule;
  d->severity = sev;
  d->message = msg;
  d->line = line;
  d->path = path;
  d->page = gk__report_page(r, line);
  return d;
}

uint32_t gk__report_page(const gk_report *r, uint32_t line) {
  uint32_t page = gk__layout_page(&r->layout, line);
  for (size_t i = 0; !page && line && i < r->n_page_spans; i++)
    if (line >= r->page_spans[i].first && line <= r->page_spans[i].last)
      page = r->page_spans[i].page;
  return page;
}

gk_diag *gk__diag_add(gk_report *r, const char *rule, gk_severity sev,
                      uint32_t line, const char *path, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  gk_diag *d = diag_vadd(r, rule, sev, line, path, fmt, ap);
  va_end(ap);
  return d;
}

gk_diag *gk__diag_rule(gk_report *r, gk__rule rule, uint32_t line,
                       const char *path, const char *fmt, ...) {
  const gk_rule_info *ri = gk__rule_info(rule);
  va_list ap;
  va_start(ap, fmt);
  gk_diag *d = diag_vadd(r, ri->id, ri->severity, line, path, fmt, ap);
  va_end(ap);
  return d;
}

void gk__report_sort_diags(gk_report *r) {
  /* Insertion sort: stable, and diagnostics come nearly in order. */
  for (size_t i = 1; i < r->n_diags; i++) {
    gk_diag d = r->diags[i];
    uint32_t key = d.line ? d.line : UINT32_MAX;
    size_t j = i;
    while (j > 0) {
      uint32_t pk = r->diags[j - 1].line ? r->diags[j - 1].line : UINT32_MAX;
      if (pk <= key)
        break;
      r->diags[j] = r->diags[j - 1];
      j--;
    }
    r->diags[j] = d;
  }
}

const gk__section *gk__report_part(const gk_report *r, int number) {
  for (size_t i = 0; i < r->n_sections; i++)
    if (r->sections[i].pub.number == number)
      return &r->sections[i];
  return NULL;
}

/* ------------------------------------------------------------ freeing */

void gk_report_free(gk_report *r) {
  if (!r)
    return;
  gk__arena_free(&r->arena);
  free(r);
}

/* ----------------------------------------------------------- accessors */

void gk_report_meta(const gk_report *r, gk_meta *m) {
  memset(m, 0, sizeof *m);
  m->source_name = r->source_name;
  m->source_format = r->source_format;
  m->sha256 = r->sha256;
  m->source_bytes = r->source_bytes;
  m->edition = r->edition;
  m->title = r->title;
  m->agency = r->agency;
  m->year = r->year;
  m->published = r->published;
}

size_t gk_report_section_count(const gk_report *r) { return r->n_sections; }

const gk_section *gk_report_section(const gk_report *r, size_t i) {
  return i < r->n_sections ? &r->sections[i].pub : NULL;
}

size_t gk_report_diag_count(const gk_report *r) { return r->n_diags; }

const gk_diag *gk_report_diag(const gk_report *r, size_t i) {
  return i < r->n_diags ? &r->diags[i] : NULL;
}

gk_status gk_report_cell(const gk_report *r, const char *path, int64_t *value,
                         int *scale) {
  if (!r || !path)
    return GK_EINVAL;
  /* Paths are those of the tables the parser read; a pre-2019 report has
   * none, and its paths are checked against the current edition. */
  const gk__edition_def *ed = r->tables_ed ? r->tables_ed : &gk__edition_2021;
  for (int ti = 0; ti < GK_N_TABLES; ti++) {
    const gk__tabledef *def = ed->tables[ti];
    size_t kl = strlen(def->key);
    if (strncmp(path, def->key, kl) != 0 || path[kl] != '.')
      continue;
    const char *rest = path + kl + 1;
    for (int ri = 0; ri < def->n_rows; ri++) {
      const gk__rowdef *row = &def->rows[ri];
      size_t rl = strlen(row->key);
      if (strncmp(rest, row->key, rl) != 0)
        continue;
      int ci = -1;
      if (row->scalar && rest[rl] == '\0')
        ci = 0;
      else if (!row->scalar && rest[rl] == '.')
        ci = gk__col_index(row, rest + rl + 1);
      if (ci < 0)
        continue;
      const gk__table *t = r->tables[ti];
      if (!t)
        return GK_ENOENT;
      const gk__cell *c = gk__table_cell(t, ri, ci);
      if (c->state != GK_CELL_VALUE)
        return GK_ENOENT;
      if (value)
        *value = c->value;
      if (scale)
        *scale = c->scale;
      return GK_OK;
    }
    return GK_EINVAL;
  }
  return GK_EINVAL;
}

/* ------------------------------------------------------ the source text */

/* The source text is capped like any rendered output: a layout is built
 * from at most GK_MAX_INPUT_BYTES of input, and tabs and padding lines
 * add little. */
#define GK_SOURCE_TEXT_MAX ((size_t)2 * GK_MAX_INPUT_BYTES)

gk_status gk_report_source_text(const gk_report *r, char **out, size_t *len) {
  if (!r || !out || !len)
    return GK_EINVAL;
  *out = NULL;
  gk__buf b;
  gk__buf_init(&b, GK_SOURCE_TEXT_MAX);
  gk_status st = GK_OK;
  uint32_t at = 0; /* lines written so far */
  for (size_t i = 0; i < r->layout.n_lines && st == GK_OK; i++) {
    const gk__line *ln = &r->layout.lines[i];
    if (ln->lineno == 0)
      continue; /* no source line (a template): nothing to point at */
    if (ln->lineno > at) {
      /* pad to the line's number, so line N of the text is line N */
      while (at + 1 < ln->lineno && st == GK_OK) {
        st = gk__buf_putc(&b, '\n');
        at++;
      }
      if (at > 0 && st == GK_OK)
        st = gk__buf_putc(&b, '\n');
      at++;
    } else if (at > 0 && st == GK_OK) {
      /* a second layout line on one source line (cells of one row) */
      st = gk__buf_putc(&b, '\t');
    }
    for (uint32_t k = 0; k < ln->n_runs && st == GK_OK; k++) {
      const gk__run *run = &r->layout.runs[ln->first_run + k];
      if (k > 0)
        st = gk__buf_putc(&b, '\t');
      if (st == GK_OK)
        st = gk__buf_append(&b, run->text, run->len);
    }
  }
  if (st == GK_OK && at > 0)
    st = gk__buf_putc(&b, '\n');
  if (st == GK_OK)
    st = gk__buf_putc(&b, '\0');
  if (st != GK_OK) {
    gk__buf_free(&b);
    return st == GK_ETOOBIG ? GK_ELIMIT : st;
  }
  char *data = gk__buf_detach(&b, len);
  if (!data)
    return GK_ENOMEM;
  *len -= 1; /* the NUL is not counted */
  *out = data;
  return GK_OK;
}
