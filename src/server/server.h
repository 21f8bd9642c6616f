/*
 * server.h - `gongkai serve`: the review workspace of a county office.
 *
 * The server is an adapter: HTTP (libmicrohttpd) in front, the store
 * (src/store) behind, and the library's public API (gongkai.h) for every
 * judgement about a report.  http.c parses requests, applies the limits
 * and serves the embedded pages; api.c answers /api/v1/; worker.c runs the
 * job queue on a pool of threads.
 */
#ifndef GK_SERVER_H
#define GK_SERVER_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

typedef struct gk_server_config {
  const char *data_dir; /* SQLite folder (default ./gongkai-data) */
  const char *db_url;   /* postgresql://..., or NULL for SQLite */
  const char *listen;   /* "127.0.0.1:8080"; port 0 picks a free one */
  int workers;          /* job threads (default: number of cores) */
  int township_deadline_month, township_deadline_day; /* 0: 01-31 */
  const char *port_file; /* when set, the bound port is written here */
  /* PEM files: when both are set the server speaks HTTPS (GnuTLS) */
  const char *tls_cert, *tls_key;
  /* issue 13: the answer cache's size in MB (answer_cache.c); 0: the
   * default (64 MB), -1: no cache */
  long answer_cache_mb;
} gk_server_config;

/* What the handlers share.  The store is the HTTP threads' connection;
 * each worker opens its own. */
typedef struct gk_server {
  const gk_server_config *cfg;
  gk_store *store;
  atomic_int stopping;
  /* a worker name prefix unique to this process: host:pid */
  char instance[96];
  /* wakes idle workers when a job is queued */
  void *wake; /* worker.c's state */
} gk_server;

/* Runs the server until SIGINT or SIGTERM.  Prints the address on
 * standard output when it listens.  Returns 0, or 1 when it could not
 * start (the reason printed on standard error in Chinese). */
int gk_server_run(const gk_server_config *cfg);

/* ------------------------------------------------------------ api.c */

/* An HTTP request as the API sees it: the body is whole, within the
 * route's limit (http.c enforces it before calling). */
typedef struct gk_request {
  const char *method;
  const char *path; /* without the query */
  const char *(*query)(void *ctx, const char *key);
  const char *(*header)(void *ctx, const char *key);
  void *ctx;
  const char *body;
  size_t body_len;
  /* issue 14 (auth.c): the session cookie's value, the client's address,
   * whether the connection is TLS, and the logged-in user (set by
   * gk_auth_handle() before gk_api_handle() is called) */
  const char *session;
  const char *addr;
  int tls;
  const struct gk_user *user;
} gk_request;

typedef struct gk_response {
  int status;
  const char *content_type;
  char *body; /* malloc'd, owned by the response */
  size_t len;
  char disposition[512]; /* Content-Disposition when not empty */
  const char *cache;     /* X-Gongkai-Cache (hit or miss) when set */
  char cookie[192];      /* Set-Cookie when not empty (auth.c) */
} gk_response;

/* A JSON request body (jansson's json_t; the caller decrefs): an empty
 * body is an empty object, one that does not parse or repeats a key is
 * NULL.  Used by the API and the account routes (auth.c). */
struct json_t *gk_request_json(const gk_request *req);

/* The string member key of o when it is at most max bytes, else NULL
 * (borrowed from o). */
const char *gk_json_member(struct json_t *o, const char *key, size_t max);

/* The largest body a route accepts (http.c checks Content-Length and the
 * bytes received against it). */
size_t gk_api_body_limit(const char *method, const char *path);

/* Answers one API request; fills *res (status 404 for no route). */
void gk_api_handle(gk_server *srv, const gk_request *req, gk_response *res);

/* Stores one uploaded file into a batch with its results (on SQLite: it
 * is read and checked first, gk_store_uploads_check()) or, on
 * PostgreSQL, its queued job, all in one transaction (answered only
 * after the commit).  Returns the HTTP status:
 * 201 stored, 200 the same bytes were there (*duplicate), else an error
 * with *why in Chinese (404 no such batch, 413 the batch is full, 500). */
int gk_store_upload(gk_server *srv, int64_t batch, const char *name,
                    const void *bytes, size_t len, int64_t *report,
                    int *duplicate, char sha[65], const char **why);

typedef struct gk_upload_check gk_upload_check; /* worker.c */

