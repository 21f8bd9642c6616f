/*
 * harness.h - gongkai's in-house unit test harness, in the manner of
 * libuv's test/task.h and cmark's api_test/harness.
 *
 * A test file defines its tests with TEST(name), lists them in a table and
 * ends with GK_TEST_MAIN:
 *
 *     TEST(arena_alignment) {
 *       CHECK_INT_EQ(1 + 1, 2);
 *     }
 *
 *     static const gk_test gk_tests[] = {
 *       TEST_ENTRY(arena_alignment),
 *     };
 *     GK_TEST_MAIN(gk_tests)
 *
 * A test left out of the table is a static function nobody calls, which
 * -Wunused-function (in -Wall) reports, so a forgotten entry fails the
 * -Werror build instead of silently never running.
 *
 * Checks do not stop the test: each failing check prints where it is, the
 * expression and both values, and marks the test failed; the test goes on
 * so that one run shows every broken check.  Every check is an expression
 * whose value is true when it passed, so a test that cannot go on can say
 *
 *     if (!CHECK_NOT_NULL(p))
 *       return;
 *
 * The program runs every test, or only those named on the command line
 * (`--list` prints the names), and ends with exactly one line
 * "N passed, N failed" counting tests.  It exits 1 if any test failed and
 * 2 on a usage error (an unknown test name).
 *
 * Everything here is static: the header is included by exactly one file
 * of each test program.
 */
#ifndef GK_TEST_HARNESS_H
#define GK_TEST_HARNESS_H

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gongkai.h"

typedef struct gk_test {
  const char *name;
  void (*fn)(void);
} gk_test;

