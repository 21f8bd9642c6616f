/*
 * table.h - what the table writers share (writers/table.c, write_csv.c,
 * write_xlsx.c).
 *
 * table.c packs a report into a row (gk_table_row_pack()), unpacks it
 * into the view below, owns the writer and its temporary file, and calls
 * the format's three functions: begin (the header), row, end.  The CSV
 * and XLSX files know only the view and the column lists; neither sees a
 * report.
 */
#ifndef GK_WRITERS_TABLE_H
#define GK_WRITERS_TABLE_H

#include <stdio.h>

#include "base/base.h"
#include "format/cells.h"

/* A text column of the reports sheet before the cells: stable name and
 * Chinese header.  The order is the order of gk__row's fields below. */
typedef struct gk__table_col {
  const char *key;
  const char *zh;
} gk__table_col;

enum {
  GK_COL_SOURCE = 0,
  GK_COL_FORMAT,
  GK_COL_TITLE,
  GK_COL_AGENCY,
  GK_COL_BODY,
  GK_COL_BODY_LABEL,
  GK_COL_YEAR, /* a number */
  GK_COL_EDITION,
  GK_COL_PUBLISHED,
  GK_COL_PREV,
  GK_COL_ERRORS, /* numbers */
  GK_COL_WARNINGS,
  GK_COL_NOTES,
  GK_COL_RULES,
  GK_N_META_COLS
};
extern const gk__table_col gk__meta_cols[GK_N_META_COLS];

/* The columns of the findings sheet (XLSX only). */
enum {
  GK_FCOL_SOURCE = 0,
  GK_FCOL_LINE,
  GK_FCOL_PAGE,
  GK_FCOL_SEVERITY,
  GK_FCOL_RULE,
  GK_FCOL_RULE_ZH, /* the rule's line of the catalogue, in Chinese */
  GK_FCOL_PATH,
  GK_FCOL_MESSAGE,
  GK_FCOL_EXPECTED,
  GK_FCOL_ACTUAL,
  GK_N_FINDING_COLS
};
extern const gk__table_col gk__finding_cols[GK_N_FINDING_COLS];

/* A cell of a row. */
typedef struct gk__row_cell {
  bool has; /* false: null */
  uint8_t scale;
  int64_t value;
} gk__row_cell;

/* A finding of a row; strings point into the packed bytes. */
typedef struct gk__row_finding {
  const char *rule;
  const char *path; /* "" when none */
  const char *message;
  gk_severity severity;
  uint32_t line;
  uint32_t page;
  bool has_expected;
  int64_t expected;
  int64_t actual;
} gk__row_finding;

/* A packed row, unpacked: strings point into the packed bytes ("" when
 * the report has none), cells are copied into the writer's array. */
typedef struct gk__row {
  const char *text[GK_N_META_COLS]; /* the text columns; NULL for numbers */
  int64_t number[GK_N_META_COLS];   /* the number columns */
  bool has_number[GK_N_META_COLS];  /* year 0 is no year */
  const gk__row_cell *cells;        /* n_cells of them */
  size_t n_cells;
  size_t n_findings;
  const char *findings; /* packed; read with gk__row_finding_next() */
  const char *end;
} gk__row;

/* Reads the next finding of a row into *f, advancing *cursor (start it at
 * row->findings); false when the bytes run out. */
bool gk__row_finding_next(const gk__row *row, const char **cursor,
                          gk__row_finding *f);

struct gk_table_writer {
  gk_table_format format;
  unsigned flags;
  char *path;        /* where the file goes */
  char *tmp_path;    /* where it is written; NULL for standard output */
  bool in_place;     /* CSV into an existing FIFO or character device */
  FILE *f;           /* CSV */
  bool failed;       /* sticky: only discard is left */
  gk_status fail_st; /* why, when failed */
  gk__cell_ref refs[GK_MAX_CELLS];
  size_t n_refs;
  gk__row_cell cells[GK_MAX_CELLS]; /* the row being written */
  void *xlsx;                       /* write_xlsx.c's state */
};

/* The status for a write that failed with errno e: GK_ENOSPC for a full
 * disk or quota, GK_EACCES for a read-only file system or a folder without
 * write permission, GK_EWRITE for anything else.  These are the user's
 * environment, not our failure: the CLI exits 3 on them. */
gk_status gk__write_status(int e);

/* CSV (write_csv.c): the BOM and header rows, one row, the end. */
gk_status gk__csv_begin(gk_table_writer *w);
gk_status gk__csv_row(gk_table_writer *w, const gk__row *row);
gk_status gk__csv_end(gk_table_writer *w);

/* XLSX (write_xlsx.c): begin makes the workbook at w->tmp_path; end
 * writes it out and frees its state; discard frees it without writing. */
gk_status gk__xlsx_begin(gk_table_writer *w);
gk_status gk__xlsx_row(gk_table_writer *w, const gk__row *row);
gk_status gk__xlsx_review(gk_table_writer *w, const gk_review_row *row);
gk_status gk__xlsx_end(gk_table_writer *w);
void gk__xlsx_discard(gk_table_writer *w);

#endif /* GK_WRITERS_TABLE_H */
