/*
 * test_base.c - unit tests of src/base: the arena, the capped buffer,
 * UTF-8 and folding (and the folded-string helpers of base/fold.h),
 * encoding detection, the line map and SHA-256; and the one evaluator of
 * the format's identities (format/identity.c).
 *
 * These are the pieces every other layer trusts without checking, so the
 * tests dwell on the edges: alignment, the sticky failure, the buffer's
 * cap, malformed UTF-8, BOMs and odd lengths, the three kinds of line end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "base/fold.h"
#include "format/format.h"
#include "harness.h"

/* ---------------------------------------------------------------- arena */

static bool aligned(const void *p) {
  return (uintptr_t)p % _Alignof(max_align_t) == 0;
}

TEST(arena_alignment) {
  gk__arena a;
  gk__arena_init(&a);
  /* Odd sizes in a row: each result must still be aligned for any type,
   * and none may overlap the one before (checked by the fill pattern). */
  static const size_t sizes[] = {1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1};
  unsigned char *p[sizeof sizes / sizeof *sizes];
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
    p[i] = gk__arena_alloc(&a, sizes[i]);
    if (!CHECK_NOT_NULL(p[i]))
      goto out;
    CHECK_TRUE(aligned(p[i]));
    memset(p[i], (int)(0xA0 + i), sizes[i]);
  }
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
    for (size_t k = 0; k < sizes[i]; k++)
      if (!CHECK_UINT_EQ(p[i][k], 0xA0 + i))
        goto out;
  /* A zero-byte request still gives a distinct, usable pointer. */
  void *z1 = gk__arena_alloc(&a, 0);
  void *z2 = gk__arena_alloc(&a, 0);
  CHECK_NOT_NULL(z1);
  CHECK_NOT_NULL(z2);
  CHECK_TRUE(z1 != z2);
  CHECK_FALSE(gk__arena_failed(&a));
out:
  gk__arena_free(&a);
}

TEST(arena_calloc_zeroes) {
  gk__arena a;
  gk__arena_init(&a);
  /* Dirty some memory first so that zeroes are not an accident of a fresh
   * chunk. */
  unsigned char *dirty = gk__arena_alloc(&a, 1000);
  if (CHECK_NOT_NULL(dirty))
    memset(dirty, 0xFF, 1000);
  uint32_t *z = gk__arena_calloc(&a, 5000, sizeof *z);
  if (CHECK_NOT_NULL(z)) {
    CHECK_TRUE(aligned(z));
    size_t nonzero = 0;
    for (size_t i = 0; i < 5000; i++)
      nonzero += z[i] != 0;
    CHECK_UINT_EQ(nonzero, 0);
  }
  CHECK_NOT_NULL(gk__arena_calloc(&a, 0, 16));
  CHECK_FALSE(gk__arena_failed(&a));
  gk__arena_free(&a);

  /* count * size overflowing size_t is a failure, not a small block. */
  gk__arena_init(&a);
  CHECK_NULL(gk__arena_calloc(&a, SIZE_MAX / 2, 4));
  CHECK_TRUE(gk__arena_failed(&a));
  gk__arena_free(&a);
}

TEST(arena_strndup) {
  gk__arena a;
  gk__arena_init(&a);
  const char *s = "政府信息公开";
  /* Six bytes are the first two characters. */
  CHECK_STR_EQ(gk__arena_strndup(&a, s, 6), "政府");
  CHECK_STR_EQ(gk__arena_strndup(&a, s, 0), "");
  CHECK_STR_EQ(gk__arena_strdup(&a, s), s);
  char *copy = gk__arena_strdup(&a, s);
  CHECK_TRUE(copy != s);
  /* Embedded NULs are copied; the copy is terminated after len bytes. */
  char *nul = gk__arena_strndup(&a, "a\0b", 3);
  if (CHECK_NOT_NULL(nul))
    CHECK_MEM_EQ(nul, 4, "a\0b\0", 4);
  CHECK_FALSE(gk__arena_failed(&a));
  gk__arena_free(&a);
}

TEST(arena_printf) {
  gk__arena a;
  gk__arena_init(&a);
  CHECK_STR_EQ(gk__arena_printf(&a, "%d年%s", 2024, "报告"), "2024年报告");
  CHECK_STR_EQ(gk__arena_printf(&a, "%s", ""), "");
  /* Longer than the first chunk (16 KiB). */
  char *big = gk__arena_printf(&a, "%20000d|", 7);
  if (CHECK_NOT_NULL(big)) {
    CHECK_UINT_EQ(strlen(big), 20001);
    CHECK_INT_EQ(big[19999], '7');
    CHECK_INT_EQ(big[20000], '|');
  }
  CHECK_FALSE(gk__arena_failed(&a));
  gk__arena_free(&a);
}

TEST(arena_big_allocations) {
  gk__arena a;
  gk__arena_init(&a);
  char *small1 = gk__arena_strdup(&a, "before");
  /* Larger than the largest chunk (1 MiB): gets a chunk of its own. */
  size_t big_len = (size_t)3 << 20;
  unsigned char *big = gk__arena_alloc(&a, big_len);
  if (!CHECK_NOT_NULL(big))
    goto out;
  CHECK_TRUE(aligned(big));
  memset(big, 0x5A, big_len);
  /* Small requests after it still work and do not land inside it. */
  char *small2 = gk__arena_strdup(&a, "after");
  CHECK_STR_EQ(small1, "before");
  CHECK_STR_EQ(small2, "after");
  CHECK_TRUE((unsigned char *)small2 < big ||
             (unsigned char *)small2 >= big + big_len);
  /* Many medium blocks, each filled, then all verified. */
  enum { N = 64, LEN = 100 << 10 };
  unsigned char *blocks[N];
  for (int i = 0; i < N; i++) {
    blocks[i] = gk__arena_alloc(&a, LEN);
    if (!CHECK_NOT_NULL(blocks[i]))
      goto out;
    memset(blocks[i], i, LEN);
  }
  for (int i = 0; i < N; i++)
    if (!CHECK_UINT_EQ(blocks[i][0] + blocks[i][LEN - 1], 2 * i))
      break;
  size_t bad = 0;
  for (size_t i = 0; i < big_len; i++)
    bad += big[i] != 0x5A;
  CHECK_UINT_EQ(bad, 0);
  CHECK_FALSE(gk__arena_failed(&a));
out:
  gk__arena_free(&a);
}

