/*
 * test_number.c - unit tests of the number grammar (src/parse/number.c):
 * one line of text through the text reader and the stream, cut into
 * tokens, each token's kind, value and flags checked (issue 10).
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "model.h"
#include "parse/parse.h"
#include "readers/readers.h"

/* Tokens kept from one line. */
#define MAX_TOKENS 32

typedef struct toks {
  gk__arena arena;
  gk__layout layout;
  gk__stream s;
  gk__token t[MAX_TOKENS];
  size_t n;
} toks;

/* Tokenizes text (one line); false when the pipeline failed. */
static bool tokenize(toks *k, const char *text) {
  memset(k, 0, sizeof *k);
  gk__arena_init(&k->arena);
  size_t len = strlen(text);
  char *copy = gk__arena_strndup(&k->arena, text, len);
  if (!copy || gk__read_text(&k->arena, copy, len, &k->layout) != GK_OK ||
      gk__stream_build(&k->arena, &k->layout, &k->s) != GK_OK)
    return false;
  k->n = gk__tokenize(&k->s, NULL, 0, k->s.n, k->t, MAX_TOKENS);
  return true;
}

/* The values of the NUMBER tokens, in order, and how many. */
static size_t numbers(const toks *k, int64_t *v, size_t max) {
  size_t m = 0;
  for (size_t i = 0; i < k->n && m < max; i++)
    if (k->t[i].kind == GK_TOK_NUMBER)
      v[m++] = k->t[i].value;
  return m;
}

/* One token expected to be a number of value/scale. */
static void expect_one(const char *text, int64_t value, int scale) {
  toks *k = calloc(1, sizeof *k);
  if (!CHECK_NOT_NULL(k))
    return;
  if (CHECK_TRUE(tokenize(k, text)) && CHECK_UINT_EQ(k->n, 1)) {
    CHECK_INT_EQ(k->t[0].kind, GK_TOK_NUMBER);
    CHECK_INT_EQ(k->t[0].value, value);
    CHECK_INT_EQ(k->t[0].scale, scale);
  }
  gk__arena_free(&k->arena);
  free(k);
}

TEST(thousands_groups) {
  expect_one("9,487", 9487, 0);
  expect_one("1，163.54", 116354, 2);  /* full-width comma */
  expect_one("12\u2009345", 12345, 0); /* thin space */
  expect_one("1,234,567", 1234567, 0);
  expect_one("９，４８７", 9487, 0); /* full-width digits */
}

TEST(commas_between_cells) {
  /* Not groups of three: four numbers, as a flattened row prints them. */
  toks *k = calloc(1, sizeof *k);
  if (!CHECK_NOT_NULL(k) || !CHECK_TRUE(tokenize(k, "1,0,0,2"))) {
    free(k);
    return;
  }
  int64_t v[8];
  if (CHECK_UINT_EQ(numbers(k, v, 8), 4)) {
    CHECK_INT_EQ(v[0], 1);
    CHECK_INT_EQ(v[3], 2);
  }
  CHECK_TRUE(!k->t[0].grouped);
  gk__arena_free(&k->arena);
  /* "9,48" is no grouped number: its first part says it cannot be read
   * as one (a real table's cell with it is null). */
  if (CHECK_TRUE(tokenize(k, "9,48")) && CHECK_TRUE(k->n >= 1)) {
    CHECK_INT_EQ(k->t[0].value, 9);
    CHECK_TRUE(k->t[0].unreadable);
  }
  gk__arena_free(&k->arena);
  free(k);
}

