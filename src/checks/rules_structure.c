/*
 * rules_structure.c - structure.*: is the report shaped like the national
 * format?  (rules.md "structure", format.md §1.2, D-03–D-06, D-28, D-29.)
 *
 * Reads what the parser recorded: the parts with the numeral the author
 * wrote (gk__section.numeral), the tables (NULL when absent) and, per
 * row and column, the label as found.  structure.missing-row is the
 * parser's own (it knows which labels it could not align); everything
 * else is here:
 *
 *   missing-part      a part without a heading.  All six missing is one
 *                     finding, not six.
 *   part-order        a part after a later one; a heading written twice
 *                     (the same folded line again elsewhere); a numeral
 *                     that is not the part's (一–五 for 二–六 is one
 *                     finding when every wrong numeral is off by the same
 *                     amount).
 *   heading-variant   a heading whose words, without the numeral and
 *                     trailing punctuation, differ from the standard one.
 *   missing-table     a table of parts 二–四 the parser did not find, for
 *                     reports under the 2019 regulation (edition 2019 or
 *                     2021, or unknown with a year from 2019).
 *   outdated-edition  2019-edition tables in a report for 2021 or later.
 *   label-variant     a row label that is a listed variant of the
 *                     standard one (format.c), or a typo of it (same
 *                     length, a few characters substituted); the column
 *                     headers of tables 3 and 4 found as listed variants,
 *                     one finding per table.
 *
 * The part rules apply to reports under the 2019 regulation only: pre-2019
 * reports followed local outlines with other headings.
 */
#include <stdio.h>

#include "checks.h"
#include "fold.h"

static const char *const numerals[] = {"",   "一", "二", "三", "四", "五",
                                       "六", "七", "八", "九", "十"};

static const char *numeral_name(int n) {
  return n >= 1 && n <= 10 ? numerals[n] : "?";
}

/* Whether the report falls under the 2019 regulation and its format. */
static bool modern(const gk_report *r) {
  switch (r->edition) {
  case GK_EDITION_2019:
  case GK_EDITION_2021:
    return true;
  case GK_EDITION_PRE2019:
    return false;
  default:
    return r->year == 0 || r->year >= 2019;
  }
}

/* ------------------------------------------------------------- folding */

static bool is_numeral_char(const char *s, size_t *n) {
  const unsigned char *u = (const unsigned char *)s;
  if (u[0] >= '0' && u[0] <= '9') {
    *n = 1;
    return true;
  }
  /* The numerals 一 … 十 are three bytes from E4 or E5 (a NUL or a bad
   * continuation byte decodes to no numeral). */
  if (u[0] - 0xE4u > 1u || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80)
    return false;
  int32_t cp = ((u[0] & 0x0F) << 12) | ((u[1] & 0x3F) << 6) | (u[2] & 0x3F);
  static const int32_t cn[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                               0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341};
  for (size_t i = 0; i < sizeof cn / sizeof cn[0]; i++) {
    if (cp == cn[i]) {
      *n = 3;
      return true;
    }
  }
  return false;
}

/* The folded text after a leading enumerator: "一、" "第一部分" "(三)"
 * "1." "2、", and with `bare` a numeral alone ("一总体情况": the parser
 * takes a numeral before a space as a heading's).  At most three numeral
 * characters; without an enumerator the text is returned as it is. */
static const char *skip_enum(const char *s, bool bare) {
  const char *p = s;
  bool paren = false;
  if (*p == '(') {
    paren = true;
    p++;
  } else if (gk__str_starts(p, "第")) {
    p += strlen("第");
  }
  int digits = 0;
  size_t n;
  while (digits < 3 && *p && is_numeral_char(p, &n)) {
    p += n;
    digits++;
  }
  if (digits == 0)
    return s;
  if (paren) {
    if (*p != ')')
      return s;
    return p + 1;
  }
  if (gk__str_starts(p, "部分"))
    return p + strlen("部分");
  if (gk__str_starts(p, "、"))
    return p + strlen("、");
  if (*p == '.' || *p == ',')
    return p + 1;
  return bare ? p : s;
}

