/*
 * serve_load.c - a load client for `gongkai serve` (issue 13's answer
 * times): CLIENTS concurrent keep-alive connections (libcurl's multi
 * interface, one thread), a session cookie, and one or more classes of
 * URL run one after the other; prints per class the requests, the
 * failures, the answers served from the server's answer cache
 * (X-Gongkai-Cache: hit), p50/p90/p99/max of the answer time in ms, and
 * the client's own CPU time.
 *
 *   serve_load BASE_URL [options] NAME=PATH ...
 *     --cookie C      sent as the Cookie header (gk_session=...)
 *     --clients N     concurrent connections (default 32)
 *     --requests N    requests per class (default 40 per client)
 *     --seconds S     run each class for S seconds instead
 *     --ids N         {id} in a PATH is a random id in 1..N (default 1)
 *     --seed N        for the random ids (default 1)
 *
 * e.g. serve_load http://127.0.0.1:8080 --cookie gk_session=... \
 *        --ids 100000 'report=/api/v1/reports/{id}' \
 *        'region=/api/v1/roster?year=2024'
 *
 * The answer time is libcurl's CURLINFO_TOTAL_TIME_T of the transfer, from
 * its start to its last byte on a connection that is already open (after
 * the first request of each).  A C client on the same machine costs the
 * server's cores far less than the Python threads that measured before
 * (bench/serve_latency.py), so the figures are the server's.  A failure
 * (no answer, or a status other than 200) is counted and not timed.
 */
#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>

/* Concurrent connections at most: the server's own connection limit is
 * well above this; more would measure the client's poll loop. */
#define LOAD_MAX_CLIENTS 1024
/* Requests of one class at most: their times are kept to sort (8 bytes
 * each, 80 MB at most). */
#define LOAD_MAX_REQUESTS 10000000
/* Classes of URL on one command line. */
#define LOAD_MAX_CLASSES 16
/* One URL, after {id} is replaced. */
#define LOAD_MAX_URL 2048
/* A class that runs for a time stops after this many seconds at most. */
#define LOAD_MAX_SECONDS 3600
/* A request that gets no answer within this is a failure: a loaded
 * 2-core machine answers in well under a second, so this catches only a
 * server that stopped. */
#define LOAD_TIMEOUT_SECONDS 120

typedef struct load_class {
  const char *name;
  const char *path;
} load_class;

typedef struct conn {
  CURL *easy;
  char url[LOAD_MAX_URL];
  int hit; /* the answer had X-Gongkai-Cache: hit */
} conn;

typedef struct load_result {
  int64_t *us; /* answer times, microseconds */
  size_t n, failed, hits;
} load_result;

static uint64_t rng_state = 1;

/* xorshift64*: enough to spread ids evenly, and repeatable by --seed. */
static uint64_t rng(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717u;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
         (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* The answer's bytes are counted and dropped. */
static size_t on_body(char *p, size_t size, size_t n, void *ctx) {
  (void)p;
  (void)ctx;
  return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx) {
  conn *c = ctx;
  size_t len = size * n;
  static const char h[] = "X-Gongkai-Cache: hit";
  if (len >= sizeof h - 1 && strncasecmp(p, h, sizeof h - 1) == 0)
    c->hit = 1;
  return len;
}

/* Builds base + path with each {id} replaced; 0, or -1 when too long. */
static int make_url(char *out, const char *base, const char *path,
                    uint64_t ids) {
  size_t o = (size_t)snprintf(out, LOAD_MAX_URL, "%s", base);
  for (const char *p = path; *p && o < LOAD_MAX_URL - 24; p++) {
    if (strncmp(p, "{id}", 4) == 0) {
      o += (size_t)snprintf(out + o, LOAD_MAX_URL - o, "%llu",
                            (unsigned long long)(rng() % ids + 1));
      p += 3;
    } else {
      out[o++] = *p;
    }
  }
  if (o >= LOAD_MAX_URL - 24)
    return -1;
  out[o] = '\0';
  return 0;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static double pct(const load_result *r, double p) {
  if (r->n == 0)
    return 0;
  size_t i = (size_t)((double)r->n * p);
  return (double)r->us[i < r->n ? i : r->n - 1] / 1000.0;
}

/* Runs one class: `requests` requests (or for `seconds`) over `clients`
 * connections kept in `conns`.  Returns 0, or -1 when libcurl failed. */
static int run_class(CURLM *multi, conn *conns, int clients, const char *base,
                     const load_class *lc, size_t requests, double seconds,
                     uint64_t ids, load_result *r) {
  size_t cap = seconds > 0 ? LOAD_MAX_REQUESTS : requests;
  r->us = malloc(cap * sizeof *r->us);
  r->n = r->failed = r->hits = 0;
  if (!r->us)
    return -1;
  double end = seconds > 0 ? now_s() + seconds : 0;
  size_t started = 0;
  int running = 0, active = 0;
  for (int i = 0; i < clients && (seconds > 0 || started < requests); i++) {
    if (make_url(conns[i].url, base, lc->path, ids) != 0)
      return -1;
    conns[i].hit = 0;
    curl_easy_setopt(conns[i].easy, CURLOPT_URL, conns[i].url);
    curl_multi_add_handle(multi, conns[i].easy);
    started++;
    active++;
  }
  while (active > 0) {
    if (curl_multi_perform(multi, &running) != CURLM_OK)
      return -1;
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(multi, &left))) {
      if (m->msg != CURLMSG_DONE)
        continue;
      CURL *e = m->easy_handle;
      conn *c = NULL;
      curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&c);
      long status = 0;
      curl_off_t us = 0;
      curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
      curl_easy_getinfo(e, CURLINFO_TOTAL_TIME_T, &us);
      if (m->data.result != CURLE_OK || status != 200)
        r->failed++;
      else if (r->n < cap) {
        r->us[r->n++] = (int64_t)us;
        r->hits += (size_t)c->hit;
      }
      curl_multi_remove_handle(multi, e);
      active--;
      int more = seconds > 0 ? now_s() < end && r->n + r->failed < cap
                             : started < requests;
      if (more) {
        if (make_url(c->url, base, lc->path, ids) != 0)
          return -1;
        c->hit = 0;
        curl_easy_setopt(e, CURLOPT_URL, c->url);
        curl_multi_add_handle(multi, e);
        started++;
        active++;
      }
    }
    if (active > 0 && curl_multi_poll(multi, NULL, 0, 100, NULL) != CURLM_OK)
      return -1;
  }
  qsort(r->us, r->n, sizeof *r->us, cmp_i64);
  return 0;
}

