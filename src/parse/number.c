/*
 * number.c - tokens of the stream, and the one number grammar (see
 * parse.h).
 *
 * Every reader's text reaches the tables as the folded stream; this file
 * cuts it into numbers, blank markers and text, and is the only place
 * that decides what a number is.  The grammar's words are data
 * (format.h, "the number grammar"): signs and words of increase and
 * decrease, the marks that group thousands, blank markers, and what after
 * a number makes it no value (dates, enumerators, percentages).  Whether
 * a sign or a decimal is allowed in a cell is the column's business
 * (tables_assign.c's store()): here a token only says what was printed.
 *
 * Grouping is strict, because in flattened tables a comma may separate
 * cells: a first group of one to three digits without a leading zero,
 * then groups of exactly three digits, each after a group mark glued on
 * both sides or after a thin space.  "1,0,0,2" is four numbers; "9,487"
 * is one; "9,48" is 9 and 48, and in a real table's cell, where one cell
 * holds one value, it is unreadable (null with a diagnostic).
 */
#include <pthread.h>
#include <string.h>

#include "parse.h"

static bool is_digit(int32_t cp) { return cp >= '0' && cp <= '9'; }

/* The words of gk__number_signs and gk__number_not_after, folded once per
 * process, with their first code points as 64-bit masks (bit cp % 64):
 * sign_at() and no_value_after() run at almost every token, and looking
 * each word's pattern up (gk__pattern_of) every time cost more than
 * comparing it (issue 12).  A character whose bit is clear starts none
 * of the words; a set bit only means "maybe", and the words are compared
 * in their order, as the plain path does.  A list longer than
 * MAX_WORDS, or with a word longer than MAX_WORD_CPS characters, is not
 * kept, and the plain path looks its patterns up each time. */
bool gk__number_fast_paths = true;

/* The lists have 7 and 8 words of one or two characters today. */
#define MAX_WORDS 16
#define MAX_WORD_CPS 4

typedef struct word_list {
  int32_t cp[MAX_WORDS][MAX_WORD_CPS];
  size_t n_cps[MAX_WORDS];
  size_t n;
  uint64_t firsts;
  bool kept;
} word_list;

static word_list signs, not_after;
static pthread_once_t words_once = PTHREAD_ONCE_INIT;

static uint64_t bit_of(int32_t cp) {
  return (uint64_t)1 << ((uint32_t)cp % 64);
}

/* Folds text into the next word of w; false when it does not fit. */
static bool word_add(word_list *w, const char *text) {
  gk__pattern sp;
  const gk__pattern *p = gk__pattern_of(text, &sp);
  if (w->n == MAX_WORDS || p->n > MAX_WORD_CPS)
    return false;
  memcpy(w->cp[w->n], p->cp, p->n * sizeof p->cp[0]);
  w->n_cps[w->n++] = p->n;
  if (p->n > 0)
    w->firsts |= bit_of(p->cp[0]);
  return true;
}

static void words_make(void) {
  bool ok = true;
  for (size_t k = 0; ok && gk__number_signs[k].text; k++)
    ok = word_add(&signs, gk__number_signs[k].text);
  signs.kept = ok;
  ok = true;
  for (size_t k = 0; ok && gk__number_not_after[k]; k++)
    ok = word_add(&not_after, gk__number_not_after[k]);
  not_after.kept = ok;
}

/* The list's words when the fast path may use them, else NULL. */
static const word_list *kept_words(const word_list *w) {
  if (!gk__number_fast_paths)
    return NULL;
  pthread_once(&words_once, words_make);
  return w->kept ? w : NULL;
}

/* Whether the pattern p sits at s->ch[i, i + p->n) inside [i, to), glued
 * (no break, nothing masked after its first character). */
static bool glued_cps_at(const gk__stream *s, const uint8_t *mask, size_t i,
                         size_t to, const int32_t *cp, size_t n) {
  if (n == 0 || i + n > to)
    return false;
  for (size_t q = 0; q < n; q++) {
    if (s->ch[i + q].cp != cp[q] || (mask && mask[i + q]))
      return false;
    if (q > 0 && s->ch[i + q].brk != GK_BRK_NONE)
      return false;
  }
  return true;
}

