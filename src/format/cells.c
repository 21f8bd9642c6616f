/*
 * cells.c - every cell of tables 2-4 as one flat list, with stable names
 * and Chinese headers (gk_cell_count(), gk_cell_get(); cells.h).
 *
 * It sits beside format.c and reads only its table definitions: a cell's
 * path is its table, row and column keys, its header the labels the
 * standard prints.  The order is the definitions' order, table by table,
 * row by row, column by column, so that a spreadsheet's columns follow the
 * printed form.  The union listing (GK_EDITION_UNKNOWN), used for a table
 * of reports of mixed editions, puts after each table's 2021 cells the
 * cells of the same table that only the 2019 trial edition has.
 */
#include <stdio.h>
#include <string.h>

#include "format/cells.h"

/* Whether `def` has a cell with the path of (row, col) of `from`. */
static bool locate(const gk__tabledef *from, int row, int col,
                   const gk__tabledef *def, int *out_row, int *out_col) {
  const gk__rowdef *r = &from->rows[row];
  int rr = gk__row_index(def, r->key);
  if (rr < 0)
    return false;
  const gk__rowdef *d = &def->rows[rr];
  /* A bare number ("proactive.licensing") and a row of columns
   * ("proactive.licensing.decisions") are different paths. */
  if (d->scalar != r->scalar)
    return false;
  int cc = r->scalar ? 0 : gk__col_index(d, r->cols[col].key);
  if (cc < 0)
    return false;
  if (out_row)
    *out_row = rr;
  if (out_col)
    *out_col = cc;
  return true;
}

bool gk__cell_ref_locate(const gk__cell_ref *ref, const gk__tabledef *def,
                         int *row, int *col) {
  if (def == ref->def) {
    *row = ref->row;
    *col = ref->col;
    return true;
  }
  return locate(ref->def, ref->row, ref->col, def, row, col);
}

/* The editions whose table `t` has the cell (row, col) of `def`. */
static unsigned editions_of(gk__table_id t, const gk__tabledef *def, int row,
                            int col) {
  static const gk_edition eds[] = {GK_EDITION_2021, GK_EDITION_2019};
  unsigned mask = 0;
  for (size_t k = 0; k < sizeof eds / sizeof eds[0]; k++) {
    const gk__tabledef *other = gk__edition_get(eds[k])->tables[t];
    if (other == def || locate(def, row, col, other, NULL, NULL))
      mask |= 1u << eds[k];
  }
  return mask;
}

/* Appends the cells of one table to the listing; with `skip`, those that
 * table `skip` has too are left out (they are listed already). */
static size_t add_table(const gk__tabledef *def, const gk__tabledef *skip,
                        gk__cell_ref *refs, size_t cap, size_t n) {
  for (int r = 0; r < def->n_rows; r++) {
    for (int c = 0; c < def->rows[r].n_cols; c++) {
      if (skip && locate(def, r, c, skip, NULL, NULL))
        continue;
      if (n < cap) {
        refs[n].def = def;
        refs[n].row = (uint8_t)r;
        refs[n].col = (uint8_t)c;
        refs[n].only_2019 = skip != NULL;
      }
      n++;
    }
  }
  return n;
}

size_t gk__cell_refs(gk_edition e, gk__cell_ref *refs, size_t cap) {
  size_t n = 0;
  if (e == GK_EDITION_UNKNOWN) {
    for (int t = 0; t < GK_N_TABLES; t++) {
      const gk__tabledef *a = gk__edition_2021.tables[t];
      const gk__tabledef *b = gk__edition_2019.tables[t];
      n = add_table(a, NULL, refs, cap, n);
      if (b != a)
        n = add_table(b, a, refs, cap, n);
    }
    return n;
  }
  const gk__edition_def *ed = gk__edition_get(e);
  if (!ed)
    return 0; /* pre-2019 reports have no tables of the format */
  for (int t = 0; t < GK_N_TABLES; t++)
    n = add_table(ed->tables[t], NULL, refs, cap, n);
  return n;
}

size_t gk__cell_ref_path(const gk__cell_ref *ref, char *buf, size_t cap) {
  const gk__rowdef *r = &ref->def->rows[ref->row];
  int n = r->scalar ? snprintf(buf, cap, "%s.%s", ref->def->key, r->key)
                    : snprintf(buf, cap, "%s.%s.%s", ref->def->key, r->key,
                               r->cols[ref->col].key);
  if (n < 0 || (size_t)n >= cap) {
    if (cap)
      buf[0] = '\0';
    return 0;
  }
  return (size_t)n;
}

size_t gk_cell_count(gk_edition edition) {
  return gk__cell_refs(edition, NULL, 0);
}

gk_status gk_cell_get(gk_edition edition, size_t i, gk_cell_info *info) {
  gk__cell_ref refs[GK_MAX_CELLS];
  size_t n = gk__cell_refs(edition, refs, GK_MAX_CELLS);
  if (!info || i >= n || i >= GK_MAX_CELLS)
    return GK_EINVAL;
  const gk__cell_ref *ref = &refs[i];
  const gk__tabledef *def = ref->def;
  const gk__rowdef *row = &def->rows[ref->row];
  const gk__coldef *col = &row->cols[ref->col];
  memset(info, 0, sizeof *info);
  gk__cell_ref_path(ref, info->path, sizeof info->path);
  info->table = def->key;
  info->row = row->key;
  info->column = col->key;
  info->row_label = row->label.text;
  info->group_label = row->group;
  info->column_label = col->label.text;
  info->part = (int)def->id + 2;
  info->row_index = ref->row;
  info->column_index = ref->col;
  info->decimal = col->kind == GK_V_MONEY || col->kind == GK_V_AMOUNT;
  info->editions = editions_of(def->id, def, ref->row, ref->col);
  snprintf(info->label, sizeof info->label, "%s·%s%s%s·%s%s",
           gk__table_part_name(def->id), row->group ? row->group : "",
           row->group ? "·" : "", row->label.text, col->label.text,
           ref->only_2019 ? "（2019年格式）" : "");
  return GK_OK;
}
