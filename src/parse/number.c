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
#include <string.h>

#include "parse.h"

static bool is_digit(int32_t cp) { return cp >= '0' && cp <= '9'; }

/* Whether the pattern p sits at s->ch[i, i + p->n) inside [i, to), glued
 * (no break, nothing masked after its first character). */
static bool glued_at(const gk__stream *s, const uint8_t *mask, size_t i,
                     size_t to, const gk__pattern *p) {
  if (p->n == 0 || i + p->n > to)
    return false;
  for (size_t q = 0; q < p->n; q++) {
    if (s->ch[i + q].cp != p->cp[q] || (mask && mask[i + q]))
      return false;
    if (q > 0 && s->ch[i + q].brk != GK_BRK_NONE)
      return false;
  }
  return true;
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
  for (size_t k = 0; gk__number_signs[k].text; k++) {
    gk__pattern sp;
    const gk__pattern *p = gk__pattern_of(gk__number_signs[k].text, &sp);
    if (!glued_at(s, mask, i, to, p))
      continue;
    size_t d = i + p->n;
    if (d < to && is_digit(s->ch[d].cp) && s->ch[d].brk == GK_BRK_NONE &&
        !(mask && mask[d])) {
      *sign = gk__number_signs[k].sign;
      *word = gk__number_signs[k].word;
      return p->n;
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