static bool glued_at(const gk__stream *s, const uint8_t *mask, size_t i,
                     size_t to, const gk__pattern *p) {
  return glued_cps_at(s, mask, i, to, p->cp, p->n);
}

/* Whether the characters of a text token are a blank marker. */
static bool is_blank_marker(const gk__stream *s, size_t start, size_t end) {
  for (size_t m = 0; m < s->n_blanks; m++)
    if (gk__stream_equals(s, start, end, s->blanks[m]))
      return true;
  return false;
}

/* A sign at i glued to a digit: its length in characters (0: none). */
static size_t sign_at(const gk__stream *s, const uint8_t *mask, size_t i,
                      size_t to, int8_t *sign, bool *word) {
  const word_list *w = kept_words(&signs);
  if (w && !(w->firsts & bit_of(s->ch[i].cp)))
    return 0;
  for (size_t k = 0; gk__number_signs[k].text; k++) {
    gk__pattern sp;
    const int32_t *cp;
    size_t n;
    if (w) {
      cp = w->cp[k];
      n = w->n_cps[k];
    } else {
      const gk__pattern *p = gk__pattern_of(gk__number_signs[k].text, &sp);
      cp = p->cp;
      n = p->n;
    }
    if (!glued_cps_at(s, mask, i, to, cp, n))
      continue;
    size_t d = i + n;
    if (d < to && is_digit(s->ch[d].cp) && s->ch[d].brk == GK_BRK_NONE &&
        !(mask && mask[d])) {
      *sign = gk__number_signs[k].sign;
      *word = gk__number_signs[k].word;
      return n;
    }
  }
  return 0;
}

/* Digits glued from j on: how many. */
static size_t digit_run(const gk__stream *s, const uint8_t *mask, size_t j,
                        size_t to) {
  size_t n = 0;
  while (j + n < to && is_digit(s->ch[j + n].cp) && !(mask && mask[j + n]) &&
         (n == 0 || s->ch[j + n].brk == GK_BRK_NONE))
    n++;
  return n;
}

/* The length of a group separator at j (a glued mark, or nothing when the
 * digit at j follows a thin space), or SIZE_MAX when there is none. */
static size_t group_mark_at(const gk__stream *s, const uint8_t *mask, size_t j,
                            size_t to) {
  if (j >= to || (mask && mask[j]))
    return SIZE_MAX;
  if (s->ch[j].brk == GK_BRK_THIN && is_digit(s->ch[j].cp))
    return 0;
  if (s->ch[j].brk != GK_BRK_NONE)
    return SIZE_MAX;
  for (size_t k = 0; gk__number_group_marks[k]; k++) {
    gk__pattern sp;
    const gk__pattern *p = gk__pattern_of(gk__number_group_marks[k], &sp);
    if (glued_at(s, mask, j, to, p) && j + p->n < to &&
        s->ch[j + p->n].brk == GK_BRK_NONE)
      return p->n;
  }
  return SIZE_MAX;
}

/* Where grouped digits starting at j (first group of len digits) end, or
 * 0 when they are not a grouped number.  *marks gets the count of
 * groups after the first; *bad is set when a mark is followed by digits
 * that are no group (the text then cannot be read as one number). */
static size_t grouped_end(const gk__stream *s, const uint8_t *mask, size_t j,
                          size_t len, size_t to, size_t *groups, bool *bad) {
  *groups = 0;
  *bad = false;
  if (len > 3 || s->ch[j].cp == '0')
    return 0;
  size_t e = j + len;
  for (;;) {
    size_t m = group_mark_at(s, mask, e, to);
    if (m == SIZE_MAX)
      break;
    size_t g = digit_run(s, mask, e + m, to);
    if (g != 3) {
      if (m > 0 && g > 0)
        *bad = true;
      break;
    }
    e += m + 3;
    (*groups)++;
  }
  if (*bad)
    return 0;
  return *groups ? e : 0;
}

