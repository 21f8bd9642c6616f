/*
 * test_store.c - the store (src/store/store.h) against SQLite in a
 * temporary folder and against the PostgreSQL server that the pg fixture
 * started (its URL in the file named by GK_PG_STATE; the PostgreSQL tests
 * skip, saying so, when the fixture wrote "skip").  Each PostgreSQL test
 * makes its own database, so the suites may run side by side.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "store.h"

static char pg_base[1024];

/* A fresh SQLite folder for one test. */
static const char *lite_dir(char *buf, size_t cap) {
  snprintf(buf, cap, "/tmp/gk-store-test.XXXXXX");
  return mkdtemp(buf);
}

static void rm_dir(const char *dir) {
  char cmd[1100];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (strncmp(dir, "/tmp/gk-store-test.", 19) == 0 && system(cmd) != 0)
    fprintf(stderr, "could not remove %s\n", dir);
}

/* The fixture's URL, or 0 when PostgreSQL is not available. */
static int pg_available(void) {
  if (pg_base[0])
    return strcmp(pg_base, "skip") != 0;
  const char *state = getenv("GK_PG_STATE");
  FILE *f = state ? fopen(state, "r") : NULL;
  if (!f || !fgets(pg_base, sizeof pg_base, f))
    snprintf(pg_base, sizeof pg_base, "skip");
  if (f)
    fclose(f);
  pg_base[strcspn(pg_base, "\n")] = '\0';
  if (strcmp(pg_base, "skip") == 0)
    printf("SKIP: PostgreSQL tests: no server (install Debian postgresql)\n");
  return strcmp(pg_base, "skip") != 0;
}

/* Creates database gk_<tag>_<pid> on the fixture's server and writes its
 * URL into url. */
static int pg_fresh(const char *tag, char *url, size_t cap) {
  PGconn *c = PQconnectdb(pg_base);
  PQclear(PQexec(c, "SET client_min_messages = warning"));
  char sql[200], name[64];
  snprintf(name, sizeof name, "gk_%s_%ld", tag, (long)getpid());
  snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
  PQclear(PQexec(c, sql));
  snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
  PGresult *r = PQexec(c, sql);
  int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  if (!ok)
    fprintf(stderr, "%s", PQerrorMessage(c));
  PQclear(r);
  PQfinish(c);
  /* the URL is postgresql:///postgres?...: swap the database name */
  const char *q = strchr(pg_base, '?');
  snprintf(url, cap, "postgresql:///%s%s", name, q ? q : "");
  return ok;
}

static gk_store *open_or_report(const char *dir, const char *url) {
  gk_store *s = NULL;
  char err[512];
  if (gk_store_open(dir, url, &s, err, sizeof err) != 0)
    fprintf(stderr, "open: %s\n", err);
  return s;
}

