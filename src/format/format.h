/*
 * format.h - the national format, described once, as data.
 *
 * The six parts and their headings, the three tables of each edition with
 * every row and column (model key, standard label, the variants seen in
 * real reports, the text the parser anchors on), the table furniture
 * (captions, column headers, printed notes), the edition markers and the
 * arithmetic identities of format.md §1.7.  The parser aligns these
 * labels against a report's text, the checks evaluate the identities, and
 * the writers print the keys and labels; nothing outside src/format/
 * spells a label.
 */
#ifndef GK_FORMAT_H
#define GK_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gongkai.h"
#include "rules.h"

typedef enum {
  GK_T_PROACTIVE = 0, /* table 2, 主动公开政府信息情况 */
  GK_T_APPLICATIONS, /* table 3, 收到和处理政府信息公开申请情况 */
  GK_T_APPEALS,      /* table 4, 行政复议、行政诉讼情况 */
  GK_N_TABLES
} gk__table_id;

/* What a cell may hold. */
typedef enum {
  GK_V_COUNT = 0, /* integer >= 0 */
  GK_V_MONEY,     /* decimal >= 0, written precision kept (万元) */
  GK_V_SIGNED,    /* integer, may be negative (2019 本年增/减) */
  GK_V_AMOUNT     /* decimal amount with a unit in the cell (2019 采购) */
} gk__value_kind;

/* A label as the standard prints it, with the variants real reports use.
 * `anchor` is the part of the label the parser searches for first (a
 * distinctive substring of `text`); NULL means the whole text. */
typedef struct gk__label {
  const char *text;
  const char *anchor;
  const char *const *variants; /* NULL-terminated; may be NULL */
} gk__label;

typedef struct gk__coldef {
  const char *key; /* model key: "natural_person" */
  gk__label label;
  gk__value_kind kind;
} gk__coldef;

typedef struct gk__rowdef {
  const char *key; /* model key: "received" */
  gk__label label;
  const gk__coldef *cols; /* this row's columns, in order */
  uint8_t n_cols;
  bool scalar;       /* JSON holds a bare number, not an object of columns */
  const char *group; /* the group label printed beside it ("（三）不予公开"),
                        for writers; NULL when none */
} gk__rowdef;

/* How a table's numbers sit in the source. */
typedef enum {
  GK_LAYOUT_ROWS = 0, /* each row: its label, then its numbers */
  GK_LAYOUT_BLOCKS    /* table 4: a header naming the blocks, then one
                         line with every block's numbers side by side */
} gk__table_layout;

typedef struct gk__tabledef {
  gk__table_id id;
  const char *key;   /* "proactive", "applications", "appeals" */
  const char *title; /* the part's standard heading */
  const gk__rowdef *rows;
  uint8_t n_rows;
  uint8_t max_cols;
  gk__table_layout layout;
  /* Printed captions, headers and notes: no numbers of their own.  The
   * parser masks them so digits inside them are never read as cells and
   * uses the first one found as the table's start. */
  const gk__label *furniture;
  uint8_t n_furniture;
  /* Column header labels (table 3's applicant columns, table 4's
   * results), for label-variant detection. */
  const gk__coldef *header_cols;
  uint8_t n_header_cols;
} gk__tabledef;

/* Whether the table prints its numbers in blocks (table 4's layout). */
static inline bool gk__tabledef_in_blocks(const gk__tabledef *d) {
  return d->layout == GK_LAYOUT_BLOCKS;
}

/* One of the six statutory parts. */
typedef struct gk__partdef {
  int number;                  /* 1..6 */
  const char *heading;         /* standard heading with its numeral */
  const char *const *keywords; /* NULL-terminated: any one identifies it */
} gk__partdef;

extern const gk__partdef gk__parts[6];

/* A linear identity among cells (format.md §1.7), checked exactly:
 * sum(lhs) == sum(rhs).  For GK_AXIS_ROWS the terms are row indexes and
 * the identity holds in every column `col` of `cols_mask`; for
 * GK_AXIS_COLS the terms are column indexes and it holds in every row of
 * `rows_mask`. */
