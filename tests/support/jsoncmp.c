/*
 * jsoncmp.c - structural comparison of a report's JSON with expected JSON.
 *
 * Test support, not part of the library: the golden and seeds suites parse
 * the library's JSON and a hand-written expected file with jansson and call
 * gk_jsoncmp() to list every difference.  The rules are in jsoncmp.h; this
 * file adds three choices the header leaves open:
 *
 * - Paths are dotted member names with array indices in brackets:
 *   "applications.received.total", "sections[2].heading".  The root is
 *   reported as "(root)".
 * - A value is shown as compact JSON, cut to a readable length; a "text"
 *   mismatch shows a window around the first difference of the two
 *   white-space-free strings, so a 3 KB paragraph does not flood the log.
 * - An expected diagnostic without "path" matches an actual diagnostic of
 *   the same rule whatever its path.
 */
#include "jsoncmp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest value text passed to the callback, in bytes (before "…").  Keeps
 * a mismatched section or table readable in a test log. */
#define SHOW_MAX 160

/* Longest path kept; deeper paths are cut (hand-written expected files are
 * a few levels deep, so this only guards against a runaway document). */
#define PATH_MAX_LEN 512

/* Characters of context shown before and after the first difference of two
 * "text" members. */
#define TEXT_BEFORE 12
#define TEXT_AFTER 24

typedef struct cmp {
  gk_jsoncmp_report report;
  void *ctx;
  int n_diffs;
} cmp;

/* ---- reporting ---------------------------------------------------------- */

static void diff(cmp *c, const char *path, const char *expected,
                 const char *actual) {
  c->n_diffs++;
  if (c->report)
    c->report(c->ctx, path[0] ? path : "(root)", expected, actual);
}

/* Backs `n` up to the start of a UTF-8 sequence, so that a cut never splits
 * a character. */
static size_t utf8_floor(const char *s, size_t n) {
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
    n--;
  return n;
}

/* A malloc'd compact JSON rendering of `v`, at most SHOW_MAX bytes plus an
 * ellipsis; NULL `v` is "(missing)".  Returns NULL only when out of memory. */
static char *show(const json_t *v) {
  if (!v)
    return strdup("(missing)");
  char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
  if (!s)
    return NULL;
  /* Cut only when the ellipsis and its NUL fit in place: cut + 4 <= len. */
  size_t len = strlen(s);
  if (len >= SHOW_MAX + 4) {
    size_t cut = utf8_floor(s, SHOW_MAX);
    memcpy(s + cut, "\xE2\x80\xA6", 4); /* "…" and the NUL */
  }
  return s;
}

static void diff_values(cmp *c, const char *path, const json_t *expected,
                        const json_t *actual) {
  char *e = show(expected);
  char *a = show(actual);
  diff(c, path, e ? e : "(out of memory)", a ? a : "(out of memory)");
  free(e);
  free(a);
}

/* ---- paths -------------------------------------------------------------- */

/* Appends ".key" (or "key" at the root) or "[i]" to `path`, whose current
 * length is `len`; returns the new length.  Cuts silently at PATH_MAX_LEN. */
static size_t path_key(char *path, size_t len, const char *key) {
  int n = snprintf(path + len, PATH_MAX_LEN - len, "%s%s", len ? "." : "", key);
  if (n < 0)
    return len;
  len += (size_t)n;
  return len < PATH_MAX_LEN ? len : PATH_MAX_LEN - 1;
}

static size_t path_index(char *path, size_t len, size_t i) {
  int n = snprintf(path + len, PATH_MAX_LEN - len, "[%zu]", i);
  if (n < 0)
    return len;
  len += (size_t)n;
  return len < PATH_MAX_LEN ? len : PATH_MAX_LEN - 1;
}

/* ---- "text": comparison without white space ----------------------------- */

/* The length of the white-space character at s (Unicode White_Space: ASCII
 * space and controls, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028,
 * U+2029, U+202F, U+205F, U+3000), or 0 when s is not white space. */
static size_t space_len(const unsigned char *s) {
  switch (s[0]) {
  case ' ':
  case '\t':
  case '\n':
  case '\v':
  case '\f':
  case '\r':
    return 1;
  case 0xC2:
    return (s[1] == 0x85 || s[1] == 0xA0) ? 2 : 0;
  case 0xE1:
    return (s[1] == 0x9A && s[2] == 0x80) ? 3 : 0;
  case 0xE2:
    if (s[1] == 0x80 && ((s[2] >= 0x80 && s[2] <= 0x8A) || s[2] == 0xA8 ||
                         s[2] == 0xA9 || s[2] == 0xAF))
      return 3;
    return (s[1] == 0x81 && s[2] == 0x9F) ? 3 : 0;
  case 0xE3:
    return (s[1] == 0x80 && s[2] == 0x80) ? 3 : 0;
  default:
    return 0;
  }
}

