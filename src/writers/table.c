/*
 * table.c - a spreadsheet of many reports, one row each (gongkai.h,
 * gk_table_writer): the packed row, the writer's life, and the temporary
 * file that makes the output appear whole or not at all.
 *
 * A report becomes a row in two steps so that the expensive one can run
 * on the thread that checked the report: gk_table_row_pack() reads the
 * report into a flat string of bytes (its metadata, every cell of the
 * union listing of cells.c, its findings), and gk_table_writer_add_row()
 * unpacks it and hands it to the CSV or XLSX writer, on the one thread
 * that owns the file.  The bytes hold lengths and values, no pointers, so
 * a batch may also keep them in a spool file while it waits to learn
 * whether last year's report of the same body is among its inputs.
 *
 * The packed row, in native byte order (it never leaves the process):
 *   magic "GKROW01\0"; u32 cells; u32 findings;
 *   each meta column: text as a string, numbers as u8 has + i64;
 *   each cell: u8 tag, 0 for null, else 1 + scale followed by the value
 *     as a zigzag varint (most cells are small counts: two bytes);
 *   each finding: strings rule, path, message; u8 severity; u32 line;
 *     u32 page; u8 has_expected; i64 expected; i64 actual.
 *   A string is u32 length, the bytes, and a NUL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model.h"
#include "writers/table.h"

/* One row's bytes at most: a report with tens of thousands of findings
 * stays far below; the cap only stops a pathological one. */
#define GK_MAX_ROW_BYTES ((size_t)64 << 20)

/* The most decimals a cell may carry into a row: an int64 holds 18
 * digits; a parser never keeps more than the source printed. */
#define GK_MAX_SCALE 18

/* Attempts at a free temporary name before giving up. */
#define TEMP_NAME_TRIES 100

static const char row_magic[8] = "GKROW01";

const gk__table_col gk__meta_cols[GK_N_META_COLS] = {
    [GK_COL_SOURCE] = {"source", "来源文件"},
    [GK_COL_FORMAT] = {"format", "文件格式"},
    [GK_COL_TITLE] = {"title", "标题"},
    [GK_COL_AGENCY] = {"agency", "发布机关"},
    [GK_COL_BODY] = {"body", "机关类型"},
    [GK_COL_BODY_LABEL] = {"body_label", "机关类型（中文）"},
    [GK_COL_YEAR] = {"year", "年度"},
    [GK_COL_EDITION] = {"edition", "表格格式"},
    [GK_COL_PUBLISHED] = {"published", "发布日期"},
    [GK_COL_PREV] = {"prev", "对比的上年报告"},
    [GK_COL_ERRORS] = {"errors", "错误数"},
    [GK_COL_WARNINGS] = {"warnings", "警告数"},
    [GK_COL_NOTES] = {"notes", "提示数"},
    [GK_COL_RULES] = {"rules", "发现问题的规则"},
};

const gk__table_col gk__finding_cols[GK_N_FINDING_COLS] = {
    [GK_FCOL_SOURCE] = {"source", "来源文件"},
    [GK_FCOL_LINE] = {"line", "行"},
    [GK_FCOL_PAGE] = {"page", "页"},
    [GK_FCOL_SEVERITY] = {"severity", "级别"},
    [GK_FCOL_RULE] = {"rule", "规则"},
    [GK_FCOL_RULE_ZH] = {"rule_summary", "规则说明"},
    [GK_FCOL_PATH] = {"path", "字段"},
    [GK_FCOL_MESSAGE] = {"message", "说明"},
    [GK_FCOL_EXPECTED] = {"expected", "应为"},
    [GK_FCOL_ACTUAL] = {"actual", "实为"},
};

static bool is_number_col(int col) {
  return col == GK_COL_YEAR || col == GK_COL_ERRORS || col == GK_COL_WARNINGS ||
         col == GK_COL_NOTES;
}

/* ------------------------------------------------------------- packing */

