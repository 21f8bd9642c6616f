/*
 * test_facts.c - unit tests of src/parse/prose.c, the numbers and
 * statements read from the prose.
 *
 * Most tests scan one made-up sentence with gk__facts_scan() and look for
 * the facts it must give and the ones it must not: counts next to their
 * trigger words, Chinese numerals, the 约/余/等 marks, and the numbers that
 * are no counts (years, dates, articles, enumerators, percentages, time
 * limits).  The last tests read a whole report to check the source lines.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "parse/prose.h"

typedef struct scanned {
  gk__arena arena;
  gk__facts f;
  const char *text;
} scanned;

/* Scans text as part `part` of a 2024 report. */
static void scan_part(scanned *s, const char *text, int part) {
  gk__arena_init(&s->arena);
  memset(&s->f, 0, sizeof s->f);
  s->text = text;
  CHECK_STATUS(
      GK_OK, gk__facts_scan(&s->arena, text, strlen(text), part, 2024, &s->f));
}

static void scan(scanned *s, const char *text) { scan_part(s, text, 1); }

static void done(scanned *s) { gk__arena_free(&s->arena); }

/* The n-th fact of a kind (0 first), or NULL. */
static const gk__fact *nth(const scanned *s, gk__fact_kind kind, int n) {
  for (size_t i = 0; i < s->f.n_facts; i++)
    if (s->f.facts[i].kind == kind && n-- == 0)
      return &s->f.facts[i];
  return NULL;
}

static const gk__fact *find(const scanned *s, gk__fact_kind kind) {
  return nth(s, kind, 0);
}

static size_t count_kind(const scanned *s, gk__fact_kind kind) {
  size_t n = 0;
  for (size_t i = 0; i < s->f.n_facts; i++)
    n += s->f.facts[i].kind == kind;
  return n;
}

/* The value of the only fact of a kind; -1 when there is none. */
static int64_t value_of(const scanned *s, gk__fact_kind kind) {
  const gk__fact *f = find(s, kind);
  return f && (f->flags & GK_FACT_HAS_VALUE) ? f->value : -1;
}

/* The fact's span in the text, for comparing with what it quotes. */
static bool span_is(const scanned *s, const gk__fact *f, const char *want) {
  return f && f->end - f->start == strlen(want) &&
         memcmp(s->text + f->start, want, strlen(want)) == 0;
}

/* ------------------------------------------------------ applications */

TEST(applications_counts_next_to_triggers) {
  scanned s;
  scan(&s,
       "全年共收到政府信息公开申请12件，上年结转2件。已办结13件，其中予以公开"
       "6件、部分公开2件、不予公开1件、无法提供3件、不予处理1件；结转下年度继"
       "续办理1件。");
  CHECK_INT_EQ(value_of(&s, GK_FACT_RECEIVED), 12);
  CHECK_INT_EQ(value_of(&s, GK_FACT_CARRIED_OVER), 2);
  CHECK_INT_EQ(value_of(&s, GK_FACT_HANDLED), 13);
  CHECK_INT_EQ(value_of(&s, GK_FACT_GRANTED), 6);
  CHECK_INT_EQ(value_of(&s, GK_FACT_CARRIED_FWD), 1);
  /* 部分公开 2 and the others belong to words that are no trigger. */
  CHECK_UINT_EQ(count_kind(&s, GK_FACT_GRANTED), 1);
  CHECK_UINT_EQ(count_kind(&s, GK_FACT_HANDLED), 1);
  /* 办结 names one cell; 收到 may mean the new or all on hand. */
  CHECK_TRUE(find(&s, GK_FACT_HANDLED)->flags & GK_FACT_STRICT);
  CHECK_FALSE(find(&s, GK_FACT_RECEIVED)->flags & GK_FACT_STRICT);
  CHECK_TRUE(
      span_is(&s, find(&s, GK_FACT_RECEIVED), "收到政府信息公开申请12件"));
  done(&s);
}

