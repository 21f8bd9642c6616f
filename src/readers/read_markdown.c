/*
 * read_markdown.c - Markdown to the layout (see layout.h).
 *
 * Markdown reports come from PDF converters and OCR tools, not from
 * people: pipe tables whose rows are often broken (a label in one row and
 * its numbers in the next, header words split over lines, a page footer
 * "— 4 —" between two rows), headings made of whatever the tool took for
 * one, and paragraphs cut at the page's line ends.  This reader removes
 * the Markdown syntax and keeps everything else exactly where it was:
 *
 * - a pipe-table row is one layout line with one run per cell, empty cells
 *   included (their positions are the only evidence of a blank cell), and
 *   the run knows its table, row and column; separator rows (|---|) are
 *   dropped; "\|" is a "|" inside a cell and "<br>" a space;
 * - a table as pandoc's own Markdown writes it (simple and multiline
 *   tables: columns aligned by spaces under a dashed rule) is read the
 *   same way, each cell by the column the rule gives it (see "pandoc's
 *   simple and multiline tables" below);
 * - any other line is one layout line, its runs split at tabs as in the
 *   text reader, after stripping heading marks ("## "), block quotes
 *   ("> "), bullet markers ("- ", "* ", "+ "), emphasis ("**", "*"),
 *   code marks, and link or image syntax (its text is kept).
 *
 * Ordered-list numbers are not stripped: "1." and "（一）" are parts of the
 * report's row labels ("1.属于国家秘密"), not Markdown syntax.  Outside
 * pandoc's tables nothing is joined or realigned here; the parser aligns labels
 * and numbers over lines, as it does for PDF text.
 *
 * Every layout line keeps the 1-based number of its source line, so that
 * diagnostics point into the Markdown file.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "readers/layout_build.h"
#include "readers/readers.h"

/* Limits.  Over any of them gk__read_markdown() refuses the input with
 * GK_ELIMIT and a phrase saying which; none is near a real report. */

/* The longest source line read: 1 MiB.  A converter's longest line is a
 * paragraph or a table row of a few kilobytes; the cap refuses a file that
 * is one enormous line of pipes before it is split into runs. */
#define GK_MD_MAX_LINE_BYTES ((size_t)1 << 20)

/* Cells in one table row: 256.  The widest real table (table 4) has 15
 * numeric columns plus labels; converters add a few empty ones. */
#define GK_MD_MAX_CELLS 256u

/* Rows in one pipe table: 65,536.  Table 3 has 28 rows with its headers;
 * a converter may put a whole report into one table, never this many. */
#define GK_MD_MAX_TABLE_ROWS 65536u

/* Runs in one input: 4 million, as in the text reader (40 bytes a run). */
#define GK_MD_MAX_RUNS 4000000u

/* Sniffing stops after this many bytes: Markdown shows itself in its first
 * tables or headings, and a huge text file is not scanned twice. */
#define GK_MD_SNIFF_BYTES ((size_t)4 << 20)

/* Runs bounded before reading up to which the layout is written straight
 * into the arena (gk__lines_reserve): 65536, 3 MiB at 48 bytes a run; a
 * report has a few thousand.  Past it the bound may be far above the runs
 * (every '|' of a text counts), so the layout grows as it goes. */
#define GK_MD_RESERVE_RUNS 65536u

/* ------------------------------------------------------------ lines */

/* The next line of text[*pos, len): sets *start and *n (without the line
 * end) and moves *pos past LF, CR LF or bare CR.  Returns false at the
 * end. */