/* A row label's enumerator: never a bare numeral, as labels may start
 * with one ("三类…"). */
static const char *skip_enumerator(const char *s) {
  return skip_enum(s, false);
}

/* Drops trailing sentence punctuation from a folded heading. */
static void trim_punct(char *s) {
  static const char *const ends[] = {":", "。", ".", ";", ",", NULL};
  size_t len = strlen(s);
  for (bool again = true; again;) {
    again = false;
    for (int i = 0; ends[i]; i++) {
      if (gk__str_ends(s, len, ends[i])) {
        len -= strlen(ends[i]);
        s[len] = '\0';
        again = true;
      }
    }
  }
}

/* A heading's words: folded, without numeral and trailing punctuation. */
static void heading_words(const char *heading, char *out, size_t cap) {
  char f[GK_FOLD_MAX];
  gk__fold(heading, f, sizeof f);
  /* Copied as snprintf("%s") would copy it: cut at cap - 1 bytes. */
  const char *w = skip_enum(f, true);
  size_t n = strnlen(w, cap - 1);
  memcpy(out, w, n);
  out[n] = '\0';
  trim_punct(out);
}

/* ------------------------------------------------------------- parts */

static void missing_parts(gk__check *c) {
  const gk_report *r = c->r;
  if (r->n_sections == 0) {
    gk__finding(c, GK_R_STRUCTURE_MISSING_PART, 0, NULL,
                "全文找不到六个法定部分（%s至%s）中任何一个部分的标题",
                gk__parts[0].heading, gk__parts[5].heading);
    return;
  }
  for (int k = 0; k < 6; k++) {
    if (gk__report_part(r, gk__parts[k].number))
      continue;
    gk__finding(c, GK_R_STRUCTURE_MISSING_PART, 0, NULL,
                "缺少第%s部分“%s”：全文找不到该部分的标题",
                numeral_name(gk__parts[k].number), gk__parts[k].heading);
  }
}

/* Parts after a later part, in source order. */
static void parts_out_of_order(gk__check *c) {
  const gk_report *r = c->r;
  int highest = 0;
  for (size_t i = 0; i < r->n_sections; i++) {
    const gk__section *s = &r->sections[i];
    if (s->pub.number < highest)
      gk__finding(c, GK_R_STRUCTURE_PART_ORDER, s->pub.line, NULL,
                  "第%s部分“%s”出现在第%s部分之后，各部分顺序错乱",
                  numeral_name(s->pub.number), s->pub.heading,
                  numeral_name(highest));
    if (s->pub.number > highest)
      highest = s->pub.number;
  }
}

/* Characters of a heading compared before a line is encoded. */
#define HEAD_CPS 8

/* A part's heading written again on another line.  The parser keeps the
 * first; a second copy of exactly the same line is the repeat. */
static void parts_repeated(gk__check *c) {
  const gk_report *r = c->r;
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
  bool reported[6] = {false};
  char line[GK_FOLD_LINE_MAX];
  int32_t scratch[GK_LINE_CPS + 1];
  for (size_t li = 0; li < l->n_lines; li++) {
    const gk__line *ln = &l->lines[li];
    /* A whole line shorter than every heading, or starting with none of
     * their first characters, is none of them. */
    const int32_t *cp;
    size_t n = gk__line_cps(r, li, scratch, &cp);
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
      const gk__section *s = &r->sections[i];
      if (reported[i] || ln->lineno == s->pub.line || !want[i][0])
        continue;
      if (n <= GK_LINE_CPS &&
          (n < want_n[i] ||
           memcmp(cp, want_head[i], head_n[i] * sizeof *cp) != 0))
        continue;
      if (!folded) {
        gk__line_utf8(r, li, line, sizeof line, 0);
        folded = true;
      }
      if (strcmp(line, want[i]) != 0)
        continue;
      reported[i] = true;
      gk__finding(c, GK_R_STRUCTURE_PART_ORDER, ln->lineno, NULL,
                  "第%s部分的标题“%s”重复出现（第 %u 行已有）",
                  numeral_name(s->pub.number), s->pub.heading, s->pub.line);
    }
  }
}