TEST(applications_need_the_topic) {
  scanned s;
  /* 办结 without 申请 in the paragraph, and 收到 of other business. */
  scan(&s, "全年办结12件。\n\n收到人大代表建议5件，办理政协提案3件。");
  CHECK_UINT_EQ(count_kind(&s, GK_FACT_HANDLED), 0);
  CHECK_UINT_EQ(count_kind(&s, GK_FACT_RECEIVED), 0);
  done(&s);
  /* The topic earlier in the paragraph is enough. */
  scan(&s, "依申请公开方面，全年共收到申请4件。已全部办结4件。");
  CHECK_INT_EQ(value_of(&s, GK_FACT_RECEIVED), 4);
  CHECK_INT_EQ(value_of(&s, GK_FACT_HANDLED), 4);
  done(&s);
}

TEST(trigger_after_the_count) {
  scanned s;
  /* In the clause after, when the count's own clause has no word. */
  scan(&s,
       "全年收到申请3件。另有1件因需征求第三方意见，结转至2025年继续办理。");
  CHECK_INT_EQ(value_of(&s, GK_FACT_CARRIED_FWD), 1);
  done(&s);
  /* In the same clause. */
  scan(&s, "本年度发生1件行政复议，系对政府信息公开答复不服。");
  CHECK_INT_EQ(value_of(&s, GK_FACT_REVIEW), 1);
  done(&s);
}

TEST(loose_words_join_the_word_before) {
  scanned s;
  /* 答复 and 办理 right after a trigger are part of it. */
  scan(&s,
       "所有办结的申请中同意公开答复9件，部分公开答复0件，转下一年度办理答复的"
       "有1件。");
  CHECK_INT_EQ(value_of(&s, GK_FACT_GRANTED), 9);
  CHECK_INT_EQ(value_of(&s, GK_FACT_CARRIED_FWD), 1);
  CHECK_UINT_EQ(count_kind(&s, GK_FACT_HANDLED), 0);
  done(&s);
  /* 当场答复 is a kind of reply, not the total handled. */
  scan(&s, "全年共办理政府信息公开申请12件，其中当场答复3件、延期答复1件。");
  CHECK_UINT_EQ(count_kind(&s, GK_FACT_HANDLED), 1);
  CHECK_INT_EQ(value_of(&s, GK_FACT_HANDLED), 12);
  CHECK_FALSE(find(&s, GK_FACT_HANDLED)->flags & GK_FACT_STRICT);
  done(&s);
}

TEST(chinese_numerals) {
  scanned s;
  scan(&s,
       "全年共收到政府信息公开申请十二件，上年结转两件，予以公开二十三件。");
  CHECK_INT_EQ(value_of(&s, GK_FACT_RECEIVED), 12);
  CHECK_INT_EQ(value_of(&s, GK_FACT_CARRIED_OVER), 2);
  CHECK_INT_EQ(value_of(&s, GK_FACT_GRANTED), 23);
  done(&s);
  scan(&s, "全年主动公开政府信息一百零五条。");
  CHECK_INT_EQ(value_of(&s, GK_FACT_PUBLISHED), 105);
  done(&s);
  scan(&s, "主动公开政府信息一千二百条。");
  CHECK_INT_EQ(value_of(&s, GK_FACT_PUBLISHED), 1200);
  done(&s);
  scan(&s, "主动公开政府信息十条。");
  CHECK_INT_EQ(value_of(&s, GK_FACT_PUBLISHED), 10);
  done(&s);
  /* Full-width digits fold to ASCII. */
  scan(&s, "收到政府信息公开申请１５件。");
  CHECK_INT_EQ(value_of(&s, GK_FACT_RECEIVED), 15);
  done(&s);
  /* A numeral inside a word is no number: 统一, 逐一, 第一. */
  scan(&s, "统一条件下收到申请，逐一件答复，第一次收到申请。");
  CHECK_UINT_EQ(count_kind(&s, GK_FACT_RECEIVED), 0);
  CHECK_UINT_EQ(count_kind(&s, GK_FACT_HANDLED), 0);
  done(&s);
}