static bool next_line(const char *text, size_t len, size_t *pos, size_t *start,
                      size_t *n) {
  size_t i = *pos;
  if (i > len)
    return false;
  size_t s = i;
  if (gk__read_fast_paths) {
    /* Sixteen bytes at a time to the first CR or LF. */
    uint32_t m = 0;
    while (len - i >= 16 && !(m = gk__eq_mask16(text + i, '\n', '\r')))
      i += 16;
    if (m)
      i += (size_t)__builtin_ctz(m);
    else
      while (i < len && text[i] != '\n' && text[i] != '\r')
        i++;
  } else {
    i = gk__skip_plain(text, i, len);
    while (i < len && text[i] != '\n' && text[i] != '\r')
      i = gk__skip_plain(text, i + 1, len);
  }
  *start = s;
  *n = i - s;
  if (i < len && text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
    i++;
  *pos = i + 1; /* one past the end when the text has no final line end */
  return true;
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Skips spaces and tabs from the left; returns the new start. */
static size_t skip_blanks(const char *s, size_t i, size_t n) {
  while (i < n && is_blank(s[i]))
    i++;
  return i;
}

/* Trims spaces and tabs on the right of s[0, n). */
static size_t trim_right(const char *s, size_t n) {
  while (n > 0 && is_blank(s[n - 1]))
    n--;
  return n;
}

/* How many times c occurs in s[0, n). */
static size_t count_byte(const char *s, size_t n, char c) {
  size_t k = 0;
  for (const char *p = s, *e = s + n; (p = memchr(p, c, (size_t)(e - p))); p++)
    k++;
  return k;
}

/* The first index from j on (at most n) whose byte is a or b: sixteen
 * bytes at a time with the fast paths on. */
static size_t next_of2(const char *s, size_t j, size_t n, char a, char b) {
  if (gk__read_fast_paths)
    while (n - j >= 16) {
      uint32_t m = gk__eq_mask16(s + j, a, b);
      if (m)
        return j + (size_t)__builtin_ctz(m);
      j += 16;
    }
  while (j < n && s[j] != a && s[j] != b)
    j++;
  return j;
}

/* Whether the line is a table separator row: cells of hyphens with
 * optional colons ("|---|:--:|"), at least one pipe, nothing else. */
static bool is_separator(const char *s, size_t n) {
  size_t i = skip_blanks(s, 0, n);
  n = trim_right(s, n);
  bool pipe = false, dash = false;
  for (; i < n; i++) {
    char c = s[i];
    if (c == '|')
      pipe = true;
    else if (c == '-')
      dash = true;
    else if (c != ':' && !is_blank(c))
      return false;
  }
  return pipe && dash;
}

/* Whether the line is a pipe-table row (its first non-blank is '|'). */
static bool is_pipe_row(const char *s, size_t n) {
  size_t i = skip_blanks(s, 0, n);
  return i < n && s[i] == '|';
}

/* Length of an ATX heading mark at s[i] ("#".."######" then a blank or the
 * line end), 0 when there is none. */
static size_t heading_mark(const char *s, size_t i, size_t n) {
  size_t k = 0;
  while (i + k < n && s[i + k] == '#' && k < 7)
    k++;
  if (k == 0 || k > 6)
    return 0;
  if (i + k < n && !is_blank(s[i + k]))
    return 0;
  return k;
}

/* Monotone finder of the next occurrence of one byte: because the cursor
 * only moves forward, every search over a line costs O(line) in total,
 * however many '[' the line holds. */
typedef struct finder {
  char c;
  size_t at; /* the last find (the first c at or after the last `from`),
              * or n when none is left */
  bool valid;
} finder;

static size_t find_from(finder *f, const char *s, size_t from, size_t n) {
  if (!f->valid || f->at < from) {
    const char *p = from < n ? memchr(s + from, f->c, n - from) : NULL;
    f->at = p ? (size_t)(p - s) : n;
    f->valid = true;
  }
  return f->at;
}

/*
 * Whether UTF-8 text is Markdown: a pipe table (a separator row among at
 * least three lines that start with '|') or three ATX headings ("# ").
 * Text reports (Word exports, crawler dumps, PDF text) have neither.  Reads
 * at most GK_MD_SNIFF_BYTES; never fails.
 */
bool gk__looks_like_markdown(const char *text, size_t len) {
  if (len > GK_MD_SNIFF_BYTES)
    len = GK_MD_SNIFF_BYTES;
  unsigned pipes = 0, separators = 0, headings = 0;
  /* Only a line whose first non-blank byte is '|' or '#' counts, and
   * text reports hardly have those bytes: they are looked for directly
   * (memchr), not line by line. */
  finder bar = {'|', 0, false}, hash = {'#', 0, false};
  for (size_t i = 0; i < len;) {
    size_t a = find_from(&bar, text, i, len),
           h = find_from(&hash, text, i, len);
    size_t at = a < h ? a : h;
    if (at >= len)
      break;
    size_t b = at;
    while (b > 0 && is_blank(text[b - 1]))
      b--;
    size_t e = gk__skip_plain(text, at, len);
    while (e < len && text[e] != '\n' && text[e] != '\r')
      e = gk__skip_plain(text, e + 1, len);
    i = e; /* the rest of the line cannot start it again */
    if (b > 0 && text[b - 1] != '\n' && text[b - 1] != '\r')
      continue;
    const char *s = text + b;
    size_t n = e - b, k = at - b;
    if (s[k] == '|') {
      pipes++;
      if (is_separator(s, n))
        separators++;
    } else if (heading_mark(s, k, n) > 0) {
      headings++;
    }
    /* A pipe table (a separator and rows around it) or a few headings. */
    if ((separators >= 1 && pipes >= 3) || headings >= 3)
      return true;
  }
  return false;
}

/* ----------------------------------------------------- inline syntax */

static bool is_ascii_punct(unsigned char c) {
  return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) ||
         (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

/* Length of a "<br>", "<br/>" or "<br />" tag at s[i] (any case), else 0. */
static size_t br_tag(const char *s, size_t i, size_t n) {
  if (i + 3 >= n || s[i] != '<' || (s[i + 1] != 'b' && s[i + 1] != 'B') ||
      (s[i + 2] != 'r' && s[i + 2] != 'R'))
    return 0;
  size_t j = skip_blanks(s, i + 3, n);
  if (j < n && s[j] == '/')
    j = skip_blanks(s, j + 1, n);
  return j < n && s[j] == '>' ? j + 1 - i : 0;
}

/*
 * Copies s[0, n) to out without inline Markdown syntax: backslash escapes
 * of ASCII punctuation give the character ("\|" is "|"), "<br>" a space,
 * emphasis runs of one to three '*' and code backticks are dropped, and a
 * link or an image "[text](url)", "![alt](url)" gives its text.  A lone
 * '*' between blanks is kept (it is text, not emphasis).  Returns the
 * bytes written, never more than n.
 */
/* The bytes clean_inline() looks at; every other byte is copied as it
 * stands, a run at a time.  ']' ends a run so that a link's "](url)" is
 * met where it starts. */
static const bool inline_special[256] = {
    ['\\'] = true, ['<'] = true, ['*'] = true, ['`'] = true,
    ['!'] = true,  ['['] = true, [']'] = true};

/* The first index from j on (at most n) whose byte is inline_special:
 * sixteen bytes at a time with the fast paths on (seven compares). */
static size_t next_special(const char *s, size_t j, size_t n) {
#ifdef __SSE2__
  if (gk__read_fast_paths) {
    const __m128i c1 = _mm_set1_epi8('\\'), c2 = _mm_set1_epi8('<'),
                  c3 = _mm_set1_epi8('*'), c4 = _mm_set1_epi8('`'),
                  c5 = _mm_set1_epi8('!'), c6 = _mm_set1_epi8('['),
                  c7 = _mm_set1_epi8(']');
    while (n - j >= 16) {
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + j));
      __m128i hit = _mm_or_si128(
          _mm_or_si128(
              _mm_or_si128(_mm_cmpeq_epi8(v, c1), _mm_cmpeq_epi8(v, c2)),
              _mm_or_si128(_mm_cmpeq_epi8(v, c3), _mm_cmpeq_epi8(v, c4))),
          _mm_or_si128(
              _mm_or_si128(_mm_cmpeq_epi8(v, c5), _mm_cmpeq_epi8(v, c6)),
              _mm_cmpeq_epi8(v, c7)));
      uint32_t m = (uint32_t)_mm_movemask_epi8(hit);
      if (m)
        return j + (size_t)__builtin_ctz(m);
      j += 16;
    }
  }
#endif
  while (j < n && !inline_special[(unsigned char)s[j]])
    j++;
  return j;
}

static size_t clean_inline(const char *s, size_t n, char *out) {
  size_t o = 0;
  finder close_bracket = {']', 0, false}, close_paren = {')', 0, false};
  size_t skip_at = SIZE_MAX, skip_to = 0; /* a link's "](url)" to drop */
  for (size_t i = 0; i < n;) {
    if (i == skip_at) {
      i = skip_to;
      skip_at = SIZE_MAX;
      continue;
    }
    if (skip_at != SIZE_MAX && i > skip_at)
      skip_at = SIZE_MAX; /* an escape or a tag ran over the "](" */
    unsigned char c = (unsigned char)s[i];
    if (!inline_special[c]) {
      size_t j = next_special(s, i + 1, n);
      memcpy(out + o, s + i, j - i);
      o += j - i;
      i = j;
      continue;
    }
    if (c == '\\' && i + 1 < n && is_ascii_punct((unsigned char)s[i + 1])) {
      out[o++] = s[i + 1];
      i += 2;
      continue;
    }
    if (c == '<') {
      size_t k = br_tag(s, i, n);
      if (k) {
        out[o++] = ' ';
        i += k;
        continue;
      }
    }
    if (c == '*') {
      size_t k = 1;
      while (i + k < n && s[i + k] == '*')
        k++;
      bool blank_before = i == 0 || is_blank(s[i - 1]);
      bool blank_after = i + k >= n || is_blank(s[i + k]);
      /* Between two digits a '*' is kept: dropping it would glue two
       * numbers into one. */
      bool digits =
          i > 0 && i + k < n && is_digit(s[i - 1]) && is_digit(s[i + k]);
      if (k > 3 || (blank_before && blank_after) || digits) {
        memcpy(out + o, s + i, k); /* a rule or a literal asterisk */
        o += k;
      }
      i += k;
      continue;
    }
    if (c == '`') {
      while (i < n && s[i] == '`')
        i++;
      continue;
    }
    bool image = c == '!' && i + 1 < n && s[i + 1] == '[';
    if ((c == '[' || image) && skip_at == SIZE_MAX) {
      size_t open = image ? i + 1 : i;
      size_t j = find_from(&close_bracket, s, open + 1, n);
      if (j + 1 < n && s[j + 1] == '(') {
        size_t k = find_from(&close_paren, s, j + 2, n);
        if (k < n) {
          skip_at = j;
          skip_to = k + 1;
          i = open + 1;
          continue;
        }
      }
    }
    out[o++] = (char)c;
    i++;
  }
  return o;
}

/* ------------------------------------------------------ block syntax */

/* Whether s[i, n) is a page footer "- 4 -" (kept: it is not a list). */
static bool is_dash_footer(const char *s, size_t i, size_t n) {
  if (i >= n || s[i] != '-')
    return false;
  size_t j = skip_blanks(s, i + 1, n);
  size_t d = j;
  while (j < n && is_digit(s[j]))
    j++;
  if (j == d)
    return false;
  j = skip_blanks(s, j, n);
  return j + 1 == n && s[j] == '-';
}

/* Whether the (trimmed) line is only a thematic break, a setext underline
 * or a code fence: Markdown with no text of its own. */
static bool is_rule_only(const char *s, size_t i, size_t n) {
  if (i >= n)
    return false;
  char c = s[i];
  if (c == '`' || c == '~') {
    size_t k = 0;
    while (i + k < n && s[i + k] == c)
      k++;
    return k >= 3;
  }
  if (c != '-' && c != '*' && c != '_' && c != '=')
    return false;
  size_t count = 0;
  for (size_t j = i; j < n; j++) {
    if (s[j] == c)
      count++;
    else if (!is_blank(s[j]))
      return false;
  }
  return count >= 3 || (c == '=' && count >= 1);
}

/* The start of a text line's content after block syntax: block quotes,
 * then a heading mark or a bullet.  May shorten *n (a heading's closing
 * '#'s). */
static size_t strip_block(const char *s, size_t *n) {
  size_t i = skip_blanks(s, 0, *n);
  while (i < *n && s[i] == '>')
    i = skip_blanks(s, i + 1, *n);
  size_t h = heading_mark(s, i, *n);
  if (h) {
    i = skip_blanks(s, i + h, *n);
    /* A closing sequence: blanks, then only '#'s to the end. */
    size_t e = trim_right(s, *n), k = e;
    while (k > i && s[k - 1] == '#')
      k--;
    if (k < e && (k == i || is_blank(s[k - 1])))
      *n = trim_right(s, k);
    else
      *n = e;
    /* "### " alone: the blanks skipped after the mark lie past the
     * trimmed end, and the heading is empty. */
    return i < *n ? i : *n;
  }
  if (i + 1 < *n && (s[i] == '-' || s[i] == '*' || s[i] == '+') &&
      is_blank(s[i + 1]) && !is_dash_footer(s, i, trim_right(s, *n)))
    i = skip_blanks(s, i + 1, *n);
  return i;
}

/* --------------------------------------------------------- the reader */

typedef struct md_reader {
  gk__lines w;     /* the layout (layout_build.h) */
  uint32_t lineno; /* the source line of the open layout line */
  char *out;       /* cleaned text, written sequentially */
  size_t o;
} md_reader;

/* Ends the layout line being written, if any. */
static void end_line(md_reader *m) {
  if (m->w.open)
    gk__lines_close(&m->w, m->lineno, false);
}

/* Starts the layout line of source line `lineno`. */
static void new_line(md_reader *m, uint32_t lineno) {
  end_line(m);
  gk__lines_open(&m->w);
  m->lineno = lineno;
}

/* Its failure is sticky in m->w, checked at the end. */
static void add_run(md_reader *m, const char *text, size_t len, int32_t table,
                    int32_t row, int32_t col) {
  gk__lines *w = &m->w;
  /* gk__lines_run()'s common case inline: a line open and room for the
   * run (cap_runs never passes max_runs); anything else through it. */
  if (w->open && w->status == GK_OK && w->n_runs < w->cap_runs) {
    w->runs[w->n_runs] = (gk__run){.text = text,
                                   .len = (uint32_t)len,
                                   .field = (uint32_t)w->n_runs - w->first_run,
                                   .table = table,
                                   .row = row,
                                   .col = col};
    w->n_runs++;
    return;
  }
  gk__lines_run(w, text, (uint32_t)len, table, row, col);
}

/* Appends cleaned s[0, n) to the output and returns where it starts. */
static const char *emit(md_reader *m, const char *s, size_t n, size_t *len) {
  char *at = m->out + m->o;
  *len = clean_inline(s, n, at);
  m->o += *len;
  return at;
}

/* ------------------------------------ pandoc's simple and multiline tables */

/*
 * pandoc's own Markdown (`pandoc -t markdown`) writes a table as a simple
 * or a multiline table: columns aligned by spaces, whose extents are the
 * runs of a dashed rule ("----- ---- ----"), a blank cell only spaces.
 * Read as text, a row with a blank cell would be a row of fewer numbers
 * with nothing to say which is missing; read by the rule's extents, every
 * cell has its column, as in a pipe table.  The forms (pandoc's manual):
 *
 * - multiline with a header: a whole-width dashed line, header lines, the
 *   column rule, rows separated by blank lines, a whole-width dashed line;
 * - headerless (multiline or simple): the column rule, rows, a dashed line
 *   (rows separated by blank lines when any is, else one a line);
 * - simple with a header: a header line, the column rule, one line a row,
 *   ended by a blank line (or a dashed line).
 *
 * Widths are display columns, as pandoc counts them: a CJK or full-width
 * character takes two.  Every word must sit inside one column's extent
 * and each cell's text on a line must be aligned in it (left, right or
 * centred); otherwise the block is not read as a table but line by line,
 * as before, so no text is ever put in a column it does not sit under.
 */

/* Lines of one pandoc table: table 3 as a multiline table is about 80;
 * a block longer than this is read line by line. */
#define GK_MD_MAX_GRID_LINES 4096u
/* Columns of one pandoc table: table 4 has 15, table 3 ten. */
#define GK_MD_MAX_GRID_COLS 64u
/* Header lines of a multiline table: table 3's header wraps over a few. */
#define GK_MD_MAX_GRID_HEAD 32u
/* Words on one line of a pandoc table: a row of table 4 has 15 numbers
 * and its labels; more is not one of our tables. */
#define GK_MD_MAX_GRID_WORDS 128u

typedef struct md_span {
  size_t start, n; /* a source line: text[start, start + n) */
} md_span;

typedef struct md_seg {
  uint32_t start, end; /* display columns [start, end) */
} md_seg;

/* Display width of a code point as pandoc counts it (East Asian wide and
 * full-width characters two columns, others one). */
static uint32_t cp_width(int32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) ||
                 (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
                 (cp >= 0xAC00 && cp <= 0xD7A3) ||
                 (cp >= 0xF900 && cp <= 0xFAFF) ||
                 (cp >= 0xFE30 && cp <= 0xFE4F) ||
                 (cp >= 0xFF00 && cp <= 0xFF60) ||
                 (cp >= 0xFFE0 && cp <= 0xFFE6) ||
                 (cp >= 0x20000 && cp <= 0x3FFFD)
             ? 2
             : 1;
}

static bool span_blank(const char *text, md_span sp) {
  return skip_blanks(text + sp.start, 0, sp.n) == sp.n;
}

/* Whether the line is a dashed rule: only '-' and spaces, at least three
 * dashes; its runs of dashes go to seg (byte offsets are columns here).
 * *n_seg is the number of runs (0 when there are too many). */
static bool dash_rule(const char *s, size_t n, md_seg *seg, uint32_t *n_seg) {
  uint32_t k = 0, dashes = 0;
  bool in = false;
  n = trim_right(s, n);
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '-') {
      if (!in) {
        if (k == GK_MD_MAX_GRID_COLS)
          return false;
        seg[k].start = (uint32_t)i;
        k++;
        in = true;
      }
      seg[k - 1].end = (uint32_t)i + 1;
      dashes++;
    } else if (s[i] == ' ') {
      in = false;
    } else {
      return false;
    }
  }
  *n_seg = k;
  return dashes >= 3;
}

