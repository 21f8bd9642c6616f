/*
 * meta.c - title, year, signature (agency and date) and edition.
 *
 * The title is the first line before the first part heading that names
 * the report (政府信息公开 … 报告), joined with a short line above or below
 * it when PDF extraction broke it; a PDF without one falls back on its
 * document title (metadata).  The year comes from the title, else
 * from the statistics period.  The signature block (落款) is a body's name
 * on its own line followed by a date line, at the end of the report; a
 * "…印发" line after it is the print colophon and is skipped.  When there
 * is no signature the agency is the title's text before the year.  At the
 * end, what the meta.* and edition rules judge as written is recorded in
 * the model: the first 2019-only marker and the year statements
 * (gk__meta_written(), run by written.c's pass).
 */
#include <string.h>

#include "lines.h"

/* Lines from the end searched for a signature: the block is the last
 * thing in a report, after part 六's few sentences. */
#define SIGNATURE_SEARCH_LINES 12
/* The end of a wrapped title alone on its line is short: "年度报告",
 * "工作年度报告", "信息公开工作年度报告" (at most 10 characters). */
#define TITLE_TAIL_CHARS 10
/* A signature line is short: the longest body names are about 30
 * characters (市人民政府办公室 of an autonomous prefecture). */
#define MAX_AGENCY_CHARS 40

static int cn_num(int32_t cp) {
  static const int32_t d[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                              0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341};
  for (int i = 0; i < 11; i++)
    if (d[i] == cp)
      return i;
  if (cp == 0x25CB || cp == 0x96F6) /* ○ 零 */
    return 0;
  return -1;
}

static bool is_digit(int32_t cp) { return cp >= '0' && cp <= '9'; }

/* Reads digits (ASCII, or Chinese numerals as in 二〇二五年一月八日) at
 * s->ch[*i] up to `end`; returns -1 when there are none.  Chinese month
 * and day numbers use 十 (十二 = 12, 二十一 = 21). */
static long read_num(const gk__stream *s, size_t *i, size_t end) {
  size_t j = *i;
  long v = 0;
  int n = 0;
  if (j < end && is_digit(s->ch[j].cp)) {
    while (j < end && is_digit(s->ch[j].cp) && n < 6) {
      v = v * 10 + (s->ch[j].cp - '0');
      j++;
      n++;
    }
    *i = j;
    return v;
  }
  long tens = -1;
  while (j < end && cn_num(s->ch[j].cp) >= 0 && n < 6) {
    int d = cn_num(s->ch[j].cp);
    if (d == 10) {
      tens = v ? v : 1;
      v = 0;
    } else {
      v = v * 10 + d;
    }
    j++;
    n++;
  }
  if (n == 0)
    return -1;
  if (tens >= 0)
    v = tens * 10 + v;
  *i = j;
  return v;
}

/* A date "YYYY年M月D日" starting at s->ch[i]; on success sets the parts
 * and *after. */
static bool read_date(const gk__stream *s, size_t i, size_t end, int *y, int *m,
                      int *d, size_t *after) {
  long yy = read_num(s, &i, end);
  if (yy < 1990 || yy > 2100 || i >= end || s->ch[i].cp != 0x5E74 /* 年 */)
    return false;
  i++;
  long mm = read_num(s, &i, end);
  if (mm < 1 || mm > 12 || i >= end || s->ch[i].cp != 0x6708 /* 月 */)
    return false;
  i++;
  long dd = read_num(s, &i, end);
  if (dd < 1 || dd > 31)
    return false;
  if (i < end && (s->ch[i].cp == 0x65E5 || s->ch[i].cp == 0x53F7)) /* 日 号 */
    i++;
  else
    return false;
  *y = (int)yy;
  *m = (int)mm;
  *d = (int)dd;
  *after = i;
  return true;
}

/* Whether [a, b) contains sentence punctuation: then it is prose, not a
 * name or a title. */
static bool has_punct(const gk__stream *s, size_t a, size_t b) {
  for (size_t i = a; i < b; i++) {
    int32_t c = s->ch[i].cp;
    if (c == 0x3002 || c == ',' || c == ';' || c == 0xFF0C || c == 0xFF1B ||
        c == 0x3001 || c == ':' || c == '!' || c == '?')
      return true;
  }
  return false;
}

