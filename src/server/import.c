/*
 * import.c - `gongkai serve --import PATH... [--roster YEAR:FILE]`: fills
 * the workspace's database from the command line without starting HTTP
 * (make demo, or an office loading last year's folder), through the same
 * store functions the API uses (on SQLite each file read and checked
 * before its group's commit), and runs the job queue until it is empty.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gongkai.h"
#include "server.h"

/* How deep --import walks folders: an office's archive is a few levels
 * (year / county / township); the cap stops a symlink loop. */
#define GK_IMPORT_MAX_DEPTH 16

/* How often the queue is looked at while waiting for it to empty: a
 * count of the queued and running jobs in the jobs' state index (not of
 * the jobs not done, which read every done one), a few microseconds; at 200 ms
 * the wait added up to a fifth of a second to an import of 10,000
 * reports that takes four. */
#define GK_IMPORT_POLL_MS 50

/* Files read and stored together in one commit (gk_store_uploads()):
 * at most this many, and this many bytes held in memory (by each of the
 * GK_IMPORT_FLUSHES groups in flight). */
#define GK_IMPORT_GROUP_FILES 64
#define GK_IMPORT_GROUP_BYTES ((size_t)32 << 20)

/* Groups stored at once, each by a thread of its own, while the files of
 * the next are read: on SQLite each group is checked before its commit
 * (api.c check_uploads()), so with one group at a time the commit, the
 * reading and the checking would take turns; with two, one group is
 * committed (the store's lock is one) while the other is checked. */
#define GK_IMPORT_FLUSHES 2

typedef struct import_state import_state;

/* A group of files read, stored by its own thread (store_group()). */
typedef struct import_group {
  import_state *st;
  gk_upload pend[GK_IMPORT_GROUP_FILES]; /* names are the paths */
  size_t n;
  unsigned long seq; /* the groups' order: committed in it */
  pthread_t thread;
  int running;
} import_group;

struct import_state {
  gk_server *srv;
  int64_t batch;
  int stored, duplicates, refused;
  /* groups[cur] is being filled; pend_bytes are its bytes */
  import_group groups[GK_IMPORT_FLUSHES];
  size_t cur, pend_bytes;
  /* groups started, and committed (in their order: the reports' ids and
   * which copy of the same bytes is the duplicate follow the files'
   * order, as with one group at a time) */
  unsigned long started, committed;
  pthread_mutex_t mu;
  pthread_cond_t cv;
};

/* A group's thread: its files read and checked beside the other
 * group's, then committed when the groups before it are. */
static void *store_group(void *arg) {
  import_group *g = arg;
  import_state *st = g->st;
  gk_store_uploads_check(st->srv, st->batch, g->pend, g->n);
  pthread_mutex_lock(&st->mu);
  while (st->committed != g->seq)
    pthread_cond_wait(&st->cv, &st->mu);
  pthread_mutex_unlock(&st->mu);
  gk_store_uploads(st->srv, st->batch, g->pend, g->n);
  pthread_mutex_lock(&st->mu);
  st->committed++;
  pthread_cond_broadcast(&st->cv);
  pthread_mutex_unlock(&st->mu);
  return NULL;
}

/* Waits for group g's thread, counts its files and frees them. */
static void group_finish(import_state *st, import_group *g) {
  if (g->running) {
    pthread_join(g->thread, NULL);
    g->running = 0;
  }
  for (size_t i = 0; i < g->n; i++) {
    gk_upload *u = &g->pend[i];
    if (u->status >= 400) {
      fprintf(stderr, "gongkai serve: %s: %s\n", u->name, u->why);
      st->refused++;
    } else if (u->duplicate) {
      st->duplicates++;
    } else {
      st->stored++;
    }
    free((char *)u->name);
    free((void *)u->bytes);
  }
  g->n = 0;
}

/* Stores the files read so far in one commit, in a thread of its own
 * (in this one when none can start), and makes the next group ready to
 * fill: its previous files finished. */