typedef struct md_word {
  uint32_t start, end; /* display columns */
  size_t off, len;     /* bytes within the line */
} md_word;

/* One cell's text on one line: the words from `first` to `last`. */
typedef struct md_piece {
  size_t off, len;
} md_piece;

/*
 * Splits one line of a pandoc table into its columns: piece[c] (len 0
 * when the column is empty on this line).  False when a word lies
 * outside every column, across two (unless it begins a column and the
 * columns it runs into are empty: a header over several columns), or a
 * cell is not aligned in its column.
 */
static bool grid_line(const char *s, size_t n, const md_seg *seg,
                      uint32_t n_seg, md_piece *piece) {
  md_word w[GK_MD_MAX_GRID_WORDS];
  uint32_t nw = 0, col = 0;
  bool in = false;
  for (size_t i = 0; i < n;) {
    int32_t cp;
    size_t k = gk__utf8_next(s + i, n - i, &cp);
    if (k == 0)
      k = 1;
    if (cp == '\t')
      return false; /* pandoc pads with spaces only */
    if (cp == ' ') {
      in = false;
    } else {
      if (!in) {
        if (nw == GK_MD_MAX_GRID_WORDS)
          return false;
        w[nw].start = col;
        w[nw].off = i;
        nw++;
        in = true;
      }
      w[nw - 1].end = col + cp_width(cp);
      w[nw - 1].len = i + k - w[nw - 1].off;
    }
    col += cp_width(cp);
    i += k;
  }
  uint32_t lo[GK_MD_MAX_GRID_COLS], hi[GK_MD_MAX_GRID_COLS];
  int32_t used_to = -1; /* the last column a word ran into */
  for (uint32_t c = 0; c < n_seg; c++)
    piece[c].len = 0;
  for (uint32_t k = 0; k < nw; k++) {
    uint32_t c = 0;
    while (c < n_seg && seg[c].end <= w[k].start)
      c++;
    if (c == n_seg || seg[c].start > w[k].start || (int32_t)c <= used_to)
      return false; /* in a gap, or under a column already run into */
    uint32_t last = c;
    while (last + 1 < n_seg && seg[last + 1].start < w[k].end)
      last++;
    if (last > c && (w[k].start != seg[c].start || piece[c].len))
      return false; /* across columns, not a left-aligned header */
    if (last > c)
      used_to = (int32_t)last;
    if (!piece[c].len) {
      piece[c].off = w[k].off;
      lo[c] = w[k].start;
    }
    piece[c].len = w[k].off + w[k].len - piece[c].off;
    hi[c] = w[k].end;
  }
  for (uint32_t c = 0; c < n_seg; c++) {
    if (!piece[c].len || hi[c] > seg[c].end)
      continue; /* empty, or a header run into the next columns */
    uint32_t left = lo[c] - seg[c].start, right = seg[c].end - hi[c];
    if (left != 0 && right != 0 && (left + 1 < right || right + 1 < left))
      return false;
  }
  return true;
}

