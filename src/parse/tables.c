/*
 * tables.c - tables 2, 3 and 4: from the stream to cells.
 *
 * For each table of the report's edition (format/format.c):
 *
 * 1. The region is the part that holds the table, from its heading to the
 *    next part's heading.  The table starts at the first printed caption
 *    or header (its "furniture"); prose before it is never read as cells.
 *    A region without furniture has no table (an image-only table is
 *    absent, not zero).
 * 2. Furniture is masked, so digits in captions are never cells.
 * 3. Row labels are aligned in order: each row's anchor is searched after
 *    the previous row, tolerating breaks and stray characters, and the
 *    match is widened over the rest of the label and its enumerator
 *    ("1.", "（三）") so that their digits are masked too.
 * 4. A row's values are the number and blank-marker tokens between its
 *    label and the next row's label.  Exactly as many values as columns:
 *    read in order.  More: the row's own arithmetic picks which run of
 *    values is the row (cell.extra-values says what was dropped).  Fewer:
 *    when the source kept tab positions and exactly one placement fits,
 *    the empty positions are blank cells; otherwise no cell of the row is
 *    guessed: all are null and the diagnostic says why.
 * Table 4 prints one line of 15 numbers under a two-level header; it is
 * read as one row of 15 cells, and its block identities choose among
 * extra values.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "tables_int.h"

/* Values read for one row at most; more is not a table row. */
#define MAX_ROW_VALUES 64
/* Tokens considered between two row labels. */
#define MAX_SPAN_TOKENS 512

/* A row label as a reviewer would name it: table 4's blocks with their
 * group ("行政诉讼·复议后起诉"), other rows by their label.  Formatted into
 * the report's arena (messages only). */
const char *gk__row_display_in(gk_report *r, const gk__tabledef *t, int row) {
  const gk__rowdef *rd = &t->rows[row];
  if (t->layout == GK_LAYOUT_BLOCKS && rd->group)
    return gk__arena_printf(&r->arena, "%s·%s", rd->group, rd->label.text);
  return rd->label.text;
}

char *gk__row_path(gk_report *r, const gk__tabledef *t, int row) {
  return gk__arena_printf(&r->arena, "%s.%s", t->key, t->rows[row].key);
}

/* The notes of a new table, but its pending rows (written whole). */
static void notes_init(table_notes *tn) {
  memset(tn, 0, offsetof(table_notes, pending));
}

/* Collects the value tokens of [from, to).  With stop_at_prose, reading
 * ends at the first word of three or more characters after a value: the
 * end of the table. */
/* In a real table (HTML, DOCX, Markdown) a cell's value is the number
 * that starts the cell; digits after text in the same cell are part of
 * the text ("数据1", "22（其中修订 16 件）" has the value 22, not 16).
 * Text layouts have no cells: every token counts. */
static bool starts_cell(const gk__stream *s, const uint8_t *mask,
                        const gk__token *tok) {
  const gk__run *run = &s->layout->runs[tok->run];
  if (run->table < 0)
    return true;
  for (size_t i = tok->start; i-- > 0;) {
    if (s->ch[i].run != tok->run)
      return true;
    if (!(mask && mask[i]))
      return false; /* text of the same cell before it */
  }
  return true;
}

static size_t collect_values(gk__parse *p, const uint8_t *mask, size_t from,
                             size_t to, bool stop_at_prose,
                             const gk__token **vals, size_t max, gk__token *buf,
                             size_t *last_pos) {
  size_t nt = gk__tokenize(&p->s, mask, from, to, buf, MAX_SPAN_TOKENS);
  size_t k = 0;
  for (size_t i = 0; i < nt; i++) {
    const gk__token *tok = &buf[i];
    if (tok->kind == GK_TOK_TEXT) {
      if (stop_at_prose && k > 0 && tok->n_chars >= 3)
        break;
      continue;
    }
    if (!starts_cell(&p->s, mask, tok))
      continue;
    /* In a real table's cell, a second number right after the first
     * ("154 5") makes the cell no one number: unreadable, not the first. */
    if (tok->kind == GK_TOK_NUMBER && i + 1 < nt &&
        buf[i + 1].kind == GK_TOK_NUMBER && buf[i + 1].run == tok->run &&
        p->s.layout->runs[tok->run].table >= 0)
      buf[i].unreadable = true;
    if (k < max)
      vals[k++] = tok;
    else
      k++; /* counted: a row with this many values is not a table row */
    if (last_pos)
      *last_pos = tok->end;
  }
  return k;
}