static void flush(import_state *st) {
  import_group *g = &st->groups[st->cur];
  if (g->n > 0) {
    g->st = st;
    g->seq = st->started++;
    g->running = pthread_create(&g->thread, NULL, store_group, g) == 0;
    if (!g->running)
      (void)store_group(g);
  }
  st->cur = (st->cur + 1) % GK_IMPORT_FLUSHES;
  st->pend_bytes = 0;
  group_finish(st, &st->groups[st->cur]);
}

static int read_file(const char *path, char **out, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return -1;
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || (size_t)st.st_size > GK_MAX_INPUT_BYTES) {
    fclose(f);
    errno = EFBIG;
    return -1;
  }
  char *buf = malloc((size_t)st.st_size + 1);
  size_t n = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
  fclose(f);
  if (!buf || n != (size_t)st.st_size) {
    free(buf);
    errno = EIO;
    return -1;
  }
  *out = buf;
  *len = n;
  return 0;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void import_path(import_state *st, const char *path, int depth) {
  struct stat sb;
  if (stat(path, &sb) != 0) {
    fprintf(stderr, "gongkai serve: %s: %s\n", path, gk_strerror(GK_ENOENT));
    st->refused++;
    return;
  }
  if (S_ISDIR(sb.st_mode)) {
    if (depth >= GK_IMPORT_MAX_DEPTH)
      return;
    DIR *d = opendir(path);
    if (!d)
      return;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
      if (e->d_name[0] == '.')
        continue; /* hidden files, . and .. */
      if (n == cap) {
        cap = cap ? cap * 2 : 64;
        char **nn = realloc(names, cap * sizeof *nn);
        if (!nn)
          break;
        names = nn;
      }
      if (!(names[n] = strdup(e->d_name)))
        break;
      n++;
    }
    closedir(d);
    if (n) /* an empty folder has no list: qsort(NULL) is undefined */
      qsort(names, n, sizeof *names, cmp_names); /* a stable order */
    for (size_t i = 0; i < n; i++) {
      size_t len = strlen(path) + strlen(names[i]) + 2;
      char *child = malloc(len);
      if (child) {
        snprintf(child, len, "%s/%s", path, names[i]);
        import_path(st, child, depth + 1);
        free(child);
      }
      free(names[i]);
    }
    free(names);
    return;
  }
  char *bytes;
  size_t len;
  if (read_file(path, &bytes, &len) != 0) {
    fprintf(stderr, "gongkai serve: %s: %s\n", path,
            errno == EFBIG ? gk_strerror(GK_ETOOBIG) : gk_strerror(GK_EIO));
    st->refused++;
    return;
  }
  if (len == 0) {
    fprintf(stderr, "gongkai serve: %s: %s\n", path, gk_strerror(GK_EEMPTY));
    st->refused++;
    free(bytes);
    return;
  }
  char *name = strdup(path);
  if (!name) {
    fprintf(stderr, "gongkai serve: %s: %s\n", path, gk_strerror(GK_ENOMEM));
    st->refused++;
    free(bytes);
    return;
  }
  st->pend_bytes += len;
  import_group *g = &st->groups[st->cur];
  g->pend[g->n++] = (gk_upload){.name = name, .bytes = bytes, .len = len};
  // NOLINTNEXTLINE(clang-analyzer-unix.Malloc): freed by group_finish()
  if (g->n == GK_IMPORT_GROUP_FILES || st->pend_bytes >= GK_IMPORT_GROUP_BYTES)
    flush(st);
}

