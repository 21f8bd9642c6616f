/*
 * body.c - the kind of body that issued a report, told from its name.
 *
 * The kind decides the publication deadline (条例 第四十九条, meta.late)
 * and whether the body may make 规章 (text.rulemaking).  The name is the
 * signature's body or, failing that, the title; a title is cut to the
 * body before its year ("XX县青石镇2024年政府信息公开…" → "XX县青石镇").
 * The words come from src/format (gk__body_*); the order in which they
 * are tried is here:
 *
 *   1. 平潭's 片区管理局 are township-level.
 *   2. A trailing 人民政府 / 政府 (and 办公厅, 办公室: a government's
 *      general office counts as the government, as its report is the
 *      government's) is dropped; the rest is the place.
 *   3. A place ending in 乡, 镇, 苏木 or 街道 (办事处) is a township.
 *   4. A government is classed by its place: 直辖市 and 省/自治区 are
 *      provinces; 自治州, 州, 地区, 盟 and 市 are cities; 县, 旗, 区 … are
 *      counties.  A 市 is a county-level city when a prefecture (市, 州,
 *      地区, 盟) is named before it inside the place ("苏州市昆山市",
 *      "恩施州利川市"); otherwise it is taken as a 设区的市.
 *   5. The 管理委员会 / 管委会 of a zone (XX开发区管委会, a 派出机构 of a
 *      government) are not told.
 *   6. A name starting with 国家, 国务院, 中国 … is a State Council
 *      department unless a place follows (国家税务总局XX市税务局 is a
 *      local branch: a department).
 *   7. A name ending in 部, 署, 总局 with no place in it (教育部, 审计署)
 *      is a State Council department; any other name ending in a
 *      department's word (局, 厅, 委员会, 办公室, 中心 …) is a department
 *      of a local government.
 *   8. A bare place ("淮安市", "洪泽区") is classed as its government,
 *      except zones (开发区, 高新区 …) whose body the name does not tell.
 *
 * Limits, by design of a name-only test:
 * - A county-level city named only with its province ("浙江省义乌市") or
 *   alone ("义乌市") is taken as a city.  Both kinds have the same
 *   deadline; the error only matters for 规章 (a 设区的市 may make them),
 *   where it errs towards saying nothing.
 * - The level of a department (province, city or county) is not told.
 * - Party bodies, courts and companies are classed by their last word.
 * Anything else is GK_BODY_UNKNOWN: the rules then take the most lenient
 * reading.
 */
#include "base/fold.h"
#include "checks.h"

/* The word of `list` that ends s[0, len) with at least one character
 * before it, or NULL. */
static const char *ending(const char *s, size_t len, const char *const *list) {
  for (int i = 0; list[i]; i++) {
    size_t n = strlen(list[i]);
    if (len > n && memcmp(s + len - n, list[i], n) == 0)
      return list[i];
  }
  return NULL;
}

static bool is_boundary(const char *s, size_t i) {
  return ((unsigned char)s[i] & 0xC0) != 0x80;
}

/* Whether a place mark of `marks` sits in s[0, len) after at least one
 * character and before at least `after` more bytes, and is not part of a
 * word such as 市场 that only looks like a place. */
static bool has_mark(const char *s, size_t len, const char *const *marks,
                     size_t after) {
  for (size_t i = 1; i < len; i++) {
    if (!is_boundary(s, i))
      continue;
    for (int m = 0; marks[m]; m++) {
      size_t n = strlen(marks[m]);
      if (i + n + after > len || memcmp(s + i, marks[m], n) != 0)
        continue;
      bool inside_word = false;
      for (int w = 0; gk__body_not_places[w] && !inside_word; w++) {
        const char *np = gk__body_not_places[w];
        size_t nl = strlen(np);
        for (size_t j = i >= nl ? i - nl + 1 : 0; j <= i && !inside_word; j++)
          inside_word = j + nl <= len && is_boundary(s, j) &&
                        memcmp(s + j, np, nl) == 0 && j + nl > i;
      }
      if (!inside_word)
        return true;
    }
  }
  return false;
}

/* The bytes a province at the start of a place takes ("贵州省",
 * "上海市"), or 0: a province's own name may hold a mark (贵州). */
static size_t province_prefix(const char *s, size_t len) {
  for (int i = 0; gk__body_province_names[i]; i++) {
    size_t n = strlen(gk__body_province_names[i]);
    if (n < len && memcmp(s, gk__body_province_names[i], n) == 0)
      return n;
  }
  for (size_t i = 1; i < len; i++) {
    if (!is_boundary(s, i))
      continue;
    for (int k = 0; gk__body_province_suffixes[k]; k++) {
      size_t n = strlen(gk__body_province_suffixes[k]);
      if (i + n < len && memcmp(s + i, gk__body_province_suffixes[k], n) == 0)
        return i + n;
    }
  }
  return 0;
}

/* The kind of government of a place ("淮安市", "洪泽区"); `gov` says the
 * name said 人民政府, which makes a zone's 区 a county. */
