/*
 * fuzz_text.c - the whole-pipeline fuzz target: bytes in, through
 * recognition, encoding conversion, the text reader, the parser and the
 * JSON writer.
 *
 * Built two ways (tests/fuzz/CMakeLists.txt): as a libFuzzer program with
 * GK_FUZZ=ON under clang, and always as fuzz_text_replay, which feeds it
 * every file of the saved corpus under ctest so that each past crash is
 * retested on every build.
 *
 * Besides not crashing, the target checks the API's promises that a
 * fuzzer can see: a failed read leaves no report, a successful one has a
 * well-formed model, and the JSON is as long as it says.  A broken
 * promise aborts, which both the fuzzer and the replay report.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gongkai.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Walks what a report exposes, touching every string, as a writer
 * would. */
static void walk(const gk_report *r) {
  gk_meta m;
  gk_report_meta(r, &m);
  size_t sum = 0;
  if (m.title)
    sum += strlen(m.title);
  if (m.agency)
    sum += strlen(m.agency);
  if (m.published && strlen(m.published) != 10)
    abort();
  if (!m.sha256 || strlen(m.sha256) != 64)
    abort();
  size_t n = gk_report_section_count(r);
  for (size_t i = 0; i < n; i++) {
    const gk_section *s = gk_report_section(r, i);
    if (!s || s->number < 1 || s->number > 6)
      abort();
    sum += s->heading ? strlen(s->heading) : 0;
    sum += s->text ? strlen(s->text) : 0;
  }
  if (gk_report_section(r, n))
    abort();
  n = gk_report_diag_count(r);
  for (size_t i = 0; i < n; i++) {
    const gk_diag *d = gk_report_diag(r, i);
    if (!d || !d->rule || !d->message)
      abort();
    sum += strlen(d->rule) + strlen(d->message);
    sum += d->path ? strlen(d->path) : 0;
  }
  if (gk_report_diag(r, n))
    abort();
  int64_t v;
  int scale;
  (void)gk_report_cell(r, "applications.received.natural_person", &v, &scale);
  (void)gk_report_cell(r, "proactive.licensing", &v, &scale);
  (void)sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gk_report *r = NULL;
  const char *detail = NULL;
  gk_status st = gk_read_buffer(data, size, "fuzz", NULL, &r, &detail);
  if (st != GK_OK) {
    if (r != NULL || st >= GK_STATUS_COUNT)
      abort();
    return 0;
  }
  if (!r)
    abort();
  walk(r);
  for (unsigned flags = 0; flags <= GK_JSON_PRETTY; flags += GK_JSON_PRETTY) {
    char *json = NULL;
    size_t len = 0;
    if (gk_report_to_json(r, flags, &json, &len) == GK_OK) {
      if (!json || strlen(json) != len)
        abort();
    }
    free(json);
  }
  gk_report_free(r);
  return 0;
}
