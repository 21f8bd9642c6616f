/*
 * identity.c - evaluating the arithmetic identities of format.md §1.7
 * (gk__identity, format.h) at one place of a table.
 */
#include "format.h"

gk__id_verdict gk__identity_eval(const gk__identity *id, int fixed,
                                 gk__term_fn term, void *ctx, int64_t *lhs,
                                 int64_t *rhs) {
  int64_t sum[2] = {0, 0};
  for (int side = 0; side < 2; side++) {
    const int8_t *terms = side ? id->rhs : id->lhs;
    int q = 0;
    for (; q < GK_MAX_TERMS && terms[q] >= 0; q++) {
      int row = id->axis == GK_AXIS_COLS ? fixed : terms[q];
      int col = id->axis == GK_AXIS_COLS ? terms[q] : fixed;
      int64_t v;
      if (!term(ctx, side, row, col, &v) ||
          __builtin_add_overflow(sum[side], v, &sum[side]))
        return GK_ID_UNDECIDED;
    }
    if (q == 0)
      return GK_ID_UNDECIDED;
  }
  if (lhs)
    *lhs = sum[0];
  if (rhs)
    *rhs = sum[1];
  return sum[0] == sum[1] ? GK_ID_HOLDS : GK_ID_FAILS;
}
