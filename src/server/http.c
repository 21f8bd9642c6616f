/*
 * http.c - the HTTP side of `gongkai serve` (libmicrohttpd): limits,
 * security headers, the embedded pages under / and /static/, and the
 * hand-off of /api/v1/ requests to api.c.
 *
 * Every response carries a strict Content-Security-Policy (scripts and
 * styles from this server only, no inline script), nosniff, no referrer
 * and frame denial.  Pages are static files compiled into the binary
 * (web/, through cmake/embed.cmake); they fetch data from the API and
 * write every value into the page as text, never as HTML.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "embed.h"
#include "gongkai.h"
#include "server.h"

extern const gk_embed_file gk_web_files[];

/* ------------------------------------------------------------------ limits */

/* Connections served at once: each holds a thread of the pool's select
 * loop and a few kilobytes; an office has tens of users, and the cap
 * keeps a flood from exhausting file descriptors. */
#define GK_HTTP_MAX_CONNECTIONS 256

/* A connection idle this long (no byte received or sent) is closed: a
 * client that trickles a request (slowloris) cannot hold a slot.  An
 * upload that keeps sending is not cut off. */
#define GK_HTTP_IDLE_SECONDS 60

/* The longest one request may take to arrive, body included: a 256 MiB
 * ZIP at 500 KB/s.  The idle limit above stops a silent client; this one
 * stops a client that keeps a slot by sending a byte now and then. */
#define GK_HTTP_REQUEST_SECONDS 600

/* Memory per connection for the request line and headers (libmicrohttpd
 * answers 431/413 beyond it).  Browsers send 1-4 KiB; 32 KiB leaves room
 * for long cookies and URLs while bounding 256 connections to 8 MiB. */
#define GK_HTTP_HEADER_MEMORY ((size_t)32 << 10)

/* Threads answering HTTP requests; each request is short (a few queries)
 * except downloads, so a handful is enough for an office. */
#define GK_HTTP_THREADS 4

/* ------------------------------------------------------------ security */

static const char csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'";

static void add_security_headers(struct MHD_Response *r) {
  MHD_add_response_header(r, "Content-Security-Policy", csp);
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(r, "X-Frame-Options", "DENY");
  MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
}

static enum MHD_Result send_bytes(struct MHD_Connection *c, int status,
                                  const char *type, const void *body,
                                  size_t len, int copy, const char *disposition,
                                  int cache) {
  struct MHD_Response *r = MHD_create_response_from_buffer(
      len, (void *)body, copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
  if (!r)
    return MHD_NO;
  add_security_headers(r);
  MHD_add_response_header(r, "Content-Type", type);
  MHD_add_response_header(r, "Cache-Control",
                          cache ? "public, max-age=300" : "no-store");
  if (disposition && *disposition)
    MHD_add_response_header(r, "Content-Disposition", disposition);
  enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
  MHD_destroy_response(r);
  return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status,
                                  const char *msg) {
  char body[512];
  int n = snprintf(body, sizeof body, "{\"error\":\"%s\"}", msg);
  return send_bytes(c, status, "application/json; charset=utf-8", body,
                    (size_t)n, 1, NULL, 0);
}

/* ---------------------------------------------------------- static pages */

static const char *type_of(const char *name) {
  const char *dot = strrchr(name, '.');
  if (!dot)
    return "application/octet-stream";
  if (strcmp(dot, ".html") == 0)
    return "text/html; charset=utf-8";
  if (strcmp(dot, ".css") == 0)
    return "text/css; charset=utf-8";
  if (strcmp(dot, ".js") == 0)
    return "text/javascript; charset=utf-8";
  if (strcmp(dot, ".svg") == 0)
    return "image/svg+xml";
  return "application/octet-stream";
}

/* The embedded file for a URL path: "/" is index.html, "/report" is
 * report.html, "/static/x" is x.  Names are compared, never used to
 * build a path. */
static const gk_embed_file *find_page(const char *url) {
  char want[128];
  if (strcmp(url, "/") == 0)
    snprintf(want, sizeof want, "index.html");
  else if (strncmp(url, "/static/", 8) == 0)
    snprintf(want, sizeof want, "%s", url + 8);
  else if (strchr(url + 1, '/') == NULL && strchr(url + 1, '.') == NULL &&
           strlen(url) < 64)
    snprintf(want, sizeof want, "%s.html", url + 1);
  else
    return NULL;
  for (const gk_embed_file *f = gk_web_files; f->name; f++)
    if (strcmp(f->name, want) == 0)
      return f;
  return NULL;
}

/* --------------------------------------------- a connection per thread */

/* Each HTTP thread reads through its own database connection, so that
 * requests run side by side (SQLite's WAL lets readers run beside the
 * writer; PostgreSQL serves each connection on its own); changes go
 * through the server's shared store, whose lock orders them with the
 * workers'.  The connection is opened on the thread's first GET and
 * closed when the thread ends. */
static pthread_key_t reader_key;
static pthread_once_t reader_once = PTHREAD_ONCE_INIT;

static void close_reader(void *p) { gk_store_close(p); }
static void make_reader_key(void) {
  (void)pthread_key_create(&reader_key, close_reader);
}

static gk_store *reader_store(gk_server *srv) {
  pthread_once(&reader_once, make_reader_key);
  gk_store *s = pthread_getspecific(reader_key);
  if (!s) {
    char err[512];
    if (gk_store_open(srv->cfg->data_dir, srv->cfg->db_url, &s, err,
                      sizeof err) != 0)
      return srv->store; /* fall back to the shared one */
    (void)pthread_setspecific(reader_key, s);
  }
  return s;
}

/* ------------------------------------------------------------- requests */

typedef struct conn_state {
  time_t started;
  char *body;
  size_t len, cap, limit;
  int too_big;
} conn_state;

static const char *query_of(void *ctx, const char *key) {
  return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, key);
}