/* One file of gk_store_uploads(): name, bytes and len in; the rest out,
 * as gk_store_upload() answers for one file.  check: NULL, or the file
 * read and checked already by gk_store_uploads_check() (taken over and
 * freed by gk_store_uploads()). */
typedef struct gk_upload {
  const char *name;
  const void *bytes;
  size_t len;
  gk_upload_check *check;
  int status;
  const char *why;
  int64_t report;
  int duplicate;
  /* the file's SHA-256 (gk_store_file_sha()): computed by
   * gk_store_uploads_check() for the reader when it checks the file, else
   * by gk_store_uploads(); empty until then */
  char sha[65];
} gk_upload;

/* Stores n files into a batch as gk_store_upload() does for each, and
 * returns when every one is answered: each file's status is final only
 * after the commit that holds it.  Uploads that arrive together (from
 * several HTTP threads, or the files of one ZIP) are committed in one
 * transaction (a group commit): the pages every upload touches (the
 * batch's row, the tables' last pages, the indexes) are written once
 * per group instead of once per file.  A store failure inside a group
 * rolls the group back and stores its files one by one, so that one
 * file's failure is that file's only.  Safe from any thread. */
void gk_store_uploads(gk_server *srv, int64_t batch, gk_upload *u, size_t n);

/* On SQLite, reads and checks the files of u that are not yet (u[i].check
 * NULL), with the idle workers' help, so that gk_store_uploads() commits
 * each new report with its results; gk_store_uploads() calls it itself,
 * and a caller that must keep the order of its groups' commits (import.c)
 * calls it first, outside that order.  Does nothing on PostgreSQL, or
 * when the batch is not there. */
void gk_store_uploads_check(gk_server *srv, int64_t batch, gk_upload *u,
                            size_t n);

/* Imports a year's roster from CSV (名称,类型,上级[,须发布]: 否 in the
 * fourth column makes a node of the tree only) in one transaction and
 * matches the reports not yet matched.  Returns 200 with the counts, or
 * 400/500 with msg (cap bytes) saying why in Chinese. */
int gk_store_import_roster(gk_store *s, const char *year, const char *who,
                           const char *csv, size_t len, char *msg, size_t cap,
                           int *rows, int *added);

/* `gongkai serve --import`: stores the files (directories walked), imports
 * the rosters ("YEAR:FILE"), runs the queue until it is empty, prints a
 * summary and returns the exit status (0, or 1 when something could not
 * be stored; unreadable reports are stored as failed, as uploads are). */
int gk_server_import(const gk_server_config *cfg, char **paths, size_t n_paths,
                     char **rosters, size_t n_rosters);

/* ------------------------------------------------------ zip_import.c */

typedef struct gk_zip_entry {
  char *name;
  const char *error; /* static Chinese text, or NULL when stored */
  int64_t report;
  int duplicate;
} gk_zip_entry;

typedef struct gk_zip_result {
  gk_zip_entry *entries;
  size_t n, cap;
  const char *error; /* why the archive as a whole was refused */
} gk_zip_result;

/* Stores every file of a ZIP archive (len bytes at data) into a batch, as
 * gk_store_upload() does for one, within the archive limits of
 * zip_import.c; folders, hidden files and __MACOSX/ are skipped.  Returns
 * 200 with one entry per file (each stored, a duplicate, or refused with
 * its reason), or an error status with res->error.  Free res with
 * gk_zip_result_free(). */
int gk_zip_import(gk_server *srv, int64_t batch, const void *data, size_t len,
                  gk_zip_result *res);
int gk_zip_result_add(gk_zip_result *res, const char *name, const char *why,
                      int64_t report, int duplicate);
void gk_zip_result_free(gk_zip_result *res);

/* ------------------------------------------------------ url_import.c */

/* Fetches each URL of a list (len bytes at list, one a line; blank lines
 * and lines starting with # are skipped) with libcurl, within the limits
 * of url_import.c (http and https only, redirects, size, time), and
 * stores each file into a batch as gk_store_upload() does.  Returns 200
 * with one entry per URL (stored, a duplicate, or refused with its
 * reason; named by the URL), or an error status with res->error.  Free
 * res with gk_zip_result_free(). */
int gk_url_import(gk_server *srv, int64_t batch, const char *list, size_t len,
                  gk_zip_result *res);

