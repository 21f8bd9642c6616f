/*
 * cmd_table.c - `gongkai table`: one spreadsheet row per report, with
 * every cell and the findings (model.md §3).
 *
 *   gongkai table [--csv OUT] [--xlsx OUT] [--force] [--zh] [--jobs N]
 *                 [--no-pair] [--deadline MM-DD] [--quiet] PATH...
 *
 * The batch (batch.c) walks the folders and reads and checks the reports
 * on every core; each worker packs its report into a row
 * (gk_table_row_pack()), and the rows are written here, in input order,
 * to each table asked for.  Without --csv or --xlsx the CSV goes to
 * standard output.  A file that is not a report gets its line on standard
 * error and exit status 3; the others are still written.  No failure
 * leaves an output file behind: the writers write to temporary files that
 * only a finished run renames into place; an interrupt (Ctrl-C, SIGTERM,
 * SIGHUP) at any moment until the rename, the final write of the XLSX
 * included, removes them; an existing file of another kind (a Word
 * document, a text report) is never replaced without --force
 * (output_guard.c); a full disk or a folder that cannot be written
 * is exit 3 with one line saying so (the user's environment, not our
 * failure), and libxlsxwriter's own lines on standard error are kept off
 * the terminal.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"

/* The temporary files being written, for the signal handler, which may
 * only touch what is already in memory.  They change only with the
 * signals blocked (set_temp_path()), so the handler never sees half a
 * name. */
#define TEMP_PATH_MAX 4096
static char temp_paths[2][TEMP_PATH_MAX];

static const int caught_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define N_CAUGHT (sizeof caught_signals / sizeof caught_signals[0])

static void on_signal(int sig) {
  for (int k = 0; k < 2; k++)
    if (temp_paths[k][0])
      unlink(temp_paths[k]);
  signal(sig, SIG_DFL);
  raise(sig);
}

static void block_signals(bool block) {
  sigset_t set;
  sigemptyset(&set);
  for (size_t k = 0; k < N_CAUGHT; k++)
    sigaddset(&set, caught_signals[k]);
  sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

/* Sets (or clears, tmp NULL) the temporary file of output k.  The
 * caller blocks the signals around the call and whatever made or removed
 * the file, so that no signal falls between the two. */
static void set_temp_path(int k, const char *tmp) {
  temp_paths[k][0] = '\0';
  if (tmp && strlen(tmp) < TEMP_PATH_MAX)
    memcpy(temp_paths[k], tmp, strlen(tmp) + 1);
}

static void catch_signals(bool on) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on ? on_signal : SIG_DFL;
  sigemptyset(&sa.sa_mask);
  for (size_t k = 0; k < N_CAUGHT; k++)
    sigaddset(&sa.sa_mask, caught_signals[k]);
  for (size_t k = 0; k < N_CAUGHT; k++)
    sigaction(caught_signals[k], &sa, NULL);
}

/* libxlsxwriter prints "[ERROR] ..." lines of its own on standard error
 * when it cannot write; our one line says it in Chinese instead.  Standard
 * error points at /dev/null while a writer is opened or closed (only the
 * calling thread runs then: no worker's message is lost).  Returns the
 * saved descriptor for quiet_end(), or -1. */
static int quiet_begin(void) {
  fflush(stderr);
  int saved = dup(STDERR_FILENO);
  int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (saved < 0 || null < 0 || dup2(null, STDERR_FILENO) < 0) {
    if (null >= 0)
      close(null);
    if (saved >= 0)
      close(saved);
    return -1;
  }
  close(null);
  return saved;
}

static void quiet_end(int saved) {
  if (saved < 0)
    return;
  dup2(saved, STDERR_FILENO);
  close(saved);
}

/* The exit status for a writer's failure: the disk, the folder or the
 * file system is the user's environment (3); memory or a bug is ours
 * (4). */
