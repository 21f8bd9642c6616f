/*
 * read_model.c - a report from its JSON model (gk_read_model_json), or a
 * blank one to fill (gk_report_template).
 *
 * Both build a gk_report without a source document: the metadata, the
 * parts and the tables come from the model, shaped by the edition's table
 * definitions in src/format; a layout is made from the title, the parts'
 * prose and the signature, one line per paragraph, for the parser's last
 * passes (the text as written, the prose), which read.c then runs over it
 * (gk_read_model_json): a reader does not call the parser.  No line numbers are
 * kept: those of a parsed model belong to its source document, not to the
 * JSON, so every line is 0 and findings carry no location.  The agency and
 * the date are taken as the signature's, which is where a rendering
 * prints them.
 *
 * The JSON is read with jansson and validated strictly: the schema, every
 * key known, every row and column of the edition's tables present, counts
 * integers >= 0.  jansson reads decimals as doubles, which would lose the
 * fee's written precision ("1.20"); the decimals' lexemes are therefore
 * taken from the text itself, matched to jansson's reals in document order
 * (jansson keeps objects in insertion order and duplicates are refused).
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "readers/layout_build.h"
#include "readers/readers.h"

/* The schema this reader reads (model.md §1). */
#define GK_MODEL_SCHEMA "gongkai.report/1"

/* Decimals kept in a cell read from JSON: the fee in 万元 is written with
 * two or four, six leaves room; more would not fit GK_MAX_CELL_VALUE's
 * twelve digits with a useful integer part. */
#define GK_MAX_MODEL_SCALE 6

/* Bytes of the detail message (a phrase and a model path). */
#define DETAIL_MAX 256

/* The detail of the last failure on this thread: it names a path of the
 * model, so it cannot be a static phrase. */
static _Thread_local char detail_buf[DETAIL_MAX];

typedef struct lexeme {
  size_t off, len;
} lexeme;

typedef struct reader {
  gk_report *r;
  gk_status st;
  /* Decimal numbers: jansson's reals in document order, and the text of
   * each. */
  json_t **reals;
  size_t n_reals, cap_reals;
  lexeme *lex;
  size_t n_lex;
  const char *json;
} reader;

/* Records the first failure with its detail; returns false. */
static bool fail(reader *rd, gk_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static bool fail(reader *rd, gk_status st, const char *fmt, ...) {
  if (rd->st != GK_OK)
    return false;
  rd->st = st;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(detail_buf, sizeof detail_buf, fmt, ap);
  va_end(ap);
  return false;
}

/* ------------------------------------------------------ a new report */

static gk_report *report_new(void) {
  gk_report *r = calloc(1, sizeof *r);
  if (r)
    gk__arena_init(&r->arena);
  return r;
}

static gk__table *table_new(gk_report *r, const gk__tabledef *def) {
  gk__arena *a = &r->arena;
  gk__table *t = gk__arena_calloc(a, 1, sizeof *t);
  if (!t)
    return NULL;
  t->def = def;
  t->cells = gk__arena_calloc(a, (size_t)def->n_rows * def->max_cols,
                              sizeof *t->cells);
  t->row_found = gk__arena_calloc(a, def->n_rows, sizeof *t->row_found);
  t->row_label = gk__arena_calloc(a, def->n_rows, sizeof *t->row_label);
  t->row_line = gk__arena_calloc(a, def->n_rows, sizeof *t->row_line);
  if (!t->cells || !t->row_found || !t->row_label || !t->row_line)
    return NULL;
  /* Every row is there by construction; labels are the standard ones,
   * so there is nothing for the label-variant checks to compare. */
  for (int i = 0; i < def->n_rows; i++)
    t->row_found[i] = true;
  return t;
}

/* The numeral a heading starts with ("三、…" → 3), 0 when none: the
 * structure checks compare it with the part's number. */
static int heading_numeral(const char *h) {
  static const char *const digits[] = {"十", "一", "二", "三", "四",
                                       "五", "六", "七", "八", "九"};
  if (!h)
    return 0;
  if (strncmp(h, "第", strlen("第")) == 0)
    h += strlen("第");
  int v = 0, n = 0;
  for (bool more = true; more && n < 2;) {
    more = false;
    for (int d = 0; d < 10; d++) {
      size_t l = strlen(digits[d]);
      if (strncmp(h, digits[d], l) != 0)
        continue;
      v = d == 0 ? (v ? v * 10 : 10) : (v >= 10 ? v + d : d);
      h += l;
      n++;
      more = true;
      break;
    }
  }
  if (n == 0 || v > 10)
    return 0;
  if (strncmp(h, "、", strlen("、")) == 0 || *h == '.' ||
      strncmp(h, "部分", strlen("部分")) == 0)
    return v;
  return 0;
}

/* Adds each line of s (NULL or "" adds nothing) as a layout line of one
 * run, without a source line number: the JSON has none. */
static void layout_add_text(gk__lines *lb, const char *s) {
  while (s && *s) {
    const char *nl = strchr(s, '\n');
    size_t len = nl ? (size_t)(nl - s) : strlen(s);
    if (len > 0 && len <= UINT32_MAX &&
        gk__lines_run(lb, s, (uint32_t)len, -1, -1, -1))
      gk__lines_close(lb, 0, false);
    s = nl ? nl + 1 : NULL;
  }
}

/* The layout the parser's last passes read (parse/written.c, the text as
 * written; parse/prose.c, the facts of the prose): the title, each part's
 * heading and prose, the signature, as a rendering prints them.  read.c
 * runs both passes over it, as the parser runs them, so that the checks
 * find the same model either way. */
static gk_status build_layout(gk_report *r) {
  gk__arena *a = &r->arena;
  gk__lines lb;
  gk__lines_init(&lb, GK_MAX_LINES);
  layout_add_text(&lb, r->title);
  for (size_t i = 0; i < r->n_sections; i++) {
    layout_add_text(&lb, r->sections[i].pub.heading);
    layout_add_text(&lb, r->sections[i].pub.text);
  }
  layout_add_text(&lb, r->agency);
  if (r->published) {
    int y, m, d;
    if (sscanf(r->published, "%d-%d-%d", &y, &m, &d) == 3)
      layout_add_text(&lb, gk__arena_printf(a, "%d年%d月%d日", y, m, d));
  }
  /* Any failure is reported as memory (as before the builder was
   * shared): past GK_MAX_LINES the model's text could not be held. */
  gk_status st = gk__arena_failed(a)
                     ? GK_ENOMEM
                     : gk__lines_finish(&lb, a, r->source_format, &r->layout);
  gk__lines_free(&lb);
  return st == GK_OK ? GK_OK : GK_ENOMEM;
}

/* The table definitions a model of this edition and year uses, as the
 * parser chooses them; NULL for pre-2019 reports. */
static const gk__edition_def *tables_edition(gk_edition e, int year) {
  const gk__edition_def *ed = gk__edition_get(e);
  if (ed || e == GK_EDITION_PRE2019)
    return ed;
  return year >= 2019 && year <= 2020 ? &gk__edition_2019 : &gk__edition_2021;
}

/* A null cell's diagnostic, one per row, as the parser writes it. */
static void blank_diag(gk_report *r, const gk__table *t, int ri) {
  const gk__tabledef *def = t->def;
  const gk__rowdef *rd = &def->rows[ri];
  char cols[256] = "";
  size_t clen = 0, blanks = 0;
  for (int ci = 0; ci < rd->n_cols; ci++) {
    if (gk__table_cell(t, ri, ci)->state == GK_CELL_VALUE)
      continue;
    blanks++;
    if (!rd->scalar && clen < sizeof cols - 40) {
      int w = snprintf(cols + clen, sizeof cols - clen, "“%s”",
                       rd->cols[ci].label.text);
      if (w > 0)
        clen += (size_t)w;
    }
  }
  if (!blanks)
    return;
  const char *name =
      def->layout == GK_LAYOUT_BLOCKS && rd->group
          ? gk__arena_printf(&r->arena, "%s·%s", rd->group, rd->label.text)
          : rd->label.text;
  const char *path = gk__arena_printf(&r->arena, "%s.%s", def->key, rd->key);
  const char *part = gk__table_part_name(def->id);
  if (!name || !path)
    return;
  if (blanks == (size_t)rd->n_cols && rd->n_cols > 1)
    gk__diag_rule(r, GK_R_CELL_BLANK, 0, path,
                  "%s“%s”%zu 个单元格为空（应填 0）", part, name, blanks);
  else if (rd->scalar)
    gk__diag_rule(r, GK_R_CELL_BLANK, 0, path, "%s“%s”为空（应填 0）", part,
                  name);
  else
    gk__diag_rule(r, GK_R_CELL_BLANK, 0, path, "%s“%s”行%s列为空（应填 0）",
                  part, name, cols);
}

/* --------------------------------------------------------- from JSON */

/* The decimal numbers of the text, in order: a number token with a
 * fraction or an exponent, outside strings. */
static bool scan_decimals(reader *rd, const char *s, size_t len) {
  size_t cap = 0;
  for (size_t i = 0; i < len;) {
    char c = s[i];
    if (c == '"') {
      for (i++; i < len && s[i] != '"'; i++)
        if (s[i] == '\\')
          i++;
      i++;
      continue;
    }
    if (c != '-' && !(c >= '0' && c <= '9')) {
      i++;
      continue;
    }
    size_t j = i;
    bool dec = false;
    while (j < len && s[j] && strchr("+-0123456789.eE", s[j])) {
      dec |= s[j] == '.' || s[j] == 'e' || s[j] == 'E';
      j++;
    }
    if (dec) {
      if (gk__array_grow(&rd->lex, &cap, rd->n_lex + 1, sizeof *rd->lex,
                         SIZE_MAX) != GK_OK)
        return fail(rd, GK_ENOMEM, "内存不足");
      rd->lex[rd->n_lex].off = i;
      rd->lex[rd->n_lex].len = j - i;
      rd->n_lex++;
    }
    i = j;
  }
  return true;
}

/* jansson's reals in document order. */
static bool collect_reals(reader *rd, json_t *v) {
  if (json_is_real(v)) {
    if (gk__array_grow(&rd->reals, &rd->cap_reals, rd->n_reals + 1,
                       sizeof(json_t *), SIZE_MAX) != GK_OK)
      return fail(rd, GK_ENOMEM, "内存不足");
    rd->reals[rd->n_reals++] = v;
  } else if (json_is_object(v)) {
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x) {
      if (!collect_reals(rd, x))
        return false;
    }
  } else if (json_is_array(v)) {
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
      if (!collect_reals(rd, x))
        return false;
    }
  }
  return true;
}

