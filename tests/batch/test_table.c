/*
 * test_table.c - the library side of issue 5, through gongkai.h only:
 * the cell listing (gk_cell_count(), gk_cell_get()), the body key that
 * pairs a body's years, the year-over-year diff, and the table writers
 * (CSV and XLSX, their temporary file and its rename).
 *
 * The reports come from tests/golden/cases (our own made-up fixtures) and
 * tests/batch/cases (two years of one made-up township, and the second
 * year again with a carry-over that does not match the first).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#ifndef GK_GOLDEN_DIR
#define GK_GOLDEN_DIR "tests/golden/cases"
#endif
#ifndef GK_BATCH_CASES
#define GK_BATCH_CASES "tests/batch/cases"
#endif

static gk_report *load(const char *dir, const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  gk_report *r = NULL;
  gk_status st = gk_read_file(path, NULL, &r, NULL);
  if (st != GK_OK)
    printf("  cannot read %s: %s\n", path, gk_status_name(st));
  return r;
}

/* The index of a path in a listing, or -1. */
static long find_cell(gk_edition e, const char *path, gk_cell_info *info) {
  for (size_t i = 0; i < gk_cell_count(e); i++)
    if (gk_cell_get(e, i, info) == GK_OK && strcmp(info->path, path) == 0)
      return (long)i;
  return -1;
}

/* Reads a whole file into a NUL-terminated malloc'd string. */
static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap + 1);
  size_t got;
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      char *nb = realloc(buf, cap * 2 + 1);
      if (!nb) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = nb;
      cap *= 2;
    }
  }
  fclose(f);
  if (buf)
    buf[n] = '\0';
  if (len)
    *len = n;
  return buf;
}

/* Entries of a folder other than . and .. */
static int count_entries(const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      n++;
  closedir(d);
  return n;
}

/* The idx-th comma-separated field (no quotes inside) of a line. */
static void csv_field(const char *line, int idx, char *out, size_t cap) {
  const char *p = line;
  for (int k = 0; k < idx && p; k++) {
    p = strchr(p, ',');
    if (p)
      p++;
  }
  out[0] = '\0';
  if (!p)
    return;
  size_t n = strcspn(p, ",\r\n");
  if (n >= cap)
    n = cap - 1;
  memcpy(out, p, n);
  out[n] = '\0';
}

/* The column of a name in a header line, or -1. */
static int csv_column(const char *header, const char *name) {
  char f[128];
  for (int k = 0; k < 1000; k++) {
    csv_field(header, k, f, sizeof f);
    if (strcmp(f, name) == 0)
      return k;
    if (!f[0] && !strchr(header, ','))
      break;
  }
  return -1;
}

static char tmpdir[256];

static bool make_tmpdir(void) {
  snprintf(tmpdir, sizeof tmpdir, "%s/gk-table-test-XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  return mkdtemp(tmpdir) != NULL;
}

static void remove_tmpdir(void) {
  DIR *d = opendir(tmpdir);
  if (!d)
    return;
  struct dirent *e;
  char p[512];
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
    unlink(p);
  }
  closedir(d);
  rmdir(tmpdir);
}

/* ----------------------------------------------------------- the cells */

TEST(cell_counts) {
  CHECK_UINT_EQ(gk_cell_count(GK_EDITION_2021), 200);
  CHECK_UINT_EQ(gk_cell_count(GK_EDITION_2019), 198);
  /* 2019-only: 22 cells of table 2 and the 7 of （六）其他处理. */
  CHECK_UINT_EQ(gk_cell_count(GK_EDITION_UNKNOWN), 229);
  CHECK_UINT_EQ(gk_cell_count(GK_EDITION_PRE2019), 0);
}