/* What every backend must do; s is a fresh store. */
static void files_and_audit(gk_store *s) {
  CHECK_TRUE(gk_store_schema_version(s) >= 1);
  /* bytes with NULs and high bytes come back exactly */
  unsigned char bytes[300];
  for (size_t i = 0; i < sizeof bytes; i++)
    bytes[i] = (unsigned char)(i * 7);
  char sha[65], sha2[65];
  int created = -1;
  CHECK_INT_EQ(gk_store_put_file(s, bytes, sizeof bytes, sha, &created), 0);
  CHECK_INT_EQ(created, 1);
  CHECK_INT_EQ(gk_store_put_file(s, bytes, sizeof bytes, sha2, &created), 0);
  CHECK_INT_EQ(created, 0);
  CHECK_STR_EQ(sha, sha2);
  char *back = NULL;
  size_t len = 0;
  CHECK_INT_EQ(gk_store_get_file(s, sha, &back, &len), 0);
  CHECK_MEM_EQ(back, len, (const char *)bytes, sizeof bytes);
  free(back);
  CHECK_INT_EQ(gk_store_get_file(s, "00", &back, &len), -1);
  /* sha256("abc") */
  CHECK_INT_EQ(gk_store_put_file(s, "abc", 3, sha, &created), 0);
  CHECK_STR_EQ(sha, "ba7816bf8f01cfea414140de5dae2223"
                    "b00361a396177a9cb410ff61f20015ad");
  /* hashed first (an upload, before the store's lock), then stored: the
   * same digits as gk_store_put_file()'s, and stored once */
  char pre[65];
  gk_store_file_sha("abc", 3, pre);
  CHECK_STR_EQ(pre, sha);
  CHECK_INT_EQ(gk_store_put_file_hashed(s, "abc", 3, pre, &created), 0);
  CHECK_INT_EQ(created, 0);
  gk_store_file_sha("abcd", 4, pre);
  CHECK_STR_EQ(pre, "88d4266fd4e6338d13b845fcf289579d"
                    "209c897823b9217da3e161936f031589");
  CHECK_INT_EQ(gk_store_put_file_hashed(s, "abcd", 4, pre, &created), 0);
  CHECK_INT_EQ(created, 1);
  CHECK_INT_EQ(gk_store_get_file(s, pre, &back, &len), 0);
  CHECK_MEM_EQ(back, len, "abcd", 4);
  free(back);
  int ok;
  CHECK_INT_EQ(gk_store_int(s, "SELECT count(*) FROM files", NULL, 0, &ok), 3);

  /* the audit log only grows */
  CHECK_INT_EQ(gk_store_audit(s, "张三", "upload", "report:1", "a.txt"), 0);
  CHECK_INT_EQ(gk_store_exec(s, "UPDATE audit SET actor = 'x'", NULL, 0), -1);
  CHECK_INT_EQ(gk_store_exec(s, "DELETE FROM audit", NULL, 0), -1);
  gk_rows *r = NULL;
  CHECK_INT_EQ(
      gk_store_query(s, "SELECT actor, action FROM audit", NULL, 0, &r), 0);
  CHECK_UINT_EQ(gk_rows_count(r), 1);
  CHECK_STR_EQ(gk_rows_get(r, 0, 0, NULL), "张三");
  gk_rows_free(r);

  /* role and scope are constrained from the first migration */
  CHECK_INT_EQ(gk_store_exec(s,
                             "INSERT INTO users (name, role, created) "
                             "VALUES ('a', '审核人员', 'now')",
                             NULL, 0),
               0);
  CHECK_INT_EQ(gk_store_exec(s,
                             "INSERT INTO users (name, role, created) "
                             "VALUES ('b', 'root', 'now')",
                             NULL, 0),
               -1);
}

/* Adds a report for a new file and queues its job. */
static int64_t add_report(gk_store *s, const char *content) {
  char sha[65], now[21];
  int created;
  if (gk_store_put_file(s, content, strlen(content), sha, &created) != 0)
    return -1;
  gk_store_now(now);
  gk_param p[] = {GK_TEXT(sha), GK_TEXT(content), GK_TEXT(now)};
  int ok;
  int64_t id = gk_store_int(s,
                            "INSERT INTO reports (sha256, name, received) "
                            "VALUES ($1, $2, $3) RETURNING id",
                            p, 3, &ok);
  return ok ? gk_store_job_add(s, id) : -1;
}

static void queue_in_order(gk_store *s) {
  int64_t a = add_report(s, "a"), b = add_report(s, "b");
  CHECK_TRUE(a > 0 && b > a);
  gk_job j1, j2, j3;
  CHECK_INT_EQ(gk_store_job_claim(s, "w1", &j1), 1);
  CHECK_INT_EQ(j1.id, a);
  CHECK_INT_EQ(gk_store_job_results_begin(s), 0);
  CHECK_INT_EQ(gk_store_exec(s, "UPDATE reports SET state = 'done'", NULL, 0),
               0);
  CHECK_INT_EQ(gk_store_job_done(s, &j1, "w1"), 0);
  CHECK_INT_EQ(gk_store_job_claim(s, "w1", &j2), 1);
  CHECK_INT_EQ(j2.id, b);
  gk_store_job_abort(s, &j2); /* given back: claimed again */
  CHECK_INT_EQ(gk_store_job_claim(s, "w1", &j3), 1);
  CHECK_INT_EQ(j3.id, b);
  CHECK_INT_EQ(gk_store_job_results_begin(s), 0);
  CHECK_INT_EQ(gk_store_job_done(s, &j3, "w1"), 0);
  CHECK_INT_EQ(gk_store_job_claim(s, "w1", &j3), 0);
  int ok;
  CHECK_INT_EQ(gk_store_int(s, "SELECT count(*) FROM job_runs", NULL, 0, &ok),
               2);
  CHECK_INT_EQ(gk_store_int(s,
                            "SELECT count(*) FROM reports WHERE state = "
                            "'done'",
                            NULL, 0, &ok),
               2);
}

