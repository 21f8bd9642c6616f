/*
 * layout.c - what every stage may ask of a layout line: its text.
 */
#include <string.h>

#include "layout.h"

size_t gk__layout_line_bytes(const gk__layout *l, size_t li) {
  const gk__line *ln = &l->lines[li];
  size_t need = 1;
  for (uint32_t i = 0; i < ln->n_runs; i++)
    need += l->runs[ln->first_run + i].len + 1;
  return need;
}

size_t gk__layout_line_join(const gk__layout *l, size_t li, char *o) {
  const gk__line *ln = &l->lines[li];
  size_t k = 0;
  for (uint32_t i = 0; i < ln->n_runs; i++) {
    const gk__run *run = &l->runs[ln->first_run + i];
    if (run->len == 0)
      continue;
    if (k > 0)
      o[k++] = ' ';
    memcpy(o + k, run->text, run->len);
    k += run->len;
  }
  /* Trim white space, including U+3000 indents and a BOM. */
  size_t a = 0, b = k;
  while (a < b) {
    int32_t cp;
    size_t m = gk__utf8_next(o + a, b - a, &cp);
    if (!gk__is_space(cp) && cp != '\r')
      break;
    a += m;
  }
  while (b > a) {
    /* An ASCII last byte is its own character (what the decode below
     * gives for it), most often not a space. */
    unsigned char last = (unsigned char)o[b - 1];
    if (last < 0x80) {
      if (!gk__is_space(last) && last != '\r')
        break;
      b--;
      continue;
    }
    size_t q = b - 1;
    while (q > a && ((unsigned char)o[q] & 0xC0) == 0x80)
      q--;
    int32_t cp;
    gk__utf8_decode(o + q, b - q, &cp);
    if (!gk__is_space(cp) && cp != '\r')
      break;
    b = q;
  }
  if (a)
    memmove(o, o + a, b - a);
  o[b - a] = '\0';
  return b - a;
}
