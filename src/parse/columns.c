/*
 * columns.c - tables 3 and 4 laid out by character columns (`pdftotext
 * -layout`) back into rows of cells.
 *
 * Text extracted from a PDF with its layout kept aligns each table column
 * by padding with spaces: a blank cell is a run of spaces, a row label too
 * long for its cell wraps onto the lines above and below the row's numbers
 * (which sit vertically centred), and a group label (（四）无法提供) is
 * broken into pieces beside several rows.  Read as plain text, the
 * position of a number is lost, and a label's second half lands after
 * the numbers of its row.  Before the stream is built, this pass finds
 * table 3 in such text (lines without tabs between part 3's heading and
 * part 4's), takes the number columns' positions (in characters:
 * pdftotext pads every character, CJK or not, to one column) from the
 * rows nearest each row that print every cell (pdftotext aligns each
 * block of a page on its own) or, on a page without one, from the column
 * headers (their centres; for a number between two centres, where each
 * header begins, the row's total permitting), and rewrites the table as a word
 * processor's "save as text" does: one layout line per row, its group label
 * pieces, its label, then one run per column, empty for a blank cell.  Wrapped
 * label pieces are joined to their row: a piece that begins with an enumerator
 * (1. （一） 一、) and is not the start of a group label begins the next row;
 * any other piece continues the row before it.  Table 4's one row, when it
 * prints fewer numbers than cells, is placed by its header words
 * (place_blocks(), below), and so is a row of table 2 that prints fewer
 * numbers than its block's header has columns (place_table2()).
 *
 * Nothing is guessed: a row whose numbers are not each clearly under one
 * column keeps them unplaced (the table reader then finds fewer numbers
 * than cells: null with a diagnostic); when a row of numbers has no label
 * of its own, or a label no numbers, or the numbers are not set in padded
 * columns at all, the table is left exactly as it was.  Each rewritten row
 * keeps the source line of its label, so diagnostics point at the text as
 * printed.
 */
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "parse.h"

/* Lines of one table looked at: table 3 in -layout text is about 100
 * lines (its header and labels wrap); a region longer than this is not a
 * table printed by a PDF tool, and is left alone. */
#define MAX_REGION_LINES 600
/* Words on one line of a table: a row has a label in a few pieces and
 * at most 15 numbers (table 4); more is not a table row. */
#define MAX_LINE_TOKENS 48
/* Bytes of one line looked at (a table line is under 300). */
#define MAX_LINE_BYTES 2000
/* Pages one table crosses: table 3 takes two or three. */
#define MAX_PAGES 8
/* Columns of numbers: table 4 has 15. */
#define MAX_NUM_COLS 16
/* The label area must leave at least this many characters left of the
 * first number column: text with no columns (numbers at the start of
 * their lines) is not a column layout. */
#define MIN_LABEL_COLS 6

typedef struct token {
  uint32_t start, end; /* columns (characters from the line start) */
  uint32_t off, len;   /* bytes within the line's run */
  uint32_t wide;       /* CJK and full-width characters among them */
  bool value;          /* digits, separators, signs or a blank marker */
  bool footer;         /* a page number ("—3—", "- 4 -") */
} token;

typedef struct cline {
  const gk__run *run;
  uint32_t page;  /* pages of the region (form feeds) before this line */
  bool form_feed; /* the line begins a page (pdftotext's \f) */
  token tok[MAX_LINE_TOKENS];
  uint32_t n_tok;
  bool overflow; /* too many tokens or bytes: not a table line */
} cline;

/* A character that may be part of a number or a blank marker: ASCII and
 * full-width digits, separators, signs, the decimal point, / and dashes. */
static bool value_cp(int32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19) ||
         cp == ',' || cp == 0xFF0C || cp == '.' || cp == 0xFF0E || cp == '-' ||
         cp == 0xFF0D || cp == 0x2014 || cp == 0x2013 || cp == 0x2012 ||
         cp == 0x2212 || cp == '/' || cp == 0xFF0F || cp == '%' || cp == 0xFF05;
}

static bool is_digit_cp(int32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

static bool is_dash_cp(int32_t cp) {
  return cp == '-' || cp == 0xFF0D || cp == 0x2014 || cp == 0x2013 ||
         cp == 0x2212;
}

/* Splits a line into words at spaces (ASCII, U+3000), recording their
 * columns. */
static void tokenize(const gk__run *run, cline *cl) {
  memset(cl, 0, sizeof *cl);
  cl->run = run;
  if (run->len > MAX_LINE_BYTES) {
    cl->overflow = true;
    return;
  }
  uint32_t col = 0;
  token *cur = NULL;
  int32_t first = 0, last = 0;
  bool digits = false;
  for (size_t i = 0; i < run->len;) {
    int32_t cp;
    size_t n = gk__utf8_next(run->text + i, run->len - i, &cp);
    if (n == 0)
      n = 1;
    if (cp == '\f') { /* a page break takes no column */
      cl->form_feed = true;
      i += n;
      continue;
    }
    bool space = cp == ' ' || cp == 0x3000 || cp == '\r';
    if (space && cur) {
      cur->footer =
          cur->value && digits && is_dash_cp(first) && is_dash_cp(last);
      cur = NULL;
    } else if (!space) {
      if (!cur) {
        if (cl->n_tok == MAX_LINE_TOKENS) {
          cl->overflow = true;
          return;
        }
        cur = &cl->tok[cl->n_tok++];
        cur->start = col;
        cur->off = (uint32_t)i;
        cur->value = true;
        first = cp;
        digits = false;
      }
      cur->end = col + 1;
      cur->len = (uint32_t)(i + n) - cur->off;
      cur->wide += cp >= 0x2E80;
      cur->value &= value_cp(cp);
      digits |= is_digit_cp(cp);
      last = cp;
    }
    col++;
    i += n;
  }
  if (cur)
    cur->footer = cur->value && digits && is_dash_cp(first) && is_dash_cp(last);
}

/* The bytes wide_gap() reads as more than a word's: the spaces, the
 * page break, and 0xE3, the lead byte of U+3000 (the ideographic space). */
static bool gap_byte(unsigned char c) {
  return c == ' ' || c == '\r' || c == '\f' || c == 0xE3;
}

/* How many bytes from u[i] on are no gap_byte(), before len. */
static size_t word_bytes(const unsigned char *u, size_t i, size_t len) {
  size_t from = i;
#ifdef __SSE2__
  /* Sixteen bytes at a time: Chinese text is long runs of them. */
  const __m128i sp = _mm_set1_epi8(' '), cr = _mm_set1_epi8('\r'),
                ff = _mm_set1_epi8('\f'), e3 = _mm_set1_epi8((char)0xE3);
  while (len - i >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
    __m128i hit = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, cr)),
        _mm_or_si128(_mm_cmpeq_epi8(v, ff), _mm_cmpeq_epi8(v, e3)));
    unsigned m = (unsigned)_mm_movemask_epi8(hit);
    if (m)
      return i - from + (size_t)__builtin_ctz(m);
    i += 16;
  }
