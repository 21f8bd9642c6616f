/*
 * fuzz_docx.c - the DOCX reader's fuzz target.
 *
 * An input that starts like a ZIP archive is a whole .docx; anything else
 * packed into an archive first (stored, by tests/support/zipmem.c) as the
 * body, word/document.xml, and also as word/numbering.xml and
 * word/styles.xml, so that the fuzzer spends its time in the XML, the
 * tables and the list numbers rather than in CRC checks.  The archive is read
 * directly by gk__read_docx(), whose layout must keep the invariants of
 * fuzz_markup.h, and through the whole pipeline, the report walked and
 * written as JSON.
 *
 * Built two ways (tests/fuzz/CMakeLists.txt): as a libFuzzer program with
 * GK_FUZZ=ON under clang (-dict=tests/fuzz/docx.dict, corpus/docx/), and
 * always as fuzz_docx_replay, which feeds it every file of corpus/docx/
 * under ctest.
 */
#include "fuzz_markup.h"
#include "zipmem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *docx = data;
  size_t len = size;
  unsigned char *packed = NULL;
  if (size < 4 || memcmp(data, "PK\3\4", 4) != 0) {
    /* The same bytes as body, list definitions and styles: one input
     * exercises all three parsers. */
    gk_zip_entry e[3] = {{"word/document.xml", data, size, 0, true, NULL, 0},
                         {"word/numbering.xml", data, size, 0, true, NULL, 0},
                         {"word/styles.xml", data, size, 0, true, NULL, 0}};
    packed = gk_zip_build(e, 3, &len);
    if (!packed)
      return 0;
    docx = packed;
  }
  read_direct(gk__read_docx, "docx", docx, len);
  check_report(docx, len, "fuzz.docx", NULL);
  free(packed);
  return 0;
}
