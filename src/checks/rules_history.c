/*
 * rules_history.c - the history.* rules: this year's report against last
 * year's report of the same body (gk_check_options.prev; shared/spec/
 * rules.md, format.md §1.7 I-7, I-8 and §5.2 D-13, D-14, D-18).
 *
 * Cells are found through the table definitions of each report's own
 * edition (by model key), so a 2021 report can be compared with a 2019
 * one where the two share a cell.  A rule stays quiet when a cell it needs
 * is null in either report.  When the reports are not of consecutive
 * years of one body (history.year-gap, history.other-body), the carry-over
 * and in-force
 * identities say nothing and are not checked.
 *
 * Thresholds:
 *   history.copied-text  character 5-gram Jaccard similarity of a part's
 *                        text, folded, with everything but ideographs and
 *                        letters removed (so changed years and numbers do
 *                        not count), >= COPY_MIN_JACCARD, when both texts
 *                        have at least COPY_MIN_CHARS such characters.
 *   history.same-tables  every cell of tables 2-4 equal, at least one
 *                        table in both reports and at least one number
 *                        other than 0 (all-zero tables are the normal
 *                        state of a township without applications, not a
 *                        sign of copying).
 */
#include <stdlib.h>
#include <string.h>

#include "checks.h"

/* Two parts at least this similar are "nearly the same" (D-18).  Real
 * rewrites of a part share under half of their 5-grams; a copy with the
 * year and a few numbers changed shares over nine tenths. */
#define COPY_MIN_JACCARD 0.8
/* Shorter parts are boilerplate that is the same every year by nature
 * ("本年度未收取信息处理费。"), not copied work. */
#define COPY_MIN_CHARS 100
#define COPY_NGRAM 5

/* ---------------------------------------------------------- the cells */

/* The integer in (table, row key, column key), or false. */
static bool cell_by_key(const gk_report *r, gk__table_id t, const char *row,
                        const char *col, int64_t *v, int *ri, int *ci) {
  const gk__table *tab = r->tables[t];
  if (!tab)
    return false;
  int rr = gk__row_index(tab->def, row);
  if (rr < 0)
    return false;
  int cc = gk__col_index(&tab->def->rows[rr], col);
  if (cc < 0)
    return false;
  if (ri)
    *ri = rr;
  if (ci)
    *ci = cc;
  return gk__cell_int(gk__cell_at(r, t, rr, cc), v);
}

/* ------------------------------------------------------- year and body */

/* A body's name folded, without white space and without a trailing 人民政府
 * or 政府, for comparing two spellings. */
static size_t name_core(const char *s, int32_t *out, size_t cap) {
  size_t n = 0, len = strlen(s);
  for (size_t i = 0; i < len && n + 4 < cap;) {
    int32_t cp, f[4];
    i += gk__utf8_decode(s + i, len - i, &cp);
    size_t m = gk__fold_cp(cp, f);
    for (size_t k = 0; k < m; k++)
      if (!gk__is_space(f[k]))
        out[n++] = f[k];
  }
  for (size_t k = 0; gk__body_gov_suffixes[k]; k++) {
    int32_t w[32];
    size_t wn = 0, wl = strlen(gk__body_gov_suffixes[k]);
    for (size_t i = 0; i < wl && wn < 32;) {
      int32_t cp;
      i += gk__utf8_decode(gk__body_gov_suffixes[k] + i, wl - i, &cp);
      w[wn++] = cp;
    }
    if (wn < n && memcmp(out + n - wn, w, wn * sizeof *w) == 0) {
      n -= wn;
      break;
    }
  }
  return n;
}

/* Whether two names are one body: one core ends the other
 * ("米易县丙谷镇" and "丙谷镇"). */
static bool same_body(const char *a, const char *b) {
  int32_t x[128], y[128];
  size_t nx = name_core(a, x, 128), ny = name_core(b, y, 128);
  if (nx == 0 || ny == 0)
    return true;
  size_t n = nx < ny ? nx : ny;
  return memcmp(x + nx - n, y + ny - n, n * sizeof *x) == 0;
}

/* history.year-gap and history.other-body; returns whether the reports are
 * consecutive years of one body (or cannot be told apart). */
static bool rule_year_gap(gk__check *c) {
  const gk_report *r = c->r, *p = c->prev;
  bool ok = true;
  if (r->year > 0 && p->year > 0 && r->year != p->year + 1) {
    gk_diag *d = gk__finding(
        c, GK_R_HISTORY_YEAR_GAP, r->title_line, NULL,
        "本报告为 %d 年度，对比的上年报告为 %d 年度，不是相邻的两年", r->year,
        p->year);
    if (d) {
      d->has_expected = 1;
      d->expected = r->year - 1;
      d->actual = p->year;
    }
    ok = false;
  }
  if (r->agency && p->agency && !same_body(r->agency, p->agency)) {
    gk__finding(c, GK_R_HISTORY_OTHER_BODY, r->title_line, NULL,
                "本报告的机关为“%s”，对比的上年报告的机关为“%s”，不是同一机关",
                r->agency, p->agency);
    ok = false;
  }
  return ok;
}