static gk__table *new_table(gk_report *r, const gk__tabledef *def) {
  gk__table *t = gk__arena_calloc(&r->arena, 1, sizeof *t);
  if (!t)
    return NULL;
  t->def = def;
  t->cells = gk__arena_calloc(&r->arena, (size_t)def->n_rows * def->max_cols,
                              sizeof *t->cells);
  t->row_found = gk__arena_calloc(&r->arena, def->n_rows, sizeof(bool));
  t->row_label = gk__arena_calloc(&r->arena, def->n_rows, sizeof(char *));
  t->row_line = gk__arena_calloc(&r->arena, def->n_rows, sizeof(uint32_t));
  t->col_label =
      gk__arena_calloc(&r->arena, def->n_header_cols + 1u, sizeof(char *));
  if (!t->cells || !t->row_found || !t->row_label || !t->row_line ||
      !t->col_label)
    return NULL;
  return t;
}

static void claim_lines(gk__parse *p, gk__table_id id, size_t from_pos,
                        size_t to_pos) {
  if (p->s.n == 0 || from_pos >= to_pos)
    return;
  uint32_t a = p->s.ch[from_pos].line, b = p->s.ch[to_pos - 1].line;
  for (uint32_t li = a; li <= b; li++)
    p->line_table[li] = (int8_t)id;
}

static void summarise_extra(gk__parse *p, const gk__tabledef *t,
                            const table_notes *tn, size_t n_cols) {
  if (tn->n_extra_rows == 0)
    return;
  const char *first = row_display(t, tn->first_extra_row);
  if (tn->n_extra_rows == 1)
    gk__diag_rule(
        p->r, GK_R_CELL_EXTRA_VALUES, tn->first_extra_line, t->key,
        "%s“%s”读到 %zu 个数字，多于 %zu 列，已按本行算术关系保留 %zu "
        "个（%s）",
        gk__table_part_name(t->id), first, tn->first_extra_k, n_cols, n_cols,
        tn->dropped);
  else
    gk__diag_rule(p->r, GK_R_CELL_EXTRA_VALUES, tn->first_extra_line, t->key,
                  "%s表格有 %d 行读到的数字多于列数（如“%s”读到 %zu 个，应为 "
                  "%zu 个），已按各行算术关系保留右侧的数字（%s%s）",
                  gk__table_part_name(t->id), tn->n_extra_rows, first,
                  tn->first_extra_k, n_cols, tn->dropped,
                  tn->n_extra_rows > tn->n_listed ? "等" : "");
}

/* Finds the first occurrence of p in [from, to) that is the whole text of
 * a real table's cell ("其他" as a column header, not inside
 * "法人或其他组织"); sets *at to its start. */
static bool find_whole_cell(const gk__stream *s, size_t from, size_t to,
                            const gk__pattern *p, size_t *at) {
  size_t a, b;
  while (from < to &&
         gk__stream_find(s, NULL, from, to, p, GK_MATCH_EXACT, &a, &b)) {
    uint32_t run = s->ch[a].run;
    bool whole = s->layout->runs[run].table >= 0 && s->ch[b - 1].run == run &&
                 (a == 0 || s->ch[a - 1].run != run) &&
                 (b == s->n || s->ch[b].run != run);
    if (whole) {
      *at = a;
      return true;
    }
    from = a + 1;
  }
  return false;
}

/* Finds the grid columns of the table's header columns (table 3), in the
 * header: between the table's start and its first row. */
static void header_grid(gk__parse *p, const gk__tabledef *def, size_t start,
                        const size_t *hit_start, const bool *found,
                        table_notes *tn) {
  tn->have_grid = false;
  if (def->n_header_cols == 0 || def->n_header_cols > MAX_SLOTS)
    return;
  size_t end = p->s.n;
  for (int i = 0; i < def->n_rows; i++) {
    if (found[i]) {
      end = hit_start[i];
      break;
    }
  }
  for (int c = 0; c < def->n_header_cols; c++) {
    const gk__coldef *col = &def->header_cols[c];
    size_t a = 0;
    bool got = false;
    for (int v = -1;
         !got && (v < 0 || (col->label.variants && col->label.variants[v]));
         v++) {
      gk__pattern sp;
      const gk__pattern *pat =
          gk__pattern_of(v < 0 ? col->label.text : col->label.variants[v], &sp);
      got = find_whole_cell(&p->s, start, end, pat, &a);
    }
    if (!got)
      return;
    const gk__run *run = &p->s.layout->runs[p->s.ch[a].run];
    for (int q = 0; q < c; q++)
      if (tn->grid_col[q] == run->col)
        return;
    tn->grid_col[c] = run->col;
  }
  tn->have_grid = true;
}

