/*
 * fold.h - folded strings: small helpers over NUL-terminated UTF-8.
 *
 * The parser compares labels on a folded stream (NFKC, quote variants
 * unified, white space dropped); the checks compare names, headings and
 * titles the same way, on small NUL-terminated UTF-8 copies in stack
 * buffers.  Everything here is static inline, with no state.  Text is
 * folded for every report, so the common characters (ASCII, ideographs,
 * full-width ASCII) are handled inline; each helper does exactly what
 * gk__utf8_decode(), gk__fold_cp() and gk__utf8_encode() would do, only
 * sooner.
 */
#ifndef GK_BASE_FOLD_H
#define GK_BASE_FOLD_H

#include <string.h>

#include "base.h"

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

/*
 * Compares s, folded, with `folded` (a string gk__fold() wrote into no
 * more than cap bytes that folds to itself, as the format's labels do:
 * unit_base format_fold_table): NULL when they are the same, else s
 * folded (s itself when it folds to itself, else folded into out, cap
 * bytes).  s equal to `folded` byte for byte folds to it, and most labels
 * a parser found are written as the standard one: that comparison comes
 * first.
 */
static inline const char *gk__fold_unless(const char *s, const char *folded,
                                          char *out, size_t cap) {
  if (strcmp(s, folded) == 0)
    return NULL;
  if (!gk__fold_invariant(s, cap)) {
    gk__fold(s, out, cap);
    s = out;
  }
  return strcmp(s, folded) == 0 ? NULL : s;
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

/* Whether s starts with a numeral character (0-9, 一 … 十); *n is its
 * bytes. */
static inline bool gk__numeral_at(const char *s, size_t *n) {
  const unsigned char *u = (const unsigned char *)s;
  if (u[0] >= '0' && u[0] <= '9') {
    *n = 1;
    return true;
  }
  /* The numerals 一 … 十 are three bytes from E4 or E5 (a NUL or a bad
   * continuation byte decodes to no numeral). */
  if (u[0] - 0xE4u > 1u || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80)
    return false;
  int32_t cp = ((u[0] & 0x0F) << 12) | ((u[1] & 0x3F) << 6) | (u[2] & 0x3F);
  static const int32_t cn[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                               0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341};
  for (size_t i = 0; i < sizeof cn / sizeof cn[0]; i++) {
    if (cp == cn[i]) {
      *n = 3;
      return true;
    }
  }
  return false;
}

/* The folded text after a leading enumerator: "一、" "第一部分" "(三)"
 * "1." "2、", and with `bare` a numeral alone ("一总体情况": the parser
 * takes a numeral before a space as a heading's).  At most three numeral
 * characters; without an enumerator the text is returned as it is. */
static inline const char *gk__skip_enum(const char *s, bool bare) {
  const char *p = s;
  bool paren = false;
  if (*p == '(') {
    paren = true;
    p++;
  } else if (gk__str_starts(p, "第")) {
    p += strlen("第");
  }
  int digits = 0;
  size_t n;
  while (digits < 3 && *p && gk__numeral_at(p, &n)) {
    p += n;
    digits++;
  }
  if (digits == 0)
    return s;
  if (paren) {
    if (*p != ')')
      return s;
    return p + 1;
  }
  if (gk__str_starts(p, "部分"))
    return p + strlen("部分");
  if (gk__str_starts(p, "、"))
    return p + strlen("、");
  if (*p == '.' || *p == ',')
    return p + 1;
  return bare ? p : s;
}

/* A year at s: four digits (ASCII, or Chinese numerals 〇一二…) followed by
 * 年.  Returns the year and sets *after to the byte after 年, or 0. */
static inline int gk__year_at(const char *s, size_t *after) {
  static const int32_t cn[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                               0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
  size_t i = 0, len = strlen(s);
  int v = 0, n = 0;
  while (i < len && n < 4) {
    int32_t cp;
    size_t m = gk__utf8_decode(s + i, len - i, &cp);
    int d = -1;
    if (cp >= '0' && cp <= '9')
      d = cp - '0';
    for (int k = 0; k < 10 && d < 0; k++)
      if (cp == cn[k] || (k == 0 && (cp == 0x96F6 || cp == 0x25CB)))
        d = k;
    if (d < 0)
      break;
    v = v * 10 + d;
    i += m;
    n++;
  }
  if (n != 4 || !gk__str_starts(s + i, "年") || v < 1990 || v > 2100)
    return 0;
  *after = i + strlen("年");
  return v;
}

#endif /* GK_BASE_FOLD_H */
