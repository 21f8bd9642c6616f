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
#define T3ROWV(key, text, anchor, variants, group)                             \
  { key, {text, anchor, variants}, t3_cols, 7, false, group }

/* Misprints seen in real reports, matched when the standard anchor is
 * not found (the label-variant check names them). */
static const char *const v_prohibited[] = {"其他法律行政止公开",
                                           "其他法律行政法规", NULL};

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
      T3ROWV("withheld_prohibited", "2.其他法律行政法规禁止公开", "禁止公开",  \
             v_prohibited, G3),                                                \
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
     GK_R_ARITH_ROW_TOTAL,
     GK_T_APPLICATIONS,
     GK_AXIS_COLS,
     {6, -1},
     {0, 1, 2, 3, 4, 5, -1},
     ALL_T3_ROWS_2021},
    {"I-2",
     GK_R_ARITH_RESULTS_TOTAL,
     GK_T_APPLICATIONS,
     GK_AXIS_ROWS,
     {23, -1},
     {2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12,
      13, 14, 15, 16, 17, 18, 19, 20, 21, 22, -1},
     ALL_T3_COLS},
    {"I-3",
     GK_R_ARITH_BALANCE,
     GK_T_APPLICATIONS,
     GK_AXIS_ROWS,
     {0, 1, -1},
     {23, 24, -1},
     ALL_T3_COLS},
    {"I-4",
     GK_R_ARITH_APPEAL_TOTAL,
     GK_T_APPEALS,
     GK_AXIS_COLS,
     {4, -1},
     {0, 1, 2, 3, -1},
     ALL_T4_ROWS},
};

