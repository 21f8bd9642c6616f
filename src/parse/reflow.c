/*
 * reflow.c - give flattened reports their part headings back.
 *
 * Crawlers save a page's body as one line: "…情况。二、主动公开政府信息情况
 * 第二十条第（一）项…".  Part headings are found per line (a heading is a
 * short line), so in such text there are none.  Before the stream is
 * built, every very long line is cut before and after each part heading
 * it contains ("二、" + a part's keyword + the rest of its standard
 * wording), giving the heading a layout line of its own.  The pieces keep
 * the source line number.  Nothing else about the text changes.
 */
#include <string.h>

#include "parse.h"

/* Lines shorter than this are left alone: a normal heading line is at
 * most 40 characters, and a paragraph that merely mentions "二、主动公开"
 * is not cut. */
#define REFLOW_MIN_BYTES 600
/* A keyword must start within this many bytes after "X、" (20 CJK
 * characters: "四、因政府信息公开工作被申请行政复议" has 11 before it). */
#define KEYWORD_WINDOW 60

static const char *const numerals[6] = {"一、", "二、", "三、",
                                        "四、", "五、", "六、"};

/* Whether bytes at t (len) start with word, ignoring ASCII and ideographic
 * spaces in t; sets *used to the bytes consumed. */
static bool starts_with_loose(const char *t, size_t len, const char *word,
                              size_t *used) {
  size_t i = 0, w = 0, wl = strlen(word);
  while (w < wl) {
    while (i < len && (t[i] == ' ' ||
                       (i + 3 <= len && memcmp(t + i, "\xe3\x80\x80", 3) == 0)))
      i += t[i] == ' ' ? 1 : 3;
    if (i >= len || t[i] != word[w])
      return false;
    i++;
    w++;
  }
  *used = i;
  return true;
}

/* If a part heading starts at t[0] ("二、…"), returns its length in bytes
 * (through the end of its standard wording as far as it matches), else 0. */
static size_t heading_at(const char *t, size_t len) {
  /* 一二三五 start with 0xE4, 四六 with 0xE5: most bytes are out at once. */
  if (len < 6 || ((unsigned char)t[0] != 0xE4 && (unsigned char)t[0] != 0xE5))
    return 0;
  /* …and every numeral is followed by 、 (E3 80 81): most CJK text is out
   * here, before the six comparisons. */
  if ((unsigned char)t[3] != 0xE3 || (unsigned char)t[4] != 0x80 ||
      (unsigned char)t[5] != 0x81)
    return 0;
  for (int k = 0; k < 6; k++) {
    size_t nl = strlen(numerals[k]);
    if (len < nl || memcmp(t, numerals[k], nl) != 0)
      continue;
    const gk__partdef *part = &gk__parts[k];
    for (int w = 0; part->keywords[w]; w++) {
      const char *kw = part->keywords[w];
      /* The keyword starts within the window after the numeral. */
      for (size_t off = nl; off < nl + KEYWORD_WINDOW && off < len; off++) {
        size_t used;
        /* Digits end the heading's words: "四、结转下年度继续办理0000000
         * 四、政府信息公开行政复议" is a table row, then the heading. */
        if (t[off] >= '0' && t[off] <= '9')
          break;
        if (!starts_with_loose(t + off, len - off, kw, &used))
          continue;
        size_t end = off + used;
        /* Extend over the standard heading's wording after the keyword. */
        const char *std = strstr(part->heading, kw);
        if (std) {
          const char *tail = std + strlen(kw);
          size_t tl = strlen(tail), ti = 0;
          while (ti < tl && end < len && t[end] == tail[ti]) {
            end++;
            ti++;
          }
          /* Stop at a character boundary. */
          while (ti > 0 && end > 0 && ((unsigned char)t[end] & 0xC0) == 0x80)
            end--, ti--;
        }
        return end;
      }
    }
  }
  return 0;
}

/* The next place at or after `from` where a part heading starts in t
 * (len bytes), with its length in *h; len when none.  Every heading has
 * 、 (E3 80 81) right after its three-byte numeral, so only the bytes
 * before a 、 are looked at. */
static size_t next_heading(const char *t, size_t len, size_t from, size_t *h) {
  size_t i = from + 3;
  while (i + 3 <= len) {
    const char *q = memchr(t + i, 0xE3, len - i - 2);
    if (!q)
      break;
    i = (size_t)(q - t);
    if ((unsigned char)q[1] == 0x80 && (unsigned char)q[2] == 0x81 &&
        (*h = heading_at(t + i - 3, len - (i - 3))) != 0)
      return i - 3;
    i++;
  }
  *h = 0;
  return len;
}

gk_status gk__reflow(gk_report *r) {
  const gk__layout *l = &r->layout;
  /* Count the cuts first. */
  size_t extra = 0;
  for (size_t li = 0; li < l->n_lines; li++) {
    const gk__line *ln = &l->lines[li];
    for (uint32_t ri = 0; ri < ln->n_runs; ri++) {
      const gk__run *run = &l->runs[ln->first_run + ri];
      if (run->len < REFLOW_MIN_BYTES)
        continue;
      size_t h;
      for (size_t i = next_heading(run->text, run->len, 0, &h); i < run->len;
           i = next_heading(run->text, run->len, i + 1, &h))
        extra += 2;
    }
  }
  if (extra == 0)
    return GK_OK;
  gk__line *lines =
      gk__arena_calloc(&r->arena, l->n_lines + extra, sizeof *lines);
  gk__run *runs = gk__arena_calloc(&r->arena, l->n_runs + extra, sizeof *runs);
  if (!lines || !runs)
    return GK_ENOMEM;
  size_t nl = 0, nr = 0;
  for (size_t li = 0; li < l->n_lines; li++) {
    const gk__line *ln = &l->lines[li];
    gk__line *cur = &lines[nl++];
    *cur = *ln;
    cur->first_run = (uint32_t)nr;
    cur->n_runs = 0;
    for (uint32_t ri = 0; ri < ln->n_runs; ri++) {
      gk__run run = l->runs[ln->first_run + ri];
      if (run.len < REFLOW_MIN_BYTES) {
        run.field = cur->n_runs++;
        runs[nr++] = run;
        continue;
      }
      size_t piece = 0;
      size_t h;
      for (size_t i = next_heading(run.text, run.len, 0, &h); i < run.len;
           i = next_heading(run.text, run.len, i, &h)) {
        /* [piece, i) stays; [i, i + h) is the heading's own line; the
         * rest starts a new line. */
        if (i > piece) {
          gk__run a = run;
          a.text = run.text + piece;
          a.len = (uint32_t)(i - piece);
          a.field = cur->n_runs++;
          runs[nr++] = a;
        }
        cur = &lines[nl++];
        *cur = *ln;
        cur->first_run = (uint32_t)nr;
        cur->n_runs = 1;
        gk__run hr = run;
        hr.text = run.text + i;
        hr.len = (uint32_t)h;
        hr.field = 0;
        runs[nr++] = hr;
        cur = &lines[nl++];
        *cur = *ln;
        cur->first_run = (uint32_t)nr;
        cur->n_runs = 0;
        i += h;
        piece = i;
      }
      if (run.len > piece) {
        gk__run a = run;
        a.text = run.text + piece;
        a.len = (uint32_t)(run.len - piece);
        a.field = cur->n_runs++;
        runs[nr++] = a;
      }
    }
  }
  r->layout.lines = lines;
  r->layout.n_lines = nl;
  r->layout.runs = runs;
  r->layout.n_runs = nr;
  return GK_OK;
}