static int write_exit(gk_status st) {
  return st == GK_ENOSPC || st == GK_EACCES || st == GK_EWRITE ? EXIT_INPUT
                                                               : EXIT_INTERNAL;
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
  gk_status write_failed; /* a row could not be written: why */
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
      fprintf(stderr, "gongkai: %s: 未能写出：%s\n", t->out[k].name,
              gk_strerror(st));
      /* Stops the batch either way (nothing more can be written). */
      t->write_failed = st;
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
  bool force = false;
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
    } else if (strcmp(a, "--force") == 0) {
      force = true;
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
  /* An existing file of another kind is kept unless --force: a table must
   * not replace a Word document or a report by a slip of the finger. */
  for (int k = 0; k < t.n_out; k++) {
    int g = gk_cli_guard_output(
        "table", t.out[k].name,
        t.out[k].format == GK_TABLE_CSV ? "csv" : "xlsx", force);
    if (g != EXIT_OK)
      return g;
  }
  /* Caught from before the first temporary file exists until after the
   * last is renamed or removed. */
  catch_signals(true);
  for (int k = 0; k < t.n_out; k++) {
    int q = quiet_begin();
    block_signals(true); /* a signal now waits until the name is known */
    gk_status st = gk_table_writer_open(t.out[k].name, t.out[k].format, flags,
                                        &t.out[k].w);
    if (st == GK_OK)
      set_temp_path(k, gk_table_writer_temp_path(t.out[k].w));
    else
      for (int m = 0; m < k; m++) {
        gk_table_writer_discard(t.out[m].w);
        set_temp_path(m, NULL);
      }
    block_signals(false);
    quiet_end(q);
    if (st != GK_OK) {
      fprintf(stderr, "gongkai: %s: 无法创建输出文件：%s\n", t.out[k].name,
              st == GK_EUNSUPPORTED
                  ? "不是普通文件（设备、管道或套接字），XLSX 只能写入普通文件"
                  : gk_strerror(st));
      catch_signals(false);
      /* OUT is a folder, or a device or FIFO this format cannot go to:
       * the user's choice of path, like a read-only folder. */
      return st == GK_EISDIR || st == GK_EUNSUPPORTED ? EXIT_INPUT
                                                      : write_exit(st);
    }
  }

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

  /* The signals stay caught through the close: finishing an XLSX file
   * takes a while, and an interrupt then must not leave it behind. */
  bool failed = rc == EXIT_INTERNAL;
  if (failed && t.write_failed != GK_OK)
    rc = write_exit(t.write_failed); /* its line is printed */
  for (int k = 0; k < t.n_out; k++) {
    if (failed) {
      int q = quiet_begin();
      gk_table_writer_discard(t.out[k].w);
      block_signals(true);
      set_temp_path(k, NULL);
      block_signals(false);
      quiet_end(q);
      if (strcmp(t.out[k].name, "-") != 0 && t.write_failed == GK_OK)
        fprintf(stderr, "gongkai: %s: 因内部错误未写出\n", t.out[k].name);
      continue;
    }
    int q = quiet_begin();
    gk_status st = gk_table_writer_close(t.out[k].w);
    /* Renamed or removed: a signal after this has nothing to remove (and
     * one between the rename and here finds the name gone). */
    block_signals(true);
    set_temp_path(k, NULL);
    block_signals(false);
    quiet_end(q);
    if (st != GK_OK) {
      fprintf(stderr, "gongkai: %s: 未能写出：%s\n", t.out[k].name,
              gk_strerror(st));
      rc = gk_cli_max_rc(rc, write_exit(st));
    }
  }
  catch_signals(false);
  /* A closing line for a person watching the bar; scripts see nothing. */
  if (rc != EXIT_INTERNAL && isatty(STDERR_FILENO) && o.progress)
    fprintf(stderr, "gongkai: %zu 份报告已写入 %s；%zu 个文件无法读取\n",
            t.rows, strcmp(t.out[0].name, "-") ? t.out[0].name : "标准输出",
            t.unreadable);
  return rc;
}
