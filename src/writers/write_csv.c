/*
 * write_csv.c - the table of reports as CSV (gk_table_writer, table.h).
 *
 * UTF-8 with a BOM, because Excel and WPS read a CSV without one in the
 * system's code page (GBK on a Chinese Windows) and garble every name;
 * CR LF line ends and RFC 4180 quoting, which both read.  Numbers are
 * written bare ("3", "0.35"), a null cell is an empty field.  A text
 * field that a spreadsheet would run as a formula (a title starting with
 * "=") is prefixed with ', the usual guard against CSV injection.
 */
#include <errno.h>
#include <string.h>

#include "writers/table.h"

/* Writes one field: quoted when it holds a separator, a quote or a line
 * break; guarded when it starts like a formula. */
static void text_field(FILE *f, const char *s) {
  size_t n = strlen(s);
  bool quote = strpbrk(s, ",\"\r\n") != NULL;
  bool guard = n > 1 && strchr("=+-@\t\r", s[0]) != NULL;
  if (quote)
    putc('"', f);
  if (guard)
    putc('\'', f);
  for (const char *p = s; *p; p++) {
    if (*p == '"')
      putc('"', f);
    putc(*p, f);
  }
  if (quote)
    putc('"', f);
}

static void end_line(FILE *f) { fputs("\r\n", f); }

gk_status gk__csv_begin(gk_table_writer *w) {
  FILE *f = w->f;
  fputs("\xEF\xBB\xBF", f);
  if (w->flags & GK_TABLE_ZH_HEADER) {
    for (int c = 0; c < GK_N_META_COLS; c++) {
      if (c)
        putc(',', f);
      text_field(f, gk__meta_cols[c].zh);
    }
    for (size_t i = 0; i < w->n_refs; i++) {
      gk_cell_info info;
      if (gk_cell_get(GK_EDITION_UNKNOWN, i, &info) != GK_OK)
        return GK_EINTERNAL;
      putc(',', f);
      text_field(f, info.label);
    }
    end_line(f);
  }
  for (int c = 0; c < GK_N_META_COLS; c++) {
    if (c)
      putc(',', f);
    fputs(gk__meta_cols[c].key, f);
  }
  for (size_t i = 0; i < w->n_refs; i++) {
    char path[GK_CELL_PATH_MAX];
    if (!gk__cell_ref_path(&w->refs[i], path, sizeof path))
      return GK_EINTERNAL;
    putc(',', f);
    fputs(path, f);
  }
  end_line(f);
  return ferror(f) ? gk__write_status(errno) : GK_OK;
}

gk_status gk__csv_row(gk_table_writer *w, const gk__row *row) {
  FILE *f = w->f;
  char num[48];
  for (int c = 0; c < GK_N_META_COLS; c++) {
    if (c)
      putc(',', f);
    if (row->text[c]) {
      text_field(f, row->text[c]);
    } else if (row->has_number[c]) {
      gk__decimal_text(row->number[c], 0, num, sizeof num);
      fputs(num, f);
    }
  }
  for (size_t i = 0; i < row->n_cells; i++) {
    putc(',', f);
    if (row->cells[i].has) {
      gk__decimal_text(row->cells[i].value, row->cells[i].scale, num,
                       sizeof num);
      fputs(num, f);
    }
  }
  end_line(f);
  return ferror(f) ? gk__write_status(errno) : GK_OK;
}

gk_status gk__csv_end(gk_table_writer *w) {
  return ferror(w->f) ? gk__write_status(errno) : GK_OK;
}
