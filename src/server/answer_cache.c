/*
 * answer_cache.c - GET answers of the API kept in memory (issue 13, answer
 * times): the region page's roster (GET /api/v1/roster?year=Y, 1,000
 * bodies, ~10 ms of CPU to build) and the report page's data
 * (GET /api/v1/reports/{id}, which reads the source again through the
 * reader) change only when something is written, and are asked for far
 * more often than that.
 *
 * An entry is keyed by the request as api.c states it (the path, the query
 * parameters the answer depends on, and who asks: the user's role and
 * scope, so that an answer computed for one scope is never served to
 * another) and carries the store's answer generation it was computed
 * under (gk_store_generation(): a number every write bumps in the
 * database by triggers).  A lookup names the generation of
 * now: an entry of another generation is stale, dropped and not served.
 * So a write by this process, a worker, or another `gongkai serve` on the
 * same PostgreSQL is seen by the next GET, and nothing here needs to know
 * which write changes which answer.
 *
 * Bounded in bytes (the least recently used entry goes first) and in the
 * size of one answer.  One mutex guards it; a lookup copies the answer out,
 * so no entry is used after the lock is released.  Memory that cannot be
 * had makes the cache only slower: a put that fails keeps nothing.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

/* The bytes of answers kept (bodies, keys and generations) unless
 * `gongkai serve --answer-cache MB` says otherwise: a roster of 1,000
 * bodies is ~250 KB and a report's data 30-60 KB, so 64 MB holds every
 * year's region page and a thousand reports or more (what a county
 * office's reviewers open in a day), and keeps the server well under its
 * 256 MB memory target (docs/PERFORMANCE.md) beside page_cache.c's 32 MB. */
#define GK_ANSWER_CACHE_BYTES ((size_t)64 << 20)
/* One answer larger than an eighth of the cache is not kept: it would push
 * out many that are more likely to be asked again (a roster of 20,000
 * bodies, the largest api.c accepts, is ~5 MB and fits the default). */
#define GK_ANSWER_CACHE_MAX_SHARE 8
/* Hash buckets: a power of two; with 64 MB of 30 KB answers the chains
 * stay a few entries long. */
#define GK_ANSWER_CACHE_BUCKETS 4096
/* What an entry costs beside its bytes (the struct, malloc's headers):
 * counted so that many small answers cannot exceed the byte cap. */
#define GK_ANSWER_ENTRY_OVERHEAD 128

typedef struct answer {
  struct answer *next_in_bucket;
  struct answer *newer, *older; /* the LRU list */
  uint64_t hash;
  char *key, *gen; /* NUL-terminated, in the one allocation with body */
  char *body;
  size_t len, cost;
} answer;

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static answer *buckets[GK_ANSWER_CACHE_BUCKETS];
static answer *newest, *oldest;
static size_t cache_bytes;
static size_t cache_cap = GK_ANSWER_CACHE_BYTES;

/* FNV-1a, 64 bits: keys are short text. */
static uint64_t hash_of(const char *s) {
  uint64_t h = 14695981039346656037u;
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211u;
  }
  return h;
}

static answer **slot_of(const char *key, uint64_t h) {
  answer **pp = &buckets[h & (GK_ANSWER_CACHE_BUCKETS - 1)];
  while (*pp && ((*pp)->hash != h || strcmp((*pp)->key, key) != 0))
    pp = &(*pp)->next_in_bucket;
  return pp;
}

static void unlink_lru(answer *a) {
  if (a->newer)
    a->newer->older = a->older;
  else
    newest = a->older;
  if (a->older)
    a->older->newer = a->newer;
  else
    oldest = a->newer;
  a->newer = a->older = NULL;
}

static void push_newest(answer *a) {
  a->older = newest;
  a->newer = NULL;
  if (newest)
    newest->newer = a;
  newest = a;
  if (!oldest)
    oldest = a;
}

/* Removes entry a from its bucket and the LRU list and frees it.  Every
 * entry is in its bucket; the walk stops at a itself (not at its key). */
/* Takes entry a out of its bucket (every entry is in its bucket; the walk
 * stops at a itself, not at its key) and frees it; the LRU list is the
 * caller's. */
