/*
 * store.c - the store behind store.h: one connection to SQLite or
 * PostgreSQL, the migrations compiled into the binary, files by SHA-256,
 * the job queue and the audit log.
 *
 * Both databases are driven with the same SQL wherever they agree; the
 * places where they do not (claiming a job, blobs, opening, migrations)
 * switch on the kind.  Values cross as text: SQLite's column text and
 * PostgreSQL's text result format; bytea comes back in binary format.
 */
#include "store.h"

#include <errno.h>
#include <libpq-fe.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "embed.h"

/* Generated from migrations/ by cmake/embed.cmake. */
extern const gk_embed_file gk_migrations_sqlite[];
extern const gk_embed_file gk_migrations_postgresql[];

/* How long an SQLite statement waits for another connection's write lock
 * (workers and the HTTP threads each have one) before failing: long
 * enough for any one job's results to be written on a loaded machine. */
#define GK_SQLITE_BUSY_MS 30000

/* The page cache of a connection, as PRAGMA cache_size takes it
 * (negative: KiB): 16 MiB instead of SQLite's 2.  An upload group's
 * transaction now holds its reports' results too (api.c
 * check_uploads()): 64 files and their models are some 1.8 MB of new
 * pages, which spilled out of a 2 MiB cache into the WAL before the
 * commit and were written again by it (`serve --import` of the bench
 * corpus: 367,523 pwrite64 and 172,486 pread64 with 2 MiB, 277,884 and
 * 88,076 with 16; docs/PERFORMANCE.md "Seventh pass"). */
#define GK_SQLITE_CACHE_KIB "-16384"

/* The longest SQL statement translated for SQLite; ours are short. */
#define GK_SQL_MAX 8192

/* Prepared SQLite statements kept per connection: the server runs a few
 * dozen distinct statements, each many times; preparing one anew costs
 * about as much as running it. */
#define GK_SQLITE_STMT_CACHE 64

/* The background checkpoint (gk_store_checkpointer_start()) starts once
 * a commit leaves the WAL this long (SQLite's own default: 4 MiB), and
 * the committing connection checkpoints by itself, as SQLite does by
 * default, only once it is this long: 64 MiB of log, which a checkpoint
 * running beside the writers keeps well below. */
#define GK_SQLITE_CKPT_PAGES 1000
#define GK_SQLITE_CKPT_FALLBACK_PAGES 16000

/* A background checkpoint that leaves frames in the log (a commit landed
 * while it copied, or a reader still needs them) is tried again after
 * this pause, at most this many times before it waits for the next
 * commit's signal: else the last commits of an import would stay in the
 * log until the next write, however long the server then stays idle. */
#define GK_SQLITE_CKPT_RETRY_MS 100
#define GK_SQLITE_CKPT_RETRIES 20

/* Key of the PostgreSQL advisory lock held while migrating ("gkmg"). */
#define GK_PG_MIGRATE_LOCK 0x676b6d67

typedef struct cached_stmt {
  char *sql;     /* as the caller wrote it ($N); NULL: the slot is free */
  uint64_t hash; /* sql_hash(sql) */
  sqlite3_stmt *stmt;
} cached_stmt;

struct gk_store {
  gk_db_kind kind;
  sqlite3 *lite;
  cached_stmt cache[GK_SQLITE_STMT_CACHE];
  unsigned cache_next; /* the slot replaced next when all are taken */
  PGconn *pg;
  void *user; /* gk_store_cache() */
  void (*user_free)(void *);
  pthread_mutex_t mu;
  char err[512];
};

struct gk_rows {
  size_t n_rows, n_cols;
  char **vals; /* n_rows * n_cols, NULL for SQL NULL */
  size_t *lens;
};

static void set_err(gk_store *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->err, sizeof s->err, fmt, ap);
  va_end(ap);
}

const char *gk_store_error(const gk_store *s) { return s->err; }
gk_db_kind gk_store_kind(const gk_store *s) { return s->kind; }

void gk_store_lock(gk_store *s) { pthread_mutex_lock(&s->mu); }
int gk_store_trylock(gk_store *s) {
  return pthread_mutex_trylock(&s->mu) == 0 ? 0 : -1;
}
void gk_store_unlock(gk_store *s) { pthread_mutex_unlock(&s->mu); }

void gk_store_now(char buf[21]) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ------------------------------------------------------------------ rows */

size_t gk_rows_count(const gk_rows *r) { return r ? r->n_rows : 0; }
size_t gk_rows_columns(const gk_rows *r) { return r ? r->n_cols : 0; }

const char *gk_rows_get(const gk_rows *r, size_t row, size_t col, size_t *len) {
  if (!r || row >= r->n_rows || col >= r->n_cols) {
    if (len)
      *len = 0;
    return NULL;
  }
  size_t i = row * r->n_cols + col;
  if (len)
    *len = r->lens[i];
  return r->vals[i];
}