#define TEST(name) static void test_##name(void)
#define TEST_ENTRY(name)                                                       \
  { #name, test_##name }

/* Failed checks in the test now running. */
static int gk_test_failed_checks;
/* The name of the test now running, for failure messages. */
static const char *gk_test_current = "";

/* A small deterministic generator (xorshift32) for the tests that
 * compare a fast path with its general one on generated inputs: the same
 * inputs on every run. */
static inline uint32_t next_rand(uint32_t *state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

static inline void gk_test_fail_head(const char *file, int line,
                                     const char *what) {
  gk_test_failed_checks++;
  fprintf(stdout, "%s:%d: %s: check failed: %s\n", file, line, gk_test_current,
          what);
}

static inline bool gk_test_true(const char *file, int line, const char *expr,
                                bool ok) {
  if (!ok)
    gk_test_fail_head(file, line, expr);
  return ok;
}

static inline bool gk_test_int_eq(const char *file, int line,
                                  const char *a_expr, const char *b_expr,
                                  intmax_t a, intmax_t b) {
  if (a == b)
    return true;
  gk_test_fail_head(file, line, "CHECK_INT_EQ");
  fprintf(stdout, "  %s == %jd\n  %s == %jd\n", a_expr, a, b_expr, b);
  return false;
}

static inline bool gk_test_uint_eq(const char *file, int line,
                                   const char *a_expr, const char *b_expr,
                                   uintmax_t a, uintmax_t b) {
  if (a == b)
    return true;
  gk_test_fail_head(file, line, "CHECK_UINT_EQ");
  fprintf(stdout, "  %s == %ju (0x%jx)\n  %s == %ju (0x%jx)\n", a_expr, a, a,
          b_expr, b, b);
  return false;
}

/* Prints a string for a failure message: quoted, with control and non-ASCII
 * bytes left as they are (the terminal shows the Chinese), NULL as NULL. */
static inline void gk_test_print_str(const char *expr, const char *s) {
  if (s)
    fprintf(stdout, "  %s == \"%s\"\n", expr, s);
  else
    fprintf(stdout, "  %s == NULL\n", expr);
}

static inline bool gk_test_str_eq(const char *file, int line,
                                  const char *a_expr, const char *b_expr,
                                  const char *a, const char *b) {
  if (a == b || (a && b && strcmp(a, b) == 0))
    return true;
  gk_test_fail_head(file, line, "CHECK_STR_EQ");
  gk_test_print_str(a_expr, a);
  gk_test_print_str(b_expr, b);
  return false;
}

static inline bool gk_test_str_prefix(const char *file, int line,
                                      const char *s_expr, const char *s,
                                      const char *prefix) {
  if (s && strncmp(s, prefix, strlen(prefix)) == 0)
    return true;
  gk_test_fail_head(file, line, "CHECK_STR_PREFIX");
  gk_test_print_str(s_expr, s);
  fprintf(stdout, "  expected to start with \"%s\"\n", prefix);
  return false;
}

static inline void gk_test_print_mem(const char *expr, const void *p,
                                     size_t len) {
  const unsigned char *u = p;
  fprintf(stdout, "  %s (%zu bytes) ==", expr, len);
  if (!p) {
    fprintf(stdout, " NULL\n");
    return;
  }
  for (size_t i = 0; i < len && i < 64; i++)
    fprintf(stdout, " %02x", u[i]);
  fprintf(stdout, "%s\n", len > 64 ? " ..." : "");
}

static inline bool gk_test_mem_eq(const char *file, int line,
                                  const char *a_expr, const char *b_expr,
                                  const void *a, size_t a_len, const void *b,
                                  size_t b_len) {
  if (a_len == b_len && (a_len == 0 || (a && b && memcmp(a, b, a_len) == 0)))
    return true;
  gk_test_fail_head(file, line, "CHECK_MEM_EQ");
  gk_test_print_mem(a_expr, a, a_len);
  gk_test_print_mem(b_expr, b, b_len);
  return false;
}

static inline bool gk_test_status(const char *file, int line,
                                  const char *expected_expr,
                                  const char *actual_expr, gk_status expected,
                                  gk_status actual) {
  if (expected == actual)
    return true;
  gk_test_fail_head(file, line, "CHECK_STATUS");
  fprintf(stdout, "  expected %s == %s (%d)\n  actual   %s == %s (%d)\n",
          expected_expr, gk_status_name(expected), (int)expected, actual_expr,
          gk_status_name(actual), (int)actual);
  return false;
}

/* The checks.  Each evaluates its arguments once. */
#define CHECK_TRUE(e) gk_test_true(__FILE__, __LINE__, #e, (e) ? true : false)
#define CHECK_FALSE(e)                                                         \
  gk_test_true(__FILE__, __LINE__, "!(" #e ")", (e) ? false : true)
#define CHECK_NULL(p)                                                          \
  gk_test_true(__FILE__, __LINE__, #p " == NULL", (p) == NULL)
#define CHECK_NOT_NULL(p)                                                      \
  gk_test_true(__FILE__, __LINE__, #p " != NULL", (p) != NULL)
#define CHECK_INT_EQ(a, b)                                                     \
  gk_test_int_eq(__FILE__, __LINE__, #a, #b, (intmax_t)(a), (intmax_t)(b))
#define CHECK_UINT_EQ(a, b)                                                    \
  gk_test_uint_eq(__FILE__, __LINE__, #a, #b, (uintmax_t)(a), (uintmax_t)(b))
#define CHECK_STR_EQ(a, b) gk_test_str_eq(__FILE__, __LINE__, #a, #b, (a), (b))
#define CHECK_STR_PREFIX(s, prefix)                                            \
  gk_test_str_prefix(__FILE__, __LINE__, #s, (s), (prefix))
#define CHECK_MEM_EQ(a, a_len, b, b_len)                                       \
  gk_test_mem_eq(__FILE__, __LINE__, #a, #b, (a), (a_len), (b), (b_len))
#define CHECK_STATUS(expected, actual)                                         \
  gk_test_status(__FILE__, __LINE__, #expected, #actual, (expected), (actual))

static inline int gk_test_run(const gk_test *tests, size_t n_tests, int argc,
                              char **argv) {
  if (argc > 1 && strcmp(argv[1], "--list") == 0) {
    for (size_t i = 0; i < n_tests; i++)
      printf("%s\n", tests[i].name);
    return 0;
  }
  /* Every name asked for must exist: a typo must not pass as "0 failed". */
  for (int k = 1; k < argc; k++) {
    size_t i = 0;
    while (i < n_tests && strcmp(tests[i].name, argv[k]) != 0)
      i++;
    if (i == n_tests) {
      fprintf(stdout, "%s: no test named %s (try --list)\n", argv[0], argv[k]);
      return 2;
    }
  }
  int passed = 0, failed = 0;
  for (size_t i = 0; i < n_tests; i++) {
    if (argc > 1) {
      int k = 1;
      while (k < argc && strcmp(tests[i].name, argv[k]) != 0)
        k++;
      if (k == argc)
        continue;
    }
    gk_test_current = tests[i].name;
    gk_test_failed_checks = 0;
    tests[i].fn();
    if (gk_test_failed_checks == 0) {
      passed++;
      printf("ok   %s\n", tests[i].name);
    } else {
      failed++;
      printf("FAIL %s (%d failed check%s)\n", tests[i].name,
             gk_test_failed_checks, gk_test_failed_checks == 1 ? "" : "s");
    }
    fflush(stdout);
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

#define GK_TEST_MAIN(table)                                                    \
  int main(int argc, char **argv) {                                            \
    return gk_test_run(table, sizeof(table) / sizeof(table)[0], argc, argv);   \
  }

#endif /* GK_TEST_HARNESS_H */
