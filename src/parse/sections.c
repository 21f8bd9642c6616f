/*
 * sections.c - the six statutory parts: finding their headings, and their
 * prose once the tables and the signature block are known.
 *
 * A heading is a short line that starts with a Chinese numeral and "、"
 * (or "第X部分") and names one of the parts (format.c gk__parts).  Parts
 * are numbered by meaning, not by the numeral the author wrote.  Prose
 * extracted from PDF is broken into lines mid-sentence, often with blank
 * lines in between; lines are joined into paragraphs unless a line ends a
 * sentence or the next one starts an enumerated item.  At the end, a
 * heading written again on another line is recorded in the model
 * (gk__sections_written(), run by written.c's pass).
 */
#include <pthread.h>
#include <string.h>

#include "lines.h"

/* Headings are short: the longest standard one is 19 characters; allow
 * the wordier variants seen in real reports. */
#define MAX_HEADING_CHARS 40

static int cn_digit(int32_t cp) {
  static const int32_t d[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                              0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341};
  for (int i = 0; i < 10; i++)
    if (d[i] == cp)
      return i + 1;
  return 0;
}

/* The numeral a heading line starts with (1..10), and the position after
 * it and its separator; 0 when the line does not start with one. */
static int heading_numeral(const gk__stream *s, size_t a, size_t b,
                           size_t *after) {
  size_t i = a;
  bool di = false;
  if (i < b && s->ch[i].cp == 0x7B2C /* 第 */) {
    di = true;
    i++;
  }
  int v = 0;
  size_t start = i;
  while (i < b && cn_digit(s->ch[i].cp) && i - start < 2) {
    int d = cn_digit(s->ch[i].cp);
    v = d == 10 ? (v ? v * 10 : 10) : (v >= 10 ? v + d : d);
    i++;
  }
  if (i == start || i >= b)
    return 0;
  int32_t sep = s->ch[i].cp;
  if (di) {
    if (sep != 0x90E8 /* 部 */)
      return 0;
    i += 2; /* 部分 */
  } else if (sep == 0x3001 || sep == '.' || sep == ',') {
    i++;
  } else if (s->ch[i].brk == GK_BRK_NONE) {
    return 0;
  }
  *after = i;
  return v;
}

/* The part headings' vocabulary, folded once per process: each part's
 * keywords, and its standard wording without the numeral. */
#define MAX_KEYWORDS 8
typedef struct heading_vocab {
  gk__pattern kw[6][MAX_KEYWORDS];
  /* Each keyword's first character as a bit (code point % 64), 0 for an
   * empty keyword: a line without that bit set holds no such keyword,
   * and is not searched for it. */
  uint64_t kw_first[6][MAX_KEYWORDS];
  size_t n_kw[6];
  gk__pattern bare[6];
} heading_vocab;

/* The bit of code point cp in a set of first characters. */
static uint64_t cp_bit(int32_t cp) {
  return (uint64_t)1 << ((uint32_t)cp % 64);
}

static heading_vocab shared_vocab;
static pthread_once_t shared_vocab_once = PTHREAD_ONCE_INIT;

static void vocab_make(void) {
  heading_vocab *v = &shared_vocab;
  for (int k = 0; k < 6; k++) {
    v->n_kw[k] = 0;
    for (int w = 0; gk__parts[k].keywords[w] && w < MAX_KEYWORDS; w++) {
      gk__pattern *kw = &v->kw[k][v->n_kw[k]];
      gk__pattern_make(kw, gk__parts[k].keywords[w]);
      v->kw_first[k][v->n_kw[k]++] = kw->n ? cp_bit(kw->cp[0]) : 0;
    }
    /* The standard heading after its numeral and 、. */
    gk__pattern_make(&v->bare[k], gk__parts[k].heading);
    if (v->bare[k].n > 2) {
      memmove(v->bare[k].cp, v->bare[k].cp + 2,
              (v->bare[k].n - 2) * sizeof(int32_t));
      v->bare[k].n -= 2;
    }
  }
}

