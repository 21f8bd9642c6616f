/*
 * base.h - the bottom of the pipeline: memory, buffers, text.
 *
 * Everything above (format, readers, parse, checks, writers) builds on
 * these few pieces:
 *
 * - gk__arena: one per report.  Bump allocation in chunks, freed all at
 *   once.  Allocation failure is sticky, as SQLite's mallocFailed: once a
 *   request failed, every later one returns NULL too, so a long chain of
 *   allocations needs only one check at the end (gk__arena_failed()).
 * - gk__buf: a growable byte buffer with a hard cap (curl's dynbuf), for
 *   data whose final size is unknown.  It is malloc-backed and freed by
 *   its owner.
 * - UTF-8: validation, decoding, and the folding used to compare labels
 *   (NFKC through utf8proc, plus the quote and punctuation variants seen
 *   in real reports).
 * - Encodings: detection and conversion of input bytes to UTF-8.
 * - gk__linemap: byte offset to line number.
 */
#ifndef GK_BASE_H
#define GK_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "gongkai.h"

/* ---------------------------------------------------------------- arena */

/* A chunk of arena memory; the arena is a list of them. */
typedef struct gk__chunk gk__chunk;

typedef struct gk__arena {
  gk__chunk *head;
  size_t used_total; /* bytes handed out, for the cap below */
  size_t cap;        /* 0: GK_ARENA_MAX_BYTES */
  bool failed;       /* sticky: set on the first failed allocation */
  bool capped;       /* ...because of the cap: a limit, not out-of-memory */
} gk__arena;

/* The per-report memory budget: the most one report may request from its
 * arena, 256 MiB.  The budget keeps one report (a request of the server, a
 * worker of a batch) from taking a machine's memory.  Going over it is a
 * limit of the input (gk_read_*() and gk_check() return GK_ELIMIT, the CLI
 * exits 3 saying so), never GK_ENOMEM.  What keeps the largest accepted
 * input inside it is GK_MAX_TEXT_BYTES below. */
#define GK_ARENA_MAX_BYTES ((size_t)256 << 20)

/* Decoded text per report (the bytes of every line a reader produced):
 * 8 MiB.  Real reports are 5 KB to 5 MB of text.  Peak memory grows by
 * about 12 bytes per byte of Chinese text and 20 per byte of ASCII-heavy
 * text (one folded character, 16 bytes of stream, per byte), on a base of
 * about 20 MiB: at 8 MiB of text the worst measured peak is 179 MiB
 * (docs/RELIABILITY.md has the figures and the command).  So the largest
 * accepted text stays within GK_ARENA_MAX_BYTES and 256 MiB of resident
 * memory whatever its script, with room for the checks and the render.
 * More is GK_ELIMIT with the limit named, before parsing. */
#define GK_MAX_TEXT_BYTES ((size_t)8 << 20)

