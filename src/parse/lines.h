/*
 * lines.h - a layout's lines folded, for the parser's passes that record
 * the text as written (written.c) and for the prose pass (prose.c).
 *
 * The parser's stream (parse.h) holds every layout line folded, white
 * space dropped, as code points, each knowing its run.  These helpers
 * read a line from the stream when there is one, else fold the layout
 * line itself (a report made from its JSON model has a layout but no
 * stream), with the same result either way.
 */
#ifndef GK_PARSE_LINES_H
#define GK_PARSE_LINES_H

#include "base/fold.h"
#include "parse.h"

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
 * to out at k; returns the new length.  With k at or past cap (no room
 * even for the NUL) nothing is written: gcc's link-time optimisation
 * cannot see that callers never pass that, and warns. */
static inline size_t gk__fold_layout_line(const gk__layout *l, size_t li,
                                          char *out, size_t cap, size_t k) {
  if (k >= cap)
    return k;
  const gk__line *ln = &l->lines[li];
  for (uint32_t i = 0; i < ln->n_runs; i++) {
    const gk__run *run = &l->runs[ln->first_run + i];
    k = gk__fold_append(run->text, run->len, out, cap, k);
  }
  out[k] = '\0';
  return k;
}

/*
 * Folded lines without folding them again.  The stream holds every layout
 * line folded, white space dropped, as code points, each knowing its run;
 * that is what gk__fold_layout_line() makes of the line before encoding
 * it.  Without a stream (s NULL) lines are folded as they are read.
 *
 * A pass scanning every line first looks at the code points: a line too
 * short to be cut in a GK_FOLD_LINE_MAX buffer (GK_LINE_CPS code points
 * or fewer) reads as its code points up to the first NUL, so a word or a
 * heading that is not among them is not in the folded line either.  Only
 * the few lines that pass are encoded and compared as before.
 */

/* Code points that always fit a GK_FOLD_LINE_MAX buffer, at four bytes
 * each with the NUL. */
#define GK_LINE_CPS (GK_FOLD_LINE_MAX / 4 - 1)

/* The folded code points of layout line li, for a first look: *cp points
 * into the report's stream, or into scratch (GK_LINE_CPS + 1 code points)
 * where the line is folded when there is no stream.  Returns the count;
 * up to GK_LINE_CPS it is the whole line, and the line folded into a
 * GK_FOLD_LINE_MAX buffer is these code points up to the first NUL. */
static inline size_t gk__line_cps(const gk__layout *l, const gk__stream *s,
                                  size_t li, int32_t *scratch,
                                  const int32_t **cp) {
  if (s) {
    *cp = s->cp + s->line_begin[li];
    return s->line_end[li] - s->line_begin[li];
  }
  const gk__line *ln = &l->lines[li];
  size_t n = 0;
  *cp = scratch;
  for (uint32_t k = 0; k < ln->n_runs; k++) {
    const gk__run *run = &l->runs[ln->first_run + k];
    for (size_t i = 0; i < run->len;) {
      int32_t c, f[4];
      i += gk__utf8_next(run->text + i, run->len - i, &c);
      size_t m = gk__fold_cp_fast(c, f);
      for (size_t j = 0; j < m; j++) {
        if (gk__is_space(f[j]) || f[j] == '\r')
          continue;
        scratch[n++] = f[j];
        if (n > GK_LINE_CPS)
          return n;
      }
    }
  }
  return n;
}

/* Appends layout line li folded to out at k, exactly as
 * gk__fold_layout_line() does: from the stream, encoding its code points
 * run by run (a run's character that does not fit ends that run's
 * output, not the line's), else by folding the line.  Returns the new
 * length. */
static inline size_t gk__line_utf8(const gk__layout *l, const gk__stream *s,
                                   size_t li, char *out, size_t cap, size_t k) {
  if (!s)
    return gk__fold_layout_line(l, li, out, cap, k);
  bool cut = false;
  uint32_t run = UINT32_MAX;
  for (size_t i = s->line_begin[li]; i < s->line_end[li]; i++) {
    if (s->ch[i].run != run) {
      run = s->ch[i].run;
      cut = false;
    }
    int32_t c = s->cp[i];
    if (cut)
      continue;
    if (c < 0x80) {
      if (k + 1 >= cap)
        cut = true;
      else
        out[k++] = (char)c;
      continue;
    }
    size_t w = gk__utf8_len(c);
    if (k + w >= cap) {
      cut = true;
      continue;
    }
    gk__utf8_put(c, out + k, w);
    k += w;
  }
  out[k] = '\0';
  return k;
}

#endif /* GK_PARSE_LINES_H */
