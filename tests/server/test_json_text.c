/*
 * test_json_text.c - the JSON text writer of the API (src/server/
 * json_text.c) writes every string exactly as jansson's json_dumps() does
 * (JSON_COMPACT | JSON_ENCODE_ANY), and null where jansson's
 * json_stringn() refuses the bytes (not UTF-8): every single byte, every
 * pair of bytes whose first is a UTF-8 lead, the edges of UTF-8 (overlong
 * forms, surrogates, above U+10FFFF, cut sequences), and random strings.
 * Also the answer cache's bounds (answer_cache.c): a stale generation is
 * never served, and the byte cap holds with the least recently used
 * answer going first.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "server.h"

/* Whether the writer and jansson agree on s[0, n). */
static int same_as_jansson(const char *s, size_t n) {
  gk_json_text b = {0};
  gk_json_text_str(&b, s, n);
  json_t *j = json_stringn(s, n);
  char *want = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
  int ok = !b.failed && strcmp(b.p, want ? want : "null") == 0;
  if (!ok) {
    fprintf(stderr, "differs for:");
    for (size_t i = 0; i < n; i++)
      fprintf(stderr, " %02x", (unsigned char)s[i]);
    fprintf(stderr, "\n  writer:  %s\n  jansson: %s\n", b.p ? b.p : "(none)",
            want ? want : "null");
  }
  free(want);
  json_decref(j);
  gk_json_text_free(&b);
  return ok;
}

TEST(json_text_bytes_as_jansson) {
  int bad = 0;
  for (int c = 0; c < 256; c++) {
    char s[3] = {'a', (char)c, 'z'};
    bad += !same_as_jansson(s, 3);
  }
  for (int c = 0xC0; c < 256; c++)
    for (int d = 0; d < 256; d++) {
      char s[2] = {(char)c, (char)d};
      bad += !same_as_jansson(s, 2);
    }
  static const char *edges[] = {"\xE0\x80\x80",
                                "\xE0\xA0\x80",
                                "\xED\x9F\xBF",
                                "\xED\xA0\x80",
                                "\xED\xBF\xBF",
                                "\xEE\x80\x80",
                                "\xEF\xBF\xBF",
                                "\xF0\x8F\xBF\xBF",
                                "\xF0\x90\x80\x80",
                                "\xF4\x8F\xBF\xBF",
                                "\xF4\x90\x80\x80",
                                "\xF5\x80\x80\x80",
                                "\xE4\xB8",
                                "\xF0\x9F\x98",
                                "公开\"\\/\t\n",
                                "\xE2\x80\xA8",
                                "\x7F",
                                ""};
  for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
    bad += !same_as_jansson(edges[i], strlen(edges[i]));
  bad += !same_as_jansson("a\0b", 3); /* a NUL inside */
  unsigned seed = 12345;
  for (int k = 0; k < 20000; k++) {
    char s[16];
    size_t n = (size_t)(k % 16);
    for (size_t i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      /* mostly UTF-8 lead and continuation bytes, some ASCII */
      unsigned v = (seed >> 16) & 0xFF;
      s[i] = (char)(v < 64 ? v : 0x80 | (v & 0x7F));
    }
    bad += !same_as_jansson(s, n);
  }
  CHECK_INT_EQ(bad, 0);
  gk_json_text b = {0};
  gk_json_text_str(&b, NULL, 0);
  CHECK_STR_EQ(b.p, "null");
  gk_json_text_free(&b);
}

TEST(answer_cache_generation_and_cap) {
  char *body = NULL;
  size_t len = 0;
  gk_answer_cache_put("/a?|role=0|scope=0", "7", "{\"x\":1}", 7);
  CHECK_INT_EQ(gk_answer_cache_get("/a?|role=0|scope=0", "7", &body, &len), 1);
  CHECK_STR_EQ(body, "{\"x\":1}");
  free(body);
  /* another scope, another key: nothing */
  CHECK_INT_EQ(gk_answer_cache_get("/a?|role=0|scope=5", "7", &body, &len), 0);
  /* written since: dropped, and not served again at the old generation */
  CHECK_INT_EQ(gk_answer_cache_get("/a?|role=0|scope=0", "8", &body, &len), 0);
  CHECK_INT_EQ(gk_answer_cache_get("/a?|role=0|scope=0", "7", &body, &len), 0);
  CHECK_UINT_EQ(gk_answer_cache_bytes(), 0);
  /* a 1 MB cap holds 1 MB: the least recently used answers go first */
  gk_answer_cache_limit((size_t)1 << 20);
  static char big[100000];
  memset(big, 'x', sizeof big);
  char key[32];
  for (int i = 0; i < 30; i++) {
    snprintf(key, sizeof key, "/k%d", i);
    gk_answer_cache_put(key, "1", big, sizeof big);
    if (i == 0 || i % 5 == 0) { /* /k0 stays in use */
      CHECK_INT_EQ(gk_answer_cache_get("/k0", "1", &body, &len), 1);
      free(body);
    }
  }
  CHECK_TRUE(gk_answer_cache_bytes() <= ((size_t)1 << 20));
  CHECK_INT_EQ(gk_answer_cache_get("/k0", "1", &body, &len), 1);
  free(body);
  CHECK_INT_EQ(gk_answer_cache_get("/k29", "1", &body, &len), 1);
  CHECK_UINT_EQ(len, sizeof big);
  free(body);
  CHECK_INT_EQ(gk_answer_cache_get("/k1", "1", &body, &len), 0);
  /* an answer larger than an eighth of the cap is not kept */
  gk_answer_cache_put("/huge", "1", big, sizeof big);
  gk_answer_cache_limit((size_t)400000);
  gk_answer_cache_put("/huge2", "1", big, sizeof big);
  CHECK_INT_EQ(gk_answer_cache_get("/huge2", "1", &body, &len), 0);
  CHECK_TRUE(gk_answer_cache_bytes() <= 400000);
  gk_answer_cache_clear();
  CHECK_UINT_EQ(gk_answer_cache_bytes(), 0);
  /* Cleared, it starts again: entries kept and evicted oldest first. */
  CHECK_INT_EQ(gk_answer_cache_get("/huge", "1", &body, &len), 0);
  gk_answer_cache_limit((size_t)1 << 20);
  gk_answer_cache_put("/again", "1", "{}", 2);
  CHECK_INT_EQ(gk_answer_cache_get("/again", "1", &body, &len), 1);
  free(body);
  CHECK_TRUE(gk_answer_cache_bytes() > 0);
  gk_answer_cache_clear();
  CHECK_UINT_EQ(gk_answer_cache_bytes(), 0);
}

static const gk_test gk_tests[] = {
    TEST_ENTRY(json_text_bytes_as_jansson),
    TEST_ENTRY(answer_cache_generation_and_cap),
};
GK_TEST_MAIN(gk_tests)