static gk_body_kind place_kind(const char *s, size_t len, bool gov) {
  for (int i = 0; gk__body_province_names[i]; i++)
    if (strlen(gk__body_province_names[i]) == len &&
        memcmp(s, gk__body_province_names[i], len) == 0)
      return GK_BODY_PROVINCE_GOV;
  if (ending(s, len, gk__body_province_suffixes))
    return GK_BODY_PROVINCE_GOV;
  const char *city = ending(s, len, gk__body_city_suffixes);
  if (city) {
    /* A prefecture (市, 州, 地区, 盟: the city suffixes) named inside the
     * place after its province, with more after it: the last 市 is
     * county-level.  A prefecture's own name may end in 州 (杭州市): only
     * a mark with characters after it counts. */
    size_t from = province_prefix(s, len);
    if (has_mark(s + from, len - strlen(city) - from, gk__body_city_suffixes,
                 1))
      return GK_BODY_COUNTY_GOV;
    return GK_BODY_CITY_GOV;
  }
  if (ending(s, len, gk__body_county_suffixes)) {
    if (!gov && ending(s, len, gk__body_zone_suffixes))
      return GK_BODY_UNKNOWN;
    return GK_BODY_COUNTY_GOV;
  }
  return GK_BODY_UNKNOWN;
}

/* Whether s[0, len) ends in a township's word with a place before it. */
static bool is_township(const char *s, size_t len) {
  return ending(s, len, gk__body_township_suffixes) != NULL;
}

/* A year "2024年" or "二〇二四年" starting at s[i]: returns the bytes it
 * takes, else 0. */
static size_t year_at(const char *s, size_t len, size_t i) {
  size_t j = i;
  int n = 0;
  while (j < len && n < 4) {
    if (s[j] >= '0' && s[j] <= '9') {
      j++;
      n++;
      continue;
    }
    int32_t cp;
    size_t m = gk__utf8_decode(s + j, len - j, &cp);
    static const int32_t cn[] = {0x3007, 0x96F6, 0x4E00, 0x4E8C,
                                 0x4E09, 0x56DB, 0x4E94, 0x516D,
                                 0x4E03, 0x516B, 0x4E5D, 0x25CB};
    bool digit = false;
    for (size_t k = 0; k < sizeof cn / sizeof cn[0]; k++)
      digit |= cp == cn[k];
    if (!digit)
      break;
    j += m;
    n++;
  }
  if (n != 4 || !gk__str_starts(s + j, "年"))
    return 0;
  return j + strlen("年") - i;
}

/* Cuts a title, or a name with noise around it, down to the body's name
 * in place; returns its length. */
static size_t body_of(char *s, size_t len) {
  if (gk__str_starts(s, "关于")) {
    size_t n = strlen("关于");
    memmove(s, s + n, len - n + 1);
    len -= n;
  }
  /* The body ends where the year starts; a title that starts with the
   * year names the body after it. */
  for (size_t i = 0; i < len; i++) {
    if (!is_boundary(s, i))
      continue;
    size_t y = year_at(s, len, i);
    if (!y)
      continue;
    if (i > 0) {
      len = i;
    } else {
      size_t skip = y;
      if (gk__str_starts(s + skip, "度"))
        skip += strlen("度");
      memmove(s, s + skip, len - skip + 1);
      len -= skip;
    }
    break;
  }
  s[len] = '\0';
  const char *g = strstr(s, "政府信息公开");
  if (g) {
    len = (size_t)(g - s);
    if (gk__str_ends(s, len, "人民"))
      len -= strlen("人民");
  }
  /* A second name in brackets: "XX局(XX办)". */
  if (len > 0 && s[len - 1] == ')') {
    for (size_t i = len - 1; i-- > 0;) {
      if (s[i] == '(') {
        len = i;
        break;
      }
    }
  }
  s[len] = '\0';
  return len;
}

gk_body_kind gk__body_kind(const char *name) {
  if (!name)
    return GK_BODY_UNKNOWN;
  char s[GK_FOLD_MAX];
  size_t len = gk__fold(name, s, sizeof s);
  len = body_of(s, len);
  if (len == 0)
    return GK_BODY_UNKNOWN;

  for (int i = 0; gk__body_township_zones[i].suffix; i++)
    if (gk__str_ends(s, len, gk__body_township_zones[i].suffix) &&
        strstr(s, gk__body_township_zones[i].place))
      return GK_BODY_TOWNSHIP;

  const char *gov = ending(s, len, gk__body_gov_suffixes);
  size_t place_len = gov ? len - strlen(gov) : len;
  if (is_township(s, place_len))
    return GK_BODY_TOWNSHIP;
  if (gov)
    return place_kind(s, place_len, true);

  const char *agency = ending(s, len, gk__body_agency_suffixes);
  if (agency && ending(s, len - strlen(agency), gk__body_county_suffixes))
    return GK_BODY_UNKNOWN;

  for (int i = 0; gk__body_national_prefixes[i]; i++) {
    const char *p = gk__body_national_prefixes[i];
    if (!gk__str_starts(s, p))
      continue;
    size_t n = strlen(p);
    /* A place after the prefix, even at its very start ("国家税务总局
     * 上海市税务局"): has_mark wants a character before the mark, which
     * the place name itself supplies. */
    if (has_mark(s + n, len - n, gk__body_place_marks, 0))
      return GK_BODY_DEPARTMENT;
    return GK_BODY_NATIONAL_DEPT;
  }
  bool place = has_mark(s, len, gk__body_place_marks, 0);
  if (!place && ending(s, len, gk__body_national_suffixes))
    return GK_BODY_NATIONAL_DEPT;
  if (ending(s, len, gk__body_dept_suffixes))
    return GK_BODY_DEPARTMENT;
  return place_kind(s, len, false);
}