/* The part a line heads (1..6), or 0. */
static int heading_part(const gk__stream *s, const heading_vocab *v, size_t li,
                        int *numeral) {
  size_t a = s->line_begin[li], b = s->line_end[li], after = a;
  if (b - a < 3 || b - a > MAX_HEADING_CHARS)
    return 0;
  int num = heading_numeral(s, a, b, &after);
  *numeral = num;
  if (!num) {
    /* Without a numeral only the standard wording itself is a heading. */
    for (int k = 0; k < 6; k++)
      if (gk__stream_equals(s, a, b, &v->bare[k]))
        return gk__parts[k].number;
    return 0;
  }
  /* The characters after the numeral as bits: most short lines start
   * none of the keywords (issue 12). */
  uint64_t seen = 0;
  for (size_t i = after; i < b; i++)
    seen |= cp_bit(s->cp[i]);
  int best = 0;
  for (int k = 0; k < 6; k++) {
    for (size_t w = 0; w < v->n_kw[k]; w++) {
      size_t x, y;
      if (!(seen & v->kw_first[k][w]) ||
          !gk__stream_find(s, NULL, after, b, &v->kw[k][w], GK_MATCH_EXACT, &x,
                           &y))
        continue;
      if (!best || gk__parts[k].number == num)
        best = gk__parts[k].number;
    }
  }
  return best;
}

gk_status gk__parse_sections(gk__parse *p) {
  gk_report *r = p->r;
  const gk__layout *l = &r->layout;
  for (int k = 0; k <= 6; k++)
    p->part_line[k] = -1;
  gk__section *secs = gk__arena_calloc(&r->arena, 6, sizeof *secs);
  if (!secs)
    return GK_ENOMEM;
  size_t n = 0;
  pthread_once(&shared_vocab_once, vocab_make);
  const heading_vocab *vocab = &shared_vocab;
  for (size_t li = 0; li < l->n_lines && n < 6; li++) {
    int numeral = 0;
    int part = heading_part(&p->s, vocab, li, &numeral);
    if (!part || p->part_line[part] >= 0)
      continue;
    /* Inside a table a row such as "四、结转下年度继续办理" can look
     * like a heading; part headings come in increasing order of meaning
     * in all but broken reports, and a later part's heading never sits
     * inside an earlier table. */
    p->part_line[part] = (long)li;
    gk__section *sec = &secs[n++];
    sec->pub.number = part;
    sec->pub.heading = gk__line_text(&r->arena, l, li);
    sec->pub.line = l->lines[li].lineno;
    sec->pub.page =
        l->lines[li].n_runs ? l->runs[l->lines[li].first_run].page : 0;
    sec->pub.text = "";
    sec->numeral = numeral;
  }
  r->sections = secs;
  r->n_sections = n;
  return gk__arena_failed(&r->arena) ? GK_ENOMEM : GK_OK;
}

/* ------------------------------------------------------------- prose */

static bool ends_sentence(const char *t, size_t len) {
  static const char *const enders[] = {"。", "！", "？", "；", "：", "…",
                                       "”",  "!",  "?",  ";",  ":",  NULL};
  for (int i = 0; enders[i]; i++) {
    size_t n = strlen(enders[i]);
    if (len >= n && memcmp(t + len - n, enders[i], n) == 0)
      return true;
  }
  return false;
}

/* Whether a line starts an enumerated item or sub-heading: （一） 一是
 * 1. 1、 (1) and the like. */
static bool starts_item(const char *t) {
  int32_t cp;
  size_t len = strlen(t);
  size_t n = gk__utf8_decode(t, len, &cp);
  if (cp == 0xFF08 || cp == '(' || cp == 0x3010) /* （ ( 【 */
    return true;
  if (cn_digit(cp)) {
    int32_t nx;
    gk__utf8_decode(t + n, len - n, &nx);
    return nx == 0x3001 || nx == 0x662F /* 是 */ || nx == 0x662F;
  }
  if (cp >= '0' && cp <= '9') {
    size_t i = 0;
    while (i < len && t[i] >= '0' && t[i] <= '9')
      i++;
    int32_t nx;
    gk__utf8_decode(t + i, len - i, &nx);
    return nx == '.' || nx == 0x3001 || nx == 0xFF0E;
  }
  return false;
}

static bool is_ascii_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

/* Builds a part's text from layout lines [a, b), skipping lines that a
 * table claims or that belong to the signature block. */
static const char *part_text(gk__parse *p, size_t a, size_t b) {
  gk_report *r = p->r;
  gk__buf out;
  gk__buf_init(&out, (size_t)64 << 20);
  bool in_para = false, prev_short_item = false;
  const char *prev = NULL;
  size_t prev_len = 0;
  gk_status st = GK_OK;
  for (size_t li = a; li < b && st == GK_OK; li++) {
    if (p->line_table[li] >= 0 || li >= p->sig_first)
      continue;
    char *t = gk__line_text(&r->arena, &r->layout, li);
    if (!t) {
      st = GK_ENOMEM;
      break;
    }
    size_t len = strlen(t);
    if (len == 0)
      continue;
    bool item = starts_item(t);
    bool join =
        in_para && !item && !prev_short_item && !ends_sentence(prev, prev_len);
    if (join) {
      if (is_ascii_alnum((unsigned char)prev[prev_len - 1]) &&
          is_ascii_alnum((unsigned char)t[0]))
        st = gk__buf_putc(&out, ' ');
    } else if (in_para) {
      st = gk__buf_puts(&out, "\n\n");
    }
    if (st == GK_OK)
      st = gk__buf_append(&out, t, len);
    in_para = true;
    /* A short enumerated line is a sub-heading: its own paragraph. */
    prev_short_item = item && len <= 60;
    prev = t;
    prev_len = len;
  }
  const char *res = NULL;
  if (st == GK_OK)
    res = gk__arena_strndup(&r->arena, out.data ? out.data : "", out.len);
  gk__buf_free(&out);
  return res;
}

