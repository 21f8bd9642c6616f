/*
 * stream.c - the folded character stream and label matching (see
 * parse.h); number.c reads tokens from it.  Everything the parser knows about
 * where text is goes through here.
 */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "base/fold.h"
#include "parse.h"

/* Where gk__stream_build() writes: the characters so far and the break
 * pending before the next one. */
typedef struct fold_out {
  gk__fch *ch;
  int32_t *cp;
  size_t k, cap;
  uint8_t brk;
} fold_out;

/* Thin spaces, which group a number's thousands ("12 345"). */
static bool is_thin_space(int32_t cp) {
  return cp == 0x2009 || cp == 0x202F || cp == 0x2006 || cp == 0x200A;
}

/* Footnote marks and other digits that are no numbers: circled,
 * parenthesised and full-stop digits (U+2460..U+24FF, U+2776..U+2793)
 * and superscripts.  NFKC would fold them to plain digits. */
static bool is_note_mark(int32_t cp) {
  return (cp >= 0x2460 && cp <= 0x24FF) || (cp >= 0x2776 && cp <= 0x2793) ||
         cp == 0xB9 || cp == 0xB2 || cp == 0xB3 ||
         (cp >= 0x2070 && cp <= 0x2079);
}

/* Appends the folded characters of one run (line li, run ri) to o, or
 * with `store` false only counts them; false when the stream is full.
 * Called with `store` a constant from fold_run() and count_run() below,
 * so each has the loop to itself without a branch per character on
 * whether it stores. */
static inline bool fold_run_as(fold_out *o, const char *text, size_t len,
                               uint32_t li, uint32_t ri, bool store) {
  const unsigned char *u = (const unsigned char *)text;
  size_t k = o->k, off = 0;
  uint8_t brk = o->brk;
  /* The arrays and their length in locals: stored through o, every
   * character's stores would make the compiler read them again. */
  gk__fch *ch = o->ch;
  int32_t *cps = o->cp;
  const size_t cap = o->cap;
  /* A character of this run after the first: its break is none. */
  const gk__fch joined = {.line = li, .run = ri, .brk = GK_BRK_NONE};
  while (off < len) {
    int32_t f[4], one;
    size_t m;
    unsigned c = u[off];
    if (c < 0x80) {
      off++;
      /* ASCII: itself; white space (CR included) only marks a break. */
      if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
        if (brk < GK_BRK_SPACE)
          brk = GK_BRK_SPACE;
        continue;
      }
      one = (int32_t)c;
      goto emit;
    }
    if (c - 0xE3u <= 6u && len - off >= 3 &&
        ((((uint32_t)u[off + 1] << 8) | u[off + 2]) & 0xC0C0u) == 0x8080u) {
      /* Three bytes from E3..E9: ideographs (which fold to themselves)
       * and CJK punctuation.  The two continuation bytes are taken as
       * one word: bits 8..13 and 0..5 are the payload. */
      uint32_t w = ((uint32_t)u[off + 1] << 8) | u[off + 2];
      one = (int32_t)(((c & 0x0Fu) << 12) | ((w >> 2) & 0xFC0u) | (w & 0x3Fu));
      off += 3;
      if (!gk__is_cjk(one)) {
        m = gk__fold_cp_fast(one, f);
        goto several;
      }
      if (k == cap)
        return false;
      if (store) {
        ch[k] = (gk__fch){.cp = one, .line = li, .run = ri, .brk = brk};
        cps[k] = one;
      }
      brk = GK_BRK_NONE;
      k++;
      /* The ideographs that follow it (most of Chinese text), each with
       * no break before it, in a loop of their own. */
      while (len - off >= 3 && u[off] - 0xE3u <= 6u) {
        w = ((uint32_t)u[off + 1] << 8) | u[off + 2];
        if ((w & 0xC0C0u) != 0x8080u)
          break;
        one = (int32_t)(((u[off] & 0x0Fu) << 12) | ((w >> 2) & 0xFC0u) |
                        (w & 0x3Fu));
        if (!gk__is_cjk(one))
          break;
        if (k == cap)
          return false;
        if (store) {
          memcpy(&ch[k], &joined, sizeof joined);
          ch[k].cp = one;
          cps[k] = one;
        }
        off += 3;
        k++;
      }
      continue;
    } else {
      int32_t cp;
      off += gk__utf8_next(text + off, len - off, &cp);
      if (is_thin_space(cp)) {
        if (brk < GK_BRK_THIN)
          brk = GK_BRK_THIN;
        continue;
      }
      if (is_note_mark(cp)) {
        /* Kept as it is: folded, "①" would be the digit 1. */
        one = cp;
        goto emit;
      }
      m = gk__fold_cp_fast(cp, f);
    }
  several:
    /* The rest: each folded code point in turn (one char may fold to
     * several, or to none). */
    for (size_t j = 0; j < m; j++) {
      if (gk__is_space(f[j])) {
        if (brk < GK_BRK_SPACE)
          brk = GK_BRK_SPACE;
        continue;
      }
      if (k == cap)
        return false;
      if (store) {
        ch[k] = (gk__fch){.cp = f[j], .line = li, .run = ri, .brk = brk};
        cps[k] = f[j];
      }
      brk = GK_BRK_NONE;
      k++;
    }
    continue;
  emit:
    if (k == cap)
      return false;
    if (store) {
      if (brk == GK_BRK_NONE) {
        memcpy(&ch[k], &joined, sizeof joined);
        ch[k].cp = one;
      } else {
        ch[k] = (gk__fch){.cp = one, .line = li, .run = ri, .brk = brk};
      }
      cps[k] = one;
    }
    brk = GK_BRK_NONE;
    k++;
  }
  o->k = k;
  o->brk = brk;
  return true;
}

