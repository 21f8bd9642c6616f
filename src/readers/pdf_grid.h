/*
 * pdf_grid.h - the geometry of one PDF page: characters and ruling lines
 * in, table grid and visual lines out.  Pure arithmetic on float boxes: no
 * MuPDF here, so that it is tested with synthetic boxes
 * (tests/unit/test_pdf_grid.c), the way pdfplumber's chain
 * words_to_edges -> merge_edges -> intersections -> cells -> tables is.
 *
 * read_pdf.c runs MuPDF, fills a gk__pdf_page with the page's characters
 * (gk__pdf_page.ch, in the page's reading orientation, y growing down the
 * page) and rulings (gk__pdf_add_line, gk__pdf_add_box), calls
 * gk__pdf_grid_page, and writes the items it finds, in order, into the
 * layout:
 *
 *   rulings  -> merged rulings (collinear pieces joined)
 *            -> cells (a character enclosed on four sides, with a ruled
 *               cell beside it; a cell holding a frame of prose is not one)
 *            -> rows (cells whose tops agree), tables (rows without a gap)
 *            -> grid cells (slots: the vertical rulings across a row)
 *   characters outside the grid -> visual lines (by baseline), left to right
 *   rows and lines -> items down the page; a page-number header or footer
 *               dropped
 *
 * All coordinates are in points; sizes of tolerances are in the
 * constants of pdf_grid.c, each with its reason.
 */
#ifndef GK_PDF_GRID_H
#define GK_PDF_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gongkai.h"

/* Ruling segments kept per page: 4,096.  A report's table page has under
 * 100; a page with more is a drawing (a map, a chart), and its rulings
 * are ignored: its text is read by gaps alone. */
#define GK_PDF_MAX_RULINGS 4096u

/* A ruling: a horizontal one at y = pos from x = lo to hi, or a vertical
 * one at x = pos from y = lo to hi. */
typedef struct gk__pdf_seg {
  float pos, lo, hi;
} gk__pdf_seg;

typedef struct gk__pdf_segs {
  gk__pdf_seg *v;
  size_t n, cap;
} gk__pdf_segs;

/* A character of the page, in the page's reading orientation. */
typedef struct gk__pdf_char {
  int32_t cp;
  float x0, y0, x1, y1; /* box */
  float base;           /* baseline (horizontal) or centre (vertical) */
  float size;           /* font size */
  uint32_t seq;         /* drawing order, for stable sorts */
  bool space;           /* the PDF has a space character before it */
  int32_t cell;         /* its ruled cell, or -1 */
  int32_t slot;         /* the table grid cell (run) it went to, or -1 */
} gk__pdf_char;

/* A ruled cell with text: where its sides are. */
typedef struct gk__pdf_cell {
  float l, r, t, b;
  int32_t it, ib; /* its top and bottom rulings (indexes into h), or -1 */
  uint32_t index; /* its place in pw->cells, kept when a copy is sorted */
  bool ok;        /* a table cell, not a frame around prose */
} gk__pdf_cell;

/* A table row: a band of cells with one top. */
typedef struct gk__pdf_row {
  float t;          /* top */
  float b;          /* bottom of the band: the nearest bottom of its cells */
  float bmax;       /* the farthest bottom of its cells (merged down) */
  float ext0, ext1; /* horizontal extent of the rulings above and below */
  uint32_t slot0, n_slots;
  uint32_t first_cell, n_cells;
  int32_t table, index; /* table on the page (its first row), row in it */
} gk__pdf_row;

/* A grid cell of a row: one run of the layout. */
typedef struct gk__pdf_slot {
  float x0, x1;
  uint32_t row;
} gk__pdf_slot;

/* What is laid out on the page, in order down it. */
typedef struct gk__pdf_item {
  float key;
  uint32_t is_row; /* a table row (index into rows), else a visual line */
  uint32_t index;  /* row, or first position in order[] of the line */
  uint32_t n;      /* characters of the line */
} gk__pdf_item;

/* Everything one page needs; the arrays are reused from page to page and
 * freed by gk__pdf_page_free(). */
typedef struct gk__pdf_page {
  /* In: the characters, the rulings and the page's extent down. */
  gk__pdf_char *ch;
  size_t n_ch, cap_ch;
  gk__pdf_segs h, v;
  bool rulings_overflow; /* over GK_PDF_MAX_RULINGS: rulings ignored */
  float top, bottom;

  /* The MuPDF side's own flags for the page (read_pdf.c). */
  size_t n_glyphs;
  bool glyphs_overflow;
  bool content_overflow;
  bool oom; /* an allocation failed while collecting */

  /* Out (gk__pdf_grid_page): */
  uint32_t *order; /* character indexes: the loose characters in visual
                      lines, then each slot's in reading order */
  uint8_t *brk;    /* per order[] position: starts a visual line */
  size_t cap_order;
  size_t n_loose;     /* order[0..n_loose): characters outside the grid */
  size_t *slot_first; /* slot s's characters: order[n_loose +
                         slot_first[s] .. n_loose + slot_first[s + 1]) */
  gk__pdf_cell *cells;
  size_t n_cells, cap_cells;
  gk__pdf_row *rows;
  size_t n_rows, cap_rows;
  gk__pdf_slot *slots;
  size_t n_slots, cap_slots;
  gk__pdf_item *items;
  size_t n_items, cap_items;
} gk__pdf_page;

/* A straight piece of a stroked path from (px, py) to (qx, qy): a ruling
 * when it is level or upright.  Sets pw->oom or pw->rulings_overflow. */
void gk__pdf_add_line(gk__pdf_page *pw, float px, float py, float qx, float qy);
/* A filled shape's box: a ruling when it is a hairline. */
void gk__pdf_add_box(gk__pdf_page *pw, float x0, float y0, float x1, float y1);

/* Sorts rulings by position and joins collinear pieces that touch. */
void gk__pdf_merge_rulings(gk__pdf_segs *sv);

/* Finds the page's grid and lines (see the top of this file): fills
 * order, brk, n_loose, slot_first, cells, rows, slots and items, and sets
 * each character's cell and slot.  GK_OK or GK_ENOMEM. */
gk_status gk__pdf_grid_page(gk__pdf_page *pw);

/* Frees the page's arrays. */
void gk__pdf_page_free(gk__pdf_page *pw);

#endif /* GK_PDF_GRID_H */
