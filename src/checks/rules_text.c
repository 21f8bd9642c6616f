/*
 * rules_text.c - the text.* rules: does the prose agree with the tables
 * and the law?  (shared/spec/rules.md, format.md §5.2 D-09, D-15, D-19,
 * D-22..D-25.)
 *
 * The numbers and statements come from the model (r->facts, facts.h),
 * which the parser's prose pass filled.  A rule that needs a cell stays
 * quiet when the cell is null; a count marked approximate (约, 余, 多 …)
 * is never compared.  Each distinct statement
 * (kind and number) is reported once, at its first line.
 *
 * Thresholds:
 *   text.thin-problems  part 五 has fewer than THIN_MIN_CHARS characters
 *                       (ideographs, letters, digits) or fewer than
 *                       THIN_MIN_SENTENCES sentences of at least
 *                       THIN_SENTENCE_CHARS characters.
 *   text.last-year      parts 一, 五, 六 open LAST_YEAR_MIN sentences or
 *                       more with the year before the report's
 *                       ("2024年，…" in a 2025 report) and never name the
 *                       report's own year.
 *   text.placeholder    a part's prose holds a template's instruction
 *                       (gk__placeholder_words: "请在此…").
 *   text.foreign-unit   only township-level reports: a self-reference
 *                       with another township kind (本乡 in a 镇's
 *                       report) or "X镇人民政府" naming a township other
 *                       than the report's own.
 */
#include <stdio.h>
#include <string.h>

#include "base/fold.h"
#include "checks.h"
#include "facts.h"

/* Part 五 shorter than this says too little about problems and measures
 * (D-22): two real sentences of a township report are over 80 characters
 * (seed reports: 250–900). */
#define THIN_MIN_CHARS 80
#define THIN_MIN_SENTENCES 2
#define THIN_SENTENCE_CHARS 5
/* A quotation of the prose in a message is cut to this many bytes (about
 * 30 characters), keeping its end, where the number is. */
#define QUOTE_MAX_BYTES 90

/* The prose of a fact, quoted: its span with line breaks dropped, cut to
 * QUOTE_MAX_BYTES at the front (where the number is at the end) or, with
 * keep_start, at the back. */
static const char *quote(gk__check *c, int part, size_t start, size_t end,
                         bool keep_start) {
  const gk__section *sec = gk__report_part(c->r, part);
  if (!sec || !sec->pub.text)
    return "";
  /* The span came from this text (the prose pass), so it lies inside it; no
   * strlen() of a part that may be megabytes long for every finding. */
  const char *t = sec->pub.text;
  if (start > end)
    start = end;
  static const char ellipsis[] = "……";
  bool cut = false;
  if (end - start > QUOTE_MAX_BYTES) {
    cut = true;
    if (keep_start) {
      end = start + QUOTE_MAX_BYTES;
      while (end > start && ((unsigned char)t[end] & 0xC0) == 0x80)
        end--;
    } else {
      start = end - QUOTE_MAX_BYTES;
      while (start < end && ((unsigned char)t[start] & 0xC0) == 0x80)
        start++;
    }
  }
  char buf[QUOTE_MAX_BYTES + 2 * sizeof ellipsis];
  size_t k = 0;
  if (cut && !keep_start) {
    memcpy(buf, ellipsis, sizeof ellipsis - 1);
    k = sizeof ellipsis - 1;
  }
  for (size_t i = start; i < end; i++)
    if (t[i] != '\n')
      buf[k++] = t[i];
  if (cut && keep_start) {
    memcpy(buf + k, ellipsis, sizeof ellipsis - 1);
    k += sizeof ellipsis - 1;
  }
  buf[k] = '\0';
  const char *q = gk__arena_strdup(&c->r->arena, buf);
  return q ? q : "";
}

/* ---------------------------------------------------------- the cells */

typedef struct cellref {
  const gk__tabledef *def;
  int row, col;
  int64_t value;
  bool ok; /* the cell exists and holds an integer */
} cellref;

/* The cell (table, row key, column key) of the report. */
static cellref cell(const gk_report *r, gk__table_id t, const char *row_key,
                    const char *col_key) {
  cellref x;
  memset(&x, 0, sizeof x);
  x.row = x.col = -1;
  const gk__table *tab = r->tables[t];
  if (!tab)
    return x;
  x.def = tab->def;
  x.row = gk__row_index(tab->def, row_key);
  if (x.row < 0)
    return x;
  /* tab->def is never NULL: a table is made with its definition (the
   * parser's and the model reader's constructors set t->def = def after
   * reading def->n_rows). */
  // NOLINTNEXTLINE(clang-analyzer-core.NullDereference)
  x.col = gk__col_index(&tab->def->rows[x.row], col_key);
  if (x.col < 0)
    return x;
  x.ok = gk__cell_int(gk__cell_at(r, t, x.row, x.col), &x.value);
  return x;
}

static const char *cell_path(gk__check *c, const cellref *x) {
  if (!x->def || x->row < 0 || x->col < 0)
    return NULL;
  const gk__rowdef *row = &x->def->rows[x->row];
  if (row->scalar)
    return gk__arena_printf(&c->r->arena, "%s.%s", x->def->key, row->key);
  return gk__arena_printf(&c->r->arena, "%s.%s.%s", x->def->key, row->key,
                          row->cols[x->col].key);
}