void gk__arena_init(gk__arena *a);
/* Frees every chunk; the arena may be reused after gk__arena_init(). */
void gk__arena_free(gk__arena *a);
/* n bytes aligned for any type, uninitialised; NULL on failure (sticky). */
void *gk__arena_alloc(gk__arena *a, size_t n);
/* n zeroed bytes; NULL on failure. */
void *gk__arena_calloc(gk__arena *a, size_t count, size_t size);
/* A NUL-terminated copy of len bytes at s; NULL on failure. */
char *gk__arena_strndup(gk__arena *a, const char *s, size_t len);
char *gk__arena_strdup(gk__arena *a, const char *s);
/* printf into the arena; NULL on failure. */
char *gk__arena_printf(gk__arena *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static inline bool gk__arena_failed(const gk__arena *a) { return a->failed; }
/* Marks the arena failed (sticky), for memory that ran out outside it (a
 * malloc'd work buffer) in a pass whose result the report would lack: the
 * public entry point then says GK_ENOMEM instead of a different answer. */
static inline void gk__arena_fail(gk__arena *a) { a->failed = true; }

/* ------------------------------------------------------- fault injection */

#ifdef GK_FAULT_INJECT
/* Test builds only (fault.c): makes the n-th allocation request from now
 * on the calling thread fail (n >= 1; 0 disarms).  Exactly one request
 * fails; the ones after it succeed. */
void gk__fault_arm(unsigned long n);
/* Disarms; returns whether the armed failure happened and sets *requests
 * (may be NULL) to the number of requests counted since arming. */
bool gk__fault_disarm(unsigned long *requests);
/* Called by every allocator of the library before it allocates: true
 * when this request is the one that must fail. */
bool gk__fault_fail(void);
#else
static inline bool gk__fault_fail(void) { return false; }
#endif

/* ---------------------------------------------------------------- array */

/* Elements an array gets when it first grows. */
#define GK_ARRAY_FIRST 16

/* Bytes one growable array may take: 1 GiB.  The largest arrays of a
 * report are a PDF's runs and characters (GK_PDF_MAX_RUNS, 40 MB) and the
 * parser's stream (GK_MAX_STREAM_CHARS, 256 MB, which has its own cap);
 * an array that would pass this is a bug or an attack, and fails with
 * GK_ELIMIT before asking for the memory. */
#define GK_ARRAY_MAX_BYTES ((size_t)1 << 30)

/*
 * Makes room for `need` elements of `elem` bytes in the malloc'd array
 * whose pointer is at `array` (any T **, passed as void *; NULL with *cap
 * 0 when empty), which has room for *cap: the capacity doubles from
 * GK_ARRAY_FIRST and never passes `max` elements (the caller's named
 * limit; SIZE_MAX for none) or GK_ARRAY_MAX_BYTES.  GK_OK, GK_ELIMIT
 * (need is over the cap) or GK_ENOMEM; on failure the array and *cap are
 * as they were.  The caller frees the array.
 */
gk_status gk__array_grow(void *array, size_t *cap, size_t need, size_t elem,
                         size_t max);

/* The same for an array in arena `a`: the first n elements are copied to
 * the new room (the old stays in the arena until it is freed). */
gk_status gk__arena_array_grow(gk__arena *a, void *array, size_t *cap, size_t n,
                               size_t need, size_t elem, size_t max);

/* ------------------------------------------------------------------ buf */

typedef struct gk__buf {
  char *data; /* NUL-terminated when not NULL */
  size_t len;
  size_t cap; /* allocated */
  size_t max; /* hard cap on len */
  /* Sticky: memory ran out once.  Text built from many appends whose
   * statuses the caller does not check one by one would otherwise lose
   * a piece in the middle; the caller checks this once at the end. */
  bool oom;
} gk__buf;

void gk__buf_init(gk__buf *b, size_t max);
void gk__buf_free(gk__buf *b);
/* Appends; GK_ETOOBIG past the cap (the buffer keeps what it had),
 * GK_ENOMEM when realloc fails. */
gk_status gk__buf_append(gk__buf *b, const void *data, size_t len);
gk_status gk__buf_puts(gk__buf *b, const char *s);
gk_status gk__buf_putc(gk__buf *b, char c);
gk_status gk__buf_printf(gk__buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Hands the data to the caller (free() it) and resets the buffer. */
char *gk__buf_detach(gk__buf *b, size_t *len);
/* Whether an append ran out of memory (b->oom); when it did, marks the
 * arena failed too, so that the pass's public entry point says GK_ENOMEM
 * instead of keeping text with a piece missing. */
static inline bool gk__buf_oom_to(const gk__buf *b, gk__arena *a) {
  if (b->oom)
    a->failed = true;
  return b->oom;
}

/* ----------------------------------------------------------------- utf8 */

/* Whether len bytes at s are valid UTF-8 (no overlongs, no surrogates). */
bool gk__utf8_valid(const char *s, size_t len);

/* When len bytes at s are valid UTF-8 but for a character cut off at the
 * very end (a file truncated in the middle of one), the number of bytes
 * of that last partial character (1..3); otherwise 0. */
size_t gk__utf8_cut_tail(const char *s, size_t len);

/* Decodes one code point at s (at most len bytes); returns the number of
 * bytes used (1..4) and sets *cp.  Invalid input decodes as U+FFFD over
 * one byte. */
size_t gk__utf8_decode(const char *s, size_t len, int32_t *cp);

/* Encodes cp into out (4 bytes room); returns the byte count. */
size_t gk__utf8_encode(int32_t cp, char *out);

/* Room for the set of gk__cps_find_any(): a search looks for the first
 * characters of a few words. */
#define GK_FIND_ANY_MAX 16

/* The first index i in [from, n) where cp[i] is one of set[0..n_set)
 * (n_set at most GK_FIND_ANY_MAX), or n.  Four code points at a time where
 * the machine has SSE2: a whole report's stream is searched this way. */
size_t gk__cps_find_any(const int32_t *cp, size_t from, size_t n,
                        const int32_t *set, size_t n_set);

/*
 * Folds one code point for label comparison: NFKC (full-width ASCII to
 * ASCII, ideographic space to space, compatibility ideographs to unified
 * ones), then the variants real reports mix: curly, corner and straight
 * quotes all become '"'; 、 after an enumerator is handled by the parser,
 * not here.  Writes up to 4 code points to out and returns how many (0
 * means the character vanishes).
 */
size_t gk__fold_cp(int32_t cp, int32_t out[4]);

/* The first index from i on (at most len) whose byte is below 0x0E: the
 * line ends and tabs (and the other C0 controls up to CR) that readers
 * split text at.  Eight bytes at a time: a word without such a byte is
 * passed over whole (the test may also stop at a word that has none, in
 * which case the bytes are looked at one by one). */
static inline size_t gk__skip_plain(const char *s, size_t i, size_t len) {
  const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
  while (len - i >= 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    if ((w - ones * 0x0E) & ~w & highs)
      break;
    i += 8;
  }
  while (i < len && (unsigned char)s[i] >= 0x0E)
    i++;
  return i;
}

/* Sixteen bytes at a time (the readers' scans; issue 12): a bit for each
 * of the 16 bytes at s (bit k for s[k]; the caller guarantees 16 readable
 * bytes) that is below 0x0E (gk__ctrl_mask16: gk__skip_plain()'s test)
 * or equal to one of the given bytes.  One SSE2 compare each where the
 * machine has it, else a loop; both give the same bits. */
static inline uint32_t gk__ctrl_mask16(const char *s) {
#ifdef __SSE2__
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
  __m128i lim = _mm_set1_epi8(0x0D);
  return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, lim), v));