/* The text of a real, as written; NULL when it cannot be matched. */
static bool real_text(const reader *rd, const json_t *v, const char **s,
                      size_t *len) {
  if (rd->n_reals != rd->n_lex)
    return false;
  for (size_t i = 0; i < rd->n_reals; i++) {
    if (rd->reals[i] == v) {
      *s = rd->json + rd->lex[i].off;
      *len = rd->lex[i].len;
      return true;
    }
  }
  return false;
}

/* Whether every key of obj is one of `keys` (NULL-terminated). */
static bool known_keys(reader *rd, json_t *obj, const char *const *keys,
                       const char *where) {
  const char *k;
  json_t *v;
  json_object_foreach(obj, k, v) {
    bool ok = false;
    for (size_t i = 0; keys[i] && !ok; i++)
      ok = strcmp(k, keys[i]) == 0;
    if (!ok)
      return fail(rd, GK_EINVAL, "%s%s未知的键“%s”", where, *where ? "中" : "",
                  k);
  }
  return true;
}

/* A string member, or NULL for null or absence; false on another type. */
static bool opt_string(reader *rd, json_t *obj, const char *key,
                       const char **out) {
  json_t *v = json_object_get(obj, key);
  *out = NULL;
  if (!v || json_is_null(v))
    return true;
  if (!json_is_string(v))
    return fail(rd, GK_EINVAL, "%s 应为字符串或 null", key);
  const char *s = json_string_value(v);
  if (strlen(s) != json_string_length(v))
    return fail(rd, GK_EINVAL, "%s 中含有 NUL 字符", key);
  *out = gk__arena_strdup(&rd->r->arena, s);
  if (!*out)
    return fail(rd, GK_ENOMEM, "内存不足");
  return true;
}

static bool valid_date(const char *s) {
  int y, m, d;
  char tail;
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
      sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return false;
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
    return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(m == 2 && d == 29 && !leap);
}

static bool read_source(reader *rd, json_t *root, size_t len) {
  gk_report *r = rd->r;
  json_t *src = json_object_get(root, "source");
  /* Without a source the JSON itself is the source. */
  r->source_name = "-";
  r->source_format = "json";
  r->source_bytes = len;
  gk__sha256_hex(rd->json, len, r->sha256);
  if (!src || json_is_null(src))
    return true;
  static const char *const keys[] = {"name", "format", "bytes", "sha256", NULL};
  if (!json_is_object(src))
    return fail(rd, GK_EINVAL, "source 应为对象");
  if (!known_keys(rd, src, keys, "source"))
    return false;
  const char *name, *format, *sha;
  if (!opt_string(rd, src, "name", &name) ||
      !opt_string(rd, src, "format", &format) ||
      !opt_string(rd, src, "sha256", &sha))
    return false;
  if (name)
    r->source_name = name;
  if (format)
    r->source_format = format;
  json_t *bytes = json_object_get(src, "bytes");
  if (bytes && !json_is_null(bytes)) {
    if (!json_is_integer(bytes) || json_integer_value(bytes) < 0)
      return fail(rd, GK_EINVAL, "source.bytes 应为非负整数");
    r->source_bytes = (size_t)json_integer_value(bytes);
  }
  if (sha) {
    size_t n = strlen(sha);
    bool hex = n == 64 || n == 0;
    for (size_t i = 0; i < n && hex; i++)
      hex =
          (sha[i] >= '0' && sha[i] <= '9') || (sha[i] >= 'a' && sha[i] <= 'f');
    if (!hex)
      return fail(rd, GK_EINVAL, "source.sha256 应为 64 位小写十六进制数");
    memcpy(r->sha256, sha, n + 1);
  }
  return true;
}