static const char *row_label(const cellref *x) {
  return x->def && x->row >= 0 ? x->def->rows[x->row].label.text : "";
}

static const char *col_label(const cellref *x) {
  return x->def && x->row >= 0 && x->col >= 0
             ? x->def->rows[x->row].cols[x->col].label.text
             : "";
}

/* Whether an earlier fact of the same kind and value was already judged:
 * each distinct statement is reported once. */
static bool seen_before(const gk__facts *f, size_t i) {
  for (size_t k = 0; k < i; k++)
    if (f->facts[k].kind == f->facts[i].kind &&
        f->facts[k].value == f->facts[i].value &&
        (f->facts[k].flags & GK_FACT_STRICT) ==
            (f->facts[i].flags & GK_FACT_STRICT))
      return true;
  return false;
}

static gk_diag *mismatch(gk__check *c, gk__rule rule, const gk__fact *f,
                         const cellref *x, int64_t table_value,
                         const char *also) {
  gk_diag *d = gk__finding(
      c, rule, f->line, cell_path(c, x),
      "%s称“%s”，%s表格“%s”行“%s”列为 %lld 件%s", gk__part_name(f->part),
      quote(c, f->part, f->start, f->end, false),
      gk__table_part_name(x->def->id), row_label(x), col_label(x),
      (long long)table_value, also ? also : "");
  if (d) {
    d->has_expected = 1;
    d->expected = table_value;
    d->actual = f->value;
  }
  return d;
}

/* --------------------------------------------------- text.applications */

static void rule_applications(gk__check *c, const gk__facts *f) {
  const gk_report *r = c->r;
  cellref rec = cell(r, GK_T_APPLICATIONS, "received", "total");
  cellref over = cell(r, GK_T_APPLICATIONS, "carried_over", "total");
  cellref done = cell(r, GK_T_APPLICATIONS, "processed_total", "total");
  cellref granted = cell(r, GK_T_APPLICATIONS, "granted", "total");
  cellref fwd = cell(r, GK_T_APPLICATIONS, "carried_forward", "total");
  for (size_t i = 0; i < f->n_facts; i++) {
    const gk__fact *x = &f->facts[i];
    if (x->flags & GK_FACT_APPROX)
      continue;
    if (x->kind == GK_FACT_NO_APPLICATIONS) {
      if (rec.ok && rec.value > 0 && !seen_before(f, i))
        mismatch(c, GK_R_TEXT_APPLICATIONS, x, &rec, rec.value, NULL);
      continue;
    }
    if (!(x->flags & GK_FACT_HAS_VALUE))
      continue;
    const cellref *want = NULL;
    bool lenient = false; /* also the new plus the carried-over */
    switch (x->kind) {
    case GK_FACT_RECEIVED:
      want = &rec;
      lenient = !(x->flags & GK_FACT_STRICT);
      break;
    case GK_FACT_HANDLED:
      want = &done;
      lenient = !(x->flags & GK_FACT_STRICT);
      break;
    case GK_FACT_GRANTED:
      want = &granted;
      break;
    case GK_FACT_CARRIED_OVER:
      want = &over;
      break;
    case GK_FACT_CARRIED_FWD:
      want = &fwd;
      break;
    default:
      continue;
    }
    if (!want->ok || want->value == x->value || seen_before(f, i))
      continue;
    if (lenient && rec.ok && over.ok) {
      int64_t all = rec.value + over.value;
      if (all == x->value)
        continue;
      char also[160];
      snprintf(also, sizeof also, "（本年新收与上年结转合计为 %lld 件）",
               (long long)all);
      mismatch(c, GK_R_TEXT_APPLICATIONS, x, want, want->value, also);
    } else {
      mismatch(c, GK_R_TEXT_APPLICATIONS, x, want, want->value, NULL);
    }
  }
}

/* -------------------------------------------------------- text.appeals */

static void rule_appeals(gk__check *c, const gk__facts *f) {
  const gk_report *r = c->r;
  cellref rev = cell(r, GK_T_APPEALS, "review", "total");
  cellref lit1 = cell(r, GK_T_APPEALS, "litigation_direct", "total");
  cellref lit2 = cell(r, GK_T_APPEALS, "litigation_after_review", "total");
  bool lit_ok = lit1.ok && lit2.ok;
  int64_t lit = lit1.value + lit2.value;
  for (size_t i = 0; i < f->n_facts; i++) {
    const gk__fact *x = &f->facts[i];
    if ((x->flags & GK_FACT_APPROX) || seen_before(f, i))
      continue;
    switch (x->kind) {
    case GK_FACT_REVIEW:
      if (rev.ok && rev.value != x->value)
        mismatch(c, GK_R_TEXT_APPEALS, x, &rev, rev.value, NULL);
      break;
    case GK_FACT_NO_REVIEW:
      if (rev.ok && rev.value > 0)
        mismatch(c, GK_R_TEXT_APPEALS, x, &rev, rev.value, NULL);
      break;
    case GK_FACT_LITIGATION:
    case GK_FACT_NO_LITIGATION: {
      if (!lit_ok || lit == x->value ||
          (x->kind == GK_FACT_NO_LITIGATION && lit == 0))
        break;
      gk_diag *d = gk__finding(
          c, GK_R_TEXT_APPEALS, x->line, cell_path(c, &lit1),
          "%s称“%s”，%s表格行政诉讼“%s”与“%s”两栏“%s”合计为 %lld 件",
          gk__part_name(x->part), quote(c, x->part, x->start, x->end, false),
          gk__table_part_name(GK_T_APPEALS), row_label(&lit1), row_label(&lit2),
          col_label(&lit1), (long long)lit);
      if (d) {
        d->has_expected = 1;
        d->expected = lit;
        d->actual = x->value;
      }
      break;
    }
    default:
      break;
    }
  }
}