typedef enum { GK_AXIS_ROWS = 0, GK_AXIS_COLS } gk__axis;

#define GK_MAX_TERMS 24
typedef struct gk__identity {
  const char *id; /* "I-1" */
  gk__rule rule;  /* GK_R_ARITH_ROW_TOTAL */
  gk__table_id table;
  gk__axis axis;
  int8_t lhs[GK_MAX_TERMS]; /* -1 terminated */
  int8_t rhs[GK_MAX_TERMS]; /* -1 terminated */
  uint32_t mask;            /* columns (AXIS_ROWS) or rows (AXIS_COLS) */
} gk__identity;

/*
 * Evaluating an identity (identity.c): the one place that knows how its
 * terms are laid out and summed.  The arithmetic rules evaluate it over a
 * report's cells; the parser over its candidate readings of a row
 * (parse/tables_assign.c, gk__fit_values()) and to settle glued digits
 * over a table (parse/tables_glued.c).
 */

/* What an identity says at one place. */
typedef enum {
  GK_ID_UNDECIDED = 0, /* a term has no integer, or a sum overflows */
  GK_ID_HOLDS,
  GK_ID_FAILS
} gk__id_verdict;

/* Reads one term of side `side` (0 left, 1 right): the integer in row
 * `row`, column `col` of the identity's table.  False when it has none. */
typedef bool (*gk__term_fn)(void *ctx, int side, int row, int col,
                            int64_t *value);

/* Evaluates identity id at place `fixed` (a row for GK_AXIS_COLS, a column
 * for GK_AXIS_ROWS), reading every term through `term`, left side first;
 * *lhs and *rhs (may be NULL) get the sums when it is decided.  A side
 * without terms leaves it undecided. */
gk__id_verdict gk__identity_eval(const gk__identity *id, int fixed,
                                 gk__term_fn term, void *ctx, int64_t *lhs,
                                 int64_t *rhs);

typedef struct gk__edition_def {
  gk_edition edition;
  const char *name; /* "2021" */
  const gk__tabledef *tables[GK_N_TABLES];
  const char *const *markers; /* NULL-terminated: text only this edition's
                                 tables print */
  const gk__identity *identities;
  size_t n_identities;
} gk__edition_def;

extern const gk__edition_def gk__edition_2021;
extern const gk__edition_def gk__edition_2019;

/* The format's own strings folded (base/fold.h's gk__fold()) once per
 * process (format/folded.c): the parts' standard headings, every
 * edition's row, column and furniture labels, their variants and the
 * edition markers.  gk__format_fold() returns s folded:
 * from that table when s is one of those strings (the same pointer) and
 * its folded form fits in cap bytes, else folded into buf (cap bytes) as
 * gk__fold() does.  gk__format_folded() returns the table's entry, or
 * NULL when s is not one of them or memory ran out. */
const char *gk__format_fold(const char *s, char *buf, size_t cap);
const char *gk__format_folded(const char *s);

/* "第一部分" … "第六部分" for part 1..6, "正文" otherwise: how messages
 * name a part. */
const char *gk__part_name(int part);

/* The part a table sits in: "第二部分" for table 2 … */
static inline const char *gk__table_part_name(gk__table_id t) {
  return gk__part_name((int)t + 2);
}

/* The definition for an edition; NULL for unknown and pre-2019. */
const gk__edition_def *gk__edition_get(gk_edition e);

/* "2021", "2019", "pre2019", or NULL for unknown. */
const char *gk__edition_name(gk_edition e);

/* Blank markers a cell may hold instead of a number: "/", "—", "无" … */
extern const char *const gk__blank_markers[];

/* ------------------------------------------------- the number grammar */
/*
 * What a table cell's text may hold, as data for the one reader of
 * numbers (parse/number.c).  Text is compared after NFKC folding, so the
 * full-width forms ("－15", "９，４８７", "１．") are the same as ASCII.
 *
 *   number  = [sign] digits [group...] ["." digits]
 *   group   = a group mark (or a thin space) and exactly three digits,
 *             after a first group of one to three digits ("9,487",
 *             "1,163.54", "12 345" with U+2009)
 *   sign    = one of gk__number_signs, glued to the digits
 *
 * A number followed at once by one of gk__number_not_after is no value
 * (a date "2024年", an enumerator "1." "2、" "(3)", a percentage).
 */

