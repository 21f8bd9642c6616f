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
} gk_request;

typedef struct gk_response {
  int status;
  const char *content_type;
  char *body; /* malloc'd, owned by the response */
  size_t len;
  char disposition[512]; /* Content-Disposition when not empty */
} gk_response;

/* The largest body a route accepts (http.c checks Content-Length and the
 * bytes received against it). */
size_t gk_api_body_limit(const char *method, const char *path);

/* Answers one API request; fills *res (status 404 for no route). */
void gk_api_handle(gk_server *srv, const gk_request *req, gk_response *res);

/* ---------------------------------------------------------- worker.c */

int gk_workers_start(gk_server *srv, int n);
void gk_workers_wake(gk_server *srv);
void gk_workers_stop(gk_server *srv);

/* Parses and checks one stored report and writes its results; used by
 * the workers.  Returns 0, or -1 when the store failed (the job is then
 * given back). */
int gk_worker_process(gk_server *srv, gk_store *s, const gk_job *job,
                      const char *worker);

/* Re-checks a report's current model (after a correction) and replaces
 * its findings, keeping the review of findings that are still there and
 * the source line of each.  The store must be locked by the caller. */
int gk_recheck_report(gk_server *srv, gk_store *s, int64_t report_id);

/* Matches a report to a body of the region tree by its agency: exactly,
 * then by gk_body_key(); records the match kind. */
int gk_match_report(gk_store *s, int64_t report_id);

#endif
