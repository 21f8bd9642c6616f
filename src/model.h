/*
 * model.h - the report model inside the library.
 *
 * struct gk_report is opaque to users of gongkai.h; the parser fills it,
 * the checks read it and add diagnostics, the writers print it.  All of it
 * lives in the report's arena.
 *
 * The model is the contract: everything the checks read is here, the
 * text as written that they judge and the facts of the prose included,
 * and all of it goes into the JSON (writers/write_json.c, docs/MODEL.md)
 * and comes back from it (readers/read_model.c), so a model read back is
 * checked exactly like the document it came from.  The layout stays for
 * the parser and for the page of a line; nothing after the parser reads
 * it.
 */
#ifndef GK_MODEL_H
#define GK_MODEL_H

#include "base/base.h"
#include "format/format.h"
#include "layout.h"

/* The largest number a cell holds (the parser reads, a model states), decimals
 * included as digits: 10^15 - 1.  Counts are far below it; the largest amounts
 * (2019's 采购总 金额 in 元 with fen, "13575394432.52") fit.  A longer digit
 * run is not read as a number (cell.not-a-number), which also keeps every sum
 * of cells in the identities (at most 25 terms) far from int64 overflow. */
#define GK_MAX_CELL_VALUE INT64_C(999999999999999)

/* A table cell: a number or null.  value / 10^scale is the number. */
typedef enum {
  GK_CELL_NULL = 0, /* the source shows no number (see the diagnostics) */
  GK_CELL_VALUE
} gk__cell_state;

typedef struct gk__cell {
  int64_t value;
  uint8_t scale; /* decimals as printed (万元 fee); 0 for counts */
  uint8_t state; /* gk__cell_state */
  uint32_t line; /* where the number was read; 0 when unknown */
  /* Provenance: the token the value was read from, as printed (for a
   * value split from digits run together, its slice of them; NULL when
   * unknown, as for a blank cell the text dropped), and for PDF its page
   * (0: none) and box in points (of the token's run). */
  const char *text;
  uint32_t page;
  float x0, y0, x1, y1;
} gk__cell;

/* One table of the report, shaped by its definition. */
typedef struct gk__table {
  const gk__tabledef *def;
  gk__cell *cells;        /* n_rows * max_cols, row-major */
  bool *row_found;        /* the row's label was found in the source */
  const char **row_label; /* the label as found (folded), NULL if not */
  uint32_t *row_line;     /* line of the row's label, 0 if not found */
  const char **col_label; /* header_cols as found (folded), NULL if not */
  uint32_t first_line;    /* the table's extent in the source */
  uint32_t last_line;
  /* The text as written (parse/written.c).  row_printed: per row, the
   * label as its source line prints it, recorded where the label as found
   * differs from the standard one (NULL: not recorded).  The header: the
   * lines from first_line to header_to (the first found row's line),
   * folded, each and joined (cut at GK_FOLD_LINE_MAX bytes); recorded
   * where a column header differs from the standard one, else NULL and
   * 0. */
  const char **row_printed;
  uint32_t header_to;
  const char *header_text;
  const char **header_line_text;
  uint32_t *header_lineno;
  size_t n_header_lines;
} gk__table;

static inline gk__cell *gk__table_cell(const gk__table *t, int row, int col) {
  return &t->cells[(size_t)row * t->def->max_cols + (size_t)col];
}

/* Source lines first..last are on page `page` (PDF). */
typedef struct gk__page_span {
  uint32_t page, first, last;
} gk__page_span;

/* The page of a source line: from the layout's runs, else from the page
 * spans a model read back states; 0 when unknown. */
uint32_t gk__report_page(const gk_report *r, uint32_t line);

/* A part as the model keeps it: the public view plus what the checks need
 * about how it was written. */
typedef struct gk__section {
  gk_section pub;
  int numeral;       /* the numeral the author wrote (1..10), 0 if none */
  uint32_t end_line; /* last line of the part */
  /* The heading written again on another line (parse/written.c). */
  bool repeated;
  uint32_t repeat_line;
} gk__section;

/* One per report: the fields stay grouped by meaning, as the comments
 * say, rather than by size (about 32 bytes of padding per report). */
// NOLINTNEXTLINE(clang-analyzer-optin.performance.Padding)
struct gk_report {
  gk__arena arena;

  /* source */
  const char *source_name;
  const char *source_format;
  size_t source_bytes;
  char sha256[65];
  gk__encoding encoding;
  size_t cut_tail; /* bytes of a cut-off last character, dropped */

  /* the layout the reader produced; the parser reads it */
  gk__layout layout;

  /* metadata */
  gk_edition edition;
  const char *title;
  uint32_t title_line;
  const char *agency;
  bool agency_from_signature;
  const char *signature_agency; /* the body in the 落款, or NULL */
  uint32_t signature_line;
  int year;
  const char *published; /* YYYY-MM-DD or NULL */
  uint32_t date_line;
  /* a crawler record's title and publish_time as given (read_crawler.c),
   * fallbacks for title and published; NULL otherwise */
  const char *crawler_title;
  const char *crawler_published;
  /* a PDF's document title (its Info dictionary's /Title, read_pdf.c),
   * the fallback for a report whose body has no title line; NULL
   * otherwise */
  const char *pdf_title;

  /* parts in source order */
  gk__section *sections;
  size_t n_sections;

  /* the edition whose table definitions the parser used (the detected
   * edition, else the one the year implies); NULL for pre-2019 reports */
  const gk__edition_def *tables_ed;

  /* tables (NULL when absent from the source) */
  gk__table *tables[GK_N_TABLES];

  /* The text as written (parse/written.c): the first 2019-only marker a
   * 2019-edition report prints (index in gk__edition_2019.markers, -1
   * when none or another edition) and its line; the year of the
   * statistics period "YYYY年1月1日…12月31日" and of part 一's opening
   * "2024年，" (0 when not stated) and their lines. */
  int edition_marker;
  uint32_t edition_marker_line;
  bool period_found;
  int period_year;
  uint32_t period_line;
  int opening_year;
  uint32_t opening_line;

  /* Where the model came from, for a report read back from its JSON
   * model: whether it states its source positions ("provenance"; a parsed
   * report always has them), and the source lines of each PDF page (pages
   * of a parsed report come from its layout). */
  bool has_provenance;
  struct gk__page_span *page_spans;
  size_t n_page_spans;

  /* what the prose pass read from the parts' text (facts.h, parse/
   * prose.c); NULL only for a report the parser did not finish */
  struct gk__facts *facts;
  bool checked; /* gk_check() has run */

  /* diagnostics, in the order they were added; gk__report_sort_diags()
   * puts them in source order */
  gk_diag *diags;
  size_t n_diags;
  size_t cap_diags;
};

/* Adds a diagnostic; the message is formatted into the arena.  Returns
 * the new diagnostic (for expected/actual), or NULL when memory ran out
 * (the arena's sticky failure records it). */
gk_diag *gk__diag_add(gk_report *r, const char *rule, gk_severity sev,
                      uint32_t line, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Adds a diagnostic of `rule` with its catalogue severity (format/rules.def):
 * the way every layer names a rule.  gk__diag_add() remains for a rule
 * whose severity depends on the report (meta.late). */
gk_diag *gk__diag_rule(gk_report *r, gk__rule rule, uint32_t line,
                       const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Sorts the diagnostics by line (stable; line 0 last). */
void gk__report_sort_diags(gk_report *r);

/* The part with meaning `number` (1..6), or NULL. */
const gk__section *gk__report_part(const gk_report *r, int number);

#endif /* GK_MODEL_H */
