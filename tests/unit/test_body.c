/*
 * test_body.c - unit tests of gk__body_kind() (src/checks/body.c): the
 * kind of body told from a name, as the signature or the title gives it.
 *
 * The table holds the names the rules depend on most (townships and
 * 街道 for the township deadline, departments for 1月31日, governments for
 * 3月31日) and the cases the heuristic is documented to get right or to
 * leave unknown.  A printed kind name makes a failure readable.
 *
 * Two tests run gk_check() on reports where what matters is not whether a
 * rule fires (tests/checks does that) but how: the severity of meta.late
 * by kind of body, and the expected/actual pair of an arith finding.
 */
#include <stdlib.h>

#include "base/base.h"
#include "checks/checks.h"
#include "harness.h"

typedef struct body_case {
  const char *name;
  gk_body_kind kind;
} body_case;

static bool check_cases(const body_case *cases, size_t n) {
  bool ok = true;
  for (size_t i = 0; i < n; i++) {
    gk_body_kind got = gk__body_kind(cases[i].name);
    if (got != cases[i].kind) {
      printf("  %s: got %s, want %s\n", cases[i].name, gk_body_kind_name(got),
             gk_body_kind_name(cases[i].kind));
      ok = false;
    }
  }
  return ok;
}

#define CHECK_CASES(table)                                                     \
  CHECK_TRUE(check_cases(table, sizeof(table) / sizeof(table)[0]))

TEST(body_township) {
  static const body_case cases[] = {
      {"米易县得石镇人民政府", GK_BODY_TOWNSHIP},
      {"辛店镇", GK_BODY_TOWNSHIP},
      {"某某街道办事处", GK_BODY_TOWNSHIP},
      {"云岭县人民政府竹溪街道办事处", GK_BODY_TOWNSHIP},
      {"攀枝花市米易县丙谷镇", GK_BODY_TOWNSHIP},
      {"石湾乡人民政府", GK_BODY_TOWNSHIP},
      {"某某区某某街道", GK_BODY_TOWNSHIP},
      {"平潭综合实验区金井片区管理局", GK_BODY_TOWNSHIP},
      /* Full-width spaces inside, as PDF text gives them. */
      {"青石镇　人民政府", GK_BODY_TOWNSHIP},
  };
  CHECK_CASES(cases);
}

TEST(body_county) {
  static const body_case cases[] = {
      {"洪泽区人民政府", GK_BODY_COUNTY_GOV},
      {"淮安市洪泽区人民政府", GK_BODY_COUNTY_GOV},
      {"米易县人民政府", GK_BODY_COUNTY_GOV},
      {"米易县人民政府办公室", GK_BODY_COUNTY_GOV},
      {"某某自治县人民政府", GK_BODY_COUNTY_GOV},
      {"某某旗人民政府", GK_BODY_COUNTY_GOV},
      /* County-level cities, when the prefecture is named. */
      {"苏州市昆山市人民政府", GK_BODY_COUNTY_GOV},
      {"恩施州利川市人民政府", GK_BODY_COUNTY_GOV},
      {"洪泽区", GK_BODY_COUNTY_GOV},
  };
  CHECK_CASES(cases);
}

TEST(body_city) {
  static const body_case cases[] = {
      {"淮安市人民政府", GK_BODY_CITY_GOV},
      {"江苏省淮安市人民政府", GK_BODY_CITY_GOV},
      {"贵州省贵阳市人民政府", GK_BODY_CITY_GOV},
      {"杭州市人民政府办公厅", GK_BODY_CITY_GOV},
      {"某某自治州人民政府", GK_BODY_CITY_GOV},
      {"某某地区行政公署", GK_BODY_CITY_GOV},
      {"淮安市", GK_BODY_CITY_GOV},
      /* The documented limit: a county-level city named alone. */
      {"义乌市人民政府", GK_BODY_CITY_GOV},
  };
  CHECK_CASES(cases);
}

TEST(body_province) {
  static const body_case cases[] = {
      {"上海市人民政府办公厅", GK_BODY_PROVINCE_GOV},
      {"上海市人民政府", GK_BODY_PROVINCE_GOV},
      {"河北省人民政府", GK_BODY_PROVINCE_GOV},
      {"广西壮族自治区人民政府办公厅", GK_BODY_PROVINCE_GOV},
      {"重庆市人民政府", GK_BODY_PROVINCE_GOV},
  };
  CHECK_CASES(cases);
}