/* ------------------------------------------------------ page_cache.c */

/* Rendered PDF page images, in memory, bounded (page_cache.c's limits),
 * keyed by the file's SHA-256 (64 hex digits), the page and the scale.
 * gk_page_cache_get() returns 1 with a copy in *png (*len bytes, the
 * caller's, free()), or 0 when the image is not kept (or memory ran
 * out).  gk_page_cache_put() keeps a copy of png, pushing out the least
 * recently used images; it does nothing when memory runs out.
 * gk_page_cache_clear() empties the cache (at shutdown).  All three are
 * safe from any thread. */
int gk_page_cache_get(const char *sha, unsigned page, double scale,
                      unsigned char **png, size_t *len);
void gk_page_cache_put(const char *sha, unsigned page, double scale,
                       const unsigned char *png, size_t len);
void gk_page_cache_clear(void);

/* ---------------------------------------------------- answer_cache.c */

/* A key (the request as api.c states it, with the asker's role and scope)
 * longer than this is not kept: api.c's keys are under 100 bytes. */
#define GK_ANSWER_KEY_MAX 512
/* A generation longer than this is not kept (it is a decimal number;
 * api.c asks gk_store_generation() for at most this many bytes). */
#define GK_ANSWER_GEN_MAX 32

/* GET answers (JSON) kept in memory, bounded (answer_cache.c's limits),
 * keyed by key and valid at one store generation (gk_store_generation()).
 * gk_answer_cache_get() returns 1 with a copy in *body (*len bytes and a
 * NUL, the caller's, free()), or 0 when no answer of that key is kept at
 * generation gen (one of another generation is dropped) or memory ran
 * out.  gk_answer_cache_put() keeps a copy, pushing out the least
 * recently used answers; it does nothing when memory runs out.
 * gk_answer_cache_bytes() is what it holds now (for tests and logs);
 * gk_answer_cache_clear() empties it (at shutdown).  All are safe from
 * any thread. */
int gk_answer_cache_get(const char *key, const char *gen, char **body,
                        size_t *len);
void gk_answer_cache_put(const char *key, const char *gen, const char *body,
                         size_t len);
size_t gk_answer_cache_bytes(void);
/* Sets the byte cap (at start, from gk_server_config.answer_cache_mb);
 * 0 keeps nothing. */
void gk_answer_cache_limit(size_t bytes);
void gk_answer_cache_clear(void);

/* ------------------------------------------------------- json_text.c */

/* JSON text written straight into a growing buffer (json_text.c): start
 * from {0}; a failure (memory, or the ceiling GK_JSON_TEXT_MAX) is sticky
 * in `failed`, checked once at the end; p is NUL-terminated while not
 * failed, and freed by gk_json_text_free() unless the caller takes it. */
typedef struct gk_json_text {
  char *p;
  size_t len, cap;
  int failed;
} gk_json_text;

/* n bytes as they are (punctuation, or JSON text from the store) */
void gk_json_text_raw(gk_json_text *b, const char *s, size_t n);
void gk_json_text_lit(gk_json_text *b, const char *s);
void gk_json_text_int(gk_json_text *b, long long v);
/* a JSON string, escaped as jansson does; null for NULL or text that is
 * not UTF-8 (jansson refuses it) */
void gk_json_text_str(gk_json_text *b, const char *s, size_t n);
void gk_json_text_free(gk_json_text *b);

/* --------------------------------------------------------- ranking.c */

struct json_t;

/* The bodies of a year's roster ranked by the scoring rubric (rubric.tsv
 * in the data folder, else the default of src/server/rubric/): each
 * finding not dismissed costs its rule's points, a body without a report
 * read the points of "unpublished"; fewer points first, ties share a rank.
 * Returns 200 with *out (the caller's), or an error status with msg (cap
 * bytes, in Chinese): 500 for a rubric file that does not parse (the
 * message names the line) or a store failure.  body_scope and
 * report_scope are SQL conditions on g.id and r.region_id
 * (gk_authz_scope_sql()) that keep the ranking to the user's scope. */
int gk_ranking(gk_server *srv, const char *year, const char *body_scope,
               const char *report_scope, struct json_t **out, char *msg,
               size_t cap);

/* ----------------------------------------------------- xlsx_roster.c */