/* --------------------------------------------------- not counts */

TEST(dates_and_years_are_not_counts) {
  scanned s;
  scan(&s,
       "统计期限自2024年1月1日起至2024年12月31日止，收到申请的日期为2024年3月"
       "5日。");
  CHECK_UINT_EQ(s.f.n_facts, 0);
  done(&s);
  /* 第二十条 is an article, （一） and 1. enumerators, 96.3% a rate, 7个
   * 工作日 a time limit. */
  scan(&s,
       "依据第二十条第（一）项，收到申请后1.在7个工作日内答复，满意率96.3%，"
       "收到申请的第3次补正。");
  CHECK_UINT_EQ(count_kind(&s, GK_FACT_RECEIVED), 0);
  CHECK_UINT_EQ(count_kind(&s, GK_FACT_HANDLED), 0);
  done(&s);
  /* The report's own year is fine; another year drops the count. */
  scan(&s, "2024年收到申请8件。2023年收到申请5件。");
  CHECK_UINT_EQ(count_kind(&s, GK_FACT_RECEIVED), 1);
  CHECK_INT_EQ(value_of(&s, GK_FACT_RECEIVED), 8);
  done(&s);
  /* "2019年以来" is a span up to now, not another year. */
  scan(&s, "对2019年以来制发的行政规范性文件开展清理，宣布废止1件。");
  CHECK_INT_EQ(value_of(&s, GK_FACT_DOC_REPEALED), 1);
  done(&s);
  /* A change is no count. */
  scan(&s, "收到申请12件，较上年增加3件。");
  CHECK_UINT_EQ(count_kind(&s, GK_FACT_RECEIVED), 1);
  CHECK_INT_EQ(value_of(&s, GK_FACT_RECEIVED), 12);
  done(&s);
}

/* ------------------------------------------------------ appeals */

TEST(appeals_counts_and_none) {
  scanned s;
  scan(&s, "全年因政府信息公开工作被申请行政复议2件，被提起行政诉讼1件。");
  CHECK_INT_EQ(value_of(&s, GK_FACT_REVIEW), 2);
  CHECK_INT_EQ(value_of(&s, GK_FACT_LITIGATION), 1);
  /* 申请 inside 被申请行政复议 makes no application count. */
  CHECK_UINT_EQ(count_kind(&s, GK_FACT_RECEIVED), 0);
  done(&s);
  scan(&s, "未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。");
  CHECK_NOT_NULL(find(&s, GK_FACT_NO_REVIEW));
  CHECK_NOT_NULL(find(&s, GK_FACT_NO_LITIGATION));
  CHECK_NULL(find(&s, GK_FACT_NO_APPLICATIONS));
  done(&s);
  /* 均 gives one number to both words. */
  scan(&s, "因政府信息公开被申请行政复议和提起行政诉讼均为0件。");
  CHECK_INT_EQ(value_of(&s, GK_FACT_REVIEW), 0);
  CHECK_INT_EQ(value_of(&s, GK_FACT_LITIGATION), 0);
  CHECK_TRUE(find(&s, GK_FACT_REVIEW)->flags & GK_FACT_BOTH);
  done(&s);
  /* 行政复议 a body handles as the review organ: no 公开 in the sentence. */
  scan(&s, "全年办理行政复议案件120件。");
  CHECK_UINT_EQ(count_kind(&s, GK_FACT_REVIEW), 0);
  done(&s);
  /* ... but in part 四 it is the part's subject. */
  scan_part(&s, "本年度被申请行政复议1件。", 4);
  CHECK_INT_EQ(value_of(&s, GK_FACT_REVIEW), 1);
  done(&s);
  /* None of a result is not none of the case. */
  scan(&s, "全年未发生因政府信息公开被行政复议纠错或行政诉讼败诉的情形。");
  CHECK_NULL(find(&s, GK_FACT_NO_REVIEW));
  CHECK_NULL(find(&s, GK_FACT_NO_LITIGATION));
  done(&s);
  /* The 结果 words of table 4 keep their numbers. */
  scan(&s, "政府信息公开行政复议结果维持1件、结果纠正1件。");
  CHECK_UINT_EQ(count_kind(&s, GK_FACT_REVIEW), 0);
  done(&s);
}

