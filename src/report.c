/*
 * report.c - the public entry points of gongkai.h: reading a file or a
 * buffer into a report, and what a report exposes.
 *
 * Reading is: check the size, recognise the format from the first bytes,
 * convert text to UTF-8, run the format's reader to get a layout, run the
 * parser.  Formats whose reader does not exist yet are refused with
 * GK_EUNSUPPORTED and a phrase naming them, so a user learns at once what
 * the file is.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"
#include "parse/parse.h"

/* ------------------------------------------------------- diagnostics */

static gk_diag *diag_vadd(gk_report *r, const char *rule, gk_severity sev,
                          uint32_t line, const char *path, const char *fmt,
                          va_list ap0) {
  if (r->n_diags == r->cap_diags) {
    size_t cap = r->cap_diags ? r->cap_diags * 2 : 16;
    gk_diag *d = gk__arena_alloc(&r->arena, cap * sizeof *d);
    if (!d)
      return NULL;
    if (r->n_diags)
      memcpy(d, r->diags, r->n_diags * sizeof *d);
    r->diags = d;
    r->cap_diags = cap;
  }
  va_list ap;
  va_copy(ap, ap0);
  char small[512];
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0)
    return NULL;
  char *msg = gk__arena_alloc(&r->arena, (size_t)n + 1);
  if (!msg)
    return NULL;
  if ((size_t)n < sizeof small) {
    memcpy(msg, small, (size_t)n + 1);
  } else {
    va_copy(ap, ap0);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  gk_diag *d = &r->diags[r->n_diags++];
  memset(d, 0, sizeof *d);
  d->rule = rule;
  d->severity = sev;
  d->message = msg;
  d->line = line;
  d->path = path;
  d->page = gk__report_page(r, line);
  return d;
}

uint32_t gk__report_page(const gk_report *r, uint32_t line) {
  uint32_t page = gk__layout_page(&r->layout, line);
  for (size_t i = 0; !page && line && i < r->n_page_spans; i++)
    if (line >= r->page_spans[i].first && line <= r->page_spans[i].last)
      page = r->page_spans[i].page;
  return page;
}

gk_diag *gk__diag_add(gk_report *r, const char *rule, gk_severity sev,
                      uint32_t line, const char *path, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  gk_diag *d = diag_vadd(r, rule, sev, line, path, fmt, ap);
  va_end(ap);
  return d;
}

gk_diag *gk__diag_rule(gk_report *r, gk__rule rule, uint32_t line,
                       const char *path, const char *fmt, ...) {
  const gk_rule_info *ri = gk__rule_info(rule);
  va_list ap;
  va_start(ap, fmt);
  gk_diag *d = diag_vadd(r, ri->id, ri->severity, line, path, fmt, ap);
  va_end(ap);
  return d;
}

void gk__report_sort_diags(gk_report *r) {
  /* Insertion sort: stable, and diagnostics come nearly in order. */
  for (size_t i = 1; i < r->n_diags; i++) {
    gk_diag d = r->diags[i];
    uint32_t key = d.line ? d.line : UINT32_MAX;
    size_t j = i;
    while (j > 0) {
      uint32_t pk = r->diags[j - 1].line ? r->diags[j - 1].line : UINT32_MAX;
      if (pk <= key)
        break;
      r->diags[j] = r->diags[j - 1];
      j--;
    }
    r->diags[j] = d;
  }
}

const gk__section *gk__report_part(const gk_report *r, int number) {
  for (size_t i = 0; i < r->n_sections; i++)
    if (r->sections[i].pub.number == number)
      return &r->sections[i];
  return NULL;
}

/* ------------------------------------------------------------ reading */

/* What the first bytes say an input is. */
typedef enum {
  FMT_TEXT = 0, /* text, maybe Markdown: decided after conversion */
  FMT_HTML,
  FMT_PDF,
  FMT_ZIP,   /* DOCX, or some other archive: the DOCX reader decides */
  FMT_MODEL, /* the JSON model gongkai writes (gk_read_model_json) */
  FMT_REFUSED
} input_format;

