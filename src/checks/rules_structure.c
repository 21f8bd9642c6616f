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

#include "base/fold.h"
#include "checks.h"

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

/* A row label's enumerator: never a bare numeral, as labels may start
 * with one ("三类…"). */
static const char *skip_enumerator(const char *s) {
  return gk__skip_enum(s, false);
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
  const char *w = gk__skip_enum(f, true);
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

/* A part's heading written again on another line (recorded by the
 * parser's written pass).  The parser keeps the first; a second copy of
 * exactly the same line is the repeat. */
static void parts_repeated(gk__check *c) {
  const gk_report *r = c->r;
  size_t n_want = r->n_sections < 6 ? r->n_sections : 6;
  for (size_t i = 0; i < n_want; i++) {
    const gk__section *s = &r->sections[i];
    if (s->repeated)
      gk__finding(c, GK_R_STRUCTURE_PART_ORDER, s->repeat_line, NULL,
                  "第%s部分的标题“%s”重复出现（第 %u 行已有）",
                  numeral_name(s->pub.number), s->pub.heading, s->pub.line);
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
    if (strcmp(got, gk__format_fold(std, want, sizeof want)) == 0)
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

static void outdated_edition(gk__check *c) {
  const gk_report *r = c->r;
  if (r->edition != GK_EDITION_2019 || r->year < 2021)
    return;
  /* Name the first 2019-only marker the text prints, where it prints it
   * (recorded by the parser's written pass). */
  if (r->edition_marker >= 0) {
    gk__finding(c, GK_R_STRUCTURE_OUTDATED_EDITION, r->edition_marker_line,
                NULL,
                "%d 年度报告的表格仍使用 2019 年试行格式（如“%s”），应使用 "
                "2021 年格式（国办公开办函〔2021〕30号）",
                r->year, gk__edition_2019.markers[r->edition_marker]);
    return;
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
    char fbuf[GK_FOLD_MAX], wbuf[GK_FOLD_MAX], vbuf[GK_FOLD_MAX];
    /* The label as found is the parser's folded text: mostly the standard
     * one. */
    const char *want = gk__format_fold(row->label.text, wbuf, sizeof wbuf);
    const char *found =
        gk__fold_unless(tab->row_label[i], want, fbuf, sizeof fbuf);
    if (!found) /* the same with enumerators too */
      continue;
    const char *got = skip_enumerator(found);
    const char *std = skip_enumerator(want);
    if (strcmp(got, std) == 0)
      continue;
    char *path = gk__arena_printf(&c->r->arena, "%s.%s", def->key, row->key);
    bool listed = false;
    for (int v = 0; row->label.variants && row->label.variants[v]; v++) {
      const char *var =
          gk__format_fold(row->label.variants[v], vbuf, sizeof vbuf);
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
     * the label as its line prints it (the parser's written pass). */
    const char *src =
        tab->row_printed && tab->row_printed[i] ? tab->row_printed[i] : "";
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
static void header_leftovers(const gk__table *tab, char *out, size_t cap) {
  const gk__tabledef *def = tab->def;
  snprintf(out, cap, "%s", tab->header_text ? tab->header_text : "");
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
    blank_out(out, gk__format_fold(labels[best], f, sizeof f));
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
  /* The header: from the table's start to its first row's label, as the
   * parser's written pass recorded it. */
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
    char fbuf[GK_FOLD_MAX], wbuf[GK_FOLD_MAX], vbuf[GK_FOLD_MAX];
    const char *want = gk__format_fold(col->label.text, wbuf, sizeof wbuf);
    const char *found =
        gk__fold_unless(tab->col_label[k], want, fbuf, sizeof fbuf);
    if (!found)
      continue;
    for (int v = 0; col->label.variants[v]; v++) {
      const char *var =
          gk__format_fold(col->label.variants[v], vbuf, sizeof vbuf);
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
        header_leftovers(tab, header, sizeof header);
        have_header = true;
      }
      if (rest[0] && count_in(header, rest) > 0)
        break; /* a broken header, not a variant */
      size_t gl = strlen(got_list), ml = strlen(want_list);
      snprintf(got_list + gl, sizeof got_list - gl, "“%s”",
               col->label.variants[v]);
      snprintf(want_list + ml, sizeof want_list - ml, "“%s”", col->label.text);
      if (n_found++ == 0) {
        for (size_t li = 0; li < tab->n_header_lines && !first_line; li++)
          if (strstr(tab->header_line_text[li], var))
            first_line = tab->header_lineno[li];
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