/* ------------------------------------------------------ text.breakdown */

static void rule_breakdown(gk__check *c, const gk__facts *f) {
  for (size_t i = 0; i < f->n_breakdowns; i++) {
    const gk__breakdown *b = &f->breakdowns[i];
    if (b->approx || b->etc || b->mixed_units || b->reaches_total)
      continue;
    /* A single part below the total is only a part ("6次，其中专题培训
     * 2次"). */
    if (b->sum == b->total || (b->sum < b->total && b->n_parts < 2))
      continue;
    /* Parts that add up to more than the total cannot all be in it: a
     * warning.  Parts below it are often a selection (the report names
     * the main kinds only): a note. */
    bool over = b->sum > b->total;
    gk_diag *d = gk__finding_sev(
        c, GK_R_TEXT_BREAKDOWN, over ? GK_SEV_WARNING : GK_SEV_NOTE, b->line,
        NULL, "%s称“%s”，总数为 %lld %s，而“其中”所列 %zu 项合计 %lld %s%s",
        gk__part_name(b->part), quote(c, b->part, b->start, b->end, true),
        (long long)b->total, b->unit, b->n_parts, (long long)b->sum, b->unit,
        over ? "，多于总数" : "，少于总数（如只列举了部分类别，可不处理）");
    if (d) {
      d->has_expected = 1;
      d->expected = b->total;
      d->actual = b->sum;
    }
  }
}

/* ------------------------------------------------------ text.documents */

static void rule_documents(gk__check *c, const gk__facts *f) {
  const gk_report *r = c->r;
  cellref made = cell(r, GK_T_PROACTIVE, "normative_documents", "issued");
  if (made.def && made.col < 0) /* the 2019 edition: 本年新制作数量 */
    made = cell(r, GK_T_PROACTIVE, "normative_documents", "made");
  cellref rep = cell(r, GK_T_PROACTIVE, "normative_documents", "repealed");
  for (size_t i = 0; i < f->n_facts; i++) {
    const gk__fact *x = &f->facts[i];
    if ((x->flags & GK_FACT_APPROX) || !(x->flags & GK_FACT_HAS_VALUE))
      continue;
    const cellref *want = x->kind == GK_FACT_DOC_MADE       ? &made
                          : x->kind == GK_FACT_DOC_REPEALED ? &rep
                                                            : NULL;
    if (!want || !want->ok || want->value == x->value || seen_before(f, i))
      continue;
    mismatch(c, GK_R_TEXT_DOCUMENTS, x, want, want->value, NULL);
  }
}

/* ----------------------------------------------------------- text.fees */

static void rule_fees(gk__check *c, const gk__facts *f) {
  const gk_report *r = c->r;
  /* Silence in part 六, when the edition's table 3 has the row of
   * applications dropped for an unpaid fee (2021): the format then expects
   * part 六 to say whether a 信息处理费 was collected. */
  const gk__edition_def *ed = r->tables_ed;
  const gk__section *six = gk__report_part(r, 6);
  if (ed && six &&
      gk__row_index(ed->tables[GK_T_APPLICATIONS], "other_fee_unpaid") >= 0) {
    bool spoken = false;
    for (size_t i = 0; i < f->n_facts && !spoken; i++) {
      const gk__fact *x = &f->facts[i];
      spoken = x->part == 6 && (x->kind == GK_FACT_FEE_NONE ||
                                x->kind == GK_FACT_FEE_COLLECTED ||
                                x->kind == GK_FACT_FEE_MENTION);
    }
    if (!spoken) {
      cellref unpaid = cell(r, GK_T_APPLICATIONS, "other_fee_unpaid", "total");
      if (unpaid.ok)
        gk__finding(c, GK_R_TEXT_FEES, six->pub.line, cell_path(c, &unpaid),
                    "第六部分未说明信息处理费的收取情况（%s表格“%s”行“%s”列为 "
                    "%lld 件）",
                    gk__table_part_name(GK_T_APPLICATIONS), row_label(&unpaid),
                    col_label(&unpaid), (long long)unpaid.value);
      else
        gk__finding(c, GK_R_TEXT_FEES, six->pub.line, NULL,
                    "第六部分未说明信息处理费的收取情况");
    }
  }
  /* Fees collected while no application was on hand. */
  cellref rec = cell(r, GK_T_APPLICATIONS, "received", "total");
  cellref over = cell(r, GK_T_APPLICATIONS, "carried_over", "total");
  if (!rec.ok || !over.ok || rec.value + over.value != 0)
    return;
  for (size_t i = 0; i < f->n_facts; i++) {
    const gk__fact *x = &f->facts[i];
    if (x->kind != GK_FACT_FEE_COLLECTED)
      continue;
    gk__finding(c, GK_R_TEXT_FEES, x->line, cell_path(c, &rec),
                "%s称“%s”，而%s表格“%s”与“%s”的“%s”均为 0 件，没有可收费的申请",
                gk__part_name(x->part),
                quote(c, x->part, x->start, x->end, false),
                gk__table_part_name(GK_T_APPLICATIONS), row_label(&rec),
                row_label(&over), col_label(&rec));
    return;
  }
}

