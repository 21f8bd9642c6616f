/*
 * format.h - the national format, described once, as data.
 *
 * The six parts and their headings, the three tables of each edition with
 * every row and column (model key, standard label, the variants seen in
 * real reports, the text the parser anchors on), the table furniture
 * (captions, column headers, printed notes), the edition markers and the
 * arithmetic identities of format.md §1.7.  The parser aligns these
 * labels against a report's text, the checks evaluate the identities, and
 * the writers print the keys and labels; nothing outside src/format/
 * spells a label.
 */
#ifndef GK_FORMAT_H
#define GK_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gongkai.h"

typedef enum {
  GK_T_PROACTIVE = 0, /* table 2, 主动公开政府信息情况 */
  GK_T_APPLICATIONS, /* table 3, 收到和处理政府信息公开申请情况 */
  GK_T_APPEALS,      /* table 4, 行政复议、行政诉讼情况 */
  GK_N_TABLES
} gk__table_id;

/* What a cell may hold. */
typedef enum {
  GK_V_COUNT = 0, /* integer >= 0 */
  GK_V_MONEY,     /* decimal >= 0, written precision kept (万元) */
  GK_V_SIGNED,    /* integer, may be negative (2019 本年增/减) */
  GK_V_AMOUNT     /* decimal amount with a unit in the cell (2019 采购) */
} gk__value_kind;

/* A label as the standard prints it, with the variants real reports use.
 * `anchor` is the part of the label the parser searches for first (a
 * distinctive substring of `text`); NULL means the whole text. */
typedef struct gk__label {
  const char *text;
  const char *anchor;
  const char *const *variants; /* NULL-terminated; may be NULL */
} gk__label;

typedef struct gk__coldef {
  const char *key; /* model key: "natural_person" */
  gk__label label;
  gk__value_kind kind;
} gk__coldef;

typedef struct gk__rowdef {
  const char *key; /* model key: "received" */
  gk__label label;
  const gk__coldef *cols; /* this row's columns, in order */
  uint8_t n_cols;
  bool scalar;       /* JSON holds a bare number, not an object of columns */
  const char *group; /* the group label printed beside it ("（三）不予公开"),
                        for writers; NULL when none */
} gk__rowdef;

/* How a table's numbers sit in the source. */
typedef enum {
  GK_LAYOUT_ROWS = 0, /* each row: its label, then its numbers */
  GK_LAYOUT_BLOCKS    /* table 4: a header naming the blocks, then one
                         line with every block's numbers side by side */
} gk__table_layout;

typedef struct gk__tabledef {
  gk__table_id id;
  const char *key;   /* "proactive", "applications", "appeals" */
  const char *title; /* the part's standard heading */
  const gk__rowdef *rows;
  uint8_t n_rows;
  uint8_t max_cols;
  gk__table_layout layout;
  /* Printed captions, headers and notes: no numbers of their own.  The
   * parser masks them so digits inside them are never read as cells and
   * uses the first one found as the table's start. */
  const gk__label *furniture;
  uint8_t n_furniture;
  /* Column header labels (table 3's applicant columns, table 4's
   * results), for label-variant detection. */
  const gk__coldef *header_cols;
  uint8_t n_header_cols;
} gk__tabledef;

/* One of the six statutory parts. */
typedef struct gk__partdef {
  int number;                  /* 1..6 */
  const char *heading;         /* standard heading with its numeral */
  const char *const *keywords; /* NULL-terminated: any one identifies it */
} gk__partdef;

extern const gk__partdef gk__parts[6];

/* A linear identity among cells (format.md §1.7), checked exactly:
 * sum(lhs) == sum(rhs).  For GK_AXIS_ROWS the terms are row indexes and
 * the identity holds in every column `col` of `cols_mask`; for
 * GK_AXIS_COLS the terms are column indexes and it holds in every row of
 * `rows_mask`. */
typedef enum { GK_AXIS_ROWS = 0, GK_AXIS_COLS } gk__axis;

#define GK_MAX_TERMS 24
typedef struct gk__identity {
  const char *id;   /* "I-1" */
  const char *rule; /* "arith.row-total" */
  gk__table_id table;
  gk__axis axis;
  int8_t lhs[GK_MAX_TERMS]; /* -1 terminated */
  int8_t rhs[GK_MAX_TERMS]; /* -1 terminated */
  uint32_t mask;            /* columns (AXIS_ROWS) or rows (AXIS_COLS) */
} gk__identity;

typedef struct gk__edition_def {
  gk_edition edition;
  const char *name; /* "2021" */
  const gk__tabledef *tables[GK_N_TABLES];
  const char *const *markers; /* NULL-terminated: text only this edition's
                                 tables print */
  const gk__identity *identities;
  size_t n_identities;
} gk__edition_def;

extern const gk__edition_def gk__edition_2021;
extern const gk__edition_def gk__edition_2019;

/* The definition for an edition; NULL for unknown and pre-2019. */
const gk__edition_def *gk__edition_get(gk_edition e);

/* "2021", "2019", "pre2019", or NULL for unknown. */
const char *gk__edition_name(gk_edition e);

/* Blank markers a cell may hold instead of a number: "/", "—", "无" … */
extern const char *const gk__blank_markers[];

/* Words that end a body's name in a signature (人民政府, 办公室, 局 …). */
extern const char *const gk__agency_suffixes[];

/* Markers of the title: every report title has these. */
extern const char *const gk__title_markers[];

/* The index of a row by key in a table, or -1. */
int gk__row_index(const gk__tabledef *t, const char *key);
/* The index of a column by key in a row, or -1. */
int gk__col_index(const gk__rowdef *r, const char *key);

#endif /* GK_FORMAT_H */