static bool read_meta(reader *rd, json_t *root) {
  gk_report *r = rd->r;
  json_t *ed = json_object_get(root, "edition");
  r->edition = GK_EDITION_UNKNOWN;
  if (ed && !json_is_null(ed)) {
    const char *e = json_is_string(ed) ? json_string_value(ed) : "";
    if (strcmp(e, "2021") == 0)
      r->edition = GK_EDITION_2021;
    else if (strcmp(e, "2019") == 0)
      r->edition = GK_EDITION_2019;
    else if (strcmp(e, "pre2019") == 0)
      r->edition = GK_EDITION_PRE2019;
    else
      return fail(rd, GK_EINVAL,
                  "edition 应为 \"2021\"、\"2019\"、\"pre2019\" 或 null");
  }
  if (!opt_string(rd, root, "title", &r->title) ||
      !opt_string(rd, root, "agency", &r->agency) ||
      !opt_string(rd, root, "published", &r->published))
    return false;
  if (r->title && !r->title[0])
    r->title = NULL;
  if (r->agency && !r->agency[0])
    r->agency = NULL;
  if (r->published && !valid_date(r->published))
    return fail(rd, GK_EINVAL, "published 应为 YYYY-MM-DD 形式的有效日期");
  json_t *year = json_object_get(root, "year");
  if (year && !json_is_null(year)) {
    if (!json_is_integer(year) || json_integer_value(year) < 1990 ||
        json_integer_value(year) > 2100)
      return fail(rd, GK_EINVAL, "year 应为 1990 至 2100 之间的整数或 null");
    r->year = (int)json_integer_value(year);
  }
  /* The signature is where a rendering prints them. */
  r->signature_agency = r->agency;
  r->agency_from_signature = r->agency != NULL;
  return true;
}

static bool read_sections(reader *rd, json_t *root) {
  gk_report *r = rd->r;
  json_t *arr = json_object_get(root, "sections");
  if (!arr || json_is_null(arr))
    return true;
  if (!json_is_array(arr))
    return fail(rd, GK_EINVAL, "sections 应为数组");
  size_t n = json_array_size(arr);
  if (n > 6)
    return fail(rd, GK_EINVAL, "sections 最多 6 项（六个法定部分）");
  r->sections = gk__arena_calloc(&r->arena, n ? n : 1, sizeof *r->sections);
  if (!r->sections)
    return fail(rd, GK_ENOMEM, "内存不足");
  static const char *const keys[] = {"number", "heading", "line",
                                     "page",   "text",    NULL};
  bool seen[7] = {false};
  for (size_t i = 0; i < n; i++) {
    json_t *s = json_array_get(arr, i);
    char where[32];
    snprintf(where, sizeof where, "sections[%zu]", i);
    if (!json_is_object(s))
      return fail(rd, GK_EINVAL, "%s 应为对象", where);
    if (!known_keys(rd, s, keys, where))
      return false;
    json_t *num = json_object_get(s, "number");
    if (!json_is_integer(num) || json_integer_value(num) < 1 ||
        json_integer_value(num) > 6)
      return fail(rd, GK_EINVAL, "%s.number 应为 1 至 6 的整数", where);
    int number = (int)json_integer_value(num);
    if (seen[number])
      return fail(rd, GK_EINVAL, "%s：第 %d 部分重复出现", where, number);
    seen[number] = true;
    json_t *line = json_object_get(s, "line");
    if (line && !json_is_null(line) &&
        (!json_is_integer(line) || json_integer_value(line) < 0))
      return fail(rd, GK_EINVAL, "%s.line 应为非负整数", where);
    json_t *page = json_object_get(s, "page");
    if (page && !json_is_null(page) &&
        (!json_is_integer(page) || json_integer_value(page) < 0))
      return fail(rd, GK_EINVAL, "%s.page 应为非负整数", where);
    const char *heading, *text;
    if (!opt_string(rd, s, "heading", &heading) ||
        !opt_string(rd, s, "text", &text))
      return false;
    gk__section *sec = &r->sections[r->n_sections++];
    sec->pub.number = number;
    sec->pub.heading =
        heading && heading[0] ? heading : gk__parts[number - 1].heading;
    sec->pub.text = text ? text : "";
    sec->pub.line = 0;
    sec->numeral = heading_numeral(sec->pub.heading);
  }
  return true;
}

/* Reads one cell's value of the given kind. */
static bool read_cell(reader *rd, json_t *v, gk__value_kind kind, gk__cell *c,
                      const char *path) {
  c->state = GK_CELL_NULL;
  c->scale = 0;
  c->line = 0;
  if (!v || json_is_null(v))
    return true;
  bool decimals = kind == GK_V_MONEY || kind == GK_V_AMOUNT;
  bool negative_ok = kind == GK_V_SIGNED;
  if (json_is_integer(v)) {
    json_int_t x = json_integer_value(v);
    if (x < 0 && !negative_ok)
      return fail(rd, GK_EINVAL, "%s 应为非负数", path);
    if (x > GK_MAX_CELL_VALUE || x < -GK_MAX_CELL_VALUE)
      return fail(rd, GK_EINVAL, "%s 的数值过大", path);
    c->value = (int64_t)x;
    c->state = GK_CELL_VALUE;
    return true;
  }
  if (!json_is_real(v))
    return fail(rd, GK_EINVAL, "%s 应为数字或 null", path);
  if (!decimals)
    return fail(rd, GK_EINVAL, "%s 是件数，应为整数", path);
  const char *s;
  size_t len;
  char buf[64];
  if (!real_text(rd, v, &s, &len)) {
    /* Not expected: the lexemes and the reals are both in document
     * order.  Fall back to the shortest form of the double. */
    snprintf(buf, sizeof buf, "%.*g", GK_MAX_MODEL_SCALE + 12,
             json_real_value(v));
    s = buf;
    len = strlen(buf);
  }
  /* A plain decimal: digits, a point, digits. */
  size_t i = 0;
  if (i < len && s[i] == '-') {
    if (!negative_ok)
      return fail(rd, GK_EINVAL, "%s 应为非负数", path);
    i++;
  }
  int64_t value = 0;
  int scale = 0, digits = 0;
  bool point = false;
  for (; i < len; i++) {
    if (s[i] == '.' && !point) {
      point = true;
      continue;
    }
    if (s[i] < '0' || s[i] > '9')
      return fail(rd, GK_EINVAL, "%s 应写成普通小数（如 1.25），不用科学计数法",
                  path);
    if (++digits > 15)
      return fail(rd, GK_EINVAL, "%s 的数值位数过多", path);
    value = value * 10 + (s[i] - '0');
    scale += point;
  }
  if (scale > GK_MAX_MODEL_SCALE)
    return fail(rd, GK_EINVAL, "%s 的小数位数过多（最多 %d 位）", path,
                GK_MAX_MODEL_SCALE);
  if (value > GK_MAX_CELL_VALUE)
    return fail(rd, GK_EINVAL, "%s 的数值过大", path);
  c->value = s[0] == '-' ? -value : value;
  c->scale = (uint8_t)scale;
  c->state = GK_CELL_VALUE;
  return true;
}