int64_t gk_rows_int(const gk_rows *r, size_t row, size_t col, int64_t dflt) {
  const char *v = gk_rows_get(r, row, col, NULL);
  return v ? strtoll(v, NULL, 10) : dflt;
}

void gk_rows_free(gk_rows *r) {
  if (!r)
    return;
  for (size_t i = 0; i < r->n_rows * r->n_cols; i++)
    free(r->vals[i]);
  free(r->vals);
  free(r->lens);
  free(r);
}

static gk_rows *rows_new(size_t n_cols) {
  gk_rows *r = calloc(1, sizeof *r);
  if (r)
    r->n_cols = n_cols;
  return r;
}

/* Appends a row slot; returns the index of its first value or -1. */
static long rows_add(gk_rows *r, size_t *cap) {
  if (r->n_rows == *cap) {
    size_t nc = *cap ? *cap * 2 : 16;
    size_t cells = nc * (r->n_cols ? r->n_cols : 1);
    char **v = realloc(r->vals, cells * sizeof *v);
    if (!v)
      return -1;
    r->vals = v;
    size_t *l = realloc(r->lens, cells * sizeof *l);
    if (!l)
      return -1;
    r->lens = l;
    *cap = nc;
  }
  long at = (long)(r->n_rows * r->n_cols);
  for (size_t c = 0; c < r->n_cols; c++) {
    r->vals[at + (long)c] = NULL;
    r->lens[at + (long)c] = 0;
  }
  r->n_rows++;
  return at;
}

static char *dup_bytes(const void *p, size_t n) {
  char *d = malloc(n + 1);
  if (d) {
    if (n)
      memcpy(d, p, n);
    d[n] = '\0';
  }
  return d;
}

/* ---------------------------------------------------------------- SQLite */

/* $N -> ?N outside string literals: SQLite reads ?NNN as parameter N. */
static int lite_translate(const char *sql, char *out, size_t cap) {
  size_t o = 0;
  int quoted = 0;
  for (const char *p = sql; *p; p++) {
    if (o + 2 >= cap)
      return -1;
    if (*p == '\'')
      quoted = !quoted;
    out[o++] = !quoted && *p == '$' && p[1] >= '0' && p[1] <= '9' ? '?' : *p;
  }
  out[o] = '\0';
  return 0;
}

/* FNV-1a of a statement's text: the cache compares these before it
 * compares text, and a statement found in the cache is not translated
 * again (the translation and a strcmp against each of up to 64 cached
 * statements were 24 M of 1,110 M instructions of an import,
 * docs/PERFORMANCE.md "Sixth pass"). */
static uint64_t sql_hash(const char *sql) {
  uint64_t h = 0xcbf29ce484222325u;
  for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
    h = (h ^ *p) * 0x100000001b3u;
  return h;
}

/* The prepared statement for sql (as the caller wrote it, $N), from the
 * cache or translated, prepared and cached now; NULL on failure (the
 * error set).  *cached says whether it is the cache's: return it with
 * lite_release_in(). */
static sqlite3_stmt *lite_prepare(gk_store *s, const char *sql, int *cached) {
  uint64_t h = sql_hash(sql);
  for (unsigned i = 0; i < GK_SQLITE_STMT_CACHE; i++)
    if (s->cache[i].hash == h && s->cache[i].sql &&
        strcmp(s->cache[i].sql, sql) == 0) {
      *cached = 1;
      return s->cache[i].stmt;
    }
  *cached = 0;
  char buf[GK_SQL_MAX];
  if (lite_translate(sql, buf, sizeof buf) != 0) {
    set_err(s, "statement too long");
    return NULL;
  }
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v3(s->lite, buf, -1, SQLITE_PREPARE_PERSISTENT, &st,
                         NULL) != SQLITE_OK) {
    set_err(s, "sqlite prepare: %s", sqlite3_errmsg(s->lite));
    return NULL;
  }
  char *copy = strdup(sql);
  if (!copy)
    return st; /* uncached: lite_release_in() finalizes it */
  cached_stmt *c = &s->cache[s->cache_next];
  s->cache_next = (s->cache_next + 1) % GK_SQLITE_STMT_CACHE;
  if (c->sql) {
    sqlite3_finalize(c->stmt);
    free(c->sql);
  }
  c->sql = copy;
  c->hash = h;
  c->stmt = st;
  *cached = 1;
  return st;
}

/* Resets a statement for its next use (the cached ones) or finalizes it. */
static void lite_release_in(sqlite3_stmt *st, int cached) {
  if (cached) {
    sqlite3_reset(st);
    sqlite3_clear_bindings(st); /* the bound values were the caller's */
    return;
  }
  sqlite3_finalize(st);
}

