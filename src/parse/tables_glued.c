/*
 * tables_glued.c - glued digits (tables.c, tables_assign.c).
 *
 * Crawlers that flatten a table drop the separators between cells, so a
 * row prints as one run of digits: "640020470" is 64|0|0|2|0|4|70.  The
 * split is decided by the table's own arithmetic: every way to cut the
 * runs into the row's cells (a number has no leading zero, so "0" always
 * stands alone) is tried, and only cuts that satisfy the row's identities
 * are kept; several survivors are settled, when they can be, by the
 * column identities over the whole table; what stays undecided is null
 * with cell.ambiguous listing the candidates.  Never a guess.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "tables_int.h"

/* Blank cells one cut may assume were dropped from a row: one keeps the
 * search small and covers the sparse rows crawlers flatten. */
#define MAX_DROPPED_CELLS 1
/* Recursion steps spent enumerating one row's splits: bounds the work for
 * a long digit run (a 40-digit run into 7 cells has 9 million cuts).  With
 * the row's total compared rather than enumerated (find_totals()), a
 * 32-digit row of table 3 needs a few hundred thousand steps with one
 * dropped cell; past the limit the row is ambiguous.  Cost: a report
 * whose every row of tables 3 and 4 is 40 random digits takes 0.8 s of
 * CPU (0.04 s with the earlier limit of 200,000, which gave up on most
 * rows of five-digit counts, issue 10's zoo). */
#define MAX_SPLIT_STEPS 2000000
typedef struct split_job {
  const gk__edition_def *ed;
  const gk__tabledef *t;
  const slot *slots;
  size_t n;
  /* the value tokens, as digit strings (blank markers: len 0) */
  const int32_t *digits[MAX_SLOTS];
  size_t len[MAX_SLOTS];
  size_t start[MAX_SLOTS]; /* where the token is in the stream */
  size_t span[MAX_SLOTS];
  bool blank[MAX_SLOTS];
  /* the token is one number whatever the cut: a value set apart by white
   * space that a number can be (no leading zero) */
  bool atomic[MAX_SLOTS];
  size_t k;
  /* the cut being built */
  int64_t v[MAX_SLOTS];
  bool known[MAX_SLOTS];
  split_src src[MAX_SLOTS];
  /* results */
  int64_t (*cand)[MAX_SLOTS];
  bool (*cand_known)[MAX_SLOTS];
  split_src (*cand_src)[MAX_SLOTS];
  size_t n_cand;
  long steps, max_steps;
  bool overflow;       /* too many candidates or steps */
  bool use_identities; /* keep only cuts the row's identities accept */
  bool need_yes;       /* ... and only those they decide and accept */
  /* Cells a cut may leave blank without a marker: a crawler that drops
   * blank cells prints nothing for them.  For the arithmetic such a cell
   * counts as 0 (nothing printed, nothing counted), or with drop_unknown
   * as an unknown count. */
  size_t drops_left;
  bool dropped[MAX_SLOTS];
  /* A dropped cell is unknown to the arithmetic rather than 0: a blank
   * cell may stand for a number nobody printed. */
  bool drop_unknown;
  /* Per slot: when it is the total of a per-row identity whose terms are
   * the slots right before it (table 3's 总计, each block's 总计 in table
   * 4), how many those are; else 0.  With the identities in force such a
   * total is the sum of its terms, so its digits are not enumerated but
   * compared: a 32-digit row of seven cells has 266,403 cuts, and this
   * leaves tens of thousands of steps (issue 10). */
  size_t total_of[MAX_SLOTS];
  /* The row's slots, kept with the job: an unforced row searches its
   * other cuts after the table is read (gk__unforced_search). */
  slot own_slots[MAX_SLOTS];
  /* The row's identities compiled over its slots (plan.ok), for the
   * check of each cut found. */
  gk__row_plan plan;
  /* Per token q, the fewest and the most cells the tokens q.. fill
   * (min_cells() at their start; a digit each, or one for a blank marker
   * or an atomic token), the drops aside: [k] is 0. */
  size_t min_from[MAX_SLOTS + 1], max_from[MAX_SLOTS + 1];
} split_job;

/* Fills j->min_from and j->max_from (the tokens are set). */
static size_t min_cells(const split_job *j, size_t tok, size_t pos);
static void find_bounds(split_job *j) {
  j->min_from[j->k] = j->max_from[j->k] = 0;
  for (size_t q = j->k; q-- > 0;) {
    j->min_from[q] = j->min_from[q + 1] + min_cells(j, q, 0);
    j->max_from[q] =
        j->max_from[q + 1] + (j->blank[q] || j->atomic[q] ? 1 : j->len[q]);
  }
}

/* Fills j->total_of from the edition's per-row identities. */
static void find_totals(split_job *j) {
  for (size_t i = 0; i < j->n; i++) {
    j->total_of[i] = 0;
    for (size_t x = 0; x < j->ed->n_identities; x++) {
      const gk__identity *id = &j->ed->identities[x];
      if (id->table != j->t->id || id->axis != GK_AXIS_COLS ||
          !(id->mask & (1u << j->slots[i].row)) || id->lhs[0] < 0 ||
          id->lhs[1] >= 0 || id->lhs[0] != j->slots[i].col)
        continue;
      size_t r = 0;
      while (r < GK_MAX_TERMS && id->rhs[r] >= 0)
        r++;
      if (r == 0 || r > i)
        continue;
      bool ok = true;
      for (size_t q = 0; q < r && ok; q++) {
        const slot *sl = &j->slots[i - r + q];
        ok = sl->row == j->slots[i].row && sl->col == id->rhs[q] &&
             sl->kind == GK_V_COUNT;
      }
      if (ok)
        j->total_of[i] = r;
    }
  }
}

