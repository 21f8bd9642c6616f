/*
 * read_model.c - a report from its JSON model (gk_read_model_json), or a
 * blank one to fill (gk_report_template).
 *
 * Both build a gk_report without a source document: the metadata, the
 * parts and the tables come from the model, shaped by the edition's table
 * definitions in src/format; a layout is made from the title, the parts'
 * prose and the signature, one line per paragraph, and the parser's last
 * passes (the text as written, the prose) run over it.  No line numbers are
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
#include "parse/prose.h"

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

/* Adds one layout line of text (NULL or "" adds nothing). */
typedef struct layout_builder {
  gk__line *lines;
  gk__run *runs;
  size_t n, cap;
  bool failed;
} layout_builder;

static void layout_add(gk__arena *a, layout_builder *lb, const char *s,
                       size_t len) {
  if (lb->failed || !s || len == 0 || len > UINT32_MAX)
    return;
  if (lb->n == lb->cap) {
    size_t cap = lb->cap ? lb->cap * 2 : 64;
    gk__line *nl = gk__arena_alloc(a, cap * sizeof *nl);
    gk__run *nr = gk__arena_alloc(a, cap * sizeof *nr);
    if (!nl || !nr) {
      lb->failed = true;
      return;
    }
    if (lb->n) {
      memcpy(nl, lb->lines, lb->n * sizeof *nl);
      memcpy(nr, lb->runs, lb->n * sizeof *nr);
    }
    lb->lines = nl;
    lb->runs = nr;
    lb->cap = cap;
  }
  gk__run *run = &lb->runs[lb->n];
  memset(run, 0, sizeof *run);
  run->text = s;
  run->len = (uint32_t)len;
  run->table = run->row = run->col = -1;
  gk__line *ln = &lb->lines[lb->n];
  ln->lineno = 0;
  ln->first_run = (uint32_t)lb->n;
  ln->n_runs = 1;
  lb->n++;
}

/* Adds each line of s. */
static void layout_add_text(gk__arena *a, layout_builder *lb, const char *s) {
  while (s && *s) {
    const char *nl = strchr(s, '\n');
    size_t len = nl ? (size_t)(nl - s) : strlen(s);
    layout_add(a, lb, s, len);
    s = nl ? nl + 1 : NULL;
  }
}

/* The layout the parser's last passes read (parse/written.c, the text as
 * written; parse/prose.c, the facts of the prose): the title, each part's
 * heading and prose, the signature, as a rendering prints them.  Both
 * passes run here, as the parser runs them, so that the checks find the
 * same model either way. */
static gk_status build_layout(gk_report *r) {
  gk__arena *a = &r->arena;
  layout_builder lb = {0};
  layout_add_text(a, &lb, r->title);
  for (size_t i = 0; i < r->n_sections; i++) {
    layout_add_text(a, &lb, r->sections[i].pub.heading);
    layout_add_text(a, &lb, r->sections[i].pub.text);
  }
  layout_add_text(a, &lb, r->agency);
  if (r->published) {
    int y, m, d;
    if (sscanf(r->published, "%d-%d-%d", &y, &m, &d) == 3)
      layout_add_text(a, &lb, gk__arena_printf(a, "%d年%d月%d日", y, m, d));
  }
  if (lb.failed || gk__arena_failed(a))
    return GK_ENOMEM;
  r->layout.format = r->source_format;
  r->layout.lines = lb.lines;
  r->layout.n_lines = lb.n;
  r->layout.runs = lb.runs;
  r->layout.n_runs = lb.n;
  gk_status st = gk__parse_written(r, NULL);
  if (st == GK_OK)
    st = gk__parse_prose(r, NULL);
  return st;
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
      if (rd->n_lex == cap) {
        cap = cap ? cap * 2 : 16;
        lexeme *nl = realloc(rd->lex, cap * sizeof *nl);
        if (!nl)
          return fail(rd, GK_ENOMEM, "内存不足");
        rd->lex = nl;
      }
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
    if (rd->n_reals == rd->cap_reals) {
      size_t cap = rd->cap_reals ? rd->cap_reals * 2 : 16;
      json_t **nr = realloc(rd->reals, cap * sizeof *nr);
      if (!nr)
        return fail(rd, GK_ENOMEM, "内存不足");
      rd->reals = nr;
      rd->cap_reals = cap;
    }
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
      "schema",  "source",      "edition",  "title",     "agency",
      "year",    "published",   "sections", "proactive", "applications",
      "appeals", "diagnostics", NULL};
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

/* The cell.blank diagnostics of the null cells. */
static void blank_diags(gk_report *r) {
  for (int ti = 0; ti < GK_N_TABLES; ti++) {
    const gk__table *t = r->tables[ti];
    for (int ri = 0; t && ri < t->def->n_rows; ri++)
      blank_diag(r, t, ri);
  }
}

gk_status gk_read_model_json(const char *json, size_t len, gk_report **out,
                             const char **detail) {
  if (detail)
    *detail = NULL;
  if (!out || (!json && len))
    return GK_EINVAL;
  *out = NULL;
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
  if (scan_decimals(&rd, json, len) && collect_reals(&rd, root) &&
      read_root(&rd, root, len)) {
    blank_diags(rd.r);
    gk_status st = build_layout(rd.r);
    if (st == GK_OK && gk__arena_failed(&rd.r->arena))
      st = GK_ENOMEM;
    if (st != GK_OK)
      fail(&rd, st, "内存不足");
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

gk_status gk_report_template(int year, const char *agency, gk_report **out) {
  if (!out)
    return GK_EINVAL;
  *out = NULL;
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
  *out = r;
  return GK_OK;
}
