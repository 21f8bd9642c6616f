/*
 * main.c - the gongkai command: a thin adapter over gongkai.h.
 *
 * It parses arguments, calls the library, prints what it returns and
 * maps status to the exit codes of model.md §4: 0 done, 2 usage, 3 an
 * input could not be read (the others are still processed), 4 internal
 * failure.  Messages for people are in Chinese; each names the file.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"

/* --jobs N and --jobs=N everywhere: rewrites argv in place to the form
 * the command parses (joined "--jobs=N" for check, split "--jobs" "N" for
 * table).  The split form needs one more slot: *argv is replaced by a
 * copy (freed by the caller with free_args; NULL when none was made). */
static char **jobs_form(int *argc, char **argv, bool joined, char ***owned) {
  *owned = NULL;
  int n = *argc;
  char **out = malloc(((size_t)n * 2 + 1) * sizeof *out);
  if (!out)
    return argv;
  int k = 0;
  for (int i = 0; i < n; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) {
      while (i < n)
        out[k++] = argv[i++];
      break;
    }
    if (joined && (strcmp(a, "--jobs") == 0 || strcmp(a, "-j") == 0) &&
        i + 1 < n) {
      size_t len = strlen(argv[i + 1]) + sizeof "--jobs=";
      char *j = malloc(len);
      if (!j)
        break;
      snprintf(j, len, "--jobs=%s", argv[i + 1]);
      out[k++] = j;
      i++;
      continue;
    }
    if (!joined && strncmp(a, "--jobs=", 7) == 0) {
      out[k++] = (char *)"--jobs";
      out[k++] = (char *)(a + 7);
      continue;
    }
    out[k++] = argv[i];
  }
  out[k] = NULL;
  *argc = k;
  *owned = out;
  return out;
}

static void free_args(char **owned, char **orig, int n_orig) {
  if (!owned)
    return;
  /* The joined strings are the ones not in the original argv. */
  for (int i = 0; owned[i]; i++) {
    bool mine = strncmp(owned[i], "--jobs=", 7) == 0;
    for (int j = 0; j < n_orig && mine; j++)
      mine = owned[i] != orig[j];
    if (mine)
      free(owned[i]);
  }
  free(owned);
}

gk_status gk_cli_read_all(FILE *f, char **out, size_t *out_len) {
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  if (!buf)
    return GK_ENOMEM;
  for (;;) {
    if (len == cap) {
      if (cap > GK_MAX_INPUT_BYTES) {
        free(buf);
        return GK_ETOOBIG;
      }
      char *nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        return GK_ENOMEM;
      }
      buf = nb;
      cap *= 2;
    }
    size_t n = fread(buf + len, 1, cap - len, f);
    len += n;
    if (n == 0)
      break;
  }
  if (ferror(f)) {
    int e = errno;
    free(buf);
    return e == EISDIR ? GK_EISDIR : GK_EIO;
  }
  *out = buf;
  *out_len = len;
  return GK_OK;
}

size_t gk_cli_json_lines(const char *data, size_t len, gk_cli_slice **out,
                         gk_status *st) {
  *out = NULL;
  *st = GK_OK;
  size_t n = 0, cap = 0;
  gk_cli_slice *v = NULL;
  for (size_t i = 0; i < len;) {
    const char *nl = memchr(data + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - data) : len, a = i, b = end;
    i = nl ? end + 1 : len;
    while (a < b && (data[a] == ' ' || data[a] == '\t' || data[a] == '\r'))
      a++;
    while (b > a &&
           (data[b - 1] == ' ' || data[b - 1] == '\t' || data[b - 1] == '\r'))
      b--;
    if (a == b)
      continue;
    /* Every line one whole object, or this is no JSON Lines stream (a
     * pretty-printed model, a text report). */
    if (data[a] != '{' || data[b - 1] != '}') {
      free(v);
      return 0;
    }
    if (n == GK_CLI_MAX_JSON_LINES) {
      free(v);
      *st = GK_ELIMIT;
      return SIZE_MAX;
    }
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      gk_cli_slice *w = realloc(v, cap * sizeof *w);
      if (!w) {
        free(v);
        *st = GK_ENOMEM;
        return SIZE_MAX;
      }
      v = w;
    }
    v[n].off = a;
    v[n].len = b - a;
    n++;
  }
  if (n < 2) {
    free(v);
    return 0;
  }
  *out = v;
  return n;
}