/* Reads table `def` from obj; every row and column must be there. */
static bool read_table(reader *rd, json_t *obj, const gk__tabledef *def,
                       gk__table **out) {
  gk_report *r = rd->r;
  *out = NULL;
  if (!json_is_object(obj))
    return fail(rd, GK_EINVAL, "%s 应为对象或 null", def->key);
  const char *k;
  json_t *v;
  json_object_foreach(obj, k, v) {
    if (gk__row_index(def, k) < 0)
      return fail(rd, GK_EINVAL, "%s 中未知的行“%s”", def->key, k);
  }
  gk__table *t = table_new(r, def);
  if (!t)
    return fail(rd, GK_ENOMEM, "内存不足");
  char path[160];
  for (int ri = 0; ri < def->n_rows; ri++) {
    const gk__rowdef *rd_ = &def->rows[ri];
    json_t *row = json_object_get(obj, rd_->key);
    snprintf(path, sizeof path, "%s.%s", def->key, rd_->key);
    if (!row)
      return fail(rd, GK_EINVAL, "缺少 %s（%s）", path, rd_->label.text);
    if (rd_->scalar) {
      if (!read_cell(rd, row, rd_->cols[0].kind, gk__table_cell(t, ri, 0),
                     path))
        return false;
      continue;
    }
    if (!json_is_object(row))
      return fail(rd, GK_EINVAL, "%s 应为对象", path);
    json_object_foreach(row, k, v) {
      if (gk__col_index(rd_, k) < 0)
        return fail(rd, GK_EINVAL, "%s 中未知的列“%s”", path, k);
    }
    for (int ci = 0; ci < rd_->n_cols; ci++) {
      const gk__coldef *col = &rd_->cols[ci];
      char cpath[200];
      snprintf(cpath, sizeof cpath, "%s.%s", path, col->key);
      json_t *cell = json_object_get(row, col->key);
      if (!cell)
        return fail(rd, GK_EINVAL, "缺少 %s（%s）", cpath, col->label.text);
      if (!read_cell(rd, cell, col->kind, gk__table_cell(t, ri, ci), cpath))
        return false;
    }
  }
  *out = t;
  return true;
}

/* Reads the three tables with edition ed; false with the failure
 * recorded when one does not fit it. */
static bool read_tables_as(reader *rd, json_t *root,
                           const gk__edition_def *ed) {
  gk_report *r = rd->r;
  for (int ti = 0; ti < GK_N_TABLES; ti++) {
    r->tables[ti] = NULL;
    /* Every edition's tables have the same keys. */
    const char *key = gk__edition_2021.tables[ti]->key;
    json_t *obj = json_object_get(root, key);
    if (!obj || json_is_null(obj))
      continue;
    if (!ed)
      return fail(rd, GK_EINVAL,
                  "2019 年以前的报告没有国家格式的表格，%s 应为 null", key);
    if (!read_table(rd, obj, ed->tables[ti], &r->tables[ti]))
      return false;
  }
  return true;
}

static bool read_tables(reader *rd, json_t *root) {
  gk_report *r = rd->r;
  const gk__edition_def *ed = tables_edition(r->edition, r->year);
  r->tables_ed = ed;
  if (read_tables_as(rd, root, ed))
    return true;
  /* Edition unknown: the tables may follow the other one. */
  if (r->edition != GK_EDITION_UNKNOWN || rd->st != GK_EINVAL)
    return false;
  const gk__edition_def *other =
      ed == &gk__edition_2021 ? &gk__edition_2019 : &gk__edition_2021;
  gk_status saved = rd->st;
  char saved_detail[DETAIL_MAX];
  memcpy(saved_detail, detail_buf, sizeof saved_detail);
  rd->st = GK_OK;
  if (read_tables_as(rd, root, other)) {
    r->tables_ed = other;
    return true;
  }
  rd->st = saved;
  memcpy(detail_buf, saved_detail, sizeof saved_detail);
  return false;
}

static bool read_root(reader *rd, json_t *root, size_t len) {
  static const char *const keys[] = {
      "schema",  "source",      "edition",    "title",     "agency",
      "year",    "published",   "sections",   "proactive", "applications",
      "appeals", "diagnostics", "provenance", NULL};
  if (!json_is_object(root))
    return fail(rd, GK_EINVAL, "顶层应为 JSON 对象");
  json_t *schema = json_object_get(root, "schema");
  if (!schema)
    return fail(rd, GK_EINVAL, "缺少 schema（应为 \"%s\"）", GK_MODEL_SCHEMA);
  if (!json_is_string(schema) ||
      strcmp(json_string_value(schema), GK_MODEL_SCHEMA) != 0)
    return fail(rd, GK_EUNSUPPORTED, "不支持的 schema（应为 \"%s\"）",
                GK_MODEL_SCHEMA);
  if (!known_keys(rd, root, keys, ""))
    return false;
  json_t *diags = json_object_get(root, "diagnostics");
  if (diags && !json_is_null(diags) && !json_is_array(diags))
    return fail(rd, GK_EINVAL, "diagnostics 应为数组");
  return read_source(rd, root, len) && read_meta(rd, root) &&
         read_sections(rd, root) && read_tables(rd, root);
}

/* ------------------------------------------------------- provenance */

/* Lines, pages and offsets in a model: below 2^32. */
static bool get_u32(reader *rd, json_t *v, const char *what, uint32_t *out) {
  if (!json_is_integer(v) || json_integer_value(v) < 0 ||
      json_integer_value(v) > (json_int_t)UINT32_MAX)
    return fail(rd, GK_EINVAL, "%s 应为非负整数", what);
  *out = (uint32_t)json_integer_value(v);
  return true;
}