gk_status gk__parse_section_text(gk__parse *p) {
  gk_report *r = p->r;
  size_t n_lines = r->layout.n_lines;
  for (size_t i = 0; i < r->n_sections; i++) {
    gk__section *sec = &r->sections[i];
    size_t a = (size_t)p->part_line[sec->pub.number] + 1;
    size_t b = n_lines;
    /* The next heading in source order ends the part. */
    for (size_t j = 0; j < r->n_sections; j++) {
      size_t hl = (size_t)p->part_line[r->sections[j].pub.number];
      if (hl >= a && hl < b)
        b = hl;
    }
    sec->end_line = b > 0 ? r->layout.lines[b - 1].lineno : 0;
    const char *t = part_text(p, a, b);
    if (!t)
      return GK_ENOMEM;
    sec->pub.text = t;
  }
  return GK_OK;
}

/* ------------------------------------------- the text as written */

/* Characters of a heading compared before a line is encoded. */
#define HEAD_CPS 8

/* A part's heading written again on another line: the first later (or
 * earlier) line, other than the heading's own, that folds to exactly the
 * heading.  The parser keeps the first as the part's heading. */
void gk__sections_written(gk_report *r, const gk__stream *st) {
  const gk__layout *l = &r->layout;
  char want[6][GK_FOLD_MAX];
  /* Each heading's length and first characters, in code points; the
   * shortest length, and the first characters of all. */
  int32_t want_head[6][HEAD_CPS] = {{0}};
  size_t want_n[6] = {0}, head_n[6] = {0}, min_n = SIZE_MAX;
  uint64_t firsts = 0;
  size_t n_want = r->n_sections < 6 ? r->n_sections : 6;
  for (size_t i = 0; i < n_want; i++) {
    gk__fold(r->sections[i].pub.heading, want[i], sizeof want[i]);
    if (!want[i][0])
      continue;
    want_n[i] = gk__str_chars(want[i]);
    head_n[i] = gk__utf8_cps(want[i], want_head[i], HEAD_CPS);
    if (want_n[i] < min_n)
      min_n = want_n[i];
    firsts |= (uint64_t)1 << ((uint32_t)want_head[i][0] % 64);
  }
  if (min_n == SIZE_MAX)
    return; /* no heading to repeat */
  char line[GK_FOLD_LINE_MAX];
  int32_t scratch[GK_LINE_CPS + 1];
  for (size_t li = 0; li < l->n_lines; li++) {
    const gk__line *ln = &l->lines[li];
    /* A whole line shorter than every heading, or starting with none of
     * their first characters, is none of them. */
    const int32_t *cp;
    size_t n = gk__line_cps(l, st, li, scratch, &cp);
    if (n <= GK_LINE_CPS &&
        (n == 0 || n < min_n ||
         !(firsts & ((uint64_t)1 << ((uint32_t)cp[0] % 64)))))
      continue;
    /* Headings are short; skip long lines without folding them. */
    size_t bytes = 0;
    for (uint32_t k = 0; k < ln->n_runs; k++)
      bytes += l->runs[ln->first_run + k].len;
    if (bytes == 0 || bytes > GK_FOLD_MAX)
      continue;
    bool folded = false;
    for (size_t i = 0; i < n_want; i++) {
      gk__section *s = &r->sections[i];
      if (s->repeated || ln->lineno == s->pub.line || !want[i][0])
        continue;
      if (n <= GK_LINE_CPS &&
          (n < want_n[i] ||
           memcmp(cp, want_head[i], head_n[i] * sizeof *cp) != 0))
        continue;
      if (!folded) {
        gk__line_utf8(l, st, li, line, sizeof line, 0);
        folded = true;
      }
      if (strcmp(line, want[i]) != 0)
        continue;
      s->repeated = true;
      s->repeat_line = ln->lineno;
    }
  }
}