static gk_status read_stdin(gk_report **out, const char **detail) {
  char *buf;
  size_t len;
  gk_status st = gk_cli_read_all(stdin, &buf, &len);
  if (st != GK_OK)
    return st;
  st = gk_read_buffer(buf, len, "-", NULL, out, detail);
  free(buf);
  return st;
}

static int exit_for(gk_status st) {
  return st == GK_ENOMEM || st == GK_EINTERNAL ? EXIT_INTERNAL : EXIT_INPUT;
}

/* Reads one input ("-" is standard input); on failure prints the one-line
 * message naming it and returns the exit code to merge. */
int gk_cli_read_input(const char *path, gk_report **out) {
  const char *detail = NULL;
  gk_status st = strcmp(path, "-") == 0
                     ? read_stdin(out, &detail)
                     : gk_read_file(path, NULL, out, &detail);
  if (st == GK_OK)
    return EXIT_OK;
  fprintf(stderr, "gongkai: %s: %s%s%s\n", path, gk_strerror(st),
          detail ? "：" : "", detail ? detail : "");
  return exit_for(st);
}

int gk_cli_max_rc(int a, int b) {
  /* internal > unreadable input > findings > ok */
  static const int rank[] = {0, 1, 0, 2, 3};
  return rank[b] > rank[a] ? b : a;
}

/* Prints a report's JSON line; returns an exit code. */
static int print_json(const gk_report *r, unsigned flags, const char *path) {
  char *json = NULL;
  size_t len = 0;
  gk_status st = gk_report_to_json(r, flags, &json, &len);
  if (st != GK_OK) {
    fprintf(stderr, "gongkai: %s: %s\n", path, gk_strerror(st));
    return EXIT_INTERNAL;
  }
  fwrite(json, 1, len, stdout);
  fputc('\n', stdout);
  free(json);
  return EXIT_OK;
}

/* `parse -`: standard input is one report, or a stream of JSON Lines
 * (models, as `parse` writes them), each read and printed in turn. */
static int parse_stdin(unsigned flags) {
  char *buf;
  size_t len;
  gk_status st = gk_cli_read_all(stdin, &buf, &len);
  if (st != GK_OK) {
    fprintf(stderr, "gongkai: -: %s\n", gk_strerror(st));
    return exit_for(st);
  }
  gk_cli_slice *lines = NULL;
  size_t n = gk_cli_json_lines(buf, len, &lines, &st);
  if (n == SIZE_MAX) {
    free(buf);
    fprintf(stderr, "gongkai: -: %s%s\n", gk_strerror(st),
            st == GK_ELIMIT ? "（JSON Lines 超过 100000 行）" : "");
    return exit_for(st);
  }
  gk_cli_slice whole = {0, len};
  int rc = EXIT_OK;
  for (size_t k = 0; k < (n ? n : 1); k++) {
    const gk_cli_slice *sl = n ? &lines[k] : &whole;
    const char *detail = NULL;
    gk_report *r = NULL;
    st = gk_read_buffer(buf + sl->off, sl->len, "-", NULL, &r, &detail);
    if (st != GK_OK) {
      fprintf(stderr, "gongkai: -: %s%s%s\n", gk_strerror(st),
              detail ? "：" : "", detail ? detail : "");
      rc = gk_cli_max_rc(rc, exit_for(st));
      continue;
    }
    rc = gk_cli_max_rc(rc, print_json(r, flags, "-"));
    gk_report_free(r);
  }
  free(lines);
  free(buf);
  return rc;
}

