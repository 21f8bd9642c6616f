/*
 * model.h - the report model inside the library.
 *
 * struct gk_report is opaque to users of gongkai.h; the parser fills it,
 * the checks read it and add diagnostics, the writers print it.  All of it
 * lives in the report's arena.
 */
#ifndef GK_MODEL_H
#define GK_MODEL_H

#include "base/base.h"
#include "format/format.h"
#include "readers/layout.h"

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
} gk__table;

static inline gk__cell *gk__table_cell(const gk__table *t, int row, int col) {
  return &t->cells[(size_t)row * t->def->max_cols + (size_t)col];
}

/* A part as the model keeps it: the public view plus what the checks need
 * about how it was written. */
typedef struct gk__section {
  gk_section pub;
  int numeral;       /* the numeral the author wrote (1..10), 0 if none */
  uint32_t end_line; /* last line of the part */
} gk__section;

struct gk_report {
  gk__arena arena;

  /* source */
  const char *source_name;
  const char *source_format;
  size_t source_bytes;
  char sha256[65];
  gk__encoding encoding;

  /* the layout the reader produced; the parser reads it */
  gk__layout layout;
  /* the layout folded as the parser read it (parse/parse.h), in the
   * arena: the checks compare folded lines on it instead of folding them
   * again.  NULL for a report not parsed from a document. */
  const struct gk__stream *stream;

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

  /* parts in source order */
  gk__section *sections;
  size_t n_sections;

  /* the edition whose table definitions the parser used (the detected
   * edition, else the one the year implies); NULL for pre-2019 reports */
  const gk__edition_def *tables_ed;

  /* tables (NULL when absent from the source) */
  gk__table *tables[GK_N_TABLES];

  /* what the checks extracted from the prose (checks/facts.h), or NULL
   * before gk_check() */
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

/* Sorts the diagnostics by line (stable; line 0 last). */
void gk__report_sort_diags(gk_report *r);

/* The part with meaning `number` (1..6), or NULL. */
const gk__section *gk__report_part(const gk_report *r, int number);

#endif /* GK_MODEL_H */