/* Bytes of a JSON object searched for its "schema" member: gongkai writes
 * it first, and a model edited by hand keeps it near the top. */
#define MODEL_SNIFF_BYTES 256

/* Whether the bytes are a JSON object naming the model's schema
 * ("schema": "gongkai.report/1") within its first MODEL_SNIFF_BYTES,
 * after an optional BOM and white space.  Any other schema is a model
 * too: the model reader refuses it with a message naming it. */
static bool sniff_model(const unsigned char *d, size_t len) {
  size_t i = 0;
  if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
    i = 3;
  while (i < len &&
         (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
    i++;
  if (i >= len || d[i] != '{')
    return false;
  size_t end = len - i < MODEL_SNIFF_BYTES ? len : i + MODEL_SNIFF_BYTES;
  static const char key[] = "\"schema\"";
  size_t kl = sizeof key - 1;
  for (size_t q = i + 1; q + kl <= end; q++) {
    if (memcmp(d + q, key, kl) != 0)
      continue;
    q += kl;
    while (q < end && (d[q] == ' ' || d[q] == '\t' || d[q] == '\r' ||
                       d[q] == '\n' || d[q] == ':'))
      q++;
    static const char val[] = "\"gongkai.";
    return end - q >= sizeof val - 1 && memcmp(d + q, val, sizeof val - 1) == 0;
  }
  return false;
}

/* Recognises a format from its first bytes.  For a refused input sets
 * *st and *what (the phrase naming what it is). */
static input_format sniff(const unsigned char *d, size_t len, gk_status *st,
                          const char **what) {
  *st = GK_EUNSUPPORTED;
  *what = NULL;
  if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
    *what = "PNG 图像";
  else if (len >= 3 && memcmp(d, "\xff\xd8\xff", 3) == 0)
    *what = "JPEG 图像";
  else if (len >= 6 &&
           (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0))
    *what = "GIF 图像";
  else if (len >= 8 && memcmp(d, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
    *what = "旧版 Word/Excel 文档（.doc/.xls），请另存为 .docx 或 PDF";
  else if (len >= 4 && memcmp(d,
                              "\x7f"
                              "ELF",
                              4) == 0)
    *what = "可执行程序";
  else if (len >= 2 && memcmp(d, "\x1f\x8b", 2) == 0)
    *what = "gzip 压缩文件";
  if (*what)
    return FMT_REFUSED;
  if (sniff_model(d, len)) {
    *st = GK_OK;
    return FMT_MODEL;
  }
  if (len >= 5 && memcmp(d, "%PDF-", 5) == 0)
    return FMT_PDF;
  if (len >= 4 && memcmp(d, "PK\x03\x04", 4) == 0)
    return FMT_ZIP;
  /* HTML: after optional BOM and white space, a tag. */
  size_t i = 0;
  if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
    i = 3;
  while (i < len &&
         (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
    i++;
  if (i < len && d[i] == '<') {
    static const char *const tags[] = {"<!doctype html", "<html", "<head",
                                       "<meta",          "<!--",  "<body",
                                       "<div",           "<?xml", NULL};
    for (int t = 0; tags[t]; t++) {
      size_t n = strlen(tags[t]);
      if (len - i >= n && strncasecmp((const char *)d + i, tags[t], n) == 0)
        return FMT_HTML;
    }
  }
  /* Markup anywhere (HTML pasted into a JavaScript string, a page saved
   * without its <html>): table tags carry numbers in their attributes
   * (<td width=89>), so such text must never be read as plain text. */
  static const char *const cells[] = {"<td", "<tr", "<table", NULL};
  size_t scan = len < ((size_t)1 << 20) ? len : ((size_t)1 << 20);
  for (size_t q = 0; q + 3 <= scan; q++) {
    const unsigned char *lt = memchr(d + q, '<', scan - q - 2);
    if (!lt)
      break;
    q = (size_t)(lt - d);
    for (int t = 0; cells[t]; t++) {
      size_t n = strlen(cells[t]);
      if (scan - q >= n + 1 &&
          strncasecmp((const char *)d + q, cells[t], n) == 0 &&
          (d[q + n] == '>' || d[q + n] == ' ' || d[q + n] == '\\' ||
           d[q + n] == '\t' || d[q + n] == '\r' || d[q + n] == '\n'))
        return FMT_HTML;
    }
  }
  /* UTF-16 text has NULs; anything else with NULs is binary. */
  bool utf16 = len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) ||
                            (d[0] == 0xFE && d[1] == 0xFF));
  if (!utf16 && memchr(d, 0, len < 65536 ? len : 65536)) {
    *st = GK_EBINARY;
    *what = "文件中含有 NUL 字节";
    return FMT_REFUSED;
  }
  *st = GK_OK;
  return FMT_TEXT;
}

static gk_status read_owned(char *data, size_t len, const char *name,
                            const gk_read_options *opts, gk_report **out,
                            const char **detail) {
  gk_status st;
  const char *what = NULL;
  input_format fmt = sniff((const unsigned char *)data, len, &st, &what);
  if (fmt == FMT_REFUSED) {
    free(data);
    if (detail)
      *detail = what;
    return st;
  }
  if (fmt == FMT_MODEL) {
    /* A model is read as it states itself, source fields included, and
     * checked like the report it came from. */
    st = gk_read_model_json(data, len, out, detail);
    free(data);
    return st;
  }
  gk_report *r = calloc(1, sizeof *r);
  if (!r) {
    free(data);
    return GK_ENOMEM;
  }
  gk__arena_init(&r->arena);
  if (opts && opts->max_memory)
    r->arena.cap = opts->max_memory;
  r->source_name = gk__arena_strdup(&r->arena, name ? name : "-");
  r->source_bytes = len;
  gk__sha256_hex(data, len, r->sha256);
  const char *why = NULL;
  bool crawler = false;
  if (fmt == FMT_TEXT && gk__looks_like_crawler(data, len)) {
    r->source_format = "crawler";
    st = gk__read_crawler(r, data, len, &r->layout, &why);
    crawler = st != GK_EUNSUPPORTED;
    if (!crawler)
      memset(&r->layout, 0, sizeof r->layout);
  }
  switch (crawler ? FMT_REFUSED : fmt) {
  case FMT_REFUSED:
    break; /* read above */
  case FMT_HTML:
    r->source_format = "html";
    st = gk__read_html(r, data, len, &r->layout, &why);
    break;
  case FMT_PDF:
    r->source_format = "pdf";
    st = gk__read_pdf(r, data, len, &r->layout, &why);
    break;
  case FMT_ZIP:
    r->source_format = "docx";
    st = gk__read_docx(r, data, len, &r->layout, &why);
    break;
  default: {
    char *text = NULL;
    size_t text_len = 0;
    /* A character cut off at the very end (a truncated download) costs
     * its bytes and a diagnostic, not the whole file. */
    size_t cut = gk__utf8_valid(data, len) ? 0 : gk__utf8_cut_tail(data, len);
    st =
        gk__to_utf8(&r->arena, data, len - cut, &text, &text_len, &r->encoding);
    r->cut_tail = cut;
    if (st == GK_EENCODING)
      why = "既不是 UTF-8、带 BOM 的 UTF-16，也不是 GB18030/GBK";
    if (st != GK_OK)
      break;
    if (gk__looks_like_markdown(text, text_len)) {
      r->source_format = "markdown";
      st = gk__read_markdown(r, text, text_len, &r->layout, &why);
    } else if (gk__text_holds_several_reports(text, text_len)) {
      r->source_format = "text";
      st = GK_EUNSUPPORTED;
      why = "一个文件中有多份报告（爬虫导出的 CSV，每行一份），"
            "请拆分为每份报告一个文件后再读取";
    } else {
      r->source_format = "text";
      st = gk__read_text(&r->arena, text, text_len, &r->layout);
    }
  }
  }
  /* The readers copy what they keep into the arena (the text reader
   * keeps pointers into the converted copy, which is in the arena too). */
  free(data);
  if (st == GK_OK) {
    /* The text limit (see GK_MAX_TEXT_BYTES): refused before the parser
     * spends memory in proportion to it. */
    size_t text_bytes = 0;
    for (size_t ri = 0; ri < r->layout.n_runs; ri++)
      text_bytes += r->layout.runs[ri].len;
    if (text_bytes > GK_MAX_TEXT_BYTES) {
      st = GK_ELIMIT;
      why = "报告文字超过单份报告的上限（8 MiB）";
    }
  }
  if (detail)
    *detail = why;
  if (st != GK_OK)
    goto fail;
  if (r->cut_tail)
    gk__diag_add(
        r, "source.truncated", GK_SEV_WARNING,
        r->layout.n_lines ? r->layout.lines[r->layout.n_lines - 1].lineno : 0,
        NULL,
        "文件末尾有 %zu 个字节是一个不完整的字符（文件可能在下载或"
        "复制时被截断），已舍去；请核对报告的结尾是否完整",
        r->cut_tail);
  st = gk__parse_report(r);
  if (st != GK_OK)
    goto fail;
  if (crawler)
    gk__crawler_fallbacks(r);
  *out = r;
  return GK_OK;
fail:
  /* Over the per-report budget: the input is too big to handle, which is
   * the input's limit, not the machine's memory running out. */
  if (st == GK_ENOMEM && r->arena.capped) {
    st = GK_ELIMIT;
    if (detail)
      *detail = r->arena.cap
                    ? "处理该报告所需内存超过设定的上限"
                    : "处理该报告所需内存超过单份报告的上限（256 MiB）";
  }
  gk_report_free(r);
  return st;
}

gk_status gk_read_buffer(const void *data, size_t len, const char *name,
                         const gk_read_options *opts, gk_report **out,
                         const char **detail) {
  if (detail)
    *detail = NULL;
  if (!out || (!data && len))
    return GK_EINVAL;
  *out = NULL;
  size_t max = opts && opts->max_bytes ? opts->max_bytes : GK_MAX_INPUT_BYTES;
  if (len > max) {
    if (detail)
      *detail = "超过输入大小上限（默认 64 MiB）";
    return GK_ETOOBIG;
  }
  if (len == 0)
    return GK_EEMPTY;
  char *copy = malloc(len);
  if (!copy)
    return GK_ENOMEM;
  memcpy(copy, data, len);
  return read_owned(copy, len, name, opts, out, detail);
}

gk_status gk_read_file(const char *path, const gk_read_options *opts,
                       gk_report **out, const char **detail) {
  if (detail)
    *detail = NULL;
  if (!path || !out)
    return GK_EINVAL;
  *out = NULL;
  size_t max = opts && opts->max_bytes ? opts->max_bytes : GK_MAX_INPUT_BYTES;
  /* Opened without blocking: open() on a FIFO with no writer would wait
   * for one forever.  What the file is decides the rest (fstat, not a
   * stat before the open, so it is the file that is read). */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    return errno == ENOENT || errno == ENOTDIR ? GK_ENOENT : GK_EIO;
  struct stat sb;
  if (fstat(fd, &sb) != 0) {
    close(fd);
    return GK_EIO;
  }
  if (S_ISDIR(sb.st_mode)) {
    close(fd);
    return GK_EISDIR;
  }
  /* Sockets and devices are not reports (a terminal or /dev/zero would be
   * read until the cap); a pipe is, as `gongkai parse <(…)` gives one. */
  if (!S_ISREG(sb.st_mode) && !S_ISFIFO(sb.st_mode)) {
    close(fd);
    if (detail)
      *detail = S_ISSOCK(sb.st_mode) ? "是套接字，不是普通文件"
                                     : "是设备文件，不是普通文件";
    return GK_EUNSUPPORTED;
  }
  /* A pipe is read blocking from here on: with a writer, until it closes;
   * with none (a FIFO nobody opened for writing), read() says end of file
   * at once. */
  if (S_ISFIFO(sb.st_mode)) {
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
      close(fd);
      return GK_EIO;
    }
  }
  /* Regular files are refused by size before anything is read; pipes and
   * devices are read up to the cap. */
  if (S_ISREG(sb.st_mode) && (uint64_t)sb.st_size > (uint64_t)max) {
    close(fd);
    if (detail)
      *detail = "超过输入大小上限（默认 64 MiB）";
    return GK_ETOOBIG;
  }
  /* A regular file is read straight into a buffer of its size: one read
   * call, no copy.  Bytes it gained since fstat() are not read (a file
   * being appended to is read as it was); a file that shrank while being
   * read is an error, not a report of what was read: it was truncated or
   * rewritten under us. */
  if (S_ISREG(sb.st_mode) && sb.st_size > 0) {
    size_t size = (size_t)sb.st_size, got = 0;
    char *data = malloc(size);
    if (!data) {
      close(fd);
      return GK_ENOMEM;
    }
    while (got < size) {
      ssize_t n = read(fd, data + got, size - got);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0) {
        gk_status st = errno == EISDIR ? GK_EISDIR : GK_EIO;
        close(fd);
        free(data);
        return st;
      }
      if (n == 0)
        break;
      got += (size_t)n;
    }
    close(fd);
    if (got < size) {
      free(data);
      if (detail)
        *detail = "读取过程中文件变短了（被其他程序截断或改写），请稍后重试";
      return GK_EIO;
    }
    const char *base = strrchr(path, '/');
    return read_owned(data, got, base ? base + 1 : path, opts, out, detail);
  }
  gk__buf b;
  gk__buf_init(&b, max);
  char chunk[65536];
  gk_status st = GK_OK;
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      st = errno == EISDIR ? GK_EISDIR : GK_EIO;
      break;
    }
    if (n == 0)
      break;
    st = gk__buf_append(&b, chunk, (size_t)n);
    if (st != GK_OK)
      break;
  }
  close(fd);
  if (st != GK_OK) {
    gk__buf_free(&b);
    return st;
  }
  if (b.len == 0) {
    gk__buf_free(&b);
    if (detail && S_ISFIFO(sb.st_mode))
      *detail = "管道中没有数据（没有程序向它写入）";
    return GK_EEMPTY;
  }
  const char *base = strrchr(path, '/');
  size_t len;
  char *data = gk__buf_detach(&b, &len);
  return read_owned(data, len, base ? base + 1 : path, opts, out, detail);
}

