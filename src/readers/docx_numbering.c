/*
 * docx_numbering.c - list numbers of Word paragraphs (docx_numbering.h).
 *
 * numbering.xml holds abstract lists (w:abstractNum: per level a start
 * value, a format and a text pattern such as "%1、" or "（%2）") and list
 * instances (w:num) that point at them, maybe restarting a level
 * (w:startOverride).  styles.xml may attach a list to a paragraph style
 * (w:style/w:pPr/w:numPr), inherited through w:basedOn.  Counters are
 * kept per abstract list, as Word keeps them for instances that share one.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docx_numbering.h"

/* List definitions read: 1000 abstract lists and 1000 instances.  Word
 * writes a few dozen; the caps bound a hostile numbering part. */
#define GK_DOCX_MAX_LISTS 1000
/* Paragraph styles read: 2000 (Word's default set has about 150). */
#define GK_DOCX_MAX_STYLES 2000
/* Steps followed along w:basedOn: 16, which also stops a loop. */
#define GK_DOCX_MAX_BASED_ON 16

#define N_LEVELS 9
#define ID_LEN 64

typedef enum {
  FMT_NONE = 0, /* bullets, "none", formats not known: no text */
  FMT_DECIMAL,
  FMT_DECIMAL_ZERO,
  FMT_FULLWIDTH,
  FMT_CIRCLE,
  FMT_CHINESE,       /* 一 二 … 十一 */
  FMT_CHINESE_LEGAL, /* 壹 贰 叁 */
  FMT_IDEOGRAPH,     /* 甲 乙 丙 */
  FMT_UPPER_LETTER,
  FMT_LOWER_LETTER,
  FMT_UPPER_ROMAN,
  FMT_LOWER_ROMAN
} num_fmt;

typedef struct level {
  uint8_t fmt;
  bool space_after; /* w:suff tab or space (the default); false: nothing */
  int32_t start;
  char text[32]; /* w:lvlText, "%1、" */
} level;

typedef struct abstract_list {
  int32_t id;
  level lvl[N_LEVELS];
  int32_t counter[N_LEVELS];
  bool started[N_LEVELS];
} abstract_list;

typedef struct list_instance {
  int32_t id;
  int32_t abstract_id;
  int32_t start_override[N_LEVELS]; /* INT32_MIN: none */
  bool override_used[N_LEVELS];
} list_instance;

typedef struct para_style {
  char id[ID_LEN];
  char based_on[ID_LEN];
  int32_t num_id; /* -1: not set */
  int32_t ilvl;   /* -1: not set */
} para_style;

struct gk__docx_numbering {
  abstract_list *abs;
  size_t n_abs;
  list_instance *nums;
  size_t n_nums;
  para_style *styles;
  size_t n_styles;
  /* Reading state. */
  abstract_list *cur_abs;
  int cur_lvl;
  list_instance *cur_num;
  int cur_override;
  para_style *cur_style;
};

gk__docx_numbering *gk__docx_numbering_new(void) {
  gk__docx_numbering *n = calloc(1, sizeof *n);
  if (!n)
    return NULL;
  n->abs = calloc(GK_DOCX_MAX_LISTS, sizeof *n->abs);
  n->nums = calloc(GK_DOCX_MAX_LISTS, sizeof *n->nums);
  n->styles = calloc(GK_DOCX_MAX_STYLES, sizeof *n->styles);
  if (!n->abs || !n->nums || !n->styles) {
    gk__docx_numbering_free(n);
    return NULL;
  }
  n->cur_lvl = n->cur_override = -1;
  return n;
}

void gk__docx_numbering_free(gk__docx_numbering *n) {
  if (!n)
    return;
  free(n->abs);
  free(n->nums);
  free(n->styles);
  free(n);
}

/* ------------------------------------------------------------- reading */

/* The length of s[0, len) without a UTF-8 sequence cut off at its end. */
static size_t utf8_clip(const char *s, size_t len) {
  size_t i = len;
  while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
    i--;
  if (i == 0)
    return 0;
  unsigned char lead = (unsigned char)s[i - 1];
  size_t need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  return len - (i - 1) >= need ? len : i - 1;
}

/* The attribute `name` (any namespace) copied into buf, cut at a
 * character boundary if it does not fit; NULL if absent. */
static const char *attr(int n, const xmlChar **atts, const char *name,
                        char *buf, size_t cap) {
  for (int i = 0; i < n; i++) {
    const xmlChar **a = atts + (size_t)5 * (size_t)i;
    if (strcmp((const char *)a[0], name) != 0)
      continue;
    size_t len = (size_t)(a[4] - a[3]);
    if (len >= cap)
      len = utf8_clip((const char *)a[3], cap - 1);
    memcpy(buf, a[3], len);
    buf[len] = '\0';
    return buf;
  }
  return NULL;
}

