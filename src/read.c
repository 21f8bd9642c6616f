/*
 * read.c - the public entry points that read: a file or a buffer into a
 * report, and a model (JSON, or the blank template) into a report.
 *
 * Reading is: check the size, recognise the format from the first bytes,
 * convert text to UTF-8, run the format's reader to get a layout, run the
 * parser.  Formats whose reader does not exist yet are refused with
 * GK_EUNSUPPORTED and a phrase naming them, so a user learns at once what
 * the file is.
 *
 * This is the floor above the readers (src/readers/) and the parser
 * (src/parse/): it is the one file that calls both, so neither includes
 * the other.  model.c, the floor under everything, keeps the diagnostics
 * and the accessors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"
#include "parse/parse.h"
#include "parse/prose.h"
#include "readers/readers.h"

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

/* Whether s is a SHA-256 as gk_read_options.sha256 takes it: 64
 * lowercase hex digits and the end. */
static bool sha256_given(const char *s) {
  if (!s)
    return false;
  for (int i = 0; i < 64; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return false;
  return s[64] == '\0';
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
  if (opts && sha256_given(opts->sha256))
    memcpy(r->sha256, opts->sha256, 65);
  else
    gk__sha256_hex(data, len, r->sha256);
  const char *why = NULL;
  bool crawler = false;
  /* The text reader's runs are pieces of its text, so their bytes are at
   * most the text's: under the text limit, the sum below cannot pass it. */
  bool runs_bounded = false;
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
     * its bytes and a diagnostic, not the whole file.  (0 for valid
     * UTF-8, which the last character alone shows: gk__to_utf8()
     * validates the text once.) */
    size_t cut = gk__utf8_cut_tail(data, len);
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
      runs_bounded = text_len <= GK_MAX_TEXT_BYTES;
    }
  }
  }
  /* The readers copy what they keep into the arena (the text reader
   * keeps pointers into the converted copy, which is in the arena too). */
  free(data);
  if (st == GK_OK && !runs_bounded) {
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

/* ------------------------------------------------------------- models */

/* The parser's last passes over a report read from its model
 * (readers/read_model.c says which): the prose over the lines the model
 * recorded, or the text as written and the prose over the layout the
 * reader made from the model's text. */
static gk_status model_passes(gk_report *r, const gk__model_passes *mp) {
  if (mp->prose_from_lines)
    return gk__parse_prose_lines(r, mp->lines, mp->mentions_accountability);
  if (!mp->written_and_prose)
    return GK_OK;
  gk_status st = gk__parse_written(r, NULL);
  if (st == GK_OK)
    st = gk__parse_prose(r, NULL);
  return st;
}

gk_status gk_read_model_json(const char *json, size_t len, gk_report **out,
                             const char **detail) {
  if (detail)
    *detail = NULL;
  if (!out)
    return GK_EINVAL;
  *out = NULL;
  gk__model_passes mp;
  gk_report *r = NULL;
  gk_status st = gk__read_model(json, len, &r, &mp, detail);
  if (st != GK_OK)
    return st;
  st = model_passes(r, &mp);
  if (st == GK_OK && gk__arena_failed(&r->arena))
    st = GK_ENOMEM;
  if (st != GK_OK) {
    gk_report_free(r);
    if (detail)
      *detail = "内存不足";
    return st;
  }
  *out = r;
  return GK_OK;
}

gk_status gk_report_template(int year, const char *agency, gk_report **out) {
  gk__model_passes mp;
  gk_status st = gk__model_template(year, agency, out, &mp);
  if (st != GK_OK)
    return st;
  st = model_passes(*out, &mp);
  if (st != GK_OK) {
    gk_report_free(*out);
    *out = NULL;
  }
  return st;
}
