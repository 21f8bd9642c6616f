/*
 * parse.h - layout to report model, the parser's internal interface.
 *
 * The parser works on a folded view of the layout: the stream, one entry
 * per source character after NFKC folding, with white space removed and
 * recorded instead as a break before the next character.  Labels are
 * found in the stream ignoring breaks (so "商 业 企 业" and a label broken
 * over three lines still match) and tolerating a few stray characters (a
 * vertical row header's characters land inside other rows in PDF text).
 * Numbers are read from the stream where no label was found, split at
 * breaks.
 *
 *   parse.c     entry point: stream, parts, metadata, edition, tables
 *   columns.c   tables laid out by character columns, back into cells
 *   stream.c    the stream, label matching
 *   number.c    tokens: the number grammar, blank markers
 *   sections.c  the six parts and their prose
 *   meta.c      title, agency, year, date, edition
 *   tables.c    tables 2-4: the driver (regions, furniture, rows, headers)
 *   tables_match.c   aligning row labels, masks (tables_int.h)
 *   tables_assign.c  a row's values into its cells
 *   tables_glued.c   digits run together, cut by the arithmetic
 *   written.c   the text as written that the rules judge
 *   prose.c     the prose pass: facts stated in the parts' text (prose.h)
 */
#ifndef GK_PARSE_H
#define GK_PARSE_H

#include "model.h"

/* Kinds of break before a stream character, weakest first.  A thin space
 * (U+2009, U+202F) is kept apart from other white space: between digit
 * groups it groups thousands ("12 345"); everywhere else it is a space. */
enum { GK_BRK_NONE = 0, GK_BRK_THIN, GK_BRK_SPACE, GK_BRK_FIELD, GK_BRK_LINE };

/* 12 bytes a character (the stream is most of a report's memory): the run
 * index and the break share a word; GK_MAX_STREAM_RUNS keeps the index in
 * its 24 bits. */
typedef struct gk__fch {
  int32_t cp;        /* folded code point */
  uint32_t line;     /* index into layout.lines */
  uint32_t run : 24; /* index into layout.runs */
  uint32_t brk : 8;  /* break before this character */
} gk__fch;

/* Runs a stream can point into: 16 million (24 bits; a report has a few
 * thousand, and GK_MAX_TEXT_BYTES allows at most 8 million non-empty). */
#define GK_MAX_STREAM_RUNS ((size_t)1 << 24)

typedef struct gk__stream {
  const gk__layout *layout;
  gk__fch *ch;
  int32_t *cp; /* ch[i].cp again, packed: label scans read only this */
  size_t n;
  /* Per layout line: the index of its first character in ch, and one past
   * its last (equal when the line is empty). */
  size_t *line_begin;
  size_t *line_end;
  /* The blank markers of format.c, folded once (the tokenizer tests every
   * text token against them). */
  const struct gk__pattern **blanks;
  size_t n_blanks;
} gk__stream;

/* Characters in one report's stream: 16 million.  The longest real
 * reports (provincial, with every table) have about 100,000; the cap turns
 * a huge text into GK_ELIMIT before the stream (16 bytes a character) is
 * allocated. */
#define GK_MAX_STREAM_CHARS ((size_t)16 << 20)

/* Builds the stream of a layout.  GK_ENOMEM, or GK_ELIMIT past
 * GK_MAX_STREAM_CHARS. */
gk_status gk__stream_build(gk__arena *a, const gk__layout *layout,
                           gk__stream *s);

/* A label folded for matching: code points, white space dropped. */
#define GK_MAX_LABEL 96
typedef struct gk__pattern {
  int32_t cp[GK_MAX_LABEL];
  size_t n;
} gk__pattern;

/* Folds a UTF-8 label into a pattern (truncated at GK_MAX_LABEL). */
void gk__pattern_make(gk__pattern *p, const char *utf8);

/* The pattern of a string of the format data (a label, anchor, variant,
 * furniture text, column header, part heading or keyword, blank marker or
 * agency suffix), folded once per process (patterns.c); any other string
 * is folded into *scratch, which is returned.  The result is read-only
 * and lives as long as the process or *scratch. */
const gk__pattern *gk__pattern_of(const char *utf8, gk__pattern *scratch);

/* How tolerant a match is. */
typedef enum {
  GK_MATCH_EXACT = 0, /* every character, breaks ignored */
  GK_MATCH_FUZZY      /* also a few stray non-digit characters */
} gk__match_mode;

/*
 * Finds the first occurrence of p in s->ch[from, to) whose characters are
 * not masked (mask may be NULL).  Breaks between characters are ignored.
 * On success sets [*start, *end) and returns true.
 */
bool gk__stream_find(const gk__stream *s, const uint8_t *mask, size_t from,
                     size_t to, const gk__pattern *p, gk__match_mode mode,
                     size_t *start, size_t *end);

/* Whether the stream characters [start, end) of one line, ignoring
 * breaks, equal the pattern exactly. */
bool gk__stream_equals(const gk__stream *s, size_t start, size_t end,
                       const gk__pattern *p);

/* Copies the stream characters [start, end) as UTF-8 into the arena,
 * with breaks dropped (when keep_spaces is false) or as single spaces. */
char *gk__stream_text(gk__arena *a, const gk__stream *s, size_t start,
                      size_t end, bool keep_spaces);

/* The text of n folded code points when they are one or two ASCII digits
 * ("0", "12"): a constant string (written.c; cells point to it instead of
 * a copy), else NULL.  The same text gk__stream_text() writes. */
const char *gk__digits_text(const int32_t *cp, size_t n);

/* Which furniture labels of table t are also its rows' labels (bit f for
 * t->furniture[f]; such a caption is the row's label, not furniture),
 * found once per process for the tables of the editions
 * (tables_match.c).  False when t is none of them or has more than 64
 * furniture labels: the caller then compares the labels itself. */
