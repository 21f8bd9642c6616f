/*
 * jsoncmp_test.c - self-test of gk_jsoncmp(), the comparison the golden and
 * seeds suites rely on.  If the comparison were wrong, those suites would
 * pass or fail for the wrong reason, so each rule of jsoncmp.h is checked
 * here on small documents: ignored members, numbers, null, "text", arrays,
 * and the diagnostics multiset.  Ends with "N passed, N failed".
 */
#include "jsoncmp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int n_passed, n_failed;

/* What the report callback saw: the number of calls and the first
 * difference, for checks on its path and text. */
typedef struct seen {
  int calls;
  char path[256];
  char expected[256];
  char actual[256];
} seen;

static void record(void *ctx, const char *path, const char *expected,
                   const char *actual) {
  seen *s = ctx;
  if (s->calls++ == 0) {
    snprintf(s->path, sizeof s->path, "%s", path);
    snprintf(s->expected, sizeof s->expected, "%s", expected);
    snprintf(s->actual, sizeof s->actual, "%s", actual);
  }
  if (getenv("JSONCMP_TEST_VERBOSE"))
    printf("    %s: expected %s, actual %s\n", path, expected, actual);
}

static json_t *parse(const char *text) {
  json_error_t err;
  json_t *v = json_loads(text, JSON_DECODE_ANY, &err);
  if (!v) {
    fprintf(stderr, "bad test JSON (%s): %s\n", err.text, text);
    exit(2);
  }
  return v;
}

/* Compares two JSON texts; checks the number of differences and, when
 * `path` is not NULL, the path of the first.  Returns nothing: the outcome
 * is counted. */
static void expect_diffs(const char *name, const char *expected,
                         const char *actual, int want, const char *path) {
  json_t *e = parse(expected);
  json_t *a = parse(actual);
  seen s = {0};
  int got = gk_jsoncmp(e, a, record, &s);
  int ok = got == want && got == s.calls &&
           (!path || (s.calls > 0 && strcmp(s.path, path) == 0));
  if (ok) {
    n_passed++;
  } else {
    n_failed++;
    printf("FAIL %s: want %d difference(s)%s%s, got %d (%d reported)", name,
           want, path ? " at " : "", path ? path : "", got, s.calls);
    if (s.calls)
      printf("; first at %s: expected %s, actual %s", s.path, s.expected,
             s.actual);
    printf("\n");
  }
  json_decref(e);
  json_decref(a);
}

/* Checks the text the callback receives for the first difference. */
static void expect_report(const char *name, const char *expected,
                          const char *actual, const char *path,
                          const char *want_expected, const char *want_actual) {
  json_t *e = parse(expected);
  json_t *a = parse(actual);
  seen s = {0};
  gk_jsoncmp(e, a, record, &s);
  if (s.calls == 1 && strcmp(s.path, path) == 0 &&
      strcmp(s.expected, want_expected) == 0 &&
      strcmp(s.actual, want_actual) == 0) {
    n_passed++;
  } else {
    n_failed++;
    printf("FAIL %s: want %s: expected %s, actual %s; got %d report(s), "
           "first %s: expected %s, actual %s\n",
           name, path, want_expected, want_actual, s.calls, s.path, s.expected,
           s.actual);
  }
  json_decref(e);
  json_decref(a);
}

static void test_ignored_members(void) {
  expect_diffs("extra actual members are ignored", "{\"year\":2024}",
               "{\"year\":2024,\"schema\":\"gongkai.report/1\","
               "\"source\":{\"sha256\":\"ab\",\"bytes\":12}}",
               0, NULL);
  expect_diffs("nested extra members are ignored",
               "{\"source\":{\"name\":\"a.txt\"}}",
               "{\"source\":{\"name\":\"a.txt\",\"bytes\":8713,"
               "\"sha256\":\"00\"}}",
               0, NULL);
  expect_diffs("a member missing from actual is a difference",
               "{\"source\":{\"name\":\"a.txt\",\"format\":\"text\"}}",
               "{\"source\":{\"name\":\"a.txt\"}}", 1, "source.format");
  expect_report("a missing member reads (missing)", "{\"agency\":\"辛店镇\"}",
                "{}", "agency", "\"辛店镇\"", "(missing)");
  expect_diffs("empty expected object matches anything", "{}",
               "{\"a\":[1,2,3]}", 0, NULL);
}

static void test_numbers(void) {
  expect_diffs("0 equals 0.0", "{\"fees\":0}", "{\"fees\":0.0}", 0, NULL);
  expect_diffs("0.0 equals 0", "{\"fees\":0.0}", "{\"fees\":0}", 0, NULL);
  expect_diffs("1.25 equals 1.25", "{\"fees\":1.25}", "{\"fees\":1.25}", 0,
               NULL);
  expect_diffs("1.2 differs from 1.25", "{\"fees\":1.2}", "{\"fees\":1.25}", 1,
               "fees");
  expect_diffs("286 differs from 268", "{\"proactive\":{\"punishment\":286}}",
               "{\"proactive\":{\"punishment\":268}}", 1,
               "proactive.punishment");
  expect_diffs("large integers compare exactly", "{\"n\":9007199254740993}",
               "{\"n\":9007199254740992}", 1, "n");
  expect_diffs("a number is not a string", "{\"year\":2024}",
               "{\"year\":\"2024\"}", 1, "year");
}

