/*
 * tables_match.c - matching, the table reader's first step (tables.c):
 * row labels aligned in the stream in order, tolerating breaks and stray
 * characters, and the masks that keep furniture, labels, enumerators and
 * page footers from being read as cells.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "tables_int.h"

/* Whether cp opens or closes an enumerator such as "1." "（三）" "2、". */
static bool is_enum_char(int32_t cp) {
  switch (cp) {
  case '.':
  case '(':
  case ')':
  case ',':
  case 0x3001: /* 、 */
  case 0x4E00: /* 一 */
  case 0x4E8C: /* 二 */
  case 0x4E09: /* 三 */
  case 0x56DB: /* 四 */
  case 0x4E94: /* 五 */
  case 0x516D: /* 六 */
  case 0x4E03: /* 七 */
  case 0x516B: /* 八 */
  case 0x4E5D: /* 九 */
  case 0x5341: /* 十 */
    return true;
  default:
    return cp >= '0' && cp <= '9';
  }
}

/*
 * Widens a label match [*start, *end) over the label's text before and
 * after its anchor (matched loosely, as far as it agrees) and over an
 * enumerator right before it, on the same line.
 */
static void widen(const gk__stream *s, const uint8_t *mask, size_t lo,
                  size_t hi, const gk__pattern *full, const gk__pattern *anc,
                  size_t *start, size_t *end) {
  /* Where the anchor sits in the full label (its first character
   * compared before the rest: issue 12). */
  size_t at = 0;
  bool found = false;
  for (size_t i = 0; i + anc->n <= full->n && !found; i++) {
    if ((anc->n == 0 || full->cp[i] == anc->cp[0]) &&
        memcmp(full->cp + i, anc->cp, anc->n * sizeof(int32_t)) == 0) {
      at = i;
      found = true;
    }
  }
  if (!found)
    at = 0;
  /* Backward over the label's head, on the anchor's line. */
  size_t pos = *start;
  uint32_t line = s->ch[*start].line;
  size_t j = at, strays = 0;
  while (j > 0 && pos > lo) {
    size_t q = pos - 1;
    if ((mask && mask[q]) || s->ch[q].line != line)
      break;
    if (s->ch[q].cp == full->cp[j - 1]) {
      j--;
      pos = q;
      strays = 0;
    } else if (strays < 1 && !(s->ch[q].cp >= '0' && s->ch[q].cp <= '9') &&
               q > lo && s->ch[q - 1].cp == full->cp[j - 1]) {
      /* One stray character inserted in the label. */
      strays++;
      j--;
      pos = q - 1;
    } else if (strays < 1 && !(s->ch[q].cp >= '0' && s->ch[q].cp <= '9') &&
               j >= 2 && q > lo && s->ch[q - 1].cp == full->cp[j - 2]) {
      /* One character mistyped ("属干" for "属于"). */
      strays++;
      j -= 2;
      pos = q - 1;
    } else {
      break;
    }
  }
  /* An enumerator the label did not spell the same way: "1." "2、"
   * "（三）" "一、".  It ends in punctuation: digits right before a label
   * are the previous row's values run into it ("行政处罚1282行政强制"). */
  size_t e = pos, n_enum = 0;
  bool punct = false;
  if (e > lo) {
    int32_t last = s->ch[e - 1].cp;
    punct = last == '.' || last == ')' || last == ',' || last == 0x3001;
  }
  while (punct && e > lo && n_enum < 6) {
    size_t q = e - 1;
    if ((mask && mask[q]) || s->ch[q].line != line ||
        !is_enum_char(s->ch[q].cp))
      break;
    e = q;
    n_enum++;
  }
  if (n_enum > 0) {
    /* Accept only if it begins the run, follows a break or follows no
     * digit: an enumerator is never glued to the previous row's digits. */
    if (s->ch[e].brk != GK_BRK_NONE || e == lo ||
        !(s->ch[e - 1].cp >= '0' && s->ch[e - 1].cp <= '9'))
      pos = e;
  }
  *start = pos;
  /* Forward over the label's tail; it may continue on the next lines. */
  pos = *end;
  j = at + anc->n;
  size_t gap = 0, consumed = pos;
  while (j < full->n && pos < hi) {
    if (mask && mask[pos])
      break;
    int32_t c = s->ch[pos].cp;
    if (c == full->cp[j]) {
      j++;
      gap = 0;
      consumed = pos + 1;
    } else if ((c >= '0' && c <= '9') || ++gap > 2) {
      break;
    }
    pos++;
  }
  *end = consumed;
}