/* A function of its own each, so that the loop has the registers to
 * itself. */
static bool fold_run(fold_out *o, const char *text, size_t len, uint32_t li,
                     uint32_t ri) {
  return fold_run_as(o, text, len, li, ri, true);
}

static bool count_run(fold_out *o, const char *text, size_t len) {
  return fold_run_as(o, text, len, 0, 0, false);
}

/* One pass over the layout's lines into o: counts only when o->ch is NULL.
 * False when more than o->cap characters come out. */
static bool fold_lines(const gk__layout *layout, fold_out *o, size_t *begin,
                       size_t *end) {
  for (size_t li = 0; li < layout->n_lines; li++) {
    const gk__line *line = &layout->lines[li];
    o->brk = GK_BRK_LINE;
    if (begin)
      begin[li] = o->k;
    for (uint32_t r = 0; r < line->n_runs; r++) {
      size_t ri = line->first_run + r;
      const gk__run *run = &layout->runs[ri];
      if (r > 0 && o->brk < GK_BRK_FIELD)
        o->brk = GK_BRK_FIELD;
      if (!(o->ch ? fold_run(o, run->text, run->len, (uint32_t)li, (uint32_t)ri)
                  : count_run(o, run->text, run->len)))
        return false;
    }
    if (end)
      end[li] = o->k;
  }
  return true;
}

/* The code points of len bytes of UTF-8 (its bytes but continuation
 * bytes): one stream character each, but for white space (none) and the
 * few characters that fold to several ("…" to "..."). */
