/*
 * output_guard.c - never overwrite an output file of another kind.
 *
 * Every command that writes a file (render -o, table --csv / --xlsx)
 * asks gk_cli_guard_output() first: an existing regular file whose first
 * bytes say it holds another kind of content (a Word document about to
 * become CSV, a text report about to become an XLSX workbook) is kept
 * unless --force, with one line naming both kinds.  Only regular files are
 * opened: a device, a FIFO or a socket is not sniffed (opening a FIFO with
 * no writer would block, and a device is no document); the writers decide
 * what to do with those.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* Bytes sniffed from the start of an existing file: 64 KiB.  A ZIP's
 * first local headers (where "word/" or "xl/" names tell a DOCX from an
 * XLSX) and a text's first line are well inside it; reading more would
 * only cost time on a large file about to be replaced. */
#define GUARD_SNIFF_BYTES ((size_t)64 << 10)

/* Whether [p, p + n) contains the string s. */
static bool has_bytes(const unsigned char *p, size_t n, const char *s) {
  size_t m = strlen(s);
  for (size_t i = 0; m <= n && i + m <= n; i++)
    if (p[i] == (unsigned char)s[0] && memcmp(p + i, s, m) == 0)
      return true;
  return false;
}

/* Whether the first line of a text looks like a CSV header: two commas or
 * more and no sentence punctuation.  A report's first line is a title or
 * a sentence, without commas between fields. */
static bool looks_like_csv(const unsigned char *b, size_t n) {
  size_t commas = 0;
  for (size_t i = 0; i < n && b[i] != '\n' && b[i] != '\r'; i++) {
    if (b[i] == ',')
      commas++;
    /* 。 (E3 80 82) ends a sentence. */
    if (i + 2 < n && b[i] == 0xE3 && b[i + 1] == 0x80 && b[i + 2] == 0x82)
      return false;
  }
  return commas >= 2;
}

const char *gk_cli_output_kind(const char *path) {
  struct stat sb;
  if (!path || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
    return NULL;
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    return NULL;
  unsigned char b[GUARD_SNIFF_BYTES];
  size_t n = 0;
  while (n < sizeof b) {
    ssize_t k = read(fd, b + n, sizeof b - n);
    if (k <= 0)
      break;
    n += (size_t)k;
  }
  close(fd);
  if (n == 0)
    return NULL;
  if (n >= 4 && memcmp(b, "PK\x03\x04", 4) == 0) {
    if (has_bytes(b, n, "word/"))
      return "docx";
    if (has_bytes(b, n, "xl/"))
      return "xlsx";
    return "zip";
  }
  if (n >= 5 && memcmp(b, "%PDF-", 5) == 0)
    return "pdf";
  for (size_t k = 0; k < n; k++)
    if (b[k] == 0)
      return "binary";
  size_t i = n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
    i++;
  if (i < n && b[i] == '<')
    return "html";
  if (i < n && b[i] == '{')
    return "json";
  if (looks_like_csv(b + i, n - i))
    return "csv";
  return "text";
}

const char *gk_cli_kind_label(const char *kind) {
  static const char *const labels[][2] = {
      {"docx", "Word 文档（DOCX）"}, {"xlsx", "Excel 工作簿（XLSX）"},
      {"zip", "ZIP 压缩文件"},       {"pdf", "PDF 文件"},
      {"html", "HTML 网页"},         {"json", "JSON 模型"},
      {"csv", "CSV 表格"},           {"text", "文本文件"},
      {"binary", "二进制文件"}};
  for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
    if (strcmp(kind, labels[i][0]) == 0)
      return labels[i][1];
  return kind;
}

int gk_cli_guard_output(const char *cmd, const char *path, const char *will,
                        bool force) {
  if (force || !path || strcmp(path, "-") == 0)
    return EXIT_OK;
  const char *has = gk_cli_output_kind(path);
  if (!has || strcmp(has, will) == 0)
    return EXIT_OK;
  fprintf(stderr,
          "gongkai: %s: %s 已存在且是%s，本次将写入%s，"
          "未覆盖（确需覆盖请加 --force）\n",
          cmd, path, gk_cli_kind_label(has), gk_cli_kind_label(will));
  return EXIT_USAGE;
}