#endif
  while (i < len && !gap_byte(u[i]))
    i++;
  return i - from;
}

/* Whether the line has two words with two columns or more between them
 * (two of tokenize()'s spaces; a form feed takes no column): what
 * padded() looks for in a line of numbers.  A region without one is not
 * set in padded columns, and costs no more than this scan: the bytes of
 * words are skipped together (word_bytes()), and each other byte is read
 * on its own as tests/unit/test_columns.c's reference does. */
bool gk__wide_gap(const char *text, size_t len) {
  const unsigned char *u = (const unsigned char *)text;
  bool word = false;
  int spaces = 0;
  for (size_t i = 0; i < len;) {
    size_t w = word_bytes(u, i, len);
    if (w > 0) {
      if (word && spaces >= 2)
        return true;
      word = true;
      spaces = 0;
      i += w;
      continue;
    }
    size_t n = 1;
    bool space = u[i] == ' ' || u[i] == '\r';
    if (u[i] == 0xE3 && len - i >= 3 && u[i + 1] == 0x80 && u[i + 2] == 0x80) {
      space = true; /* U+3000 */
      n = 3;
    }
    if (u[i] != '\f') {
      if (space)
        spaces++;
      else if (word && spaces >= 2)
        return true;
      else {
        word = true;
        spaces = 0;
      }
    }
    i += n;
  }
  return false;
}

static bool wide_gap(const gk__run *run) {
  return gk__wide_gap(run->text, run->len);
}

/* Twice a token's centre, in columns (integers throughout). */
static uint32_t centre2(const token *t) { return t->start + t->end - 1; }

/* 一 to 十. */
static bool is_numeral(int32_t cp) {
  static const int32_t numerals[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                                     0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341};
  for (size_t i = 0; i < sizeof numerals / sizeof numerals[0]; i++)
    if (cp == numerals[i])
      return true;
  return false;
}

/* Whether the word begins as a row label does: 一、 （一） (一) 1. 1、 1．. */
static bool starts_enumerator(const char *s, size_t len) {
  int32_t cp[3] = {0, 0, 0};
  for (size_t k = 0, i = 0; k < 3 && i < len; k++) {
    size_t n = gk__utf8_next(s + i, len - i, &cp[k]);
    if (n == 0)
      break;
    i += n;
  }
  if (cp[0] == 0xFF08 || cp[0] == '(') /* （一） (一) */
    return is_numeral(cp[1]) && (cp[2] == 0xFF09 || cp[2] == ')');
  if (is_numeral(cp[0])) /* 一、 */
    return cp[1] == 0x3001;
  if (is_digit_cp(cp[0])) /* 1. 1、 1． */
    return cp[1] == '.' || cp[1] == 0x3001 || cp[1] == 0xFF0E;
  return false;
}

/* Whether the word is one of the row labels of an edition's table. */
static bool is_row_label(gk__table_id id, const char *s, size_t len) {
  static const gk_edition editions[] = {GK_EDITION_2021, GK_EDITION_2019};
  for (size_t e = 0; e < sizeof editions / sizeof editions[0]; e++) {
    const gk__tabledef *def = gk__edition_get(editions[e])->tables[id];
    for (size_t k = 0; k < def->n_rows; k++)
      if (strlen(def->rows[k].label.text) == len &&
          memcmp(def->rows[k].label.text, s, len) == 0)
        return true;
  }
  return false;
}

/* Whether the word is (the beginning of) one of the table's group labels
 * or captions (三、本 of 三、本年度办理结果, （三）不 of （三）不予公开):
 * those begin with an enumerator too but begin no row.  （六）其他处理 is
 * a group in 2021 and a row in 2019: whole, it begins a row. */
static bool starts_furniture(const gk__tabledef *def, const char *s,
                             size_t len) {
  for (size_t f = 0; f < def->n_furniture; f++) {
    const char *t = def->furniture[f].text;
    size_t tl = strlen(t);
    if (tl >= len && memcmp(t, s, len) == 0)
      return tl > len || !is_row_label(def->id, s, len);
  }
  return false;
}

static bool starts_row(const gk__tabledef *def, const cline *cl,
                       const token *t) {
  const char *s = cl->run->text + t->off;
  return !t->value && starts_enumerator(s, t->len) &&
         !starts_furniture(def, s, t->len);
}

/* Whether a header word is (part of) one of the column headers. */
static bool header_piece(const gk__tabledef *def, const char *s, size_t len) {
  if (len < 3)
    return false;
  for (size_t c = 0; c < def->n_header_cols; c++) {
    const char *h = def->header_cols[c].label.text;
    size_t hl = strlen(h);
    for (size_t i = 0; i + len <= hl; i++)
      if (memcmp(h + i, s, len) == 0)
        return true;
  }
  return false;
}

/* Region of one table: its lines, the number columns' centres. */
typedef struct region {
  const gk__tabledef *def;
  size_t first, end; /* layout lines [first, end) */
  cline *lines;      /* end - first of them */
  uint32_t n_cols;
  /* Per page (pdftotext aligns each page on its own): */
  uint32_t n_pages;
  bool placed_page[MAX_PAGES];              /* centres found */
  uint32_t centre[MAX_PAGES][MAX_NUM_COLS]; /* doubled */
  uint32_t label_edge[MAX_PAGES];         /* doubled: label words centre left */
  bool edged[MAX_PAGES];                  /* edges found */
  uint32_t edge[MAX_PAGES][MAX_NUM_COLS]; /* where each header begins */
} region;

/* Whether the line prints every cell: exactly n_cols values, its last
 * words; their centres go to centre[]. */