TEST(none_of_applications) {
  static const char *const yes[] = {
      "全年未收到政府信息公开申请。",
      "本年度无依申请公开情况。",
      "全年未收到依申请公开事项。",
      "本机关没有收到公民、法人的政府信息公开申请。",
  };
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
    scanned s;
    scan(&s, yes[i]);
    if (!CHECK_NOT_NULL(find(&s, GK_FACT_NO_APPLICATIONS)))
      printf("  text: %s\n", yes[i]);
    done(&s);
  }
  static const char *const no[] = {
      "申请人无正当理由大量反复申请的，不予处理。",
      "未收到补正材料的，视为放弃申请人的权利。",
      "全年未收到群众对依申请公开工作的投诉。",
  };
  for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
    scanned s;
    scan(&s, no[i]);
    if (!CHECK_NULL(find(&s, GK_FACT_NO_APPLICATIONS)))
      printf("  text: %s\n", no[i]);
    done(&s);
  }
}

/* ------------------------------------------------------ documents */

TEST(normative_documents) {
  scanned s;
  /* The clause after inherits 规范性文件 when it is short. */
  scan(&s, "全年制发行政规范性文件2件，废止1件，现行有效9件。");
  CHECK_INT_EQ(value_of(&s, GK_FACT_DOC_MADE), 2);
  CHECK_INT_EQ(value_of(&s, GK_FACT_DOC_REPEALED), 1);
  CHECK_UINT_EQ(count_kind(&s, GK_FACT_DOC_MADE), 1);
  done(&s);
  scan(&s, "2024年我镇制定行政规范性文件0件，更新0件、废止0件。");
  CHECK_INT_EQ(value_of(&s, GK_FACT_DOC_MADE), 0);
  CHECK_INT_EQ(value_of(&s, GK_FACT_DOC_REPEALED), 0);
  done(&s);
  /* Other things made, and 规章, are not 规范性文件. */
  scan(&s, "制发行政规范性文件2件，制定工作制度3项。制定规章1件。");
  CHECK_UINT_EQ(count_kind(&s, GK_FACT_DOC_MADE), 1);
  CHECK_INT_EQ(value_of(&s, GK_FACT_DOC_MADE), 2);
  done(&s);
}

/* ------------------------------------------------------------ fee */

TEST(fee_statements) {
  scanned s;
  scan_part(
      &s, "本年度未依据《政府信息公开信息处理费管理办法》收取信息处理费。", 6);
  CHECK_NOT_NULL(find(&s, GK_FACT_FEE_NONE));
  CHECK_NULL(find(&s, GK_FACT_FEE_COLLECTED));
  CHECK_INT_EQ(find(&s, GK_FACT_FEE_NONE)->part, 6);
  done(&s);
  scan_part(&s, "本年度共收取信息处理费200元。", 6);
  CHECK_INT_EQ(value_of(&s, GK_FACT_FEE_COLLECTED), 20000); /* in 分 */
  done(&s);
  scan_part(&s, "本年度收取信息处理费0元。", 6);
  CHECK_NOT_NULL(find(&s, GK_FACT_FEE_NONE));
  done(&s);
  scan_part(
      &s,
      "本年度无依据《政府信息公开信息处理费管理办法》收取信息处理费的情况。",
      6);
  CHECK_NOT_NULL(find(&s, GK_FACT_FEE_NONE));
  done(&s);
  /* A heading names the fee without saying anything either way. */
  scan_part(&s, "（一）信息处理费收取情况", 6);
  CHECK_NOT_NULL(find(&s, GK_FACT_FEE_MENTION));
  CHECK_NULL(find(&s, GK_FACT_FEE_COLLECTED));
  done(&s);
  scan(&s, "所有申请均在法定期限内答复，未收取任何费用。");
  CHECK_NOT_NULL(find(&s, GK_FACT_FEE_NONE));
  done(&s);
  /* 行政事业性收费 is table 2's, not the 信息处理费. */
  scan_part(&s, "行政事业性收费0万元。", 6);
  CHECK_UINT_EQ(s.f.n_facts, 0);
  done(&s);
}

