/*
 * test_glued_fast.c - the glued reading's compiled checks against the
 * general functions they stand in for (issue 12, the glued reading's
 * cost): a row's identities compiled over its slots (gk__row_plan_*,
 * against gk__row_holds() and gk__fit_values()) and a table's column
 * identities over an unforced row (gk__confirm_plan_*, against
 * gk__reading_holds() and gk__cell_pinned(), the latter also against
 * gk__cell_pinned_mapped()).  Each pair is run on generated rows, tables
 * and readings of both editions and must agree on every one.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "parse/tables_int.h"

/* A count as the readings have them: small, so that sums meet often. */
static int64_t small_value(uint32_t *rng) {
  uint32_t r = next_rand(rng) % 8;
  return r < 3 ? 0 : (int64_t)(next_rand(rng) % (r < 6 ? 10 : 1000));
}

static const gk_edition editions[] = {GK_EDITION_2021, GK_EDITION_2019};

/* Slots of table t: one row of it (table 3), its whole line (table 4),
 * or (*random set) a random set of its cells in random order. */
static size_t make_slots(const gk__tabledef *t, uint32_t *rng, slot *slots,
                         bool *random_set) {
  size_t n = 0;
  uint32_t how = next_rand(rng) % 3;
  *random_set = how == 2;
  if (how < 2 && t->layout == GK_LAYOUT_ROWS) {
    int row = (int)(next_rand(rng) % t->n_rows);
    for (int c = 0; c < t->rows[row].n_cols && n < MAX_SLOTS; c++)
      slots[n++] = (slot){NULL, t->rows[row].cols[c].kind, row, c};
    return n;
  }
  if (how < 2) {
    for (int row = 0; row < t->n_rows; row++)
      for (int c = 0; c < t->rows[row].n_cols && n < MAX_SLOTS; c++)
        slots[n++] = (slot){NULL, t->rows[row].cols[c].kind, row, c};
    return n;
  }
  size_t want = 1 + next_rand(rng) % MAX_SLOTS;
  for (size_t tries = 0; n < want && tries < 200; tries++) {
    int row = (int)(next_rand(rng) % t->n_rows);
    if (t->rows[row].n_cols == 0)
      continue;
    int c = (int)(next_rand(rng) % t->rows[row].n_cols);
    slots[n++] = (slot){NULL, t->rows[row].cols[c].kind, row, c};
  }
  return n;
}

/* A reading of n cells: values, some unknown, and often a row total
 * that is the sum of the cells before it (so that identities hold). */
static void make_reading(uint32_t *rng, size_t n, int64_t *v, bool *known) {
  int64_t sum = 0;
  for (size_t i = 0; i < n; i++) {
    known[i] = next_rand(rng) % 5 != 0;
    v[i] = known[i] ? small_value(rng) : 0;
    if (known[i] && next_rand(rng) % 3 == 0)
      v[i] = sum;
    sum += v[i];
  }
}

TEST(row_plan_matches_row_holds_and_fit) {
  uint32_t rng = 12345;
  int rows = 0, holds = 0, fails = 0, yes = 0;
  for (size_t e = 0; e < 2; e++) {
    const gk__edition_def *ed = gk__edition_get(editions[e]);
    if (!CHECK_NOT_NULL(ed))
      continue;
    for (int ti = 0; ti < GK_N_TABLES; ti++) {
      const gk__tabledef *t = ed->tables[ti];
      if (!t || t->n_rows == 0)
        continue;
      for (int round = 0; round < 400; round++) {
        slot slots[MAX_SLOTS];
        bool random_set;
        size_t n = make_slots(t, &rng, slots, &random_set);
        gk__row_plan plan;
        gk__row_plan_compile(&plan, ed, t, slots, n);
        /* A row or table 4's line always fits a plan; a random set of
         * cells with more rows than MAX_ROW_CHECKS does not (the search
         * uses the general functions then). */
        if (!random_set)
          CHECK_TRUE(plan.ok);
        if (!plan.ok)
          continue;
        rows++;
        for (int r = 0; r < 20; r++) {
          int64_t v[MAX_SLOTS];
          bool known[MAX_SLOTS];
          make_reading(&rng, n, v, known);
          bool h = gk__row_holds(ed, t, slots, n, v, known);
          CHECK_TRUE(gk__row_plan_holds(&plan, v, known) == h);
          fit f = gk__fit_values(ed, t, slots, n, v, known);
          CHECK_INT_EQ(gk__row_plan_fit(&plan, v, known), f);
          holds += h;
          fails += !h;
          yes += f == FIT_YES;
        }
      }
    }
  }
  /* The generator reaches every answer. */
  CHECK_TRUE(rows > 1000);
  CHECK_TRUE(holds > 100);
  CHECK_TRUE(fails > 100);
  CHECK_TRUE(yes > 100);
}

