/*
 * fuzz_markup.h - what the HTML and DOCX fuzz targets check, shared by
 * fuzz_html.c and fuzz_docx.c (each includes it once).
 *
 * check_layout() holds a reader's layout to layout.h and
 * layout_build.h: every line's runs are consecutive, numbered by field and
 * not all empty; source line numbers never go down; a line is either a
 * table row (every run with its table, its row, and its column equal to its
 * field) or not (no run with table provenance); every run's bytes are
 * readable (ASan checks that while they are summed).  The pipeline check is
 * fuzz_report.h's.  A broken promise aborts, which both libFuzzer and the
 * replay report.
 */
#ifndef GK_FUZZ_MARKUP_H
#define GK_FUZZ_MARKUP_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_report.h"
#include "gongkai.h"
#include "model.h"
#include "readers/readers.h"

static void check_layout(const gk__layout *l, const char *format) {
  if (strcmp(l->format, format) != 0)
    abort();
  size_t next_run = 0;
  uint32_t last_lineno = 0;
  unsigned sum = 0;
  for (size_t i = 0; i < l->n_lines; i++) {
    const gk__line *ln = &l->lines[i];
    if (ln->first_run != next_run || ln->n_runs == 0 ||
        ln->lineno < last_lineno || ln->lineno == 0)
      abort();
    last_lineno = ln->lineno;
    bool in_table = l->runs[ln->first_run].table >= 0, any = false;
    for (uint32_t k = 0; k < ln->n_runs; k++) {
      const gk__run *r = &l->runs[ln->first_run + k];
      if (r->field != k || r->page != 0)
        abort();
      if (in_table ? (r->table < 0 || r->row < 0 || r->col != (int32_t)k)
                   : (r->table != -1 || r->row != -1 || r->col != -1))
        abort();
      any |= r->len > 0;
      for (uint32_t b = 0; b < r->len; b++)
        sum += (unsigned char)r->text[b];
    }
    if (!any)
      abort();
    next_run += ln->n_runs;
  }
  if (next_run != l->n_runs)
    abort();
  (void)sum;
}

/* Reads `size` bytes with `reader` straight into a fresh report and checks
 * the layout; the only refusals allowed are those layout.h lists. */
typedef gk_status (*markup_reader)(struct gk_report *, const char *, size_t,
                                   gk__layout *, const char **);

static void read_direct(markup_reader reader, const char *format,
                        const uint8_t *data, size_t size) {
  gk_report *r = calloc(1, sizeof *r);
  if (!r)
    return;
  gk__arena_init(&r->arena);
  const char *detail = NULL;
  gk__layout l;
  gk_status st = reader(r, (const char *)data, size, &l, &detail);
  if (st == GK_OK)
    check_layout(&l, format);
  else if (st != GK_ENOMEM && st != GK_ELIMIT && st != GK_EUNSUPPORTED &&
           st != GK_EENCODING)
    abort();
  else if (st != GK_ENOMEM && !detail)
    abort(); /* every refusal says why */
  gk__arena_free(&r->arena);
  free(r);
}

#endif /* GK_FUZZ_MARKUP_H */