static void unbucket_free(answer *a) {
  answer **pp = &buckets[a->hash & (GK_ANSWER_CACHE_BUCKETS - 1)];
  while (*pp && *pp != a)
    pp = &(*pp)->next_in_bucket;
  if (*pp)
    *pp = a->next_in_bucket;
  cache_bytes -= a->cost;
  free(a);
}

/* Removes entry a from the LRU list and its bucket and frees it. */
static void drop(answer *a) {
  unlink_lru(a);
  unbucket_free(a);
}

/* Drops the least recently used entry (the list is not empty).  The new
 * oldest is set here, not through unlink_lru(), so that the loops
 * "while (oldest && ...) drop_oldest()" plainly move on. */
static void drop_oldest(void) {
  answer *a = oldest;
  oldest = a->newer;
  if (oldest)
    oldest->older = NULL;
  else
    newest = NULL;
  unbucket_free(a);
}

int gk_answer_cache_get(const char *key, const char *gen, char **body,
                        size_t *len) {
  int hit = 0;
  uint64_t h = hash_of(key);
  pthread_mutex_lock(&cache_mu);
  answer **pp = slot_of(key, h);
  if (*pp && strcmp((*pp)->gen, gen) != 0) {
    drop(*pp); /* written since: never served again */
  } else if (*pp && (*body = malloc((*pp)->len + 1))) {
    answer *a = *pp;
    memcpy(*body, a->body, a->len);
    (*body)[a->len] = '\0';
    *len = a->len;
    unlink_lru(a);
    push_newest(a);
    hit = 1;
  }
  pthread_mutex_unlock(&cache_mu);
  return hit;
}

void gk_answer_cache_put(const char *key, const char *gen, const char *body,
                         size_t len) {
  size_t klen = strlen(key), glen = strlen(gen);
  size_t cost =
      sizeof(answer) + klen + glen + len + 2 + GK_ANSWER_ENTRY_OVERHEAD;
  pthread_mutex_lock(&cache_mu);
  size_t cap = cache_cap;
  pthread_mutex_unlock(&cache_mu);
  if (cost > cap / GK_ANSWER_CACHE_MAX_SHARE || klen > GK_ANSWER_KEY_MAX ||
      glen > GK_ANSWER_GEN_MAX)
    return;
  answer *a = malloc(sizeof(answer) + klen + glen + len + 2);
  if (!a)
    return; /* a cache that cannot grow is only slower */
  memset(a, 0, sizeof *a);
  a->key = (char *)(a + 1);
  memcpy(a->key, key, klen + 1);
  a->gen = a->key + klen + 1;
  memcpy(a->gen, gen, glen + 1);
  a->body = a->gen + glen + 1;
  memcpy(a->body, body, len);
  a->len = len;
  a->cost = cost;
  a->hash = hash_of(key);
  pthread_mutex_lock(&cache_mu);
  answer **pp = slot_of(key, a->hash);
  if (*pp) /* computed twice at once, or stale: keep the last put (a
            * lookup serves it only at its own generation) */
    drop(*pp);
  while (oldest && cache_bytes + cost > cache_cap)
    drop_oldest();
  pp = slot_of(key, a->hash); /* the bucket's chain may have changed */
  *pp = a;
  push_newest(a);
  cache_bytes += cost;
  pthread_mutex_unlock(&cache_mu);
}

void gk_answer_cache_limit(size_t bytes) {
  pthread_mutex_lock(&cache_mu);
  cache_cap = bytes;
  while (oldest && cache_bytes > cache_cap)
    drop_oldest();
  pthread_mutex_unlock(&cache_mu);
}

size_t gk_answer_cache_bytes(void) {
  pthread_mutex_lock(&cache_mu);
  size_t n = cache_bytes;
  pthread_mutex_unlock(&cache_mu);
  return n;
}

void gk_answer_cache_clear(void) {
  pthread_mutex_lock(&cache_mu);
  for (size_t i = 0; i < GK_ANSWER_CACHE_BUCKETS; i++) {
    for (answer *a = buckets[i], *next; a; a = next) {
      next = a->next_in_bucket;
      free(a);
    }
    buckets[i] = NULL;
  }
  newest = oldest = NULL;
  cache_bytes = 0;
  pthread_mutex_unlock(&cache_mu);
}
