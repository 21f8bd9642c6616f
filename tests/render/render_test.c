/*
 * render_test.c - gk_report_render(), gk_read_model_json() and
 * gk_report_template(), through the public API only.
 *
 *   render_test [--update] [TEST...]
 *
 * The round-trip property: every report with 2019 or 2021 tables among the
 * made-up cases of tests/golden/cases, examples/ and, when the shared
 * folder exists, its seeds and corpus, is parsed (the made-up JSON models
 * of tests/render/cases are read as models: a 2019 report, decimals, a
 * negative 本年增/减, blank cells), rendered in each format, and parsed
 * again; the two models must have the same edition, year,
 * agency and date and the same tables, cell by cell (a null cell stays
 * null, a number keeps its value).  One test per format.  A format whose
 * reader is not in the library yet (the bytes are refused as unsupported,
 * or read back as another format) is reported SKIPPED, not failed.
 * roundtrip_json does the same through the JSON model, as
 * `gongkai parse | gongkai render -` does.
 *
 * The golden renderings: the example report rendered as text, Markdown
 * and HTML beside tests/render/expected/; --update rewrites them (review
 * the diff before committing).  The rest: the template renders clean and
 * refuses numbers that do not add up with the exact findings; the JSON
 * reader refuses what is not a valid model; the DOCX has its parts and
 * real merged cells.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "harness.h"

#ifndef GK_CASES_DIR
#define GK_CASES_DIR "tests/golden/cases"
#endif
#ifndef GK_MODELS_DIR
#define GK_MODELS_DIR "tests/render/cases"
#endif
#ifndef GK_EXAMPLES_DIR
#define GK_EXAMPLES_DIR "examples"
#endif
#ifndef GK_EXPECTED_DIR
#define GK_EXPECTED_DIR "tests/render/expected"
#endif
#ifndef GK_SHARED_DIR
#define GK_SHARED_DIR "../shared"
#endif

#define EXAMPLE "青石镇2024年政府信息公开工作年度报告"

static bool update;

/* ----------------------------------------------------------- helpers */

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap + 1);
  while (buf) {
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (n < cap)
      break;
    char *nb = realloc(buf, cap * 2 + 1);
    if (!nb) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = nb;
    cap *= 2;
  }
  fclose(f);
  if (buf) {
    buf[n] = '\0';
    *len = n;
  }
  return buf;
}

static bool is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The files of a folder, sorted, without hidden ones and without the
 * expected models (.json) beside golden cases; NULL-terminated. */
static char **list_files(const char *dir, bool skip_json) {
  struct dirent **names = NULL;
  int n = scandir(dir, &names, NULL, alphasort);
  if (n < 0)
    return calloc(1, sizeof(char *));
  char **out = calloc((size_t)n + 1, sizeof *out);
  size_t k = 0;
  for (int i = 0; i < n; i++) {
    const char *nm = names[i]->d_name;
    size_t l = strlen(nm);
    bool json = l > 5 && strcmp(nm + l - 5, ".json") == 0;
    if (out && nm[0] != '.' && !(skip_json && json)) {
      size_t need = strlen(dir) + l + 2;
      char *p = malloc(need);
      if (p) {
        snprintf(p, need, "%s/%s", dir, nm);
        if (is_dir(p))
          free(p);
        else
          out[k++] = p;
      }
    }
    free(names[i]);
  }
  free(names);
  return out;
}

static void free_list(char **l) {
  for (size_t i = 0; l && l[i]; i++)
    free(l[i]);
  free(l);
}

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

