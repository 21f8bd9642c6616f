/*
 * fault_test.c - allocation failure, as SQLite's test suite does it: for
 * each input, the N-th allocation is made to fail, for N = 1, 2, ...
 * until a run completes without reaching N.  Each run reads the input
 * (every reader: text, Markdown, HTML, DOCX, PDF, and the model JSON),
 * checks it and writes its JSON (the diagnostics of the checks
 * included), and must end in one of two ways:
 *
 *   - GK_OK with exactly the JSON of the run without failures, or
 *   - GK_ENOMEM (from the reader, the checks or the writer);
 *
 * never a crash, never a leak (LeakSanitizer is asked after every run
 * when the build has it), never another status and never a different
 * answer with GK_OK: a title lost to a failed allocation, a rule turned
 * off because its word list could not be built, a PDF page dropped.
 *
 * The library counts the requests (src/base/fault.c): every arena
 * allocation, and every malloc, calloc and realloc made by its code,
 * which this program catches with the linker's --wrap (see
 * CMakeLists.txt), MuPDF's allocator included.  Allocations inside other
 * shared libraries (libxml2, libzip, jansson, utf8proc, iconv) are not
 * counted: their failures reach us as their own error returns.
 *
 *   fault_test [--max-runs K] [--keep-going] [--cold] [--prev LASTYEAR]
 *              FILE...
 *
 * A model JSON file (*.json) is read with gk_read_model_json(), anything
 * else with gk_read_file().  With --prev, each FILE is also checked with
 * LASTYEAR as its last year's report (the history.* rules).  An input
 * that needs more than K runs (default 600; 0: no limit) is run for K
 * values of N spread evenly over its requests (a stride), and the program
 * says so; `fault_test --max-runs 0 FILE` tries every N.  An input stops at
 * its first failure unless --keep-going is given (for hunting bugs: every
 * failing N is then listed); --only N runs just that N, and GK_FAULT_TRACE=1
 * prints where the failing request was made.  --cold runs each N in a
 * fresh process, for the caches built on first use (run_cold()).  The last line
 * is "N passed, N failed" counting inputs.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "gongkai.h"

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_LSAN 1
#endif
#endif
#ifdef HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#endif

#ifndef GK_FAULT_INJECT
#error "fault_test needs the library built with GK_FAULT_INJECT"
#endif

/* ------------------------------------------------ the wrapped allocator */

/* The linker sends the library's calls here (-Wl,--wrap=malloc etc.);
 * __real_* are the C library's (or the sanitizer's). */
void *__real_malloc(size_t n);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *p, size_t n);

void *__wrap_malloc(size_t n) {
  return gk__fault_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t count, size_t size) {
  return gk__fault_fail() ? NULL : __real_calloc(count, size);
}

void *__wrap_realloc(void *p, size_t n) {
  /* realloc(p, 0) frees: that is not an allocation that can fail. */
  if (n != 0 && gk__fault_fail())
    return NULL;
  return __real_realloc(p, n);
}

/* ------------------------------------------------------------- one run */

/* LeakSanitizer is asked after every this many runs; see run_input(). */
#define LEAK_EVERY 8

static const gk_report *prev_report; /* --prev, read without faults */
static bool keep_going;              /* --keep-going: every N, all failures */
static unsigned long only_n;         /* --only N: just that N */
static bool cold;                    /* --cold: see run_cold() */

static bool ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The whole file at path into a malloc'd buffer (not counted: this runs
 * unarmed). */
static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *buf = NULL;
  size_t cap = 0, n = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 65536;
      char *nb = realloc(buf, cap);
      if (!nb) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = nb;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0)
      break;
  }
  fclose(f);
  *len = n;
  return buf;
}

typedef struct input {
  const char *path;
  char *json_text; /* the model JSON's bytes, for gk_read_model_json() */
  size_t json_len;
  bool with_prev;
} input;

/* Reads, checks and writes one input; *out is the JSON (the caller frees
 * it) on GK_OK. */
static gk_status run_once(const input *in, char **out, size_t *len) {
  gk_report *r = NULL;
  gk_status st;
  *out = NULL;
  if (in->json_text)
    st = gk_read_model_json(in->json_text, in->json_len, &r, NULL);
  else
    st = gk_read_file(in->path, NULL, &r, NULL);
  if (st != GK_OK)
    return st;
  gk_check_options co = {0};
  co.prev = in->with_prev ? prev_report : NULL;
  st = gk_check(r, &co);
  if (st == GK_OK)
    st = gk_report_to_json(r, GK_JSON_PRETTY, out, len);
  gk_report_free(r);
  return st;
}

/* Whether memory leaked since the program began.  A leak stays leaked, so
 * once one was reported (with --keep-going) the later runs are not asked
 * again. */
static bool leaked(void) {
#ifdef HAVE_LSAN
  static bool reported;
  if (reported)
    return false;
  reported = __lsan_do_recoverable_leak_check() != 0;
  return reported;
#else
  return false;
#endif
}