TEST(arena_cap_is_sticky) {
  gk__arena a;
  gk__arena_init(&a);
  a.cap = (size_t)64 << 10;
  for (int i = 0; i < 100; i++)
    if (!CHECK_NOT_NULL(gk__arena_alloc(&a, 64)))
      goto out;
  CHECK_FALSE(gk__arena_failed(&a));
  /* Past the cap: this one fails ... */
  CHECK_NULL(gk__arena_alloc(&a, (size_t)80 << 10));
  CHECK_TRUE(gk__arena_failed(&a));
  /* ... and so does everything after it, however small. */
  CHECK_NULL(gk__arena_alloc(&a, 1));
  CHECK_NULL(gk__arena_alloc(&a, 0));
  CHECK_NULL(gk__arena_calloc(&a, 1, 1));
  CHECK_NULL(gk__arena_strdup(&a, "x"));
  CHECK_NULL(gk__arena_strndup(&a, "xy", 1));
  CHECK_NULL(gk__arena_printf(&a, "%d", 1));
  CHECK_NULL(gk__utf8_nfkc(&a, "a", 1));
  CHECK_TRUE(gk__arena_failed(&a));
out:
  gk__arena_free(&a);
  /* Freed and initialised again, the arena works. */
  gk__arena_init(&a);
  CHECK_NOT_NULL(gk__arena_alloc(&a, 1));
  CHECK_FALSE(gk__arena_failed(&a));
  gk__arena_free(&a);
}

TEST(arena_cap_counts_rounding) {
  /* The cap must hold although each request is rounded up to the
   * alignment: once the rounded total has reached the cap, a request that
   * does not fit is refused, not waved through by an unsigned wrap. */
  gk__arena a;
  gk__arena_init(&a);
  a.cap = 1000;
  void *first = gk__arena_alloc(&a, 1000); /* may fail: 1000 rounds up */
  void *second = gk__arena_alloc(&a, 5000);
  CHECK_NULL(second);
  CHECK_TRUE(gk__arena_failed(&a));
  CHECK_TRUE(a.used_total <= a.cap + _Alignof(max_align_t));
  (void)first;
  gk__arena_free(&a);
}

/* Small requests (gk__arena_alloc()'s common case, taken inline from the
 * current chunk) keep the cap exactly as the general path does: with a
 * cap of 1,024 bytes, requests of one rounded unit each succeed until
 * 1,024 bytes are handed out, and the next fails; and a chunk filled by
 * them is followed by a fresh one. */
TEST(arena_small_requests) {
  gk__arena a;
  gk__arena_init(&a);
  a.cap = 1024;
  const size_t unit = sizeof(max_align_t); /* what a request rounds to */
  size_t ok = 0;
  while (ok < 1024 && gk__arena_alloc(&a, unit))
    ok++;
  CHECK_UINT_EQ(ok, 1024 / unit);
  CHECK_UINT_EQ(a.used_total, 1024 / unit * unit);
  CHECK_TRUE(gk__arena_failed(&a));
  gk__arena_free(&a);
  gk__arena_init(&a);
  /* Past the first chunk (16 KiB) one byte at a time: each distinct and
   * aligned, none overlapping the one before. */
  unsigned char *prev = NULL;
  for (size_t i = 0; i < 3000; i++) {
    unsigned char *p = gk__arena_alloc(&a, 1 + i % 24);
    if (!CHECK_NOT_NULL(p) || !CHECK_TRUE(aligned(p)))
      break;
    memset(p, 0x5A, 1 + i % 24);
    if (prev)
      CHECK_UINT_EQ(prev[0], 0x5A);
    prev = p;
  }
  CHECK_FALSE(gk__arena_failed(&a));
  gk__arena_free(&a);
}

/* ------------------------------------------------------------------ buf */

TEST(buf_append) {
  gk__buf b;
  gk__buf_init(&b, 1 << 20);
  CHECK_STATUS(GK_OK, gk__buf_append(&b, "政府", 6));
  CHECK_STATUS(GK_OK, gk__buf_putc(&b, '-'));
  CHECK_STATUS(GK_OK, gk__buf_puts(&b, "公开"));
  CHECK_STATUS(GK_OK, gk__buf_append(&b, "ignored", 0));
  CHECK_STR_EQ(b.data, "政府-公开");
  CHECK_UINT_EQ(b.len, 13);
  /* Grows well past the first allocation, one byte at a time. */
  for (int i = 0; i < 10000; i++)
    if (!CHECK_STATUS(GK_OK, gk__buf_putc(&b, (char)('a' + i % 26))))
      break;
  CHECK_UINT_EQ(b.len, 10013);
  CHECK_UINT_EQ(strlen(b.data), 10013);
  CHECK_INT_EQ(b.data[13], 'a');
  CHECK_INT_EQ(b.data[10012], 'a' + 9999 % 26);
  CHECK_TRUE(b.cap > b.len);
  gk__buf_free(&b);
  CHECK_NULL(b.data);
  CHECK_UINT_EQ(b.len, 0);
  /* A freed buffer can be used again with the same cap. */
  CHECK_STATUS(GK_OK, gk__buf_puts(&b, "again"));
  CHECK_STR_EQ(b.data, "again");
  gk__buf_free(&b);
}

TEST(buf_printf) {
  gk__buf b;
  gk__buf_init(&b, 1 << 20);
  CHECK_STATUS(GK_OK, gk__buf_printf(&b, "%s:%d", "行", 42));
  CHECK_STR_EQ(b.data, "行:42");
  /* Longer than printf's stack buffer. */
  CHECK_STATUS(GK_OK, gk__buf_printf(&b, "[%300d]", 9));
  CHECK_UINT_EQ(b.len, strlen("行:42") + 302);
  CHECK_INT_EQ(b.data[b.len - 2], '9');
  CHECK_INT_EQ(b.data[b.len - 1], ']');
  CHECK_UINT_EQ(strlen(b.data), b.len);
  gk__buf_free(&b);
}

TEST(buf_cap_keeps_content) {
  gk__buf b;
  gk__buf_init(&b, 10);
  CHECK_STATUS(GK_OK, gk__buf_puts(&b, "12345678"));
  /* Would make 11 bytes: refused, and what was there stays. */
  CHECK_STATUS(GK_ETOOBIG, gk__buf_puts(&b, "abc"));
  CHECK_STR_EQ(b.data, "12345678");
  CHECK_UINT_EQ(b.len, 8);
  /* Exactly up to the cap is fine. */
  CHECK_STATUS(GK_OK, gk__buf_puts(&b, "9A"));
  CHECK_STR_EQ(b.data, "123456789A");
  CHECK_STATUS(GK_ETOOBIG, gk__buf_putc(&b, 'B'));
  CHECK_STATUS(GK_ETOOBIG, gk__buf_printf(&b, "%d", 1));
  CHECK_STATUS(GK_ETOOBIG, gk__buf_printf(&b, "%200d", 1));
  CHECK_STATUS(GK_OK, gk__buf_append(&b, "", 0));
  CHECK_STR_EQ(b.data, "123456789A");
  CHECK_UINT_EQ(b.len, 10);
  gk__buf_free(&b);

  /* A single append larger than the cap on an empty buffer. */
  gk__buf_init(&b, 4);
  CHECK_STATUS(GK_ETOOBIG, gk__buf_puts(&b, "12345"));
  CHECK_UINT_EQ(b.len, 0);
  gk__buf_free(&b);
}

