/*
 * tables_assign.c - assignment (tables.c): a row's value tokens into its
 * cells.  Exactly as many values as cells: in order.  More: the row's own
 * arithmetic picks which run of values is the row.  Fewer: by the grid or
 * the tab positions when exactly one placement fits, else glued digits
 * (tables_glued.c), else no cell of the row is guessed.  store() turns one
 * token into one cell with the diagnostics of reading it.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "tables_int.h"

/* A candidate reading as gk__fit_values() evaluates it. */
typedef struct reading {
  const slot *slots;
  size_t n;
  const int64_t *v;
  const bool *known;
} reading;

/* A term of a per-row identity (gk__term_fn): the value the reading gives
 * the cell at (row, col); false when the reading has no such cell or does
 * not know its value (a blank, a decimal). */
static bool reading_term(void *ctx, int side, int row, int col,
                         int64_t *value) {
  const reading *rd = ctx;
  (void)side;
  for (size_t m = 0; m < rd->n; m++)
    if (rd->slots[m].row == row && rd->slots[m].col == col) {
      if (!rd->known[m])
        return false;
      *value = rd->v[m];
      return true;
    }
  return false;
}

fit gk__fit_values(const gk__edition_def *ed, const gk__tabledef *t,
                   const slot *slots, size_t n, const int64_t *v,
                   const bool *known) {
  fit result = FIT_YES;
  bool decided = false; /* some identity was evaluated */
  reading rd = {slots, n, v, known};
  for (size_t k = 0; k < ed->n_identities; k++) {
    const gk__identity *id = &ed->identities[k];
    if (id->table != t->id || id->axis != GK_AXIS_COLS)
      continue;
    /* Each row present among the slots. */
    for (size_t i = 0; i < n; i++) {
      if (slots[i].col != 0 || !(id->mask & (1u << slots[i].row)))
        continue;
      switch (
          gk__identity_eval(id, slots[i].row, reading_term, &rd, NULL, NULL)) {
      case GK_ID_UNDECIDED:
        result = FIT_UNKNOWN;
        break;
      case GK_ID_FAILS:
        return FIT_NO;
      case GK_ID_HOLDS:
        decided = true;
        break;
      }
    }
  }
  /* No identity touches these cells (table 2): the arithmetic says
   * nothing, which is not a "yes". */
  return decided ? result : FIT_UNKNOWN;
}

/* Whether the values come from more than one line of text without a
 * grid. */
static bool spread_over_lines(const gk__stream *s, const gk__token *const *vals,
                              size_t k) {
  for (size_t i = 0; i < k; i++)
    if (s->layout->runs[vals[i]->run].table >= 0)
      return false;
  for (size_t i = 1; i < k; i++)
    if (vals[i]->line != vals[0]->line)
      return true;
  return false;
}

/* Whether anything of the stream (masked furniture, text) lies between
 * the label's end and the first value or between two values. */
static bool interleaved(const gk__token *const *vals, size_t k,
                        size_t label_end) {
  if (k > 0 && vals[0]->start > label_end)
    return true;
  for (size_t i = 1; i < k; i++)
    if (vals[i]->start != vals[i - 1]->end)
      return true;
  return false;
}

/* Whether the nearest non-empty layout line before (dir -1) or after
 * (+1) line li holds nothing but numbers: parts of wrapped numbers in a
 * PDF's text, which no label claims. */
static bool numbers_only_line(const gk__stream *s, uint32_t li, int dir) {
  long l = (long)li + dir;
  while (l >= 0 && (size_t)l < s->layout->n_lines &&
         s->line_begin[l] == s->line_end[l])
    l += dir;
  if (l < 0 || (size_t)l >= s->layout->n_lines)
    return false;
  size_t digits = 0;
  for (size_t i = s->line_begin[l]; i < s->line_end[l]; i++) {
    int32_t c = s->cp[i];
    if (c >= '0' && c <= '9')
      digits++;
    else
      return false;
  }
  return digits > 0;
}

