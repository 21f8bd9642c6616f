/*
 * write_findings.c - diagnostics as a compiler prints them:
 *
 *   000_a3d65fa0cba60296.txt:121: error: 第四部分“行政复议”5 个单元格为空（应填
 * 0） [cell.blank]
 *
 * so that editors and reviewers' tools that understand compiler output
 * (jump to line, grep by rule) work on reports too.  The location is what
 * a person can open: the line of a text, Markdown or DOCX report, the page
 * of a PDF ("002.pdf:第3页:"), and for an HTML page the visible text of
 * the line, as a browser's Find locates it ("report.html:“（二）部分公开”:").
 * With GK_FINDINGS_EXCERPT each finding is followed by the source text at
 * it, indented, as compilers quote the line ("    | 1.属于国家秘密 0 0 …").
 * Colour is optional and only for terminals; the CLI decides.
 */
#include <string.h>

#include "model.h"
#include "writers/findings.h"

/* Characters of an HTML finding's visible text: 24.  A table row's label
 * ("（二）部分公开") or a paragraph's first words are enough to find the
 * spot with the browser's Find; a whole paragraph would bury the
 * message. */
#define GK_HTML_LOCATION_MAX_CHARS 24

#define GK_MAX_FINDINGS_BYTES ((size_t)64 << 20)

static const char *colour(gk_severity s) {
  switch (s) {
  case GK_SEV_ERROR:
    return "\033[1;31m";
  case GK_SEV_WARNING:
    return "\033[1;35m";
  default:
    return "\033[1;36m";
  }
}

/* The layout line numbered `lineno`, or SIZE_MAX.  Lines are numbered in
 * order (never going down), so a binary search finds the first. */
static size_t layout_line(const gk__layout *l, uint32_t lineno) {
  if (lineno == 0 || !l->lines || l->n_lines == 0)
    return SIZE_MAX;
  if (lineno <= l->n_lines && l->lines[lineno - 1].lineno == lineno)
    return lineno - 1;
  size_t lo = 0, hi = l->n_lines;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (l->lines[mid].lineno < lineno)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < l->n_lines && l->lines[lo].lineno == lineno ? lo : SIZE_MAX;
}

/* Copies the runs [first, first + n) of a layout into buf as one string:
 * runs joined by a space, white space collapsed and trimmed, cut after
 * max_chars characters with "…".  buf holds max_chars * 4 + 8 bytes.
 * Returns the length. */
static size_t runs_text(const gk__layout *l, size_t first, size_t n,
                        size_t max_chars, char *buf) {
  size_t k = 0, chars = 0;
  bool space = false, cut = false;
  for (size_t i = 0; i < n && !cut; i++) {
    const gk__run *run = &l->runs[first + i];
    space = space || k > 0;
    for (size_t j = 0; j < run->len;) {
      int32_t cp;
      size_t m = gk__utf8_decode(run->text + j, run->len - j, &cp);
      if (gk__is_space(cp) || cp == '\r' || cp == '\n' || cp == 0xFEFF) {
        space = k > 0;
        j += m;
        continue;
      }
      if (chars + (space ? 1 : 0) + 1 > max_chars) {
        cut = true;
        break;
      }
      if (space) {
        buf[k++] = ' ';
        chars++;
        space = false;
      }
      memcpy(buf + k, run->text + j, m);
      k += m;
      chars++;
      j += m;
    }
  }
  if (cut) {
    memcpy(buf + k, "…", strlen("…"));
    k += strlen("…");
  }
  buf[k] = '\0';
  return k;
}

size_t gk__diag_excerpt(const gk_report *r, const gk_diag *d, char *buf) {
  buf[0] = '\0';
  size_t li = layout_line(&r->layout, d->line);
  if (li == SIZE_MAX)
    return 0;
  const gk__line *ln = &r->layout.lines[li];
  return runs_text(&r->layout, ln->first_run, ln->n_runs, GK_EXCERPT_MAX_CHARS,
                   buf);
}

/* Whether a table cell holds a value rather than a label: two characters
 * or fewer ("0", "无", "/"), or ASCII only ("1,163", "0.35"). */
static bool value_like(const gk__run *run) {
  size_t chars = 0;
  bool ascii = true;
  for (size_t j = 0; j < run->len;) {
    int32_t cp;
    j += gk__utf8_decode(run->text + j, run->len - j, &cp);
    if (gk__is_space(cp))
      continue;
    chars++;
    ascii = ascii && cp < 0x80;
  }
  return chars <= 2 || ascii;
}