bool gk__furniture_rows(const gk__tabledef *t, uint64_t *mask);

/* Source line number (1-based) of stream position i. */
uint32_t gk__stream_lineno(const gk__stream *s, size_t i);

/* ------------------------------------------------------------ tokens */

typedef enum {
  GK_TOK_NUMBER = 0, /* digits, maybe a sign and decimals */
  GK_TOK_BLANK,      /* a blank marker: "/", "—", "无" */
  GK_TOK_TEXT        /* anything else */
} gk__tok_kind;

typedef struct gk__token {
  gk__tok_kind kind;
  int64_t value; /* NUMBER: value / 10^scale */
  uint8_t scale;
  bool overflow;     /* NUMBER: too many digits for int64 */
  int8_t sign;       /* NUMBER: -1 or +1 when a sign was printed, else 0 */
  bool sign_word;    /* NUMBER: the sign is a word ("减少15") */
  bool grouped;      /* NUMBER: thousands were grouped ("9,487") */
  bool unreadable;   /* NUMBER: glued to text the grammar cannot read
                        ("9,48"): its cell is null with a diagnostic */
  size_t digits;     /* NUMBER: digit characters, grouping excluded */
  bool leading_zero; /* NUMBER: "07": no number is printed so; a part of
                        one (a wrapped cell) or digits run together */
  size_t start, end; /* stream positions */
  uint32_t line;     /* layout line index */
  uint32_t run;      /* layout run index */
  size_t n_chars;
} gk__token;

/* Splits s->ch[from, to), skipping masked characters, into tokens at
 * breaks and at digit/non-digit boundaries, reading numbers by the one
 * number grammar (number.c, its data in format.h).  Returns the count
 * written (at most max). */
size_t gk__tokenize(const gk__stream *s, const uint8_t *mask, size_t from,
                    size_t to, gk__token *out, size_t max);

/* Whether gk__tokenize() skips the grammar's words by their first
 * characters (true, always, in the library); the unit tests turn it off
 * to compare the fast path with the plain one (tests/unit/test_fastpaths.c). */
extern bool gk__number_fast_paths;

/* ------------------------------------------------------------- parts */

/* Parser state shared by the stages. */
typedef struct gk__parse {
  gk_report *r;
  gk__stream s;
  /* Per layout line: which table (GK_T_*) claims it, or -1. */
  int8_t *line_table;
  /* Heading positions: layout line index of each part's heading, or -1. */
  long part_line[7];
  /* Layout line index where the signature block starts (or n_lines). */
  size_t sig_first;
  /* Rows of digits run together read one way without the arithmetic's
   * confirmation, although cuts with dropped blank cells fit too
   * (tables_glued.c): as printed only when the text shows that it prints
   * every cell, else null with cell.ambiguous. */
  struct gk__unforced_row *unforced;
  size_t n_unforced;
  /* What the rows of the tables in text without a grid show. */
  bool blanks_dropped; /* a row of run-together digits too short for its
                          cells: this text drops its blank cells */
  bool blanks_marked;  /* a blank marker ("—", "/", "无") among a row's
                          values: this text marks its blank cells */
} gk__parse;

gk_status gk__parse_sections(gk__parse *p);
/* Title and year. */
gk_status gk__parse_meta(gk__parse *p);
/* The edition, from the markers only one edition's tables print. */
gk_status gk__parse_edition(gk__parse *p);
/* Signature block and agency (after the tables, which it must skip). */
gk_status gk__parse_signature(gk__parse *p);
gk_status gk__parse_tables(gk__parse *p);
gk_status gk__parse_section_text(gk__parse *p);

/* Where a cell's value was read (written.c): its line, the token as
 * printed, and for PDF the page and box of the token's run.  The one call
 * is where tables_assign.c stores a token into a cell. */
void gk__cell_provenance(gk__parse *p, gk__cell *c, const gk__token *v);
/* The same for the characters [start, end) of the stream, start < end: a
 * cell's slice of digits run together (tables_glued.c). */
void gk__cell_provenance_at(gk__parse *p, gk__cell *c, size_t start,
                            size_t end);

/* The text as written, recorded by the pass that owns the lines (called
 * by gk__parse_written()): repeated part headings (sections.c); the 2019
 * edition's markers and the year statements (meta.c).  `st` is the
 * stream of r->layout or NULL. */
void gk__sections_written(gk_report *r, const gk__stream *st);
void gk__meta_written(gk_report *r, const gk__stream *st);

/* The text as written that the rules judge (written.c): repeated
 * headings, the 2019 edition's markers, the year statements, labels and
 * headers as printed.  `st` is the stream of r->layout or NULL. */
gk_status gk__parse_written(gk_report *r, const gk__stream *st);

/* Cuts very long lines (flattened crawler text) before and after the
 * part headings they contain (reflow.c). */
gk_status gk__reflow(gk_report *r);

/* Rewrites table 3 laid out by character columns (pdftotext -layout) as
 * rows of cells, one run per column (columns.c). */
gk_status gk__columns(gk_report *r);
/* Whether a line of text has two words with two spaces or more between
 * them (spaces: ' ', CR and U+3000; a form feed is skipped): a line set
 * in padded columns (columns.c). */
bool gk__wide_gap(const char *text, size_t len);

/* Entry point: fills r from r->layout. */
gk_status gk__parse_report(gk_report *r);

/* Helpers over a layout line. */
/* The line's text as UTF-8 (runs joined by a space, trimmed), in the
 * arena. */
char *gk__line_text(gk__arena *a, const gk__layout *l, size_t line);

#endif /* GK_PARSE_H */