static int cmd_parse(int argc, char **argv) {
  unsigned flags = 0;
  int first = argc;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--pretty") == 0) {
      flags |= GK_JSON_PRETTY;
    } else if (strcmp(argv[i], "--") == 0) {
      first = i + 1;
      break;
    } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
      return gk_cli_usage_error("parse: 未知选项 %s", argv[i]);
    } else {
      first = i;
      break;
    }
  }
  if (first >= argc)
    return gk_cli_usage_error("parse: 缺少文件参数%s", "");
  int rc = EXIT_OK;
  for (int i = first; i < argc; i++) {
    const char *path = argv[i];
    if (strcmp(path, "-") == 0) {
      rc = gk_cli_max_rc(rc, parse_stdin(flags));
      continue;
    }
    gk_report *r = NULL;
    int e = gk_cli_read_input(path, &r);
    if (e != EXIT_OK) {
      rc = gk_cli_max_rc(rc, e);
      continue;
    }
    rc = gk_cli_max_rc(rc, print_json(r, flags, path));
    gk_report_free(r);
  }
  if (fflush(stdout) != 0) {
    fprintf(stderr, "gongkai: 写入标准输出失败\n");
    return EXIT_INTERNAL;
  }
  return rc;
}

/* What `check` renders on the workers and sums on the main thread. */
typedef struct check_ctx {
  bool json;
  unsigned jflags;
  bool colour;
  bool excerpt; /* quote the source under each finding */
  size_t errors, warnings, notes;
  size_t reports, unreadable, clean; /* for the summary line */
} check_ctx;

/* The findings name the file as the library knows it (its base name);
 * a reviewer needs the path as given or walked ("青石镇/2024年报.txt"), as
 * townships' folders hold the same file names.  Rewrites each line that
 * starts with `name` followed by ':' (in colour, after the escape that
 * opens the line) to start with `path`. */
static gk_status with_path_as_given(const char *name, const char *path,
                                    char **out, size_t *len) {
  size_t nl = strlen(name), pl = strlen(path);
  if (!*out || strcmp(name, path) == 0)
    return GK_OK;
  size_t lines = 1;
  for (size_t i = 0; i < *len; i++)
    lines += (*out)[i] == '\n';
  if (pl > nl && lines > (SIZE_MAX - *len - 1) / (pl - nl))
    return GK_ENOMEM;
  char *o = malloc(*len + lines * (pl > nl ? pl - nl : 0) + 1);
  if (!o)
    return GK_ENOMEM;
  size_t k = 0;
  for (size_t i = 0; i < *len;) {
    size_t e = i;
    while (e < *len && (*out)[e] != '\n')
      e++;
    size_t at = i;
    /* A colour escape "\033[...m" before the name. */
    if (at < e && (*out)[at] == '\033') {
      while (at < e && (*out)[at] != 'm')
        at++;
      if (at < e)
        at++;
    }
    memcpy(o + k, *out + i, at - i);
    k += at - i;
    if (e - at > nl && memcmp(*out + at, name, nl) == 0 &&
        (*out)[at + nl] == ':') {
      memcpy(o + k, path, pl);
      k += pl;
      at += nl;
    }
    size_t end = e < *len ? e + 1 : e;
    memcpy(o + k, *out + at, end - at);
    k += end - at;
    i = end;
  }
  o[k] = '\0';
  free(*out);
  *out = o;
  *len = k;
  return GK_OK;
}

static gk_status check_render(void *ctx, const gk_batch_item *item, char **out,
                              size_t *len) {
  const check_ctx *c = ctx;
  if (c->json) {
    gk_status st = gk_report_to_json(
        item->report, c->jflags | (c->excerpt ? GK_JSON_EXCERPT : 0), out, len);
    if (st == GK_OK) {
      /* One JSON object per line. */
      char *p = realloc(*out, *len + 2);
      if (!p) {
        free(*out);
        *out = NULL;
        return GK_ENOMEM;
      }
      p[(*len)++] = '\n';
      p[*len] = '\0';
      *out = p;
    }
    return st;
  }
  gk_status st =
      gk_report_findings_text(item->report,
                              (c->colour ? GK_FINDINGS_COLOR : 0) |
                                  (c->excerpt ? GK_FINDINGS_EXCERPT : 0),
                              out, len);
  if (st == GK_OK && item->path) {
    gk_meta m;
    gk_report_meta(item->report, &m);
    if (m.source_name)
      st = with_path_as_given(m.source_name, item->path, out, len);
  }
  return st;
}

