/*
 * fuzz_pdf.c - the PDF reader's fuzz target.
 *
 * Each input is used twice:
 *
 * - read directly by gk__read_pdf(), whatever its first bytes (MuPDF
 *   repairs what it can), and the layout's invariants checked: every
 *   line's runs are consecutive and numbered by field, lines are numbered
 *   1, 2, 3, ..., pages count up from 1 and never go down, a line is
 *   either a table row (every run with its table and row, and its column
 *   equal to its field) or not (no run with table provenance), a line is
 *   never all empty runs, every box is a real rectangle, and every run's
 *   bytes are readable UTF-8 (ASan checks the reading);
 * - read through the whole pipeline (with "%PDF-" in front when it is
 *   missing, so that recognition sends it to the PDF reader), and the
 *   report walked and written as JSON, as fuzz_text.c does.
 *
 * A refusal must be one layout.h lists, with a reason in *detail (except
 * for running out of memory).  Built two ways (tests/fuzz/CMakeLists.txt):
 * as a libFuzzer program with GK_FUZZ=ON under clang, and always as
 * fuzz_pdf_replay, which feeds it every file of corpus/pdf/ under ctest.
 * A broken promise aborts.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_report.h"
#include "gongkai.h"
#include "model.h"
#include "readers/readers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_layout(const gk__layout *l) {
  if (strcmp(l->format, "pdf") != 0 || l->n_lines == 0)
    abort();
  size_t next_run = 0;
  uint32_t last_page = 1;
  unsigned sum = 0;
  for (size_t i = 0; i < l->n_lines; i++) {
    const gk__line *ln = &l->lines[i];
    if (ln->first_run != next_run || ln->n_runs == 0 ||
        ln->lineno != (uint32_t)i + 1)
      abort();
    bool in_table = l->runs[ln->first_run].table >= 0, any = false;
    for (uint32_t k = 0; k < ln->n_runs; k++) {
      const gk__run *r = &l->runs[ln->first_run + k];
      if (r->field != k || r->page < last_page)
        abort();
      last_page = r->page;
      if (in_table ? (r->table < 0 || r->row < 0 || r->col != (int32_t)k)
                   : (r->table != -1 || r->row != -1 || r->col != -1))
        abort();
      if (!isfinite(r->x0) || !isfinite(r->x1) || !isfinite(r->y0) ||
          !isfinite(r->y1) || r->x0 > r->x1 || r->y0 > r->y1)
        abort();
      if (!gk__utf8_valid(r->text, r->len))
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

static void read_direct(const uint8_t *data, size_t size) {
  gk_report *r = calloc(1, sizeof *r);
  if (!r)
    return;
  gk__arena_init(&r->arena);
  const char *detail = NULL;
  gk__layout l;
  gk_status st = gk__read_pdf(r, (const char *)data, size, &l, &detail);
  if (st == GK_OK) {
    check_layout(&l);
  } else {
    /* Only the refusals layout.h lists, each saying why (but memory). */
    bool listed = st == GK_ENOMEM || st == GK_ELIMIT || st == GK_EUNSUPPORTED;
    if (!listed || (st != GK_ENOMEM && !detail))
      abort();
  }
  gk__arena_free(&r->arena);
  free(r);
}

static void read_pipeline(const uint8_t *data, size_t size) {
  static const char magic[] = "%PDF-";
  size_t n = size >= 5 && memcmp(data, magic, 5) == 0 ? 0 : sizeof magic - 1;
  char *buf = malloc(n + size + 1);
  if (!buf)
    return;
  memcpy(buf, magic, n);
  if (size)
    memcpy(buf + n, data, size);
  check_report(buf, n + size, "fuzz.pdf", "pdf");
  free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  read_direct(data, size);
  read_pipeline(data, size);
  return 0;
}