/* The value a total slot must hold: the sum of its terms, when each is
 * known (or a dropped cell counted as 0), and *at_least = false; when a
 * term is unknown (a count >= 0), the sum of the known ones with
 * *at_least = true.  -1 when nothing bounds it. */
static int64_t forced_total(const split_job *j, size_t slot_i, bool *at_least) {
  size_t r = j->total_of[slot_i];
  *at_least = false;
  if (!j->use_identities || r == 0)
    return -1;
  int64_t sum = 0;
  for (size_t q = slot_i - r; q < slot_i; q++) {
    bool zero = j->dropped[q] && !j->drop_unknown;
    if (!j->known[q] && !zero)
      *at_least = true;
    if (j->known[q] && __builtin_add_overflow(sum, j->v[q], &sum))
      return -1;
  }
  return sum;
}

/* The stream span of l characters at pos of token tok. */
static split_src at(const split_job *j, size_t tok, size_t pos, size_t l) {
  return (split_src){(uint32_t)(j->start[tok] + pos),
                     (uint32_t)(j->start[tok] + pos + l)};
}

/* The fewest cells the digits [pos, len) of token tok fill: a 0 that
 * starts a number is the number 0, so each leading zero is a cell of its
 * own, and the digits after them are at least one number of at most 12
 * digits each (GK_MAX_CELL_VALUE).  A blank marker or an atomic token is
 * one cell.  The search uses it to drop cuts that leave more digits than
 * cells ("0000000" with a blank dropped): without it, letting every cell
 * but one be dropped cost 5 times the steps on a report of glued rows. */
static size_t min_cells(const split_job *j, size_t tok, size_t pos) {
  if (j->blank[tok] || j->atomic[tok])
    return pos == 0 ? 1 : 0;
  size_t z = 0, len = j->len[tok];
  while (pos + z < len && j->digits[tok][pos + z] == '0')
    z++;
  size_t r = len - pos - z;
  return z + (r + 11) / 12;
}

/* The cut built (every cell placed or dropped, every token used): kept
 * as a candidate when the row's identities take it (or none are used),
 * else left. */
static void take_cut(split_job *j) {
  if (j->use_identities) {
    bool known[MAX_SLOTS];
    bool any_dropped = false;
    for (size_t q = 0; q < j->n; q++) {
      known[q] = j->known[q] || (j->dropped[q] && !j->drop_unknown);
      any_dropped = any_dropped || (j->dropped[q] && !known[q]);
    }
    /* A dropped cell unknown to the arithmetic: the cut holds when the
     * row's identities can with it >= 0 (tables_solve.c). */
    if (any_dropped && j->drop_unknown && !j->need_yes) {
      if (!(j->plan.ok
                ? gk__row_plan_holds(&j->plan, j->v, known)
                : gk__row_holds(j->ed, j->t, j->slots, j->n, j->v, known)))
        return;
    } else {
      fit f = j->plan.ok
                  ? gk__row_plan_fit(&j->plan, j->v, known)
                  : gk__fit_values(j->ed, j->t, j->slots, j->n, j->v, known);
      if (f == FIT_NO || (j->need_yes && f != FIT_YES))
        return;
    }
  }
  /* Without the identities only a single cut counts: a second one ends
   * the search (the caller then searches again with them). */
  if (!j->use_identities && j->n_cand == 1) {
    j->overflow = true;
    return;
  }
  if (j->n_cand == MAX_SPLIT_CANDIDATES) {
    j->overflow = true;
    return;
  }
  memcpy(j->cand[j->n_cand], j->v, sizeof j->v);
  memcpy(j->cand_known[j->n_cand], j->known, sizeof j->known);
  memcpy(j->cand_src[j->n_cand], j->src, sizeof j->src);
  j->n_cand++;
}