/* Numerals that are not the part's. */
static void parts_numerals(gk__check *c) {
  const gk_report *r = c->r;
  size_t n_wrong = 0;
  int offset = 0;
  bool same_offset = true;
  const gk__section *first = NULL, *last = NULL;
  for (size_t i = 0; i < r->n_sections; i++) {
    const gk__section *s = &r->sections[i];
    if (s->numeral == 0 || s->numeral == s->pub.number)
      continue;
    int off = s->numeral - s->pub.number;
    if (n_wrong == 0) {
      offset = off;
      first = s;
    } else if (off != offset) {
      same_offset = false;
    }
    last = s;
    n_wrong++;
  }
  if (n_wrong == 0)
    return;
  if (n_wrong > 1 && same_offset) {
    gk__finding(c, GK_R_STRUCTURE_PART_ORDER, first->pub.line, NULL,
                "第%s至第%s部分的标题序号依次写作“%s”至“%s”，与各部分应有的序号"
                "“%s”至“%s”不符",
                numeral_name(first->pub.number), numeral_name(last->pub.number),
                numeral_name(first->numeral), numeral_name(last->numeral),
                numeral_name(first->pub.number),
                numeral_name(last->pub.number));
    return;
  }
  for (size_t i = 0; i < r->n_sections; i++) {
    const gk__section *s = &r->sections[i];
    if (s->numeral == 0 || s->numeral == s->pub.number)
      continue;
    gk__finding(c, GK_R_STRUCTURE_PART_ORDER, s->pub.line, NULL,
                "标题“%s”的序号写作“%s”，该部分应为第%s部分", s->pub.heading,
                numeral_name(s->numeral), numeral_name(s->pub.number));
  }
}

static void heading_variants(gk__check *c) {
  const gk_report *r = c->r;
  for (size_t i = 0; i < r->n_sections; i++) {
    const gk__section *s = &r->sections[i];
    if (s->pub.number < 1 || s->pub.number > 6)
      continue;
    const char *std = gk__parts[s->pub.number - 1].heading;
    char got[GK_FOLD_MAX], want[GK_FOLD_MAX];
    /* Headings folded alike have the same words. */
    gk__fold(s->pub.heading, got, sizeof got);
    gk__fold(std, want, sizeof want);
    if (strcmp(got, want) == 0)
      continue;
    heading_words(s->pub.heading, got, sizeof got);
    heading_words(std, want, sizeof want);
    if (strcmp(got, want) == 0)
      continue;
    gk__finding(c, GK_R_STRUCTURE_HEADING_VARIANT, s->pub.line, NULL,
                "第%s部分标题写作“%s”，标准标题为“%s”",
                numeral_name(s->pub.number), s->pub.heading, std);
  }
}

/* ------------------------------------------------------------ tables */

static void missing_tables(gk__check *c) {
  const gk_report *r = c->r;
  bool applies = r->edition == GK_EDITION_2019 ||
                 r->edition == GK_EDITION_2021 ||
                 (r->edition == GK_EDITION_UNKNOWN && r->year >= 2019);
  const gk__edition_def *ed = r->tables_ed;
  if (!applies || !ed)
    return;
  for (int t = 0; t < GK_N_TABLES; t++) {
    if (r->tables[t])
      continue;
    const gk__tabledef *def = ed->tables[t];
    const gk__section *part = gk__report_part(r, t + 2);
    const char *title = def->title;
    const char *sep = strstr(title, "、");
    if (sep)
      title = sep + strlen("、");
    gk__finding(c, GK_R_STRUCTURE_MISSING_TABLE, part ? part->pub.line : 0,
                def->key,
                "%s“%s”的统计表格缺失：文本中找不到该表格（仅以图片发布的表格"
                "视为缺失）",
                gk__table_part_name((gk__table_id)t), title);
  }
}