void gk_report_free(gk_report *r) {
  if (!r)
    return;
  gk__arena_free(&r->arena);
  free(r);
}

/* ----------------------------------------------------------- accessors */

void gk_report_meta(const gk_report *r, gk_meta *m) {
  memset(m, 0, sizeof *m);
  m->source_name = r->source_name;
  m->source_format = r->source_format;
  m->sha256 = r->sha256;
  m->source_bytes = r->source_bytes;
  m->edition = r->edition;
  m->title = r->title;
  m->agency = r->agency;
  m->year = r->year;
  m->published = r->published;
}

size_t gk_report_section_count(const gk_report *r) { return r->n_sections; }

const gk_section *gk_report_section(const gk_report *r, size_t i) {
  return i < r->n_sections ? &r->sections[i].pub : NULL;
}

size_t gk_report_diag_count(const gk_report *r) { return r->n_diags; }

const gk_diag *gk_report_diag(const gk_report *r, size_t i) {
  return i < r->n_diags ? &r->diags[i] : NULL;
}

gk_status gk_report_cell(const gk_report *r, const char *path, int64_t *value,
                         int *scale) {
  if (!r || !path)
    return GK_EINVAL;
  /* Paths are those of the tables the parser read; a pre-2019 report has
   * none, and its paths are checked against the current edition. */
  const gk__edition_def *ed = r->tables_ed ? r->tables_ed : &gk__edition_2021;
  for (int ti = 0; ti < GK_N_TABLES; ti++) {
    const gk__tabledef *def = ed->tables[ti];
    size_t kl = strlen(def->key);
    if (strncmp(path, def->key, kl) != 0 || path[kl] != '.')
      continue;
    const char *rest = path + kl + 1;
    for (int ri = 0; ri < def->n_rows; ri++) {
      const gk__rowdef *row = &def->rows[ri];
      size_t rl = strlen(row->key);
      if (strncmp(rest, row->key, rl) != 0)
        continue;
      int ci = -1;
      if (row->scalar && rest[rl] == '\0')
        ci = 0;
      else if (!row->scalar && rest[rl] == '.')
        ci = gk__col_index(row, rest + rl + 1);
      if (ci < 0)
        continue;
      const gk__table *t = r->tables[ti];
      if (!t)
        return GK_ENOENT;
      const gk__cell *c = gk__table_cell(t, ri, ci);
      if (c->state != GK_CELL_VALUE)
        return GK_ENOENT;
      if (value)
        *value = c->value;
      if (scale)
        *scale = c->scale;
      return GK_OK;
    }
    return GK_EINVAL;
  }
  return GK_EINVAL;
}