static void test_null(void) {
  expect_report("null differs from 0",
                "{\"applications\":{\"received\":{\"total\":0}}}",
                "{\"applications\":{\"received\":{\"total\":null}}}",
                "applications.received.total", "0", "null");
  expect_diffs("0 differs from null",
               "{\"appeals\":{\"review\":{"
               "\"upheld\":null}}}",
               "{\"appeals\":{\"review\":{\"upheld\":0}}}", 1,
               "appeals.review.upheld");
  expect_diffs("null equals null", "{\"published\":null}",
               "{\"published\":null}", 0, NULL);
  expect_diffs("null is not a missing member", "{\"published\":null}", "{}", 1,
               "published");
  expect_diffs("a null table is one difference, not one per cell",
               "{\"appeals\":{\"review\":{\"upheld\":0,\"total\":0},"
               "\"litigation_direct\":{\"upheld\":0,\"total\":0}}}",
               "{\"appeals\":null}", 1, "appeals");
}

static void test_text(void) {
  expect_diffs("text ignores white space",
               "{\"text\":\"（一）主动公开方面 2024 年，\\n\\n公开 120 条。\"}",
               "{\"text\":\"（一）主动公开方面\\n2024年，公开120条。\"}", 0,
               NULL);
  expect_diffs("text ignores ideographic and no-break spaces",
               "{\"text\":\"全年\\u3000未收到\\u00a0申请\"}",
               "{\"text\":\"全年未收到申请\\t\\r\\n\"}", 0, NULL);
  expect_diffs("text still compares the characters", "{\"text\":\"废止 0 件\"}",
               "{\"text\":\"废止 1 件\"}", 1, "text");
  expect_diffs("text inside sections",
               "{\"sections\":[{\"text\":\"a b\"},{\"text\":\"c\"}]}",
               "{\"sections\":[{\"text\":\"ab\"},{\"text\":\"d\"}]}", 1,
               "sections[1].text");
  expect_diffs("other strings keep their white space",
               "{\"heading\":\"一、总体情况\"}",
               "{\"heading\":\"一、 总体情况\"}", 1, "heading");
  expect_diffs("text shorter than expected",
               "{\"text\":\"本年度未收取信息处理费。\"}",
               "{\"text\":\"本年度未收取\"}", 1, "text");
  expect_report("text difference shows where", "{\"text\":\"共 12 条\"}",
                "{\"text\":\"共 13 条\"}", "text", "\"共12条\"", "\"共13条\"");
}

static void test_arrays(void) {
  expect_diffs("equal arrays", "{\"a\":[1,2,{\"b\":null}]}",
               "{\"a\":[1,2,{\"b\":null,\"c\":3}]}", 0, NULL);
  expect_report("array length", "{\"sections\":[{},{}]}", "{\"sections\":[{}]}",
                "sections", "2 elements", "1 element");
  expect_diffs("array length and a differing element",
               "{\"sections\":[{\"number\":1},{\"number\":2}]}",
               "{\"sections\":[{\"number\":3}]}", 2, "sections");
  expect_diffs("element paths use brackets",
               "{\"sections\":[{\"line\":7},{\"line\":31}]}",
               "{\"sections\":[{\"line\":7},{\"line\":30}]}", 1,
               "sections[1].line");
}