static bool full_row(const cline *cl, uint32_t n_cols, uint32_t *centre) {
  if (cl->overflow || cl->n_tok < n_cols)
    return false;
  uint32_t vals = 0;
  for (uint32_t k = 0; k < cl->n_tok; k++)
    vals += cl->tok[k].value && !cl->tok[k].footer;
  if (vals != n_cols)
    return false;
  for (uint32_t c = 0; c < n_cols; c++) {
    const token *t = &cl->tok[cl->n_tok - n_cols + c];
    if (!t->value || t->footer)
      return false;
    if (centre)
      centre[c] = centre2(t);
  }
  return true;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* The centres from rows that print every cell: the median of each
 * column over them.  False when there are none. */
#define MAX_FULL_ROWS 64 /* rows enough for a median */
static bool centres_from_rows(region *g, uint32_t pg, uint32_t *centre) {
  uint32_t v[MAX_NUM_COLS][MAX_FULL_ROWS], one[MAX_NUM_COLS];
  size_t n = 0;
  for (size_t i = 0; i < g->end - g->first && n < MAX_FULL_ROWS; i++) {
    const cline *cl = &g->lines[i];
    if (cl->page != pg || !full_row(cl, g->n_cols, one))
      continue;
    for (uint32_t c = 0; c < g->n_cols; c++)
      v[c][n] = one[c];
    n++;
  }
  if (n == 0)
    return false;
  for (uint32_t c = 0; c < g->n_cols; c++) {
    qsort(v[c], n, sizeof v[c][0], cmp_u32);
    centre[c] = v[c][n / 2];
  }
  return true;
}

/* The centres from the column headers' words (table 4's one row may
 * have a blank cell): each header word, or piece of one wrapped over
 * lines, sits centred over its column.  Exactly n_cols clusters. */
static bool centres_from_headers(region *g, uint32_t pg, uint32_t *centre,
                                 bool wide) {
  uint32_t c2[MAX_NUM_COLS * 4];
  size_t n = 0;
  for (size_t i = 0; i < g->end - g->first; i++) {
    const cline *cl = &g->lines[i];
    for (uint32_t k = 0; k < cl->n_tok && !cl->overflow && cl->page == pg;
         k++) {
      const token *t = &cl->tok[k];
      if (t->value || !header_piece(g->def, cl->run->text + t->off, t->len))
        continue;
      if (n == sizeof c2 / sizeof c2[0])
        return false;
      /* With `wide`, a CJK character counts two columns: pdftotext puts
       * a word where it begins and then one column a character, so the
       * centre of 其他结 (three characters as wide as six digits) lies
       * further right than its characters say. */
      c2[n++] =
          wide ? 2 * t->start + (t->end - t->start) + t->wide - 1 : centre2(t);
    }
  }
  if (n < g->n_cols)
    return false;
  qsort(c2, n, sizeof c2[0], cmp_u32);
  /* Pieces of one column lie within two columns of each other. */
  uint32_t n_clusters = 0, lo = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && c2[i] - c2[lo] <= 4)
      continue;
    if (n_clusters == g->n_cols)
      return false;
    centre[n_clusters++] = (c2[lo] + c2[i - 1]) / 2;
    lo = (uint32_t)i;
  }
  return n_clusters == g->n_cols;
}

static bool find_centres(region *g, uint32_t pg) {
  uint32_t *centre = g->centre[pg];
  if (!centres_from_rows(g, pg, centre) &&
      !centres_from_headers(g, pg, centre, false))
    return false;
  /* Distinct columns, at least two characters apart. */
  for (uint32_t c = 1; c < g->n_cols; c++)
    if (centre[c] < centre[c - 1] + 4)
      return false;
  uint32_t gap = centre[1] - centre[0];
  if (centre[0] < gap / 2 + 2 * MIN_LABEL_COLS)
    return false;
  g->label_edge[pg] = centre[0] - gap / 2;
  return true;
}

/* The column of a value word among the centres of a reference row: the
 * one whose centre is clearly nearest (within a third of the distance to
 * the next nearest); -1 when it sits between two. */
static int column_of(const uint32_t *centre, uint32_t n_cols, const token *t) {
  uint32_t x = centre2(t);
  int best = -1;
  uint32_t bd = UINT32_MAX, second = UINT32_MAX;
  for (uint32_t c = 0; c < n_cols; c++) {
    uint32_t d = x > centre[c] ? x - centre[c] : centre[c] - x;
    if (d < bd) {
      second = bd;
      bd = d;
      best = (int)c;
    } else if (d < second) {
      second = d;
    }
  }
  return best >= 0 && 3 * bd < second ? best : -1;
}

typedef enum {
  L_BLANK = 0,
  L_BARRIER, /* a header, caption or page number: kept as it is */
  L_LABEL,   /* label words only */
  L_NUMBERS  /* numbers under the columns, perhaps a label before them */
} line_kind;

static line_kind classify(const region *g, const cline *cl) {
  if (cl->overflow)
    return L_BARRIER;
  if (cl->n_tok == 0)
    return L_BLANK;
  if (!g->placed_page[cl->page])
    return L_BARRIER; /* a page whose columns are not known */
  uint32_t edge = g->label_edge[cl->page];
  bool values = false;
  for (uint32_t k = 0; k < cl->n_tok; k++) {
    const token *t = &cl->tok[k];
    bool right = centre2(t) >= edge;
    if (t->footer)
      return L_BARRIER;
    if (right && !t->value)
      return L_BARRIER; /* a header word over the columns */
    if (!right && t->value)
      return L_BARRIER; /* a number left of the columns: not a row */
    values |= right;
  }
  return values ? L_NUMBERS : L_LABEL;
}

/* Whether the numbers are set in padded columns: in most lines with
 * numbers, some gap between words is two spaces or more.  Text whose
 * cells are one space apart (a PDF's text without -layout, a crawler's)
 * keeps no columns, and is left to the table reader. */
static bool padded(const region *g, const line_kind *kind) {
  size_t lines = 0, wide = 0;
  for (size_t i = 0; i < g->end - g->first; i++) {
    const cline *cl = &g->lines[i];
    if (kind[i] != L_NUMBERS || cl->n_tok < 2)
      continue;
    lines++;
    for (uint32_t k = 1; k < cl->n_tok; k++)
      if (cl->tok[k].start >= cl->tok[k - 1].end + 2) {
        wide++;
        break;
      }
  }
  return lines > 0 && 5 * wide >= 4 * lines;
}

/* One row being put together. */
#define NO_NUMBERS ((size_t)-1) /* crow.numbers of a row of blank cells */
typedef struct crow {
  size_t numbers;     /* region line of its numbers, or NO_NUMBERS */
  size_t first_label; /* region line of its first label word */
  uint32_t label_col; /* column where its label starts */
  bool has_start;
} crow;

/* Where each region line goes: a row (index), or kept. */
#define KEEP ((uint32_t)-1)

/* Appends the line's label words of one kind to b: the row's (at or
 * right of label_col - 1) or the group's (left of it). */
static gk_status append_words(gk__buf *b, const cline *cl, uint32_t label_col,
                              bool group) {
  gk_status st = GK_OK;
  for (uint32_t k = 0; k < cl->n_tok && st == GK_OK; k++) {
    const token *t = &cl->tok[k];
    if (t->value)
      continue;
    bool is_group = t->start + 1 < label_col;
    if (is_group == group)
      st = gk__buf_append(b, cl->run->text + t->off, t->len);
  }
  return st;
}

/*
 * Puts the region's rows together.  owner[i] is the row of region line i
 * (KEEP for lines kept as they are).  A row label followed by the next
 * row's label with no numbers between is a row of blank cells (（六）其他
 * 处理's rows, left empty: pdftotext prints nothing under the columns).
 * False when the lines do not fall into rows unambiguously.
 */
/* Whether, from region line i on, a row's label begins before any
 * numbers without one do (page furniture, blank lines and captions
 * between). */
static bool next_starts_row(const region *g, const line_kind *kind, size_t i) {
  for (; i < g->end - g->first; i++) {
    const cline *cl = &g->lines[i];
    if (kind[i] == L_LABEL)
      if (starts_row(g->def, cl, &cl->tok[cl->n_tok - 1]))
        return true;
    if (kind[i] == L_NUMBERS) {
      for (uint32_t k = 0; k < cl->n_tok; k++)
        if (!cl->tok[k].value && starts_row(g->def, cl, &cl->tok[k]))
          return true; /* the next row's label and its numbers */
      return false;
    }
  }
  return false;
}

