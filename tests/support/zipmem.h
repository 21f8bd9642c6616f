/*
 * zipmem.h - ZIP archives made in memory, for the tests of the DOCX
 * reader (unit, fuzz and hostile suites).
 */
#ifndef GK_ZIPMEM_H
#define GK_ZIPMEM_H

#include <stdbool.h>
#include <stddef.h>

typedef struct gk_zip_entry {
  const char *name;
  const void *data; /* len bytes, repeated until `total` when that is more */
  size_t len;
  size_t total;     /* 0: len */
  bool store;       /* stored instead of deflated */
  const void *head; /* with `total`: head_len bytes before the repetition */
  size_t head_len;
} gk_zip_entry;

/* Builds an archive of the n entries.  Returns malloc'd bytes (free()) and
 * their length, or NULL when libzip or memory failed.  A repeated entry is
 * generated while it is compressed, never held whole in memory, so a
 * ZIP bomb costs only its compressed size. */
unsigned char *gk_zip_build(const gk_zip_entry *entries, size_t n, size_t *len);

#endif /* GK_ZIPMEM_H */
