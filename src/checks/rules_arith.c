/*
 * rules_arith.c - arith.*: the identities of tables 3 and 4 (rules.md
 * "arith", format.md §1.7 I-1..I-4, D-07, D-08, D-10).
 *
 * Nothing here knows a row or column: the identities are data in
 * src/format (gk__edition_def.identities), each naming its rule, its
 * table, and the terms of both sides, and src/format evaluates them
 * (gk__identity_eval()); this file reads the cells and words the finding.  An
 * identity on GK_AXIS_COLS holds in every row of its mask (I-1 per row of table
 * 3, I-4 per block of table 4); one on GK_AXIS_ROWS holds in every column of
 * its mask (I-2 and I-3 per applicant column).
 *
 * Arithmetic is exact, on integers; an identity with a term that is null,
 * has decimals (cell.fraction already said so) or whose row the parser
 * did not find is not decided.  A sum that would overflow is not decided
 * either.
 *
 * A finding's path is the total's cell: the side with a single term when
 * there is one (I-1, I-2, I-4: the 总计), else the first term of the right
 * side (I-3: （七）总计).  `actual` is that side's sum and `expected` the
 * other's, so a reviewer reads "the total says actual, its parts give
 * expected".
 */
#include <stdio.h>

#include "base/fold.h"
#include "checks.h"

/* Sides longer than this list only their non-zero terms: I-2 has 21. */
#define MAX_LISTED_TERMS 7
/* Row labels longer than this (in characters) are named by their anchor
 * ("本年新收" for "一、本年新收政府信息公开申请数量", "予以公开" for
 * "（一）予以公开"); shorter ones ("（七）总计", "3.其他") in full, as
 * their anchor alone would be ambiguous. */
#define MAX_NAME_CHARS 5

/* A row's short name for a sum ("（一）予以公开", "本年新收"). */
static const char *row_short(const gk__rowdef *row) {
  if (row->label.anchor && gk__str_chars(row->label.text) > MAX_NAME_CHARS)
    return row->label.anchor;
  return row->label.text;
}

/* A row as a reviewer finds it: with its group when it has one
 * ("（三）不予公开·1.属于国家秘密", "行政诉讼·复议后起诉"). */
static void row_display(const gk__rowdef *row, char *out, size_t cap) {
  if (row->group)
    snprintf(out, cap, "%s·%s", row->group, row->label.text);
  else
    snprintf(out, cap, "%s", row->label.text);
}

/* One side of an identity at one place: its terms' names and values. */
typedef struct side {
  const char *name[GK_MAX_TERMS];
  int64_t value[GK_MAX_TERMS];
  const gk__cell *cell[GK_MAX_TERMS];
  int row[GK_MAX_TERMS], col[GK_MAX_TERMS];
  size_t n;
  int64_t sum;
} side;

/* The cells an identity is evaluated on (gk__identity_eval()), each
 * term recorded in its side as it is read. */
typedef struct reading {
  const gk__table *t;
  side s[2];
} reading;

static bool read_term(void *ctx, int which, int row, int col, int64_t *v) {
  reading *rd = ctx;
  const gk__table *t = rd->t;
  if (row >= t->def->n_rows || !t->row_found[row] ||
      col >= t->def->rows[row].n_cols)
    return false;
  const gk__cell *c = gk__table_cell(t, row, col);
  if (!gk__cell_int(c, v))
    return false;
  side *s = &rd->s[which];
  s->value[s->n] = *v;
  s->cell[s->n] = c;
  s->row[s->n] = row;
  s->col[s->n] = col;
  s->n++;
  return true;
}

/* A term's value only (ctx: the table), for the first evaluation: most
 * identities hold, and only one that fails has its terms read again by
 * read_term() to be named. */
static bool term_value(void *ctx, int which, int row, int col, int64_t *v) {
  (void)which;
  const gk__table *t = *(const gk__table **)ctx;
  if (row >= t->def->n_rows || !t->row_found[row] ||
      col >= t->def->rows[row].n_cols)
    return false;
  return gk__cell_int(gk__table_cell(t, row, col), v);
}

/* Names the terms of a side read by read_term(), for a message: only a
 * side that does not add up needs them. */
static void name_side(const gk__table *t, gk__axis axis, side *s) {
  for (size_t i = 0; i < s->n; i++) {
    const gk__rowdef *rd = &t->def->rows[s->row[i]];
    s->name[i] =
        axis == GK_AXIS_COLS ? rd->cols[s->col[i]].label.text : row_short(rd);
  }
}

/* Writes a side as "自然人 4 + 商业企业 1 = 5"; a long side lists only its
 * non-zero terms: "各分项之和 12（予以公开 6、部分公开 1，其余为 0）". */