/* A decimal attribute; `absent` when missing or not a number. */
static int32_t int_attr(int n, const xmlChar **atts, const char *name,
                        int32_t absent) {
  char buf[16];
  const char *v = attr(n, atts, name, buf, sizeof buf);
  if (!v)
    return absent;
  bool neg = *v == '-';
  if (neg)
    v++;
  if (*v < '0' || *v > '9')
    return absent;
  int32_t x = 0;
  for (int i = 0; i < 9 && *v >= '0' && *v <= '9'; i++, v++)
    x = x * 10 + (*v - '0');
  return neg ? -x : x;
}

static num_fmt fmt_of(const char *v) {
  static const struct {
    const char *name;
    num_fmt fmt;
  } fmts[] = {
      {"decimal", FMT_DECIMAL},
      {"decimalZero", FMT_DECIMAL_ZERO},
      {"decimalFullWidth", FMT_FULLWIDTH},
      {"decimalFullWidth2", FMT_FULLWIDTH},
      {"decimalHalfWidth", FMT_DECIMAL},
      {"decimalEnclosedCircle", FMT_CIRCLE},
      {"decimalEnclosedCircleChinese", FMT_CIRCLE},
      {"chineseCounting", FMT_CHINESE},
      {"chineseCountingThousand", FMT_CHINESE},
      {"japaneseCounting", FMT_CHINESE},
      {"ideographDigital", FMT_CHINESE},
      {"chineseLegalSimplified", FMT_CHINESE_LEGAL},
      {"ideographTraditional", FMT_IDEOGRAPH},
      {"upperLetter", FMT_UPPER_LETTER},
      {"lowerLetter", FMT_LOWER_LETTER},
      {"upperRoman", FMT_UPPER_ROMAN},
      {"lowerRoman", FMT_LOWER_ROMAN},
  };
  for (size_t i = 0; v && i < sizeof fmts / sizeof *fmts; i++)
    if (strcmp(v, fmts[i].name) == 0)
      return fmts[i].fmt;
  return FMT_NONE;
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces,
                     const xmlChar **namespaces, int nb_attributes,
                     int nb_defaulted, const xmlChar **atts) {
  gk__docx_numbering *n = ctx;
  (void)prefix, (void)uri, (void)nb_namespaces, (void)namespaces;
  (void)nb_defaulted;
  const char *name = (const char *)localname;
  int na = nb_attributes;
  char buf[ID_LEN];
  if (strcmp(name, "abstractNum") == 0) {
    n->cur_abs = NULL;
    if (n->n_abs < GK_DOCX_MAX_LISTS) {
      n->cur_abs = &n->abs[n->n_abs++];
      n->cur_abs->id = int_attr(na, atts, "abstractNumId", -1);
      for (int i = 0; i < N_LEVELS; i++) {
        n->cur_abs->lvl[i].start = 1;
        n->cur_abs->lvl[i].space_after = true;
      }
    }
  } else if (strcmp(name, "lvl") == 0 && n->cur_abs) {
    int32_t l = int_attr(na, atts, "ilvl", -1);
    n->cur_lvl = l >= 0 && l < N_LEVELS ? (int)l : -1;
  } else if (n->cur_abs && n->cur_lvl >= 0) {
    level *lv = &n->cur_abs->lvl[n->cur_lvl];
    if (strcmp(name, "start") == 0) {
      lv->start = int_attr(na, atts, "val", 1);
    } else if (strcmp(name, "numFmt") == 0) {
      lv->fmt = (uint8_t)fmt_of(attr(na, atts, "val", buf, sizeof buf));
    } else if (strcmp(name, "lvlText") == 0) {
      const char *v = attr(na, atts, "val", lv->text, sizeof lv->text);
      if (!v)
        lv->text[0] = '\0';
    } else if (strcmp(name, "suff") == 0) {
      const char *v = attr(na, atts, "val", buf, sizeof buf);
      lv->space_after = !v || strcmp(v, "nothing") != 0;
    }
  }
  if (strcmp(name, "num") == 0) {
    n->cur_num = NULL;
    if (n->n_nums < GK_DOCX_MAX_LISTS) {
      n->cur_num = &n->nums[n->n_nums++];
      n->cur_num->id = int_attr(na, atts, "numId", -1);
      n->cur_num->abstract_id = -1;
      for (int i = 0; i < N_LEVELS; i++)
        n->cur_num->start_override[i] = INT32_MIN;
    }
  } else if (n->cur_num && strcmp(name, "abstractNumId") == 0) {
    n->cur_num->abstract_id = int_attr(na, atts, "val", -1);
  } else if (n->cur_num && strcmp(name, "lvlOverride") == 0) {
    int32_t l = int_attr(na, atts, "ilvl", -1);
    n->cur_override = l >= 0 && l < N_LEVELS ? (int)l : -1;
  } else if (n->cur_num && n->cur_override >= 0 &&
             strcmp(name, "startOverride") == 0) {
    n->cur_num->start_override[n->cur_override] = int_attr(na, atts, "val", 1);
  }
  if (strcmp(name, "style") == 0) {
    n->cur_style = NULL;
    const char *type = attr(na, atts, "type", buf, sizeof buf);
    if (type && strcmp(type, "paragraph") == 0 &&
        n->n_styles < GK_DOCX_MAX_STYLES) {
      para_style *s = &n->styles[n->n_styles++];
      if (!attr(na, atts, "styleId", s->id, sizeof s->id))
        s->id[0] = '\0';
      s->num_id = s->ilvl = -1;
      n->cur_style = s;
    }
  } else if (n->cur_style && strcmp(name, "basedOn") == 0) {
    if (!attr(na, atts, "val", n->cur_style->based_on,
              sizeof n->cur_style->based_on))
      n->cur_style->based_on[0] = '\0';
  } else if (n->cur_style && strcmp(name, "numId") == 0) {
    n->cur_style->num_id = int_attr(na, atts, "val", -1);
  } else if (n->cur_style && strcmp(name, "ilvl") == 0) {
    n->cur_style->ilvl = int_attr(na, atts, "val", -1);
  }
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                   const xmlChar *uri) {
  gk__docx_numbering *n = ctx;
  (void)prefix, (void)uri;
  const char *name = (const char *)localname;
  if (strcmp(name, "abstractNum") == 0)
    n->cur_abs = NULL;
  else if (strcmp(name, "lvl") == 0)
    n->cur_lvl = -1;
  else if (strcmp(name, "num") == 0)
    n->cur_num = NULL;
  else if (strcmp(name, "lvlOverride") == 0)
    n->cur_override = -1;
  else if (strcmp(name, "style") == 0)
    n->cur_style = NULL;
}

