/*
 * linemap.c - byte offsets to line numbers (see base.h).  A line ends at
 * LF, CR LF, or a bare CR (crawlers that saved Windows text through old
 * Mac tools leave bare CRs).
 */
#include "base.h"

gk_status gk__linemap_build(gk__arena *a, const char *s, size_t len,
                            gk__linemap *map) {
  uint32_t n = 1;
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n'))) {
      if (n >= GK_MAX_LINES)
        return GK_ELIMIT;
      n++;
    }
  }
  uint32_t *starts = gk__arena_alloc(a, (size_t)n * sizeof *starts);
  if (!starts)
    return GK_ENOMEM;
  uint32_t k = 0;
  starts[k++] = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n')))
      starts[k++] = (uint32_t)(i + 1);
  }
  map->starts = starts;
  map->n_lines = n;
  return GK_OK;
}

uint32_t gk__linemap_line(const gk__linemap *map, size_t off) {
  uint32_t lo = 0, hi = map->n_lines;
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (map->starts[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
  return lo + 1;
}
