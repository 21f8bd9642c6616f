/*
 * fuzz_request.c - the API's request handling (issue 14): method, path,
 * query, headers, cookies and bodies (JSON, CSV, raw uploads, ZIP) go
 * through gk_auth_handle(), the entry point http.c calls for every API
 * request (session, CSRF, the route table, authorisation, then the
 * handler), against a real SQLite store in a temporary folder.
 *
 * Input: "METHOD PATH[?QUERY]\n", header lines "Name: value\n", an empty
 * line, then the body.  In the Cookie header, "@ADMIN" stands for the
 * token of a logged-in administrator and "@READER" for a read-only user
 * of one township; in X-CSRF-Token, "@CSRF" for the administrator's CSRF
 * token: so inputs reach the handlers behind the login, as well as the
 * refusals in front of it.
 *
 * Checks: every answer has a status from 200 to 599 and, when JSON, is
 * valid JSON; sanitizers catch the rest.  Every loop in a handler is
 * bounded by the request size and the store's contents.
 */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#include <ftw.h>
#include <jansson.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "auth.h"
#include "server.h"

/* Header lines and query pairs one input may carry: enough for any real
 * request; more are ignored. */
#define FUZZ_MAX_HEADERS 32
#define FUZZ_MAX_QUERY 16

static const char admin_token[] =
    "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
static const char reader_token[] =
    "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";
static const char admin_csrf[] =
    "c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3";

static gk_server_config cfg;
static gk_server srv;
static char dir[] = "/tmp/gk-fuzz-request.XXXXXX";

static int rm_entry(const char *p, const struct stat *sb, int flag,
                    struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(p);
}