/* ---------------------------------------------------------------- array */

TEST(array_grow) {
  int *v = NULL;
  size_t cap = 0;
  CHECK_STATUS(GK_OK, gk__array_grow(&v, &cap, 1, sizeof *v, SIZE_MAX));
  CHECK_UINT_EQ(cap, GK_ARRAY_FIRST);
  if (!CHECK_NOT_NULL(v))
    return;
  for (int i = 0; i < 16; i++)
    v[i] = i;
  /* Doubling, contents kept; room already there asks for nothing. */
  CHECK_STATUS(GK_OK, gk__array_grow(&v, &cap, 17, sizeof *v, SIZE_MAX));
  CHECK_UINT_EQ(cap, 32);
  CHECK_INT_EQ(v[15], 15);
  int *same = v;
  CHECK_STATUS(GK_OK, gk__array_grow(&v, &cap, 32, sizeof *v, SIZE_MAX));
  CHECK_TRUE(v == same && cap == 32);
  CHECK_STATUS(GK_OK, gk__array_grow(&v, &cap, 1000, sizeof *v, SIZE_MAX));
  CHECK_UINT_EQ(cap, 1024);
  free(v);
}

TEST(array_grow_caps) {
  int *v = NULL;
  size_t cap = 0;
  /* The caller's cap: reached exactly, never passed; the array is kept. */
  CHECK_STATUS(GK_OK, gk__array_grow(&v, &cap, 20, sizeof *v, 40));
  CHECK_UINT_EQ(cap, 32);
  CHECK_STATUS(GK_OK, gk__array_grow(&v, &cap, 33, sizeof *v, 40));
  CHECK_UINT_EQ(cap, 40);
  int *kept = v;
  CHECK_STATUS(GK_ELIMIT, gk__array_grow(&v, &cap, 41, sizeof *v, 40));
  CHECK_TRUE(v == kept && cap == 40);
  /* The byte cap, whatever the caller allows, before any allocation. */
  CHECK_STATUS(GK_ELIMIT, gk__array_grow(&v, &cap, GK_ARRAY_MAX_BYTES / 4 + 1,
                                         sizeof *v, SIZE_MAX));
  CHECK_STATUS(GK_ELIMIT, gk__array_grow(&v, &cap, SIZE_MAX, 64, SIZE_MAX));
  CHECK_TRUE(v == kept && cap == 40);
  free(v);
}

TEST(arena_array_grow) {
  gk__arena a;
  gk__arena_init(&a);
  uint32_t *v = NULL;
  size_t cap = 0, n = 0;
  for (uint32_t i = 0; i < 100; i++) {
    if (!CHECK_STATUS(GK_OK, gk__arena_array_grow(&a, &v, &cap, n, n + 1,
                                                  sizeof *v, 100)))
      break;
    v[n++] = i * 3;
  }
  CHECK_UINT_EQ(cap, 100);
  bool kept = true;
  for (uint32_t i = 0; i < n; i++)
    kept &= v[i] == i * 3;
  CHECK_TRUE(kept);
  CHECK_STATUS(GK_ELIMIT,
               gk__arena_array_grow(&a, &v, &cap, n, n + 1, sizeof *v, 100));
  /* The arena's failure is the array's. */
  a.cap = 1;
  uint32_t *w = NULL;
  size_t wcap = 0;
  CHECK_STATUS(GK_ENOMEM, gk__arena_array_grow(&a, &w, &wcap, 0, 1 << 20,
                                               sizeof *w, SIZE_MAX));
  CHECK_TRUE(w == NULL && wcap == 0);
  gk__arena_free(&a);
}

TEST(buf_detach) {
  gk__buf b;
  gk__buf_init(&b, 100);
  CHECK_STATUS(GK_OK, gk__buf_puts(&b, "{\"a\":1}"));
  size_t len = 0;
  char *p = gk__buf_detach(&b, &len);
  CHECK_STR_EQ(p, "{\"a\":1}");
  CHECK_UINT_EQ(len, 7);
  /* The buffer is empty again, keeps its cap, and no longer owns p. */
  CHECK_NULL(b.data);
  CHECK_UINT_EQ(b.len, 0);
  CHECK_UINT_EQ(b.max, 100);
  CHECK_STATUS(GK_OK, gk__buf_puts(&b, "x"));
  CHECK_STR_EQ(p, "{\"a\":1}");
  free(p);
  char *q = gk__buf_detach(&b, NULL);
  CHECK_STR_EQ(q, "x");
  free(q);
  /* Nothing appended: nothing to hand over. */
  len = 99;
  free(gk__buf_detach(&b, &len));
  CHECK_UINT_EQ(len, 0);
  gk__buf_free(&b);
}

/* ----------------------------------------------------------------- utf8 */

/* Checks that s (a string literal, length from sizeof) is (in)valid. */
#define VALID(s) CHECK_TRUE(gk__utf8_valid(s, sizeof(s) - 1))
#define INVALID(s) CHECK_FALSE(gk__utf8_valid(s, sizeof(s) - 1))

TEST(utf8_valid) {
  VALID("");
  VALID("plain ASCII\t\r\n");
  VALID("政府信息公开工作年度报告");
  VALID("caf\xC3\xA9");      /* é, two bytes */
  VALID("\xF0\x9F\x98\x80"); /* U+1F600, four bytes */
  VALID("\xF4\x8F\xBF\xBF"); /* U+10FFFF, the last code point */
  VALID("\xEF\xBF\xBD");     /* U+FFFD itself is valid */
  VALID("\xED\x9F\xBF");     /* U+D7FF, just below the surrogates */
  VALID("\xEE\x80\x80");     /* U+E000, just above them */
  VALID("a\0b");             /* NUL is a character like any other */
}

