/*
 * parse.c - the parser's entry point: layout to report model.
 *
 * The stages run in an order where each has what it needs: the stream;
 * the part headings (tables are looked for inside their parts); title,
 * year and edition (the edition chooses the table definitions); the
 * tables (which claim their lines); the signature (searched outside the
 * tables); the parts' prose (without the tables and the signature).
 */
#include <string.h>

#include "parse.h"

char *gk__line_text(gk__arena *a, const gk__layout *l, size_t line) {
  const gk__line *ln = &l->lines[line];
  size_t total = 0;
  for (uint32_t i = 0; i < ln->n_runs; i++)
    total += l->runs[ln->first_run + i].len + 1;
  char *out = gk__arena_alloc(a, total + 1);
  if (!out)
    return NULL;
  size_t k = 0;
  for (uint32_t i = 0; i < ln->n_runs; i++) {
    const gk__run *run = &l->runs[ln->first_run + i];
    if (run->len == 0)
      continue;
    if (k > 0)
      out[k++] = ' ';
    memcpy(out + k, run->text, run->len);
    k += run->len;
  }
  out[k] = '\0';
  /* Trim white space, including U+3000 indents and a BOM. */
  size_t a0 = 0, b0 = k;
  while (a0 < b0) {
    int32_t cp;
    size_t n = gk__utf8_decode(out + a0, b0 - a0, &cp);
    if (!gk__is_space(cp) && cp != '\r')
      break;
    a0 += n;
  }
  while (b0 > a0) {
    size_t q = b0 - 1;
    while (q > a0 && ((unsigned char)out[q] & 0xC0) == 0x80)
      q--;
    int32_t cp;
    gk__utf8_decode(out + q, b0 - q, &cp);
    if (!gk__is_space(cp) && cp != '\r')
      break;
    b0 = q;
  }
  memmove(out, out + a0, b0 - a0);
  out[b0 - a0] = '\0';
  return out;
}

gk_status gk__parse_report(gk_report *r) {
  gk__parse p;
  memset(&p, 0, sizeof p);
  p.r = r;
  gk_status st = gk__reflow(r);
  if (st != GK_OK)
    return st;
  st = gk__stream_build(&r->arena, &r->layout, &p.s);
  if (st != GK_OK)
    return st;
  /* The checks read the stream too (model.h). */
  gk__stream *kept = gk__arena_alloc(&r->arena, sizeof *kept);
  if (!kept)
    return GK_ENOMEM;
  *kept = p.s;
  r->stream = kept;
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
  gk__report_sort_diags(r);
  return gk__arena_failed(&r->arena) ? GK_ENOMEM : GK_OK;
}