static bool ends_with_suffix(const gk__stream *s, size_t a, size_t b) {
  for (int k = 0; gk__agency_suffixes[k]; k++) {
    gk__pattern sp;
    const gk__pattern *p = gk__pattern_of(gk__agency_suffixes[k], &sp);
    if (b - a >= p->n && gk__stream_equals(s, b - p->n, b, p))
      return true;
  }
  return false;
}

static bool contains(const gk__stream *s, size_t a, size_t b,
                     const char *word) {
  gk__pattern p;
  size_t x, y;
  gk__pattern_make(&p, word);
  return gk__stream_find(s, NULL, a, b, &p, GK_MATCH_EXACT, &x, &y);
}

static bool line_empty(const gk__stream *s, size_t li) {
  return s->line_begin[li] == s->line_end[li];
}

/* Text with the layout spaces removed: spaces survive only between two
 * ASCII letters or digits ("2024 年" → "2024年", "LED 屏" → "LED屏" but
 * "Open Data" stays). */
static char *squeeze(gk__arena *a, const char *t) {
  size_t len = strlen(t);
  char *out = gk__arena_alloc(a, len + 1);
  if (!out)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < len;) {
    int32_t cp;
    size_t n = gk__utf8_decode(t + i, len - i, &cp);
    if (gk__is_space(cp)) {
      size_t j = i + n;
      int32_t nx = 0;
      while (j < len) {
        size_t m = gk__utf8_decode(t + j, len - j, &nx);
        if (!gk__is_space(nx))
          break;
        j += m;
      }
      bool keep =
          k > 0 && j < len && (unsigned char)out[k - 1] < 0x80 &&
          out[k - 1] != ' ' && nx < 0x80 &&
          !(out[k - 1] >= '0' && out[k - 1] <= '9' && nx >= '0' && nx <= '9');
      if (keep && k > 0)
        out[k++] = ' ';
      i = j;
      continue;
    }
    memcpy(out + k, t + i, n);
    k += n;
    i += n;
  }
  out[k] = '\0';
  return out;
}

