/*
 * format.c - the national format as data (see format.h).
 *
 * Sources: shared/spec/format.md §1.2 (parts), §1.4–1.6 (tables of the
 * 2021 edition), §1.7 (identities), §2.1–2.2 (the 2019 trial edition).
 * Labels are written as the standard prints them; the parser folds both
 * sides (NFKC, spaces removed) before comparing, so full-width and
 * half-width punctuation need no separate variants here.
 */
#include <string.h>

#include "format.h"

/* ------------------------------------------------------------- the parts */

static const char *const kw_part1[] = {"总体情况", "概述", "基本情况", NULL};
static const char *const kw_part2[] = {"主动公开政府信息", "主动公开情况",
                                       NULL};
static const char *const kw_part3[] = {"收到和处理政府信息公开申请",
                                       "依申请公开政府信息", NULL};
static const char *const kw_part4[] = {"行政复议", "行政诉讼", NULL};
static const char *const kw_part5[] = {"存在的主要问题", "主要问题", "改进情况",
                                       NULL};
static const char *const kw_part6[] = {"其他需要报告", "其他需要说明",
                                       "其他事项", NULL};

const gk__partdef gk__parts[6] = {
    {1, "一、总体情况", kw_part1},
    {2, "二、主动公开政府信息情况", kw_part2},
    {3, "三、收到和处理政府信息公开申请情况", kw_part3},
    {4, "四、政府信息公开行政复议、行政诉讼情况", kw_part4},
    {5, "五、存在的主要问题及改进情况", kw_part5},
    {6, "六、其他需要报告的事项", kw_part6},
};

/* ------------------------------------------------------ table 2 (2021) */

static const gk__coldef t2_doc_cols_2021[] = {
    {"issued", {"本年制发件数", NULL, NULL}, GK_V_COUNT},
    {"repealed", {"本年废止件数", NULL, NULL}, GK_V_COUNT},
    {"in_force", {"现行有效件数", NULL, NULL}, GK_V_COUNT},
};
static const gk__coldef t2_decisions_2021[] = {
    {"decisions", {"本年处理决定数量", NULL, NULL}, GK_V_COUNT},
};
static const gk__coldef t2_fee_2021[] = {
    {"amount",
     {"本年收费金额（单位：万元）", "本年收费金额", NULL},
     GK_V_MONEY},
};

static const char *const v_normative_2021[] = {"规范性文件", NULL};

static const gk__rowdef t2_rows_2021[] = {
    {"rules", {"规章", NULL, NULL}, t2_doc_cols_2021, 3, false, NULL},
    {"normative_documents",
     {"行政规范性文件", NULL, v_normative_2021},
     t2_doc_cols_2021,
     3,
     false,
     NULL},
    {"licensing", {"行政许可", NULL, NULL}, t2_decisions_2021, 1, true, NULL},
    {"punishment", {"行政处罚", NULL, NULL}, t2_decisions_2021, 1, true, NULL},
    {"coercion", {"行政强制", NULL, NULL}, t2_decisions_2021, 1, true, NULL},
    {"fees", {"行政事业性收费", NULL, NULL}, t2_fee_2021, 1, true, NULL},
};

static const gk__label t2_furniture_2021[] = {
    {"第二十条第（一）项", NULL, NULL},
    {"第二十条第（五）项", NULL, NULL},
    {"第二十条第（六）项", NULL, NULL},
    {"第二十条第（八）项", NULL, NULL},
    {"信息内容", NULL, NULL},
    {"本年制发件数", NULL, NULL},
    {"本年废止件数", NULL, NULL},
    {"现行有效件数", NULL, NULL},
    {"本年处理决定数量", NULL, NULL},
    {"本年收费金额（单位：万元）", "本年收费金额", NULL},
};

static const gk__tabledef t2_2021 = {
    GK_T_PROACTIVE,
    "proactive",
    "二、主动公开政府信息情况",
    t2_rows_2021,
    6,
    3,
    GK_LAYOUT_ROWS,
    t2_furniture_2021,
    sizeof t2_furniture_2021 / sizeof t2_furniture_2021[0],
    NULL,
    0,
};

