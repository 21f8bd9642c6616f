/*
 * gongkai.h - the public interface of libgongkai.
 *
 * gongkai reads China's government information disclosure annual reports
 * (政府信息公开工作年度报告) and builds one typed model of each: the title,
 * the issuing body, the year it covers, the date it was signed, the six
 * statutory parts and the three tables of the national format
 * (国办公开办函〔2021〕30号, or the 2019 trial format).  The model, its JSON
 * form and the exit codes of the command-line tool are specified in
 * shared/spec/model.md; the names used here follow it.
 *
 * Conventions, which hold for every function below:
 *
 * - Functions that can fail return a gk_status.  GK_OK is zero; every other
 *   value is a failure, and gk_strerror() gives a one-line message in
 *   simplified Chinese.  Results are returned through out-parameters, which
 *   are left untouched (or set to NULL) on failure.
 * - The library never prints, never calls abort() or exit(), and keeps no
 *   global mutable state: separate reports may be read on separate threads.
 * - A report and everything reachable from it (strings, cells, diagnostics)
 *   lives in one arena owned by the gk_report and freed by gk_report_free().
 *   Pointers obtained from a report stay valid until then.  A report is
 *   read-only once gk_read_*() has returned it, with one exception said
 *   again at gk_check(): gk_check() appends its findings to the report's
 *   diagnostics.  Every other function taking a gk_report * changes
 *   nothing but what its comment names.
 * - Findings about the report (a blank cell, a number that does not add up)
 *   are not failures: they are diagnostics, data attached to the report.
 * - Strings are UTF-8 and NUL-terminated.
 */
#ifndef GONGKAI_H
#define GONGKAI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GK_VERSION "0.1.0"

/*
 * Status codes.  One list, append only: a code's number never changes.
 * XX(name, message): the message is what a person reads, in Chinese.
 */
#define GK_STATUS_MAP(XX)                                                      \
  XX(OK, "成功")                                                               \
  XX(ENOMEM, "内存不足")                                                       \
  XX(EINVAL, "参数无效")                                                       \
  XX(ENOENT, "文件不存在")                                                     \
  XX(EISDIR, "是目录，不是文件")                                               \
  XX(EIO, "读取失败")                                                          \
  XX(ETOOBIG, "文件过大，超出处理上限")                                        \
  XX(EEMPTY, "文件为空")                                                       \
  XX(EBINARY, "二进制数据，不是文本报告")                                      \
  XX(EENCODING, "无法识别的文字编码")                                          \
  XX(EUNSUPPORTED, "不支持的文件格式")                                         \
  XX(ENOTREPORT, "不是政府信息公开工作年度报告")                               \
  XX(ELIMIT, "超出处理上限（行数、单元格、嵌套层数、文字量或内存）")           \
  XX(EINTERNAL, "内部错误")                                                    \
  XX(ENOSPC, "磁盘空间不足（磁盘已满或超出配额），无法写入")                   \
  XX(EACCES, "没有写入权限（目录只读或权限不足）")                             \
  XX(EWRITE, "写入失败")

typedef enum {
#define GK_STATUS_ENUM(name, msg) GK_##name,
  GK_STATUS_MAP(GK_STATUS_ENUM)
#undef GK_STATUS_ENUM
      GK_STATUS_COUNT
} gk_status;

/* The message for a status, in Chinese.  Never NULL; unknown codes give a
 * generic message. */
const char *gk_strerror(gk_status status);

/* The symbolic name of a status ("GK_ENOENT"), for logs and tests. */
const char *gk_status_name(gk_status status);

/* ------------------------------------------------------------------------ */
/* Reading a report                                                         */
/* ------------------------------------------------------------------------ */

typedef struct gk_report gk_report;

/* Options for reading.  Zero-initialise and set what you need; a NULL
 * options pointer means all defaults. */
typedef struct gk_read_options {
  /* Refuse inputs larger than this many bytes (0: GK_MAX_INPUT_BYTES). */
  size_t max_bytes;
  /* The memory budget of the report, in bytes (0: the default, 256 MiB):
   * a report that needs more is refused with GK_ELIMIT, never GK_ENOMEM.
   * A server may set less per request. */
  size_t max_memory;
  /* The SHA-256 of the input bytes as 64 lowercase hex digits, when the
   * caller has it already (a server stores each file under it), for the
   * model's source.sha256; NULL (or anything else than 64 lowercase hex
   * digits): computed from the bytes.  The caller vouches for it. */
  const char *sha256;
} gk_read_options;