/* Where the first difference between two outputs is, for the message. */
static void show_difference(const char *a, size_t alen, const char *b,
                            size_t blen) {
  size_t i = 0, line = 1;
  while (i < alen && i < blen && a[i] == b[i]) {
    if (a[i] == '\n')
      line++;
    i++;
  }
  size_t from = i;
  while (from > 0 && a[from - 1] != '\n')
    from--;
  const char *ea = memchr(a + from, '\n', alen - from);
  const char *eb = memchr(b + from, '\n', blen - from);
  int la = (int)((ea ? (size_t)(ea - a) : alen) - from);
  int lb = (int)((eb ? (size_t)(eb - b) : blen) - from);
  printf("    first difference at line %zu:\n      normal: %.*s\n"
         "      faulty: %.*s\n",
         line, la > 300 ? 300 : la, a + from, lb > 300 ? 300 : lb, b + from);
}

/* Runs every N (or a stride of them) on one input; true when all held. */
static bool run_input(const input *in, unsigned long max_runs) {
  char *want = NULL;
  size_t want_len = 0;
  gk__fault_arm(ULONG_MAX); /* count only */
  gk_status st = run_once(in, &want, &want_len);
  unsigned long total = 0;
  gk__fault_disarm(&total);
  if (st != GK_OK) {
    printf("FAIL %s: the run without faults gives %s\n", in->path,
           gk_status_name(st));
    return false;
  }
  unsigned long stride = 1;
  if (max_runs && total > max_runs)
    stride = (total + max_runs - 1) / max_runs;
  clock_t t0 = clock();
  unsigned long runs = 0, enomem = 0, same = 0, leak_checked_to = 0;
  bool ok = true;
  for (unsigned long n = only_n ? only_n : 1;; n += stride) {
    char *got = NULL;
    size_t got_len = 0;
    gk__fault_arm(n);
    st = run_once(in, &got, &got_len);
    unsigned long seen = 0;
    bool fired = gk__fault_disarm(&seen);
    runs++;
    if (st == GK_OK) {
      if (got_len != want_len || memcmp(got, want, want_len) != 0) {
        printf("FAIL %s: allocation %lu failed, the run said GK_OK with a "
               "different answer\n",
               in->path, n);
        show_difference(want, want_len, got, got_len);
        /* GK_FAULT_DUMP=DIR keeps both answers for a closer look. */
        const char *dump = getenv("GK_FAULT_DUMP");
        if (dump) {
          char name[4096];
          snprintf(name, sizeof name, "%s/normal.json", dump);
          FILE *f = fopen(name, "wb");
          if (f) {
            fwrite(want, 1, want_len, f);
            fclose(f);
          }
          snprintf(name, sizeof name, "%s/faulty-%lu.json", dump, n);
          f = fopen(name, "wb");
          if (f) {
            fwrite(got, 1, got_len, f);
            fclose(f);
          }
        }
        ok = false;
      } else {
        same++;
      }
    } else if (st == GK_ENOMEM) {
      enomem++;
      if (!fired) {
        printf("FAIL %s: GK_ENOMEM at N = %lu without a failed "
               "allocation\n",
               in->path, n);
        ok = false;
      }
    } else {
      printf("FAIL %s: allocation %lu failed, the run said %s, not "
             "GK_ENOMEM\n",
             in->path, n, gk_status_name(st));
      ok = false;
    }
    free(got);
    /* A leak stays leaked, so asking every LEAK_EVERY runs (and after
     * the last) finds every one; each question stops the process for a
     * heap scan, which costs far more than the run. */
    bool last = (!ok && !keep_going) || !fired || only_n;
    if ((last || runs % LEAK_EVERY == 0 || keep_going) && leaked()) {
      printf("FAIL %s: a leak (above), from a run with N in (%lu, %lu]\n",
             in->path, leak_checked_to, n);
      ok = false;
    }
    leak_checked_to = n;
    if ((!ok && !keep_going) || !fired || only_n)
      break;
  }
  double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
  if (ok)
    printf("ok   %s: %lu requests, %lu runs%s (%lu GK_ENOMEM, %lu same "
           "answer), %.1f s CPU\n",
           in->path, total, runs,
           stride > 1 ? " (a stride over N: not every N tried)" : "", enomem,
           same, s);
  free(want);
  return ok;
}

/* ----------------------------------------------- caches built cold */

/* Reads everything from fd into a malloc'd buffer. */
static char *read_all_fd(int fd, size_t *len) {
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    if (n == cap) {
      char *nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        return NULL;
      }
      buf = nb;
      cap *= 2;
    }
    ssize_t got = read(fd, buf + n, cap - n);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      break;
    n += (size_t)got;
  }
  *len = n;
  return buf;
}

/*
 * --cold: the process-wide caches (the prose word list, the label
 * patterns) are built on first use, and a failure then must be reported
 * and tried again, never kept: before issue 15 one failure while folding
 * the word list turned off every text.* rule for the rest of a batch.
 * The runs above start warm (the run without faults built the caches), so
 * here every run is in a fresh child process: the N-th request fails in
 * the first run (GK_ENOMEM or the normal answer), and the second run, in
 * the same process, must give the normal answer.
 */