/* The first sheet of an XLSX workbook (len bytes at data) as roster CSV
 * (its first four columns; empty rows skipped), within the limits of
 * xlsx_roster.c.  Returns 200 with *csv (*csv_len bytes, the caller's,
 * free()), or 400/413/500 with *why in Chinese. */
int gk_xlsx_roster_csv(const void *data, size_t len, char **csv,
                       size_t *csv_len, const char **why);

/* gk_store_import_roster() of a roster given as CSV or, when the bytes
 * are a ZIP (an XLSX workbook), as the CSV of its first sheet. */
int gk_roster_import_file(gk_store *s, const char *year, const char *who,
                          const char *data, size_t len, char *msg, size_t cap,
                          int *rows, int *added);

/* ---------------------------------------------------------- worker.c */

int gk_workers_start(gk_server *srv, int n);
void gk_workers_wake(gk_server *srv);
/* Runs fn(arg) in the calling thread and, beside it, in up to `helpers`
 * idle workers of srv's pool (none when there is no pool), and returns
 * when every one of those calls has returned: fn shares out its work
 * itself (api.c check_uploads(): each call takes files until none is
 * left).  Workers busy with jobs do not join. */
void gk_workers_help(gk_server *srv, void (*fn)(void *), void *arg,
                     int helpers);
void gk_workers_stop(gk_server *srv);
/* SQLite: one of the pool's connections for the reads of checks made on
 * upload (gk_upload_check_prepare()), held by the caller (its lock
 * taken) until gk_checks_release(); they read beside the shared store's
 * commits (WAL).  NULL on PostgreSQL, without a pool, when none could be
 * opened or every one is taken: the caller reads through srv->store. */
gk_store *gk_checks_acquire(gk_server *srv);
void gk_checks_release(gk_store *s);

/* Parses and checks one stored report and writes its results; used by
 * the workers.  Returns 0, or -1 when the store failed (the job is then
 * given back). */
int gk_worker_process(gk_server *srv, gk_store *s, const gk_job *job,
                      const char *worker);

/*
 * A report checked by the thread that uploads it (api.c
 * gk_store_uploads()), so that its results are committed in the same
 * transaction as the file instead of being queued: read, matched to a
 * body as the store says now, checked with last year's report, its model
 * JSON and findings made, all before the store's write transaction (each
 * query takes the store's lock on its own).  `name` is the name the
 * report is stored under, `scope` the uploader's scope (0: the whole
 * tree).  NULL when the store failed or memory ran out: the upload then
 * queues a job instead.  A file that does not read is prepared too (it
 * is stored as failed, with the reader's words, as a worker would).
 */
gk_upload_check *gk_upload_check_prepare(gk_server *srv, gk_store *s,
                                         const void *bytes, size_t len,
                                         const char *name, const char *sha,
                                         int64_t scope);
/* Writes a prepared check as the results of new report report_id, inside
 * the upload's open transaction, as a worker's job would (matching and
 * re-checking again when the body or last year's report changed since
 * it was prepared, or the uploader's scope is no longer `scope`), with a
 * job recorded as done and run once by "<instance>/upload".  Returns 0,
 * or -1 when the store failed (the caller rolls back). */
int gk_upload_check_write(gk_server *srv, gk_store *s, gk_upload_check *c,
                          int64_t report_id, int64_t scope);
void gk_upload_check_free(gk_upload_check *c);

/* Re-checks a report's current model (after a correction) and replaces
 * its findings, keeping the review of findings that are still there and
 * the source line of each.  The store must be locked by the caller. */
int gk_recheck_report(gk_server *srv, gk_store *s, int64_t report_id);

/* Matches a report to a body of the region tree by its agency: exactly,
 * then by gk_body_key(); records the match kind.  When the body changed,
 * the history.* findings follow (gk_history_refresh()). */
int gk_match_report(gk_store *s, int64_t report_id);

/* Sets the check options of this process from cfg (the township
 * deadline); called once at start, before any thread. */
void gk_worker_configure(const gk_server_config *cfg);

/* Re-checks report_id with last year's report of its body (the history.*
 * rules) and the reports of the year after of its body with it; with
 * old_region > 0 (the body it left), that body's next year too.  The
 * store must be locked by the caller, in a transaction. */
int gk_history_refresh(gk_store *s, int64_t report_id, int64_t old_region);

#endif