TEST(utf8_invalid) {
  /* Overlong forms. */
  INVALID("\xC0\xAF");
  INVALID("\xC1\xBF");
  INVALID("\xE0\x80\xAF");
  INVALID("\xE0\x9F\xBF");
  INVALID("\xF0\x80\x80\xAF");
  INVALID("\xF0\x8F\xBF\xBF");
  /* UTF-16 surrogates encoded as UTF-8 (CESU-8). */
  INVALID("\xED\xA0\x80");
  INVALID("\xED\xBF\xBF");
  INVALID("\xED\xA0\xBD\xED\xB8\x80");
  /* Beyond U+10FFFF, and bytes that never occur. */
  INVALID("\xF4\x90\x80\x80");
  INVALID("\xF5\x80\x80\x80");
  INVALID("\xFE");
  INVALID("\xFF");
  /* Truncated sequences: at the end, and followed by ASCII. */
  INVALID("\xE6\x94");
  INVALID("政\xE5\xBA");
  INVALID("\xE6\x94"
          "A");
  INVALID("\xF0\x9F\x98");
  INVALID("\xC3");
  /* A continuation byte with no lead. */
  INVALID("\x80");
  INVALID("a\xBFz");
  /* GBK bytes of 政府 are not UTF-8. */
  INVALID("\xD5\xFE\xB8\xAE");
}

/* gk__utf8_cut_tail() of a string literal. */
#define CUT_TAIL(s) gk__utf8_cut_tail(s, sizeof(s) - 1)

/* A character cut off at the end is its bytes; anything else is 0, valid
 * UTF-8 included (read.c asks it alone, without validating first). */
TEST(utf8_cut_tail) {
  CHECK_UINT_EQ(CUT_TAIL("政\xE5\xBA"), 2);
  CHECK_UINT_EQ(CUT_TAIL("ab\xF0\x9F\x98"), 3);
  CHECK_UINT_EQ(CUT_TAIL("\xC3"), 1);
  CHECK_UINT_EQ(CUT_TAIL(""), 0);
  CHECK_UINT_EQ(CUT_TAIL("plain"), 0);
  CHECK_UINT_EQ(CUT_TAIL("政府"), 0);
  CHECK_UINT_EQ(CUT_TAIL("caf\xC3\xA9"), 0);
  CHECK_UINT_EQ(CUT_TAIL("\xF0\x9F\x98\x80"), 0);
  CHECK_UINT_EQ(CUT_TAIL("\xF4\x8F\xBF\xBF"), 0);
  /* Invalid before the end, or a tail no character starts with. */
  CHECK_UINT_EQ(CUT_TAIL("\xFF政\xE5\xBA"), 0);
  CHECK_UINT_EQ(CUT_TAIL("a\xE0\x80"), 0);
  CHECK_UINT_EQ(CUT_TAIL("a\xED\xA0"), 0);
  CHECK_UINT_EQ(CUT_TAIL("a\x80"), 0);
}

TEST(utf8_decode) {
  int32_t cp = 0;
  CHECK_UINT_EQ(gk__utf8_decode("政府", 6, &cp), 3);
  CHECK_INT_EQ(cp, 0x653F);
  CHECK_UINT_EQ(gk__utf8_decode("A", 1, &cp), 1);
  CHECK_INT_EQ(cp, 'A');
  /* Invalid input: U+FFFD over one byte, so the caller always advances. */
  CHECK_UINT_EQ(gk__utf8_decode("\xC0\xAF", 2, &cp), 1);
  CHECK_INT_EQ(cp, 0xFFFD);
  CHECK_UINT_EQ(gk__utf8_decode("\xE6\x94\xBF", 2, &cp), 1);
  CHECK_INT_EQ(cp, 0xFFFD);
  CHECK_UINT_EQ(gk__utf8_decode("\xED\xA0\x80", 3, &cp), 1);
  CHECK_INT_EQ(cp, 0xFFFD);
  CHECK_UINT_EQ(gk__utf8_decode("", 0, &cp), 0);
  CHECK_INT_EQ(cp, 0xFFFD);
}

/* The validator as gk__utf8_decode() defines it, one character at a
 * time: what gk__utf8_valid()'s faster steps must agree with. */
static bool valid_by_decode(const char *s, size_t len) {
  for (size_t i = 0; i < len;) {
    int32_t cp;
    size_t n = gk__utf8_decode(s + i, len - i, &cp);
    if (cp == 0xFFFD && n == 1)
      return false;
    i += n;
  }
  return true;
}

TEST(utf8_valid_agrees_with_decode) {
  /* Texts built from pieces that exercise every step of gk__utf8_valid()
   * (ASCII words, ideographs two at a time, the lead bytes E0 and ED
   * with their limits, four-byte characters) and broken ones (a stray
   * continuation byte, a cut sequence, a surrogate, an overlong form),
   * at every length and start: the answer is decode's. */
  static const char *const pieces[] = {"ab",           "政府",
                                       "\xE4\xB8",     "\x80",
                                       "\xE0\xA0\x80", "\xE0\x9F\xBF",
                                       "\xED\x9F\xBF", "\xED\xA0\x80",
                                       "\xEF\xBC\x8C", "\xF0\x9F\x98\x80",
                                       "\xC3\xA9",     "\xC0\xAF",
                                       "12345678",     "\xE9\xBF"};
  const size_t n_pieces = sizeof pieces / sizeof pieces[0];
  char buf[64];
  uint32_t seed = 12345;
  size_t bad = 0, n_valid = 0, n_asked = 0;
  for (int round = 0; round < 20000; round++) {
    size_t len = 0;
    /* Up to ten pieces: long enough for gk__utf8_valid()'s blocks of
     * sixteen bytes. */
    for (int k = 0; k < 10; k++) {
      seed = seed * 1103515245u + 12345u;
      /* Mostly ideographs, as in a report. */
      size_t pick = (seed >> 16) % (n_pieces * 2);
      const char *p = pick >= n_pieces ? "公开" : pieces[pick];
      size_t pl = strlen(p);
      if (len + pl >= sizeof buf)
        break;
      memcpy(buf + len, p, pl);
      len += pl;
    }
    for (size_t from = 0; from < len; from++) {
      bool want = valid_by_decode(buf + from, len - from);
      n_valid += want;
      n_asked++;
      if (gk__utf8_valid(buf + from, len - from) != want && bad++ < 5)
        CHECK_TRUE(gk__utf8_valid(buf + from, len - from) == want);
    }
  }
  CHECK_UINT_EQ(bad, 0);
  /* Both answers were asked for. */
  CHECK_TRUE(n_valid > 0 && n_valid < n_asked);
}

