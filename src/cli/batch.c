/*
 * batch.c - many reports at once: the folder walk, the worker pool, the
 * pairing of one body's consecutive years, the spool and the progress
 * bar (see batch.h for what a command sees).
 *
 * The pool is the usual ordered pipeline: workers take inputs in order
 * from a shared counter, each reads, checks and renders one report and
 * puts the bytes in a ring of `window` slots; the calling thread takes
 * the slots in order and emits them.  A worker does not start an input
 * more than `window` ahead of the last one emitted, so at most `window`
 * results and one report per worker are alive at any time.
 *
 * Pairing needs every report's body and year before any output can be
 * final, so with pair_years the first pass writes each result to an
 * unlinked spool file and records (body key, year).  The pairs found, a
 * second pass reads and checks again only the reports whose previous year
 * is among the inputs (with it as gk_check_options.prev), and the output
 * is the spool with those items replaced, in input order.  A batch of
 * one year's reports, the common case, costs one read per file.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"

/* Results a worker may run ahead of the emitter, per worker. */
#define WINDOW_PER_JOB 8

/* Room for a body key: names are tens of characters. */
#define KEY_BYTES 512

/* The progress bar is redrawn at most this often (seconds). */
#define PROGRESS_INTERVAL 0.1

#define NO_PREV SIZE_MAX

/* ----------------------------------------------------------- utilities */

static int exit_for(gk_status st) {
  return st == GK_ENOMEM || st == GK_EINTERNAL ? EXIT_INTERNAL : EXIT_INPUT;
}

/* A malloc'd printf; NULL when memory ran out. */
static char *fmt_alloc(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
static char *fmt_alloc(const char *fmt, ...) {
  /* Formatted once on the stack (a path: short), copied; again into the
   * allocation only when longer. */
  char small[512];
  va_list ap, again;
  va_start(ap, fmt);
  va_copy(again, ap);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  char *s = n < 0 ? NULL : malloc((size_t)n + 1);
  if (s && (size_t)n < sizeof small)
    memcpy(s, small, (size_t)n + 1);
  else if (s)
    vsnprintf(s, (size_t)n + 1, fmt, again);
  va_end(again);
  return s;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------- the inputs */

typedef struct strvec {
  char **v;
  size_t n, cap;
} strvec;

static bool strvec_push(strvec *s, char *p) {
  if (!p)
    return false;
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 64;
    char **v = realloc(s->v, cap * sizeof *v);
    if (!v) {
      free(p);
      return false;
    }
    s->v = v;
    s->cap = cap;
  }
  s->v[s->n++] = p;
  return true;
}

static void strvec_free(strvec *s) {
  for (size_t i = 0; i < s->n; i++)
    free(s->v[i]);
  free(s->v);
  s->v = NULL;
  s->n = s->cap = 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The folders entered so far, by device and inode: a symbolic link back
 * to a folder already walked (`a -> .`) is met once and skipped, instead
 * of being walked again below itself until the depth limit (2^32 paths
 * for two such links). */
typedef struct dir_id {
  dev_t dev;
  ino_t ino;
  char *path; /* where it was first entered, for the message */
} dir_id;

typedef struct walk_state {
  dir_id *v;
  size_t n, cap;
} walk_state;

static void walk_state_free(walk_state *w) {
  for (size_t i = 0; i < w->n; i++)
    free(w->v[i].path);
  free(w->v);
}

/* What kind of file a stat says, for the message naming what was
 * skipped. */
static const char *special_kind(mode_t m) {
  if (S_ISFIFO(m))
    return "命名管道（FIFO）";
  if (S_ISSOCK(m))
    return "套接字";
  if (S_ISCHR(m) || S_ISBLK(m))
    return "设备文件";
  return "特殊文件";
}

/* Records the folder of sb; false when it was entered before (the
 * message says where), or when memory ran out (*oom). */
static bool enter_dir(walk_state *w, const char *path, const struct stat *sb,
                      bool *oom) {
  for (size_t i = 0; i < w->n; i++) {
    if (w->v[i].dev == sb->st_dev && w->v[i].ino == sb->st_ino) {
      fprintf(stderr,
              "gongkai: %s: 与已读取的目录 %s 是同一目录（符号链接或重复的"
              "参数），已跳过\n",
              path, w->v[i].path);
      return false;
    }
  }
  if (w->n == w->cap) {
    size_t cap = w->cap ? w->cap * 2 : 16;
    dir_id *v = realloc(w->v, cap * sizeof *v);
    if (!v) {
      *oom = true;
      return false;
    }
    w->v = v;
    w->cap = cap;
  }
  char *copy = strdup(path);
  if (!copy) {
    *oom = true;
    return false;
  }
  w->v[w->n++] = (dir_id){sb->st_dev, sb->st_ino, copy};
  return true;
}

/* Adds the files under `dir` (whose stat is *dsb), names in byte order,
 * depth first.  Special files (FIFOs, sockets, devices) are named on
 * standard error and left out without being opened: opening a FIFO with
 * no writer would block.  Returns an exit code (EXIT_INPUT for a folder
 * that cannot be listed). */
static int walk(walk_state *w, const char *dir, const struct stat *dsb,
                int depth, strvec *out) {
  bool oom = false;
  if (!enter_dir(w, dir, dsb, &oom))
    return oom ? EXIT_INTERNAL : EXIT_OK;
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "gongkai: %s: 无法读取目录（%s）\n", dir, strerror(errno));
    return EXIT_INPUT;
  }
  strvec names = {0};
  int rc = EXIT_OK;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue; /* ".", "..", and hidden files such as .DS_Store */
    if (!strvec_push(&names, strdup(e->d_name))) {
      rc = EXIT_INTERNAL;
      break;
    }
  }
  closedir(d);
  if (rc == EXIT_OK && names.n)
    qsort(names.v, names.n, sizeof *names.v, cmp_str);
  size_t dl = strlen(dir);
  bool slash = dl > 0 && dir[dl - 1] == '/';
  for (size_t i = 0; i < names.n && rc != EXIT_INTERNAL; i++) {
    char *p = fmt_alloc("%s%s%s", dir, slash ? "" : "/", names.v[i]);
    if (!p) {
      rc = EXIT_INTERNAL;
      break;
    }
    struct stat sb;
    bool known = stat(p, &sb) == 0;
    if (known && S_ISDIR(sb.st_mode)) {
      if (depth >= GK_BATCH_MAX_DEPTH) {
        fprintf(stderr, "gongkai: %s: 目录层级超过 %d 层，未读取\n", p,
                GK_BATCH_MAX_DEPTH);
        rc = gk_cli_max_rc(rc, EXIT_INPUT);
      } else {
        rc = gk_cli_max_rc(rc, walk(w, p, &sb, depth + 1, out));
      }
      free(p);
    } else if (!known || S_ISREG(sb.st_mode)) {
      /* A dangling link is listed: reading it says what is wrong. */
      if (!strvec_push(out, p))
        rc = EXIT_INTERNAL;
    } else {
      /* Not a report, and a walk does not stop for it: said, not an
       * input error. */
      fprintf(stderr, "gongkai: %s: 是%s，不是普通文件，已跳过\n", p,
              special_kind(sb.st_mode));
      free(p);
    }
  }
  strvec_free(&names);
  return rc;
}