static void find_title(gk__parse *p) {
  gk_report *r = p->r;
  const gk__stream *s = &p->s;
  size_t limit = r->layout.n_lines;
  for (int k = 1; k <= 6; k++)
    if (p->part_line[k] >= 0 && (size_t)p->part_line[k] < limit)
      limit = (size_t)p->part_line[k];
  if (limit == r->layout.n_lines && limit > 30)
    limit = 30;
  long title = -1;
  for (size_t li = 0; li < limit; li++) {
    size_t a = s->line_begin[li], b = s->line_end[li];
    if (a == b || b - a > 80)
      continue;
    /* A sentence of the preamble ("本报告根据《条例》…编制。") is no
     * title: a title has no full stop. */
    if (contains(s, a, b, "。") || contains(s, a, b, "本报告"))
      continue;
    if ((contains(s, a, b, "报告") || contains(s, a, b, "年报")) &&
        (contains(s, a, b, "公开") || contains(s, a, b, "年度"))) {
      title = (long)li;
      break;
    }
  }
  if (title < 0)
    return;
  size_t first = (size_t)title, last = (size_t)title;
  /* A short name line right above, when it is the first text; or the
   * title's first part above a line that is only its end ("2024 年上海市
   * 科委政府信息公开工作" / "年度报告": a PDF converter wrapped it, and a
   * "正文" label may come before). */
  if (first > 0) {
    size_t q = first;
    while (q > 0 && line_empty(s, q - 1))
      q--;
    if (q > 0) {
      size_t li = q - 1, a = s->line_begin[li], b = s->line_end[li];
      bool earlier = false;
      for (size_t k = 0; k < li; k++)
        if (!line_empty(s, k))
          earlier = true;
      size_t ta = s->line_begin[first], tb = s->line_end[first];
      bool tail_only = tb - ta <= TITLE_TAIL_CHARS &&
                       !contains(s, ta, tb, "公开") && b - a <= 60 &&
                       !has_punct(s, a, b) && contains(s, a, b, "公开");
      if ((!earlier && b - a <= 24 && !has_punct(s, a, b)) || tail_only)
        first = li;
    }
  }
  /* A title broken before its end: "…政府信息公开" / "工作年度报告". */
  {
    size_t a = s->line_begin[last], b = s->line_end[last];
    gk__pattern rep;
    gk__pattern_make(&rep, "报告");
    if (!(b - a >= 2 && gk__stream_equals(s, b - 2, b, &rep))) {
      size_t q = last + 1;
      while (q < limit && line_empty(s, q))
        q++;
      if (q < limit) {
        size_t c = s->line_begin[q], e = s->line_end[q];
        if (e - c <= 16 && e - c >= 2 && gk__stream_equals(s, e - 2, e, &rep))
          last = q;
      }
    }
  }
  gk__buf b;
  gk__buf_init(&b, 1 << 16);
  for (size_t li = first; li <= last; li++) {
    char *t = gk__line_text(&r->arena, &r->layout, li);
    /* A line lost to a failed allocation would change the title: the
     * whole read fails instead (gk__parse_meta() sees the arena). */
    if (!t || gk__buf_puts(&b, t) != GK_OK) {
      gk__arena_fail(&r->arena);
      gk__buf_free(&b);
      return;
    }
  }
  const char *t = squeeze(&r->arena, b.data ? b.data : "");
  /* Crawlers save the page's title field as "标题：…". */
  static const char *const labels[] = {"标题：", "标题:", NULL};
  for (int k = 0; t && labels[k]; k++)
    if (strncmp(t, labels[k], strlen(labels[k])) == 0)
      t += strlen(labels[k]);
  /* …and append the site's name: "…年度报告-沭阳县发改局".  The title
   * ends with its 报告. */
  if (t) {
    const char *rep = NULL, *q = t;
    while ((q = strstr(q, "报告")) != NULL) {
      rep = q;
      q += strlen("报告");
    }
    if (rep) {
      const char *after = rep + strlen("报告");
      if (strncmp(after, "-", 1) == 0 || strncmp(after, "_", 1) == 0 ||
          strncmp(after, "—", strlen("—")) == 0 ||
          strncmp(after, "｜", strlen("｜")) == 0 ||
          strncmp(after, "|", 1) == 0)
        t = gk__arena_strndup(&r->arena, t, (size_t)(after - t));
    }
  }
  r->title = t;
  gk__buf_free(&b);
  r->title_line = r->layout.lines[first].lineno;
}

/* The year in the title, else in the statistics period
 * "YYYY年1月1日至…12月31日". */
static void find_year(gk__parse *p) {
  gk_report *r = p->r;
  const gk__stream *s = &p->s;
  if (r->title) {
    /* The title is short: scan its folded text directly. */
    size_t len = strlen(r->title);
    int32_t cps[160];
    size_t n = 0;
    for (size_t i = 0; i < len && n < 160;) {
      int32_t cp, f[4];
      i += gk__utf8_decode(r->title + i, len - i, &cp);
      size_t m = gk__fold_cp(cp, f);
      for (size_t j = 0; j < m && n < 160; j++)
        cps[n++] = f[j];
    }
    for (size_t i = 0; i + 4 < n; i++) {
      long v = 0;
      size_t j = i;
      int digits = 0;
      while (j < n && digits < 4) {
        int d = is_digit(cps[j]) ? cps[j] - '0' : cn_num(cps[j]);
        if (d < 0 || d > 9)
          break;
        v = v * 10 + d;
        j++;
        digits++;
      }
      if (digits == 4 && j < n && cps[j] == 0x5E74 && v >= 1990 && v <= 2100 &&
          (i == 0 || !is_digit(cps[i - 1]))) {
        r->year = (int)v;
        return;
      }
    }
  }
  /* The statistics period. */
  gk__pattern jan;
  gk__pattern_make(&jan, "年1月1日");
  size_t pos = 0, a, b;
  while (gk__stream_find(s, NULL, pos, s->n, &jan, GK_MATCH_EXACT, &a, &b)) {
    if (a >= 4) {
      size_t i = a - 4;
      long v = read_num(s, &i, a);
      if (i == a && v >= 1990 && v <= 2100) {
        r->year = (int)v;
        return;
      }
    }
    pos = b;
  }
  /* A report saved without its title often opens with the year it
   * covers: "2018年，省人社厅坚决落实…". */
  for (size_t li = 0; li < s->layout->n_lines; li++) {
    size_t la = s->line_begin[li], lb = s->line_end[li];
    if (la == lb)
      continue;
    size_t i = la;
    long v = read_num(s, &i, lb);
    if (i == la + 4 && i < lb && s->ch[i].cp == 0x5E74 /* 年 */ && v >= 1990 &&
        v <= 2100)
      r->year = (int)v;
    break;
  }
}