/* The largest input read by default: 64 MiB.  Real reports are 5 KB to
 * 5 MB; the cap keeps a stray disk image or log file from being loaded
 * into memory whole. */
#define GK_MAX_INPUT_BYTES ((size_t)64 << 20)

/*
 * Reads the report in the file at `path` into a new report model.  The
 * format (text, Markdown, PDF, HTML, DOCX) is recognised from the bytes,
 * not from the name; text may be UTF-8 (with or without BOM), UTF-16 with a
 * BOM, or GB18030/GBK/GB2312.  A JSON object whose first bytes name the
 * model's schema ("schema": "gongkai.report/1") is read as that model,
 * exactly as gk_read_model_json() reads it (its source fields are kept
 * as it states them; `name` below does not replace them).
 *
 * On GK_OK, *out is a report the caller owns and frees with
 * gk_report_free().  On failure *out is NULL and the status says why: the
 * file is missing (GK_ENOENT), a directory (GK_EISDIR), too large
 * (GK_ETOOBIG), empty (GK_EEMPTY), binary or in an unsupported format
 * (GK_EBINARY, GK_EUNSUPPORTED), not text in a known encoding
 * (GK_EENCODING), not an annual report at all (GK_ENOTREPORT), or memory ran
 * out (GK_ENOMEM).  `detail`, when not NULL, receives a short static Chinese
 * phrase that narrows the reason (for example "PNG 图像"), or NULL.
 */
gk_status gk_read_file(const char *path, const gk_read_options *opts,
                       gk_report **out, const char **detail);

/*
 * Like gk_read_file(), for `len` bytes at `data`.  `name` is what the model
 * records as source.name (a file name, or "-" for standard input); it may
 * be NULL.  The bytes are copied: the caller may free them afterwards.
 */
gk_status gk_read_buffer(const void *data, size_t len, const char *name,
                         const gk_read_options *opts, gk_report **out,
                         const char **detail);

/* Frees a report and everything obtained from it.  NULL is a no-op. */
void gk_report_free(gk_report *report);

/* ------------------------------------------------------------------------ */
/* What a report holds                                                      */
/* ------------------------------------------------------------------------ */

/* The edition of the national format the tables follow. */
typedef enum {
  GK_EDITION_UNKNOWN = 0, /* JSON null: it cannot be told */
  GK_EDITION_2021,        /* 国办公开办函〔2021〕30号 */
  GK_EDITION_2019,        /* the 2019 trial format */
  GK_EDITION_PRE2019      /* free-form reports under the 2007 regulation */
} gk_edition;

/* The metadata of a report.  Strings are NULL when the report does not
 * give them; year is 0 when unknown; published is "YYYY-MM-DD" or NULL. */
typedef struct gk_meta {
  const char *source_name;   /* as passed to gk_read_*() */
  const char *source_format; /* "text", ... (model.md source.format) */
  const char *sha256;        /* of the input bytes, 64 hex digits */
  size_t source_bytes;
  gk_edition edition;
  const char *title;
  const char *agency;
  int year;
  const char *published;
} gk_meta;

/* Fills *meta from the report.  Never fails for a non-NULL report. */
void gk_report_meta(const gk_report *report, gk_meta *meta);

/* One of the six statutory parts. */
typedef struct gk_section {
  int number;          /* 1..6, by meaning */
  const char *heading; /* as written */
  uint32_t line;       /* where the heading is (text sources) */
  uint32_t page;       /* the page of the heading (PDF), else 0 */
  const char *text;    /* prose without tables; paragraphs separated by
                          a blank line */
} gk_section;

/*
 * The source as the reader saw it, as UTF-8 text for a reviewer to read
 * beside the findings: line N of the text is the line N that gk_diag.line
 * and gk_section.line refer to, whatever the input's format and encoding
 * (runs of one line, such as the cells of a table row, are joined by a
 * tab).  A report read from its model JSON or made by
 * gk_report_template() has no source: the text is empty.  On GK_OK, *out is
 * NUL-terminated, *len bytes without the NUL, and the caller frees it with
 * free(); GK_EINVAL for a NULL argument, GK_ENOMEM, GK_ELIMIT (over twice
 * GK_MAX_INPUT_BYTES).
 */
