/*
 * written.c - the text as written: what the rules need to know about how
 * the source spells things, recorded in the model by the parser.
 *
 * The rules read the model only (checks/checks.h); where a rule judges
 * the wording itself, the parser records the evidence here, after the
 * tables and the parts' prose are known and before the prose pass:
 *
 *   headings   a part's heading written again on a later line
 *              (gk__section.repeated / repeat_line: structure.part-order)
 *   edition    the first 2019-only marker the text prints
 *              (gk_report.edition_marker: structure.outdated-edition)
 *   years      the statistics period "YYYY年1月1日…12月31日" and part 一's
 *              opening "2024年，" (period_year, opening_year:
 *              meta.year-mismatch)
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

/* Characters of a heading compared before a line is encoded. */
#define HEAD_CPS 8

/* A part's heading written again on another line: the first later (or
 * earlier) line, other than the heading's own, that folds to exactly the
 * heading.  The parser keeps the first as the part's heading. */
static void repeated_headings(gk_report *r, const gk__stream *st) {
  const gk__layout *l = &r->layout;
  char want[6][GK_FOLD_MAX];
  /* Each heading's length and first characters, in code points; the
   * shortest length, and the first characters of all. */
  int32_t want_head[6][HEAD_CPS] = {{0}};
  size_t want_n[6] = {0}, head_n[6] = {0}, min_n = SIZE_MAX;
  uint64_t firsts = 0;
  size_t n_want = r->n_sections < 6 ? r->n_sections : 6;
  for (size_t i = 0; i < n_want; i++) {
    gk__fold(r->sections[i].pub.heading, want[i], sizeof want[i]);
    if (!want[i][0])
      continue;
    want_n[i] = gk__str_chars(want[i]);
    head_n[i] = gk__utf8_cps(want[i], want_head[i], HEAD_CPS);
    if (want_n[i] < min_n)
      min_n = want_n[i];
    firsts |= (uint64_t)1 << ((uint32_t)want_head[i][0] % 64);
  }
  if (min_n == SIZE_MAX)
    return; /* no heading to repeat */
  char line[GK_FOLD_LINE_MAX];
  int32_t scratch[GK_LINE_CPS + 1];
  for (size_t li = 0; li < l->n_lines; li++) {
    const gk__line *ln = &l->lines[li];
    /* A whole line shorter than every heading, or starting with none of
     * their first characters, is none of them. */
    const int32_t *cp;
    size_t n = gk__line_cps(l, st, li, scratch, &cp);
    if (n <= GK_LINE_CPS &&
        (n == 0 || n < min_n ||
         !(firsts & ((uint64_t)1 << ((uint32_t)cp[0] % 64)))))
      continue;
    /* Headings are short; skip long lines without folding them. */
    size_t bytes = 0;
    for (uint32_t k = 0; k < ln->n_runs; k++)
      bytes += l->runs[ln->first_run + k].len;
    if (bytes == 0 || bytes > GK_FOLD_MAX)
      continue;
    bool folded = false;
    for (size_t i = 0; i < n_want; i++) {
      gk__section *s = &r->sections[i];
      if (s->repeated || ln->lineno == s->pub.line || !want[i][0])
        continue;
      if (n <= GK_LINE_CPS &&
          (n < want_n[i] ||
           memcmp(cp, want_head[i], head_n[i] * sizeof *cp) != 0))
        continue;
      if (!folded) {
        gk__line_utf8(l, st, li, line, sizeof line, 0);
        folded = true;
      }
      if (strcmp(line, want[i]) != 0)
        continue;
      s->repeated = true;
      s->repeat_line = ln->lineno;
    }
  }
}

/* The 2019 edition's markers looked for in every line by their code
 * points first: at most this many, of at most MARKER_CPS code points
 * (more, and every line is compared as a string). */
#define MAX_MARKERS 16
#define MARKER_CPS 64

/* The first 2019-only marker the text of a 2019-edition report prints. */
static void edition_marker(gk_report *r, const gk__stream *st) {
  r->edition_marker = -1;
  r->edition_marker_line = 0;
  if (r->edition != GK_EDITION_2019)
    return;
  const gk__layout *l = &r->layout;
  char line[GK_FOLD_LINE_MAX], marker[GK_FOLD_MAX];
  int32_t marker_cp[MAX_MARKERS][MARKER_CPS];
  size_t marker_n[MAX_MARKERS], n_markers = 0;
  bool filter = true;
  for (int m = 0; gk__edition_2019.markers[m] && filter; m++) {
    gk__fold(gk__edition_2019.markers[m], marker, sizeof marker);
    if (n_markers == MAX_MARKERS || gk__str_chars(marker) >= MARKER_CPS) {
      filter = false;
      break;
    }
    marker_n[n_markers] =
        gk__utf8_cps(marker, marker_cp[n_markers], MARKER_CPS);
    n_markers++;
  }
  int32_t scratch[GK_LINE_CPS + 1];
  for (size_t li = 0; li < l->n_lines; li++) {
    /* A whole line without a marker's characters in a row has none. */
    const int32_t *cp;
    size_t n = gk__line_cps(l, st, li, scratch, &cp);
    bool maybe = !filter || n > GK_LINE_CPS;
    for (size_t m = 0; m < n_markers && !maybe; m++)
      maybe = gk__cps_contain(cp, n, marker_cp[m], marker_n[m]);
    if (!maybe)
      continue;
    gk__line_utf8(l, st, li, line, sizeof line, 0);
    for (int m = 0; gk__edition_2019.markers[m]; m++) {
      gk__fold(gk__edition_2019.markers[m], marker, sizeof marker);
      if (!strstr(line, marker))
        continue;
      r->edition_marker = m;
      r->edition_marker_line = l->lines[li].lineno;
      return;
    }
  }
}