static void cleanup(void) {
  gk_store_close(srv.store);
  nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void token_hash(const char *t, char out[65]) {
  struct sha256_ctx c;
  uint8_t d[SHA256_DIGEST_SIZE];
  sha256_init(&c);
  sha256_update(&c, strlen(t), (const uint8_t *)t);
  sha256_digest(&c, sizeof d, d);
  for (size_t i = 0; i < sizeof d; i++)
    snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* A session that never expires; inserted again before every input, since
 * an input may log out or reset the password (ending the sessions). */
#define SESSION_SQL(uid)                                                       \
  "INSERT INTO sessions VALUES ($1, " #uid ", $2, '2024-01-01T00:00:00Z', "    \
  "'2999-01-01T00:00:00Z', '2999-01-01T00:00:00Z') ON CONFLICT DO NOTHING"

static gk_param session_params[4];

static int setup(void) {
  if (!mkdtemp(dir))
    return -1;
  cfg.data_dir = dir;
  srv.cfg = &cfg;
  char err[256];
  if (gk_store_open(dir, NULL, &srv.store, err, sizeof err) != 0)
    return -1;
  atexit(cleanup);
  static char ah[65], rh[65]; /* session_params point here */
  token_hash(admin_token, ah);
  token_hash(reader_token, rh);
  gk_param p[] = {GK_TEXT(ah), GK_TEXT(admin_csrf), GK_TEXT(rh),
                  GK_TEXT(admin_csrf)};
  static const char *const sql[] = {
      "INSERT INTO regions (id, parent_id, name, kind, name_key) VALUES "
      "(1, NULL, '甲县', '县', '甲县'), (2, 1, '青石镇', '乡镇', '青石镇'), "
      "(3, 1, '白沙镇', '乡镇', '白沙镇')",
      "INSERT INTO users (id, name, role, scope_region_id, password_hash, "
      "created) VALUES (1, '管理员', '管理员', NULL, 'x', "
      "'2024-01-01T00:00:00Z'), (2, '读者', '只读', 2, 'x', "
      "'2024-01-01T00:00:00Z')",
      SESSION_SQL(1),
      SESSION_SQL(2),
  };
  memcpy(session_params, p, sizeof p);
  /* the first two statements take no parameters, the sessions two each */
  static const size_t first[] = {0, 0, 0, 2}, count[] = {0, 0, 2, 2};
  for (size_t i = 0; i < sizeof sql / sizeof *sql; i++)
    if (gk_store_exec(srv.store, sql[i], count[i] ? p + first[i] : NULL,
                      count[i]) != 0) {
      fprintf(stderr, "fuzz_request: setup: %s\n", gk_store_error(srv.store));
      return -1;
    }
  return 0;
}

typedef struct kv {
  char *key, *value;
} kv;

typedef struct fuzz_req {
  kv headers[FUZZ_MAX_HEADERS];
  size_t n_headers;
  kv query[FUZZ_MAX_QUERY];
  size_t n_query;
} fuzz_req;

static const char *lookup(const kv *a, size_t n, const char *key) {
  for (size_t i = 0; i < n; i++)
    if (strcasecmp(a[i].key, key) == 0)
      return a[i].value;
  return NULL;
}

static const char *query_of(void *ctx, const char *key) {
  fuzz_req *r = ctx;
  return lookup(r->query, r->n_query, key);
}

static const char *header_of(void *ctx, const char *key) {
  fuzz_req *r = ctx;
  return lookup(r->headers, r->n_headers, key);
}

/* "%XX" and "+" decoded in place, as libmicrohttpd does. */
static void url_decode(char *s) {
  char *o = s;
  for (; *s; s++) {
    if (*s == '+') {
      *o++ = ' ';
    } else if (*s == '%' && s[1] && s[2]) {
      char h[3] = {s[1], s[2], 0};
      char *end;
      long v = strtol(h, &end, 16);
      if (*end == '\0' && v > 0) {
        *o++ = (char)v;
        s += 2;
      } else {
        *o++ = *s;
      }
    } else {
      *o++ = *s;
    }
  }
  *o = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int ready = -1;
  if (ready < 0)
    ready = setup() == 0;
  if (!ready)
    abort();
  (void)gk_store_exec(srv.store, SESSION_SQL(1), session_params, 2);
  (void)gk_store_exec(srv.store, SESSION_SQL(2), session_params + 2, 2);
  /* a copy with a NUL at the end, split into head and body */
  char *in = malloc(size + 1);
  if (!in)
    return 0;
  memcpy(in, data, size);
  in[size] = '\0';
  char *body = NULL;
  size_t body_len = 0;
  char *sep = strstr(in, "\n\n");
  if (sep) {
    *sep = '\0';
    body = sep + 2;
    body_len = size - (size_t)(body - in);
  }
  fuzz_req fr;
  memset(&fr, 0, sizeof fr);
  char *save = NULL;
  char *line = strtok_r(in, "\n", &save);
  char *method = line ? line : (char *)"GET";
  char *path = NULL;
  if (line) {
    char *sp = strchr(line, ' ');
    if (sp) {
      *sp = '\0';
      path = sp + 1;
    }
  }
  if (!path || !*path)
    path = (char *)"/api/v1/status";
  char *q = strchr(path, '?');
  if (q) {
    *q++ = '\0';
    char *qs = NULL;
    for (char *pair = strtok_r(q, "&", &qs);
         pair && fr.n_query < FUZZ_MAX_QUERY; pair = strtok_r(NULL, "&", &qs)) {
      char *eq = strchr(pair, '=');
      if (eq)
        *eq++ = '\0';
      url_decode(pair);
      if (eq)
        url_decode(eq);
      fr.query[fr.n_query++] = (kv){pair, eq ? eq : (char *)""};
    }
  }
  while (line && (line = strtok_r(NULL, "\n", &save)) &&
         fr.n_headers < FUZZ_MAX_HEADERS) {
    char *colon = strchr(line, ':');
    if (!colon)
      continue;
    *colon = '\0';
    char *v = colon + 1;
    while (*v == ' ')
      v++;
    fr.headers[fr.n_headers++] = (kv){line, v};
  }
  /* the session cookie, as libmicrohttpd's cookie parser would give it */
  const char *cookie = lookup(fr.headers, fr.n_headers, "Cookie");
  const char *session = NULL;
  char cookie_val[256] = "";
  if (cookie) {
    const char *at = strstr(cookie, "gk_session=");
    if (at) {
      snprintf(cookie_val, sizeof cookie_val, "%s", at + 11);
      cookie_val[strcspn(cookie_val, "; ")] = '\0';
      session = cookie_val;
      if (strcmp(cookie_val, "@ADMIN") == 0)
        session = admin_token;
      else if (strcmp(cookie_val, "@READER") == 0)
        session = reader_token;
    }
  }
  for (size_t i = 0; i < fr.n_headers; i++)
    if (strcasecmp(fr.headers[i].key, "X-CSRF-Token") == 0 &&
        strcmp(fr.headers[i].value, "@CSRF") == 0)
      fr.headers[i].value = (char *)admin_csrf;

  gk_request req = {.method = method,
                    .path = path,
                    .query = query_of,
                    .header = header_of,
                    .ctx = &fr,
                    .body = body,
                    .body_len = body_len,
                    .session = session,
                    .addr = "127.0.0.1"};
  /* http.c refuses bodies over the route's limit before handling */
  if (strncmp(path, "/api/v1/", 8) == 0 &&
      body_len <= gk_api_body_limit(method, path)) {
    gk_response res = {0};
    gk_auth_handle(&srv, srv.store, &req, &res);
    if (getenv("GK_FUZZ_VERBOSE")) /* to see where corpus inputs land */
      fprintf(stderr, "%s %s -> %d\n", method, path, res.status);
    if (res.status < 200 || res.status > 599)
      abort();
    if (res.content_type &&
        strncmp(res.content_type, "application/json", 16) == 0) {
      json_t *j = json_loadb(res.body ? res.body : "", res.len, 0, NULL);
      if (!j)
        abort();
      json_decref(j);
    }
    free(res.body);
  }
  free(in);
  return 0;
}