static int lite_query(gk_store *s, const char *sql, const gk_param *params,
                      size_t n_params, gk_rows **out) {
  int cached;
  sqlite3_stmt *st = lite_prepare(s, sql, &cached);
  if (!st)
    return -1;
  for (size_t i = 0; i < n_params; i++) {
    int rc;
    int idx = (int)i + 1;
    if (!params[i].data)
      rc = sqlite3_bind_null(st, idx);
    else if (params[i].blob)
      rc = sqlite3_bind_blob64(st, idx, params[i].data, params[i].len,
                               SQLITE_STATIC);
    else
      rc = sqlite3_bind_text(st, idx, params[i].data, -1, SQLITE_STATIC);
    if (rc != SQLITE_OK) {
      set_err(s, "sqlite bind: %s", sqlite3_errmsg(s->lite));
      lite_release_in(st, cached);
      return -1;
    }
  }
  size_t n_cols = (size_t)sqlite3_column_count(st);
  gk_rows *r = rows_new(n_cols);
  size_t cap = 0;
  int rc;
  if (!r) {
    lite_release_in(st, cached);
    set_err(s, "out of memory");
    return -1;
  }
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    long at = rows_add(r, &cap);
    if (at < 0)
      goto oom;
    for (size_t c = 0; c < n_cols; c++) {
      int t = sqlite3_column_type(st, (int)c);
      if (t == SQLITE_NULL)
        continue;
      const void *p = t == SQLITE_BLOB ? sqlite3_column_blob(st, (int)c)
                                       : sqlite3_column_text(st, (int)c);
      size_t n = (size_t)sqlite3_column_bytes(st, (int)c);
      if (!(r->vals[at + (long)c] = dup_bytes(p, n)))
        goto oom;
      r->lens[at + (long)c] = n;
    }
  }
  if (rc != SQLITE_DONE) {
    set_err(s, "sqlite: %s", sqlite3_errmsg(s->lite));
    lite_release_in(st, cached);
    gk_rows_free(r);
    return -1;
  }
  lite_release_in(st, cached);
  if (out)
    *out = r;
  else
    gk_rows_free(r);
  return 0;
oom:
  lite_release_in(st, cached);
  gk_rows_free(r);
  set_err(s, "out of memory");
  return -1;
}

static int lite_open(gk_store *s, const char *dir) {
  if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
    set_err(s, "cannot create %s: %s", dir, strerror(errno));
    return -1;
  }
  char path[4096];
  if (snprintf(path, sizeof path, "%s/gongkai.db", dir) >= (int)sizeof path) {
    set_err(s, "data folder name too long");
    return -1;
  }
  if (sqlite3_open_v2(path, &s->lite,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                          SQLITE_OPEN_NOMUTEX,
                      NULL) != SQLITE_OK) {
    set_err(s, "sqlite open %s: %s", path,
            s->lite ? sqlite3_errmsg(s->lite) : "out of memory");
    return -1;
  }
  sqlite3_busy_timeout(s->lite, GK_SQLITE_BUSY_MS);
  /* WAL: readers (the pages) never wait for the workers' writes.
   * synchronous=NORMAL: in WAL mode a commit is in the log before it is
   * answered, so it survives the server being killed; only a power cut
   * (or an OS crash) can lose the last commits before the next
   * checkpoint.  FULL would fsync every commit, which made an import 30
   * times slower (docs/PERFORMANCE.md); deployments that need every
   * answered upload to survive a power cut use PostgreSQL. */
  char *msg = NULL;
  if (sqlite3_exec(
          s->lite,
          "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
          "PRAGMA foreign_keys=ON; PRAGMA cache_size=" GK_SQLITE_CACHE_KIB ";",
          NULL, NULL, &msg) != SQLITE_OK) {
    set_err(s, "sqlite setup: %s", msg ? msg : "?");
    sqlite3_free(msg);
    return -1;
  }
  return 0;
}

/* ------------------------------------------------------------ PostgreSQL */

static int pg_query(gk_store *s, const char *sql, const gk_param *params,
                    size_t n_params, gk_rows **out, int binary) {
  const char *vals[32] = {0};
  int lens[32] = {0}, fmts[32] = {0};
  if (n_params > 32) {
    set_err(s, "too many parameters");
    return -1;
  }
  for (size_t i = 0; i < n_params; i++) {
    vals[i] = params[i].data;
    lens[i] = (int)params[i].len;
    fmts[i] = params[i].blob ? 1 : 0;
  }
  /* A connection the server dropped (a restart, a failover) is opened
   * again once; a transaction that was open on it is lost, as its
   * statements fail. */
  if (PQstatus(s->pg) == CONNECTION_BAD)
    PQreset(s->pg);
  PGresult *res =
      PQexecParams(s->pg, sql, (int)n_params, NULL, vals, lens, fmts, binary);
  ExecStatusType t = PQresultStatus(res);
  if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
    set_err(s, "postgresql: %s", PQerrorMessage(s->pg));
    PQclear(res);
    return -1;
  }
  if (!out) {
    PQclear(res);
    return 0;
  }
  size_t n_cols = (size_t)PQnfields(res), n = (size_t)PQntuples(res);
  gk_rows *r = rows_new(n_cols);
  size_t cap = 0;
  if (!r)
    goto oom;
  for (size_t i = 0; i < n; i++) {
    long at = rows_add(r, &cap);
    if (at < 0)
      goto oom;
    for (size_t c = 0; c < n_cols; c++) {
      if (PQgetisnull(res, (int)i, (int)c))
        continue;
      size_t len = (size_t)PQgetlength(res, (int)i, (int)c);
      if (!(r->vals[at + (long)c] =
                dup_bytes(PQgetvalue(res, (int)i, (int)c), len)))
        goto oom;
      r->lens[at + (long)c] = len;
    }
  }
  PQclear(res);
  *out = r;
  return 0;
