/*
 * tables_int.h - what the files of the table reader (tables.c and its
 * parts) share: the reading's types and the gk__ functions one part calls
 * in another.  Private to src/parse/tables*.c.
 *
 *   tables.c         the driver: regions, furniture, rows, headers
 *   tables_match.c   matching: row labels aligned in the stream, masks
 *   tables_assign.c  assignment: a row's value tokens into its cells
 *   tables_glued.c   glued digits: runs of digits cut into cells by the
 *                    table's arithmetic
 *   tables_solve.c   placement by the table's arithmetic: the rows that
 *                    could not be placed alone, settled over the table
 */
#ifndef GK_PARSE_TABLES_INT_H
#define GK_PARSE_TABLES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse.h"

/* Cells in one row of reading (table 4 reads 15 at once). */
#define MAX_SLOTS 16

/* A row label as a reviewer would name it: table 4's blocks with their
 * group ("行政诉讼·复议后起诉"), other rows by their label.  Formatted into
 * the report's arena (messages only). */
const char *gk__row_display_in(gk_report *r, const gk__tabledef *t, int row);
#define row_display(t, row) gk__row_display_in(p->r, (t), (row))

/* A row's model path ("t2.row"), in the report's arena (NULL when it is
 * out of memory). */
char *gk__row_path(gk_report *r, const gk__tabledef *t, int row);

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

/* A row whose digits split more than one way, settled (or not) once the
 * whole table is read. */
/* Where a cell of a cut was printed: [start, end) of the stream, the
 * digits of a glued run that are its number or a blank marker (start ==
 * end: a blank cell the text dropped, nothing printed).  uint32_t: the
 * stream of an input of GK_MAX_INPUT_BYTES has fewer characters. */
typedef struct split_src {
  uint32_t start, end;
} split_src;

typedef struct pending_row {
  slot slots[MAX_SLOTS];
  size_t n;
  int64_t (*cand)[MAX_SLOTS];
  bool (*cand_known)[MAX_SLOTS];
  split_src (*cand_src)[MAX_SLOTS];
  size_t n_cand;
  bool overflow; /* more candidates than kept: ambiguous whatever happens */
  /* Fewer values than cells, no blank marked (tables_solve.c): the
   * candidates are which cells the text dropped; else a glued run's cuts
   * (tables_glued.c). */
  bool dropped;
  /* Glued: the row marks a blank cell ("—"), so its text prints every
   * cell and its cuts are all there are (a text that drops blank cells
   * leaves out cuts whose dropped cell the arithmetic counts as 0). */
  bool marked;
  /* Glued: the text may have dropped blank cells of the row (no marker,
   * no separators, identities that can tell): its candidates took a
   * dropped cell as 0, so a cut the search places is checked against the
   * table again (gk__confirm_unforced). */
  bool may_drop;
  /* Glued and may_drop: the search that found the cuts, kept so that a
   * cut the table search places can have every other reading of its
   * digits searched (gk__unforced_search). */
  struct split_job *job;
  size_t k; /* dropped: the values read */
  const char *label;
  const char *printed; /* the row's value tokens as printed */
  uint32_t line;
} pending_row;

/* Candidate cuts kept for one glued row; more is ambiguous at once (the
 * table search takes up to 64 a row, tables_solve.c). */
#define MAX_SPLIT_CANDIDATES 64

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

/* Rows of one report whose cut is not forced (tables 2 to 4 have 40). */
#define MAX_UNFORCED_ROWS 48

