/*
 * buf.c - a growable byte buffer with a hard cap (see base.h), for output
 * whose size is not known in advance: JSON text, converted input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

void gk__buf_init(gk__buf *b, size_t max) {
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  b->max = max;
  b->oom = false;
}

void gk__buf_free(gk__buf *b) {
  free(b->data);
  gk__buf_init(b, b->max);
}

gk_status gk__buf_append(gk__buf *b, const void *data, size_t len) {
  if (b->oom)
    return GK_ENOMEM;
  if (len > b->max - b->len)
    return GK_ETOOBIG;
  size_t need = b->len + len + 1;
  if (need > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
      cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p) {
      b->oom = true;
      return GK_ENOMEM;
    }
    b->data = p;
    b->cap = cap;
  }
  if (len)
    memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = '\0';
  return GK_OK;
}

gk_status gk__buf_puts(gk__buf *b, const char *s) {
  return gk__buf_append(b, s, strlen(s));
}

gk_status gk__buf_putc(gk__buf *b, char c) { return gk__buf_append(b, &c, 1); }

gk_status gk__buf_printf(gk__buf *b, const char *fmt, ...) {
  char small[128];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0)
    return GK_EINVAL;
  if ((size_t)n < sizeof small)
    return gk__buf_append(b, small, (size_t)n);
  char *big = malloc((size_t)n + 1);
  if (!big) {
    b->oom = true;
    return GK_ENOMEM;
  }
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  gk_status st = gk__buf_append(b, big, (size_t)n);
  free(big);
  return st;
}

char *gk__buf_detach(gk__buf *b, size_t *len) {
  char *p = b->data;
  if (len)
    *len = b->len;
  gk__buf_init(b, b->max);
  return p;
}