static void split_rec(split_job *j, size_t tok, size_t pos, size_t slot_i) {
  if (j->overflow || ++j->steps > j->max_steps) {
    j->overflow = true;
    return;
  }
  if (tok == j->k && slot_i < j->n && j->drops_left >= j->n - slot_i) {
    /* The cells left were dropped: the cut is built, one step more (the
     * step the search into the last cell took). */
    for (size_t q = slot_i; q < j->n; q++) {
      j->known[q] = false;
      j->v[q] = 0;
      j->src[q] = (split_src){0, 0};
      j->dropped[q] = true;
    }
    if (++j->steps > j->max_steps)
      j->overflow = true;
    else
      take_cut(j);
    for (size_t q = slot_i; q < j->n; q++)
      j->dropped[q] = false;
    return;
  }
  if (tok == j->k) {
    if (slot_i == j->n)
      take_cut(j);
    return;
  }
  /* Slots left must be fillable by the tokens left: each needs at least
   * one slot and at most one slot per digit. */
  size_t min_left = j->min_from[tok + 1];
  size_t max_left = j->drops_left + j->max_from[tok + 1];
  /* This cell dropped, the cells after it must still take at least the
   * fewest the rest of the token and the tokens after it fill.  When they
   * cannot, no cut lies below: the search there is only a chain of
   * dropped cells, one step each until the drops or the cells run out,
   * which are counted (MAX_SPLIT_STEPS keeps its meaning) and not
   * walked. */
  if (j->drops_left > 0 && slot_i < j->n &&
      j->n - slot_i - 1 < min_cells(j, tok, pos) + min_left) {
    size_t chain = j->n - slot_i;
    if (chain > j->drops_left)
      chain = j->drops_left;
    j->steps += (long)chain;
    if (j->steps > j->max_steps) {
      j->overflow = true;
      return;
    }
  } else if (j->drops_left > 0 && slot_i < j->n) {
    /* This cell was dropped: the token goes to the next one. */
    j->known[slot_i] = false;
    j->v[slot_i] = 0;
    j->src[slot_i] = (split_src){0, 0};
    j->dropped[slot_i] = true;
    j->drops_left--;
    split_rec(j, tok, pos, slot_i + 1);
    j->drops_left++;
    j->dropped[slot_i] = false;
    if (j->overflow)
      return;
  }
  if (slot_i >= j->n)
    return;
  if (j->blank[tok]) {
    j->known[slot_i] = false;
    j->v[slot_i] = 0;
    j->src[slot_i] = at(j, tok, 0, j->span[tok]);
    if (j->n - slot_i - 1 >= min_left && j->n - slot_i - 1 <= max_left)
      split_rec(j, tok + 1, 0, slot_i + 1);
    return;
  }
  size_t rest = j->len[tok] - pos;
  int64_t val = 0;
  bool at_least;
  int64_t forced = forced_total(j, slot_i, &at_least);
  /* The cells after this one take the tokens after it and at most 12
   * digits each of this one's rest (GK_MAX_CELL_VALUE): a shorter number
   * here leaves more digits than they can take, and is not tried (the
   * last cell takes the rest at once).  val starts as the digits before
   * the first length tried. */
  size_t avail = j->n - slot_i - 1;
  if (avail < min_left)
    return; /* no cell left for the tokens after this one */
  size_t l0 = j->atomic[tok] ? rest : 1;
  if (!j->atomic[tok] && rest > 12 * (avail - min_left) + 1) {
    l0 = rest - 12 * (avail - min_left);
    if (l0 > 13)
      return; /* this number would pass 12 digits */
    for (size_t q = 0; q + 1 < l0; q++)
      val = val * 10 + (j->digits[tok][pos + q] - '0');
  }
  for (size_t l = l0; l <= rest && slot_i < j->n; l++) {
    if (l > 1 && j->digits[tok][pos] == '0')
      break; /* no leading zeros */
    if (l > 12)
      break; /* GK_MAX_CELL_VALUE */
    if (j->atomic[tok]) {
      /* The whole token at once (the loop started at its length). */
      val = 0;
      for (size_t q = 0; q < l; q++)
        val = val * 10 + (j->digits[tok][pos + q] - '0');
    } else {
      val = val * 10 + (j->digits[tok][pos + l - 1] - '0');
    }
    if (forced >= 0 && val < forced)
      continue; /* the total's digits go on */
    if (forced >= 0 && !at_least && val > forced)
      break; /* no longer cut of the digits is the sum */
    /* The rest of the token and the tokens after it must fit the cells
     * after this one: at most a digit each plus the drops left (else so
     * for every longer number too, and the search ends here), at least
     * their fewest. */
    if (avail > rest - l + max_left)
      break;
    if (l < rest && min_cells(j, tok, pos + l) + min_left > avail)
      continue;
    j->v[slot_i] = val;
    j->known[slot_i] = true;
    j->src[slot_i] = at(j, tok, pos, l);
    if (l == rest) {
      /* avail >= min_left (above), avail <= max_left (the break) */
      split_rec(j, tok + 1, 0, slot_i + 1);
    } else {
      split_rec(j, tok, pos + l, slot_i + 1);
    }
    if (j->overflow)
      return;
  }
}

/* Whether a blank marker is a doubled dash (——, --): the Chinese dash
 * of one blank cell, or the dashes of two blank cells run together. */
static bool doubled_dash(const gk__stream *s, const gk__token *t) {
  static const char *const doubled[] = {"——", "--"};
  for (size_t m = 0; m < sizeof doubled / sizeof doubled[0]; m++) {
    gk__pattern scratch;
    if (gk__stream_equals(s, t->start, t->end,
                          gk__pattern_of(doubled[m], &scratch)))
      return true;
  }
  return false;
}

/* Whether a number token is a blank cell's dash run into digits
 * ("—0000054813" read as a negative number): a dash, then digits only.
 * In a row whose columns take no sign the dash is a blank marker (issue
 * 10's zoo: a row of digits run together with its blank cells as "—"). */
static bool dash_blank(const gk__stream *s, const gk__token *v) {
  if (v->kind != GK_TOK_NUMBER || v->sign >= 0 || v->sign_word || v->scale ||
      v->grouped || v->unreadable || v->end < v->start + 2)
    return false;
  int32_t c = s->cp[v->start];
  if (c != 0x2014 && c != 0x2013 && c != '-' && c != 0xFF0D && c != 0x2212)
    return false;
  for (size_t q = v->start + 1; q < v->end; q++)
    if (s->cp[q] < '0' || s->cp[q] > '9')
      return false;
  return true;
}

/* Whether a slot of the row takes a sign (2019's 本年增/减). */
static bool any_signed(const slot *slots, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (slots[i].kind == GK_V_SIGNED)
      return true;
  return false;
}

/* Whether the value tokens are candidates for splitting: integers (no
 * sign, no decimals) and blank markers, with at least one digit run
 * longer than one.  A doubled dash run together with digits ("77——")
 * may be one blank cell or two: the cut is not determined by the text,
 * and the row is not split (issue 10's zoo, a real report's row with two
 * blank cells; read 7, 7, blank it was silently wrong). */