/* How many of the values sit on source line `lineno`. */
static size_t values_on_line(const gk__stream *s, const gk__token *const *vals,
                             size_t k, uint32_t lineno) {
  size_t m = 0;
  for (size_t i = 0; i < k; i++)
    m += gk__stream_lineno(s, vals[i]->start) == lineno;
  return m;
}

/* Whether a value is printed with a leading zero ("07"): a fragment of a
 * number (a wrapped cell in PDF text) or digits run together. */
static bool any_leading_zero(const gk__token *const *vals, size_t k) {
  for (size_t i = 0; i < k; i++)
    if (vals[i]->kind == GK_TOK_NUMBER && vals[i]->leading_zero)
      return true;
  return false;
}

/* Why a row's values were not placed, for its diagnostic. */
static const char *refuse_why(const gk__stream *s, const gk__token *const *vals,
                              size_t k) {
  if (any_leading_zero(vals, k))
    return "中有以 0 开头的数字，像是折行截断的一部分，且与本行的算术关系"
           "不符";
  if (spread_over_lines(s, vals, k))
    return "分散在几行，可能被折行截断或混入了别行的数字，不能确定都属于"
           "本行";
  return "怎样对应各列都不符合或不能唯一符合本行的算术关系";
}

/* Whether two windows of values read the same (numbers and blanks). */
static bool same_values(const gk__token *const *a, const gk__token *const *b,
                        size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (a[i]->kind != b[i]->kind)
      return false;
    if (a[i]->kind == GK_TOK_NUMBER &&
        (a[i]->value != b[i]->value || a[i]->scale != b[i]->scale))
      return false;
  }
  return true;
}

/* Whether some per-row identity of the table covers a row among the
 * slots. */
bool gk__row_has_identity(const gk__edition_def *ed, const gk__tabledef *t,
                          const slot *slots, size_t n) {
  for (size_t k = 0; k < ed->n_identities; k++) {
    const gk__identity *id = &ed->identities[k];
    if (id->table != t->id || id->axis != GK_AXIS_COLS)
      continue;
    for (size_t i = 0; i < n; i++)
      if (id->mask & (1u << slots[i].row))
        return true;
  }
  return false;
}

static fit fits_identities(const gk__edition_def *ed, const gk__tabledef *t,
                           const slot *slots, size_t n,
                           const gk__token *const *values) {
  int64_t v[MAX_SLOTS];
  bool known[MAX_SLOTS];
  for (size_t m = 0; m < n; m++) {
    const gk__token *tok = values[m];
    known[m] =
        tok && tok->kind == GK_TOK_NUMBER && !tok->scale && !tok->overflow;
    v[m] = known[m] ? tok->value : 0;
  }
  return gk__fit_values(ed, t, slots, n, v, known);
}

/* Whether the layout run holds only white space. */
static bool run_empty(const gk__run *run) {
  for (uint32_t i = 0; i < run->len; i++) {
    char c = run->text[i];
    if (c != ' ' && c != '\t' && c != '\r')
      return false;
  }
  return true;
}

/*
 * Places k values (k < n) by their tab fields.  The values must all sit
 * on one line, one per field; the cells are a window of n consecutive
 * fields after `min_field` in which every field without a value is empty.
 * Exactly one such window must exist.  On success fills placed[] (NULL for
 * a blank cell) and returns true.
 */
static bool place_by_fields(const gk__stream *s, const gk__token *const *vals,
                            size_t k, size_t n, uint32_t min_field,
                            const gk__token **placed) {
  if (k == 0)
    return false;
  const gk__layout *l = s->layout;
  uint32_t line = vals[0]->line;
  const gk__line *ln = &l->lines[line];
  uint32_t fields[MAX_SLOTS];
  for (size_t i = 0; i < k; i++) {
    if (vals[i]->line != line)
      return false;
    fields[i] = vals[i]->run - ln->first_run;
    if (i > 0 && fields[i] <= fields[i - 1])
      return false; /* two values in one field */
  }
  if (ln->n_runs < n)
    return false;
  long found = -1;
  for (uint32_t w = min_field; w + n <= ln->n_runs; w++) {
    if (fields[0] < w || fields[k - 1] >= w + n)
      continue;
    bool ok = true;
    size_t vi = 0;
    for (uint32_t f = w; f < w + n && ok; f++) {
      if (vi < k && fields[vi] == f)
        vi++;
      else if (!run_empty(&l->runs[ln->first_run + f]))
        ok = false;
    }
    if (!ok)
      continue;
    if (found >= 0)
      return false; /* two placements fit: do not guess */
    found = w;
  }
  if (found < 0)
    return false;
  size_t vi = 0;
  for (size_t c = 0; c < n; c++) {
    uint32_t f = (uint32_t)found + (uint32_t)c;
    placed[c] = (vi < k && fields[vi] == f) ? vals[vi++] : NULL;
  }
  return true;
}