/* ----------------------------------------------------- carry-over */

static void rule_carry_over(gk__check *c) {
  const gk__table *t = c->r->tables[GK_T_APPLICATIONS];
  const gk__table *pt = c->prev->tables[GK_T_APPLICATIONS];
  if (!t || !pt)
    return;
  int ro = gk__row_index(t->def, "carried_over");
  int rf = gk__row_index(pt->def, "carried_forward");
  if (ro < 0 || rf < 0)
    return;
  const gk__rowdef *row = &t->def->rows[ro];
  const gk__rowdef *prow = &pt->def->rows[rf];
  for (int col = 0; col < row->n_cols; col++) {
    int pc = gk__col_index(prow, row->cols[col].key);
    int64_t v, pv;
    if (pc < 0 ||
        !gk__cell_int(gk__cell_at(c->r, GK_T_APPLICATIONS, ro, col), &v) ||
        !gk__cell_int(gk__cell_at(c->prev, GK_T_APPLICATIONS, rf, pc), &pv) ||
        v == pv)
      continue;
    char *path = gk__arena_printf(&c->r->arena, "%s.%s.%s", t->def->key,
                                  row->key, row->cols[col].key);
    uint32_t line = gk__cell_at(c->r, GK_T_APPLICATIONS, ro, col)->line;
    gk_diag *d = gk__finding(
        c, GK_R_HISTORY_CARRY_OVER, line ? line : t->row_line[ro], path,
        "%s表格“%s”行“%s”列为 %lld 件，上年报告“%s”行同列为 %lld 件",
        gk__table_part_name(GK_T_APPLICATIONS), row->label.text,
        row->cols[col].label.text, (long long)v, prow->label.text,
        (long long)pv);
    if (d) {
      d->has_expected = 1;
      d->expected = pv;
      d->actual = v;
    }
  }
}

/* ------------------------------------------------------ in-force */

static void rule_in_force(gk__check *c) {
  static const char *const rows[] = {"rules", "normative_documents"};
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    int64_t made, repealed, in_force, prev_in_force;
    int ri = -1, ci = -1, rm = -1, cm = -1, cr = -1;
    if (!cell_by_key(c->r, GK_T_PROACTIVE, rows[i], "issued", &made, &rm,
                     &cm) ||
        !cell_by_key(c->r, GK_T_PROACTIVE, rows[i], "repealed", &repealed, NULL,
                     &cr) ||
        !cell_by_key(c->r, GK_T_PROACTIVE, rows[i], "in_force", &in_force, &ri,
                     &ci) ||
        !cell_by_key(c->prev, GK_T_PROACTIVE, rows[i], "in_force",
                     &prev_in_force, NULL, NULL))
      continue;
    int64_t want = prev_in_force + made - repealed;
    if (want == in_force)
      continue;
    const gk__tabledef *def = c->r->tables[GK_T_PROACTIVE]->def;
    const gk__rowdef *row = &def->rows[ri];
    char *path = gk__arena_printf(&c->r->arena, "%s.%s.%s", def->key, row->key,
                                  row->cols[ci].key);
    uint32_t line = gk__cell_at(c->r, GK_T_PROACTIVE, ri, ci)->line;
    gk_diag *d = gk__finding(
        c, GK_R_HISTORY_IN_FORCE,
        line ? line : c->r->tables[GK_T_PROACTIVE]->row_line[ri], path,
        "%s表格“%s”行“%s”为 %lld 件，按上年报告的 %lld 件加“%s” %lld 件、减"
        "“%s” %lld 件应为 %lld 件",
        gk__table_part_name(GK_T_PROACTIVE), row->label.text,
        row->cols[ci].label.text, (long long)in_force, (long long)prev_in_force,
        row->cols[cm].label.text, (long long)made, row->cols[cr].label.text,
        (long long)repealed, (long long)want);
    if (d) {
      d->has_expected = 1;
      d->expected = want;
      d->actual = in_force;
    }
  }
}

/* ---------------------------------------------------- copied-text */