typedef struct gk__unforced_row {
  gk__cell *cells[MAX_SLOTS];
  size_t n;
  uint32_t line;
  const char *path;
  const char *what; /* "第三部分“label”的数字连写为“…”" */
  const char *msg;  /* the candidate cuts */
  /* The cuts gk__unforced_search() found, the cut as read first (the
   * job's, as alt below), which msg lists when the row is left null:
   * n_found of them, found_more when there were more. */
  int64_t (*found)[MAX_SLOTS];
  bool (*found_known)[MAX_SLOTS];
  size_t n_found;
  /* What the three above are written from, when the row is left null. */
  const gk__tabledef *tdef;
  int row;
  const char *label, *printed;
  const char *cands; /* "5、0、…；或 …" (NULL: the cut as read) */
  /* The row's cut fits its own arithmetic (or the table's, by the
   * search): it is null only where the text shows that it drops blank
   * cells (gk__settle_unforced), unless the table confirms it. */
  bool weak;
  /* Every cell of the cut is confirmed by a column identity of its table
   * whose every term is read (gk__confirm_unforced): no other cut, with
   * or without dropped blanks, gives the same digits and holds there. */
  bool confirmed;
  bool found_more; /* the search found more cuts than it kept (above) */
  /* A column identity of the table has a term in the row (judged), and
   * another reading of the digits holds over them as well (contested). */
  bool judged, contested;
  /* The other cuts of the digits (dropped cells unknown), when they were
   * few enough to keep: the table confirms the row also when none of them
   * holds over its column identities.  NULL: not known. */
  int64_t (*alt)[MAX_SLOTS];
  bool (*alt_known)[MAX_SLOTS];
  size_t n_alt;
  /* alt is every other reading the text allows (cut_is_forced() searched
   * with every cell but one droppable and ran out of no bound): the cells
   * on which the cut and all of them agree are determined. */
  bool alt_all;
  /* The row's slots (the joint search over the table's rows reads them as
   * a pending row's), and what that search found (gk__confirm_unforced):
   * joint when it ran and some combination of the rows' readings held;
   * then use[0] says whether the cut is used by one, use[1 + a] whether
   * alt[a] is. */
  slot slots[MAX_SLOTS];
  bool joint;
  bool use[MAX_SPLIT_CANDIDATES];
  /* A cut its row's arithmetic accepts: its other cuts are searched only
   * when the table does not pin it (gk__unforced_search); NULL once
   * searched, or for the other rows. */
  struct split_job *job;
} gk__unforced_row;

/* ---------------------------------------------------- tables_match.c */

/*
 * Finds a row's label in [from, to), skipping masked characters: the
 * anchor (then widened over the rest of the label and its enumerator),
 * else each known variant.  On success sets [*start, *end) and *variant
 * (-1: the label itself) and returns true.
 */
bool gk__find_row(const gk__stream *s, const uint8_t *mask, size_t from,
                  size_t to, const gk__rowdef *row, size_t *start, size_t *end,
                  int *variant);
/* Marks [start, end) of the stream as masked. */
void gk__mask_span(uint8_t *mask, size_t start, size_t end);
/* Masks the page footers ("- 3 -", "第 3 页") of the whole stream. */
void gk__mask_page_footers(const gk__stream *s, uint8_t *mask);
/*
 * Masks the table's furniture (captions and headers) in [from, to): sets
 * *first to where the first one starts and *last_end to where the last
 * one ends, and returns how many distinct pieces were found (0: none, no
 * table).
 */
int gk__mask_furniture(const gk__stream *s, uint8_t *mask, size_t from,
                       size_t to, const gk__tabledef *t, size_t *first,
                       size_t *last_end);

/* --------------------------------------------------- tables_assign.c */

/* How well values v (known[i]: decided) for slots fit the row's
 * identities; see `fit`. */
fit gk__fit_values(const gk__edition_def *ed, const gk__tabledef *t,
                   const slot *slots, size_t n, const int64_t *v,
                   const bool *known);
/* Whether an identity of the table involves a cell of these slots. */
bool gk__row_has_identity(const gk__edition_def *ed, const gk__tabledef *t,
                          const slot *slots, size_t n);
/*
 * Reads one row (or table 4's single line) of n slots from its k value
 * tokens into the slots' cells, with its diagnostics (in the report's
 * arena); notes for the table's summary go to *tn.  `label` names it in
 * messages, `label_line` is its line and `label_end` where it ends;
 * `min_field` is the first tab field after the label on the values' line
 * (0 when the label is on another line).  Returns what the reading came
 * to; READ_PENDING leaves the cells to gk__resolve_pending().
 */
read_outcome gk__read_row(gk__parse *p, const gk__edition_def *ed,
                          const gk__tabledef *t, const slot *slots, size_t n,
                          const gk__token *const *vals, size_t k,
                          uint32_t min_field, table_notes *tn,
                          const char *label, uint32_t label_line,
                          size_t label_end);

/* ---------------------------------------------------- tables_glued.c */

/* Whether the value tokens are candidates for splitting (see there). */
bool gk__splittable(const gk__stream *s, const slot *slots, size_t n,
                    const gk__token *const *vals, size_t k);
/* The value tokens of a row as printed, separated by spaces, in the
 * report's arena (NULL when it is out of memory). */
char *gk__printed_tokens(gk__parse *p, const gk__token *const *vals, size_t k);
/*
 * Splits a row's glued digit runs into its n cells.  Returns 1 when it
 * split one way (cells stored, noted in tn), 2 when the row's cells are
 * left null (several cuts: pending in tn, settled by
 * gk__resolve_pending(); or the only cut contradicts the row's arithmetic:
 * cell.ambiguous), 0 when no cut fits or no more rows can pend (cells
 * untouched), -1 when the arena is out of memory.
 */
