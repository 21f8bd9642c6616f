/*
 * layout.h - what every reader produces and the parser consumes.
 *
 * The layout is the document as lines of text runs.  Each run knows where
 * it came from: its line (text, Markdown, HTML) or page and box (PDF), and
 * when the source has a real table, the table, row and column of the cell
 * it sits in.  A text file gives lines whose runs are the tab-separated
 * fields (an empty field is a run of length 0: table positions matter);
 * a PDF gives runs with positions.  One parser turns any layout into the
 * model; a new input format is a new reader and nothing else.
 *
 * It sits beside model.h, above base/ and format/: the IR between the
 * readers (src/readers/, which produce it) and the parser (src/parse/,
 * which consumes it); the report keeps it for the page of a line and the
 * source text (model.c).  The readers' entry points are in
 * readers/readers.h.
 */
#ifndef GK_LAYOUT_H
#define GK_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

typedef struct gk__run {
  const char *text; /* UTF-8, not NUL-terminated */
  uint32_t len;
  uint32_t field; /* index of the run within its line (tab field) */
  /* Real-table provenance; -1 when the source has none. */
  int32_t table, row, col;
  /* Geometry (PDF); all 0 when the source has none. */
  uint32_t page;
  float x0, y0, x1, y1;
} gk__run;

typedef struct gk__line {
  uint32_t lineno; /* 1-based line in the source text */
  uint32_t first_run;
  uint32_t n_runs;
} gk__line;

typedef struct gk__layout {
  const char *format; /* "text", ... */
  const gk__line *lines;
  size_t n_lines;
  const gk__run *runs;
  size_t n_runs;
} gk__layout;

/* A layout line's text: its non-empty runs joined by one space, trimmed
 * of white space (U+3000 indents and a BOM included), NUL-terminated.
 * gk__layout_line_bytes() is the room gk__layout_line_join() needs in
 * `out`; the join returns the text's length. */
size_t gk__layout_line_bytes(const gk__layout *l, size_t li);
size_t gk__layout_line_join(const gk__layout *l, size_t li, char *out);

/* The page of source line `lineno` (1-based) when the layout has pages
 * (PDF: lines are numbered through the document), else 0. */
static inline uint32_t gk__layout_page(const gk__layout *l, uint32_t lineno) {
  if (lineno == 0 || lineno > l->n_lines)
    return 0;
  const gk__line *ln = &l->lines[lineno - 1];
  if (ln->lineno != lineno || ln->n_runs == 0)
    return 0;
  return l->runs[ln->first_run].page;
}

#endif /* GK_LAYOUT_H */