TEST(cell_union_paths_unique) {
  size_t n = gk_cell_count(GK_EDITION_UNKNOWN);
  gk_cell_info *all = calloc(n, sizeof *all);
  if (!CHECK_NOT_NULL(all))
    return;
  for (size_t i = 0; i < n; i++) {
    if (!CHECK_STATUS(GK_OK, gk_cell_get(GK_EDITION_UNKNOWN, i, &all[i])))
      goto done;
    CHECK_STR_PREFIX(all[i].label, "第");
    CHECK_TRUE(all[i].part >= 2 && all[i].part <= 4);
    CHECK_TRUE(all[i].editions != 0);
  }
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      if (strcmp(all[i].path, all[j].path) == 0 ||
          strcmp(all[i].label, all[j].label) == 0) {
        printf("  cells %zu and %zu: %s / %s\n", i, j, all[i].path,
               all[j].label);
        CHECK_TRUE(!"two cells share a path or a label");
        goto done;
      }
done:
  free(all);
}

TEST(cell_info_fields) {
  gk_cell_info c;
  if (!CHECK_TRUE(find_cell(GK_EDITION_UNKNOWN, "applications.received.total",
                            &c) >= 0))
    return;
  CHECK_STR_EQ(c.label, "第三部分·一、本年新收政府信息公开申请数量·总计");
  CHECK_STR_EQ(c.table, "applications");
  CHECK_STR_EQ(c.row, "received");
  CHECK_STR_EQ(c.column, "total");
  CHECK_INT_EQ(c.part, 3);
  CHECK_INT_EQ(c.row_index, 0);
  CHECK_INT_EQ(c.column_index, 6);
  CHECK_UINT_EQ(c.editions, (1u << GK_EDITION_2021) | (1u << GK_EDITION_2019));

  CHECK_TRUE(find_cell(GK_EDITION_UNKNOWN, "proactive.licensing", &c) >= 0);
  CHECK_STR_EQ(c.column, "decisions");
  CHECK_UINT_EQ(c.editions, 1u << GK_EDITION_2021);

  CHECK_TRUE(find_cell(GK_EDITION_2021, "proactive.fees", &c) >= 0);
  CHECK_INT_EQ(c.decimal, 1);

  CHECK_TRUE(find_cell(GK_EDITION_UNKNOWN,
                       "applications.withheld_state_secret.natural_person",
                       &c) >= 0);
  CHECK_STR_EQ(c.group_label, "（三）不予公开");
  CHECK_STR_EQ(c.label, "第三部分·（三）不予公开·1.属于国家秘密·自然人");

  CHECK_TRUE(find_cell(GK_EDITION_UNKNOWN, "applications.other.total", &c) >=
             0);
  CHECK_UINT_EQ(c.editions, 1u << GK_EDITION_2019);
  CHECK_TRUE(strstr(c.label, "（2019年格式）") != NULL);
  /* In its own edition's listing the mark is not needed. */
  CHECK_TRUE(find_cell(GK_EDITION_2019, "applications.other.total", &c) >= 0);
  CHECK_TRUE(strstr(c.label, "（2019年格式）") == NULL);
  CHECK_TRUE(find_cell(GK_EDITION_2021, "applications.other.total", &c) < 0);
}

TEST(cell_get_out_of_range) {
  gk_cell_info c;
  memset(&c, 0x5a, sizeof c);
  CHECK_STATUS(GK_EINVAL, gk_cell_get(GK_EDITION_2021, 200, &c));
  CHECK_STATUS(GK_EINVAL, gk_cell_get(GK_EDITION_PRE2019, 0, &c));
  CHECK_STATUS(GK_EINVAL, gk_cell_get(GK_EDITION_2021, 0, NULL));
  CHECK_UINT_EQ((unsigned char)c.path[0], 0x5a); /* untouched */
}

/* Every path of the listing is one gk_report_cell() knows. */
TEST(cells_resolve_in_report) {
  gk_report *r = load(GK_GOLDEN_DIR, "01_tabs_clean.txt");
  if (!CHECK_NOT_NULL(r))
    return;
  gk_cell_info c;
  for (size_t i = 0; i < gk_cell_count(GK_EDITION_2021); i++) {
    gk_cell_get(GK_EDITION_2021, i, &c);
    int64_t v;
    int scale;
    if (!CHECK_STATUS(GK_OK, gk_report_cell(r, c.path, &v, &scale)))
      printf("  path %s\n", c.path);
  }
  gk_report_free(r);
}