/* The label of layout line li: the last cell before the first value
 * ("1.本机关不掌握相关政府信息", not the group "（四）无法提供" that spans
 * rows beside it), or a paragraph's one run; SIZE_MAX when the line
 * starts with a value (a row of numbers whose labels are in the header
 * rows above) or has no text. */
static size_t line_label(const gk__layout *l, size_t li) {
  const gk__line *ln = &l->lines[li];
  size_t label = SIZE_MAX;
  for (uint32_t k = 0; k < ln->n_runs; k++) {
    const gk__run *run = &l->runs[ln->first_run + k];
    if (run->len == 0)
      continue;
    if (value_like(run) && (label != SIZE_MAX || ln->n_runs > 1))
      break;
    label = ln->first_run + k;
  }
  return label;
}

/* The visible text an HTML finding names: its line's label (above), else
 * the heading of the part the line is in ("四、政府信息公开行政复议、行政
 * 诉讼情况" for table 4's row of numbers).  0 when there is none. */
static size_t html_location(const gk_report *r, uint32_t line, char *buf) {
  size_t li = layout_line(&r->layout, line);
  buf[0] = '\0';
  if (li == SIZE_MAX)
    return 0;
  size_t label = line_label(&r->layout, li);
  if (label != SIZE_MAX)
    return runs_text(&r->layout, label, 1, GK_HTML_LOCATION_MAX_CHARS, buf);
  const gk__section *part = NULL;
  for (size_t i = 0; i < r->n_sections; i++)
    if (r->sections[i].pub.line && r->sections[i].pub.line <= line &&
        (!part || r->sections[i].pub.line > part->pub.line))
      part = &r->sections[i];
  size_t hi = part ? layout_line(&r->layout, part->pub.line) : SIZE_MAX;
  if (hi == SIZE_MAX)
    return 0;
  const gk__line *hl = &r->layout.lines[hi];
  return runs_text(&r->layout, hl->first_run, hl->n_runs,
                   GK_HTML_LOCATION_MAX_CHARS, buf);
}

gk_status gk_report_findings_text(const gk_report *r, unsigned flags,
                                  char **out, size_t *len) {
  if (!r || !out)
    return GK_EINVAL;
  *out = NULL;
  bool col = (flags & GK_FINDINGS_COLOR) != 0;
  bool excerpt = (flags & GK_FINDINGS_EXCERPT) != 0;
  bool html = r->source_format && strcmp(r->source_format, "html") == 0;
  char text[GK_EXCERPT_BYTES];
  gk__buf b;
  gk__buf_init(&b, GK_MAX_FINDINGS_BYTES);
  gk_status st = GK_OK;
  for (size_t i = 0; i < r->n_diags && st == GK_OK; i++) {
    const gk_diag *d = &r->diags[i];
    if (col)
      st = gk__buf_puts(&b, "\033[1m");
    if (st == GK_OK)
      st = gk__buf_puts(&b, r->source_name);
    /* A PDF's page is what a person can open; its lines are the
     * extracted text's. */
    if (st == GK_OK && d->page)
      st = gk__buf_printf(&b, ":第%u页", d->page);
    else if (st == GK_OK && html && html_location(r, d->line, text))
      st = gk__buf_printf(&b, ":“%s”", text);
    else if (st == GK_OK && d->line)
      st = gk__buf_printf(&b, ":%u", d->line);
    if (st == GK_OK)
      st = gk__buf_puts(&b, col ? ":\033[0m " : ": ");
    if (st == GK_OK && col)
      st = gk__buf_puts(&b, colour(d->severity));
    if (st == GK_OK)
      st = gk__buf_puts(&b, gk_severity_name(d->severity));
    if (st == GK_OK)
      st = gk__buf_puts(&b, col ? ":\033[0m " : ": ");
    if (st == GK_OK)
      st = gk__buf_printf(&b, "%s [%s]\n", d->message, d->rule);
    if (st == GK_OK && excerpt && gk__diag_excerpt(r, d, text))
      st = gk__buf_printf(&b, "    | %s\n", text);
  }
  if (st != GK_OK) {
    gk__buf_free(&b);
    return st == GK_ETOOBIG ? GK_ELIMIT : st;
  }
  if (!b.data && (st = gk__buf_puts(&b, "")) != GK_OK)
    return st;
  *out = gk__buf_detach(&b, len);
  return GK_OK;
}