/* ------------------------------------------------------ text.rulemaking */

static void rule_rulemaking(gk__check *c) {
  const gk_report *r = c->r;
  if (c->body != GK_BODY_TOWNSHIP && c->body != GK_BODY_COUNTY_GOV &&
      c->body != GK_BODY_DEPARTMENT)
    return;
  const gk__table *t = r->tables[GK_T_PROACTIVE];
  if (!t)
    return;
  int row = gk__row_index(t->def, "rules");
  if (row < 0)
    return;
  const gk__rowdef *rd = &t->def->rows[row];
  char list[512];
  size_t k = 0;
  int first = -1;
  int64_t first_value = 0;
  list[0] = '\0';
  for (int col = 0; col < rd->n_cols; col++) {
    int64_t v;
    if (!gk__cell_int(gk__cell_at(r, GK_T_PROACTIVE, row, col), &v) || v <= 0)
      continue;
    if (first < 0) {
      first = col;
      first_value = v;
    }
    int n = snprintf(list + k, sizeof list - k, "%s“%s”为 %lld 件",
                     k ? "、" : "", rd->cols[col].label.text, (long long)v);
    if (n > 0 && (size_t)n < sizeof list - k)
      k += (size_t)n;
  }
  if (first < 0)
    return;
  cellref x = {t->def, row, first, first_value, true};
  gk_diag *d = gk__finding(
      c, GK_R_TEXT_RULEMAKING, t->row_line[row], cell_path(c, &x),
      "%s没有规章制定权，%s表格“%s”行却填报%s", gk_body_kind_label(c->body),
      gk__table_part_name(GK_T_PROACTIVE), rd->label.text, list);
  if (d) {
    d->has_expected = 1;
    d->expected = 0;
    d->actual = first_value;
  }
}

/* ---------------------------------------------------- text.foreign-unit */

/* The township kind and place name of the report's own body, from its
 * agency (else its title): "XX县青石镇人民政府" gives 镇 and 青石.  The kind
 * must end the name or come before 人民政府, 政府 or 办事处, so 镇江市 is
 * no 镇.  False when the name is no township's. */
static bool own_township(const char *name, const char **kind, char *base,
                         size_t base_cap) {
  if (!name)
    return false;
  const char *best = NULL, *best_kind = NULL;
  for (size_t k = 0; gk__township_kinds[k]; k++) {
    const char *w = gk__township_kinds[k];
    size_t wl = strlen(w);
    for (const char *p = strstr(name, w); p; p = strstr(p + 1, w)) {
      const char *after = p + wl;
      bool ends = *after == '\0';
      for (size_t s = 0; !ends && gk__township_gov_suffixes[s]; s++)
        ends = strncmp(after, gk__township_gov_suffixes[s],
                       strlen(gk__township_gov_suffixes[s])) == 0;
      if (ends && (!best || p > best)) {
        best = p;
        best_kind = w;
      }
    }
  }
  if (!best)
    return false;
  *kind = best_kind;
  /* The place: the characters before the kind, back to a 县, 市, 区, 旗,
   * 省 or the start, at most 4. */
  const char *a = best;
  int n = 0;
  while (a > name && n < 4) {
    const char *q = a - 1;
    while (q > name && ((unsigned char)*q & 0xC0) == 0x80)
      q--;
    int32_t cp;
    gk__utf8_decode(q, (size_t)(a - q), &cp);
    if (!gk__is_cjk(cp) || cp == 0x53BF /* 县 */ || cp == 0x5E02 /* 市 */ ||
        cp == 0x533A /* 区 */ || cp == 0x65D7 /* 旗 */ || cp == 0x7701 /* 省 */)
      break;
    a = q;
    n++;
  }
  size_t len = (size_t)(best - a);
  if (len >= base_cap)
    len = 0;
  memcpy(base, a, len);
  base[len] = '\0';
  return true;
}

/* The next occurrence of w (wl bytes) in [p, end), or NULL.  Unlike
 * strstr() it never looks past `end` and costs nothing per call beyond the
 * bytes it reads, so a loop over all occurrences stays linear. */
static const char *find_word(const char *p, const char *end, const char *w,
                             size_t wl) {
  for (; p && wl && (size_t)(end - p) >= wl; p++)
    if (*p == *w && memcmp(p, w, wl) == 0)
      return p;
  return NULL;
}

