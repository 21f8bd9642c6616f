/*
 * test_fastpaths.c - the parser's fast paths against their plain
 * definitions: each fast function is run on made-up inputs beside the
 * straightforward loop it replaces, kept here as the reference, and must
 * give the same answer on every one (issue 12, the throughput passes).
 */
#include <stdlib.h>
#include <string.h>

#include "base/fold.h"
#include "harness.h"
#include "parse/parse.h"
#include "readers/readers.h"

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

/* The stream of text (len bytes) as the parser builds it, in arena a;
 * false when it cannot be built. */
static bool stream_of(gk__arena *a, const char *text, size_t len,
                      gk__stream *st) {
  gk__layout layout;
  memset(&layout, 0, sizeof layout);
  memset(st, 0, sizeof *st);
  char *copy = gk__arena_strndup(a, text, len);
  return copy && gk__read_text(a, copy, len, &layout) == GK_OK &&
         gk__stream_build(a, &layout, st) == GK_OK;
}

/* Tokens of one random line, fast path and plain path, compared. */
#define TOK_MAX 256

typedef struct tok_pair {
  gk__token fast[TOK_MAX], plain[TOK_MAX];
  uint8_t mask[1024];
} tok_pair;

TEST(tokenize_first_char_filter_matches_plain) {
  /* The grammar's words (signs, what makes a number no value), the
   * group mark, digits, breaks, and other characters, among them ones
   * whose code point shares its bit (cp % 64) with a word's first. */
  static const char *const pieces[] = {
      "1",    "23", "0",      "9,487", "1,0", "-",  "\u2212",      "+",  "减少",
      "增加", "减", "增",     "年",    "月",  "日", "%",           "‰",  "、",
      ".",    ")",  ",",      "，",    " ",   "\n", "中",          "公", "无",
      "/",    "—",  "\u2009", "e",     "i",   "k",  "\u5E74\u5E74"};
  const size_t n_pieces = sizeof pieces / sizeof pieces[0];
  tok_pair *tp = calloc(1, sizeof *tp);
  if (!CHECK_NOT_NULL(tp))
    return;
  uint32_t state = 777;
  char buf[512];
  int agreed = 0, numbers = 0, dates = 0, signed_n = 0;
  const int rounds = 3000;
  for (int round = 0; round < rounds; round++) {
    size_t len = 0, n = 1 + next_rand(&state) % 30;
    for (size_t k = 0; k < n; k++) {
      const char *p = pieces[next_rand(&state) % n_pieces];
      if (len + strlen(p) < sizeof buf) {
        memcpy(buf + len, p, strlen(p));
        len += strlen(p);
      }
    }
    gk__arena a;
    gk__arena_init(&a);
    gk__stream st;
    if (!stream_of(&a, buf, len, &st) || st.n > sizeof tp->mask) {
      gk__arena_free(&a);
      continue;
    }
    /* Every fourth line with a few characters masked. */
    bool masked = round % 4 == 0;
    for (size_t i = 0; i < st.n; i++)
      tp->mask[i] = masked && next_rand(&state) % 7 == 0;
    const uint8_t *mask = masked ? tp->mask : NULL;
    memset(tp->fast, 0, sizeof tp->fast);
    memset(tp->plain, 0, sizeof tp->plain);
    gk__number_fast_paths = true;
    size_t nf = gk__tokenize(&st, mask, 0, st.n, tp->fast, TOK_MAX);
    gk__number_fast_paths = false;
    size_t np = gk__tokenize(&st, mask, 0, st.n, tp->plain, TOK_MAX);
    gk__number_fast_paths = true;
    agreed +=
        nf == np && memcmp(tp->fast, tp->plain, nf * sizeof tp->fast[0]) == 0;
    for (size_t i = 0; i < nf; i++) {
      numbers += tp->fast[i].kind == GK_TOK_NUMBER;
      signed_n += tp->fast[i].kind == GK_TOK_NUMBER && tp->fast[i].sign != 0;
      dates += tp->fast[i].kind == GK_TOK_TEXT &&
               st.ch[tp->fast[i].start].cp >= '0' &&
               st.ch[tp->fast[i].start].cp <= '9';
    }
    gk__arena_free(&a);
  }
  free(tp);
  CHECK_INT_EQ(agreed, rounds);
  /* Numbers, signed numbers and numbers that are no value all occur. */
  CHECK_TRUE(numbers > 1000);
  CHECK_TRUE(signed_n > 100);
  CHECK_TRUE(dates > 100);
}

