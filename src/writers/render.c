/*
 * render.c - gk_report_render(): the report in the national layout, as
 * text, Markdown, HTML or DOCX.
 *
 * The report becomes a document (render.h): title, the parts with their
 * prose, the tables as grids of merged cells, the signature.  The grids
 * are laid out from src/format alone: table 2 in its 第二十条 blocks
 * (gk__table_print.blocks), table 3 under its three-row header with the
 * 勾稽 note and with 三、本年度办理结果 and the （三）–（六） groups spanning
 * their rows, table 4 under the two-level header that its rows' groups
 * and labels make.  No label is spelled here.  The writers in
 * write_<format>.c then serialise the document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

/* A grid position not yet given to any cell. */
#define UNSET 0xFFFFu

/* ------------------------------------------------------------- grids */

static gk__grid *grid_new(gk__arena *a, const gk__tabledef *def, size_t rows,
                          size_t cols) {
  if (rows == 0 || cols == 0 || rows > GK_MAX_GRID_ROWS ||
      cols > GK_MAX_GRID_COLS)
    return NULL;
  gk__grid *g = gk__arena_calloc(a, 1, sizeof *g);
  gk__gcell *cells = gk__arena_calloc(a, rows * cols, sizeof *cells);
  if (!g || !cells)
    return NULL;
  for (size_t i = 0; i < rows * cols; i++)
    cells[i].orow = cells[i].ocol = UNSET;
  g->def = def;
  g->n_rows = (uint16_t)rows;
  g->n_cols = (uint16_t)cols;
  g->cells = cells;
  return g;
}

/* Places a cell of rs × cs positions with its top-left at (row, col).
 * Returns false when it leaves the grid or overlaps another cell: the
 * printed layout in src/format is inconsistent. */
static bool put(gk__grid *g, size_t row, size_t col, size_t rs, size_t cs,
                const char *text, gk__gcell_kind kind) {
  if (rs == 0 || cs == 0 || row + rs > g->n_rows || col + cs > g->n_cols)
    return false;
  for (size_t r = row; r < row + rs; r++) {
    for (size_t c = col; c < col + cs; c++) {
      gk__gcell *x = &g->cells[r * g->n_cols + c];
      if (x->orow != UNSET)
        return false;
      x->orow = (uint16_t)row;
      x->ocol = (uint16_t)col;
      x->kind = (uint8_t)kind;
    }
  }
  gk__gcell *o = &g->cells[row * g->n_cols + col];
  o->text = text ? text : "";
  o->rowspan = (uint16_t)rs;
  o->colspan = (uint16_t)cs;
  return true;
}

/* Positions no cell took become blank cells of their own. */
static void fill_unset(gk__grid *g) {
  for (size_t r = 0; r < g->n_rows; r++)
    for (size_t c = 0; c < g->n_cols; c++)
      if (g->cells[r * g->n_cols + c].orow == UNSET)
        put(g, r, c, 1, 1, "", r < g->header_rows ? GK_GC_HEAD : GK_GC_NUMBER);
}

/* A cell's number as printed: with the decimals the model keeps, the
 * 2019 采购总金额 with its unit (元, as real reports print it in the cell);
 * "" for null. */
static const char *number_text(gk__arena *a, const gk__cell *c,
                               gk__value_kind kind) {
  if (c->state != GK_CELL_VALUE)
    return "";
  char n[64];
  if (gk__decimal_text(c->value, c->scale, n, sizeof n) == 0)
    return "";
  return gk__arena_printf(a, "%s%s", n, kind == GK_V_AMOUNT ? "元" : "");
}

/* The columns of row `ri`: its numbers from the first number column, the
 * last one spanning what the row leaves of the table's width. */
