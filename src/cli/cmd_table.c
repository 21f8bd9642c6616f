/*
 * cmd_table.c - `gongkai table`: one spreadsheet row per report, with
 * every cell and the findings (model.md §3).
 *
 *   gongkai table [--csv OUT] [--xlsx OUT] [--zh] [--jobs N] [--no-pair]
 *                 [--deadline MM-DD] [--quiet] PATH...
 *
 * The batch (batch.c) walks the folders and reads and checks the reports
 * on every core; each worker packs its report into a row
 * (gk_table_row_pack()), and the rows are written here, in input order,
 * to each table asked for.  Without --csv or --xlsx the CSV goes to
 * standard output.  A file that is not a report gets its line on standard
 * error and exit status 3; the others are still written.  An internal
 * failure (exit 4) leaves no output file: the writers write to temporary
 * files that only a finished run renames into place, and an interrupt
 * (Ctrl-C) removes them.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"

/* The temporary files being written, for the signal handler, which may
 * only touch what is already in memory. */
#define TEMP_PATH_MAX 4096
static char temp_paths[2][TEMP_PATH_MAX];

static void on_signal(int sig) {
  for (int k = 0; k < 2; k++)
    if (temp_paths[k][0])
      unlink(temp_paths[k]);
  signal(sig, SIG_DFL);
  raise(sig);
}

typedef struct table_out {
  const char *name; /* as given: OUT, or "-" */
  gk_table_format format;
  gk_table_writer *w;
} table_out;

typedef struct table_ctx {
  table_out out[2];
  int n_out;
  size_t rows;
  size_t unreadable;
} table_ctx;

static gk_status render_row(void *ctx, const gk_batch_item *item, char **out,
                            size_t *len) {
  (void)ctx;
  /* A model read from standard input names its own source. */
  const char *source = item->path;
  if (strcmp(source, "-") == 0) {
    gk_meta m;
    gk_report_meta(item->report, &m);
    if (m.source_name && m.source_name[0])
      source = m.source_name;
  }
  return gk_table_row_pack(item->report, source, item->prev_path, out, len);
}

static int emit_row(void *ctx, const gk_batch_item *item, const char *bytes,
                    size_t len) {
  table_ctx *t = ctx;
  if (item->rc != EXIT_OK || !bytes) {
    t->unreadable++;
    return EXIT_OK; /* its line on standard error is printed */
  }
  for (int k = 0; k < t->n_out; k++) {
    gk_status st = gk_table_writer_add_row(t->out[k].w, bytes, len);
    if (st != GK_OK) {
      fprintf(stderr, "gongkai: %s: 写入失败：%s\n", t->out[k].name,
              gk_strerror(st));
      return EXIT_INTERNAL;
    }
  }
  t->rows++;
  return EXIT_OK;
}

static int parse_jobs(const char *s, unsigned *jobs) {
  char *end;
  long n = strtol(s, &end, 10);
  if (end == s || *end || n < 1 || n > GK_BATCH_MAX_JOBS)
    return 0;
  *jobs = (unsigned)n;
  return 1;
}

