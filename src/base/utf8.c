/*
 * utf8.c - UTF-8 validation, decoding and the folding used to compare
 * labels (see base.h).  Normalisation itself is utf8proc's; this file adds
 * a fast path for the characters that make up almost all of a report
 * (ASCII and unified CJK ideographs, which NFKC leaves alone) and the
 * quote variants NFKC does not unify.
 */
#include <pthread.h>
#include <string.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "base.h"

size_t gk__utf8_decode(const char *s, size_t len, int32_t *cp) {
  const unsigned char *u = (const unsigned char *)s;
  if (len == 0) {
    *cp = 0xFFFD;
    return 0;
  }
  unsigned c = u[0];
  if (c < 0x80) {
    *cp = (int32_t)c;
    return 1;
  }
  size_t n;
  int32_t v, min;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    v = (int32_t)(c & 0x1F);
    min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    v = (int32_t)(c & 0x0F);
    min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    v = (int32_t)(c & 0x07);
    min = 0x10000;
  } else {
    *cp = 0xFFFD;
    return 1;
  }
  if (len < n) {
    *cp = 0xFFFD;
    return 1;
  }
  for (size_t i = 1; i < n; i++) {
    if ((u[i] & 0xC0) != 0x80) {
      *cp = 0xFFFD;
      return 1;
    }
    v = (v << 6) | (int32_t)(u[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
    *cp = 0xFFFD;
    return 1;
  }
  *cp = v;
  return n;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Lead bytes of a three-byte sequence that any two continuation bytes
 * complete: E1..EC and EE..EF (E0 and ED restrict the second byte). */
static const uint8_t lead3_any[256] = {
    [0xE1] = 1, [0xE2] = 1, [0xE3] = 1, [0xE4] = 1, [0xE5] = 1,
    [0xE6] = 1, [0xE7] = 1, [0xE8] = 1, [0xE9] = 1, [0xEA] = 1,
    [0xEB] = 1, [0xEC] = 1, [0xEE] = 1, [0xEF] = 1};

/* Whether the six bytes at u (eight readable) are two three-byte
 * characters (an ideograph or CJK punctuation each), each with a lead in
 * lead3_any: the leads looked up, the four continuation bytes (1, 2, 4
 * and 5) tested as one word. */
static inline bool two_any3(const unsigned char *u) {
  if (!(lead3_any[u[0]] & lead3_any[u[3]]))
    return false;
  uint64_t w;
  memcpy(&w, u, sizeof w);
  return (w & UINT64_C(0x0000C0C000C0C000)) == UINT64_C(0x0000808000808000);
}
#endif

#ifdef __SSE2__
/* How far the sixteen bytes at u are valid UTF-8 made of ASCII and
 * three-byte characters whose lead is in lead3_any (nearly all of a
 * report), starting at a character boundary: 16, or 15 or 14 when the
 * last character runs past the block (it is read again from its lead);
 * 0 when the block has anything else (the byte loop decides).  Each byte
 * classed at once: every byte from 0x80 up must be a continuation byte or
 * such a lead, and the continuation bytes exactly the two after each
 * lead. */
static inline size_t block16_valid(const unsigned char *u) {
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)u);
  uint32_t high = (uint32_t)_mm_movemask_epi8(v);
  if (!high)
    return 16;
  uint32_t cont = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(
      _mm_and_si128(v, _mm_set1_epi8((char)0xC0)), _mm_set1_epi8((char)0x80)));
  uint32_t lead = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(
      _mm_and_si128(v, _mm_set1_epi8((char)0xF0)), _mm_set1_epi8((char)0xE0)));
  /* E0 and ED restrict the byte after them: the byte loop's. */
  lead &= ~(uint32_t)_mm_movemask_epi8(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE0)),
                   _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xED))));
  if ((cont | lead) != high || (((lead << 1) | (lead << 2)) & 0xFFFF) != cont)
    return 0;
  return lead & 0x8000 ? 15 : lead & 0x4000 ? 14 : 16;
}
#endif

