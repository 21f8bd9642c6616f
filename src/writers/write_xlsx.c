/*
 * write_xlsx.c - the table of reports as an Excel workbook, through
 * libxlsxwriter (gk_table_writer, table.h).
 *
 * Two sheets: 报告 (one row per report, as the CSV) and 问题 (one row per
 * finding, with the report's source, the line or page, the rule and the
 * message).  Each starts with two header rows, the Chinese headers above
 * the stable names, frozen so they stay in view; the reports sheet also
 * freezes its first column, the source.  Numbers are written as numbers,
 * so a researcher can sum a column at once; a null cell stays empty.
 *
 * The workbook is made in libxlsxwriter's constant-memory mode: each row
 * goes to a temporary file as soon as the next one starts, so ten
 * thousand reports take no more memory than ten.  In that mode rows must
 * come in order, which is how the writer adds them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "writers/table.h"

/* Excel's limit on a cell's text, in characters; cutting at this many
 * bytes keeps any UTF-8 text under it. */
#define XLSX_MAX_TEXT 32767

/* The first data row: two header rows above. */
#define XLSX_FIRST_ROW 2

typedef struct xlsx {
  lxw_workbook *wb;
  lxw_worksheet *reports;
  lxw_worksheet *findings;
  lxw_worksheet *reviews; /* made by the first review row */
  lxw_format *head;       /* header rows */
  lxw_format *decimals;   /* amounts with decimals */
  uint32_t report_row;
  uint32_t finding_row;
  uint32_t review_row;
  char *text; /* scratch for cleaned text, XLSX_MAX_TEXT + 1 bytes */
} xlsx;

static gk_status status_of(lxw_error e) {
  switch (e) {
  case LXW_NO_ERROR:
    return GK_OK;
  case LXW_ERROR_MEMORY_MALLOC_FAILED:
    return GK_ENOMEM;
  case LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE:
  case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED:
    return GK_ELIMIT;
  default:
    /* Creating the file, a temporary file or the ZIP: errno says why
     * (libxlsxwriter leaves the system's error there). */
    return gk__write_status(errno);
  }
}

/* Writes text, cut to Excel's limit at a character boundary and with the
 * control characters XML cannot hold turned into spaces.  Empty text
 * writes nothing (an empty cell). */
static lxw_error put_text(xlsx *x, lxw_worksheet *ws, uint32_t row,
                          uint16_t col, const char *s, lxw_format *fmt) {
  if (!s || !*s)
    return LXW_NO_ERROR;
  size_t n = strlen(s);
  if (n > XLSX_MAX_TEXT) {
    n = XLSX_MAX_TEXT;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
      n--; /* back to the start of the character that does not fit */
  }
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    x->text[i] = c < 0x20 && c != '\t' && c != '\n' ? ' ' : (char)c;
  }
  x->text[n] = '\0';
  return worksheet_write_string(ws, row, col, x->text, fmt);
}

static void set_widths(lxw_worksheet *ws, const double *widths, int n) {
  for (int c = 0; c < n; c++)
    worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
}

