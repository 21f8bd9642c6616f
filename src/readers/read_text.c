/*
 * read_text.c - plain text to the layout (see layout.h).
 *
 * Text reports come from Word ("save as text": table cells separated by
 * tabs, empty cells kept), from PDF extraction (cells separated by spaces,
 * labels broken over lines) and from crawlers (bare CR line ends).  This
 * reader keeps exactly what is there: one layout line per source line,
 * one run per tab-separated field, empty fields included, because a
 * table's tab positions are the only evidence of where a blank cell was.
 *
 * The one reader that does not write through layout_build.h's floor: it
 * counts its lines and runs exactly in a first pass, so it allocates both
 * arrays once in the arena, pointing into the text, with no copy, and a
 * file over a limit is refused before anything is allocated.  Text is most
 * of what gongkai reads (the bench, the corpus), and this is its hot path.
 */
#include <stdbool.h>
#include <string.h>

#include "readers/readers.h"

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

/* Lines of a crawler CSV looked at for record titles: its records are a
 * few per year of reports; the whole file is scanned for them, but a line
 * is looked at only up to its first comma, at most this many bytes (a
 * title is about 100). */
#define CSV_TITLE_MAX 400

bool gk__text_holds_several_reports(const char *text, size_t len) {
  static const char head[] = "标题,";
  static const char title[] = "年度报告";
  if (len < sizeof head - 1 || memcmp(text, head, sizeof head - 1) != 0)
    return false;
  const char *nl = memchr(text, '\n', len);
  size_t hl = nl ? (size_t)(nl - text) : len;
  /* The header names a content column. */
  bool content = false;
  for (size_t i = 0; i + 7 <= hl && !content; i++)
    content = memcmp(text + i, ",内容", 7) == 0;
  if (!content)
    return false;
  size_t records = 0;
  for (size_t at = hl + 1; at < len && records < 2;) {
    const char *e = memchr(text + at, '\n', len - at);
    size_t end = e ? (size_t)(e - text) : len;
    size_t lim = end - at < CSV_TITLE_MAX ? end - at : CSV_TITLE_MAX;
    const char *comma = memchr(text + at, ',', lim);
    if (comma && comma > text + at) {
      size_t fl = (size_t)(comma - (text + at));
      for (size_t i = 0; i + sizeof title - 1 <= fl; i++)
        if (memcmp(text + at + i, title, sizeof title - 1) == 0) {
          records++;
          break;
        }
    }
    at = end + 1;
  }
  return records >= 2;
}