/* ------------------------------------------------------ the source text */

/* The source text is capped like any rendered output: a layout is built
 * from at most GK_MAX_INPUT_BYTES of input, and tabs and padding lines
 * add little. */
#define GK_SOURCE_TEXT_MAX ((size_t)2 * GK_MAX_INPUT_BYTES)

gk_status gk_report_source_text(const gk_report *r, char **out, size_t *len) {
  if (!r || !out || !len)
    return GK_EINVAL;
  *out = NULL;
  gk__buf b;
  gk__buf_init(&b, GK_SOURCE_TEXT_MAX);
  gk_status st = GK_OK;
  uint32_t at = 0; /* lines written so far */
  for (size_t i = 0; i < r->layout.n_lines && st == GK_OK; i++) {
    const gk__line *ln = &r->layout.lines[i];
    if (ln->lineno == 0)
      continue; /* no source line (a template): nothing to point at */
    if (ln->lineno > at) {
      /* pad to the line's number, so line N of the text is line N */
      while (at + 1 < ln->lineno && st == GK_OK) {
        st = gk__buf_putc(&b, '\n');
        at++;
      }
      if (at > 0 && st == GK_OK)
        st = gk__buf_putc(&b, '\n');
      at++;
    } else if (at > 0 && st == GK_OK) {
      /* a second layout line on one source line (cells of one row) */
      st = gk__buf_putc(&b, '\t');
    }
    for (uint32_t k = 0; k < ln->n_runs && st == GK_OK; k++) {
      const gk__run *run = &r->layout.runs[ln->first_run + k];
      if (k > 0)
        st = gk__buf_putc(&b, '\t');
      if (st == GK_OK)
        st = gk__buf_append(&b, run->text, run->len);
    }
  }
  if (st == GK_OK && at > 0)
    st = gk__buf_putc(&b, '\n');
  if (st == GK_OK)
    st = gk__buf_putc(&b, '\0');
  if (st != GK_OK) {
    gk__buf_free(&b);
    return st == GK_ETOOBIG ? GK_ELIMIT : st;
  }
  char *data = gk__buf_detach(&b, len);
  if (!data)
    return GK_ENOMEM;
  *len -= 1; /* the NUL is not counted */
  *out = data;
  return GK_OK;
}