bool gk__splittable(const gk__stream *s, const slot *slots, size_t n,
                    const gk__token *const *vals, size_t k) {
  bool multi = false;
  bool dashes = !any_signed(slots, n);
  for (size_t i = 0; i < k; i++) {
    if (dashes && dash_blank(s, vals[i])) {
      /* Set apart by white space before it: see the blank marker below. */
      if (i > 0 && s->ch[vals[i]->start].brk >= GK_BRK_THIN)
        return false;
      multi = multi || vals[i]->end - vals[i]->start > 2;
      continue;
    }
    /* A real table's cell is exact: its digits are one number. */
    if (s->layout->runs[vals[i]->run].table >= 0)
      return false;
    /* A blank marker set apart by white space from its neighbours: the
     * text marks its blank cells and keeps its separators, so a run of
     * digits is one number ("77    —", "26  /  —  /  26"), not cells run
     * together. */
    if (vals[i]->kind == GK_TOK_BLANK &&
        ((i > 0 && s->ch[vals[i]->start].brk >= GK_BRK_THIN) ||
         (i + 1 < k && s->ch[vals[i + 1]->start].brk >= GK_BRK_THIN)))
      return false;
    if (vals[i]->kind == GK_TOK_BLANK && doubled_dash(s, vals[i]))
      return false;
    if (vals[i]->kind == GK_TOK_BLANK)
      continue;
    if (vals[i]->kind != GK_TOK_NUMBER || vals[i]->scale || vals[i]->sign ||
        vals[i]->grouped || vals[i]->unreadable)
      return false;
    if (vals[i]->n_chars > 1)
      multi = true;
  }
  return multi;
}

/* The value tokens of a row as printed, separated by spaces. */
char *gk__printed_tokens(gk__parse *p, const gk__token *const *vals, size_t k) {
  gk__buf b;
  gk__buf_init(&b, 4096);
  for (size_t i = 0; i < k; i++) {
    char *t = gk__stream_text(&p->r->arena, &p->s, vals[i]->start, vals[i]->end,
                              false);
    if (i)
      gk__buf_putc(&b, ' ');
    if (t)
      gk__buf_puts(&b, t);
  }
  gk__buf_oom_to(&b, &p->r->arena);
  char *out = gk__arena_strdup(&p->r->arena, b.data ? b.data : "");
  gk__buf_free(&b);
  return out;
}

/* "64、0、0、2" for a candidate (blank parts as 空). */
void gk__values_text(gk__buf *b, const int64_t *v, const bool *known,
                     size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (i)
      gk__buf_puts(b, "、");
    if (known[i])
      gk__buf_printf(b, "%lld", (long long)v[i]);
    else
      gk__buf_puts(b, "空");
  }
}

/* Stores a split's values into the row's cells, each with where it was
 * printed (its slice of the glued digits, or its blank marker) as a cell
 * read from a token has; a blank cell the text dropped has no text, and
 * the row's line. */
void gk__store_split(gk__parse *p, const slot *slots, size_t n,
                     const int64_t *v, const bool *known, const split_src *src,
                     uint32_t line) {
  for (size_t i = 0; i < n; i++) {
    gk__cell *c = slots[i].cell;
    c->state = known[i] ? GK_CELL_VALUE : GK_CELL_NULL;
    c->value = known[i] ? v[i] : 0;
    c->scale = 0;
    c->line = line;
    c->text = NULL;
    c->page = 0;
    if (src[i].end > src[i].start)
      gk__cell_provenance_at(p, c, src[i].start, src[i].end);
  }
}

void gk__note_split(gk__parse *p, table_notes *tn, const char *label,
                    const char *printed, const int64_t *v, const bool *known,
                    size_t n, uint32_t line) {
  if (tn->n_split_rows++ > 0)
    return;
  gk__buf b;
  gk__buf_init(&b, 1024);
  gk__buf_printf(&b, "“%s”%s → ", label, printed);
  gk__values_text(&b, v, known, n);
  gk__buf_oom_to(&b, &p->r->arena);
  tn->first_split = gk__arena_strdup(&p->r->arena, b.data ? b.data : "");
  tn->first_split_line = line;
  gk__buf_free(&b);
}

/* Blank cells a cut may take as dropped when checking whether a cut the
 * arithmetic does not confirm is forced: every cell but one, so that the
 * other cuts found are every reading the text allows (a row of seven
 * cells printed "1111111" also reads 11|11|111 with four blanks dropped),
 * and the cells on which they all agree can be kept (gk__settle_unforced).
 * MAX_SPLIT_STEPS and MAX_SPLIT_CANDIDATES bound the work; an overflow
 * counts as not forced, and as no agreement. */
#define MAX_UNFORCED_DROPS (MAX_SLOTS - 1)
/* Candidate cuts a cell.ambiguous message lists; more are "等". */
#define MAX_LISTED_CANDIDATES 4

/*
 * Whether the single cut in j->cand[0] is forced.  It is when the text
 * marks its blank cells or keeps separators between values (then a run of
 * digits is cells run together, every cell printed).  Otherwise a crawler
 * that runs the digits together may also have dropped blank cells: "512"
 * for three cells is 5|1|2, or 51|2 or 5|12 with a blank dropped.  The cut
 * is forced only when no cut with dropped cells fits the row (digits that
 * cannot join, like "000", or identities no other cut satisfies), a
 * dropped cell being an unknown count: blank is not zero.  A cut the
 * row's identities decide and accept is no exception: "000215118" is
 * 0|0|0|2|15|1|18, and also 0|空|0|0|2|15|118 with a blank over 101 (issue
 * 10's zoo, glued_dropped).  On return j->cand holds, after the cut, the
 * other cuts found.
 */
