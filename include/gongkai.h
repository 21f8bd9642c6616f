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
 *   read-only once gk_read_*() has returned it.
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
  XX(ELIMIT, "超出处理上限（行数、单元格或嵌套层数）")                         \
  XX(EINTERNAL, "内部错误")

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
} gk_read_options;

/* The largest input read by default: 64 MiB.  Real reports are 5 KB to
 * 5 MB; the cap keeps a stray disk image or log file from being loaded
 * into memory whole. */
#define GK_MAX_INPUT_BYTES ((size_t)64 << 20)

/*
 * Reads the report in the file at `path` into a new report model.  The
 * format (text, and later PDF, HTML, DOCX) is recognised from the bytes,
 * not from the name; text may be UTF-8 (with or without BOM), UTF-16 with a
 * BOM, or GB18030/GBK/GB2312.
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
  const char *text;    /* prose without tables; paragraphs separated by
                          a blank line */
} gk_section;

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
 * to its diagnostics (gk_report_diag()), in source order.  Running it a
 * second time on the same report does nothing.  opts may be NULL.
 * Returns GK_OK, or GK_ENOMEM (the diagnostics found so far stay).
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

/* The counts of diagnostics by severity. */
void gk_report_diag_counts(const gk_report *report, size_t *errors,
                           size_t *warnings, size_t *notes);

/* ------------------------------------------------------------------------ */
/* Writing                                                                  */
/* ------------------------------------------------------------------------ */

enum {
  GK_FINDINGS_COLOR = 1 << 0 /* ANSI colours, for a terminal */
};

/*
 * Writes the diagnostics as a compiler does, one per line:
 *   NAME:LINE: error: message [rule]
 * (NAME: severity: ... when there is no line).  No summary line: callers
 * that print several reports sum gk_report_diag_counts().  The string is
 * the caller's to free(); GK_ENOMEM on failure.
 */
gk_status gk_report_findings_text(const gk_report *report, unsigned flags,
                                  char **out, size_t *len);

enum {
  GK_JSON_PRETTY = 1 << 0 /* indent two spaces, one member per line */
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

#ifdef __cplusplus
}
#endif

#endif /* GONGKAI_H */