static bool starts_with_any(const char *p, const char *const *list) {
  for (size_t k = 0; list[k]; k++)
    if (strncmp(p, list[k], strlen(list[k])) == 0)
      return true;
  return false;
}

/* The code point ending right before p (text starts at t), and its start. */
static int32_t cp_before(const char *t, const char *p, const char **at) {
  if (p <= t) {
    *at = t;
    return 0;
  }
  const char *q = p - 1;
  while (q > t && ((unsigned char)*q & 0xC0) == 0x80)
    q--;
  int32_t cp;
  gk__utf8_decode(q, (size_t)(p - q), &cp);
  *at = q;
  return cp;
}

static bool cp_in_list(int32_t cp, const char *const *list) {
  for (size_t k = 0; list[k]; k++) {
    int32_t w;
    size_t n = gk__utf8_decode(list[k], strlen(list[k]), &w);
    if (list[k][n] == '\0' && w == cp)
      return true;
  }
  return false;
}

#define MAX_FOREIGN 16

typedef struct foreign {
  char word[64];
  int first_part;
  uint32_t first_line;
  size_t count;
} foreign;

static void note_foreign(foreign *list, size_t *n, const char *word, size_t len,
                         int part, uint32_t line) {
  if (len >= sizeof list[0].word)
    return;
  for (size_t k = 0; k < *n; k++) {
    if (strlen(list[k].word) == len && memcmp(list[k].word, word, len) == 0) {
      list[k].count++;
      return;
    }
  }
  if (*n == MAX_FOREIGN)
    return;
  foreign *f = &list[(*n)++];
  memcpy(f->word, word, len);
  f->word[len] = '\0';
  f->first_part = part;
  f->first_line = line;
  f->count = 1;
}

/* a then b into out (cap bytes), cut as snprintf("%s%s") cuts; returns
 * the length. */
static size_t join2(char *out, size_t cap, const char *a, const char *b) {
  size_t k = 0;
  for (; *a && k + 1 < cap; a++)
    out[k++] = *a;
  for (; *b && k + 1 < cap; b++)
    out[k++] = *b;
  out[k] = '\0';
  return k;
}

/* The words rule_foreign_unit looks for, built once per report: 本镇 …
 * (a self-reference with a township kind other than the report's own),
 * then 镇人民政府 … (a township body's name, when the own place is
 * known), in the order the rule reports them; at most this many (a bit
 * each in a uint64_t). */
#define FOREIGN_MAX_WORDS 64
/* Occurrences of those words remembered per part; a part with more is
 * searched word by word instead. */
#define FOREIGN_MAX_HITS 512

typedef struct foreign_word {
  char text[32];
  size_t len;
  size_t kind; /* index in gk__township_kinds */
  size_t head; /* bytes before the kind: the mark of a self-reference */
  bool self;
} foreign_word;

/* The characters of gk__township_name_not_before, decoded once per
 * report: at most this many (more, and the list is read each time). */
#define MAX_NOT_BEFORE 64

typedef struct foreign_ctx {
  const gk__facts *f;
  int32_t not_before[MAX_NOT_BEFORE];
  size_t n_not_before; /* SIZE_MAX: too many, use cp_in_list() */
  const char *own_kind;
  const char *base; /* the own place, "" when unknown */
  size_t base_chars;
  foreign self[MAX_FOREIGN], other[MAX_FOREIGN];
  size_t n_self, n_other;
} foreign_ctx;

/* cp_in_list(cp, gk__township_name_not_before). */
static bool not_before(const foreign_ctx *x, int32_t cp) {
  if (x->n_not_before == SIZE_MAX)
    return cp_in_list(cp, gk__township_name_not_before);
  for (size_t k = 0; k < x->n_not_before; k++)
    if (x->not_before[k] == cp)
      return true;
  return false;
}

/* One occurrence of word w at p in part `part`'s text t (NUL-terminated
 * at end): noted unless the context shows it is no foreign name. */
static void foreign_at(foreign_ctx *x, const foreign_word *w, int part,
                       const char *t, const char *p) {
  const gk__facts *f = x->f;
  if (w->self) {
    if (starts_with_any(p, gk__self_ref_not))
      return;
    const char *after = p + w->len;
    if (strncmp(after, "(", 1) == 0 || strncmp(after, "（", 3) == 0)
      return;
    note_foreign(x->self, &x->n_self, w->text, w->len, part,
                 gk__facts_lineno(f, part, (size_t)(p - t)));
    return;
  }
  const char *at;
  int32_t before = cp_before(t, p, &at);
  if (!gk__is_cjk(before) || not_before(x, before))
    return;
  /* The place: as many characters as the own one has (at least two),
   * back from the kind. */
  const char *a = p;
  size_t want = x->base_chars < 2 ? 2 : x->base_chars, got = 0;
  while (got < want) {
    int32_t cp = cp_before(t, a, &at);
    if (!gk__is_cjk(cp) || not_before(x, cp))
      break;
    a = at;
    got++;
  }
  size_t bl = strlen(x->base);
  bool own_place = (size_t)(p - t) >= bl && strncmp(p - bl, x->base, bl) == 0;
  bool own_kind_here = strcmp(gk__township_kinds[w->kind], x->own_kind) == 0;
  if (own_place && own_kind_here)
    return;
  if (!own_place && got < 2)
    return;
  const char *from = own_place ? p - bl : a;
  note_foreign(x->other, &x->n_other, from, (size_t)(p - from) + w->len, part,
               gk__facts_lineno(f, part, (size_t)(from - t)));
}