gk_status gk__xlsx_begin(gk_table_writer *w) {
  static const double report_widths[GK_N_META_COLS] = {
      [GK_COL_SOURCE] = 28, [GK_COL_FORMAT] = 8,  [GK_COL_TITLE] = 40,
      [GK_COL_AGENCY] = 26, [GK_COL_BODY] = 16,   [GK_COL_BODY_LABEL] = 14,
      [GK_COL_YEAR] = 7,    [GK_COL_EDITION] = 8, [GK_COL_PUBLISHED] = 11,
      [GK_COL_PREV] = 28,   [GK_COL_ERRORS] = 7,  [GK_COL_WARNINGS] = 7,
      [GK_COL_NOTES] = 7,   [GK_COL_RULES] = 36};
  static const double finding_widths[GK_N_FINDING_COLS] = {
      [GK_FCOL_SOURCE] = 28,  [GK_FCOL_LINE] = 6,     [GK_FCOL_PAGE] = 5,
      [GK_FCOL_SEVERITY] = 8, [GK_FCOL_RULE] = 24,    [GK_FCOL_RULE_ZH] = 40,
      [GK_FCOL_PATH] = 36,    [GK_FCOL_MESSAGE] = 90, [GK_FCOL_EXPECTED] = 8,
      [GK_FCOL_ACTUAL] = 8};
  if (GK_N_META_COLS + w->n_refs > LXW_COL_MAX)
    return GK_EINTERNAL;
  xlsx *x = calloc(1, sizeof *x);
  if (!x)
    return GK_ENOMEM;
  w->xlsx = x;
  x->text = malloc(XLSX_MAX_TEXT + 1);
  if (!x->text)
    return GK_ENOMEM;
  lxw_workbook_options opts = {.constant_memory = LXW_TRUE};
  x->wb = workbook_new_opt(w->tmp_path, &opts);
  if (!x->wb)
    return gk__write_status(errno);
  x->reports = workbook_add_worksheet(x->wb, "报告");
  x->findings = workbook_add_worksheet(x->wb, "问题");
  x->head = workbook_add_format(x->wb);
  x->decimals = workbook_add_format(x->wb);
  if (!x->reports || !x->findings || !x->head || !x->decimals)
    return GK_ENOMEM;
  format_set_bold(x->head);
  format_set_bg_color(x->head, 0xDDEBF7);
  format_set_bottom(x->head, LXW_BORDER_THIN);
  format_set_num_format(x->decimals, "0.00##");

  set_widths(x->reports, report_widths, GK_N_META_COLS);
  worksheet_set_column(x->reports, GK_N_META_COLS,
                       (lxw_col_t)(GK_N_META_COLS + w->n_refs - 1), 12, NULL);
  set_widths(x->findings, finding_widths, GK_N_FINDING_COLS);

  /* Constant-memory mode takes rows in order: all of row 0, then 1. */
  lxw_error e = LXW_NO_ERROR;
  for (uint32_t hr = 0; hr < XLSX_FIRST_ROW && !e; hr++) {
    for (int c = 0; c < GK_N_META_COLS && !e; c++)
      e = put_text(x, x->reports, hr, (uint16_t)c,
                   hr ? gk__meta_cols[c].key : gk__meta_cols[c].zh, x->head);
    for (size_t i = 0; i < w->n_refs && !e; i++) {
      gk_cell_info info;
      if (gk_cell_get(GK_EDITION_UNKNOWN, i, &info) != GK_OK)
        return GK_EINTERNAL;
      e = put_text(x, x->reports, hr, (uint16_t)(GK_N_META_COLS + i),
                   hr ? info.path : info.label, x->head);
    }
    for (int c = 0; c < GK_N_FINDING_COLS && !e; c++)
      e = put_text(x, x->findings, hr, (uint16_t)c,
                   hr ? gk__finding_cols[c].key : gk__finding_cols[c].zh,
                   x->head);
  }
  if (e)
    return status_of(e);
  worksheet_freeze_panes(x->reports, XLSX_FIRST_ROW, 1);
  worksheet_freeze_panes(x->findings, XLSX_FIRST_ROW, 0);
  x->report_row = XLSX_FIRST_ROW;
  x->finding_row = XLSX_FIRST_ROW;
  return GK_OK;
}

/* value / 10^scale as a double: exact for counts, and for amounts as
 * exact as a spreadsheet can hold them. */
static double scaled(int64_t value, int scale) {
  double d = (double)value;
  for (int i = 0; i < scale; i++)
    d /= 10;
  return d;
}

/* The sheet is read by people: the severity in Chinese. */
static const char *severity_zh(gk_severity s) {
  return s == GK_SEV_ERROR ? "错误" : s == GK_SEV_WARNING ? "警告" : "提示";
}

/* The catalogue's line for a rule ID, or NULL for an unknown one. */
static const char *rule_summary(const char *id) {
  for (size_t k = 0; k < gk_rule_count(); k++)
    if (strcmp(gk_rule_get(k)->id, id) == 0)
      return gk_rule_get(k)->summary;
  return NULL;
}

static lxw_error put_findings(gk_table_writer *w, xlsx *x, const gk__row *row) {
  const char *cur = row->findings;
  gk__row_finding f;
  lxw_error e = LXW_NO_ERROR;
  for (size_t i = 0; i < row->n_findings && !e; i++) {
    if (x->finding_row >= LXW_ROW_MAX)
      return LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
    if (!gk__row_finding_next(row, &cur, &f))
      return LXW_ERROR_PARAMETER_VALIDATION;
    lxw_worksheet *ws = x->findings;
    uint32_t r = x->finding_row++;
    e = put_text(x, ws, r, GK_FCOL_SOURCE, row->text[GK_COL_SOURCE], NULL);
    if (!e && f.line)
      e = worksheet_write_number(ws, r, GK_FCOL_LINE, f.line, NULL);
    if (!e && f.page)
      e = worksheet_write_number(ws, r, GK_FCOL_PAGE, f.page, NULL);
    if (!e)
      e = put_text(x, ws, r, GK_FCOL_SEVERITY, severity_zh(f.severity), NULL);
    if (!e)
      e = put_text(x, ws, r, GK_FCOL_RULE, f.rule, NULL);
    if (!e && f.rule)
      e = put_text(x, ws, r, GK_FCOL_RULE_ZH, rule_summary(f.rule), NULL);
    if (!e)
      e = put_text(x, ws, r, GK_FCOL_PATH, f.path, NULL);
    if (!e)
      e = put_text(x, ws, r, GK_FCOL_MESSAGE, f.message, NULL);
    if (!e && f.has_expected)
      e = worksheet_write_number(ws, r, GK_FCOL_EXPECTED, (double)f.expected,
                                 NULL);
    if (!e && f.has_expected)
      e = worksheet_write_number(ws, r, GK_FCOL_ACTUAL, (double)f.actual, NULL);
  }
  (void)w;
  return e;
}