TEST(utf8_round_trip) {
  /* Every Unicode scalar value encodes, validates and decodes back to
   * itself, with the byte count its range calls for. */
  char buf[4];
  size_t bad = 0;
  for (int32_t cp = 0; cp <= 0x10FFFF; cp++) {
    if (cp >= 0xD800 && cp <= 0xDFFF)
      continue;
    size_t n = gk__utf8_encode(cp, buf);
    size_t want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    int32_t back = -1;
    size_t m = gk__utf8_decode(buf, n, &back);
    if (n != want || m != n || back != cp || !gk__utf8_valid(buf, n)) {
      if (bad++ < 5)
        CHECK_INT_EQ(back, cp);
    }
  }
  CHECK_UINT_EQ(bad, 0);
}

/* The single code point cp folds to, or -1 if it folds to 0 or several. */
static int32_t fold1(int32_t cp) {
  int32_t out[4];
  return gk__fold_cp(cp, out) == 1 ? out[0] : -1;
}

TEST(fold_cp) {
  /* Full-width ASCII becomes ASCII (NFKC). */
  CHECK_INT_EQ(fold1(0xFF10), '0'); /* ０ */
  CHECK_INT_EQ(fold1(0xFF19), '9'); /* ９ */
  CHECK_INT_EQ(fold1(0xFF21), 'A'); /* Ａ */
  CHECK_INT_EQ(fold1(0xFF08), '('); /* （ */
  CHECK_INT_EQ(fold1(0xFF09), ')'); /* ） */
  CHECK_INT_EQ(fold1(0xFF0C), ','); /* ， */
  CHECK_INT_EQ(fold1(0xFF1A), ':'); /* ： */
  /* The ideographic space and the other spaces become ' '. */
  CHECK_INT_EQ(fold1(0x3000), ' ');
  CHECK_INT_EQ(fold1(0x00A0), ' ');
  CHECK_INT_EQ(fold1(0x2003), ' ');
  /* Curly, corner and full-width quotes all become '"'. */
  CHECK_INT_EQ(fold1(0x201C), '"'); /* “ */
  CHECK_INT_EQ(fold1(0x201D), '"'); /* ” */
  CHECK_INT_EQ(fold1(0x300C), '"'); /* 「 */
  CHECK_INT_EQ(fold1(0x300D), '"'); /* 」 */
  CHECK_INT_EQ(fold1(0xFF02), '"'); /* ＂ */
  /* CJK ideographs and ASCII stay as they are. */
  CHECK_INT_EQ(fold1(0x653F), 0x653F); /* 政 */
  CHECK_INT_EQ(fold1(0x4E00), 0x4E00); /* 一 */
  CHECK_INT_EQ(fold1(0x3400), 0x3400); /* extension A */
  CHECK_INT_EQ(fold1('a'), 'a');
  CHECK_INT_EQ(fold1('\n'), '\n');
  /* Compatibility ideographs become the unified ones (base.h). */
  CHECK_INT_EQ(fold1(0xF900), 0x8C48);
  /* Punctuation NFKC leaves alone and the CJK enumerators stay. */
  CHECK_INT_EQ(fold1(0x3001), 0x3001); /* 、 */
  CHECK_INT_EQ(fold1(0x3002), 0x3002); /* 。 */
  /* The BOM and the zero-width space vanish. */
  int32_t out[4];
  CHECK_UINT_EQ(gk__fold_cp(0xFEFF, out), 0);
  CHECK_UINT_EQ(gk__fold_cp(0x200B, out), 0);
  /* A compatibility character may fold to several: ⑴ is "(1)". */
  if (CHECK_UINT_EQ(gk__fold_cp(0x2474, out), 3)) {
    CHECK_INT_EQ(out[0], '(');
    CHECK_INT_EQ(out[1], '1');
    CHECK_INT_EQ(out[2], ')');
  }
}

/* gk__fold_unless() against folding both and comparing. */
TEST(fold_unless) {
  static const char *const s[] = {"（一）本年新收政府信息公开申请数量",
                                  "(一)本年新收政府信息公开申请数量",
                                  "（一） 本年新收政府信息公开申请数量",
                                  "本年新收政府信息公开申请数量",
                                  "㈠本年新收",
                                  "(一)本年新收",
                                  "“科研机构”",
                                  "\"科研机构\"",
                                  "",
                                  "商业企业",
                                  "商业　企业",
                                  "ａｂｃ",
                                  "abc"};
  size_t n = sizeof s / sizeof s[0];
  for (size_t i = 0; i < n; i++) {
    for (size_t k = 0; k < n; k++) {
      char fs[GK_FOLD_MAX], fw[GK_FOLD_MAX], out[GK_FOLD_MAX];
      gk__fold(s[i], fs, sizeof fs);
      gk__fold(s[k], fw, sizeof fw);
      /* `folded` must fold to itself (all these do). */
      char ffw[GK_FOLD_MAX];
      gk__fold(fw, ffw, sizeof ffw);
      CHECK_STR_EQ(ffw, fw);
      const char *got = gk__fold_unless(s[i], fw, out, sizeof out);
      if (strcmp(fs, fw) == 0) {
        CHECK_TRUE(got == NULL);
      } else if (CHECK_NOT_NULL(got)) {
        CHECK_STR_EQ(got, fs);
      }
    }
  }
}

/* Every string the format's folded table holds (format/folded.c) gives
 * gk__fold()'s bytes; a string not of the format, or a buffer too small
 * for the table's copy, is folded into the caller's buffer. */
static size_t check_format_fold(const char *s) {
  char want[GK_FOLD_LINE_MAX], buf[GK_FOLD_MAX];
  gk__fold(s, want, sizeof want);
  const char *f = gk__format_folded(s);
  if (!CHECK_NOT_NULL(f))
    return 1;
  CHECK_STR_EQ(f, want);
  /* Each folds to itself, as gk__fold_unless() requires of its `folded`
   * (folding is not idempotent for every character: U+207B folds to
   * U+2212, which folds to '-'). */
  char again[GK_FOLD_LINE_MAX];
  gk__fold(f, again, sizeof again);
  CHECK_STR_EQ(again, f);
  CHECK_TRUE(gk__format_fold(s, buf, sizeof buf) == f);
  /* Too small a buffer: gk__fold()'s cut, in buf. */
  char small[8];
  char cut[8];
  gk__fold(s, cut, sizeof cut);
  const char *g = gk__format_fold(s, small, sizeof small);
  if (strlen(want) >= sizeof small) {
    CHECK_TRUE(g == small);
    CHECK_STR_EQ(g, cut);
  } else {
    CHECK_STR_EQ(g, want);
  }
  return 1;
}

