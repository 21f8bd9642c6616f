/*
 * read_crawler.c - one crawler record to the layout (see layout.h).
 *
 * Crawlers of government portals save each report as a JSON object:
 * {"url": …, "title": …, "publish_time": …, "content": …}, where
 * `content` is the page's text (flattened: cells joined by single spaces,
 * tabs or nothing, blank cells dropped) or its HTML.  This reader takes
 * the record apart with jansson and hands the content to the text,
 * Markdown or HTML reader; the record's title becomes the first line when
 * the content does not print it (crawlers often cut the page's heading),
 * and its title and publish_time are kept as fallbacks for the metadata
 * (gk__crawler_fallbacks, after parsing).  Nothing else is read from the
 * record: its tables are whatever the content holds.
 */
#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "model.h"
#include "readers/readers.h"

/* Bytes of the record's title and publish_time kept: a title is one
 * line (the longest real ones have about 60 characters); a longer string
 * is not a title and is ignored. */
#define GK_MAX_CRAWLER_TITLE 1024

/* What a record must name besides its content: one of these members. */
static const char *const record_keys[] = {"url", "title", "publish_time", NULL};

static size_t skip_ws(const char *d, size_t len, size_t i) {
  if (i == 0 && len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < len &&
         (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
    i++;
  return i;
}

bool gk__looks_like_crawler(const char *d, size_t len) {
  size_t i = skip_ws(d, len, 0);
  if (i >= len || d[i] != '{')
    return false;
  /* A cheap test before parsing: the member names, quoted. */
  static const char content[] = "\"content\"";
  const char *end = d + len;
  bool has_content = false;
  for (const char *p = d + i; p && p < end;) {
    p = memchr(p, '"', (size_t)(end - p));
    if (!p)
      break;
    if ((size_t)(end - p) >= sizeof content - 1 &&
        memcmp(p, content, sizeof content - 1) == 0) {
      has_content = true;
      break;
    }
    p++;
  }
  return has_content;
}

/* Whether text carries HTML markup: a tag of a page's body. */
static bool has_markup(const char *t, size_t len) {
  static const char *const tags[] = {"<table", "<td", "<p>", "<p ",
                                     "<div",   "<br", "<tr", NULL};
  for (const char *p = t; p && p < t + len;) {
    p = memchr(p, '<', (size_t)(t + len - p));
    if (!p)
      break;
    for (int k = 0; tags[k]; k++) {
      size_t n = strlen(tags[k]);
      if ((size_t)(t + len - p) >= n && strncasecmp(p, tags[k], n) == 0)
        return true;
    }
    p++;
  }
  return false;
}

static const char *string_member(gk__arena *a, json_t *o, const char *key) {
  const char *s = json_string_value(json_object_get(o, key));
  if (!s || !*s || strlen(s) > GK_MAX_CRAWLER_TITLE)
    return NULL;
  /* Trimmed of white space around it. */
  while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
    s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
                   s[n - 1] == '\n'))
    n--;
  return n ? gk__arena_strndup(a, s, n) : NULL;
}

gk_status gk__read_crawler(gk_report *r, const char *data, size_t len,
                           gk__layout *out, const char **detail) {
  json_error_t err;
  size_t i = skip_ws(data, len, 0);
  json_t *root = json_loadb(data + i, len - i,
                            JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
  if (!root || !json_is_object(root)) {
    json_decref(root);
    return GK_EUNSUPPORTED; /* not JSON after all: read as text */
  }
  gk_status st = GK_OK;
  json_t *content = json_object_get(root, "content");
  bool named = false;
  for (int k = 0; record_keys[k]; k++)
    named |= json_object_get(root, record_keys[k]) != NULL;
  if (!json_is_string(content) || !named) {
    st = GK_EUNSUPPORTED; /* some other JSON: read as text */
    goto done;
  }
  r->crawler_title = string_member(&r->arena, root, "title");
  r->crawler_published = string_member(&r->arena, root, "publish_time");
  const char *c = json_string_value(content);
  size_t clen = json_string_length(content);
  /* The title as the first line when the content does not print it. */
  const char *title = r->crawler_title;
  bool prepend = title && !strstr(c, title);
  size_t tlen = prepend ? strlen(title) + 2 : 0;
  char *text = gk__arena_alloc(&r->arena, tlen + clen + 1);
  if (!text) {
    st = GK_ENOMEM;
    goto done;
  }
  if (prepend) {
    memcpy(text, title, tlen - 2);
    memcpy(text + tlen - 2, "\n\n", 2);
  }
  memcpy(text + tlen, c, clen);
  text[tlen + clen] = '\0';
  size_t n = tlen + clen;
  if (has_markup(c, clen)) {
    st = gk__read_html(r, text, n, out, detail);
  } else if (gk__looks_like_markdown(text, n)) {
    st = gk__read_markdown(r, text, n, out, detail);
  } else {
    st = gk__read_text(&r->arena, text, n, out);
  }
  if (st == GK_OK)
    out->format = "crawler";
done:
  json_decref(root);
  return st;
}

/* "2024-01-20", "2024-01-20 10:00:00", "2024/1/20", "2024年1月20日": the
 * date as YYYY-MM-DD, or NULL. */
static const char *iso_date(gk__arena *a, const char *s) {
  int y = 0, m = 0, d = 0, k = 0;
  const char *p = s;
  int *parts[3] = {&y, &m, &d};
  for (k = 0; k < 3; k++) {
    int v = 0, digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 5) {
      v = v * 10 + (*p - '0');
      p++;
      digits++;
    }
    if (!digits)
      return NULL;
    *parts[k] = v;
    if (k == 2)
      break;
    /* One separator: '-', '/', '.', or 年 / 月 (three bytes each). */
    if (*p == '-' || *p == '/' || *p == '.')
      p++;
    else if (strncmp(p, "年", 3) == 0 || strncmp(p, "月", 3) == 0)
      p += 3;
    else
      return NULL;
  }
  if (y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31)
    return NULL;
  return gk__arena_printf(a, "%04d-%02d-%02d", y, m, d);
}

void gk__crawler_fallbacks(gk_report *r) {
  if (!r->title && r->crawler_title)
    r->title = r->crawler_title;
  if (!r->published && r->crawler_published)
    r->published = iso_date(&r->arena, r->crawler_published);
}
