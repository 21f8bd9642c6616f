/*
 * fold.h - folded text for the rules and for body.c.
 *
 * The parser compares labels on a folded stream (NFKC, quote variants
 * unified, white space dropped); the checks compare names, headings and
 * titles the same way, on small NUL-terminated UTF-8 copies in stack
 * buffers, and read whole lines from the parser's stream, which the report
 * keeps (r->stream).  Everything here is static inline, with no state.
 * The checks run over every report, so the common characters (ASCII,
 * ideographs, full-width ASCII) are handled inline; each helper does
 * exactly what gk__utf8_decode(), gk__fold_cp() and gk__utf8_encode() in
 * base/ would do, only sooner.
 */
#ifndef GK_CHECKS_FOLD_H
#define GK_CHECKS_FOLD_H

#include <string.h>

#include "model.h"
#include "parse/parse.h"

/* Room for a folded name, heading, title or table label: the longest
 * title seen is under 60 characters, the longest label about 40. */
#define GK_FOLD_MAX 512
/* Room for a folded source line, or a few of them (a table's header). */
#define GK_FOLD_LINE_MAX 4096

/* 3 when the bytes at u (at least three readable, or a NUL before) are
 * an ideograph, else 0.  From lead E5..E9 every well-formed character is
 * one (U+5000..U+9FFF); from E4 all but U+4DC0..U+4DFF (E4 B7 xx); from
 * E3 those from U+3400 (E3 90 80). */
static inline size_t gk__cjk_at(const unsigned char *u) {
  unsigned c = u[0];
  if (c - 0xE3u > 6u || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80)
    return 0;
  if (c >= 0xE5)
    return 3;
  if (c == 0xE4)
    return u[1] != 0xB7 ? 3 : 0;
  return u[1] >= 0x90 ? 3 : 0;
}

/* The bytes gk__utf8_encode() takes for cp. */
static inline size_t gk__utf8_len(int32_t cp) {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/* gk__utf8_encode() inline: writes cp to out in its n = gk__utf8_len(cp)
 * bytes. */
static inline void gk__utf8_put(int32_t cp, char *out, size_t n) {
  unsigned char *o = (unsigned char *)out;
  switch (n) {
  case 1:
    o[0] = (unsigned char)cp;
    break;
  case 2:
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    break;
  case 3:
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    break;
  default:
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    break;
  }
}

/*
 * Folds len bytes of UTF-8 at s and appends them to out at byte k (out
 * holds cap bytes, k < cap): NFKC, quotes unified, white space dropped.
 * Output that does not fit is cut at a character boundary.  Returns the
 * new length; out is always NUL-terminated.  ASCII and ideographs, which
 * fold to themselves, are copied as they stand.
 */
static inline size_t gk__fold_append(const char *s, size_t len, char *out,
                                     size_t cap, size_t k) {
  out[k] = '\0';
  for (size_t i = 0; i < len;) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      i++;
      if (c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r')
        continue;
      if (k + 1 >= cap)
        break;
      out[k++] = (char)c;
      continue;
    }
    const unsigned char *u = (const unsigned char *)s + i;
    if (len - i >= 3 && gk__cjk_at(u)) {
      if (k + 3 >= cap)
        break;
      memcpy(out + k, u, 3);
      k += 3;
      i += 3;
      continue;
    }
    /* Full-width ASCII ("（" "：" "，"), EF BC 81 .. EF BD 9E: ASCII. */
    if (c == 0xEF && len - i >= 3 && (u[1] == 0xBC || u[1] == 0xBD) &&
        (u[2] & 0xC0) == 0x80) {
      int32_t w = 0xF000 | ((u[1] & 0x3F) << 6) | (u[2] & 0x3F);
      if (w >= 0xFF01 && w <= 0xFF5E) {
        if (k + 1 >= cap)
          break;
        out[k++] = (char)(w - 0xFEE0);
        i += 3;
        continue;
      }
    }
    int32_t cp, f[4];
    i += gk__utf8_next(s + i, len - i, &cp);
    size_t m = gk__fold_cp_fast(cp, f);
    for (size_t j = 0; j < m; j++) {
      if (gk__is_space(f[j]) || f[j] == '\r')
        continue;
      size_t n = gk__utf8_len(f[j]);
      if (k + n >= cap) {
        out[k] = '\0';
        return k;
      }
      gk__utf8_put(f[j], out + k, n);
      k += n;
    }
  }
  out[k] = '\0';
  return k;
}

