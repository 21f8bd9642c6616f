/*
 * rules_cell.c - cell.fee-unit: the 行政事业性收费 amount looks like 元
 * entered under the 万元 header (rules.md "cell", format.md D-16).
 *
 * The other cell.* rules are the parser's: it knows what the source
 * showed where a number should be.  This one needs the body's kind, so it
 * runs with the checks.  The cell is the table-2 cell whose column holds
 * money (GK_V_MONEY: the 2021 edition's 本年收费金额（单位：万元）); the
 * 2019 edition counts fee items there and has no such cell.
 *
 * The heuristic, either of:
 * - the amount is 10 000 万元 (1 亿元) or more and the body is a township
 *   or a county government: such bodies collect a few 万元 a year at most,
 *   so a five-digit amount is almost surely 元;
 * - the amount has more than four decimals that are not trailing zeros:
 *   0.0001 万元 is 1 元, so a fifth decimal is a fraction of a 元, which
 *   no fee has; the figure was most likely divided or typed wrongly.
 * Departments and higher governments are not judged by size: a city's
 * fees may well exceed 1 亿元, and a department's level is not told by
 * its name.
 *
 * It also merges the parser's cell.blank findings that are one pattern:
 * the same columns blank in BLANK_MERGE_MIN rows or more of one table
 * (the five 法人 columns left empty in all 25 rows of table 3), or whole
 * rows blank, become one finding with the count, at the first row.
 */
#include <stdio.h>
#include <string.h>

#include "checks.h"

/* 1 亿元, in 万元: the size no township or county collects in fees. */
#define FEE_TOO_LARGE_WAN 10000
/* Decimals of a 万元 amount that still name whole 元. */
#define FEE_MAX_DECIMALS 4

/* Whether value / 10^scale >= limit, without overflow. */
static bool at_least(int64_t v, int scale, int64_t limit) {
  for (int s = 0; s < scale; s++) {
    if (limit > INT64_MAX / 10)
      return false; /* limit * 10^scale exceeds any int64 value */
    limit *= 10;
  }
  return v >= limit;
}

/* Three rows with the same blank columns are a pattern (a column left
 * empty throughout), two may be chance. */
#define BLANK_MERGE_MIN 3

static const char blank_cols_tail[] = "列为空（应填 0）";
static const char blank_row_tail[] = " 个单元格为空（应填 0）";

static bool ends_with(const char *s, size_t len, const char *tail) {
  size_t tl = strlen(tail);
  return len >= tl && memcmp(s + len - tl, tail, tl) == 0;
}

/* Where the pattern of a cell.blank message starts: at "行“…”列为空" (the
 * columns blank in a row) or at the count of " 个单元格为空" (a whole
 * row); the head before it is "第三部分“<row>”".  NULL for a message of
 * another form (a scalar row, a row read without its columns, a merged
 * finding). */
static const char *blank_pattern(const char *msg) {
  size_t len = strlen(msg);
  if (ends_with(msg, len, blank_cols_tail)) {
    const char *p = NULL;
    for (const char *q = strstr(msg, "”行“"); q; q = strstr(q + 1, "”行“"))
      p = q;
    return p ? p + strlen("”") : NULL;
  }
  if (ends_with(msg, len, blank_row_tail)) {
    const char *p = msg + len - strlen(blank_row_tail);
    while (p > msg && p[-1] >= '0' && p[-1] <= '9')
      p--;
    size_t ql = strlen("”");
    if ((size_t)(p - msg) < ql || memcmp(p - ql, "”", ql) != 0)
      return NULL;
    return p;
  }
  return NULL;
}

/* The table a finding's path is in: the bytes before its first '.'. */
static size_t table_key_len(const char *path) {
  const char *dot = path ? strchr(path, '.') : NULL;
  return dot ? (size_t)(dot - path) : 0;
}