/* The agency in the title: the text before the year. */
static const char *title_agency(gk__arena *a, const char *title) {
  if (!title)
    return NULL;
  size_t len = strlen(title), cut = len;
  for (size_t i = 0; i + 4 < len; i++) {
    int32_t cp;
    gk__utf8_decode(title + i, len - i, &cp);
    if (is_digit(cp) && is_digit(title[i + 1]) && is_digit(title[i + 2]) &&
        is_digit(title[i + 3])) {
      cut = i;
      break;
    }
  }
  if (cut == len) {
    const char *g = strstr(title, "政府信息公开");
    if (!g)
      return NULL;
    cut = (size_t)(g - title);
  }
  const char *start = title;
  if (strncmp(start, "关于", strlen("关于")) == 0)
    start += strlen("关于");
  size_t n = (size_t)(title + cut - start);
  if (n == 0 && cut + 4 < len) {
    /* The year first: "2024年上海市科委政府信息公开工作年度报告".  The
     * body is between "年" (or "年度") and "政府信息公开". */
    const char *after = title + cut + 4;
    if (strncmp(after, "年度", strlen("年度")) == 0)
      after += strlen("年度");
    else if (strncmp(after, "年", strlen("年")) == 0)
      after += strlen("年");
    else
      return NULL;
    const char *g = strstr(after, "政府信息公开");
    if (!g)
      g = strstr(after, "政务公开");
    if (!g || g == after)
      return NULL;
    return gk__arena_strndup(a, after, (size_t)(g - after));
  }
  if (n == 0)
    return NULL;
  return gk__arena_strndup(a, start, n);
}

/* The report's own name cited in its text, when it has neither a title
 * line nor a signature: "附件：河北省教育厅2022年政府信息公开工作年度报告"
 * (a flattened page ends with its attachment's name).  The body is the
 * text before "YYYY年(度)政府信息公开工作年度报告", back to punctuation or a
 * break, when it ends like a body's name.  The first such citation of the
 * report's year (any year when the year is unknown) wins; NULL when none. */
static const char *cited_agency(gk_report *r, const gk__stream *s) {
  gk__pattern p;
  gk__pattern_make(&p, "政府信息公开工作年度报告");
  size_t pos = 0, a, b;
  while (gk__stream_find(s, NULL, pos, s->n, &p, GK_MATCH_EXACT, &a, &b)) {
    pos = b;
    size_t y = a;
    if (y > 0 && s->ch[y - 1].cp == 0x5EA6 /* 度 */)
      y--;
    if (y < 5 || s->ch[y - 1].cp != 0x5E74 /* 年 */)
      continue;
    size_t i = y - 5;
    long v = read_num(s, &i, y - 1);
    if (i != y - 1 || v < 1990 || v > 2100 || (r->year && v != r->year))
      continue;
    size_t end = y - 5, k = end;
    while (k > 0 && end - k < MAX_AGENCY_CHARS && !has_punct(s, k - 1, k) &&
           s->ch[k - 1].cp != 0xFF1A /* ： */ &&
           s->ch[k - 1].cp != 0x300A /* 《 */ &&
           s->ch[k - 1].cp != 0x201C /* “ */ &&
           (k == end || s->ch[k].brk < GK_BRK_SPACE))
      k--;
    if (k < end && ends_with_suffix(s, k, end))
      return gk__stream_text(&r->arena, s, k, end, false);
  }
  return NULL;
}

/* The print colophon: "<office> 2025年1月15日印发", a line that ends
 * with 印发 right after a date (a sentence quoting a notice "关于印发…"
 * is prose, not a colophon). */
static bool is_colophon(const gk__stream *s, size_t a, size_t b) {
  gk__pattern p;
  gk__pattern_make(&p, "印发");
  if (b - a < 8 || !gk__stream_equals(s, b - 2, b, &p))
    return false;
  for (size_t i = a; i + 2 < b; i++) {
    int y, m, d;
    size_t after;
    if (read_date(s, i, b - 2, &y, &m, &d, &after) && after == b - 2)
      return true;
  }
  return false;
}

