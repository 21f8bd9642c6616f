/*
 * page_cache.c - rendered PDF page images kept in memory, so that the
 * report page's image (GET /api/v1/reports/{id}/pages/{n}) is drawn by
 * MuPDF once and not at every view: a reviewer goes back and forth
 * between the findings of one report, and each view would otherwise read
 * the PDF from the store and render it again (tens of milliseconds of
 * CPU per page).
 *
 * An entry is keyed by the file's SHA-256, the page and the scale (in
 * thousandths), so a corrected model or another report of the same bytes
 * share it, and nothing stale can be served: the stored bytes of a hash
 * never change.  The cache is bounded in bytes and in entries; the least
 * recently used entry goes first.  One mutex guards it: a lookup copies
 * the image out, so no entry is used after the lock is released.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

/* The bytes of images kept: a page at the default scale is 50-400 KB as
 * PNG, so 32 MB holds a hundred pages or more (the reports a reviewer
 * has open in a morning), and keeps the server well under its 256 MB
 * memory target (docs/PERFORMANCE.md). */
#define GK_PAGE_CACHE_BYTES ((size_t)32 << 20)
/* Entries at most, whatever their size: bounds the linear scans below
 * (a lookup and an eviction walk every entry, well under a microsecond
 * each at this size). */
#define GK_PAGE_CACHE_ENTRIES 512
/* One image larger than this is not kept: it would push out many pages
 * that a reviewer is more likely to see again. */
#define GK_PAGE_CACHE_MAX_IMAGE (GK_PAGE_CACHE_BYTES / 8)

typedef struct page_entry {
  char sha[65];
  uint32_t page;
  uint32_t scale_milli;
  unsigned char *png; /* NULL: a free slot */
  size_t len;
  uint64_t used; /* the tick of the last lookup or store */
} page_entry;

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static page_entry cache[GK_PAGE_CACHE_ENTRIES];
static size_t cache_bytes;
static uint64_t cache_tick;

static uint32_t milli(double scale) { return (uint32_t)(scale * 1000.0 + 0.5); }

static page_entry *find(const char *sha, uint32_t page, uint32_t sm) {
  for (size_t i = 0; i < GK_PAGE_CACHE_ENTRIES; i++)
    if (cache[i].png && cache[i].page == page && cache[i].scale_milli == sm &&
        strcmp(cache[i].sha, sha) == 0)
      return &cache[i];
  return NULL;
}

static void drop(page_entry *e) {
  cache_bytes -= e->len;
  free(e->png);
  e->png = NULL;
  e->len = 0;
}

int gk_page_cache_get(const char *sha, unsigned page, double scale,
                      unsigned char **png, size_t *len) {
  int hit = 0;
  pthread_mutex_lock(&cache_mu);
  page_entry *e = find(sha, page, milli(scale));
  if (e && (*png = malloc(e->len ? e->len : 1))) {
    memcpy(*png, e->png, e->len);
    *len = e->len;
    e->used = ++cache_tick;
    hit = 1;
  }
  pthread_mutex_unlock(&cache_mu);
  return hit;
}

void gk_page_cache_put(const char *sha, unsigned page, double scale,
                       const unsigned char *png, size_t len) {
  if (strlen(sha) != 64 || len == 0 || len > GK_PAGE_CACHE_MAX_IMAGE)
    return;
  unsigned char *copy = malloc(len);
  if (!copy)
    return; /* a cache that cannot grow is only slower */
  memcpy(copy, png, len);
  uint32_t sm = milli(scale);
  pthread_mutex_lock(&cache_mu);
  page_entry *e = find(sha, page, sm);
  if (e) /* rendered twice at once by two requests: keep one */
    drop(e);
  /* make room: the least recently used first, until the bytes fit and a
   * slot is free */
  for (;;) {
    page_entry *free_slot = NULL, *oldest = NULL;
    for (size_t i = 0; i < GK_PAGE_CACHE_ENTRIES; i++) {
      if (!cache[i].png) {
        if (!free_slot)
          free_slot = &cache[i];
      } else if (!oldest || cache[i].used < oldest->used) {
        oldest = &cache[i];
      }
    }
    if (free_slot && cache_bytes + len <= GK_PAGE_CACHE_BYTES) {
      e = free_slot;
      break;
    }
    drop(oldest); /* not NULL: the cache is full in slots or bytes */
  }
  memcpy(e->sha, sha, 65);
  e->page = page;
  e->scale_milli = sm;
  e->png = copy;
  e->len = len;
  e->used = ++cache_tick;
  cache_bytes += len;
  pthread_mutex_unlock(&cache_mu);
}

void gk_page_cache_clear(void) {
  pthread_mutex_lock(&cache_mu);
  for (size_t i = 0; i < GK_PAGE_CACHE_ENTRIES; i++)
    if (cache[i].png)
      drop(&cache[i]);
  pthread_mutex_unlock(&cache_mu);
}