static bool str_same(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

/* Whether cell `path` holds a number in r. */
static bool has_value(const gk_report *r, const char *table, const char *row,
                      const char *col, bool scalar) {
  char p[GK_CELL_PATH_MAX];
  if (scalar)
    snprintf(p, sizeof p, "%s.%s", table, row);
  else
    snprintf(p, sizeof p, "%s.%s.%s", table, row, col);
  return gk_report_cell(r, p, NULL, NULL) == GK_OK;
}

/*
 * A row whose first or last cell is blank, read back null throughout: in
 * real tables (HTML, DOCX, Markdown) a merged row label leaves empty
 * positions before the numbers, and such a row fits two placements by
 * position alone; the parser places it by the header's grid columns.
 * The case is named in the message because it is the one to look at
 * first if it ever comes back; it fails like any other difference.
 */
static bool edge_blank_row(const gk_report *orig, const gk_report *back,
                           const gk_cell_info *cell) {
  const char *first = NULL, *last = NULL;
  bool back_any = false, scalar = false;
  size_t n = gk_cell_count(GK_EDITION_UNKNOWN);
  for (size_t i = 0; i < n; i++) {
    gk_cell_info ci;
    if (gk_cell_get(GK_EDITION_UNKNOWN, i, &ci) != GK_OK ||
        strcmp(ci.table, cell->table) != 0 || strcmp(ci.row, cell->row) != 0)
      continue;
    /* A row that holds one bare number has no path with its column. */
    scalar = strchr(ci.path + strlen(ci.table) + 1, '.') == NULL;
    if (gk_report_cell(orig, ci.path, NULL, NULL) == GK_EINVAL)
      continue;
    if (!first)
      first = ci.column;
    last = ci.column;
    back_any |= gk_report_cell(back, ci.path, NULL, NULL) == GK_OK;
  }
  if (!first || back_any || scalar)
    return false;
  return !has_value(orig, cell->table, cell->row, first, false) ||
         !has_value(orig, cell->table, cell->row, last, false);
}

typedef struct diffs {
  int all;   /* differences */
  int known; /* of which the parser's known limitation (edge_blank_row) */
} diffs;

/* Compares two models' metadata and every cell of the union listing;
 * prints each difference prefixed with `what`. */
static diffs compare(const char *what, const gk_report *a, const gk_report *b) {
  gk_meta ma, mb;
  gk_report_meta(a, &ma);
  gk_report_meta(b, &mb);
  diffs d = {0, 0};
#define DIFF(...)                                                              \
  do {                                                                         \
    if (d.all++ < 8) {                                                         \
      printf("  %s: ", what);                                                  \
      printf(__VA_ARGS__);                                                     \
      printf("\n");                                                            \
    }                                                                          \
  } while (0)
  if (ma.edition != mb.edition)
    DIFF("edition %d, read back %d", (int)ma.edition, (int)mb.edition);
  if (ma.year != mb.year)
    DIFF("year %d, read back %d", ma.year, mb.year);
  if (!str_same(ma.agency, mb.agency))
    DIFF("agency %s, read back %s", ma.agency ? ma.agency : "null",
         mb.agency ? mb.agency : "null");
  if (!str_same(ma.published, mb.published))
    DIFF("published %s, read back %s", ma.published ? ma.published : "null",
         mb.published ? mb.published : "null");
  size_t n = gk_cell_count(GK_EDITION_UNKNOWN);
  for (size_t i = 0; i < n; i++) {
    gk_cell_info ci;
    if (gk_cell_get(GK_EDITION_UNKNOWN, i, &ci) != GK_OK)
      continue;
    int64_t va = 0, vb = 0;
    int sa = 0, sb = 0;
    gk_status x = gk_report_cell(a, ci.path, &va, &sa);
    gk_status y = gk_report_cell(b, ci.path, &vb, &sb);
    if (x != y) {
      char sx[32] = "null", sy[32] = "null";
      if (x == GK_OK)
        snprintf(sx, sizeof sx, "%lld/10^%d", (long long)va, sa);
      if (y == GK_OK)
        snprintf(sy, sizeof sy, "%lld/10^%d", (long long)vb, sb);
      bool known = x == GK_OK && y == GK_ENOENT && edge_blank_row(a, b, &ci);
      d.known += known;
      DIFF("%s: %s, read back %s%s", ci.path, x == GK_EINVAL ? "(no cell)" : sx,
           y == GK_EINVAL ? "(no cell)" : sy,
           known ? " (row with a blank first or last cell)" : "");
      continue;
    }
    if (x != GK_OK)
      continue;
    /* value / 10^scale, compared exactly: scales are at most 6 and values
     * at most 10^12. */
    int64_t xa = va, xb = vb;
    for (int k = sa; k < sb; k++)
      xa *= 10;
    for (int k = sb; k < sa; k++)
      xb *= 10;
    if (xa != xb)
      DIFF("%s: %lld/10^%d, read back %lld/10^%d", ci.path, (long long)va, sa,
           (long long)vb, sb);
  }
#undef DIFF
  if (d.all > 8)
    printf("  %s: … %d differences in all\n", what, d.all);
  return d;
}

/* Whether a parsed report is one the property covers: tables of the 2019
 * or 2021 edition. */
static bool has_tables(const gk_report *r) {
  gk_meta m;
  gk_report_meta(r, &m);
  if (m.edition != GK_EDITION_2019 && m.edition != GK_EDITION_2021)
    return false;
  size_t n = gk_cell_count(m.edition);
  for (size_t i = 0; i < n; i++) {
    gk_cell_info ci;
    if (gk_cell_get(m.edition, i, &ci) != GK_OK)
      continue;
    gk_status st = gk_report_cell(r, ci.path, NULL, NULL);
    if (st == GK_OK)
      return true;
  }
  return false;
}

/* The inputs of the property: made-up cases, examples, and the shared
 * seeds and corpus when present. */
static char **inputs(void) {
  const char *dirs[5] = {GK_CASES_DIR, GK_EXAMPLES_DIR, GK_MODELS_DIR, NULL,
                         NULL};
  char seeds[1024], corpus[1024];
  if (is_dir(GK_SHARED_DIR)) {
    snprintf(seeds, sizeof seeds, "%s/seeds", GK_SHARED_DIR);
    snprintf(corpus, sizeof corpus, "%s/corpus/raw", GK_SHARED_DIR);
    dirs[3] = seeds;
    dirs[4] = corpus;
  }
  size_t n = 0, cap = 64;
  char **all = calloc(cap + 1, sizeof *all);
  for (int d = 0; d < 5 && all; d++) {
    if (!dirs[d])
      continue;
    bool golden = d == 0;
    char **l = list_files(dirs[d], golden);
    for (size_t i = 0; l && l[i]; i++) {
      const char *nm = base_name(l[i]);
      size_t ln = strlen(nm);
      /* examples/ also holds its README. */
      if (d == 1 && ln > 3 && strcmp(nm + ln - 3, ".md") == 0)
        continue;
      if (n == cap) {
        char **na = realloc(all, (cap * 2 + 1) * sizeof *all);
        if (!na)
          break;
        all = na;
        cap *= 2;
      }
      all[n++] = strdup(l[i]);
      all[n] = NULL;
    }
    free_list(l);
  }
  return all;
}

/* Reads an input of the property: a JSON model from GK_MODELS_DIR, any
 * other file as a report. */
static gk_status read_input(const char *path, gk_report **out) {
  size_t n = strlen(path), m = strlen(GK_MODELS_DIR);
  if (!(n > m && strncmp(path, GK_MODELS_DIR, m) == 0 && path[m] == '/'))
    return gk_read_file(path, NULL, out, NULL);
  size_t len = 0;
  char *json = slurp(path, &len);
  if (!json)
    return GK_EIO;
  const char *detail = NULL;
  gk_status st = gk_read_model_json(json, len, out, &detail);
  if (st != GK_OK)
    printf("  %s: %s %s\n", path, gk_status_name(st), detail ? detail : "");
  free(json);
  return st;
}

/* What the reader reports as source.format for a rendering. */
static const char *read_name(gk_render_format f) {
  switch (f) {
  case GK_RENDER_TXT:
    return "text";
  case GK_RENDER_MD:
    return "markdown";
  case GK_RENDER_HTML:
    return "html";
  default:
    return "docx";
  }
}

/*
 * The property for one format: parse → (JSON →) render → parse.  A
 * report the format's reader cannot read back because the reader is not
 * there yet makes the format SKIPPED.
 */
static void roundtrip(gk_render_format fmt, bool via_json) {
  char **files = inputs();
  if (!CHECK_NOT_NULL(files))
    return;
  const char *fname = gk_render_format_name(fmt);
  int covered = 0, passed = 0, failed = 0, known = 0;
  const char *skipped = NULL;
  for (size_t i = 0; files[i] && !skipped; i++) {
    gk_report *orig = NULL;
    if (read_input(files[i], &orig) != GK_OK)
      continue;
    if (!has_tables(orig)) {
      gk_report_free(orig);
      continue;
    }
    covered++;
    char what[512];
    snprintf(what, sizeof what, "%s → %s%s", base_name(files[i]),
             via_json ? "json → " : "", fname);
    gk_report *model = orig, *from_json = NULL;
    if (via_json) {
      char *json = NULL;
      size_t jlen = 0;
      const char *detail = NULL;
      gk_status st = gk_report_to_json(orig, 0, &json, &jlen);
      if (st == GK_OK)
        st = gk_read_model_json(json, jlen, &from_json, &detail);
      free(json);
      if (st != GK_OK) {
        printf("  %s: the JSON model does not read back: %s %s\n", what,
               gk_status_name(st), detail ? detail : "");
        failed++;
        gk_report_free(orig);
        continue;
      }
      /* The JSON reader keeps the model exactly. */
      if (compare("json", orig, from_json).all != 0)
        failed++;
      model = from_json;
    }
    char *doc = NULL;
    size_t len = 0;
    gk_status st = gk_report_render(model, fmt, &doc, &len);
    gk_report *back = NULL;
    const char *detail = NULL;
    if (st == GK_OK)
      st = gk_read_buffer(doc, len, "rendered", NULL, &back, &detail);
    free(doc);
    gk_meta mb;
    if (st == GK_OK)
      gk_report_meta(back, &mb);
    if (st == GK_EUNSUPPORTED ||
        (st == GK_OK && strcmp(mb.source_format, read_name(fmt)) != 0)) {
      skipped = st == GK_OK ? mb.source_format : gk_strerror(st);
      if (st == GK_OK && detail == NULL)
        detail = "";
      printf(
          "SKIPPED %s: the %s reader is not available (read back as %s%s%s)\n",
          gk_test_current, fname, skipped, detail && *detail ? "：" : "",
          detail ? detail : "");
    } else if (st != GK_OK) {
      printf("  %s: rendering does not read back: %s %s\n", what,
             gk_status_name(st), detail ? detail : "");
      failed++;
    } else {
      diffs d = compare(what, model, back);
      if (d.all == 0) {
        passed++;
      } else {
        failed++;
      }
    }
    gk_report_free(back);
    gk_report_free(from_json);
    gk_report_free(orig);
  }
  free_list(files);
  if (!skipped)
    printf("  %s%s: %d reports with tables, %d round-trip, %d known "
           "parser limitation, %d fail\n",
           via_json ? "json → " : "", fname, covered, passed, known, failed);
  CHECK_INT_EQ(failed, 0);
  if (!skipped)
    CHECK_TRUE(covered > 0);
}

TEST(roundtrip_txt) { roundtrip(GK_RENDER_TXT, false); }
TEST(roundtrip_md) { roundtrip(GK_RENDER_MD, false); }
TEST(roundtrip_html) { roundtrip(GK_RENDER_HTML, false); }
TEST(roundtrip_docx) { roundtrip(GK_RENDER_DOCX, false); }
TEST(roundtrip_json) { roundtrip(GK_RENDER_TXT, true); }

/* ------------------------------------------------------------ golden */

static void golden(gk_render_format fmt, const char *ext) {
  char in[1024], exp[1024];
  snprintf(in, sizeof in, "%s/%s.txt", GK_EXAMPLES_DIR, EXAMPLE);
  snprintf(exp, sizeof exp, "%s/%s.%s", GK_EXPECTED_DIR, EXAMPLE, ext);
  gk_report *r = NULL;
  if (!CHECK_STATUS(GK_OK, gk_read_file(in, NULL, &r, NULL)))
    return;
  char *doc = NULL;
  size_t len = 0;
  CHECK_STATUS(GK_OK, gk_report_render(r, fmt, &doc, &len));
  gk_report_free(r);
  if (!doc)
    return;
  if (update) {
    FILE *f = fopen(exp, "wb");
    if (CHECK_NOT_NULL(f)) {
      fwrite(doc, 1, len, f);
      fclose(f);
      printf("  updated %s\n", exp);
    }
  } else {
    size_t elen = 0;
    char *want = slurp(exp, &elen);
    if (CHECK_NOT_NULL(want) && !(elen == len && memcmp(want, doc, len) == 0)) {
      /* The first line that differs. */
      size_t k = 0, line = 1;
      while (k < len && k < elen && want[k] == doc[k])
        line += doc[k++] == '\n';
      printf("  %s differs from the rendering at line %zu "
             "(render_test --update rewrites it)\n",
             exp, line);
      CHECK_TRUE(false);
    }
    free(want);
  }
  free(doc);
}

TEST(golden_txt) { golden(GK_RENDER_TXT, "txt"); }
TEST(golden_md) { golden(GK_RENDER_MD, "md"); }
TEST(golden_html) { golden(GK_RENDER_HTML, "html"); }

/* The txt rendering lays tables out as Word saves them as text: one field
 * per cell, a merged cell one field, a cell merged down from above an
 * empty field. */
TEST(txt_word_layout) {
  char in[1024];
  snprintf(in, sizeof in, "%s/%s.txt", GK_EXAMPLES_DIR, EXAMPLE);
  gk_report *r = NULL;
  if (!CHECK_STATUS(GK_OK, gk_read_file(in, NULL, &r, NULL)))
    return;
  char *doc = NULL;
  size_t len = 0;
  CHECK_STATUS(GK_OK, gk_report_render(r, GK_RENDER_TXT, &doc, &len));
  gk_report_free(r);
  static const char *const lines[] = {
      "XX县青石镇2024年政府信息公开工作年度报告\n\n一、总体情况\n",
      "\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效"
      "件数\n规章\t0\t0\t0\n行政规范性文件\t2\t1\t9\n第二十条第（五）项\n"
      "信息内容\t本年处理决定数量\n行政许可\t36\n",
      "\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
      "\t申请人情况\n\t自然人\t法人或其他组织\t总计\n\t\t商业企业\t科研机构"
      "\t社会公益组织\t法律服务机构\t其他\t\n一、本年新收政府信息公开申请数量"
      "\t9\t2\t0\t0\t1\t0\t12\n",
      "\n三、本年度办理结果\t（一）予以公开\t4\t1\t0\t0\t1\t0\t6\n\t（二）",
      "\n\t（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0\n\t\t2.",
      "\n\t\t2.重复申请\t1\t\t0\t0\t0\t0\t1\n",
      "\n\t（七）总计\t9\t2\t0\t0\t1\t0\t12\n四、结转下年度继续办理\t1\t0"
      "\t0\t0\t0\t0\t1\n\n",
      "\n行政复议\t行政诉讼\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t"
      "未经复议直接起诉\t复议后起诉\n\t\t\t\t\t结果维持\t",
      "\n1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n",
      "\nXX县青石镇人民政府\n2025年1月20日\n",
  };
  for (size_t i = 0; doc && i < sizeof lines / sizeof lines[0]; i++)
    if (!CHECK_TRUE(strstr(doc, lines[i]) != NULL))
      printf("  missing: %s\n", lines[i]);
  free(doc);
}

/* ---------------------------------------------------------- template */

/* The template as JSON, with cells set by path ("applications.received.
 * natural_person"), read back. */
static gk_report *filled(int year, const char *const *paths,
                         const long long *values, size_t n) {
  gk_report *t = NULL;
  if (!CHECK_STATUS(GK_OK, gk_report_template(year, "XX县青石镇人民政府", &t)))
    return NULL;
  char *json = NULL;
  size_t len = 0;
  CHECK_STATUS(GK_OK, gk_report_to_json(t, GK_JSON_PRETTY, &json, &len));
  gk_report_free(t);
  json_error_t err;
  json_t *root = json ? json_loadb(json, len, 0, &err) : NULL;
  free(json);
  if (!CHECK_NOT_NULL(root))
    return NULL;
  for (size_t i = 0; i < n; i++) {
    char p[128];
    snprintf(p, sizeof p, "%s", paths[i]);
    json_t *obj = root;
    char *save = NULL, *key = strtok_r(p, ".", &save), *next;
    while (obj && key && (next = strtok_r(NULL, ".", &save))) {
      obj = json_object_get(obj, key);
      key = next;
    }
    if (CHECK_NOT_NULL(obj))
      json_object_set_new(obj, key, json_integer(values[i]));
  }
  /* The date a clerk fills in. */
  json_object_set_new(root, "published", json_string("2025-01-20"));
  char *out = json_dumps(root, JSON_INDENT(2));
  json_decref(root);
  gk_report *r = NULL;
  const char *detail = NULL;
  gk_status st = gk_read_model_json(out, out ? strlen(out) : 0, &r, &detail);
  if (!CHECK_STATUS(GK_OK, st))
    printf("  %s\n", detail ? detail : "");
  free(out);
  return r;
}

static size_t count_blocking(const gk_report *r) {
  size_t n = 0;
  for (size_t i = 0; i < gk_report_diag_count(r); i++) {
    const gk_diag *d = gk_report_diag(r, i);
    if (d->severity == GK_SEV_ERROR &&
        (strncmp(d->rule, "arith.", 6) == 0 ||
         strncmp(d->rule, "structure.", 10) == 0))
      n++;
  }
  return n;
}

TEST(template_is_blank_and_clean) {
  gk_report *r = NULL;
  if (!CHECK_STATUS(GK_OK, gk_report_template(2024, "XX县青石镇人民政府", &r)))
    return;
  gk_meta m;
  gk_report_meta(r, &m);
  CHECK_INT_EQ(m.edition, GK_EDITION_2021);
  CHECK_INT_EQ(m.year, 2024);
  CHECK_STR_EQ(m.title, "XX县青石镇人民政府2024年政府信息公开工作年度报告");
  CHECK_STR_EQ(m.source_format, "template");
  CHECK_NULL(m.published);
  CHECK_UINT_EQ(gk_report_section_count(r), 6);
  int64_t v = -1;
  int scale = -1;
  CHECK_STATUS(GK_OK,
               gk_report_cell(r, "applications.received.total", &v, &scale));
  CHECK_INT_EQ(v, 0);
  CHECK_STATUS(GK_OK, gk_report_cell(r, "proactive.fees", &v, &scale));
  CHECK_STATUS(GK_OK, gk_check(r, NULL));
  CHECK_UINT_EQ(count_blocking(r), 0);
  for (int f = GK_RENDER_TXT; f <= GK_RENDER_DOCX; f++) {
    char *doc = NULL;
    size_t len = 0;
    CHECK_STATUS(GK_OK, gk_report_render(r, (gk_render_format)f, &doc, &len));
    CHECK_TRUE(len > 0);
    free(doc);
  }
  gk_report_free(r);
  /* The 2019 and 2020 reports get the trial format's tables. */
  CHECK_STATUS(GK_OK, gk_report_template(2020, NULL, &r));
  gk_report_meta(r, &m);
  CHECK_INT_EQ(m.edition, GK_EDITION_2019);
  CHECK_STATUS(
      GK_OK, gk_report_cell(r, "proactive.procurement.amount_yuan", &v, NULL));
  gk_report_free(r);
  CHECK_STATUS(GK_EINVAL, gk_report_template(2018, NULL, &r));
  CHECK_NULL(r);
}

/* Filled with numbers that do not add up: the checks find exactly the
 * broken identities, which make render refuse. */
TEST(template_unbalanced_is_refused) {
  /* Five new applications from natural persons (row total 5), of which
   * three are granted (result total 3) — but （七）总计 left at 0 and
   * nothing carried forward.  And one 行政复议 upheld whose 总计 is 0. */
  static const char *const paths[] = {
      "applications.received.natural_person",
      "applications.received.total",
      "applications.granted.natural_person",
      "applications.granted.total",
      "appeals.review.upheld",
  };
  static const long long values[] = {5, 5, 3, 3, 1};
  gk_report *r = filled(2024, paths, values, 5);
  if (!r)
    return;
  CHECK_STATUS(GK_OK, gk_check(r, NULL));
  static const struct {
    const char *rule, *path, *message;
    long long expected, actual;
  } want[] = {
      {"arith.results-total", "applications.processed_total.natural_person",
       "第三部分“自然人”列：各分项之和 3（予以公开 3，其余为 0） ≠ （七）总计 "
       "0",
       3, 0},
      {"arith.results-total", "applications.processed_total.total",
       "第三部分“总计”列：各分项之和 3（予以公开 3，其余为 0） ≠ （七）总计 0",
       3, 0},
      {"arith.balance", "applications.processed_total.natural_person",
       "第三部分“自然人”列：本年新收 5 + 上年结转 0 = 5 ≠ （七）总计 0 + "
       "结转下年度 0 = 0",
       5, 0},
      {"arith.balance", "applications.processed_total.total",
       "第三部分“总计”列：本年新收 5 + 上年结转 0 = 5 ≠ （七）总计 0 + "
       "结转下年度 0 = 0",
       5, 0},
      {"arith.appeal-total", "appeals.review.total",
       "第四部分“行政复议”栏：结果维持 1 + 结果纠正 0 + 其他结果 0 + 尚未审结 "
       "0 = 1 ≠ 总计 0",
       1, 0},
  };
  size_t n_want = sizeof want / sizeof want[0], found = 0;
  for (size_t i = 0; i < gk_report_diag_count(r); i++) {
    const gk_diag *d = gk_report_diag(r, i);
    if (strncmp(d->rule, "arith.", 6) != 0 &&
        strncmp(d->rule, "structure.", 10) != 0)
      continue;
    bool match = false;
    for (size_t k = 0; k < n_want && !match; k++) {
      match = strcmp(d->rule, want[k].rule) == 0 &&
              str_same(d->path, want[k].path) &&
              strcmp(d->message, want[k].message) == 0 && d->has_expected &&
              d->expected == want[k].expected && d->actual == want[k].actual;
    }
    if (!CHECK_TRUE(match))
      printf("  unexpected: %s %s %s (%lld, %lld)\n", d->rule,
             d->path ? d->path : "-", d->message, (long long)d->expected,
             (long long)d->actual);
    found += match;
  }
  CHECK_UINT_EQ(found, n_want);
  CHECK_UINT_EQ(count_blocking(r), n_want);
  gk_report_free(r);
}

/* Filled with numbers that add up: no blocking finding, and the rendering
 * reads back with the numbers. */
TEST(template_balanced_renders) {
  static const char *const paths[] = {
      "applications.received.natural_person",
      "applications.received.business",
      "applications.received.total",
      "applications.carried_over.natural_person",
      "applications.carried_over.total",
      "applications.granted.natural_person",
      "applications.granted.total",
      "applications.partially_granted.business",
      "applications.partially_granted.total",
      "applications.processed_total.natural_person",
      "applications.processed_total.business",
      "applications.processed_total.total",
      "applications.carried_forward.natural_person",
      "applications.carried_forward.total",
      "appeals.review.upheld",
      "appeals.review.total",
      "proactive.normative_documents.issued",
      "proactive.normative_documents.in_force",
      "proactive.licensing",
  };
  static const long long values[] = {5, 1, 6, 1, 1, 4, 4, 1, 1, 4,
                                     1, 5, 2, 2, 1, 1, 2, 7, 36};
  size_t n = sizeof values / sizeof values[0];
  gk_report *r = filled(2024, paths, values, n);
  if (!r)
    return;
  CHECK_STATUS(GK_OK, gk_check(r, NULL));
  CHECK_UINT_EQ(count_blocking(r), 0);
  for (size_t i = 0; i < gk_report_diag_count(r); i++) {
    const gk_diag *d = gk_report_diag(r, i);
    if (strncmp(d->rule, "arith.", 6) == 0)
      printf("  unexpected: %s %s\n", d->rule, d->message);
  }
  for (int f = GK_RENDER_TXT; f <= GK_RENDER_DOCX; f++) {
    char *doc = NULL;
    size_t len = 0;
    if (!CHECK_STATUS(GK_OK,
                      gk_report_render(r, (gk_render_format)f, &doc, &len)))
      continue;
    gk_report *back = NULL;
    gk_meta mb;
    if (gk_read_buffer(doc, len, "rendered", NULL, &back, NULL) == GK_OK) {
      gk_report_meta(back, &mb);
      if (strcmp(mb.source_format, read_name((gk_render_format)f)) == 0)
        CHECK_INT_EQ(
            compare(gk_render_format_name((gk_render_format)f), r, back).all,
            0);
    }
    gk_report_free(back);
    free(doc);
  }
  gk_report_free(r);
}

/* ------------------------------------------------------- JSON reader */

/* The example's model as JSON, with `from` replaced by `to` once. */
static gk_status read_edited(const char *from, const char *to, gk_report **out,
                             const char **detail) {
  char in[1024];
  snprintf(in, sizeof in, "%s/%s.txt", GK_EXAMPLES_DIR, EXAMPLE);
  gk_report *r = NULL;
  *out = NULL;
  if (gk_read_file(in, NULL, &r, NULL) != GK_OK)
    return GK_EIO;
  char *json = NULL;
  size_t len = 0;
  gk_report_to_json(r, 0, &json, &len);
  gk_report_free(r);
  if (!json)
    return GK_ENOMEM;
  char *at = from ? strstr(json, from) : NULL;
  if (from && !at) {
    free(json);
    printf("  (test setup: \"%s\" not in the model)\n", from);
    return GK_EIO;
  }
  size_t fl = from ? strlen(from) : 0, tl = to ? strlen(to) : 0;
  char *ed = malloc(len - fl + tl + 1);
  if (!ed) {
    free(json);
    return GK_ENOMEM;
  }
  size_t pre = at ? (size_t)(at - json) : len;
  memcpy(ed, json, pre);
  if (at) {
    memcpy(ed + pre, to, tl);
    memcpy(ed + pre + tl, at + fl, len - pre - fl);
  }
  size_t elen = at ? len - fl + tl : len;
  ed[elen] = '\0';
  free(json);
  gk_status st = gk_read_model_json(ed, elen, out, detail);
  free(ed);
  return st;
}

TEST(model_json_reads_back) {
  gk_report *r = NULL;
  const char *detail = NULL;
  if (!CHECK_STATUS(GK_OK, read_edited(NULL, NULL, &r, &detail)))
    return;
  gk_meta m;
  gk_report_meta(r, &m);
  CHECK_STR_EQ(m.agency, "XX县青石镇人民政府");
  CHECK_STR_EQ(m.published, "2025-01-20");
  CHECK_STR_EQ(m.source_format, "text");
  /* The null cell stays null, with its diagnostic. */
  CHECK_STATUS(GK_ENOENT, gk_report_cell(r,
                                         "applications.declined_duplicate."
                                         "business",
                                         NULL, NULL));
  bool blank = false;
  for (size_t i = 0; i < gk_report_diag_count(r); i++)
    blank |= strcmp(gk_report_diag(r, i)->rule, "cell.blank") == 0;
  CHECK_TRUE(blank);
  gk_report_free(r);
  /* The fee keeps the decimals written. */
  CHECK_STATUS(GK_OK, read_edited("\"fees\":0", "\"fees\":1.20", &r, &detail));
  int64_t v = 0;
  int scale = 0;
  CHECK_STATUS(GK_OK, gk_report_cell(r, "proactive.fees", &v, &scale));
  CHECK_INT_EQ(v, 120);
  CHECK_INT_EQ(scale, 2);
  char *doc = NULL;
  size_t len = 0;
  CHECK_STATUS(GK_OK, gk_report_render(r, GK_RENDER_TXT, &doc, &len));
  CHECK_TRUE(doc && strstr(doc, "行政事业性收费\t1.20\n") != NULL);
  free(doc);
  gk_report_free(r);
}

TEST(model_json_strict) {
  static const struct {
    const char *from, *to;
    gk_status st;
  } bad[] = {
      {"\"gongkai.report/1\"", "\"gongkai.report/2\"", GK_EUNSUPPORTED},
      {"\"schema\":", "\"scheme\":", GK_EINVAL},
      {"\"year\":2024", "\"year\":2024,\"extra\":1", GK_EINVAL},
      {"\"year\":2024", "\"year\":\"2024\"", GK_EINVAL},
      {"\"published\":\"2025-01-20\"", "\"published\":\"2025-02-30\"",
       GK_EINVAL},
      {"\"licensing\":36", "\"licensing\":-1", GK_EINVAL},
      {"\"licensing\":36", "\"licensing\":36.0", GK_EINVAL},
      {"\"licensing\":36", "\"licensing\":\"36\"", GK_EINVAL},
      {"\"licensing\":36,", "", GK_EINVAL},
      {"\"natural_person\":9,", "", GK_EINVAL},
      {"\"natural_person\":9,", "\"natural_person\":9,\"robot\":0,", GK_EINVAL},
      {"\"fees\":0", "\"fees\":1e3", GK_EINVAL},
      {"\"edition\":\"2021\"", "\"edition\":\"2022\"", GK_EINVAL},
      {"\"number\":1,", "\"number\":7,", GK_EINVAL},
      {"\"number\":2,", "\"number\":1,", GK_EINVAL},
      {"{\"schema\"", "[{\"schema\"", GK_EINVAL},
      {"\"licensing\":36", "\"licensing\":36,\"licensing\":36", GK_EINVAL},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    gk_report *r = NULL;
    const char *detail = NULL;
    gk_status st = read_edited(bad[i].from, bad[i].to, &r, &detail);
    if (!CHECK_STATUS(bad[i].st, st))
      printf("  case %zu (%s → %s)\n", i, bad[i].from, bad[i].to);
    else
      CHECK_TRUE(detail != NULL && detail[0] != '\0');
    CHECK_NULL(r);
    gk_report_free(r);
  }
  gk_report *r = NULL;
  const char *detail = NULL;
  CHECK_STATUS(GK_EINVAL, gk_read_model_json("", 0, &r, &detail));
  CHECK_STATUS(GK_EINVAL, gk_read_model_json("{", 1, &r, &detail));
  CHECK_STATUS(GK_EINVAL, gk_read_model_json("{}", 2, &r, &detail));
  /* A BOM is skipped; the rest must still be a model. */
  static const char bom[] = "\xEF\xBB\xBF{\"schema\":\"gongkai.report/1\"}";
  CHECK_STATUS(GK_OK, gk_read_model_json(bom, sizeof bom - 1, &r, &detail));
  gk_report_free(r);
  r = NULL;
  /* Edition unknown: the tables say which one. */
  CHECK_STATUS(GK_OK, read_edited("\"edition\":\"2021\"", "\"edition\":null",
                                  &r, &detail));
  gk_meta m;
  if (r) {
    gk_report_meta(r, &m);
    CHECK_INT_EQ(m.edition, GK_EDITION_UNKNOWN);
    CHECK_STATUS(
        GK_OK, gk_report_cell(r, "applications.other_misc.total", NULL, NULL));
  }
  gk_report_free(r);
}

/* ------------------------------------------------------------- DOCX */

static char *zip_entry(const char *data, size_t len, const char *name) {
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
  zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
  char *out = NULL;
  if (!za) {
    if (src)
      zip_source_free(src);
    zip_error_fini(&ze);
    return NULL;
  }
  zip_stat_t zs;
  if (zip_stat(za, name, 0, &zs) == 0 && (zs.valid & ZIP_STAT_SIZE)) {
    zip_file_t *zf = zip_fopen(za, name, 0);
    out = zf ? malloc(zs.size + 1) : NULL;
    if (out && zip_fread(zf, out, zs.size) == (zip_int64_t)zs.size)
      out[zs.size] = '\0';
    else {
      free(out);
      out = NULL;
    }
    if (zf)
      zip_fclose(zf);
  }
  zip_close(za);
  zip_error_fini(&ze);
  return out;
}

static size_t count(const char *s, const char *w) {
  size_t n = 0;
  for (const char *p = s ? strstr(s, w) : NULL; p; p = strstr(p + 1, w))
    n++;
  return n;
}

TEST(docx_parts_and_merges) {
  char in[1024];
  snprintf(in, sizeof in, "%s/%s.txt", GK_EXAMPLES_DIR, EXAMPLE);
  gk_report *r = NULL;
  if (!CHECK_STATUS(GK_OK, gk_read_file(in, NULL, &r, NULL)))
    return;
  char *doc = NULL, *again = NULL;
  size_t len = 0, len2 = 0;
  CHECK_STATUS(GK_OK, gk_report_render(r, GK_RENDER_DOCX, &doc, &len));
  CHECK_STATUS(GK_OK, gk_report_render(r, GK_RENDER_DOCX, &again, &len2));
  gk_report_free(r);
  if (!CHECK_NOT_NULL(doc))
    return;
  /* The same report gives the same bytes. */
  CHECK_MEM_EQ(doc, len, again, len2);
  free(again);
  CHECK_MEM_EQ(doc, 4, "PK\x03\x04", 4);
  static const char *const parts[] = {
      "[Content_Types].xml", "_rels/.rels",
      "word/document.xml",   "word/styles.xml",
      "word/settings.xml",   "word/fontTable.xml",
      "word/footer1.xml",    "docProps/core.xml",
      "docProps/app.xml",    "word/_rels/document.xml.rels"};
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    char *p = zip_entry(doc, len, parts[i]);
    if (!CHECK_NOT_NULL(p))
      printf("  missing part %s\n", parts[i]);
    free(p);
  }
  char *xml = zip_entry(doc, len, "word/document.xml");
  char *styles = zip_entry(doc, len, "word/styles.xml");
  /* Three tables; table 3's note spans 3 × 3, 三、本年度办理结果 22 rows
   * (one restart, 21 continuations), the groups （三）–（六） 8 + 3 + 5 +
   * 3 rows; table 4's five 行政复议 labels span two rows. */
  CHECK_UINT_EQ(count(xml, "<w:tbl>"), 3);
  CHECK_UINT_EQ(count(xml, "<w:vMerge w:val=\"restart\"/>"),
                1 /* note */ + 2 /* 自然人, 总计 */ + 1 /* band */ +
                    4 /* groups */ + 5 /* table 4 */);
  CHECK_UINT_EQ(count(xml, "<w:vMerge/>"), 2 + 2 + 21 + (7 + 2 + 4 + 2) + 5);
  CHECK_TRUE(count(xml, "<w:gridSpan w:val=\"3\"/>") > 0);
  CHECK_TRUE(count(xml, "<w:tblHeader/>") == 6);
  CHECK_TRUE(count(xml, "勾稽关系") == 1);
  CHECK_TRUE(count(xml, "2025年1月20日") == 1);
  CHECK_TRUE(count(xml, "w:w=\"11906\" w:h=\"16838\"") == 1);
  CHECK_TRUE(count(styles, "仿宋_GB2312") > 0 && count(styles, "黑体") > 0);
  free(xml);
  free(styles);
  free(doc);
}