/* The answer generation (gk_store_generation()) as another connection t
 * sees it: unchanged by reads and by a write not yet committed, changed by
 * the commit of a write to what the pages show. */
static void generation_follows_writes(gk_store *s, gk_store *t) {
  char g0[1024], g1[1024], g2[1024], g3[1024];
  if (!CHECK_INT_EQ(gk_store_generation(t, g0, sizeof g0), 0))
    return;
  int ok;
  (void)gk_store_int(s, "SELECT count(*) FROM regions", NULL, 0, &ok);
  CHECK_INT_EQ(gk_store_generation(t, g1, sizeof g1), 0);
  CHECK_STR_EQ(g1, g0);
  CHECK_INT_EQ(gk_store_begin(s), 0);
  CHECK_INT_EQ(gk_store_exec(s,
                             "INSERT INTO regions (name, kind, name_key) "
                             "VALUES ('甲县', '县', '甲')",
                             NULL, 0),
               0);
  CHECK_INT_EQ(gk_store_generation(t, g2, sizeof g2), 0);
  CHECK_STR_EQ(g2, g0); /* not committed: t still sees the old rows */
  CHECK_INT_EQ(gk_store_commit(s), 0);
  CHECK_INT_EQ(gk_store_generation(t, g3, sizeof g3), 0);
  CHECK_TRUE(strcmp(g3, g0) != 0);
  /* the writer's own connection reads the same */
  char g4[1024];
  CHECK_INT_EQ(gk_store_generation(s, g4, sizeof g4), 0);
  CHECK_STR_EQ(g4, g3);
  CHECK_INT_EQ(gk_store_generation(t, g0, 1), -1); /* does not fit */
}

TEST(sqlite_files_and_audit) {
  char dir[64];
  if (!CHECK_NOT_NULL(lite_dir(dir, sizeof dir)))
    return;
  char sub[80];
  snprintf(sub, sizeof sub, "%s/data", dir); /* created by the store */
  gk_store *s = open_or_report(sub, NULL);
  int64_t applied = -1;
  if (CHECK_NOT_NULL(s)) {
    int ok;
    CHECK_INT_EQ(gk_store_kind(s), GK_DB_SQLITE);
    files_and_audit(s);
    /* the numbers need not be contiguous (migrations of several branches
     * meet), so the count is compared with itself after a second open */
    applied =
        gk_store_int(s, "SELECT count(*) FROM schema_migrations", NULL, 0, &ok);
    CHECK_INT_EQ(ok, 1);
    gk_store_close(s);
  }
  /* opening again applies nothing twice and keeps the data */
  s = open_or_report(sub, NULL);
  if (CHECK_NOT_NULL(s)) {
    int ok;
    /* files_and_audit()'s three */
    CHECK_INT_EQ(gk_store_int(s, "SELECT count(*) FROM files", NULL, 0, &ok),
                 3);
    CHECK_INT_EQ(
        gk_store_int(s, "SELECT count(*) FROM schema_migrations", NULL, 0, &ok),
        applied);
    CHECK_INT_EQ(gk_store_int(s, "SELECT max(version) FROM schema_migrations",
                              NULL, 0, &ok),
                 gk_store_schema_version(s));
    gk_store_close(s);
  }
  rm_dir(dir);
}

TEST(sqlite_queue) {
  char dir[64];
  if (!CHECK_NOT_NULL(lite_dir(dir, sizeof dir)))
    return;
  gk_store *s = open_or_report(dir, NULL);
  if (CHECK_NOT_NULL(s)) {
    queue_in_order(s);
    /* a job left running by a dead process is queued again at start */
    int64_t c = add_report(s, "c");
    gk_job j;
    CHECK_INT_EQ(gk_store_job_claim(s, "w1", &j), 1);
    CHECK_INT_EQ(j.id, c);
    gk_store_close(s); /* "dies" holding the job */
    s = open_or_report(dir, NULL);
    if (CHECK_NOT_NULL(s)) {
      CHECK_INT_EQ(gk_store_requeue_running(s), 1);
      CHECK_INT_EQ(gk_store_job_claim(s, "w2", &j), 1);
      CHECK_INT_EQ(j.id, c);
      gk_store_close(s);
    }
  }
  rm_dir(dir);
}

TEST(sqlite_generation) {
  char dir[64];
  if (!CHECK_NOT_NULL(lite_dir(dir, sizeof dir)))
    return;
  gk_store *s = open_or_report(dir, NULL);
  gk_store *t = open_or_report(dir, NULL);
  if (CHECK_NOT_NULL(s) && CHECK_NOT_NULL(t))
    generation_follows_writes(s, t);
  gk_store_close(s);
  gk_store_close(t);
  rm_dir(dir);
}