/* A sign before a number's digits: a character ("-", "−", "+") or a word
 * of increase or decrease ("减少15").  Words are allowed only in a
 * column that may be negative (GK_V_SIGNED); `word` says which these
 * are. */
typedef struct gk__number_sign {
  const char *text;
  int8_t sign; /* -1 or +1 */
  bool word;
} gk__number_sign;
extern const gk__number_sign gk__number_signs[]; /* text NULL ends */

/* Marks that group thousands when glued between digits: "," ("，" folds
 * to it).  A thin space (U+2009, U+202F) groups too; the stream keeps it
 * as a break of its own (GK_BRK_THIN). */
extern const char *const gk__number_group_marks[];

/* What, right after a number, makes it something other than a value. */
extern const char *const gk__number_not_after[];

/* Words that end a body's name in a signature (人民政府, 办公室, 局 …). */
extern const char *const gk__agency_suffixes[];

/* Markers of the title: every report title has these. */
extern const char *const gk__title_markers[];

/* The index of a row by key in a table, or -1. */
int gk__row_index(const gk__tabledef *t, const char *key);
/* The index of a column by key in a row, or -1. */
int gk__col_index(const gk__rowdef *r, const char *key);

/* ------------------------------------------------- names of bodies */
/*
 * Vocabulary for telling the kind of body that issued a report from its
 * name (checks/body.c) and for comparing two spellings of one body's
 * name (checks/rules_meta.c).  Names are compared folded (NFKC, spaces
 * removed).  Lists are NULL-terminated; where one word ends another the
 * longer comes first, because the first match wins.
 */

/* A people's government, or its general office, ending a body's name:
 * "人民政府办公厅" … "政府", and 行政公署 (the government of a 地区). */
extern const char *const gk__body_gov_suffixes[];

/* The word of a people's government, which may also stand inside a
 * body's name (XX县人民政府竹溪街道办事处). */
extern const char *const gk__body_gov_word;

/* The ends of a township-level body's name: 乡、镇、街道 (办事处), 苏木. */
extern const char *const gk__body_township_suffixes[];

/* A word that ends a township-level body only together with a place in
 * the name: 平潭's 片区管理局 are township-level. */
typedef struct gk__body_zone {
  const char *suffix;
  const char *place;
} gk__body_zone;
extern const gk__body_zone gk__body_township_zones[]; /* suffix NULL ends */

/* The 直辖市, which are province-level: "北京市", "北京", … */
extern const char *const gk__body_province_names[];
/* The end of a province-level place: 省, 自治区. */
extern const char *const gk__body_province_suffixes[];
/* The end of a prefecture-level place: 自治州, 州, 地区, 盟, 市. */
extern const char *const gk__body_city_suffixes[];
/* The end of a county-level place: 自治县, 县, 旗, 区 … */
extern const char *const gk__body_county_suffixes[];
/* Zones whose name ends in 区 but that are no county (开发区, 高新区 …):
 * without 人民政府 in the name their body is not told. */
extern const char *const gk__body_zone_suffixes[];

/* The end of a department's name: 局, 厅, 委员会, 办公室, 中心 … */
extern const char *const gk__body_dept_suffixes[];
/* The end of a zone's body's name (XX开发区管理委员会): a 派出机构 whose
 * level the name does not tell. */
extern const char *const gk__body_agency_suffixes[];
/* The start of a State Council department's name: 国务院, 国家, 中国 … */
extern const char *const gk__body_national_prefixes[];
/* The end of a State Council department's name when no place precedes
 * it: 部 (教育部), 署 (审计署), 总局. */
extern const char *const gk__body_national_suffixes[];

/* Words that end a place inside a name (省, 市, 县, 区, 乡, 镇 …), and
 * the words that contain one without naming a place (市场, 城乡 …). */