static bool assemble(const region *g, const line_kind *kind, uint32_t *owner,
                     crow *rows, size_t *n_rows, size_t max_rows) {
  size_t nr = 0;
  size_t n = g->end - g->first;
  /* Lines since the last numbers line that begin the next row. */
  bool pending = false;
  size_t pend_first = 0;
  uint32_t pend_col = 0;
  bool in_rows = false; /* a row is open for continuation words */
  for (size_t i = 0; i < n; i++) {
    owner[i] = KEEP;
  }
  for (size_t i = 0; i < n; i++) {
    const cline *cl = &g->lines[i];
    switch (kind[i]) {
    case L_BLANK:
      /* Inside a row's label: consumed with it (lines stay in order). */
      if (pending)
        owner[i] = (uint32_t)nr;
      break;
    case L_BARRIER:
      /* Before the first row: a caption, kept. */
      if (pending && nr == 0) {
        for (size_t k = pend_first; k < i; k++)
          owner[k] = KEEP;
        pending = false;
      }
      if (pending && !next_starts_row(g, kind, i + 1))
        return false; /* a label cut off from its numbers */
      if (pending) {
        /* A row of blank cells at the foot of a page: the next page
         * begins with the next row's label, not with numbers. */
        if (nr == max_rows)
          return false;
        rows[nr++] = (crow){NO_NUMBERS, pend_first, pend_col, true};
        pending = false;
      }
      in_rows = false;
      break;
    case L_LABEL: {
      /* The last word decides: a row label begins, or continues. */
      const token *last = &cl->tok[cl->n_tok - 1];
      if (starts_row(g->def, cl, last)) {
        if (pending) {
          /* The row before has no numbers: its cells are blank. */
          if (nr == max_rows)
            return false;
          rows[nr++] = (crow){NO_NUMBERS, pend_first, pend_col, true};
        }
        pending = true;
        pend_first = i;
        pend_col = last->start;
      }
      if (pending)
        owner[i] = (uint32_t)nr; /* the row to come */
      else if (in_rows)
        owner[i] = (uint32_t)(nr - 1);
      /* else: a caption or a header repeated after a page break */
      break;
    }
    case L_NUMBERS: {
      const token *own = NULL;
      for (uint32_t k = 0; k < cl->n_tok; k++)
        if (!cl->tok[k].value && starts_row(g->def, cl, &cl->tok[k]))
          own = &cl->tok[k];
      if (own && pending) {
        /* The pending label's row has no numbers (blank cells); these
         * are the own label's. */
        if (nr == max_rows)
          return false;
        rows[nr++] = (crow){NO_NUMBERS, pend_first, pend_col, true};
        pending = false;
      }
      if (!own && !pending)
        return false; /* numbers without a label: a wrapped number? */
      if (nr == max_rows)
        return false;
      crow *r = &rows[nr];
      r->numbers = i;
      r->has_start = true;
      r->first_label = own ? i : pend_first;
      r->label_col = own ? own->start : pend_col;
      owner[i] = (uint32_t)nr;
      nr++;
      pending = false;
      in_rows = true;
      break;
    }
    }
  }
  if (pending) {
    /* The last row prints no numbers up to the next part: blank cells. */
    if (nr == 0 || nr == max_rows)
      return false;
    rows[nr++] = (crow){NO_NUMBERS, pend_first, pend_col, true};
  }
  *n_rows = nr;
  return nr > 0;
}

/* The layout being rebuilt: lines and runs appended in order. */
typedef struct rebuild {
  gk__arena *a;
  gk__line *lines;
  gk__run *runs;
  size_t n_lines, n_runs, cap_lines, cap_runs;
} rebuild;

static gk_status copy_line(rebuild *rb, const gk__layout *l, size_t li) {
  const gk__line *ln = &l->lines[li];
  if (rb->n_lines == rb->cap_lines || rb->n_runs + ln->n_runs > rb->cap_runs)
    return GK_EINTERNAL;
  gk__line *out = &rb->lines[rb->n_lines++];
  *out = *ln;
  out->first_run = (uint32_t)rb->n_runs;
  for (uint32_t k = 0; k < ln->n_runs; k++)
    rb->runs[rb->n_runs++] = l->runs[ln->first_run + k];
  return GK_OK;
}

static gk_status add_run(rebuild *rb, gk__line *ln, const char *text,
                         size_t len) {
  if (rb->n_runs == rb->cap_runs)
    return GK_EINTERNAL;
  gk__run *r = &rb->runs[rb->n_runs++];
  memset(r, 0, sizeof *r);
  r->text = text;
  r->len = (uint32_t)len;
  r->field = ln->n_runs++;
  r->table = r->row = r->col = -1;
  return GK_OK;
}

/* The joined words of one kind over a row's lines, in the arena. */
static gk_status row_words(rebuild *rb, const region *g, const uint32_t *owner,
                           uint32_t row, uint32_t label_col, bool group,
                           const char **text, size_t *len) {
  gk__buf b;
  gk__buf_init(&b, (size_t)MAX_LINE_BYTES * 8);
  gk_status st = GK_OK;
  for (size_t i = 0; i < g->end - g->first && st == GK_OK; i++)
    if (owner[i] == row)
      st = append_words(&b, &g->lines[i], label_col, group);
  *text = NULL;
  *len = b.len;
  if (st == GK_OK && b.len) {
    *text = gk__arena_strndup(rb->a, b.data, b.len);
    if (!*text)
      st = GK_ENOMEM;
  }
  gk__buf_free(&b);
  return st;
}

/* Emits row `row` as one line: group words, label, one run per column. */
static gk_status emit_row(rebuild *rb, const gk__layout *l, const region *g,
                          const uint32_t *owner, const crow *r, uint32_t row,
                          const token *const *placed) {
  if (rb->n_lines == rb->cap_lines)
    return GK_EINTERNAL;
  gk__line *ln = &rb->lines[rb->n_lines++];
  memset(ln, 0, sizeof *ln);
  ln->lineno = l->lines[g->first + r->first_label].lineno;
  ln->first_run = (uint32_t)rb->n_runs;
  const char *text;
  size_t len;
  gk_status st = row_words(rb, g, owner, row, r->label_col, true, &text, &len);
  if (st == GK_OK && text)
    st = add_run(rb, ln, text, len);
  if (st == GK_OK)
    st = row_words(rb, g, owner, row, r->label_col, false, &text, &len);
  if (st == GK_OK)
    st = add_run(rb, ln, text ? text : "", len);
  const cline *nl =
      &g->lines[r->numbers == NO_NUMBERS ? r->first_label : r->numbers];
  if (!placed) {
    /* Not placed: the values one after another, as printed. */
    for (uint32_t k = 0; k < nl->n_tok && st == GK_OK; k++)
      if (nl->tok[k].value)
        st = add_run(rb, ln, nl->run->text + nl->tok[k].off, nl->tok[k].len);
    return st;
  }
  for (uint32_t c = 0; c < g->n_cols && st == GK_OK; c++) {
    const token *t = placed[c];
    st = t ? add_run(rb, ln, nl->run->text + t->off, t->len)
           : add_run(rb, ln, "", 0);
  }
  return st;
}