static const char *header_of(void *ctx, const char *key) {
  return MHD_lookup_connection_value(ctx, MHD_HEADER_KIND, key);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
                              const char *url, const char *method,
                              const char *version, const char *upload_data,
                              size_t *upload_size, void **con_cls) {
  gk_server *srv = cls;
  (void)version;
  int is_api = strncmp(url, "/api/v1/", 8) == 0;
  conn_state *st = *con_cls;
  if (!st) {
    st = calloc(1, sizeof *st);
    if (!st)
      return MHD_NO;
    *con_cls = st;
    st->started = time(NULL);
    st->limit = is_api ? gk_api_body_limit(method, url) : 0;
    const char *cl =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > st->limit)
      st->too_big = 1; /* refused before reading a byte of it */
    return MHD_YES;
  }
  if (*upload_size > 0) {
    if (time(NULL) - st->started > GK_HTTP_REQUEST_SECONDS)
      return MHD_NO; /* too slow: the connection is closed */
    if (!st->too_big && st->len + *upload_size > st->limit)
      st->too_big = 1;
    if (!st->too_big) {
      if (st->len + *upload_size > st->cap) {
        size_t nc = st->cap ? st->cap : 65536;
        while (nc < st->len + *upload_size)
          nc *= 2;
        if (nc > st->limit)
          nc = st->limit;
        char *nb = realloc(st->body, nc);
        if (!nb)
          return MHD_NO;
        st->body = nb;
        st->cap = nc;
      }
      memcpy(st->body + st->len, upload_data, *upload_size);
      st->len += *upload_size;
    }
    *upload_size = 0;
    return MHD_YES;
  }
  if (st->too_big)
    return send_error(c, 413, "请求内容超出大小上限");

  if (!is_api) {
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
      return send_error(c, 405, "不支持的请求方法");
    const gk_embed_file *f = find_page(url);
    if (!f)
      return send_bytes(c, 404, "text/plain; charset=utf-8", "404 页面不存在",
                        strlen("404 页面不存在"), 0, NULL, 0);
    return send_bytes(c, 200, type_of(f->name), f->data, f->len, 0, NULL, 0);
  }

  gk_request req = {.method = method,
                    .path = url,
                    .query = query_of,
                    .header = header_of,
                    .ctx = c,
                    .body = st->body,
                    .body_len = st->len};
  req.session = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "gk_session");
  char addr[INET6_ADDRSTRLEN] = "";
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr,
              addr, sizeof addr);
  req.addr = addr;
  req.tls = srv->cfg->tls_cert != NULL;
  gk_response res = {0};
  /* every API request goes through the one gate: session, CSRF and
   * authorisation (auth.c, authz.c) */
  if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) {
    gk_server reader = {
        .cfg = srv->cfg, .store = reader_store(srv), .wake = srv->wake};
    memcpy(reader.instance, srv->instance, sizeof reader.instance);
    gk_auth_handle(&reader, reader.store, &req, &res);
  } else {
    gk_auth_handle(srv, srv->store, &req, &res);
  }
  struct MHD_Response *r = MHD_create_response_from_buffer(
      res.len, res.body ? res.body : "", MHD_RESPMEM_MUST_COPY);
  free(res.body);
  if (!r)
    return MHD_NO;
  add_security_headers(r);
  MHD_add_response_header(r, "Content-Type",
                          res.content_type ? res.content_type
                                           : "application/json; charset=utf-8");
  MHD_add_response_header(r, "Cache-Control", "no-store");
  if (res.disposition[0])
    MHD_add_response_header(r, "Content-Disposition", res.disposition);
  if (res.cookie[0])
    MHD_add_response_header(r, "Set-Cookie", res.cookie);
  if (res.cache)
    MHD_add_response_header(r, "X-Gongkai-Cache", res.cache);
  enum MHD_Result ret =
      MHD_queue_response(c, (unsigned)(res.status ? res.status : 500), r);
  MHD_destroy_response(r);
  return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe) {
  (void)cls;
  (void)c;
  (void)toe;
  conn_state *st = *con_cls;
  if (st) {
    free(st->body);
    free(st);
    *con_cls = NULL;
  }
}