gk_status gk_report_source_text(const gk_report *report, char **out,
                                size_t *len);

/* The number of parts found, and the i-th in source order (NULL when i is
 * out of range). */
size_t gk_report_section_count(const gk_report *report);
const gk_section *gk_report_section(const gk_report *report, size_t i);

/*
 * A table cell, looked up by its model path, as in the JSON:
 * "applications.received.natural_person", "proactive.licensing",
 * "appeals.review.total".
 *
 * Returns GK_OK and sets *value (and *scale) when the cell holds a number:
 * the number is value / 10^scale (scale is 0 for counts; the 万元 fee keeps
 * the decimals the source printed).  Returns GK_ENOENT when the cell is
 * null (blank, unreadable, or its table is absent) and GK_EINVAL when the
 * path names no cell of the report's edition.
 */
gk_status gk_report_cell(const gk_report *report, const char *path,
                         int64_t *value, int *scale);

/* ------------------------------------------------------------------------ */
/* Diagnostics                                                              */
/* ------------------------------------------------------------------------ */

typedef enum {
  GK_SEV_NOTE = 0,
  GK_SEV_WARNING = 1,
  GK_SEV_ERROR = 2
} gk_severity;

/* A finding about the report (model.md §2).  Strings live in the report's
 * arena.  line and page are 0 when unknown; path is NULL when the finding is
 * about no one field; has_expected says whether expected/actual are set. */
typedef struct gk_diag {
  const char *rule; /* stable ID from rules.md, "cell.blank" */
  gk_severity severity;
  const char *message; /* one sentence in Chinese */
  uint32_t line;
  uint32_t page;
  const char *path;
  int has_expected;
  int64_t expected;
  int64_t actual;
} gk_diag;

/* The number of diagnostics, and the i-th, in source order (NULL when i is
 * out of range). */
size_t gk_report_diag_count(const gk_report *report);
const gk_diag *gk_report_diag(const gk_report *report, size_t i);

/* "error", "warning", "note". */
const char *gk_severity_name(gk_severity severity);

/* ------------------------------------------------------------------------ */
/* Checking                                                                 */
/* ------------------------------------------------------------------------ */

/* The kind of body that issued a report, told from its name.  It decides
 * the publication deadline (条例 第四十九条) and whether the body may make
 * 规章 (立法法). */
typedef enum {
  GK_BODY_UNKNOWN = 0,
  GK_BODY_TOWNSHIP,   /* 乡、镇人民政府，街道办事处 */
  GK_BODY_COUNTY_GOV, /* 县、县级市、市辖区、旗人民政府 */
  GK_BODY_CITY_GOV,   /* 设区的市、自治州、地区人民政府 */
  GK_BODY_PROVINCE_GOV, /* 省、自治区、直辖市人民政府及其办公厅 */
  GK_BODY_DEPARTMENT,   /* a department of a local government */
  GK_BODY_NATIONAL_DEPT /* a department of the State Council */
} gk_body_kind;

/* "township", "county-government", ... (stable, for CSV and JSON), and a
 * Chinese name ("乡镇、街道"). */
const char *gk_body_kind_name(gk_body_kind kind);
const char *gk_body_kind_label(gk_body_kind kind);

/* The kind of body of a report (from its agency, else its title). */
gk_body_kind gk_report_body_kind(const gk_report *report);

typedef struct gk_check_options {
  /* Deadline for townships and 街道 (no national rule: locally set), as
   * month and day of the following year; 0/0 means 01-31. */
  int township_deadline_month;
  int township_deadline_day;
  /* Last year's report of the same body, for the history.* rules; NULL
   * to skip them.  It is only read. */
  const gk_report *prev;
} gk_check_options;

/*
 * Runs every rule of the catalogue on the report and adds what they find
 * to its diagnostics (gk_report_diag()), in source order.  opts may be
 * NULL.  Returns GK_OK, or GK_ENOMEM (the diagnostics found so far stay),
 * or GK_ELIMIT when the report went over its memory budget (256 MiB).
 *
 * What it changes, and nothing else: it appends diagnostics to the
 * report (allocated in its arena), sorts all of them by line, and marks
 * the report checked, so that running it a second time does nothing.
 * The model itself (metadata, parts, cells, the facts the parser read
 * from the prose) is only read.  So a report must not be read on another
 * thread while gk_check() runs on it; opts->prev is only read and may be
 * shared.
 */