static bool put_values(gk__arena *a, gk__grid *g, const gk__table *t, int ri,
                       size_t grow, size_t first_col) {
  const gk__rowdef *rd = &t->def->rows[ri];
  for (int ci = 0; ci < rd->n_cols; ci++) {
    size_t span = ci == rd->n_cols - 1 ? (size_t)(t->def->max_cols - ci) : 1;
    const char *s =
        number_text(a, gk__table_cell(t, ri, ci), rd->cols[ci].kind);
    if (!s || !put(g, grow, first_col + (size_t)ci, 1, span, s, GK_GC_NUMBER))
      return false;
  }
  return true;
}

/* Table 2: each block a caption row, a header row and its rows. */
static gk__grid *grid_blocks(gk__arena *a, const gk__table *t,
                             const gk__table_print *pr) {
  const gk__tabledef *def = t->def;
  size_t lc = pr->label_cols, rows = 0;
  for (size_t b = 0; b < pr->n_blocks; b++)
    rows += 2 + pr->blocks[b].n_rows;
  gk__grid *g = grid_new(a, def, rows, lc + def->max_cols);
  if (!g || lc == 0)
    return NULL;
  g->label_cols = (uint16_t)lc;
  size_t gr = 0;
  for (size_t b = 0; b < pr->n_blocks; b++) {
    const gk__print_block *blk = &pr->blocks[b];
    if (blk->first_row + blk->n_rows > def->n_rows || blk->n_rows == 0)
      return NULL;
    if (!put(g, gr++, 0, 1, g->n_cols, blk->caption->text, GK_GC_HEAD))
      return NULL;
    const gk__rowdef *first = &def->rows[blk->first_row];
    if (!put(g, gr, 0, 1, lc, pr->block_head->text, GK_GC_HEAD))
      return NULL;
    for (int ci = 0; ci < first->n_cols; ci++) {
      size_t span = ci == first->n_cols - 1 ? (size_t)(def->max_cols - ci) : 1;
      if (!put(g, gr, lc + (size_t)ci, 1, span, first->cols[ci].label.text,
               GK_GC_HEAD))
        return NULL;
    }
    gr++;
    for (int k = 0; k < blk->n_rows; k++, gr++) {
      int ri = blk->first_row + k;
      if (!put(g, gr, 0, 1, lc, def->rows[ri].label.text, GK_GC_LABEL) ||
          !put_values(a, g, t, ri, gr, lc))
        return NULL;
    }
  }
  return g;
}

/* Table 3: the header of the printed layout, then one grid row per row,
 * its label placed by the band and its group. */
static gk__grid *grid_rows(gk__arena *a, const gk__table *t,
                           const gk__table_print *pr) {
  const gk__tabledef *def = t->def;
  size_t lc = pr->label_cols, hr = pr->header_rows;
  gk__grid *g = grid_new(a, def, hr + def->n_rows, lc + def->max_cols);
  if (!g || lc == 0)
    return NULL;
  g->label_cols = (uint16_t)lc;
  g->header_rows = (uint16_t)hr;
  for (size_t k = 0; k < pr->n_header; k++) {
    const gk__header_cell *h = &pr->header[k];
    if (h->row + h->rowspan > hr ||
        !put(g, h->row, h->col, h->rowspan, h->colspan, h->label->text,
             GK_GC_HEAD))
      return NULL;
  }
  int band_first = -1, band_last = -1;
  if (pr->band) {
    band_first = gk__row_index(def, pr->band_first);
    band_last = gk__row_index(def, pr->band_last);
    if (band_first < 0 || band_last < band_first || lc < 2 ||
        !put(g, hr + (size_t)band_first, 0,
             (size_t)band_last - (size_t)band_first + 1, 1, pr->band->text,
             GK_GC_GROUP))
      return NULL;
  }
  for (int ri = 0; ri < def->n_rows; ri++) {
    const gk__rowdef *rd = &def->rows[ri];
    size_t gr = hr + (size_t)ri;
    size_t col = ri >= band_first && ri <= band_last ? 1 : 0;
    if (rd->group) {
      /* The group's label spans its run of rows; rows of a group follow
       * each other in the definition. */
      bool starts = ri == 0 || !def->rows[ri - 1].group ||
                    strcmp(def->rows[ri - 1].group, rd->group) != 0;
      if (starts) {
        size_t run = 1;
        while (ri + (int)run < def->n_rows && def->rows[ri + run].group &&
               strcmp(def->rows[ri + run].group, rd->group) == 0)
          run++;
        if (col + 1 >= lc || !put(g, gr, col, run, 1, rd->group, GK_GC_GROUP))
          return NULL;
      }
      col++;
    }
    if (!put(g, gr, col, 1, lc - col, rd->label.text, GK_GC_LABEL) ||
        !put_values(a, g, t, ri, gr, lc))
      return NULL;
  }
  return g;
}