/* Whether what follows a number at j makes it no value. */
static bool no_value_after(const gk__stream *s, const uint8_t *mask, size_t j,
                           size_t to) {
  if (j >= to || s->ch[j].brk != GK_BRK_NONE)
    return false;
  const word_list *w = kept_words(&not_after);
  if (w) {
    if (!(w->firsts & bit_of(s->ch[j].cp)))
      return false;
    for (size_t k = 0; k < w->n; k++)
      if (glued_cps_at(s, mask, j, to, w->cp[k], w->n_cps[k]))
        return true;
    return false;
  }
  for (size_t k = 0; gk__number_not_after[k]; k++) {
    gk__pattern sp;
    const gk__pattern *p = gk__pattern_of(gk__number_not_after[k], &sp);
    if (glued_at(s, mask, j, to, p))
      return true;
  }
  return false;
}

/* Reads a number at i (after its sign, at digit position d) into t;
 * returns its end.  The caller has checked that s->ch[d] is a digit. */
static size_t read_number(const gk__stream *s, const uint8_t *mask, size_t d,
                          size_t to, gk__token *t) {
  size_t len = digit_run(s, mask, d, to), groups = 0;
  bool bad = false;
  size_t gend = grouped_end(s, mask, d, len, to, &groups, &bad);
  size_t j = d, end_int = gend ? gend : d + len;
  int64_t v = 0;
  uint8_t scale = 0;
  size_t digits = 0;
  bool overflow = false;
  for (; j < end_int; j++) {
    int32_t c = s->ch[j].cp;
    if (!is_digit(c))
      continue; /* a group mark */
    digits++;
    if (v > (GK_MAX_CELL_VALUE - 9) / 10)
      overflow = true;
    else
      v = v * 10 + (c - '0');
  }
  /* Decimals: '.' glued, then glued digits. */
  if (j + 1 < to && s->ch[j].cp == '.' && s->ch[j].brk == GK_BRK_NONE &&
      !(mask && mask[j]) && is_digit(s->ch[j + 1].cp) &&
      s->ch[j + 1].brk == GK_BRK_NONE && !(mask && mask[j + 1])) {
    size_t f = digit_run(s, mask, j + 1, to);
    for (size_t q = j + 1; q < j + 1 + f; q++) {
      digits++;
      scale++;
      if (v > (GK_MAX_CELL_VALUE - 9) / 10)
        overflow = true;
      else
        v = v * 10 + (s->ch[q].cp - '0');
    }
    j += 1 + f;
  }
  t->kind = GK_TOK_NUMBER;
  t->value = v;
  t->scale = scale;
  t->overflow = overflow;
  t->grouped = groups > 0;
  t->unreadable = bad;
  t->digits = digits;
  t->leading_zero = len > 1 && s->ch[d].cp == '0';
  return j;
}

size_t gk__tokenize(const gk__stream *s, const uint8_t *mask, size_t from,
                    size_t to, gk__token *out, size_t max) {
  size_t n = 0, i = from;
  if (to > s->n)
    to = s->n;
  while (i < to && n < max) {
    if (mask && mask[i]) {
      i++;
      continue;
    }
    gk__token *t = &out[n];
    memset(t, 0, sizeof *t);
    t->start = i;
    t->line = s->ch[i].line;
    t->run = s->ch[i].run;
    int8_t sign = 0;
    bool word = false;
    size_t ls =
        is_digit(s->ch[i].cp) ? 0 : sign_at(s, mask, i, to, &sign, &word);
    size_t j;
    if (is_digit(s->ch[i].cp) || ls > 0) {
      j = read_number(s, mask, i + ls, to, t);
      if (sign) {
        t->sign = sign;
        t->sign_word = word;
        if (sign < 0)
          t->value = -t->value;
      }
      if (no_value_after(s, mask, j, to)) {
        /* "2024年", "1." "3、": text up to the next break. */
        t->kind = GK_TOK_TEXT;
        while (j < to && !(mask && mask[j]) && s->ch[j].brk == GK_BRK_NONE &&
               !is_digit(s->ch[j].cp))
          j++;
      }
    } else {
      /* Text up to the next break or digit. */
      j = i + 1;
      while (j < to && !(mask && mask[j]) && s->ch[j].brk == GK_BRK_NONE &&
             !is_digit(s->ch[j].cp))
        j++;
      t->kind = is_blank_marker(s, i, j) ? GK_TOK_BLANK : GK_TOK_TEXT;
    }
    t->end = j;
    t->n_chars = j - i;
    n++;
    i = j;
  }
  return n;
}