static int check_emit(void *ctx, const gk_batch_item *item, const char *bytes,
                      size_t len) {
  check_ctx *c = ctx;
  c->reports++;
  if (item->rc != EXIT_OK) {
    c->unreadable++;
    return item->rc;
  }
  c->clean += item->errors + item->warnings + item->notes == 0;
  if (bytes && fwrite(bytes, 1, len, stdout) != len)
    return EXIT_INTERNAL;
  c->errors += item->errors;
  c->warnings += item->warnings;
  c->notes += item->notes;
  return item->errors ? EXIT_FINDINGS : EXIT_OK;
}

/* "共检查 32 份报告（2 份无法读取，11 份无问题）：85 个错误，…". */
static void print_check_summary(const check_ctx *c) {
  printf("共检查 %zu 份报告", c->reports);
  if (c->unreadable)
    printf("（%zu 份无法读取，%zu 份无问题）", c->unreadable, c->clean);
  else
    printf("（%zu 份无问题）", c->clean);
  if (c->notes)
    printf("：%zu 个错误，%zu 个警告，%zu 个提示\n", c->errors, c->warnings,
           c->notes);
  else
    printf("：%zu 个错误，%zu 个警告\n", c->errors, c->warnings);
}

static int cmd_check(int argc, char **argv) {
  check_ctx ctx = {0};
  const char *prev_path = NULL;
  ctx.colour = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
  /* Excerpts for a person at a terminal; scripts and files get the
   * compiler's one line per finding unless they ask. */
  ctx.excerpt = isatty(STDOUT_FILENO);
  gk_batch_options opts = {0};
  opts.pair_years = true;
  opts.progress = true;
  int i = 0;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--json") == 0) {
      ctx.json = true;
    } else if (strcmp(a, "--pretty") == 0) {
      ctx.jflags |= GK_JSON_PRETTY;
    } else if (strcmp(a, "--excerpt") == 0) {
      ctx.excerpt = true;
    } else if (strcmp(a, "--no-excerpt") == 0) {
      ctx.excerpt = false;
    } else if (strcmp(a, "--prev") == 0) {
      if (++i >= argc)
        return gk_cli_usage_error("check: --prev 需要一个文件参数%s", "");
      prev_path = argv[i];
    } else if (strcmp(a, "--deadline") == 0) {
      if (++i >= argc ||
          !gk_batch_parse_deadline(argv[i], &opts.check.township_deadline_month,
                                   &opts.check.township_deadline_day))
        return gk_cli_usage_error(
            "check: --deadline 需要 MM-DD 形式的日期，如 %s", "01-31");
    } else if (strcmp(a, "--no-pair") == 0) {
      opts.pair_years = false;
    } else if (strcmp(a, "--quiet") == 0) {
      opts.progress = false;
    } else if (strncmp(a, "--jobs=", 7) == 0) {
      char *end;
      long j = strtol(a + 7, &end, 10);
      if (*end || j < 1 || j > GK_BATCH_MAX_JOBS)
        return gk_cli_usage_error(
            "check: --jobs 应为 1 至 64 的整数，而不是 %s", a + 7);
      opts.jobs = (unsigned)j;
    } else if (strncmp(a, "--color=", 8) == 0) {
      if (strcmp(a + 8, "always") == 0)
        ctx.colour = true;
      else if (strcmp(a + 8, "never") == 0)
        ctx.colour = false;
      else if (strcmp(a + 8, "auto") != 0)
        return gk_cli_usage_error("check: 未知的 --color 取值 %s", a + 8);
    } else if (strcmp(a, "--") == 0) {
      i++;
      break;
    } else if (a[0] == '-' && a[1] != '\0') {
      return gk_cli_usage_error("check: 未知选项 %s", a);
    } else {
      break;
    }
  }
  if (i >= argc)
    return gk_cli_usage_error("check: 缺少文件参数%s", "");
  gk_report *prev = NULL;
  if (prev_path) {
    int e = gk_cli_read_input(prev_path, &prev);
    if (e != EXIT_OK)
      return e;
    /* An explicit last year's report: no pairing within the inputs. */
    opts.check.prev = prev;
    opts.pair_years = false;
  }
  opts.render = check_render;
  opts.emit = check_emit;
  opts.ctx = &ctx;
  int rc = gk_batch_run(argc - i, argv + i, &opts);
  gk_report_free(prev);
  if (ctx.reports == 0 && rc == EXIT_OK) {
    /* A folder with no report in it is not a clean pass. */
    fprintf(stderr, "gongkai: check: 没有找到可检查的报告\n");
    rc = EXIT_INPUT;
  }
  if (!ctx.json)
    print_check_summary(&ctx);
  if (fflush(stdout) != 0) {
    fprintf(stderr, "gongkai: 写入标准输出失败\n");
    return EXIT_INTERNAL;
  }
  return rc;
}

