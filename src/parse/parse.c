/*
 * parse.c - the parser's entry point: layout to report model.
 *
 * The stages run in an order where each has what it needs: the stream;
 * the part headings (tables are looked for inside their parts); title,
 * year and edition (the edition chooses the table definitions); the
 * tables (which claim their lines); the signature (searched outside the
 * tables); the parts' prose (without the tables and the signature); the
 * text as written that the rules judge (headings, labels, markers and
 * years as printed); and last the prose pass, which reads the facts
 * stated in the parts' prose.  After it the report holds everything the
 * checks read: they never see the layout.
 */
#include <string.h>

#include "prose.h"

char *gk__line_text(gk__arena *a, const gk__layout *l, size_t line) {
  char *out = gk__arena_alloc(a, gk__layout_line_bytes(l, line));
  if (out)
    gk__layout_line_join(l, line, out);
  return out;
}

gk_status gk__parse_report(gk_report *r) {
  gk__parse p;
  memset(&p, 0, sizeof p);
  p.r = r;
  /* Every position in the model is one of this source's. */
  r->has_provenance = true;
  gk_status st = gk__reflow(r);
  if (st == GK_OK)
    st = gk__columns(r);
  if (st != GK_OK)
    return st;
  st = gk__stream_build(&r->arena, &r->layout, &p.s);
  if (st != GK_OK)
    return st;
  p.line_table = gk__arena_alloc(&r->arena, r->layout.n_lines + 1);
  if (!p.line_table)
    return GK_ENOMEM;
  memset(p.line_table, -1, r->layout.n_lines + 1);
  p.sig_first = r->layout.n_lines;
  if ((st = gk__parse_sections(&p)) != GK_OK)
    return st;
  if ((st = gk__parse_meta(&p)) != GK_OK)
    return st;
  /* Neither a title nor a single part heading nor the words 政府信息公开:
   * whatever this text is, it is not an annual report, and its tables are
   * not looked for.  (A report flattened onto one line by a crawler has no
   * headings and no title line but still says what it is; it is read, and
   * the checks report what is missing.) */
  if (r->n_sections == 0 && !r->title) {
    /* Old reports may say 政务公开 throughout and never 政府信息公开. */
    static const char *const words[] = {"信息公开", "政务公开", NULL};
    bool said = false;
    for (int w = 0; words[w] && !said; w++) {
      gk__pattern pat;
      size_t a, b;
      gk__pattern_make(&pat, words[w]);
      said =
          gk__stream_find(&p.s, NULL, 0, p.s.n, &pat, GK_MATCH_EXACT, &a, &b);
    }
    if (!said)
      return GK_ENOTREPORT;
  }
  if ((st = gk__parse_edition(&p)) != GK_OK)
    return st;
  if ((st = gk__parse_tables(&p)) != GK_OK)
    return st;
  if ((st = gk__parse_signature(&p)) != GK_OK)
    return st;
  if ((st = gk__parse_section_text(&p)) != GK_OK)
    return st;
  /* Nothing recognisable at all: not an annual report. */
  bool any_table = false;
  for (int t = 0; t < GK_N_TABLES; t++)
    any_table |= r->tables[t] != NULL;
  if (r->n_sections == 0 && !any_table && r->year == 0 && !r->title)
    return GK_ENOTREPORT;
  if ((st = gk__parse_written(r, &p.s)) != GK_OK)
    return st;
  if ((st = gk__parse_prose(r, &p.s)) != GK_OK)
    return st;
  gk__report_sort_diags(r);
  return gk__arena_failed(&r->arena) ? GK_ENOMEM : GK_OK;
}
