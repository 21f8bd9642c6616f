/*
 * cmd_render.c - `gongkai render`: a report in the national layout, from
 * its model.
 *
 *   gongkai render [--to md|html|docx|txt] [--force] [-o OUT] DATA
 *   gongkai render --template [--year Y] [--agency NAME] [--to FMT] [-o OUT]
 *
 * DATA is the JSON model that `gongkai parse` prints (possibly edited, or
 * a filled-in template), or "-" for standard input; a report document
 * (text, Word …) is also accepted and read as `parse` reads it, so last
 * year's report can be re-rendered in the standard layout.  The checks run
 * first; errors of the arith.* and structure.* rules (tables that do not
 * add up, parts or tables missing) make render refuse with exit status 1,
 * listing them, unless --force.  Every finding is printed to standard
 * error, as a compiler prints warnings; the document goes to OUT (written
 * to a temporary file and renamed, so a failure leaves no partial file) or
 * to standard output, DOCX only when that is not a terminal.
 *
 * --template prints a blank model to fill (all counts 0, placeholder
 * prose) as pretty-printed JSON, or that blank report rendered when --to
 * or the extension of OUT names a format.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* ------------------------------------------------------------- input */

/* Reads a whole file ("-": standard input) into a malloc'd buffer, up to
 * the library's input cap plus one byte, so that the library refuses an
 * oversized input by its size. */
static gk_status slurp(const char *path, char **out, size_t *len) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f)
    return errno == ENOENT || errno == ENOTDIR ? GK_ENOENT : GK_EIO;
  struct stat sb;
  if (f != stdin && fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
    fclose(f);
    return GK_EISDIR;
  }
  char *buf = NULL;
  size_t n = 0;
  gk_status st = gk_cli_read_all(f, &buf, &n);
  if (f != stdin)
    fclose(f);
  if (st != GK_OK) {
    free(buf);
    return st;
  }
  *out = buf;
  *len = n;
  return GK_OK;
}

/* Whether the bytes are a JSON object (after a BOM and white space). */
static bool looks_like_json(const char *d, size_t len) {
  size_t i = 0;
  if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < len &&
         (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
    i++;
  return i < len && d[i] == '{';
}

/* Reads DATA: a JSON model, or a report document.  Prints the reason and
 * returns the exit code on failure. */
static int read_data(const char *path, gk_report **out) {
  char *data = NULL;
  size_t len = 0;
  gk_status st = slurp(path, &data, &len);
  const char *detail = NULL;
  if (st == GK_OK) {
    if (len == 0) {
      st = GK_EEMPTY;
    } else if (looks_like_json(data, len)) {
      st = gk_read_model_json(data, len, out, &detail);
    } else {
      const char *base = strrchr(path, '/');
      st =
          gk_read_buffer(data, len, base ? base + 1 : path, NULL, out, &detail);
    }
    free(data);
  }
  if (st == GK_OK)
    return EXIT_OK;
  fprintf(stderr, "gongkai: %s: %s%s%s\n", path, gk_strerror(st),
          detail ? "：" : "", detail ? detail : "");
  return st == GK_ENOMEM || st == GK_EINTERNAL ? EXIT_INTERNAL : EXIT_INPUT;
}

/* ------------------------------------------------------------ output */

/* Writes len bytes to path through a temporary file in the same folder,
 * renamed over path once complete: readers of path never see half a
 * document, and a failure leaves path as it was. */
static int write_atomic(const char *path, const char *data, size_t len) {
  size_t n = strlen(path);
  char *tmp = malloc(n + sizeof ".XXXXXX");
  if (!tmp) {
    fprintf(stderr, "gongkai: %s\n", gk_strerror(GK_ENOMEM));
    return EXIT_INTERNAL;
  }
  memcpy(tmp, path, n);
  memcpy(tmp + n, ".XXXXXX", sizeof ".XXXXXX");
  int fd = mkstemp(tmp);
  if (fd < 0) {
    fprintf(stderr, "gongkai: %s: 无法创建输出文件：%s\n", path,
            strerror(errno));
    free(tmp);
    return EXIT_INTERNAL;
  }
  /* mkstemp makes the file private; a document gets the usual mode. */
  mode_t mask = umask(0);
  umask(mask);
  bool ok = fchmod(fd, 0666 & ~mask) == 0;
  for (size_t off = 0; ok && off < len;) {
    ssize_t w = write(fd, data + off, len - off);
    if (w < 0 && errno == EINTR)
      continue;
    ok = w > 0;
    if (ok)
      off += (size_t)w;
  }
  int err = errno;
  ok = ok && fsync(fd) == 0;
  if (close(fd) != 0)
    ok = false;
  if (ok && rename(tmp, path) != 0)
    ok = false;
  if (!ok) {
    err = errno ? errno : err;
    unlink(tmp);
    fprintf(stderr, "gongkai: %s: 写入失败：%s\n", path, strerror(err));
  }
  free(tmp);
  return ok ? EXIT_OK : EXIT_INTERNAL;
}

static int write_stdout(const char *data, size_t len) {
  if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
    fprintf(stderr, "gongkai: 写入标准输出失败\n");
    return EXIT_INTERNAL;
  }
  return EXIT_OK;
}