TEST(signs) {
  toks *k = calloc(1, sizeof *k);
  if (!CHECK_NOT_NULL(k))
    return;
  static const char *const neg[] = {"-15", "－15", "减少15", "\u221215"};
  for (size_t i = 0; i < sizeof neg / sizeof neg[0]; i++) {
    if (CHECK_TRUE(tokenize(k, neg[i])) && CHECK_UINT_EQ(k->n, 1)) {
      CHECK_INT_EQ(k->t[0].value, -15);
      CHECK_INT_EQ(k->t[0].sign, -1);
      CHECK_INT_EQ(k->t[0].sign_word, i == 2);
    }
    gk__arena_free(&k->arena);
  }
  if (CHECK_TRUE(tokenize(k, "增加4")) && CHECK_UINT_EQ(k->n, 1)) {
    CHECK_INT_EQ(k->t[0].value, 4);
    CHECK_INT_EQ(k->t[0].sign, 1);
    CHECK_TRUE(k->t[0].sign_word);
  }
  gk__arena_free(&k->arena);
  /* A dash set apart is a blank marker, not a sign. */
  if (CHECK_TRUE(tokenize(k, "- 15")) && CHECK_UINT_EQ(k->n, 2)) {
    CHECK_INT_EQ(k->t[0].kind, GK_TOK_BLANK);
    CHECK_INT_EQ(k->t[1].value, 15);
  }
  gk__arena_free(&k->arena);
  free(k);
}

TEST(blank_markers) {
  toks *k = calloc(1, sizeof *k);
  if (!CHECK_NOT_NULL(k))
    return;
  if (CHECK_TRUE(tokenize(k, "/ — － - 无 空白 77")) &&
      CHECK_UINT_EQ(k->n, 7)) {
    for (size_t i = 0; i < 6; i++)
      CHECK_INT_EQ(k->t[i].kind, GK_TOK_BLANK);
    CHECK_INT_EQ(k->t[6].value, 77);
  }
  gk__arena_free(&k->arena);
  free(k);
}

TEST(not_numbers) {
  /* Dates, enumerators, percentages and note marks are no values. */
  toks *k = calloc(1, sizeof *k);
  if (!CHECK_NOT_NULL(k))
    return;
  static const char *const texts[] = {"2024年", "1.", "１．", "3、",
                                      "(2)",    "5%", "①",    "²"};
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    int64_t v[4];
    if (CHECK_TRUE(tokenize(k, texts[i])))
      CHECK_UINT_EQ(numbers(k, v, 4), 0);
    gk__arena_free(&k->arena);
  }
  free(k);
}

TEST(leading_zero_and_decimals) {
  toks *k = calloc(1, sizeof *k);
  if (!CHECK_NOT_NULL(k))
    return;
  if (CHECK_TRUE(tokenize(k, "07 0 0.5 10")) && CHECK_UINT_EQ(k->n, 4)) {
    CHECK_TRUE(k->t[0].leading_zero);
    CHECK_TRUE(!k->t[1].leading_zero);
    CHECK_TRUE(!k->t[2].leading_zero);
    CHECK_INT_EQ(k->t[2].value, 5);
    CHECK_INT_EQ(k->t[2].scale, 1);
    CHECK_TRUE(!k->t[3].leading_zero);
  }
  gk__arena_free(&k->arena);
  free(k);
}

/* The stream's arrays are sized by the code points of the text: a line
 * whose characters fold to several ("…" is "...", "㈠" is "(一)") and
 * that has no white space to make up for them is folded in full all the
 * same (by the exact count); one with spaces takes the first size. */
TEST(stream_longer_than_its_code_points) {
  static const struct {
    const char *text, *folded;
  } cases[] = {
      {"等……㈠", "等......(一)"},
      {"共 12 件……", "共12件......"},
      {"１２３４５６７８９０１２３４５６７８", "123456789012345678"},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    toks *k = calloc(1, sizeof *k);
    if (!CHECK_NOT_NULL(k))
      return;
    if (CHECK_TRUE(tokenize(k, cases[c].text))) {
      char out[256];
      size_t n = 0;
      for (size_t i = 0; i < k->s.n && n + 4 < sizeof out; i++)
        n += gk__utf8_encode(k->s.cp[i], out + n);
      out[n] = '\0';
      CHECK_STR_EQ(out, cases[c].folded);
    }
    gk__arena_free(&k->arena);
    free(k);
  }
}

static const gk_test gk_tests[] = {
    TEST_ENTRY(stream_longer_than_its_code_points),
    TEST_ENTRY(thousands_groups),
    TEST_ENTRY(commas_between_cells),
    TEST_ENTRY(signs),
    TEST_ENTRY(blank_markers),
    TEST_ENTRY(not_numbers),
    TEST_ENTRY(leading_zero_and_decimals),
};

GK_TEST_MAIN(gk_tests)
