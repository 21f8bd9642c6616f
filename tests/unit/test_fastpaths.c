/*
 * test_fastpaths.c - the parser's fast paths against their plain
 * definitions: each fast function is run on made-up inputs beside the
 * straightforward loop it replaces, kept here as the reference, and must
 * give the same answer on every one (issue 12, the throughput passes).
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "parse/parse.h"

/* A small deterministic generator (xorshift32): the same inputs on
 * every run. */
static uint32_t next_rand(uint32_t *state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

/* columns.c's wide_gap() as it was written first: byte by byte. */
static bool wide_gap_reference(const char *text, size_t len) {
  const unsigned char *u = (const unsigned char *)text;
  bool word = false;
  int spaces = 0;
  for (size_t i = 0; i < len;) {
    size_t n = 1;
    bool space = u[i] == ' ' || u[i] == '\r';
    if (u[i] == 0xE3 && len - i >= 3 && u[i + 1] == 0x80 && u[i + 2] == 0x80) {
      space = true; /* U+3000 */
      n = 3;
    }
    if (u[i] != '\f') {
      if (space)
        spaces++;
      else if (word && spaces >= 2)
        return true;
      else {
        word = true;
        spaces = 0;
      }
    }
    i += n;
  }
  return false;
}

TEST(wide_gap_examples) {
  static const struct {
    const char *text;
    bool gap;
  } cases[] = {
      {"", false},
      {"（一）予以公开 0 0 0 0 0 0 0", false},
      {"（一）予以公开   0   0    0", true},
      {"予以公开\xE3\x80\x80\xE3\x80\x80"
       "3",
       true},                  /* two U+3000 */
      {"予以公开 \f 3", true}, /* a form feed takes no column */
      {"予以公开 \f3", false},
      {"予以公开 \r3", true},
      {"  3", false}, /* no word before the spaces */
      {"3  ", false}, /* none after */
      {"\xE3\x80", false},
      {"中文中文中文中文中文中文中文中文中文中文  1", true},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *t = cases[i].text;
    CHECK_TRUE(gk__wide_gap(t, strlen(t)) == cases[i].gap);
    CHECK_TRUE(wide_gap_reference(t, strlen(t)) == cases[i].gap);
  }
}

TEST(wide_gap_matches_reference) {
  /* Pieces the scan treats apart: spaces, CR, form feed, U+3000, a lone
   * 0xE3 lead byte, ideographs, digits and letters. */
  static const char *const pieces[] = {
      " ",  "\r", "\f", "\xE3\x80\x80", "\xE3", "\x80",        "中",
      "公", "1",  "a",  "0 0 0",        "——",   "\xE3\x80\x81"};
  const size_t n_pieces = sizeof pieces / sizeof pieces[0];
  uint32_t state = 12345;
  char buf[512];
  int agreed = 0, gaps = 0;
  for (int round = 0; round < 20000; round++) {
    size_t len = 0, n = next_rand(&state) % 40;
    for (size_t k = 0; k < n; k++) {
      /* Runs of word pieces, long enough to cross 16-byte blocks. */
      const char *p = pieces[next_rand(&state) % n_pieces];
      size_t reps = next_rand(&state) % 4 == 0 ? 1 + next_rand(&state) % 9 : 1;
      for (size_t r = 0; r < reps && len + strlen(p) < sizeof buf; r++) {
        memcpy(buf + len, p, strlen(p));
        len += strlen(p);
      }
    }
    bool want = wide_gap_reference(buf, len);
    agreed += gk__wide_gap(buf, len) == want;
    gaps += want;
  }
  CHECK_INT_EQ(agreed, 20000);
  /* Both answers occur often enough for the comparison to mean something. */
  CHECK_TRUE(gaps > 1000 && gaps < 19000);
}

static const gk_test gk_tests[] = {
    TEST_ENTRY(wide_gap_examples),
    TEST_ENTRY(wide_gap_matches_reference),
};
GK_TEST_MAIN(gk_tests)