static bool cut_is_forced(split_job *j, size_t n) {
  if (j->need_yes)
    return true;
  for (size_t i = 0; i < j->k; i++)
    if (j->blank[i])
      return true; /* the text marks its blank cells */
  int64_t first_v[MAX_SLOTS];
  bool first_known[MAX_SLOTS];
  memcpy(first_v, j->cand[0], sizeof first_v);
  memcpy(first_known, j->cand_known[0], sizeof first_known);
  j->n_cand = 1;
  j->steps = 0;
  j->max_steps = MAX_SPLIT_STEPS;
  j->overflow = false;
  j->use_identities = true;
  j->drop_unknown = true;
  j->drops_left = n > MAX_UNFORCED_DROPS ? MAX_UNFORCED_DROPS : n - 1;
  /* The search starts after the cut already held: keep it in slot 0 by
   * searching into slots 1.. and dropping any copy of it. */
  size_t was = j->n_cand;
  split_rec(j, 0, 0, 0);
  size_t out = was;
  for (size_t c = was; c < j->n_cand; c++) {
    if (!memcmp(j->cand[c], first_v, n * sizeof *first_v) &&
        !memcmp(j->cand_known[c], first_known, n * sizeof *first_known))
      continue;
    if (out != c) {
      memcpy(j->cand[out], j->cand[c], sizeof j->cand[c]);
      memcpy(j->cand_known[out], j->cand_known[c], sizeof j->cand_known[c]);
      memcpy(j->cand_src[out], j->cand_src[c], sizeof j->cand_src[c]);
    }
    out++;
  }
  j->n_cand = out;
  return !j->overflow && j->n_cand == 1;
}

/* Tries to split a row's glued digit runs into its n cells
 * (tables_int.h says what it returns). */
