/*
 * rules_meta.c - meta.*: title, signature and dates (rules.md "meta",
 * format.md §3.2, D-01, D-17, D-20, D-21, D-30).
 *
 *   no-title         the parser found no title, or the title names no
 *                    year ("2024年", "二〇二四年").
 *   title-variant    the title is not <机关><年>年(度)政府信息公开工作年度报告:
 *                    no body before the year, a "关于" in front, or other
 *                    words around the standard tail.
 *   no-signature     no body's name in a signature block at the end.
 *   no-date          no date in it.
 *   agency-mismatch  the title's body and the signature's differ after
 *                    dropping 人民政府 / 政府 (and a government's 办公室 or
 *                    办公厅, which signs for it) and reading 街道办事处 as
 *                    街道; one may be a longer form of the other when what
 *                    it adds ends in a place ("攀枝花市米易县丙谷镇" and
 *                    "丙谷镇人民政府").
 *   year-mismatch    the years of the title, of the statistics period
 *                    ("2024年1月1日至12月31日") and of the opening of part
 *                    一 ("2024年，…") disagree; quiet with fewer than two.
 *   early            dated before 12月31日 of the year covered.
 *   late             dated after the deadline of its kind of body:
 *                    departments Y+1-01-31, governments Y+1-03-31,
 *                    townships the configured date (default 01-31, and
 *                    only a warning); a body of unknown kind gets the most
 *                    lenient, 03-31, and the message says so; report years
 *                    before 2019 have 03-31 for all (old 第三十一条).
 */
#include <stdio.h>

#include "base/fold.h"
#include "checks.h"

/* ------------------------------------------------------------- title */

typedef struct title_parts {
  char body[GK_FOLD_MAX]; /* folded, before the year; "" when none */
  int year;               /* 0 when the title names none */
  bool standard;          /* <机关><年>年(度)<tail> exactly */
  bool about;             /* starts with 关于 */
} title_parts;