static void put(gk__buf *b, gk_status *st, const void *p, size_t n) {
  if (*st == GK_OK)
    *st = gk__buf_append(b, p, n);
}

static void put_u8(gk__buf *b, gk_status *st, uint8_t v) { put(b, st, &v, 1); }
static void put_u32(gk__buf *b, gk_status *st, uint32_t v) {
  put(b, st, &v, sizeof v);
}
static void put_i64(gk__buf *b, gk_status *st, int64_t v) {
  put(b, st, &v, sizeof v);
}
/* A signed value in as few bytes as it needs: zigzag, then 7 bits a
 * byte, low first, the high bit saying more follow. */
static void put_varint(gk__buf *b, gk_status *st, int64_t v) {
  uint64_t z = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
  uint8_t out[10];
  size_t n = 0;
  do {
    out[n] = (uint8_t)(z & 0x7F);
    z >>= 7;
    if (z)
      out[n] |= 0x80;
    n++;
  } while (z);
  put(b, st, out, n);
}

static void put_str(gk__buf *b, gk_status *st, const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n > UINT32_MAX - 1) {
    *st = GK_ELIMIT;
    return;
  }
  put_u32(b, st, (uint32_t)n);
  put(b, st, s ? s : "", n);
  put_u8(b, st, 0);
}

/* The IDs of the rules that fired, in catalogue order, space-separated. */
static void put_rules(gk__buf *b, gk_status *st, const gk_report *r) {
  gk__buf ids;
  gk__buf_init(&ids, GK_MAX_ROW_BYTES);
  gk_status s = GK_OK;
  for (size_t k = 0; k < gk_rule_count() && s == GK_OK; k++) {
    const char *id = gk_rule_get(k)->id;
    for (size_t i = 0; i < r->n_diags; i++) {
      if (r->diags[i].rule && strcmp(r->diags[i].rule, id) == 0) {
        if (ids.len)
          s = gk__buf_putc(&ids, ' ');
        if (s == GK_OK)
          s = gk__buf_puts(&ids, id);
        break;
      }
    }
  }
  if (s != GK_OK && *st == GK_OK)
    *st = s;
  put_str(b, st, ids.data);
  gk__buf_free(&ids);
}