/* ------------------------------------------------------------ body key */

TEST(body_key) {
  char k[128];
  CHECK_UINT_EQ(gk_body_key("米易县丙谷镇人民政府", k, sizeof k),
                strlen("米易县丙谷镇"));
  CHECK_STR_EQ(k, "米易县丙谷镇");
  gk_body_key("米易县 丙谷镇　人民政府", k, sizeof k);
  CHECK_STR_EQ(k, "米易县丙谷镇");
  gk_body_key("云岭县竹溪街道办事处", k, sizeof k);
  CHECK_STR_EQ(k, "云岭县竹溪街道");
  gk_body_key("XX市人民政府办公室", k, sizeof k);
  CHECK_STR_EQ(k, "XX市");
  gk_body_key("河北省教育厅", k, sizeof k);
  CHECK_STR_EQ(k, "河北省教育厅");
  /* The government's word alone is kept: nothing is left before it. */
  gk_body_key("人民政府", k, sizeof k);
  CHECK_STR_EQ(k, "人民政府");
  CHECK_UINT_EQ(gk_body_key(NULL, k, sizeof k), 0);
  CHECK_STR_EQ(k, "");
  CHECK_UINT_EQ(gk_body_key("米易县丙谷镇", k, 5), 0);
  CHECK_STR_EQ(k, "");
}

/* ---------------------------------------------------------------- diff */

TEST(diff_two_years) {
  gk_report *a = load(GK_BATCH_CASES, "baisha_2023.txt");
  gk_report *b = load(GK_BATCH_CASES, "baisha_2024.txt");
  gk_diff *d = NULL;
  if (!CHECK_NOT_NULL(a) || !CHECK_NOT_NULL(b))
    goto done;
  if (!CHECK_STATUS(GK_OK, gk_diff_reports(a, b, 0, &d)))
    goto done;
  CHECK_UINT_EQ(gk_diff_count(d), 25);
  const gk_cell_change *c = gk_diff_get(d, 0);
  gk_cell_info info;
  if (CHECK_NOT_NULL(c)) {
    gk_cell_get(GK_EDITION_UNKNOWN, c->cell, &info);
    CHECK_STR_EQ(info.path, "proactive.normative_documents.issued");
    CHECK_INT_EQ(c->has_old, 1);
    CHECK_INT_EQ(c->has_new, 1);
    CHECK_INT_EQ(c->old_value, 2);
    CHECK_INT_EQ(c->new_value, 1);
  }
  CHECK_NULL(gk_diff_get(d, 25));
  /* Every changed cell really changed; the carry-over cells did not. */
  for (size_t i = 0; i < gk_diff_count(d); i++) {
    c = gk_diff_get(d, i);
    gk_cell_get(GK_EDITION_UNKNOWN, c->cell, &info);
    CHECK_TRUE(c->old_value != c->new_value);
    CHECK_TRUE(strncmp(info.path, "applications.carried_over", 25) != 0);
  }
  double s1 = gk_diff_similarity(d, 1);
  CHECK_TRUE(s1 > 0 && s1 < 0.8);
  CHECK_TRUE(gk_diff_similarity(d, 6) < 0); /* one short sentence */
  CHECK_TRUE(gk_diff_similarity(d, 0) < 0);
  CHECK_TRUE(gk_diff_similarity(d, 7) < 0);
  gk_diff_free(d);
  d = NULL;
  /* Every cell both reports have, changed or not. */
  if (CHECK_STATUS(GK_OK, gk_diff_reports(a, b, GK_DIFF_ALL_CELLS, &d)))
    CHECK_UINT_EQ(gk_diff_count(d), 200);
  gk_diff_free(d);
  d = NULL;
  /* A report against itself: nothing changed, the prose is the same. */
  if (CHECK_STATUS(GK_OK, gk_diff_reports(a, a, 0, &d))) {
    CHECK_UINT_EQ(gk_diff_count(d), 0);
    CHECK_TRUE(gk_diff_similarity(d, 1) > 0.999);
  }
done:
  gk_diff_free(d);
  gk_report_free(a);
  gk_report_free(b);
}