bool gk__utf8_valid(const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
#ifdef __SSE2__
    /* Sixteen bytes at a time while the blocks are plain (above); a block
     * that is not goes through the loop below, to its end. */
    size_t step;
    while (len - i >= 16 && (step = block16_valid(u + i)) != 0)
      i += step;
    size_t stop = len - i >= 16 ? i + 16 : len;
#else
    size_t stop = len;
#endif
    while (i < stop) {
      /* Eight ASCII bytes at a time: most of a report's markup, digits and
       * spacing. */
      if (len - i >= 8) {
        uint64_t w;
        memcpy(&w, u + i, 8);
        if (!(w & 0x8080808080808080u)) {
          i += 8;
          continue;
        }
      }
      if (u[i] < 0x80) {
        i++;
        continue;
      }
      /* A run of non-ASCII characters.  Three-byte sequences (all of CJK)
       * inline: the two continuation bytes tested as one word; E0 needs
       * A0.. (not overlong), ED ..9F (not a surrogate). */
      while (i < len && u[i] >= 0x80) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        /* Two three-byte characters at a time while they come (see
         * two_any3()); anything else takes the path below, one character at
         * a time. */
        if (len - i >= 8 && two_any3(u + i)) {
          do
            i += 6;
          while (len - i >= 8 && two_any3(u + i));
          continue;
        }
#endif
        unsigned c = u[i];
        if ((c & 0xF0) == 0xE0 && len - i >= 3) {
          unsigned b1 = u[i + 1], w = (b1 << 8) | u[i + 2];
          if ((w & 0xC0C0) == 0x8080 && (c != 0xE0 || b1 >= 0xA0) &&
              (c != 0xED || b1 <= 0x9F)) {
            i += 3;
            continue;
          }
        }
        int32_t cp;
        size_t n = gk__utf8_decode(s + i, len - i, &cp);
        if (cp == 0xFFFD && n == 1)
          return false;
        i += n;
      }
    }
  }
  return true;
}