/* Table 4: its rows side by side as blocks of columns, under their
 * groups and labels; one row of numbers.  A row without a group has its
 * label in the top header row and its columns' labels spanning the rows
 * below (行政复议 over 结果维持 …); a grouped row has the group on top
 * (行政诉讼), its label, then its columns. */
static gk__grid *grid_side_by_side(gk__arena *a, const gk__table *t) {
  const gk__tabledef *def = t->def;
  bool grouped = false;
  size_t cols = 0;
  for (int ri = 0; ri < def->n_rows; ri++) {
    grouped |= def->rows[ri].group != NULL;
    cols += def->rows[ri].n_cols;
  }
  size_t depth = grouped ? 3 : 2;
  gk__grid *g = grid_new(a, def, depth + 1, cols);
  if (!g)
    return NULL;
  g->header_rows = (uint16_t)depth;
  size_t col = 0;
  for (int ri = 0; ri < def->n_rows; ri++) {
    const gk__rowdef *rd = &def->rows[ri];
    size_t n = rd->n_cols, level = 0;
    if (rd->group) {
      bool starts = ri == 0 || !def->rows[ri - 1].group ||
                    strcmp(def->rows[ri - 1].group, rd->group) != 0;
      if (starts) {
        size_t span = 0;
        for (int k = ri; k < def->n_rows && def->rows[k].group &&
                         strcmp(def->rows[k].group, rd->group) == 0;
             k++)
          span += def->rows[k].n_cols;
        if (!put(g, 0, col, 1, span, rd->group, GK_GC_HEAD))
          return NULL;
      }
      level = 1;
    }
    if (!put(g, level, col, 1, n, rd->label.text, GK_GC_HEAD))
      return NULL;
    for (size_t ci = 0; ci < n; ci++) {
      if (!put(g, level + 1, col + ci, depth - level - 1, 1,
               rd->cols[ci].label.text, GK_GC_HEAD))
        return NULL;
      const char *s =
          number_text(a, gk__table_cell(t, ri, (int)ci), rd->cols[ci].kind);
      if (!s || !put(g, depth, col + ci, 1, 1, s, GK_GC_NUMBER))
        return NULL;
    }
    col += n;
  }
  return g;
}

static gk__grid *grid_of(gk__arena *a, const gk__table *t) {
  const gk__table_print *pr = gk__table_print_of(t->def);
  gk__grid *g = NULL;
  if (t->def->layout == GK_LAYOUT_BLOCKS)
    g = grid_side_by_side(a, t);
  else if (pr && pr->blocks)
    g = grid_blocks(a, t, pr);
  else if (pr)
    g = grid_rows(a, t, pr);
  if (g)
    fill_unset(g);
  return g;
}

/* ---------------------------------------------------------- document */

typedef struct builder {
  gk__doc *doc;
  size_t cap;
  gk_status st;
} builder;

