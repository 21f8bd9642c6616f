/*
 * decimal.c - a cell's number as text.  Cells keep the decimals the source
 * printed (the 万元 fee "1.20" stays 1.20), as an integer and a scale;
 * writers and messages print them through this one function.
 */
#include <stdio.h>

#include "base.h"

size_t gk__decimal_text(int64_t value, int scale, char *out, size_t cap) {
  if (scale < 0)
    scale = 0;
  if (scale > 18)
    scale = 18;
  unsigned long long a =
      value < 0 ? 0ULL - (unsigned long long)value : (unsigned long long)value;
  int n;
  if (scale == 0) {
    n = snprintf(out, cap, "%s%llu", value < 0 ? "-" : "", a);
  } else {
    unsigned long long p10 = 1;
    for (int i = 0; i < scale; i++)
      p10 *= 10;
    n = snprintf(out, cap, "%s%llu.%0*llu", value < 0 ? "-" : "", a / p10,
                 scale, a % p10);
  }
  return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

size_t gk_format_number(int64_t value, int scale, char *buf, size_t cap) {
  return gk__decimal_text(value, scale, buf, cap);
}