/* Whether s folds to itself into a buffer of cap bytes: it is shorter
 * than cap and made of ASCII other than white space and CR, and of
 * ideographs.  Then gk__fold(s) would copy it as it stands. */
static inline bool gk__fold_invariant(const char *s, size_t cap) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (u[i]) {
    if (i + 4 > cap) /* may not fit: let gk__fold() cut it */
      return false;
    unsigned c = u[i];
    if (c < 0x80) {
      if (c == ' ' || (c >= 0x09 && c <= 0x0D))
        return false;
      i++;
      continue;
    }
    if (!gk__cjk_at(u + i))
      return false;
    i += 3;
  }
  return true;
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

/*
 * Folded lines without folding them again.  The parser keeps its stream
 * in the report (r->stream): every layout line folded, white space
 * dropped, as code points, each knowing its run; that is what
 * gk__fold_layout_line() makes of the line before encoding it.  A report
 * made without the parser (gk_read_model_json) has no stream, and its
 * lines are folded as before.
 *
 * A rule scanning every line first looks at the code points: a line too
 * short to be cut in a GK_FOLD_LINE_MAX buffer (GK_LINE_CPS code points
 * or fewer) reads as its code points up to the first NUL, so a word or a
 * heading that is not among them is not in the folded line either.  Only
 * the few lines that pass are encoded and compared as before.
 */

/* Code points that always fit a GK_FOLD_LINE_MAX buffer, at four bytes
 * each with the NUL. */
#define GK_LINE_CPS (GK_FOLD_LINE_MAX / 4 - 1)

/* The stream of the report's layout, or NULL. */
static inline const gk__stream *gk__report_stream(const gk_report *r) {
  const gk__stream *s = r->stream;
  return s && s->layout == &r->layout ? s : NULL;
}

/* The folded code points of layout line li, for a first look: *cp points
 * into the report's stream, or into scratch (GK_LINE_CPS + 1 code points)
 * where the line is folded when there is no stream.  Returns the count;
 * up to GK_LINE_CPS it is the whole line, and the line folded into a
 * GK_FOLD_LINE_MAX buffer is these code points up to the first NUL. */