int gk_server_import(const gk_server_config *cfg, char **paths, size_t n_paths,
                     char **rosters, size_t n_rosters) {
  gk_server srv;
  memset(&srv, 0, sizeof srv);
  srv.cfg = cfg;
  gk_worker_configure(cfg);
  snprintf(srv.instance, sizeof srv.instance, "import:%ld", (long)getpid());
  char err[512];
  if (gk_store_open(cfg->data_dir, cfg->db_url, &srv.store, err, sizeof err) !=
      0) {
    fprintf(stderr, "gongkai serve: 无法打开数据库：%s\n", err);
    return 1;
  }
  int rc = 0;
  (void)gk_store_requeue_running(srv.store);
  for (size_t i = 0; i < n_rosters; i++) {
    const char *colon = strchr(rosters[i], ':');
    char year[8] = "";
    char *csv = NULL;
    size_t len = 0;
    if (colon && colon - rosters[i] == 4)
      memcpy(year, rosters[i], 4);
    if (!year[0] || read_file(colon + 1, &csv, &len) != 0) {
      fprintf(stderr,
              "gongkai serve: --roster %s：应为 年度:名单.csv，且文件可读\n",
              rosters[i]);
      rc = 1;
      continue;
    }
    char msg[300];
    int rows = 0, added = 0;
    if (gk_roster_import_file(srv.store, year, "命令行导入", csv, len, msg,
                              sizeof msg, &rows, &added) != 200) {
      fprintf(stderr, "gongkai serve: %s: %s\n", colon + 1, msg);
      rc = 1;
    } else {
      printf("名单 %s 年：%d 行（新增 %d 个机关或地区）\n", year, rows, added);
    }
    free(csv);
  }
  /* The workers run while the files are stored: on SQLite they help
   * check each group before its commit (gk_store_uploads_check()); on
   * PostgreSQL each group is queued as soon as it is committed.  Either
   * way reading overlaps storing. */
  int workers = gk_workers_start(&srv, cfg->workers) == 0;
  if (!workers) {
    fprintf(stderr, "gongkai serve: 无法启动工作线程\n");
    rc = 1;
  }
  import_state st; /* two groups of 64 pending uploads: about 16 KB */
  memset(&st, 0, sizeof st);
  st.srv = &srv;
  pthread_mutex_init(&st.mu, NULL);
  pthread_cond_init(&st.cv, NULL);
  if (n_paths > 0) {
    char now[21];
    gk_store_now(now);
    gk_param p[] = {GK_TEXT(now), GK_TEXT("命令行导入")};
    int ok;
    st.batch = gk_store_int(srv.store,
                            "INSERT INTO batches (created, actor) VALUES "
                            "($1, $2) RETURNING id",
                            p, 2, &ok);
    if (!ok) {
      fprintf(stderr, "gongkai serve: 数据库错误：%s\n",
              gk_store_error(srv.store));
      gk_workers_stop(&srv);
      pthread_cond_destroy(&st.cv);
      pthread_mutex_destroy(&st.mu);
      gk_store_close(srv.store);
      return 1;
    }
    for (size_t i = 0; i < n_paths; i++)
      import_path(&st, paths[i], 0);
    flush(&st);
    for (size_t i = 0; i < GK_IMPORT_FLUSHES; i++) /* in their order */
      group_finish(&st, &st.groups[(st.cur + i) % GK_IMPORT_FLUSHES]);
  }
  /* Run the queue (this import's jobs and any left over) to the end. */
  while (workers) {
    int ok;
    int64_t left = gk_store_int(
        srv.store,
        "SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')", NULL,
        0, &ok);
    if (!ok || left == 0)
      break;
    struct timespec ts = {0, GK_IMPORT_POLL_MS * 1000000L};
    nanosleep(&ts, NULL);
  }
  gk_workers_stop(&srv);
  if (n_paths > 0) {
    char bid[24];
    snprintf(bid, sizeof bid, "%lld", (long long)st.batch);
    gk_param p[] = {GK_TEXT(bid)};
    int ok;
    int64_t failed = gk_store_int(srv.store,
                                  "SELECT count(*) FROM reports WHERE "
                                  "batch_id = $1 AND state = 'failed'",
                                  p, 1, &ok);
    printf("导入 %d 个文件（另有 %d 个已在库中），其中 %lld 个无法读取",
           st.stored, st.duplicates, (long long)(ok ? failed : 0));
    if (st.refused)
      printf("；%d 个未能导入", st.refused);
    printf("\n");
    if (st.refused)
      rc = 1;
  }
  pthread_cond_destroy(&st.cv);
  pthread_mutex_destroy(&st.mu);
  gk_store_close(srv.store);
  return rc;
}