void gk__docx_numbering_sax(xmlSAXHandler *sax) {
  sax->startElementNs = on_start;
  sax->endElementNs = on_end;
  sax->characters = NULL;
  sax->cdataBlock = NULL;
}

/* ---------------------------------------------------------- formatting */

static const para_style *find_style(const gk__docx_numbering *n,
                                    const char *id) {
  for (size_t i = 0; id && *id && i < n->n_styles; i++)
    if (strcmp(n->styles[i].id, id) == 0)
      return &n->styles[i];
  return NULL;
}

/* Appends the UTF-8 of code point cp. */
static size_t put_cp(char *out, size_t k, size_t cap, int32_t cp) {
  char u[4];
  size_t m = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  if (m == 1) {
    u[0] = (char)cp;
  } else if (m == 2) {
    u[0] = (char)(0xC0 | cp >> 6);
    u[1] = (char)(0x80 | (cp & 0x3F));
  } else if (m == 3) {
    u[0] = (char)(0xE0 | cp >> 12);
    u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
  } else {
    u[0] = (char)(0xF0 | cp >> 18);
    u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
  }
  if (k + m >= cap)
    return k;
  memcpy(out + k, u, m);
  return k + m;
}

static size_t put_str(char *out, size_t k, size_t cap, const char *s) {
  size_t m = strlen(s);
  if (k + m >= cap)
    return k;
  memcpy(out + k, s, m + 1); /* with its NUL: out stays a string */
  return k + m;
}