/* ----------------------------------------------------- breakdowns */

TEST(breakdown_sums) {
  scanned s;
  scan(&s,
       "主动公开政府信息218条，其中机构职能类4条、政策文件类21条、财政资金类"
       "16条、乡村振兴类47条、民生保障类58条、工作动态72条。");
  if (CHECK_UINT_EQ(s.f.n_breakdowns, 1)) {
    CHECK_INT_EQ(s.f.breakdowns[0].total, 218);
    CHECK_INT_EQ(s.f.breakdowns[0].sum, 218);
    CHECK_UINT_EQ(s.f.breakdowns[0].n_parts, 6);
    CHECK_TRUE(s.f.breakdowns[0].reaches_total);
    CHECK_STR_EQ(s.f.breakdowns[0].unit, "条");
  }
  done(&s);
  /* Parts across 、 ， and ； up to the end of the sentence. */
  scan(&s,
       "主动公开信息50条，其中工作动态37条，涵盖各方面工作；通知公告13条，包括"
       "政策解读。");
  if (CHECK_UINT_EQ(s.f.n_breakdowns, 1))
    CHECK_INT_EQ(s.f.breakdowns[0].sum, 50);
  done(&s);
  /* Not adding up. */
  scan(&s,
       "主动公开政府信息150条，其中政策文件40条、工作动态50条、通知公告50条。");
  if (CHECK_UINT_EQ(s.f.n_breakdowns, 1)) {
    CHECK_INT_EQ(s.f.breakdowns[0].total, 150);
    CHECK_INT_EQ(s.f.breakdowns[0].sum, 140);
    CHECK_FALSE(s.f.breakdowns[0].reaches_total);
  }
  done(&s);
  /* A list that also names things it does not count, and 其中包括. */
  scan(&s,
       "发布政府信息393件，其中行政规范性文件13件；部门预算和决算信息；规划计划"
       "文件2件。");
  if (CHECK_UINT_EQ(s.f.n_breakdowns, 1)) {
    CHECK_TRUE(s.f.breakdowns[0].gaps);
    CHECK_FALSE(s.f.breakdowns[0].etc);
  }
  done(&s);
  scan(&s, "发布政府信息393件，其中包括行政规范性文件13件、规划计划文件2件。");
  if (CHECK_UINT_EQ(s.f.n_breakdowns, 1)) {
    CHECK_TRUE(s.f.breakdowns[0].etc);
    CHECK_FALSE(s.f.breakdowns[0].gaps);
  }
  done(&s);
  /* 其中 with no total in reach. */
  scan(&s, "积极推送工作信息。其中，省级媒体刊登1条，市级媒体5条。");
  CHECK_UINT_EQ(s.f.n_breakdowns, 0);
  done(&s);
}

TEST(approx_and_etc_marks) {
  scanned s;
  scan(&s, "主动公开政府信息约300条，其中工作动态100条、通知公告50条。");
  if (CHECK_UINT_EQ(s.f.n_breakdowns, 1))
    CHECK_TRUE(s.f.breakdowns[0].approx);
  CHECK_TRUE(find(&s, GK_FACT_PUBLISHED)->flags & GK_FACT_APPROX);
  done(&s);
  scan(&s, "主动公开政府信息300条，其中工作动态100条、通知公告50条等。");
  if (CHECK_UINT_EQ(s.f.n_breakdowns, 1)) {
    CHECK_TRUE(s.f.breakdowns[0].etc);
    CHECK_FALSE(s.f.breakdowns[0].approx);
  }
  done(&s);
  scan(&s,
       "全年收到政府信息公开申请10余件，办结20多件，主动公开信息100条以上。");
  CHECK_TRUE(find(&s, GK_FACT_RECEIVED)->flags & GK_FACT_APPROX);
  CHECK_TRUE(find(&s, GK_FACT_HANDLED)->flags & GK_FACT_APPROX);
  CHECK_TRUE(find(&s, GK_FACT_PUBLISHED)->flags & GK_FACT_APPROX);
  CHECK_INT_EQ(value_of(&s, GK_FACT_RECEIVED), 10);
  done(&s);
  scan(&s, "全年收到政府信息公开申请近十件。");
  CHECK_TRUE(find(&s, GK_FACT_RECEIVED)->flags & GK_FACT_APPROX);
  done(&s);
}