static const gk__identity ids_2019[] = {
    {"I-1",
     GK_R_ARITH_ROW_TOTAL,
     GK_T_APPLICATIONS,
     GK_AXIS_COLS,
     {6, -1},
     {0, 1, 2, 3, 4, 5, -1},
     ALL_T3_ROWS_2019},
    {"I-2",
     GK_R_ARITH_RESULTS_TOTAL,
     GK_T_APPLICATIONS,
     GK_AXIS_ROWS,
     {21, -1},
     {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, -1},
     ALL_T3_COLS},
    {"I-3",
     GK_R_ARITH_BALANCE,
     GK_T_APPLICATIONS,
     GK_AXIS_ROWS,
     {0, 1, -1},
     {21, 22, -1},
     ALL_T3_COLS},
    {"I-4",
     GK_R_ARITH_APPEAL_TOTAL,
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

const char *gk__part_name(int part) {
  static const char *const names[] = {"正文",     "第一部分", "第二部分",
                                      "第三部分", "第四部分", "第五部分",
                                      "第六部分"};
  return part >= 1 && part <= 6 ? names[part] : names[0];
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

const char *const gk__blank_markers[] = {"/", "-",  "--",   "—",  "——", "―",
                                         "─", "无", "空白", "空", "\\", NULL};

/* "减15" and "增15" are read too: the words are tried longest first. */
const gk__number_sign gk__number_signs[] = {
    {"-", -1, false},   {"\u2212", -1, false}, {"+", 1, false},
    {"减少", -1, true}, {"增加", 1, true},     {"减", -1, true},
    {"增", 1, true},    {NULL, 0, false}};

const char *const gk__number_group_marks[] = {",", NULL};

const char *const gk__number_not_after[] = {"年", "月", "日", "%", "‰",
                                            "、", ".",  ")",  NULL};

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

/* ------------------------------------------------- names of bodies */

/* Sources: the administrative divisions of the PRC (省级、地级、县级、乡级)
 * and the names real reports sign with.  Used by checks/body.c; see
 * format.h for what each list is. */

const char *const gk__body_gov_suffixes[] = {"人民政府办公厅", "人民政府办公室",
                                             "人民政府办",     "政府办公厅",
                                             "政府办公室",     "政府办",
                                             "人民政府",       "政府",
                                             "行政公署",       NULL};

const char *const gk__body_gov_word = "人民政府";

const char *const gk__body_township_suffixes[] = {
    "街道办事处", "街道办", "街道", "民族乡", "民族苏木",
    "苏木",       "乡",     "镇",   NULL};

const gk__body_zone gk__body_township_zones[] = {{"片区管理局", "平潭"},
                                                 {NULL, NULL}};

const char *const gk__body_province_names[] = {"北京市", "天津市", "上海市",
                                               "重庆市", "北京",   "天津",
                                               "上海",   "重庆",   NULL};

const char *const gk__body_province_suffixes[] = {"省", "自治区", NULL};

const char *const gk__body_city_suffixes[] = {"自治州", "州", "地区",
                                              "盟",     "市", NULL};

const char *const gk__body_county_suffixes[] = {"自治县", "自治旗", "县", "旗",
                                                "特区",   "林区",   "区", NULL};

const char *const gk__body_zone_suffixes[] = {
    "开发区", "高新区", "园区",   "示范区", "保税区",
    "试验区", "管理区", "合作区", "景区",   NULL};

const char *const gk__body_dept_suffixes[] = {
    "委员会", "办公室", "办公厅", "中心", "总局", "局", "厅", "委", "办", "院",
    "署",     "处",     "所",     "站",   "队",   "馆", "部", "会", "室", NULL};

const char *const gk__body_agency_suffixes[] = {"管理委员会", "管委会", NULL};

const char *const gk__body_national_prefixes[] = {"中华人民共和国", "国务院",
                                                  "国家", "中国", NULL};

const char *const gk__body_national_suffixes[] = {"总署", "总局", "部", "署",
                                                  NULL};

const char *const gk__body_place_marks[] = {"自治区", "省", "市", "州",
                                            "地区",   "盟", "县", "区",
                                            "旗",     "乡", "镇", NULL};

const char *const gk__body_not_places[] = {"市场", "城市", "城乡", "社区",
                                           "小区", "园区", "乡村", NULL};

const gk__body_alias gk__body_aliases[] = {
    {"街道办事处", "街道"}, {"街道办", "街道"}, {NULL, NULL}};

const char *const gk__title_standard_tail = "政府信息公开工作年度报告";

/* ---------------------------------------------------- prose vocabulary */

/* See format.h.  Sources: the wording of the seed reports and of the
 * examples in format.md §5.2 (D-09, D-19, D-23, D-24); table labels are
 * the ones above.  The order does not matter: the matcher takes the
 * longest word at each position. */
const gk__prose_word gk__prose_words[] = {
    /* applications */
    {"收到", GK_PW_RECEIVED},
    {"受理", GK_PW_RECEIVED},
    {"接到", GK_PW_RECEIVED},
    {"接收", GK_PW_RECEIVED},
    {"新收", GK_PW_RECEIVED_NEW},
    {"办结", GK_PW_HANDLED},
    {"办理完毕", GK_PW_HANDLED},
    {"处理完毕", GK_PW_HANDLED},
    {"办理", GK_PW_HANDLED_LOOSE},
    {"答复", GK_PW_LOOSE},
    {"予以公开", GK_PW_GRANTED},
    {"同意公开", GK_PW_GRANTED},
    {"上年结转", GK_PW_CARRIED_OVER},
    {"上年度结转", GK_PW_CARRIED_OVER},
    {"上一年度结转", GK_PW_CARRIED_OVER},
    {"结转下年", GK_PW_CARRIED_FWD},
    {"结转下一年", GK_PW_CARRIED_FWD},
    {"结转至", GK_PW_CARRIED_FWD},
    {"结转到", GK_PW_CARRIED_FWD},
    {"转入下年", GK_PW_CARRIED_FWD},
    {"转下年度", GK_PW_CARRIED_FWD},
    {"转下一年度", GK_PW_CARRIED_FWD},
    {"转入下一年度", GK_PW_CARRIED_FWD},
    {"结转", GK_PW_CARRIED_FWD},
    {"结转下年度继续办理", GK_PW_CARRIED_FWD}, /* the row label: not 办理 */
    {"继续办理", GK_PW_CARRIED_FWD},
    /* appeals */
    {"行政复议", GK_PW_REVIEW},
    {"复议", GK_PW_REVIEW},
    {"行政诉讼", GK_PW_LITIGATION},
    {"诉讼", GK_PW_LITIGATION},
    {"起诉", GK_PW_LITIGATION},
    /* normative documents */
    {"制发", GK_PW_DOC_MADE},
    {"制定", GK_PW_DOC_MADE},
    {"出台", GK_PW_DOC_MADE},
    {"印发", GK_PW_DOC_MADE},
    {"废止", GK_PW_DOC_REPEALED},
    {"作废", GK_PW_DOC_REPEALED},
    {"失效", GK_PW_DOC_REPEALED},
    /* proactive disclosure */
    {"主动公开", GK_PW_PUBLISHED},
    {"公开政府信息", GK_PW_PUBLISHED},
    {"公开信息", GK_PW_PUBLISHED},
    {"发布信息", GK_PW_PUBLISHED},
    {"发布政府信息", GK_PW_PUBLISHED},
    /* counts of something else */
    {"部分公开", GK_PW_OTHER},
    {"不予公开", GK_PW_OTHER},
    {"无法提供", GK_PW_OTHER},
    {"不予处理", GK_PW_OTHER},
    {"其他处理", GK_PW_OTHER},
    {"不予受理", GK_PW_OTHER},
    {"信访举报投诉", GK_PW_OTHER},
    {"维持", GK_PW_OTHER},
    {"尚未审结", GK_PW_OTHER},
    {"其他结果", GK_PW_OTHER},
    {"驳回", GK_PW_OTHER},
    {"纠正", GK_PW_OUTCOME},
    {"纠错", GK_PW_OUTCOME},
    {"撤销", GK_PW_OUTCOME},
    {"败诉", GK_PW_OUTCOME},
    {"胜诉", GK_PW_OUTCOME},
    {"确认违法", GK_PW_OUTCOME},
    {"直接起诉", GK_PW_OTHER},
    {"复议后起诉", GK_PW_OTHER},
    {"未经复议直接起诉", GK_PW_OTHER},
    {"现行有效", GK_PW_OTHER},
    {"更新", GK_PW_OTHER},
    {"修订", GK_PW_OTHER},
    {"修改", GK_PW_OTHER},
    {"清理", GK_PW_OTHER},
    {"审核", GK_PW_OTHER},
    {"行政许可", GK_PW_OTHER},
    {"行政处罚", GK_PW_OTHER},
    {"行政强制", GK_PW_OTHER},
    {"行政事业性收费", GK_PW_OTHER},
    {"收费通知", GK_PW_OTHER},
    {"收取情况", GK_PW_OTHER}, /* a heading: "信息处理费收取情况" */
    {"收费情况", GK_PW_OTHER},
    {"平均", GK_PW_OTHER},
    {"自然人", GK_PW_OTHER},
    {"法人", GK_PW_OTHER},
    {"企业", GK_PW_OTHER},
    /* topics */
    {"申请", GK_PW_TOPIC_APP},
    {"依申请", GK_PW_TOPIC_APP},
    {"依申请公开", GK_PW_TOPIC_APP},
    {"规范性文件", GK_PW_TOPIC_DOC},
    {"行政规范性文件", GK_PW_TOPIC_DOC},
    {"规章", GK_PW_TOPIC_RULES},
    {"信息处理费", GK_PW_TOPIC_FEE},
    {"处理费", GK_PW_TOPIC_FEE},
    {"费用", GK_PW_TOPIC_FEE_WEAK},
    /* the fee */
    {"收取", GK_PW_FEE_COLLECT},
    {"收费", GK_PW_FEE_COLLECT},
    {"未收取", GK_PW_FEE_DENY},
    {"没有收取", GK_PW_FEE_DENY},
    {"不收取", GK_PW_FEE_DENY},
    {"未收费", GK_PW_FEE_DENY},
    {"免收", GK_PW_FEE_DENY},
    {"免于收取", GK_PW_FEE_DENY},
    {"未产生", GK_PW_FEE_DENY},
    {"无依据", GK_PW_FEE_DENY},
    {"未依据", GK_PW_FEE_DENY},
    {"零收费", GK_PW_FEE_DENY},
    /* none */
    {"未收到", GK_PW_NONE},
    {"没有收到", GK_PW_NONE},
    {"未接到", GK_PW_NONE},
    {"没有接到", GK_PW_NONE},
    {"未受理", GK_PW_NONE},
    {"未发生", GK_PW_NONE},
    {"没有发生", GK_PW_NONE},
    {"未出现", GK_PW_NONE},
    {"没有出现", GK_PW_NONE},
    {"未有", GK_PW_NONE},
    {"无因", GK_PW_NONE},
    {"未被", GK_PW_NONE},
    {"没有被", GK_PW_NONE},
    {"均无", GK_PW_NONE},
    {"均未", GK_PW_NONE},
    {"无依申请", GK_PW_NONE_APP},
    {"无申请", GK_PW_NONE_APP},
    {"无政府信息公开申请", GK_PW_NONE_APP},
    {"零申请", GK_PW_NONE_APP},
    {"无行政复议", GK_PW_NONE_REVIEW},
    {"无复议", GK_PW_NONE_REVIEW},
    {"无行政诉讼", GK_PW_NONE_LITIGATION},
    {"无诉讼", GK_PW_NONE_LITIGATION},
    /* not disclosure applications */
    {"建议", GK_PW_OFF_TOPIC},
    {"提案", GK_PW_OFF_TOPIC},
    {"信访", GK_PW_OFF_TOPIC},
    {"投诉", GK_PW_OFF_TOPIC},
    {"举报", GK_PW_OFF_TOPIC},
    {"咨询", GK_PW_OFF_TOPIC},
    {"留言", GK_PW_OFF_TOPIC},
    {"热线", GK_PW_OFF_TOPIC},
    {"来信", GK_PW_OFF_TOPIC},
    {"来访", GK_PW_OFF_TOPIC},
    {"诉求", GK_PW_OFF_TOPIC},
    {"工单", GK_PW_OFF_TOPIC},
    {"来电", GK_PW_OFF_TOPIC},
    /* a change, not a count */
    {"同比", GK_PW_COMPARE},
    {"环比", GK_PW_COMPARE},
    {"较上年", GK_PW_COMPARE},
    {"比上年", GK_PW_COMPARE},
    {"较去年", GK_PW_COMPARE},
    {"比去年", GK_PW_COMPARE},
    {"去年", GK_PW_COMPARE},
    {"上年", GK_PW_COMPARE},
    {"上年度", GK_PW_COMPARE},
    {"上一年", GK_PW_COMPARE},
    {"增加", GK_PW_COMPARE},
    {"减少", GK_PW_COMPARE},
    {"增长", GK_PW_COMPARE},
    {"下降", GK_PW_COMPARE},
    {"上升", GK_PW_COMPARE},
    {"持平", GK_PW_COMPARE},
    /* one number for several words */
    {"均", GK_PW_EACH},
    {"各", GK_PW_EACH},
    {"其中", GK_PW_BREAKDOWN},
    {NULL, GK_PW_OTHER},
};

const char *const gk__count_units[] = {"件", "条", "次", "个", "宗",
                                       "份", "项", "起", NULL};
const char *const gk__count_unit_not[] = {
    "个月", "个工作日", "个小时", "个百分点", "个季度", "个人", "次性",
    "次日", "条例",     "条款",   "条件",     "件事",   "项目", NULL};
const char *const gk__count_not_before[] = {"第", NULL};
const char *const gk__cn_numeral_not_before[] = {
    "统",   "唯", "同", "逐", "之", "单", "万", "周",
    "星期", "每", "其", "某", "任", "专", "初", NULL};
const char *const gk__approx_before[] = {"大约", "约",   "将近", "近",
                                         "接近", "超过", "逾",   "不少于",
                                         "不足", "不到", NULL};
const char *const gk__approx_after[] = {"余", "多", "以上", "左右", NULL};
const char *const gk__breakdown_partial[] = {"包括",   "主要有", "主要包括",
                                             "主要是", "涉及",   NULL};
const char *const gk__year_since[] = {"以来", "至今", "起", NULL};
const char *const gk__money_units[] = {"万元", "元", NULL};

const char *const gk__placeholder_words[] = {"请在此", "请在这里", "此处填写",
                                             NULL};

const char *const gk__accountability_words[] = {"考核", "评议", "追究", "问责",
                                                NULL};

const char *const gk__township_kinds[] = {"街道", "镇", "乡", NULL};
const char *const gk__self_ref_marks[] = {"本", "我", "全", NULL};
const char *const gk__self_ref_not[] = {
    "本乡镇", "我乡镇", "全乡镇", "本乡本土", "本乡村", "我乡村",
    "全乡村", "本镇街", "我镇街", "全镇街",   NULL};
const char *const gk__township_gov_suffixes[] = {"人民政府", "政府", "办事处",
                                                 NULL};
const char *const gk__township_name_not_before[] = {
    "本", "我", "该", "各", "全", "每", "其", "某", "城", "集", "乡",
    "镇", "县", "市", "区", "省", "的", "和", "与", "及", "在", "向",
    "对", "由", "经", "为", "是", "了", "给", "被", "从", "等", NULL};

/* ------------------------------------------ the printed layout (writers) */

/* See format.h.  Sources: format.md §1.4 (table 2's blocks), §1.5 (table
 * 3's header and row labels), §2.1 (the 2019 blocks). */

static const gk__print_block t2_blocks_2021[] = {
    {&t2_furniture_2021[0], 0,
     2}, /* 第二十条第（一）项: 规章, 行政规范性文件 */
    {&t2_furniture_2021[1], 2, 1}, /* （五）: 行政许可 */
    {&t2_furniture_2021[2], 3, 2}, /* （六）: 行政处罚, 行政强制 */
    {&t2_furniture_2021[3], 5, 1}, /* （八）: 行政事业性收费 */
};

static const gk__print_block t2_blocks_2019[] = {
    {&t2_furniture_2019[0], 0, 2}, /* （一）: 规章, 规范性文件 */
    {&t2_furniture_2019[1], 2, 2}, /* （五）: 行政许可, 其他对外管理服务事项 */
    {&t2_furniture_2019[2], 4, 2}, /* （六）: 行政处罚, 行政强制 */
    {&t2_furniture_2019[3], 6, 1}, /* （八）: 行政事业性收费 */
    {&t2_furniture_2019[4], 7, 1}, /* （九）: 政府集中采购 */
};

/* Table 3's header: three rows over three label columns and the seven
 * applicant columns.
 *
 *   note (3×3)        | 申请人情况 (1×7)
 *                     | 自然人 (2×1) | 法人或其他组织 (1×5)       | 总计 (2×1)
 *                     |              | 商业企业 … 其他 (1×1 each) |
 */
static const gk__header_cell t3_header[] = {
    {&t3_furniture[0], 0, 0, 3, 3}, /* （本列数据的勾稽关系为：…） */
    {&t3_furniture[1], 0, 3, 1, 7},  /* 申请人情况 */
    {&t3_cols[0].label, 1, 3, 2, 1}, /* 自然人 */
    {&t3_furniture[2], 1, 4, 1, 5},  /* 法人或其他组织 */
    {&t3_cols[6].label, 1, 9, 2, 1}, /* 总计 */
    {&t3_cols[1].label, 2, 4, 1, 1}, /* 商业企业 */
    {&t3_cols[2].label, 2, 5, 1, 1}, /* 科研机构 */
    {&t3_cols[3].label, 2, 6, 1, 1}, /* 社会公益组织 */
    {&t3_cols[4].label, 2, 7, 1, 1}, /* 法律服务机构 */
    {&t3_cols[5].label, 2, 8, 1, 1}, /* 其他 */
};

static const gk__table_print print_t2_2021 = {
    &t2_2021, 1,    NULL, 0, 0, t2_blocks_2021, 4, &t2_furniture_2021[4],
    NULL,     NULL, NULL};
static const gk__table_print print_t2_2019 = {
    &t2_2019, 1,    NULL, 0, 0, t2_blocks_2019, 5, &t2_furniture_2019[5],
    NULL,     NULL, NULL};
static const gk__table_print print_t3_2021 = {
    &t3_2021,         3,         t3_header,        10, 3, NULL, 0, NULL,
    &t3_furniture[3], "granted", "processed_total"};
static const gk__table_print print_t3_2019 = {
    &t3_2019,         3,         t3_header,        10, 3, NULL, 0, NULL,
    &t3_furniture[3], "granted", "processed_total"};
static const gk__table_print print_t4 = {&t4_both, 0,    NULL, 0,    0,   NULL,
                                         0,        NULL, NULL, NULL, NULL};

const gk__table_print *gk__table_print_of(const gk__tabledef *def) {
  static const gk__table_print *const all[] = {&print_t2_2021, &print_t2_2019,
                                               &print_t3_2021, &print_t3_2019,
                                               &print_t4};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
    if (all[i]->def == def)
      return all[i];
  return NULL;
}

/* format.md §1.2: what each part must contain. */
const char *const gk__part_prompts[6] = {
    "（请在此概述本年度贯彻落实《中华人民共和国政府信息公开条例》的情况，"
    "分主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障"
    "等方面逐项说明；人民政府还应说明工作考核、社会评议和责任追究结果情况。）",
    "",
    "",
    "",
    "（请在此说明本机关政府信息公开工作存在的主要问题、上一年度报告所提问题"
    "的改进情况，以及下一步的改进措施。）",
    "（请在此说明本年度信息处理费的收费情况（《政府信息公开信息处理费管理"
    "办法》），以及其他需要报告的事项。）",
};