static void find_signature(gk__parse *p) {
  gk_report *r = p->r;
  const gk__stream *s = &p->s;
  size_t n_lines = r->layout.n_lines;
  p->sig_first = n_lines;
  size_t floor = 0;
  for (int k = 1; k <= 6; k++)
    if (p->part_line[k] >= 0 && (size_t)p->part_line[k] + 1 > floor)
      floor = (size_t)p->part_line[k] + 1;
  int seen = 0;
  long date_line = -1;
  for (size_t li = n_lines; li-- > floor && seen < SIGNATURE_SEARCH_LINES;) {
    if (line_empty(s, li) || p->line_table[li] >= 0)
      continue;
    seen++;
    size_t a = s->line_begin[li], b = s->line_end[li];
    int y, m, d;
    size_t after;
    /* The print colophon "…2025年1月15日印发" comes after the block. */
    if (date_line < 0 && is_colophon(s, a, b)) {
      p->sig_first = li;
      continue;
    }
    if (date_line < 0) {
      /* A date line, alone or after the body's name; anything longer
       * is prose. */
      if (b - a > MAX_AGENCY_CHARS + 16)
        break;
      bool got = false;
      size_t at = a;
      for (size_t i = a; i < b && !got; i++) {
        if (read_date(s, i, b, &y, &m, &d, &after) && after == b) {
          got = true;
          at = i;
        }
      }
      if (!got)
        break; /* the last text is prose: no signature */
      r->published = gk__arena_printf(&r->arena, "%04d-%02d-%02d", y, m, d);
      r->date_line = r->layout.lines[li].lineno;
      date_line = (long)li;
      p->sig_first = li;
      if (at > a && at - a <= MAX_AGENCY_CHARS && !has_punct(s, a, at) &&
          ends_with_suffix(s, a, at)) {
        r->signature_agency = gk__stream_text(&r->arena, s, a, at, false);
        r->signature_line = r->layout.lines[li].lineno;
        return;
      }
      continue;
    }
    /* The line above the date: the body's name. */
    if (b - a <= MAX_AGENCY_CHARS && !has_punct(s, a, b) &&
        ends_with_suffix(s, a, b)) {
      r->signature_agency = gk__stream_text(&r->arena, s, a, b, false);
      r->signature_line = r->layout.lines[li].lineno;
      p->sig_first = li;
    }
    return;
  }
  if (date_line >= 0)
    return;
  /* No date: a lone name line at the very end is still a signature. */
  for (size_t li = n_lines; li-- > floor;) {
    if (line_empty(s, li) || p->line_table[li] >= 0)
      continue;
    size_t a = s->line_begin[li], b = s->line_end[li];
    if (b - a <= MAX_AGENCY_CHARS && !has_punct(s, a, b) &&
        ends_with_suffix(s, a, b) && !contains(s, a, b, "印发")) {
      r->signature_agency = gk__stream_text(&r->arena, s, a, b, false);
      r->signature_line = r->layout.lines[li].lineno;
      p->sig_first = li;
    }
    break;
  }
}

static void find_edition(gk__parse *p) {
  gk_report *r = p->r;
  const gk__stream *s = &p->s;
  /* A report on a year before 2019 predates both national table formats,
   * whatever words its prose happens to use (政府集中采购 …). */
  if (r->year > 0 && r->year < 2019) {
    r->edition = GK_EDITION_PRE2019;
    return;
  }
  const gk__edition_def *eds[] = {&gk__edition_2021, &gk__edition_2019};
  for (int e = 0; e < 2; e++) {
    for (int k = 0; eds[e]->markers[k]; k++) {
      if (contains(s, 0, s->n, eds[e]->markers[k])) {
        r->edition = eds[e]->edition;
        return;
      }
    }
  }
}

gk_status gk__parse_edition(gk__parse *p) {
  find_edition(p);
  return GK_OK;
}

/* A PDF whose body has no title line: its document title (the Info
 * dictionary's /Title) when that names the report, as find_title() would
 * take a line ("…政府信息公开…报告").  Title line 0: the title is on no
 * line, and meta.title-from-metadata says where it came from. */