oom:
  PQclear(res);
  gk_rows_free(r);
  set_err(s, "out of memory");
  return -1;
}

static void pg_notice(void *arg, const char *msg) {
  (void)arg; /* NOTICEs (IF NOT EXISTS ...) are not for the log */
  (void)msg;
}

static int pg_open(gk_store *s, const char *url) {
  s->pg = PQconnectdb(url);
  if (!s->pg || PQstatus(s->pg) != CONNECTION_OK) {
    set_err(s, "postgresql connect: %s",
            s->pg ? PQerrorMessage(s->pg) : "out of memory");
    return -1;
  }
  PQsetNoticeProcessor(s->pg, pg_notice, NULL);
  return 0;
}

/* ---------------------------------------------------------------- common */

int gk_store_query(gk_store *s, const char *sql, const gk_param *params,
                   size_t n_params, gk_rows **out) {
  if (out)
    *out = NULL;
  gk_store_lock(s);
  int rc = s->kind == GK_DB_SQLITE ? lite_query(s, sql, params, n_params, out)
                                   : pg_query(s, sql, params, n_params, out, 0);
  gk_store_unlock(s);
  return rc;
}

int gk_store_exec(gk_store *s, const char *sql, const gk_param *params,
                  size_t n_params) {
  return gk_store_query(s, sql, params, n_params, NULL);
}

int64_t gk_store_int(gk_store *s, const char *sql, const gk_param *params,
                     size_t n_params, int *ok) {
  gk_rows *r = NULL;
  *ok = 0;
  if (gk_store_query(s, sql, params, n_params, &r) != 0)
    return -1;
  int64_t v = -1;
  if (gk_rows_count(r) > 0 && gk_rows_get(r, 0, 0, NULL)) {
    v = gk_rows_int(r, 0, 0, -1);
    *ok = 1;
  } else {
    set_err(s, "no value");
  }
  gk_rows_free(r);
  return v;
}

int gk_store_generation(gk_store *s, char *buf, size_t cap) {
  gk_rows *r = NULL;
  if (gk_store_query(s,
                     s->kind == GK_DB_SQLITE
                         ? "SELECT n FROM answer_generation WHERE id = 1"
                         : "SELECT sum(n) FROM answer_generation",
                     NULL, 0, &r) != 0)
    return -1;
  size_t len = 0;
  const char *v = gk_rows_count(r) ? gk_rows_get(r, 0, 0, &len) : NULL;
  int rc = -1;
  if (!v)
    set_err(s, "no answer generation");
  else if (len >= cap)
    set_err(s, "answer generation of %zu bytes", len);
  else {
    memcpy(buf, v, len + 1);
    rc = 0;
  }
  gk_rows_free(r);
  return rc;
}

int gk_store_begin(gk_store *s) {
  return gk_store_exec(s, s->kind == GK_DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN",
                       NULL, 0);
}
int gk_store_commit(gk_store *s) { return gk_store_exec(s, "COMMIT", NULL, 0); }
void gk_store_rollback(gk_store *s) {
  char keep[sizeof s->err];
  memcpy(keep, s->err, sizeof keep); /* the first failure is the news */
  gk_store_lock(s);
  (void)gk_store_exec(s, "ROLLBACK", NULL, 0);
  /* what the cache holds may have been read inside the transaction
   * (regions a roster import added, then rolled back) */
  gk_store_set_cache(s, NULL, NULL);
  gk_store_unlock(s);
  memcpy(s->err, keep, sizeof keep);
}

/* Runs a script of several statements without parameters. */
static int exec_script(gk_store *s, const char *sql) {
  if (s->kind == GK_DB_SQLITE) {
    char *msg = NULL;
    if (sqlite3_exec(s->lite, sql, NULL, NULL, &msg) != SQLITE_OK) {
      set_err(s, "sqlite: %s", msg ? msg : "?");
      sqlite3_free(msg);
      return -1;
    }
    return 0;
  }
  PGresult *res = PQexec(s->pg, sql);
  int ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
           PQresultStatus(res) == PGRES_TUPLES_OK;
  if (!ok)
    set_err(s, "postgresql: %s", PQerrorMessage(s->pg));
  PQclear(res);
  return ok ? 0 : -1;
}