gk_status gk_check(gk_report *report, const gk_check_options *opts);

/* One rule of the catalogue (shared/spec/rules.md). */
typedef struct gk_rule_info {
  const char *id; /* "arith.balance" */
  gk_severity severity;
  const char *summary; /* one line in Chinese */
} gk_rule_info;

/* The number of rules, and the i-th in catalogue order (NULL when out of
 * range). */
size_t gk_rule_count(void);
const gk_rule_info *gk_rule_get(size_t i);

/* Writes value / 10^scale with exactly `scale` decimals, as cells are
 * written in JSON ("12", "1.20", "-3"), into buf[cap]; 48 bytes are
 * always enough.  Returns the length, 0 when it did not fit. */
size_t gk_format_number(int64_t value, int scale, char *buf, size_t cap);

/* The counts of diagnostics by severity. */
void gk_report_diag_counts(const gk_report *report, size_t *errors,
                           size_t *warnings, size_t *notes);

/* ------------------------------------------------------------------------ */
/* Writing                                                                  */
/* ------------------------------------------------------------------------ */

enum {
  GK_FINDINGS_COLOR = 1 << 0,  /* ANSI colours, for a terminal */
  GK_FINDINGS_EXCERPT = 1 << 1 /* quote the source under each finding */
};

/*
 * Writes the diagnostics as a compiler does, one per line:
 *   NAME:LINE: error: message [rule]
 * (NAME: severity: ... when there is no line).  The location is what a
 * person can open: a PDF's page (NAME:第3页:), an HTML page's visible text
 * of the line, up to 24 characters (NAME:“（二）部分公开”:), else the line.
 * With GK_FINDINGS_EXCERPT, a finding with a source line is followed by
 * "    | " and the line's text (up to 80 characters, cut with "…").  No summary
 * line: callers that print several reports sum gk_report_diag_counts().  The
 * string is the caller's to free(); GK_ENOMEM on failure.
 */
gk_status gk_report_findings_text(const gk_report *report, unsigned flags,
                                  char **out, size_t *len);

enum {
  GK_JSON_PRETTY = 1 << 0, /* indent two spaces, one member per line */
  /* each diagnostic carries "excerpt": the source text at it (the text of
   * its line, up to 80 characters; none for a model read back, which has
   * no source lines) */
  GK_JSON_EXCERPT = 1 << 1
};

/*
 * Writes the report as one JSON object (schema "gongkai.report/1", exactly
 * the model of model.md §1–2).  Without GK_JSON_PRETTY the object is on one
 * line with no trailing newline.
 *
 * On GK_OK, *out is a NUL-terminated string of *len bytes that the caller
 * frees with free().  On failure (GK_ENOMEM) *out is NULL.
 */
gk_status gk_report_to_json(const gk_report *report, unsigned flags, char **out,
                            size_t *len);

/* ------------------------------------------------------------------------ */
/* Cells, tables of many reports, and one body's two years                  */
/* ------------------------------------------------------------------------ */

/*
 * Every cell of tables 2-4, by a stable name.  The names are the model
 * paths of model.md §1.1-1.3 ("applications.received.total",
 * "proactive.licensing"); they are spreadsheet column names and never
 * change.  A cell is listed once per edition; GK_EDITION_UNKNOWN lists
 * the cells of every edition together (for a table of reports of mixed
 * editions): table by table, the 2021 edition's cells and then those only
 * the 2019 trial edition has.  GK_EDITION_PRE2019 has no cells.
 */

/* Room for a cell's path and label, with the terminating NUL. */
#define GK_CELL_PATH_MAX 96
#define GK_CELL_LABEL_MAX 384

