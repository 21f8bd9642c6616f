/*
 * arena.c - the per-report arena (see base.h).
 *
 * Chunks grow geometrically from 16 KiB to 1 MiB; a request larger than a
 * chunk gets a chunk of its own.  There is no per-object free: a report's
 * memory goes at once in gk_report_free().
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

struct gk__chunk {
  gk__chunk *next;
  size_t size; /* usable bytes after the header */
  size_t used;
  max_align_t data[]; /* aligned for any type */
};

#define CHUNK_MIN ((size_t)16 << 10)
#define CHUNK_MAX ((size_t)1 << 20)
#define ALIGN (sizeof(max_align_t))

void gk__arena_init(gk__arena *a) { memset(a, 0, sizeof *a); }

void gk__arena_free(gk__arena *a) {
  gk__chunk *c = a->head;
  while (c) {
    gk__chunk *next = c->next;
    free(c);
    c = next;
  }
  a->head = NULL;
  a->used_total = 0;
}

/* gk__arena_alloc() past its first checks: every case, the common one
 * included.  Kept out of line so that the common case has the registers
 * to itself. */
__attribute__((noinline)) static void *alloc_any(gk__arena *a, size_t n) {
  size_t cap = a->cap ? a->cap : GK_ARENA_MAX_BYTES;
  if (n == 0)
    n = 1;
  if (n > SIZE_MAX - ALIGN) {
    a->failed = a->capped = true;
    return NULL;
  }
  /* The cap counts what is handed out after rounding, so the check uses
   * the rounded size (and used_total can never pass cap). */
  size_t need = (n + ALIGN - 1) & ~(ALIGN - 1);
  if (need > cap || a->used_total > cap - need) {
    a->failed = a->capped = true;
    return NULL;
  }
  gk__chunk *c = a->head;
  if (!c || c->size - c->used < need) {
    size_t size = c ? c->size * 2 : CHUNK_MIN;
    if (size > CHUNK_MAX)
      size = CHUNK_MAX;
    if (size < need)
      size = need;
    gk__chunk *fresh = malloc(sizeof *fresh + size);
    if (!fresh) {
      a->failed = true;
      return NULL;
    }
    fresh->size = size;
    fresh->used = 0;
    /* A big one-off chunk goes behind the current one so the current
     * chunk's free space is still used by later small requests. */
    if (c && size == need && c->size - c->used > CHUNK_MIN / 4) {
      fresh->next = c->next;
      c->next = fresh;
      fresh->used = need;
      a->used_total += need;
      return fresh->data;
    }
    fresh->next = c;
    a->head = fresh;
    c = fresh;
  }
  void *p = (char *)c->data + c->used;
  c->used += need;
  a->used_total += need;
  return p;
}

void *gk__arena_alloc(gk__arena *a, size_t n) {
  if (a->failed || gk__fault_fail()) {
    a->failed = true;
    return NULL;
  }
  /* The common case, as alloc_any() would do it: a request of at most a
   * chunk's first size that fits the current chunk, under the cap (need
   * cannot overflow). */
  gk__chunk *c = a->head;
  if (c && n - 1 < CHUNK_MIN) {
    size_t cap = a->cap ? a->cap : GK_ARENA_MAX_BYTES;
    size_t need = (n + ALIGN - 1) & ~(ALIGN - 1);
    if (need <= cap && a->used_total <= cap - need &&
        c->size - c->used >= need) {
      void *p = (char *)c->data + c->used;
      c->used += need;
      a->used_total += need;
      return p;
    }
  }
  return alloc_any(a, n);
}

void *gk__arena_calloc(gk__arena *a, size_t count, size_t size) {
  if (size && count > SIZE_MAX / size) {
    a->failed = true;
    return NULL;
  }
  void *p = gk__arena_alloc(a, count * size);
  if (p)
    memset(p, 0, count * size);
  return p;
}

char *gk__arena_strndup(gk__arena *a, const char *s, size_t len) {
  if (len == SIZE_MAX) {
    a->failed = true;
    return NULL;
  }
  char *p = gk__arena_alloc(a, len + 1);
  if (!p)
    return NULL;
  if (len)
    memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

char *gk__arena_strdup(gk__arena *a, const char *s) {
  return gk__arena_strndup(a, s, strlen(s));
}

char *gk__arena_printf(gk__arena *a, const char *fmt, ...) {
  /* Formatted once into a buffer on the stack (a path, a date, a label:
   * short), copied; formatted again into the arena only when longer. */
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) {
    a->failed = true;
    return NULL;
  }
  char *p = gk__arena_alloc(a, (size_t)n + 1);
  if (!p)
    return NULL;
  if ((size_t)n < sizeof small) {
    memcpy(p, small, (size_t)n + 1);
    return p;
  }
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}