static void write_side(const side *s, char *out, size_t cap) {
  size_t k = 0;
  out[0] = '\0';
#define PUT(...)                                                               \
  do {                                                                         \
    if (k < cap) {                                                             \
      int w_ = snprintf(out + k, cap - k, __VA_ARGS__);                        \
      if (w_ > 0)                                                              \
        k += (size_t)w_;                                                       \
    }                                                                          \
  } while (0)
  if (s->n <= MAX_LISTED_TERMS) {
    for (size_t i = 0; i < s->n; i++)
      PUT("%s%s %lld", i ? " + " : "", s->name[i], (long long)s->value[i]);
    if (s->n > 1)
      PUT(" = %lld", (long long)s->sum);
    return;
  }
  PUT("各分项之和 %lld", (long long)s->sum);
  size_t shown = 0;
  for (size_t i = 0; i < s->n; i++) {
    if (s->value[i] == 0)
      continue;
    PUT("%s%s %lld", shown ? "、" : "（", s->name[i], (long long)s->value[i]);
    shown++;
  }
  if (shown)
    PUT("%s）", shown < s->n ? "，其余为 0" : "");
  else
    PUT("（各项均为 0）");
#undef PUT
}

/* Checks one identity at one place (a row for GK_AXIS_COLS, a column for
 * GK_AXIS_ROWS). */
static void check_at(gk__check *c, const gk__identity *id, gk__rule rule,
                     const gk__table *t, int fixed) {
  const gk__table *tab = t;
  if (gk__identity_eval(id, fixed, term_value, &tab, NULL, NULL) != GK_ID_FAILS)
    return;
  /* It fails: read again, each term recorded.  Only the first n terms of
   * a side are read: no need to clear them. */
  reading rd;
  rd.t = t;
  rd.s[0].n = rd.s[1].n = 0;
  if (gk__identity_eval(id, fixed, read_term, &rd, &rd.s[0].sum,
                        &rd.s[1].sum) != GK_ID_FAILS)
    return;
  side *lhs = &rd.s[0], *rhs = &rd.s[1];
  name_side(t, id->axis, lhs);
  name_side(t, id->axis, rhs);
  /* The total's side is the one with a single term, else the right. */
  const side *total = lhs->n == 1 ? lhs : rhs;
  const side *parts = lhs->n == 1 ? rhs : lhs;
  const gk__tabledef *def = t->def;
  int trow = total->row[0], tcol = total->col[0];
  const gk__rowdef *trd = &def->rows[trow];
  char *path = trd->scalar
                   ? gk__arena_printf(&c->r->arena, "%s.%s", def->key, trd->key)
                   : gk__arena_printf(&c->r->arena, "%s.%s.%s", def->key,
                                      trd->key, trd->cols[tcol].key);
  uint32_t line =
      total->cell[0]->line ? total->cell[0]->line : t->row_line[trow];
  char where[256], a[512], b[512];
  if (id->axis == GK_AXIS_COLS) {
    char name[200];
    row_display(&def->rows[fixed], name, sizeof name);
    snprintf(where, sizeof where, "“%s”%s", name,
             gk__tabledef_in_blocks(def) ? "栏" : "行");
  } else {
    /* Every row of a table-3 column shares the columns' labels. */
    snprintf(where, sizeof where, "“%s”列",
             def->rows[trow].cols[fixed].label.text);
  }
  write_side(parts, a, sizeof a);
  write_side(total, b, sizeof b);
  /* The parts first, the total after: for I-3 that is the printed
   * order, 一 + 二 ≠ 三（七） + 四. */
  gk_diag *d = gk__finding(c, rule, line, path, "%s%s：%s ≠ %s",
                           gk__table_part_name(def->id), where, a, b);
  if (d) {
    d->has_expected = 1;
    d->expected = parts->sum;
    d->actual = total->sum;
  }
}

void gk__rules_arith(gk__check *c) {
  const gk_report *r = c->r;
  const gk__edition_def *ed = r->tables_ed;
  if (!ed)
    return;
  for (size_t k = 0; k < ed->n_identities; k++) {
    const gk__identity *id = &ed->identities[k];
    gk__rule rule = id->rule;
    const gk__table *t = r->tables[id->table];
    if (!t || t->def != ed->tables[id->table])
      continue;
    int n = id->axis == GK_AXIS_COLS ? t->def->n_rows : t->def->max_cols;
    for (int i = 0; i < n && i < 32; i++)
      if (id->mask & (1u << i))
        check_at(c, id, rule, t, i);
  }
}