/* ------------------------------------------------------------------- run */

static volatile sig_atomic_t got_signal;
static void on_signal(int sig) { got_signal = sig; }

/* A PEM certificate or key: a few kilobytes; the cap keeps a wrong path
 * (a large file) from being read whole. */
#define GK_TLS_PEM_MAX ((size_t)1 << 20)

static int read_pem(const char *path, char **out) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return -1;
  char *buf = malloc(GK_TLS_PEM_MAX + 1);
  size_t n = buf ? fread(buf, 1, GK_TLS_PEM_MAX + 1, f) : 0;
  fclose(f);
  if (!buf || n == 0 || n > GK_TLS_PEM_MAX) {
    free(buf);
    return -1;
  }
  buf[n] = '\0';
  *out = buf;
  return 0;
}

static int parse_listen(const char *spec, struct sockaddr_in *sa) {
  char host[64];
  const char *colon = strrchr(spec, ':');
  if (!colon || (size_t)(colon - spec) >= sizeof host)
    return -1;
  memcpy(host, spec, (size_t)(colon - spec));
  host[colon - spec] = '\0';
  char *end;
  long port = strtol(colon + 1, &end, 10);
  if (*end || port < 0 || port > 65535)
    return -1;
  memset(sa, 0, sizeof *sa);
  sa->sin_family = AF_INET;
  sa->sin_port = htons((uint16_t)port);
  return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

int gk_server_run(const gk_server_config *cfg) {
  gk_server srv;
  memset(&srv, 0, sizeof srv);
  srv.cfg = cfg;
  gk_worker_configure(cfg);
  char host[64] = "host";
  gethostname(host, sizeof host - 1);
  snprintf(srv.instance, sizeof srv.instance, "%s:%ld", host, (long)getpid());

  struct sockaddr_in sa;
  const char *listen = cfg->listen ? cfg->listen : "127.0.0.1:8080";
  if (parse_listen(listen, &sa) != 0) {
    fprintf(stderr, "gongkai serve: 监听地址无效：%s（应为 IP:端口）\n",
            listen);
    return 1;
  }
  char err[512];
  if (cfg->answer_cache_mb != 0)
    gk_answer_cache_limit(
        cfg->answer_cache_mb < 0 ? 0 : (size_t)cfg->answer_cache_mb << 20);
  if (gk_store_open(cfg->data_dir, cfg->db_url, &srv.store, err, sizeof err) !=
      0) {
    fprintf(stderr, "gongkai serve: 无法打开数据库：%s\n", err);
    return 1;
  }
  int requeued = gk_store_requeue_running(srv.store);
  if (requeued > 0)
    fprintf(stderr, "gongkai serve: 上次中断时未完成的 %d 个任务重新排队\n",
            requeued);

  /* HTTPS: the certificate and key are read once, before listening */
  char *cert = NULL, *key = NULL;
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
  if (cfg->tls_cert || cfg->tls_key) {
    if (!cfg->tls_cert || !cfg->tls_key ||
        read_pem(cfg->tls_cert, &cert) != 0 ||
        read_pem(cfg->tls_key, &key) != 0) {
      fprintf(stderr, "gongkai serve: 无法读取 TLS 证书或私钥（--tls-cert "
                      "与 --tls-key 须同时给出，PEM 格式）\n");
      free(cert);
      free(key);
      gk_store_close(srv.store);
      return 1;
    }
    flags |= MHD_USE_TLS;
  }
  struct MHD_OptionItem tls_opts[] = {
      {cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, cert},
      {MHD_OPTION_HTTPS_MEM_KEY, 0, key},
      {MHD_OPTION_END, 0, NULL}};
  /* SIGINT and SIGTERM blocked in every thread from here on (the HTTP
   * threads and the workers inherit the mask), so that they are taken
   * only by the main thread's sigsuspend() below: a signal that came
   * between a test of got_signal and pause(), or that the kernel gave to
   * another thread, left the main thread paused for ever (a server that
   * did not stop on SIGTERM, seen under load in serve_exec_test). */
  sigset_t stop_signals, unblocked;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, &unblocked);
  sigdelset(&unblocked, SIGINT);
  sigdelset(&unblocked, SIGTERM);
  struct MHD_Daemon *d = MHD_start_daemon(
      flags, 0, NULL, NULL, handle, &srv, MHD_OPTION_SOCK_ADDR,
      (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
      (unsigned)GK_HTTP_THREADS, MHD_OPTION_CONNECTION_LIMIT,
      (unsigned)GK_HTTP_MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
      (unsigned)GK_HTTP_IDLE_SECONDS, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
      GK_HTTP_HEADER_MEMORY, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
      MHD_OPTION_ARRAY, tls_opts, MHD_OPTION_END);
  if (!d) {
    free(cert);
    free(key);
    fprintf(stderr, "gongkai serve: 无法在 %s 上监听（端口被占用？）\n",
            listen);
    gk_store_close(srv.store);
    pthread_sigmask(SIG_UNBLOCK, &stop_signals, NULL);
    return 1;
  }
  const union MHD_DaemonInfo *info =
      MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  unsigned port = info ? info->port : ntohs(sa.sin_port);
  char addr[INET_ADDRSTRLEN] = "127.0.0.1";
  inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof addr);
  if (gk_workers_start(&srv, cfg->workers) != 0) {
    fprintf(stderr, "gongkai serve: 无法启动工作线程\n");
    MHD_stop_daemon(d);
    free(cert);
    free(key);
    gk_workers_stop(&srv);
    gk_store_close(srv.store);
    pthread_sigmask(SIG_UNBLOCK, &stop_signals, NULL);
    return 1;
  }
  if (cfg->port_file) {
    FILE *f = fopen(cfg->port_file, "w");
    if (f) {
      fprintf(f, "%u\n", port);
      fclose(f);
    }
  }
  printf("gongkai serve: %s://%s:%u/ （数据库：%s，%d 个工作线程；Ctrl-C "
         "停止）\n",
         cert ? "https" : "http", addr, port,
         gk_store_kind(srv.store) == GK_DB_SQLITE ? "SQLite" : "PostgreSQL",
         cfg->workers);
  fflush(stdout);

  struct sigaction act;
  memset(&act, 0, sizeof act);
  act.sa_handler = on_signal;
  sigaction(SIGINT, &act, NULL);
  sigaction(SIGTERM, &act, NULL);
  signal(SIGPIPE, SIG_IGN);
  while (!got_signal)
    sigsuspend(&unblocked);
  fprintf(stderr, "gongkai serve: 正在停止\n");
  MHD_stop_daemon(d);
  gk_workers_stop(&srv);
  gk_store_close(srv.store);
  gk_page_cache_clear();
  gk_answer_cache_clear();
  free(cert);
  free(key);
  pthread_sigmask(SIG_UNBLOCK, &stop_signals, NULL);
  return 0;
}