static void rule_foreign_unit(gk__check *c, const gk__facts *f) {
  const gk_report *r = c->r;
  if (c->body != GK_BODY_TOWNSHIP && c->body != GK_BODY_UNKNOWN)
    return;
  const char *own_kind = NULL;
  char base[32];
  const char *name = r->agency ? r->agency : r->title;
  if (!own_township(name, &own_kind, base, sizeof base))
    return;
  foreign_ctx x;
  x.f = f;
  x.own_kind = own_kind;
  x.base = base;
  x.base_chars = 0;
  for (const char *q = base; *q; q++)
    x.base_chars += ((unsigned char)*q & 0xC0) != 0x80;
  x.n_self = x.n_other = 0;
  /* The list's one-character entries, the only ones cp_in_list() finds. */
  x.n_not_before = 0;
  for (size_t k = 0; gk__township_name_not_before[k]; k++) {
    const char *e = gk__township_name_not_before[k];
    int32_t cp;
    size_t n = gk__utf8_decode(e, strlen(e), &cp);
    if (e[n] != '\0')
      continue;
    if (x.n_not_before == MAX_NOT_BEFORE) {
      x.n_not_before = SIZE_MAX;
      break;
    }
    x.not_before[x.n_not_before++] = cp;
  }
  /* The words, in the order they are reported: 本乡 in a 镇's report, 我镇
   * in a 乡's …; then "X镇人民政府" naming another township, or the own
   * place with the wrong kind. */
  foreign_word words[FOREIGN_MAX_WORDS + 1];
  size_t n_words = 0;
  bool all_words = true;
  /* Every word is a mark and a kind, or a kind and a suffix, uncut. */
  bool whole = true;
  for (size_t k = 0; gk__township_kinds[k]; k++)
    whole &= gk__township_kinds[k][0] != '\0';
  for (size_t m = 0; gk__self_ref_marks[m]; m++) {
    for (size_t k = 0; gk__township_kinds[k]; k++) {
      if (strcmp(gk__township_kinds[k], own_kind) == 0)
        continue;
      if (n_words == FOREIGN_MAX_WORDS) {
        all_words = false;
        continue;
      }
      foreign_word *w = &words[n_words++];
      w->len = join2(w->text, sizeof w->text, gk__self_ref_marks[m],
                     gk__township_kinds[k]);
      w->kind = k;
      w->head = strlen(gk__self_ref_marks[m]);
      w->self = true;
      whole &= w->len == w->head + strlen(gk__township_kinds[k]);
    }
  }
  for (size_t k = 0; base[0] && gk__township_kinds[k]; k++) {
    for (size_t s = 0; gk__township_gov_suffixes[s]; s++) {
      if (n_words == FOREIGN_MAX_WORDS) {
        all_words = false;
        continue;
      }
      foreign_word *w = &words[n_words++];
      w->len = join2(w->text, sizeof w->text, gk__township_kinds[k],
                     gk__township_gov_suffixes[s]);
      w->kind = k;
      w->head = 0;
      w->self = false;
      whole &= w->len == strlen(gk__township_kinds[k]) +
                             strlen(gk__township_gov_suffixes[s]);
    }
  }
  if (!all_words) {
    /* More words than the single pass below keeps apart (the vocabulary
     * would have to grow fourfold): search them one by one. */
    n_words = 0;
  }

  struct {
    uint32_t word, pos;
  } hits[FOREIGN_MAX_HITS];
  for (size_t i = 0; i < r->n_sections; i++) {
    const gk__section *sec = &r->sections[i];
    const char *t = sec->pub.text;
    int part = sec->pub.number;
    if (!t)
      continue;
    size_t tlen = strlen(t);
    const char *end = t + tlen;
    /* Every word holds a kind: the occurrences of the kinds (found by
     * strstr(), which is fast) lead to every occurrence of every word. */
    size_t n_hits = 0;
    bool exact = all_words && whole && tlen <= UINT32_MAX;
    uint64_t found = 0;
    for (size_t k = 0; exact && gk__township_kinds[k]; k++) {
      const char *kind = gk__township_kinds[k];
      for (const char *p = strstr(t, kind); p && exact;
           p = strstr(p + 1, kind)) {
        size_t at = (size_t)(p - t);
        for (size_t g = 0; g < n_words; g++) {
          const foreign_word *w = &words[g];
          if (w->kind != k || at < w->head)
            continue;
          size_t q = at - w->head;
          if (tlen - q < w->len || memcmp(t + q, w->text, w->len) != 0)
            continue;
          if (n_hits == FOREIGN_MAX_HITS) {
            exact = false;
            break;
          }
          hits[n_hits].word = (uint32_t)g;
          hits[n_hits].pos = (uint32_t)q;
          n_hits++;
          found |= (uint64_t)1 << g;
        }
      }
    }
    if (exact) {
      /* Word by word, each word's occurrences in text order.  A
       * self-reference is searched for after the end of the previous
       * one, a name from the next byte. */
      for (size_t g = 0; g < n_words; g++) {
        if (!(found & ((uint64_t)1 << g)))
          continue;
        size_t from = 0;
        for (size_t h = 0; h < n_hits; h++) {
          if (hits[h].word != g || hits[h].pos < from)
            continue;
          from = words[g].self ? hits[h].pos + words[g].len : hits[h].pos + 1;
          foreign_at(&x, &words[g], part, t, t + hits[h].pos);
        }
      }
      continue;
    }
    for (size_t m = 0; gk__self_ref_marks[m]; m++) {
      for (size_t k = 0; gk__township_kinds[k]; k++) {
        if (strcmp(gk__township_kinds[k], own_kind) == 0)
          continue;
        foreign_word w;
        w.len = join2(w.text, sizeof w.text, gk__self_ref_marks[m],
                      gk__township_kinds[k]);
        w.kind = k;
        w.head = strlen(gk__self_ref_marks[m]);
        w.self = true;
        for (const char *p = find_word(t, end, w.text, w.len); p;
             p = find_word(p + w.len, end, w.text, w.len))
          foreign_at(&x, &w, part, t, p);
      }
    }
    if (!base[0])
      continue;
    for (size_t k = 0; gk__township_kinds[k]; k++) {
      for (size_t s = 0; gk__township_gov_suffixes[s]; s++) {
        foreign_word w;
        w.len = join2(w.text, sizeof w.text, gk__township_kinds[k],
                      gk__township_gov_suffixes[s]);
        w.kind = k;
        w.head = 0;
        w.self = false;
        for (const char *p = find_word(t, end, w.text, w.len); p;
             p = find_word(p + 1, end, w.text, w.len))
          foreign_at(&x, &w, part, t, p);
      }
    }
  }
  for (size_t k = 0; k < x.n_self; k++)
    gk__finding(c, GK_R_TEXT_FOREIGN_UNIT, x.self[k].first_line, NULL,
                "%s以“%s”自称（全文共 %zu 处），而本报告的机关“%s”是%s，"
                "疑为照抄其他机关的报告",
                gk__part_name(x.self[k].first_part), x.self[k].word,
                x.self[k].count, name, own_kind);
  for (size_t k = 0; k < x.n_other; k++)
    gk__finding(c, GK_R_TEXT_FOREIGN_UNIT, x.other[k].first_line, NULL,
                "%s写有“%s”（全文共 %zu 处），而本报告的机关是“%s”，"
                "疑为照抄其他机关的报告",
                gk__part_name(x.other[k].first_part), x.other[k].word,
                x.other[k].count, name);
}

