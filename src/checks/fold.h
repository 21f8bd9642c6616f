/*
 * fold.h - folded text for the structure and meta rules and for body.c.
 *
 * The parser compares labels on a folded stream (NFKC, quote variants
 * unified, white space dropped); the checks compare names, headings and
 * titles the same way, on small NUL-terminated UTF-8 copies in stack
 * buffers.  Everything here is static inline: a few short helpers used by
 * three files, with no state.
 */
#ifndef GK_CHECKS_FOLD_H
#define GK_CHECKS_FOLD_H

#include <string.h>

#include "model.h"

/* Room for a folded name, heading, title or table label: the longest
 * title seen is under 60 characters, the longest label about 40. */
#define GK_FOLD_MAX 512
/* Room for a folded source line, or a few of them (a table's header). */
#define GK_FOLD_LINE_MAX 4096

/*
 * Folds len bytes of UTF-8 at s and appends them to out at byte k (out
 * holds cap bytes, k < cap): NFKC, quotes unified, white space dropped.
 * Output that does not fit is cut at a character boundary.  Returns the
 * new length; out is always NUL-terminated.
 */
static inline size_t gk__fold_append(const char *s, size_t len, char *out,
                                     size_t cap, size_t k) {
  out[k] = '\0';
  for (size_t i = 0; i < len;) {
    int32_t cp, f[4];
    i += gk__utf8_decode(s + i, len - i, &cp);
    size_t m = gk__fold_cp(cp, f);
    for (size_t j = 0; j < m; j++) {
      if (gk__is_space(f[j]) || f[j] == '\r')
        continue;
      char enc[4];
      size_t n = gk__utf8_encode(f[j], enc);
      if (k + n >= cap) {
        out[k] = '\0';
        return k;
      }
      memcpy(out + k, enc, n);
      k += n;
    }
  }
  out[k] = '\0';
  return k;
}

/* Folds a NUL-terminated string (NULL folds to ""); returns its length. */
static inline size_t gk__fold(const char *s, char *out, size_t cap) {
  out[0] = '\0';
  return s ? gk__fold_append(s, strlen(s), out, cap, 0) : 0;
}

/* The layout line holding source line `lineno`, or -1.  Layout lines are
 * in source order, so a binary search finds it. */
static inline long gk__layout_line_index(const gk__layout *l, uint32_t lineno) {
  size_t lo = 0, hi = l->n_lines;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (l->lines[mid].lineno < lineno)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < l->n_lines && l->lines[lo].lineno == lineno ? (long)lo : -1;
}

/* Appends layout line `li` folded (its runs joined, white space dropped)
 * to out at k; returns the new length. */
static inline size_t gk__fold_layout_line(const gk__layout *l, size_t li,
                                          char *out, size_t cap, size_t k) {
  const gk__line *ln = &l->lines[li];
  for (uint32_t i = 0; i < ln->n_runs; i++) {
    const gk__run *run = &l->runs[ln->first_run + i];
    k = gk__fold_append(run->text, run->len, out, cap, k);
  }
  out[k] = '\0';
  return k;
}

static inline bool gk__str_ends(const char *s, size_t len, const char *w) {
  size_t n = strlen(w);
  return len >= n && memcmp(s + len - n, w, n) == 0;
}

static inline bool gk__str_starts(const char *s, const char *w) {
  size_t n = strlen(w);
  return strnlen(s, n) == n && memcmp(s, w, n) == 0;
}

/* The number of code points in a UTF-8 string. */
static inline size_t gk__str_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

#endif /* GK_CHECKS_FOLD_H */
