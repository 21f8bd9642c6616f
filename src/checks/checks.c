/*
 * checks.c - gk_check() and the finding helpers
 * shared by the rule families (see checks.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"

static gk_diag *vfinding(gk__check *c, gk__rule rule, gk_severity sev,
                         uint32_t line, const char *path, const char *fmt,
                         va_list ap) {
  char msg[1024];
  int n = vsnprintf(msg, sizeof msg, fmt, ap);
  if (n < 0)
    return NULL;
  /* Messages are one sentence; a longer one is cut at a character
   * boundary rather than dropped. */
  if ((size_t)n >= sizeof msg) {
    /* vsnprintf() stopped at sizeof msg - 1 bytes, maybe inside a
     * character: back to the start of the last one, kept only when it is
     * whole (issue 15: a cut character made gongkai's JSON unreadable to
     * its own model reader). */
    size_t end = sizeof msg - 1, k = end;
    while (k > 0 && ((unsigned char)msg[k - 1] & 0xC0) == 0x80)
      k--;
    if (k > 0) {
      unsigned char lead = (unsigned char)msg[k - 1];
      size_t need = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
      if ((k - 1) + need > end)
        end = k - 1;
    }
    msg[end] = '\0';
  }
  const char *p = path ? gk__arena_strdup(&c->r->arena, path) : NULL;
  return gk__diag_add(c->r, gk__rule_info(rule)->id, sev, line, p, "%s", msg);
}

gk_diag *gk__finding(gk__check *c, gk__rule rule, uint32_t line,
                     const char *path, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  gk_diag *d =
      vfinding(c, rule, gk__rule_info(rule)->severity, line, path, fmt, ap);
  va_end(ap);
  return d;
}

gk_diag *gk__finding_sev(gk__check *c, gk__rule rule, gk_severity sev,
                         uint32_t line, const char *path, const char *fmt,
                         ...) {
  va_list ap;
  va_start(ap, fmt);
  gk_diag *d = vfinding(c, rule, sev, line, path, fmt, ap);
  va_end(ap);
  return d;
}

bool gk__has_finding(const gk_report *r, gk__rule rule) {
  const char *rule_id = gk__rule_info(rule)->id;
  for (size_t i = 0; i < r->n_diags; i++)
    if (strcmp(r->diags[i].rule, rule_id) == 0)
      return true;
  return false;
}

const gk__cell *gk__cell_at(const gk_report *r, gk__table_id t, int row,
                            int col) {
  const gk__table *tab = r->tables[t];
  if (!tab || row < 0 || row >= tab->def->n_rows || col < 0 ||
      col >= tab->def->rows[row].n_cols)
    return NULL;
  return gk__table_cell(tab, row, col);
}

void gk_report_diag_counts(const gk_report *r, size_t *errors, size_t *warnings,
                           size_t *notes) {
  size_t e = 0, w = 0, n = 0;
  for (size_t i = 0; i < r->n_diags; i++) {
    switch (r->diags[i].severity) {
    case GK_SEV_ERROR:
      e++;
      break;
    case GK_SEV_WARNING:
      w++;
      break;
    default:
      n++;
    }
  }
  if (errors)
    *errors = e;
  if (warnings)
    *warnings = w;
  if (notes)
    *notes = n;
}

gk_body_kind gk_report_body_kind(const gk_report *r) {
  gk_body_kind k = gk__body_kind(r->agency);
  if (k == GK_BODY_UNKNOWN && r->title)
    k = gk__body_kind(r->title);
  return k;
}

const char *gk_body_kind_name(gk_body_kind kind) {
  switch (kind) {
  case GK_BODY_TOWNSHIP:
    return "township";
  case GK_BODY_COUNTY_GOV:
    return "county-government";
  case GK_BODY_CITY_GOV:
    return "city-government";
  case GK_BODY_PROVINCE_GOV:
    return "province-government";
  case GK_BODY_DEPARTMENT:
    return "department";
  case GK_BODY_NATIONAL_DEPT:
    return "national-department";
  default:
    return "unknown";
  }
}

const char *gk_body_kind_label(gk_body_kind kind) {
  switch (kind) {
  case GK_BODY_TOWNSHIP:
    return "乡镇、街道";
  case GK_BODY_COUNTY_GOV:
    return "县级人民政府";
  case GK_BODY_CITY_GOV:
    return "设区的市级人民政府";
  case GK_BODY_PROVINCE_GOV:
    return "省级人民政府";
  case GK_BODY_DEPARTMENT:
    return "地方政府部门";
  case GK_BODY_NATIONAL_DEPT:
    return "国务院部门";
  default:
    return "未知";
  }
}

static bool same_str(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

/* Drops a finding that repeats one before it (rule, severity, line and
 * message; the first one's path stays): the same line is never printed
 * twice, as when one source row fills several model rows.  The diagnostics
 * are sorted by line, so repeats lie among the run of their line. */
static void drop_repeats(gk_report *r) {
  size_t out = 0, run = 0; /* run: where the current line's findings start */
  for (size_t i = 0; i < r->n_diags; i++) {
    const gk_diag *d = &r->diags[i];
    if (out > 0 && r->diags[out - 1].line != d->line)
      run = out;
    bool repeat = false;
    for (size_t j = run; j < out && !repeat; j++) {
      const gk_diag *e = &r->diags[j];
      repeat = e->line == d->line && e->severity == d->severity &&
               same_str(e->rule, d->rule) && same_str(e->message, d->message);
    }
    if (!repeat)
      r->diags[out++] = *d;
  }
  r->n_diags = out;
}

gk_status gk_check(gk_report *r, const gk_check_options *opts) {
  if (!r)
    return GK_EINVAL;
  if (r->checked)
    return GK_OK;
  gk__check c;
  memset(&c, 0, sizeof c);
  c.r = r;
  if (opts)
    c.opts = *opts;
  if (c.opts.township_deadline_month <= 0 ||
      c.opts.township_deadline_month > 12 ||
      c.opts.township_deadline_day <= 0 || c.opts.township_deadline_day > 31) {
    c.opts.township_deadline_month = 1;
    c.opts.township_deadline_day = 31;
  }
  c.prev = c.opts.prev;
  c.body = gk_report_body_kind(r);
  r->checked = true;
  gk__rules_structure(&c);
  gk__rules_meta(&c);
  gk__rules_cell(&c);
  gk__rules_arith(&c);
  gk__rules_text(&c);
  if (c.prev)
    gk__rules_history(&c);
  gk__report_sort_diags(r);
  drop_repeats(r);
  if (!gk__arena_failed(&r->arena))
    return GK_OK;
  return r->arena.capped ? GK_ELIMIT : GK_ENOMEM;
}