static size_t count_rule(const gk_report *r, const char *rule) {
  size_t n = 0;
  for (size_t i = 0; i < gk_report_diag_count(r); i++)
    n += strcmp(gk_report_diag(r, i)->rule, rule) == 0;
  return n;
}

TEST(history_on_the_pair) {
  gk_report *a = load(GK_BATCH_CASES, "baisha_2023.txt");
  gk_report *b = load(GK_BATCH_CASES, "baisha_2024.txt");
  gk_report *bad = load(GK_BATCH_CASES, "baisha_2024_bad_carry.txt");
  if (CHECK_NOT_NULL(a) && CHECK_NOT_NULL(b) && CHECK_NOT_NULL(bad)) {
    gk_check_options o = {.prev = a};
    CHECK_STATUS(GK_OK, gk_check(b, &o));
    CHECK_STATUS(GK_OK, gk_check(bad, &o));
    CHECK_UINT_EQ(count_rule(b, "history.carry-over"), 0);
    CHECK_UINT_EQ(count_rule(b, "history.in-force"), 0);
    CHECK_UINT_EQ(count_rule(b, "history.year-gap"), 0);
    CHECK_UINT_EQ(count_rule(bad, "history.carry-over"), 2);
    char ka[64], kb[64];
    gk_meta ma, mb;
    gk_report_meta(a, &ma);
    gk_report_meta(b, &mb);
    gk_body_key(ma.agency, ka, sizeof ka);
    gk_body_key(mb.agency, kb, sizeof kb);
    CHECK_STR_EQ(ka, kb);
  }
  gk_report_free(a);
  gk_report_free(b);
  gk_report_free(bad);
}

/* ------------------------------------------------------------- writers */

TEST(csv_writer) {
  if (!CHECK_TRUE(make_tmpdir()))
    return;
  char out[512];
  snprintf(out, sizeof out, "%s/out.csv", tmpdir);
  gk_report *r1 = load(GK_GOLDEN_DIR, "01_tabs_clean.txt");
  gk_report *r2 = load(GK_GOLDEN_DIR, "10_fee_label_variant.txt");
  gk_table_writer *w = NULL;
  char *text = NULL;
  if (!CHECK_NOT_NULL(r1) || !CHECK_NOT_NULL(r2))
    goto done;
  gk_check(r1, NULL);
  if (!CHECK_STATUS(GK_OK, gk_table_writer_open(out, GK_TABLE_CSV, 0, &w)))
    goto done;
  const char *tmp = gk_table_writer_temp_path(w);
  CHECK_STR_PREFIX(tmp, out);
  CHECK_TRUE(access(out, F_OK) != 0); /* nothing at OUT before close */
  CHECK_STATUS(GK_OK, gk_table_writer_add(w, r1, "cases/01.txt", NULL));
  CHECK_STATUS(
      GK_OK, gk_table_writer_add(w, r2, "=cmd|' /C calc'!A0", "cases/01.txt"));
  CHECK_STATUS(GK_OK, gk_table_writer_close(w));
  CHECK_INT_EQ(count_entries(tmpdir), 1); /* the temporary file is gone */
  size_t len = 0;
  text = slurp(out, &len);
  if (!CHECK_NOT_NULL(text))
    goto done;
  CHECK_MEM_EQ(text, 3, "\xEF\xBB\xBF", 3);
  /* Three lines, each ending in CR LF. */
  char *l1 = text + 3, *l2 = strstr(l1, "\r\n"), *l3;
  if (!CHECK_NOT_NULL(l2))
    goto done;
  l2 += 2;
  l3 = strstr(l2, "\r\n");
  if (!CHECK_NOT_NULL(l3))
    goto done;
  l3 += 2;
  CHECK_NOT_NULL(strstr(l3, "\r\n"));
  CHECK_TRUE(strstr(l3, "\r\n") + 2 == text + len);
  CHECK_STR_PREFIX(l1, "source,format,title,agency,body,body_label,year,"
                       "edition,published,prev,errors,warnings,notes,rules,"
                       "proactive.rules.issued,");
  int n_cols = 1;
  for (char *p = l1; *p != '\r'; p++)
    n_cols += *p == ',';
  CHECK_INT_EQ(n_cols, 14 + 229);
  char f[256];
  csv_field(l2, 0, f, sizeof f);
  CHECK_STR_EQ(f, "cases/01.txt");
  csv_field(l2, csv_column(l1, "year"), f, sizeof f);
  CHECK_STR_EQ(f, "2024");
  csv_field(l2, csv_column(l1, "edition"), f, sizeof f);
  CHECK_STR_EQ(f, "2021");
  csv_field(l2, csv_column(l1, "errors"), f, sizeof f);
  CHECK_STR_EQ(f, "0");
  csv_field(l2, csv_column(l1, "applications.received.total"), f, sizeof f);
  CHECK_STR_EQ(f, "15");
  csv_field(l2, csv_column(l1, "applications.carried_forward.total"), f,
            sizeof f);
  CHECK_STR_EQ(f, "2");
  /* 2019-only cells of a 2021 report are empty, never 0. */
  csv_field(l2, csv_column(l1, "applications.other.total"), f, sizeof f);
  CHECK_STR_EQ(f, "");
  /* The fee keeps its decimals; a formula-like source is defused. */
  csv_field(l3, csv_column(l1, "proactive.fees"), f, sizeof f);
  CHECK_STR_EQ(f, "1.25");
  CHECK_STR_PREFIX(l3, "'=cmd|' /C calc'!A0,");
  csv_field(l3, csv_column(l1, "prev"), f, sizeof f);
  CHECK_STR_EQ(f, "cases/01.txt");
done:
  free(text);
  gk_report_free(r1);
  gk_report_free(r2);
  remove_tmpdir();
}