TEST(confirm_plan_matches_reading_holds) {
  uint32_t rng = 424242;
  int judged = 0, held = 0, failed = 0, pinned = 0;
  for (size_t e = 0; e < 2; e++) {
    const gk__edition_def *ed = gk__edition_get(editions[e]);
    if (!CHECK_NOT_NULL(ed))
      continue;
    const gk__tabledef *def = ed->tables[GK_T_APPLICATIONS];
    if (!CHECK_NOT_NULL(def))
      continue;
    size_t n_cells = (size_t)def->n_rows * def->max_cols;
    gk__cell *cells = calloc(n_cells, sizeof *cells);
    uint8_t *unsettled = calloc(n_cells, 1);
    uint8_t *slot_map = calloc(n_cells, 1);
    if (!CHECK_NOT_NULL(cells) || !CHECK_NOT_NULL(unsettled) ||
        !CHECK_NOT_NULL(slot_map)) {
      free(cells);
      free(unsettled);
      free(slot_map);
      continue;
    }
    gk__table t = {.def = def, .cells = cells};
    for (int round = 0; round < 3000; round++) {
      /* The table as read: numbers, blanks, now and then a fraction;
       * some cells not settled. */
      for (size_t c = 0; c < n_cells; c++) {
        uint32_t r = next_rand(&rng) % 10;
        cells[c] = (gk__cell){.value = small_value(&rng),
                              .state = r < 7 ? GK_CELL_VALUE : GK_CELL_NULL,
                              .scale = r == 9 ? 1 : 0};
        unsettled[c] = next_rand(&rng) % 4 == 0;
      }
      /* The unforced row: a row of table 3, or a few cells anywhere. */
      gk__unforced_row u;
      memset(&u, 0, sizeof u);
      if (next_rand(&rng) % 4) {
        int row = (int)(next_rand(&rng) % def->n_rows);
        for (int c = 0; c < def->rows[row].n_cols; c++)
          u.cells[u.n++] = gk__table_cell(&t, row, c);
      } else {
        size_t want = 1 + next_rand(&rng) % 6;
        while (u.n < want)
          u.cells[u.n++] = &cells[next_rand(&rng) % n_cells];
      }
      for (size_t q = 0; q < u.n; q++)
        unsettled[u.cells[q] - cells] = 1;
      gk__confirm_plan plan;
      if (!CHECK_TRUE(
              gk__confirm_plan_build(&plan, ed, &t, unsettled, slot_map, &u)))
        continue;
      bool j_plain = false;
      for (int r = 0; r < 10; r++) {
        int64_t v[MAX_SLOTS];
        bool known[MAX_SLOTS];
        make_reading(&rng, u.n, v, known);
        bool h = gk__reading_holds(ed, &t, unsettled, &u, v, known, &j_plain);
        CHECK_TRUE(gk__confirm_plan_holds(&plan, v, known) == h);
        CHECK_TRUE(plan.judged == j_plain);
        held += h;
        failed += !h;
        gk__slot_map(slot_map, &t, &u, true);
        for (size_t q = 0; q < u.n; q++) {
          bool p = gk__cell_pinned(ed, &t, unsettled, &u, v, known, q);
          CHECK_TRUE(gk__confirm_plan_pinned(&plan, v, known, q) == p);
          CHECK_INT_EQ(gk__cell_pinned_mapped(ed, &t, unsettled, slot_map, &u,
                                              v, known, q),
                       p);
          pinned += p;
        }
        gk__slot_map(slot_map, &t, &u, false);
      }
      CHECK_TRUE(gk__row_judged(ed, &t, unsettled, slot_map, &u) ==
                 plan.judged);
      judged += plan.judged;
      /* The map is left as it was found. */
      size_t set = 0;
      for (size_t c = 0; c < n_cells; c++)
        set += slot_map[c] != 0;
      CHECK_INT_EQ(set, 0);
    }
    free(cells);
    free(unsettled);
    free(slot_map);
  }
  CHECK_TRUE(judged > 100);
  CHECK_TRUE(held > 100);
  CHECK_TRUE(failed > 100);
  CHECK_TRUE(pinned > 10);
}

static const gk_test gk_tests[] = {
    TEST_ENTRY(row_plan_matches_row_holds_and_fit),
    TEST_ENTRY(confirm_plan_matches_reading_holds),
};
GK_TEST_MAIN(gk_tests)