gk_status gk_table_row_pack(const gk_report *r, const char *source,
                            const char *prev_source, char **out, size_t *len) {
  if (!out)
    return GK_EINVAL;
  *out = NULL;
  if (!r)
    return GK_EINVAL;
  gk__cell_ref refs[GK_MAX_CELLS];
  size_t n_refs = gk__cell_refs(GK_EDITION_UNKNOWN, refs, GK_MAX_CELLS);
  if (n_refs > GK_MAX_CELLS)
    return GK_EINTERNAL;
  size_t errors = 0, warnings = 0, notes = 0;
  gk_report_diag_counts(r, &errors, &warnings, &notes);
  gk_body_kind body = gk_report_body_kind(r);
  const char *edition = gk__edition_name(r->edition);

  gk__buf b;
  gk__buf_init(&b, GK_MAX_ROW_BYTES);
  gk_status st = GK_OK;
  put(&b, &st, row_magic, sizeof row_magic);
  put_u32(&b, &st, (uint32_t)n_refs);
  put_u32(&b, &st, (uint32_t)r->n_diags);
  for (int col = 0; col < GK_N_META_COLS; col++) {
    switch (col) {
    case GK_COL_SOURCE:
      put_str(&b, &st, source ? source : r->source_name);
      break;
    case GK_COL_FORMAT:
      put_str(&b, &st, r->source_format);
      break;
    case GK_COL_TITLE:
      put_str(&b, &st, r->title);
      break;
    case GK_COL_AGENCY:
      put_str(&b, &st, r->agency);
      break;
    case GK_COL_BODY:
      put_str(&b, &st, body == GK_BODY_UNKNOWN ? "" : gk_body_kind_name(body));
      break;
    case GK_COL_BODY_LABEL:
      put_str(&b, &st, body == GK_BODY_UNKNOWN ? "" : gk_body_kind_label(body));
      break;
    case GK_COL_YEAR:
      put_u8(&b, &st, r->year > 0);
      put_i64(&b, &st, r->year);
      break;
    case GK_COL_EDITION:
      put_str(&b, &st, edition);
      break;
    case GK_COL_PUBLISHED:
      put_str(&b, &st, r->published);
      break;
    case GK_COL_PREV:
      put_str(&b, &st, prev_source);
      break;
    case GK_COL_ERRORS:
      put_u8(&b, &st, 1);
      put_i64(&b, &st, (int64_t)errors);
      break;
    case GK_COL_WARNINGS:
      put_u8(&b, &st, 1);
      put_i64(&b, &st, (int64_t)warnings);
      break;
    case GK_COL_NOTES:
      put_u8(&b, &st, 1);
      put_i64(&b, &st, (int64_t)notes);
      break;
    case GK_COL_RULES:
      put_rules(&b, &st, r);
      break;
    default:
      break;
    }
  }
  for (size_t i = 0; i < n_refs; i++) {
    const gk__table *t = r->tables[refs[i].def->id];
    int row, col;
    const gk__cell *c = NULL;
    if (t && gk__cell_ref_locate(&refs[i], t->def, &row, &col))
      c = gk__table_cell(t, row, col);
    if (c && c->state == GK_CELL_VALUE && c->scale <= GK_MAX_SCALE) {
      put_u8(&b, &st, (uint8_t)(1 + c->scale));
      put_varint(&b, &st, c->value);
    } else {
      put_u8(&b, &st, 0);
    }
  }
  for (size_t i = 0; i < r->n_diags; i++) {
    const gk_diag *d = &r->diags[i];
    put_str(&b, &st, d->rule);
    put_str(&b, &st, d->path);
    put_str(&b, &st, d->message);
    put_u8(&b, &st, (uint8_t)d->severity);
    put_u32(&b, &st, d->line);
    put_u32(&b, &st, d->page);
    put_u8(&b, &st, d->has_expected != 0);
    put_i64(&b, &st, d->expected);
    put_i64(&b, &st, d->actual);
  }
  if (st != GK_OK) {
    gk__buf_free(&b);
    return st == GK_ETOOBIG ? GK_ELIMIT : st;
  }
  *out = gk__buf_detach(&b, len);
  return GK_OK;
}

/* ----------------------------------------------------------- unpacking */

typedef struct reader {
  const char *p, *end;
  bool ok;
} reader;

static void get(reader *rd, void *out, size_t n) {
  if (!rd->ok || (size_t)(rd->end - rd->p) < n) {
    rd->ok = false;
    memset(out, 0, n);
    return;
  }
  memcpy(out, rd->p, n);
  rd->p += n;
}

static uint8_t get_u8(reader *rd) {
  uint8_t v;
  get(rd, &v, 1);
  return v;
}
static uint32_t get_u32(reader *rd) {
  uint32_t v;
  get(rd, &v, sizeof v);
  return v;
}
static int64_t get_i64(reader *rd) {
  int64_t v;
  get(rd, &v, sizeof v);
  return v;
}
static int64_t get_varint(reader *rd) {
  uint64_t z = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    uint8_t byte = get_u8(rd);
    if (!rd->ok)
      return 0;
    z |= (uint64_t)(byte & 0x7F) << shift;
    if (!(byte & 0x80))
      return (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
  }
  rd->ok = false; /* more than ten bytes: not a value of ours */
  return 0;
}

static const char *get_str(reader *rd) {
  uint32_t n = get_u32(rd);
  if (!rd->ok || (size_t)(rd->end - rd->p) < (size_t)n + 1 ||
      rd->p[n] != '\0') {
    rd->ok = false;
    return "";
  }
  const char *s = rd->p;
  rd->p += (size_t)n + 1;
  return s;
}