typedef struct gk_cell_info {
  /* "applications.received.total" */
  char path[GK_CELL_PATH_MAX];
  /* The cell's header in Chinese, part, group, row and column joined with
   * "·": "第三部分·（三）不予公开·1.属于国家秘密·总计".  In the
   * GK_EDITION_UNKNOWN listing a cell only the 2019 edition has ends in
   * "（2019年格式）". */
  char label[GK_CELL_LABEL_MAX];
  /* Model keys, static strings: "applications", "received", "total".
   * `column` is the column's key even where the path has none (a row that
   * holds one bare number, "proactive.licensing": column "decisions"). */
  const char *table;
  const char *row;
  const char *column;
  /* Labels as the standard prints them, static strings; group_label is
   * NULL when the row belongs to no group ("（三）不予公开"). */
  const char *row_label;
  const char *group_label;
  const char *column_label;
  /* The statutory part the table is in: 2, 3 or 4. */
  int part;
  /* Row and column in the table of the cell's edition; in the union
   * listing, of the 2021 edition when both editions have the cell. */
  int row_index;
  int column_index;
  /* 1: an amount that may have decimals (万元, 元); 0: a count. */
  int decimal;
  /* Bit (1u << e) for each gk_edition e that has the cell. */
  unsigned editions;
} gk_cell_info;

/* The number of cells of an edition's tables (see above). */
size_t gk_cell_count(gk_edition edition);

/* Fills *info with the i-th cell of the edition's listing.  Returns GK_OK,
 * or GK_EINVAL when i is out of range (info is then untouched). */
gk_status gk_cell_get(gk_edition edition, size_t i, gk_cell_info *info);

/*
 * A key for grouping the reports of one body across years: its name
 * folded as labels are (NFKC, white space removed, 街道办事处 → 街道),
 * without the government's word at its end (人民政府, 政府, or their
 * 办公室, 办公厅: a government's report is often signed by its general
 * office), as the history.* rules compare names.  Two reports are of one body
 * when their keys are equal or one key ends the other ("米易县丙谷镇" and
 * "丙谷镇").  Writes the NUL-terminated key into buf (cap bytes) and
 * returns its length; returns 0 (buf[0] = NUL when cap > 0) when name is
 * NULL, has no characters left, or the key does not fit.
 */
size_t gk_body_key(const char *name, char *buf, size_t cap);

/* ------------------------------------------------ a table of many reports */

/*
 * gk_table_writer writes one spreadsheet with a row per report: its
 * source, format, title, agency, kind of body, year, edition, publication
 * date, the source of the report it was compared with as last year's
 * (when any), the counts of errors, warnings and notes, the IDs of the
 * rules that fired, and then every cell of gk_cell_get(GK_EDITION_UNKNOWN)
 * under its path.  A null cell is an empty field, never 0.
 *
 * CSV is UTF-8 with a BOM (so Excel and WPS open it as UTF-8), CR LF line
 * ends, RFC 4180 quoting; the header row holds the stable column names,
 * preceded by a row of Chinese headers with GK_TABLE_ZH_HEADER.  Text that
 * a spreadsheet would run as a formula (starting with = + - @) is prefixed
 * with '.  XLSX (through libxlsxwriter, in its constant-memory mode) has a
 * sheet 报告 of reports and a sheet 问题 with one row per finding (source,
 * line, page, severity, rule, path, message, expected, actual); each sheet
 * has two frozen header rows, Chinese headers above the stable names, and
 * numbers are numbers.
 *
 * The file is written under a temporary name in the same directory
 * (PATH.tmp.XXXXXX) and renamed to PATH by gk_table_writer_close() after
 * it was flushed to disk, so PATH is either the old file or the whole new
 * one, never part of one.  For CSV, path "-" writes to standard output
 * (directly, with no temporary file).
 *
 * Memory stays flat: a row is written when it is added; nothing of the
 * report is kept.  A writer is used from one thread.
 */
typedef struct gk_table_writer gk_table_writer;

typedef enum { GK_TABLE_CSV = 0, GK_TABLE_XLSX } gk_table_format;

enum {
  GK_TABLE_ZH_HEADER = 1 << 0 /* CSV: a Chinese header row above the names */
};

/* Opens a writer.  On GK_OK *out is the caller's, to be ended by
 * gk_table_writer_close() or gk_table_writer_discard().  Fails with
 * GK_EINVAL (bad argument), GK_EACCES (the folder is read-only or not
 * writable), GK_ENOSPC (the disk is full), GK_EWRITE (the temporary file
 * cannot be made for another reason), with *out NULL and nothing left
 * behind, or GK_ENOMEM.  A path that exists and is no regular file is
 * never replaced: CSV is written in place into a FIFO (GK_EWRITE when no
 * one reads it) or a character device; XLSX there, a socket or a block
 * device is GK_EUNSUPPORTED, a folder GK_EISDIR. */