/* The value of a number token of ASCII digits (thousands separators
 * aside) into *v; false for anything else (signs, decimals, full-width
 * digits, blank markers) or past 15 digits. */
static bool plain_value(const cline *cl, const token *t, int64_t *v) {
  const char *s = cl->run->text + t->off;
  int64_t x = 0;
  unsigned digits = 0;
  for (uint32_t i = 0; i < t->len; i++) {
    if (s[i] == ',')
      continue;
    if (s[i] < '0' || s[i] > '9' || ++digits > 15)
      return false;
    x = x * 10 + (s[i] - '0');
  }
  *v = x;
  return digits > 0;
}

/* Whether a row's totals hold with the numbers placed (a blank cell
 * unknown, >= 0): each block's total (table 4's three, table 3's one
 * row of seven), when placed, equals the sum of the block's other cells
 * when all are placed and is not below the sum of those placed. */
static bool blocks_hold(const region *g, const cline *nl,
                        const token *const *placed) {
  uint32_t per = g->def->max_cols;
  for (uint32_t b = 0; b + 1 <= g->n_cols / per; b++) {
    int64_t sum = 0, total = 0;
    bool unknown = false;
    for (uint32_t j = 0; j + 1 < per; j++) {
      int64_t v;
      const token *t = placed[b * per + j];
      if (!t)
        unknown = true;
      else if (!plain_value(nl, t, &v))
        return false;
      else
        sum += v;
    }
    const token *tt = placed[b * per + per - 1];
    if (!tt)
      continue;
    if (!plain_value(nl, tt, &total))
      return false;
    if (unknown ? sum > total : sum != total)
      return false;
  }
  return true;
}

/* Whether a header word is the first piece of a column header (结果维
 * of table 4's 结果维持 wrapped over two lines, 自然 of table 3's 自然人,
 * or the whole 总计): two characters or more that begin one. */
static bool first_piece(const gk__tabledef *def, const char *s, size_t len) {
  if (len < 6) /* two CJK characters in UTF-8 */
    return false;
  const gk__rowdef *rd = &def->rows[0];
  for (int c = 0; c < rd->n_cols; c++) {
    const char *h = rd->cols[c].label.text;
    if (strlen(h) >= len && memcmp(h, s, len) == 0)
      return true;
  }
  return false;
}

/*
 * Where the column headers begin: pdftotext puts each word at the column
 * of its first character, so the first piece of each header (结果维,
 * 自然, 总计) marks its column's left edge, however the rest of the
 * header wraps (its pieces, 持 or 人, sit where the clusters of
 * centres_from_headers() run into the next column's).  Lines of page pg
 * only (all pages when pg is ALL_PAGES), words whose centre is at or
 * right of `from` (doubled; the row labels are left of it).  There must
 * be exactly one first piece a column; the edges, in order, go to
 * edge[].  False when not.
 */
#define ALL_PAGES UINT32_MAX
static bool header_edges(const region *g, uint32_t pg, uint32_t from,
                         uint32_t *edge) {
  uint32_t e[MAX_NUM_COLS * 4];
  uint32_t n = 0;
  for (size_t i = 0; i < g->end - g->first; i++) {
    const cline *cl = &g->lines[i];
    if (pg != ALL_PAGES && cl->page != pg)
      continue;
    for (uint32_t k = 0; k < cl->n_tok && !cl->overflow; k++) {
      const token *t = &cl->tok[k];
      if (t->value || centre2(t) < from ||
          !first_piece(g->def, cl->run->text + t->off, t->len))
        continue;
      if (n == sizeof e / sizeof e[0])
        return false;
      e[n++] = t->start;
    }
  }
  /* A second piece that also begins a header (结果 of 其他结果 under 其他)
   * starts where its first piece does: one column. */
  qsort(e, n, sizeof e[0], cmp_u32);
  uint32_t m = 0;
  for (uint32_t c = 0; c < n; c++)
    if (m == 0 || e[c] != e[m - 1])
      e[m++] = e[c];
  if (m != g->n_cols)
    return false;
  memcpy(edge, e, m * sizeof e[0]);
  return true;
}

/*
 * Places the numbers of line nl by the column edges of header_edges(): a
 * number belongs to the column whose edge is at or left of its centre and
 * whose next edge is right of it; no two under one, in order.  The
 * placement must hold by the row's totals (table 3's, or each block's of
 * table 4; a blank unknown).  False when not.
 */
static bool place_by_edges(const region *g, const uint32_t *edge,
                           const cline *nl, const token **placed) {
  int last = -1;
  for (uint32_t k = 0; k < nl->n_tok; k++) {
    const token *t = &nl->tok[k];
    if (!t->value || t->footer)
      continue;
    uint32_t x = centre2(t);
    int c = -1;
    for (uint32_t j = 0; j < g->n_cols; j++)
      if (2 * edge[j] <= x && (j + 1 == g->n_cols || x < 2 * edge[j + 1]))
        c = (int)j;
    if (c <= last)
      return false; /* left of the first column, or two under one */
    placed[c] = t;
    last = c;
  }
  return blocks_hold(g, nl, placed);
}

/* Places the values of region line i under their columns, by the
 * columns of the nearest rows above and below it on its page that print
 * every cell (pdftotext aligns the lines of one block alike, but not
 * every block of a page), or, with none, by the page's header.  Each
 * reference must put every value clearly under one column, no two in
 * one, and the references must agree; else false (the row's values are
 * then left unplaced). */
static bool place(const region *g, size_t i, const token **placed) {
  const cline *cl = &g->lines[i];
  uint32_t ref[2][MAX_NUM_COLS];
  size_t n_ref = 0;
  if (full_row(cl, g->n_cols, ref[0])) {
    n_ref = 1;
  } else {
    for (size_t k = i; k-- > 0 && g->lines[k].page == cl->page;)
      if (full_row(&g->lines[k], g->n_cols, ref[n_ref])) {
        n_ref++;
        break;
      }
    for (size_t k = i + 1;
         k < g->end - g->first && g->lines[k].page == cl->page; k++)
      if (full_row(&g->lines[k], g->n_cols, ref[n_ref])) {
        n_ref++;
        break;
      }
  }
  bool by_header = n_ref == 0;
  if (by_header) {
    if (!g->placed_page[cl->page])
      return false;
    memcpy(ref[0], g->centre[cl->page], sizeof ref[0]);
    n_ref = 1;
  }
  for (size_t r = 0; r < n_ref; r++) {
    const token *got[MAX_NUM_COLS] = {0};
    bool clear = true;
    for (uint32_t k = 0; k < cl->n_tok && clear; k++) {
      const token *t = &cl->tok[k];
      if (!t->value)
        continue;
      int c = column_of(ref[r], g->n_cols, t);
      clear = c >= 0 && !got[c];
      if (clear)
        got[c] = t;
    }
    if (!clear) {
      /* With only the header to go by, a number between two header
       * centres (a narrow column, its header wrapped) goes by where the
       * headers begin, when the row's totals allow it. */
      memset(placed, 0, sizeof got);
      return by_header && g->edged[cl->page] &&
             place_by_edges(g, g->edge[cl->page], cl, placed);
    }
    if (r > 0 && memcmp(got, placed, sizeof got) != 0)
      return false;
    memcpy(placed, got, sizeof got);
  }
  return true;
}