static void pdf_title_fallback(gk_report *r) {
  const char *t = r->pdf_title;
  if (r->title || !t || strlen(t) > 240 || !strstr(t, "报告") ||
      !(strstr(t, "公开") || strstr(t, "年度")))
    return;
  r->title = squeeze(&r->arena, t);
  r->title_line = 0;
}

gk_status gk__parse_meta(gk__parse *p) {
  find_title(p);
  pdf_title_fallback(p->r);
  find_year(p);
  return gk__arena_failed(&p->r->arena) ? GK_ENOMEM : GK_OK;
}

/* What a portal prints after a page's text, left at the end of a crawled
 * report: passed over before the signature is looked for. */
static const char *const portal_chrome[] = {"附件下载", "打印本页", "关闭窗口",
                                            "【打印】", "【关闭】", NULL};
/* Characters of a portal's trailing line run into the signature that the
 * flattened-signature search passes over: 40 ("更多信息请关注官方微信
 * “河北人社”" has 18).  Longer is the report's own text. */
#define TRAILING_CHROME_CHARS 40
/* Characters of a date at most: "二〇二五年十二月三十一日" has 12. */
#define MAX_DATE_CHARS 16

/* The start of a date that ends exactly at e (after a space or not), or
 * SIZE_MAX. */
static size_t date_ending_at(const gk__stream *s, size_t a, size_t e, int *y,
                             int *m, int *d) {
  /* A date read_date() accepts ends with 日 or 号: where the character
   * before e is neither, none ends there (the search below runs at every
   * character of a signature's line, at up to MAX_DATE_CHARS starts). */
  if (e <= a || (s->ch[e - 1].cp != 0x65E5 && s->ch[e - 1].cp != 0x53F7))
    return SIZE_MAX;
  size_t after;
  for (size_t i = e - a > MAX_DATE_CHARS ? e - MAX_DATE_CHARS : a; i < e; i++)
    if (read_date(s, i, e, y, m, d, &after) && after == e)
      return i;
  return SIZE_MAX;
}

/* The signature run into the last paragraph of a crawled text, when no
 * line of its own holds it: "…处理费。 某某局2025年1月23日", maybe followed
 * by a print colophon ("某某办公室 2020年1月2日印发") and portal chrome
 * ("附件下载").  The body's name runs back from the date to a space (a
 * break before a character: the stream holds no spaces) or a sentence's
 * end. */
static void flattened_signature(gk__parse *p) {
  gk_report *r = p->r;
  const gk__stream *s = &p->s;
  size_t li = r->layout.n_lines;
  while (li-- > 0 && (line_empty(s, li) || p->line_table[li] >= 0))
    ;
  if (li == (size_t)-1)
    return;
  size_t a = s->line_begin[li], e = s->line_end[li];
  int y, m, d;
  gk__pattern pat;
  for (bool more = true; more;) {
    more = false;
    for (int k = 0; portal_chrome[k]; k++) {
      const gk__pattern *cp = gk__pattern_of(portal_chrome[k], &pat);
      if (e - a >= cp->n && gk__stream_equals(s, e - cp->n, e, cp)) {
        e -= cp->n;
        more = true;
        break;
      }
    }
    gk__pattern_make(&pat, "印发");
    if (!more && e - a > 2 && gk__stream_equals(s, e - 2, e, &pat)) {
      size_t at = date_ending_at(s, a, e - 2, &y, &m, &d);
      if (at == SIZE_MAX || at == a)
        return;
      /* The office that printed it, back to a space. */
      e = at - 1;
      while (e > a && at - e <= MAX_AGENCY_CHARS &&
             s->ch[e].brk < GK_BRK_SPACE && s->ch[e - 1].cp != 0x3002)
        e--;
      more = true;
    }
  }
  size_t at = date_ending_at(s, a, e, &y, &m, &d);
  if (at == SIZE_MAX) {
    /* A portal's line of its own after the date, not in the list above
     * ("更多信息请关注官方微信“河北人社”"): short, no sentence of the
     * report (no 。), no other date.  The last date before it ends the
     * signature. */
    size_t from = e - a > TRAILING_CHROME_CHARS ? e - TRAILING_CHROME_CHARS : a;
    for (size_t t = e; t-- > from && at == SIZE_MAX;) {
      if (s->ch[t].cp == 0x3002 /* 。 */)
        return;
      at = date_ending_at(s, a, t, &y, &m, &d);
    }
    if (at == SIZE_MAX)
      return;
  }
  r->published = gk__arena_printf(&r->arena, "%04d-%02d-%02d", y, m, d);
  r->date_line = r->layout.lines[li].lineno;
  /* Back to a sentence's end, a break, or a label's colon ("报告下载：
   * 某某厅2023年1月28日"; the stream folds ： to ':'). */
  size_t k = at;
  while (k > a && at - k <= MAX_AGENCY_CHARS && s->ch[k - 1].cp != 0x3002 &&
         s->ch[k - 1].cp != ':' && (k == at || s->ch[k].brk < GK_BRK_SPACE))
    k--;
  bool starts = k == a || s->ch[k - 1].cp == 0x3002 || s->ch[k - 1].cp == ':' ||
                (k < at && s->ch[k].brk >= GK_BRK_SPACE);
  /* Part 六's last words "…其他需要报告的事项无" run into the name (on the
   * line before, when the heading was split off it). */
  gk__pattern item;
  gk__pattern_make(&item, "事项");
  if (starts && k >= 2 && k + 1 < at && s->ch[k].cp == 0x65E0 /* 无 */ &&
      gk__stream_equals(s, k - 2, k, &item))
    k++;
  if (k < at && starts && !has_punct(s, k, at) && ends_with_suffix(s, k, at)) {
    r->signature_agency = gk__stream_text(&r->arena, s, k, at, false);
    r->signature_line = r->layout.lines[li].lineno;
  }
}