/*
 * Whether table 3, in text without a real table, prints numbers before
 * its first row label (after its headers) and none after it on its line:
 * text extracted from a PDF in
 * content order (pdftotext without -layout) gives a row's numbers before
 * its label as often as after it, and a label's wrapped halves around
 * them.  The order of the text then does not say which row a number is
 * in: every cell is null, with one cell.ambiguous for the table, rather
 * than each row read with its neighbour's numbers.
 */
static bool numbers_before_rows(gk__parse *p, const gk__tabledef *def,
                                const uint8_t *mask, size_t start,
                                size_t first_row, size_t first_row_end,
                                gk__token *buf) {
  if (def->id != GK_T_APPLICATIONS || first_row <= start ||
      first_row_end > p->s.n || first_row_end == 0)
    return false;
  const gk__run *run = &p->s.layout->runs[p->s.ch[first_row].run];
  if (run->table >= 0)
    return false;
  /* The first label's line has numbers after it: the numbers before it
   * are the upper halves of wrapped cells, read row by row (cells that
   * wrapped are null with their own diagnostic). */
  const gk__token *vals[MAX_ROW_VALUES];
  uint32_t line = p->s.ch[first_row_end - 1].line;
  if (collect_values(p, mask, first_row_end, p->s.line_end[line], false, vals,
                     MAX_ROW_VALUES, buf, NULL) > 0)
    return false;
  size_t k = collect_values(p, mask, start, first_row, false, vals,
                            MAX_ROW_VALUES, buf, NULL);
  const gk__token *first = NULL;
  for (size_t i = 0; i < k && i < MAX_ROW_VALUES && !first; i++)
    if (vals[i]->kind == GK_TOK_NUMBER)
      first = vals[i];
  if (!first)
    return false;
  const char *shown = gk__printed_tokens(p, &first, 1);
  gk__diag_rule(
      p->r, GK_R_CELL_AMBIGUOUS, gk__stream_lineno(&p->s, start), def->key,
      "%s表格在第一行标签之前已有数字（如“%s”）：文字的先后次序与表格的"
      "行不一致（不保留版面的 PDF 文字提取常见），无法确定各数字属于哪"
      "一行，全表按空处理",
      gk__table_part_name(def->id), shown ? shown : "");
  return true;
}