static void merge_blank_rows(gk__check *c) {
  gk_report *r = c->r;
  const char *blank = gk__rule_info(GK_R_CELL_BLANK)->id;
  for (size_t i = 0; i < r->n_diags; i++) {
    gk_diag *d = &r->diags[i];
    const char *pi =
        strcmp(d->rule, blank) == 0 ? blank_pattern(d->message) : NULL;
    size_t ki = table_key_len(d->path);
    if (!pi || !ki)
      continue;
    size_t same = 1;
    for (size_t j = i + 1; j < r->n_diags; j++) {
      const gk_diag *e = &r->diags[j];
      const char *pj =
          strcmp(e->rule, blank) == 0 ? blank_pattern(e->message) : NULL;
      same += pj && table_key_len(e->path) == ki &&
              strncmp(e->path, d->path, ki) == 0 && strcmp(pj, pi) == 0;
    }
    if (same < BLANK_MERGE_MIN)
      continue;
    /* The first keeps its place and line and says how many; the others
     * go. */
    bool whole = ends_with(pi, strlen(pi), blank_row_tail);
    int head = (int)(pi - d->message);
    const char *msg =
        whole ? gk__arena_printf(&r->arena,
                                 "%.*s等 %zu 行的全部 %.*s均为空（应填 0）",
                                 head, d->message, same,
                                 (int)(strlen(pi) - strlen(blank_row_tail) +
                                       strlen(" 个单元格")),
                                 pi)
              : gk__arena_printf(&r->arena, "%.*s等 %zu 行%.*s均为空（应填 0）",
                                 head, d->message, same,
                                 (int)(strlen(pi) - strlen(blank_cols_tail) +
                                       strlen("列") - strlen("行")),
                                 pi + strlen("行"));
    size_t out = i + 1;
    for (size_t j = i + 1; j < r->n_diags; j++) {
      const gk_diag *e = &r->diags[j];
      const char *pj =
          strcmp(e->rule, blank) == 0 ? blank_pattern(e->message) : NULL;
      if (pj && table_key_len(e->path) == ki &&
          strncmp(e->path, d->path, ki) == 0 && strcmp(pj, pi) == 0)
        continue;
      r->diags[out++] = r->diags[j];
    }
    r->n_diags = out;
    if (msg)
      d->message = msg;
  }
}

void gk__rules_cell(gk__check *c) {
  merge_blank_rows(c);
  const gk__table *t = c->r->tables[GK_T_PROACTIVE];
  if (!t)
    return;
  const gk__tabledef *def = t->def;
  for (int i = 0; i < def->n_rows; i++) {
    const gk__rowdef *row = &def->rows[i];
    for (int k = 0; k < row->n_cols; k++) {
      if (row->cols[k].kind != GK_V_MONEY)
        continue;
      const gk__cell *cell = gk__table_cell(t, i, k);
      if (cell->state != GK_CELL_VALUE || cell->value <= 0)
        continue;
      char *path =
          row->scalar
              ? gk__arena_printf(&c->r->arena, "%s.%s", def->key, row->key)
              : gk__arena_printf(&c->r->arena, "%s.%s.%s", def->key, row->key,
                                 row->cols[k].key);
      uint32_t line = cell->line ? cell->line : t->row_line[i];
      /* The column's short name: its label without the unit, which the
       * message says anyway. */
      const gk__label *cl = &row->cols[k].label;
      const char *col = cl->anchor ? cl->anchor : cl->text;
      /* Trailing zeros are no precision: 0.50000 is 0.5. */
      int64_t v = cell->value;
      int scale = cell->scale;
      while (scale > 0 && v % 10 == 0) {
        v /= 10;
        scale--;
      }
      char num[48];
      gk__decimal_text(v, scale, num, sizeof num);
      bool small_body =
          c->body == GK_BODY_TOWNSHIP || c->body == GK_BODY_COUNTY_GOV;
      if (small_body && at_least(v, scale, FEE_TOO_LARGE_WAN)) {
        gk__finding(c, GK_R_CELL_FEE_UNIT, line, path,
                    "%s“%s”%s填写为 %s 万元，对%s而言过大（不少于 1 亿元），"
                    "疑为以“元”填入“万元”栏",
                    gk__table_part_name(def->id), row->label.text, col, num,
                    gk_body_kind_label(c->body));
      } else if (scale > FEE_MAX_DECIMALS) {
        gk__finding(c, GK_R_CELL_FEE_UNIT, line, path,
                    "%s“%s”%s填写为 %s 万元，有 %d 位小数（0.0001 万元即 1 "
                    "元），单位疑有误",
                    gk__table_part_name(def->id), row->label.text, col, num,
                    scale);
      }
    }
  }
}
