/*
 * test_glued.c - unit tests of src/parse/tables_glued.c: the search for a
 * row's cuts of glued digits.
 *
 * The search leaves a branch as soon as the cells cut so far break one of
 * the row's identities, and counts the steps the full enumeration would
 * have spent there, so that MAX_SPLIT_STEPS ends both at the same place.
 * These tests run the pruned search and the full one on the same rows
 * (made-up rows of table 3 and table 4 of the 2021 format: digits run
 * together, a blank cell dropped or marked, totals that hold or do not)
 * and require the same cuts in the same order, the same overflow and the
 * same number of steps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "parse/tables_int.h"

/* A made-up row: its slots and its tokens. */
typedef struct row_case {
  const gk__tabledef *t;
  slot slots[MAX_SLOTS];
  size_t n;
  char text[MAX_SLOTS][64];
  size_t k;
} row_case;

static uint64_t rng_state = 12;

static unsigned rnd(unsigned below) {
  rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
  return (unsigned)((rng_state >> 33) % below);
}

/* The slots of table 4 (three blocks of five: four results and their
 * total) or of row `row` of table 3 (six applicants and the total). */
static void slots_of(row_case *c, gk__table_id id, int row) {
  const gk__edition_def *ed = gk__edition_get(GK_EDITION_2021);
  c->t = ed->tables[id];
  c->n = id == GK_T_APPEALS ? 15 : 7;
  for (size_t i = 0; i < c->n; i++) {
    c->slots[i].cell = NULL;
    c->slots[i].kind = GK_V_COUNT;
    c->slots[i].row = id == GK_T_APPEALS ? (int)(i / 5) : row;
    c->slots[i].col = id == GK_T_APPEALS ? (int)(i % 5) : (int)i;
  }
}

/* Values for the row's cells, each group of `group` cells ending in
 * their total (or, now and then, a wrong one); then their digits run
 * together into a few tokens, one cell maybe dropped and one maybe
 * printed as a blank marker. */
static void make_row(row_case *c, size_t group) {
  long v[MAX_SLOTS];
  for (size_t g = 0; g < c->n; g += group) {
    long sum = 0;
    for (size_t i = g; i < g + group - 1; i++) {
      v[i] = rnd(3) == 0 ? 0 : (long)rnd(rnd(3) ? 10 : 120);
      sum += v[i];
    }
    v[g + group - 1] = rnd(6) == 0 ? sum + 1 + rnd(9) : sum;
  }
  size_t dropped = rnd(3) == 0 ? rnd((unsigned)c->n) : SIZE_MAX;
  size_t blank = rnd(4) == 0 ? rnd((unsigned)c->n) : SIZE_MAX;
  size_t tokens = 1 + rnd(3);
  c->k = 0;
  char cur[64] = "";
  for (size_t i = 0; i < c->n; i++) {
    if (i == dropped)
      continue;
    if (i == blank) {
      if (cur[0])
        snprintf(c->text[c->k++], sizeof c->text[0], "%s", cur);
      snprintf(c->text[c->k++], sizeof c->text[0], "-");
      cur[0] = '\0';
      continue;
    }
    size_t l = strlen(cur);
    snprintf(cur + l, sizeof cur - l, "%ld", v[i]);
    if (rnd((unsigned)c->n) < tokens - 1 && c->k + 2 < MAX_SLOTS) {
      snprintf(c->text[c->k++], sizeof c->text[0], "%s", cur);
      cur[0] = '\0';
    }
  }
  if (cur[0])
    snprintf(c->text[c->k++], sizeof c->text[0], "%s", cur);
}