static void parse_title(const char *title, title_parts *tp) {
  memset(tp, 0, sizeof *tp);
  if (!title)
    return;
  char t[GK_FOLD_MAX];
  gk__fold(title, t, sizeof t);
  const char *p = t;
  if (gk__str_starts(p, "关于")) {
    tp->about = true;
    p += strlen("关于");
  }
  char tail[GK_FOLD_MAX];
  gk__fold(gk__title_standard_tail, tail, sizeof tail);
  for (size_t i = 0; p[i]; i++) {
    if (((unsigned char)p[i] & 0xC0) == 0x80)
      continue;
    if (i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9')
      continue;
    size_t after;
    int y = gk__year_at(p + i, &after);
    if (!y)
      continue;
    tp->year = y;
    /* "某某局关于2021年度…报告", "某某局关于报送2020年度…的函": 关于 and
     * what follows it are not part of the body's name. */
    size_t bl = i;
    const char *ab = strstr(p, "关于");
    if (ab && ab > p && (size_t)(ab - p) < bl) {
      bl = (size_t)(ab - p);
      tp->about = true;
    }
    snprintf(tp->body, sizeof tp->body, "%.*s", (int)bl, p);
    const char *rest = p + i + after;
    if (gk__str_starts(rest, "度"))
      rest += strlen("度");
    tp->standard = !tp->about && i > 0 && strcmp(rest, tail) == 0;
    return;
  }
  /* No year: the body is what comes before the standard words. */
  const char *g = strstr(p, "政府信息公开");
  if (g)
    snprintf(tp->body, sizeof tp->body, "%.*s", (int)(g - p), p);
}

static void check_title(gk__check *c, const title_parts *tp) {
  const gk_report *r = c->r;
  /* A parsed PDF's title on no line came from its document properties
   * (meta.c's fallback): said, so that a reviewer knows the body has
   * none.  The model keeps the title line and the source format, so a
   * model read back says it too. */
  if (r->title && r->title_line == 0 && r->has_provenance && r->source_format &&
      strcmp(r->source_format, "pdf") == 0)
    gk__finding(c, GK_R_META_TITLE_FROM_METADATA, 0, "title",
                "正文没有标题行，标题“%s”取自 PDF 文件的文档属性（元数据），"
                "请核对",
                r->title);
  if (!r->title) {
    gk__finding(c, GK_R_META_NO_TITLE, 0, "title",
                "找不到报告标题（写明年度和“%s”的标题）",
                gk__title_standard_tail);
    return;
  }
  if (!tp->year) {
    gk__finding(c, GK_R_META_NO_TITLE, r->title_line, "title",
                "标题“%s”没有写明报告年度", r->title);
    return;
  }
  if (tp->standard)
    return;
  const char *why = tp->about      ? "，不应写“关于”"
                    : !tp->body[0] ? "，未在年度前写明机关"
                                   : "";
  gk__finding(c, GK_R_META_TITLE_VARIANT, r->title_line, "title",
              "标题“%s”不是标准形式“<机关><年>年(度)%s”%s", r->title,
              gk__title_standard_tail, why);
}

/* ------------------------------------------------------------ bodies */

/* A body's name reduced for comparison: folded, a second name in
 * brackets dropped, a government's words (人民政府, 政府办公室 …) dropped
 * wherever they stand at the end, 街道办事处 read as 街道, and 人民政府
 * inside ("XX县人民政府竹溪街道办事处") dropped. */
static void body_key(const char *name, char *out, size_t cap) {
  char f[GK_FOLD_MAX];
  size_t len = gk__fold(name, f, sizeof f);
  if (len > 0 && f[len - 1] == ')') {
    char *open = strrchr(f, '(');
    if (open && open > f) {
      *open = '\0';
      len = (size_t)(open - f);
    }
  }
  for (bool again = true; again;) {
    again = false;
    for (int i = 0; gk__body_gov_suffixes[i]; i++) {
      size_t n = strlen(gk__body_gov_suffixes[i]);
      if (len > n && gk__str_ends(f, len, gk__body_gov_suffixes[i])) {
        len -= n;
        f[len] = '\0';
        again = true;
        break;
      }
    }
  }
  for (int i = 0; gk__body_aliases[i].from; i++) {
    const char *from = gk__body_aliases[i].from;
    if (len > strlen(from) && gk__str_ends(f, len, from)) {
      len -= strlen(from);
      snprintf(f + len, sizeof f - len, "%s", gk__body_aliases[i].to);
      len = strlen(f);
      break;
    }
  }
  /* 人民政府 inside the name: the body of a government's agency. */
  size_t k = 0;
  const char *gov = gk__body_gov_word;
  size_t gl = strlen(gov);
  for (size_t i = 0; i < len && k + 1 < cap;) {
    if (i > 0 && strncmp(f + i, gov, gl) == 0 && i + gl < len) {
      i += gl;
      continue;
    }
    /* i < len, and f holds len bytes and a NUL throughout: gk__fold()
     * wrote them, and each later cut or snprintf() puts the NUL at the new
     * len (the analyzer does not know strrchr() points inside f). */
    // NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Assign)
    out[k++] = f[i++];
  }
  out[k] = '\0';
}

/* Whether the longer name is the shorter with more of its place in
 * front: what it adds ends in a place word (省, 市, 县 …). */
static bool same_body(const char *a, const char *b) {
  if (strcmp(a, b) == 0)
    return true;
  size_t la = strlen(a), lb = strlen(b);
  const char *lng = la > lb ? a : b, *sht = la > lb ? b : a;
  size_t ll = la > lb ? la : lb, sl = la > lb ? lb : la;
  if (sl == 0 || !gk__str_ends(lng, ll, sht))
    return false;
  size_t pl = ll - sl;
  for (int i = 0; gk__body_place_marks[i]; i++)
    if (gk__str_ends(lng, pl, gk__body_place_marks[i]))
      return true;
  return false;
}

static void check_signature(gk__check *c, const title_parts *tp) {
  const gk_report *r = c->r;
  if (!r->signature_agency)
    gk__finding(c, GK_R_META_NO_SIGNATURE, 0, "agency",
                "文末没有落款机关（报告末尾找不到发布机关的名称）");
  if (!r->published)
    gk__finding(c, GK_R_META_NO_DATE, r->signature_line, "published",
                "落款没有成文日期");
  if (!r->signature_agency || !tp->body[0])
    return;
  char a[GK_FOLD_MAX], b[GK_FOLD_MAX];
  body_key(tp->body, a, sizeof a);
  body_key(r->signature_agency, b, sizeof b);
  if (!a[0] || !b[0] || same_body(a, b))
    return;
  gk__finding(c, GK_R_META_AGENCY_MISMATCH, r->signature_line, "agency",
              "标题中的机关“%s”与落款机关“%s”不一致", tp->body,
              r->signature_agency);
}

/* ------------------------------------------------------------- years */

typedef struct year_source {
  const char *what; /* "标题" */
  int year;
  uint32_t line;
} year_source;

/* The statistics period "YYYY年1月1日…12月31日" anywhere in the text, as
 * the parser's written pass recorded it. */
static bool period_year(const gk_report *r, year_source *ys) {
  if (!r->period_found)
    return false;
  ys->what = "统计期限";
  ys->year = r->period_year;
  ys->line = r->period_line;
  return true;
}

/* Part 一 opening with its year: "2024年，" or "2024年度，" at the start
 * of one of its first lines, as the parser recorded it. */
static bool body_year(const gk_report *r, year_source *ys) {
  if (!r->opening_year)
    return false;
  ys->what = "第一部分开头";
  ys->year = r->opening_year;
  ys->line = r->opening_line;
  return true;
}

/* Reports meta.year-mismatch and returns the year the dates are judged
 * on: the report's year when its sources agree; when they do not, the
 * year most of them give, else (a tie) the year the body's own sources
 * (statistics period, part 一's opening) agree on, else 0: not judged. */
static int check_years(gk__check *c, const title_parts *tp) {
  const gk_report *r = c->r;
  year_source src[3];
  size_t n = 0;
  if (tp->year) {
    src[n].what = "标题";
    src[n].year = tp->year;
    src[n].line = r->title_line;
    n++;
  }
  if (period_year(r, &src[n]))
    n++;
  if (body_year(r, &src[n]))
    n++;
  if (n < 2)
    return r->year;
  /* The majority; on a tie the title (the first source) wins. */
  int major = src[0].year, best = 0;
  for (size_t i = 0; i < n; i++) {
    int votes = 0;
    for (size_t j = 0; j < n; j++)
      votes += src[j].year == src[i].year;
    if (votes > best) {
      best = votes;
      major = src[i].year;
    }
  }
  const year_source *odd = NULL;
  for (size_t i = 0; i < n && !odd; i++)
    if (src[i].year != major)
      odd = &src[i];
  if (!odd)
    return r->year;
  int body = 0;
  for (size_t i = tp->year ? 1 : 0; i < n; i++)
    body = body == 0 || body == src[i].year ? src[i].year : -1;
  char list[256];
  list[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    size_t k = strlen(list);
    snprintf(list + k, sizeof list - k, "%s%s为 %d 年", i ? "、" : "",
             src[i].what, src[i].year);
  }
  gk_diag *d = gk__finding(c, GK_R_META_YEAR_MISMATCH, odd->line, "year",
                           "报告年度前后不一致：%s", list);
  if (d) {
    d->has_expected = 1;
    d->expected = major;
    d->actual = odd->year;
  }
  if ((size_t)best * 2 > n)
    return major;
  return body > 0 ? body : 0;
}

/* ------------------------------------------------------------- dates */

static long ymd(int y, int m, int d) {
  return (long)y * 10000 + (long)m * 100 + d;
}

/* meta.early and meta.late, judged on `year` (check_years()). */
static void check_dates(gk__check *c, int year) {
  const gk_report *r = c->r;
  int y, m, d;
  if (!r->published || year <= 0 ||
      sscanf(r->published, "%d-%d-%d", &y, &m, &d) != 3)
    return;
  /* The year judged on, when the title says another. */
  char on[96] = "";
  if (year != r->year)
    snprintf(on, sizeof on, "；标题与正文年度不一致，按正文的 %d 年度判断",
             year);
  long date = ymd(y, m, d);
  if (date < ymd(year, 12, 31)) {
    gk__finding(
        c, GK_R_META_EARLY, r->date_line, "published",
        "落款日期 %d年%d月%d日 早于报告年度 %d 年结束（%d年12月31日）%s", y, m,
        d, year, year, on);
    return;
  }
  int dm, dd;
  gk_severity sev = GK_SEV_ERROR;
  const char *who, *basis;
  if (year < 2019) {
    dm = 3, dd = 31;
    who = "所有机关";
    basis = "2019 年以前的报告适用原条例第三十一条";
  } else {
    switch (c->body) {
    case GK_BODY_DEPARTMENT:
    case GK_BODY_NATIONAL_DEPT:
      dm = 1, dd = 31;
      who = gk_body_kind_label(c->body);
      basis = "条例第四十九条第一款";
      break;
    case GK_BODY_COUNTY_GOV:
    case GK_BODY_CITY_GOV:
    case GK_BODY_PROVINCE_GOV:
      dm = 3, dd = 31;
      who = gk_body_kind_label(c->body);
      basis = "条例第四十九条第二款";
      break;
    case GK_BODY_TOWNSHIP:
      dm = c->opts.township_deadline_month;
      dd = c->opts.township_deadline_day;
      who = gk_body_kind_label(c->body);
      basis = "条例未规定乡镇、街道的期限，此处按可配置的地方期限";
      sev = GK_SEV_WARNING;
      break;
    default:
      dm = 3, dd = 31;
      who = "各类机关中最晚";
      basis = "无法从名称判断机关类型";
      break;
    }
  }
  if (date <= ymd(year + 1, dm, dd))
    return;
  gk__finding_sev(c, GK_R_META_LATE, sev, r->date_line, "published",
                  "落款日期 %d年%d月%d日 晚于%s的发布期限 %d年%d月%d日（%s%s）",
                  y, m, d, who, year + 1, dm, dd, basis, on);
}

void gk__rules_meta(gk__check *c) {
  title_parts tp;
  parse_title(c->r->title, &tp);
  check_title(c, &tp);
  check_signature(c, &tp);
  check_dates(c, check_years(c, &tp));
}