static void add(builder *b, gk__doc_kind kind, const char *text,
                const gk__grid *grid) {
  if (b->st != GK_OK)
    return;
  gk_status st = gk__arena_array_grow(&b->doc->arena, &b->doc->blocks, &b->cap,
                                      b->doc->n_blocks, b->doc->n_blocks + 1,
                                      sizeof *b->doc->blocks, SIZE_MAX);
  if (st != GK_OK) {
    b->st = st;
    return;
  }
  gk__doc_block *blk = &b->doc->blocks[b->doc->n_blocks++];
  blk->kind = kind;
  blk->text = text;
  blk->grid = grid;
}

/* The prose of a part, one block per paragraph (paragraphs are separated
 * by blank lines; white space around them is dropped). */
static void add_paragraphs(builder *b, const char *text) {
  const char *p = text;
  while (p && *p && b->st == GK_OK) {
    const char *end = strstr(p, "\n\n");
    size_t len = end ? (size_t)(end - p) : strlen(p);
    size_t a0 = 0, b0 = len;
    while (a0 < b0 &&
           (p[a0] == '\n' || p[a0] == ' ' || p[a0] == '\r' || p[a0] == '\t'))
      a0++;
    while (b0 > a0 && (p[b0 - 1] == '\n' || p[b0 - 1] == ' ' ||
                       p[b0 - 1] == '\r' || p[b0 - 1] == '\t'))
      b0--;
    if (b0 > a0) {
      char *s = gk__arena_strndup(&b->doc->arena, p + a0, b0 - a0);
      if (!s)
        b->st = GK_ENOMEM;
      add(b, GK_DOC_PARA, s, NULL);
    }
    p = end ? end + 2 : NULL;
  }
}

static void add_table(builder *b, const gk__table *t) {
  if (b->st != GK_OK)
    return;
  gk__grid *g = grid_of(&b->doc->arena, t);
  if (!g) {
    b->st = gk__arena_failed(&b->doc->arena) ? GK_ENOMEM : GK_EINTERNAL;
    return;
  }
  add(b, GK_DOC_TABLE, NULL, g);
}

/* Whether a title names the year: "2024年", or in Chinese numerals
 * "二〇二四年" (with 〇, ○ or 零), as the parser reads it. */
static bool names_year(const char *title, int year) {
  char y[64];
  snprintf(y, sizeof y, "%d年", year);
  if (strstr(title, y))
    return true;
  static const char *const digit[10] = {"〇", "一", "二", "三", "四",
                                        "五", "六", "七", "八", "九"};
  static const char *const zero[3] = {"〇", "○", "零"};
  for (int z = 0; z < 3; z++) {
    size_t k = 0;
    for (int p = 1000; p > 0; p /= 10) {
      int d = year / p % 10;
      const char *s = d == 0 ? zero[z] : digit[d];
      size_t l = strlen(s);
      if (k + l >= sizeof y)
        return false;
      /* Not yet terminated: the memcpy() of "年" below copies its NUL. */
      // NOLINTNEXTLINE(bugprone-not-null-terminated-result)
      memcpy(y + k, s, l);
      k += l;
    }
    memcpy(y + k, "年", sizeof "年");
    if (strstr(title, y))
      return true;
  }
  return false;
}

/* The title as the model has it when it names the year the report covers
 * (or no year is known); else the standard title from the agency and the
 * year, so that the year is printed where readers, and the parser, look
 * for it. */
static const char *title_of(gk__arena *a, const gk_report *r) {
  if (r->title && r->title[0] && (!r->year || names_year(r->title, r->year)))
    return r->title;
  const char *agency = r->agency ? r->agency : "";
  if (r->year)
    return gk__arena_printf(a, "%s%d年%s", agency, r->year,
                            gk__title_standard_tail);
  return gk__arena_printf(a, "%s%s", agency, gk__title_standard_tail);
}

/* "2025-01-20" → "2025年1月20日"; anything else as it is. */
static const char *date_of(gk__arena *a, const char *iso) {
  int y, m, d;
  char tail;
  if (sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3)
    return gk__arena_printf(a, "%d年%d月%d日", y, m, d);
  return iso;
}

