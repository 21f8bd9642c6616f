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
 * - any other line is one layout line, its runs split at tabs as in the
 *   text reader, after stripping heading marks ("## "), block quotes
 *   ("> "), bullet markers ("- ", "* ", "+ "), emphasis ("**", "*"),
 *   code marks, and link or image syntax (its text is kept).
 *
 * Ordered-list numbers are not stripped: "1." and "（一）" are parts of the
 * report's row labels ("1.属于国家秘密"), not Markdown syntax.  Nothing is
 * joined or realigned here; the parser aligns labels and numbers over
 * lines, as it does for PDF text.
 *
 * Every layout line keeps the 1-based number of its source line, so that
 * diagnostics point into the Markdown file.
 */
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
  i = gk__skip_plain(text, i, len);
  while (i < len && text[i] != '\n' && text[i] != '\r')
    i = gk__skip_plain(text, i + 1, len);
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
      size_t j = i + 1;
      while (j < n && !inline_special[(unsigned char)s[j]])
        j++;
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
  gk__lines_run(&m->w, text, (uint32_t)len, table, row, col);
}

/* Appends cleaned s[0, n) to the output and returns where it starts. */
static const char *emit(md_reader *m, const char *s, size_t n, size_t *len) {
  char *at = m->out + m->o;
  *len = clean_inline(s, n, at);
  m->o += *len;
  return at;
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
    if (j < n && s[j] == '\\' && j + 1 < n) {
      j++; /* an escaped character never ends a cell */
      continue;
    }
    if (j < n && s[j] != '|')
      continue;
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
  size_t field = i;
  for (size_t j = i; j <= n; j++) {
    if (j < n && s[j] != '\t')
      continue;
    size_t len;
    const char *text = emit(m, s + field, j - field, &len);
    add_run(m, text, len, -1, -1, -1);
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
   * run) and check the line length, so that a file over a limit is refused
   * with its reason before anything is allocated. */
  size_t n_lines = 0, n_runs = 0, pos = 0, start, n;
  while (next_line(text, len, &pos, &start, &n)) {
    if (n > GK_MD_MAX_LINE_BYTES) {
      *detail = "Markdown 文件中有一行超过 1 MiB";
      return GK_ELIMIT;
    }
    n_lines++;
    n_runs += 1 + count_byte(text + start, n, '|') +
              count_byte(text + start, n, '\t');
  }
  if (n_lines > GK_MAX_LINES || n_runs > GK_MD_MAX_RUNS) {
    *detail = "Markdown 文件的行数或单元格数超过上限";
    return GK_ELIMIT;
  }
  md_reader m = {0};
  m.out = gk__arena_alloc(a, len + 1);
  if (!m.out)
    return GK_ENOMEM;
  gk__lines_init(&m.w, GK_MD_MAX_RUNS);
  gk_status st = GK_OK;
  int32_t table = -1, row = 0;
  bool in_table = false;
  uint32_t lineno = 0;
  pos = 0;
  while (next_line(text, len, &pos, &start, &n)) {
    lineno++;
    const char *s = text + start;
    if (!is_pipe_row(s, n)) {
      in_table = false;
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
  gk__lines_free(&m.w);
  return st;
}