/* HTML merges with rowspan and colspan, and stands alone. */
TEST(html_self_contained) {
  char in[1024];
  snprintf(in, sizeof in, "%s/%s.txt", GK_EXAMPLES_DIR, EXAMPLE);
  gk_report *r = NULL;
  if (!CHECK_STATUS(GK_OK, gk_read_file(in, NULL, &r, NULL)))
    return;
  char *doc = NULL;
  size_t len = 0;
  CHECK_STATUS(GK_OK, gk_report_render(r, GK_RENDER_HTML, &doc, &len));
  gk_report_free(r);
  CHECK_TRUE(count(doc, "rowspan=\"22\"") == 1);
  CHECK_TRUE(count(doc, "rowspan=\"3\" colspan=\"3\"") == 1);
  CHECK_TRUE(count(doc, "colspan=\"10\"") == 1);
  CHECK_TRUE(count(doc, "@page{size:A4") == 1);
  CHECK_TRUE(count(doc, "src=") == 0 && count(doc, "href=") == 0);
  /* The blank cell stays blank, never 0. */
  CHECK_TRUE(count(doc, "<td>1</td><td></td><td>0</td>") == 1);
  free(doc);
}

static const gk_test gk_tests[] = {
    TEST_ENTRY(roundtrip_txt),
    TEST_ENTRY(roundtrip_md),
    TEST_ENTRY(roundtrip_html),
    TEST_ENTRY(roundtrip_docx),
    TEST_ENTRY(roundtrip_json),
    TEST_ENTRY(golden_txt),
    TEST_ENTRY(golden_md),
    TEST_ENTRY(golden_html),
    TEST_ENTRY(txt_word_layout),
    TEST_ENTRY(template_is_blank_and_clean),
    TEST_ENTRY(template_unbalanced_is_refused),
    TEST_ENTRY(template_balanced_renders),
    TEST_ENTRY(model_json_reads_back),
    TEST_ENTRY(model_json_strict),
    TEST_ENTRY(docx_parts_and_merges),
    TEST_ENTRY(html_self_contained),
};

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--update") == 0) {
    update = true;
    argv[1] = argv[0];
    argv++;
    argc--;
  }
  return gk_test_run(gk_tests, sizeof gk_tests / sizeof gk_tests[0], argc,
                     argv);
}
