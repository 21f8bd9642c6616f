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

/* A reader turns UTF-8 text or raw bytes into a layout, allocated in the
 * arena.  Failures: GK_ENOMEM, GK_ELIMIT. */

/* readers/read_text.c: lines split at LF, CR LF or bare CR; runs split at
 * tabs.  `text` must stay alive as long as the layout (it is the report's
 * own converted copy). */
gk_status gk__read_text(gk__arena *a, const char *text, size_t len,
                        gk__layout *out);

#endif /* GK_LAYOUT_H */