TEST(csv_chinese_header) {
  if (!CHECK_TRUE(make_tmpdir()))
    return;
  char out[512];
  snprintf(out, sizeof out, "%s/zh.csv", tmpdir);
  gk_table_writer *w = NULL;
  char *text = NULL;
  if (CHECK_STATUS(GK_OK, gk_table_writer_open(out, GK_TABLE_CSV,
                                               GK_TABLE_ZH_HEADER, &w)) &&
      CHECK_STATUS(GK_OK, gk_table_writer_close(w)) &&
      CHECK_NOT_NULL(text = slurp(out, NULL))) {
    CHECK_STR_PREFIX(text, "\xEF\xBB\xBF来源文件,文件格式,标题,");
    CHECK_NOT_NULL(
        strstr(text, "第三部分·一、本年新收政府信息公开申请数量·总计"));
    char *second = strstr(text, "\r\n");
    if (CHECK_NOT_NULL(second))
      CHECK_STR_PREFIX(second + 2, "source,format,");
  }
  free(text);
  remove_tmpdir();
}

TEST(discard_keeps_old_file) {
  if (!CHECK_TRUE(make_tmpdir()))
    return;
  char out[512];
  snprintf(out, sizeof out, "%s/keep.csv", tmpdir);
  FILE *f = fopen(out, "w");
  if (f) {
    fputs("old", f);
    fclose(f);
  }
  gk_report *r = load(GK_GOLDEN_DIR, "01_tabs_clean.txt");
  gk_table_writer *w = NULL;
  char *text = NULL;
  if (CHECK_NOT_NULL(r) &&
      CHECK_STATUS(GK_OK, gk_table_writer_open(out, GK_TABLE_CSV, 0, &w))) {
    CHECK_INT_EQ(count_entries(tmpdir), 2); /* keep.csv and its temp */
    CHECK_STATUS(GK_OK, gk_table_writer_add(w, r, NULL, NULL));
    /* Bytes that are not a row are refused, and the writer goes on. */
    CHECK_STATUS(GK_EINVAL, gk_table_writer_add_row(w, "GKROW01", 8));
    CHECK_STATUS(GK_EINVAL, gk_table_writer_add_row(w, "junk", 4));
    CHECK_STATUS(GK_OK, gk_table_writer_add(w, r, NULL, NULL));
    gk_table_writer_discard(w);
    CHECK_INT_EQ(count_entries(tmpdir), 1);
    text = slurp(out, NULL);
    CHECK_STR_EQ(text, "old");
  }
  /* A folder that does not exist: no writer, no file. */
  snprintf(out, sizeof out, "%s/missing/x.csv", tmpdir);
  w = (gk_table_writer *)&w;
  CHECK_STATUS(GK_EWRITE, gk_table_writer_open(out, GK_TABLE_CSV, 0, &w));
  CHECK_NULL(w);
  CHECK_STATUS(GK_EINVAL, gk_table_writer_open("-", GK_TABLE_XLSX, 0, &w));
  free(text);
  gk_report_free(r);
  remove_tmpdir();
}

