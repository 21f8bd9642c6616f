/*
 * store.h - the database of the review workspace behind one small
 * interface: SQLite embedded in a data folder (the default) or PostgreSQL
 * shared by several `gongkai serve` processes.
 *
 * The interface is SQL with numbered parameters ($1, $2, ...) in the
 * subset both databases speak (RETURNING, ON CONFLICT DO NOTHING), plus
 * the few operations whose SQL differs (claiming a job, schema
 * migrations).  Values cross it as text, except file bytes (blobs).
 *
 * A gk_store is one connection guarded by a mutex: it may be shared by
 * threads, which then take turns.  Workers that hold a job open their
 * own store.  Every function returns 0 on success and -1 on failure, with
 * a message for the log in gk_store_error() (English, from the database).
 */
#ifndef GK_STORE_H
#define GK_STORE_H

#include <stddef.h>
#include <stdint.h>

typedef struct gk_store gk_store;

typedef enum { GK_DB_SQLITE = 0, GK_DB_POSTGRESQL } gk_db_kind;

/*
 * Opens the store.  `db_url` (postgresql://... or postgres://...) selects
 * PostgreSQL; when it is NULL, the SQLite database gongkai.db in
 * `data_dir` is used, and the folder is created when missing.  Pending
 * migrations (migrations/<kind>/NNN_*.sql, compiled in) are applied in
 * order, each in its own transaction; on PostgreSQL an advisory lock keeps
 * two processes starting at once from applying one twice.
 * On success *out is the caller's, closed by gk_store_close(); on failure
 * *out is NULL and err (cap bytes) holds the reason.
 */
int gk_store_open(const char *data_dir, const char *db_url, gk_store **out,
                  char *err, size_t cap);
void gk_store_close(gk_store *s);
gk_db_kind gk_store_kind(const gk_store *s);
/* The last failure's message; valid until the next call on s. */
const char *gk_store_error(const gk_store *s);
/* The version of the newest migration applied. */
int gk_store_schema_version(gk_store *s);

/* A parameter: text (NUL-terminated), a blob of len bytes, or NULL. */
typedef struct gk_param {
  const char *data; /* NULL: SQL NULL */
  size_t len;       /* for blobs */
  int blob;
} gk_param;

#define GK_TEXT(s) ((gk_param){(s), 0, 0})
#define GK_BLOB(p, n) ((gk_param){(const char *)(p), (n), 1})

/* Rows of a query result, as text (blob columns as bytes); a NULL is a
 * NULL pointer.  Every value is followed by a NUL. */
typedef struct gk_rows gk_rows;

size_t gk_rows_count(const gk_rows *r);
size_t gk_rows_columns(const gk_rows *r);
const char *gk_rows_get(const gk_rows *r, size_t row, size_t col, size_t *len);
/* The value as an integer, or `dflt` when NULL. */
int64_t gk_rows_int(const gk_rows *r, size_t row, size_t col, int64_t dflt);
void gk_rows_free(gk_rows *r);

/* Runs one statement.  When out is not NULL, *out receives the rows (the
 * caller frees them, also when there are none). */
int gk_store_query(gk_store *s, const char *sql, const gk_param *params,
                   size_t n_params, gk_rows **out);
/* gk_store_query() without rows. */
int gk_store_exec(gk_store *s, const char *sql, const gk_param *params,
                  size_t n_params);
/* The single integer the statement returns (RETURNING id, count(*)), or
 * -1 with *ok = 0 on failure or no row. */
int64_t gk_store_int(gk_store *s, const char *sql, const gk_param *params,
                     size_t n_params, int *ok);

/* Transactions.  gk_store_lock() takes the store's (recursive) mutex for
 * a sequence of calls that must not interleave with another thread's, such
 * as a transaction; every call takes it too. */
void gk_store_lock(gk_store *s);
void gk_store_unlock(gk_store *s);
/* gk_store_lock() when no other thread holds the lock: 0 when taken (the
 * caller unlocks), -1 when another thread holds it (a worker that would
 * otherwise wait out a group's commit helps check the next group). */
int gk_store_trylock(gk_store *s);
int gk_store_begin(gk_store *s);
int gk_store_commit(gk_store *s);
void gk_store_rollback(gk_store *s);

/*
 * The store's answer generation as text (at most cap bytes with the NUL):
 * equal texts mean that nothing the report page or the region page shows
 * has changed between the two calls, in any process.  It is a number that
 * every write to those tables bumps in its own transaction (triggers,
 * migration 005; on PostgreSQL the sum of 16 counters, so that writers
 * do not wait for each other's commits).  A caller that keeps answers
 * reads the generation BEFORE it reads the rows of an answer: the rows
 * are then at least that new, and a later write changes the generation.
 * Returns 0, or -1 on failure or when the text does not fit.
 */
int gk_store_generation(gk_store *s, char *buf, size_t cap);

/* ----------------------------------------------------------------- files */

/* Stores the bytes under their SHA-256 (64 hex digits, computed here into
 * sha_out[65]) unless already there; *created says which. */
int gk_store_put_file(gk_store *s, const void *bytes, size_t len,
                      char sha_out[65], int *created);
