/*
 * tables.c - tables 2, 3 and 4: from the stream to cells.
 *
 * For each table of the report's edition (format/format.c):
 *
 * 1. The region is the part that holds the table, from its heading to the
 *    next part's heading.  The table starts at the first printed caption
 *    or header (its "furniture"); prose before it is never read as cells.
 *    A region without furniture has no table (an image-only table is
 *    absent, not zero).
 * 2. Furniture is masked, so digits in captions are never cells.
 * 3. Row labels are aligned in order: each row's anchor is searched after
 *    the previous row, tolerating breaks and stray characters, and the
 *    match is widened over the rest of the label and its enumerator
 *    ("1.", "（三）") so that their digits are masked too.
 * 4. A row's values are the number and blank-marker tokens between its
 *    label and the next row's label.  Exactly as many values as columns:
 *    read in order.  More: the row's own arithmetic picks which run of
 *    values is the row (cell.extra-values says what was dropped).  Fewer:
 *    when the source kept tab positions and exactly one placement fits,
 *    the empty positions are blank cells; otherwise no cell of the row is
 *    guessed: all are null and the diagnostic says why.
 * Table 4 prints one line of 15 numbers under a two-level header; it is
 * read as one row of 15 cells, and its block identities choose among
 * extra values.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"

/* Values read for one row at most; more is not a table row. */
#define MAX_ROW_VALUES 64
/* Tokens considered between two row labels. */
#define MAX_SPAN_TOKENS 512
/* Cells in one row of reading (table 4 reads 15 at once). */
#define MAX_SLOTS 16

/* A row label as a reviewer would name it: table 4's blocks with their
 * group ("行政诉讼·复议后起诉"), other rows by their label.  Formatted into
 * the report's arena (messages only). */
static const char *row_display_in(gk_report *r, const gk__tabledef *t,
                                  int row) {
  const gk__rowdef *rd = &t->rows[row];
  if (t->layout == GK_LAYOUT_BLOCKS && rd->group)
    return gk__arena_printf(&r->arena, "%s·%s", rd->group, rd->label.text);
  return rd->label.text;
}
#define row_display(t, row) row_display_in(p->r, (t), (row))

static char *row_path(gk_report *r, const gk__tabledef *t, int row) {
  return gk__arena_printf(&r->arena, "%s.%s", t->key, t->rows[row].key);
}

