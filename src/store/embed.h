/*
 * embed.h - files compiled into the binary by cmake/embed.cmake: the
 * store's SQL migrations and the server's pages.  Each generated table
 * ends with an entry whose name is NULL.  The bytes are followed by a NUL
 * that len does not count, so text files can be used as C strings.
 */
#ifndef GK_EMBED_H
#define GK_EMBED_H

#include <stddef.h>

typedef struct gk_embed_file {
  const char *name; /* path relative to its folder: "001_init.sql" */
  const unsigned char *data;
  size_t len;
} gk_embed_file;

#endif
