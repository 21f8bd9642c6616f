/*
 * write_txt.c - the document as plain text, as Word saves a report "as
 * text": one paragraph per line with a blank line between paragraphs, each
 * table row one line with one tab-separated field per cell of the row (a
 * cell merged across columns is one field; a cell merged down from the row
 * above is an empty field, as Word's continuation cell is).  read_text.c
 * reads it back into the same model.
 *
 * Fields are not padded out to the grid's columns (as a spreadsheet's copy
 * would): after padding, a row whose first or last number is blank fits
 * two placements beside its label's empty positions, and the parser, which
 * does not guess, would leave the whole row null.  Here the numbers always
 * start at the field after the row's label.
 */
#include <string.h>

#include "render.h"

/* Appends s with tabs and carriage returns as spaces: a tab in prose
 * would read back as a table cell. */
static gk_status put_flat(gk__buf *out, const char *s) {
  gk_status st = GK_OK;
  const char *run = s;
  for (const char *p = s; *p && st == GK_OK; p++) {
    if (*p != '\t' && *p != '\r')
      continue;
    st = gk__buf_append(out, run, (size_t)(p - run));
    if (st == GK_OK)
      st = gk__buf_putc(out, ' ');
    run = p + 1;
  }
  return st == GK_OK ? gk__buf_puts(out, run) : st;
}

/* Appends a cell's text on one line: line breaks also become spaces. */
static gk_status put_cell(gk__buf *out, const char *s) {
  gk_status st = GK_OK;
  const char *run = s;
  for (const char *p = s; *p && st == GK_OK; p++) {
    if (*p != '\t' && *p != '\r' && *p != '\n')
      continue;
    st = gk__buf_append(out, run, (size_t)(p - run));
    if (st == GK_OK)
      st = gk__buf_putc(out, ' ');
    run = p + 1;
  }
  return st == GK_OK ? gk__buf_puts(out, run) : st;
}

static gk_status put_grid(gk__buf *out, const gk__grid *g) {
  gk_status st = GK_OK;
  for (size_t r = 0; r < g->n_rows && st == GK_OK; r++) {
    bool first = true;
    for (size_t c = 0; c < g->n_cols && st == GK_OK; c++) {
      const gk__gcell *x = gk__grid_at(g, r, c);
      /* A cell's own position, or the first column of a cell merged down
       * from above; the rest of a merge is no field. */
      bool origin = x->text != NULL;
      if (!origin && !(x->orow < r && x->ocol == c))
        continue;
      if (!first)
        st = gk__buf_putc(out, '\t');
      first = false;
      if (st == GK_OK && origin)
        st = put_cell(out, x->text);
    }
    if (st == GK_OK)
      st = gk__buf_putc(out, '\n');
  }
  return st;
}

gk_status gk__write_txt(const gk__doc *doc, gk__buf *out) {
  gk_status st = GK_OK;
  for (size_t i = 0; i < doc->n_blocks && st == GK_OK; i++) {
    const gk__doc_block *b = &doc->blocks[i];
    /* Paragraphs and tables are set apart by a blank line; the signature's
     * two lines stay together, as Word saves them. */
    if (i > 0 &&
        !(b->kind == GK_DOC_DATE && doc->blocks[i - 1].kind == GK_DOC_AGENCY))
      st = gk__buf_putc(out, '\n');
    if (st != GK_OK)
      break;
    if (b->kind == GK_DOC_TABLE) {
      st = put_grid(out, b->grid);
      continue;
    }
    st = put_flat(out, b->text);
    if (st == GK_OK)
      st = gk__buf_putc(out, '\n');
  }
  return st;
}
