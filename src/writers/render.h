/*
 * render.h - the report as a printable document, shared by the writers
 * of gk_report_render() (write_txt.c, write_md.c, write_html.c,
 * write_docx.c).
 *
 * render.c turns a report into a short list of blocks: the title, each
 * part's heading and paragraphs, each table as a grid of cells, and the
 * signature (agency, then date in Chinese form).  A grid is the table as
 * the national format prints it, laid out from the definitions in
 * src/format (rows, labels, groups, columns and the printed layout of
 * format.h): every position of the grid is either the origin of a cell,
 * possibly merged over several rows and columns, or covered by one.  Each
 * writer only serialises the blocks: HTML and DOCX merge cells, text and
 * Markdown leave covered positions empty, as Word's "save as text" does.
 */
#ifndef GK_RENDER_H
#define GK_RENDER_H

#include "model.h"

/* What a grid cell is, for alignment and fonts. */
typedef enum {
  GK_GC_HEAD = 0, /* a header, caption or the 勾稽 note */
  GK_GC_LABEL,    /* a row's label */
  GK_GC_GROUP, /* a label spanning rows (三、本年度办理结果, （三）不予公开) */
  GK_GC_NUMBER /* a number, or blank for a null cell */
} gk__gcell_kind;

typedef struct gk__gcell {
  const char *text; /* origin: its text ("" for a blank); covered: NULL */
  uint16_t rowspan, colspan;
  uint16_t orow, ocol; /* the origin covering this position (itself) */
  uint8_t kind;        /* gk__gcell_kind */
} gk__gcell;

/* Grids are small (table 3 is 28 × 10); anything larger is a corrupt
 * definition, not a table. */
#define GK_MAX_GRID_ROWS 64
#define GK_MAX_GRID_COLS 32

typedef struct gk__grid {
  const gk__tabledef *def;
  uint16_t n_rows, n_cols;
  uint16_t header_rows; /* leading rows that repeat on each page */
  uint16_t label_cols;  /* leading columns of row labels */
  gk__gcell *cells;     /* n_rows * n_cols, row-major */
} gk__grid;

static inline const gk__gcell *gk__grid_at(const gk__grid *g, size_t row,
                                           size_t col) {
  return &g->cells[row * g->n_cols + col];
}

typedef enum {
  GK_DOC_TITLE = 0,
  GK_DOC_HEADING, /* a part's heading */
  GK_DOC_PARA,    /* one paragraph of a part's prose */
  GK_DOC_TABLE,
  GK_DOC_AGENCY, /* the signature's body */
  GK_DOC_DATE    /* the signature's date, "2025年1月20日" */
} gk__doc_kind;

typedef struct gk__doc_block {
  gk__doc_kind kind;
  const char *text;     /* not for GK_DOC_TABLE */
  const gk__grid *grid; /* GK_DOC_TABLE only */
} gk__doc_block;

typedef struct gk__doc {
  gk__arena arena; /* everything below */
  const char *title;
  gk__doc_block *blocks;
  size_t n_blocks;
} gk__doc;

/* Most bytes one rendering may have: far more than a report's prose and
 * three tables need, it bounds the output of a pathological model. */
#define GK_MAX_RENDER_BYTES ((size_t)64 << 20)

/*
 * Builds the document of a report.  Prose is kept as the model has it,
 * split into paragraphs at blank lines; a part whose table is present but
 * whose heading the model lacks gets the standard heading, so that no
 * table is printed without its part.  On GK_OK the caller frees the
 * document with gk__doc_free(); on failure (GK_ENOMEM, GK_ELIMIT) there
 * is nothing to free.
 */
gk_status gk__doc_build(const gk_report *r, gk__doc *doc);
void gk__doc_free(gk__doc *doc);

/* The writers: each appends one format's bytes to `out`.  GK_ENOMEM or
 * GK_ETOOBIG (the buffer's cap) on failure. */
gk_status gk__write_txt(const gk__doc *doc, gk__buf *out);
gk_status gk__write_md(const gk__doc *doc, gk__buf *out);
gk_status gk__write_html(const gk__doc *doc, gk__buf *out);
gk_status gk__write_docx(const gk__doc *doc, gk__buf *out);

/* Appends the XML/HTML escape (&, <, >, ") of s, or of len bytes at s, to
 * out; C0 controls other than tab and newline, which XML forbids, become
 * spaces. */
gk_status gk__buf_put_xml(gk__buf *out, const char *s);
gk_status gk__buf_put_xmln(gk__buf *out, const char *s, size_t len);

#endif /* GK_RENDER_H */
