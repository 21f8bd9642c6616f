/*
 * written.c - the text as written: what the rules need to know about how
 * the source spells things, recorded in the model by the parser.
 *
 * The rules read the model only (checks/checks.h); where a rule judges
 * the wording itself, the parser records the evidence, after the tables
 * and the parts' prose are known and before the prose pass.  This file
 * is the pass's driver; the pass that owns the lines holds the code:
 *
 *   headings   (sections.c) a part's heading written again on a later
 *              line (gk__section.repeated / repeat_line:
 *              structure.part-order)
 *   edition    (meta.c) the first 2019-only marker the text prints
 *              (gk_report.edition_marker: structure.outdated-edition)
 *   years      (meta.c) the statistics period "YYYY年1月1日…12月31日" and
 *              part 一's opening "2024年，" (period_year, opening_year:
 *              meta.year-mismatch)
 *
 * and here, as tables.c is left to the number grammar's rewrite, the
 * tables' evidence:
 *
 *   labels     a row's label as its source line prints it, where the
 *              parser's match differs from the standard label
 *              (gk__table.row_printed: structure.label-variant)
 *   headers    the table header's lines folded, where a column header
 *              is not written as the standard one (gk__table.header_text,
 *              header_lines: structure.label-variant for columns)
 *
 * Both the parser (with its stream) and the model reader (without one,
 * over the layout it makes from the model's text) run it, so a report
 * read back is judged on the same evidence.  Each step reads exactly
 * what the rule used to read from the layout, with the same limits, so
 * findings do not change.
 */
#include <stdio.h>
#include <string.h>

#include "lines.h"

/* Characters before the parser's match that may still be the label's. */
#define LABEL_HEAD_BACK 4

/* The label as the source line spells it: the tab field (or the line,
 * for space-separated text) holding the parser's match, from the match
 * on, up to the first digit (the row's numbers).  Empty when the line
 * cannot be found. */
static void label_in_source(const gk_report *r, uint32_t lineno,
                            const char *found, char *out, size_t cap) {
  out[0] = '\0';
  long li = gk__layout_line_index(&r->layout, lineno);
  if (li < 0 || !found[0])
    return;
  const gk__layout *l = &r->layout;
  const gk__line *ln = &l->lines[li];
  /* The match's first few characters locate it in its field. */
  char head[32];
  size_t hl = 0;
  for (size_t i = 0; found[i];) {
    int32_t cp;
    size_t n = gk__utf8_decode(found + i, strlen(found + i), &cp);
    if (hl + n >= sizeof head)
      break;
    memcpy(head + hl, found + i, n);
    hl += n;
    i += n;
  }
  head[hl] = '\0';
  char field[GK_FOLD_LINE_MAX];
  for (uint32_t k = 0; k < ln->n_runs; k++) {
    const gk__run *run = &l->runs[ln->first_run + k];
    gk__fold_append(run->text, run->len, field, sizeof field, 0);
    const char *at = strstr(field, head);
    if (!at)
      continue;
    /* A match without its enumerator stopped short of the label's head,
     * where a typo stopped it ("5.属干三类…" matched from "三类"): take
     * back the few characters before it, up to the enumerator. */
    if (gk__skip_enum(found, false) == found) {
      for (int back = 0; back < LABEL_HEAD_BACK && at > field; back++) {
        const char *q = at - 1;
        while (q > field && ((unsigned char)*q & 0xC0) == 0x80)
          q--;
        if (strchr("0123456789.,)", *q) || gk__str_starts(q, "、"))
          break;
        at = q;
      }
    }
    const char *p = gk__skip_enum(at, false);
    size_t n = 0;
    while (p[n] && !(p[n] >= '0' && p[n] <= '9'))
      n++;
    snprintf(out, cap, "%.*s", (int)n, p);
    return;
  }
}

/* Rows whose label as matched differs from the standard label: the label
 * as the source line prints it (the parser's match may stop short of
 * it). */
static void printed_labels(gk_report *r, gk__table *tab) {
  const gk__tabledef *def = tab->def;
  for (int i = 0; i < def->n_rows; i++) {
    if (!tab->row_found[i] || !tab->row_label[i])
      continue;
    char fbuf[GK_FOLD_MAX], wbuf[GK_FOLD_MAX];
    const char *want =
        gk__format_fold(def->rows[i].label.text, wbuf, sizeof wbuf);
    const char *found =
        gk__fold_unless(tab->row_label[i], want, fbuf, sizeof fbuf);
    if (!found)
      continue;
    if (!tab->row_printed) {
      tab->row_printed =
          gk__arena_calloc(&r->arena, def->n_rows, sizeof *tab->row_printed);
      if (!tab->row_printed)
        return;
    }
    char src[GK_FOLD_MAX];
    label_in_source(r, tab->row_line[i], found, src, sizeof src);
    tab->row_printed[i] = gk__arena_strdup(&r->arena, src);
  }
}

/* The table's header lines folded: from the table's first line to its
 * first found row's label (its last line when no row was found). */
