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

bool gk__read_fast_paths = true;

/* The lines and runs of text[0, len): a line a line end (LF, CR LF or a
 * bare CR) and one more, a run a tab or a line end and one more.  The
 * plain loop, byte by byte past gk__skip_plain(). */
static void count_plain(const char *text, size_t len, size_t *n_lines,
                        size_t *n_runs) {
  size_t nl = 1, nr = 1;
  for (size_t i = gk__skip_plain(text, 0, len); i < len;
       i = gk__skip_plain(text, i + 1, len)) {
    char c = text[i];
    if (c == '\n' || (c == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
      nl++;
      nr++;
    } else if (c == '\t') {
      nr++;
    }
  }
  *n_lines = nl;
  *n_runs = nr;
}

/* The same count sixteen bytes at a time when the text has no CR (nearly
 * every file): its line feeds and tabs counted. */
static void count_lines(const char *text, size_t len, size_t *n_lines,
                        size_t *n_runs) {
  if (!gk__read_fast_paths || memchr(text, '\r', len)) {
    count_plain(text, len, n_lines, n_runs);
    return;
  }
  size_t nl, tabs;
  gk__count_bytes2(text, len, '\n', '\t', &nl, &tabs);
  nl++;
  *n_lines = nl;
  *n_runs = nl + tabs;
}

typedef struct text_fill {
  const char *text;
  size_t len;
  gk__line *lines;
  gk__run *runs;
  size_t li, ri, run_start;
  uint32_t field;
} text_fill;

/* The byte at i (i == len: the end of the text) when it is below 0x0E:
 * ends a run at a tab or a line end, and a line at a line end.  Returns
 * false at the end of the text. */
static inline bool fill_at(text_fill *f, size_t i) {
  const char *text = f->text;
  size_t len = f->len;
  bool eol = i == len || text[i] == '\n' || text[i] == '\r';
  if (!eol && text[i] != '\t')
    return true;
  f->runs[f->ri++] = (gk__run){.text = text + f->run_start,
                               .len = (uint32_t)(i - f->run_start),
                               .field = f->field++,
                               .table = -1,
                               .row = -1,
                               .col = -1};
  if (i < len && text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
    i++;
  f->run_start = i + 1;
  if (eol) {
    /* The line's runs counted once, at its end. */
    f->lines[f->li].n_runs = (uint32_t)f->ri - f->lines[f->li].first_run;
    if (i >= len)
      return false;
    f->li++;
    f->lines[f->li] =
        (gk__line){.lineno = (uint32_t)f->li + 1, .first_run = (uint32_t)f->ri};
    f->field = 0;
  }
  return true;
}

gk_status gk__read_text(gk__arena *a, const char *text, size_t len,
                        gk__layout *out) {
  /* First pass: count lines and runs so both arrays are allocated once. */
  size_t n_lines, n_runs;
  count_lines(text, len, &n_lines, &n_runs);
  if (n_lines > GK_MAX_LINES || n_runs > GK_MAX_RUNS)
    return GK_ELIMIT;
  /* Not zeroed: fill_at() writes every field of every line and run (the
   * count above is exact). */
  gk__line *lines = gk__arena_alloc(a, n_lines * sizeof *lines);
  gk__run *runs = gk__arena_alloc(a, n_runs * sizeof *runs);
  if (!lines || !runs)
    return GK_ENOMEM;

  text_fill f = {.text = text, .len = len, .lines = lines, .runs = runs};
  lines[0] = (gk__line){.lineno = 1, .first_run = 0};
  if (gk__read_fast_paths) {
    /* The bytes below 0x0E found sixteen at a time and visited by their
     * bits; a position before run_start is the LF of a CR LF, done. */
    size_t base = 0;
    for (; len - base >= 16; base += 16)
      for (uint32_t m = gk__ctrl_mask16(text + base); m; m &= m - 1) {
        size_t i = base + (size_t)__builtin_ctz(m);
        if (i >= f.run_start)
          (void)fill_at(&f, i);
      }
    for (size_t i = base; i < len; i++)
      if ((unsigned char)text[i] < 0x0E && i >= f.run_start)
        (void)fill_at(&f, i);
    (void)fill_at(&f, len);
  } else {
    for (size_t i = gk__skip_plain(text, 0, len); i <= len;
         i = gk__skip_plain(text, i + 1, len))
      if (i >= f.run_start && !fill_at(&f, i))
        break;
  }
  out->format = "text";
  out->lines = lines;
  out->n_lines = f.li + 1;
  out->runs = runs;
  out->n_runs = f.ri;
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