TEST(body_department) {
  static const body_case cases[] = {
      {"河北省教育厅", GK_BODY_DEPARTMENT},
      {"米易县市场监督管理局", GK_BODY_DEPARTMENT},
      {"洪泽区公安局", GK_BODY_DEPARTMENT},
      {"淮安市人民政府国有资产监督管理委员会", GK_BODY_DEPARTMENT},
      {"某某市政务服务中心", GK_BODY_DEPARTMENT},
      {"国家税务总局上海市税务局", GK_BODY_DEPARTMENT},
      {"某某县委宣传部", GK_BODY_DEPARTMENT},
      {"区教育局", GK_BODY_DEPARTMENT},
  };
  CHECK_CASES(cases);
}

TEST(body_national) {
  static const body_case cases[] = {
      {"国家税务总局", GK_BODY_NATIONAL_DEPT},
      {"国家市场监督管理总局", GK_BODY_NATIONAL_DEPT},
      {"国务院办公厅", GK_BODY_NATIONAL_DEPT},
      {"教育部", GK_BODY_NATIONAL_DEPT},
      {"住房和城乡建设部", GK_BODY_NATIONAL_DEPT},
      {"审计署", GK_BODY_NATIONAL_DEPT},
      {"中国气象局", GK_BODY_NATIONAL_DEPT},
  };
  CHECK_CASES(cases);
}

TEST(body_from_title) {
  static const body_case cases[] = {
      {"XX县青石镇2024年政府信息公开工作年度报告", GK_BODY_TOWNSHIP},
      {"淮安市人民政府2023年度政府信息公开工作年度报告", GK_BODY_CITY_GOV},
      {"关于河北省教育厅2022年政府信息公开工作的年度报告", GK_BODY_DEPARTMENT},
      {"2024年洪泽区政府信息公开工作年度报告", GK_BODY_COUNTY_GOV},
      {"洪泽区人民政府信息公开工作年度报告", GK_BODY_COUNTY_GOV},
      {"米易县丙谷镇二〇二三年政府信息公开工作年度报告", GK_BODY_TOWNSHIP},
      {"2024年政府信息公开工作年度报告", GK_BODY_UNKNOWN},
  };
  CHECK_CASES(cases);
}

TEST(body_unknown) {
  static const body_case cases[] = {
      {NULL, GK_BODY_UNKNOWN},
      {"", GK_BODY_UNKNOWN},
      {"   ", GK_BODY_UNKNOWN},
      {"镇", GK_BODY_UNKNOWN},
      {"某某经济技术开发区管理委员会", GK_BODY_UNKNOWN},
      {"某某高新区", GK_BODY_UNKNOWN},
      {"政府信息公开工作年度报告", GK_BODY_UNKNOWN},
      {"hello", GK_BODY_UNKNOWN},
  };
  CHECK_CASES(cases);
}

/* The severity of the first diagnostic of `rule`, or -1 when none. */
static int severity_of(const gk_report *r, const char *rule) {
  for (size_t i = 0; i < gk_report_diag_count(r); i++) {
    const gk_diag *d = gk_report_diag(r, i);
    if (strcmp(d->rule, rule) == 0)
      return (int)d->severity;
  }
  return -1;
}

/* A report with no tables: enough for the meta rules. */
static gk_report *read_report(const char *body, const char *date) {
  char text[2048];
  snprintf(text, sizeof text,
           "%s2024年政府信息公开工作年度报告\n\n"
           "一、总体情况\n\n2024年，本机关依法做好政府信息公开工作。\n\n"
           "六、其他需要报告的事项\n\n本年度未收取信息处理费。\n\n"
           "%s\n%s\n",
           body, body, date);
  gk_report *r = NULL;
  const char *detail;
  if (gk_read_buffer(text, strlen(text), "t.txt", NULL, &r, &detail) != GK_OK)
    return NULL;
  return r;
}