bool gk__row_finding_next(const gk__row *row, const char **cursor,
                          gk__row_finding *f) {
  reader rd = {*cursor, row->end, true};
  f->rule = get_str(&rd);
  f->path = get_str(&rd);
  f->message = get_str(&rd);
  uint8_t sev = get_u8(&rd);
  f->severity = sev <= GK_SEV_ERROR ? (gk_severity)sev : GK_SEV_ERROR;
  f->line = get_u32(&rd);
  f->page = get_u32(&rd);
  f->has_expected = get_u8(&rd) != 0;
  f->expected = get_i64(&rd);
  f->actual = get_i64(&rd);
  if (!rd.ok)
    return false;
  *cursor = rd.p;
  return true;
}

/* Unpacks a row into *row, its cells into w->cells; false when the bytes
 * are not a whole row with this writer's cells. */
static bool unpack(gk_table_writer *w, const char *bytes, size_t len,
                   gk__row *row) {
  reader rd = {bytes, bytes + len, true};
  char magic[sizeof row_magic];
  get(&rd, magic, sizeof magic);
  if (!rd.ok || memcmp(magic, row_magic, sizeof magic) != 0)
    return false;
  uint32_t n_cells = get_u32(&rd);
  uint32_t n_findings = get_u32(&rd);
  if (!rd.ok || n_cells != w->n_refs)
    return false;
  memset(row, 0, sizeof *row);
  for (int col = 0; col < GK_N_META_COLS; col++) {
    if (is_number_col(col)) {
      row->has_number[col] = get_u8(&rd) != 0;
      row->number[col] = get_i64(&rd);
    } else {
      row->text[col] = get_str(&rd);
    }
  }
  for (uint32_t i = 0; i < n_cells; i++) {
    gk__row_cell *c = &w->cells[i];
    uint8_t tag = get_u8(&rd);
    if (tag > 1 + GK_MAX_SCALE)
      return false;
    c->has = tag != 0;
    c->scale = c->has ? (uint8_t)(tag - 1) : 0;
    c->value = c->has ? get_varint(&rd) : 0;
  }
  if (!rd.ok)
    return false;
  row->cells = w->cells;
  row->n_cells = n_cells;
  row->n_findings = n_findings;
  row->findings = rd.p;
  row->end = rd.end;
  /* Every finding must be whole, so that the writers need not care. */
  const char *cur = row->findings;
  gk__row_finding f;
  for (uint32_t i = 0; i < n_findings; i++)
    if (!gk__row_finding_next(row, &cur, &f))
      return false;
  return cur == rd.end;
}

/* ------------------------------------------------------- the temp file */

gk_status gk__write_status(int e) {
  switch (e) {
  case ENOSPC:
  case EDQUOT:
  case EFBIG: /* over the file size limit (RLIMIT_FSIZE): no room either */
    return GK_ENOSPC;
  case EACCES:
  case EPERM:
  case EROFS:
    return GK_EACCES;
  default:
    return GK_EWRITE;
  }
}

/* Creates PATH.tmp.XXXXXX exclusively (mode 0666 less the umask, as the
 * final file should have); the name in *tmp_out, the descriptor in *fd. */