int gk_store_schema_version(gk_store *s) {
  int ok;
  int64_t v =
      gk_store_int(s, "SELECT coalesce(max(version), 0) FROM schema_migrations",
                   NULL, 0, &ok);
  return ok ? (int)v : -1;
}

/* Applies the compiled-in migrations newer than the database, in order of
 * their number (the files are listed sorted by name). */
static int migrate_all(gk_store *s);

/* On SQLite, foreign keys are off while migrating: that is the documented
 * way to rebuild a table (CREATE new, copy, DROP old, RENAME), which
 * SQLite needs to drop a constraint (003_*).  Each migration checks them
 * (PRAGMA foreign_key_check) before it commits. */
static int migrate(gk_store *s) {
  if (s->kind != GK_DB_SQLITE)
    return migrate_all(s);
  if (exec_script(s, "PRAGMA foreign_keys=OFF") != 0)
    return -1;
  int rc = migrate_all(s);
  if (exec_script(s, "PRAGMA foreign_keys=ON") != 0)
    rc = -1;
  return rc;
}

static int migrate_all(gk_store *s) {
  const gk_embed_file *m =
      s->kind == GK_DB_SQLITE ? gk_migrations_sqlite : gk_migrations_postgresql;
  if (exec_script(s, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                     "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                     "applied TEXT NOT NULL)") != 0)
    return -1;
  for (; m->name; m++) {
    int version = atoi(m->name);
    char vbuf[16], now[21];
    snprintf(vbuf, sizeof vbuf, "%d", version);
    gk_store_now(now);
    if (gk_store_begin(s) != 0)
      return -1;
    if (s->kind == GK_DB_POSTGRESQL) {
      char lock[80];
      snprintf(lock, sizeof lock, "SELECT pg_advisory_xact_lock(%d)",
               GK_PG_MIGRATE_LOCK);
      if (exec_script(s, lock) != 0)
        goto fail;
    }
    gk_param p[] = {GK_TEXT(vbuf), GK_TEXT(m->name), GK_TEXT(now)};
    int ok;
    int64_t have = gk_store_int(
        s, "SELECT count(*) FROM schema_migrations WHERE version = $1", p, 1,
        &ok);
    if (!ok)
      goto fail;
    if (have == 0) {
      if (exec_script(s, (const char *)m->data) != 0 ||
          gk_store_exec(s,
                        "INSERT INTO schema_migrations (version, name, "
                        "applied) VALUES ($1, $2, $3)",
                        p, 3) != 0)
        goto fail;
      if (s->kind == GK_DB_SQLITE) {
        gk_rows *bad = NULL;
        if (gk_store_query(s, "PRAGMA foreign_key_check", NULL, 0, &bad) != 0)
          goto fail;
        size_t n_bad = gk_rows_count(bad);
        gk_rows_free(bad);
        if (n_bad > 0) {
          set_err(s, "%zu rows break a foreign key", n_bad);
          goto fail;
        }
      }
    }
    if (gk_store_commit(s) != 0)
      goto fail;
    continue;
  fail : {
    char why[sizeof s->err];
    memcpy(why, s->err, sizeof why);
    gk_store_rollback(s);
    set_err(s, "migration %s: %s", m->name, why);
    return -1;
  }
  }
  return 0;
}

int gk_store_open(const char *data_dir, const char *db_url, gk_store **out,
                  char *err, size_t cap) {
  *out = NULL;
  gk_store *s = calloc(1, sizeof *s);
  if (!s) {
    snprintf(err, cap, "out of memory");
    return -1;
  }
  pthread_mutexattr_t at;
  pthread_mutexattr_init(&at);
  pthread_mutexattr_settype(&at, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&s->mu, &at);
  pthread_mutexattr_destroy(&at);
  int rc;
  if (db_url) {
    s->kind = GK_DB_POSTGRESQL;
    rc = pg_open(s, db_url);
  } else {
    s->kind = GK_DB_SQLITE;
    rc = lite_open(s, data_dir ? data_dir : "gongkai-data");
  }
  if (rc == 0)
    rc = migrate(s);
  if (rc != 0) {
    snprintf(err, cap, "%s", s->err);
    gk_store_close(s);
    return -1;
  }
  *out = s;
  return 0;
}

void *gk_store_cache(gk_store *s) { return s->user; }

static void set_cache(gk_store *s, void *value, void (*free_fn)(void *));

void gk_store_set_cache(gk_store *s, void *value, void (*free_fn)(void *)) {
  gk_store_lock(s);
  set_cache(s, value, free_fn);
  gk_store_unlock(s);
}

static void set_cache(gk_store *s, void *value, void (*free_fn)(void *)) {
  if (s->user && s->user_free)
    s->user_free(s->user);
  s->user = value;
  s->user_free = free_fn;
}

void gk_store_close(gk_store *s) {
  if (!s)
    return;
  set_cache(s, NULL, NULL);
  for (unsigned i = 0; i < GK_SQLITE_STMT_CACHE; i++)
    if (s->cache[i].sql) {
      sqlite3_finalize(s->cache[i].stmt);
      free(s->cache[i].sql);
    }
  if (s->lite)
    sqlite3_close(s->lite);
  if (s->pg)
    PQfinish(s->pg);
  pthread_mutex_destroy(&s->mu);
  free(s);
}

/* ----------------------------------------------------------------- files */

void gk_store_file_sha(const void *bytes, size_t len, char sha_out[65]) {
  struct sha256_ctx ctx;
  uint8_t d[SHA256_DIGEST_SIZE];
  sha256_init(&ctx);
  sha256_update(&ctx, len, bytes);
  sha256_digest(&ctx, sizeof d, d);
  /* by hand: 32 snprintf calls were a tenth of an upload's instructions
   * outside SQLite (callgrind) */
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < sizeof d; i++) {
    sha_out[2 * i] = hex[d[i] >> 4];
    sha_out[2 * i + 1] = hex[d[i] & 15];
  }
  sha_out[64] = '\0';
}