/* --------------------------------------------------- text.thin-problems */

static void rule_thin_problems(gk__check *c) {
  const gk__section *five = gk__report_part(c->r, 5);
  if (!five)
    return;
  const char *t = five->pub.text ? five->pub.text : "";
  size_t len = strlen(t), chars = 0, sentences = 0, in_sentence = 0;
  for (size_t i = 0; i <= len;) {
    int32_t cp = 0;
    size_t n = i < len ? gk__utf8_next(t + i, len - i, &cp) : 1;
    bool end = i == len || cp == 0x3002 /* 。 */ || cp == 0xFF01 ||
               cp == 0xFF1F || cp == '!' || cp == '?' || cp == '\n';
    if (end) {
      if (in_sentence >= THIN_SENTENCE_CHARS)
        sentences++;
      in_sentence = 0;
    } else if (gk__is_cjk(cp) || (cp < 0x80 && ((cp >= '0' && cp <= '9') ||
                                                (cp >= 'a' && cp <= 'z') ||
                                                (cp >= 'A' && cp <= 'Z')))) {
      chars++;
      in_sentence++;
    }
    i += n;
  }
  if (chars >= THIN_MIN_CHARS && sentences >= THIN_MIN_SENTENCES)
    return;
  if (chars == 0)
    gk__finding(c, GK_R_TEXT_THIN_PROBLEMS, five->pub.line, NULL,
                "第五部分“%s”没有内容，未说明存在的主要问题及改进情况",
                five->pub.heading ? five->pub.heading : "");
  else
    gk__finding(c, GK_R_TEXT_THIN_PROBLEMS, five->pub.line, NULL,
                "第五部分只有 %zu 个字、%zu 句，过于简短（少于 %d 字或 %d "
                "句），未具体说明存在的主要问题及改进情况",
                chars, sentences, THIN_MIN_CHARS, THIN_MIN_SENTENCES);
}

/* ------------------------------------------------ text.no-accountability */