int gk__try_split(gk__parse *p, const gk__edition_def *ed,
                  const gk__tabledef *t, const slot *slots, size_t n,
                  const gk__token *const *vals, size_t k, table_notes *tn,
                  const char *label, uint32_t line);
/* Stores a cut's values into the row's cells with their provenance. */
void gk__store_split(gk__parse *p, const slot *slots, size_t n,
                     const int64_t *v, const bool *known, const split_src *src,
                     uint32_t line);
/* Notes a split row for the table's cell.split-digits summary. */
void gk__note_split(gk__parse *p, table_notes *tn, const char *label,
                    const char *printed, const int64_t *v, const bool *known,
                    size_t n, uint32_t line);
/* "64、0、空、2" for a candidate (blank cells as 空). */
void gk__values_text(gk__buf *b, const int64_t *v, const bool *known, size_t n);
/* The table's one cell.split-digits diagnostic, when rows were split. */
void gk__summarise_split(gk__parse *p, const gk__tabledef *t,
                         const table_notes *tn);
/* After every table: the rows of the report whose cut was not forced
 * (see there). */
void gk__settle_unforced(gk__parse *p);
/* Records a stored cut as not forced (see gk__unforced_row); false when
 * the report has no room left (the caller leaves the row null). */
bool gk__add_unforced(gk__parse *p, const gk__tabledef *t, const slot *slots,
                      size_t n, uint32_t line, const char *label,
                      const char *printed, const char *cands, bool weak);
/* Searches the other cuts of an unforced row recorded without them (its
 * job): false when there is none (the cut is forced), else true with
 * u->alt (NULL when too many to keep) and u->found, the cuts the message
 * lists when the row is left null. */
bool gk__unforced_search(gk__unforced_row *u);
/*
 * The column identities of a table over one unforced row u of it, read
 * once for the state of the table (its cells, which are settled) so that
 * the row's readings are each judged by a few additions: gk__confirm_
 * unforced() tries the cut and every other reading of a row against the
 * same table.  A check is a column identity at one column, decided and
 * with a term in the row: the sums of its terms outside the row and the
 * row's cells among its terms.
 */
#define MAX_CONFIRM_CHECKS 32 /* table 3's row meets 2 x 7 */
#define MAX_CONFIRM_TERMS 8   /* terms of one check in the row (1 in table 3) */
typedef struct confirm_check {
  int64_t fixed[2];             /* each side's terms outside the row */
  uint8_t q[MAX_CONFIRM_TERMS]; /* the row's cell each term in it reads */
  uint8_t right;                /* bit i: term i is on the right */
  uint8_t loose;                /* bit i: term i's cell may be negative */
  uint8_t n_in;                 /* terms in the row ("involved") */
  uint8_t at;                   /* the row's cell whose column it is at */
  bool unk[2], free;            /* unknowns among the terms outside */
  bool all_known;               /* every term outside is a settled number */
} confirm_check;

typedef struct gk__confirm_plan {
  bool ok; /* built; else the general functions are used */
  bool judged;
  size_t n;
  confirm_check checks[MAX_CONFIRM_CHECKS];
} gk__confirm_plan;

/* Builds the plan of row u of table t (`unsettled`: per cell of t, 1
 * not settled; `slot_map`: n_rows * max_cols bytes, zero, left zero).
 * False (pl->ok false) when it does not fit: the general path is used. */
bool gk__confirm_plan_build(gk__confirm_plan *pl, const gk__edition_def *ed,
                            const gk__table *t, const uint8_t *unsettled,
                            uint8_t *slot_map, const gk__unforced_row *u);
/* Whether some column identity decided over row u has a term in it
 * (u->judged): whether its plan has a check, found without building it
 * all (the general path for a row too large for a plan). */
bool gk__row_judged(const gk__edition_def *ed, const gk__table *t,
                    const uint8_t *unsettled, uint8_t *slot_map,
                    const gk__unforced_row *u);
/* Whether reading (v, known) of the row holds over every check: the
 * reading_holds() of tables_solve.c. */
bool gk__confirm_plan_holds(const gk__confirm_plan *pl, const int64_t *v,
                            const bool *known);
/* Whether cell q of reading (v, known) is pinned: cell_pinned(). */
bool gk__confirm_plan_pinned(const gk__confirm_plan *pl, const int64_t *v,
                             const bool *known, size_t q);
/* Sets (on) or clears the row's cells in slot_map, as
 * gk__cell_pinned_mapped() reads it: 1 + the row's first cell at each
 * place of the table, 0 elsewhere. */