static const char *sev_zh(gk_severity s) {
  return s == GK_SEV_ERROR ? "错误" : s == GK_SEV_WARNING ? "警告" : "提示";
}

static int cmd_rules(int argc, char **argv) {
  bool md = false;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--markdown") == 0)
      md = true;
    else
      return gk_cli_usage_error("rules: 未知参数 %s", argv[i]);
  }
  if (md) {
    printf("# 检查规则 / The rule catalogue\n\n"
           "Generated by `gongkai rules --markdown` from "
           "`src/format/rules.def`; do not edit by hand.\n"
           "由 `gongkai rules --markdown` 生成，请勿手工修改。\n\n"
           "| ID | 级别 severity | 说明 |\n| --- | --- | --- |\n");
  }
  for (size_t k = 0; k < gk_rule_count(); k++) {
    const gk_rule_info *ri = gk_rule_get(k);
    if (md)
      printf("| `%s` | %s %s | %s |\n", ri->id, sev_zh(ri->severity),
             gk_severity_name(ri->severity), ri->summary);
    else
      printf("%-28s %-7s %s\n", ri->id, gk_severity_name(ri->severity),
             ri->summary);
  }
  return EXIT_OK;
}

int main(int argc, char **argv) {
  /* serve is another program (serve_exec.c): exec'd before this process
   * changes anything it would inherit, such as a signal's disposition. */
  if (argc >= 2 && strcmp(argv[1], "serve") == 0 &&
      !gk_cli_wants_help(argc - 2, argv + 2))
    return gk_cmd_serve_exec(argv + 1);
  /* A write past the file size limit (ulimit -f) fails with EFBIG and is
   * reported as a full disk, instead of killing the process with its
   * temporary file left behind. */
  signal(SIGXFSZ, SIG_IGN);
  if (argc < 2) {
    fputs(gk_cli_usage_text, stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
      strcmp(cmd, "help") == 0) {
    fputs(gk_cli_usage_text, stdout);
    return EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0) {
    printf("gongkai %s\n", GK_VERSION);
    return EXIT_OK;
  }
  static const char *const commands[] = {"parse",  "check", "table", "diff",
                                         "render", "rules", "serve", NULL};
  for (int k = 0; commands[k]; k++)
    if (strcmp(cmd, commands[k]) == 0 && gk_cli_wants_help(argc - 2, argv + 2))
      return gk_cli_command_help(cmd);
  if (strcmp(cmd, "parse") == 0)
    return cmd_parse(argc - 2, argv + 2);
  if (strcmp(cmd, "check") == 0 || strcmp(cmd, "table") == 0) {
    bool check = strcmp(cmd, "check") == 0;
    int n = argc - 2;
    char **owned;
    char **args = jobs_form(&n, argv + 2, check, &owned);
    int rc = check ? cmd_check(n, args) : gk_cmd_table(n, args);
    free_args(owned, argv + 2, argc - 2);
    return rc;
  }
  if (strcmp(cmd, "rules") == 0)
    return cmd_rules(argc - 2, argv + 2);
  if (strcmp(cmd, "diff") == 0)
    return gk_cmd_diff(argc - 2, argv + 2);
  if (strcmp(cmd, "render") == 0)
    return gk_cmd_render(argc - 2, argv + 2);
  return gk_cli_usage_error("未知命令 %s", cmd);
}
