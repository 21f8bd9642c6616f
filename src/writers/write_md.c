/*
 * write_md.c - the document as Markdown (CommonMark with GFM pipe
 * tables): the title as a level-1 heading, the parts' headings as level
 * 2, paragraphs, and each table as a pipe table whose rows are the rows
 * of the printed grid.  Pipe tables cannot merge cells, so a merged cell's
 * text stands in its first position and the positions it covers are
 * empty, as in a Word document saved as text; the first row of the grid
 * is the pipe table's header row.  The signature's two lines are two
 * paragraphs.
 */
#include <string.h>

#include "render.h"

/* Escapes what would start a block construct at the beginning of a
 * paragraph: a heading (#), a quote (>), a list item ("- ", "1. ") or a
 * thematic break.  Chinese prose rarely starts so, but a copied report may
 * ("1. 主动公开"). */
static gk_status put_para_start(gk__buf *out, const char *s) {
  size_t i = 0;
  while (s[i] >= '0' && s[i] <= '9')
    i++;
  bool ordered = i > 0 && i < 10 && (s[i] == '.' || s[i] == ')') &&
                 (s[i + 1] == ' ' || s[i + 1] == '\0');
  bool mark = (s[0] == '-' || s[0] == '+' || s[0] == '*') &&
              (s[1] == ' ' || s[1] == s[0] || s[1] == '\0');
  if (s[0] == '#' || s[0] == '>' || s[0] == '=' || mark) {
    gk_status st = gk__buf_putc(out, '\\');
    return st == GK_OK ? gk__buf_puts(out, s) : st;
  }
  if (ordered) {
    gk_status st = gk__buf_append(out, s, i);
    if (st == GK_OK)
      st = gk__buf_putc(out, '\\');
    return st == GK_OK ? gk__buf_puts(out, s + i) : st;
  }
  return gk__buf_puts(out, s);
}

/* Appends text with the characters Markdown would take as markup inside a
 * line escaped (inline: * _ ` [ ] < \; in a cell also |), line breaks as
 * spaces in a cell. */
static gk_status put_inline(gk__buf *out, const char *s, bool cell) {
  gk_status st = GK_OK;
  const char *run = s;
  for (const char *p = s; *p && st == GK_OK; p++) {
    bool esc = strchr("*_`[]<\\", *p) != NULL || (cell && *p == '|');
    bool space = (cell && *p == '\n') || *p == '\t' || *p == '\r';
    if (!esc && !space)
      continue;
    st = gk__buf_append(out, run, (size_t)(p - run));
    if (st == GK_OK)
      st = space ? gk__buf_putc(out, ' ') : gk__buf_putc(out, '\\');
    run = space ? p + 1 : p;
  }
  return st == GK_OK ? gk__buf_puts(out, run) : st;
}

static gk_status put_para(gk__buf *out, const char *text) {
  /* Escape inline markup first, then the paragraph's start. */
  gk__buf tmp;
  gk__buf_init(&tmp, GK_MAX_RENDER_BYTES);
  gk_status st = put_inline(&tmp, text, false);
  if (st == GK_OK && tmp.data)
    st = put_para_start(out, tmp.data);
  gk__buf_free(&tmp);
  return st;
}

static gk_status put_row(gk__buf *out, const gk__grid *g, size_t r) {
  gk_status st = gk__buf_putc(out, '|');
  for (size_t c = 0; c < g->n_cols && st == GK_OK; c++) {
    const gk__gcell *x = gk__grid_at(g, r, c);
    st = gk__buf_putc(out, ' ');
    if (st == GK_OK && x->text)
      st = put_inline(out, x->text, true);
    if (st == GK_OK)
      st = gk__buf_puts(out, " |");
  }
  return st == GK_OK ? gk__buf_putc(out, '\n') : st;
}

static gk_status put_grid(gk__buf *out, const gk__grid *g) {
  gk_status st = put_row(out, g, 0);
  if (st == GK_OK)
    st = gk__buf_putc(out, '|');
  for (size_t c = 0; c < g->n_cols && st == GK_OK; c++)
    st = gk__buf_puts(out, c < g->label_cols ? " --- |" : " :---: |");
  if (st == GK_OK)
    st = gk__buf_putc(out, '\n');
  for (size_t r = 1; r < g->n_rows && st == GK_OK; r++)
    st = put_row(out, g, r);
  return st;
}

gk_status gk__write_md(const gk__doc *doc, gk__buf *out) {
  gk_status st = GK_OK;
  for (size_t i = 0; i < doc->n_blocks && st == GK_OK; i++) {
    const gk__doc_block *b = &doc->blocks[i];
    if (i > 0)
      st = gk__buf_putc(out, '\n');
    if (st != GK_OK)
      break;
    switch (b->kind) {
    case GK_DOC_TITLE:
      st = gk__buf_puts(out, "# ");
      break;
    case GK_DOC_HEADING:
      st = gk__buf_puts(out, "## ");
      break;
    case GK_DOC_TABLE:
      st = put_grid(out, b->grid);
      continue;
    default:
      break;
    }
    if (st == GK_OK)
      st = b->kind == GK_DOC_PARA ? put_para(out, b->text)
                                  : put_inline(out, b->text, false);
    if (st == GK_OK)
      st = gk__buf_putc(out, '\n');
  }
  return st;
}