TEST(packed_row_round_trip) {
  gk_report *r = load(GK_GOLDEN_DIR, "07_blank_marks.txt");
  char *row = NULL;
  size_t len = 0;
  if (!CHECK_NOT_NULL(r))
    return;
  gk_check(r, NULL);
  if (CHECK_STATUS(GK_OK, gk_table_row_pack(r, "a.txt", NULL, &row, &len))) {
    CHECK_TRUE(len > 229);
    /* Cut short anywhere, the bytes are refused, never misread. */
    if (CHECK_TRUE(make_tmpdir())) {
      char out[512];
      snprintf(out, sizeof out, "%s/p.csv", tmpdir);
      gk_table_writer *w = NULL;
      if (CHECK_STATUS(GK_OK, gk_table_writer_open(out, GK_TABLE_CSV, 0, &w))) {
        for (size_t cut = 0; cut < len; cut += 7)
          CHECK_STATUS(GK_EINVAL, gk_table_writer_add_row(w, row, cut));
        CHECK_STATUS(GK_OK, gk_table_writer_add_row(w, row, len));
        CHECK_STATUS(GK_OK, gk_table_writer_close(w));
      }
      remove_tmpdir();
    }
  }
  free(row);
  gk_report_free(r);
}

TEST(xlsx_writer) {
  if (!CHECK_TRUE(make_tmpdir()))
    return;
  char out[512];
  snprintf(out, sizeof out, "%s/out.xlsx", tmpdir);
  gk_report *r = load(GK_GOLDEN_DIR, "07_blank_marks.txt");
  gk_table_writer *w = NULL;
  char *bytes = NULL;
  if (CHECK_NOT_NULL(r) &&
      CHECK_STATUS(GK_OK, gk_table_writer_open(out, GK_TABLE_XLSX, 0, &w))) {
    gk_check(r, NULL);
    CHECK_STATUS(GK_OK, gk_table_writer_add(w, r, "07.txt", NULL));
    CHECK_STATUS(GK_OK, gk_table_writer_add(w, r, "07-again.txt", NULL));
    CHECK_STATUS(GK_OK, gk_table_writer_close(w));
    CHECK_INT_EQ(count_entries(tmpdir), 1);
    size_t len = 0;
    bytes = slurp(out, &len);
    if (CHECK_NOT_NULL(bytes))
      CHECK_MEM_EQ(bytes, 4, "PK\x03\x04", 4);
  }
  free(bytes);
  gk_report_free(r);
  remove_tmpdir();
}

static const gk_test gk_tests[] = {
    TEST_ENTRY(cell_counts),
    TEST_ENTRY(cell_union_paths_unique),
    TEST_ENTRY(cell_info_fields),
    TEST_ENTRY(cell_get_out_of_range),
    TEST_ENTRY(cells_resolve_in_report),
    TEST_ENTRY(body_key),
    TEST_ENTRY(diff_two_years),
    TEST_ENTRY(history_on_the_pair),
    TEST_ENTRY(csv_writer),
    TEST_ENTRY(csv_chinese_header),
    TEST_ENTRY(discard_keeps_old_file),
    TEST_ENTRY(packed_row_round_trip),
    TEST_ENTRY(xlsx_writer),
};
GK_TEST_MAIN(gk_tests)