static inline size_t gk__line_cps(const gk_report *r, size_t li,
                                  int32_t *scratch, const int32_t **cp) {
  const gk__stream *s = gk__report_stream(r);
  if (s) {
    *cp = s->cp + s->line_begin[li];
    return s->line_end[li] - s->line_begin[li];
  }
  const gk__layout *l = &r->layout;
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
static inline size_t gk__line_utf8(const gk_report *r, size_t li, char *out,
                                   size_t cap, size_t k) {
  const gk__stream *s = gk__report_stream(r);
  if (!s)
    return gk__fold_layout_line(&r->layout, li, out, cap, k);
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

/* Writes n code points as UTF-8 to out at byte k, as gk__fold_append()
 * writes the characters they were folded from: one that does not fit
 * (with the NUL) ends the output.  Returns the new length. */
static inline size_t gk__cps_append(const int32_t *cp, size_t n, char *out,
                                    size_t cap, size_t k) {
  for (size_t i = 0; i < n; i++) {
    size_t w = gk__utf8_len(cp[i]);
    if (k + w >= cap)
      break;
    gk__utf8_put(cp[i], out + k, w);
    k += w;
  }
  out[k] = '\0';
  return k;
}

/* Whether n code points at cp hold the sequence w (wn of them). */
static inline bool gk__cps_contain(const int32_t *cp, size_t n,
                                   const int32_t *w, size_t wn) {
  if (wn == 0)
    return true;
  for (size_t i = 0; i + wn <= n; i++) {
    if (cp[i] != w[0])
      continue;
    size_t k = 1;
    while (k < wn && cp[i + k] == w[k])
      k++;
    if (k == wn)
      return true;
  }
  return false;
}

/* Decodes NUL-terminated UTF-8 into at most max code points; returns the
 * count. */
static inline size_t gk__utf8_cps(const char *s, int32_t *out, size_t max) {
  size_t n = 0, len = strlen(s);
  for (size_t i = 0; i < len && n < max;)
    i += gk__utf8_next(s + i, len - i, &out[n++]);
  return n;
}

/*
 * A few UTF-8 words found in bytes in one pass, as many calls of a byte
 * search (strstr, memcmp at every byte) would find them, for the rules
 * that look for words in the raw text.  A position is compared only with
 * the words whose first two bytes are there; and as a word starts at a
 * character boundary, the continuation bytes of a well-formed three-byte
 * character (an ideograph) are stepped over unread.
 */
#define GK_WORDSET_MAX 64

typedef struct gk__wordset {
  const char *word[GK_WORDSET_MAX];
  size_t len[GK_WORDSET_MAX];
  size_t n;
  uint64_t by_first[256], by_second[256];
  bool step_chars; /* every word starts with a lead or an ASCII byte */
} gk__wordset;

/* Sets ws to look for the n words (n <= GK_WORDSET_MAX).  The strings
 * must outlive ws.  An empty word is never found. */
static inline void gk__wordset_init(gk__wordset *ws, const char *const *words,
                                    size_t n) {
  memset(ws->by_first, 0, sizeof ws->by_first);
  memset(ws->by_second, 0, sizeof ws->by_second);
  ws->n = n;
  ws->step_chars = true;
  for (size_t k = 0; k < n; k++) {
    ws->word[k] = words[k];
    ws->len[k] = strlen(words[k]);
    if (ws->len[k] == 0)
      continue;
    const unsigned char *w = (const unsigned char *)words[k];
    uint64_t bit = (uint64_t)1 << k;
    if ((w[0] & 0xC0) == 0x80)
      ws->step_chars = false;
    ws->by_first[w[0]] |= bit;
    if (ws->len[k] == 1)
      for (size_t b = 0; b < 256; b++)
        ws->by_second[b] |= bit;
    else
      ws->by_second[w[1]] |= bit;
  }
}

/* The words found at byte q of t (len bytes): a mask of word indexes. */
static inline uint64_t gk__wordset_at(const gk__wordset *ws,
                                      const unsigned char *t, size_t len,
                                      size_t q) {
  uint64_t cand = ws->by_first[t[q]];
  if (!cand)
    return 0;
  cand &= ws->by_second[q + 1 < len ? t[q + 1] : 0];
  uint64_t found = 0;
  for (size_t k = 0; k < ws->n; k++)
    if (((cand >> k) & 1) && len - q >= ws->len[k] &&
        memcmp(t + q, ws->word[k], ws->len[k]) == 0)
      found |= (uint64_t)1 << k;
  return found;
}

/* The next byte after q where a word may start. */
static inline size_t gk__wordset_step(const gk__wordset *ws,
                                      const unsigned char *t, size_t len,
                                      size_t q) {
  if (ws->step_chars && t[q] >= 0xE0 && t[q] < 0xF0 && len - q >= 3 &&
      (t[q + 1] & 0xC0) == 0x80 && (t[q + 2] & 0xC0) == 0x80)
    return q + 3;
  return q + 1;
}

static inline bool gk__str_ends(const char *s, size_t len, const char *w) {
  size_t n = strlen(w);
  return len >= n && memcmp(s + len - n, w, n) == 0;
}

static inline bool gk__str_starts(const char *s, const char *w) {
  /* A NUL in s differs from w's byte there: no read past the end. */
  for (; *w; s++, w++)
    if (*s != *w)
      return false;
  return true;
}

/* The number of code points in a UTF-8 string. */
static inline size_t gk__str_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

#endif /* GK_CHECKS_FOLD_H */
