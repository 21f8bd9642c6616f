/*
 * facts.h - numbers and statements stated in the prose, as the model
 * keeps them.
 *
 * The prose pass (parse/prose.c), the parser's last, reads the text of
 * every part (the prose without its tables, gk_section.text) once and
 * keeps what it found in r->facts: counts that a trigger word names ("收到政府
 * 信息公开申请10件"), statements that there were none ("全年未收到依申请
 * 公开事项"), what is said about the 信息处理费, and totals with their
 * "其中" breakdown.  Every fact knows its part, its source line and its
 * byte span in the part's text, so a finding can quote it.
 *
 * It is a small pattern matcher, not a parser of Chinese; prose.c
 * documents each pattern.  What it does not recognise it leaves out: a
 * rule never fires on a fact that was not found.
 */
#ifndef GK_FACTS_H
#define GK_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a fact says.  The counts are what the trigger words of the
 * prose vocabulary (format.h, gk__prose_words) name. */
typedef enum {
  GK_FACT_PUBLISHED = 0,   /* 主动公开 N 条 */
  GK_FACT_RECEIVED,        /* 收到 / 新收 / 受理 申请 N 件 */
  GK_FACT_HANDLED,         /* 办结 / 办理 / 答复 N 件 */
  GK_FACT_GRANTED,         /* 予以公开 N 件 */
  GK_FACT_CARRIED_OVER,    /* 上年结转 N 件 */
  GK_FACT_CARRIED_FWD,     /* 结转下年度 / 结转至… N 件 */
  GK_FACT_REVIEW,          /* 行政复议 N 件 */
  GK_FACT_LITIGATION,      /* 行政诉讼 N 件 */
  GK_FACT_DOC_MADE,        /* 规范性文件 制发 / 制定 / 出台 N 件 */
  GK_FACT_DOC_REPEALED,    /* 规范性文件 废止 N 件 */
  GK_FACT_NO_APPLICATIONS, /* 未收到申请, 无依申请公开 */
  GK_FACT_NO_REVIEW,       /* 未发生…行政复议 */
  GK_FACT_NO_LITIGATION,   /* 未发生…行政诉讼 */
  GK_FACT_FEE_NONE,        /* 未收取信息处理费 */
  GK_FACT_FEE_COLLECTED,   /* 收取信息处理费 (N 元) */
  GK_FACT_FEE_MENTION,     /* speaks of the 信息处理费 otherwise */
  GK_FACT_KIND_COUNT
} gk__fact_kind;

/* Flags of a fact. */
enum {
  GK_FACT_HAS_VALUE = 1 << 0, /* value holds a number */
  GK_FACT_APPROX = 1 << 1, /* 约, 近, 超过 before it, 余, 多, 以上 after */
  GK_FACT_ETC = 1 << 2,    /* followed by 等: the list goes on */
  GK_FACT_STRICT = 1 << 3, /* the word names one cell only (新收, 办结) */
  GK_FACT_BOTH = 1 << 4    /* one number for several words (均, 各) */
};

typedef struct gk__fact {
  gk__fact_kind kind;
  unsigned flags;
  /* The count; for GK_FACT_FEE_* the amount in 分 (1/100 元). */
  int64_t value;
  int part;          /* 1..6 */
  uint32_t line;     /* source line of the number (or of the statement) */
  size_t start, end; /* bytes in the part's text: trigger word to unit */
  const char *word;  /* the trigger word as the vocabulary spells it */
} gk__fact;

/* A total and the "其中" list after it: "主动公开信息218条，其中机构职能类
 * 4条、政策文件类21条……".  The parts are the counts with the total's unit
 * up to the end of the sentence or the next 其中. */
typedef struct gk__breakdown {
  int64_t total;
  int64_t sum; /* of all the parts */
  size_t n_parts;
  bool approx;        /* the total or a part is marked 约, 余, 多 … */
  bool etc;           /* the list ends in 等, or 其中 says it is a
                         selection (其中包括, 其中主要有) */
  bool gaps;          /* a clause among the parts has no count: the list
                         names things it does not count */
  bool mixed_units;   /* a count with another unit sits among the parts */
  bool reaches_total; /* the running sum equals the total at some part:
                         what follows is about something else */
  char unit[8];       /* the unit, UTF-8 ("条") */
  int part;
  uint32_t line;     /* of the total */
  size_t start, end; /* the total's count to the last part, in the text */
} gk__breakdown;

/* A part's text offsets to source lines. */
typedef struct gk__facts_lines {
  const size_t *offset; /* byte offset in the part's text where a line
                           starts, increasing */
  const uint32_t *line; /* its source line */
  size_t n;
} gk__facts_lines;

typedef struct gk__facts {
  gk__fact *facts;
  size_t n_facts;
  gk__breakdown *breakdowns;
  size_t n_breakdowns;
  gk__facts_lines lines[7]; /* by part number 1..6 */
  /* Whether any line of the source (any part, the preamble, a line the
   * parser could not place) names the results of work assessment, public
   * review or accountability (format.h gk__accountability_words). */
  bool mentions_accountability;
} gk__facts;

/* The source line of byte `off` of part `part`'s text; 0 when unknown. */
static inline uint32_t gk__facts_lineno(const gk__facts *f, int part,
                                        size_t off) {
  if (!f || part < 1 || part > 6)
    return 0;
  const gk__facts_lines *m = &f->lines[part];
  if (m->n == 0)
    return 0;
  size_t lo = 0, hi = m->n;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (m->offset[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
  return m->line[lo];
}

/* The kind's name, "received", for tests and messages. */
static inline const char *gk__fact_kind_name(gk__fact_kind kind) {
  static const char *const names[GK_FACT_KIND_COUNT] = {
      "published",     "received",        "handled",         "granted",
      "carried_over",  "carried_forward", "review",          "litigation",
      "doc_made",      "doc_repealed",    "no_applications", "no_review",
      "no_litigation", "fee_none",        "fee_collected",   "fee_mention"};
  return kind < GK_FACT_KIND_COUNT ? names[kind] : "?";
}

#endif /* GK_FACTS_H */