static size_t check_format_label(const gk__label *l) {
  size_t n = check_format_fold(l->text);
  for (int v = 0; l->variants && l->variants[v]; v++)
    n += check_format_fold(l->variants[v]);
  return n;
}

TEST(format_fold_table) {
  const gk__edition_def *eds[] = {&gk__edition_2021, &gk__edition_2019};
  size_t n = 0;
  for (int p = 0; p < 6; p++)
    n += check_format_fold(gk__parts[p].heading);
  for (size_t k = 0; k < 2; k++) {
    for (int t = 0; t < GK_N_TABLES; t++) {
      const gk__tabledef *def = eds[k]->tables[t];
      for (int i = 0; i < def->n_rows; i++)
        n += check_format_label(&def->rows[i].label);
      for (int c = 0; c < def->n_header_cols; c++)
        n += check_format_label(&def->header_cols[c].label);
      for (int f = 0; f < def->n_furniture; f++)
        n += check_format_label(&def->furniture[f]);
    }
    for (int m = 0; eds[k]->markers[m]; m++)
      n += check_format_fold(eds[k]->markers[m]);
  }
  CHECK_TRUE(n > 100);
  /* Not the format's own string (a copy of one): folded into buf. */
  char copy[128], buf[GK_FOLD_MAX], want[GK_FOLD_MAX];
  snprintf(copy, sizeof copy, "%s",
           gk__edition_2021.tables[0]->rows[0].label.text);
  CHECK_TRUE(gk__format_folded(copy) == NULL);
  gk__fold(copy, want, sizeof want);
  const char *g = gk__format_fold(copy, buf, sizeof buf);
  CHECK_TRUE(g == buf);
  CHECK_STR_EQ(g, want);
  CHECK_TRUE(gk__format_folded(NULL) == NULL);
  CHECK_STR_EQ(gk__format_fold(NULL, buf, sizeof buf), "");
}

/* gk__cps_find_any() (four code points at a time) against the plain
 * search, on made-up text from a small alphabet so that hits are near and
 * far, at every start and length, with sets of 0 to GK_FIND_ANY_MAX. */
TEST(cps_find_any) {
  int32_t cp[64], set[GK_FIND_ANY_MAX];
  uint32_t seed = 12345;
  size_t bad = 0;
  for (int round = 0; round < 200; round++) {
    for (size_t i = 0; i < 64; i++) {
      seed = seed * 1103515245u + 12345u;
      cp[i] = 0x4E00 + (int32_t)((seed >> 16) % 40);
    }
    size_t n_set = (size_t)round % (GK_FIND_ANY_MAX + 1);
    for (size_t k = 0; k < n_set; k++) {
      seed = seed * 1103515245u + 12345u;
      set[k] = 0x4E00 + (int32_t)((seed >> 16) % 60);
    }
    for (size_t n = 0; n <= 64; n++) {
      for (size_t from = 0; from <= n + 1; from++) {
        size_t want = n;
        for (size_t i = from; i < n && want == n; i++)
          for (size_t k = 0; k < n_set; k++)
            if (cp[i] == set[k])
              want = i;
        if (gk__cps_find_any(cp, from, n, set, n_set) != want && bad++ < 5)
          CHECK_UINT_EQ(gk__cps_find_any(cp, from, n, set, n_set), want);
      }
    }
  }
  CHECK_UINT_EQ(bad, 0);
}

TEST(space_and_cjk) {
  CHECK_TRUE(gk__is_space(' '));
  CHECK_TRUE(gk__is_space('\t'));
  CHECK_TRUE(gk__is_space(0x3000));
  CHECK_TRUE(gk__is_space(0xA0));
  CHECK_FALSE(gk__is_space('\n'));
  CHECK_FALSE(gk__is_space('a'));
  CHECK_FALSE(gk__is_space(0x653F));
  CHECK_TRUE(gk__is_cjk(0x653F));
  CHECK_TRUE(gk__is_cjk(0x4E00));
  CHECK_TRUE(gk__is_cjk(0x9FFF));
  CHECK_FALSE(gk__is_cjk(0x3001));
  CHECK_FALSE(gk__is_cjk(0xFF10));
  CHECK_FALSE(gk__is_cjk('A'));
}

TEST(utf8_nfkc) {
  gk__arena a;
  gk__arena_init(&a);
  const char *s = "２０２４年（一）";
  CHECK_STR_EQ(gk__utf8_nfkc(&a, s, strlen(s)), "2024年(一)");
  s = "第　三";
  CHECK_STR_EQ(gk__utf8_nfkc(&a, s, strlen(s)), "第 三");
  s = "政府信息公开";
  CHECK_STR_EQ(gk__utf8_nfkc(&a, s, strlen(s)), s);
  CHECK_STR_EQ(gk__utf8_nfkc(&a, "", 0), "");
  /* Only len bytes are read. */
  CHECK_STR_EQ(gk__utf8_nfkc(&a, "ＡＢ", 3), "A");
  CHECK_FALSE(gk__arena_failed(&a));
  gk__arena_free(&a);
}

/* ------------------------------------------------------------- encoding */

/* Converts the n bytes at in and checks the status, the encoding found
 * and, on success, the text. */
static void check_conv(const char *in, size_t n, gk_status want_st,
                       gk__encoding want_enc, const char *want) {
  gk__arena a;
  gk__arena_init(&a);
  char *out = NULL;
  size_t out_len = 0;
  gk__encoding enc = (gk__encoding)-1;
  gk_status st = gk__to_utf8(&a, in, n, &out, &out_len, &enc);
  if (CHECK_STATUS(want_st, st) && st == GK_OK) {
    CHECK_INT_EQ(enc, want_enc);
    if (CHECK_NOT_NULL(out)) {
      CHECK_STR_EQ(out, want);
      CHECK_UINT_EQ(out_len, strlen(want));
      CHECK_INT_EQ(out[out_len], '\0');
    }
  }
  gk__arena_free(&a);
}

#define CONV(lit, st, enc, want) check_conv(lit, sizeof(lit) - 1, st, enc, want)

/* 政府信息公开 in the encodings below. */
#define ZF_UTF8                                                                \
  "\xE6\x94\xBF\xE5\xBA\x9C\xE4\xBF\xA1\xE6\x81\xAF\xE5\x85\xAC\xE5\xBC\x80"