/* Whether the len bytes at s, up to a zero byte if they hold one, hold
 * kw.  Its second byte is looked for first: in UTF-8 Chinese a
 * continuation byte, one of 64 values, where the lead bytes of most
 * ideographs are six.  A zero byte is looked for only before a match
 * (text is refused for one only in its first 64 KB). */
static bool holds(const char *s, size_t len, const char *kw) {
  size_t kl = strlen(kw);
  if (kl == 0)
    return true;
  if (kl == 1) {
    const char *p = memchr(s, kw[0], len);
    return p && !memchr(s, '\0', (size_t)(p - s));
  }
  if (kl > len)
    return false;
  const char *e = s + len - kl + 2; /* kw[1] at p, kw at p - 1 */
  for (const char *p = s + 1; p < e; p++) {
    p = memchr(p, kw[1], (size_t)(e - p));
    if (!p)
      return false;
    if (memcmp(p - 1, kw, kl) == 0)
      return !memchr(s, '\0', (size_t)(p - 1 - s) + kl);
  }
  return false;
}

/* The region of table `def`: from the line holding its part's heading
 * keyword to the next part's heading, lines without tabs only. */
static bool find_region(const gk__layout *l, size_t from, int part,
                        size_t *first, size_t *end) {
  const char *kw = gk__parts[part - 1].keywords[0];
  const char *next_kw = gk__parts[part].keywords[0];
  size_t a = l->n_lines;
  for (size_t li = from; li < l->n_lines; li++) {
    const gk__line *ln = &l->lines[li];
    if (ln->n_runs != 1)
      continue;
    const gk__run *run = &l->runs[ln->first_run];
    /* A heading is a short line. */
    if (run->len > 200)
      continue;
    if (a == l->n_lines) {
      if (holds(run->text, run->len, kw))
        a = li + 1; /* after the heading */
    } else if (holds(run->text, run->len, next_kw)) {
      *first = a;
      *end = li;
      return true;
    }
  }
  if (a == l->n_lines)
    return false;
  *first = a;
  *end = l->n_lines;
  return true;
}

/*
 * Rewrites one table's region, or leaves it (returns GK_OK with
 * *done false).  The rebuilt lines go to rb.
 */
static gk_status rewrite_region(gk_report *r, rebuild *rb, region *g,
                                bool *done) {
  const gk__layout *l = &r->layout;
  size_t n = g->end - g->first;
  *done = false;
  if (n > MAX_REGION_LINES || n < 3)
    return GK_OK;
  /* Tab-separated lines (a word processor's text) are left as they are,
   * and so is a region without a padded gap: most text reports. */
  bool gap = false;
  for (size_t i = 0; i < n; i++) {
    const gk__line *ln = &l->lines[g->first + i];
    if (ln->n_runs != 1)
      return GK_OK;
    gap = gap || wide_gap(&l->runs[ln->first_run]);
  }
  if (!gap)
    return GK_OK;
  gk_status st = GK_OK;
  cline *lines = gk__arena_alloc(&r->arena, n * sizeof *lines);
  line_kind *kind = gk__arena_alloc(&r->arena, n * sizeof *kind);
  uint32_t *owner = gk__arena_alloc(&r->arena, n * sizeof *owner);
  crow *rows = gk__arena_alloc(&r->arena, n * sizeof *rows);
  if (!lines || !kind || !owner || !rows)
    return GK_ENOMEM;
  g->lines = lines;
  uint32_t page = 0;
  for (size_t i = 0; i < n; i++) {
    const gk__line *ln = &l->lines[g->first + i];
    tokenize(&l->runs[ln->first_run], &lines[i]);
    if (lines[i].form_feed && i > 0 && ++page == MAX_PAGES)
      return GK_OK;
    lines[i].page = page;
  }
  g->n_pages = page + 1;
  bool any_page = false;
  for (uint32_t pg = 0; pg < g->n_pages; pg++) {
    any_page |= g->placed_page[pg] = find_centres(g, pg);
    g->edged[pg] = g->placed_page[pg] &&
                   header_edges(g, pg, g->label_edge[pg], g->edge[pg]);
  }
  if (!any_page)
    return GK_OK;
  size_t n_numbers = 0;
  for (size_t i = 0; i < n; i++) {
    kind[i] = classify(g, &lines[i]);
    n_numbers += kind[i] == L_NUMBERS;
  }
  if (n_numbers == 0)
    return GK_OK;
  if (!padded(g, kind))
    return GK_OK;
  size_t n_rows = 0;
  if (!assemble(g, kind, owner, rows, &n_rows, n))
    return GK_OK;
  /* Only now, when the region will be rewritten, the rebuilt layout: at
   * most the lines it had, and a label run and a run per column more for
   * each row (rows are fewer than the lines they replace); the lines
   * before the region are copied first. */
  rb->a = &r->arena;
  rb->cap_lines = l->n_lines;
  rb->cap_runs = l->n_runs + (MAX_NUM_COLS + 2) * (size_t)MAX_REGION_LINES;
  rb->lines = gk__arena_calloc(&r->arena, rb->cap_lines, sizeof *rb->lines);
  rb->runs = gk__arena_calloc(&r->arena, rb->cap_runs, sizeof *rb->runs);
  if (!rb->lines || !rb->runs)
    return GK_ENOMEM;
  for (size_t li = 0; li < g->first && st == GK_OK; li++)
    st = copy_line(rb, l, li);
  const token *placed[MAX_NUM_COLS];
  for (size_t i = 0; i < n && st == GK_OK; i++) {
    if (owner[i] == KEEP) {
      st = copy_line(rb, l, g->first + i);
      continue;
    }
    const crow *row = &rows[owner[i]];
    bool blank = row->numbers == NO_NUMBERS;
    if ((blank ? row->first_label : row->numbers) != i)
      continue; /* its words go with the row's line */
    /* A row of blank cells: one empty run a column. */
    for (uint32_t c = 0; blank && c < g->n_cols; c++)
      placed[c] = NULL;
    bool ok = blank || place(g, i, placed);
    st = emit_row(rb, l, g, owner, row, owner[i], ok ? placed : NULL);
  }
  *done = st == GK_OK;
  return st;
}

/* Places the numbers of line nl under the columns of the header lines
 * of g (CJK characters counted two columns with `wide`): every number
 * clearly under one column, in order, no two under one.  False when not. */
static bool header_columns(region *g, const cline *nl, bool wide,
                           const token **placed) {
  uint32_t centre[MAX_NUM_COLS];
  if (!centres_from_headers(g, 0, centre, wide))
    return false;
  for (uint32_t c = 1; c < g->n_cols; c++)
    if (centre[c] < centre[c - 1] + 4)
      return false;
  int last = -1;
  for (uint32_t k = 0; k < nl->n_tok; k++) {
    const token *t = &nl->tok[k];
    if (!t->value || t->footer)
      continue;
    int c = column_of(centre, g->n_cols, t);
    if (c <= last)
      return false; /* between two columns, or out of order */
    placed[c] = t;
    last = c;
  }
  return true;
}

