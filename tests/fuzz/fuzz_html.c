/*
 * fuzz_html.c - the HTML reader's fuzz target.
 *
 * Each input is read twice: directly by gk__read_html(), whose layout must
 * keep the invariants of fuzz_markup.h, and through the whole pipeline
 * with "<html>" in front, so that recognition picks the HTML reader, the
 * report walked and written as JSON.
 *
 * Built two ways (tests/fuzz/CMakeLists.txt): as a libFuzzer program with
 * GK_FUZZ=ON under clang (-dict=tests/fuzz/html.dict, corpus/html/), and
 * always as fuzz_html_replay, which feeds it every file of corpus/html/
 * under ctest.
 */
#include "fuzz_markup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  read_direct(gk__read_html, "html", data, size);
  static const char prefix[] = "<html>";
  size_t n = sizeof prefix - 1;
  char *buf = malloc(n + size);
  if (!buf)
    return 0;
  memcpy(buf, prefix, n);
  if (size)
    memcpy(buf + n, data, size);
  check_report(buf, n + size, "fuzz.html", NULL);
  free(buf);
  return 0;
}