/* The SHA-256 of bytes as gk_store_put_file() computes it (64 hex digits
 * and a NUL), without the store: an upload hashes its file before it
 * takes the store's lock. */
void gk_store_file_sha(const void *bytes, size_t len, char sha_out[65]);
/* gk_store_put_file() for bytes whose SHA-256 the caller computed with
 * gk_store_file_sha(). */
int gk_store_put_file_hashed(gk_store *s, const void *bytes, size_t len,
                             const char sha[65], int *created);
/* The bytes of a stored file (*out malloc'd, caller frees); -1 when there
 * is none. */
int gk_store_get_file(gk_store *s, const char *sha, char **out, size_t *len);

/* ------------------------------------------------------------------ jobs */

/*
 * A job claimed by a worker.  On PostgreSQL the claim is a row lock held
 * in an open transaction (SELECT ... FOR UPDATE SKIP LOCKED): the results
 * are written in that transaction and gk_store_job_done() commits them
 * with the job's new state, so a worker that dies leaves the job queued
 * for another.  On SQLite (one process) the claim marks the job running;
 * gk_store_requeue_running() at start puts such jobs back.
 */
typedef struct gk_job {
  int64_t id;
  int64_t report_id;
} gk_job;

/* Queues a job for a report; returns its id or -1. */
int64_t gk_store_job_add(gk_store *s, int64_t report_id);
/* Claims the oldest queued job.  Returns 1 and fills *job, 0 when none is
 * queued, -1 on failure.  On PostgreSQL a worker's store is used by that
 * worker alone: its transaction stays open from the claim to
 * gk_store_job_done() or gk_store_job_abort().  On SQLite the workers of a
 * process share the process's one store (one writer, no lock waits), and
 * a job's results are written holding its lock. */
int gk_store_job_claim(gk_store *s, const char *worker, gk_job *job);
/* Starts writing the results of a claimed job (on SQLite, opens the write
 * transaction now, so that parsing does not hold it). */
int gk_store_job_results_begin(gk_store *s);
/* Marks the job done, records the run (job_runs) and commits together
 * with the results written since gk_store_job_results_begin(). */
int gk_store_job_done(gk_store *s, const gk_job *job, const char *worker);
/* Records a job for report_id that ran already (its results written in
 * the caller's open transaction): the job as done by `worker` and its one
 * run.  Returns the job's id, or -1 when the store failed. */
int64_t gk_store_job_add_done(gk_store *s, int64_t report_id,
                              const char *worker);
/* Gives the job back (rolled back on PostgreSQL, requeued on SQLite). */
void gk_store_job_abort(gk_store *s, const gk_job *job);
/* The same for a batch: claims up to max of the oldest queued jobs into
 * jobs[] and returns how many (0 when none is queued, -1 on failure), in
 * one statement on SQLite and one transaction holding their row locks on
 * PostgreSQL; marks n claimed jobs done together, recording their runs,
 * and commits them with the results written since
 * gk_store_job_results_begin(); gives n jobs back.  A batch's results
 * are committed all together or not at all. */
int gk_store_jobs_claim(gk_store *s, const char *worker, gk_job *jobs,
                        size_t max);
int gk_store_jobs_done(gk_store *s, const gk_job *jobs, size_t n,
                       const char *worker);
void gk_store_jobs_abort(gk_store *s, const gk_job *jobs, size_t n);
/* SQLite at start: jobs left running by a process that died are queued
 * again.  Returns how many, or -1.  A no-op on PostgreSQL. */
int gk_store_requeue_running(gk_store *s);

/* ----------------------------------------------------------------- cache */

/* One value its user keeps with the connection (worker.c: the region
 * tree for matching bodies), freed with free_fn when the store is closed,
 * another value is set, or a transaction is rolled back (the value may
 * have been read inside it).  Use it holding gk_store_lock(): the
 * connection may be shared by threads. */
void *gk_store_cache(gk_store *s);
void gk_store_set_cache(gk_store *s, void *value, void (*free_fn)(void *));

/* ------------------------------------------------------------ checkpoint */

/*
 * SQLite: checkpoints the WAL of s's database in the background, on a
 * connection and a thread of their own, instead of in the thread whose
 * commit filled it.  That thread holds s's lock (the workers and the
 * uploads share s), so every other writer waited while the checkpoint
 * copied the pages into the database and fsynced it.  A PASSIVE
 * checkpoint runs beside the writers; s checkpoints itself only when the
 * background one falls far behind (GK_SQLITE_CKPT_FALLBACK_PAGES).
 * Returns NULL on PostgreSQL or when it cannot start (s then checkpoints
 * itself, as before).  Stop it before s is closed.
 */
typedef struct gk_checkpointer gk_checkpointer;
gk_checkpointer *gk_store_checkpointer_start(gk_store *s);
void gk_store_checkpointer_stop(gk_checkpointer *c);

/* ----------------------------------------------------------------- audit */

/* Appends to the audit log. */
int gk_store_audit(gk_store *s, const char *actor, const char *action,
                   const char *object, const char *detail);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into buf[21]. */
void gk_store_now(char buf[21]);

#endif