/* Finds a row's label in [from, to): the anchor, then the variants. */
bool gk__find_row(const gk__stream *s, const uint8_t *mask, size_t from,
                  size_t to, const gk__rowdef *row, size_t *start, size_t *end,
                  int *variant) {
  gk__pattern sf, sa, sv;
  const gk__pattern *full = gk__pattern_of(row->label.text, &sf);
  const gk__pattern *anc = gk__pattern_of(
      row->label.anchor ? row->label.anchor : row->label.text, &sa);
  if (gk__stream_find(s, mask, from, to, anc, GK_MATCH_FUZZY, start, end)) {
    widen(s, mask, from, to, full, anc, start, end);
    *variant = -1;
    /* The bare anchor followed by words, not values: a column header
     * repeated where the table crosses a page ("总计" before 商业企业 …,
     * as `mutool draw -F txt` prints it), while the whole label comes
     * further on ("（七）总计 786 …").  The whole label is the row.  Only
     * then is the rest of the table searched again (issue 10). */
    size_t a, b;
    if (full->n > anc->n && *end - *start == anc->n && *end < to &&
        (!mask || !mask[*end]) && s->cp[*end] >= 0x4E00 &&
        s->cp[*end] <= 0x9FFF &&
        gk__stream_find(s, mask, *end, to, full, GK_MATCH_EXACT, &a, &b)) {
      *start = a;
      *end = b;
    }
    return true;
  }
  for (int v = 0; row->label.variants && row->label.variants[v]; v++) {
    const gk__pattern *vp = gk__pattern_of(row->label.variants[v], &sv);
    if (gk__stream_find(s, mask, from, to, vp, GK_MATCH_FUZZY, start, end)) {
      widen(s, mask, from, to, vp, vp, start, end);
      *variant = v;
      return true;
    }
  }
  return false;
}

void gk__mask_span(uint8_t *mask, size_t start, size_t end) {
  memset(mask + start, 1, end - start);
}

/* Whether a line is a page number left inside a table by PDF or Word
 * conversion: "- 4 -", "— 12 —", "第 3 页", "第3页 共8页".  A bare number
 * is not one: in some layouts a cell sits alone on its line. */
static bool is_page_footer(const gk__stream *s, size_t li) {
  size_t a = s->line_begin[li], b = s->line_end[li];
  if (a == b || b - a > 16)
    return false;
  const int32_t *cp = s->cp;
  size_t i = a, dashes = 0, digits = 0;
  if (cp[i] == 0x7B2C /* 第 */) {
    /* 第 N 页 (共 M 页) */
    for (i = a + 1; i < b && cp[i] >= '0' && cp[i] <= '9'; i++)
      digits++;
    if (!digits || i >= b || cp[i] != 0x9875 /* 页 */)
      return false;
    i++;
    if (i == b)
      return true;
    if (cp[i] != 0x5171 /* 共 */)
      return false;
    for (i++; i < b && cp[i] >= '0' && cp[i] <= '9'; i++)
      ;
    return i + 1 == b && cp[i] == 0x9875;
  }
  while (i < b && cp[i] == '-')
    i++, dashes++;
  while (i < b && cp[i] >= '0' && cp[i] <= '9')
    i++, digits++;
  size_t trail = 0;
  while (i < b && cp[i] == '-')
    i++, trail++;
  return i == b && digits > 0 && digits <= 4 && dashes > 0 && trail > 0;
}