static gk_status parse_rows(gk__parse *p, const gk__edition_def *ed,
                            const gk__tabledef *def, uint8_t *mask,
                            size_t start, size_t to, gk__table **out,
                            size_t *end) {
  gk__stream *s = &p->s;
  gk_report *r = p->r;
  size_t hit_start[32], hit_end[32];
  bool found[32] = {0};
  size_t cursor = start;
  int n_found = 0;
  for (int i = 0; i < def->n_rows; i++) {
    int variant;
    if (gk__find_row(s, mask, cursor, to, &def->rows[i], &hit_start[i],
                     &hit_end[i], &variant)) {
      found[i] = true;
      gk__mask_span(mask, hit_start[i], hit_end[i]);
      cursor = hit_end[i];
      n_found++;
    }
  }
  /* Rows not found after their predecessor may have been printed ahead
   * of the grid (a converter that put table 2's single-value rows before
   * it): look for them between the table's start and the first row found
   * in order.  Not inside the grid, where a label out of order has no
   * trustworthy values. */
  size_t first_pos = to;
  for (int i = 0; i < def->n_rows; i++)
    if (found[i] && hit_start[i] < first_pos)
      first_pos = hit_start[i];
  for (int i = 0; i < def->n_rows && n_found > 0; i++) {
    int variant;
    if (found[i] || !gk__find_row(s, mask, start, first_pos, &def->rows[i],
                                  &hit_start[i], &hit_end[i], &variant))
      continue;
    found[i] = true;
    gk__mask_span(mask, hit_start[i], hit_end[i]);
    n_found++;
  }
  if (n_found == 0) {
    *out = NULL;
    return GK_OK;
  }
  gk__table *t = new_table(r, def);
  if (!t)
    return GK_ENOMEM;
  gk__token *buf = gk__arena_alloc(&r->arena, MAX_SPAN_TOKENS * sizeof *buf);
  if (!buf)
    return GK_ENOMEM;
  table_notes tn;
  notes_init(&tn);
  header_grid(p, def, start, hit_start, found, &tn);
  size_t first_end = 0;
  for (int i = 0; i < def->n_rows; i++)
    if (found[i] && hit_start[i] == first_pos)
      first_end = hit_end[i];
  bool order_broken =
      numbers_before_rows(p, def, mask, start, first_pos, first_end, buf);
  size_t table_end = start;
  /* The rows found, by where their labels start (insertion sort, stable:
   * at most 32): a row's values end at the first label that starts at or
   * after its own label's end, found by a binary search instead of a look
   * at every other row (issue 12). */
  int by_pos[32];
  int n_pos = 0;
  for (int i = 0; i < def->n_rows; i++) {
    if (!found[i])
      continue;
    int q = n_pos++;
    while (q > 0 && hit_start[by_pos[q - 1]] > hit_start[i]) {
      by_pos[q] = by_pos[q - 1];
      q--;
    }
    by_pos[q] = i;
  }
  for (int i = 0; i < def->n_rows; i++) {
    const gk__rowdef *row = &def->rows[i];
    if (!found[i]) {
      char *path = gk__row_path(r, def, i);
      gk__diag_rule(r, GK_R_STRUCTURE_MISSING_ROW,
                    gk__stream_lineno(s, table_end), path,
                    "%s表格缺少“%s”行，该行数字无法读取",
                    gk__table_part_name(def->id), row->label.text);
      continue;
    }
    t->row_found[i] = true;
    t->row_label[i] =
        gk__stream_text(&r->arena, s, hit_start[i], hit_end[i], false);
    t->row_line[i] = gk__stream_lineno(s, hit_start[i]);
    /* A row's values end where the next label (by position) begins. */
    size_t span_end = to;
    bool last = true;
    int lo = 0, hi = n_pos;
    while (lo < hi) {
      int mid = lo + (hi - lo) / 2;
      if (hit_start[by_pos[mid]] < hit_end[i])
        lo = mid + 1;
      else
        hi = mid;
    }
    while (lo < n_pos && by_pos[lo] == i)
      lo++;
    if (lo < n_pos && hit_start[by_pos[lo]] < span_end) {
      span_end = hit_start[by_pos[lo]];
      last = false;
    }
    const gk__token *vals[MAX_ROW_VALUES];
    size_t last_pos = hit_end[i];
    size_t k = collect_values(p, mask, hit_end[i], span_end, last, vals,
                              MAX_ROW_VALUES, buf, &last_pos);
    if (last_pos > table_end)
      table_end = last_pos;
    if (hit_end[i] > table_end)
      table_end = hit_end[i];
    slot slots[MAX_SLOTS];
    for (int c = 0; c < row->n_cols; c++) {
      slots[c].cell = gk__table_cell(t, i, c);
      slots[c].kind = row->cols[c].kind;
      slots[c].row = i;
      slots[c].col = c;
    }
    /* The first field after the label, when values share its line. */
    uint32_t min_field = 0;
    const gk__line *ln = &s->layout->lines[s->ch[hit_end[i] - 1].line];
    if (k > 0 && vals[0]->line == s->ch[hit_end[i] - 1].line)
      min_field = s->ch[hit_end[i] - 1].run - ln->first_run + 1;
    if (k > MAX_ROW_VALUES) {
      for (int c = 0; c < row->n_cols; c++)
        slots[c].cell->state = GK_CELL_NULL;
      gk__diag_rule(r, GK_R_CELL_NOT_A_NUMBER, t->row_line[i],
                    gk__row_path(r, def, i),
                    "%s“%s”后有 %zu 个数字，不像表格行，未读取",
                    gk__table_part_name(def->id), row->label.text, k);
      continue;
    }
    if (order_broken) {
      for (int c = 0; c < row->n_cols; c++)
        slots[c].cell->state = GK_CELL_NULL;
      continue;
    }
    gk__read_row(p, ed, def, slots, row->n_cols, vals, k, min_field, &tn,
                 row->label.text, t->row_line[i], hit_end[i]);
  }
  gk__resolve_pending(p, ed, def, t, &tn);
  summarise_extra(p, def, &tn, def->rows[0].n_cols);
  gk__summarise_split(p, def, &tn);
  t->first_line = gk__stream_lineno(s, start);
  t->last_line = gk__stream_lineno(s, table_end ? table_end - 1 : 0);
  claim_lines(p, def->id, start, table_end);
  *out = t;
  *end = table_end;
  return GK_OK;
}

