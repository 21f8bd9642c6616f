/*
 * fuzz_model.c - the JSON model reader's fuzz target, and the writers.
 *
 * Each input is read by gk_read_model_json(); a model it accepts is
 * checked, written back as JSON, read again (which must succeed), and
 * rendered in every format of gk_report_render(), all of which must
 * succeed: whatever model the reader lets through, the checks and the
 * writers handle.
 *
 * Built two ways (tests/fuzz/CMakeLists.txt): as a libFuzzer program with
 * GK_FUZZ=ON under clang (-dict=tests/fuzz/model.dict, corpus/model/), and
 * always as fuzz_model_replay, which feeds it every file of corpus/model/
 * under ctest.
 */
#include <stdint.h>
#include <stdlib.h>

#include "gongkai.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gk_report *r = NULL;
  const char *detail = NULL;
  if (gk_read_model_json((const char *)data, size, &r, &detail) != GK_OK)
    return 0;
  if (gk_check(r, NULL) != GK_OK)
    abort();
  char *json = NULL;
  size_t len = 0;
  if (gk_report_to_json(r, 0, &json, &len) != GK_OK)
    abort();
  gk_report *again = NULL;
  if (gk_read_model_json(json, len, &again, &detail) != GK_OK)
    abort();
  gk_report_free(again);
  free(json);
  for (int f = GK_RENDER_TXT; f <= GK_RENDER_DOCX; f++) {
    char *out = NULL;
    size_t n = 0;
    if (gk_report_render(r, (gk_render_format)f, &out, &n) != GK_OK)
      abort();
    free(out);
  }
  gk_report_free(r);
  return 0;
}
