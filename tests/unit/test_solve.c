/*
 * test_solve.c - unit tests of src/parse/tables_solve.c: rows of text
 * with fewer values than cells and no blank marked, placed (or not) by
 * the arithmetic of the whole table (issue 10).
 *
 * Each test starts from one made-up report (the golden case
 * issue10_solve_dropped_blank.txt: table 3 printed with single spaces)
 * and replaces whole lines of its table 3, so that one test is one
 * difficulty: a dropped blank the column identities place; a 0 and a
 * dropped blank side by side that no identity tells apart; a blank that
 * hides a number (blank is not zero); a table whose own arithmetic is
 * broken; a row no placement fits.
 */
#include <stdlib.h>
#include <string.h>

#include "gongkai.h"
#include "harness.h"

/* The base report, read once per test. */
static char *slurp(const char *name, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", GK_TEST_CASES, name);
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *buf = malloc((size_t)1 << 20);
  *len = buf ? fread(buf, 1, ((size_t)1 << 20) - 1, f) : 0;
  if (buf)
    buf[*len] = '\0';
  fclose(f);
  return buf;
}

/* Replaces the line that starts with `label` (followed by a space) by
 * `label` + " " + `values`.  Returns a new string (NULL when the label is
 * not found). */
static char *with_row(const char *text, const char *label, const char *values) {
  size_t ll = strlen(label);
  const char *at = text;
  while (at && !(strncmp(at, label, ll) == 0 && at[ll] == ' ')) {
    at = strchr(at, '\n');
    if (at)
      at++;
  }
  if (!at)
    return NULL;
  const char *end = strchr(at, '\n');
  if (!end)
    end = at + strlen(at);
  size_t head = (size_t)(at - text), vl = strlen(values);
  char *out = malloc(strlen(text) + ll + vl + 2);
  if (!out)
    return NULL;
  memcpy(out, text, head);
  memcpy(out + head, label, ll);
  out[head + ll] = ' ';
  memcpy(out + head + ll + 1, values, vl);
  strcpy(out + head + ll + 1 + vl, end);
  return out;
}

#define PARTIAL "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
#define ROW "applications.partially_granted."

/* Reads the base report with up to three lines replaced (label, values
 * pairs; NULL ends). */
static gk_report *read_with(const char *l1, const char *v1, const char *l2,
                            const char *v2, const char *l3, const char *v3) {
  size_t len = 0;
  char *text = slurp("golden/cases/issue10_solve_dropped_blank.txt", &len);
  if (!CHECK_NOT_NULL(text))
    return NULL;
  const char *ls[3] = {l1, l2, l3}, *vs[3] = {v1, v2, v3};
  for (int i = 0; i < 3 && ls[i]; i++) {
    char *next = with_row(text, ls[i], vs[i]);
    free(text);
    if (!CHECK_NOT_NULL(next))
      return NULL;
    text = next;
  }
  gk_report *r = NULL;
  CHECK_STATUS(GK_OK,
               gk_read_buffer(text, strlen(text), "solve.txt", NULL, &r, NULL));
  free(text);
  return r;
}

/* The cell's value, or -1 when it is null. */
static int64_t cell(const gk_report *r, const char *path) {
  int64_t v = 0;
  int scale = 0;
  return gk_report_cell(r, path, &v, &scale) == GK_OK ? v : -1;
}

/* How many diagnostics of a rule the report has. */
static size_t count_rule(const gk_report *r, const char *rule) {
  size_t n = 0;
  for (size_t i = 0; i < gk_report_diag_count(r); i++)
    n += strcmp(gk_report_diag(r, i)->rule, rule) == 0;
  return n;
}

/* The first diagnostic of a rule at a path, or NULL. */
static const gk_diag *find_diag(const gk_report *r, const char *rule,
                                const char *path) {
  for (size_t i = 0; i < gk_report_diag_count(r); i++) {
    const gk_diag *d = gk_report_diag(r, i);
    if (strcmp(d->rule, rule) == 0 && d->path && strcmp(d->path, path) == 0)
      return d;
  }
  return NULL;
}

/* "3 1 2 0 0 6" for seven cells, research's column adding up without it:
 * only the blank in 科研机构 lets every column identity hold. */
TEST(dropped_blank_placed) {
  gk_report *r = read_with(NULL, NULL, NULL, NULL, NULL, NULL);
  if (!r)
    return;
  CHECK_INT_EQ(cell(r, ROW "natural_person"), 3);
  CHECK_INT_EQ(cell(r, ROW "business"), 1);
  CHECK_INT_EQ(cell(r, ROW "research"), -1);
  CHECK_INT_EQ(cell(r, ROW "nonprofit"), 2);
  CHECK_INT_EQ(cell(r, ROW "legal_service"), 0);
  CHECK_INT_EQ(cell(r, ROW "other"), 0);
  CHECK_INT_EQ(cell(r, ROW "total"), 6);
  CHECK_UINT_EQ(count_rule(r, "cell.placed-by-arithmetic"), 1);
  const gk_diag *d =
      find_diag(r, "cell.blank", "applications.partially_granted");
  if (CHECK_NOT_NULL(d))
    CHECK_TRUE(strstr(d->message, "科研机构") != NULL);
  gk_report_free(r);
}

/* "3 1 0 2 0 6": the blank is 法律服务机构's or 其他's, both 0 in their
 * columns: those two cells stay null, the cells every placement agrees on
 * are read, and the message lists both placements. */