/* ---------------------------------------------------------- findings */

/* Whether a finding stops the rendering: an error in the tables'
 * arithmetic or in the report's structure.  Other findings are printed
 * and the report is rendered. */
static bool blocks(const gk_diag *d) {
  return d->severity == GK_SEV_ERROR &&
         (strncmp(d->rule, "arith.", 6) == 0 ||
          strncmp(d->rule, "structure.", 10) == 0);
}

/* Prints the findings to standard error, blocking ones first, as a
 * compiler does; returns the number of blocking ones. */
static size_t print_findings(const char *path, const gk_report *r) {
  size_t n_block = 0;
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < gk_report_diag_count(r); i++) {
      const gk_diag *d = gk_report_diag(r, i);
      if (blocks(d) != (pass == 0))
        continue;
      n_block += pass == 0;
      if (d->line)
        fprintf(stderr, "%s:%u: %s: %s [%s]\n", path, d->line,
                gk_severity_name(d->severity), d->message, d->rule);
      else
        fprintf(stderr, "%s: %s: %s [%s]\n", path,
                gk_severity_name(d->severity), d->message, d->rule);
    }
  }
  return n_block;
}

/* --------------------------------------------------------- arguments */

/* What render writes: a rendering in one of the library's formats, or the
 * JSON model itself. */
typedef struct out_kind {
  bool json;
  gk_render_format fmt;
} out_kind;

/* Parses "md", "html", "docx", "txt" (and their long names) or "json". */
static bool kind_parse(const char *name, out_kind *k) {
  if (strcmp(name, "json") == 0) {
    k->json = true;
    return true;
  }
  k->json = false;
  return gk_render_format_parse(name, &k->fmt) == GK_OK;
}

/* The extension of an output file's name ("pdf"), or NULL when it has
 * none. */
static const char *extension_of(const char *path) {
  const char *slash = strrchr(path, '/');
  const char *dot = strrchr(slash ? slash + 1 : path, '.');
  return dot && dot[1] ? dot + 1 : NULL;
}

/* The kind of file a rendering is, in gk_cli_output_kind()'s words. */
static const char *kind_written(const out_kind *k) {
  if (k->json)
    return "json";
  switch (k->fmt) {
  case GK_RENDER_DOCX:
    return "docx";
  case GK_RENDER_HTML:
    return "html";
  default:
    return "text";
  }
}

static bool parse_year(const char *s, int *year) {
  char *end;
  errno = 0;
  long y = strtol(s, &end, 10);
  if (errno || *end || end == s || y < 2019 || y > 2100)
    return false;
  *year = (int)y;
  return true;
}

/* Last year: a report covers the year before it is written. */
static int last_year(void) {
  time_t now = time(NULL);
  struct tm tm;
  if (now == (time_t)-1 || !localtime_r(&now, &tm))
    return 0;
  return tm.tm_year + 1900 - 1;
}