/* ------------------------------------------------------ the report */

static const char report_text[] =
    "山前县白沙镇2024年政府信息公开工作年度报告\n" /* 1 */
    "\n"                                           /* 2 */
    "一、总体情况\n"                               /* 3 */
    "\n"                                           /* 4 */
    "全年主动公开政府信息40条。\n"                 /* 5 */
    "\n"                                           /* 6 */
    "全年共收到政府信息公开申请3件，\n"            /* 7 */
    "办结3件。\n"                                  /* 8 */
    "二、主动公开政府信息情况\n"                   /* 9 */
    "三、收到和处理政府信息公开申请情况\n"         /* 10 */
    "四、政府信息公开行政复议、行政诉讼情况\n"     /* 11 */
    "五、存在的主要问题及改进情况\n"               /* 12 */
    "无。\n"                                       /* 13 */
    "六、其他需要报告的事项\n"                     /* 14 */
    "本年度未收取信息处理费。\n"                   /* 15 */
    "白沙镇人民政府\n"                             /* 16 */
    "2025年1月10日\n";                             /* 17 */

TEST(report_lines) {
  gk_report *r = NULL;
  const char *detail;
  if (!CHECK_STATUS(GK_OK, gk_read_buffer(report_text, strlen(report_text),
                                          "t.txt", NULL, &r, &detail)))
    return;
  /* The parser ran the prose pass. */
  const gk__facts *f = r->facts;
  if (!CHECK_NOT_NULL(f))
    goto out;
  /* A second run (here without the parser's stream) keeps the same
   * facts. */
  CHECK_STATUS(GK_OK, gk__parse_prose(r, NULL));
  CHECK_TRUE(r->facts == f);
  int seen = 0;
  for (size_t i = 0; i < f->n_facts; i++) {
    const gk__fact *x = &f->facts[i];
    switch (x->kind) {
    case GK_FACT_PUBLISHED:
      CHECK_UINT_EQ(x->line, 5);
      seen |= 1;
      break;
    case GK_FACT_RECEIVED:
      CHECK_UINT_EQ(x->line, 7);
      seen |= 2;
      break;
    case GK_FACT_HANDLED:
      /* The part's text joins lines 7 and 8 into one paragraph. */
      CHECK_UINT_EQ(x->line, 8);
      seen |= 4;
      break;
    case GK_FACT_FEE_NONE:
      CHECK_UINT_EQ(x->line, 15);
      CHECK_INT_EQ(x->part, 6);
      seen |= 8;
      break;
    default:
      break;
    }
  }
  CHECK_INT_EQ(seen, 15);
out:
  gk_report_free(r);
}

static const gk_test gk_tests[] = {
    TEST_ENTRY(applications_counts_next_to_triggers),
    TEST_ENTRY(applications_need_the_topic),
    TEST_ENTRY(trigger_after_the_count),
    TEST_ENTRY(loose_words_join_the_word_before),
    TEST_ENTRY(chinese_numerals),
    TEST_ENTRY(dates_and_years_are_not_counts),
    TEST_ENTRY(appeals_counts_and_none),
    TEST_ENTRY(none_of_applications),
    TEST_ENTRY(normative_documents),
    TEST_ENTRY(fee_statements),
    TEST_ENTRY(breakdown_sums),
    TEST_ENTRY(approx_and_etc_marks),
    TEST_ENTRY(report_lines),
};

GK_TEST_MAIN(gk_tests)