/* The 2019 edition's markers looked for in every line by their code
 * points first: at most this many, of at most MARKER_CPS code points
 * (more, and every line is compared as a string). */
#define MAX_MARKERS 16
#define MARKER_CPS 64

static void outdated_edition(gk__check *c) {
  const gk_report *r = c->r;
  if (r->edition != GK_EDITION_2019 || r->year < 2021)
    return;
  /* Name the first 2019-only marker the text prints, where it prints it. */
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
    size_t n = gk__line_cps(r, li, scratch, &cp);
    bool maybe = !filter || n > GK_LINE_CPS;
    for (size_t m = 0; m < n_markers && !maybe; m++)
      maybe = gk__cps_contain(cp, n, marker_cp[m], marker_n[m]);
    if (!maybe)
      continue;
    gk__line_utf8(r, li, line, sizeof line, 0);
    for (int m = 0; gk__edition_2019.markers[m]; m++) {
      gk__fold(gk__edition_2019.markers[m], marker, sizeof marker);
      if (!strstr(line, marker))
        continue;
      gk__finding(c, GK_R_STRUCTURE_OUTDATED_EDITION, l->lines[li].lineno, NULL,
                  "%d 年度报告的表格仍使用 2019 年试行格式（如“%s”），应使用 "
                  "2021 年格式（国办公开办函〔2021〕30号）",
                  r->year, gk__edition_2019.markers[m]);
      return;
    }
  }
  gk__finding(c, GK_R_STRUCTURE_OUTDATED_EDITION, 0, NULL,
              "%d 年度报告的表格仍使用 2019 年试行格式，应使用 2021 年格式"
              "（国办公开办函〔2021〕30号）",
              r->year);
}

/* --------------------------------------------------------- labels */

/* Decodes folded UTF-8 into code points; returns the count (at most
 * max). */
static size_t to_cps(const char *s, int32_t *out, size_t max) {
  size_t n = 0, len = strlen(s);
  for (size_t i = 0; i < len && n < max;)
    i += gk__utf8_decode(s + i, len - i, &out[n++]);
  return n;
}

/* Characters at which two strings of equal length differ, or SIZE_MAX
 * when their lengths differ. */
static size_t substitutions(const char *a, const char *b) {
  int32_t x[128], y[128];
  size_t n = to_cps(a, x, 128), m = to_cps(b, y, 128);
  if (n != m)
    return SIZE_MAX;
  size_t d = 0;
  for (size_t i = 0; i < n; i++)
    d += x[i] != y[i];
  return d;
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
    if (skip_enumerator(found) == found) {
      for (int back = 0; back < LABEL_HEAD_BACK && at > field; back++) {
        const char *q = at - 1;
        while (q > field && ((unsigned char)*q & 0xC0) == 0x80)
          q--;
        if (strchr("0123456789.,)", *q) || gk__str_starts(q, "、"))
          break;
        at = q;
      }
    }
    const char *p = skip_enumerator(at);
    size_t n = 0;
    while (p[n] && !(p[n] >= '0' && p[n] <= '9'))
      n++;
    snprintf(out, cap, "%.*s", (int)n, p);
    return;
  }
}

/* Typos tolerated as such: one substituted character in eight, at least
 * one.  More is a different label, not a typo of this one. */
static bool is_typo(const char *got, const char *want) {
  if (!got[0] || strcmp(got, want) == 0)
    return false;
  size_t d = substitutions(got, want);
  size_t n = gk__str_chars(want);
  size_t limit = n / 8 > 1 ? n / 8 : 1;
  return d != SIZE_MAX && d <= limit;
}