/* A string or null, copied into the arena. */
static bool get_str(reader *rd, json_t *v, const char *what, const char **out) {
  *out = NULL;
  if (!v || json_is_null(v))
    return true;
  if (!json_is_string(v) ||
      strlen(json_string_value(v)) != json_string_length(v))
    return fail(rd, GK_EINVAL, "%s 应为字符串或 null", what);
  *out = gk__arena_strdup(&rd->r->arena, json_string_value(v));
  return *out ? true : fail(rd, GK_ENOMEM, "内存不足");
}

/* A year statement {"year", "line"} or null. */
static bool get_year(reader *rd, json_t *v, const char *what, bool *found,
                     int *year, uint32_t *line) {
  *found = false;
  if (!v || json_is_null(v))
    return true;
  static const char *const keys[] = {"year", "line", NULL};
  uint32_t y = 0;
  if (!json_is_object(v) || !known_keys(rd, v, keys, what) ||
      !get_u32(rd, json_object_get(v, "year"), what, &y) ||
      !get_u32(rd, json_object_get(v, "line"), what, line))
    return json_is_object(v) ? false
                             : fail(rd, GK_EINVAL, "%s 应为对象或 null", what);
  *found = true;
  *year = (int)y;
  return true;
}

/* A cell's provenance: line, text, page and box. */
static bool read_cell_source(reader *rd, json_t *v, gk__cell *c,
                             const char *what) {
  static const char *const keys[] = {"line", "text", "page", "box", NULL};
  if (!json_is_object(v) || !known_keys(rd, v, keys, what))
    return json_is_object(v) ? false : fail(rd, GK_EINVAL, "%s 应为对象", what);
  if (!get_u32(rd, json_object_get(v, "line"), what, &c->line) ||
      !get_str(rd, json_object_get(v, "text"), what, &c->text))
    return false;
  json_t *page = json_object_get(v, "page");
  if (page && !get_u32(rd, page, what, &c->page))
    return false;
  json_t *box = json_object_get(v, "box");
  if (box) {
    if (!json_is_array(box) || json_array_size(box) != 4)
      return fail(rd, GK_EINVAL, "%s.box 应为四个数", what);
    float *f[4] = {&c->x0, &c->y0, &c->x1, &c->y1};
    for (size_t k = 0; k < 4; k++) {
      json_t *x = json_array_get(box, k);
      if (!json_is_number(x))
        return fail(rd, GK_EINVAL, "%s.box 应为四个数", what);
      *f[k] = (float)json_number_value(x);
    }
  }
  return true;
}

/* A table's provenance: lines, header, rows and cells. */
static bool read_table_source(reader *rd, json_t *v, gk__table *t) {
  gk__arena *a = &rd->r->arena;
  const gk__tabledef *def = t->def;
  static const char *const keys[] = {"lines", "columns", "header",
                                     "rows",  "cells",   NULL};
  char where[96];
  snprintf(where, sizeof where, "provenance.tables.%s", def->key);
  if (!json_is_object(v) || !known_keys(rd, v, keys, where))
    return json_is_object(v) ? false
                             : fail(rd, GK_EINVAL, "%s 应为对象", where);
  json_t *lines = json_object_get(v, "lines");
  if (!json_is_array(lines) || json_array_size(lines) != 2 ||
      !get_u32(rd, json_array_get(lines, 0), where, &t->first_line) ||
      !get_u32(rd, json_array_get(lines, 1), where, &t->last_line))
    return rd->st != GK_OK
               ? false
               : fail(rd, GK_EINVAL, "%s.lines 应为两个行号", where);
  json_t *cols = json_object_get(v, "columns");
  t->col_label = NULL;
  if (cols) {
    if (!json_is_array(cols) ||
        json_array_size(cols) != (size_t)def->n_header_cols)
      return fail(rd, GK_EINVAL, "%s.columns 应有 %d 项", where,
                  def->n_header_cols);
    t->col_label = gk__arena_calloc(
        a, def->n_header_cols ? def->n_header_cols : 1, sizeof *t->col_label);
    if (!t->col_label)
      return fail(rd, GK_ENOMEM, "内存不足");
    for (int k = 0; k < def->n_header_cols; k++)
      if (!get_str(rd, json_array_get(cols, (size_t)k), where,
                   &t->col_label[k]))
        return false;
  }
  json_t *hdr = json_object_get(v, "header");
  if (hdr) {
    static const char *const hkeys[] = {"to", "text", "lines", NULL};
    if (!json_is_object(hdr) || !known_keys(rd, hdr, hkeys, where) ||
        !get_u32(rd, json_object_get(hdr, "to"), where, &t->header_to) ||
        !get_str(rd, json_object_get(hdr, "text"), where, &t->header_text))
      return rd->st != GK_OK ? false
                             : fail(rd, GK_EINVAL, "%s.header 应为对象", where);
    json_t *hl = json_object_get(hdr, "lines");
    if (!json_is_array(hl))
      return fail(rd, GK_EINVAL, "%s.header.lines 应为数组", where);
    size_t n = json_array_size(hl);
    t->header_line_text =
        gk__arena_calloc(a, n ? n : 1, sizeof *t->header_line_text);
    t->header_lineno = gk__arena_calloc(a, n ? n : 1, sizeof *t->header_lineno);
    if (!t->header_line_text || !t->header_lineno)
      return fail(rd, GK_ENOMEM, "内存不足");
    for (size_t k = 0; k < n; k++) {
      json_t *e = json_array_get(hl, k);
      if (!json_is_array(e) || json_array_size(e) != 2 ||
          !get_u32(rd, json_array_get(e, 0), where, &t->header_lineno[k]) ||
          !get_str(rd, json_array_get(e, 1), where, &t->header_line_text[k]))
        return rd->st != GK_OK
                   ? false
                   : fail(rd, GK_EINVAL,
                          "%s.header.lines 的每项应为 [行号, 文字]", where);
    }
    t->n_header_lines = n;
  }
  json_t *rows = json_object_get(v, "rows");
  if (!json_is_object(rows))
    return fail(rd, GK_EINVAL, "%s.rows 应为对象", where);
  for (int i = 0; i < def->n_rows; i++)
    t->row_found[i] = false;
  const char *k;
  json_t *x;
  json_object_foreach(rows, k, x) {
    int i = gk__row_index(def, k);
    static const char *const rkeys[] = {"line", "label", "printed", NULL};
    if (i < 0)
      return fail(rd, GK_EINVAL, "%s.rows 中未知的行“%s”", where, k);
    if (!json_is_object(x) || !known_keys(rd, x, rkeys, where) ||
        !get_u32(rd, json_object_get(x, "line"), where, &t->row_line[i]) ||
        !get_str(rd, json_object_get(x, "label"), where, &t->row_label[i]))
      return rd->st != GK_OK
                 ? false
                 : fail(rd, GK_EINVAL, "%s.rows.%s 应为对象", where, k);
    t->row_found[i] = true;
    json_t *printed = json_object_get(x, "printed");
    if (printed) {
      if (!t->row_printed) {
        t->row_printed =
            gk__arena_calloc(a, def->n_rows, sizeof *t->row_printed);
        if (!t->row_printed)
          return fail(rd, GK_ENOMEM, "内存不足");
      }
      if (!get_str(rd, printed, where, &t->row_printed[i]))
        return false;
    }
  }
  json_t *cells = json_object_get(v, "cells");
  if (!json_is_object(cells))
    return fail(rd, GK_EINVAL, "%s.cells 应为对象", where);
  json_object_foreach(cells, k, x) {
    const char *dot = strchr(k, '.');
    char rk[96];
    snprintf(rk, sizeof rk, "%.*s", dot ? (int)(dot - k) : (int)strlen(k), k);
    int ri = gk__row_index(def, rk);
    int ci = ri < 0 ? -1 : dot ? gk__col_index(&def->rows[ri], dot + 1) : 0;
    if (ri < 0 || ci < 0 || (!dot && !def->rows[ri].scalar))
      return fail(rd, GK_EINVAL, "%s.cells 中未知的单元格“%s”", where, k);
    if (!read_cell_source(rd, x, gk__table_cell(t, ri, ci), where))
      return false;
  }
  return true;
}

