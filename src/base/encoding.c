/*
 * encoding.c - input bytes to UTF-8 (see base.h).
 *
 * Chinese government sites still publish GBK pages and text files;
 * Windows tools write UTF-16 with a BOM.  Detection is deliberately
 * simple and strict: a BOM decides; valid UTF-8 is UTF-8; anything else
 * must convert cleanly as GB18030 or the input is refused, so that
 * mojibake never reaches the parser unnoticed.
 */
#include <errno.h>
#include <iconv.h>
#include <string.h>

#include "base.h"

static gk_status convert(gk__arena *a, const char *from, const char *data,
                         size_t len, char **out, size_t *out_len) {
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == (iconv_t)-1)
    return GK_EENCODING;
  /* GB18030 needs at most 3 UTF-8 bytes per input byte pair and 4 per
   * four-byte sequence; UTF-16 at most 3 per 2 bytes.  2x + 16 covers
   * both. */
  if (len > (SIZE_MAX - 16) / 2) {
    iconv_close(cd);
    return GK_ETOOBIG;
  }
  size_t cap = len * 2 + 16;
  char *dst = gk__arena_alloc(a, cap);
  if (!dst) {
    iconv_close(cd);
    return GK_ENOMEM;
  }
  char *in = (char *)data;
  size_t in_left = len;
  char *o = dst;
  size_t o_left = cap - 1;
  size_t r = iconv(cd, &in, &in_left, &o, &o_left);
  iconv_close(cd);
  if (r == (size_t)-1 || in_left != 0)
    return GK_EENCODING;
  *o = '\0';
  *out = dst;
  *out_len = (size_t)(o - dst);
  return GK_OK;
}

gk_status gk__to_utf8(gk__arena *a, const char *data, size_t len, char **out,
                      size_t *out_len, gk__encoding *enc) {
  const unsigned char *u = (const unsigned char *)data;
  gk_status st;
  if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
    if (!gk__utf8_valid(data + 3, len - 3))
      return GK_EENCODING;
    *enc = GK_ENC_UTF8_BOM;
    *out = gk__arena_strndup(a, data + 3, len - 3);
    *out_len = len - 3;
    return *out ? GK_OK : GK_ENOMEM;
  }
  if (len >= 2 &&
      ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
    bool le = u[0] == 0xFF;
    if ((len - 2) % 2 != 0)
      return GK_EENCODING;
    st = convert(a, le ? "UTF-16LE" : "UTF-16BE", data + 2, len - 2, out,
                 out_len);
    if (st == GK_OK)
      *enc = le ? GK_ENC_UTF16LE : GK_ENC_UTF16BE;
    return st;
  }
  if (gk__utf8_valid(data, len)) {
    *enc = GK_ENC_UTF8;
    *out = gk__arena_strndup(a, data, len);
    *out_len = len;
    return *out ? GK_OK : GK_ENOMEM;
  }
  st = convert(a, "GB18030", data, len, out, out_len);
  if (st == GK_OK)
    *enc = GK_ENC_GB18030;
  return st;
}