extern const char *const gk__body_place_marks[];
extern const char *const gk__body_not_places[];

/* Two spellings of the same end of a name: {"街道办事处", "街道"}. */
typedef struct gk__body_alias {
  const char *from;
  const char *to;
} gk__body_alias;
extern const gk__body_alias gk__body_aliases[]; /* from NULL ends */

/* The words that end a standard title: <机关><年>年(度) + this. */
extern const char *const gk__title_standard_tail;

/* ------------------------------------------------- prose vocabulary */
/*
 * Words the text checks look for in the parts' prose (parse/prose.c,
 * rules_text.c): the trigger words that say what a count in a sentence
 * counts, statements that there were none, the 信息处理费, and the words
 * that make a number something other than a count.  Words are folded
 * like labels (NFKC) before matching; at each position of a sentence the
 * longest word wins, so "上年结转" beats "上年" and "不予公开" beats
 * "公开".  Lists are NULL-terminated.
 */
typedef enum {
  GK_PW_RECEIVED = 0,  /* 收到, 受理, 接到: applications received */
  GK_PW_RECEIVED_NEW,  /* 新收: the new ones only */
  GK_PW_HANDLED,       /* 办结: the total of the results */
  GK_PW_HANDLED_LOOSE, /* 办理: that total, or all on hand */
  GK_PW_GRANTED,       /* 予以公开 */
  GK_PW_CARRIED_OVER,  /* 上年结转 */
  GK_PW_CARRIED_FWD,   /* 结转下年度, 结转至 … */
  GK_PW_REVIEW,        /* 行政复议 */
  GK_PW_LITIGATION,    /* 行政诉讼 */
  GK_PW_DOC_MADE,      /* 制发, 制定, 出台, 印发 */
  GK_PW_DOC_REPEALED,  /* 废止, 作废 */
  GK_PW_PUBLISHED,     /* 主动公开 */
  GK_PW_OTHER,         /* a count of something else: 部分公开, 维持 … */
  GK_PW_OUTCOME,       /* 纠错, 败诉 …: about results, not occurrence */
  GK_PW_LOOSE,     /* 答复: part of the word before it ("同意公开答复"),
                      else a kind of reply (当场答复), no total */
  GK_PW_TOPIC_APP, /* 申请, 依申请公开: about applications */
  GK_PW_TOPIC_DOC, /* 规范性文件 */
  GK_PW_TOPIC_RULES,     /* 规章 */
  GK_PW_TOPIC_FEE,       /* 信息处理费 */
  GK_PW_TOPIC_FEE_WEAK,  /* 费用: the fee only where it is denied */
  GK_PW_FEE_COLLECT,     /* 收取, 收费 */
  GK_PW_FEE_DENY,        /* 未收取, 免收, 无依据 … */
  GK_PW_NONE,            /* 未收到, 未发生 … (with a topic) */
  GK_PW_NONE_APP,        /* 无依申请: none, of applications */
  GK_PW_NONE_REVIEW,     /* 无行政复议 */
  GK_PW_NONE_LITIGATION, /* 无行政诉讼 */
  GK_PW_OFF_TOPIC, /* 建议, 提案, 信访 …: not disclosure applications */
  GK_PW_COMPARE,   /* 同比, 较上年, 增加 …: a change, not a count */
  GK_PW_EACH,      /* 均, 各: one number for several words */
  GK_PW_BREAKDOWN  /* 其中 */
} gk__prose_kind;

typedef struct gk__prose_word {
  const char *text;
  gk__prose_kind kind;
} gk__prose_word;
extern const gk__prose_word gk__prose_words[]; /* text NULL ends */

/* The units a count carries (件 条 次 个 宗 份 项 起), and the words that
 * start with a unit without being one (个月, 个工作日, 条例, 项目 …). */
extern const char *const gk__count_units[];
extern const char *const gk__count_unit_not[];
/* Before a number: an ordinal (第), or for a Chinese numeral a word it
 * belongs to (统一, 唯一, 逐一 …), so that it is no count. */
