/*
 * diff.c - one body's two years side by side (gk_diff_reports()), and the
 * key that groups a body's reports across years (gk_body_key()).
 *
 * It sits beside the history rules: rules_history.c judges this year's
 * report against last year's (carry-over, in-force documents, copied
 * prose) and adds findings; this file only measures, for people to read:
 * which cells changed and by how much, and how much of each part's prose
 * is the same as last year's, with the same similarity measure the
 * history.copied-text rule uses (gk__text_similarity()).
 */
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "format/cells.h"

/* Prose shorter than this (in compared characters: ideographs and
 * letters) says too little for a similarity to mean anything: a part of
 * one sentence is the same every year by nature. */
#define DIFF_MIN_CHARS 20

struct gk_diff {
  gk_cell_change *cells;
  size_t n_cells;
  double similarity[7]; /* by part number 1..6; -1 when not measured */
};

/* The cell of `ref` in a report: true with its value and scale when the
 * report holds a number there. */
static bool cell_value(const gk_report *r, const gk__cell_ref *ref, int64_t *v,
                       int *scale) {
  const gk__table *t = r->tables[ref->def->id];
  int row, col;
  if (!t || !gk__cell_ref_locate(ref, t->def, &row, &col))
    return false;
  const gk__cell *c = gk__table_cell(t, row, col);
  if (c->state != GK_CELL_VALUE)
    return false;
  *v = c->value;
  *scale = c->scale;
  return true;
}

/* Whether a / 10^sa and b / 10^sb are the same number. */
static bool same_number(int64_t a, int sa, int64_t b, int sb) {
  while (sa < sb) {
    if (a > INT64_MAX / 10 || a < INT64_MIN / 10)
      return false;
    a *= 10;
    sa++;
  }
  while (sb < sa) {
    if (b > INT64_MAX / 10 || b < INT64_MIN / 10)
      return false;
    b *= 10;
    sb++;
  }
  return a == b;
}

gk_status gk_diff_reports(const gk_report *old_report,
                          const gk_report *new_report, unsigned flags,
                          gk_diff **out) {
  if (!out)
    return GK_EINVAL;
  *out = NULL;
  if (!old_report || !new_report)
    return GK_EINVAL;
  gk__cell_ref refs[GK_MAX_CELLS];
  size_t n = gk__cell_refs(GK_EDITION_UNKNOWN, refs, GK_MAX_CELLS);
  if (n > GK_MAX_CELLS)
    return GK_EINTERNAL;
  gk_diff *d = calloc(1, sizeof *d);
  if (!d)
    return GK_ENOMEM;
  d->cells = calloc(n ? n : 1, sizeof *d->cells);
  if (!d->cells) {
    free(d);
    return GK_ENOMEM;
  }
  for (size_t i = 0; i < n; i++) {
    gk_cell_change ch = {.cell = i};
    ch.has_old = cell_value(old_report, &refs[i], &ch.old_value, &ch.old_scale);
    ch.has_new = cell_value(new_report, &refs[i], &ch.new_value, &ch.new_scale);
    if (!ch.has_old && !ch.has_new)
      continue;
    bool changed =
        ch.has_old != ch.has_new ||
        !same_number(ch.old_value, ch.old_scale, ch.new_value, ch.new_scale);
    if (changed || (flags & GK_DIFF_ALL_CELLS))
      d->cells[d->n_cells++] = ch;
  }
  for (int part = 0; part < 7; part++)
    d->similarity[part] = -1;
  for (int part = 1; part <= 6; part++) {
    const gk__section *a = gk__report_part(old_report, part);
    const gk__section *b = gk__report_part(new_report, part);
    if (a && b && a->pub.text && b->pub.text)
      d->similarity[part] =
          gk__text_similarity(a->pub.text, b->pub.text, DIFF_MIN_CHARS);
  }
  *out = d;
  return GK_OK;
}

size_t gk_diff_count(const gk_diff *d) { return d ? d->n_cells : 0; }

const gk_cell_change *gk_diff_get(const gk_diff *d, size_t i) {
  return d && i < d->n_cells ? &d->cells[i] : NULL;
}

double gk_diff_similarity(const gk_diff *d, int part) {
  return d && part >= 1 && part <= 6 ? d->similarity[part] : -1;
}

void gk_diff_free(gk_diff *d) {
  if (!d)
    return;
  free(d->cells);
  free(d);
}

/* ------------------------------------------------------------ body key */

/* The most code points of a key: real names are under 40 characters. */
#define KEY_MAX_CPS 128

/* Decodes a static word into code points; the count. */
static size_t word_cps(const char *w, int32_t *out, size_t cap) {
  size_t n = 0, len = strlen(w);
  for (size_t i = 0; i < len && n < cap;) {
    int32_t cp;
    i += gk__utf8_decode(w + i, len - i, &cp);
    out[n++] = cp;
  }
  return n;
}

/* Whether the key ends with the word (given as code points). */
static bool ends_with(const int32_t *key, size_t n, const int32_t *w,
                      size_t wn) {
  return wn <= n && memcmp(key + n - wn, w, wn * sizeof *w) == 0;
}

size_t gk_body_key(const char *name, char *buf, size_t cap) {
  if (cap)
    buf[0] = '\0';
  if (!name || !buf || cap == 0)
    return 0;
  int32_t key[KEY_MAX_CPS] = {0};
  size_t n = 0, len = strlen(name);
  for (size_t i = 0; i < len;) {
    int32_t cp = 0, f[4] = {0};
    i += gk__utf8_decode(name + i, len - i, &cp);
    size_t m = gk__fold_cp(cp, f);
    for (size_t k = 0; k < m; k++) {
      if (gk__is_space(f[k]))
        continue;
      if (n == KEY_MAX_CPS)
        return 0;
      key[n++] = f[k];
    }
  }
  /* The government's word, longest first (the list is in that order);
   * only when something is left before it. */
  for (size_t k = 0; gk__body_gov_suffixes[k]; k++) {
    int32_t w[32];
    size_t wn = word_cps(gk__body_gov_suffixes[k], w, 32);
    if (ends_with(key, n, w, wn)) {
      if (wn < n)
        n -= wn;
      break;
    }
  }
  for (size_t k = 0; gk__body_aliases[k].from; k++) {
    int32_t w[32], to[32];
    size_t wn = word_cps(gk__body_aliases[k].from, w, 32);
    size_t tn = word_cps(gk__body_aliases[k].to, to, 32);
    if (wn < n && tn <= wn && ends_with(key, n, w, wn)) {
      n -= wn;
      memcpy(key + n, to, tn * sizeof *to);
      n += tn;
      break;
    }
  }
  size_t out = 0;
  for (size_t i = 0; i < n; i++) {
    char enc[4];
    size_t el = gk__utf8_encode(key[i], enc);
    if (out + el + 1 > cap) {
      buf[0] = '\0';
      return 0;
    }
    memcpy(buf + out, enc, el);
    out += el;
  }
  buf[out] = '\0';
  return out;
}
