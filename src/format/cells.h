/*
 * cells.h - every cell of tables 2-4 as a flat list (format/cells.c).
 *
 * The writers and the diff walk the cells of an edition, or of every
 * edition together, in one fixed order; this is that order, derived from
 * the table definitions of format.c and nothing else.  gongkai.h's
 * gk_cell_count() and gk_cell_get() are the public view of it.
 */
#ifndef GK_CELLS_H
#define GK_CELLS_H

#include "format/format.h"

/* The most cells one listing has (2021: 200, 2019: 198, both: 229), with
 * room for the tables to grow. */
#define GK_MAX_CELLS 320

/* One cell of a listing: where it is in the definition it comes from. */
typedef struct gk__cell_ref {
  const gk__tabledef *def; /* the table of the edition it comes from */
  uint8_t row;
  uint8_t col;
  uint8_t only_2019; /* in the union listing: no 2021 cell has its path */
} gk__cell_ref;

/* Fills refs (room for cap, which may be 0) with the edition's listing
 * (GK_EDITION_UNKNOWN: the union, see gongkai.h) and returns its length,
 * which may exceed cap. */
size_t gk__cell_refs(gk_edition e, gk__cell_ref *refs, size_t cap);

/* Where ref's cell is in `def` (the same table of any edition): true and
 * its row and column when def has a cell of the same path. */
bool gk__cell_ref_locate(const gk__cell_ref *ref, const gk__tabledef *def,
                         int *row, int *col);

/* Writes ref's model path ("applications.received.total") into buf; the
 * length, or 0 when it does not fit. */
size_t gk__cell_ref_path(const gk__cell_ref *ref, char *buf, size_t cap);

#endif /* GK_CELLS_H */