#define ZF_GBK "\xD5\xFE\xB8\xAE\xD0\xC5\xCF\xA2\xB9\xAB\xBF\xAA"
#define ZF_UTF16LE "\x3F\x65\x9C\x5E\xE1\x4F\x6F\x60\x6C\x51\x00\x5F"
#define ZF_UTF16BE "\x65\x3F\x5E\x9C\x4F\xE1\x60\x6F\x51\x6C\x5F\x00"

TEST(encoding_utf8) {
  CONV(ZF_UTF8, GK_OK, GK_ENC_UTF8, "政府信息公开");
  CONV("\xEF\xBB\xBF" ZF_UTF8 "\n", GK_OK, GK_ENC_UTF8_BOM, "政府信息公开\n");
  /* A BOM alone is an empty UTF-8 text. */
  CONV("\xEF\xBB\xBF", GK_OK, GK_ENC_UTF8_BOM, "");
  CONV("", GK_OK, GK_ENC_UTF8, "");
  /* A BOM promises UTF-8; what follows must keep the promise. */
  CONV("\xEF\xBB\xBF" ZF_GBK, GK_EENCODING, GK_ENC_UTF8_BOM, "");
}

TEST(encoding_utf16) {
  CONV("\xFF\xFE" ZF_UTF16LE "\x0A\x00", GK_OK, GK_ENC_UTF16LE,
       "政府信息公开\n");
  CONV("\xFE\xFF" ZF_UTF16BE "\x00\x0A", GK_OK, GK_ENC_UTF16BE,
       "政府信息公开\n");
  /* U+1F600 as a surrogate pair. */
  CONV("\xFF\xFE\x3D\xD8\x00\xDE", GK_OK, GK_ENC_UTF16LE, "\xF0\x9F\x98\x80");
  /* An odd number of bytes after the BOM cannot be UTF-16. */
  CONV("\xFF\xFE\x41\x00\x42", GK_EENCODING, GK_ENC_UTF16LE, "");
  CONV("\xFE\xFF\x00", GK_EENCODING, GK_ENC_UTF16BE, "");
  /* An unpaired surrogate is refused, not passed on. */
  CONV("\xFF\xFE\x3D\xD8\x41\x00", GK_EENCODING, GK_ENC_UTF16LE, "");
}

TEST(encoding_gb18030) {
  CONV(ZF_GBK, GK_OK, GK_ENC_GB18030, "政府信息公开");
  CONV("2024\xC4\xEA\r\n" ZF_GBK, GK_OK, GK_ENC_GB18030,
       "2024年\r\n政府信息公开");
  /* Beyond GBK: U+20AC (€) is A2 E3 in GB18030-2005, and characters
   * outside the BMP take four bytes (U+1F600 is 94 39 FC 36). */
  CONV("\xA2\xE3", GK_OK, GK_ENC_GB18030, "\xE2\x82\xAC");
  CONV("\x94\x39\xFC\x36", GK_OK, GK_ENC_GB18030, "\xF0\x9F\x98\x80");
}

TEST(encoding_invalid) {
  /* Neither UTF-8 nor GB18030: 0xFF never starts a character, and a lead
   * byte at the very end has no trail. */
  CONV("\xFF\xFF\xFF\xFF", GK_EENCODING, GK_ENC_UTF8, "");
  CONV(ZF_GBK "\xD5", GK_EENCODING, GK_ENC_UTF8, "");
  CONV("abc\x81\x20", GK_EENCODING, GK_ENC_UTF8, "");
}

/* ------------------------------------------------------------- line map */

/* Builds the map of the literal and checks the line starts. */
static void check_lines(const char *s, size_t len, const uint32_t *want,
                        uint32_t n_want) {
  gk__arena a;
  gk__arena_init(&a);
  gk__linemap map = {0};
  if (CHECK_STATUS(GK_OK, gk__linemap_build(&a, s, len, &map)) &&
      CHECK_UINT_EQ(map.n_lines, n_want)) {
    for (uint32_t i = 0; i < n_want; i++) {
      CHECK_UINT_EQ(map.starts[i], want[i]);
      /* The first byte of each line is on that line ... */
      CHECK_UINT_EQ(gk__linemap_line(&map, want[i]), i + 1);
      /* ... and the byte before it (its line end) on the one before. */
      if (i > 0)
        CHECK_UINT_EQ(gk__linemap_line(&map, want[i] - 1), i);
    }
  }
  gk__arena_free(&a);
}

#define LINES(lit, ...)                                                        \
  do {                                                                         \
    static const uint32_t want_[] = {__VA_ARGS__};                             \
    check_lines(lit, sizeof(lit) - 1, want_,                                   \
                (uint32_t)(sizeof want_ / sizeof *want_));                     \
  } while (0)

TEST(linemap_line_ends) {
  LINES("", 0);
  LINES("abc", 0);
  LINES("a\nbb\nc", 0, 2, 5);
  /* A final line end starts an empty last line. */
  LINES("a\n", 0, 2);
  /* CR LF is one line end. */
  LINES("a\r\nbb\r\nc", 0, 3, 7);
  /* A bare CR is a line end. */
  LINES("a\rbb\rc", 0, 2, 5);
  /* Mixed: CR LF, then a bare CR, then LF; and LF CR is two ends. */
  LINES("a\r\n\rb\n\n\rc", 0, 3, 4, 6, 7, 8);
  /* Multi-byte text: offsets are bytes. */
  LINES("政府\n公开", 0, 7);
}

TEST(linemap_offsets) {
  const char *s = "第一行\n第二行\r\n第三行";
  gk__arena a;
  gk__arena_init(&a);
  gk__linemap map = {0};
  if (CHECK_STATUS(GK_OK, gk__linemap_build(&a, s, strlen(s), &map))) {
    CHECK_UINT_EQ(map.n_lines, 3);
    CHECK_UINT_EQ(gk__linemap_line(&map, 0), 1);
    CHECK_UINT_EQ(gk__linemap_line(&map, 9), 1);  /* the LF */
    CHECK_UINT_EQ(gk__linemap_line(&map, 11), 2); /* inside 第 */
    CHECK_UINT_EQ(gk__linemap_line(&map, 20), 2); /* the LF of CR LF */
    CHECK_UINT_EQ(gk__linemap_line(&map, 21), 3);
    /* Past the end: the last line. */
    CHECK_UINT_EQ(gk__linemap_line(&map, 1000), 3);
  }
  gk__arena_free(&a);
}

