/*
 * json_text.c - JSON answers written straight from the store's rows into
 * one growing buffer, without building jansson objects first (issue 13,
 * answer times).
 *
 * The report page's call embeds the stored model JSON (20-30 KB): parsing
 * it into jansson's objects and dumping them again, with the rows around
 * it, was 45 % of the call's CPU and most of its malloc/free (perf record
 * -g of the server under bench/serve_load, docs/PERFORMANCE.md).  Here the
 * stored JSON is copied as it is (it was written by the library's model
 * writer or by jansson, in a transaction of this server), strings are
 * escaped as jansson escapes them (JSON_COMPACT, no JSON_ENSURE_ASCII),
 * and a value that is not valid UTF-8 is written null, as jansson's
 * json_stringn() refuses it.  The output is the same JSON as before.
 *
 * Failure is sticky (the buffer's `failed`, like the library's arena): a
 * caller writes everything and checks once at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

/* The largest answer written: a ceiling, not a budget.  The largest real
 * answer is a report of GK_MAX_INPUT_BYTES (64 MiB) read as text, whose
 * source text gk_report_source_text() caps at twice that, beside its
 * model; past this something is wrong, and the call answers 500. */
#define GK_JSON_TEXT_MAX ((size_t)512 << 20)
/* The first allocation: a roster row or a report's rows fit in a few. */
#define GK_JSON_TEXT_FIRST 4096

static int grow(gk_json_text *b, size_t more) {
  if (b->failed)
    return -1;
  if (b->len + more + 1 <= b->cap)
    return 0;
  if (more > GK_JSON_TEXT_MAX - b->len - 1) {
    b->failed = 1;
    return -1;
  }
  size_t cap = b->cap ? b->cap : GK_JSON_TEXT_FIRST;
  while (cap < b->len + more + 1)
    cap = cap > GK_JSON_TEXT_MAX / 2 ? GK_JSON_TEXT_MAX : cap * 2;
  char *p = realloc(b->p, cap);
  if (!p) {
    b->failed = 1;
    return -1;
  }
  b->p = p;
  b->cap = cap;
  return 0;
}

void gk_json_text_raw(gk_json_text *b, const char *s, size_t n) {
  if (grow(b, n) != 0)
    return;
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

void gk_json_text_lit(gk_json_text *b, const char *s) {
  gk_json_text_raw(b, s, strlen(s));
}

void gk_json_text_int(gk_json_text *b, long long v) {
  char num[24];
  int n = snprintf(num, sizeof num, "%lld", v);
  gk_json_text_raw(b, num, (size_t)n);
}

/* Whether s[0, n) is UTF-8 as jansson accepts it: no overlong forms, no
 * surrogates, nothing above U+10FFFF. */
static int utf8_ok(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t k;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
      k = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      k = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      k = 3;
      cp = c & 0x07;
    } else {
      return 0;
    }
    if (n - i <= k)
      return 0;
    for (size_t j = 1; j <= k; j++) {
      if ((s[i + j] & 0xC0) != 0x80)
        return 0;
      cp = (cp << 6) | (s[i + j] & 0x3F);
    }
    if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return 0;
    i += k + 1;
  }
  return 1;
}

void gk_json_text_str(gk_json_text *b, const char *s, size_t n) {
  if (!s || !utf8_ok((const unsigned char *)s, n)) {
    gk_json_text_lit(b, "null");
    return;
  }
  /* at most 6 bytes per input byte (\u00XX), and the quotes */
  if (grow(b, n * 6 + 2) != 0)
    return;
  char *o = b->p + b->len;
  *o++ = '"';
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') {
      *o++ = (char)c;
      continue;
    }
    *o++ = '\\';
    switch (c) {
    case '"':
    case '\\':
      *o++ = (char)c;
      break;
    case '\b':
      *o++ = 'b';
      break;
    case '\f':
      *o++ = 'f';
      break;
    case '\n':
      *o++ = 'n';
      break;
    case '\r':
      *o++ = 'r';
      break;
    case '\t':
      *o++ = 't';
      break;
    default: {
      static const char hex[] = "0123456789ABCDEF"; /* as jansson */
      *o++ = 'u';
      *o++ = '0';
      *o++ = '0';
      *o++ = hex[c >> 4];
      *o++ = hex[c & 15];
    }
    }
  }
  *o++ = '"';
  b->len = (size_t)(o - b->p);
  b->p[b->len] = '\0';
}

void gk_json_text_free(gk_json_text *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}