/* A pandoc table found at a line: its column rule, header lines
 * [head, body) (none when equal), rows in [body, end), and the line after
 * it all (`next`). */
typedef struct md_grid {
  md_seg seg[GK_MD_MAX_GRID_COLS];
  uint32_t n_seg;
  size_t head, head_end, body, end, next;
  bool groups; /* rows separated by blank lines (else one a line) */
} md_grid;

/* The first dashed line in L[from, n_lines), within the table limit;
 * n_lines when there is none. */
static size_t next_rule(const char *text, const md_span *L, size_t n_lines,
                        size_t from) {
  md_seg seg[GK_MD_MAX_GRID_COLS];
  uint32_t n_seg;
  for (size_t k = from; k < n_lines && k - from < GK_MD_MAX_GRID_LINES; k++)
    if (dash_rule(text + L[k].start, L[k].n, seg, &n_seg))
      return k;
  return n_lines;
}

/* Whether a pandoc table begins at line i (one of the three forms). */
static bool find_grid(const char *text, const md_span *L, size_t n_lines,
                      size_t i, md_grid *g) {
  md_seg seg[GK_MD_MAX_GRID_COLS];
  uint32_t n_seg = 0;
  bool rule = dash_rule(text + L[i].start, L[i].n, seg, &n_seg);
  if (rule && n_seg == 1) {
    /* Multiline with a header: header lines, then the column rule. */
    size_t k = i + 1;
    while (k < n_lines && k - i <= GK_MD_MAX_GRID_HEAD &&
           !span_blank(text, L[k]) &&
           !dash_rule(text + L[k].start, L[k].n, seg, &n_seg))
      k++;
    if (k == i + 1 || k >= n_lines ||
        !dash_rule(text + L[k].start, L[k].n, g->seg, &g->n_seg) ||
        g->n_seg < 2)
      return false;
    g->head = i + 1;
    g->head_end = k;
    g->body = k + 1;
    g->end = next_rule(text, L, n_lines, g->body);
    if (g->end == n_lines)
      return false;
    g->next = g->end + 1;
  } else if (rule && n_seg >= 2) {
    /* Headerless: rows up to the closing dashed line. */
    memcpy(g->seg, seg, n_seg * sizeof seg[0]);
    g->n_seg = n_seg;
    g->head = g->head_end = g->body = i + 1;
    g->end = next_rule(text, L, n_lines, g->body);
    if (g->end == n_lines)
      return false;
    g->next = g->end + 1;
  } else if (!rule && i + 1 < n_lines && !span_blank(text, L[i]) &&
             dash_rule(text + L[i + 1].start, L[i + 1].n, g->seg, &g->n_seg) &&
             g->n_seg >= 2) {
    /* Simple with a header: one line a row, to a blank or dashed line. */
    g->head = i;
    g->head_end = i + 1;
    g->body = i + 2;
    size_t k = g->body;
    while (k < n_lines && k - g->body < GK_MD_MAX_GRID_LINES &&
           !span_blank(text, L[k]) &&
           !dash_rule(text + L[k].start, L[k].n, seg, &n_seg))
      k++;
    if (k - g->body >= GK_MD_MAX_GRID_LINES)
      return false;
    g->end = k;
    g->next = k < n_lines && !span_blank(text, L[k]) ? k + 1 : k;
  } else {
    return false;
  }
  /* Rows: groups of lines when a blank line separates two, else lines. */
  g->groups = false;
  bool seen = false;
  for (size_t k = g->body; k < g->end; k++) {
    if (!span_blank(text, L[k]))
      seen = true;
    else if (seen)
      g->groups = true;
  }
  return seen;
}

