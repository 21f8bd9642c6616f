/*
 * gk_bench.c - how fast gongkai reads and checks reports, how it compares
 * with mutool on PDFs, and how much memory a batch of ten thousand takes
 * (issue 5; the figures go to docs/PERFORMANCE.md).
 *
 *   gk_bench [--reports N] [--jobs N] [--shared DIR] [--gongkai PATH]
 *            [--keep DIR] [--seed N] [--pdf-runs N] [--runs N]
 *
 * 1. Writes a corpus of N reports (default 10,000) into a temporary
 *    folder (corpus.c: template reports in three layouts and real reports
 *    from ../shared with their bodies renamed and years shifted).
 * 2. Times gk_read_file() + gk_check() over all of them on one thread and
 *    on every core (reports/s and MB/s of input), and parsing alone on
 *    one thread, to show where the time goes.  The one-thread runs are
 *    repeated (--runs, default 5) because a shared virtual machine's speed
 *    moves by a third from one run to the next: each run is printed, and
 *    the median is the figure (the target is judged on it), with the best
 *    beside it.
 * 3. Runs the real command, `gongkai table --csv` and `--xlsx`, on the
 *    first tenth and on the whole corpus, and reports its wall time and
 *    peak resident memory (from wait4()): the memory must not grow with
 *    the number of reports.
 * 4. On the PDFs of ../shared/corpus/raw, times `gongkai check FILE`
 *    against `mutool draw -F txt -o /dev/null FILE`, both as processes.
 *
 * Nothing here is a pass/fail test: it prints figures and says, for each
 * target of the issue, whether this machine met it.  The corpus is
 * removed at the end unless --keep is given.
 */
/* wait4(), for a child's own peak memory, is a BSD call glibc offers
 * under _DEFAULT_SOURCE. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "corpus.h"
#include "gongkai.h"

#ifndef GK_BENCH_SHARED
#define GK_BENCH_SHARED "../shared"
#endif
#ifndef GK_BENCH_GONGKAI
#define GK_BENCH_GONGKAI "gongkai"
#endif

/* The targets. */
#define TARGET_REPORTS_PER_S 5000.0 /* text, parse + check, one core */
#define TARGET_PDF_RATIO 1.5        /* gongkai / mutool draw -F txt */
#define TARGET_PEAK_MB 64.0         /* `table` over 10,000 reports */

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --------------------------------------------------------- the machine */

static void print_machine(void) {
  char model[256] = "unknown";
  FILE *f = fopen("/proc/cpuinfo", "r");
  char line[512];
  if (f) {
    while (fgets(line, sizeof line, f))
      if (strncmp(line, "model name", 10) == 0) {
        char *c = strchr(line, ':');
        if (c) {
          snprintf(model, sizeof model, "%s", c + 2);
          model[strcspn(model, "\n")] = '\0';
        }
        break;
      }
    fclose(f);
  }
  long mem_kb = 0;
  f = fopen("/proc/meminfo", "r");
  if (f) {
    while (fgets(line, sizeof line, f))
      if (sscanf(line, "MemTotal: %ld kB", &mem_kb) == 1)
        break;
    fclose(f);
  }
  struct utsname u;
  uname(&u);
  printf("machine: %ld online CPUs (nproc), %s, %.1f GiB memory, %s %s %s\n",
         sysconf(_SC_NPROCESSORS_ONLN), model, (double)mem_kb / 1048576.0,
         u.sysname, u.release, u.machine);
  printf("gongkai %s\n", GK_VERSION);
}

/* ----------------------------------------------------------- the files */

typedef struct files {
  char **v;
  size_t n, cap;
} files;

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file under dir, sorted. */
static void list_files(const char *dir, files *out) {
  DIR *d = opendir(dir);
  if (!d)
    return;
  struct dirent *e;
  size_t first = out->n;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat sb;
    if (stat(path, &sb) != 0)
      continue;
    if (S_ISDIR(sb.st_mode)) {
      list_files(path, out);
      continue;
    }
    if (out->n == out->cap) {
      out->cap = out->cap ? out->cap * 2 : 1024;
      char **v = realloc(out->v, out->cap * sizeof *v);
      if (!v)
        exit(1);
      out->v = v;
    }
    out->v[out->n++] = strdup(path);
  }
  closedir(d);
  if (out->n > first)
    qsort(out->v + first, out->n - first, sizeof *out->v, cmp_str);
}

/* ------------------------------------------------------- in-process run */

typedef struct run {
  char **paths;
  size_t n;
  bool check;
  atomic_size_t next;
  atomic_uint_least64_t bytes;
  atomic_size_t ok, errors, warnings;
} run;