gk_status gk_table_writer_open(const char *path, gk_table_format format,
                               unsigned flags, gk_table_writer **out);

/*
 * A report's row, packed into a self-contained string of bytes that
 * gk_table_writer_add_row() takes.  Rows may be made on any thread (one
 * per report, in parallel) and stored or passed between threads; the
 * bytes hold no pointers, and their format is private to this version of
 * the library.  `source` is what the source column shows (the path as
 * given; NULL: the report's source name), `prev_source` that of last
 * year's report it was checked against, or NULL.  On GK_OK *out (*len
 * bytes) is the caller's to free(); GK_ENOMEM on failure.
 */
gk_status gk_table_row_pack(const gk_report *report, const char *source,
                            const char *prev_source, char **out, size_t *len);

/* Writes a packed row.  GK_EINVAL when the bytes are not a row of this
 * library, GK_ENOSPC, GK_EACCES or GK_EWRITE when writing failed,
 * GK_ENOMEM.  After a failure the
 * writer only accepts gk_table_writer_discard(). */
gk_status gk_table_writer_add_row(gk_table_writer *w, const char *row,
                                  size_t len);

/* gk_table_row_pack() and gk_table_writer_add_row() in one. */
gk_status gk_table_writer_add(gk_table_writer *w, const gk_report *report,
                              const char *source, const char *prev_source);

/*
 * A finding as the reviewers of a workspace judged it (gongkai serve): for
 * a third XLSX sheet 审核意见, made when the first such row is added, so
 * that an office's export carries its confirmed findings per body beside
 * the reports.  Strings may be NULL (an empty cell); line 0 is no line.
 */
typedef struct gk_review_row {
  const char *agency;   /* the body (its roster name when matched) */
  const char *source;   /* the report's file */
  uint32_t line;        /* in the source, 0 when unknown */
  const char *label;    /* where: a cell's label, or NULL */
  const char *severity; /* "error", "warning", "note" */
  const char *rule;
  const char *message;
  const char *status; /* "确认", "忽略", ... as the office words it */
  const char *reason;
  const char *reviewer;
  const char *reviewed; /* when, as text */
} gk_review_row;

/* Adds a row to the sheet 审核意见 (XLSX only: GK_EUNSUPPORTED for CSV).
 * GK_EINVAL for a NULL argument, GK_EIO when writing failed, GK_ENOMEM;
 * a failure is sticky as for gk_table_writer_add_row(). */
gk_status gk_table_writer_add_review(gk_table_writer *w,
                                     const gk_review_row *row);

/* The temporary file the writer is filling, or NULL (standard output):
 * for a signal handler that removes it when the run is interrupted. */
const char *gk_table_writer_temp_path(const gk_table_writer *w);

/* Finishes the file, flushes it to disk and renames it into place; frees
 * the writer in every case.  GK_OK, or the failure (GK_ENOSPC for a full
 * disk, GK_EACCES, GK_EWRITE, GK_ENOMEM; the temporary file is removed and
 * PATH left as it was).  libxlsxwriter prints its own lines on standard
 * error when writing an XLSX file fails; a program that must stay quiet
 * points file descriptor 2 elsewhere around this call (the gongkai
 * command does). */
gk_status gk_table_writer_close(gk_table_writer *w);

/* Removes the temporary file and frees the writer; PATH is left as it
 * was.  NULL is a no-op. */
void gk_table_writer_discard(gk_table_writer *w);

/* ---------------------------------------------- one body's two years */

/* A cell in two reports of one body (gk_diff_reports()). */
typedef struct gk_cell_change {
  size_t cell; /* its index in gk_cell_get(GK_EDITION_UNKNOWN, ...) */
  int has_old; /* 0: null (or not in that report's edition) */
  int has_new;
  int64_t old_value; /* value / 10^scale, as gk_report_cell() */
  int64_t new_value;
  int old_scale;
  int new_scale;
} gk_cell_change;

typedef struct gk_diff gk_diff;

enum {
  GK_DIFF_ALL_CELLS = 1 << 0 /* list every cell either report has, not
                                only the changed ones */
};

