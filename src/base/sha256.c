/*
 * sha256.c - the source fingerprint recorded in the model (source.sha256),
 * computed with nettle.
 */
#include <nettle/sha2.h>

#include "base.h"

void gk__sha256_hex(const void *data, size_t len, char out[65]) {
  struct sha256_ctx ctx;
  uint8_t digest[SHA256_DIGEST_SIZE];
  static const char hex[] = "0123456789abcdef";
  sha256_init(&ctx);
  sha256_update(&ctx, len, data);
  sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
  for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 15];
  }
  out[64] = '\0';
}