/* The statistics period "YYYY年1月1日…12月31日" anywhere in the text. */
static void period_year(gk_report *r, const gk__stream *st) {
  const gk__layout *l = &r->layout;
  char line[GK_FOLD_LINE_MAX];
  /* 年1月1日: a whole line without it is passed over unfolded. */
  static const int32_t start[] = {0x5E74, '1', 0x6708, '1', 0x65E5};
  int32_t scratch[GK_LINE_CPS + 1];
  for (size_t li = 0; li < l->n_lines; li++) {
    const int32_t *cp;
    size_t n = gk__line_cps(l, st, li, scratch, &cp);
    if (n <= GK_LINE_CPS && !gk__cps_contain(cp, n, start, 5))
      continue;
    gk__line_utf8(l, st, li, line, sizeof line, 0);
    for (const char *p = strstr(line, "年1月1日"); p;
         p = strstr(p + 1, "年1月1日")) {
      if (p - line < 4)
        continue;
      const char *y = p - 4;
      bool digits = true;
      for (int k = 0; k < 4; k++)
        digits &= y[k] >= '0' && y[k] <= '9';
      if (!digits || (y > line && y[-1] >= '0' && y[-1] <= '9'))
        continue;
      /* The period's end follows within a few words. */
      const char *end = strstr(p, "12月31日");
      if (!end || end - p > 48)
        continue;
      r->period_found = true;
      r->period_year = (y[0] - '0') * 1000 + (y[1] - '0') * 100 +
                       (y[2] - '0') * 10 + (y[3] - '0');
      r->period_line = l->lines[li].lineno;
      return;
    }
  }
}

/* Lines of part 一 searched for an opening "2024年，…". */
#define PART_ONE_OPENING_LINES 8
/* The characters of such an opening: four digits, 年, 度, the comma. */
#define OPENING_CPS 16

/* Part 一 opening with its year: "2024年，" or "2024年度，" at the start
 * of one of its first lines ("2019年以来" is no statement of the year). */
static void opening_year(gk_report *r, const gk__stream *st) {
  const gk__section *s = gk__report_part(r, 1);
  if (!s)
    return;
  const gk__layout *l = &r->layout;
  long li = gk__layout_line_index(l, s->pub.line);
  if (li < 0)
    return;
  int seen = 0;
  char line[GK_FOLD_LINE_MAX];
  int32_t scratch[GK_LINE_CPS + 1];
  for (size_t k = (size_t)li + 1;
       k < l->n_lines && seen < PART_ONE_OPENING_LINES &&
       (s->end_line == 0 || l->lines[k].lineno <= s->end_line);
       k++) {
    /* Only the line's opening is read (gk__year_at(), then 度 and the
     * comma): its first OPENING_CPS code points, as the folded line
     * starts with them. */
    const int32_t *cp;
    size_t n = gk__line_cps(l, st, k, scratch, &cp);
    if (n == 0)
      continue;
    gk__cps_append(cp, n < OPENING_CPS ? n : OPENING_CPS, line, sizeof line, 0);
    seen++;
    size_t after;
    int y = gk__year_at(line, &after);
    if (!y)
      continue;
    const char *rest = line + after;
    if (gk__str_starts(rest, "度"))
      rest += strlen("度");
    if (*rest != ',')
      continue;
    r->opening_year = y;
    r->opening_line = l->lines[k].lineno;
    return;
  }
}

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
    char fbuf[GK_FOLD_MAX], want[GK_FOLD_MAX];
    const char *found = tab->row_label[i];
    if (!gk__fold_invariant(found, sizeof fbuf)) {
      gk__fold(found, fbuf, sizeof fbuf);
      found = fbuf;
    }
    gk__fold(def->rows[i].label.text, want, sizeof want);
    if (strcmp(found, want) == 0)
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
    char fbuf[GK_FOLD_MAX], want[GK_FOLD_MAX];
    const char *found = tab->col_label[k];
    if (!gk__fold_invariant(found, sizeof fbuf)) {
      gk__fold(found, fbuf, sizeof fbuf);
      found = fbuf;
    }
    gk__fold(def->header_cols[k].label.text, want, sizeof want);
    variant = strcmp(found, want) != 0;
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

void gk__cell_provenance(gk__parse *p, gk__cell *c, const gk__token *v) {
  const gk__layout *l = &p->r->layout;
  c->line = gk__stream_lineno(&p->s, v->start);
  c->text = gk__stream_text(&p->r->arena, &p->s, v->start, v->end, false);
  if (v->run < l->n_runs && l->runs[v->run].page) {
    const gk__run *run = &l->runs[v->run];
    c->page = run->page;
    c->x0 = run->x0;
    c->y0 = run->y0;
    c->x1 = run->x1;
    c->y1 = run->y1;
  }
}

gk_status gk__parse_written(gk_report *r, const gk__stream *st) {
  if (st && st->layout != &r->layout)
    st = NULL;
  repeated_headings(r, st);
  edition_marker(r, st);
  period_year(r, st);
  opening_year(r, st);
  for (int t = 0; t < GK_N_TABLES; t++) {
    if (!r->tables[t])
      continue;
    printed_labels(r, r->tables[t]);
    header_lines(r, r->tables[t], st);
  }
  return gk__arena_failed(&r->arena) ? GK_ENOMEM : GK_OK;
}