TEST(zero_and_blank_side_by_side) {
  gk_report *r = read_with(PARTIAL, "3 1 0 2 0 6", NULL, NULL, NULL, NULL);
  if (!r)
    return;
  CHECK_INT_EQ(cell(r, ROW "natural_person"), 3);
  CHECK_INT_EQ(cell(r, ROW "business"), 1);
  CHECK_INT_EQ(cell(r, ROW "research"), 0);
  CHECK_INT_EQ(cell(r, ROW "nonprofit"), 2);
  CHECK_INT_EQ(cell(r, ROW "legal_service"), -1);
  CHECK_INT_EQ(cell(r, ROW "other"), -1);
  CHECK_INT_EQ(cell(r, ROW "total"), 6);
  CHECK_UINT_EQ(count_rule(r, "cell.placed-by-arithmetic"), 0);
  const gk_diag *d =
      find_diag(r, "cell.blank", "applications.partially_granted");
  if (CHECK_NOT_NULL(d)) {
    CHECK_TRUE(strstr(d->message, "2 种放法") != NULL);
    CHECK_TRUE(strstr(d->message, "3、1、0、2、0、空、6") != NULL);
    CHECK_TRUE(strstr(d->message, "3、1、0、2、空、0、6") != NULL);
  }
  gk_report_free(r);
}

/* A blank that hides a number: "3 1 2 0 0 7" adds up only with the blank
 * as 1, and the columns' totals count it.  Read as 0 no placement would
 * hold; read as unknown (>= 0) two do (the 1 in 商业企业 or in 科研机构, the
 * blank in the other): the two cells stay null, the rest is read. */
TEST(blank_is_not_zero) {
  gk_report *r =
      read_with(PARTIAL, "3 1 2 0 0 7", "（七）总计", "8 3 1 2 0 0 14",
                "一、本年新收政府信息公开申请数量", "10 3 1 2 0 0 16");
  if (!r)
    return;
  CHECK_INT_EQ(cell(r, ROW "natural_person"), 3);
  CHECK_INT_EQ(cell(r, ROW "business"), -1);
  CHECK_INT_EQ(cell(r, ROW "research"), -1);
  CHECK_INT_EQ(cell(r, ROW "nonprofit"), 2);
  CHECK_INT_EQ(cell(r, ROW "total"), 7);
  CHECK_NOT_NULL(find_diag(r, "cell.blank", "applications.partially_granted"));
  gk_report_free(r);
}

/* The table's fixed cells break an identity whatever the row holds (the
 * carried-forward total does not balance): no placement is taken from
 * that arithmetic, and the row is null with the row reader's message. */
TEST(broken_table_places_nothing) {
  gk_report *r = read_with("四、结转下年度继续办理", "3 0 0 0 0 0 4", NULL,
                           NULL, NULL, NULL);
  if (!r)
    return;
  CHECK_INT_EQ(cell(r, ROW "natural_person"), -1);
  CHECK_INT_EQ(cell(r, ROW "total"), -1);
  CHECK_UINT_EQ(count_rule(r, "cell.placed-by-arithmetic"), 0);
  const gk_diag *d =
      find_diag(r, "cell.blank", "applications.partially_granted");
  if (CHECK_NOT_NULL(d))
    CHECK_TRUE(strstr(d->message, "只读到 6 个数字，应有 7 个") != NULL);
  gk_report_free(r);
}

/* Values no placement fits, even the row's own arithmetic ("9 9 9 9 9 1":
 * a total of 1 under five 9s): null, the row reader's message. */
TEST(no_placement_fits) {
  gk_report *r = read_with(PARTIAL, "9 9 9 9 9 1", NULL, NULL, NULL, NULL);
  if (!r)
    return;
  CHECK_INT_EQ(cell(r, ROW "natural_person"), -1);
  CHECK_INT_EQ(cell(r, ROW "total"), -1);
  CHECK_UINT_EQ(count_rule(r, "cell.placed-by-arithmetic"), 0);
  CHECK_NOT_NULL(find_diag(r, "cell.blank", "applications.partially_granted"));
  gk_report_free(r);
}

/* Two cells dropped ("3 1 0 0 4" for seven), the four last counts 0 or
 * blank: the table's identities hold with the two blanks in any two of
 * them (six placements), so those four stay null; 3, 1 and 4 are where
 * every placement puts them. */
TEST(two_dropped_blanks) {
  gk_report *r =
      read_with(PARTIAL, "3 1 0 0 4", "（七）总计", "8 3 0 0 0 0 11",
                "一、本年新收政府信息公开申请数量", "10 3 0 0 0 0 13");
  if (!r)
    return;
  CHECK_INT_EQ(cell(r, ROW "natural_person"), 3);
  CHECK_INT_EQ(cell(r, ROW "business"), 1);
  CHECK_INT_EQ(cell(r, ROW "research"), -1);
  CHECK_INT_EQ(cell(r, ROW "other"), -1);
  CHECK_INT_EQ(cell(r, ROW "total"), 4);
  const gk_diag *d =
      find_diag(r, "cell.blank", "applications.partially_granted");
  if (CHECK_NOT_NULL(d))
    CHECK_TRUE(strstr(d->message, "6 种放法") != NULL);
  gk_report_free(r);
}

static const gk_test gk_tests[] = {
    TEST_ENTRY(dropped_blank_placed), TEST_ENTRY(zero_and_blank_side_by_side),
    TEST_ENTRY(blank_is_not_zero),    TEST_ENTRY(broken_table_places_nothing),
    TEST_ENTRY(no_placement_fits),    TEST_ENTRY(two_dropped_blanks),
};

GK_TEST_MAIN(gk_tests)