TEST(linemap_limit) {
  /* Exactly GK_MAX_LINES lines are accepted; one more is GK_ELIMIT. */
  size_t n = GK_MAX_LINES;
  char *s = malloc(n);
  if (!CHECK_NOT_NULL(s))
    return;
  memset(s, '\n', n);
  gk__arena a;
  gk__arena_init(&a);
  gk__linemap map = {0};
  if (CHECK_STATUS(GK_OK, gk__linemap_build(&a, s, n - 1, &map)))
    CHECK_UINT_EQ(map.n_lines, GK_MAX_LINES);
  CHECK_STATUS(GK_ELIMIT, gk__linemap_build(&a, s, n, &map));
  gk__arena_free(&a);
  free(s);
}

/* --------------------------------------------------------------- sha256 */

TEST(sha256_known) {
  char hex[65];
  gk__sha256_hex("abc", 3, hex);
  CHECK_STR_EQ(
      hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  gk__sha256_hex("", 0, hex);
  CHECK_STR_EQ(
      hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  gk__sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
                 hex);
  CHECK_STR_EQ(
      hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* ------------------------------------------------- folded strings */

TEST(fold_strings) {
  char out[GK_FOLD_MAX];
  CHECK_UINT_EQ(gk__fold("１２ 三\t（一）", out, sizeof out),
                strlen("12三(一)"));
  CHECK_STR_EQ(out, "12三(一)");
  CHECK_STR_EQ(gk__skip_enum("一、总体情况", false), "总体情况");
  CHECK_STR_EQ(gk__skip_enum("(三)不予公开", false), "不予公开");
  CHECK_STR_EQ(gk__skip_enum("第二部分主动公开", false), "主动公开");
  /* A label may start with a numeral: not an enumerator unless bare. */
  CHECK_STR_EQ(gk__skip_enum("三类内部事务", false), "三类内部事务");
  CHECK_STR_EQ(gk__skip_enum("一总体情况", true), "总体情况");
  size_t after = 0;
  CHECK_INT_EQ(gk__year_at("2024年，", &after), 2024);
  CHECK_UINT_EQ(after, strlen("2024年"));
  CHECK_INT_EQ(gk__year_at("二〇二四年度", &after), 2024);
  CHECK_INT_EQ(gk__year_at("1989年", &after), 0);
  CHECK_INT_EQ(gk__year_at("2024", &after), 0);
}

/* ----------------------------------------------------- identities */

/* Terms read from a 2 x 3 grid; INT64_MIN marks a cell without an
 * integer. */
static bool grid_term(void *ctx, int side, int row, int col, int64_t *v) {
  (void)side;
  const int64_t(*g)[3] = ctx;
  if (row < 0 || row > 1 || col < 0 || col > 2 || g[row][col] == INT64_MIN)
    return false;
  *v = g[row][col];
  return true;
}

TEST(identity_eval) {
  /* Columns 0 + 1 = column 2, in each row. */
  gk__identity id = {"T-1",
                     GK_R_ARITH_ROW_TOTAL,
                     GK_T_APPLICATIONS,
                     GK_AXIS_COLS,
                     {0, 1, -1},
                     {2, -1},
                     3};
  int64_t g[2][3] = {{4, 1, 5}, {4, 1, 6}};
  int64_t lhs = -1, rhs = -1;
  CHECK_INT_EQ(gk__identity_eval(&id, 0, grid_term, g, &lhs, &rhs),
               GK_ID_HOLDS);
  CHECK_INT_EQ(lhs, 5);
  CHECK_INT_EQ(rhs, 5);
  CHECK_INT_EQ(gk__identity_eval(&id, 1, grid_term, g, &lhs, &rhs),
               GK_ID_FAILS);
  CHECK_INT_EQ(lhs, 5);
  CHECK_INT_EQ(rhs, 6);
  /* A term without an integer leaves it undecided. */
  g[1][1] = INT64_MIN;
  CHECK_INT_EQ(gk__identity_eval(&id, 1, grid_term, g, NULL, NULL),
               GK_ID_UNDECIDED);
  /* So does a sum that would overflow. */
  g[1][0] = INT64_MAX;
  g[1][1] = 1;
  CHECK_INT_EQ(gk__identity_eval(&id, 1, grid_term, g, NULL, NULL),
               GK_ID_UNDECIDED);
  /* Rows as terms: row 0 = row 1 in column 2. */
  gk__identity byrow = {"T-2",
                        GK_R_ARITH_BALANCE,
                        GK_T_APPLICATIONS,
                        GK_AXIS_ROWS,
                        {0, -1},
                        {1, -1},
                        4};
  int64_t h[2][3] = {{0, 0, 7}, {0, 0, 7}};
  CHECK_INT_EQ(gk__identity_eval(&byrow, 2, grid_term, h, NULL, NULL),
               GK_ID_HOLDS);
}

static const gk_test gk_tests[] = {
    TEST_ENTRY(arena_alignment),
    TEST_ENTRY(arena_calloc_zeroes),
    TEST_ENTRY(arena_strndup),
    TEST_ENTRY(arena_printf),
    TEST_ENTRY(arena_big_allocations),
    TEST_ENTRY(arena_cap_is_sticky),
    TEST_ENTRY(arena_cap_counts_rounding),
    TEST_ENTRY(arena_small_requests),
    TEST_ENTRY(buf_append),
    TEST_ENTRY(buf_printf),
    TEST_ENTRY(buf_cap_keeps_content),
    TEST_ENTRY(buf_detach),
    TEST_ENTRY(array_grow),
    TEST_ENTRY(array_grow_caps),
    TEST_ENTRY(arena_array_grow),
    TEST_ENTRY(utf8_valid),
    TEST_ENTRY(utf8_invalid),
    TEST_ENTRY(utf8_cut_tail),
    TEST_ENTRY(utf8_decode),
    TEST_ENTRY(utf8_valid_agrees_with_decode),
    TEST_ENTRY(utf8_round_trip),
    TEST_ENTRY(fold_cp),
    TEST_ENTRY(fold_unless),
    TEST_ENTRY(format_fold_table),
    TEST_ENTRY(cps_find_any),
    TEST_ENTRY(space_and_cjk),
    TEST_ENTRY(utf8_nfkc),
    TEST_ENTRY(encoding_utf8),
    TEST_ENTRY(encoding_utf16),
    TEST_ENTRY(encoding_gb18030),
    TEST_ENTRY(encoding_invalid),
    TEST_ENTRY(linemap_line_ends),
    TEST_ENTRY(linemap_offsets),
    TEST_ENTRY(linemap_limit),
    TEST_ENTRY(sha256_known),
    TEST_ENTRY(fold_strings),
    TEST_ENTRY(identity_eval),
};

GK_TEST_MAIN(gk_tests)