static bool run_cold(const input *in, unsigned long max_runs) {
  int fds[2];
  if (pipe(fds) != 0)
    return false;
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    char *out = NULL;
    size_t len = 0;
    gk__fault_arm(ULONG_MAX); /* count only */
    gk_status st = run_once(in, &out, &len);
    unsigned long total = 0;
    gk__fault_disarm(&total);
    bool ok = st == GK_OK &&
              write(fds[1], &total, sizeof total) == (ssize_t)sizeof total;
    for (size_t w = 0; ok && w < len;) {
      ssize_t k = write(fds[1], out + w, len - w);
      ok = k > 0;
      w += ok ? (size_t)k : 0;
    }
    free(out);
    _exit(ok ? 0 : 1);
  }
  close(fds[1]);
  size_t got_len = 0;
  char *got = pid > 0 ? read_all_fd(fds[0], &got_len) : NULL;
  close(fds[0]);
  int status = 0;
  if (pid > 0)
    waitpid(pid, &status, 0);
  unsigned long total = 0;
  if (!got || got_len < sizeof total || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    printf("FAIL %s: the cold run without faults failed\n", in->path);
    free(got);
    return false;
  }
  memcpy(&total, got, sizeof total);
  const char *want = got + sizeof total;
  size_t want_len = got_len - sizeof total;
  unsigned long stride = 1;
  if (max_runs && total > max_runs)
    stride = (total + max_runs - 1) / max_runs;
  unsigned long runs = 0;
  bool ok = true;
  for (unsigned long n = 1; n <= total && ok; n += stride) {
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
      char *a = NULL, *b = NULL;
      size_t alen = 0, blen = 0;
      gk__fault_arm(n);
      gk_status st1 = run_once(in, &a, &alen);
      gk__fault_disarm(NULL);
      gk_status st2 = run_once(in, &b, &blen);
      int rc = 0;
      if (st1 == GK_OK && (alen != want_len || memcmp(a, want, alen) != 0)) {
        printf("FAIL %s (cold): allocation %lu failed, the run said GK_OK "
               "with a different answer\n",
               in->path, n);
        show_difference(want, want_len, a, alen);
        rc = 1;
      } else if (st1 != GK_OK && st1 != GK_ENOMEM) {
        printf("FAIL %s (cold): allocation %lu failed, the run said %s\n",
               in->path, n, gk_status_name(st1));
        rc = 1;
      }
      if (st2 != GK_OK || blen != want_len || memcmp(b, want, blen) != 0) {
        printf("FAIL %s (cold): after allocation %lu failed, the next run "
               "said %s%s: a failure was kept\n",
               in->path, n, gk_status_name(st2),
               st2 == GK_OK ? " with a different answer" : "");
        if (st2 == GK_OK)
          show_difference(want, want_len, b, blen);
        rc = 1;
      }
      free(a);
      free(b);
      fflush(stdout);
      exit(rc); /* LeakSanitizer looks at the child's heap on exit */
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
      if (pid > 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 1))
        printf("FAIL %s (cold): the child for allocation %lu ended with "
               "status %d (a crash or a leak, above)\n",
               in->path, n, status);
      ok = false;
    }
    runs++;
  }
  if (ok)
    printf("ok   %s (cold): %lu requests, %lu runs in fresh processes%s\n",
           in->path, total, runs,
           stride > 1 ? " (a stride over N: not every N tried)" : "");
  free(got);
  return ok;
}

int main(int argc, char **argv) {
  /* Line by line: LeakSanitizer ends the program with _exit(). */
  setvbuf(stdout, NULL, _IOLBF, 0);
  unsigned long max_runs = 600;
  const char *prev_path = NULL;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "--max-runs") == 0 && i + 1 < argc) {
      max_runs = strtoul(argv[++i], NULL, 10);
    } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      only_n = strtoul(argv[++i], NULL, 10);
    } else if (strcmp(argv[i], "--cold") == 0) {
      cold = true;
    } else if (strcmp(argv[i], "--keep-going") == 0) {
      keep_going = true;
    } else if (strcmp(argv[i], "--prev") == 0 && i + 1 < argc) {
      prev_path = argv[++i];
    } else {
      fprintf(
          stderr,
          "usage: fault_test [--max-runs K] [--keep-going] [--cold] [--only N] "
          "[--prev FILE] "
          "FILE...\n");
      return 2;
    }
  }
  gk_report *prev = NULL;
  if (prev_path) {
    gk_status st = gk_read_file(prev_path, NULL, &prev, NULL);
    if (st != GK_OK) {
      printf("cannot read %s: %s\n", prev_path, gk_status_name(st));
      return 1;
    }
    prev_report = prev;
  }
  int passed = 0, failed = 0;
  for (; i < argc; i++) {
    input in = {0};
    in.path = argv[i];
    in.with_prev = prev != NULL;
    if (ends_with(in.path, ".json")) {
      in.json_text = slurp(in.path, &in.json_len);
      if (!in.json_text) {
        printf("FAIL %s: cannot read it\n", in.path);
        failed++;
        continue;
      }
    }
    if (cold ? run_cold(&in, max_runs) : run_input(&in, max_runs))
      passed++;
    else
      failed++;
    free(in.json_text);
  }
  gk_report_free(prev);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