int gk_store_put_file(gk_store *s, const void *bytes, size_t len,
                      char sha_out[65], int *created) {
  gk_store_file_sha(bytes, len, sha_out);
  return gk_store_put_file_hashed(s, bytes, len, sha_out, created);
}

int gk_store_put_file_hashed(gk_store *s, const void *bytes, size_t len,
                             const char sha[65], int *created) {
  char size[24], now[21];
  snprintf(size, sizeof size, "%zu", len);
  gk_store_now(now);
  gk_param p[] = {GK_TEXT(sha), GK_BLOB(bytes, len), GK_TEXT(size),
                  GK_TEXT(now)};
  gk_rows *r = NULL;
  if (gk_store_query(s,
                     "INSERT INTO files (sha256, bytes, size, received) "
                     "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING "
                     "RETURNING sha256",
                     p, 4, &r) != 0)
    return -1;
  *created = gk_rows_count(r) > 0;
  gk_rows_free(r);
  return 0;
}

int gk_store_get_file(gk_store *s, const char *sha, char **out, size_t *len) {
  gk_param p[] = {GK_TEXT(sha)};
  gk_rows *r = NULL;
  int rc;
  *out = NULL;
  gk_store_lock(s);
  if (s->kind == GK_DB_SQLITE)
    rc = lite_query(s, "SELECT bytes FROM files WHERE sha256 = $1", p, 1, &r);
  else /* bytea in binary format: the bytes themselves, not hex */
    rc = pg_query(s, "SELECT bytes FROM files WHERE sha256 = $1", p, 1, &r, 1);
  gk_store_unlock(s);
  if (rc != 0)
    return -1;
  if (gk_rows_count(r) == 0) {
    set_err(s, "no file %s", sha);
    gk_rows_free(r);
    return -1;
  }
  /* Take the value over instead of copying it. */
  *out = r->vals[0];
  *len = r->lens[0];
  r->vals[0] = NULL;
  gk_rows_free(r);
  return 0;
}

/* ------------------------------------------------------------------ jobs */

int64_t gk_store_job_add(gk_store *s, int64_t report_id) {
  char id[24], now[21];
  snprintf(id, sizeof id, "%lld", (long long)report_id);
  gk_store_now(now);
  gk_param p[] = {GK_TEXT(id), GK_TEXT(now)};
  int ok;
  return gk_store_int(s,
                      "INSERT INTO jobs (report_id, state, created) "
                      "VALUES ($1, 'queued', $2) RETURNING id",
                      p, 2, &ok);
}

int64_t gk_store_job_add_done(gk_store *s, int64_t report_id,
                              const char *worker) {
  char id[24], now[21];
  snprintf(id, sizeof id, "%lld", (long long)report_id);
  gk_store_now(now);
  gk_param p[] = {GK_TEXT(id), GK_TEXT(worker), GK_TEXT(now)};
  int ok;
  int64_t job = gk_store_int(s,
                             "INSERT INTO jobs (report_id, state, created, "
                             "worker, started, finished) VALUES ($1, 'done', "
                             "$3, $2, $3, $3) RETURNING id",
                             p, 3, &ok);
  if (!ok)
    return -1;
  char jid[24];
  snprintf(jid, sizeof jid, "%lld", (long long)job);
  gk_param r[] = {GK_TEXT(jid), GK_TEXT(worker), GK_TEXT(now)};
  return gk_store_exec(s,
                       "INSERT INTO job_runs (job_id, worker, at) "
                       "VALUES ($1, $2, $3)",
                       r, 3) == 0
             ? job
             : -1;
}