#else
  uint32_t m = 0;
  for (unsigned k = 0; k < 16; k++)
    m |= (uint32_t)((unsigned char)s[k] < 0x0E) << k;
  return m;
#endif
}

static inline uint32_t gk__eq_mask16(const char *s, char a, char b) {
#ifdef __SSE2__
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
  return (uint32_t)_mm_movemask_epi8(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(a)),
                   _mm_cmpeq_epi8(v, _mm_set1_epi8(b))));
#else
  uint32_t m = 0;
  for (unsigned k = 0; k < 16; k++)
    m |= (uint32_t)(s[k] == a || s[k] == b) << k;
  return m;
#endif
}

/* How many bytes of s[0, n) equal a (*na) and b (*nb): sixteen bytes at a
 * time where the machine has SSE2 (byte counters, summed before they can
 * wrap), else a loop. */
static inline void gk__count_bytes2(const char *s, size_t n, char a, char b,
                                    size_t *na, size_t *nb) {
  size_t ca = 0, cb = 0, i = 0;
#ifdef __SSE2__
  const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b),
                zero = _mm_setzero_si128();
  while (n - i >= 16) {
    /* At most 255 blocks before the byte counters are summed. */
    size_t blocks = (n - i) / 16;
    if (blocks > 255)
      blocks = 255;
    __m128i acc_a = zero, acc_b = zero;
    for (size_t k = 0; k < blocks; k++, i += 16) {
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
      acc_a = _mm_sub_epi8(acc_a, _mm_cmpeq_epi8(v, va));
      acc_b = _mm_sub_epi8(acc_b, _mm_cmpeq_epi8(v, vb));
    }
    __m128i sa = _mm_sad_epu8(acc_a, zero), sb = _mm_sad_epu8(acc_b, zero);
    ca += (size_t)_mm_cvtsi128_si32(sa) +
          (size_t)_mm_cvtsi128_si32(_mm_unpackhi_epi64(sa, sa));
    cb += (size_t)_mm_cvtsi128_si32(sb) +
          (size_t)_mm_cvtsi128_si32(_mm_unpackhi_epi64(sb, sb));
  }
#endif
  for (; i < n; i++) {
    ca += s[i] == a;
    cb += s[i] == b;
  }
  *na = ca;
  *nb = cb;
}

/* Decodes one code point exactly as gk__utf8_decode() does (len > 0);
 * ASCII and valid three-byte sequences, nearly all of Chinese text, inline
 * rather than through a call for every character. */
