/*
 * array.c - the one way an array grows (see base.h): doubling, with a hard
 * cap, the array kept as it was on failure.  Malloc'd arrays (a reader's
 * working vectors) and arena arrays (a report's diagnostics, facts) share
 * the rule; only where the memory comes from differs.
 *
 * The array's pointer is passed by address as void * and read and written
 * with memcpy, so one function serves every element type without casting
 * a T ** to void ** (which C does not allow to be used as such).
 */
#include <stdlib.h>

#include "base.h"

/* The capacity that holds `need` elements of `elem` bytes, growing from
 * *cap; 0 when it would pass `max` elements or GK_ARRAY_MAX_BYTES (the
 * status is then in *st). */
static size_t next_cap(size_t cap, size_t need, size_t elem, size_t max,
                       gk_status *st) {
  size_t limit = GK_ARRAY_MAX_BYTES / elem;
  if (max > limit)
    max = limit;
  if (need > max) {
    *st = GK_ELIMIT;
    return 0;
  }
  size_t c = cap ? cap : GK_ARRAY_FIRST;
  while (c < need)
    c = c > max / 2 ? max : c * 2;
  return c > max ? max : c;
}

gk_status gk__array_grow(void *array, size_t *cap, size_t need, size_t elem,
                         size_t max) {
  if (need <= *cap)
    return GK_OK;
  gk_status st = GK_OK;
  size_t c = next_cap(*cap, need, elem, max, &st);
  if (c == 0)
    return st;
  void *p;
  memcpy(&p, array, sizeof p);
  void *q = realloc(p, c * elem);
  if (!q)
    return GK_ENOMEM;
  memcpy(array, &q, sizeof q);
  *cap = c;
  return GK_OK;
}

gk_status gk__arena_array_grow(gk__arena *a, void *array, size_t *cap, size_t n,
                               size_t need, size_t elem, size_t max) {
  if (need <= *cap)
    return GK_OK;
  gk_status st = GK_OK;
  size_t c = next_cap(*cap, need, elem, max, &st);
  if (c == 0)
    return st;
  void *q = gk__arena_alloc(a, c * elem);
  if (!q)
    return GK_ENOMEM;
  void *p;
  memcpy(&p, array, sizeof p);
  if (n && p)
    memcpy(q, p, n * elem);
  memcpy(array, &q, sizeof q);
  *cap = c;
  return GK_OK;
}