/* Splits every line of g into its columns: piece[(k - g->head) * n_seg +
 * c] for line k.  False when a line does not sit in the columns. */
static bool grid_pieces(const char *text, const md_span *L, const md_grid *g,
                        md_piece *piece) {
  for (size_t k = g->head; k < g->end; k++) {
    md_piece *p = &piece[(k - g->head) * g->n_seg];
    if (k >= g->head_end && k < g->body) {
      for (uint32_t c = 0; c < g->n_seg; c++)
        p[c].len = 0; /* the column rule */
      continue;
    }
    if (!grid_line(text + L[k].start, L[k].n, g->seg, g->n_seg, p))
      return false;
  }
  return true;
}

/* One row of g, lines [a, b), as one layout line: a run a column, the
 * column's pieces joined (with a space between two ASCII ends, as a
 * wrapped English phrase; with nothing between Chinese characters). */
static void emit_grid_row(md_reader *m, const char *text, const md_span *L,
                          const md_grid *g, const md_piece *piece, size_t a,
                          size_t b, int32_t table, int32_t row) {
  new_line(m, (uint32_t)a + 1);
  for (uint32_t c = 0; c < g->n_seg; c++) {
    size_t from = m->o;
    for (size_t k = a; k < b; k++) {
      const md_piece *p = &piece[(k - g->head) * g->n_seg + c];
      if (!p->len)
        continue;
      const char *src = text + L[k].start + p->off;
      if (m->o > from && (unsigned char)m->out[m->o - 1] < 0x80 &&
          (unsigned char)src[0] < 0x80)
        m->out[m->o++] = ' ';
      size_t len;
      emit(m, src, p->len, &len);
    }
    add_run(m, m->out + from, m->o - from, table, row, (int32_t)c);
  }
}