static size_t count_code_points(const char *text, size_t len) {
  const unsigned char *u = (const unsigned char *)text;
  size_t n = 0, i = 0;
#ifdef __SSE2__
  /* Sixteen bytes at a time: a continuation byte (0x80..0xBF) is, as a
   * signed byte, below (signed char)0xC0; each lane counts its own (up to
   * 255 blocks), then the lanes are added. */
  const __m128i lead_min = _mm_set1_epi8((char)0xC0);
  const __m128i zero = _mm_setzero_si128();
  while (len - i >= 16) {
    __m128i cont = zero;
    size_t from = i;
    for (int b = 0; b < 255 && len - i >= 16; b++, i += 16) {
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
      cont = _mm_sub_epi8(cont, _mm_cmplt_epi8(v, lead_min));
    }
    __m128i sum = _mm_sad_epu8(cont, zero);
    n += i - from - (size_t)_mm_cvtsi128_si32(sum) -
         (size_t)_mm_extract_epi16(sum, 4);
  }
#endif
  /* Then eight at a time (most runs are a table cell's few bytes): a
   * continuation byte has bit 7 set and bit 6 clear; shifted left by one,
   * each byte's bit 6 lands on its bit 7.  The marks, one bit a byte, are
   * added by the multiplication into the top byte. */
  const uint64_t high = UINT64_C(0x8080808080808080);
  for (; len - i >= 8; i += 8) {
    uint64_t x;
    memcpy(&x, u + i, sizeof x);
    uint64_t cont = (x & ~(x << 1) & high) >> 7;
    n += 8 - (size_t)((cont * UINT64_C(0x0101010101010101)) >> 56);
  }
  for (; i < len; i++)
    n += (u[i] & 0xC0u) != 0x80u;
  return n;
}

/* Bytes between two runs of a text layout that gk__stream_build()
 * counts as one span: a line's end ("\r\n") or a tab, and a little
 * more. */
#define MAX_SPAN_GAP 4

/* Folds the layout into arrays of cap characters in s (its line arrays
 * already there); false when the characters are more. */
static bool fold_into(gk__arena *a, const gk__layout *layout, gk__stream *s,
                      size_t cap, fold_out *o) {
  s->ch = gk__arena_alloc(a, cap * sizeof *s->ch);
  s->cp = gk__arena_alloc(a, cap * sizeof *s->cp);
  if (!s->ch || !s->cp)
    return false;
  *o = (fold_out){.ch = s->ch, .cp = s->cp, .cap = cap};
  return fold_lines(layout, o, s->line_begin, s->line_end);
}