static void *run_worker(void *arg) {
  run *r = arg;
  for (;;) {
    size_t i = atomic_fetch_add(&r->next, 1);
    if (i >= r->n)
      return NULL;
    gk_report *rep = NULL;
    if (gk_read_file(r->paths[i], NULL, &rep, NULL) != GK_OK)
      continue;
    if (r->check)
      gk_check(rep, NULL);
    gk_meta m;
    gk_report_meta(rep, &m);
    size_t e = 0, w = 0, n = 0;
    gk_report_diag_counts(rep, &e, &w, &n);
    atomic_fetch_add(&r->bytes, m.source_bytes);
    atomic_fetch_add(&r->ok, 1);
    atomic_fetch_add(&r->errors, e);
    atomic_fetch_add(&r->warnings, w);
    gk_report_free(rep);
  }
}

typedef struct result {
  double seconds;     /* wall clock */
  double cpu_seconds; /* user + system time of every thread */
  uint64_t bytes;
  size_t ok, errors, warnings;
} result;

static double cpu_now(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
         (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* The load average: other work on the machine shows in wall-clock
 * figures, not in CPU time. */
static void print_load(const char *when) {
  char buf[128] = "?";
  FILE *f = fopen("/proc/loadavg", "r");
  if (f) {
    if (!fgets(buf, sizeof buf, f))
      buf[0] = '\0';
    fclose(f);
  }
  buf[strcspn(buf, "\n")] = '\0';
  printf("load average %s: %s\n", when, buf);
}

static result measure(char **paths, size_t n, unsigned threads, bool check) {
  run r = {.paths = paths, .n = n, .check = check};
  atomic_init(&r.next, 0);
  atomic_init(&r.bytes, 0);
  atomic_init(&r.ok, 0);
  atomic_init(&r.errors, 0);
  atomic_init(&r.warnings, 0);
  pthread_t t[64];
  if (threads > 64)
    threads = 64;
  double t0 = now(), c0 = cpu_now();
  unsigned started = 0;
  for (; started < threads; started++)
    if (pthread_create(&t[started], NULL, run_worker, &r) != 0)
      break;
  if (started == 0)
    run_worker(&r);
  for (unsigned k = 0; k < started; k++)
    pthread_join(t[k], NULL);
  result res = {
      now() - t0,         cpu_now() - c0,         atomic_load(&r.bytes),
      atomic_load(&r.ok), atomic_load(&r.errors), atomic_load(&r.warnings)};
  return res;
}

/* Wall-clock rates, and per CPU-second (what one core does when it is
 * not shared with other work). */
static void print_rate(const char *what, result r) {
  printf("  %-34s %7.0f reports/s %6.2f MB/s wall | %7.0f reports/s %6.2f "
         "MB/s per CPU-second  (%zu reports, %.1f MB, %.2f s wall, %.2f s "
         "CPU)\n",
         what, (double)r.ok / r.seconds, (double)r.bytes / 1e6 / r.seconds,
         (double)r.ok / r.cpu_seconds, (double)r.bytes / 1e6 / r.cpu_seconds,
         r.ok, (double)r.bytes / 1e6, r.seconds, r.cpu_seconds);
}

/* Most one-thread runs --runs takes. */
#define MAX_RUNS 25

static int by_cpu(const void *a, const void *b) {
  double x = ((const result *)a)->cpu_seconds,
         y = ((const result *)b)->cpu_seconds;
  return (x > y) - (x < y);
}

/* Runs measure() `runs` times on one thread, prints each run, and returns
 * the median run by CPU time (the figure; *best gets the fastest). */
static result measure_runs(char **paths, size_t n, bool check, int runs,
                           const char *what, result *best) {
  result r[MAX_RUNS];
  for (int k = 0; k < runs; k++) {
    r[k] = measure(paths, n, 1, check);
    char label[64];
    snprintf(label, sizeof label, "%s, run %d", what, k + 1);
    print_rate(label, r[k]);
  }
  qsort(r, (size_t)runs, sizeof *r, by_cpu);
  *best = r[0];
  char label[64];
  snprintf(label, sizeof label, "%s, median", what);
  print_rate(label, r[runs / 2]);
  snprintf(label, sizeof label, "%s, best", what);
  print_rate(label, r[0]);
  return r[runs / 2];
}

/* ------------------------------------------------------------ processes */

typedef struct proc {
  int status;
  double seconds;
  double cpu_seconds;
  long max_rss_kb;
} proc;

/* Runs argv with standard output and error to /dev/null. */
static proc run_process(char *const argv[]) {
  proc p = {-1, 0, 0, 0};
  double t0 = now();
  pid_t pid = fork();
  if (pid < 0)
    return p;
  if (pid == 0) {
    int fd = open("/dev/null", O_WRONLY);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    execvp(argv[0], argv);
    _exit(127);
  }
  struct rusage ru;
  int status = 0;
  if (wait4(pid, &status, 0, &ru) == pid) {
    p.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    p.max_rss_kb = ru.ru_maxrss;
    p.cpu_seconds =
        (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
        (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
  }
  p.seconds = now() - t0;
  return p;
}

/* Whether a run of `gongkai` did its work: exit 0, or 1 (check found
 * errors in a report).  127 is a program that could not be started, 3 an
 * input it could not read, 128+ a signal: their times and memory are not
 * the command's. */
static bool did_work(const proc *p) { return p->status == 0 || p->status == 1; }

static bool have_program(const char *name) {
  const char *path = getenv("PATH");
  if (!path)
    return false;
  char *copy = strdup(path), *save = NULL;
  bool found = false;
  for (char *d = strtok_r(copy, ":", &save); d && !found;
       d = strtok_r(NULL, ":", &save)) {
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", d, name);
    found = access(p, X_OK) == 0;
  }
  free(copy);
  return found;
}

/* ----------------------------------------------------------------- PDFs */

static void bench_pdfs(const char *shared, const char *gongkai, int runs,
                       double *ratio_out) {
  *ratio_out = -1;
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/corpus/raw", shared);
  files all = {0};
  list_files(dir, &all);
  files pdfs = {0};
  for (size_t i = 0; i < all.n; i++) {
    size_t l = strlen(all.v[i]);
    if (l > 4 && strcmp(all.v[i] + l - 4, ".pdf") == 0) {
      if (pdfs.n == pdfs.cap) {
        pdfs.cap = pdfs.cap ? pdfs.cap * 2 : 8;
        pdfs.v = realloc(pdfs.v, pdfs.cap * sizeof *pdfs.v);
      }
      pdfs.v[pdfs.n++] = all.v[i];
    } else {
      free(all.v[i]);
    }
  }
  free(all.v);
  printf("\nPDF (%zu files in %s, each run %d times; both as processes, "
         "output to /dev/null):\n",
         pdfs.n, dir, runs);
  if (pdfs.n == 0) {
    printf("  no PDFs found\n");
    goto done;
  }
  gk_report *r = NULL;
  const char *detail = NULL;
  gk_status st = gk_read_file(pdfs.v[0], NULL, &r, &detail);
  gk_report_free(r);
  if (st == GK_EUNSUPPORTED) {
    printf("  PDF reader not available (%s%s%s)\n", gk_strerror(st),
           detail ? ": " : "", detail ? detail : "");
    goto done;
  }
  if (!have_program("mutool")) {
    printf("  mutool not installed: no comparison\n");
    goto done;
  }
  double total_g = 0, total_m = 0;
  bool failed = false;
  for (size_t i = 0; i < pdfs.n; i++) {
    char *g_argv[] = {(char *)gongkai, "check", pdfs.v[i], NULL};
    char *m_argv[] = {"mutool", "draw",      "-q",      "-F", "txt",
                      "-o",     "/dev/null", pdfs.v[i], NULL};
    /* One of each first, so both find the file in the page cache. */
    run_process(g_argv);
    run_process(m_argv);
    double g = 0, m = 0;
    int g_status = 0;
    for (int k = 0; k < runs; k++) {
      proc p = run_process(g_argv);
      g += p.seconds;
      g_status = p.status;
      if (!did_work(&p))
        failed = true;
      m += run_process(m_argv).seconds;
    }
    double in_proc = 0;
    for (int k = 0; k < runs; k++) {
      double t0 = now();
      gk_report *rep = NULL;
      if (gk_read_file(pdfs.v[i], NULL, &rep, NULL) == GK_OK)
        gk_check(rep, NULL);
      gk_report_free(rep);
      in_proc += now() - t0;
    }
    struct stat sb;
    stat(pdfs.v[i], &sb);
    printf("  %-40s %7.1f KB  gongkai check %6.1f ms (exit %d; in-process "
           "%5.1f ms)  mutool %6.1f ms  ratio %.2f\n",
           pdfs.v[i], (double)sb.st_size / 1024, g / runs * 1e3, g_status,
           in_proc / runs * 1e3, m / runs * 1e3, g / m);
    total_g += g;
    total_m += m;
  }
  if (failed) {
    printf("  `%s check` did not run to the end on every PDF (see the exit "
           "statuses): no ratio\n",
           gongkai);
    goto done;
  }
  *ratio_out = total_g / total_m;
  printf("  all PDFs: gongkai %.1f ms, mutool %.1f ms per round: ratio %.2f\n",
         total_g / runs * 1e3, total_m / runs * 1e3, *ratio_out);
done:
  for (size_t i = 0; i < pdfs.n; i++)
    free(pdfs.v[i]);
  free(pdfs.v);
}

/* ------------------------------------------------------------ clean up */

static void remove_tree(const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    struct stat sb;
    if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
      remove_tree(p);
    else
      unlink(p);
  }
  closedir(d);
  rmdir(dir);
}

static void usage(void) {
  fprintf(stderr, "usage: gk_bench [--reports N] [--jobs N] [--shared DIR] "
                  "[--gongkai PATH] [--keep DIR] [--seed N] [--pdf-runs N] "
                  "[--runs N]\n");
  exit(2);
}

int main(int argc, char **argv) {
  size_t n = 10000;
  unsigned jobs = (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
  const char *shared = GK_BENCH_SHARED, *gongkai = GK_BENCH_GONGKAI;
  const char *keep = NULL;
  uint64_t seed = 5;
  int pdf_runs = 10, cpu_runs = 5;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (i + 1 >= argc)
      usage();
    if (strcmp(a, "--reports") == 0)
      n = strtoul(argv[++i], NULL, 10);
    else if (strcmp(a, "--jobs") == 0)
      jobs = (unsigned)strtoul(argv[++i], NULL, 10);
    else if (strcmp(a, "--shared") == 0)
      shared = argv[++i];
    else if (strcmp(a, "--gongkai") == 0)
      gongkai = argv[++i];
    else if (strcmp(a, "--keep") == 0)
      keep = argv[++i];
    else if (strcmp(a, "--seed") == 0)
      seed = strtoull(argv[++i], NULL, 10);
    else if (strcmp(a, "--pdf-runs") == 0)
      pdf_runs = atoi(argv[++i]);
    else if (strcmp(a, "--runs") == 0)
      cpu_runs = atoi(argv[++i]);
    else
      usage();
  }
  if (n < 10 || jobs < 1 || pdf_runs < 1 || cpu_runs < 1 || cpu_runs > MAX_RUNS)
    usage();
  struct stat sb;
  bool have_shared = stat(shared, &sb) == 0 && S_ISDIR(sb.st_mode);

  printf("== gk_bench: gongkai parse+check throughput, PDF against mutool, "
         "memory of a batch ==\n");
  print_machine();
  print_load("at the start");

  char dir[4096];
  if (keep) {
    snprintf(dir, sizeof dir, "%s", keep);
    mkdir(dir, 0777);
  } else {
    snprintf(dir, sizeof dir, "%s/gk-bench-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
      perror("gk_bench: mkdtemp");
      return 1;
    }
  }
  printf("\ncorpus: %zu reports in %s (seed %llu)%s\n", n, dir,
         (unsigned long long)seed,
         have_shared ? "" : "; ../shared not found: template reports only");
  corpus_stats cs;
  double t0 = now();
  if (corpus_write(dir, n, 10, have_shared ? shared : NULL, 0.35, seed, &cs) !=
      0) {
    if (!keep)
      remove_tree(dir);
    return 1;
  }
  printf("  %zu files, %.1f MB (mean %.1f KB) written in %.1f s: template "
         "tabs %zu, spaces %zu, markdown %zu; from %zu real reports %zu\n",
         cs.files, (double)cs.bytes / 1e6,
         (double)cs.bytes / 1024.0 / (double)cs.files, now() - t0,
         cs.from_template[0], cs.from_template[1], cs.from_template[2],
         cs.shared_sources, cs.from_shared);

  files fl = {0};
  list_files(dir, &fl);
  /* Warm the page cache and the allocator. */
  measure(fl.v, fl.n < 500 ? fl.n : 500, 1, true);

  printf("\ntext reports, in process (gk_read_file + gk_check):\n");
  result best_one, best_parse;
  result one = measure_runs(fl.v, fl.n, true, cpu_runs,
                            "parse + check, 1 thread", &best_one);
  result all = measure(fl.v, fl.n, jobs, true);
  char what[64];
  snprintf(what, sizeof what, "parse + check, %u threads", jobs);
  print_rate(what, all);
  (void)measure_runs(fl.v, fl.n, false, cpu_runs, "parse only, 1 thread",
                     &best_parse);
  /* The checks' share from the best runs of each: two medians may come
   * from a slow and a fast spell of the machine. */
  printf("  readable %zu of %zu; %.2f errors and %.2f warnings per report; "
         "checks take %.0f%% of the single-thread CPU time (best runs)\n",
         one.ok, fl.n, (double)one.errors / (double)(one.ok ? one.ok : 1),
         (double)one.warnings / (double)(one.ok ? one.ok : 1),
         100.0 * (1.0 - best_parse.cpu_seconds / best_one.cpu_seconds));

  printf("\n`gongkai table` as a process (wall time, peak resident memory):\n");
  char out_csv[4200], out_xlsx[4200], first[4200];
  snprintf(out_csv, sizeof out_csv, "%s.csv", dir);
  snprintf(out_xlsx, sizeof out_xlsx, "%s.xlsx", dir);
  snprintf(first, sizeof first, "%s/batch_00", dir);
  double peak_mb = -1;
  bool table_failed = false;
  struct {
    const char *flag;
    const char *out;
    const char *in;
    size_t count;
  } runs[] = {{"--csv", out_csv, first, n / 10},
              {"--csv", out_csv, dir, n},
              {"--xlsx", out_xlsx, first, n / 10},
              {"--xlsx", out_xlsx, dir, n}};
  for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++) {
    char *argv_t[] = {(char *)gongkai,
                      "table",
                      "--quiet",
                      (char *)runs[k].flag,
                      (char *)runs[k].out,
                      (char *)runs[k].in,
                      NULL};
    proc p = run_process(argv_t);
    struct stat os;
    double out_mb = stat(runs[k].out, &os) == 0 ? (double)os.st_size / 1e6 : 0;
    printf("  table %-6s %6zu reports: %6.2f s wall, %6.2f s CPU, %6.0f "
           "reports/s, peak %5.1f MB, output %5.1f MB, exit %d\n",
           runs[k].flag, runs[k].count, p.seconds, p.cpu_seconds,
           (double)runs[k].count / p.seconds, (double)p.max_rss_kb / 1024.0,
           out_mb, p.status);
    if (!did_work(&p))
      table_failed = true;
    else if (runs[k].count == n && (double)p.max_rss_kb / 1024.0 > peak_mb)
      peak_mb = (double)p.max_rss_kb / 1024.0;
    unlink(runs[k].out);
  }

  double pdf_ratio = -1;
  if (have_shared)
    bench_pdfs(shared, gongkai, pdf_runs, &pdf_ratio);
  else
    printf("\nPDF: ../shared not found: no PDFs to time\n");

  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("\nthis benchmark process (corpus generation and the in-process "
         "runs): peak %.1f MB\n",
         (double)ru.ru_maxrss / 1024.0);

  print_load("at the end");
  double rate = (double)one.ok / one.seconds;
  double cpu_rate = (double)one.ok / one.cpu_seconds;
  double best_rate = (double)best_one.ok / best_one.cpu_seconds;
  printf("\ntargets (issue 5):\n");
  printf("  text parse+check on one core >= %.0f reports/s: median of %d runs "
         "%.0f wall, %.0f per CPU-second (best %.0f)  %s\n",
         TARGET_REPORTS_PER_S, cpu_runs, rate, cpu_rate, best_rate,
         cpu_rate >= TARGET_REPORTS_PER_S ? "met" : "MISSED");
  if (pdf_ratio >= 0)
    printf("  PDF end to end <= %.1fx mutool draw -F txt: %.2fx  %s\n",
           TARGET_PDF_RATIO, pdf_ratio,
           pdf_ratio <= TARGET_PDF_RATIO ? "met" : "MISSED");
  else
    printf("  PDF end to end <= %.1fx mutool draw -F txt: not measured\n",
           TARGET_PDF_RATIO);
  if (table_failed || peak_mb < 0)
    printf("  peak memory of `table` over %zu reports <= %.0f MB: not measured "
           "(`%s table` failed; see its exit status above)\n",
           n, TARGET_PEAK_MB, gongkai);
  else
    printf("  peak memory of `table` over %zu reports <= %.0f MB: %.1f MB  "
           "%s\n",
           n, TARGET_PEAK_MB, peak_mb,
           peak_mb <= TARGET_PEAK_MB ? "met" : "MISSED");

  for (size_t i = 0; i < fl.n; i++)
    free(fl.v[i]);
  free(fl.v);
  if (!keep)
    remove_tree(dir);
  return 0;
}