/* Where each source line starts in a part's text: [[byte, line], …]. */
static bool read_text_lines(reader *rd, json_t *v, size_t text_len,
                            gk__facts_lines *out) {
  if (!json_is_array(v))
    return fail(rd, GK_EINVAL, "provenance.sections[].text_lines 应为数组");
  size_t n = json_array_size(v);
  size_t *off = gk__arena_calloc(&rd->r->arena, n ? n : 1, sizeof *off);
  uint32_t *line = gk__arena_calloc(&rd->r->arena, n ? n : 1, sizeof *line);
  if (!off || !line)
    return fail(rd, GK_ENOMEM, "内存不足");
  for (size_t k = 0; k < n; k++) {
    json_t *e = json_array_get(v, k);
    uint32_t o = 0;
    if (!json_is_array(e) || json_array_size(e) != 2 ||
        !get_u32(rd, json_array_get(e, 0), "text_lines", &o) ||
        !get_u32(rd, json_array_get(e, 1), "text_lines", &line[k]))
      return rd->st != GK_OK ? false
                             : fail(rd, GK_EINVAL,
                                    "text_lines 的每项应为 [字节位置, 行号]");
    /* Increasing offsets inside the text: the facts' line lookup is a
     * binary search over them. */
    if (o > text_len || (k && o <= off[k - 1]))
      return fail(rd, GK_EINVAL, "text_lines 的字节位置应在正文之内且递增");
    off[k] = o;
  }
  out->offset = off;
  out->line = line;
  out->n = n;
  return true;
}

/* Reads what the parser recorded about the source ("provenance",
 * docs/MODEL.md), and the sections' source positions; fills `lines` with
 * the parts' line maps and *mentions with the accountability mention. */
static bool read_provenance(reader *rd, json_t *root, json_t *pv,
                            gk__facts_lines lines[7], bool *mentions) {
  gk_report *r = rd->r;
  static const char *const keys[] = {
      "title_line",     "signature", "pages",   "sections",
      "edition_marker", "period",    "opening", "mentions_accountability",
      "tables",         "facts",     NULL};
  if (!json_is_object(pv))
    return fail(rd, GK_EINVAL, "provenance 应为对象");
  if (!known_keys(rd, pv, keys, "provenance"))
    return false;
  r->has_provenance = true;
  if (!get_u32(rd, json_object_get(pv, "title_line"), "provenance.title_line",
               &r->title_line))
    return false;
  json_t *sig = json_object_get(pv, "signature");
  static const char *const skeys[] = {"agency", "line", "date_line",
                                      "agency_from_signature", NULL};
  if (!json_is_object(sig) ||
      !known_keys(rd, sig, skeys, "provenance.signature") ||
      !get_str(rd, json_object_get(sig, "agency"),
               "provenance.signature.agency", &r->signature_agency) ||
      !get_u32(rd, json_object_get(sig, "line"), "provenance.signature.line",
               &r->signature_line) ||
      !get_u32(rd, json_object_get(sig, "date_line"),
               "provenance.signature.date_line", &r->date_line))
    return rd->st != GK_OK
               ? false
               : fail(rd, GK_EINVAL, "provenance.signature 应为对象");
  json_t *afs = json_object_get(sig, "agency_from_signature");
  if (!json_is_boolean(afs))
    return fail(
        rd, GK_EINVAL,
        "provenance.signature.agency_from_signature 应为 true 或 false");
  r->agency_from_signature = json_is_true(afs);
  json_t *pages = json_object_get(pv, "pages");
  if (!json_is_array(pages))
    return fail(rd, GK_EINVAL, "provenance.pages 应为数组");
  r->n_page_spans = json_array_size(pages);
  r->page_spans = gk__arena_calloc(
      &r->arena, r->n_page_spans ? r->n_page_spans : 1, sizeof *r->page_spans);
  if (!r->page_spans)
    return fail(rd, GK_ENOMEM, "内存不足");
  for (size_t k = 0; k < r->n_page_spans; k++) {
    json_t *e = json_array_get(pages, k);
    gk__page_span *sp = &r->page_spans[k];
    if (!json_is_array(e) || json_array_size(e) != 3 ||
        !get_u32(rd, json_array_get(e, 0), "provenance.pages", &sp->page) ||
        !get_u32(rd, json_array_get(e, 1), "provenance.pages", &sp->first) ||
        !get_u32(rd, json_array_get(e, 2), "provenance.pages", &sp->last))
      return rd->st != GK_OK
                 ? false
                 : fail(rd, GK_EINVAL,
                        "provenance.pages 的每项应为 [页, 首行, 末行]");
  }
  /* The sections: their lines as the model states them, and how each was
   * written. */
  json_t *secs = json_object_get(pv, "sections");
  json_t *pub = json_object_get(root, "sections");
  size_t n_pub = json_is_array(pub) ? json_array_size(pub) : 0;
  if (!json_is_array(secs) || json_array_size(secs) != r->n_sections ||
      n_pub != r->n_sections)
    return fail(rd, GK_EINVAL, "provenance.sections 应与 sections 一一对应");
  for (size_t i = 0; i < r->n_sections; i++) {
    gk__section *s = &r->sections[i];
    json_t *ps = json_object_get(json_array_get(pub, i), "line");
    json_t *pp = json_object_get(json_array_get(pub, i), "page");
    if (ps && !json_is_null(ps) &&
        !get_u32(rd, ps, "sections[].line", &s->pub.line))
      return false;
    if (pp && !json_is_null(pp) &&
        !get_u32(rd, pp, "sections[].page", &s->pub.page))
      return false;
    json_t *e = json_array_get(secs, i);
    static const char *const ekeys[] = {"numeral", "end_line", "repeat_line",
                                        "text_lines", NULL};
    uint32_t numeral;
    if (!json_is_object(e) ||
        !known_keys(rd, e, ekeys, "provenance.sections[]") ||
        !get_u32(rd, json_object_get(e, "numeral"), "numeral", &numeral) ||
        !get_u32(rd, json_object_get(e, "end_line"), "end_line", &s->end_line))
      return rd->st != GK_OK
                 ? false
                 : fail(rd, GK_EINVAL, "provenance.sections 的每项应为对象");
    /* get_u32() set numeral: it fails only through fail(), which always
     * returns false (the analyzer does not follow variadic calls). */
    // NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Assign)
    s->numeral = (int)numeral;
    json_t *rep = json_object_get(e, "repeat_line");
    s->repeated = rep && !json_is_null(rep);
    if (s->repeated && !get_u32(rd, rep, "repeat_line", &s->repeat_line))
      return false;
    int part = s->pub.number;
    if (!read_text_lines(rd, json_object_get(e, "text_lines"),
                         s->pub.text ? strlen(s->pub.text) : 0, &lines[part]))
      return false;
  }
  json_t *em = json_object_get(pv, "edition_marker");
  r->edition_marker = -1;
  if (em && !json_is_null(em)) {
    const char *text;
    static const char *const mkeys[] = {"text", "line", NULL};
    if (!json_is_object(em) ||
        !known_keys(rd, em, mkeys, "provenance.edition_marker") ||
        !get_str(rd, json_object_get(em, "text"), "edition_marker.text",
                 &text) ||
        !get_u32(rd, json_object_get(em, "line"), "edition_marker.line",
                 &r->edition_marker_line))
      return rd->st != GK_OK
                 ? false
                 : fail(rd, GK_EINVAL,
                        "provenance.edition_marker 应为对象或 null");
    for (int m = 0; text && gk__edition_2019.markers[m]; m++)
      if (strcmp(gk__edition_2019.markers[m], text) == 0)
        r->edition_marker = m;
    if (r->edition_marker < 0)
      return fail(rd, GK_EINVAL,
                  "provenance.edition_marker.text 不是 2019 年格式的标志");
  }
  bool opening;
  if (!get_year(rd, json_object_get(pv, "period"), "provenance.period",
                &r->period_found, &r->period_year, &r->period_line) ||
      !get_year(rd, json_object_get(pv, "opening"), "provenance.opening",
                &opening, &r->opening_year, &r->opening_line))
    return false;
  if (!opening)
    r->opening_year = 0;
  json_t *ma = json_object_get(pv, "mentions_accountability");
  if (!json_is_boolean(ma))
    return fail(rd, GK_EINVAL,
                "provenance.mentions_accountability 应为 true 或 false");
  *mentions = json_is_true(ma);
  json_t *tabs = json_object_get(pv, "tables");
  if (!json_is_object(tabs))
    return fail(rd, GK_EINVAL, "provenance.tables 应为对象");
  const char *k;
  json_t *x;
  json_object_foreach(tabs, k, x) {
    gk__table *t = NULL;
    for (int i = 0; i < GK_N_TABLES && !t; i++)
      if (r->tables[i] && strcmp(r->tables[i]->def->key, k) == 0)
        t = r->tables[i];
    if (!t)
      return fail(rd, GK_EINVAL, "provenance.tables 中的“%s”在模型中没有表格",
                  k);
    if (!read_table_source(rd, x, t))
      return false;
  }
  /* "facts" is what the prose pass read: it is read again from the text. */
  json_t *facts = json_object_get(pv, "facts");
  if (facts && !json_is_array(facts))
    return fail(rd, GK_EINVAL, "provenance.facts 应为数组");
  return true;
}