/* Reads the pandoc table g: its header lines as row 0, then each row. */
static void emit_grid(md_reader *m, const char *text, const md_span *L,
                      const md_grid *g, const md_piece *piece, int32_t table) {
  int32_t row = 0;
  if (g->head < g->head_end)
    emit_grid_row(m, text, L, g, piece, g->head, g->head_end, table, row++);
  for (size_t k = g->body; k < g->end;) {
    if (span_blank(text, L[k])) {
      k++;
      continue;
    }
    size_t e = k + 1;
    while (g->groups && e < g->end && !span_blank(text, L[e]))
      e++;
    emit_grid_row(m, text, L, g, piece, k, e, table, row++);
    k = e;
  }
}

/* One table row: cells split at unescaped pipes, trimmed and cleaned. */
static gk_status read_row(md_reader *m, const char *s, size_t n,
                          uint32_t lineno, int32_t table, int32_t row) {
  size_t i = skip_blanks(s, 0, n) + 1; /* past the leading '|' */
  n = trim_right(s, n);
  /* A trailing unescaped '|' closes the row, it does not open a cell. */
  if (n > i && s[n - 1] == '|' && s[n - 2] != '\\')
    n--;
  new_line(m, lineno);
  int32_t col = 0;
  size_t cell = i;
  for (size_t j = i; j <= n; j++) {
    j = next_of2(s, j, n, '\\', '|');
    if (j < n && s[j] == '\\') {
      if (j + 1 < n)
        j++; /* an escaped character never ends a cell */
      continue;
    }
    if ((uint32_t)col >= GK_MD_MAX_CELLS)
      return GK_ELIMIT;
    size_t a = skip_blanks(s, cell, j), b = trim_right(s, j);
    size_t len;
    const char *text = emit(m, s + a, b > a ? b - a : 0, &len);
    /* Trim again: "<br>" at a cell's edge becomes a space. */
    while (len > 0 && text[len - 1] == ' ')
      len--;
    while (len > 0 && text[0] == ' ')
      text++, len--;
    add_run(m, text, len, table, row, col++);
    cell = j + 1;
  }
  return GK_OK;
}