/* ------------------------------------------------------ table 3 (both) */

static const char *const v_research[] = {"科研", NULL};
static const char *const v_nonprofit[] = {"社会公益", "公益组织", NULL};
static const char *const v_legal[] = {"法律服务", NULL};
static const char *const v_business[] = {"商业", NULL};

static const gk__coldef t3_cols[] = {
    {"natural_person", {"自然人", NULL, NULL}, GK_V_COUNT},
    {"business", {"商业企业", NULL, v_business}, GK_V_COUNT},
    {"research", {"科研机构", NULL, v_research}, GK_V_COUNT},
    {"nonprofit", {"社会公益组织", NULL, v_nonprofit}, GK_V_COUNT},
    {"legal_service", {"法律服务机构", NULL, v_legal}, GK_V_COUNT},
    {"other", {"其他", NULL, NULL}, GK_V_COUNT},
    {"total", {"总计", NULL, NULL}, GK_V_COUNT},
};

#define T3ROW(key, text, anchor, group)                                        \
  { key, {text, anchor, NULL}, t3_cols, 7, false, group }

static const char G3[] = "（三）不予公开";
static const char G4[] = "（四）无法提供";
static const char G5[] = "（五）不予处理";
static const char G6[] = "（六）其他处理";

/* Rows shared by both editions: 一、二 and the results up to （五）. */
#define T3_ROWS_HEAD                                                           \
  T3ROW("received", "一、本年新收政府信息公开申请数量", "本年新收", NULL),     \
      T3ROW("carried_over", "二、上年结转政府信息公开申请数量", "上年结转",    \
            NULL),                                                             \
      T3ROW("granted", "（一）予以公开", "予以公开", NULL),                    \
      T3ROW("partially_granted",                                               \
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",        \
            "部分公开", NULL),                                                 \
      T3ROW("withheld_state_secret", "1.属于国家秘密", "国家秘密", G3),        \
      T3ROW("withheld_prohibited", "2.其他法律行政法规禁止公开", "禁止公开",   \
            G3),                                                               \
      T3ROW("withheld_security", "3.危及“三安全一稳定”", "三安全一稳定", G3),  \
      T3ROW("withheld_third_party", "4.保护第三方合法权益", "第三方合法权益",  \
            G3),                                                               \
      T3ROW("withheld_internal", "5.属于三类内部事务信息", "内部事务信息",     \
            G3),                                                               \
      T3ROW("withheld_process", "6.属于四类过程性信息", "过程性信息", G3),     \
      T3ROW("withheld_enforcement", "7.属于行政执法案卷", "行政执法案卷", G3), \
      T3ROW("withheld_query", "8.属于行政查询事项", "行政查询事项", G3),       \
      T3ROW("unavailable_not_held", "1.本机关不掌握相关政府信息", "不掌握",    \
            G4),                                                               \
      T3ROW("unavailable_needs_creation", "2.没有现成信息需要另行制作",        \
            "另行制作", G4),                                                   \
      T3ROW("unavailable_unclear", "3.补正后申请内容仍不明确", "仍不明确",     \
            G4),                                                               \
      T3ROW("declined_complaint", "1.信访举报投诉类申请", "信访举报投诉", G5), \
      T3ROW("declined_duplicate", "2.重复申请", "重复申请", G5),               \
      T3ROW("declined_publication", "3.要求提供公开出版物", "公开出版物", G5), \
      T3ROW("declined_excessive", "4.无正当理由大量反复申请", "大量反复申请",  \
            G5),                                                               \
      T3ROW("declined_confirmation", "5.要求行政机关确认或重新出具已获取信息", \
            "重新出具", G5),

#define T3_ROWS_TAIL                                                           \
  T3ROW("processed_total", "（七）总计", "总计", NULL),                        \
      T3ROW("carried_forward", "四、结转下年度继续办理", "结转下年度", NULL),

static const gk__rowdef t3_rows_2021[] = {
    T3_ROWS_HEAD T3ROW(
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "逾期不补正", G6),
    T3ROW("other_fee_unpaid",
          "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公"
          "开申请",
          "收费通知", G6),
    T3ROW("other_misc", "3.其他", "其他", G6), T3_ROWS_TAIL};

/* 2019: （六）其他处理 is one row. */
static const gk__rowdef t3_rows_2019[] = {
    T3_ROWS_HEAD T3ROW("other", "（六）其他处理", "其他处理", NULL),
    T3_ROWS_TAIL};

static const gk__label t3_furniture[] = {
    {"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
     "勾稽关系", NULL},
    {"申请人情况", NULL, NULL},
    {"法人或其他组织", NULL, NULL},
    {"三、本年度办理结果", "本年度办理结果", NULL},
    {"（三）不予公开", "不予公开", NULL},
    {"（四）无法提供", "无法提供", NULL},
    {"（五）不予处理", "不予处理", NULL},
    {"（六）其他处理", "其他处理", NULL},
};

static const gk__tabledef t3_2021 = {
    GK_T_APPLICATIONS,
    "applications",
    "三、收到和处理政府信息公开申请情况",
    t3_rows_2021,
    25,
    7,
    GK_LAYOUT_ROWS,
    t3_furniture,
    sizeof t3_furniture / sizeof t3_furniture[0],
    t3_cols,
    7,
};

static const gk__tabledef t3_2019 = {
    GK_T_APPLICATIONS,
    "applications",
    "三、收到和处理政府信息公开申请情况",
    t3_rows_2019,
    23,
    7,
    GK_LAYOUT_ROWS,
    t3_furniture,
    sizeof t3_furniture / sizeof t3_furniture[0],
    t3_cols,
    7,
};

/* ------------------------------------------------------ table 4 (both) */

static const gk__coldef t4_cols[] = {
    {"upheld", {"结果维持", NULL, NULL}, GK_V_COUNT},
    {"corrected", {"结果纠正", NULL, NULL}, GK_V_COUNT},
    {"other", {"其他结果", NULL, NULL}, GK_V_COUNT},
    {"pending", {"尚未审结", NULL, NULL}, GK_V_COUNT},
    {"total", {"总计", NULL, NULL}, GK_V_COUNT},
};

static const gk__rowdef t4_rows[] = {
    {"review", {"行政复议", NULL, NULL}, t4_cols, 5, false, NULL},
    {"litigation_direct",
     {"未经复议直接起诉", NULL, NULL},
     t4_cols,
     5,
     false,
     "行政诉讼"},
    {"litigation_after_review",
     {"复议后起诉", NULL, NULL},
     t4_cols,
     5,
     false,
     "行政诉讼"},
};

static const gk__label t4_furniture[] = {
    {"行政复议", NULL, NULL},
    {"行政诉讼", NULL, NULL},
    {"未经复议直接起诉", NULL, NULL},
    {"复议后起诉", NULL, NULL},
    {"结果维持", NULL, NULL},
    {"结果纠正", NULL, NULL},
    {"其他结果", NULL, NULL},
    {"尚未审结", NULL, NULL},
    {"总计", NULL, NULL},
};

static const gk__tabledef t4_both = {
    GK_T_APPEALS,
    "appeals",
    "四、政府信息公开行政复议、行政诉讼情况",
    t4_rows,
    3,
    5,
    GK_LAYOUT_BLOCKS,
    t4_furniture,
    sizeof t4_furniture / sizeof t4_furniture[0],
    t4_cols,
    5,
};

/* ------------------------------------------------------ table 2 (2019) */

static const gk__coldef t2_doc_cols_2019[] = {
    {"made", {"本年新制作数量", NULL, NULL}, GK_V_COUNT},
    {"published", {"本年新公开数量", NULL, NULL}, GK_V_COUNT},
    {"total", {"对外公开总数量", NULL, NULL}, GK_V_COUNT},
};
static const gk__coldef t2_items_2019[] = {
    {"previous", {"上一年项目数量", NULL, NULL}, GK_V_COUNT},
    {"change", {"本年增/减", NULL, NULL}, GK_V_SIGNED},
    {"decisions", {"处理决定数量", NULL, NULL}, GK_V_COUNT},
};
static const gk__coldef t2_procurement_2019[] = {
    {"items", {"采购项目数量", NULL, NULL}, GK_V_COUNT},
    {"amount_yuan", {"采购总金额", NULL, NULL}, GK_V_AMOUNT},
};

static const gk__rowdef t2_rows_2019[] = {
    {"rules", {"规章", NULL, NULL}, t2_doc_cols_2019, 3, false, NULL},
    {"normative_documents",
     {"规范性文件", NULL, NULL},
     t2_doc_cols_2019,
     3,
     false,
     NULL},
    {"licensing", {"行政许可", NULL, NULL}, t2_items_2019, 3, false, NULL},
    {"other_services",
     {"其他对外管理服务事项", NULL, NULL},
     t2_items_2019,
     3,
     false,
     NULL},
    {"punishment", {"行政处罚", NULL, NULL}, t2_items_2019, 3, false, NULL},
    {"coercion", {"行政强制", NULL, NULL}, t2_items_2019, 3, false, NULL},
    {"fees", {"行政事业性收费", NULL, NULL}, t2_items_2019, 2, false, NULL},
    {"procurement",
     {"政府集中采购", NULL, NULL},
     t2_procurement_2019,
     2,
     false,
     NULL},
};

static const gk__label t2_furniture_2019[] = {
    {"第二十条第（一）项", NULL, NULL}, {"第二十条第（五）项", NULL, NULL},
    {"第二十条第（六）项", NULL, NULL}, {"第二十条第（八）项", NULL, NULL},
    {"第二十条第（九）项", NULL, NULL}, {"信息内容", NULL, NULL},
    {"本年新制作数量", NULL, NULL},     {"本年新公开数量", NULL, NULL},
    {"对外公开总数量", NULL, NULL},     {"上一年项目数量", NULL, NULL},
    {"本年增/减", NULL, NULL},          {"处理决定数量", NULL, NULL},
    {"采购项目数量", NULL, NULL},       {"采购总金额", NULL, NULL},
};

static const gk__tabledef t2_2019 = {
    GK_T_PROACTIVE,
    "proactive",
    "二、主动公开政府信息情况",
    t2_rows_2019,
    8,
    3,
    GK_LAYOUT_ROWS,
    t2_furniture_2019,
    sizeof t2_furniture_2019 / sizeof t2_furniture_2019[0],
    NULL,
    0,
};

/* --------------------------------------------------------- identities */

/* Table 3 row indexes (2021): 0 received, 1 carried_over, 2..22 results,
 * 23 processed_total, 24 carried_forward.  2019: results 2..20, 21 total,
 * 22 carried_forward. */
#define ALL_T3_ROWS_2021 ((1u << 25) - 1)
#define ALL_T3_ROWS_2019 ((1u << 23) - 1)
#define ALL_T3_COLS ((1u << 7) - 1)
#define ALL_T4_ROWS ((1u << 3) - 1)

static const gk__identity ids_2021[] = {
    {"I-1",
     "arith.row-total",
     GK_T_APPLICATIONS,
     GK_AXIS_COLS,
     {6, -1},
     {0, 1, 2, 3, 4, 5, -1},
     ALL_T3_ROWS_2021},
    {"I-2",
     "arith.results-total",
     GK_T_APPLICATIONS,
     GK_AXIS_ROWS,
     {23, -1},
     {2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12,
      13, 14, 15, 16, 17, 18, 19, 20, 21, 22, -1},
     ALL_T3_COLS},
    {"I-3",
     "arith.balance",
     GK_T_APPLICATIONS,
     GK_AXIS_ROWS,
     {0, 1, -1},
     {23, 24, -1},
     ALL_T3_COLS},
    {"I-4",
     "arith.appeal-total",
     GK_T_APPEALS,
     GK_AXIS_COLS,
     {4, -1},
     {0, 1, 2, 3, -1},
     ALL_T4_ROWS},
};

static const gk__identity ids_2019[] = {
    {"I-1",
     "arith.row-total",
     GK_T_APPLICATIONS,
     GK_AXIS_COLS,
     {6, -1},
     {0, 1, 2, 3, 4, 5, -1},
     ALL_T3_ROWS_2019},
    {"I-2",
     "arith.results-total",
     GK_T_APPLICATIONS,
     GK_AXIS_ROWS,
     {21, -1},
     {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, -1},
     ALL_T3_COLS},
    {"I-3",
     "arith.balance",
     GK_T_APPLICATIONS,
     GK_AXIS_ROWS,
     {0, 1, -1},
     {21, 22, -1},
     ALL_T3_COLS},
    {"I-4",
     "arith.appeal-total",
     GK_T_APPEALS,
     GK_AXIS_COLS,
     {4, -1},
     {0, 1, 2, 3, -1},
     ALL_T4_ROWS},
};

/* ------------------------------------------------------------ editions */

static const char *const markers_2021[] = {"本年制发件数",
                                           "本年废止件数",
                                           "现行有效件数",
                                           "本年处理决定数量",
                                           "本年收费金额",
                                           "逾期未按收费通知要求缴纳费用",
                                           NULL};
static const char *const markers_2019[] = {
    "本年新制作数量",       "本年新公开数量",
    "对外公开总数量",       "上一年项目数量",
    "其他对外管理服务事项", "政府集中采购",
    "采购总金额",           NULL};

const gk__edition_def gk__edition_2021 = {
    GK_EDITION_2021, "2021",   {&t2_2021, &t3_2021, &t4_both},
    markers_2021,    ids_2021, sizeof ids_2021 / sizeof ids_2021[0]};

const gk__edition_def gk__edition_2019 = {
    GK_EDITION_2019, "2019",   {&t2_2019, &t3_2019, &t4_both},
    markers_2019,    ids_2019, sizeof ids_2019 / sizeof ids_2019[0]};

const gk__edition_def *gk__edition_get(gk_edition e) {
  switch (e) {
  case GK_EDITION_2021:
    return &gk__edition_2021;
  case GK_EDITION_2019:
    return &gk__edition_2019;
  default:
    return NULL;
  }
}

const char *gk__edition_name(gk_edition e) {
  switch (e) {
  case GK_EDITION_2021:
    return "2021";
  case GK_EDITION_2019:
    return "2019";
  case GK_EDITION_PRE2019:
    return "pre2019";
  default:
    return NULL;
  }
}

/* ---------------------------------------------------------- vocabulary */

const char *const gk__blank_markers[] = {"/",  "-",  "--", "—", "——",
                                         "无", "空", "\\", NULL};

const char *const gk__agency_suffixes[] = {
    "人民政府", "政府", "办公室", "办公厅",     "委员会", "管理委员会",
    "管委会",   "局",   "厅",     "委",         "办",     "中心",
    "院",       "处",   "署",     "街道办事处", "办事处", "管理局",
    "镇",       "乡",   "街道",   NULL};

const char *const gk__title_markers[] = {"政府信息公开", "报告", NULL};

int gk__row_index(const gk__tabledef *t, const char *key) {
  for (int i = 0; i < t->n_rows; i++)
    if (strcmp(t->rows[i].key, key) == 0)
      return i;
  return -1;
}

int gk__col_index(const gk__rowdef *r, const char *key) {
  for (int i = 0; i < r->n_cols; i++)
    if (strcmp(r->cols[i].key, key) == 0)
      return i;
  return -1;
}