int gk__try_split(gk__parse *p, const gk__edition_def *ed,
                  const gk__tabledef *t, const slot *slots, size_t n,
                  const gk__token *const *vals, size_t k, table_notes *tn,
                  const char *label, uint32_t label_line) {
  split_job *j = gk__arena_calloc(&p->r->arena, 1, sizeof *j);
  if (!j)
    return -1;
  j->ed = ed;
  j->max_steps = MAX_SPLIT_STEPS;
  j->t = t;
  memcpy(j->own_slots, slots, n * sizeof *slots);
  j->slots = j->own_slots;
  j->n = n;
  j->k = k;
  find_totals(j);
  /* The tokens as the cut sees them: a dash run into digits is a blank
   * marker and a digit run (gk__splittable() let it through). */
  bool dashes = !any_signed(slots, n);
  size_t jk = 0;
  for (size_t i = 0; i < k; i++) {
    bool dash = dashes && dash_blank(&p->s, vals[i]);
    if (jk + 1 + dash > MAX_SLOTS)
      return 0;
    size_t at = vals[i]->start;
    if (dash) {
      j->blank[jk] = true;
      j->digits[jk] = p->s.cp + at;
      j->len[jk] = 0;
      j->start[jk] = at;
      j->span[jk] = 1;
      jk++;
      at++;
    }
    j->blank[jk] = !dash && vals[i]->kind == GK_TOK_BLANK;
    j->digits[jk] = p->s.cp + at;
    j->len[jk] = j->blank[jk] ? 0 : vals[i]->end - at;
    j->start[jk] = at;
    j->span[jk] = vals[i]->end - at;
    jk++;
  }
  j->k = jk;
  j->cand =
      gk__arena_alloc(&p->r->arena, MAX_SPLIT_CANDIDATES * sizeof *j->cand);
  j->cand_known = gk__arena_alloc(&p->r->arena,
                                  MAX_SPLIT_CANDIDATES * sizeof *j->cand_known);
  j->cand_src =
      gk__arena_alloc(&p->r->arena, MAX_SPLIT_CANDIDATES * sizeof *j->cand_src);
  if (!j->cand || !j->cand_known || !j->cand_src)
    return -1;
  /* Values set apart by white space or line ends: the text kept some
   * separators, so a run of digits may well be one number; it is cut
   * only where the row's arithmetic decides the cut and holds. */
  for (size_t i = 1; i < k; i++)
    if (p->s.ch[vals[i]->start].brk >= GK_BRK_THIN)
      j->need_yes = true;
  /* There, when the tokens are as many as the cells but for a dropped
   * blank, each is one cell: a token a number can be ("11", "724") is
   * that number, and only one no number can be ("00", "011") is cells run
   * together.  Fewer tokens are runs of cells ("2600000 26"). */
  for (size_t i = 0; i < j->k && j->need_yes && j->k + MAX_DROPPED_CELLS >= n;
       i++)
    j->atomic[i] = !j->blank[i] && !(j->len[i] > 1 && j->digits[i][0] == '0');
  find_bounds(j);
  gk__row_plan_compile(&j->plan, ed, t, j->slots, n);
  /* First the cut that needs no arithmetic: the only one there is when
   * every printed cell is there (seven digits for seven cells).  When the
   * row's identities decide it and hold, it is the row. */
  split_rec(j, 0, 0, 0);
  bool have_first = !j->overflow && j->n_cand == 1;
  int64_t first_v[MAX_SLOTS];
  bool first_known[MAX_SLOTS];
  split_src first_src[MAX_SLOTS];
  fit first_fit = FIT_NO;
  if (have_first) {
    memcpy(first_v, j->cand[0], sizeof first_v);
    memcpy(first_known, j->cand_known[0], sizeof first_known);
    memcpy(first_src, j->cand_src[0], sizeof first_src);
    first_fit = gk__fit_values(ed, t, slots, n, first_v, first_known);
  }
  /* Otherwise every cut the identities allow, including those that take
   * a blank cell as dropped by the crawler (it counts as 0 here: as an
   * unknown count, too many cuts fit and glued rows fell from 94% right
   * to 23% in issue 10's zoo): a cut is the row only when no other one
   * fits, over the whole table (tables_solve.c). */
  if (!have_first || first_fit != FIT_YES) {
    j->n_cand = 0;
    j->steps = 0;
    j->overflow = false;
    j->use_identities = true;
    /* Only where an identity can tell a dropped cell from a printed one:
     * in a row without one (table 2) every cut with a dropped cell would
     * fit, and the crawlers that run digits together print every cell. */
    j->drops_left =
        gk__row_has_identity(ed, t, slots, n) ? MAX_DROPPED_CELLS : 0;
    split_rec(j, 0, 0, 0);
  }
  uint32_t line = gk__stream_lineno(&p->s, vals[0]->start);
  size_t units = 0; /* digits and blank markers: one cell each at most */
  for (size_t i = 0; i < j->k; i++)
    units += j->blank[i] ? 1 : j->len[i];
  bool marked = false; /* the row marks a blank cell */
  for (size_t i = 0; i < j->k; i++)
    marked = marked || j->blank[i];
  if (!j->need_yes && !marked && units < n)
    p->blanks_dropped = true; /* cells run together, some not printed */
  /* A blank marker among the row's digits ("21—5", a dash run into the
   * digits after it): the text marks its blank cells (gk__settle_unforced;
   * tables_assign.c notes the markers that are tokens of their own). */
  if (marked)
    p->blanks_marked = true;
  if (!j->overflow && j->n_cand == 0 && have_first && units == n &&
      !j->need_yes) {
    /* One digit per cell, and no other reading fits the arithmetic
     * either: what the source prints, whatever its arithmetic; the
     * arith.* checks report the break. */
    j->n_cand = 1;
    memcpy(j->cand[0], first_v, sizeof first_v);
    memcpy(j->cand_known[0], first_known, sizeof first_known);
    memcpy(j->cand_src[0], first_src, sizeof first_src);
  }
  if (!j->overflow && j->n_cand == 0 && !have_first)
    return 0;
  char *printed = gk__printed_tokens(p, vals, k);
  if (!j->overflow && j->n_cand == 0) {
    /* The only cut there is contradicts the row's arithmetic, and it is
     * not one digit per cell (which the text itself would decide): the
     * digits are not this row's cells as printed, or the source is
     * wrong; either way no cell is read from them. */
    for (size_t i = 0; i < n; i++) {
      slots[i].cell->state = GK_CELL_NULL;
      slots[i].cell->line = line;
    }
    gk__buf b;
    gk__buf_init(&b, 1024);
    gk__values_text(&b, first_v, first_known, n);
    gk__diag_add(
        p->r, "cell.ambiguous", GK_SEV_WARNING, label_line ? label_line : line,
        t->layout == GK_LAYOUT_BLOCKS ? t->key
                                      : gk__row_path(p->r, t, slots[0].row),
        "%s“%s”的数字连写为“%s”，唯一可能的拆分（%s）与本行的算术"
        "关系不符，这些单元格按空处理",
        gk__table_part_name(t->id), label, printed, b.data ? b.data : "");
    gk__buf_free(&b);
    return 2;
  }
  bool row_marked = false;
  for (size_t i = 0; i < j->k; i++)
    row_marked = row_marked || j->blank[i];
  if (!j->overflow && j->n_cand == 1 && !j->need_yes && !row_marked &&
      gk__fit_values(ed, t, slots, n, j->cand[0], j->cand_known[0]) ==
          FIT_YES) {
    /* A cut its row's identities decide and accept, in a text that may
     * drop blank cells: whether another cut with a dropped blank fits
     * too is looked for only if the table does not pin every cell of it
     * (gk__confirm_unforced calls gk__unforced_search): the search costs
     * more than the rest of an ordinary report, and a table read whole
     * rules the other cuts out anyway. */
    bool kept = gk__add_unforced(p, t, slots, n, label_line ? label_line : line,
                                 label, printed, NULL, true);
    if (kept)
      p->unforced[p->n_unforced - 1].job = j;
    j->overflow = !kept; /* no room to settle it later: ambiguous now */
  } else if (!j->overflow && j->n_cand == 1) {
    bool yes = gk__fit_values(ed, t, slots, n, j->cand[0], j->cand_known[0]) ==
               FIT_YES;
    if (!cut_is_forced(j, n)) {
      /* The one cut found is not forced: the same digits also read as a
       * row whose blank cells the crawler dropped.  It stands as printed
       * unless the text shows elsewhere that it drops blank cells and the
       * table's column identities do not confirm it
       * (gk__confirm_unforced, gk__settle_unforced). */
      gk__buf b;
      gk__buf_init(&b, 2048);
      gk__values_text(&b, j->cand[0], j->cand_known[0], n);
      for (size_t c = 1; c < j->n_cand && c < MAX_LISTED_CANDIDATES; c++) {
        gk__buf_puts(&b, "；或 ");
        gk__values_text(&b, j->cand[c], j->cand_known[c], n);
      }
      if (j->overflow || j->n_cand > MAX_LISTED_CANDIDATES)
        gk__buf_puts(&b, "；等");
      gk__buf_oom_to(&b, &p->r->arena);
      bool kept =
          gk__add_unforced(p, t, slots, n, label_line ? label_line : line,
                           label, printed, b.data ? b.data : "", yes);
      gk__buf_free(&b);
      if (kept && !j->overflow) {
        /* The other cuts, for the table to rule out (j->cand is the
         * report's: it lives as long as the row). */
        gk__unforced_row *u = &p->unforced[p->n_unforced - 1];
        u->alt = j->cand + 1;
        u->alt_known = j->cand_known + 1;
        u->n_alt = j->n_cand - 1;
        u->alt_all = true;
      }
      /* cut_is_forced() kept the cut itself in slot 0. */
      j->n_cand = 1;
      j->overflow = !kept; /* no room to settle it later: ambiguous now */
    }
  }
  if (!j->overflow && j->n_cand == 1) {
    gk__store_split(p, slots, n, j->cand[0], j->cand_known[0], j->cand_src[0],
                    line);
    gk__note_split(p, tn, label, printed, j->cand[0], j->cand_known[0], n,
                   line);
    return 1;
  }
  if (tn->n_pending == MAX_PENDING_ROWS)
    return 0;
  pending_row *pr = &tn->pending[tn->n_pending++];
  memcpy(pr->slots, slots, n * sizeof *slots);
  pr->n = n;
  pr->cand = j->cand;
  pr->cand_known = j->cand_known;
  pr->cand_src = j->cand_src;
  pr->n_cand = j->n_cand;
  pr->overflow = j->overflow;
  pr->dropped = false;
  pr->marked = false;
  for (size_t i = 0; i < j->k; i++)
    pr->marked = pr->marked || j->blank[i];
  pr->may_drop = !j->need_yes && !pr->marked && j->drops_left > 0;
  pr->job = pr->may_drop ? j : NULL;
  pr->k = k;
  pr->label = label;
  pr->printed = printed;
  pr->line = label_line ? label_line : line;
  for (size_t i = 0; i < n; i++)
    slots[i].cell->state = GK_CELL_NULL;
  return 2;
}