static void header_lines(gk_report *r, gk__table *tab, const gk__stream *st) {
  const gk__tabledef *def = tab->def;
  if (!def->header_cols || !tab->col_label)
    return;
  /* Recorded only when a column header is written otherwise than the
   * standard one: the header is what tells a variant ("科研") from a
   * header broken over two lines ("科研" above "机构"). */
  bool variant = false;
  for (int k = 0; k < def->n_header_cols && !variant; k++) {
    if (!tab->col_label[k] || !def->header_cols[k].label.variants)
      continue;
    char fbuf[GK_FOLD_MAX], wbuf[GK_FOLD_MAX];
    const char *want =
        gk__format_fold(def->header_cols[k].label.text, wbuf, sizeof wbuf);
    variant = gk__fold_unless(tab->col_label[k], want, fbuf, sizeof fbuf);
  }
  if (!variant)
    return;
  const gk__layout *l = &r->layout;
  uint32_t to = tab->last_line;
  for (int i = 0; i < def->n_rows; i++) {
    if (tab->row_found[i] && tab->row_label[i] && tab->row_line[i]) {
      to = tab->row_line[i];
      break;
    }
  }
  /* The header's layout lines: from the first at or after first_line (a
   * binary search, lines being in source order) while at or before to. */
  size_t lo = 0, hi = l->n_lines;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (l->lines[mid].lineno < tab->first_line)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t n = 0;
  for (size_t li = lo; li < l->n_lines && l->lines[li].lineno <= to; li++)
    n++;
  tab->header_to = to;
  tab->header_line_text =
      gk__arena_calloc(&r->arena, n ? n : 1, sizeof *tab->header_line_text);
  tab->header_lineno =
      gk__arena_calloc(&r->arena, n ? n : 1, sizeof *tab->header_lineno);
  if (!tab->header_line_text || !tab->header_lineno)
    return;
  char joined[GK_FOLD_LINE_MAX], line[GK_FOLD_LINE_MAX];
  size_t k = 0, j = 0;
  joined[0] = '\0';
  for (size_t li = lo; j < n; li++) {
    size_t len = gk__line_utf8(l, st, li, line, sizeof line, 0);
    /* Appended as the line folded into the joined buffer: the same
     * bytes while they fit; past that, folded there run by run. */
    if (k + len < sizeof joined && len + 4 < sizeof line) {
      memcpy(joined + k, line, len + 1);
      k += len;
    } else {
      k = gk__line_utf8(l, st, li, joined, sizeof joined, k);
    }
    tab->header_line_text[j] = gk__arena_strndup(&r->arena, line, len);
    tab->header_lineno[j] = l->lines[li].lineno;
    j++;
  }
  tab->n_header_lines = j;
  tab->header_text = gk__arena_strdup(&r->arena, joined);
}

/* The texts of cells printed as one or two ASCII digits ("0", "12"), the
 * most common cells by far, as constant strings: a cell's text is
 * read-only (const in the model) and lives as long as the report, so such
 * a cell points here instead of copying its one or two characters into
 * the arena (issue 12: every cell's text is kept for its provenance).
 * Indexed by the digits' value. */
static const char one_digit[10][2] = {"0", "1", "2", "3", "4",
                                      "5", "6", "7", "8", "9"};
static const char two_digits[100][3] = {
    "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11",
    "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23",
    "24", "25", "26", "27", "28", "29", "30", "31", "32", "33", "34", "35",
    "36", "37", "38", "39", "40", "41", "42", "43", "44", "45", "46", "47",
    "48", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59",
    "60", "61", "62", "63", "64", "65", "66", "67", "68", "69", "70", "71",
    "72", "73", "74", "75", "76", "77", "78", "79", "80", "81", "82", "83",
    "84", "85", "86", "87", "88", "89", "90", "91", "92", "93", "94", "95",
    "96", "97", "98", "99"};

const char *gk__digits_text(const int32_t *cp, size_t n) {
  if (n == 0 || n > 2 || cp[0] < '0' || cp[0] > '9')
    return NULL;
  int d = cp[0] - '0';
  if (n == 1)
    return one_digit[d];
  if (cp[1] < '0' || cp[1] > '9')
    return NULL;
  return two_digits[10 * d + (cp[1] - '0')];
}

/* The text of the stream characters [start, end): a constant string when
 * they are one or two ASCII digits, else a copy in the report's arena. */
static const char *cell_text(gk__parse *p, size_t start, size_t end) {
  if (end <= p->s.n && end > start) {
    const char *t = gk__digits_text(p->s.cp + start, end - start);
    if (t)
      return t;
  }
  return gk__stream_text(&p->r->arena, &p->s, start, end, false);
}

/* A cell read from the characters [start, end) of the stream, of layout
 * run r. */
static void provenance(gk__parse *p, gk__cell *c, size_t start, size_t end,
                       uint32_t r) {
  const gk__layout *l = &p->r->layout;
  c->line = gk__stream_lineno(&p->s, start);
  c->text = cell_text(p, start, end);
  if (r < l->n_runs && l->runs[r].page) {
    const gk__run *run = &l->runs[r];
    c->page = run->page;
    c->x0 = run->x0;
    c->y0 = run->y0;
    c->x1 = run->x1;
    c->y1 = run->y1;
  }
}

void gk__cell_provenance(gk__parse *p, gk__cell *c, const gk__token *v) {
  provenance(p, c, v->start, v->end, v->run);
}

void gk__cell_provenance_at(gk__parse *p, gk__cell *c, size_t start,
                            size_t end) {
  provenance(p, c, start, end,
             start < p->s.n ? p->s.ch[start].run : UINT32_MAX);
}

gk_status gk__parse_written(gk_report *r, const gk__stream *st) {
  if (st && st->layout != &r->layout)
    st = NULL;
  gk__sections_written(r, st);
  gk__meta_written(r, st);
  for (int t = 0; t < GK_N_TABLES; t++) {
    if (!r->tables[t])
      continue;
    printed_labels(r, r->tables[t]);
    header_lines(r, r->tables[t], st);
  }
  return gk__arena_failed(&r->arena) ? GK_ENOMEM : GK_OK;
}