/* Writes counter v in format f. */
static size_t put_number(char *out, size_t k, size_t cap, num_fmt f,
                         int32_t v) {
  static const int32_t cn[] = {0x96F6, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                               0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
  static const int32_t legal[] = {0x96F6, 0x58F9, 0x8D30, 0x53C1, 0x8086,
                                  0x4F0D, 0x9646, 0x67D2, 0x634C, 0x7396};
  static const int32_t stems[] = {0x7532, 0x4E59, 0x4E19, 0x4E01, 0x620A,
                                  0x5DF1, 0x5E9A, 0x8F9B, 0x58EC, 0x7678};
  char dec[16];
  if (v < 0)
    v = 0;
  switch (f) {
  case FMT_NONE:
    return k;
  case FMT_CHINESE:
  case FMT_CHINESE_LEGAL: {
    const int32_t *d = f == FMT_CHINESE ? cn : legal;
    int32_t ten = f == FMT_CHINESE ? 0x5341 /* 十 */ : 0x62FE /* 拾 */;
    if (v >= 100)
      break; /* past 99: digits, as the counting formats rarely go */
    if (v >= 10) {
      if (v >= 20)
        k = put_cp(out, k, cap, d[v / 10]);
      k = put_cp(out, k, cap, ten);
      return v % 10 ? put_cp(out, k, cap, d[v % 10]) : k;
    }
    return put_cp(out, k, cap, d[v]);
  }
  case FMT_IDEOGRAPH:
    if (v >= 1 && v <= 10)
      return put_cp(out, k, cap, stems[v - 1]);
    break;
  case FMT_CIRCLE:
    if (v >= 1 && v <= 20)
      return put_cp(out, k, cap, 0x2460 + v - 1);
    break;
  case FMT_FULLWIDTH:
    snprintf(dec, sizeof dec, "%d", (int)v);
    for (const char *p = dec; *p; p++)
      k = put_cp(out, k, cap, 0xFF10 + (*p - '0'));
    return k;
  case FMT_UPPER_LETTER:
  case FMT_LOWER_LETTER:
    if (v >= 1) {
      /* Word repeats the letter: a..z, aa..zz, ... */
      char c = (char)((f == FMT_UPPER_LETTER ? 'A' : 'a') + (v - 1) % 26);
      for (int32_t r = 0; r <= (v - 1) / 26 && r < 8; r++)
        k = put_cp(out, k, cap, c);
      return k;
    }
    break;
  case FMT_UPPER_ROMAN:
  case FMT_LOWER_ROMAN:
    if (v >= 1 && v < 4000) {
      static const int32_t val[] = {1000, 900, 500, 400, 100, 90, 50,
                                    40,   10,  9,   5,   4,   1};
      static const char *const sym[] = {"M",  "CM", "D",  "CD", "C",  "XC", "L",
                                        "XL", "X",  "IX", "V",  "IV", "I"};
      for (int i = 0; i < 13; i++)
        for (; v >= val[i]; v -= val[i])
          for (const char *p = sym[i]; *p; p++)
            k = put_cp(out, k, cap,
                       f == FMT_UPPER_ROMAN ? *p : (char)(*p + 32));
      return k;
    }
    break;
  case FMT_DECIMAL_ZERO:
    snprintf(dec, sizeof dec, v < 10 ? "0%d" : "%d", (int)v);
    return put_str(out, k, cap, dec);
  default:
    break;
  }
  snprintf(dec, sizeof dec, "%d", (int)v);
  return put_str(out, k, cap, dec);
}

size_t gk__docx_number(gk__docx_numbering *n, const char *style, int num_id,
                       int ilvl, char *out, size_t cap) {
  out[0] = '\0';
  if (!n || cap < 2)
    return 0;
  /* The paragraph's own properties win over its style's, which win over
   * the styles it is based on. */
  const para_style *s = find_style(n, style);
  for (int step = 0;
       s && step < GK_DOCX_MAX_BASED_ON && (num_id < 0 || ilvl < 0); step++) {
    if (num_id < 0 && s->num_id >= 0)
      num_id = s->num_id;
    if (ilvl < 0 && s->ilvl >= 0)
      ilvl = s->ilvl;
    s = find_style(n, s->based_on);
  }
  if (num_id <= 0) /* 0 removes numbering a style would give */
    return 0;
  if (ilvl < 0 || ilvl >= N_LEVELS)
    ilvl = 0;
  list_instance *inst = NULL;
  for (size_t i = 0; i < n->n_nums && !inst; i++)
    if (n->nums[i].id == num_id)
      inst = &n->nums[i];
  abstract_list *a = NULL;
  for (size_t i = 0; inst && i < n->n_abs && !a; i++)
    if (n->abs[i].id == inst->abstract_id)
      a = &n->abs[i];
  if (!a)
    return 0;
  /* Count: this level steps on (or starts, or restarts as the instance
   * says on its first use), deeper levels start over. */
  if (inst->start_override[ilvl] != INT32_MIN && !inst->override_used[ilvl]) {
    a->counter[ilvl] = inst->start_override[ilvl];
    a->started[ilvl] = true;
    inst->override_used[ilvl] = true;
  } else if (a->started[ilvl]) {
    if (a->counter[ilvl] < INT32_MAX)
      a->counter[ilvl]++;
  } else {
    a->counter[ilvl] = a->lvl[ilvl].start;
    a->started[ilvl] = true;
  }
  for (int l = ilvl + 1; l < N_LEVELS; l++)
    a->started[l] = false;
  const level *lv = &a->lvl[ilvl];
  if (lv->fmt == FMT_NONE)
    return 0;
  size_t k = 0;
  for (const char *p = lv->text; *p && k + 1 < cap; p++) {
    if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
      int l = p[1] - '1';
      int32_t v = a->started[l] ? a->counter[l] : a->lvl[l].start;
      k = put_number(out, k, cap, (num_fmt)a->lvl[l].fmt, v);
      p++;
    } else {
      out[k++] = *p;
    }
  }
  k = utf8_clip(out, k);
  if (k > 0 && lv->space_after && k + 1 < cap)
    out[k++] = ' ';
  out[k] = '\0';
  return k;
}