/* ------------------------------------------------------------ matching */

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
  /* Where the anchor sits in the full label. */
  size_t at = 0;
  bool found = false;
  for (size_t i = 0; i + anc->n <= full->n && !found; i++) {
    if (memcmp(full->cp + i, anc->cp, anc->n * sizeof(int32_t)) == 0) {
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
    /* Accept only if it begins the run or follows a break: an enumerator
     * is never glued to the previous row's digits. */
    if (s->ch[e].brk != GK_BRK_NONE || e == lo)
      pos = e;
    else if (!(s->ch[e - 1].cp >= '0' && s->ch[e - 1].cp <= '9'))
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
static bool find_row(const gk__stream *s, const uint8_t *mask, size_t from,
                     size_t to, const gk__rowdef *row, size_t *start,
                     size_t *end, int *variant) {
  gk__pattern sf, sa, sv;
  const gk__pattern *full = gk__pattern_of(row->label.text, &sf);
  const gk__pattern *anc = gk__pattern_of(
      row->label.anchor ? row->label.anchor : row->label.text, &sa);
  if (gk__stream_find(s, mask, from, to, anc, GK_MATCH_FUZZY, start, end)) {
    widen(s, mask, from, to, full, anc, start, end);
    *variant = -1;
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

static void mask_span(uint8_t *mask, size_t start, size_t end) {
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

static void mask_page_footers(const gk__stream *s, uint8_t *mask) {
  for (size_t li = 0; li < s->layout->n_lines; li++)
    if (is_page_footer(s, li))
      mask_span(mask, s->line_begin[li], s->line_end[li]);
}

/* Masks every occurrence of the table's furniture in [from, to).  Returns
 * how many distinct furniture labels were seen, and sets *first to the
 * earliest start and *last_end to the latest end. */
static int mask_furniture(const gk__stream *s, uint8_t *mask, size_t from,
                          size_t to, const gk__tabledef *t, size_t *first,
                          size_t *last_end) {
  int distinct = 0;
  *first = to;
  *last_end = from;
  for (size_t f = 0; f < t->n_furniture; f++) {
    /* A caption that is also a row of this edition (2019's single
     * （六）其他处理 row) is the row's label, not furniture. */
    bool is_row = false;
    for (int r = 0; r < t->n_rows && !is_row && t->layout == GK_LAYOUT_ROWS;
         r++)
      is_row = strcmp(t->rows[r].label.text, t->furniture[f].text) == 0;
    if (is_row)
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
      mask_span(mask, a, b);
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

/* --------------------------------------------------------- assignment */

typedef struct slot {
  gk__cell *cell;
  gk__value_kind kind;
  int row; /* table row of the cell */
  int col; /* column within the row */
} slot;

/* How well a candidate reading (values[i] for slots[i]) fits the
 * table's per-row identities: FIT_YES when every identity it touches can
 * be decided and holds, FIT_UNKNOWN when some cannot be decided (a blank
 * or a decimal is involved) and none fails, FIT_NO when one fails. */
typedef enum { FIT_NO = 0, FIT_UNKNOWN, FIT_YES } fit;

static fit fit_values(const gk__edition_def *ed, const gk__tabledef *t,
                      const slot *slots, size_t n, const int64_t *v,
                      const bool *known) {
  fit result = FIT_YES;
  bool decided = false; /* some identity was evaluated */
  for (size_t k = 0; k < ed->n_identities; k++) {
    const gk__identity *id = &ed->identities[k];
    if (id->table != t->id || id->axis != GK_AXIS_COLS)
      continue;
    /* Each row present among the slots. */
    for (size_t i = 0; i < n; i++) {
      if (slots[i].col != 0 || !(id->mask & (1u << slots[i].row)))
        continue;
      int row = slots[i].row;
      int64_t lhs = 0, rhs = 0;
      bool decidable = true;
      for (int side = 0; side < 2 && decidable; side++) {
        const int8_t *terms = side ? id->rhs : id->lhs;
        for (int q = 0; terms[q] >= 0 && decidable; q++) {
          bool got = false;
          for (size_t m = 0; m < n; m++) {
            if (slots[m].row == row && slots[m].col == terms[q]) {
              if (!known[m])
                decidable = false;
              else if (side)
                rhs += v[m];
              else
                lhs += v[m];
              got = true;
            }
          }
          if (!got)
            decidable = false;
        }
      }
      if (!decidable)
        result = FIT_UNKNOWN;
      else if (lhs != rhs)
        return FIT_NO;
      else
        decided = true;
    }
  }
  /* No identity touches these cells (table 2): the arithmetic says
   * nothing, which is not a "yes". */
  return decided ? result : FIT_UNKNOWN;
}

/* Whether the values come from more than one line of text without a
 * grid. */
static bool spread_over_lines(const gk__stream *s, const gk__token *const *vals,
                              size_t k) {
  for (size_t i = 0; i < k; i++)
    if (s->layout->runs[vals[i]->run].table >= 0)
      return false;
  for (size_t i = 1; i < k; i++)
    if (vals[i]->line != vals[0]->line)
      return true;
  return false;
}

/* Whether anything of the stream (masked furniture, text) lies between
 * the label's end and the first value or between two values. */
static bool interleaved(const gk__token *const *vals, size_t k,
                        size_t label_end) {
  if (k > 0 && vals[0]->start > label_end)
    return true;
  for (size_t i = 1; i < k; i++)
    if (vals[i]->start != vals[i - 1]->end)
      return true;
  return false;
}

/* Whether the nearest non-empty layout line before (dir -1) or after
 * (+1) line li holds nothing but numbers: parts of wrapped numbers in a
 * PDF's text, which no label claims. */
static bool numbers_only_line(const gk__stream *s, uint32_t li, int dir) {
  long l = (long)li + dir;
  while (l >= 0 && (size_t)l < s->layout->n_lines &&
         s->line_begin[l] == s->line_end[l])
    l += dir;
  if (l < 0 || (size_t)l >= s->layout->n_lines)
    return false;
  size_t digits = 0;
  for (size_t i = s->line_begin[l]; i < s->line_end[l]; i++) {
    int32_t c = s->cp[i];
    if (c >= '0' && c <= '9')
      digits++;
    else
      return false;
  }
  return digits > 0;
}

/* How many of the values sit on source line `lineno`. */
static size_t values_on_line(const gk__stream *s, const gk__token *const *vals,
                             size_t k, uint32_t lineno) {
  size_t m = 0;
  for (size_t i = 0; i < k; i++)
    m += gk__stream_lineno(s, vals[i]->start) == lineno;
  return m;
}

/* Whether a value is printed with a leading zero ("07"): a fragment of a
 * number (a wrapped cell in PDF text) or digits run together. */
static bool any_leading_zero(const gk__token *const *vals, size_t k) {
  for (size_t i = 0; i < k; i++)
    if (vals[i]->kind == GK_TOK_NUMBER && vals[i]->leading_zero)
      return true;
  return false;
}

/* Why a row's values were not placed, for its diagnostic. */
static const char *refuse_why(const gk__stream *s, const gk__token *const *vals,
                              size_t k) {
  if (any_leading_zero(vals, k))
    return "中有以 0 开头的数字，像是折行截断的一部分，且与本行的算术关系"
           "不符";
  if (spread_over_lines(s, vals, k))
    return "分散在几行，可能被折行截断或混入了别行的数字，不能确定都属于"
           "本行";
  return "怎样对应各列都不符合或不能唯一符合本行的算术关系";
}

/* Whether two windows of values read the same (numbers and blanks). */
static bool same_values(const gk__token *const *a, const gk__token *const *b,
                        size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (a[i]->kind != b[i]->kind)
      return false;
    if (a[i]->kind == GK_TOK_NUMBER &&
        (a[i]->value != b[i]->value || a[i]->scale != b[i]->scale))
      return false;
  }
  return true;
}

/* Whether some per-row identity of the table covers a row among the
 * slots. */
static bool row_has_identity(const gk__edition_def *ed, const gk__tabledef *t,
                             const slot *slots, size_t n) {
  for (size_t k = 0; k < ed->n_identities; k++) {
    const gk__identity *id = &ed->identities[k];
    if (id->table != t->id || id->axis != GK_AXIS_COLS)
      continue;
    for (size_t i = 0; i < n; i++)
      if (id->mask & (1u << slots[i].row))
        return true;
  }
  return false;
}

static fit fits_identities(const gk__edition_def *ed, const gk__tabledef *t,
                           const slot *slots, size_t n,
                           const gk__token *const *values) {
  int64_t v[MAX_SLOTS];
  bool known[MAX_SLOTS];
  for (size_t m = 0; m < n; m++) {
    const gk__token *tok = values[m];
    known[m] =
        tok && tok->kind == GK_TOK_NUMBER && !tok->scale && !tok->overflow;
    v[m] = known[m] ? tok->value : 0;
  }
  return fit_values(ed, t, slots, n, v, known);
}

/* ------------------------------------------------------- glued digits */

/* Crawlers that flatten a table drop the separators between cells, so a
 * row prints as one run of digits: "640020470" is 64|0|0|2|0|4|70.  The
 * split is decided by the table's own arithmetic: every way to cut the
 * runs into the row's cells (a number has no leading zero, so "0" always
 * stands alone) is tried, and only cuts that satisfy the row's identities
 * are kept; several survivors are settled, when they can be, by the
 * column identities over the whole table; what stays undecided is null
 * with cell.ambiguous listing the candidates.  Never a guess. */

/* Blank cells one cut may assume were dropped from a row: one keeps the
 * search small and covers the sparse rows crawlers flatten. */
#define MAX_DROPPED_CELLS 1
/* Candidate splits kept for one row; more is ambiguous at once. */
#define MAX_SPLIT_CANDIDATES 32
/* Recursion steps spent enumerating one row's splits: bounds the work for
 * a long digit run (a 40-digit run into 7 cells has 9 million cuts). */
#define MAX_SPLIT_STEPS 200000
/* Combinations of pending rows tried against the column identities. */
#define MAX_SPLIT_COMBINATIONS 100000
/* Column identities (one per identity and column) a table's pending rows
 * are settled by: table 3 has 2 x 7. */
#define MAX_SETTLE_CHECKS 32

typedef struct split_job {
  const gk__edition_def *ed;
  const gk__tabledef *t;
  const slot *slots;
  size_t n;
  /* the value tokens, as digit strings (blank markers: len 0) */
  const int32_t *digits[MAX_SLOTS];
  size_t len[MAX_SLOTS];
  bool blank[MAX_SLOTS];
  /* the token is one number whatever the cut: a value set apart by white
   * space that a number can be (no leading zero) */
  bool atomic[MAX_SLOTS];
  size_t k;
  /* the cut being built */
  int64_t v[MAX_SLOTS];
  bool known[MAX_SLOTS];
  /* results */
  int64_t (*cand)[MAX_SLOTS];
  bool (*cand_known)[MAX_SLOTS];
  size_t n_cand;
  long steps;
  bool overflow;       /* too many candidates or steps */
  bool use_identities; /* keep only cuts the row's identities accept */
  bool need_yes;       /* ... and only those they decide and accept */
  /* Cells a cut may leave blank without a marker: a crawler that drops
   * blank cells prints nothing for them.  For the arithmetic such a cell
   * counts as 0 (nothing printed, nothing counted). */
  size_t drops_left;
  bool dropped[MAX_SLOTS];
  /* A dropped cell is unknown to the arithmetic rather than 0: a blank
   * cell may stand for a number nobody printed. */
  bool drop_unknown;
} split_job;

static void split_rec(split_job *j, size_t tok, size_t pos, size_t slot_i) {
  if (j->overflow || ++j->steps > MAX_SPLIT_STEPS) {
    j->overflow = true;
    return;
  }
  if (tok == j->k && slot_i < j->n && j->drops_left >= j->n - slot_i) {
    /* The cells left were dropped. */
    size_t was = j->drops_left;
    for (size_t q = slot_i; q < j->n; q++) {
      j->known[q] = false;
      j->v[q] = 0;
      j->dropped[q] = true;
    }
    j->drops_left = 0;
    split_rec(j, tok, 0, j->n);
    j->drops_left = was;
    for (size_t q = slot_i; q < j->n; q++)
      j->dropped[q] = false;
    return;
  }
  if (tok == j->k) {
    if (slot_i != j->n)
      return;
    if (j->use_identities) {
      bool known[MAX_SLOTS];
      for (size_t q = 0; q < j->n; q++)
        known[q] = j->known[q] || (j->dropped[q] && !j->drop_unknown);
      fit f = fit_values(j->ed, j->t, j->slots, j->n, j->v, known);
      if (f == FIT_NO || (j->need_yes && f != FIT_YES))
        return;
    }
    /* Without the identities only a single cut counts: a second one ends
     * the search (the caller then searches again with them). */
    if (!j->use_identities && j->n_cand == 1) {
      j->overflow = true;
      return;
    }
    if (j->n_cand == MAX_SPLIT_CANDIDATES) {
      j->overflow = true;
      return;
    }
    memcpy(j->cand[j->n_cand], j->v, sizeof j->v);
    memcpy(j->cand_known[j->n_cand], j->known, sizeof j->known);
    j->n_cand++;
    return;
  }
  /* Slots left must be fillable by the tokens left: each needs at least
   * one slot and at most one slot per digit. */
  size_t min_left = 0, max_left = j->drops_left;
  for (size_t q = tok + 1; q < j->k; q++) {
    min_left++;
    max_left += j->blank[q] || j->atomic[q] ? 1 : j->len[q];
  }
  if (j->drops_left > 0 && slot_i < j->n) {
    /* This cell was dropped: the token goes to the next one. */
    j->known[slot_i] = false;
    j->v[slot_i] = 0;
    j->dropped[slot_i] = true;
    j->drops_left--;
    split_rec(j, tok, pos, slot_i + 1);
    j->drops_left++;
    j->dropped[slot_i] = false;
    if (j->overflow)
      return;
  }
  if (slot_i >= j->n)
    return;
  if (j->blank[tok]) {
    j->known[slot_i] = false;
    j->v[slot_i] = 0;
    if (j->n - slot_i - 1 >= min_left && j->n - slot_i - 1 <= max_left)
      split_rec(j, tok + 1, 0, slot_i + 1);
    return;
  }
  size_t rest = j->len[tok] - pos;
  int64_t val = 0;
  for (size_t l = j->atomic[tok] ? rest : 1; l <= rest && slot_i < j->n; l++) {
    if (l > 1 && j->digits[tok][pos] == '0')
      break; /* no leading zeros */
    if (l > 12)
      break; /* GK_MAX_CELL_VALUE */
    if (j->atomic[tok]) {
      /* The whole token at once (the loop started at its length). */
      val = 0;
      for (size_t q = 0; q < l; q++)
        val = val * 10 + (j->digits[tok][pos + q] - '0');
    } else {
      val = val * 10 + (j->digits[tok][pos + l - 1] - '0');
    }
    j->v[slot_i] = val;
    j->known[slot_i] = true;
    if (l == rest) {
      size_t left = j->n - slot_i - 1;
      if (left >= min_left && left <= max_left)
        split_rec(j, tok + 1, 0, slot_i + 1);
    } else {
      split_rec(j, tok, pos + l, slot_i + 1);
    }
    if (j->overflow)
      return;
  }
}

/* Whether the value tokens are candidates for splitting: integers (no
 * sign, no decimals) and blank markers, with at least one digit run
 * longer than one. */
static bool splittable(const gk__stream *s, const gk__token *const *vals,
                       size_t k) {
  bool multi = false;
  for (size_t i = 0; i < k; i++) {
    /* A real table's cell is exact: its digits are one number. */
    if (s->layout->runs[vals[i]->run].table >= 0)
      return false;
    /* A blank marker set apart by white space from its neighbours: the
     * text marks its blank cells and keeps its separators, so a run of
     * digits is one number ("77    —", "26  /  —  /  26"), not cells run
     * together. */
    if (vals[i]->kind == GK_TOK_BLANK &&
        ((i > 0 && s->ch[vals[i]->start].brk >= GK_BRK_THIN) ||
         (i + 1 < k && s->ch[vals[i + 1]->start].brk >= GK_BRK_THIN)))
      return false;
    if (vals[i]->kind == GK_TOK_BLANK)
      continue;
    if (vals[i]->kind != GK_TOK_NUMBER || vals[i]->scale || vals[i]->sign ||
        vals[i]->grouped || vals[i]->unreadable)
      return false;
    if (vals[i]->n_chars > 1)
      multi = true;
  }
  return multi;
}

/* What reading a row came to. */
typedef enum {
  READ_OK = 0,     /* one value per cell */
  READ_EXTRA,      /* more values than cells; some dropped */
  READ_POSITIONAL, /* fewer values, placed by tab positions */
  READ_SPLIT,      /* glued digits, split one way */
  READ_PENDING,    /* glued digits, several splits: settled later */
  READ_UNPLACED,   /* fewer values and no way to place them */
  READ_REFUSED     /* values the row's arithmetic rejects wherever they
                      are placed: null, with a diagnostic of its own */
} read_outcome;

/* In a real table whose header columns were all found in the grid, each
 * value goes to the header column with the same grid column; a header
 * column without a value is a blank cell.  Values outside the header's
 * columns (a label's spanned cells) are not cells of the row. */
/* Whether the layout run holds only white space. */
static bool run_empty(const gk__run *run) {
  for (uint32_t i = 0; i < run->len; i++) {
    char c = run->text[i];
    if (c != ' ' && c != '\t' && c != '\r')
      return false;
  }
  return true;
}

/*
 * Places k values (k < n) by their tab fields.  The values must all sit
 * on one line, one per field; the cells are a window of n consecutive
 * fields after `min_field` in which every field without a value is empty.
 * Exactly one such window must exist.  On success fills placed[] (NULL for
 * a blank cell) and returns true.
 */
static bool place_by_fields(const gk__stream *s, const gk__token *const *vals,
                            size_t k, size_t n, uint32_t min_field,
                            const gk__token **placed) {
  if (k == 0)
    return false;
  const gk__layout *l = s->layout;
  uint32_t line = vals[0]->line;
  const gk__line *ln = &l->lines[line];
  uint32_t fields[MAX_SLOTS];
  for (size_t i = 0; i < k; i++) {
    if (vals[i]->line != line)
      return false;
    fields[i] = vals[i]->run - ln->first_run;
    if (i > 0 && fields[i] <= fields[i - 1])
      return false; /* two values in one field */
  }
  if (ln->n_runs < n)
    return false;
  long found = -1;
  for (uint32_t w = min_field; w + n <= ln->n_runs; w++) {
    if (fields[0] < w || fields[k - 1] >= w + n)
      continue;
    bool ok = true;
    size_t vi = 0;
    for (uint32_t f = w; f < w + n && ok; f++) {
      if (vi < k && fields[vi] == f)
        vi++;
      else if (!run_empty(&l->runs[ln->first_run + f]))
        ok = false;
    }
    if (!ok)
      continue;
    if (found >= 0)
      return false; /* two placements fit: do not guess */
    found = w;
  }
  if (found < 0)
    return false;
  size_t vi = 0;
  for (size_t c = 0; c < n; c++) {
    uint32_t f = (uint32_t)found + (uint32_t)c;
    placed[c] = (vi < k && fields[vi] == f) ? vals[vi++] : NULL;
  }
  return true;
}

/* Per-table notes gathered while reading rows, for one summary. */
/* A row whose digits split more than one way, settled (or not) once the
 * whole table is read. */
typedef struct pending_row {
  slot slots[MAX_SLOTS];
  size_t n;
  int64_t (*cand)[MAX_SLOTS];
  bool (*cand_known)[MAX_SLOTS];
  size_t n_cand;
  bool overflow; /* more candidates than kept: ambiguous whatever happens */
  const char *label;
  const char *printed; /* the row's value tokens as printed */
  uint32_t line;
} pending_row;

/* Rows of one table that can be pending (table 3 has 25). */
#define MAX_PENDING_ROWS 32

/* Per-table notes gathered while reading rows, for one summary. */
typedef struct table_notes {
  int n_extra_rows;
  int first_extra_row;
  size_t first_extra_k;
  uint32_t first_extra_line;
  int n_listed;      /* rows whose dropped values are in `dropped` */
  char dropped[256]; /* "“label”舍去 1、2；…" for the first rows */
  /* glued digits */
  int n_split_rows;
  uint32_t first_split_line;
  const char *first_split; /* "“label”640020470 → 64、0、…" */
  size_t n_pending;
  /* Real tables (HTML, DOCX, Markdown): the grid column of each header
   * column (自然人 … 总计), when every one was found in the grid. */
  bool have_grid;
  int32_t grid_col[MAX_SLOTS];
  /* Last, and not cleared by notes_init(): an entry is written whole
   * when it is added (14 KB, twice a report). */
  pending_row pending[MAX_PENDING_ROWS];
} table_notes;

static void notes_init(table_notes *tn) {
  memset(tn, 0, offsetof(table_notes, pending));
}

static bool place_by_grid(const gk__stream *s, const table_notes *tn,
                          const gk__token *const *vals, size_t k, size_t n,
                          const gk__token **placed) {
  if (!tn->have_grid)
    return false;
  for (size_t c = 0; c < n; c++)
    placed[c] = NULL;
  size_t used = 0;
  for (size_t i = 0; i < k; i++) {
    const gk__run *run = &s->layout->runs[vals[i]->run];
    if (run->table < 0)
      return false;
    for (size_t c = 0; c < n; c++) {
      if (tn->grid_col[c] == run->col) {
        if (placed[c])
          return false; /* two values in one cell: not a grid row */
        placed[c] = vals[i];
        used++;
        break;
      }
    }
  }
  return used > 0;
}

/* Rows whose dropped values the summary spells out; the rest are "等". */
#define MAX_LISTED_ROWS 2

static void append_dropped(gk__arena *a, table_notes *tn, const char *label,
                           const gk__token *const *vals, size_t from,
                           size_t to) {
  if (tn->n_listed >= MAX_LISTED_ROWS)
    return;
  gk__buf b;
  gk__buf_init(&b, sizeof tn->dropped - 1);
  gk__buf_puts(&b, tn->dropped);
  gk__buf_printf(&b, "%s“%s”舍去", tn->n_listed ? "；" : "", label);
  for (size_t i = from; i < to && i < from + 8; i++) {
    const char *sep = i > from ? "、" : " ";
    if (vals[i]->kind == GK_TOK_NUMBER)
      gk__buf_printf(&b, "%s%lld", sep, (long long)vals[i]->value);
    else
      gk__buf_printf(&b, "%s空", sep);
  }
  /* Only whole entries: a cut one would misquote the source. */
  if (!gk__buf_oom_to(&b, a) && b.data && b.len < sizeof tn->dropped) {
    memcpy(tn->dropped, b.data, b.len + 1);
    tn->n_listed++;
  }
  gk__buf_free(&b);
}

/* The value tokens of a row as printed, separated by spaces. */
static char *printed_tokens(gk__parse *p, const gk__token *const *vals,
                            size_t k) {
  gk__buf b;
  gk__buf_init(&b, 4096);
  for (size_t i = 0; i < k; i++) {
    char *t = gk__stream_text(&p->r->arena, &p->s, vals[i]->start, vals[i]->end,
                              false);
    if (i)
      gk__buf_putc(&b, ' ');
    if (t)
      gk__buf_puts(&b, t);
  }
  gk__buf_oom_to(&b, &p->r->arena);
  char *out = gk__arena_strdup(&p->r->arena, b.data ? b.data : "");
  gk__buf_free(&b);
  return out;
}

/* "64、0、0、2" for a candidate (blank parts as 空). */
static void values_text(gk__buf *b, const int64_t *v, const bool *known,
                        size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (i)
      gk__buf_puts(b, "、");
    if (known[i])
      gk__buf_printf(b, "%lld", (long long)v[i]);
    else
      gk__buf_puts(b, "空");
  }
}

/* Stores a split's values into the row's cells. */
static void store_split(gk__parse *p, const slot *slots, size_t n,
                        const int64_t *v, const bool *known, uint32_t line) {
  (void)p;
  for (size_t i = 0; i < n; i++) {
    gk__cell *c = slots[i].cell;
    c->state = known[i] ? GK_CELL_VALUE : GK_CELL_NULL;
    c->value = known[i] ? v[i] : 0;
    c->scale = 0;
    c->line = line;
    c->text = NULL; /* a part of glued digits: no token of its own */
    c->page = 0;
  }
}

static void note_split(gk__parse *p, table_notes *tn, const char *label,
                       const char *printed, const int64_t *v, const bool *known,
                       size_t n, uint32_t line) {
  if (tn->n_split_rows++ > 0)
    return;
  gk__buf b;
  gk__buf_init(&b, 1024);
  gk__buf_printf(&b, "“%s”%s → ", label, printed);
  values_text(&b, v, known, n);
  gk__buf_oom_to(&b, &p->r->arena);
  tn->first_split = gk__arena_strdup(&p->r->arena, b.data ? b.data : "");
  tn->first_split_line = line;
  gk__buf_free(&b);
}

/* Blank cells a cut may take as dropped when checking whether a cut the
 * arithmetic does not confirm is forced: a few cover the sparse rows, and
 * MAX_SPLIT_STEPS bounds the work (an overflow counts as not forced). */
#define MAX_UNFORCED_DROPS 3
/* Candidate cuts a cell.ambiguous message lists; more are "等". */
#define MAX_LISTED_CANDIDATES 4

/* Rows of one report whose cut is not forced (tables 2 to 4 have 40). */
#define MAX_UNFORCED_ROWS 48

typedef struct gk__unforced_row {
  gk__cell *cells[MAX_SLOTS];
  size_t n;
  uint32_t line;
  const char *path;
  const char *msg;
} gk__unforced_row;

/*
 * Whether the single cut in j->cand[0] is forced.  It is when the row's
 * identities decide it and hold, or when the text marks its blank cells or
 * keeps separators between values (then a run of digits is cells run
 * together, every cell printed).  Otherwise a crawler that runs the digits
 * together may also have dropped blank cells: "512" for three cells is
 * 5|1|2, or 51|2 or 5|12 with a blank dropped.  The cut is forced only when
 * no cut with dropped cells fits the row (digits that cannot join, like
 * "000", or identities no other cut satisfies).  On return j->cand holds,
 * after the cut, the other cuts found.
 */
static bool cut_is_forced(split_job *j, const gk__edition_def *ed,
                          const gk__tabledef *t, const slot *slots, size_t n,
                          const gk__token *const *vals, size_t k) {
  if (fit_values(ed, t, slots, n, j->cand[0], j->cand_known[0]) == FIT_YES)
    return true;
  if (j->need_yes)
    return true;
  for (size_t i = 0; i < k; i++)
    if (vals[i]->kind == GK_TOK_BLANK)
      return true; /* the text marks its blank cells */
  int64_t first_v[MAX_SLOTS];
  bool first_known[MAX_SLOTS];
  memcpy(first_v, j->cand[0], sizeof first_v);
  memcpy(first_known, j->cand_known[0], sizeof first_known);
  j->n_cand = 1;
  j->steps = 0;
  j->overflow = false;
  j->use_identities = true;
  j->drop_unknown = true;
  j->drops_left = n > MAX_UNFORCED_DROPS ? MAX_UNFORCED_DROPS : n - 1;
  /* The search starts after the cut already held: keep it in slot 0 by
   * searching into slots 1.. and dropping any copy of it. */
  size_t was = j->n_cand;
  split_rec(j, 0, 0, 0);
  size_t out = was;
  for (size_t c = was; c < j->n_cand; c++) {
    if (!memcmp(j->cand[c], first_v, n * sizeof *first_v) &&
        !memcmp(j->cand_known[c], first_known, n * sizeof *first_known))
      continue;
    if (out != c) {
      memcpy(j->cand[out], j->cand[c], sizeof j->cand[c]);
      memcpy(j->cand_known[out], j->cand_known[c], sizeof j->cand_known[c]);
    }
    out++;
  }
  j->n_cand = out;
  return !j->overflow && j->n_cand == 1;
}

/*
 * Tries to split a row's glued digit runs into its n cells.  Returns
 * READ_SPLIT (one split: stored), READ_PENDING (several: registered in
 * tn, cells left null) or READ_UNPLACED (none).
 */
static int try_split(gk__parse *p, const gk__edition_def *ed,
                     const gk__tabledef *t, const slot *slots, size_t n,
                     const gk__token *const *vals, size_t k, table_notes *tn,
                     const char *label, uint32_t label_line) {
  split_job *j = gk__arena_calloc(&p->r->arena, 1, sizeof *j);
  if (!j)
    return -1;
  j->ed = ed;
  j->t = t;
  j->slots = slots;
  j->n = n;
  j->k = k;
  for (size_t i = 0; i < k; i++) {
    j->blank[i] = vals[i]->kind == GK_TOK_BLANK;
    j->digits[i] = p->s.cp + vals[i]->start;
    j->len[i] = j->blank[i] ? 0 : vals[i]->end - vals[i]->start;
  }
  j->cand =
      gk__arena_alloc(&p->r->arena, MAX_SPLIT_CANDIDATES * sizeof *j->cand);
  j->cand_known = gk__arena_alloc(&p->r->arena,
                                  MAX_SPLIT_CANDIDATES * sizeof *j->cand_known);
  if (!j->cand || !j->cand_known)
    return -1;
  /* Values set apart by white space or line ends: the text kept some
   * separators, so a run of digits may well be one number; it is cut
   * only where the row's arithmetic decides the cut and holds. */
  for (size_t i = 1; i < k; i++)
    if (p->s.ch[vals[i]->start].brk >= GK_BRK_THIN)
      j->need_yes = true;
  /* There, when the tokens are as many as the cells but for a dropped
   * blank, each is one cell: a token a number can be ("11", "724") is
   * that number, and only one no number can be ("00", "011") is cells run
   * together.  Fewer tokens are runs of cells ("2600000 26"). */
  for (size_t i = 0; i < k && j->need_yes && k + MAX_DROPPED_CELLS >= n; i++)
    j->atomic[i] = !j->blank[i] && !(j->len[i] > 1 && j->digits[i][0] == '0');
  /* First the cut that needs no arithmetic: the only one there is when
   * every printed cell is there (seven digits for seven cells).  When the
   * row's identities decide it and hold, it is the row. */
  split_rec(j, 0, 0, 0);
  bool have_first = !j->overflow && j->n_cand == 1;
  int64_t first_v[MAX_SLOTS];
  bool first_known[MAX_SLOTS];
  fit first_fit = FIT_NO;
  if (have_first) {
    memcpy(first_v, j->cand[0], sizeof first_v);
    memcpy(first_known, j->cand_known[0], sizeof first_known);
    first_fit = fit_values(ed, t, slots, n, first_v, first_known);
  }
  /* Otherwise every cut the identities allow, including those that take
   * a blank cell as dropped by the crawler (it counts as 0): a cut is the
   * row only when no other one fits. */
  if (!have_first || first_fit != FIT_YES) {
    j->n_cand = 0;
    j->steps = 0;
    j->overflow = false;
    j->use_identities = true;
    /* Only where an identity can tell a dropped cell from a printed one:
     * in a row without one (table 2) every cut with a dropped cell would
     * fit, and the crawlers that run digits together print every cell. */
    j->drops_left = row_has_identity(ed, t, slots, n) ? MAX_DROPPED_CELLS : 0;
    split_rec(j, 0, 0, 0);
  }
  uint32_t line = gk__stream_lineno(&p->s, vals[0]->start);
  size_t units = 0; /* digits and blank markers: one cell each at most */
  for (size_t i = 0; i < k; i++)
    units += j->blank[i] ? 1 : j->len[i];
  bool marked = false; /* the row marks a blank cell */
  for (size_t i = 0; i < k; i++)
    marked = marked || j->blank[i];
  if (!j->need_yes && !marked && units < n)
    p->blanks_dropped = true; /* cells run together, some not printed */
  if (!j->overflow && j->n_cand == 0 && have_first && units == n &&
      !j->need_yes) {
    /* One digit per cell, and no other reading fits the arithmetic
     * either: what the source prints, whatever its arithmetic; the
     * arith.* checks report the break. */
    j->n_cand = 1;
    memcpy(j->cand[0], first_v, sizeof first_v);
    memcpy(j->cand_known[0], first_known, sizeof first_known);
  }
  if (!j->overflow && j->n_cand == 0 && !have_first)
    return 0;
  char *printed = printed_tokens(p, vals, k);
  if (!j->overflow && j->n_cand == 0) {
    /* The only cut there is contradicts the row's arithmetic, and it is
     * not one digit per cell (which the text itself would decide): the
     * digits are not this row's cells as printed, or the source is
     * wrong; either way no cell is read from them. */
    for (size_t i = 0; i < n; i++) {
      slots[i].cell->state = GK_CELL_NULL;
      slots[i].cell->line = line;
    }
    gk__buf b;
    gk__buf_init(&b, 1024);
    values_text(&b, first_v, first_known, n);
    gk__diag_add(
        p->r, "cell.ambiguous", GK_SEV_WARNING, label_line ? label_line : line,
        t->layout == GK_LAYOUT_BLOCKS ? t->key
                                      : row_path(p->r, t, slots[0].row),
        "%s“%s”的数字连写为“%s”，唯一可能的拆分（%s）与本行的算术"
        "关系不符，这些单元格按空处理",
        gk__table_part_name(t->id), label, printed, b.data ? b.data : "");
    gk__buf_free(&b);
    return 2;
  }
  if (!j->overflow && j->n_cand == 1 && p->n_unforced < MAX_UNFORCED_ROWS &&
      !cut_is_forced(j, ed, t, slots, n, vals, k)) {
    /* The one cut found is not forced: the row's arithmetic does not
     * confirm it, and the same digits also read as a row whose blank
     * cells the crawler dropped.  It stands as printed unless the text
     * shows elsewhere that it drops blank cells (settle_unforced). */
    gk__unforced_row *u = &p->unforced[p->n_unforced++];
    for (size_t i = 0; i < n; i++)
      u->cells[i] = slots[i].cell;
    u->n = n;
    u->line = label_line ? label_line : line;
    u->path = t->layout == GK_LAYOUT_BLOCKS ? t->key
                                            : row_path(p->r, t, slots[0].row);
    gk__buf b;
    gk__buf_init(&b, 2048);
    gk__buf_printf(&b,
                   "%s“%s”的数字连写为“%s”，本表格未标出空白单元格，且本文"
                   "其他行显示空白单元格被略去；本行的算术关系不能确定拆分，"
                   "可能的拆分有：",
                   gk__table_part_name(t->id), label, printed);
    values_text(&b, j->cand[0], j->cand_known[0], n);
    for (size_t c = 1; c < j->n_cand && c < MAX_LISTED_CANDIDATES; c++) {
      gk__buf_puts(&b, "；或 ");
      values_text(&b, j->cand[c], j->cand_known[c], n);
    }
    if (j->overflow || j->n_cand > MAX_LISTED_CANDIDATES)
      gk__buf_puts(&b, "；等");
    gk__buf_puts(&b, "；这些单元格按空处理");
    gk__buf_oom_to(&b, &p->r->arena);
    u->msg = gk__arena_strdup(&p->r->arena, b.data ? b.data : "");
    gk__buf_free(&b);
    /* cut_is_forced() kept the cut itself in slot 0. */
    j->n_cand = 1;
    j->overflow = false;
  }
  if (!j->overflow && j->n_cand == 1) {
    store_split(p, slots, n, j->cand[0], j->cand_known[0], line);
    note_split(p, tn, label, printed, j->cand[0], j->cand_known[0], n, line);
    return 1;
  }
  if (tn->n_pending == MAX_PENDING_ROWS)
    return 0;
  pending_row *pr = &tn->pending[tn->n_pending++];
  memcpy(pr->slots, slots, n * sizeof *slots);
  pr->n = n;
  pr->cand = j->cand;
  pr->cand_known = j->cand_known;
  pr->n_cand = j->n_cand;
  pr->overflow = j->overflow;
  pr->label = label;
  pr->printed = printed;
  pr->line = label_line ? label_line : line;
  for (size_t i = 0; i < n; i++)
    slots[i].cell->state = GK_CELL_NULL;
  return 2;
}

/* One column identity (for one column) while settling pending rows: the
 * range of what the pending rows' candidates add to it. */
typedef struct column_check {
  /* over the searched rows from position d on: the least and most their
   * candidates add, and whether one of them leaves a cell blank */
  int64_t rest_lo[MAX_PENDING_ROWS + 1], rest_hi[MAX_PENDING_ROWS + 1];
  bool rest_blank[MAX_PENDING_ROWS + 1];
} column_check;

/* What candidate c of pending row i adds to check k, and whether it
 * leaves one of the check's cells blank (the check then holds, as an
 * undecidable identity does). */
typedef struct settle_term {
  int64_t add;
  bool blank;
} settle_term;

/* The search over the pending rows' candidates. */
typedef struct settle_job {
  table_notes *tn;
  column_check *checks;
  size_t n_checks;
  const settle_term *terms; /* [row][candidate][check] */
  /* The rows searched, in order: those that own a cell of some check.
   * The others do not change whether a combination holds. */
  size_t order[MAX_PENDING_ROWS];
  size_t n_order;
  bool involved[MAX_PENDING_ROWS];
  int64_t sum[MAX_SETTLE_CHECKS];
  int blanks[MAX_SETTLE_CHECKS];
  size_t idx[MAX_PENDING_ROWS];
  uint32_t used[MAX_PENDING_ROWS]; /* candidates in holding combinations */
  size_t holding;
} settle_job;

static const settle_term *settle_at(const settle_job *sj, size_t i, size_t c) {
  return sj->terms + (i * MAX_SPLIT_CANDIDATES + c) * sj->n_checks;
}

/* Whether check k can still hold once rows d.. are given candidates. */
static bool still_possible(const settle_job *sj, size_t k, size_t d) {
  const column_check *ck = &sj->checks[k];
  if (sj->blanks[k] > 0 || ck->rest_blank[d])
    return true;
  int64_t lo = sj->sum[k] + ck->rest_lo[d], hi = sj->sum[k] + ck->rest_hi[d];
  return lo <= 0 && hi >= 0;
}

/* Depth-first over the rows' candidates.  A branch is cut as soon as some
 * identity can no longer hold whatever the rows still open add (their
 * least and most), so the search visits the combinations that hold and
 * few others, not the whole product; the combinations it reaches at the
 * bottom are exactly those in which every identity holds. */
static void settle_rec(settle_job *sj, size_t d) {
  table_notes *tn = sj->tn;
  if (d == sj->n_order) {
    sj->holding++;
    for (size_t o = 0; o < sj->n_order; o++)
      sj->used[sj->order[o]] |= 1u << sj->idx[o];
    return;
  }
  size_t row = sj->order[d];
  for (size_t c = 0; c < tn->pending[row].n_cand; c++) {
    const settle_term *st = settle_at(sj, row, c);
    bool ok = true;
    for (size_t k = 0; k < sj->n_checks; k++) {
      sj->sum[k] += st[k].add;
      sj->blanks[k] += st[k].blank;
    }
    for (size_t k = 0; k < sj->n_checks && ok; k++)
      ok = still_possible(sj, k, d + 1);
    if (ok) {
      sj->idx[d] = c;
      settle_rec(sj, d + 1);
    }
    for (size_t k = 0; k < sj->n_checks; k++) {
      sj->sum[k] -= st[k].add;
      sj->blanks[k] -= st[k].blank;
    }
  }
}

/* Where a cell sits among the pending rows: row i, slot q (-1: fixed). */
static int pending_owner(const table_notes *tn, const gk__cell *c, size_t *q) {
  for (size_t i = 0; i < tn->n_pending; i++)
    for (size_t s = 0; s < tn->pending[i].n; s++)
      if (tn->pending[i].slots[s].cell == c) {
        *q = s;
        return (int)i;
      }
  return -1;
}

/* Calls fn for every term cell of one column identity: its sign (+1 on
 * the left, -1 on the right), and the pending row and slot that own it
 * (i < 0: a fixed cell).  Returns false when the identity has no such
 * column in some row (it is then never decidable). */
typedef void term_fn(void *ctx, const gk__cell *cell, int64_t sign, int i,
                     size_t slot_i);
static bool each_term(const table_notes *tn, const gk__tabledef *def,
                      const gk__table *t, const gk__identity *id, int col,
                      term_fn *fn, void *ctx) {
  for (int side = 0; side < 2; side++) {
    const int8_t *tr = side ? id->rhs : id->lhs;
    for (int q = 0; tr[q] >= 0; q++)
      if (tr[q] >= def->n_rows || col >= def->rows[tr[q]].n_cols)
        return false;
  }
  for (int side = 0; side < 2; side++) {
    const int8_t *tr = side ? id->rhs : id->lhs;
    for (int q = 0; tr[q] >= 0; q++) {
      const gk__cell *cell = gk__table_cell(t, tr[q], col);
      size_t slot_i = 0;
      int i = pending_owner(tn, cell, &slot_i);
      fn(ctx, cell, side ? -1 : 1, i, slot_i);
    }
  }
  return true;
}

/* First pass over a check's terms: its fixed sum, whether a fixed cell
 * makes it undecidable, whether a pending row touches it. */
typedef struct fixed_scan {
  int64_t fixed;
  bool vacuous, pending;
} fixed_scan;

static void scan_fixed(void *ctx, const gk__cell *cell, int64_t sign, int i,
                       size_t slot_i) {
  fixed_scan *fs = ctx;
  (void)slot_i;
  if (i >= 0)
    fs->pending = true;
  else if (cell->state != GK_CELL_VALUE || cell->scale)
    fs->vacuous = true;
  else
    fs->fixed += sign * cell->value;
}

/* Second pass: what each candidate of each pending row adds to check k. */
typedef struct term_fill {
  settle_job *sj;
  settle_term *terms;
  size_t k;
} term_fill;

static void fill_terms(void *ctx, const gk__cell *cell, int64_t sign, int i,
                       size_t slot_i) {
  term_fill *tf = ctx;
  (void)cell;
  if (i < 0)
    return;
  tf->sj->involved[i] = true;
  const pending_row *pr = &tf->sj->tn->pending[i];
  for (size_t c = 0; c < pr->n_cand; c++) {
    settle_term *st =
        &tf->terms[((size_t)i * MAX_SPLIT_CANDIDATES + c) * tf->sj->n_checks +
                   tf->k];
    if (pr->cand_known[c][slot_i])
      st->add += sign * pr->cand[c][slot_i];
    else
      st->blank = true;
  }
}

/* Builds the checks of the table's column identities into sj.  Returns
 * false when one of them fails whatever the pending rows hold (its cells
 * are all fixed and it does not add up): then no combination holds. */
static bool settle_prepare(gk__parse *p, const gk__edition_def *ed,
                           const gk__tabledef *def, gk__table *t,
                           settle_job *sj) {
  table_notes *tn = sj->tn;
  size_t m = tn->n_pending;
  const gk__identity *ids[MAX_SETTLE_CHECKS];
  int cols[MAX_SETTLE_CHECKS];
  int64_t fixed[MAX_SETTLE_CHECKS];
  size_t n = 0;
  for (size_t x = 0; x < ed->n_identities; x++) {
    const gk__identity *id = &ed->identities[x];
    if (id->table != def->id || id->axis != GK_AXIS_ROWS)
      continue;
    for (int col = 0; col < def->max_cols; col++) {
      if (!(id->mask & (1u << col)))
        continue;
      fixed_scan fs = {0};
      if (!each_term(tn, def, t, id, col, scan_fixed, &fs) || fs.vacuous)
        continue;
      if (!fs.pending) {
        if (fs.fixed != 0)
          return false;
        continue;
      }
      if (n == MAX_SETTLE_CHECKS)
        return false;
      ids[n] = id;
      cols[n] = col;
      fixed[n++] = fs.fixed;
    }
  }
  sj->n_checks = n;
  settle_term *terms = gk__arena_calloc(
      &p->r->arena, m * MAX_SPLIT_CANDIDATES * n, sizeof *terms);
  column_check *checks =
      gk__arena_calloc(&p->r->arena, n ? n : 1, sizeof *checks);
  if (!terms || !checks)
    return false;
  sj->terms = terms;
  sj->checks = checks;
  for (size_t k = 0; k < n; k++) {
    term_fill tf = {sj, terms, k};
    each_term(tn, def, t, ids[k], cols[k], fill_terms, &tf);
    sj->sum[k] = fixed[k];
  }
  sj->n_order = 0;
  for (size_t i = 0; i < m; i++)
    if (sj->involved[i])
      sj->order[sj->n_order++] = i;
  for (size_t k = 0; k < n; k++) {
    column_check *ck = &checks[k];
    for (size_t o = sj->n_order; o-- > 0;) {
      size_t i = sj->order[o];
      int64_t lo = 0, hi = 0;
      bool blank = false;
      for (size_t c = 0; c < tn->pending[i].n_cand; c++) {
        const settle_term *st = settle_at(sj, i, c);
        if (c == 0 || st[k].add < lo)
          lo = st[k].add;
        if (c == 0 || st[k].add > hi)
          hi = st[k].add;
        blank |= st[k].blank;
      }
      ck->rest_lo[o] = ck->rest_lo[o + 1] + lo;
      ck->rest_hi[o] = ck->rest_hi[o + 1] + hi;
      ck->rest_blank[o] = ck->rest_blank[o + 1] || blank;
    }
  }
  return true;
}

/* Settles the pending rows of a table with its column identities: every
 * combination of their candidates is tried; a row whose candidate is the
 * same in every combination that holds is split that way; the others
 * stay null with cell.ambiguous. */
static void resolve_pending(gk__parse *p, const gk__edition_def *ed,
                            const gk__tabledef *def, gk__table *t,
                            table_notes *tn) {
  if (tn->n_pending == 0)
    return;
  size_t m = tn->n_pending;
  double combos = 1;
  for (size_t i = 0; i < m; i++)
    combos *= tn->pending[i].overflow ? 1e9 : (double)tn->pending[i].n_cand;
  settle_job sj = {.tn = tn};
  if (combos <= MAX_SPLIT_COMBINATIONS && settle_prepare(p, ed, def, t, &sj)) {
    settle_rec(&sj, 0);
    /* A row no check reaches takes any of its candidates in every
     * combination that holds. */
    for (size_t i = 0; i < m && sj.holding; i++)
      if (!sj.involved[i])
        sj.used[i] = tn->pending[i].n_cand == 32
                         ? UINT32_MAX
                         : (1u << tn->pending[i].n_cand) - 1;
  }
  size_t holding = sj.holding;
  const uint32_t *used = sj.used;
  for (size_t i = 0; i < m; i++) {
    pending_row *pr = &tn->pending[i];
    bool unique = holding > 0 && (used[i] & (used[i] - 1)) == 0;
    if (unique) {
      size_t c = 0;
      while (!(used[i] & (1u << c)))
        c++;
      store_split(p, pr->slots, pr->n, pr->cand[c], pr->cand_known[c],
                  pr->line);
      note_split(p, tn, pr->label, pr->printed, pr->cand[c], pr->cand_known[c],
                 pr->n, pr->line);
      continue;
    }
    for (size_t q = 0; q < pr->n; q++)
      pr->slots[q].cell->state = GK_CELL_NULL;
    gk__buf b;
    gk__buf_init(&b, 1024);
    size_t shown = 0;
    for (size_t c = 0; c < pr->n_cand && shown < 3; c++) {
      if (holding && !(used[i] & (1u << c)))
        continue;
      gk__buf_puts(&b, shown ? "；" : "");
      values_text(&b, pr->cand[c], pr->cand_known[c], pr->n);
      shown++;
    }
    size_t total = pr->overflow ? 0 : pr->n_cand;
    if (holding) {
      total = 0;
      for (size_t c = 0; c < pr->n_cand; c++)
        total += (used[i] >> c) & 1u;
    }
    gk__buf_oom_to(&b, &p->r->arena);
    int row = pr->slots[0].row;
    char *path = def->layout == GK_LAYOUT_BLOCKS ? (char *)def->key
                                                 : row_path(p->r, def, row);
    if (total)
      gk__diag_rule(p->r, GK_R_CELL_AMBIGUOUS, pr->line, path,
                    "%s“%s”的数字连写为“%s”，有 %zu 种拆分，表格的算术关系"
                    "无法区分（%s%s），这些单元格按空处理",
                    gk__table_part_name(def->id), pr->label, pr->printed, total,
                    b.data ? b.data : "", total > shown ? "等" : "");
    else
      gk__diag_rule(p->r, GK_R_CELL_AMBIGUOUS, pr->line, path,
                    "%s“%s”的数字连写为“%s”，可能的拆分过多，无法确定，"
                    "这些单元格按空处理",
                    gk__table_part_name(def->id), pr->label, pr->printed);
    gk__buf_free(&b);
  }
}

static void summarise_split(gk__parse *p, const gk__tabledef *t,
                            const table_notes *tn) {
  if (tn->n_split_rows == 0)
    return;
  gk__diag_rule(
      p->r, GK_R_CELL_SPLIT_DIGITS, tn->first_split_line, t->key,
      "%s表格有 %d 行数字连写在一起，已按表格的算术关系唯一拆分（如%s）",
      gk__table_part_name(t->id), tn->n_split_rows, tn->first_split);
}

/* 2019's 采购总金额 is printed with its unit in the cell ("152.2万元",
 * "251000元"); the model holds 元.  The unit is the character after the
 * number: 万 (10^4) or 亿 (10^8); anything else is 元 already. */
static bool to_yuan(const gk__stream *s, const gk__token *v, gk__cell *c) {
  int shift = 0;
  if (v->end < s->n && s->cp[v->end] == 0x4E07) /* 万 */
    shift = 4;
  else if (v->end < s->n && s->cp[v->end] == 0x4EBF) /* 亿 */
    shift = 8;
  while (shift > 0 && c->scale > 0) {
    shift--;
    c->scale--;
  }
  for (; shift > 0; shift--) {
    if (c->value > GK_MAX_CELL_VALUE / 10) {
      c->state = GK_CELL_NULL;
      return false;
    }
    c->value *= 10;
  }
  return true;
}

/* The text of a value token's cell as printed: in a real table the
 * whole cell, else the token. */
static const char *cell_text(gk__parse *p, const gk__token *v) {
  size_t a = v->start, b = v->end;
  if (p->s.layout->runs[v->run].table >= 0) {
    while (a > 0 && p->s.ch[a - 1].run == v->run)
      a--;
    while (b < p->s.n && p->s.ch[b].run == v->run)
      b++;
  }
  return gk__stream_text(&p->r->arena, &p->s, a, b, true);
}

/* Stores one value token into a cell, with the diagnostics that belong
 * to reading it. */
static void store(gk__parse *p, const gk__tabledef *t, const slot *sl,
                  const gk__token *v) {
  gk__cell *c = sl->cell;
  c->state = GK_CELL_NULL;
  if (v)
    gk__cell_provenance(p, c, v);
  if (!v || v->kind != GK_TOK_NUMBER)
    return;
  const gk__rowdef *row = &t->rows[sl->row];
  const char *col = row->scalar ? "" : row->cols[sl->col].label.text;
  /* The cell's model path, formatted only when a diagnostic needs it. */
#define CELL_PATH()                                                            \
  (row->scalar ? row_path(p->r, t, sl->row)                                    \
               : gk__arena_printf(&p->r->arena, "%s.%s.%s", t->key, row->key,  \
                                  row->cols[sl->col].key))
  if (v->overflow) {
    gk__diag_rule(p->r, GK_R_CELL_NOT_A_NUMBER, c->line, CELL_PATH(),
                  "%s“%s”%s%s的数字位数过多，无法作为数值读取",
                  gk__table_part_name(t->id), row_display(t, sl->row),
                  *col ? "“" : "", col);
    return;
  }
  /* What the grammar read but the column does not allow, or could not
   * read as one number: null, quoting the text. */
  bool in_grid = p->s.layout->runs[v->run].table >= 0;
  const char *why = NULL;
  if (v->unreadable && in_grid)
    why = "不是可读的数字";
  else if (v->leading_zero)
    why = "以 0 开头，不是完整的数字";
  else if (v->sign_word && sl->kind != GK_V_SIGNED)
    why = "带有增减字样，该列不应有";
  else if (v->sign > 0 && sl->kind != GK_V_SIGNED)
    why = "带有正号，该列不应有";
  if (why) {
    const char *text = cell_text(p, v);
    gk__diag_add(p->r, "cell.not-a-number", GK_SEV_ERROR, c->line, CELL_PATH(),
                 "%s“%s”%s%s%s的内容“%s”%s，按空处理",
                 gk__table_part_name(t->id), row_display(t, sl->row),
                 *col ? "“" : "", col, *col ? "”列" : "", text ? text : "",
                 why);
    return;
  }
  c->value = v->value;
  c->scale = v->scale;
  c->state = GK_CELL_VALUE;
  if (sl->kind == GK_V_AMOUNT && !to_yuan(&p->s, v, c)) {
    gk__diag_rule(p->r, GK_R_CELL_NOT_A_NUMBER, c->line, CELL_PATH(),
                  "%s“%s”的金额换算成元后超出可读范围",
                  gk__table_part_name(t->id), row_display(t, sl->row));
    return;
  }
  /* The header of 采购总金额 names no unit: a number printed without one
   * is read as 元, and the reader is told it was an assumption. */
  if (sl->kind == GK_V_AMOUNT &&
      !(v->end < p->s.n && (p->s.cp[v->end] == 0x5143 /* 元 */ ||
                            p->s.cp[v->end] == 0x4E07 /* 万 */ ||
                            p->s.cp[v->end] == 0x4EBF /* 亿 */))) {
    char num[48];
    gk__decimal_text(v->value, v->scale, num, sizeof num);
    gk__diag_rule(p->r, GK_R_CELL_AMOUNT_UNIT, c->line, CELL_PATH(),
                  "%s“%s”的金额 %s 未注明单位，按元读取",
                  gk__table_part_name(t->id), row_display(t, sl->row), num);
  }
  if (v->scale && (sl->kind == GK_V_COUNT || sl->kind == GK_V_SIGNED))
    gk__diag_rule(p->r, GK_R_CELL_FRACTION, c->line, CELL_PATH(),
                  "%s“%s”%s%s%s填写了小数，件数应为整数",
                  gk__table_part_name(t->id), row_display(t, sl->row),
                  *col ? "“" : "", col, *col ? "”列" : "");
  if (v->value < 0 && sl->kind != GK_V_SIGNED)
    gk__diag_rule(p->r, GK_R_CELL_NEGATIVE, c->line, CELL_PATH(),
                  "%s“%s”%s%s%s为负数 %lld", gk__table_part_name(t->id),
                  row_display(t, sl->row), *col ? "“" : "", col,
                  *col ? "”列" : "", (long long)v->value);
#undef CELL_PATH
}

/*
 * Reads one row (or table 4's single line) of n slots from its value
 * tokens.  `label` names it in messages; `min_field` is the first tab
 * field after its label on the values' line (0 when the label is on
 * another line).
 */
static read_outcome read_row(gk__parse *p, const gk__edition_def *ed,
                             const gk__tabledef *t, const slot *slots, size_t n,
                             const gk__token *const *vals, size_t k,
                             uint32_t min_field, table_notes *tn,
                             const char *label, uint32_t label_line,
                             size_t label_end) {
  const gk__token *placed[MAX_SLOTS] = {0};
  /* Text without a grid whose values sit on several lines with other
   * text (masked furniture, other labels) between them and the label: a
   * column-by-column extraction, where nothing ties them to this row,
   * whatever the arithmetic says (among many numbers some run adds up). */
  bool loose =
      spread_over_lines(&p->s, vals, k) && interleaved(vals, k, label_end);
  read_outcome out = READ_OK;
  if (k > 0 && place_by_grid(&p->s, tn, vals, k, n, placed)) {
    out = READ_POSITIONAL;
  } else if (k == n) {
    for (size_t i = 0; i < n; i++)
      placed[i] = vals[i];
    /* Values gathered from several lines of text without a grid (a PDF's
     * text, a wrapped row) that the row's arithmetic rejects, or that no
     * arithmetic checks (table 2): numbers of other rows or wrapped halves
     * may have come in, so no placement is trusted. */
    if (loose ||
        ((spread_over_lines(&p->s, vals, k) || any_leading_zero(vals, k)) &&
         row_has_identity(ed, t, slots, n) &&
         fits_identities(ed, t, slots, n, vals) == FIT_NO))
      out = READ_REFUSED;
    /* Some values on the label's line and the rest on other lines: the
     * row was cut (numbers wrapped in narrow columns of a PDF's text),
     * and what completes it may be parts of numbers. */
    size_t on_line = values_on_line(&p->s, vals, k, label_line);
    if (t->layout == GK_LAYOUT_ROWS && spread_over_lines(&p->s, vals, k) &&
        on_line > 0 && on_line < k)
      out = READ_REFUSED;
    /* The row's line right under a line of bare numbers, and its values
     * contradict its arithmetic: the numbers above are the upper halves
     * of this row's wrapped numbers (a PDF's text), not a misprint. */
    if (t->layout == GK_LAYOUT_ROWS && k > 0 && on_line == k &&
        p->s.layout->runs[vals[0]->run].table < 0 &&
        numbers_only_line(&p->s, vals[0]->line, -1) &&
        row_has_identity(ed, t, slots, n) &&
        fits_identities(ed, t, slots, n, vals) == FIT_NO)
      out = READ_REFUSED;
  } else if (k > n) {
    /* When the label's own line holds exactly one value per cell, those
     * are the row; what follows on later lines belongs to a label printed
     * elsewhere.  Otherwise candidate windows of n consecutive values:
     * the best fit to the row's identities wins, then the fewest blank
     * markers (a stray "-" of a page footer is not a cell), then the
     * rightmost. */
    long pick = (long)(k - n);
    int best = -1;
    size_t on_label_line = 0;
    if (label_line)
      while (on_label_line < k &&
             gk__stream_lineno(&p->s, vals[on_label_line]->start) == label_line)
        on_label_line++;
    if (on_label_line == n &&
        (!row_has_identity(ed, t, slots, n) ||
         fits_identities(ed, t, slots, n, vals) != FIT_NO)) {
      pick = 0;
      best = 1 << 20;
    }
    size_t n_yes = 0, n_no = 0, windows = 0;
    long yes_w = -1;
    bool yes_differ = false;
    for (long w = (long)(k - n); w >= 0 && best < (1 << 20); w--) {
      int blanks = 0;
      for (size_t i = 0; i < n; i++)
        blanks += vals[(size_t)w + i]->kind != GK_TOK_NUMBER;
      fit f = fits_identities(ed, t, slots, n, vals + w);
      windows++;
      if (f == FIT_NO)
        n_no++;
      if (f == FIT_YES) {
        /* Two accepted windows that read differently: the same numbers
         * would be cells of this row in two ways when they overlap, and
         * in text without a grid two rows' numbers cannot be told apart.
         * (Two apart in table rows of a converter's Markdown are this
         * row's and those of a row whose label was printed elsewhere; the
         * rightmost is taken, as below.) */
        if (yes_w >= 0 && !same_values(vals + yes_w, vals + w, n) &&
            ((size_t)(yes_w - w) < n || spread_over_lines(&p->s, vals, k)))
          yes_differ = true;
        yes_w = w;
        n_yes++;
      }
      int score = (int)f * 64 - blanks;
      if (score > best) {
        best = score;
        pick = w;
      }
    }
    /* Where the row's arithmetic can judge: two windows it accepts with
     * different values, or none it does not reject, leave no placement;
     * where it cannot, values from several lines are not placed. */
    if (best < (1 << 20) && (loose || (row_has_identity(ed, t, slots, n) &&
                                       (yes_differ || n_no == windows))))
      out = READ_REFUSED;
    /* Text without a grid: more values than cells, from several lines
     * and not a full row on the label's line, are a row cut by wrapped
     * numbers (a PDF's narrow columns) or several rows' numbers in one
     * run (text extracted column by column); whichever window adds up,
     * nothing ties it to this row. */
    if (best < (1 << 20) && spread_over_lines(&p->s, vals, k))
      out = READ_REFUSED;
    /* A full row on the label's line and, right under it, a line of bare
     * numbers that this row's span takes in: the lower halves of its
     * wrapped numbers (a PDF's text). */
    if (best >= (1 << 20) && t->layout == GK_LAYOUT_ROWS &&
        spread_over_lines(&p->s, vals, k) &&
        numbers_only_line(&p->s, vals[0]->line, 1) &&
        vals[n]->line != vals[0]->line)
      out = READ_REFUSED;
    for (size_t i = 0; i < n; i++)
      placed[i] = vals[(size_t)pick + i];
    if (out != READ_REFUSED) {
      if (tn->n_extra_rows++ == 0) {
        tn->first_extra_row = slots[0].row;
        tn->first_extra_k = k;
        tn->first_extra_line = label_line;
      }
      if (pick > 0)
        append_dropped(&p->r->arena, tn, label, vals, 0, (size_t)pick);
      if ((size_t)pick + n < k)
        append_dropped(&p->r->arena, tn, label, vals, (size_t)pick + n, k);
      out = READ_EXTRA;
    }
  } else if (place_by_fields(&p->s, vals, k, n, min_field, placed)) {
    out = READ_POSITIONAL;
  } else {
    out = k == 0 ? READ_POSITIONAL : READ_UNPLACED;
    for (size_t i = 0; i < n; i++)
      placed[i] = NULL;
    /* Fewer characters of values than cells and no blank marker: this
     * text drops its blank cells (settle_unforced). */
    size_t units = 0;
    bool marked = false;
    for (size_t i = 0; i < k; i++) {
      units += vals[i]->n_chars;
      marked = marked || vals[i]->kind == GK_TOK_BLANK;
    }
    if (k > 0 && !marked && units < n)
      p->blanks_dropped = true;
    if (k > 0 && splittable(&p->s, vals, k)) {
      int sr = try_split(p, ed, t, slots, n, vals, k, tn, label, label_line);
      if (sr == 1 || sr == 2) {
        if (sr == 2)
          return READ_PENDING; /* diagnostics come with the resolution */
        out = READ_SPLIT;
      }
    }
  }
  if (out == READ_REFUSED) {
    for (size_t i = 0; i < n; i++) {
      slots[i].cell->state = GK_CELL_NULL;
      slots[i].cell->line = label_line;
    }
    char *printed = printed_tokens(p, vals, k);
    gk__diag_add(p->r, "cell.ambiguous", GK_SEV_WARNING, label_line,
                 t->layout == GK_LAYOUT_BLOCKS
                     ? t->key
                     : row_path(p->r, t, slots[0].row),
                 "%s“%s”读到的数字“%s”%s，无法确定各数字所在列，该行按空"
                 "处理",
                 gk__table_part_name(t->id), label, printed ? printed : "",
                 refuse_why(&p->s, vals, k));
    return out;
  }
  if (out != READ_SPLIT)
    for (size_t i = 0; i < n; i++)
      store(p, t, &slots[i], placed[i]);

  /* Blank cells: one diagnostic per model row. */
  for (size_t i = 0; i < n;) {
    int row = slots[i].row;
    size_t j = i, blanks = 0;
    char cols[200] = "";
    size_t clen = 0;
    uint32_t line = label_line;
    while (j < n && slots[j].row == row) {
      bool blank = out == READ_SPLIT
                       ? slots[j].cell->state != GK_CELL_VALUE
                       : placed[j] == NULL || placed[j]->kind != GK_TOK_NUMBER;
      if (blank) {
        blanks++;
        const gk__rowdef *rd = &t->rows[row];
        if (!rd->scalar && clen < sizeof cols - 40) {
          int w = snprintf(cols + clen, sizeof cols - clen, "“%s”",
                           rd->cols[slots[j].col].label.text);
          if (w > 0)
            clen += (size_t)w;
        }
        if (placed[j])
          line = gk__stream_lineno(&p->s, placed[j]->start);
      } else if (!line) {
        line = slots[j].cell->line;
      }
      j++;
    }
    size_t n_row = j - i;
    if (blanks) {
      char *path = row_path(p->r, t, row);
      if (out == READ_UNPLACED)
        gk__diag_rule(p->r, GK_R_CELL_BLANK, line, path,
                      "%s“%s”只读到 %zu 个数字，应有 %zu 个，无法确定各数字所在"
                      "列，该行按空处理",
                      gk__table_part_name(t->id), label, k, n);
      else if (blanks == n_row && n_row > 1)
        gk__diag_rule(p->r, GK_R_CELL_BLANK, line, path,
                      "%s“%s”%zu 个单元格为空（应填 0）",
                      gk__table_part_name(t->id), row_display(t, row), blanks);
      else if (t->rows[row].scalar)
        gk__diag_rule(p->r, GK_R_CELL_BLANK, line, path, "%s“%s”为空（应填 0）",
                      gk__table_part_name(t->id), row_display(t, row));
      else
        gk__diag_rule(p->r, GK_R_CELL_BLANK, line, path,
                      "%s“%s”行%s列为空（应填 0）", gk__table_part_name(t->id),
                      row_display(t, row), cols);
    }
    i = j;
  }
  return out;
}

/* ------------------------------------------------------------- tables */

/* Collects the value tokens of [from, to).  With stop_at_prose, reading
 * ends at the first word of three or more characters after a value: the
 * end of the table. */
/* In a real table (HTML, DOCX, Markdown) a cell's value is the number
 * that starts the cell; digits after text in the same cell are part of
 * the text ("数据1", "22（其中修订 16 件）" has the value 22, not 16).
 * Text layouts have no cells: every token counts. */
static bool starts_cell(const gk__stream *s, const uint8_t *mask,
                        const gk__token *tok) {
  const gk__run *run = &s->layout->runs[tok->run];
  if (run->table < 0)
    return true;
  for (size_t i = tok->start; i-- > 0;) {
    if (s->ch[i].run != tok->run)
      return true;
    if (!(mask && mask[i]))
      return false; /* text of the same cell before it */
  }
  return true;
}

static size_t collect_values(gk__parse *p, const uint8_t *mask, size_t from,
                             size_t to, bool stop_at_prose,
                             const gk__token **vals, size_t max, gk__token *buf,
                             size_t *last_pos) {
  size_t nt = gk__tokenize(&p->s, mask, from, to, buf, MAX_SPAN_TOKENS);
  size_t k = 0;
  for (size_t i = 0; i < nt; i++) {
    const gk__token *tok = &buf[i];
    if (tok->kind == GK_TOK_TEXT) {
      if (stop_at_prose && k > 0 && tok->n_chars >= 3)
        break;
      continue;
    }
    if (!starts_cell(&p->s, mask, tok))
      continue;
    /* In a real table's cell, a second number right after the first
     * ("154 5") makes the cell no one number: unreadable, not the first. */
    if (tok->kind == GK_TOK_NUMBER && i + 1 < nt &&
        buf[i + 1].kind == GK_TOK_NUMBER && buf[i + 1].run == tok->run &&
        p->s.layout->runs[tok->run].table >= 0)
      buf[i].unreadable = true;
    if (k < max)
      vals[k++] = tok;
    else
      k++; /* counted: a row with this many values is not a table row */
    if (last_pos)
      *last_pos = tok->end;
  }
  return k;
}

static gk__table *new_table(gk_report *r, const gk__tabledef *def) {
  gk__table *t = gk__arena_calloc(&r->arena, 1, sizeof *t);
  if (!t)
    return NULL;
  t->def = def;
  t->cells = gk__arena_calloc(&r->arena, (size_t)def->n_rows * def->max_cols,
                              sizeof *t->cells);
  t->row_found = gk__arena_calloc(&r->arena, def->n_rows, sizeof(bool));
  t->row_label = gk__arena_calloc(&r->arena, def->n_rows, sizeof(char *));
  t->row_line = gk__arena_calloc(&r->arena, def->n_rows, sizeof(uint32_t));
  t->col_label =
      gk__arena_calloc(&r->arena, def->n_header_cols + 1u, sizeof(char *));
  if (!t->cells || !t->row_found || !t->row_label || !t->row_line ||
      !t->col_label)
    return NULL;
  return t;
}

static void claim_lines(gk__parse *p, gk__table_id id, size_t from_pos,
                        size_t to_pos) {
  if (p->s.n == 0 || from_pos >= to_pos)
    return;
  uint32_t a = p->s.ch[from_pos].line, b = p->s.ch[to_pos - 1].line;
  for (uint32_t li = a; li <= b; li++)
    p->line_table[li] = (int8_t)id;
}

static void summarise_extra(gk__parse *p, const gk__tabledef *t,
                            const table_notes *tn, size_t n_cols) {
  if (tn->n_extra_rows == 0)
    return;
  const char *first = row_display(t, tn->first_extra_row);
  if (tn->n_extra_rows == 1)
    gk__diag_rule(
        p->r, GK_R_CELL_EXTRA_VALUES, tn->first_extra_line, t->key,
        "%s“%s”读到 %zu 个数字，多于 %zu 列，已按本行算术关系保留 %zu "
        "个（%s）",
        gk__table_part_name(t->id), first, tn->first_extra_k, n_cols, n_cols,
        tn->dropped);
  else
    gk__diag_rule(p->r, GK_R_CELL_EXTRA_VALUES, tn->first_extra_line, t->key,
                  "%s表格有 %d 行读到的数字多于列数（如“%s”读到 %zu 个，应为 "
                  "%zu 个），已按各行算术关系保留右侧的数字（%s%s）",
                  gk__table_part_name(t->id), tn->n_extra_rows, first,
                  tn->first_extra_k, n_cols, tn->dropped,
                  tn->n_extra_rows > tn->n_listed ? "等" : "");
}

/* Finds the first occurrence of p in [from, to) that is the whole text of
 * a real table's cell ("其他" as a column header, not inside
 * "法人或其他组织"); sets *at to its start. */
static bool find_whole_cell(const gk__stream *s, size_t from, size_t to,
                            const gk__pattern *p, size_t *at) {
  size_t a, b;
  while (from < to &&
         gk__stream_find(s, NULL, from, to, p, GK_MATCH_EXACT, &a, &b)) {
    uint32_t run = s->ch[a].run;
    bool whole = s->layout->runs[run].table >= 0 && s->ch[b - 1].run == run &&
                 (a == 0 || s->ch[a - 1].run != run) &&
                 (b == s->n || s->ch[b].run != run);
    if (whole) {
      *at = a;
      return true;
    }
    from = a + 1;
  }
  return false;
}

/* Finds the grid columns of the table's header columns (table 3), in the
 * header: between the table's start and its first row. */
static void header_grid(gk__parse *p, const gk__tabledef *def, size_t start,
                        const size_t *hit_start, const bool *found,
                        table_notes *tn) {
  tn->have_grid = false;
  if (def->n_header_cols == 0 || def->n_header_cols > MAX_SLOTS)
    return;
  size_t end = p->s.n;
  for (int i = 0; i < def->n_rows; i++) {
    if (found[i]) {
      end = hit_start[i];
      break;
    }
  }
  for (int c = 0; c < def->n_header_cols; c++) {
    const gk__coldef *col = &def->header_cols[c];
    size_t a = 0;
    bool got = false;
    for (int v = -1;
         !got && (v < 0 || (col->label.variants && col->label.variants[v]));
         v++) {
      gk__pattern sp;
      const gk__pattern *pat =
          gk__pattern_of(v < 0 ? col->label.text : col->label.variants[v], &sp);
      got = find_whole_cell(&p->s, start, end, pat, &a);
    }
    if (!got)
      return;
    const gk__run *run = &p->s.layout->runs[p->s.ch[a].run];
    for (int q = 0; q < c; q++)
      if (tn->grid_col[q] == run->col)
        return;
    tn->grid_col[c] = run->col;
  }
  tn->have_grid = true;
}

static gk_status parse_rows(gk__parse *p, const gk__edition_def *ed,
                            const gk__tabledef *def, uint8_t *mask,
                            size_t start, size_t to, gk__table **out,
                            size_t *end) {
  gk__stream *s = &p->s;
  gk_report *r = p->r;
  size_t hit_start[32], hit_end[32];
  bool found[32] = {0};
  size_t cursor = start;
  int n_found = 0;
  for (int i = 0; i < def->n_rows; i++) {
    int variant;
    if (find_row(s, mask, cursor, to, &def->rows[i], &hit_start[i], &hit_end[i],
                 &variant)) {
      found[i] = true;
      mask_span(mask, hit_start[i], hit_end[i]);
      cursor = hit_end[i];
      n_found++;
    }
  }
  /* Rows not found after their predecessor may have been printed ahead
   * of the grid (a converter that put table 2's single-value rows before
   * it): look for them between the table's start and the first row found
   * in order.  Not inside the grid, where a label out of order has no
   * trustworthy values. */
  size_t first_pos = to;
  for (int i = 0; i < def->n_rows; i++)
    if (found[i] && hit_start[i] < first_pos)
      first_pos = hit_start[i];
  for (int i = 0; i < def->n_rows && n_found > 0; i++) {
    int variant;
    if (found[i] || !find_row(s, mask, start, first_pos, &def->rows[i],
                              &hit_start[i], &hit_end[i], &variant))
      continue;
    found[i] = true;
    mask_span(mask, hit_start[i], hit_end[i]);
    n_found++;
  }
  if (n_found == 0) {
    *out = NULL;
    return GK_OK;
  }
  gk__table *t = new_table(r, def);
  if (!t)
    return GK_ENOMEM;
  gk__token *buf = gk__arena_alloc(&r->arena, MAX_SPAN_TOKENS * sizeof *buf);
  if (!buf)
    return GK_ENOMEM;
  table_notes tn;
  notes_init(&tn);
  header_grid(p, def, start, hit_start, found, &tn);
  size_t table_end = start;
  for (int i = 0; i < def->n_rows; i++) {
    const gk__rowdef *row = &def->rows[i];
    if (!found[i]) {
      char *path = row_path(r, def, i);
      gk__diag_rule(r, GK_R_STRUCTURE_MISSING_ROW,
                    gk__stream_lineno(s, table_end), path,
                    "%s表格缺少“%s”行，该行数字无法读取",
                    gk__table_part_name(def->id), row->label.text);
      continue;
    }
    t->row_found[i] = true;
    t->row_label[i] =
        gk__stream_text(&r->arena, s, hit_start[i], hit_end[i], false);
    t->row_line[i] = gk__stream_lineno(s, hit_start[i]);
    /* A row's values end where the next label (by position) begins. */
    size_t span_end = to;
    bool last = true;
    for (int j = 0; j < def->n_rows; j++) {
      if (found[j] && j != i && hit_start[j] >= hit_end[i] &&
          hit_start[j] < span_end) {
        span_end = hit_start[j];
        last = false;
      }
    }
    const gk__token *vals[MAX_ROW_VALUES];
    size_t last_pos = hit_end[i];
    size_t k = collect_values(p, mask, hit_end[i], span_end, last, vals,
                              MAX_ROW_VALUES, buf, &last_pos);
    if (last_pos > table_end)
      table_end = last_pos;
    if (hit_end[i] > table_end)
      table_end = hit_end[i];
    slot slots[MAX_SLOTS];
    for (int c = 0; c < row->n_cols; c++) {
      slots[c].cell = gk__table_cell(t, i, c);
      slots[c].kind = row->cols[c].kind;
      slots[c].row = i;
      slots[c].col = c;
    }
    /* The first field after the label, when values share its line. */
    uint32_t min_field = 0;
    const gk__line *ln = &s->layout->lines[s->ch[hit_end[i] - 1].line];
    if (k > 0 && vals[0]->line == s->ch[hit_end[i] - 1].line)
      min_field = s->ch[hit_end[i] - 1].run - ln->first_run + 1;
    if (k > MAX_ROW_VALUES) {
      for (int c = 0; c < row->n_cols; c++)
        slots[c].cell->state = GK_CELL_NULL;
      gk__diag_rule(r, GK_R_CELL_NOT_A_NUMBER, t->row_line[i],
                    row_path(r, def, i),
                    "%s“%s”后有 %zu 个数字，不像表格行，未读取",
                    gk__table_part_name(def->id), row->label.text, k);
      continue;
    }
    read_row(p, ed, def, slots, row->n_cols, vals, k, min_field, &tn,
             row->label.text, t->row_line[i], hit_end[i]);
  }
  resolve_pending(p, ed, def, t, &tn);
  summarise_extra(p, def, &tn, def->rows[0].n_cols);
  summarise_split(p, def, &tn);
  t->first_line = gk__stream_lineno(s, start);
  t->last_line = gk__stream_lineno(s, table_end ? table_end - 1 : 0);
  claim_lines(p, def->id, start, table_end);
  *out = t;
  *end = table_end;
  return GK_OK;
}

static gk_status parse_blocks(gk__parse *p, const gk__edition_def *ed,
                              const gk__tabledef *def, uint8_t *mask,
                              size_t start, size_t header_end, size_t to,
                              gk__table **out, size_t *end) {
  gk_report *r = p->r;
  gk__table *t = new_table(r, def);
  if (!t)
    return GK_ENOMEM;
  gk__token *buf = gk__arena_alloc(&r->arena, MAX_SPAN_TOKENS * sizeof *buf);
  if (!buf)
    return GK_ENOMEM;
  size_t n = (size_t)def->n_rows * def->max_cols;
  slot slots[MAX_SLOTS];
  for (size_t i = 0; i < n; i++) {
    int row = (int)(i / def->max_cols), col = (int)(i % def->max_cols);
    slots[i].cell = gk__table_cell(t, row, col);
    slots[i].kind = def->rows[row].cols[col].kind;
    slots[i].row = row;
    slots[i].col = col;
  }
  for (int i = 0; i < def->n_rows; i++) {
    t->row_found[i] = true;
    t->row_line[i] = gk__stream_lineno(&p->s, start);
  }
  const gk__token *vals[MAX_ROW_VALUES];
  size_t last_pos = header_end;
  size_t k = collect_values(p, mask, header_end, to, true, vals, MAX_ROW_VALUES,
                            buf, &last_pos);
  if (k < n) {
    /* Each block printed as a small table of its own, header and values
     * ("### 行政复议" …): read from the first column header on, where
     * every header is masked and only the blocks' values remain. */
    gk__pattern sp;
    const gk__pattern *first_col =
        gk__pattern_of(def->header_cols[0].label.text, &sp);
    size_t a, b;
    if (gk__stream_find(&p->s, NULL, start, to, first_col, GK_MATCH_EXACT, &a,
                        &b) &&
        b < header_end) {
      size_t alt_last = b;
      const gk__token *alt[MAX_ROW_VALUES];
      gk__token *alt_buf =
          gk__arena_alloc(&r->arena, MAX_SPAN_TOKENS * sizeof *alt_buf);
      if (!alt_buf)
        return GK_ENOMEM;
      size_t ak = collect_values(p, mask, b, to, true, alt, MAX_ROW_VALUES,
                                 alt_buf, &alt_last);
      if (ak == n) {
        memcpy(vals, alt, n * sizeof *vals);
        k = ak;
        last_pos = alt_last;
      }
    }
  }
  table_notes tn;
  notes_init(&tn);
  uint32_t line = k ? gk__stream_lineno(&p->s, vals[0]->start)
                    : gk__stream_lineno(&p->s, header_end);
  if (k > MAX_ROW_VALUES) {
    gk__diag_rule(r, GK_R_CELL_NOT_A_NUMBER, line, def->key,
                  "%s表格后有 %zu 个数字，不像表格行，未读取",
                  gk__table_part_name(def->id), k);
  } else {
    /* The blocks named together: "行政复议、行政诉讼". */
    const char *name =
        def->n_rows > 1 && def->rows[1].group
            ? gk__arena_printf(&r->arena, "%s、%s", def->rows[0].label.text,
                               def->rows[1].group)
            : def->rows[0].label.text;
    read_row(p, ed, def, slots, n, vals, k, 0, &tn, name ? name : "", line,
             header_end);
  }
  resolve_pending(p, ed, def, t, &tn);
  summarise_extra(p, def, &tn, n);
  summarise_split(p, def, &tn);
  t->first_line = gk__stream_lineno(&p->s, start);
  t->last_line = gk__stream_lineno(&p->s, last_pos ? last_pos - 1 : 0);
  claim_lines(p, def->id, start, last_pos > header_end ? last_pos : header_end);
  *out = t;
  *end = last_pos > header_end ? last_pos : header_end;
  return GK_OK;
}

/* Records the column headers as found, for label-variant checks. */
static void find_headers(gk__parse *p, const gk__tabledef *def, size_t start,
                         size_t to, gk__table *t) {
  for (int c = 0; c < def->n_header_cols; c++) {
    const gk__coldef *col = &def->header_cols[c];
    gk__pattern sp;
    size_t a, b;
    const gk__pattern *pat = gk__pattern_of(col->label.text, &sp);
    if (gk__stream_find(&p->s, NULL, start, to, pat, GK_MATCH_EXACT, &a, &b)) {
      t->col_label[c] = gk__stream_text(&p->r->arena, &p->s, a, b, false);
      continue;
    }
    for (int v = 0; col->label.variants && col->label.variants[v]; v++) {
      pat = gk__pattern_of(col->label.variants[v], &sp);
      if (gk__stream_find(&p->s, NULL, start, to, pat, GK_MATCH_EXACT, &a,
                          &b)) {
        t->col_label[c] = gk__stream_text(&p->r->arena, &p->s, a, b, false);
        break;
      }
    }
  }
}

/* The rows whose cut was not forced: where the text shows that it drops
 * blank cells (a row of digits run together too short for its cells), the
 * cut is one of several and no cell is read; elsewhere a text that runs
 * digits together prints every cell, and the rows stand as printed (the
 * arith.* checks report a break). */
static void settle_unforced(gk__parse *p) {
  if (!p->blanks_dropped)
    return;
  for (size_t i = 0; i < p->n_unforced; i++) {
    const gk__unforced_row *u = &p->unforced[i];
    for (size_t c = 0; c < u->n; c++) {
      u->cells[c]->state = GK_CELL_NULL;
      u->cells[c]->value = 0;
    }
    gk__diag_add(p->r, "cell.ambiguous", GK_SEV_WARNING, u->line, u->path, "%s",
                 u->msg ? u->msg : "");
  }
}

gk_status gk__parse_tables(gk__parse *p) {
  gk_report *r = p->r;
  p->unforced =
      gk__arena_calloc(&r->arena, MAX_UNFORCED_ROWS, sizeof *p->unforced);
  p->n_unforced = 0;
  p->blanks_dropped = false;
  if (!p->unforced)
    return GK_ENOMEM;
  const gk__edition_def *ed = gk__edition_get(r->edition);
  if (!ed) {
    if (r->edition == GK_EDITION_PRE2019)
      return GK_OK; /* free-form tables are not read as national ones */
    ed = (r->year >= 2019 && r->year <= 2020) ? &gk__edition_2019
                                              : &gk__edition_2021;
  }
  r->tables_ed = ed;
  gk__stream *s = &p->s;
  uint8_t *mask = gk__arena_calloc(&r->arena, s->n ? s->n : 1, 1);
  if (!mask)
    return GK_ENOMEM;
  mask_page_footers(s, mask);
  /* Where the previous table ended (or part 一's heading, or the top). */
  size_t prev_end = p->part_line[1] >= 0 ? s->line_end[p->part_line[1]] : 0;
  for (int ti = 0; ti < GK_N_TABLES; ti++) {
    const gk__tabledef *def = ed->tables[ti];
    int part = ti + 2;
    /* The region: from the part's heading (or, when a heading is
     * missing, from the end of the previous table) to the heading of the
     * next part that follows it. */
    size_t from =
        p->part_line[part] >= 0 ? s->line_end[p->part_line[part]] : prev_end;
    size_t to = s->n;
    for (int q = part + 1; q <= 6; q++) {
      if (p->part_line[q] < 0)
        continue;
      size_t b = s->line_begin[p->part_line[q]];
      if (b >= from && b < to)
        to = b;
    }
    size_t first, last_end;
    int distinct = mask_furniture(s, mask, from, to, def, &first, &last_end);
    gk__table *t = NULL;
    if (def->layout == GK_LAYOUT_BLOCKS) {
      /* A header needs most of its labels: 行政复议 alone in a sentence
       * is not a table. */
      if (distinct >= 4) {
        size_t end;
        gk_status st =
            parse_blocks(p, ed, def, mask, first, last_end, to, &t, &end);
        if (st == GK_OK)
          prev_end = end;
        if (st != GK_OK)
          return st;
      }
    } else if (distinct > 0) {
      size_t end = from;
      gk_status st = parse_rows(p, ed, def, mask, first, to, &t, &end);
      if (st == GK_OK && t)
        prev_end = end;
      if (st != GK_OK)
        return st;
    }
    if (t)
      find_headers(p, def, first, to, t);
    r->tables[ti] = t;
    if (gk__arena_failed(&r->arena))
      return GK_ENOMEM;
  }
  settle_unforced(p);
  return gk__arena_failed(&r->arena) ? GK_ENOMEM : GK_OK;
}