/* In a real table whose header columns were all found in the grid, each
 * value goes to the header column with the same grid column; a header
 * column without a value is a blank cell.  Values outside the header's
 * columns (a label's spanned cells) are not cells of the row. */
static bool place_by_grid(const gk__stream *s, const table_notes *tn,
                          const gk__token *const *vals, size_t k, size_t n,
                          const gk__token **placed) {
  if (!tn->have_grid)
    return false;
  for (size_t c = 0; c < n; c++)
    placed[c] = NULL;
  size_t used = 0;
  for (size_t i = 0; i < k; i++) {
    const gk__run *run = &s->layout->runs[vals[i]->run];
    if (run->table < 0)
      return false;
    for (size_t c = 0; c < n; c++) {
      if (tn->grid_col[c] == run->col) {
        if (placed[c])
          return false; /* two values in one cell: not a grid row */
        placed[c] = vals[i];
        used++;
        break;
      }
    }
  }
  return used > 0;
}

/* Rows whose dropped values the summary spells out; the rest are "等". */
#define MAX_LISTED_ROWS 2

static void append_dropped(gk__arena *a, table_notes *tn, const char *label,
                           const gk__token *const *vals, size_t from,
                           size_t to) {
  if (tn->n_listed >= MAX_LISTED_ROWS)
    return;
  gk__buf b;
  gk__buf_init(&b, sizeof tn->dropped - 1);
  gk__buf_puts(&b, tn->dropped);
  gk__buf_printf(&b, "%s“%s”舍去", tn->n_listed ? "；" : "", label);
  for (size_t i = from; i < to && i < from + 8; i++) {
    const char *sep = i > from ? "、" : " ";
    if (vals[i]->kind == GK_TOK_NUMBER)
      gk__buf_printf(&b, "%s%lld", sep, (long long)vals[i]->value);
    else
      gk__buf_printf(&b, "%s空", sep);
  }
  /* Only whole entries: a cut one would misquote the source. */
  if (!gk__buf_oom_to(&b, a) && b.data && b.len < sizeof tn->dropped) {
    memcpy(tn->dropped, b.data, b.len + 1);
    tn->n_listed++;
  }
  gk__buf_free(&b);
}

/* 2019's 采购总金额 is printed with its unit in the cell ("152.2万元",
 * "251000元"); the model holds 元.  The unit is the character after the
 * number: 万 (10^4) or 亿 (10^8); anything else is 元 already. */
static bool to_yuan(const gk__stream *s, const gk__token *v, gk__cell *c) {
  int shift = 0;
  if (v->end < s->n && s->cp[v->end] == 0x4E07) /* 万 */
    shift = 4;
  else if (v->end < s->n && s->cp[v->end] == 0x4EBF) /* 亿 */
    shift = 8;
  while (shift > 0 && c->scale > 0) {
    shift--;
    c->scale--;
  }
  for (; shift > 0; shift--) {
    if (c->value > GK_MAX_CELL_VALUE / 10) {
      c->state = GK_CELL_NULL;
      return false;
    }
    c->value *= 10;
  }
  return true;
}

/* The text of a value token's cell as printed: in a real table the
 * whole cell, else the token. */
static const char *cell_text(gk__parse *p, const gk__token *v) {
  size_t a = v->start, b = v->end;
  if (p->s.layout->runs[v->run].table >= 0) {
    while (a > 0 && p->s.ch[a - 1].run == v->run)
      a--;
    while (b < p->s.n && p->s.ch[b].run == v->run)
      b++;
  }
  return gk__stream_text(&p->r->arena, &p->s, a, b, true);
}