static void row_variants(gk__check *c, const gk__table *tab) {
  const gk__tabledef *def = tab->def;
  for (int i = 0; i < def->n_rows; i++) {
    if (!tab->row_found[i] || !tab->row_label[i])
      continue;
    const gk__rowdef *row = &def->rows[i];
    char fbuf[GK_FOLD_MAX], want[GK_FOLD_MAX], var[GK_FOLD_MAX];
    /* The label as found is the parser's folded text: it mostly folds to
     * itself. */
    const char *found = tab->row_label[i];
    if (!gk__fold_invariant(found, sizeof fbuf)) {
      gk__fold(found, fbuf, sizeof fbuf);
      found = fbuf;
    }
    gk__fold(row->label.text, want, sizeof want);
    if (strcmp(found, want) == 0) /* the same with enumerators too */
      continue;
    const char *got = skip_enumerator(found);
    const char *std = skip_enumerator(want);
    if (strcmp(got, std) == 0)
      continue;
    char *path = gk__arena_printf(&c->r->arena, "%s.%s", def->key, row->key);
    bool listed = false;
    for (int v = 0; row->label.variants && row->label.variants[v]; v++) {
      gk__fold(row->label.variants[v], var, sizeof var);
      if (strcmp(skip_enumerator(var), got) != 0)
        continue;
      listed = true;
      gk__finding(c, GK_R_STRUCTURE_LABEL_VARIANT, tab->row_line[i], path,
                  "%s表格行名写作“%s”，标准名称为“%s”",
                  gk__table_part_name(def->id), row->label.variants[v],
                  row->label.text);
      break;
    }
    if (listed)
      continue;
    /* Not a listed variant: the parser's match may stop short of the
     * source's label (it matches as far as the label agrees), so look at
     * the source line itself. */
    char src[GK_FOLD_MAX];
    label_in_source(c->r, tab->row_line[i], found, src, sizeof src);
    if (is_typo(src, std))
      gk__finding(c, GK_R_STRUCTURE_LABEL_VARIANT, tab->row_line[i], path,
                  "%s表格行名写作“%s”，与标准名称“%s”有个别字不同",
                  gk__table_part_name(def->id), src, row->label.text);
  }
}

/* Occurrences of w in s, not overlapping. */
static size_t count_in(const char *s, const char *w) {
  size_t n = 0, wl = strlen(w);
  if (wl == 0)
    return 0;
  for (const char *p = strstr(s, w); p; p = strstr(p + wl, w))
    n++;
  return n;
}

/* Blanks out every occurrence of w in s with '|' (so that no new words
 * form across the gap). */
static void blank_out(char *s, const char *w) {
  size_t wl = strlen(w);
  if (wl == 0)
    return;
  for (char *p = strstr(s, w); p; p = strstr(p + wl, w))
    memset(p, '|', wl);
}

/* The table's header lines, folded, with every standard label of its
 * header and furniture blanked out, longest first ("法人或其他组织"
 * before "其他"): what is left are the words the standard does not
 * print as they stand. */
static void header_leftovers(const gk_report *r, const gk__table *tab,
                             uint32_t to, char *out, size_t cap) {
  const gk__layout *l = &r->layout;
  const gk__tabledef *def = tab->def;
  size_t k = 0;
  out[0] = '\0';
  for (size_t li = 0; li < l->n_lines; li++) {
    uint32_t no = l->lines[li].lineno;
    if (no >= tab->first_line && no <= to)
      k = gk__line_utf8(r, li, out, cap, k);
  }
  const char *labels[64];
  size_t n = 0;
  for (int i = 0; i < def->n_header_cols && n < 64; i++)
    labels[n++] = def->header_cols[i].label.text;
  for (int i = 0; i < def->n_furniture && n < 64; i++)
    labels[n++] = def->furniture[i].text;
  bool done[64] = {false};
  for (size_t round = 0; round < n; round++) {
    size_t best = n, best_len = 0;
    for (size_t i = 0; i < n; i++) {
      if (!done[i] && strlen(labels[i]) >= best_len) {
        best = i;
        best_len = strlen(labels[i]);
      }
    }
    if (best == n)
      break;
    done[best] = true;
    char f[GK_FOLD_MAX];
    gk__fold(labels[best], f, sizeof f);
    blank_out(out, f);
  }
}