TEST(digits_text_matches_stream_text) {
  /* Every span of one to three characters of a line with digits (ASCII
   * and full-width), signs, letters and ideographs: a constant text, when
   * there is one, is what the copy would have been. */
  static const char line[] = "0 1 22 305 ９８ 7a b4 -3 中5 6中 09 99 1.5";
  gk__arena a;
  gk__arena_init(&a);
  gk__stream st;
  if (CHECK_TRUE(stream_of(&a, line, strlen(line), &st))) {
    int constant = 0, agreed = 0, spans = 0;
    for (size_t i = 0; i < st.n; i++)
      for (size_t n = 1; n <= 3 && i + n <= st.n; n++) {
        spans++;
        const char *t = gk__digits_text(st.cp + i, n);
        char *want = gk__stream_text(&a, &st, i, i + n, false);
        if (!t) {
          agreed++;
          continue;
        }
        constant++;
        agreed += want && strcmp(t, want) == 0;
      }
    CHECK_INT_EQ(agreed, spans);
    /* Spans cross the spaces (breaks are no characters): the 20 digits
     * alone and 14 pairs of them (01 12 22 23 30 05 59 98 87 56 09 99 99
     * 91). */
    CHECK_INT_EQ(constant, 34);
  }
  gk__arena_free(&a);
}

TEST(furniture_rows_match_labels) {
  /* The masks made once against each caption compared with each row
   * label, for every table of both editions. */
  static const gk_edition editions[] = {GK_EDITION_2021, GK_EDITION_2019};
  int tables = 0, rows = 0;
  for (size_t e = 0; e < 2; e++) {
    const gk__edition_def *ed = gk__edition_get(editions[e]);
    if (!CHECK_NOT_NULL(ed))
      continue;
    for (int ti = 0; ti < GK_N_TABLES; ti++) {
      const gk__tabledef *t = ed->tables[ti];
      uint64_t mask = 0, want = 0;
      if (!t || !CHECK_TRUE(gk__furniture_rows(t, &mask)))
        continue;
      for (size_t f = 0; f < t->n_furniture; f++)
        for (int r = 0; r < t->n_rows && t->layout == GK_LAYOUT_ROWS; r++)
          if (strcmp(t->rows[r].label.text, t->furniture[f].text) == 0)
            want |= (uint64_t)1 << f;
      CHECK_TRUE(mask == want);
      tables++;
      rows += __builtin_popcountll(mask);
    }
  }
  CHECK_INT_EQ(tables, 2 * GK_N_TABLES);
  /* 2019's （六）其他处理 is a caption and a row. */
  CHECK_TRUE(rows >= 1);
  /* A table of no edition is not known. */
  gk__tabledef other;
  memset(&other, 0, sizeof other);
  uint64_t mask = 0;
  CHECK_TRUE(!gk__furniture_rows(&other, &mask));
}

TEST(stream_text_matches_encoder) {
  /* A line of characters of every UTF-8 length (ASCII, Latin, Greek,
   * ideographs, CJK and full-width punctuation, the ends of the
   * three-byte range, an ideograph beyond U+FFFF), with breaks: every
   * span of up to eight characters copied by gk__stream_text() (three-byte
   * characters written without gk__utf8_put()) against each code point
   * encoded by gk__utf8_put(), with and without its spaces. */
  static const char line[] =
      "a \u00e9\u03a9\u4e2d\u6587 \u3002\uff0c9\u0800\uffef\U00020000z "
      "\u00b7\u201c\u4e00\u9fa5 12 \U0001f600\u3001";
  gk__arena a;
  gk__arena_init(&a);
  gk__stream st;
  if (CHECK_TRUE(stream_of(&a, line, strlen(line), &st))) {
    int spans = 0, agreed = 0, three = 0;
    for (size_t i = 0; i < st.n; i++) {
      three += st.cp[i] >= 0x800 && st.cp[i] <= 0xFFFF;
      for (size_t n = 1; n <= 8 && i + n <= st.n; n++) {
        for (int keep = 0; keep < 2; keep++) {
          char want[64];
          size_t k = 0;
          for (size_t q = i; q < i + n; q++) {
            if (keep && q > i && st.ch[q].brk != GK_BRK_NONE)
              want[k++] = ' ';
            size_t w = gk__utf8_len(st.cp[q]);
            gk__utf8_put(st.cp[q], want + k, w);
            k += w;
          }
          want[k] = '\0';
          char *got = gk__stream_text(&a, &st, i, i + n, keep != 0);
          spans++;
          agreed += got && strcmp(got, want) == 0;
        }
      }
    }
    CHECK_INT_EQ(agreed, spans);
    /* The three-byte characters are most of the line (U+0800 and U+FFEF
     * among them). */
    CHECK_TRUE(three >= 8);
  }
  gk__arena_free(&a);
}

