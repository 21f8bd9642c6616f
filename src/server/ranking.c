/*
 * ranking.c - the ranking of a year's bodies by a scoring rubric
 * (GET /api/v1/ranking?year=Y): each finding a reviewer has not dismissed
 * costs the points the rubric gives its rule, a body of the roster with no
 * report read costs the points of "unpublished"; fewer points rank first.
 *
 * The rubric is a small text file the office edits: rubric.tsv in the
 * data folder when there is one, else the default compiled in from
 * src/server/rubric/rubric.tsv (its comments say how to write it).  It is
 * read on every call, so an edit counts at the next page load.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embed.h"
#include "server.h"

extern const gk_embed_file gk_rubric_default[];

/* The rubric file: a few dozen lines; 64 KiB leaves room for comments and
 * one line per rule of the catalogue. */
#define GK_RUBRIC_MAX_BYTES ((size_t)64 << 10)
/* Lines that score (the catalogue has under 50 rules). */
#define GK_RUBRIC_MAX_ENTRIES 200
/* A rule id ("history.carry-over") or family ("history.*"). */
#define GK_RUBRIC_KEY_MAX 63
/* Points of one line: a finding should not outweigh a thousand others. */
#define GK_RUBRIC_MAX_POINTS 1000
/* Bodies ranked at once: the roster's own limit. */
#define GK_RANKING_MAX_BODIES 20000

typedef struct rubric_entry {
  char key[GK_RUBRIC_KEY_MAX + 1];
  long points;
} rubric_entry;

typedef struct rubric {
  rubric_entry e[GK_RUBRIC_MAX_ENTRIES];
  size_t n;
  long unpublished;
  const char *source; /* "rubric.tsv" or "default" */
} rubric;

/* Whether a key is a rule id, a family ("arith.*"), "*" or
 * "unpublished": lowercase letters, digits, '-', one '.'. */
static int key_ok(const char *k) {
  if (strcmp(k, "*") == 0)
    return 1;
  size_t dots = 0, n = strlen(k);
  if (n == 0)
    return 0;
  for (size_t i = 0; i < n; i++) {
    char c = k[i];
    if (c == '.')
      dots++;
    /* Two rules, kept apart: "*" only last, after a dot; else [a-z0-9-]. */
    else if (c == '*' && !(i == n - 1 && i > 0 && k[i - 1] == '.'))
      return 0; // NOLINT(bugprone-branch-clone): see above
    else if (!(c == '*' || c == '-' || (c >= 'a' && c <= 'z') ||
               (c >= '0' && c <= '9')))
      return 0;
  }
  return dots <= 1;
}

/* Parses the rubric text; 0, or -1 with msg naming the line. */
static int rubric_parse(const char *text, size_t len, rubric *r, char *msg,
                        size_t cap) {
  r->n = 0;
  r->unpublished = 0;
  size_t line_no = 0;
  const char *p = text, *end = text + len;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *a = p, *b = nl ? nl : end;
    p = nl ? nl + 1 : end;
    line_no++;
    while (b > a && (b[-1] == '\r' || b[-1] == ' ' || b[-1] == '\t'))
      b--;
    while (a < b && (*a == ' ' || *a == '\t'))
      a++;
    if (a == b || *a == '#')
      continue;
    const char *sep = a;
    while (sep < b && *sep != '\t' && *sep != ' ')
      sep++;
    size_t klen = (size_t)(sep - a);
    const char *num = sep;
    while (num < b && (*num == '\t' || *num == ' '))
      num++;
    char key[GK_RUBRIC_KEY_MAX + 1], val[16];
    size_t vlen = (size_t)(b - num);
    if (klen == 0 || klen > GK_RUBRIC_KEY_MAX || vlen == 0 ||
        vlen >= sizeof val) {
      snprintf(msg, cap, "评分规则第 %zu 行应为：规则<Tab>分值", line_no);
      return -1;
    }
    memcpy(key, a, klen);
    key[klen] = '\0';
    memcpy(val, num, vlen);
    val[vlen] = '\0';
    char *e = NULL;
    errno = 0;
    long pts = strtol(val, &e, 10);
    if (!key_ok(key) || errno || *e || pts < 0 || pts > GK_RUBRIC_MAX_POINTS) {
      snprintf(msg, cap,
               "评分规则第 %zu 行有误：规则写法不对，或分值不是 0 到 %d "
               "的整数",
               line_no, GK_RUBRIC_MAX_POINTS);
      return -1;
    }
    if (strcmp(key, "unpublished") == 0) {
      r->unpublished = pts;
      continue;
    }
    if (r->n == GK_RUBRIC_MAX_ENTRIES) {
      snprintf(msg, cap, "评分规则超过 %d 行", GK_RUBRIC_MAX_ENTRIES);
      return -1;
    }
    memcpy(r->e[r->n].key, key, klen + 1);
    r->e[r->n].points = pts;
    r->n++;
  }
  return 0;
}