size_t gk__utf8_encode(int32_t cp, char *out) {
  unsigned char *o = (unsigned char *)out;
  if (cp < 0x80) {
    o[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (unsigned char)(0xF0 | (cp >> 18));
  o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

static size_t fold_slow(int32_t cp, int32_t out[4]) {
  if (cp < 0x80 || gk__is_cjk(cp)) {
    out[0] = cp;
    return 1;
  }
  switch (cp) {
  case 0x201C: /* “ */
  case 0x201D: /* ” */
  case 0x201E:
  case 0x300C: /* 「 */
  case 0x300D: /* 」 */
  case 0x300E:
  case 0x300F:
  case 0xFF02:
    out[0] = '"';
    return 1;
  case 0x2018:
  case 0x2019:
    out[0] = '\'';
    return 1;
  case 0x3010: /* 【 */
    out[0] = '[';
    return 1;
  case 0x3011:
    out[0] = ']';
    return 1;
  case 0x2014: /* — */
  case 0x2015:
  case 0x2212: /* − */
    out[0] = '-';
    return 1;
  case 0xFEFF:
  case 0x200B:
    return 0;
  default:
    break;
  }
  if (gk__is_space(cp)) {
    out[0] = ' ';
    return 1;
  }
  utf8proc_int32_t buf[4];
  int last = 0;
  utf8proc_ssize_t n = utf8proc_decompose_char(
      cp, buf, 4, (utf8proc_option_t)(UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE),
      &last);
  if (n <= 0 || n > 4) {
    out[0] = cp;
    return 1;
  }
  for (utf8proc_ssize_t i = 0; i < n; i++)
    out[i] = buf[i];
  return (size_t)n;
}

/* The punctuation blocks a report's text is full of (general
 * punctuation, CJK symbols, full-width and half-width forms), folded once
 * per process: the character each folds to, or -1 when it folds to none
 * or to several (those take the slow path every time). */
#define FOLD_LO1 0x2000
#define FOLD_HI1 0x3400
#define FOLD_LO2 0xFE00
#define FOLD_HI2 0x10000
static int32_t fold_table[(FOLD_HI1 - FOLD_LO1) + (FOLD_HI2 - FOLD_LO2)];
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static void fold_init(void) {
  size_t k = 0;
  for (int32_t cp = FOLD_LO1; cp < FOLD_HI2; cp++) {
    if (cp == FOLD_HI1)
      cp = FOLD_LO2;
    int32_t f[4];
    fold_table[k++] = fold_slow(cp, f) == 1 ? f[0] : -1;
  }
}

size_t gk__fold_cp(int32_t cp, int32_t out[4]) {
  int32_t k = cp >= FOLD_LO1 && cp < FOLD_HI1 ? cp - FOLD_LO1
              : cp >= FOLD_LO2 && cp < FOLD_HI2
                  ? cp - FOLD_LO2 + (FOLD_HI1 - FOLD_LO1)
                  : -1;
  if (k >= 0) {
    pthread_once(&fold_once, fold_init);
    if (fold_table[k] >= 0) {
      out[0] = fold_table[k];
      return 1;
    }
  }
  return fold_slow(cp, out);
}

char *gk__utf8_nfkc(gk__arena *a, const char *s, size_t len) {
  utf8proc_uint8_t *res = NULL;
  utf8proc_ssize_t n =
      utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &res,
                   UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE);
  if (n < 0) {
    a->failed = true;
    return NULL;
  }
  char *p = gk__arena_strndup(a, (const char *)res, (size_t)n);
  free(res);
  return p;
}

size_t gk__utf8_cut_tail(const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  /* The last lead byte, at most three bytes from the end. */
  size_t k = len;
  while (k > 0 && len - k < 3 && (u[k - 1] & 0xC0) == 0x80)
    k--;
  if (k == 0)
    return 0;
  unsigned char lead = u[k - 1];
  size_t need = lead >= 0xF0 && lead <= 0xF4   ? 4
                : lead >= 0xE0 && lead <= 0xEF ? 3
                : lead >= 0xC2 && lead <= 0xDF ? 2
                                               : 0;
  size_t have = len - (k - 1);
  if (need == 0 || have >= need)
    return 0;
  /* The partial character must be a prefix of a valid one (E0 needs A0..,
   * ED below A0, F0 90.., F4 below 90) and everything before it valid. */
  if (have >= 2) {
    unsigned char c = u[k];
    if ((lead == 0xE0 && c < 0xA0) || (lead == 0xED && c > 0x9F) ||
        (lead == 0xF0 && c < 0x90) || (lead == 0xF4 && c > 0x8F))
      return 0;
  }
  return gk__utf8_valid(s, k - 1) ? have : 0;
}

size_t gk__cps_find_any(const int32_t *cp, size_t from, size_t n,
                        const int32_t *set, size_t n_set) {
  if (n_set > GK_FIND_ANY_MAX)
    n_set = GK_FIND_ANY_MAX;
  size_t i = from;
#ifdef __SSE2__
  __m128i want[GK_FIND_ANY_MAX];
  for (size_t k = 0; k < n_set; k++)
    want[k] = _mm_set1_epi32(set[k]);
  for (; i < n && n - i >= 4; i += 4) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(cp + i));
    __m128i hit = _mm_setzero_si128();
    for (size_t k = 0; k < n_set; k++)
      hit = _mm_or_si128(hit, _mm_cmpeq_epi32(v, want[k]));
    if (_mm_movemask_epi8(hit))
      break; /* the one of these four is found below */
  }
#endif
  for (; i < n; i++)
    for (size_t k = 0; k < n_set; k++)
      if (cp[i] == set[k])
        return i;
  return n;
}
