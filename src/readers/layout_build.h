/*
 * layout_build.h - building a layout (layout.h) from markup: the part the
 * HTML and DOCX readers share.
 *
 * A markup reader walks its document and tells the builder what it sees,
 * in document order: text, the end of a paragraph (a break), a tab (a
 * field), and the structure of tables (table, row, cell, with the cell's
 * column and row span).  The builder turns this into layout lines:
 *
 * - Outside tables, each paragraph is one line; its runs are the
 *   tab-separated fields (one run when there is no tab).  Lines with no
 *   text are dropped.
 * - A table whose cells hold no other table is a data table: each row of
 *   its grid is one line and each grid column one run, with run.table,
 *   .row and .col set.  A cell spanning several columns gives its text to
 *   its first column and empty runs to the rest; a cell spanning several
 *   rows gives empty runs to its column in the rows below (layout.h).
 *   Paragraphs and tabs inside a cell join with a space.
 * - A table that holds another table is a layout table (portal pages put
 *   the whole article in one; old Word documents frame their tables so):
 *   its cells are read as ordinary paragraphs, and the tables inside are
 *   read by the same rule.  Flattening the inner tables instead would put
 *   a whole report into one cell.
 *
 * Tables are recorded until the outermost one ends, because whether a
 * table is a data table is known only then.
 *
 * All functions return GK_OK or the first failure, which is sticky: after
 * one, every call returns it again and does nothing, so a reader may check
 * only at the end.  Failures: GK_ENOMEM, GK_ELIMIT (the limits in
 * layout_build.c).
 */
#ifndef GK_LAYOUT_BUILD_H
#define GK_LAYOUT_BUILD_H

#include "layout.h"

/*
 * The floor of the builder, which every reader writes its layout through
 * (text, Markdown, PDF, the model reader, and the markup builder below):
 * lines of runs appended in order, in malloc'd arrays that grow with
 * gk__array_grow, copied into the arena at the end.  A run goes into the
 * open line (a line opens with its first run, or with gk__lines_open);
 * gk__lines_close() ends the line with its source line number.  The first
 * failure is sticky (GK_ENOMEM, GK_ELIMIT past max_runs runs or
 * GK_MAX_LINES lines): every later call does nothing and returns it (or
 * NULL), so a reader may check once at the end.
 */
typedef struct gk__lines {
  gk__line *lines;
  size_t n_lines, cap_lines;
  gk__run *runs;
  size_t n_runs, cap_runs;
  size_t max_runs; /* the reader's cap on runs */
  bool open;       /* a line is open: its runs start at first_run */
  uint32_t first_run;
  gk_status status; /* sticky first failure */
  gk__arena *arena; /* set by gk__lines_reserve(): the arrays live there */
} gk__lines;

void gk__lines_init(gk__lines *w, size_t max_runs);
/* Places the arrays in the arena `a`, room for n_lines lines and n_runs
 * runs (a reader that bounds them before it writes: Markdown), so that
 * gk__lines_finish() hands them over instead of copying them; they still
 * grow past the room (in the arena), under the same caps.  Before the
 * first run only; on failure the status is sticky, as for any. */
void gk__lines_reserve(gk__lines *w, gk__arena *a, size_t n_lines,
                       size_t n_runs);
/* Frees the arrays (not what gk__lines_finish copied into the arena). */
void gk__lines_free(gk__lines *w);
/* Opens a line, when none is open: a line with no runs can be kept. */
void gk__lines_open(gk__lines *w);
/* Appends a run to the open line (opening one): its text (not copied),
 * table, row and column (-1 outside a table); its field is its place in
 * the line, page and box 0.  Returns the run (to set page and box), or
 * NULL after a failure. */
gk__run *gk__lines_run(gk__lines *w, const char *text, uint32_t len,
                       int32_t table, int32_t row, int32_t col);
/* Closes the open line as source line `lineno`.  With `drop_blank`, a
 * line none of whose runs has text is dropped, runs and all. */
gk_status gk__lines_close(gk__lines *w, uint32_t lineno, bool drop_blank);
/* Copies the lines and runs (an open line closed as is) into `a` (hands
 * them over when they were reserved in `a`). */
gk_status gk__lines_finish(gk__lines *w, gk__arena *a, const char *format,
                           gk__layout *out);

/* ------------------------------------------------------ markup builder */

/* One recorded table event; see layout_build.c. */
typedef struct gk__lb_event gk__lb_event;

/* The open tables while recording: whether each has a row and a cell
 * open, so that readers may leave them implied (HTML does). */
#define GK_LB_MAX_TABLE_NESTING 32

typedef struct gk__lb {
  gk__arena *arena;
  gk_status status; /* sticky first failure */

  /* The run being built outside recorded tables, or the text piece
   * being built inside them. */
  gk__buf text;
  bool pending_space;  /* collapsed white space not yet written */
  uint32_t text_line;  /* source line of the text's first character */
  uint32_t cur_lineno; /* the reader's current source line */

  /* Output, copied into the arena by gk__lb_finish(); line_lineno is
   * the open line's source line (its first run with text). */
  gk__lines out;
  uint32_t line_lineno;
  int32_t n_tables; /* data tables emitted, for run.table */

  /* Recording. */
  int depth; /* open tables; 0: text flows straight to lines */
  struct {
    bool row_open, cell_open;
  } open[GK_LB_MAX_TABLE_NESTING];
  gk__lb_event *ev;
  size_t n_ev, cap_ev;
} gk__lb;

void gk__lb_init(gk__lb *b, gk__arena *arena);
/* Frees the working memory (not the arena's). */
void gk__lb_free(gk__lb *b);

/* The reader's current source line, used for what is added next (0 when
 * the source has no lines: gk__lb_finish numbers them). */
static inline void gk__lb_set_line(gk__lb *b, uint32_t lineno) {
  b->cur_lineno = lineno;
}

/* Text in document order.  With `collapse` (HTML), runs of ASCII white
 * space become one space, as a browser shows them; without (DOCX), text is
 * kept as written.  Runs are trimmed of white space at both ends either
 * way. */
gk_status gk__lb_text(gk__lb *b, const char *s, size_t len, bool collapse);
/* The end of a paragraph or a line break. */
gk_status gk__lb_break(gk__lb *b);
/* A tab: a new field (run) on the same line; a space inside a cell. */
gk_status gk__lb_field(gk__lb *b);

gk_status gk__lb_table_begin(gk__lb *b);
gk_status gk__lb_table_end(gk__lb *b);
gk_status gk__lb_row_begin(gk__lb *b);
gk_status gk__lb_row_end(gk__lb *b);
/* colspan >= 1; rowspan >= 1, or 0 for "to the end of the table". */
gk_status gk__lb_cell_begin(gk__lb *b, uint32_t colspan, uint32_t rowspan);
gk_status gk__lb_cell_end(gk__lb *b);

/*
 * Ends the document (closing whatever is still open) and copies the layout
 * into the arena: *out gets lines and runs that live as long as the arena.
 * With `number_lines`, line numbers are the lines' own order (1, 2, ...),
 * for sources without lines of their own.
 */
gk_status gk__lb_finish(gk__lb *b, const char *format, bool number_lines,
                        gk__layout *out);

#endif /* GK_LAYOUT_BUILD_H */