/* gk__stream_find() in exact mode as defined: the first unmasked i in
 * [from, to) where p's characters follow one another, none masked. */
static bool find_reference(const gk__stream *st, const uint8_t *mask,
                           size_t from, size_t to, const gk__pattern *p,
                           size_t *start) {
  for (size_t i = from; i + p->n <= to; i++) {
    size_t j = 0;
    while (j < p->n && !mask[i + j] && st->cp[i + j] == p->cp[j])
      j++;
    if (j == p->n) {
      *start = i;
      return true;
    }
  }
  return false;
}

TEST(stream_find_matches_reference) {
  /* Random lines of a few ideographs (so that a label's first character
   * is often there, at every place of an eight-character block), searched
   * for one- to three-character labels from every start to several ends,
   * with and without characters masked. */
  static const char *const pieces[] = {"中", "文", "公", "开", "年", "报"};
  uint32_t state = 4242;
  int searches = 0, agreed = 0, found = 0;
  uint8_t mask[256];
  for (int round = 0; round < 200; round++) {
    char buf[512];
    size_t len = 0, n = 1 + next_rand(&state) % 60;
    for (size_t k = 0; k < n; k++) {
      const char *p = pieces[next_rand(&state) % 6];
      memcpy(buf + len, p, strlen(p));
      len += strlen(p);
    }
    gk__arena a;
    gk__arena_init(&a);
    gk__stream st;
    if (!stream_of(&a, buf, len, &st) || st.n > sizeof mask) {
      gk__arena_free(&a);
      continue;
    }
    for (size_t i = 0; i < st.n; i++)
      mask[i] = round % 3 == 0 && next_rand(&state) % 9 == 0;
    gk__pattern p;
    char label[16];
    size_t ll = 0, ln = 1 + next_rand(&state) % 3;
    for (size_t k = 0; k < ln; k++) {
      const char *q = pieces[next_rand(&state) % 6];
      memcpy(label + ll, q, strlen(q));
      ll += strlen(q);
    }
    label[ll] = '\0';
    gk__pattern_make(&p, label);
    for (size_t from = 0; from <= st.n; from++) {
      for (size_t to = from; to <= st.n; to += 1 + to % 7) {
        size_t s0 = 0, e0 = 0, s1 = 0;
        bool got =
            gk__stream_find(&st, mask, from, to, &p, GK_MATCH_EXACT, &s0, &e0);
        bool want = find_reference(&st, mask, from, to, &p, &s1);
        searches++;
        found += got;
        agreed += got == want && (!got || (s0 == s1 && e0 == s1 + p.n));
      }
    }
    gk__arena_free(&a);
  }
  CHECK_INT_EQ(agreed, searches);
  CHECK_TRUE(found > 1000 && found < searches);
}

static const gk_test gk_tests[] = {
    TEST_ENTRY(wide_gap_examples),
    TEST_ENTRY(wide_gap_matches_reference),
    TEST_ENTRY(tokenize_first_char_filter_matches_plain),
    TEST_ENTRY(digits_text_matches_stream_text),
    TEST_ENTRY(furniture_rows_match_labels),
    TEST_ENTRY(stream_text_matches_encoder),
    TEST_ENTRY(stream_find_matches_reference),
};
GK_TEST_MAIN(gk_tests)