static gk_status make_temp(const char *path, char **tmp_out, int *fd) {
  static const char alphabet[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  size_t plen = strlen(path);
  char *tmp = malloc(plen + sizeof ".tmp.XXXXXX");
  if (!tmp)
    return GK_ENOMEM;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  /* No shared state: the seed mixes the time, the process and an address
   * of this call, so two writers in one process get different names, and
   * O_EXCL settles any collision. */
  uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
               ((uint64_t)getpid() << 40) ^ (uint64_t)(uintptr_t)&ts;
  for (int attempt = 0; attempt < TEMP_NAME_TRIES; attempt++) {
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp.", 5);
    for (int i = 0; i < 6; i++) {
      x ^= x << 13; /* xorshift64 */
      x ^= x >> 7;
      x ^= x << 17;
      tmp[plen + 5 + i] = alphabet[x % (sizeof alphabet - 1)];
    }
    tmp[plen + 11] = '\0';
    int f = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (f >= 0) {
      *tmp_out = tmp;
      *fd = f;
      return GK_OK;
    }
    if (errno != EEXIST)
      break;
  }
  int e = errno;
  free(tmp);
  return gk__write_status(e);
}

/* Flushes a finished file's data to disk by name. */
static bool sync_path(const char *p) {
  int fd = open(p, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  bool ok = fsync(fd) == 0;
  return close(fd) == 0 && ok;
}

/* Flushes the directory holding `path`, so that the rename is on disk
 * too.  Best effort: some file systems refuse to fsync a directory. */
static void sync_dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  char *dir = slash ? strndup(path, (size_t)(slash - path + 1)) : strdup(".");
  if (!dir)
    return;
  int fd = open(dir, O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    (void)fsync(fd);
    close(fd);
  }
  free(dir);
}

/* An output path that exists and is no regular file: a temporary file
 * renamed over it would replace the device or FIFO itself (as root,
 * /dev/null).  CSV is written in place into a FIFO or a character device
 * (`--csv /dev/stdout`, a pipe), opened without blocking: a FIFO that no
 * one reads is refused (GK_EWRITE) rather than waited on.  Anything else
 * (XLSX, which is written by name and must be seekable; a socket; a block
 * device) is refused with GK_EUNSUPPORTED, a folder with GK_EISDIR; the
 * path is left as it was.  *in_place says whether *fd was opened. */
static gk_status open_special(const char *path, gk_table_format format, int *fd,
                              bool *in_place) {
  struct stat sb;
  *in_place = false;
  if (stat(path, &sb) != 0 || S_ISREG(sb.st_mode))
    return GK_OK; /* absent or a regular file: the temporary file and rename */
  if (S_ISDIR(sb.st_mode))
    return GK_EISDIR;
  if (format != GK_TABLE_CSV || !(S_ISFIFO(sb.st_mode) || S_ISCHR(sb.st_mode)))
    return GK_EUNSUPPORTED;
  int f = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (f < 0)
    return errno == ENXIO ? GK_EWRITE : gk__write_status(errno);
  int fl = fcntl(f, F_GETFL);
  if (fl < 0 || fcntl(f, F_SETFL, fl & ~O_NONBLOCK) != 0) {
    int e = errno;
    close(f);
    return gk__write_status(e);
  }
  *fd = f;
  *in_place = true;
  return GK_OK;
}

/* -------------------------------------------------------------- writer */

gk_status gk_table_writer_open(const char *path, gk_table_format format,
                               unsigned flags, gk_table_writer **out) {
  if (!out)
    return GK_EINVAL;
  *out = NULL;
  if (!path || !*path || (format != GK_TABLE_CSV && format != GK_TABLE_XLSX))
    return GK_EINVAL;
  bool to_stdout = strcmp(path, "-") == 0;
  if (to_stdout && format != GK_TABLE_CSV)
    return GK_EINVAL;
  gk_table_writer *w = calloc(1, sizeof *w);
  if (!w)
    return GK_ENOMEM;
  w->format = format;
  w->flags = flags;
  w->n_refs = gk__cell_refs(GK_EDITION_UNKNOWN, w->refs, GK_MAX_CELLS);
  w->path = strdup(path);
  gk_status st = w->path ? GK_OK : GK_ENOMEM;
  if (st == GK_OK && w->n_refs > GK_MAX_CELLS)
    st = GK_EINTERNAL;
  int fd = -1;
  if (st == GK_OK && !to_stdout)
    st = open_special(path, format, &fd, &w->in_place);
  if (st == GK_OK && !to_stdout && !w->in_place)
    st = make_temp(path, &w->tmp_path, &fd);
  if (st == GK_OK && format == GK_TABLE_CSV) {
    w->f = to_stdout ? stdout : fdopen(fd, "wb");
    if (!w->f)
      st = GK_ENOMEM;
    else
      fd = -1;
  }
  if (fd >= 0)
    close(fd); /* XLSX: libxlsxwriter writes the file by name */
  if (st == GK_OK)
    st = format == GK_TABLE_CSV ? gk__csv_begin(w) : gk__xlsx_begin(w);
  if (st != GK_OK) {
    gk_table_writer_discard(w);
    return st;
  }
  *out = w;
  return GK_OK;
}

gk_status gk_table_writer_add_row(gk_table_writer *w, const char *bytes,
                                  size_t len) {
  if (!w || !bytes)
    return GK_EINVAL;
  if (w->failed)
    return w->fail_st;
  gk__row row;
  if (!unpack(w, bytes, len, &row))
    return GK_EINVAL; /* a bad row is the caller's mistake: not sticky */
  gk_status st =
      w->format == GK_TABLE_CSV ? gk__csv_row(w, &row) : gk__xlsx_row(w, &row);
  if (st != GK_OK) {
    w->failed = true;
    w->fail_st = st;
  }
  return st;
}

gk_status gk_table_writer_add(gk_table_writer *w, const gk_report *report,
                              const char *source, const char *prev_source) {
  if (!w || !report)
    return GK_EINVAL;
  char *row = NULL;
  size_t len = 0;
  gk_status st = gk_table_row_pack(report, source, prev_source, &row, &len);
  if (st == GK_OK)
    st = gk_table_writer_add_row(w, row, len);
  free(row);
  return st;
}

gk_status gk_table_writer_add_review(gk_table_writer *w,
                                     const gk_review_row *row) {
  if (!w || !row)
    return GK_EINVAL;
  if (w->format != GK_TABLE_XLSX)
    return GK_EUNSUPPORTED;
  if (w->failed)
    return GK_EIO;
  gk_status st = gk__xlsx_review(w, row);
  if (st != GK_OK)
    w->failed = true;
  return st;
}

const char *gk_table_writer_temp_path(const gk_table_writer *w) {
  return w ? w->tmp_path : NULL;
}

static void free_writer(gk_table_writer *w) {
  free(w->path);
  free(w->tmp_path);
  free(w);
}

gk_status gk_table_writer_close(gk_table_writer *w) {
  if (!w)
    return GK_EINVAL;
  gk_status st = w->failed ? w->fail_st : GK_OK;
  if (w->format == GK_TABLE_CSV) {
    if (st == GK_OK)
      st = gk__csv_end(w);
    if (w->f && w->f != stdout) {
      /* (A FIFO or a device has nothing to sync.) */
      if (st == GK_OK &&
          (fflush(w->f) != 0 || (!w->in_place && fsync(fileno(w->f)) != 0)))
        st = gk__write_status(errno);
      if (fclose(w->f) != 0 && st == GK_OK)
        st = gk__write_status(errno);
    } else if (w->f && fflush(w->f) != 0 && st == GK_OK) {
      st = gk__write_status(errno);
    }
    w->f = NULL;
  } else if (st == GK_OK) {
    st = gk__xlsx_end(w);
    if (st == GK_OK && !sync_path(w->tmp_path))
      st = gk__write_status(errno);
  } else {
    gk__xlsx_discard(w);
  }
  if (w->tmp_path) {
    if (st == GK_OK && rename(w->tmp_path, w->path) != 0)
      st = gk__write_status(errno);
    if (st == GK_OK)
      sync_dir_of(w->path);
    else
      unlink(w->tmp_path);
  }
  free_writer(w);
  return st;
}

void gk_table_writer_discard(gk_table_writer *w) {
  if (!w)
    return;
  if (w->f && w->f != stdout)
    fclose(w->f);
  if (w->format == GK_TABLE_XLSX)
    gk__xlsx_discard(w);
  if (w->tmp_path)
    unlink(w->tmp_path);
  free_writer(w);
}