gk_status gk__doc_build(const gk_report *r, gk__doc *doc) {
  memset(doc, 0, sizeof *doc);
  gk__arena_init(&doc->arena);
  builder b = {doc, 0, GK_OK};
  doc->title = title_of(&doc->arena, r);
  add(&b, GK_DOC_TITLE, doc->title, NULL);
  bool done[GK_N_TABLES] = {false};
  /* A table whose part the model lacks still gets printed, under the
   * standard heading, before the first part that comes after it. */
  for (size_t i = 0; i <= r->n_sections && b.st == GK_OK; i++) {
    int number = i < r->n_sections ? r->sections[i].pub.number : 7;
    for (int t = 0; t < GK_N_TABLES; t++) {
      int part = t + 2;
      if (done[t] || !r->tables[t] || part >= number ||
          gk__report_part(r, part))
        continue;
      add(&b, GK_DOC_HEADING, gk__parts[part - 1].heading, NULL);
      add_table(&b, r->tables[t]);
      done[t] = true;
    }
    if (i == r->n_sections)
      break;
    const gk_section *s = &r->sections[i].pub;
    const char *heading = s->heading && s->heading[0] ? s->heading
                          : s->number >= 1 && s->number <= 6
                              ? gk__parts[s->number - 1].heading
                              : "";
    add(&b, GK_DOC_HEADING, heading, NULL);
    add_paragraphs(&b, s->text);
    int t = s->number - 2;
    if (t >= 0 && t < GK_N_TABLES && r->tables[t] && !done[t]) {
      add_table(&b, r->tables[t]);
      done[t] = true;
    }
  }
  if (r->agency && r->agency[0])
    add(&b, GK_DOC_AGENCY, r->agency, NULL);
  if (r->published && r->published[0])
    add(&b, GK_DOC_DATE, date_of(&doc->arena, r->published), NULL);
  if (b.st == GK_OK && gk__arena_failed(&doc->arena))
    b.st = GK_ENOMEM;
  if (b.st != GK_OK)
    gk__doc_free(doc);
  return b.st;
}

void gk__doc_free(gk__doc *doc) {
  gk__arena_free(&doc->arena);
  memset(doc, 0, sizeof *doc);
}

gk_status gk__buf_put_xml(gk__buf *out, const char *s) {
  return gk__buf_put_xmln(out, s, strlen(s));
}

gk_status gk__buf_put_xmln(gk__buf *out, const char *s, size_t len) {
  gk_status st = GK_OK;
  const char *run = s, *end = s + len;
  for (const char *p = s; p < end && st == GK_OK; p++) {
    const char *esc = NULL;
    switch (*p) {
    case '&':
      esc = "&amp;";
      break;
    case '<':
      esc = "&lt;";
      break;
    case '>':
      esc = "&gt;";
      break;
    case '"':
      esc = "&quot;";
      break;
    default:
      /* XML 1.0 allows no other C0 controls than tab and newline. */
      if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n')
        esc = " ";
    }
    if (!esc)
      continue;
    st = gk__buf_append(out, run, (size_t)(p - run));
    if (st == GK_OK)
      st = gk__buf_puts(out, esc);
    run = p + 1;
  }
  if (st == GK_OK)
    st = gk__buf_append(out, run, (size_t)(end - run));
  return st;
}

/* --------------------------------------------------------- public API */

const char *gk_render_format_name(gk_render_format format) {
  switch (format) {
  case GK_RENDER_TXT:
    return "txt";
  case GK_RENDER_MD:
    return "md";
  case GK_RENDER_HTML:
    return "html";
  case GK_RENDER_DOCX:
    return "docx";
  default:
    return "?";
  }
}