static int usage(void) {
  fprintf(stderr,
          "usage: serve_load BASE_URL [--cookie C] [--clients N] "
          "[--requests N | --seconds S] [--ids N] [--seed N] NAME=PATH ...\n");
  return 2;
}

int main(int argc, char **argv) {
  if (argc < 3)
    return usage();
  const char *base = argv[1], *cookie = NULL;
  long clients = 32, requests = -1, seconds = 0;
  unsigned long long ids = 1, seed = 1;
  load_class classes[LOAD_MAX_CLASSES];
  size_t n_classes = 0;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--cookie") == 0 && v)
      cookie = argv[++i];
    else if (strcmp(a, "--clients") == 0 && v)
      clients = strtol(argv[++i], NULL, 10);
    else if (strcmp(a, "--requests") == 0 && v)
      requests = strtol(argv[++i], NULL, 10);
    else if (strcmp(a, "--seconds") == 0 && v)
      seconds = strtol(argv[++i], NULL, 10);
    else if (strcmp(a, "--ids") == 0 && v)
      ids = strtoull(argv[++i], NULL, 10);
    else if (strcmp(a, "--seed") == 0 && v)
      seed = strtoull(argv[++i], NULL, 10);
    else if (a[0] != '-' && strchr(a, '=') && n_classes < LOAD_MAX_CLASSES) {
      classes[n_classes].name = a;
      classes[n_classes].path = strchr(a, '=') + 1;
      n_classes++;
    } else
      return usage();
  }
  if (requests < 0)
    requests = 40 * clients;
  if (clients < 1 || clients > LOAD_MAX_CLIENTS || requests < 1 ||
      requests > LOAD_MAX_REQUESTS || seconds < 0 ||
      seconds > LOAD_MAX_SECONDS || ids < 1 || n_classes == 0)
    return usage();
  rng_state = seed ? seed : 1;
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
    return 1;
  CURLM *multi = curl_multi_init();
  conn *conns = calloc((size_t)clients, sizeof *conns);
  struct curl_slist *hdrs = NULL;
  char cookie_h[1100];
  int rc = 1, failed = 0;
  if (!multi || !conns)
    goto done;
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, clients);
  if (cookie) {
    snprintf(cookie_h, sizeof cookie_h, "Cookie: %s", cookie);
    hdrs = curl_slist_append(NULL, cookie_h);
  }
  for (long i = 0; i < clients; i++) {
    CURL *e = conns[i].easy = curl_easy_init();
    if (!e)
      goto done;
    curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)&conns[i]);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &conns[i]);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(e, CURLOPT_TIMEOUT, (long)LOAD_TIMEOUT_SECONDS);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  }
  printf("%-10s %8s %6s %6s %9s %9s %9s %9s %8s %8s\n", "class", "requests",
         "failed", "hits", "p50 ms", "p90 ms", "p99 ms", "max ms", "req/s",
         "cpu ms");
  for (size_t k = 0; k < n_classes; k++) {
    load_result r = {0};
    double t0 = now_s(), c0 = cpu_s();
    int ok = run_class(multi, conns, (int)clients, base, &classes[k],
                       (size_t)requests, (double)seconds, ids, &r);
    double t = now_s() - t0, c = cpu_s() - c0;
    if (ok != 0) {
      fprintf(stderr, "serve_load: %.*s: libcurl failed\n",
              (int)(classes[k].path - classes[k].name - 1), classes[k].name);
      free(r.us);
      goto done;
    }
    printf("%-10.*s %8zu %6zu %6zu %9.1f %9.1f %9.1f %9.1f %8.0f %8.3f\n",
           (int)(classes[k].path - classes[k].name - 1), classes[k].name, r.n,
           r.failed, r.hits, pct(&r, 0.50), pct(&r, 0.90), pct(&r, 0.99),
           r.n ? (double)r.us[r.n - 1] / 1000.0 : 0.0,
           (double)(r.n + r.failed) / t,
           r.n + r.failed ? c * 1000.0 / (double)(r.n + r.failed) : 0.0);
    fflush(stdout);
    free(r.us);
    if (r.failed)
      failed = 1;
  }
  rc = failed;
done:
  if (conns)
    for (long i = 0; i < clients; i++)
      if (conns[i].easy)
        curl_easy_cleanup(conns[i].easy);
  free(conns);
  curl_slist_free_all(hdrs);
  if (multi)
    curl_multi_cleanup(multi);
  curl_global_cleanup();
  return rc;
}