void gk__mask_page_footers(const gk__stream *s, uint8_t *mask) {
  for (size_t li = 0; li < s->layout->n_lines; li++)
    if (is_page_footer(s, li))
      gk__mask_span(mask, s->line_begin[li], s->line_end[li]);
}

/* Whether the table's furniture f is also one of its rows' labels. */
static bool furniture_is_row(const gk__tabledef *t, size_t f) {
  bool is_row = false;
  for (int r = 0; r < t->n_rows && !is_row && t->layout == GK_LAYOUT_ROWS; r++)
    is_row = strcmp(t->rows[r].label.text, t->furniture[f].text) == 0;
  return is_row;
}

/* Which furniture of each table of the editions is a row label, found
 * once per process: gk__mask_furniture() runs for every table of every
 * report, and comparing each caption with each row label (strcmp) cost
 * about as much as the masking itself (issue 12).  Tables with more than
 * 64 furniture labels, and tables of no edition, are not kept. */
typedef struct furniture_rows {
  const gk__tabledef *t;
  uint64_t mask;
} furniture_rows;
static furniture_rows known_rows[2 * GK_N_TABLES];
static size_t n_known_rows;
static pthread_once_t known_rows_once = PTHREAD_ONCE_INIT;

static void known_rows_make(void) {
  static const gk_edition editions[] = {GK_EDITION_2021, GK_EDITION_2019};
  for (size_t e = 0; e < sizeof editions / sizeof editions[0]; e++) {
    const gk__edition_def *ed = gk__edition_get(editions[e]);
    for (int ti = 0; ed && ti < GK_N_TABLES; ti++) {
      const gk__tabledef *t = ed->tables[ti];
      if (!t || t->n_furniture > 64 ||
          n_known_rows == sizeof known_rows / sizeof known_rows[0])
        continue;
      uint64_t mask = 0;
      for (size_t f = 0; f < t->n_furniture; f++)
        if (furniture_is_row(t, f))
          mask |= (uint64_t)1 << f;
      known_rows[n_known_rows].t = t;
      known_rows[n_known_rows].mask = mask;
      n_known_rows++;
    }
  }
}

bool gk__furniture_rows(const gk__tabledef *t, uint64_t *mask) {
  pthread_once(&known_rows_once, known_rows_make);
  for (size_t k = 0; k < n_known_rows; k++)
    if (known_rows[k].t == t) {
      *mask = known_rows[k].mask;
      return true;
    }
  return false;
}

/* Masks every occurrence of the table's furniture in [from, to).  Returns
 * how many distinct furniture labels were seen, and sets *first to the
 * earliest start and *last_end to the latest end. */
int gk__mask_furniture(const gk__stream *s, uint8_t *mask, size_t from,
                       size_t to, const gk__tabledef *t, size_t *first,
                       size_t *last_end) {
  int distinct = 0;
  *first = to;
  *last_end = from;
  uint64_t rows_mask;
  bool known = gk__furniture_rows(t, &rows_mask);
  for (size_t f = 0; f < t->n_furniture; f++) {
    /* A caption that is also a row of this edition (2019's single
     * （六）其他处理 row) is the row's label, not furniture. */
    if (known ? (rows_mask >> f) & 1 : furniture_is_row(t, f))
      continue;
    gk__pattern sf, sa;
    const gk__pattern *full = gk__pattern_of(t->furniture[f].text, &sf);
    const gk__pattern *anc = gk__pattern_of(
        t->furniture[f].anchor ? t->furniture[f].anchor : t->furniture[f].text,
        &sa);
    size_t pos = from, a, b;
    bool seen = false;
    while (pos < to &&
           gk__stream_find(s, mask, pos, to, anc, GK_MATCH_EXACT, &a, &b)) {
      if (anc->n != full->n)
        widen(s, mask, from, to, full, anc, &a, &b);
      gk__mask_span(mask, a, b);
      if (a < *first)
        *first = a;
      if (b > *last_end)
        *last_end = b;
      seen = true;
      pos = b;
    }
    distinct += seen;
  }
  return distinct;
}