int gk_cmd_table(int argc, char **argv) {
  table_ctx t = {0};
  gk_batch_options o = {0};
  o.pair_years = true;
  o.progress = true;
  unsigned flags = 0;
  int i = 0;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--csv") == 0 || strcmp(a, "--xlsx") == 0) {
      bool csv = a[2] == 'c';
      if (++i >= argc)
        return gk_cli_usage_error("table: %s 需要一个输出文件参数", a);
      for (int k = 0; k < t.n_out; k++)
        if (t.out[k].format == (csv ? GK_TABLE_CSV : GK_TABLE_XLSX))
          return gk_cli_usage_error("table: %s 只能给一次", a);
      if (!csv && strcmp(argv[i], "-") == 0)
        return gk_cli_usage_error("table: %s 不能写到标准输出", a);
      if (t.n_out == 1 && strcmp(t.out[0].name, argv[i]) == 0)
        return gk_cli_usage_error("table: --csv 与 --xlsx 不能写到同一文件 %s",
                                  argv[i]);
      t.out[t.n_out].name = argv[i];
      t.out[t.n_out].format = csv ? GK_TABLE_CSV : GK_TABLE_XLSX;
      t.n_out++;
    } else if (strcmp(a, "--zh") == 0) {
      flags |= GK_TABLE_ZH_HEADER;
    } else if (strcmp(a, "--jobs") == 0 || strcmp(a, "-j") == 0) {
      if (++i >= argc || !parse_jobs(argv[i], &o.jobs))
        return gk_cli_usage_error("table: --jobs 需要 1 到 64 之间的整数%s",
                                  "");
    } else if (strcmp(a, "--no-pair") == 0) {
      o.pair_years = false;
    } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
      o.progress = false;
    } else if (strcmp(a, "--deadline") == 0) {
      if (++i >= argc ||
          !gk_batch_parse_deadline(argv[i], &o.check.township_deadline_month,
                                   &o.check.township_deadline_day))
        return gk_cli_usage_error(
            "table: --deadline 需要 MM-DD 形式的日期，如 %s", "01-31");
    } else if (strcmp(a, "--") == 0) {
      i++;
      break;
    } else if (a[0] == '-' && a[1] != '\0') {
      return gk_cli_usage_error("table: 未知选项 %s", a);
    } else {
      break;
    }
  }
  if (i >= argc)
    return gk_cli_usage_error("table: 缺少文件或目录参数%s", "");
  if (t.n_out == 0) {
    t.out[0].name = "-";
    t.out[0].format = GK_TABLE_CSV;
    t.n_out = 1;
  }
  for (int k = 0; k < t.n_out; k++) {
    gk_status st = gk_table_writer_open(t.out[k].name, t.out[k].format, flags,
                                        &t.out[k].w);
    if (st != GK_OK) {
      fprintf(stderr, "gongkai: %s: 无法创建输出文件：%s\n", t.out[k].name,
              gk_strerror(st));
      for (int m = 0; m < k; m++)
        gk_table_writer_discard(t.out[m].w);
      return EXIT_INTERNAL;
    }
    const char *tmp = gk_table_writer_temp_path(t.out[k].w);
    if (tmp && strlen(tmp) < TEMP_PATH_MAX)
      memcpy(temp_paths[k], tmp, strlen(tmp) + 1);
  }
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  signal(SIGHUP, on_signal);

  /* A table written into the folder it tables must not read itself. */
  const char *skip[5] = {NULL};
  int n_skip = 0;
  for (int k = 0; k < t.n_out; k++) {
    if (strcmp(t.out[k].name, "-") == 0)
      continue;
    skip[n_skip++] = t.out[k].name;
    if (gk_table_writer_temp_path(t.out[k].w))
      skip[n_skip++] = gk_table_writer_temp_path(t.out[k].w);
  }
  o.skip = skip;
  o.render = render_row;
  o.emit = emit_row;
  o.ctx = &t;
  int rc = gk_batch_run(argc - i, argv + i, &o);

  /* From here the writers remove or rename their files themselves. */
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGHUP, SIG_DFL);
  memset(temp_paths, 0, sizeof temp_paths);
  for (int k = 0; k < t.n_out; k++) {
    if (rc == EXIT_INTERNAL) {
      gk_table_writer_discard(t.out[k].w);
      if (strcmp(t.out[k].name, "-") != 0)
        fprintf(stderr, "gongkai: %s: 因内部错误未写出\n", t.out[k].name);
      continue;
    }
    gk_status st = gk_table_writer_close(t.out[k].w);
    if (st != GK_OK) {
      fprintf(stderr, "gongkai: %s: 写入失败：%s\n", t.out[k].name,
              gk_strerror(st));
      rc = EXIT_INTERNAL;
    }
  }
  /* A closing line for a person watching the bar; scripts see nothing. */
  if (rc != EXIT_INTERNAL && isatty(STDERR_FILENO) && o.progress)
    fprintf(stderr, "gongkai: %zu 份报告已写入 %s；%zu 个文件无法读取\n",
            t.rows, strcmp(t.out[0].name, "-") ? t.out[0].name : "标准输出",
            t.unreadable);
  return rc;
}