/* The characters compared: ideographs and letters, folded. */
static int32_t *copy_chars(const char *t, size_t *n_out) {
  size_t len = strlen(t), n = 0;
  int32_t *out = malloc((len + 1) * sizeof *out);
  if (!out)
    return NULL;
  for (size_t i = 0; i < len;) {
    int32_t cp, f[4];
    i += gk__utf8_decode(t + i, len - i, &cp);
    size_t m = gk__fold_cp(cp, f);
    for (size_t k = 0; k < m; k++) {
      int32_t x = f[k];
      if (x >= 'A' && x <= 'Z')
        x += 'a' - 'A';
      if (gk__is_cjk(x) || (x >= 'a' && x <= 'z'))
        out[n++] = x;
    }
  }
  *n_out = n;
  return out;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* The sorted, distinct hashes of a text's n-grams; NULL on failure. */
static uint64_t *ngrams(const int32_t *s, size_t n, size_t *count) {
  size_t m = n >= COPY_NGRAM ? n - COPY_NGRAM + 1 : 0;
  uint64_t *h = malloc((m + 1) * sizeof *h);
  if (!h)
    return NULL;
  for (size_t i = 0; i < m; i++) {
    uint64_t x = 1469598103934665603ull; /* FNV-1a */
    for (size_t k = 0; k < COPY_NGRAM; k++) {
      x ^= (uint64_t)(uint32_t)s[i + k];
      x *= 1099511628211ull;
    }
    h[i] = x;
  }
  qsort(h, m, sizeof *h, cmp_u64);
  size_t u = 0;
  for (size_t i = 0; i < m; i++)
    if (u == 0 || h[u - 1] != h[i])
      h[u++] = h[i];
  *count = u;
  return h;
}

/* The Jaccard similarity of two texts' n-gram sets, or -1 when either
 * has fewer than min_chars compared characters or memory ran out.  Also
 * used by gk_diff_reports() (diff.c), with its own minimum. */
double gk__text_similarity(const char *a, const char *b, size_t min_chars) {
  size_t na = 0, nb = 0, ga = 0, gb = 0;
  double res = -1;
  int32_t *x = copy_chars(a, &na), *y = copy_chars(b, &nb);
  uint64_t *hx = NULL, *hy = NULL;
  if (!x || !y || na < min_chars || nb < min_chars || na < COPY_NGRAM ||
      nb < COPY_NGRAM)
    goto done;
  hx = ngrams(x, na, &ga);
  hy = ngrams(y, nb, &gb);
  if (!hx || !hy || ga == 0 || gb == 0)
    goto done;
  size_t i = 0, j = 0, both = 0;
  while (i < ga && j < gb) {
    if (hx[i] == hy[j]) {
      both++;
      i++;
      j++;
    } else if (hx[i] < hy[j]) {
      i++;
    } else {
      j++;
    }
  }
  res = (double)both / (double)(ga + gb - both);
done:
  free(x);
  free(y);
  free(hx);
  free(hy);
  return res;
}

static void rule_copied_text(gk__check *c) {
  static const int parts[] = {1, 5, 6};
  static const char *const names[] = {"", "第一部分", "",        "",
                                      "", "第五部分", "第六部分"};
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    const gk__section *a = gk__report_part(c->r, parts[i]);
    const gk__section *b = gk__report_part(c->prev, parts[i]);
    if (!a || !b || !a->pub.text || !b->pub.text)
      continue;
    double s = gk__text_similarity(a->pub.text, b->pub.text, COPY_MIN_CHARS);
    if (s < COPY_MIN_JACCARD)
      continue;
    gk__finding(c, GK_R_HISTORY_COPIED_TEXT, a->pub.line, NULL,
                "%s“%s”与上年报告的同一部分几乎相同（去掉数字后五字片段重合 "
                "%d%%）",
                names[parts[i]], a->pub.heading ? a->pub.heading : "",
                (int)(s * 100));
  }
}

/* ---------------------------------------------------- same-tables */

static void rule_same_tables(gk__check *c) {
  size_t compared = 0, numbers = 0;
  bool nonzero = false;
  uint32_t line = 0;
  for (int t = 0; t < GK_N_TABLES; t++) {
    const gk__table *a = c->r->tables[t], *b = c->prev->tables[t];
    if (!a && !b)
      continue;
    if (!a || !b || a->def != b->def)
      return; /* a table in one report only, or of another edition */
    compared++;
    if (!line)
      line = a->first_line;
    for (int row = 0; row < a->def->n_rows; row++) {
      for (int col = 0; col < a->def->rows[row].n_cols; col++) {
        const gk__cell *x = gk__table_cell(a, row, col);
        const gk__cell *y = gk__table_cell(b, row, col);
        if (x->state != y->state)
          return;
        if (x->state != GK_CELL_VALUE)
          continue;
        if (x->value != y->value || x->scale != y->scale)
          return;
        numbers++;
        nonzero |= x->value != 0;
      }
    }
  }
  if (compared == 0 || numbers == 0 || !nonzero)
    return;
  gk__finding(c, GK_R_HISTORY_SAME_TABLES, line, NULL,
              "第二至四部分表格的 %zu 个数字与上年报告完全相同", numbers);
}

void gk__rules_history(gk__check *c) {
  if (!c->prev)
    return;
  bool consecutive = rule_year_gap(c);
  if (consecutive) {
    rule_carry_over(c);
    rule_in_force(c);
  }
  rule_copied_text(c);
  rule_same_tables(c);
}