/* Loads the data folder's rubric.tsv, or the default. */
static int rubric_load(const gk_server *srv, rubric *r, char *msg, size_t cap) {
  char path[4096];
  snprintf(path, sizeof path, "%s/rubric.tsv",
           srv->cfg->data_dir ? srv->cfg->data_dir : "gongkai-data");
  FILE *f = fopen(path, "rb");
  if (!f) {
    r->source = "default";
    return rubric_parse((const char *)gk_rubric_default[0].data,
                        gk_rubric_default[0].len, r, msg, cap);
  }
  char *buf = malloc(GK_RUBRIC_MAX_BYTES + 1);
  size_t n = buf ? fread(buf, 1, GK_RUBRIC_MAX_BYTES + 1, f) : 0;
  int err = ferror(f);
  fclose(f);
  int rc = -1;
  if (!buf || err)
    snprintf(msg, cap, "无法读取评分规则文件 rubric.tsv");
  else if (n > GK_RUBRIC_MAX_BYTES)
    snprintf(msg, cap, "评分规则文件 rubric.tsv 超过 64 KiB");
  else {
    r->source = "rubric.tsv";
    rc = rubric_parse(buf, n, r, msg, cap);
  }
  free(buf);
  return rc;
}

/* The points of a rule: its own line, else its family's, else "*", else
 * 0. */
static long rule_points(const rubric *r, const char *rule) {
  long fam = -1, any = -1;
  const char *dot = strchr(rule, '.');
  size_t flen = dot ? (size_t)(dot - rule) : strlen(rule);
  for (size_t i = 0; i < r->n; i++) {
    const char *k = r->e[i].key;
    if (strcmp(k, rule) == 0)
      return r->e[i].points;
    size_t kl = strlen(k);
    if (kl == flen + 2 && strncmp(k, rule, flen) == 0 && k[flen] == '.' &&
        k[flen + 1] == '*')
      fam = r->e[i].points;
    else if (strcmp(k, "*") == 0)
      any = r->e[i].points;
  }
  return fam >= 0 ? fam : any >= 0 ? any : 0;
}

typedef struct ranked {
  int64_t body, report;
  const char *name, *parent;
  long points;
  json_t *counts; /* rule family -> findings counted */
} ranked;

static int by_report(const void *a, const void *b) {
  const ranked *x = a, *y = b;
  return (x->report > y->report) - (x->report < y->report);
}

static int by_points(const void *a, const void *b) {
  const ranked *x = a, *y = b;
  if (x->points != y->points)
    return x->points < y->points ? -1 : 1;
  return strcmp(x->name, y->name);
}