gk_status gk__stream_build(gk__arena *a, const gk__layout *layout,
                           gk__stream *s) {
  size_t bytes = 0, points = 0;
  /* In a text layout the runs are slices of the one source text, in
   * order: their code points are counted over spans of consecutive runs
   * together with the few bytes between them (a tab, a line end).  Most
   * runs are a cell's few bytes, and counted one by one each cost more
   * than its bytes.  Counting the bytes between too only raises points
   * (by about one a line), and points need only be at least the runs'
   * code points.  (In a table columns.c rewrote, a run may be a label
   * copied into the arena: the bytes after it, at most MAX_SPAN_GAP, are
   * its NUL and the arena's alignment in the same block.)  Other layouts'
   * runs are strings of their own, counted one by one. */
  bool spans = layout->format && strcmp(layout->format, "text") == 0;
  const char *span = NULL;
  size_t span_len = 0;
  for (size_t ri = 0; ri < layout->n_runs; ri++) {
    const gk__run *run = &layout->runs[ri];
    bytes += run->len;
    if (!spans) {
      points += count_code_points(run->text, run->len);
      continue;
    }
    if (run->len == 0)
      continue; /* no code points, wherever it points */
    uintptr_t at = (uintptr_t)run->text, end = (uintptr_t)span + span_len;
    if (span && at >= end && at - end <= MAX_SPAN_GAP) {
      span_len = (size_t)(at - (uintptr_t)span) + run->len;
      continue;
    }
    if (span)
      points += count_code_points(span, span_len);
    span = run->text;
    span_len = run->len;
  }
  if (span)
    points += count_code_points(span, span_len);
  if (bytes > GK_MAX_STREAM_CHARS * 4 || layout->n_runs > GK_MAX_STREAM_RUNS)
    return GK_ELIMIT;
  s->layout = layout;
  s->line_begin = gk__arena_alloc(a, (layout->n_lines + 1) * sizeof(size_t));
  s->line_end = gk__arena_alloc(a, (layout->n_lines + 1) * sizeof(size_t));
  if (!s->line_begin || !s->line_end)
    return GK_ENOMEM;
  /* The arrays (16 bytes a character) are sized by the code points: as
   * long as the text needs but for its white space.  Sized for the worst
   * case instead (twice the bytes), they took 40 bytes of the report's
   * memory budget per byte of text, six times what Chinese text (three
   * bytes a character) fills.  Only when characters that fold to several
   * outnumber the white space is that too short: then a first pass counts
   * the characters and the arrays are made exactly that long. */
  fold_out o;
  bool folded =
      points <= GK_MAX_STREAM_CHARS && fold_into(a, layout, s, points + 1, &o);
  if (!folded) {
    if (gk__arena_failed(a))
      return GK_ENOMEM;
    fold_out count = {.cap = GK_MAX_STREAM_CHARS};
    if (!fold_lines(layout, &count, NULL, NULL))
      return GK_ELIMIT;
    if (!fold_into(a, layout, s, count.k + 1, &o))
      return gk__arena_failed(a) ? GK_ENOMEM : GK_ELIMIT;
  }
  size_t k = o.k;
  if (k > GK_MAX_STREAM_CHARS)
    return GK_ELIMIT;
  s->n = k;
  size_t nb = 0;
  while (gk__blank_markers[nb])
    nb++;
  // NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pattern pointers
  s->blanks = gk__arena_alloc(a, (nb ? nb : 1) * sizeof *s->blanks);
  if (!s->blanks)
    return GK_ENOMEM;
  /* Room for the markers' patterns in case they were not folded once
   * for the process (memory ran out then); never written otherwise. */
  gk__pattern *scratch = gk__arena_alloc(a, (nb ? nb : 1) * sizeof *scratch);
  if (!scratch)
    return GK_ENOMEM;
  for (size_t m = 0; m < nb; m++)
    s->blanks[m] = gk__pattern_of(gk__blank_markers[m], &scratch[m]);
  s->n_blanks = nb;
  return GK_OK;
}

void gk__pattern_make(gk__pattern *p, const char *utf8) {
  size_t len = strlen(utf8), off = 0;
  p->n = 0;
  while (off < len && p->n < GK_MAX_LABEL) {
    int32_t cp, f[4];
    off += gk__utf8_decode(utf8 + off, len - off, &cp);
    size_t m = gk__fold_cp(cp, f);
    for (size_t j = 0; j < m && p->n < GK_MAX_LABEL; j++)
      if (!gk__is_space(f[j]))
        p->cp[p->n++] = f[j];
  }
}

static bool is_digit(int32_t cp) { return cp >= '0' && cp <= '9'; }

/* How many stray characters a fuzzy match of an n-character label may
 * skip in all, and between two label characters. */
static size_t max_strays(size_t n) {
  if (n <= 2)
    return 0;
  if (n <= 4)
    return 1;
  return n / 4 < 3 ? 2 : 3;
}
#define MAX_GAP 2

/* The first index in [i, to) where cp holds c, or to.  A label's first
 * character is rare in the text, so the scan is most of a search: with
 * SSE2 (every x86-64) eight code points are compared at a time. */
static inline size_t next_of(const int32_t *cp, size_t i, size_t to,
                             int32_t c) {
#ifdef __SSE2__
  const __m128i needle = _mm_set1_epi32(c);
  if (i < to && to - i >= 8) {
    /* One bound for the loop (the last block's start), and the match's
     * place in its block from the compares' masks, four bits a code
     * point, instead of a second scan (issue 12). */
    for (const size_t last = to - 8; i <= last; i += 8) {
      __m128i a = _mm_cmpeq_epi32(
          _mm_loadu_si128((const __m128i *)(const void *)(cp + i)), needle);
      __m128i b = _mm_cmpeq_epi32(
          _mm_loadu_si128((const __m128i *)(const void *)(cp + i + 4)), needle);
      if (_mm_movemask_epi8(_mm_or_si128(a, b))) {
        unsigned m = (unsigned)_mm_movemask_epi8(a) |
                     (unsigned)_mm_movemask_epi8(b) << 16;
        return i + (size_t)__builtin_ctz(m) / 4;
      }
    }
  }
#endif
  while (i < to && cp[i] != c)
    i++;
  return i;
}

