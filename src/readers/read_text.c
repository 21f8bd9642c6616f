/*
 * read_text.c - plain text to the layout (see layout.h).
 *
 * Text reports come from Word ("save as text": table cells separated by
 * tabs, empty cells kept), from PDF extraction (cells separated by spaces,
 * labels broken over lines) and from crawlers (bare CR line ends).  This
 * reader keeps exactly what is there: one layout line per source line,
 * one run per tab-separated field, empty fields included, because a
 * table's tab positions are the only evidence of where a blank cell was.
 */
#include "layout.h"

/* Runs in one text input: 4 million.  A real report has a few thousand;
 * the cap bounds the layout (40 bytes a run) for a file of nothing but
 * tabs, which is refused with GK_ELIMIT rather than exhausting memory. */
#define GK_MAX_RUNS 4000000u

gk_status gk__read_text(gk__arena *a, const char *text, size_t len,
                        gk__layout *out) {
  /* First pass: count lines and runs so both arrays are allocated once. */
  size_t n_lines = 1, n_runs = 1;
  for (size_t i = gk__skip_plain(text, 0, len); i < len;
       i = gk__skip_plain(text, i + 1, len)) {
    char c = text[i];
    if (c == '\n' || (c == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
      n_lines++;
      n_runs++;
    } else if (c == '\t') {
      n_runs++;
    }
  }
  if (n_lines > GK_MAX_LINES || n_runs > GK_MAX_RUNS)
    return GK_ELIMIT;
  gk__line *lines = gk__arena_calloc(a, n_lines, sizeof *lines);
  gk__run *runs = gk__arena_calloc(a, n_runs, sizeof *runs);
  if (!lines || !runs)
    return GK_ENOMEM;

  size_t li = 0, ri = 0, run_start = 0;
  uint32_t field = 0;
  lines[0].lineno = 1;
  lines[0].first_run = 0;
  for (size_t i = gk__skip_plain(text, 0, len); i <= len;
       i = gk__skip_plain(text, i + 1, len)) {
    bool eol = i == len || text[i] == '\n' || text[i] == '\r';
    if (!eol && text[i] != '\t')
      continue;
    size_t end = i;
    gk__run *r = &runs[ri++];
    r->text = text + run_start;
    r->len = (uint32_t)(end - run_start);
    r->field = field++;
    r->table = r->row = r->col = -1;
    lines[li].n_runs++;
    if (i < len && text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
      i++;
    run_start = i + 1;
    if (eol) {
      if (i >= len)
        break;
      li++;
      lines[li].lineno = (uint32_t)li + 1;
      lines[li].first_run = (uint32_t)ri;
      field = 0;
    }
  }
  out->format = "text";
  out->lines = lines;
  out->n_lines = li + 1;
  out->runs = runs;
  out->n_runs = ri;
  return GK_OK;
}
