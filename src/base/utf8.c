/*
 * utf8.c - UTF-8 validation, decoding and the folding used to compare
 * labels (see base.h).  Normalisation itself is utf8proc's; this file adds
 * a fast path for the characters that make up almost all of a report
 * (ASCII and unified CJK ideographs, which NFKC leaves alone) and the
 * quote variants NFKC does not unify.
 */
#include <string.h>
#include <utf8proc.h>

#include "base.h"

size_t gk__utf8_decode(const char *s, size_t len, int32_t *cp) {
  const unsigned char *u = (const unsigned char *)s;
  if (len == 0) {
    *cp = 0xFFFD;
    return 0;
  }
  unsigned c = u[0];
  if (c < 0x80) {
    *cp = (int32_t)c;
    return 1;
  }
  size_t n;
  int32_t v, min;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    v = (int32_t)(c & 0x1F);
    min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    v = (int32_t)(c & 0x0F);
    min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    v = (int32_t)(c & 0x07);
    min = 0x10000;
  } else {
    *cp = 0xFFFD;
    return 1;
  }
  if (len < n) {
    *cp = 0xFFFD;
    return 1;
  }
  for (size_t i = 1; i < n; i++) {
    if ((u[i] & 0xC0) != 0x80) {
      *cp = 0xFFFD;
      return 1;
    }
    v = (v << 6) | (int32_t)(u[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
    *cp = 0xFFFD;
    return 1;
  }
  *cp = v;
  return n;
}

bool gk__utf8_valid(const char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    int32_t cp;
    size_t n = gk__utf8_decode(s + i, len - i, &cp);
    if (cp == 0xFFFD && n == 1)
      return false;
    i += n;
  }
  return true;
}

size_t gk__utf8_encode(int32_t cp, char *out) {
  unsigned char *o = (unsigned char *)out;
  if (cp < 0x80) {
    o[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (unsigned char)(0xF0 | (cp >> 18));
  o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

bool gk__is_space(int32_t cp) {
  switch (cp) {
  case ' ':
  case '\t':
  case '\v':
  case '\f':
  case 0xA0:
  case 0x3000:
  case 0xFEFF:
  case 0x200B:
    return true;
  default:
    return cp >= 0x2000 && cp <= 0x200A;
  }
}

bool gk__is_cjk(int32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF);
}

size_t gk__fold_cp(int32_t cp, int32_t out[4]) {
  if (cp < 0x80 || gk__is_cjk(cp)) {
    out[0] = cp;
    return 1;
  }
  switch (cp) {
  case 0x201C: /* “ */
  case 0x201D: /* ” */
  case 0x201E:
  case 0x300C: /* 「 */
  case 0x300D: /* 」 */
  case 0x300E:
  case 0x300F:
  case 0xFF02:
    out[0] = '"';
    return 1;
  case 0x2018:
  case 0x2019:
    out[0] = '\'';
    return 1;
  case 0x3010: /* 【 */
    out[0] = '[';
    return 1;
  case 0x3011:
    out[0] = ']';
    return 1;
  case 0x2014: /* — */
  case 0x2015:
  case 0x2212: /* − */
    out[0] = '-';
    return 1;
  case 0xFEFF:
  case 0x200B:
    return 0;
  default:
    break;
  }
  if (gk__is_space(cp)) {
    out[0] = ' ';
    return 1;
  }
  utf8proc_int32_t buf[4];
  int last = 0;
  utf8proc_ssize_t n = utf8proc_decompose_char(
      cp, buf, 4, (utf8proc_option_t)(UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE),
      &last);
  if (n <= 0 || n > 4) {
    out[0] = cp;
    return 1;
  }
  for (utf8proc_ssize_t i = 0; i < n; i++)
    out[i] = buf[i];
  return (size_t)n;
}

char *gk__utf8_nfkc(gk__arena *a, const char *s, size_t len) {
  utf8proc_uint8_t *res = NULL;
  utf8proc_ssize_t n =
      utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &res,
                   UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE);
  if (n < 0) {
    a->failed = true;
    return NULL;
  }
  char *p = gk__arena_strndup(a, (const char *)res, (size_t)n);
  free(res);
  return p;
}