/* Stores one value token into a cell, with the diagnostics that belong
 * to reading it. */
static void store(gk__parse *p, const gk__tabledef *t, const slot *sl,
                  const gk__token *v) {
  gk__cell *c = sl->cell;
  c->state = GK_CELL_NULL;
  if (v)
    gk__cell_provenance(p, c, v);
  if (!v || v->kind != GK_TOK_NUMBER)
    return;
  const gk__rowdef *row = &t->rows[sl->row];
  const char *col = row->scalar ? "" : row->cols[sl->col].label.text;
  /* The cell's model path, formatted only when a diagnostic needs it. */
#define CELL_PATH()                                                            \
  (row->scalar ? gk__row_path(p->r, t, sl->row)                                \
               : gk__arena_printf(&p->r->arena, "%s.%s.%s", t->key, row->key,  \
                                  row->cols[sl->col].key))
  if (v->overflow) {
    gk__diag_rule(p->r, GK_R_CELL_NOT_A_NUMBER, c->line, CELL_PATH(),
                  "%s“%s”%s%s的数字位数过多，无法作为数值读取",
                  gk__table_part_name(t->id), row_display(t, sl->row),
                  *col ? "“" : "", col);
    return;
  }
  /* What the grammar read but the column does not allow, or could not
   * read as one number: null, quoting the text. */
  bool in_grid = p->s.layout->runs[v->run].table >= 0;
  const char *why = NULL;
  if (v->unreadable && in_grid)
    why = "不是可读的数字";
  else if (v->leading_zero)
    why = "以 0 开头，不是完整的数字";
  else if (v->sign_word && sl->kind != GK_V_SIGNED)
    why = "带有增减字样，该列不应有";
  else if (v->sign > 0 && sl->kind != GK_V_SIGNED)
    why = "带有正号，该列不应有";
  if (why) {
    const char *text = cell_text(p, v);
    gk__diag_add(p->r, "cell.not-a-number", GK_SEV_ERROR, c->line, CELL_PATH(),
                 "%s“%s”%s%s%s的内容“%s”%s，按空处理",
                 gk__table_part_name(t->id), row_display(t, sl->row),
                 *col ? "“" : "", col, *col ? "”列" : "", text ? text : "",
                 why);
    return;
  }
  c->value = v->value;
  c->scale = v->scale;
  c->state = GK_CELL_VALUE;
  if (sl->kind == GK_V_AMOUNT && !to_yuan(&p->s, v, c)) {
    gk__diag_rule(p->r, GK_R_CELL_NOT_A_NUMBER, c->line, CELL_PATH(),
                  "%s“%s”的金额换算成元后超出可读范围",
                  gk__table_part_name(t->id), row_display(t, sl->row));
    return;
  }
  /* The header of 采购总金额 names no unit: a number printed without one
   * is read as 元, and the reader is told it was an assumption. */
  if (sl->kind == GK_V_AMOUNT &&
      !(v->end < p->s.n && (p->s.cp[v->end] == 0x5143 /* 元 */ ||
                            p->s.cp[v->end] == 0x4E07 /* 万 */ ||
                            p->s.cp[v->end] == 0x4EBF /* 亿 */))) {
    char num[48];
    gk__decimal_text(v->value, v->scale, num, sizeof num);
    gk__diag_rule(p->r, GK_R_CELL_AMOUNT_UNIT, c->line, CELL_PATH(),
                  "%s“%s”的金额 %s 未注明单位，按元读取",
                  gk__table_part_name(t->id), row_display(t, sl->row), num);
  }
  if (v->scale && (sl->kind == GK_V_COUNT || sl->kind == GK_V_SIGNED))
    gk__diag_rule(p->r, GK_R_CELL_FRACTION, c->line, CELL_PATH(),
                  "%s“%s”%s%s%s填写了小数，件数应为整数",
                  gk__table_part_name(t->id), row_display(t, sl->row),
                  *col ? "“" : "", col, *col ? "”列" : "");
  if (v->value < 0 && sl->kind != GK_V_SIGNED)
    gk__diag_rule(p->r, GK_R_CELL_NEGATIVE, c->line, CELL_PATH(),
                  "%s“%s”%s%s%s为负数 %lld", gk__table_part_name(t->id),
                  row_display(t, sl->row), *col ? "“" : "", col,
                  *col ? "”列" : "", (long long)v->value);
#undef CELL_PATH
}