/*
 * Compares last year's report with this year's, cell by cell over the
 * cells of both editions, and part by part.  A cell has changed when it
 * holds a different number, or a number in one report and null in the
 * other; cells null in both are never listed.  The history.* rules are
 * not run here: gk_check() with gk_check_options.prev does that.
 * On GK_OK *out is the caller's, freed by gk_diff_free(); GK_EINVAL for a
 * NULL report, GK_ENOMEM on failure.  The reports are only read.
 */
gk_status gk_diff_reports(const gk_report *old_report,
                          const gk_report *new_report, unsigned flags,
                          gk_diff **out);

/* The cells listed, in the order of gk_cell_get(GK_EDITION_UNKNOWN), and
 * the i-th (NULL when out of range). */
size_t gk_diff_count(const gk_diff *d);
const gk_cell_change *gk_diff_get(const gk_diff *d, size_t i);

/*
 * How similar part `part` (1-6) of the two reports is: the Jaccard
 * similarity, 0 to 1, of the sets of 5-character pieces of its prose,
 * compared without digits, punctuation or white space (the measure the
 * history.copied-text rule uses, which fires at 0.8).  -1 when either
 * report lacks the part or its prose is too short to judge (under 20
 * characters).
 */
double gk_diff_similarity(const gk_diff *d, int part);

/* Frees a diff.  NULL is a no-op. */
void gk_diff_free(gk_diff *d);

/* ------------------------------------------------------------------------ */
/* Rendering a report, and making one from its model                        */
/* ------------------------------------------------------------------------ */

/*
 * A report can be written back out in the national layout
 * (国办公开办函〔2021〕30号, or the 2019 trial format for a report in that
 * edition): the title, the six parts with their prose, tables 2-4 laid
 * out exactly as the format prints them (table 2 in its four 第二十条
 * blocks, table 3 under its three-row header with the 勾稽 note and
 * 三、本年度办理结果 spanning its rows, table 4 under its two-level
 * header), and the signature with the agency and the date in Chinese form
 * (2025年1月20日).  Null cells are printed blank, never as 0.
 *
 * The model comes from gk_read_file()/gk_read_buffer() (a parsed report),
 * from gk_read_model_json() (the JSON of gk_report_to_json(), possibly
 * edited by hand) or from gk_report_template() (a blank report to fill).
 */

typedef enum {
  GK_RENDER_TXT = 0, /* UTF-8 text; tables as tab-separated rows, as Word
                        saves a document "as text" */
  GK_RENDER_MD,      /* Markdown; tables as pipe tables */
  GK_RENDER_HTML,    /* one self-contained HTML page, print-ready on A4 */
  GK_RENDER_DOCX     /* a Word document (WordprocessingML), merged cells */
} gk_render_format;

/* "txt", "md", "html", "docx". */
const char *gk_render_format_name(gk_render_format format);

/* The format named `name` ("txt" or "text", "md" or "markdown", "html",
 * "docx"); GK_EUNSUPPORTED for any other name. */
gk_status gk_render_format_parse(const char *name, gk_render_format *format);

/*
 * Renders the report.  It renders whatever the model holds: callers that
 * want only correct reports run gk_check() first and look at the
 * findings (the gongkai CLI refuses on arith.* and structure.* errors).
 *
 * On GK_OK, *out holds *len bytes that the caller frees with free(); the
 * text formats are NUL-terminated UTF-8 (the NUL is not counted), DOCX is
 * a ZIP archive.  On failure *out is NULL: GK_ENOMEM, GK_ELIMIT (the
 * output would exceed 64 MiB), GK_EINVAL (a NULL argument or an unknown
 * format), GK_EINTERNAL (the archive could not be written).
 */
gk_status gk_report_render(const gk_report *report, gk_render_format format,
                           char **out, size_t *len);

/*
 * Any other document in the same style (the rectification notice
 * 整改通知 an office sends a body, for instance): a title, headings,
 * paragraphs and a signature of body and date, in order, written by the
 * writers of gk_report_render() with the same fonts and page (DOCX:
 * 仿宋_GB2312 body, 黑体 headings, A4; HTML: one printable page).  The
 * texts are UTF-8 and only read; `title` (may be NULL) is the document's
 * title property.  On GK_OK *out (*len bytes) is the caller's to free();
 * GK_EINVAL for a NULL out, a block without text or of an unknown kind,
 * GK_ENOMEM, GK_ELIMIT (over 64 MiB).
 */