int gk_ranking(gk_server *srv, const char *year, const char *body_scope,
               const char *report_scope, json_t **out, char *msg, size_t cap) {
  *out = NULL;
  rubric *rb = malloc(sizeof *rb);
  if (!rb) {
    snprintf(msg, cap, "内存不足");
    return 500;
  }
  if (rubric_load(srv, rb, msg, cap) != 0) {
    free(rb);
    return 500;
  }
  gk_store *s = srv->store;
  gk_param p[] = {GK_TEXT(year)};
  gk_rows *b = NULL, *f = NULL;
  ranked *v = NULL;
  int status = 500;
  char qb[1024], qf[1024];
  snprintf(qb, sizeof qb,
           "SELECT g.id, g.name, pg.name, (SELECT max(x.id) FROM reports x "
           "WHERE x.region_id = g.id AND x.year = ro.year AND x.state = "
           "'done') FROM roster ro JOIN regions g ON g.id = ro.region_id "
           "LEFT JOIN regions pg ON pg.id = g.parent_id WHERE ro.year = $1 "
           "AND %s",
           body_scope);
  snprintf(qf, sizeof qf,
           "SELECT f.report_id, f.rule FROM findings f JOIN reports r ON "
           "r.id = f.report_id WHERE r.year = $1 AND r.region_id IS NOT NULL "
           "AND f.status <> 'dismissed' AND %s",
           report_scope);
  if (gk_store_query(s, qb, p, 1, &b) != 0 ||
      gk_store_query(s, qf, p, 1, &f) != 0) {
    snprintf(msg, cap, "数据库错误，请稍后重试");
    goto out;
  }
  size_t n = gk_rows_count(b);
  if (n > GK_RANKING_MAX_BODIES) {
    snprintf(msg, cap, "名单中的机关过多（最多 %d 个）", GK_RANKING_MAX_BODIES);
    status = 413;
    goto out;
  }
  v = calloc(n ? n : 1, sizeof *v);
  if (!v) {
    snprintf(msg, cap, "内存不足");
    goto out;
  }
  for (size_t i = 0; i < n; i++) {
    v[i].body = gk_rows_int(b, i, 0, 0);
    v[i].name = gk_rows_get(b, i, 1, NULL);
    v[i].parent = gk_rows_get(b, i, 2, NULL);
    v[i].report = gk_rows_int(b, i, 3, 0);
    v[i].points = v[i].report ? 0 : rb->unpublished;
    v[i].counts = json_object();
  }
  qsort(v, n, sizeof *v, by_report);
  for (size_t i = 0; i < gk_rows_count(f); i++) {
    ranked key = {.report = gk_rows_int(f, i, 0, 0)};
    ranked *hit = key.report ? bsearch(&key, v, n, sizeof *v, by_report) : NULL;
    const char *rule = gk_rows_get(f, i, 1, NULL);
    if (!hit || !rule)
      continue; /* a finding of an older report of the body */
    hit->points += rule_points(rb, rule);
    char fam[GK_RUBRIC_KEY_MAX + 1];
    snprintf(fam, sizeof fam, "%.*s", (int)strcspn(rule, "."), rule);
    json_t *c = json_object_get(hit->counts, fam);
    json_object_set_new(hit->counts, fam,
                        json_integer(c ? json_integer_value(c) + 1 : 1));
  }
  qsort(v, n, sizeof *v, by_points);
  json_t *bodies = json_array(), *rules = json_array();
  long rank = 0;
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || v[i].points != v[i - 1].points)
      rank = (long)i + 1; /* ties share a rank: 1, 2, 2, 4 */
    json_array_append_new(
        bodies, json_pack("{s:i,s:I,s:s,s:s?,s:o,s:i,s:o}", "rank", (int)rank,
                          "body_id", (json_int_t)v[i].body, "name", v[i].name,
                          "parent", v[i].parent, "report_id",
                          v[i].report ? json_integer(v[i].report) : json_null(),
                          "points", (int)v[i].points, "counts", v[i].counts));
    v[i].counts = NULL;
  }
  for (size_t i = 0; i < rb->n; i++)
    json_array_append_new(rules, json_pack("{s:s,s:i}", "rule", rb->e[i].key,
                                           "points", (int)rb->e[i].points));
  *out = json_pack("{s:s,s:i,s:o,s:o}", "rubric", rb->source, "unpublished",
                   (int)rb->unpublished, "rules", rules, "bodies", bodies);
  status = *out ? 200 : 500;
  if (!*out)
    snprintf(msg, cap, "内存不足");
out:
  for (size_t i = 0; v && i < gk_rows_count(b); i++)
    json_decref(v[i].counts);
  free(v);
  gk_rows_free(b);
  gk_rows_free(f);
  free(rb);
  return status;
}