gk_status gk_render_format_parse(const char *name, gk_render_format *format) {
  static const struct {
    const char *name;
    gk_render_format f;
  } names[] = {{"txt", GK_RENDER_TXT},   {"text", GK_RENDER_TXT},
               {"md", GK_RENDER_MD},     {"markdown", GK_RENDER_MD},
               {"html", GK_RENDER_HTML}, {"docx", GK_RENDER_DOCX}};
  if (!name || !format)
    return GK_EINVAL;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (strcmp(name, names[i].name) == 0) {
      *format = names[i].f;
      return GK_OK;
    }
  }
  return GK_EUNSUPPORTED;
}

/* Serialises a document in one format into a new string. */
static gk_status render_doc(const gk__doc *doc, gk_render_format format,
                            char **out, size_t *len) {
  gk_status st;
  gk__buf b;
  gk__buf_init(&b, GK_MAX_RENDER_BYTES);
  switch (format) {
  case GK_RENDER_TXT:
    st = gk__write_txt(doc, &b);
    break;
  case GK_RENDER_MD:
    st = gk__write_md(doc, &b);
    break;
  case GK_RENDER_HTML:
    st = gk__write_html(doc, &b);
    break;
  case GK_RENDER_DOCX:
    st = gk__write_docx(doc, &b);
    break;
  default:
    st = GK_EINVAL;
  }
  if (st == GK_OK && !b.data)
    st = gk__buf_puts(&b, "");
  if (st != GK_OK) {
    gk__buf_free(&b);
    return st == GK_ETOOBIG ? GK_ELIMIT : st;
  }
  size_t n = 0;
  *out = gk__buf_detach(&b, &n);
  if (len)
    *len = n;
  return GK_OK;
}

gk_status gk_report_render(const gk_report *r, gk_render_format format,
                           char **out, size_t *len) {
  if (!out)
    return GK_EINVAL;
  *out = NULL;
  if (len)
    *len = 0;
  if (!r)
    return GK_EINVAL;
  gk__doc doc;
  gk_status st = gk__doc_build(r, &doc);
  if (st != GK_OK)
    return st;
  st = render_doc(&doc, format, out, len);
  gk__doc_free(&doc);
  return st;
}

/* The most blocks one document may have: a notice lists a body's
 * findings, tens at most; the cap bounds a caller's mistake. */
#define GK_MAX_DOCUMENT_BLOCKS 100000

gk_status gk_document_render(const char *title, const gk_block *blocks,
                             size_t n_blocks, gk_render_format format,
                             char **out, size_t *len) {
  if (!out)
    return GK_EINVAL;
  *out = NULL;
  if (len)
    *len = 0;
  if ((!blocks && n_blocks) || n_blocks > GK_MAX_DOCUMENT_BLOCKS)
    return GK_EINVAL;
  static const gk__doc_kind kinds[] = {[GK_BLOCK_TITLE] = GK_DOC_TITLE,
                                       [GK_BLOCK_HEADING] = GK_DOC_HEADING,
                                       [GK_BLOCK_PARA] = GK_DOC_PARA,
                                       [GK_BLOCK_AGENCY] = GK_DOC_AGENCY,
                                       [GK_BLOCK_DATE] = GK_DOC_DATE};
  gk__doc doc;
  memset(&doc, 0, sizeof doc);
  doc.title = title;
  doc.blocks = calloc(n_blocks ? n_blocks : 1, sizeof *doc.blocks);
  if (!doc.blocks)
    return GK_ENOMEM;
  for (size_t i = 0; i < n_blocks; i++) {
    if ((unsigned)blocks[i].kind > GK_BLOCK_DATE || !blocks[i].text) {
      free(doc.blocks);
      return GK_EINVAL;
    }
    doc.blocks[i].kind = kinds[blocks[i].kind];
    doc.blocks[i].text = blocks[i].text;
  }
  doc.n_blocks = n_blocks;
  gk_status st = render_doc(&doc, format, out, len);
  free(doc.blocks); /* the texts are the caller's; the arena is unused */
  return st;
}