typedef enum {
  GK_BLOCK_TITLE = 0, /* centred, large */
  GK_BLOCK_HEADING,   /* a heading */
  GK_BLOCK_PARA,      /* a paragraph */
  GK_BLOCK_AGENCY,    /* the signature: the issuing body (right) */
  GK_BLOCK_DATE       /* the signature: the date, "2025年2月10日" */
} gk_block_kind;

typedef struct gk_block {
  gk_block_kind kind;
  const char *text;
} gk_block;

gk_status gk_document_render(const char *title, const gk_block *blocks,
                             size_t n_blocks, gk_render_format format,
                             char **out, size_t *len);

/*
 * Reads a report model from its JSON form (schema "gongkai.report/1",
 * shared/spec/model.md §1), as gk_report_to_json() writes it and a person
 * may edit it, into a report that gk_check() and gk_report_render() work
 * on.  The input is validated strictly: the schema, every key known, every
 * row and column of the edition's tables present, counts integers >= 0
 * (the 2019 本年增/减 may be negative; the 万元 fee and the 2019 采购总金额
 * are decimals >= 0, and the fee keeps the decimals written).  The source
 * fields (name, format, bytes, sha256) are kept as the model states them.
 *
 * A model that carries "provenance" (every model gk_report_to_json()
 * writes for a report parsed from a document; docs/MODEL.md) is read back
 * as that report: its source lines and pages, the text as written that
 * the checks judge, and the parser's diagnostics are kept as stated (a
 * blank-cell diagnostic whose cells now all hold numbers is dropped), so
 * gk_check() gives the findings it gives on the document, and
 * gk_report_to_json() writes the same bytes.  Other diagnostics of the
 * input are dropped: gk_check() finds them again.  A model without
 * provenance (a template, a model written by hand) has no source lines;
 * its null cells get their cell.blank diagnostic, as a parsed report has.
 *
 * On GK_OK, *out is a report the caller frees with gk_report_free().  On
 * failure *out is NULL and the status is GK_EINVAL (not JSON, or not a
 * valid model), GK_EUNSUPPORTED (another schema), GK_ETOOBIG (over
 * GK_MAX_INPUT_BYTES) or GK_ENOMEM; `detail`, when not NULL, receives a
 * short Chinese phrase naming the problem and the field, which stays
 * valid until the next call on the same thread (it may be NULL).
 */
gk_status gk_read_model_json(const char *json, size_t len, gk_report **out,
                             const char **detail);

/*
 * A blank report for a clerk to fill: the standard title, the six parts
 * with their standard headings and placeholder prose, every table cell 0,
 * no date.  `year` is the year covered (2019 and 2020 get the 2019 trial
 * tables, later years the 2021 ones; 0 leaves the year unknown and uses
 * the 2021 tables); `agency` may be NULL.  Its source.format is
 * "template".  Returns GK_EINVAL for a year before 2019 (there is no
 * national table format to fill) or after 2100, GK_ENOMEM.
 */
gk_status gk_report_template(int year, const char *agency, gk_report **out);

/*
 * Renders page `page` (1-based) of the PDF of len bytes at data as a PNG,
 * `scale` pixels per point (clamped to 0.25 .. 4; 1.5 suits a screen), so
 * that a cell's provenance box [x0, y0, x1, y1] in points (docs/MODEL.md)
 * is at [x0, y0, x1, y1] * scale in the image, from its top left.  The
 * page's size in points goes to *page_width and *page_height when they
 * are not NULL.  MuPDF runs with the PDF reader's memory cap and is silent.
 *
 * On GK_OK, *png (*png_len bytes) is the caller's, freed with free().
 * Otherwise *png is NULL and the status is GK_EINVAL (a NULL argument, page
 * 0), GK_ETOOBIG (over GK_MAX_INPUT_BYTES), GK_ENOENT (no such page),
 * GK_EUNSUPPORTED (not a PDF MuPDF can open, or encrypted), GK_ELIMIT
 * (over 2,000 pages, an image over 16 million pixels, or MuPDF's memory
 * cap) or GK_ENOMEM.  The bytes are only read.
 */
gk_status gk_render_pdf_page_png(const void *data, size_t len, unsigned page,
                                 double scale, unsigned char **png,
                                 size_t *png_len, double *page_width,
                                 double *page_height);

#ifdef __cplusplus
}
#endif

#endif /* GONGKAI_H */