void gk__summarise_split(gk__parse *p, const gk__tabledef *t,
                         const table_notes *tn) {
  if (tn->n_split_rows == 0)
    return;
  gk__diag_rule(
      p->r, GK_R_CELL_SPLIT_DIGITS, tn->first_split_line, t->key,
      "%s表格有 %d 行数字连写在一起，已按表格的算术关系唯一拆分（如%s）",
      gk__table_part_name(t->id), tn->n_split_rows, tn->first_split);
}

bool gk__add_unforced(gk__parse *p, const gk__tabledef *t, const slot *slots,
                      size_t n, uint32_t line, const char *label,
                      const char *printed, const char *cands, bool weak) {
  if (p->n_unforced == MAX_UNFORCED_ROWS)
    return false;
  if (!p->unforced) /* the report's first such row */
    p->unforced =
        gk__arena_calloc(&p->r->arena, MAX_UNFORCED_ROWS, sizeof *p->unforced);
  if (!p->unforced)
    return false; /* out of memory (the parse ends in GK_ENOMEM) */
  gk__unforced_row *u = &p->unforced[p->n_unforced++];
  /* The messages (path, what, msg) are written only for a row left null
   * (gk__settle_unforced): most rows stand.  Whatever is not named here
   * starts empty: no other reading known, nothing confirmed or judged. */
  *u = (gk__unforced_row){
      .n = n,
      .line = line,
      .tdef = t,
      .row = slots[0].row,
      .label = label,
      .printed = printed,
      .cands = cands ? gk__arena_strdup(&p->r->arena, cands) : NULL,
      .weak = weak,
  };
  for (size_t i = 0; i < n; i++) {
    u->cells[i] = slots[i].cell;
    u->slots[i] = slots[i];
  }
  return true;
}

/* u->msg from the cuts its search found (u->found). */
static void found_msg(gk__parse *p, gk__unforced_row *u) {
  gk__buf b;
  gk__buf_init(&b, 2048);
  gk__buf_puts(&b, "本行的算术关系不能确定拆分，可能的拆分有：");
  gk__values_text(&b, u->found[0], u->found_known[0], u->n);
  for (size_t c = 1; c < u->n_found && c < MAX_LISTED_CANDIDATES; c++) {
    gk__buf_puts(&b, "；或 ");
    gk__values_text(&b, u->found[c], u->found_known[c], u->n);
  }
  if (u->found_more || u->n_found > MAX_LISTED_CANDIDATES)
    gk__buf_puts(&b, "；等");
  gk__buf_oom_to(&b, &p->r->arena);
  u->msg = gk__arena_strdup(&p->r->arena, b.data ? b.data : "");
  gk__buf_free(&b);
}

bool gk__unforced_search(gk__unforced_row *u) {
  split_job *j = u->job;
  u->job = NULL;
  if (!j)
    return true;
  /* The cut as read goes first (a row the table search placed found it
   * among several: cut_is_forced() searches the others after it). */
  for (size_t q = 0; q < u->n; q++) {
    j->cand_known[0][q] = u->cells[q]->state == GK_CELL_VALUE;
    j->cand[0][q] = j->cand_known[0][q] ? u->cells[q]->value : 0;
  }
  j->n_cand = 1;
  if (cut_is_forced(j, u->n))
    return false;
  /* The message listing the cuts is written only for a row left null
   * (gk__settle_unforced): most rows are confirmed by the table.  j->cand
   * lives as long as the report and is not searched again. */
  u->found = j->cand;
  u->found_known = j->cand_known;
  u->n_found = j->n_cand;
  u->found_more = j->overflow;
  if (!j->overflow) {
    u->alt = j->cand + 1;
    u->alt_known = j->cand_known + 1;
    u->n_alt = j->n_cand - 1;
    u->alt_all = true;
  }
  return true;
}