static void rule_no_accountability(gk__check *c) {
  const gk_report *r = c->r;
  const char *name = r->agency ? r->agency : r->title;
  switch (c->body) {
  case GK_BODY_TOWNSHIP: {
    /* A 街道办事处 is an agency of the district government, not a
     * people's government: only 乡 and 镇. */
    const char *kind = NULL;
    char base[32];
    if (!own_township(name, &kind, base, sizeof base) ||
        strcmp(kind, gk__township_kinds[0]) == 0)
      return;
    break;
  }
  case GK_BODY_COUNTY_GOV:
  case GK_BODY_CITY_GOV:
  case GK_BODY_PROVINCE_GOV:
    /* The general office (办公厅, 办公室) reports as a department. */
    if (name && strstr(name, "办公"))
      return;
    break;
  default:
    return;
  }
  /* The item entered the regulation in its 2019 revision (第五十条). */
  if (r->edition == GK_EDITION_PRE2019 || (r->year > 0 && r->year < 2019))
    return;
  /* Anywhere in the report: the preamble and lines the parser could not
   * place in a part count too. */
  if (r->facts && r->facts->mentions_accountability)
    return;
  gk__finding(c, GK_R_TEXT_NO_ACCOUNTABILITY, 0, NULL,
              "%s的报告未提及工作考核、社会评议或责任追究的结果情况（条例"
              "第五十条第四项）",
              c->body == GK_BODY_TOWNSHIP ? "乡镇人民政府"
                                          : gk_body_kind_label(c->body));
}

/* ------------------------------------------------------ text.last-year */

/* Two sentences opened with last year are a pattern, one may be a
 * comparison ("2024年，…；今年…"). */
#define LAST_YEAR_MIN 2

/* The ASCII year "YYYY年" starting at t[i], or 0. */
static int year_at(const char *t, size_t len, size_t i) {
  if (i + 7 > len)
    return 0;
  int y = 0;
  for (size_t k = 0; k < 4; k++) {
    if (t[i + k] < '0' || t[i + k] > '9')
      return 0;
    y = y * 10 + (t[i + k] - '0');
  }
  if (memcmp(t + i + 4, "年", 3) != 0 ||
      (i > 0 && t[i - 1] >= '0' && t[i - 1] <= '9'))
    return 0;
  return y >= 1990 && y <= 2100 ? y : 0;
}

/* Whether t[i] opens a sentence: the text's start, a line's, or after 。
 * (spaces, full-width ones too, between). */
static bool opens_sentence(const char *t, size_t i) {
  while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t'))
    i--;
  while (i >= 3 && memcmp(t + i - 3, "\u3000", 3) == 0)
    i -= 3;
  return i == 0 || t[i - 1] == '\n' ||
         (i >= 3 && memcmp(t + i - 3, "。", 3) == 0);
}

static void rule_last_year(gk__check *c, const gk__facts *f) {
  const gk_report *r = c->r;
  if (r->year <= 0)
    return;
  static const int parts[] = {1, 5, 6};
  size_t opened = 0;
  int first_part = 0;
  size_t first_off = 0;
  for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
    const gk__section *sec = gk__report_part(r, parts[k]);
    if (!sec || !sec->pub.text)
      continue;
    const char *t = sec->pub.text;
    size_t len = strlen(t);
    for (size_t i = 0; i + 7 <= len; i++) {
      int y = year_at(t, len, i);
      if (y == r->year)
        return; /* the report's own year is spoken of */
      if (y == r->year - 1 && opens_sentence(t, i)) {
        if (opened++ == 0) {
          first_part = parts[k];
          first_off = i;
        }
      }
    }
  }
  if (opened < LAST_YEAR_MIN)
    return;
  gk__finding(c, GK_R_TEXT_LAST_YEAR,
              gk__facts_lineno(f, first_part, first_off), NULL,
              "这是 %d 年度的报告，但正文有 %zu 句以“%d年”开头，且全文未提及 "
              "%d 年，疑为沿用上年报告未改",
              r->year, opened, r->year - 1, r->year);
}

/* ---------------------------------------------------- text.placeholder */

static void rule_placeholder(gk__check *c, const gk__facts *f) {
  for (int part = 1; part <= 6; part++) {
    const gk__section *sec = gk__report_part(c->r, part);
    if (!sec || !sec->pub.text)
      continue;
    const char *t = sec->pub.text;
    for (size_t w = 0; gk__placeholder_words[w]; w++) {
      const char *hit = strstr(t, gk__placeholder_words[w]);
      if (!hit)
        continue;
      size_t off = (size_t)(hit - t);
      size_t end = off + strlen(gk__placeholder_words[w]);
      gk__finding(c, GK_R_TEXT_PLACEHOLDER, gk__facts_lineno(f, part, off),
                  NULL, "%s保留了模板的占位说明“%s”，应替换为实际内容",
                  gk__part_name(part), quote(c, part, off, end + 60, true));
      break; /* one finding per part */
    }
  }
}

void gk__rules_text(gk__check *c) {
  if (!c->r->facts) {
    return;
  }
  const gk__facts *f = c->r->facts;
  rule_applications(c, f);
  rule_appeals(c, f);
  rule_breakdown(c, f);
  rule_documents(c, f);
  rule_fees(c, f);
  rule_rulemaking(c);
  rule_foreign_unit(c, f);
  rule_thin_problems(c);
  rule_no_accountability(c);
  rule_last_year(c, f);
  rule_placeholder(c, f);
}