/* Runs the query pruned and in full; checks both give the same. */
static bool same_search(gk__arena *a, row_case *c, size_t drops,
                        bool drop_unknown, bool need_yes, bool atomic,
                        gk__cut_result *out) {
  gk__cut_query q = {.ed = gk__edition_get(GK_EDITION_2021),
                     .t = c->t,
                     .slots = c->slots,
                     .n = c->n,
                     .k = c->k,
                     .drops = drops,
                     .drop_unknown = drop_unknown,
                     .need_yes = need_yes};
  for (size_t i = 0; i < c->k; i++) {
    q.tokens[i] = c->text[i];
    q.atomic[i] = atomic && c->text[i][0] != '0' && c->text[i][0] != '-';
  }
  gk__cut_result full, pruned;
  q.prune = false;
  if (!CHECK_TRUE(gk__split_cuts(a, &q, &full)))
    return false;
  q.prune = true;
  if (!CHECK_TRUE(gk__split_cuts(a, &q, &pruned)))
    return false;
  bool ok = CHECK_INT_EQ(pruned.overflow, full.overflow) &&
            CHECK_INT_EQ(pruned.steps, full.steps) &&
            CHECK_UINT_EQ(pruned.n_cand, full.n_cand);
  for (size_t i = 0; ok && i < full.n_cand; i++)
    ok = CHECK_MEM_EQ(pruned.cand[i], c->n * sizeof(int64_t), full.cand[i],
                      c->n * sizeof(int64_t)) &&
         CHECK_MEM_EQ(pruned.cand_known[i], c->n, full.cand_known[i], c->n);
  if (!ok) {
    fprintf(stderr, "  row:");
    for (size_t i = 0; i < c->k; i++)
      fprintf(stderr, " %s", c->text[i]);
    fprintf(stderr, " (drops %zu%s%s%s)\n", drops,
            drop_unknown ? ", unknown" : "", need_yes ? ", need yes" : "",
            atomic ? ", atomic" : "");
  }
  *out = full;
  return ok;
}

/* Every way a search is run, on made-up rows of table 4 (where the
 * pruning leaves branches: each block's total is its fifth cell) and of
 * table 3 (one identity, decided at the last cell). */
TEST(pruned_search_is_the_full_one) {
  gk__arena a;
  gk__arena_init(&a);
  size_t with_cuts = 0, rows = 0;
  for (int r = 0; r < 24; r++) {
    row_case c;
    bool appeals = r % 3 != 0;
    slots_of(&c, appeals ? GK_T_APPEALS : GK_T_APPLICATIONS, 2 + r % 20);
    make_row(&c, appeals ? 5 : 7);
    static const size_t drops[] = {0, 1, 3};
    for (size_t d = 0; d < 3; d++)
      for (int flags = 0; flags < 4; flags++) {
        gk__cut_result res;
        if (!same_search(&a, &c, drops[d], flags & 1, flags & 2,
                         (flags & 2) && d == 1, &res))
          goto out;
        rows++;
        with_cuts += res.n_cand > 0;
      }
    /* Each row's memory goes with it. */
    gk__arena_free(&a);
    gk__arena_init(&a);
  }
out:
  gk__arena_free(&a);
  /* The rows are made so that many have cuts that fit. */
  CHECK_TRUE(with_cuts > rows / 4);
}

/* A run too long to enumerate: both searches stop at MAX_SPLIT_STEPS,
 * having kept the same cuts before it. */
TEST(overflow_at_the_same_step) {
  gk__arena a;
  gk__arena_init(&a);
  row_case c;
  slots_of(&c, GK_T_APPEALS, 0);
  c.k = 1;
  snprintf(c.text[0], sizeof c.text[0], "%s",
           "1234567891234567891234567891234567891");
  gk__cut_result res;
  if (same_search(&a, &c, 3, false, false, false, &res))
    CHECK_TRUE(res.overflow);
  /* One digit a cell, every total right (1+1+0+2 = 4 …): the cut that
   * reads them so is kept, with those that take a cell as dropped. */
  snprintf(c.text[0], sizeof c.text[0], "%s", "110240011230003");
  if (same_search(&a, &c, 1, true, false, false, &res))
    CHECK_TRUE(res.n_cand > 0);
  gk__arena_free(&a);
}

static const gk_test gk_tests[] = {
    TEST_ENTRY(pruned_search_is_the_full_one),
    TEST_ENTRY(overflow_at_the_same_step),
};

GK_TEST_MAIN(gk_tests)
