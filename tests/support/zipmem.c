/*
 * zipmem.c - ZIP archives made in memory (zipmem.h), with libzip.
 */
#include "zipmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* A libzip source that yields `head`, then `data` repeated, up to
 * `total` bytes in all. */
typedef struct repeat_src {
  const unsigned char *head, *data;
  size_t head_len, len, total, pos;
  zip_error_t error;
} repeat_src;

static zip_int64_t repeat_cb(void *ud, void *buf, zip_uint64_t n,
                             zip_source_cmd_t cmd) {
  repeat_src *s = ud;
  switch (cmd) {
  case ZIP_SOURCE_OPEN:
    s->pos = 0;
    return 0;
  case ZIP_SOURCE_READ: {
    size_t left = s->total - s->pos, k = n < left ? (size_t)n : left;
    unsigned char *out = buf;
    for (size_t i = 0; i < k;) {
      size_t at = s->pos + i, m;
      if (at < s->head_len) {
        m = s->head_len - at < k - i ? s->head_len - at : k - i;
        memcpy(out + i, s->head + at, m);
      } else {
        size_t off = (at - s->head_len) % s->len;
        m = s->len - off < k - i ? s->len - off : k - i;
        memcpy(out + i, s->data + off, m);
      }
      i += m;
    }
    s->pos += k;
    return (zip_int64_t)k;
  }
  case ZIP_SOURCE_CLOSE:
    return 0;
  case ZIP_SOURCE_STAT: {
    zip_stat_t *st = buf;
    zip_stat_init(st);
    st->size = s->total;
    st->valid |= ZIP_STAT_SIZE;
    return sizeof *st;
  }
  case ZIP_SOURCE_ERROR:
    return zip_error_to_data(&s->error, buf, n);
  case ZIP_SOURCE_FREE:
    zip_error_fini(&s->error);
    free(s);
    return 0;
  case ZIP_SOURCE_SUPPORTS:
    return ZIP_SOURCE_SUPPORTS_READABLE;
  default:
    zip_error_set(&s->error, ZIP_ER_OPNOTSUPP, 0);
    return -1;
  }
}

unsigned char *gk_zip_build(const gk_zip_entry *entries, size_t n,
                            size_t *len) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &err);
  zip_error_fini(&err);
  if (!mem)
    return NULL;
  zip_source_keep(mem);
  zip_t *za = zip_open_from_source(mem, ZIP_TRUNCATE, NULL);
  if (!za) {
    zip_source_free(mem);
    return NULL;
  }
  bool ok = true;
  for (size_t i = 0; i < n && ok; i++) {
    const gk_zip_entry *e = &entries[i];
    zip_source_t *src;
    if (e->total > e->len && e->len > 0) {
      repeat_src *r = calloc(1, sizeof *r);
      if (!r) {
        ok = false;
        break;
      }
      r->head = e->head;
      r->head_len = e->head ? e->head_len : 0;
      r->data = e->data;
      r->len = e->len;
      r->total = e->total;
      zip_error_init(&r->error);
      src = zip_source_function(za, repeat_cb, r);
      if (!src) {
        zip_error_fini(&r->error);
        free(r);
      }
    } else {
      src = zip_source_buffer(za, e->data, e->len, 0);
    }
    zip_int64_t idx =
        src ? zip_file_add(za, e->name, src, ZIP_FL_ENC_UTF_8) : -1;
    if (idx < 0) {
      zip_source_free(src);
      ok = false;
    } else if (e->store) {
      zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
    } else if (e->total > e->len) {
      /* Fastest deflate: a generated entry is large and repetitive. */
      zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 1);
    }
  }
  if (!ok || zip_close(za) != 0) {
    zip_discard(za); /* a failed zip_close() leaves the archive open */
    zip_source_free(mem);
    return NULL;
  }
  unsigned char *out = NULL;
  zip_stat_t st;
  if (zip_source_stat(mem, &st) == 0 && zip_source_open(mem) == 0) {
    out = malloc(st.size ? st.size : 1);
    if (out && zip_source_read(mem, out, st.size) != (zip_int64_t)st.size) {
      free(out);
      out = NULL;
    }
    zip_source_close(mem);
  }
  zip_source_free(mem);
  if (out)
    *len = (size_t)st.size;
  return out;
}
