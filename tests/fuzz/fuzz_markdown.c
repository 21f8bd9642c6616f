/*
 * fuzz_markdown.c - the Markdown reader's fuzz target.
 *
 * Each input is used twice:
 *
 * - read directly by gk__read_markdown() (after gk__looks_like_markdown(),
 *   whose answer must not matter), and the layout's invariants checked:
 *   every line's runs are consecutive and numbered by field, source line
 *   numbers never go down, table provenance is all or nothing, a table's
 *   columns count up from 0, and every run's bytes are readable (ASan
 *   checks that while they are summed);
 * - read through the whole pipeline with a small pipe table in front, so
 *   that recognition picks the Markdown reader, and the report walked and
 *   written as JSON, as fuzz_text.c does.
 *
 * Built two ways (tests/fuzz/CMakeLists.txt): as a libFuzzer program with
 * GK_FUZZ=ON under clang, and always as fuzz_markdown_replay, which feeds
 * it every file of corpus/markdown/ under ctest.  A broken promise aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_report.h"
#include "gongkai.h"
#include "model.h"
#include "readers/readers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Recognition needs a separator and three pipe rows. */
static const char PREFIX[] =
    "| 信息内容 | 本年制发件数 |\n|---|---|\n| 规章 | 0 |\n";

static void check_layout(const gk__layout *l) {
  if (strcmp(l->format, "markdown") != 0 || l->n_lines == 0)
    abort();
  size_t next_run = 0;
  uint32_t last_lineno = 0;
  unsigned sum = 0;
  for (size_t i = 0; i < l->n_lines; i++) {
    const gk__line *ln = &l->lines[i];
    if (ln->first_run != next_run || ln->n_runs == 0 ||
        ln->lineno <= last_lineno)
      abort();
    last_lineno = ln->lineno;
    bool in_table = l->runs[ln->first_run].table >= 0;
    for (uint32_t k = 0; k < ln->n_runs; k++) {
      const gk__run *r = &l->runs[ln->first_run + k];
      if (r->field != k || r->page != 0)
        abort();
      if (in_table ? (r->table < 0 || r->row < 0 || r->col != (int32_t)k)
                   : (r->table != -1 || r->row != -1 || r->col != -1))
        abort();
      for (uint32_t b = 0; b < r->len; b++)
        sum += (unsigned char)r->text[b];
    }
    next_run += ln->n_runs;
  }
  if (next_run != l->n_runs)
    abort();
  (void)sum;
}

static void read_direct(const uint8_t *data, size_t size) {
  (void)gk__looks_like_markdown((const char *)data, size);
  gk_report *r = calloc(1, sizeof *r);
  if (!r)
    return;
  gk__arena_init(&r->arena);
  const char *detail = NULL;
  gk__layout l;
  gk_status st = gk__read_markdown(r, (const char *)data, size, &l, &detail);
  if (st == GK_OK)
    check_layout(&l);
  else if (st != GK_ENOMEM && ((st != GK_ELIMIT && st != GK_EEMPTY) || !detail))
    abort(); /* the only refusals are limits and no text at all (issue
                15), each with a reason */
  gk__arena_free(&r->arena);
  free(r);
}

static void read_pipeline(const uint8_t *data, size_t size) {
  size_t n = sizeof PREFIX - 1;
  char *buf = malloc(n + size);
  if (!buf)
    return;
  memcpy(buf, PREFIX, n);
  if (size)
    memcpy(buf + n, data, size);
  check_report(buf, n + size, "fuzz.md", NULL);
  free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  read_direct(data, size);
  read_pipeline(data, size);
  return 0;
}