int gk_store_jobs_claim(gk_store *s, const char *worker, gk_job *jobs,
                        size_t max) {
  char now[21], lim[24];
  gk_store_now(now);
  snprintf(lim, sizeof lim, "%zu", max);
  gk_param p[] = {GK_TEXT(worker), GK_TEXT(now), GK_TEXT(lim)};
  gk_rows *r = NULL;
  if (max == 0)
    return 0;
  if (s->kind == GK_DB_SQLITE) {
    /* One statement: atomic against the other connections. */
    if (gk_store_query(s,
                       "UPDATE jobs SET state = 'running', worker = $1, "
                       "started = $2 WHERE id IN (SELECT id FROM jobs WHERE "
                       "state = 'queued' ORDER BY id LIMIT $3) "
                       "RETURNING id, report_id",
                       p, 3, &r) != 0)
      return -1;
  } else {
    if (gk_store_begin(s) != 0)
      return -1;
    if (gk_store_query(s,
                       "SELECT id, report_id FROM jobs WHERE state = "
                       "'queued' ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
                       p + 2, 1, &r) != 0) {
      gk_store_rollback(s);
      return -1;
    }
    if (gk_rows_count(r) == 0)
      gk_store_rollback(s);
  }
  size_t n = gk_rows_count(r);
  if (n > max)
    n = max;
  for (size_t i = 0; i < n; i++) {
    jobs[i].id = gk_rows_int(r, i, 0, -1);
    jobs[i].report_id = gk_rows_int(r, i, 1, -1);
  }
  gk_rows_free(r);
  return (int)n;
}

int gk_store_job_claim(gk_store *s, const char *worker, gk_job *job) {
  return gk_store_jobs_claim(s, worker, job, 1);
}

/* Whether this thread holds the store's lock for a job's results (SQLite:
 * from gk_store_job_results_begin() to done or abort). */
static _Thread_local int job_locked;

int gk_store_job_results_begin(gk_store *s) {
  if (s->kind != GK_DB_SQLITE)
    return 0; /* PostgreSQL: the claim's transaction is still open */
  /* One connection is shared by the workers and the HTTP threads of a
   * process (gk_store_shared()), so the write transaction holds the
   * store's lock: nobody else's statement can land inside it. */
  gk_store_lock(s);
  if (gk_store_begin(s) != 0) {
    gk_store_unlock(s);
    return -1;
  }
  job_locked = 1;
  return 0;
}

static void job_unlock(gk_store *s) {
  if (job_locked) {
    job_locked = 0;
    gk_store_unlock(s);
  }
}

int gk_store_jobs_done(gk_store *s, const gk_job *jobs, size_t n,
                       const char *worker) {
  char now[21];
  gk_store_now(now);
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < n; i++) {
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)jobs[i].id);
    gk_param p[] = {GK_TEXT(id), GK_TEXT(worker), GK_TEXT(now)};
    if (gk_store_exec(s,
                      "UPDATE jobs SET state = 'done', worker = $2, "
                      "finished = $3 WHERE id = $1",
                      p, 3) != 0 ||
        gk_store_exec(s,
                      "INSERT INTO job_runs (job_id, worker, at) "
                      "VALUES ($1, $2, $3)",
                      p, 3) != 0)
      rc = -1;
  }
  if (rc == 0 && gk_store_commit(s) != 0)
    rc = -1;
  if (rc != 0)
    gk_store_rollback(s);
  job_unlock(s);
  return rc;
}

int gk_store_job_done(gk_store *s, const gk_job *job, const char *worker) {
  return gk_store_jobs_done(s, job, 1, worker);
}

void gk_store_jobs_abort(gk_store *s, const gk_job *jobs, size_t n) {
  gk_store_rollback(s);
  job_unlock(s);
  if (s->kind == GK_DB_SQLITE) {
    for (size_t i = 0; i < n; i++) {
      char id[24];
      snprintf(id, sizeof id, "%lld", (long long)jobs[i].id);
      gk_param p[] = {GK_TEXT(id)};
      (void)gk_store_exec(s, "UPDATE jobs SET state = 'queued' WHERE id = $1",
                          p, 1);
    }
  }
}

void gk_store_job_abort(gk_store *s, const gk_job *job) {
  gk_store_jobs_abort(s, job, 1);
}

int gk_store_requeue_running(gk_store *s) {
  if (s->kind != GK_DB_SQLITE)
    return 0;
  gk_rows *r = NULL;
  if (gk_store_query(s,
                     "UPDATE jobs SET state = 'queued', worker = NULL "
                     "WHERE state = 'running' RETURNING id",
                     NULL, 0, &r) != 0)
    return -1;
  int n = (int)gk_rows_count(r);
  gk_rows_free(r);
  return n;
}

/* ------------------------------------------------------------ checkpoint */

struct gk_checkpointer {
  gk_store *s;
  sqlite3 *db; /* the checkpoint's own connection */
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int pending, stop;
};

/* The WAL hook of the shared connection: called by the commit that
 * appended to the log (holding s's lock), with the log's length in
 * pages.  A registered hook replaces SQLite's automatic checkpoint. */