/* One text line: block syntax stripped, inline syntax cleaned, runs split
 * at tabs. */
static void read_text_line(md_reader *m, const char *s, size_t n,
                           uint32_t lineno) {
  new_line(m, lineno);
  size_t i = skip_blanks(s, 0, n);
  if (is_rule_only(s, i, trim_right(s, n))) {
    add_run(m, m->out + m->o, 0, -1, -1, -1);
    return;
  }
  i = strip_block(s, &n);
  for (size_t field = i;;) {
    const char *tab = memchr(s + field, '\t', n - field);
    size_t j = tab ? (size_t)(tab - s) : n;
    size_t len;
    const char *text = emit(m, s + field, j - field, &len);
    add_run(m, text, len, -1, -1, -1);
    if (!tab)
      break;
    field = j + 1;
  }
}

/*
 * Reads UTF-8 Markdown into *out.  The lines, the runs and the cleaned text
 * the runs point into are allocated in r's arena (text itself is not kept).
 * Returns GK_OK, GK_ENOMEM, GK_EEMPTY (separator rows only) or GK_ELIMIT,
 * with *detail (when detail is not
 * NULL) set to a static phrase naming the limit; *out is set only on
 * success.
 */
gk_status gk__read_markdown(gk_report *r, const char *text, size_t len,
                            gk__layout *out, const char **detail) {
  gk__arena *a = &r->arena;
  const char *why_unused;
  if (!detail)
    detail = &why_unused;
  /* First pass: bound the lines and runs (every pipe and tab may start a
   * run), check the line length and note where each line is (the source
   * lines, for pandoc's tables, read by looking ahead), so that a file
   * over a limit is refused with its reason before the layout is
   * allocated.  Lines past GK_MAX_LINES are counted, not kept. */
  size_t n_lines = 0, n_runs = 0, pos = 0, start, n, cap_L = 0;
  md_span *L = NULL;
  while (next_line(text, len, &pos, &start, &n)) {
    if (n > GK_MD_MAX_LINE_BYTES) {
      free(L);
      *detail = "Markdown 文件中有一行超过 1 MiB";
      return GK_ELIMIT;
    }
    if (n_lines < GK_MAX_LINES) {
      if (gk__array_grow(&L, &cap_L, n_lines + 1, sizeof *L, GK_MAX_LINES) !=
          GK_OK) {
        free(L);
        return GK_ENOMEM;
      }
      L[n_lines] = (md_span){start, n};
    }
    n_lines++;
    if (!gk__read_fast_paths)
      n_runs += 1 + count_byte(text + start, n, '|') +
                count_byte(text + start, n, '\t');
  }
  if (gk__read_fast_paths) {
    /* The same sum: the lines cover the text but its line ends. */
    size_t pipes, tabs;
    gk__count_bytes2(text, len, '|', '\t', &pipes, &tabs);
    n_runs = n_lines + pipes + tabs;
  }
  if (n_lines > GK_MAX_LINES || n_runs > GK_MD_MAX_RUNS) {
    free(L);
    *detail = "Markdown 文件的行数或单元格数超过上限";
    return GK_ELIMIT;
  }
  md_reader m = {0};
  /* The cleaned text is never longer than the source, but a cell of a
   * pandoc table joins its lines with a space: one more byte a line. */
  m.out = gk__arena_alloc(a, len + n_lines + 1);
  md_piece *piece = NULL;
  if (!m.out) {
    free(L);
    return GK_ENOMEM;
  }
  gk__lines_init(&m.w, GK_MD_MAX_RUNS);
  /* A report's layout (a few thousand runs) written in place in the
   * arena, within the bound just counted; a bigger one grows in malloc'd
   * arrays and is copied at the end, so that the arena never holds more
   * than a few MB of a bound a file of pipes could inflate. */
  if (gk__read_fast_paths && n_runs <= GK_MD_RESERVE_RUNS)
    gk__lines_reserve(&m.w, a, n_lines, n_runs);
  gk_status st = GK_OK;
  int32_t table = -1, row = 0;
  bool in_table = false;
  for (size_t li = 0; li < n_lines; li++) {
    const char *s = text + L[li].start;
    n = L[li].n;
    uint32_t lineno = (uint32_t)li + 1;
    if (!is_pipe_row(s, n)) {
      in_table = false;
      md_grid g;
      if (find_grid(text, L, n_lines, li, &g)) {
        size_t need = (g.end - g.head) * g.n_seg;
        md_piece *np = realloc(piece, need * sizeof *np);
        if (!np) {
          st = GK_ENOMEM;
          goto done;
        }
        piece = np;
        if (grid_pieces(text, L, &g, piece)) {
          emit_grid(&m, text, L, &g, piece, ++table);
          li = g.next - 1;
          continue;
        }
      }
      read_text_line(&m, s, n, lineno);
      continue;
    }
    if (!in_table) {
      in_table = true;
      table++;
      row = 0;
    }
    if (is_separator(s, n))
      continue;
    if ((uint32_t)row >= GK_MD_MAX_TABLE_ROWS) {
      *detail = "Markdown 表格的行数超过上限";
      st = GK_ELIMIT;
      goto done;
    }
    if (read_row(&m, s, n, lineno, table, row++) != GK_OK) {
      *detail = "Markdown 表格一行的单元格数超过上限";
      st = GK_ELIMIT;
      goto done;
    }
  }
  end_line(&m);
  if (m.w.status != GK_OK) {
    st = m.w.status;
    goto done;
  }
  /* Only separator rows (|---|) and blank lines: no text at all, which is
   * not a report with nothing in it but an empty input. */
  if (m.o == 0) {
    *detail = "Markdown 文件只有表格分隔行，没有文字";
    st = GK_EEMPTY;
    goto done;
  }
  st = gk__lines_finish(&m.w, a, "markdown", out);
done:
  free(piece);
  free(L);
  gk__lines_free(&m.w);
  return st;
}