/* One file of the list by device and inode, for finding repeats. */
typedef struct file_id {
  dev_t dev;
  ino_t ino;
  size_t index;
} file_id;

static int cmp_file_id(const void *a, const void *b) {
  const file_id *x = a, *y = b;
  if (x->dev != y->dev)
    return x->dev < y->dev ? -1 : 1;
  if (x->ino != y->ino)
    return x->ino < y->ino ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* Reads each file once: a file met again under another name (a link, a
 * folder given twice) is dropped after its first place, with a line on
 * standard error.  Returns false when memory ran out. */
static bool drop_repeats(strvec *files) {
  file_id *ids = malloc((files->n ? files->n : 1) * sizeof *ids);
  bool *drop = calloc(files->n ? files->n : 1, sizeof *drop);
  size_t *first = malloc((files->n ? files->n : 1) * sizeof *first);
  if (!ids || !drop || !first) {
    free(ids);
    free(drop);
    free(first);
    return false;
  }
  size_t n = 0;
  for (size_t i = 0; i < files->n; i++) {
    struct stat sb;
    if (strcmp(files->v[i], "-") != 0 && stat(files->v[i], &sb) == 0)
      ids[n++] = (file_id){sb.st_dev, sb.st_ino, i};
  }
  qsort(ids, n, sizeof *ids, cmp_file_id);
  for (size_t k = 1; k < n; k++) {
    if (ids[k].dev == ids[k - 1].dev && ids[k].ino == ids[k - 1].ino) {
      drop[ids[k].index] = true;
      first[ids[k].index] =
          drop[ids[k - 1].index] ? first[ids[k - 1].index] : ids[k - 1].index;
    }
  }
  for (size_t i = 0; i < files->n; i++)
    if (drop[i])
      fprintf(stderr, "gongkai: %s: 与 %s 是同一文件，已跳过\n", files->v[i],
              files->v[first[i]]);
  size_t kept = 0;
  for (size_t i = 0; i < files->n; i++) {
    if (drop[i])
      free(files->v[i]);
    else
      files->v[kept++] = files->v[i];
  }
  files->n = kept;
  free(ids);
  free(drop);
  free(first);
  return true;
}

static int expand(int n_paths, char **paths, strvec *out) {
  int rc = EXIT_OK;
  walk_state w = {0};
  for (int i = 0; i < n_paths && rc != EXIT_INTERNAL; i++) {
    struct stat sb;
    if (strcmp(paths[i], "-") != 0 && stat(paths[i], &sb) == 0 &&
        S_ISDIR(sb.st_mode)) {
      rc = gk_cli_max_rc(rc, walk(&w, paths[i], &sb, 1, out));
    } else if (!strvec_push(out, strdup(paths[i]))) {
      rc = EXIT_INTERNAL;
    }
  }
  walk_state_free(&w);
  if (rc != EXIT_INTERNAL && !drop_repeats(out))
    rc = EXIT_INTERNAL;
  if (rc == EXIT_INTERNAL)
    fprintf(stderr, "gongkai: %s\n", gk_strerror(GK_ENOMEM));
  return rc;
}

/* ------------------------------------------------------------ the pool */

/* What a worker made of one input. */
typedef struct result {
  bool ready;
  int rc;    /* EXIT_OK, or why the input gave no report */
  char *err; /* the line for standard error, or NULL */
  char *bytes;
  size_t len;
  size_t errors, warnings, notes;
  char *key; /* pass 1 with pairing: gk_body_key() of its agency */
  int year;
} result;

static void result_free(result *r) {
  free(r->err);
  free(r->bytes);
  free(r->key);
  memset(r, 0, sizeof *r);
}

typedef struct batch batch;

/* Takes one result in order (owning its contents); returns an exit code,
 * EXIT_INTERNAL stopping the pool. */
typedef int (*take_fn)(batch *b, size_t item, result *res, void *state);

struct batch {
  const gk_batch_options *opts;
  char **paths;
  size_t n;
  char *stdin_data; /* when "-" is among the inputs */
  size_t stdin_len;
  gk_status stdin_st;
  /* Standard input as JSON Lines (models, one a line): its lines, and per
   * item the line it reads (NULL when stdin is one input). */
  gk_cli_slice *stdin_lines;
  size_t *line_of;
  bool pairing;     /* first pass: record keys and years */
  size_t *prev_of;  /* second pass: item → its last year, or NO_PREV */
  unsigned threads; /* workers wanted */

  pthread_mutex_t mu;
  pthread_cond_t work_cv; /* a slot was emptied, or stop */
  pthread_cond_t done_cv; /* a slot was filled */
  const size_t *jobs;     /* items of this pass, in order */
  size_t n_jobs;
  size_t next;     /* the next job a worker takes */
  size_t consumed; /* jobs taken by the emitter */
  size_t window;
  result *slots;
  bool stop;

  /* progress bar */
  bool bar;
  bool bar_drawn;
  double pass_start;
  double last_draw;
};

static gk_status read_input(batch *b, size_t item, gk_report **out,
                            const char **detail) {
  const char *path = b->paths[item];
  *detail = NULL;
  if (strcmp(path, "-") != 0)
    return gk_read_file(path, NULL, out, detail);
  if (b->stdin_st != GK_OK)
    return b->stdin_st;
  if (b->line_of) {
    const gk_cli_slice *sl = &b->stdin_lines[b->line_of[item]];
    return gk_read_buffer(b->stdin_data + sl->off, sl->len, "-", NULL, out,
                          detail);
  }
  return gk_read_buffer(b->stdin_data, b->stdin_len, "-", NULL, out, detail);
}

/* Standard input holding JSON Lines: each "-" among the inputs becomes one
 * input per line.  Returns an exit code. */
static int split_stdin(batch *b, strvec *files) {
  gk_status st;
  size_t n =
      gk_cli_json_lines(b->stdin_data, b->stdin_len, &b->stdin_lines, &st);
  if (n == SIZE_MAX && st == GK_ELIMIT) {
    /* Standard input is then refused as one input. */
    b->stdin_st = GK_ELIMIT;
    return EXIT_OK;
  }
  if (n == SIZE_MAX)
    goto oom_msg;
  if (n == 0)
    return EXIT_OK;
  strvec out = {0};
  size_t *line_of = NULL, cap = 0;
  for (size_t i = 0; i < files->n; i++) {
    bool dash = strcmp(files->v[i], "-") == 0;
    for (size_t k = 0; k < (dash ? n : 1); k++) {
      if (out.n == cap) {
        cap = cap ? cap * 2 : 64;
        size_t *w = realloc(line_of, cap * sizeof *w);
        if (!w)
          goto oom;
        line_of = w;
      }
      line_of[out.n] = k;
      if (!strvec_push(&out, strdup(files->v[i])))
        goto oom;
    }
  }
  strvec_free(files);
  *files = out;
  b->line_of = line_of;
  return EXIT_OK;
oom:
  free(line_of);
  strvec_free(&out);
oom_msg:
  fprintf(stderr, "gongkai: -: %s\n", gk_strerror(GK_ENOMEM));
  return EXIT_INTERNAL;
}

/* Reads, checks and renders item i into *res. */
static void process(batch *b, size_t i, result *res) {
  const gk_batch_options *o = b->opts;
  const char *path = b->paths[i];
  const char *detail = NULL;
  gk_report *r = NULL, *prev = NULL;
  size_t p = b->prev_of ? b->prev_of[i] : NO_PREV;
  gk_status st = read_input(b, i, &r, &detail);
  if (st != GK_OK) {
    res->rc = exit_for(st);
    res->err = fmt_alloc("gongkai: %s: %s%s%s\n", path, gk_strerror(st),
                         detail ? "：" : "", detail ? detail : "");
    return;
  }
  if (p != NO_PREV && read_input(b, p, &prev, &detail) != GK_OK)
    prev = NULL; /* it was read in the first pass; gone since: no history */
  gk_check_options co = o->check;
  if (prev)
    co.prev = prev; /* else the caller's (check --prev), if any */
  st = gk_check(r, &co);
  if (st == GK_OK) {
    gk_report_diag_counts(r, &res->errors, &res->warnings, &res->notes);
    if (b->pairing) {
      gk_meta m;
      gk_report_meta(r, &m);
      char key[KEY_BYTES];
      if (gk_body_key(m.agency, key, sizeof key) > 0) {
        res->key = strdup(key);
        if (!res->key)
          st = GK_ENOMEM;
      }
      res->year = m.year;
    }
  }
  if (st == GK_OK && o->render) {
    gk_batch_item item = {.index = i,
                          .path = path,
                          .prev_path = prev ? b->paths[p] : NULL,
                          .report = r,
                          .rc = EXIT_OK,
                          .errors = res->errors,
                          .warnings = res->warnings,
                          .notes = res->notes};
    st = o->render(o->ctx, &item, &res->bytes, &res->len);
  }
  if (st != GK_OK) {
    res->rc = EXIT_INTERNAL;
    res->err = fmt_alloc("gongkai: %s: %s\n", path, gk_strerror(st));
  }
  gk_report_free(prev);
  gk_report_free(r);
}

static void *worker(void *arg) {
  batch *b = arg;
  for (;;) {
    pthread_mutex_lock(&b->mu);
    while (!b->stop && b->next < b->n_jobs &&
           b->next >= b->consumed + b->window)
      pthread_cond_wait(&b->work_cv, &b->mu);
    if (b->stop || b->next >= b->n_jobs) {
      pthread_mutex_unlock(&b->mu);
      return NULL;
    }
    size_t j = b->next++;
    pthread_mutex_unlock(&b->mu);

    result res = {0};
    process(b, b->jobs[j], &res);

    pthread_mutex_lock(&b->mu);
    res.ready = true;
    b->slots[j % b->window] = res;
    pthread_cond_signal(&b->done_cv);
    pthread_mutex_unlock(&b->mu);
  }
}

/* ------------------------------------------------------------ progress */

static void progress_clear(batch *b) {
  if (b->bar && b->bar_drawn) {
    fputs("\r\033[K", stderr);
    b->bar_drawn = false;
  }
}

static void progress(batch *b, const char *what, size_t done, size_t total) {
  if (!b->bar || total == 0)
    return;
  double t = now_seconds();
  if (done < total && t - b->last_draw < PROGRESS_INTERVAL)
    return;
  b->last_draw = t;
  double elapsed = t - b->pass_start;
  double rate = elapsed > 0 ? (double)done / elapsed : 0;
  long left = rate > 0 ? (long)((double)(total - done) / rate + 0.5) : 0;
  enum { WIDTH = 24 };
  int filled = (int)((double)done * WIDTH / (double)total);
  char bar[WIDTH + 1];
  for (int k = 0; k < WIDTH; k++)
    bar[k] = k < filled ? '#' : '.';
  bar[WIDTH] = '\0';
  fprintf(stderr, "\r\033[K%s [%s] %zu/%zu  %.0f 份/秒  剩余 %ld:%02ld", what,
          bar, done, total, rate, left / 60, left % 60);
  fflush(stderr);
  b->bar_drawn = true;
}

/* Runs the pool over `jobs`, handing each result to `take` in order.
 * Returns the merged exit code. */
static int run_pool(batch *b, const size_t *jobs, size_t n_jobs,
                    const char *what, take_fn take, void *state) {
  if (n_jobs == 0)
    return EXIT_OK;
  unsigned threads = b->threads;
  if (threads > n_jobs)
    threads = (unsigned)n_jobs;
  b->jobs = jobs;
  b->n_jobs = n_jobs;
  b->next = 0;
  b->consumed = 0;
  b->stop = false;
  b->window = (size_t)threads * WINDOW_PER_JOB;
  b->slots = calloc(b->window, sizeof *b->slots);
  pthread_t tids[GK_BATCH_MAX_JOBS];
  unsigned started = 0;
  if (b->slots) {
    for (; started < threads; started++)
      if (pthread_create(&tids[started], NULL, worker, b) != 0)
        break; /* go on with the threads there are */
  }
  if (started == 0) {
    free(b->slots);
    b->slots = NULL;
    fprintf(stderr, "gongkai: %s\n", gk_strerror(GK_ENOMEM));
    return EXIT_INTERNAL;
  }
  b->pass_start = now_seconds();
  b->last_draw = 0;
  int rc = EXIT_OK;
  for (size_t j = 0; j < n_jobs; j++) {
    pthread_mutex_lock(&b->mu);
    result *slot = &b->slots[j % b->window];
    while (!slot->ready)
      pthread_cond_wait(&b->done_cv, &b->mu);
    result res = *slot;
    memset(slot, 0, sizeof *slot);
    b->consumed = j + 1;
    pthread_cond_broadcast(&b->work_cv);
    pthread_mutex_unlock(&b->mu);

    int e = take(b, jobs[j], &res, state);
    rc = gk_cli_max_rc(rc, e);
    progress(b, what, j + 1, n_jobs);
    if (e == EXIT_INTERNAL)
      break;
  }
  pthread_mutex_lock(&b->mu);
  b->stop = true;
  pthread_cond_broadcast(&b->work_cv);
  pthread_mutex_unlock(&b->mu);
  for (unsigned k = 0; k < started; k++)
    pthread_join(tids[k], NULL);
  for (size_t k = 0; k < b->window; k++)
    result_free(&b->slots[k]); /* what was made after a stop */
  free(b->slots);
  b->slots = NULL;
  progress_clear(b);
  return rc;
}

/* ------------------------------------------------------------- emitting */

/* Prints the item's line for standard error and emits it. */
static int deliver(batch *b, size_t i, result *res) {
  const gk_batch_options *o = b->opts;
  int rc = res->rc;
  if (res->err) {
    progress_clear(b);
    fputs(res->err, stderr);
  } else if (res->rc != EXIT_OK) {
    fprintf(stderr, "gongkai: %s: %s\n", b->paths[i], gk_strerror(GK_ENOMEM));
  }
  size_t p = b->prev_of ? b->prev_of[i] : NO_PREV;
  gk_batch_item item = {.index = i,
                        .path = b->paths[i],
                        .prev_path = p != NO_PREV ? b->paths[p] : NULL,
                        .report = NULL,
                        .rc = res->rc,
                        .errors = res->errors,
                        .warnings = res->warnings,
                        .notes = res->notes};
  if (o->emit)
    rc = gk_cli_max_rc(rc, o->emit(o->ctx, &item,
                                   res->rc == EXIT_OK ? res->bytes : NULL,
                                   res->rc == EXIT_OK ? res->len : 0));
  return rc;
}

static int take_direct(batch *b, size_t i, result *res, void *state) {
  (void)state;
  int rc = deliver(b, i, res);
  result_free(res);
  return rc;
}

/* ------------------------------------------------------------ the spool */

/* A result in the spool file: this header, the stderr line, the bytes. */
typedef struct spool_head {
  int32_t rc;
  uint32_t err_len;
  uint64_t len;
  uint64_t errors, warnings, notes;
} spool_head;

typedef struct spool {
  FILE *f;
  char **keys;      /* by item: the body key, or NULL */
  int *years;       /* by item */
  size_t read_upto; /* second pass: items emitted from the spool so far */
  bool full;        /* the temporary folder's disk filled up */
} spool;

/* Says why the spool failed; EXIT_INTERNAL, which stops the run.  A full
 * disk is marked, and run_paired() ends with EXIT_INPUT for it: the
 * user's environment, not an internal error. */
static int spool_fail(spool *s) {
  int e = errno;
  if (e == ENOSPC || e == EDQUOT || e == EFBIG) {
    s->full = true;
    fprintf(stderr,
            "gongkai: 临时文件写入失败：临时目录（TMPDIR，默认 /tmp）所在磁盘"
            "空间不足\n");
  } else {
    fprintf(stderr, "gongkai: 临时文件读写失败（%s）\n", strerror(e));
  }
  return EXIT_INTERNAL;
}

static int take_spool(batch *b, size_t i, result *res, void *state) {
  (void)b;
  spool *s = state;
  spool_head h = {.rc = res->rc,
                  .err_len = res->err ? (uint32_t)strlen(res->err) : 0,
                  .len = res->bytes ? res->len : 0,
                  .errors = res->errors,
                  .warnings = res->warnings,
                  .notes = res->notes};
  bool ok = fwrite(&h, sizeof h, 1, s->f) == 1 &&
            (h.err_len == 0 || fwrite(res->err, h.err_len, 1, s->f) == 1) &&
            (h.len == 0 || fwrite(res->bytes, h.len, 1, s->f) == 1);
  s->keys[i] = res->key;
  s->years[i] = res->year;
  res->key = NULL;
  result_free(res);
  return ok ? EXIT_OK : spool_fail(s);
}

/* Reads the next spooled result into *res (emit = true) or skips it. */
static int spool_next(spool *s, result *res, bool keep) {
  spool_head h;
  if (fread(&h, sizeof h, 1, s->f) != 1)
    return spool_fail(s);
  memset(res, 0, sizeof *res);
  res->rc = h.rc;
  res->errors = h.errors;
  res->warnings = h.warnings;
  res->notes = h.notes;
  if (!keep)
    return fseeko(s->f, (off_t)(h.err_len + h.len), SEEK_CUR) == 0
               ? EXIT_OK
               : spool_fail(s);
  res->err = h.err_len ? malloc(h.err_len + 1) : NULL;
  res->bytes = h.len ? malloc(h.len) : NULL;
  if ((h.err_len && !res->err) || (h.len && !res->bytes)) {
    result_free(res);
    fprintf(stderr, "gongkai: %s\n", gk_strerror(GK_ENOMEM));
    return EXIT_INTERNAL;
  }
  if ((h.err_len && fread(res->err, h.err_len, 1, s->f) != 1) ||
      (h.len && fread(res->bytes, h.len, 1, s->f) != 1)) {
    result_free(res);
    return spool_fail(s);
  }
  if (res->err)
    res->err[h.err_len] = '\0';
  res->len = h.len;
  return EXIT_OK;
}

/* Emits the spooled results of items read_upto .. upto-1. */
static int spool_emit_upto(batch *b, spool *s, size_t upto) {
  int rc = EXIT_OK;
  while (s->read_upto < upto) {
    result res;
    int e = spool_next(s, &res, true);
    if (e == EXIT_OK) {
      e = deliver(b, s->read_upto, &res);
      result_free(&res);
    }
    rc = gk_cli_max_rc(rc, e);
    if (e == EXIT_INTERNAL)
      return rc;
    s->read_upto++;
  }
  return rc;
}

/* Second pass: emits the spool up to this item, skips its spooled first
 * result, and emits the new one. */
static int take_merge(batch *b, size_t i, result *res, void *state) {
  spool *s = state;
  int rc = spool_emit_upto(b, s, i);
  if (rc != EXIT_INTERNAL) {
    result old;
    rc = gk_cli_max_rc(rc, spool_next(s, &old, false));
    s->read_upto = i + 1;
  }
  if (rc != EXIT_INTERNAL)
    rc = gk_cli_max_rc(rc, deliver(b, i, res));
  result_free(res);
  return rc;
}

/* ------------------------------------------------------------- pairing */

typedef struct entry {
  int year;
  const char *key;
  const char *tail; /* the last three characters of key, or all of it */
  bool long_key;    /* three characters or more: may match by its end */
  size_t item;
} entry;

/* The start of the last three characters of a UTF-8 string, or the
 * string itself when it is shorter (*three is then false). */
static const char *tail3(const char *s, bool *three) {
  size_t n = strlen(s);
  int chars = 0;
  *three = false;
  while (n > 0) {
    n--;
    if (((unsigned char)s[n] & 0xC0) != 0x80 && ++chars == 3) {
      *three = true;
      return s + n;
    }
  }
  return s;
}

static int cmp_entry(const void *pa, const void *pb) {
  const entry *a = pa, *b = pb;
  if (a->year != b->year)
    return a->year < b->year ? -1 : 1;
  int c = strcmp(a->tail, b->tail);
  if (c)
    return c;
  c = strcmp(a->key, b->key);
  if (c)
    return c;
  return a->item < b->item ? -1 : a->item > b->item;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return m <= n && memcmp(s + n - m, suffix, m) == 0;
}

/* Finds each report's last year among the inputs: the one report of
 * year Y-1 whose key equals its key, or else the one whose key ends its
 * key or is ended by it (names of three characters or more; "丙谷镇" and
 * "米易县丙谷镇").  Two candidates are no match: a guess would compare
 * two bodies.  Fills b->prev_of; returns how many pairs, or SIZE_MAX when
 * memory ran out. */
static size_t find_pairs(batch *b, spool *s) {
  entry *e = malloc((b->n ? b->n : 1) * sizeof *e);
  if (!e)
    return SIZE_MAX;
  size_t n = 0, pairs = 0;
  for (size_t i = 0; i < b->n; i++) {
    b->prev_of[i] = NO_PREV;
    if (s->keys[i] && s->years[i] > 0) {
      e[n] = (entry){s->years[i], s->keys[i], NULL, false, i};
      e[n].tail = tail3(s->keys[i], &e[n].long_key);
      n++;
    }
  }
  qsort(e, n, sizeof *e, cmp_entry);
  for (size_t k = 0; k < n; k++) {
    /* The first entry of (year - 1, tail): lower bound. */
    entry probe = {e[k].year - 1, "", e[k].tail, false, 0};
    size_t lo = 0, hi = n;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      int c = e[mid].year != probe.year ? (e[mid].year < probe.year ? -1 : 1)
                                        : strcmp(e[mid].tail, probe.tail);
      if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
    size_t exact = 0, near = 0, exact_item = NO_PREV, near_item = NO_PREV;
    for (size_t m = lo;
         m < n && e[m].year == probe.year && strcmp(e[m].tail, probe.tail) == 0;
         m++) {
      if (strcmp(e[m].key, e[k].key) == 0) {
        exact++;
        exact_item = e[m].item;
      } else if (e[k].long_key && e[m].long_key &&
                 (ends_with(e[m].key, e[k].key) ||
                  ends_with(e[k].key, e[m].key))) {
        near++;
        near_item = e[m].item;
      }
    }
    size_t p = exact == 1                ? exact_item
               : exact == 0 && near == 1 ? near_item
                                         : NO_PREV;
    b->prev_of[e[k].item] = p;
    pairs += p != NO_PREV;
  }
  free(e);
  return pairs;
}

/* ---------------------------------------------------------------- run */

static int run_paired(batch *b, const size_t *all) {
  spool s = {0};
  int rc = EXIT_OK;
  size_t *second = NULL;
  s.f = tmpfile();
  if (!s.f) {
    rc = spool_fail(&s);
    goto done;
  }
  s.keys = calloc(b->n, sizeof *s.keys);
  s.years = calloc(b->n, sizeof *s.years);
  b->prev_of = malloc(b->n * sizeof *b->prev_of);
  if (!s.keys || !s.years || !b->prev_of) {
    fprintf(stderr, "gongkai: %s\n", gk_strerror(GK_ENOMEM));
    rc = EXIT_INTERNAL;
    goto done;
  }
  b->pairing = true;
  /* prev_of stays NULL for the first pass: nothing is paired yet. */
  size_t *prev_of = b->prev_of;
  b->prev_of = NULL;
  rc = run_pool(b, all, b->n, "读取并检查", take_spool, &s);
  b->prev_of = prev_of;
  b->pairing = false;
  if (rc == EXIT_INTERNAL)
    goto done;
  if (fflush(s.f) != 0 || fseeko(s.f, 0, SEEK_SET) != 0) {
    rc = spool_fail(&s);
    goto done;
  }
  size_t pairs = find_pairs(b, &s);
  if (pairs == SIZE_MAX) {
    fprintf(stderr, "gongkai: %s\n", gk_strerror(GK_ENOMEM));
    rc = EXIT_INTERNAL;
    goto done;
  }
  second = malloc((pairs ? pairs : 1) * sizeof *second);
  if (!second) {
    fprintf(stderr, "gongkai: %s\n", gk_strerror(GK_ENOMEM));
    rc = EXIT_INTERNAL;
    goto done;
  }
  size_t n2 = 0;
  for (size_t i = 0; i < b->n; i++)
    if (b->prev_of[i] != NO_PREV)
      second[n2++] = i;
  int e = run_pool(b, second, n2, "对比上年", take_merge, &s);
  rc = gk_cli_max_rc(rc, e);
  if (e != EXIT_INTERNAL)
    rc = gk_cli_max_rc(rc, spool_emit_upto(b, &s, b->n));
done:
  if (s.full && rc == EXIT_INTERNAL)
    rc = EXIT_INPUT;
  if (s.f)
    fclose(s.f);
  if (s.keys)
    for (size_t i = 0; i < b->n; i++)
      free(s.keys[i]);
  free(s.keys);
  free(s.years);
  free(second);
  free(b->prev_of);
  b->prev_of = NULL;
  return rc;
}

/* Drops the files of opts->skip from the list. */
static void drop_skipped(strvec *files, const char *const *skip) {
  struct stat skip_sb[8];
  size_t n_skip = 0;
  for (size_t k = 0; skip && skip[k] && n_skip < 8; k++)
    if (stat(skip[k], &skip_sb[n_skip]) == 0)
      n_skip++;
  if (!n_skip)
    return;
  size_t kept = 0;
  for (size_t i = 0; i < files->n; i++) {
    struct stat sb;
    bool drop = false;
    if (strcmp(files->v[i], "-") != 0 && stat(files->v[i], &sb) == 0)
      for (size_t k = 0; k < n_skip && !drop; k++)
        drop = sb.st_dev == skip_sb[k].st_dev && sb.st_ino == skip_sb[k].st_ino;
    if (drop)
      free(files->v[i]);
    else
      files->v[kept++] = files->v[i];
  }
  files->n = kept;
}

int gk_batch_run(int n_paths, char **paths, const gk_batch_options *opts) {
  strvec files = {0};
  int rc = expand(n_paths, paths, &files);
  if (rc == EXIT_INTERNAL) {
    strvec_free(&files);
    return rc;
  }
  drop_skipped(&files, opts->skip);
  batch b = {0};
  b.opts = opts;
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  b.threads = opts->jobs ? opts->jobs : online > 0 ? (unsigned)online : 1;
  if (b.threads > GK_BATCH_MAX_JOBS)
    b.threads = GK_BATCH_MAX_JOBS;
  b.bar = opts->progress && isatty(STDERR_FILENO);
  b.stdin_st = GK_EINVAL;
  for (size_t i = 0; i < files.n; i++) {
    if (strcmp(files.v[i], "-") == 0) {
      b.stdin_st = gk_cli_read_all(stdin, &b.stdin_data, &b.stdin_len);
      if (b.stdin_st == GK_OK)
        rc = gk_cli_max_rc(rc, split_stdin(&b, &files));
      break;
    }
  }
  b.paths = files.v;
  b.n = files.n;
  size_t *all = malloc((b.n ? b.n : 1) * sizeof *all);
  if (!all) {
    fprintf(stderr, "gongkai: %s\n", gk_strerror(GK_ENOMEM));
    rc = EXIT_INTERNAL;
    goto done;
  }
  for (size_t i = 0; i < b.n; i++)
    all[i] = i;
  pthread_mutex_init(&b.mu, NULL);
  pthread_cond_init(&b.work_cv, NULL);
  pthread_cond_init(&b.done_cv, NULL);
  if (opts->pair_years && b.n > 1)
    rc = gk_cli_max_rc(rc, run_paired(&b, all));
  else
    rc = gk_cli_max_rc(rc,
                       run_pool(&b, all, b.n, "读取并检查", take_direct, NULL));
  pthread_cond_destroy(&b.done_cv);
  pthread_cond_destroy(&b.work_cv);
  pthread_mutex_destroy(&b.mu);
done:
  free(all);
  free(b.stdin_data);
  free(b.stdin_lines);
  free(b.line_of);
  strvec_free(&files);
  return rc;
}