static gk_status parse_blocks(gk__parse *p, const gk__edition_def *ed,
                              const gk__tabledef *def, uint8_t *mask,
                              size_t start, size_t header_end, size_t to,
                              gk__table **out, size_t *end) {
  gk_report *r = p->r;
  gk__table *t = new_table(r, def);
  if (!t)
    return GK_ENOMEM;
  gk__token *buf = gk__arena_alloc(&r->arena, MAX_SPAN_TOKENS * sizeof *buf);
  if (!buf)
    return GK_ENOMEM;
  size_t n = (size_t)def->n_rows * def->max_cols;
  slot slots[MAX_SLOTS];
  for (size_t i = 0; i < n; i++) {
    int row = (int)(i / def->max_cols), col = (int)(i % def->max_cols);
    slots[i].cell = gk__table_cell(t, row, col);
    slots[i].kind = def->rows[row].cols[col].kind;
    slots[i].row = row;
    slots[i].col = col;
  }
  for (int i = 0; i < def->n_rows; i++) {
    t->row_found[i] = true;
    t->row_line[i] = gk__stream_lineno(&p->s, start);
  }
  const gk__token *vals[MAX_ROW_VALUES];
  size_t last_pos = header_end;
  size_t k = collect_values(p, mask, header_end, to, true, vals, MAX_ROW_VALUES,
                            buf, &last_pos);
  if (k < n) {
    /* Each block printed as a small table of its own, header and values
     * ("### 行政复议" …): read from the first column header on, where
     * every header is masked and only the blocks' values remain. */
    gk__pattern sp;
    const gk__pattern *first_col =
        gk__pattern_of(def->header_cols[0].label.text, &sp);
    size_t a, b;
    if (gk__stream_find(&p->s, NULL, start, to, first_col, GK_MATCH_EXACT, &a,
                        &b) &&
        b < header_end) {
      size_t alt_last = b;
      const gk__token *alt[MAX_ROW_VALUES];
      gk__token *alt_buf =
          gk__arena_alloc(&r->arena, MAX_SPAN_TOKENS * sizeof *alt_buf);
      if (!alt_buf)
        return GK_ENOMEM;
      size_t ak = collect_values(p, mask, b, to, true, alt, MAX_ROW_VALUES,
                                 alt_buf, &alt_last);
      if (ak == n) {
        // NOLINTNEXTLINE(bugprone-sizeof-expression): vals holds token pointers
        memcpy(vals, alt, n * sizeof *vals);
        k = ak;
        last_pos = alt_last;
      }
    }
  }
  table_notes tn;
  notes_init(&tn);
  uint32_t line = k ? gk__stream_lineno(&p->s, vals[0]->start)
                    : gk__stream_lineno(&p->s, header_end);
  if (k > MAX_ROW_VALUES) {
    gk__diag_rule(r, GK_R_CELL_NOT_A_NUMBER, line, def->key,
                  "%s表格后有 %zu 个数字，不像表格行，未读取",
                  gk__table_part_name(def->id), k);
  } else {
    /* The blocks named together: "行政复议、行政诉讼". */
    const char *name =
        def->n_rows > 1 && def->rows[1].group
            ? gk__arena_printf(&r->arena, "%s、%s", def->rows[0].label.text,
                               def->rows[1].group)
            : def->rows[0].label.text;
    gk__read_row(p, ed, def, slots, n, vals, k, 0, &tn, name ? name : "", line,
                 header_end);
  }
  gk__resolve_pending(p, ed, def, t, &tn);
  summarise_extra(p, def, &tn, n);
  gk__summarise_split(p, def, &tn);
  t->first_line = gk__stream_lineno(&p->s, start);
  t->last_line = gk__stream_lineno(&p->s, last_pos ? last_pos - 1 : 0);
  claim_lines(p, def->id, start, last_pos > header_end ? last_pos : header_end);
  *out = t;
  *end = last_pos > header_end ? last_pos : header_end;
  return GK_OK;
}