static inline size_t gk__utf8_next(const char *s, size_t len, int32_t *cp) {
  const unsigned char *u = (const unsigned char *)s;
  /* u[0] is inside the len > 0 bytes the caller passes.  The analyzer,
   * past a string gk__fold() wrote (parse/meta.c), loses its strlen(). */
  // NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult)
  if (u[0] < 0x80) {
    *cp = u[0];
    return 1;
  }
  if (len >= 3 && (u[0] & 0xF0) == 0xE0 && (u[1] & 0xC0) == 0x80 &&
      (u[2] & 0xC0) == 0x80) {
    int32_t v = ((u[0] & 0x0F) << 12) | ((u[1] & 0x3F) << 6) | (u[2] & 0x3F);
    if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) {
      *cp = v;
      return 3;
    }
  }
  return gk__utf8_decode(s, len, cp);
}

/* Whether cp is a CJK ideograph (the unified blocks and extension A). */
static inline bool gk__is_cjk(int32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF);
}

/* Whether cp is white space for layout purposes (ASCII space and tab,
 * U+3000, NBSP and the other Unicode spaces). */
static inline bool gk__is_space(int32_t cp) {
  if (cp < 0x80)
    return cp == ' ' || cp == '\t' || cp == '\v' || cp == '\f';
  switch (cp) {
  case 0xA0:
  case 0x3000:
  case 0xFEFF:
  case 0x200B:
    return true;
  default:
    return cp >= 0x2000 && cp <= 0x200A;
  }
}

/* gk__fold_cp() with the characters that make up most of a report
 * answered inline: ASCII and ideographs are themselves, the full-width
 * forms of ASCII (U+FF01..U+FF5E, "，" "：" "（") are their NFKC ASCII, and
 * 、 and 。 have no decomposition.  Everything else goes to gk__fold_cp(). */
static inline size_t gk__fold_cp_fast(int32_t cp, int32_t out[4]) {
  if (cp < 0x80 || gk__is_cjk(cp) || cp == 0x3001 || cp == 0x3002) {
    out[0] = cp;
    return 1;
  }
  if (cp >= 0xFF01 && cp <= 0xFF5E) {
    out[0] = cp - 0xFEE0;
    return 1;
  }
  return gk__fold_cp(cp, out);
}

/* NFKC-normalises len bytes of valid UTF-8 into the arena; NULL on
 * failure. */
char *gk__utf8_nfkc(gk__arena *a, const char *s, size_t len);

/* ------------------------------------------------------------- encoding */

/* What gk__to_utf8 found. */
typedef enum {
  GK_ENC_UTF8 = 0,
  GK_ENC_UTF8_BOM,
  GK_ENC_UTF16LE,
  GK_ENC_UTF16BE,
  GK_ENC_GB18030
} gk__encoding;

/*
 * Converts len bytes of text to UTF-8 in the arena.  UTF-8 (a BOM is
 * dropped) is copied; UTF-16 needs its BOM; anything else that is not
 * valid UTF-8 is tried as GB18030 (a superset of GBK and GB2312) with
 * iconv.  Returns GK_EENCODING when no conversion succeeds, GK_ENOMEM on
 * allocation failure.  The result is NUL-terminated; *enc says which
 * encoding was found.
 */
gk_status gk__to_utf8(gk__arena *a, const char *data, size_t len, char **out,
                      size_t *out_len, gk__encoding *enc);

/* ------------------------------------------------------------- line map */

typedef struct gk__linemap {
  const uint32_t *starts; /* byte offset of each line's first byte */
  uint32_t n_lines;
} gk__linemap;

/* Builds the map of len bytes at s; GK_ENOMEM, or GK_ELIMIT when the text
 * has more than GK_MAX_LINES lines. */
gk_status gk__linemap_build(gk__arena *a, const char *s, size_t len,
                            gk__linemap *map);
/* The 1-based line holding byte offset off. */
uint32_t gk__linemap_line(const gk__linemap *map, size_t off);

/* Lines in one input: 4 million.  A real report has a few hundred; the
 * cap bounds the layout's size for adversarial input. */
#define GK_MAX_LINES 4000000u

/* -------------------------------------------------------------- decimal */

/* Writes value / 10^scale with exactly `scale` decimals ("25000", "1.20",
 * "-0.05", "0.00035") into out[cap] (48 bytes are always enough for a
 * scale up to 18).  Returns the length, or 0 when it did not fit. */
size_t gk__decimal_text(int64_t value, int scale, char *out, size_t cap);

/* --------------------------------------------------------------- sha256 */

/* The SHA-256 of len bytes, as 64 lowercase hex digits into out[65]. */
void gk__sha256_hex(const void *data, size_t len, char out[65]);

#endif /* GK_BASE_H */