gk_status gk__parse_signature(gk__parse *p) {
  gk_report *r = p->r;
  find_signature(p);
  if (!r->published && !r->signature_agency)
    flattened_signature(p);
  /* Part 六's last words run into the name: "…其他需要报告的事项暂无某某局". */
  static const char *const lead[] = {"暂无", "此函", NULL};
  for (int k = 0; r->signature_agency && lead[k]; k++) {
    size_t n = strlen(lead[k]);
    if (strncmp(r->signature_agency, lead[k], n) == 0 &&
        strlen(r->signature_agency) > n + strlen("某局"))
      r->signature_agency += n;
  }
  if (r->signature_agency) {
    r->agency = r->signature_agency;
    r->agency_from_signature = true;
  } else {
    r->agency = title_agency(&r->arena, r->title);
  }
  if (!r->agency && !r->title)
    r->agency = cited_agency(r, &p->s);
  return gk__arena_failed(&r->arena) ? GK_ENOMEM : GK_OK;
}

/* ------------------------------------------- the text as written */

/* The 2019 edition's markers looked for in every line by their code
 * points first: at most this many, of at most MARKER_CPS code points
 * (more, and every line is compared as a string). */
#define MAX_MARKERS 16
#define MARKER_CPS 64

/* The first 2019-only marker the text of a 2019-edition report prints. */
static void edition_marker(gk_report *r, const gk__stream *st) {
  r->edition_marker = -1;
  r->edition_marker_line = 0;
  if (r->edition != GK_EDITION_2019)
    return;
  const gk__layout *l = &r->layout;
  char line[GK_FOLD_LINE_MAX], mbuf[GK_FOLD_MAX];
  int32_t marker_cp[MAX_MARKERS][MARKER_CPS];
  size_t marker_n[MAX_MARKERS], n_markers = 0;
  bool filter = true;
  for (int m = 0; gk__edition_2019.markers[m] && filter; m++) {
    const char *marker =
        gk__format_fold(gk__edition_2019.markers[m], mbuf, sizeof mbuf);
    if (n_markers == MAX_MARKERS || gk__str_chars(marker) >= MARKER_CPS) {
      filter = false;
      break;
    }
    marker_n[n_markers] =
        gk__utf8_cps(marker, marker_cp[n_markers], MARKER_CPS);
    n_markers++;
  }
  int32_t scratch[GK_LINE_CPS + 1];
  for (size_t li = 0; li < l->n_lines; li++) {
    /* A whole line without a marker's characters in a row has none. */
    const int32_t *cp;
    size_t n = gk__line_cps(l, st, li, scratch, &cp);
    bool maybe = !filter || n > GK_LINE_CPS;
    for (size_t m = 0; m < n_markers && !maybe; m++)
      maybe = gk__cps_contain(cp, n, marker_cp[m], marker_n[m]);
    if (!maybe)
      continue;
    gk__line_utf8(l, st, li, line, sizeof line, 0);
    for (int m = 0; gk__edition_2019.markers[m]; m++) {
      const char *marker =
          gk__format_fold(gk__edition_2019.markers[m], mbuf, sizeof mbuf);
      if (!strstr(line, marker))
        continue;
      r->edition_marker = m;
      r->edition_marker_line = l->lines[li].lineno;
      return;
    }
  }
}