TEST(late_severity_by_body) {
  static const struct {
    const char *body;
    const char *date;
    int severity;
  } cases[] = {
      {"岚山县松溪镇人民政府", "2025年2月20日", GK_SEV_WARNING},
      {"岚山县松溪镇人民政府", "2025年1月31日", -1},
      {"岚山县自然资源局", "2025年2月1日", GK_SEV_ERROR},
      {"岚山县人民政府", "2025年3月31日", -1},
      {"岚山县人民政府", "2025年4月1日", GK_SEV_ERROR},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    gk_report *r = read_report(cases[i].body, cases[i].date);
    if (!CHECK_NOT_NULL(r))
      continue;
    CHECK_STATUS(GK_OK, gk_check(r, NULL));
    if (!CHECK_INT_EQ(severity_of(r, "meta.late"), cases[i].severity))
      printf("  %s %s\n", cases[i].body, cases[i].date);
    gk_report_free(r);
  }
  /* A township deadline of 3月31日 makes the first one on time. */
  gk_report *r = read_report("岚山县松溪镇人民政府", "2025年2月20日");
  if (CHECK_NOT_NULL(r)) {
    gk_check_options o = {0};
    o.township_deadline_month = 3;
    o.township_deadline_day = 31;
    CHECK_STATUS(GK_OK, gk_check(r, &o));
    CHECK_INT_EQ(severity_of(r, "meta.late"), -1);
    gk_report_free(r);
  }
}

/* arith.balance on tests/checks/cases/arith_balance.txt: the 自然人 column
 * has 8 + 1 = 9 on the left and 8 + 2 = 10 on the right. */
TEST(arith_expected_actual) {
  gk_report *r = NULL;
  const char *detail;
  if (!CHECK_STATUS(GK_OK, gk_read_file(GK_CHECK_CASES "/arith_balance.txt",
                                        NULL, &r, &detail)))
    return;
  CHECK_STATUS(GK_OK, gk_check(r, NULL));
  const gk_diag *found = NULL;
  for (size_t i = 0; i < gk_report_diag_count(r) && !found; i++) {
    const gk_diag *d = gk_report_diag(r, i);
    if (strcmp(d->rule, "arith.balance") == 0 && d->path &&
        strcmp(d->path, "applications.processed_total.natural_person") == 0)
      found = d;
  }
  if (CHECK_NOT_NULL(found)) {
    CHECK_TRUE(found->has_expected);
    CHECK_INT_EQ(found->expected, 9);
    CHECK_INT_EQ(found->actual, 10);
    CHECK_INT_EQ(found->severity, GK_SEV_ERROR);
    CHECK_TRUE(found->line > 0);
    CHECK_NOT_NULL(strstr(found->message, "自然人"));
  }
  gk_report_free(r);
}

/* Issue 15: a finding longer than its 1,023-byte buffer was cut inside a
 * character, and the JSON gongkai wrote was then refused by its own model
 * reader.  Every offset of the cut within a three-byte character is
 * tried: the message must stay valid UTF-8 and the JSON must read back. */
TEST(issue15_long_finding_utf8) {
  gk_report *r = NULL;
  const char *detail;
  if (!CHECK_STATUS(GK_OK, gk_read_file(GK_CHECK_CASES "/arith_balance.txt",
                                        NULL, &r, &detail)))
    return;
  CHECK_STATUS(GK_OK, gk_check(r, NULL));
  char text[1400];
  for (size_t lead = 0; lead < 3; lead++) {
    size_t n = 0;
    for (size_t i = 0; i < lead; i++)
      text[n++] = 'x';
    while (n + 3 < sizeof text) {
      memcpy(text + n, "字", 3);
      n += 3;
    }
    text[n] = '\0';
    gk__check c;
    memset(&c, 0, sizeof c);
    c.r = r;
    const gk_diag *d =
        gk__finding(&c, GK_R_TEXT_THIN_PROBLEMS, 1, NULL, "%s", text);
    if (!CHECK_NOT_NULL(d))
      break;
    size_t len = strlen(d->message);
    CHECK_TRUE(len > 1000 && len < 1024);
    CHECK_TRUE(gk__utf8_valid(d->message, len));
  }
  char *json = NULL;
  size_t jlen = 0;
  if (CHECK_STATUS(GK_OK, gk_report_to_json(r, 0, &json, &jlen))) {
    gk_report *back = NULL;
    CHECK_STATUS(GK_OK, gk_read_model_json(json, jlen, &back, &detail));
    gk_report_free(back);
  }
  free(json);
  gk_report_free(r);
}

static const gk_test gk_tests[] = {
    TEST_ENTRY(body_township),
    TEST_ENTRY(body_county),
    TEST_ENTRY(body_city),
    TEST_ENTRY(body_province),
    TEST_ENTRY(body_department),
    TEST_ENTRY(body_national),
    TEST_ENTRY(body_from_title),
    TEST_ENTRY(body_unknown),
    TEST_ENTRY(late_severity_by_body),
    TEST_ENTRY(arith_expected_actual),
    TEST_ENTRY(issue15_long_finding_utf8),
};
GK_TEST_MAIN(gk_tests)