static int ckpt_hook(void *arg, sqlite3 *db, const char *name, int pages) {
  gk_checkpointer *c = arg;
  if (pages >= GK_SQLITE_CKPT_FALLBACK_PAGES) {
    /* fallen far behind: do it here, as SQLite would by default */
    (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL,
                                    NULL);
    return SQLITE_OK;
  }
  if (pages >= GK_SQLITE_CKPT_PAGES) {
    pthread_mutex_lock(&c->mu);
    c->pending = 1;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
  }
  return SQLITE_OK;
}

/* Waits for the hook's signal or, while the last checkpoint left frames
 * behind, at most GK_SQLITE_CKPT_RETRY_MS; true when the wait ended with
 * work to do (a signal, or the pause over), false on stop.  Called and
 * returns with c->mu held. */
static bool ckpt_wait(gk_checkpointer *c, bool behind) {
  struct timespec until;
  if (behind) {
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += GK_SQLITE_CKPT_RETRY_MS * 1000L * 1000L;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
  }
  while (!c->pending && !c->stop) {
    if (!behind)
      pthread_cond_wait(&c->cv, &c->mu);
    else if (pthread_cond_timedwait(&c->cv, &c->mu, &until) == ETIMEDOUT)
      break;
  }
  return !c->stop;
}

static void *ckpt_main(void *arg) {
  gk_checkpointer *c = arg;
  int retries = 0;
  bool behind = false;
  pthread_mutex_lock(&c->mu);
  while (ckpt_wait(c, behind)) {
    if (c->pending)
      retries = 0;
    c->pending = 0;
    pthread_mutex_unlock(&c->mu);
    /* PASSIVE: copies what no reader still needs, never waits for the
     * writers nor makes them wait; what it leaves (the database busy with
     * another checkpoint, a commit during the copy) is tried again */
    int log = -1, copied = -1;
    int rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
                                       &log, &copied);
    behind = (rc == SQLITE_BUSY || (rc == SQLITE_OK && copied < log)) &&
             retries++ < GK_SQLITE_CKPT_RETRIES;
    pthread_mutex_lock(&c->mu);
  }
  pthread_mutex_unlock(&c->mu);
  return NULL;
}

gk_checkpointer *gk_store_checkpointer_start(gk_store *s) {
  if (s->kind != GK_DB_SQLITE)
    return NULL;
  gk_checkpointer *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  c->s = s;
  const char *path = sqlite3_db_filename(s->lite, "main");
  if (!path || !*path ||
      sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                      NULL) != SQLITE_OK) {
    sqlite3_close(c->db);
    free(c);
    return NULL;
  }
  sqlite3_busy_timeout(c->db, GK_SQLITE_BUSY_MS);
  /* a connection that has read nothing yet does not know the database is
   * in WAL mode, and its checkpoints do nothing (the log's length -1):
   * read once (tests/server/test_store.c sqlite_background_checkpoint) */
  if (sqlite3_exec(c->db, "SELECT 1 FROM sqlite_schema LIMIT 1", NULL, NULL,
                   NULL) != SQLITE_OK) {
    sqlite3_close(c->db);
    free(c);
    return NULL;
  }
  pthread_mutex_init(&c->mu, NULL);
  pthread_cond_init(&c->cv, NULL);
  if (pthread_create(&c->thread, NULL, ckpt_main, c) != 0) {
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
    sqlite3_close(c->db);
    free(c);
    return NULL;
  }
  gk_store_lock(s);
  sqlite3_wal_hook(s->lite, ckpt_hook, c);
  gk_store_unlock(s);
  return c;
}

void gk_store_checkpointer_stop(gk_checkpointer *c) {
  if (!c)
    return;
  gk_store_lock(c->s);
  /* SQLite's automatic checkpoint again (it is a WAL hook too) */
  sqlite3_wal_autocheckpoint(c->s->lite, GK_SQLITE_CKPT_PAGES);
  gk_store_unlock(c->s);
  pthread_mutex_lock(&c->mu);
  c->stop = 1;
  pthread_cond_signal(&c->cv);
  pthread_mutex_unlock(&c->mu);
  pthread_join(c->thread, NULL);
  pthread_cond_destroy(&c->cv);
  pthread_mutex_destroy(&c->mu);
  sqlite3_close(c->db);
  free(c);
}

/* ----------------------------------------------------------------- audit */

int gk_store_audit(gk_store *s, const char *actor, const char *action,
                   const char *object, const char *detail) {
  char now[21];
  gk_store_now(now);
  gk_param p[] = {GK_TEXT(now), GK_TEXT(actor), GK_TEXT(action),
                  GK_TEXT(object), GK_TEXT(detail ? detail : "")};
  return gk_store_exec(s,
                       "INSERT INTO audit (at, actor, action, object, detail) "
                       "VALUES ($1, $2, $3, $4, $5)",
                       p, 5);
}