/* The cache slot: kept until another value is set, a rollback (the
 * value may have been read inside the transaction) or the close, each
 * of which frees it once. */
static int cache_frees;
static void count_free(void *p) {
  cache_frees++;
  free(p);
}

/* The background checkpoint (gk_store_checkpointer_start()): 8 MiB of
 * files committed one by one reach the database file itself (all but
 * what the log may still hold) while the store is open (the WAL is
 * copied back beside the writer), nothing is lost, and once it is
 * stopped the store checkpoints by itself again. */
TEST(sqlite_background_checkpoint) {
  char dir[64], path[128];
  if (!CHECK_NOT_NULL(lite_dir(dir, sizeof dir)))
    return;
  snprintf(path, sizeof path, "%s/gongkai.db", dir);
  gk_store *s = open_or_report(dir, NULL);
  if (!CHECK_NOT_NULL(s))
    return;
  gk_checkpointer *c = gk_store_checkpointer_start(s);
  CHECK_NOT_NULL(c);
  enum { N = 128, SIZE = 64 << 10 };
  static unsigned char bytes[SIZE];
  char sha[65];
  int created, ok, stored = 0;
  for (int i = 0; i < N; i++) {
    memset(bytes, i, sizeof bytes);
    stored += gk_store_put_file(s, bytes, sizeof bytes, sha, &created) == 0 &&
              created;
  }
  CHECK_INT_EQ(stored, N);
  /* the checkpoints run in their own thread: wait for them (up to 60 s
   * on a loaded machine) to bring the database file near the data's
   * size.  Not all of it: when a checkpoint has copied the whole log, the
   * next commit starts the log again, and the commits after it stay in
   * the log until it holds GK_SQLITE_CKPT_PAGES (1,000 pages of 4 KiB,
   * store.c) — committed and safe, but not yet in the file.  Whether that
   * happens depends on the threads' timing (a failure seen under load). */
  const off_t want = (off_t)N * SIZE - (off_t)1000 * 4096;
  struct stat st = {0};
  for (int i = 0; i < 1200; i++) {
    if (stat(path, &st) == 0 && st.st_size >= want)
      break;
    nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
  }
  CHECK_TRUE(st.st_size >= want);
  gk_store_checkpointer_stop(c);
  /* after the stop, commits go on as before */
  memset(bytes, 0xff, sizeof bytes);
  CHECK_INT_EQ(gk_store_put_file(s, bytes, sizeof bytes, sha, &created), 0);
  gk_store_close(s);
  s = open_or_report(dir, NULL);
  if (CHECK_NOT_NULL(s)) {
    CHECK_INT_EQ(gk_store_int(s, "SELECT count(*) FROM files", NULL, 0, &ok),
                 N + 1);
    gk_rows *r = NULL;
    CHECK_INT_EQ(gk_store_query(s, "PRAGMA integrity_check", NULL, 0, &r), 0);
    CHECK_STR_EQ(gk_rows_get(r, 0, 0, NULL), "ok");
    gk_rows_free(r);
    gk_store_close(s);
  }
  rm_dir(dir);
}

TEST(sqlite_cache_slot) {
  char dir[64];
  if (!CHECK_NOT_NULL(lite_dir(dir, sizeof dir)))
    return;
  gk_store *s = open_or_report(dir, NULL);
  if (CHECK_NOT_NULL(s)) {
    cache_frees = 0;
    CHECK_NULL(gk_store_cache(s));
    gk_store_set_cache(s, malloc(8), count_free);
    CHECK_NOT_NULL(gk_store_cache(s));
    gk_store_set_cache(s, malloc(8), count_free); /* replaces the first */
    CHECK_INT_EQ(cache_frees, 1);
    CHECK_INT_EQ(gk_store_begin(s), 0);
    CHECK_NOT_NULL(gk_store_cache(s)); /* kept across statements */
    gk_store_rollback(s);
    CHECK_INT_EQ(cache_frees, 2);
    CHECK_NULL(gk_store_cache(s));
    gk_store_set_cache(s, malloc(8), count_free);
    gk_store_close(s);
    CHECK_INT_EQ(cache_frees, 3);
  }
  rm_dir(dir);
}