/* Whether a diagnostic of the input is the parser's (or the model
 * reader's): kept as the model states it, as the checks cannot find it
 * again. */
static bool parser_rule(gk__rule rule) {
  switch (rule) {
  case GK_R_CELL_BLANK:
  case GK_R_CELL_NOT_A_NUMBER:
  case GK_R_CELL_NEGATIVE:
  case GK_R_CELL_FRACTION:
  case GK_R_CELL_EXTRA_VALUES:
  case GK_R_CELL_AMBIGUOUS:
  case GK_R_CELL_SPLIT_DIGITS:
  case GK_R_CELL_PLACED_BY_ARITHMETIC:
  case GK_R_CELL_AMOUNT_UNIT:
  case GK_R_STRUCTURE_MISSING_ROW:
    return true;
  default:
    return false;
  }
}

/* Whether every cell a blank or unreadable cell's finding names now holds
 * a number (a reviewer filled it in): then the finding is stale. */
static bool filled_since(const gk_report *r, gk__rule rule, const char *path) {
  if ((rule != GK_R_CELL_BLANK && rule != GK_R_CELL_NOT_A_NUMBER) || !path)
    return false;
  for (int i = 0; i < GK_N_TABLES; i++) {
    const gk__table *t = r->tables[i];
    size_t kl = t ? strlen(t->def->key) : 0;
    if (!t || strncmp(path, t->def->key, kl) != 0 || path[kl] != '.')
      continue;
    for (int ri = 0; ri < t->def->n_rows; ri++) {
      const gk__rowdef *rd = &t->def->rows[ri];
      size_t rl = strlen(rd->key);
      const char *p = path + kl + 1;
      if (strncmp(p, rd->key, rl) != 0 || (p[rl] != '\0' && p[rl] != '.'))
        continue;
      bool all = true;
      for (int ci = 0; ci < rd->n_cols; ci++)
        if (p[rl] == '\0' || strcmp(p + rl + 1, rd->cols[ci].key) == 0)
          all &= gk__table_cell(t, ri, ci)->state == GK_CELL_VALUE;
      return all;
    }
  }
  return false;
}