/* The statistics period "YYYY年1月1日…12月31日" anywhere in the text. */
static void period_year(gk_report *r, const gk__stream *st) {
  const gk__layout *l = &r->layout;
  char line[GK_FOLD_LINE_MAX];
  /* 年1月1日: a whole line without it is passed over unfolded. */
  static const int32_t start[] = {0x5E74, '1', 0x6708, '1', 0x65E5};
  int32_t scratch[GK_LINE_CPS + 1];
  for (size_t li = 0; li < l->n_lines; li++) {
    const int32_t *cp;
    size_t n = gk__line_cps(l, st, li, scratch, &cp);
    if (n <= GK_LINE_CPS && !gk__cps_contain(cp, n, start, 5))
      continue;
    gk__line_utf8(l, st, li, line, sizeof line, 0);
    for (const char *p = strstr(line, "年1月1日"); p;
         p = strstr(p + 1, "年1月1日")) {
      if (p - line < 4)
        continue;
      const char *y = p - 4;
      bool digits = true;
      for (int k = 0; k < 4; k++)
        digits &= y[k] >= '0' && y[k] <= '9';
      if (!digits || (y > line && y[-1] >= '0' && y[-1] <= '9'))
        continue;
      /* The period's end follows within a few words. */
      const char *end = strstr(p, "12月31日");
      if (!end || end - p > 48)
        continue;
      r->period_found = true;
      r->period_year = (y[0] - '0') * 1000 + (y[1] - '0') * 100 +
                       (y[2] - '0') * 10 + (y[3] - '0');
      r->period_line = l->lines[li].lineno;
      return;
    }
  }
}

/* Lines of part 一 searched for an opening "2024年，…". */
#define PART_ONE_OPENING_LINES 8
/* The characters of such an opening: four digits, 年, 度, the comma. */
#define OPENING_CPS 16

/* Part 一 opening with its year: "2024年，" or "2024年度，" at the start
 * of one of its first lines ("2019年以来" is no statement of the year). */
static void opening_year(gk_report *r, const gk__stream *st) {
  const gk__section *s = gk__report_part(r, 1);
  if (!s)
    return;
  const gk__layout *l = &r->layout;
  long li = gk__layout_line_index(l, s->pub.line);
  if (li < 0)
    return;
  int seen = 0;
  char line[GK_FOLD_LINE_MAX];
  int32_t scratch[GK_LINE_CPS + 1];
  for (size_t k = (size_t)li + 1;
       k < l->n_lines && seen < PART_ONE_OPENING_LINES &&
       (s->end_line == 0 || l->lines[k].lineno <= s->end_line);
       k++) {
    /* Only the line's opening is read (gk__year_at(), then 度 and the
     * comma): its first OPENING_CPS code points, as the folded line
     * starts with them. */
    const int32_t *cp;
    size_t n = gk__line_cps(l, st, k, scratch, &cp);
    if (n == 0)
      continue;
    gk__cps_append(cp, n < OPENING_CPS ? n : OPENING_CPS, line, sizeof line, 0);
    seen++;
    size_t after;
    int y = gk__year_at(line, &after);
    if (!y)
      continue;
    const char *rest = line + after;
    if (gk__str_starts(rest, "度"))
      rest += strlen("度");
    if (*rest != ',')
      continue;
    r->opening_year = y;
    r->opening_line = l->lines[k].lineno;
    return;
  }
}

void gk__meta_written(gk_report *r, const gk__stream *st) {
  edition_marker(r, st);
  period_year(r, st);
  opening_year(r, st);
}