TEST(sqlite_bad_folder) {
  gk_store *s = NULL;
  char err[512];
  CHECK_INT_EQ(gk_store_open("/proc/no/such/folder", NULL, &s, err, sizeof err),
               -1);
  CHECK_NULL(s);
  CHECK_TRUE(strstr(err, "cannot create") != NULL);
}

TEST(postgresql_files_and_audit) {
  char url[1200];
  if (!pg_available() || !CHECK_TRUE(pg_fresh("files", url, sizeof url)))
    return;
  gk_store *s = open_or_report(NULL, url);
  if (CHECK_NOT_NULL(s)) {
    CHECK_INT_EQ(gk_store_kind(s), GK_DB_POSTGRESQL);
    files_and_audit(s);
    gk_store_close(s);
  }
  s = open_or_report(NULL, url);
  if (CHECK_NOT_NULL(s)) {
    int ok;
    /* files_and_audit()'s three */
    CHECK_INT_EQ(gk_store_int(s, "SELECT count(*) FROM files", NULL, 0, &ok),
                 3);
    gk_store_close(s);
  }
}

TEST(postgresql_queue_skip_locked) {
  char url[1200];
  if (!pg_available() || !CHECK_TRUE(pg_fresh("queue", url, sizeof url)))
    return;
  gk_store *s = open_or_report(NULL, url);
  gk_store *t = open_or_report(NULL, url);
  if (CHECK_NOT_NULL(s) && CHECK_NOT_NULL(t)) {
    queue_in_order(s);
    int64_t c = add_report(s, "c"), d = add_report(s, "d");
    /* two workers at once get different jobs */
    gk_job js, jt, jx;
    CHECK_INT_EQ(gk_store_job_claim(s, "s", &js), 1);
    CHECK_INT_EQ(gk_store_job_claim(t, "t", &jt), 1);
    CHECK_INT_EQ(js.id, c);
    CHECK_INT_EQ(jt.id, d);
    /* a worker whose connection dies gives its job back */
    gk_store_close(t);
    t = open_or_report(NULL, url);
    if (CHECK_NOT_NULL(t)) {
      /* the server ends the closed connection's backend (and its row
       * lock) asynchronously: poll as a worker would, for up to 30 s (a
       * loaded machine), rather than claim once */
      int claimed = 0;
      for (int i = 0; i < 600 && claimed == 0; i++) {
        claimed = gk_store_job_claim(t, "t2", &jx);
        if (claimed == 0)
          nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
      }
      CHECK_INT_EQ(claimed, 1);
      CHECK_INT_EQ(jx.id, d);
      CHECK_INT_EQ(gk_store_job_results_begin(t), 0);
      CHECK_INT_EQ(gk_store_job_done(t, &jx, "t2"), 0);
    }
    CHECK_INT_EQ(gk_store_job_results_begin(s), 0);
    CHECK_INT_EQ(gk_store_job_done(s, &js, "s"), 0);
    int ok;
    CHECK_INT_EQ(gk_store_int(s,
                              "SELECT count(*) FROM job_runs WHERE job_id "
                              "IN (SELECT job_id FROM job_runs GROUP BY "
                              "job_id HAVING count(*) > 1)",
                              NULL, 0, &ok),
                 0);
    CHECK_INT_EQ(gk_store_int(s, "SELECT count(*) FROM job_runs", NULL, 0, &ok),
                 4);
  }
  gk_store_close(s);
  gk_store_close(t);
}

TEST(postgresql_generation) {
  char url[1200];
  if (!pg_available() || !CHECK_TRUE(pg_fresh("generation", url, sizeof url)))
    return;
  gk_store *s = open_or_report(NULL, url);
  gk_store *t = open_or_report(NULL, url);
  if (CHECK_NOT_NULL(s) && CHECK_NOT_NULL(t))
    generation_follows_writes(s, t);
  gk_store_close(s);
  gk_store_close(t);
}

static const gk_test gk_tests[] = {
    TEST_ENTRY(sqlite_files_and_audit),
    TEST_ENTRY(sqlite_queue),
    TEST_ENTRY(sqlite_generation),
    TEST_ENTRY(sqlite_cache_slot),
    TEST_ENTRY(sqlite_background_checkpoint),
    TEST_ENTRY(sqlite_bad_folder),
    TEST_ENTRY(postgresql_files_and_audit),
    TEST_ENTRY(postgresql_queue_skip_locked),
    TEST_ENTRY(postgresql_generation),
};
GK_TEST_MAIN(gk_tests)
