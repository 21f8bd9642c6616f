/*
 * write_findings.c - diagnostics as a compiler prints them:
 *
 *   000_a3d65fa0cba60296.txt:121: error: 第四部分“行政复议”5 个单元格为空（应填
 * 0） [cell.blank]
 *
 * so that editors and reviewers' tools that understand compiler output
 * (jump to line, grep by rule) work on reports too.  Colour is optional
 * and only for terminals; the CLI decides.
 */
#include <string.h>

#include "model.h"

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

gk_status gk_report_findings_text(const gk_report *r, unsigned flags,
                                  char **out, size_t *len) {
  if (!r || !out)
    return GK_EINVAL;
  *out = NULL;
  bool col = (flags & GK_FINDINGS_COLOR) != 0;
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