extern const char *const gk__count_not_before[];
extern const char *const gk__cn_numeral_not_before[];
/* Marks of an approximate count: before it (约, 近, 超过 …) and after
 * the number or the unit (余, 多, 以上, 左右).  After 其中, the words that
 * make its list a selection (其中包括, 其中主要有). */
extern const char *const gk__approx_before[];
extern const char *const gk__approx_after[];
extern const char *const gk__breakdown_partial[];
/* After a year (2019年以来): the year starts a span up to now. */
extern const char *const gk__year_since[];
/* The money unit of a fee amount, longest first: 万元, 元. */
extern const char *const gk__money_units[];
/* The instructions a template leaves in a part for its author to replace
 * (gongkai render --template writes "（请在此概述…）"): text.placeholder. */
extern const char *const gk__placeholder_words[];

/* 条例 第五十条第四项: a people's government reports its 工作考核, 社会评议
 * and 责任追究; any of these words (or 问责, the same as 责任追究) shows the
 * item is there. */
extern const char *const gk__accountability_words[];

/* A township-level body names itself 本镇, 我乡, 全街道 …: the kinds of
 * township (longest first), the words that make them a self-reference,
 * the longer words that begin like one and are not (本乡镇, 本乡本土),
 * and the endings of a township body's name in the prose (镇人民政府). */
extern const char *const gk__township_kinds[];
extern const char *const gk__self_ref_marks[];
extern const char *const gk__self_ref_not[];
extern const char *const gk__township_gov_suffixes[];
/* A character right before a township kind that makes "X镇人民政府" no
 * name of a place (各乡镇人民政府, 本镇政府, 城镇 …). */
extern const char *const gk__township_name_not_before[];

/* ------------------------------------------ the printed layout (writers) */
/*
 * How the national format prints each table (format.md §1.4–1.6), for the
 * writers (src/writers/render.c): table 2's 第二十条 blocks, the merged
 * cells of table 3's three-row header with the 勾稽 note in its top-left
 * corner, and the label 三、本年度办理结果 that spans table 3's result rows.
 * Positions count in the printed grid: first the row-label columns, then
 * one column per number.  Labels point at the definitions above, so each
 * is still written once.  Table 4's two-level header follows from its
 * rows (a row's group above the row's label above its columns) and needs
 * nothing here; the （三）–（六） sub-row groups of table 3 are the rows'
 * `group`.
 */

/* A merged cell of a table's header. */
typedef struct gk__header_cell {
  const gk__label *label;
  uint8_t row, col; /* top-left corner, in the header's grid */
  uint8_t rowspan, colspan;
} gk__header_cell;

/* Table 2: one block, printed as a caption row spanning the table, a
 * header row (block_head, then the columns of the block's rows) and the
 * rows themselves. */
typedef struct gk__print_block {
  const gk__label *caption; /* "第二十条第（一）项" */
  uint8_t first_row;        /* index into the tabledef's rows */
  uint8_t n_rows;
} gk__print_block;

typedef struct gk__table_print {
  const gk__tabledef *def;
  uint8_t label_cols; /* row-label columns before the numbers */
  /* A header printed once above the rows (table 3); NULL when none. */
  const gk__header_cell *header;
  uint8_t n_header;
  uint8_t header_rows;
  /* Table 2's blocks; NULL when the table is not printed in blocks. */
  const gk__print_block *blocks;
  uint8_t n_blocks;
  const gk__label *block_head; /* "信息内容" */
  /* A label printed in the first label column beside the rows from key
   * band_first to band_last (table 3's 三、本年度办理结果); NULL when none.
   * Rows inside the band start in the second label column; rows with a
   * group print it in the second column and their label in the third. */
  const gk__label *band;
  const char *band_first;
  const char *band_last;
} gk__table_print;

/* How the table of definition `def` is printed; NULL for a definition
 * that is not one of this file's. */
const gk__table_print *gk__table_print_of(const gk__tabledef *def);

/* What each part's prose covers (format.md §1.2), worded as the
 * placeholder a blank report (gk_report_template) shows the clerk; "" for
 * the parts that are their table. */
extern const char *const gk__part_prompts[6];

#endif /* GK_FORMAT_H */