bool gk__stream_find(const gk__stream *s, const uint8_t *mask, size_t from,
                     size_t to, const gk__pattern *p, gk__match_mode mode,
                     size_t *start, size_t *end) {
  if (p->n == 0 || to > s->n)
    return false;
  size_t allow = mode == GK_MATCH_FUZZY ? max_strays(p->n) : 0;
  const int32_t *cp = s->cp, first = p->cp[0];
  for (size_t i = from; (i = next_of(cp, i, to, first)) < to; i++) {
    if (mask && mask[i])
      continue;
    size_t j = 1, pos = i + 1, strays = 0, gap = 0;
    while (j < p->n && pos < to) {
      if (mask && mask[pos])
        break;
      int32_t c = cp[pos];
      /* The tests run in this order (a stray is counted only where the
       * character differs), so the equal bodies cannot be merged. */
      // NOLINTNEXTLINE(bugprone-branch-clone)
      if (c == p->cp[j]) {
        j++;
        gap = 0;
        // NOLINTNEXTLINE(bugprone-branch-clone)
      } else if (is_digit(c) || ++strays > allow) {
        break;
      } else if (j + 1 < p->n && pos + 1 < to && cp[pos + 1] != p->cp[j] &&
                 cp[pos + 1] == p->cp[j + 1]) {
        /* A mistyped character ("内容事务" for "内部事务"): it takes the
         * place of the label's character. */
        j++;
        gap = 0;
      } else if (++gap > MAX_GAP) {
        break;
      }
      pos++;
    }
    if (j == p->n) {
      *start = i;
      *end = pos;
      return true;
    }
  }
  return false;
}

bool gk__stream_equals(const gk__stream *s, size_t start, size_t end,
                       const gk__pattern *p) {
  if (end - start != p->n)
    return false;
  for (size_t i = 0; i < p->n; i++)
    if (s->ch[start + i].cp != p->cp[i])
      return false;
  return true;
}

char *gk__stream_text(gk__arena *a, const gk__stream *s, size_t start,
                      size_t end, bool keep_spaces) {
  if (end > s->n)
    end = s->n;
  size_t cap = (end > start ? end - start : 0) * 5 + 1;
  char *out = gk__arena_alloc(a, cap);
  if (!out)
    return NULL;
  size_t k = 0;
  for (size_t i = start; i < end; i++) {
    if (keep_spaces && i > start && s->ch[i].brk != GK_BRK_NONE)
      out[k++] = ' ';
    /* gk__utf8_encode(), inline: a cell's text is a few characters, and
     * every cell is copied (its provenance). */
    int32_t c = s->cp[i];
    if ((uint32_t)c - 0x800u < 0xF800u) {
      /* Three bytes (U+0800..U+FFFF: ideographs, CJK punctuation), most
       * characters of a label: written without the length's switch. */
      unsigned char *o = (unsigned char *)out + k;
      o[0] = (unsigned char)(0xE0 | (c >> 12));
      o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
      o[2] = (unsigned char)(0x80 | (c & 0x3F));
      k += 3;
      continue;
    }
    size_t w = gk__utf8_len(c);
    gk__utf8_put(c, out + k, w);
    k += w;
  }
  out[k] = '\0';
  return out;
}

uint32_t gk__stream_lineno(const gk__stream *s, size_t i) {
  if (s->n == 0)
    return 0;
  if (i >= s->n)
    i = s->n - 1;
  return s->layout->lines[s->ch[i].line].lineno;
}
