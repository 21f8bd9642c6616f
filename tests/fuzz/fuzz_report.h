/*
 * fuzz_report.h - the whole-pipeline check every fuzz target runs after its
 * reader's own checks: gk_read_buffer() either refuses with a known status
 * and no report, or gives a report whose metadata, parts and diagnostics
 * are well formed and which writes as JSON in both layouts.  `format`, when
 * not NULL, is the source.format the bytes must have been read as.
 */
#ifndef GK_FUZZ_REPORT_H
#define GK_FUZZ_REPORT_H

#include <stdlib.h>
#include <string.h>

#include "gongkai.h"

static void check_report(const void *data, size_t size, const char *name,
                         const char *format) {
  gk_report *r = NULL;
  const char *detail = NULL;
  gk_status st = gk_read_buffer(data, size, name, NULL, &r, &detail);
  if (st != GK_OK) {
    if (r != NULL || st >= GK_STATUS_COUNT)
      abort();
    return;
  }
  gk_meta m;
  gk_report_meta(r, &m);
  if (!m.source_format || !m.sha256 || strlen(m.sha256) != 64 ||
      (format && strcmp(m.source_format, format) != 0))
    abort();
  if (m.published && strlen(m.published) != 10)
    abort();
  for (size_t i = 0; i < gk_report_section_count(r); i++) {
    const gk_section *s = gk_report_section(r, i);
    if (!s || s->number < 1 || s->number > 6 || !s->heading || !s->text)
      abort();
  }
  for (size_t i = 0; i < gk_report_diag_count(r); i++) {
    const gk_diag *d = gk_report_diag(r, i);
    if (!d || !d->rule || !d->message)
      abort();
  }
  for (unsigned flags = 0; flags <= GK_JSON_PRETTY; flags += GK_JSON_PRETTY) {
    char *json = NULL;
    size_t len = 0;
    if (gk_report_to_json(r, flags, &json, &len) == GK_OK &&
        (!json || strlen(json) != len))
      abort();
    free(json);
  }
  gk_report_free(r);
}

#endif /* GK_FUZZ_REPORT_H */