/* The parser's diagnostics, as the model states them. */
static bool read_diags(reader *rd, json_t *root) {
  gk_report *r = rd->r;
  json_t *arr = json_object_get(root, "diagnostics");
  if (!arr || json_is_null(arr))
    return true;
  static const char *const keys[] = {"rule",     "severity",   "message",
                                     "location", "path",       "expected",
                                     "actual",   "provenance", NULL};
  for (size_t i = 0; i < json_array_size(arr); i++) {
    json_t *d = json_array_get(arr, i);
    if (!json_is_object(d) || !known_keys(rd, d, keys, "diagnostics[]"))
      return rd->st != GK_OK
                 ? false
                 : fail(rd, GK_EINVAL, "diagnostics 的每项应为对象");
    json_t *rule = json_object_get(d, "rule");
    const char *id = json_is_string(rule) ? json_string_value(rule) : "";
    gk__rule which = GK_N_RULES;
    for (size_t k = 0; k < GK_N_RULES && which == GK_N_RULES; k++)
      if (strcmp(gk__rule_info((gk__rule)k)->id, id) == 0)
        which = (gk__rule)k;
    if (which == GK_N_RULES || !parser_rule(which))
      continue; /* the checks find theirs again */
    const char *msg, *path;
    uint32_t line = 0, page = 0;
    if (!get_str(rd, json_object_get(d, "message"), "diagnostics[].message",
                 &msg) ||
        !get_str(rd, json_object_get(d, "path"), "diagnostics[].path", &path))
      return false;
    json_t *loc = json_object_get(d, "location");
    if (loc) {
      json_t *l = json_object_get(loc, "line"),
             *p = json_object_get(loc, "page");
      if ((l && !get_u32(rd, l, "diagnostics[].location.line", &line)) ||
          (p && !get_u32(rd, p, "diagnostics[].location.page", &page)))
        return false;
    }
    if (filled_since(r, which, path))
      continue;
    json_t *sev = json_object_get(d, "severity");
    const char *sn = json_is_string(sev) ? json_string_value(sev) : "";
    gk_severity severity = gk__rule_info(which)->severity;
    for (int s = GK_SEV_NOTE; s <= GK_SEV_ERROR; s++)
      if (strcmp(sn, gk_severity_name((gk_severity)s)) == 0)
        severity = (gk_severity)s;
    gk_diag *out = gk__diag_add(r, gk__rule_info(which)->id, severity, line,
                                path, "%s", msg ? msg : "");
    if (!out)
      return fail(rd, GK_ENOMEM, "内存不足");
    out->page = page;
    json_t *exp = json_object_get(d, "expected"),
           *act = json_object_get(d, "actual");
    if (json_is_integer(exp) && json_is_integer(act)) {
      out->has_expected = 1;
      out->expected = json_integer_value(exp);
      out->actual = json_integer_value(act);
    }
  }
  return true;
}

/* The cell.blank diagnostics of the null cells. */
static void blank_diags(gk_report *r) {
  for (int ti = 0; ti < GK_N_TABLES; ti++) {
    const gk__table *t = r->tables[ti];
    for (int ri = 0; t && ri < t->def->n_rows; ri++)
      blank_diag(r, t, ri);
  }
}

gk_status gk__read_model(const char *json, size_t len, gk_report **out,
                         gk__model_passes *passes, const char **detail) {
  if (detail)
    *detail = NULL;
  if (!out || !passes || (!json && len))
    return GK_EINVAL;
  *out = NULL;
  memset(passes, 0, sizeof *passes);
  detail_buf[0] = '\0';
  if (len > GK_MAX_INPUT_BYTES) {
    if (detail)
      *detail = "超过输入大小上限（默认 64 MiB）";
    return GK_ETOOBIG;
  }
  /* A BOM, as Windows editors save UTF-8, is no part of the JSON. */
  if (len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0) {
    json += 3;
    len -= 3;
  }
  reader rd;
  memset(&rd, 0, sizeof rd);
  rd.json = json;
  json_error_t err;
  json_t *root =
      json_loadb(json ? json : "", len, JSON_REJECT_DUPLICATES, &err);
  if (!root) {
    fail(&rd, GK_EINVAL, "不是有效的 JSON（第 %d 行第 %d 列：%s）", err.line,
         err.column, err.text);
    goto done;
  }
  rd.r = report_new();
  if (!rd.r) {
    fail(&rd, GK_ENOMEM, "内存不足");
    goto done;
  }
  json_t *pv = root ? json_object_get(root, "provenance") : NULL;
  if (scan_decimals(&rd, json, len) && collect_reals(&rd, root) &&
      read_root(&rd, root, len) && pv) {
    /* A parsed model: its source positions, the text as written and the
     * parser's diagnostics are as it states them. */
    if (read_provenance(&rd, root, pv, passes->lines,
                        &passes->mentions_accountability) &&
        read_diags(&rd, root))
      passes->prose_from_lines = true;
  } else if (rd.st == GK_OK) {
    blank_diags(rd.r);
    gk_status st = build_layout(rd.r);
    if (st == GK_OK && gk__arena_failed(&rd.r->arena))
      st = GK_ENOMEM;
    if (st != GK_OK)
      fail(&rd, st, "内存不足");
    else
      passes->written_and_prose = true;
  }
done:
  json_decref(root);
  free(rd.reals);
  free(rd.lex);
  if (rd.st != GK_OK) {
    gk_report_free(rd.r);
    if (detail && detail_buf[0])
      *detail = detail_buf;
    return rd.st;
  }
  *out = rd.r;
  return GK_OK;
}

/* ----------------------------------------------------------- template */

gk_status gk__model_template(int year, const char *agency, gk_report **out,
                             gk__model_passes *passes) {
  if (!out || !passes)
    return GK_EINVAL;
  *out = NULL;
  memset(passes, 0, sizeof *passes);
  if (year != 0 && (year < 2019 || year > 2100))
    return GK_EINVAL;
  gk_report *r = report_new();
  if (!r)
    return GK_ENOMEM;
  gk__arena *a = &r->arena;
  r->source_name = "template";
  r->source_format = "template";
  gk__sha256_hex("", 0, r->sha256);
  r->year = year;
  r->tables_ed = tables_edition(GK_EDITION_UNKNOWN, year);
  r->edition = r->tables_ed->edition;
  if (agency && agency[0]) {
    r->agency = gk__arena_strdup(a, agency);
    r->signature_agency = r->agency;
    r->agency_from_signature = true;
  }
  const char *who = r->agency ? r->agency : "";
  r->title =
      year ? gk__arena_printf(a, "%s%d年%s", who, year, gk__title_standard_tail)
           : gk__arena_printf(a, "%s%s", who, gk__title_standard_tail);
  r->sections = gk__arena_calloc(a, 6, sizeof *r->sections);
  if (r->sections) {
    for (int k = 0; k < 6; k++) {
      gk__section *s = &r->sections[k];
      s->pub.number = gk__parts[k].number;
      s->pub.heading = gk__parts[k].heading;
      s->pub.text = gk__part_prompts[k];
      s->numeral = s->pub.number;
    }
    r->n_sections = 6;
  }
  for (int ti = 0; ti < GK_N_TABLES; ti++) {
    const gk__tabledef *def = r->tables_ed->tables[ti];
    gk__table *t = table_new(r, def);
    if (!t)
      break;
    for (int ri = 0; ri < def->n_rows; ri++)
      for (int ci = 0; ci < def->rows[ri].n_cols; ci++)
        gk__table_cell(t, ri, ci)->state = GK_CELL_VALUE;
    r->tables[ti] = t;
  }
  gk_status st = gk__arena_failed(a) ? GK_ENOMEM : build_layout(r);
  if (st != GK_OK) {
    gk_report_free(r);
    return st;
  }
  passes->written_and_prose = true;
  *out = r;
  return GK_OK;
}