/* A malloc'd copy of the NUL-terminated `s` with all white space removed;
 * NULL when out of memory.  Reads at most three bytes past a lead byte,
 * never past the terminator, since no continuation byte is NUL. */
static char *strip_space(const char *s) {
  char *out = malloc(strlen(s) + 1);
  if (!out)
    return NULL;
  size_t o = 0;
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    size_t sp = space_len(p);
    if (sp) {
      p += sp;
      continue;
    }
    out[o++] = (char)*p++;
  }
  out[o] = '\0';
  return out;
}

/* A malloc'd "…window…" of `s` around byte offset `at`. */
static char *window(const char *s, size_t at) {
  size_t len = strlen(s);
  size_t from = at, to = at;
  for (int i = 0; i < TEXT_BEFORE && from > 0; i++)
    from = utf8_floor(s, from - 1);
  for (int i = 0; i < TEXT_AFTER && to < len; i++) {
    to++;
    while (to < len && ((unsigned char)s[to] & 0xC0) == 0x80)
      to++;
  }
  char *out = malloc(to - from + 16);
  if (!out)
    return NULL;
  snprintf(out, to - from + 16, "%s\"%.*s\"%s", from > 0 ? "\xE2\x80\xA6" : "",
           (int)(to - from), s + from, to < len ? "\xE2\x80\xA6" : "");
  return out;
}

static void compare_text(cmp *c, const char *path, const char *expected,
                         const char *actual) {
  char *e = strip_space(expected);
  char *a = strip_space(actual);
  if (!e || !a) {
    diff(c, path, "(out of memory)", "(out of memory)");
  } else if (strcmp(e, a) != 0) {
    size_t at = 0;
    while (e[at] && e[at] == a[at])
      at++;
    at = utf8_floor(e, at); /* the common prefix ends on a boundary in both */
    char *we = window(e, at);
    char *wa = window(a, at);
    diff(c, path, we ? we : "(out of memory)", wa ? wa : "(out of memory)");
    free(we);
    free(wa);
  }
  free(e);
  free(a);
}

/* ---- diagnostics: a multiset of (rule, path) ---------------------------- */

/* Actual diagnostics of these rule families must all be expected; the
 * others (meta.*, arith.*, ...) are only checked when expected. */
static int must_be_expected(const char *rule) {
  return strncmp(rule, "cell.", 5) == 0 ||
         strncmp(rule, "structure.missing-", 18) == 0;
}

static const char *member_string(const json_t *obj, const char *key) {
  return json_string_value(json_object_get(obj, key));
}

/* Whether expected entry `e` (rule, optional path) describes actual `a`. */
static int diag_matches(const json_t *e, const json_t *a, int exact_only) {
  const char *erule = member_string(e, "rule");
  const char *arule = member_string(a, "rule");
  if (!erule || !arule || strcmp(erule, arule) != 0)
    return 0;
  const json_t *epath = json_object_get(e, "path");
  if (!epath || json_is_null(epath))
    return !exact_only;
  const char *ap = member_string(a, "path");
  return ap && json_is_string(epath) &&
         strcmp(json_string_value(epath), ap) == 0;
}

/* "rule at path" for a message; malloc'd, NULL when out of memory. */
static char *describe_diag(const json_t *d, int with_message) {
  const char *rule = member_string(d, "rule");
  const char *path = member_string(d, "path");
  const char *msg = with_message ? member_string(d, "message") : NULL;
  size_t n = (rule ? strlen(rule) : 8) + (path ? strlen(path) : 0) +
             (msg ? strlen(msg) : 0) + 32;
  char *out = malloc(n);
  if (!out)
    return NULL;
  snprintf(out, n, "%s%s%s%s%s%s", rule ? rule : "(no rule)",
           path ? " at " : "", path ? path : "", msg ? " (" : "",
           msg ? msg : "", msg ? ")" : "");
  return out;
}