static void test_diagnostics(void) {
  const char *both = "{\"diagnostics\":["
                     "{\"rule\":\"cell.blank\",\"path\":\"appeals.review\"},"
                     "{\"rule\":\"cell.extra-values\",\"path\":"
                     "\"applications\"}]}";
  expect_diffs("diagnostics are a multiset: any order", both,
               "{\"diagnostics\":["
               "{\"rule\":\"meta.no-date\",\"severity\":\"note\"},"
               "{\"rule\":\"cell.extra-values\",\"path\":\"applications\","
               "\"severity\":\"warning\",\"location\":{\"line\":60}},"
               "{\"rule\":\"cell.blank\",\"path\":\"appeals.review\","
               "\"message\":\"…\"}]}",
               0, NULL);
  expect_report("an expected diagnostic that is absent", both,
                "{\"diagnostics\":[{\"rule\":\"cell.blank\",\"path\":"
                "\"appeals.review\"}]}",
                "diagnostics", "cell.extra-values at applications",
                "(not reported)");
  expect_report("an unexpected cell.* diagnostic", "{\"diagnostics\":[]}",
                "{\"diagnostics\":[{\"rule\":\"meta.x\"},{\"rule\":"
                "\"cell.blank\",\"path\":\"appeals.review\",\"message\":"
                "\"5 个单元格为空\"}]}",
                "diagnostics[1]", "(not expected)",
                "cell.blank at appeals.review (5 个单元格为空)");
  expect_diffs("an unexpected structure.missing-* diagnostic",
               "{\"diagnostics\":[]}",
               "{\"diagnostics\":[{\"rule\":\"structure.missing-part\","
               "\"path\":\"sections\"}]}",
               1, "diagnostics[0]");
  expect_diffs("other families need not be expected", "{\"diagnostics\":[]}",
               "{\"diagnostics\":[{\"rule\":\"structure.label-variant\"},"
               "{\"rule\":\"meta.no-date\"},{\"rule\":\"arith.balance\","
               "\"path\":\"applications.processed_total.total\"}]}",
               0, NULL);
  expect_diffs("but are checked when expected",
               "{\"diagnostics\":[{\"rule\":\"arith.balance\"}]}",
               "{\"diagnostics\":[]}", 1, "diagnostics");
  expect_diffs("a repeated entry must be reported twice",
               "{\"diagnostics\":[{\"rule\":\"cell.blank\",\"path\":\"a\"},"
               "{\"rule\":\"cell.blank\",\"path\":\"a\"}]}",
               "{\"diagnostics\":[{\"rule\":\"cell.blank\",\"path\":\"a\"}]}",
               1, "diagnostics");
  expect_diffs("a diagnostic reported twice but expected once",
               "{\"diagnostics\":[{\"rule\":\"cell.blank\",\"path\":\"a\"}]}",
               "{\"diagnostics\":[{\"rule\":\"cell.blank\",\"path\":\"a\"},"
               "{\"rule\":\"cell.blank\",\"path\":\"a\"}]}",
               1, "diagnostics[1]");
  expect_diffs("the path is part of the match",
               "{\"diagnostics\":[{\"rule\":\"cell.blank\",\"path\":"
               "\"appeals.review\"}]}",
               "{\"diagnostics\":[{\"rule\":\"cell.blank\",\"path\":"
               "\"appeals.litigation_direct\"}]}",
               2, "diagnostics");
  expect_diffs("an expected entry without path matches any path",
               "{\"diagnostics\":[{\"rule\":\"cell.blank\"},"
               "{\"rule\":\"cell.blank\",\"path\":\"b\"}]}",
               "{\"diagnostics\":[{\"rule\":\"cell.blank\",\"path\":\"b\"},"
               "{\"rule\":\"cell.blank\",\"path\":\"a\"}]}",
               0, NULL);
  expect_diffs("missing diagnostics array", "{\"diagnostics\":[]}", "{}", 1,
               "diagnostics");
  expect_diffs("an expected entry needs a rule",
               "{\"diagnostics\":[{\"path\":\"a\"}]}", "{\"diagnostics\":[]}",
               1, "diagnostics[0]");
  expect_diffs("diagnostics are ignored when not expected", "{}",
               "{\"diagnostics\":[{\"rule\":\"cell.blank\"}]}", 0, NULL);
}

static void test_misc(void) {
  json_t *e = parse("{\"a\":1}");
  json_t *a = parse("{\"a\":2}");
  int n = gk_jsoncmp(e, a, NULL, NULL);
  if (n == 1) {
    n_passed++;
  } else {
    n_failed++;
    printf("FAIL a NULL callback still counts: got %d\n", n);
  }
  json_decref(e);
  json_decref(a);

  expect_diffs("type mismatch at the root", "{\"a\":1}", "[1]", 1, "(root)");
  expect_diffs("booleans", "{\"a\":true}", "{\"a\":false}", 1, "a");
  expect_diffs("equal deep documents",
               "{\"proactive\":{\"rules\":{\"issued\":0,\"repealed\":0},"
               "\"fees\":0},\"edition\":\"2021\",\"published\":null}",
               "{\"edition\":\"2021\",\"published\":null,\"proactive\":{"
               "\"fees\":0.0,\"rules\":{\"repealed\":0,\"issued\":0,"
               "\"in_force\":3}}}",
               0, NULL);

  /* A long value is cut, never mid-character. */
  char big[2048];
  size_t at = (size_t)snprintf(big, sizeof big, "{\"title\":\"");
  for (int i = 0; i < 200; i++)
    at += (size_t)snprintf(big + at, sizeof big - at, "镇");
  snprintf(big + at, sizeof big - at, "\"}");
  e = parse(big);
  a = parse("{\"title\":\"x\"}");
  seen s = {0};
  gk_jsoncmp(e, a, record, &s);
  size_t len = strlen(s.expected);
  /* The quote and 53 whole 3-byte 镇 fill 160 bytes, then "…". */
  if (s.calls == 1 && len == 160 + 3 &&
      strcmp(s.expected + len - 3, "\xE2\x80\xA6") == 0 &&
      strncmp(s.expected, "\"镇镇", 7) == 0) {
    n_passed++;
  } else {
    n_failed++;
    printf("FAIL long values are cut: %d report(s), %zu bytes: %s\n", s.calls,
           len, s.expected);
  }
  json_decref(e);
  json_decref(a);
}

int main(void) {
  test_ignored_members();
  test_numbers();
  test_null();
  test_text();
  test_arrays();
  test_diagnostics();
  test_misc();
  printf("%d passed, %d failed\n", n_passed, n_failed);
  return n_failed ? 1 : 0;
}