/*
 * Reads one row (or table 4's single line) of n slots from its value
 * tokens.  `label` names it in messages; `min_field` is the first tab
 * field after its label on the values' line (0 when the label is on
 * another line).
 */
read_outcome gk__read_row(gk__parse *p, const gk__edition_def *ed,
                          const gk__tabledef *t, const slot *slots, size_t n,
                          const gk__token *const *vals, size_t k,
                          uint32_t min_field, table_notes *tn,
                          const char *label, uint32_t label_line,
                          size_t label_end) {
  const gk__token *placed[MAX_SLOTS] = {0};
  /* Whether the text marks its blank cells (gk__settle_unforced()), from
   * the rows of text (a real table's cells are exact). */
  bool text = true;
  for (size_t i = 0; i < k; i++)
    text = text && p->s.layout->runs[vals[i]->run].table < 0;
  for (size_t i = 0; text && i < k; i++)
    p->blanks_marked = p->blanks_marked || vals[i]->kind == GK_TOK_BLANK;
  /* Text without a grid whose values sit on several lines with other
   * text (masked furniture, other labels) between them and the label: a
   * column-by-column extraction, where nothing ties them to this row,
   * whatever the arithmetic says (among many numbers some run adds up). */
  const bool spread = spread_over_lines(&p->s, vals, k);
  bool loose = spread && interleaved(vals, k, label_end);
  read_outcome out = READ_OK;
  /* The placements are tried in this order (the grid, a full row, more
   * values than cells, the fields): the grid's and the fields' bodies are
   * alike, yet the fields are tried only after the two others. */
  // NOLINTNEXTLINE(bugprone-branch-clone)
  if (k > 0 && place_by_grid(&p->s, tn, vals, k, n, placed)) {
    out = READ_POSITIONAL;
  } else if (k == n) {
    for (size_t i = 0; i < n; i++)
      placed[i] = vals[i];
    /* Values gathered from several lines of text without a grid (a PDF's
     * text, a wrapped row) that the row's arithmetic rejects, or that no
     * arithmetic checks (table 2): numbers of other rows or wrapped halves
     * may have come in, so no placement is trusted. */
    if (loose || ((spread || any_leading_zero(vals, k)) &&
                  gk__row_has_identity(ed, t, slots, n) &&
                  fits_identities(ed, t, slots, n, vals) == FIT_NO))
      out = READ_REFUSED;
    /* Some values on the label's line and the rest on other lines: the
     * row was cut (numbers wrapped in narrow columns of a PDF's text),
     * and what completes it may be parts of numbers. */
    size_t on_line = values_on_line(&p->s, vals, k, label_line);
    if (t->layout == GK_LAYOUT_ROWS && spread && on_line > 0 && on_line < k)
      out = READ_REFUSED;
    /* The row's line right under a line of bare numbers, and its values
     * contradict its arithmetic: the numbers above are the upper halves
     * of this row's wrapped numbers (a PDF's text), not a misprint. */
    if (t->layout == GK_LAYOUT_ROWS && k > 0 && on_line == k &&
        p->s.layout->runs[vals[0]->run].table < 0 &&
        numbers_only_line(&p->s, vals[0]->line, -1) &&
        gk__row_has_identity(ed, t, slots, n) &&
        fits_identities(ed, t, slots, n, vals) == FIT_NO)
      out = READ_REFUSED;
  } else if (k > n) {
    /* When the label's own line holds exactly one value per cell, those
     * are the row; what follows on later lines belongs to a label printed
     * elsewhere.  Otherwise candidate windows of n consecutive values:
     * the best fit to the row's identities wins, then the fewest blank
     * markers (a stray "-" of a page footer is not a cell), then the
     * rightmost. */
    long pick = (long)(k - n);
    int best = -1;
    size_t on_label_line = 0;
    if (label_line)
      while (on_label_line < k &&
             gk__stream_lineno(&p->s, vals[on_label_line]->start) == label_line)
        on_label_line++;
    if (on_label_line == n &&
        (!gk__row_has_identity(ed, t, slots, n) ||
         fits_identities(ed, t, slots, n, vals) != FIT_NO)) {
      pick = 0;
      best = 1 << 20;
    }
    size_t n_yes = 0, n_no = 0, windows = 0;
    long yes_w = -1;
    bool yes_differ = false;
    for (long w = (long)(k - n); w >= 0 && best < (1 << 20); w--) {
      int blanks = 0;
      for (size_t i = 0; i < n; i++)
        blanks += vals[(size_t)w + i]->kind != GK_TOK_NUMBER;
      fit f = fits_identities(ed, t, slots, n, vals + w);
      windows++;
      if (f == FIT_NO)
        n_no++;
      if (f == FIT_YES) {
        /* Two accepted windows that read differently: the same numbers
         * would be cells of this row in two ways when they overlap, and
         * in text without a grid two rows' numbers cannot be told apart.
         * (Two apart in table rows of a converter's Markdown are this
         * row's and those of a row whose label was printed elsewhere; the
         * rightmost is taken, as below.) */
        if (yes_w >= 0 && !same_values(vals + yes_w, vals + w, n) &&
            ((size_t)(yes_w - w) < n || spread))
          yes_differ = true;
        yes_w = w;
        n_yes++;
      }
      int score = (int)f * 64 - blanks;
      if (score > best) {
        best = score;
        pick = w;
      }
    }
    /* Where the row's arithmetic can judge: two windows it accepts with
     * different values, or none it does not reject, leave no placement;
     * where it cannot, values from several lines are not placed. */
    if (best < (1 << 20) && (loose || (gk__row_has_identity(ed, t, slots, n) &&
                                       (yes_differ || n_no == windows))))
      out = READ_REFUSED;
    /* Text without a grid: more values than cells, from several lines
     * and not a full row on the label's line, are a row cut by wrapped
     * numbers (a PDF's narrow columns) or several rows' numbers in one
     * run (text extracted column by column); whichever window adds up,
     * nothing ties it to this row. */
    if (best < (1 << 20) && spread)
      out = READ_REFUSED;
    /* A full row on the label's line and, right under it, a line of bare
     * numbers that this row's span takes in: the lower halves of its
     * wrapped numbers (a PDF's text). */
    if (best >= (1 << 20) && t->layout == GK_LAYOUT_ROWS && spread &&
        numbers_only_line(&p->s, vals[0]->line, 1) &&
        vals[n]->line != vals[0]->line)
      out = READ_REFUSED;
    for (size_t i = 0; i < n; i++)
      placed[i] = vals[(size_t)pick + i];
    if (out != READ_REFUSED) {
      if (tn->n_extra_rows++ == 0) {
        tn->first_extra_row = slots[0].row;
        tn->first_extra_k = k;
        tn->first_extra_line = label_line;
      }
      if (pick > 0)
        append_dropped(&p->r->arena, tn, label, vals, 0, (size_t)pick);
      if ((size_t)pick + n < k)
        append_dropped(&p->r->arena, tn, label, vals, (size_t)pick + n, k);
      out = READ_EXTRA;
    }
  } else if (place_by_fields(&p->s, vals, k, n, min_field, placed)) {
    out = READ_POSITIONAL;
  } else {
    out = k == 0 ? READ_POSITIONAL : READ_UNPLACED;
    for (size_t i = 0; i < n; i++)
      placed[i] = NULL;
    /* Fewer characters of values than cells and no blank marker: this
     * text drops its blank cells (gk__settle_unforced). */
    size_t units = 0;
    bool marked = false;
    for (size_t i = 0; i < k; i++) {
      units += vals[i]->n_chars;
      marked = marked || vals[i]->kind == GK_TOK_BLANK;
    }
    if (k > 0 && !marked && units < n)
      p->blanks_dropped = true;
    /* Which cells are the dropped blanks: by the table's arithmetic,
     * once the table is read (tables_solve.c). */
    if (gk__pend_placements(p, ed, t, slots, n, vals, k, tn, label, label_line,
                            false))
      return READ_PENDING;
    if (k > 0 && gk__splittable(&p->s, slots, n, vals, k)) {
      int sr =
          gk__try_split(p, ed, t, slots, n, vals, k, tn, label, label_line);
      if (sr == 1 || sr == 2) {
        if (sr == 2)
          return READ_PENDING; /* diagnostics come with the resolution */
        out = READ_SPLIT;
      } else if (sr == 0 &&
                 /* Numbers set apart by white space that no cut of digits
                  * run together fits: each is one number, and the blanks
                  * the text dropped beside them (two or three: "1025 0 0
                  * 0 0 0 28536 …" for table 4's fifteen cells) are placed
                  * by the table's arithmetic where it decides them. */
                 gk__pend_placements(p, ed, t, slots, n, vals, k, tn, label,
                                     label_line, true)) {
        return READ_PENDING;
      }
    }
  }
  if (out == READ_REFUSED) {
    for (size_t i = 0; i < n; i++) {
      slots[i].cell->state = GK_CELL_NULL;
      slots[i].cell->line = label_line;
    }
    char *printed = gk__printed_tokens(p, vals, k);
    gk__diag_add(p->r, "cell.ambiguous", GK_SEV_WARNING, label_line,
                 t->layout == GK_LAYOUT_BLOCKS
                     ? t->key
                     : gk__row_path(p->r, t, slots[0].row),
                 "%s“%s”读到的数字“%s”%s，无法确定各数字所在列，该行按空"
                 "处理",
                 gk__table_part_name(t->id), label, printed ? printed : "",
                 refuse_why(&p->s, vals, k));
    return out;
  }
  if (out != READ_SPLIT)
    for (size_t i = 0; i < n; i++)
      store(p, t, &slots[i], placed[i]);

  /* Blank cells: one diagnostic per model row. */
  for (size_t i = 0; i < n;) {
    int row = slots[i].row;
    size_t j = i, blanks = 0;
    char cols[200] = "";
    size_t clen = 0;
    uint32_t line = label_line;
    while (j < n && slots[j].row == row) {
      bool blank = out == READ_SPLIT
                       ? slots[j].cell->state != GK_CELL_VALUE
                       : placed[j] == NULL || placed[j]->kind != GK_TOK_NUMBER;
      if (blank) {
        blanks++;
        const gk__rowdef *rd = &t->rows[row];
        if (!rd->scalar && clen < sizeof cols - 40) {
          int w = snprintf(cols + clen, sizeof cols - clen, "“%s”",
                           rd->cols[slots[j].col].label.text);
          if (w > 0)
            clen += (size_t)w;
        }
        if (placed[j])
          line = gk__stream_lineno(&p->s, placed[j]->start);
      } else if (!line) {
        line = slots[j].cell->line;
      }
      j++;
    }
    size_t n_row = j - i;
    if (blanks) {
      char *path = gk__row_path(p->r, t, row);
      if (out == READ_UNPLACED)
        gk__diag_rule(p->r, GK_R_CELL_BLANK, line, path,
                      "%s“%s”只读到 %zu 个数字，应有 %zu 个，无法确定各数字所在"
                      "列，该行按空处理",
                      gk__table_part_name(t->id), label, k, n);
      else if (blanks == n_row && n_row > 1)
        gk__diag_rule(p->r, GK_R_CELL_BLANK, line, path,
                      "%s“%s”%zu 个单元格为空（应填 0）",
                      gk__table_part_name(t->id), row_display(t, row), blanks);
      else if (t->rows[row].scalar)
        gk__diag_rule(p->r, GK_R_CELL_BLANK, line, path, "%s“%s”为空（应填 0）",
                      gk__table_part_name(t->id), row_display(t, row));
      else
        gk__diag_rule(p->r, GK_R_CELL_BLANK, line, path,
                      "%s“%s”行%s列为空（应填 0）", gk__table_part_name(t->id),
                      row_display(t, row), cols);
    }
    i = j;
  }
  return out;
}