gk_status gk__xlsx_row(gk_table_writer *w, const gk__row *row) {
  xlsx *x = w->xlsx;
  if (x->report_row >= LXW_ROW_MAX)
    return GK_ELIMIT;
  uint32_t r = x->report_row++;
  lxw_error e = LXW_NO_ERROR;
  for (int c = 0; c < GK_N_META_COLS && !e; c++) {
    if (row->text[c])
      e = put_text(x, x->reports, r, (uint16_t)c, row->text[c], NULL);
    else if (row->has_number[c])
      e = worksheet_write_number(x->reports, r, (uint16_t)c,
                                 (double)row->number[c], NULL);
  }
  for (size_t i = 0; i < row->n_cells && !e; i++) {
    const gk__row_cell *cell = &row->cells[i];
    if (cell->has)
      e = worksheet_write_number(x->reports, r, (uint16_t)(GK_N_META_COLS + i),
                                 scaled(cell->value, cell->scale),
                                 cell->scale ? x->decimals : NULL);
  }
  if (!e)
    e = put_findings(w, x, row);
  return status_of(e);
}

/* The sheet 审核意见: one row per reviewed finding (gongkai serve). */
gk_status gk__xlsx_review(gk_table_writer *w, const gk_review_row *row) {
  static const char *const zh[] = {"机关", "来源文件", "行",      "位置",
                                   "级别", "规则",     "问题",    "审核结论",
                                   "理由", "审核人",   "审核时间"};
  static const double widths[] = {24, 28, 6, 36, 8, 22, 80, 10, 30, 10, 20};
  enum { N = sizeof zh / sizeof *zh };
  xlsx *x = w->xlsx;
  lxw_error e = LXW_NO_ERROR;
  if (!x->reviews) {
    x->reviews = workbook_add_worksheet(x->wb, "审核意见");
    if (!x->reviews)
      return GK_ENOMEM;
    set_widths(x->reviews, widths, N);
    for (int c = 0; c < N && !e; c++)
      e = put_text(x, x->reviews, 0, (uint16_t)c, zh[c], x->head);
    if (e)
      return status_of(e);
    worksheet_freeze_panes(x->reviews, 1, 0);
    x->review_row = 1;
  }
  /* The severity comes as its stable name ("error"); people read it in
   * Chinese, as on the findings sheet. */
  const char *severity = row->severity;
  for (int v = GK_SEV_NOTE; severity && v <= GK_SEV_ERROR; v++)
    if (strcmp(severity, gk_severity_name((gk_severity)v)) == 0)
      severity = severity_zh((gk_severity)v);
  const char *text[N] = {row->agency, row->source,   NULL,         row->label,
                         severity,    row->rule,     row->message, row->status,
                         row->reason, row->reviewer, row->reviewed};
  uint32_t r = x->review_row++;
  for (int c = 0; c < N && !e; c++) {
    if (c == 2) {
      if (row->line)
        e = worksheet_write_number(x->reviews, r, (lxw_col_t)c, row->line,
                                   NULL);
      continue;
    }
    e = put_text(x, x->reviews, r, (uint16_t)c, text[c], NULL);
  }
  return status_of(e);
}

static void free_xlsx(gk_table_writer *w) {
  xlsx *x = w->xlsx;
  if (!x)
    return;
  free(x->text);
  free(x);
  w->xlsx = NULL;
}

gk_status gk__xlsx_end(gk_table_writer *w) {
  xlsx *x = w->xlsx;
  gk_status st = x && x->wb ? status_of(workbook_close(x->wb)) : GK_EINTERNAL;
  if (x)
    x->wb = NULL;
  free_xlsx(w);
  return st;
}

void gk__xlsx_discard(gk_table_writer *w) {
  xlsx *x = w->xlsx;
  if (!x)
    return;
  /* libxlsxwriter has no way to drop a workbook unwritten: closing it
   * writes the file, which the caller then removes. */
  if (x->wb)
    workbook_close(x->wb);
  free_xlsx(w);
}