int gk_cmd_render(int argc, char **argv) {
  const char *to = NULL, *out_path = NULL, *agency = NULL, *data = NULL;
  bool force = false, template = false;
  int year = 0;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--to") == 0 || strcmp(a, "-o") == 0 ||
        strcmp(a, "--year") == 0 || strcmp(a, "--agency") == 0) {
      if (i + 1 >= argc)
        return gk_cli_usage_error("render: %s 需要一个参数", a);
      const char *v = argv[++i];
      if (strcmp(a, "--to") == 0)
        to = v;
      else if (strcmp(a, "-o") == 0)
        out_path = v;
      else if (strcmp(a, "--agency") == 0)
        agency = v;
      else if (!parse_year(v, &year))
        return gk_cli_usage_error(
            "render: --year 需要 2019 至 2100 之间的年份，而不是 %s", v);
    } else if (strncmp(a, "--to=", 5) == 0) {
      to = a + 5;
    } else if (strcmp(a, "--force") == 0) {
      force = true;
    } else if (strcmp(a, "--template") == 0) {
      template = true;
    } else if (strcmp(a, "--") == 0) {
      if (i + 1 < argc)
        data = argv[i + 1];
      if (i + 2 < argc)
        return gk_cli_usage_error("render: 只能指定一个输入，多余的 %s",
                                  argv[i + 2]);
      break;
    } else if (a[0] == '-' && a[1] != '\0') {
      return gk_cli_usage_error("render: 未知选项 %s", a);
    } else if (data) {
      return gk_cli_usage_error("render: 只能指定一个输入，多余的 %s", a);
    } else {
      data = a;
    }
  }
  if (out_path && strcmp(out_path, "-") == 0)
    out_path = NULL;
  if (template && data)
    return gk_cli_usage_error("render: --template 不读取输入文件（%s）", data);
  if (!template && !data)
    return gk_cli_usage_error("render: 缺少输入（JSON 模型文件，或 - 表示标准"
                              "输入）%s",
                              "");
  if (!template && (year || agency))
    return gk_cli_usage_error("render: %s 只能与 --template 一起使用",
                              year ? "--year" : "--agency");
  /* The format: --to, else the output file's extension, else Markdown;
   * a template without either is its JSON model.  An extension names the
   * format of the file: one that render cannot write is refused (a .pdf
   * never receives Markdown), and so is one that contradicts --to. */
  out_kind kind = {.json = false, .fmt = GK_RENDER_MD};
  if (to && !kind_parse(to, &kind))
    return gk_cli_usage_error(
        "render: 未知的输出格式 %s（可选 md、html、docx、txt、json）", to);
  const char *ext = out_path ? extension_of(out_path) : NULL;
  if (ext) {
    out_kind by_name = {.json = false, .fmt = GK_RENDER_MD};
    if (!kind_parse(ext, &by_name))
      return gk_cli_usage_error("render: 无法生成 .%s 文件（输出文件的扩展名"
                                "可为 .md、.html、.docx、.txt、.json）",
                                ext);
    if (to &&
        (by_name.json != kind.json || (!kind.json && by_name.fmt != kind.fmt)))
      return gk_cli_usage_error("render: 输出文件的扩展名 .%s 与 --to "
                                "指定的格式不符",
                                ext);
    kind = by_name;
  } else if (!to && template) {
    kind.json = true;
  }
  bool json_out = kind.json;
  gk_render_format fmt = kind.fmt;
  /* An existing file of another kind is kept unless --force: a slip of
   * the finger must not turn last year's Word document into Markdown. */
  if (out_path) {
    int g = gk_cli_guard_output("render", out_path, kind_written(&kind), force);
    if (g != EXIT_OK)
      return g;
  }
  if (!out_path && !json_out && fmt == GK_RENDER_DOCX && isatty(STDOUT_FILENO))
    return gk_cli_usage_error("render: 不向终端输出 DOCX 文件，请用 -o "
                              "指定输出文件或重定向标准输出%s",
                              "");

  gk_report *r = NULL;
  const char *name = template ? "template" : data;
  if (template) {
    gk_status st = gk_report_template(year ? year : last_year(), agency, &r);
    if (st != GK_OK) {
      fprintf(stderr, "gongkai: render: %s\n", gk_strerror(st));
      return st == GK_ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
    }
  } else {
    int rc = read_data(data, &r);
    if (rc != EXIT_OK)
      return rc;
  }

  char *doc = NULL;
  size_t len = 0;
  gk_status st;
  if (json_out) {
    st = gk_report_to_json(r, GK_JSON_PRETTY, &doc, &len);
  } else {
    st = gk_check(r, NULL);
    if (st != GK_OK) {
      fprintf(stderr, "gongkai: %s: %s\n", name, gk_strerror(st));
      gk_report_free(r);
      return EXIT_INTERNAL;
    }
    size_t n_block = print_findings(name, r);
    if (n_block && !force) {
      fprintf(stderr,
              "gongkai: %s: 有 %zu 个表格算术或结构错误，未生成报告"
              "（改正后重试，或用 --force 照样生成）\n",
              name, n_block);
      gk_report_free(r);
      return EXIT_FINDINGS;
    }
    st = gk_report_render(r, fmt, &doc, &len);
  }
  gk_report_free(r);
  if (st != GK_OK) {
    /* A rendering over the size cap comes of an oversized input. */
    fprintf(stderr, "gongkai: %s: %s\n", name, gk_strerror(st));
    return st == GK_ELIMIT ? EXIT_INPUT : EXIT_INTERNAL;
  }
  /* The JSON model ends with a newline, as `parse` prints it. */
  if (json_out) {
    char *nd = realloc(doc, len + 2);
    if (!nd) {
      free(doc);
      fprintf(stderr, "gongkai: %s\n", gk_strerror(GK_ENOMEM));
      return EXIT_INTERNAL;
    }
    doc = nd;
    doc[len++] = '\n';
    doc[len] = '\0';
  }
  int rc = out_path ? write_atomic(out_path, doc, len) : write_stdout(doc, len);
  free(doc);
  return rc;
}