void gk__slot_map(uint8_t *slot_map, const gk__table *t,
                  const gk__unforced_row *u, bool on);
/* gk__cell_pinned() over slot_map set for u: 1 pinned, 0 not, -1 an
 * identity has more terms in the row than a check keeps (use
 * gk__cell_pinned()). */
int gk__cell_pinned_mapped(const gk__edition_def *ed, const gk__table *t,
                           const uint8_t *unsettled, const uint8_t *slot_map,
                           const gk__unforced_row *u, const int64_t *v,
                           const bool *known, size_t q);
/* The general functions the plan replaces, for the tests to compare:
 * reading_holds() (with *judged) and cell_pinned(). */
bool gk__reading_holds(const gk__edition_def *ed, const gk__table *t,
                       const uint8_t *unsettled, const gk__unforced_row *u,
                       const int64_t *v, const bool *known, bool *judged);
bool gk__cell_pinned(const gk__edition_def *ed, const gk__table *t,
                     const uint8_t *unsettled, const gk__unforced_row *u,
                     const int64_t *v, const bool *known, size_t q);

/* After table t is read and its pending rows settled: marks the unforced
 * rows of t that its column identities confirm (tables_solve.c). */
void gk__confirm_unforced(gk__parse *p, const gk__edition_def *ed,
                          const gk__tabledef *def, gk__table *t);

/* ---------------------------------------------------- tables_solve.c */

/* Whether every per-row identity of the table over the slots' rows holds
 * for values v (known[i]: decided), a cell not known being an unknown
 * count >= 0 ("blank is not zero"): an identity with unknowns on one side
 * only needs that side's known terms not to exceed the other's. */
bool gk__row_holds(const gk__edition_def *ed, const gk__tabledef *t,
                   const slot *slots, size_t n, const int64_t *v,
                   const bool *known);

/* The per-row identities over one row's slots, compiled once so that a
 * search trying many readings of the row (tables_glued.c's cuts) reads
 * each term by its slot index instead of looking the cell up among the
 * slots: the checks gk__row_holds() and gk__fit_values() make, in their
 * order.  A row with more checks than fit is not compiled (ok false):
 * the general functions are used then. */
#define MAX_ROW_CHECKS 4 /* table 4's line has 3 (a row's has 1) */
typedef struct row_check {
  uint8_t slot[2][GK_MAX_TERMS]; /* the slot each term reads */
  uint32_t signed_mask[2];       /* bit q: term q's cell may be negative */
  uint8_t n[2];                  /* terms on the left (0), right (1) */
  /* Some term is a cell the row does not have, or a side has none: the
   * identity cannot be decided over the row, whatever its values. */
  bool undecided;
} row_check;

typedef struct gk__row_plan {
  bool ok;
  size_t n_checks;
  row_check checks[MAX_ROW_CHECKS];
} gk__row_plan;

/* Compiles the per-row identities of table t over the slots into *plan. */
void gk__row_plan_compile(gk__row_plan *plan, const gk__edition_def *ed,
                          const gk__tabledef *t, const slot *slots, size_t n);
/* gk__row_holds() over the compiled slots (plan->ok). */
bool gk__row_plan_holds(const gk__row_plan *plan, const int64_t *v,
                        const bool *known);
/* gk__fit_values() over the compiled slots (plan->ok). */
fit gk__row_plan_fit(const gk__row_plan *plan, const int64_t *v,
                     const bool *known);

/*
 * A row of text with fewer values than cells, no positions and no blank
 * marked: when its values can be placed by the arithmetic (whole numbers
 * set apart by white space on one line, a table with identities), keeps
 * every placement its own identities allow (blanks unknown, >= 0) as a
 * pending row of tn and leaves its cells null for gk__resolve_pending().
 * `whole`: the values are known to be one number each (the glued reading
 * found no cut of them), so several cells may be missing beside
 * multi-digit values.  False when the row is not such a row, or no
 * placement fits it.
 */
bool gk__pend_placements(gk__parse *p, const gk__edition_def *ed,
                         const gk__tabledef *t, const slot *slots, size_t n,
                         const gk__token *const *vals, size_t k,
                         table_notes *tn, const char *label,
                         uint32_t label_line, bool whole);
/* Settles the pending rows of table t (defined by def) by one bounded
 * search over its column identities: a row whose candidate is the same in
 * every combination that holds is placed so; the others stay null with
 * cell.ambiguous (glued) or cell.blank (dropped blanks) listing them. */
void gk__resolve_pending(gk__parse *p, const gk__edition_def *ed,
                         const gk__tabledef *def, gk__table *t,
                         table_notes *tn);

#endif /* GK_PARSE_TABLES_INT_H */
