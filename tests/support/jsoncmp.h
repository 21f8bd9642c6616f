/*
 * jsoncmp.h - structural comparison of a report's JSON with expected JSON,
 * shared by the golden and seeds suites.
 *
 * Rules (so that expected files can be written by hand, by reading the
 * source report):
 * - Only members present in `expected` are compared; members the expected
 *   object omits (source.sha256, source.bytes, ...) are ignored.
 * - Numbers compare by value (0 == 0.0); null only equals null.
 * - A member named "text" compares with all white space removed on both
 *   sides (paragraph breaks are not part of the assertion).
 * - Arrays compare element by element and must have the same length,
 *   except "diagnostics": there the expected entries are objects with
 *   "rule" and optional "path"; every actual diagnostic whose rule starts
 *   with "cell." or "structure.missing-" must be expected, and every
 *   expected entry must be present in the actual list (as a multiset of
 *   (rule, path)).
 * Each difference is reported through `report` with a dotted path, the
 * expected and the actual value, as text.
 */
#ifndef GK_TEST_JSONCMP_H
#define GK_TEST_JSONCMP_H

#include <jansson.h>

typedef void (*gk_jsoncmp_report)(void *ctx, const char *path,
                                  const char *expected, const char *actual);

/* Returns the number of differences (0: equal under the rules above). */
int gk_jsoncmp(const json_t *expected, const json_t *actual,
               gk_jsoncmp_report report, void *ctx);

#endif