/*
 * The rows whose cut was not forced: the same digits also read as a row
 * whose blank cells the crawler dropped.  Which one the text is, only the
 * rest of the text can say, and only one sign counts: a blank marker
 * ("—", "/", "无") among a row's values anywhere in the document's text
 * tables (tables_assign.c sets blanks_marked).  A text that marks its
 * blank cells prints every cell, so the rows stand as printed (the arith.*
 * checks report a break), unless a row of it is too short for its cells
 * and marks nothing (blanks_dropped).  The absence of blanks is no sign:
 * a text whose every row prints one digit per cell may still have dropped
 * blank cells ("211" for three cells of table 2 is 2|1|1, 21|1|空 or
 * 2|11|空 …; issue 10's zoo, glued_dropped), and zeros are none either (a
 * table may hold 0 in some cells and leave others blank).  Otherwise a
 * row stands only where the table confirmed it (gk__confirm_unforced) or
 * no other reading holds; of the others, the cells on which every reading
 * the text allows agrees are kept (the same number, or blank), and the
 * rest is null with cell.ambiguous listing the readings.
 */
void gk__settle_unforced(gk__parse *p) {
  if (!p->blanks_dropped && p->blanks_marked)
    return;
  const char *why =
      p->blanks_dropped
          ? "本文有的行数字少于单元格且未标出空白，空白单元格被略去"
          : "本文未标出空白单元格，不能排除空白单元格被略去";
  for (size_t i = 0; i < p->n_unforced; i++) {
    gk__unforced_row *u = &p->unforced[i];
    /* A cut the table's column identities judged, where no other reading
     * of the digits holds over them: it stands (its own arithmetic may be
     * broken for all of them: the arith.* checks report that). */
    if (!u->joint && (u->confirmed || (u->weak && u->judged && !u->contested)))
      continue;
    if (u->job && !gk__unforced_search(u))
      continue; /* no other cut: forced after all */
    /* The readings the table's joint search left (all of them without
     * it): the cut stands when it is the only one. */
    size_t n_use = 0;
    for (size_t a = 0; u->joint && a <= u->n_alt; a++)
      n_use += u->use[a];
    if (u->joint && n_use == 1 && u->use[0])
      continue;
    const gk__tabledef *t = u->tdef;
    if (!u->msg && u->found)
      found_msg(p, u);
    if (!u->msg) {
      /* The cut as read (a row recorded without its other cuts). */
      gk__buf b;
      gk__buf_init(&b, 1024);
      gk__buf_puts(&b, "本行的算术关系不能确定拆分，可能的拆分有：");
      if (u->cands) {
        gk__buf_puts(&b, u->cands);
      } else {
        int64_t v[MAX_SLOTS];
        bool known[MAX_SLOTS];
        for (size_t c = 0; c < u->n; c++) {
          known[c] = u->cells[c]->state == GK_CELL_VALUE;
          v[c] = u->cells[c]->value;
        }
        gk__values_text(&b, v, known, u->n);
      }
      gk__buf_oom_to(&b, &p->r->arena);
      u->msg = gk__arena_strdup(&p->r->arena, b.data ? b.data : "");
      gk__buf_free(&b);
    }
    u->path =
        t->layout == GK_LAYOUT_BLOCKS ? t->key : gk__row_path(p->r, t, u->row);
    u->what = gk__arena_printf(&p->r->arena, "%s“%s”的数字连写为“%s”",
                               gk__table_part_name(t->id), u->label,
                               u->printed ? u->printed : "");
    /* Per cell: a number every reading gives it stays; the others, which
     * the readings differ on, are null.  Only when the readings are all
     * known (u->alt_all). */
    size_t kept = 0;
    for (size_t c = 0; c < u->n; c++) {
      /* The value the first reading in use gives the cell, and whether
       * every other one in use gives the same. */
      bool same = u->alt_all, have = false;
      int64_t v = 0;
      for (size_t a = 0; a <= u->n_alt && same; a++) {
        if (u->joint && !u->use[a])
          continue;
        bool k = a == 0 ? u->cells[c]->state == GK_CELL_VALUE
                        : u->alt_known[a - 1][c];
        int64_t x = a == 0 ? u->cells[c]->value : u->alt[a - 1][c];
        same = k && (!have || x == v);
        v = x;
        have = true;
      }
      if (same && have) {
        if (u->cells[c]->state != GK_CELL_VALUE || u->cells[c]->value != v) {
          /* The cut as read is not among the readings in use: the value
           * is theirs, and where it was printed is not kept. */
          u->cells[c]->text = NULL;
          u->cells[c]->page = 0;
          u->cells[c]->x0 = u->cells[c]->y0 = 0;
          u->cells[c]->x1 = u->cells[c]->y1 = 0;
        }
        u->cells[c]->state = GK_CELL_VALUE;
        u->cells[c]->value = v;
        u->cells[c]->scale = 0;
        kept++;
        continue;
      }
      u->cells[c]->state = GK_CELL_NULL;
      u->cells[c]->value = 0;
    }
    if (kept)
      gk__diag_add(p->r, "cell.ambiguous", GK_SEV_WARNING, u->line, u->path,
                   "%s，%s；%s；已读取各种拆分都相同的 %zu 个单元格，"
                   "其余按空处理",
                   u->what ? u->what : "", why, u->msg ? u->msg : "", kept);
    else
      gk__diag_add(p->r, "cell.ambiguous", GK_SEV_WARNING, u->line, u->path,
                   "%s，%s；%s；这些单元格按空处理", u->what ? u->what : "",
                   why, u->msg ? u->msg : "");
  }
}