/* One layout line to rewrite in place: its label words (none when
 * label_len is 0), then one run a column, an empty run a blank cell
 * (len 0; a number is never empty). */
typedef struct placed_line {
  size_t li;
  const gk__run *src;
  uint32_t label_off, label_len;
  uint32_t n_cols;
  uint32_t off[MAX_NUM_COLS], len[MAX_NUM_COLS];
} placed_line;

/* The placements of the number tokens placed[] of a line, in p. */
static void keep_placed(placed_line *p, const token *const *placed) {
  for (uint32_t c = 0; c < p->n_cols; c++) {
    p->off[c] = placed[c] ? placed[c]->off : 0;
    p->len[c] = placed[c] ? placed[c]->len : 0;
  }
}

/* Rewrites lines rows[0..n) (in layout order) of the layout in place, as
 * a word processor's text export prints them: each becomes its label
 * run and one run a column.  The other lines keep their runs. */
static gk_status rewrite_lines(gk_report *r, const placed_line *rows,
                               size_t n) {
  const gk__layout *l = &r->layout;
  gk__run *runs = gk__arena_calloc(
      &r->arena, l->n_runs + n * (MAX_NUM_COLS + 1), sizeof *runs);
  gk__line *lines_out =
      gk__arena_alloc(&r->arena, l->n_lines * sizeof *lines_out);
  if (!runs || !lines_out)
    return GK_ENOMEM;
  memcpy(lines_out, l->lines, l->n_lines * sizeof *lines_out);
  size_t o = 0, next = 0;
  for (size_t li = 0; li < l->n_lines; li++) {
    gk__line *ln = &lines_out[li];
    uint32_t first_run = (uint32_t)o;
    if (next < n && rows[next].li == li) {
      const placed_line *row = &rows[next++];
      uint32_t field = 0;
      if (row->label_len) {
        gk__run *rn = &runs[o++];
        *rn = *row->src;
        rn->text = row->src->text + row->label_off;
        rn->len = row->label_len;
        rn->field = field++;
      }
      for (uint32_t c = 0; c < row->n_cols; c++) {
        gk__run *rn = &runs[o++];
        *rn = *row->src;
        rn->text = row->len[c] ? row->src->text + row->off[c] : "";
        rn->len = row->len[c];
        rn->field = field++;
      }
      ln->n_runs = field;
    } else {
      for (uint32_t j = 0; j < ln->n_runs; j++)
        runs[o++] = l->runs[ln->first_run + j];
    }
    ln->first_run = first_run;
  }
  r->layout.lines = lines_out;
  r->layout.runs = runs;
  r->layout.n_runs = o;
  return GK_OK;
}

/* Lines of table 4's region looked at: its header wraps over a few
 * lines and its one row of numbers follows; more is not that table. */
#define MAX_BLOCK_LINES 40

/*
 * Table 4 (one row of fifteen numbers under a header of three blocks):
 * when the row prints fewer numbers than cells, each number is placed
 * under the column whose header words it sits under.  The header's words
 * (结果维持, or its pieces 结果维 / 持 wrapped over lines) sit centred or
 * left over their columns; the fifteen columns are the fifteen clusters
 * of header pieces (centres_from_headers), and every number must sit
 * clearly under one of them, no two under one, in order.  The line is
 * then rewritten as fifteen fields, a blank cell an empty one, as a word
 * processor's text export prints it.  Anything else (no single line of
 * numbers, headers that do not fall into fifteen columns, a number
 * between two) leaves the table as it was: the table reader then finds
 * fewer numbers than cells and says so.
 */
static gk_status place_blocks(gk_report *r, size_t t3_end) {
  const gk__layout *l = &r->layout;
  region g;
  memset(&g, 0, sizeof g);
  g.def = gk__edition_get(GK_EDITION_2021)->tables[GK_T_APPEALS];
  g.n_cols = (uint32_t)g.def->n_rows * g.def->max_cols;
  /* Part 4's heading is where part 3's region ends, line t3_end
   * ("行政复议" may be named in the prose before it). */
  if (g.n_cols > MAX_NUM_COLS || t3_end >= l->n_lines ||
      !find_region(l, t3_end, 4, &g.first, &g.end))
    return GK_OK;
  size_t n = g.end - g.first;
  if (n < 2)
    return GK_OK;
  if (n > MAX_BLOCK_LINES)
    n = MAX_BLOCK_LINES;
  /* The line of numbers (below) is one of these lines, and is placed
   * only when it has a wide gap: a region where none has one, or that
   * holds a tab-separated line (a word processor's text), is left before
   * any is tokenized. */
  bool gap = false;
  for (size_t i = 0; i < n; i++) {
    const gk__line *ln = &l->lines[g.first + i];
    if (ln->n_runs != 1)
      return GK_OK;
    gap = gap || wide_gap(&l->runs[ln->first_run]);
  }
  if (!gap)
    return GK_OK;
  cline *lines = gk__arena_alloc(&r->arena, n * sizeof *lines);
  if (!lines)
    return GK_ENOMEM;
  /* The one line of numbers only, after the header, before the prose. */
  size_t numbers = n;
  bool header = false;
  for (size_t i = 0; i < n; i++) {
    const gk__line *ln = &l->lines[g.first + i];
    if (ln->n_runs != 1)
      return GK_OK; /* tab-separated: a word processor's text */
    tokenize(&l->runs[ln->first_run], &lines[i]);
    const cline *cl = &lines[i];
    if (cl->overflow || cl->form_feed)
      return GK_OK;
    uint32_t vals = 0, words = 0;
    for (uint32_t k = 0; k < cl->n_tok; k++) {
      if (cl->tok[k].footer)
        continue;
      if (cl->tok[k].value)
        vals++;
      else
        words++;
    }
    if (vals && words)
      break; /* prose with a number: past the table */
    if (vals) {
      if (numbers != n)
        return GK_OK; /* two lines of numbers: wrapped, or not one row */
      numbers = i;
    } else if (words && numbers == n) {
      header = true;
    } else if (words) {
      break;
    }
  }
  if (numbers == n || !header)
    return GK_OK;
  const cline *nl = &lines[numbers];
  uint32_t vals = 0;
  for (uint32_t k = 0; k < nl->n_tok; k++)
    vals += nl->tok[k].value && !nl->tok[k].footer;
  if (vals == 0 || vals >= g.n_cols)
    return GK_OK; /* every cell printed, or none: nothing to place */
  /* Numbers one space apart (a crawler's or a PDF's text without
   * -layout) keep no columns. */
  if (!wide_gap(nl->run))
    return GK_OK;
  g.lines = lines;
  g.end = g.first + numbers; /* the header lines */
  /* Header words counted one column a character (pdftotext's columns)
   * and two for a CJK character (its glyphs' width): fonts differ in
   * which holds.  Each measure that places every number gives a
   * placement; when both do, they must agree. */
  const token *placed[MAX_NUM_COLS] = {0};
  bool any = false;
  for (int wide = 0; wide < 2; wide++) {
    const token *got[MAX_NUM_COLS] = {0};
    if (!header_columns(&g, nl, wide, got))
      continue;
    if (any && memcmp(got, placed, sizeof got) != 0)
      return GK_OK; /* the two measures disagree */
    memcpy(placed, got, sizeof got);
    any = true;
  }
  /* Neither measure finds fifteen clusters (narrow columns whose
   * wrapped pieces run into each other): the headers' first pieces. */
  uint32_t edge[MAX_NUM_COLS];
  if (!any && !(header_edges(&g, ALL_PAGES, 0, edge) &&
                place_by_edges(&g, edge, nl, placed)))
    return GK_OK;
  /* The line rewritten in place: its runs become one a column. */
  placed_line row = {.li = g.first + numbers, .n_cols = g.n_cols};
  row.src = &l->runs[l->lines[row.li].first_run];
  keep_placed(&row, placed);
  return rewrite_lines(r, &row, 1);
}