static void compare_diagnostics(cmp *c, char *path, size_t len,
                                const json_t *expected, const json_t *actual) {
  if (!json_is_array(actual)) {
    diff_values(c, path, expected, actual);
    return;
  }
  size_t n_exp = json_array_size(expected);
  size_t n_act = json_array_size(actual);
  unsigned char *used = calloc(n_act + 1, 1);
  unsigned char *found = calloc(n_exp + 1, 1);
  if (!used || !found) {
    diff(c, path, "(out of memory)", "(out of memory)");
    goto done;
  }

  /* Entries with a path first, then the path-less ones, which can take any
   * diagnostic of their rule: this order never leaves an entry unmatched
   * that some assignment could have matched. */
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < n_exp; i++) {
      const json_t *e = json_array_get(expected, i);
      if (found[i])
        continue;
      if (!json_is_object(e) || !member_string(e, "rule")) {
        if (pass == 0) {
          path_index(path, len, i);
          char *s = show(e);
          diff(c, path, s ? s : "(out of memory)",
               "(an expected diagnostic needs a \"rule\" string)");
          free(s);
          path[len] = '\0';
          found[i] = 1;
        }
        continue;
      }
      for (size_t j = 0; j < n_act; j++) {
        if (!used[j] && diag_matches(e, json_array_get(actual, j), pass == 0)) {
          used[j] = found[i] = 1;
          break;
        }
      }
    }
  }

  for (size_t i = 0; i < n_exp; i++) {
    if (found[i])
      continue;
    char *s = describe_diag(json_array_get(expected, i), 0);
    diff(c, path, s ? s : "(out of memory)", "(not reported)");
    free(s);
  }
  for (size_t j = 0; j < n_act; j++) {
    const json_t *a = json_array_get(actual, j);
    const char *rule = member_string(a, "rule");
    if (used[j] || !rule || !must_be_expected(rule))
      continue;
    path_index(path, len, j);
    char *s = describe_diag(a, 1);
    diff(c, path, "(not expected)", s ? s : "(out of memory)");
    free(s);
    path[len] = '\0';
  }

done:
  free(used);
  free(found);
}

/* ---- the walk ----------------------------------------------------------- */

static void compare(cmp *c, char *path, size_t len, const char *key,
                    const json_t *expected, const json_t *actual);

static void compare_object(cmp *c, char *path, size_t len,
                           const json_t *expected, const json_t *actual) {
  const char *key;
  json_t *ev;
  json_object_foreach((json_t *)expected, key, ev) {
    size_t l = path_key(path, len, key);
    compare(c, path, l, key, ev, json_object_get(actual, key));
    path[len] = '\0';
  }
}

static void compare_array(cmp *c, char *path, size_t len,
                          const json_t *expected, const json_t *actual) {
  size_t n_exp = json_array_size(expected);
  size_t n_act = json_array_size(actual);
  if (n_exp != n_act) {
    char e[48], a[48];
    snprintf(e, sizeof e, "%zu element%s", n_exp, n_exp == 1 ? "" : "s");
    snprintf(a, sizeof a, "%zu element%s", n_act, n_act == 1 ? "" : "s");
    diff(c, path, e, a);
  }
  /* The common prefix too: a missing section should not hide that the
   * others are right or wrong. */
  size_t n = n_exp < n_act ? n_exp : n_act;
  for (size_t i = 0; i < n; i++) {
    size_t l = path_index(path, len, i);
    compare(c, path, l, NULL, json_array_get(expected, i),
            json_array_get(actual, i));
    path[len] = '\0';
  }
}

static int numbers_equal(const json_t *e, const json_t *a) {
  if (json_is_integer(e) && json_is_integer(a))
    return json_integer_value(e) == json_integer_value(a);
  return json_number_value(e) == json_number_value(a);
}

/* Compares one expected value with the actual value at the same place
 * (NULL when the actual document lacks it).  `key` is the member name the
 * value sits under, NULL for array elements and the root. */
static void compare(cmp *c, char *path, size_t len, const char *key,
                    const json_t *expected, const json_t *actual) {
  if (!actual) {
    diff_values(c, path, expected, NULL);
    return;
  }
  if (key && strcmp(key, "diagnostics") == 0 && json_is_array(expected)) {
    compare_diagnostics(c, path, len, expected, actual);
    return;
  }
  if (json_is_number(expected) && json_is_number(actual)) {
    if (!numbers_equal(expected, actual))
      diff_values(c, path, expected, actual);
    return;
  }
  if (json_typeof(expected) != json_typeof(actual)) {
    diff_values(c, path, expected, actual);
    return;
  }
  switch (json_typeof(expected)) {
  case JSON_OBJECT:
    compare_object(c, path, len, expected, actual);
    break;
  case JSON_ARRAY:
    compare_array(c, path, len, expected, actual);
    break;
  case JSON_STRING:
    if (key && strcmp(key, "text") == 0)
      compare_text(c, path, json_string_value(expected),
                   json_string_value(actual));
    else if (json_string_length(expected) != json_string_length(actual) ||
             memcmp(json_string_value(expected), json_string_value(actual),
                    json_string_length(expected)) != 0)
      diff_values(c, path, expected, actual);
    break;
  default: /* true, false, null: equal types are equal values */
    break;
  }
}

int gk_jsoncmp(const json_t *expected, const json_t *actual,
               gk_jsoncmp_report report, void *ctx) {
  cmp c = {report, ctx, 0};
  char path[PATH_MAX_LEN] = "";
  if (!expected) {
    diff(&c, path, "(missing)", "(not compared)");
    return c.n_diffs;
  }
  compare(&c, path, 0, NULL, expected, actual);
  return c.n_diffs;
}