/*
 * Column headers found as a listed variant ("科研" for "科研机构").  A
 * header broken over two lines, as PDF extraction leaves a narrow column
 * ("科研" above "机构"), is found the same way; it is told apart by the
 * rest of the standard label ("机构") standing on its own elsewhere in
 * the header lines.
 */
static void col_variants(gk__check *c, const gk__table *tab) {
  const gk__tabledef *def = tab->def;
  if (!def->header_cols || !tab->col_label)
    return;
  const gk_report *r = c->r;
  const gk__layout *l = &r->layout;
  /* The header: from the table's start to its first row's label. */
  uint32_t to = tab->last_line;
  for (int i = 0; i < def->n_rows; i++) {
    if (tab->row_found[i] && tab->row_label[i] && tab->row_line[i]) {
      to = tab->row_line[i];
      break;
    }
  }
  /* The header's leftovers, made when a column needs them. */
  char header[GK_FOLD_LINE_MAX];
  bool have_header = false;
  char got_list[512], want_list[512];
  got_list[0] = want_list[0] = '\0';
  size_t n_found = 0;
  uint32_t first_line = 0;
  for (int k = 0; k < def->n_header_cols; k++) {
    const gk__coldef *col = &def->header_cols[k];
    if (!tab->col_label[k] || !col->label.variants)
      continue;
    char fbuf[GK_FOLD_MAX], want[GK_FOLD_MAX], var[GK_FOLD_MAX];
    const char *found = tab->col_label[k];
    if (!gk__fold_invariant(found, sizeof fbuf)) {
      gk__fold(found, fbuf, sizeof fbuf);
      found = fbuf;
    }
    gk__fold(col->label.text, want, sizeof want);
    if (strcmp(found, want) == 0)
      continue;
    for (int v = 0; col->label.variants[v]; v++) {
      gk__fold(col->label.variants[v], var, sizeof var);
      if (strcmp(var, found) != 0)
        continue;
      /* The rest of the standard label, when the variant is its head or
       * its tail. */
      char rest[GK_FOLD_MAX];
      rest[0] = '\0';
      size_t wl = strlen(want), vl = strlen(var);
      if (gk__str_starts(want, var))
        snprintf(rest, sizeof rest, "%s", want + vl);
      else if (gk__str_ends(want, wl, var))
        snprintf(rest, sizeof rest, "%.*s", (int)(wl - vl), want);
      if (rest[0] && !have_header) {
        header_leftovers(r, tab, to, header, sizeof header);
        have_header = true;
      }
      if (rest[0] && count_in(header, rest) > 0)
        break; /* a broken header, not a variant */
      size_t gl = strlen(got_list), ml = strlen(want_list);
      snprintf(got_list + gl, sizeof got_list - gl, "“%s”",
               col->label.variants[v]);
      snprintf(want_list + ml, sizeof want_list - ml, "“%s”", col->label.text);
      if (n_found++ == 0) {
        for (size_t li = 0; li < l->n_lines && !first_line; li++) {
          uint32_t no = l->lines[li].lineno;
          char line[GK_FOLD_LINE_MAX];
          if (no < tab->first_line || no > to)
            continue;
          gk__line_utf8(r, li, line, sizeof line, 0);
          if (strstr(line, var))
            first_line = no;
        }
      }
      break;
    }
  }
  if (n_found)
    gk__finding(c, GK_R_STRUCTURE_LABEL_VARIANT,
                first_line ? first_line : tab->first_line, def->key,
                "%s表格列名写作%s，标准名称为%s", gk__table_part_name(def->id),
                got_list, want_list);
}

void gk__rules_structure(gk__check *c) {
  gk_report *r = c->r;
  if (modern(r)) {
    missing_parts(c);
    parts_out_of_order(c);
    parts_repeated(c);
    parts_numerals(c);
    heading_variants(c);
  }
  missing_tables(c);
  outdated_edition(c);
  for (int t = 0; t < GK_N_TABLES; t++) {
    if (!r->tables[t])
      continue;
    row_variants(c, r->tables[t]);
    col_variants(c, r->tables[t]);
  }
}