/* Rows of table 2 rewritten at most: its eight blocks have ten rows. */
#define MAX_T2_ROWS 16

/*
 * Table 2 (eight small blocks, each a caption 第二十条第（一）项, a header
 * line 信息内容 本年新制作数量 … and rows of two or three numbers): a row
 * that prints fewer numbers than its block's header has columns is
 * placed by the header words' centres (each a single word on the header
 * line, over its column), every number clearly under one of them, in
 * order, no two under one; the line is rewritten as its label and one
 * run a column, a blank cell an empty one.  A row that prints every cell
 * is left as it is, and so is any line that is not a label followed by
 * numbers only.  With no arithmetic between table 2's columns to check a
 * placement, nothing less clear than that is placed.
 */
static gk_status place_table2(gk_report *r, size_t first, size_t end) {
  const gk__layout *l = &r->layout;
  if (end - first > MAX_REGION_LINES)
    return GK_OK;
  cline line;
  cline *cl = &line;
  placed_line rows[MAX_T2_ROWS];
  uint32_t centre[MAX_NUM_COLS], n_head = 0, head_start = 0;
  size_t n_rows = 0;
  for (size_t li = first; li < end; li++) {
    const gk__line *ln = &l->lines[li];
    if (ln->n_runs != 1)
      return GK_OK; /* tab-separated: a word processor's text */
    const gk__run *run = &l->runs[ln->first_run];
    if (!wide_gap(run)) {
      /* A caption (第二十条第（五）项) ends a block; an empty line (a
       * page's end) does not. */
      bool empty = true;
      for (uint32_t b = 0; b < run->len && empty; b++)
        empty = run->text[b] == ' ' || run->text[b] == '\f';
      n_head = empty ? n_head : 0;
      continue;
    }
    tokenize(run, cl);
    if (cl->overflow || cl->n_tok < 2)
      continue;
    const token *t0 = &cl->tok[0];
    if (!t0->value && t0->len == strlen("信息内容") &&
        memcmp(run->text + t0->off, "信息内容", t0->len) == 0) {
      /* A block's header: its column words, one each. */
      n_head = 0;
      for (uint32_t k = 1; k < cl->n_tok && n_head < MAX_NUM_COLS; k++) {
        if (cl->tok[k].value)
          break;
        centre[n_head++] = centre2(&cl->tok[k]);
      }
      if (n_head < 2 || n_head + 1 != cl->n_tok)
        n_head = 0;
      head_start = n_head ? cl->tok[1].start : 0;
      continue;
    }
    if (n_head == 0)
      continue;
    /* A row: label words left of the first column's header, then
     * numbers only. */
    uint32_t k = 0;
    while (k < cl->n_tok && !cl->tok[k].value)
      k++;
    if (k == 0 || k == cl->n_tok || cl->tok[k - 1].end > head_start)
      continue;
    uint32_t vals = cl->n_tok - k;
    bool numbers = vals < n_head;
    for (uint32_t j = k; j < cl->n_tok && numbers; j++)
      numbers = cl->tok[j].value && !cl->tok[j].footer;
    if (!numbers)
      continue;
    const token *placed[MAX_NUM_COLS] = {0};
    int last = -1;
    bool ok = true;
    for (uint32_t j = k; j < cl->n_tok && ok; j++) {
      int c = column_of(centre, n_head, &cl->tok[j]);
      ok = c > last;
      if (ok) {
        placed[c] = &cl->tok[j];
        last = c;
      }
    }
    if (!ok)
      continue;
    if (n_rows == MAX_T2_ROWS)
      return GK_OK;
    placed_line *row = &rows[n_rows++];
    *row = (placed_line){.li = li, .src = run, .n_cols = n_head};
    row->label_off = cl->tok[0].off;
    row->label_len = cl->tok[k - 1].off + cl->tok[k - 1].len - row->label_off;
    keep_placed(row, placed);
  }
  return n_rows ? rewrite_lines(r, rows, n_rows) : GK_OK;
}

/* Table 3, in lines [first, *end) of the layout; *end becomes the
 * index of the line after it in the layout rewritten. */
static gk_status place_rows(gk_report *r, size_t first, size_t *end) {
  const gk__layout *l = &r->layout;
  region g;
  memset(&g, 0, sizeof g);
  g.def = gk__edition_get(GK_EDITION_2021)->tables[GK_T_APPLICATIONS];
  g.n_cols = g.def->rows[0].n_cols;
  g.first = first;
  g.end = *end;
  if (g.n_cols > MAX_NUM_COLS || g.n_cols < 2)
    return GK_OK;
  rebuild rb;
  memset(&rb, 0, sizeof rb);
  bool done = false;
  gk_status st = rewrite_region(r, &rb, &g, &done);
  if (st != GK_OK || !done)
    return st;
  *end = rb.n_lines; /* where the region's end line now is */
  for (size_t li = g.end; li < l->n_lines && st == GK_OK; li++)
    st = copy_line(&rb, l, li);
  if (st != GK_OK)
    return st;
  r->layout.lines = rb.lines;
  r->layout.n_lines = rb.n_lines;
  r->layout.runs = rb.runs;
  r->layout.n_runs = rb.n_runs;
  return GK_OK;
}

gk_status gk__columns(gk_report *r) {
  const gk__layout *l = &r->layout;
  if (!l->format || strcmp(l->format, "text") != 0 || l->n_lines == 0)
    return GK_OK;
  /* Table 2's region, from part 2's heading to part 3's; table 3's
   * heading is where it ends (place_table2() rewrites lines in place, so
   * line numbers stay). */
  size_t first, end, from = 0;
  gk_status st = GK_OK;
  if (find_region(l, 0, 2, &first, &end)) {
    st = place_table2(r, first, end);
    from = end;
  }
  /* Table 3's region, from part 3's heading to part 4's. */
  if (st != GK_OK || !find_region(l, from, 3, &first, &end))
    return st;
  st = place_rows(r, first, &end);
  if (st == GK_OK)
    st = place_blocks(r, end);
  return st;
}