/* Records the column headers as found, for label-variant checks. */
static void find_headers(gk__parse *p, const gk__tabledef *def, size_t start,
                         size_t to, gk__table *t) {
  for (int c = 0; c < def->n_header_cols; c++) {
    const gk__coldef *col = &def->header_cols[c];
    gk__pattern sp;
    size_t a, b;
    const gk__pattern *pat = gk__pattern_of(col->label.text, &sp);
    if (gk__stream_find(&p->s, NULL, start, to, pat, GK_MATCH_EXACT, &a, &b)) {
      t->col_label[c] = gk__stream_text(&p->r->arena, &p->s, a, b, false);
      continue;
    }
    for (int v = 0; col->label.variants && col->label.variants[v]; v++) {
      pat = gk__pattern_of(col->label.variants[v], &sp);
      if (gk__stream_find(&p->s, NULL, start, to, pat, GK_MATCH_EXACT, &a,
                          &b)) {
        t->col_label[c] = gk__stream_text(&p->r->arena, &p->s, a, b, false);
        break;
      }
    }
  }
}

gk_status gk__parse_tables(gk__parse *p) {
  gk_report *r = p->r;
  /* allocated by the first row that needs it (gk__add_unforced): 34 KB
   * that a report whose cells are set apart never uses */
  p->unforced = NULL;
  p->n_unforced = 0;
  p->blanks_dropped = false;
  p->blanks_marked = false;
  const gk__edition_def *ed = gk__edition_get(r->edition);
  if (!ed) {
    if (r->edition == GK_EDITION_PRE2019)
      return GK_OK; /* free-form tables are not read as national ones */
    ed = (r->year >= 2019 && r->year <= 2020) ? &gk__edition_2019
                                              : &gk__edition_2021;
  }
  r->tables_ed = ed;
  gk__stream *s = &p->s;
  uint8_t *mask = gk__arena_calloc(&r->arena, s->n ? s->n : 1, 1);
  if (!mask)
    return GK_ENOMEM;
  gk__mask_page_footers(s, mask);
  /* Where the previous table ended (or part 一's heading, or the top). */
  size_t prev_end = p->part_line[1] >= 0 ? s->line_end[p->part_line[1]] : 0;
  for (int ti = 0; ti < GK_N_TABLES; ti++) {
    const gk__tabledef *def = ed->tables[ti];
    int part = ti + 2;
    /* The region: from the part's heading (or, when a heading is
     * missing, from the end of the previous table) to the heading of the
     * next part that follows it. */
    size_t from =
        p->part_line[part] >= 0 ? s->line_end[p->part_line[part]] : prev_end;
    size_t to = s->n;
    for (int q = part + 1; q <= 6; q++) {
      if (p->part_line[q] < 0)
        continue;
      size_t b = s->line_begin[p->part_line[q]];
      if (b >= from && b < to)
        to = b;
    }
    size_t first, last_end;
    int distinct =
        gk__mask_furniture(s, mask, from, to, def, &first, &last_end);
    gk__table *t = NULL;
    if (def->layout == GK_LAYOUT_BLOCKS) {
      /* A header needs most of its labels: 行政复议 alone in a sentence
       * is not a table. */
      if (distinct >= 4) {
        size_t end;
        gk_status st =
            parse_blocks(p, ed, def, mask, first, last_end, to, &t, &end);
        if (st == GK_OK)
          prev_end = end;
        if (st != GK_OK)
          return st;
      }
    } else if (distinct > 0) {
      size_t end = from;
      gk_status st = parse_rows(p, ed, def, mask, first, to, &t, &end);
      if (st == GK_OK && t)
        prev_end = end;
      if (st != GK_OK)
        return st;
    }
    if (t)
      find_headers(p, def, first, to, t);
    r->tables[ti] = t;
    if (gk__arena_failed(&r->arena))
      return GK_ENOMEM;
  }
  gk__settle_unforced(p);
  return gk__arena_failed(&r->arena) ? GK_ENOMEM : GK_OK;
}
