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

/* Identities of one row the search prunes by (a row of table 3 has one,
 * table 4's line three); any more are still checked on each cut. */
#define MAX_ROW_IDENTITIES 8
/* Blank cells one cut may assume were dropped from a row: one keeps the
 * search small and covers the sparse rows crawlers flatten. */
#define MAX_DROPPED_CELLS 1
/* Candidate splits kept for one row; more is ambiguous at once. */
#define MAX_SPLIT_CANDIDATES 32
/* Recursion steps spent enumerating one row's splits: bounds the work for
 * a long digit run (a 40-digit run into 7 cells has 9 million cuts). */
#define MAX_SPLIT_STEPS 200000
/* Combinations of pending rows tried against the column identities. */
#define MAX_SPLIT_COMBINATIONS 100000
/* Column identities (one per identity and column) a table's pending rows
 * are settled by: table 3 has 2 x 7. */
#define MAX_SETTLE_CHECKS 32
/* Pending rows are sets of bits (uint32_t) in the settling. */
_Static_assert(MAX_PENDING_ROWS <= 32, "a pending row is a bit of a uint32_t");

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
  long steps;
  bool overflow;       /* too many candidates or steps */
  bool use_identities; /* keep only cuts the row's identities accept */
  bool need_yes;       /* ... and only those they decide and accept */
  /* Cells a cut may leave blank without a marker: a crawler that drops
   * blank cells prints nothing for them.  For the arithmetic such a cell
   * counts as 0 (nothing printed, nothing counted). */
  size_t drops_left;
  bool dropped[MAX_SLOTS];
  /* A dropped cell is unknown to the arithmetic rather than 0: a blank
   * cell may stand for a number nobody printed. */
  bool drop_unknown;
  /* Pruning (searches with the identities): once the slots up to the
   * last cell of one of the row's identities (ids, from
   * gk__row_identities()) break it, every cut below fails
   * gk__fit_values() too, and the branch is left.  The steps the full
   * enumeration would spend in it are still counted (subtree_steps()), so
   * MAX_SPLIT_STEPS ends a search exactly where it ends without pruning.
   * `prune` is false only in the unit test that compares the two. */
  bool prune;
  gk__row_identity ids[MAX_ROW_IDENTITIES];
  size_t n_ids;
  bool last_slot[MAX_SLOTS]; /* some identity's last cell is this slot */
  gk__arena *arena;
  /* subtree_steps() memo, by (token, digit position, slot, drops left);
   * NULL until a branch is first left. */
  long *memo;
  size_t memo_base[MAX_SLOTS + 1]; /* first position of each token */
} split_job;

/* The stream span of l characters at pos of token tok. */
static split_src at(const split_job *j, size_t tok, size_t pos, size_t l) {
  return (split_src){(uint32_t)(j->start[tok] + pos),
                     (uint32_t)(j->start[tok] + pos + l)};
}

/* Drops a cut may take: the most of MAX_DROPPED_CELLS and
 * MAX_UNFORCED_DROPS (the memo's last dimension). */
#define MAX_DROPS 3

/* Where subtree_steps(j, tok, pos, slot_i, drops) is kept in j->memo. */
static size_t memo_at(const split_job *j, size_t tok, size_t pos, size_t slot_i,
                      size_t drops) {
  return ((j->memo_base[tok] + pos) * (j->n + 1) + slot_i) * (MAX_DROPS + 1) +
         drops;
}

/* a + b, held at MAX_SPLIT_STEPS + 1 (all a step count is compared with). */
static long add_steps(long a, long b) {
  return a + b > MAX_SPLIT_STEPS ? MAX_SPLIT_STEPS + 1 : a + b;
}

/*
 * The calls split_rec(j, tok, pos, slot_i) makes, itself included, when
 * j->drops_left is `drops` and no cut below it is kept (as in a branch the
 * pruning leaves): a function of the tokens alone, kept in j->memo.  The
 * branches are split_rec()'s, in the same order; unit_glued checks that
 * a pruned search counts the same steps as the full one.
 */
static long subtree_steps(split_job *j, size_t tok, size_t pos, size_t slot_i,
                          size_t drops) {
  if (tok == j->k)
    return slot_i < j->n && drops >= j->n - slot_i ? 2 : 1;
  size_t at = memo_at(j, tok, pos, slot_i, drops);
  if (j->memo[at])
    return j->memo[at];
  long c = 1;
  size_t min_left = 0, max_left = drops;
  for (size_t q = tok + 1; q < j->k; q++) {
    min_left++;
    max_left += j->blank[q] || j->atomic[q] ? 1 : j->len[q];
  }
  if (drops > 0 && slot_i < j->n)
    c = add_steps(c, subtree_steps(j, tok, pos, slot_i + 1, drops - 1));
  if (slot_i < j->n && j->blank[tok]) {
    if (j->n - slot_i - 1 >= min_left && j->n - slot_i - 1 <= max_left)
      c = add_steps(c, subtree_steps(j, tok + 1, 0, slot_i + 1, drops));
  } else if (slot_i < j->n) {
    size_t rest = j->len[tok] - pos;
    for (size_t l = j->atomic[tok] ? rest : 1; l <= rest; l++) {
      if ((l > 1 && j->digits[tok][pos] == '0') || l > 12)
        break;
      if (l == rest) {
        size_t left = j->n - slot_i - 1;
        if (left >= min_left && left <= max_left)
          c = add_steps(c, subtree_steps(j, tok + 1, 0, slot_i + 1, drops));
      } else {
        c = add_steps(c, subtree_steps(j, tok, pos + l, slot_i + 1, drops));
      }
    }
  }
  j->memo[at] = c;
  return c;
}

/* Whether the cut so far (slots 0..slot_i) breaks an identity whose last
 * cell is slot_i, so that no cut below it can be kept. */
static bool breaks_identity(const split_job *j, size_t slot_i) {
  if (!j->prune || !j->use_identities || !j->last_slot[slot_i])
    return false;
  bool known[MAX_SLOTS] = {false};
  for (size_t q = 0; q <= slot_i; q++)
    known[q] = j->known[q] || (j->dropped[q] && !j->drop_unknown);
  for (size_t i = 0; i < j->n_ids; i++)
    if (j->ids[i].last == (int)slot_i &&
        gk__row_identity_eval(&j->ids[i], j->v, known) == GK_ID_FAILS)
      return true;
  return false;
}

/* Sets up the pruning of job j (its slots given). */
static void prune_init(split_job *j, gk__arena *a, bool prune) {
  j->arena = a;
  j->prune = prune;
  j->n_ids = gk__row_identities(j->ed, j->t, j->slots, j->n, j->ids,
                                MAX_ROW_IDENTITIES);
  for (size_t i = 0; i < j->n_ids; i++)
    j->last_slot[j->ids[i].last] = true;
}

static void split_rec(split_job *j, size_t tok, size_t pos, size_t slot_i);

/* split_rec(j, tok, pos, slot_i + 1) once slot_i is given: unless the cut
 * so far breaks an identity, then only the steps it would take. */
static void descend(split_job *j, size_t tok, size_t pos, size_t slot_i) {
  if (!breaks_identity(j, slot_i)) {
    split_rec(j, tok, pos, slot_i + 1);
    return;
  }
  if (!j->memo) {
    size_t positions = 0;
    for (size_t q = 0; q < j->k; q++) {
      j->memo_base[q] = positions;
      positions += j->len[q] + 1;
    }
    j->memo_base[j->k] = positions;
    j->memo = gk__arena_calloc(j->arena, positions * (j->n + 1),
                               (MAX_DROPS + 1) * sizeof *j->memo);
    if (!j->memo) {
      /* No room to count what a pruned branch costs: enumerate it. */
      j->prune = false;
      split_rec(j, tok, pos, slot_i + 1);
      return;
    }
  }
  j->steps = add_steps(j->steps,
                       subtree_steps(j, tok, pos, slot_i + 1, j->drops_left));
  if (j->steps > MAX_SPLIT_STEPS)
    j->overflow = true;
}

static void split_rec(split_job *j, size_t tok, size_t pos, size_t slot_i) {
  if (j->overflow || ++j->steps > MAX_SPLIT_STEPS) {
    j->overflow = true;
    return;
  }
  if (tok == j->k && slot_i < j->n && j->drops_left >= j->n - slot_i) {
    /* The cells left were dropped. */
    size_t was = j->drops_left;
    for (size_t q = slot_i; q < j->n; q++) {
      j->known[q] = false;
      j->v[q] = 0;
      j->src[q] = (split_src){0, 0};
      j->dropped[q] = true;
    }
    j->drops_left = 0;
    split_rec(j, tok, 0, j->n);
    j->drops_left = was;
    for (size_t q = slot_i; q < j->n; q++)
      j->dropped[q] = false;
    return;
  }
  if (tok == j->k) {
    if (slot_i != j->n)
      return;
    if (j->use_identities) {
      bool known[MAX_SLOTS] = {false};
      for (size_t q = 0; q < j->n; q++)
        known[q] = j->known[q] || (j->dropped[q] && !j->drop_unknown);
      fit f = gk__fit_values(j->ed, j->t, j->slots, j->n, j->v, known);
      if (f == FIT_NO || (j->need_yes && f != FIT_YES))
        return;
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
    return;
  }
  /* Slots left must be fillable by the tokens left: each needs at least
   * one slot and at most one slot per digit. */
  size_t min_left = 0, max_left = j->drops_left;
  for (size_t q = tok + 1; q < j->k; q++) {
    min_left++;
    max_left += j->blank[q] || j->atomic[q] ? 1 : j->len[q];
  }
  if (j->drops_left > 0 && slot_i < j->n) {
    /* This cell was dropped: the token goes to the next one. */
    j->known[slot_i] = false;
    j->v[slot_i] = 0;
    j->src[slot_i] = (split_src){0, 0};
    j->dropped[slot_i] = true;
    j->drops_left--;
    descend(j, tok, pos, slot_i);
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
      descend(j, tok + 1, 0, slot_i);
    return;
  }
  size_t rest = j->len[tok] - pos;
  int64_t val = 0;
  for (size_t l = j->atomic[tok] ? rest : 1; l <= rest && slot_i < j->n; l++) {
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
    j->v[slot_i] = val;
    j->known[slot_i] = true;
    j->src[slot_i] = at(j, tok, pos, l);
    if (l == rest) {
      size_t left = j->n - slot_i - 1;
      if (left >= min_left && left <= max_left)
        descend(j, tok + 1, 0, slot_i);
    } else {
      descend(j, tok, pos + l, slot_i);
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

/* Whether the value tokens are candidates for splitting: integers (no
 * sign, no decimals) and blank markers, with at least one digit run
 * longer than one.  A doubled dash run together with digits ("77——")
 * may be one blank cell or two: the cut is not determined by the text,
 * and the row is not split (issue 10's zoo, a real report's row with two
 * blank cells; read 7, 7, blank it was silently wrong). */
bool gk__splittable(const gk__stream *s, const gk__token *const *vals,
                    size_t k) {
  bool multi = false;
  for (size_t i = 0; i < k; i++) {
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
static void values_text(gk__buf *b, const int64_t *v, const bool *known,
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
static void store_split(gk__parse *p, const slot *slots, size_t n,
                        const int64_t *v, const bool *known,
                        const split_src *src, uint32_t line) {
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

static void note_split(gk__parse *p, table_notes *tn, const char *label,
                       const char *printed, const int64_t *v, const bool *known,
                       size_t n, uint32_t line) {
  if (tn->n_split_rows++ > 0)
    return;
  gk__buf b;
  gk__buf_init(&b, 1024);
  gk__buf_printf(&b, "“%s”%s → ", label, printed);
  values_text(&b, v, known, n);
  gk__buf_oom_to(&b, &p->r->arena);
  tn->first_split = gk__arena_strdup(&p->r->arena, b.data ? b.data : "");
  tn->first_split_line = line;
  gk__buf_free(&b);
}

/* Blank cells a cut may take as dropped when checking whether a cut the
 * arithmetic does not confirm is forced: a few cover the sparse rows, and
 * MAX_SPLIT_STEPS bounds the work (an overflow counts as not forced). */
#define MAX_UNFORCED_DROPS 3
_Static_assert(MAX_UNFORCED_DROPS <= MAX_DROPS &&
                   MAX_DROPPED_CELLS <= MAX_DROPS,
               "the step memo has a place for every number of drops");
/* Candidate cuts a cell.ambiguous message lists; more are "等". */
#define MAX_LISTED_CANDIDATES 4

/*
 * Whether the single cut in j->cand[0] is forced.  It is when the row's
 * identities decide it and hold, or when the text marks its blank cells or
 * keeps separators between values (then a run of digits is cells run
 * together, every cell printed).  Otherwise a crawler that runs the digits
 * together may also have dropped blank cells: "512" for three cells is
 * 5|1|2, or 51|2 or 5|12 with a blank dropped.  The cut is forced only when
 * no cut with dropped cells fits the row (digits that cannot join, like
 * "000", or identities no other cut satisfies).  On return j->cand holds,
 * after the cut, the other cuts found.
 */
static bool cut_is_forced(split_job *j, const gk__edition_def *ed,
                          const gk__tabledef *t, const slot *slots, size_t n,
                          const gk__token *const *vals, size_t k) {
  if (gk__fit_values(ed, t, slots, n, j->cand[0], j->cand_known[0]) == FIT_YES)
    return true;
  if (j->need_yes)
    return true;
  for (size_t i = 0; i < k; i++)
    if (vals[i]->kind == GK_TOK_BLANK)
      return true; /* the text marks its blank cells */
  int64_t first_v[MAX_SLOTS];
  bool first_known[MAX_SLOTS];
  memcpy(first_v, j->cand[0], sizeof first_v);
  memcpy(first_known, j->cand_known[0], sizeof first_known);
  j->n_cand = 1;
  j->steps = 0;
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
  j->t = t;
  j->slots = slots;
  j->n = n;
  j->k = k;
  prune_init(j, &p->r->arena, true);
  for (size_t i = 0; i < k; i++) {
    j->blank[i] = vals[i]->kind == GK_TOK_BLANK;
    j->digits[i] = p->s.cp + vals[i]->start;
    j->len[i] = j->blank[i] ? 0 : vals[i]->end - vals[i]->start;
    j->start[i] = vals[i]->start;
    j->span[i] = vals[i]->end - vals[i]->start;
  }
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
  for (size_t i = 0; i < k && j->need_yes && k + MAX_DROPPED_CELLS >= n; i++)
    j->atomic[i] = !j->blank[i] && !(j->len[i] > 1 && j->digits[i][0] == '0');
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
   * a blank cell as dropped by the crawler (it counts as 0): a cut is the
   * row only when no other one fits. */
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
  for (size_t i = 0; i < k; i++)
    units += j->blank[i] ? 1 : j->len[i];
  bool marked = false; /* the row marks a blank cell */
  for (size_t i = 0; i < k; i++)
    marked = marked || j->blank[i];
  if (!j->need_yes && !marked && units < n)
    p->blanks_dropped = true; /* cells run together, some not printed */
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
    values_text(&b, first_v, first_known, n);
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
  if (!j->overflow && j->n_cand == 1 && p->n_unforced < MAX_UNFORCED_ROWS &&
      !cut_is_forced(j, ed, t, slots, n, vals, k)) {
    /* The one cut found is not forced: the row's arithmetic does not
     * confirm it, and the same digits also read as a row whose blank
     * cells the crawler dropped.  It stands as printed unless the text
     * shows elsewhere that it drops blank cells (gk__settle_unforced). */
    gk__unforced_row *u = &p->unforced[p->n_unforced++];
    for (size_t i = 0; i < n; i++)
      u->cells[i] = slots[i].cell;
    u->n = n;
    u->line = label_line ? label_line : line;
    u->path = t->layout == GK_LAYOUT_BLOCKS
                  ? t->key
                  : gk__row_path(p->r, t, slots[0].row);
    gk__buf b;
    gk__buf_init(&b, 2048);
    u->what = gk__arena_printf(&p->r->arena, "%s“%s”的数字连写为“%s”",
                               gk__table_part_name(t->id), label,
                               printed ? printed : "");
    gk__buf_puts(&b, "本行的算术关系不能确定拆分，可能的拆分有：");
    values_text(&b, j->cand[0], j->cand_known[0], n);
    for (size_t c = 1; c < j->n_cand && c < MAX_LISTED_CANDIDATES; c++) {
      gk__buf_puts(&b, "；或 ");
      values_text(&b, j->cand[c], j->cand_known[c], n);
    }
    if (j->overflow || j->n_cand > MAX_LISTED_CANDIDATES)
      gk__buf_puts(&b, "；等");
    gk__buf_puts(&b, "；这些单元格按空处理");
    gk__buf_oom_to(&b, &p->r->arena);
    u->msg = gk__arena_strdup(&p->r->arena, b.data ? b.data : "");
    gk__buf_free(&b);
    /* cut_is_forced() kept the cut itself in slot 0. */
    j->n_cand = 1;
    j->overflow = false;
  }
  if (!j->overflow && j->n_cand == 1) {
    store_split(p, slots, n, j->cand[0], j->cand_known[0], j->cand_src[0],
                line);
    note_split(p, tn, label, printed, j->cand[0], j->cand_known[0], n, line);
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
  pr->label = label;
  pr->printed = printed;
  pr->line = label_line ? label_line : line;
  for (size_t i = 0; i < n; i++)
    slots[i].cell->state = GK_CELL_NULL;
  return 2;
}

bool gk__split_cuts(gk__arena *a, const gk__cut_query *q, gk__cut_result *out) {
  if (q->n > MAX_SLOTS || q->k > MAX_SLOTS || q->drops > MAX_DROPS)
    return false;
  split_job *j = gk__arena_calloc(a, 1, sizeof *j);
  if (!j)
    return false;
  j->ed = q->ed;
  j->t = q->t;
  j->slots = q->slots;
  j->n = q->n;
  j->k = q->k;
  prune_init(j, a, q->prune);
  for (size_t i = 0; i < q->k; i++) {
    size_t len = strlen(q->tokens[i]);
    int32_t *d = gk__arena_alloc(a, (len + 1) * sizeof *d);
    if (!d)
      return false;
    for (size_t c = 0; c < len; c++)
      d[c] = (unsigned char)q->tokens[i][c];
    j->blank[i] = q->tokens[i][0] == '-';
    j->digits[i] = d;
    j->len[i] = j->blank[i] ? 0 : len;
    j->span[i] = len;
    j->atomic[i] = q->atomic[i];
  }
  j->cand = gk__arena_alloc(a, MAX_SPLIT_CANDIDATES * sizeof *j->cand);
  j->cand_known =
      gk__arena_alloc(a, MAX_SPLIT_CANDIDATES * sizeof *j->cand_known);
  j->cand_src = gk__arena_alloc(a, MAX_SPLIT_CANDIDATES * sizeof *j->cand_src);
  if (!j->cand || !j->cand_known || !j->cand_src)
    return false;
  j->use_identities = true;
  j->need_yes = q->need_yes;
  j->drop_unknown = q->drop_unknown;
  j->drops_left = q->drops;
  split_rec(j, 0, 0, 0);
  *out = (gk__cut_result){.n_cand = j->n_cand,
                          .cand = j->cand,
                          .cand_known = j->cand_known,
                          .overflow = j->overflow,
                          .steps = j->steps};
  return true;
}

/* One column identity (for one column) while settling pending rows: the
 * range of what the pending rows' candidates add to it. */
typedef struct column_check {
  /* over the searched rows from position d on: the least and most their
   * candidates add, and whether one of them leaves a cell blank */
  int64_t rest_lo[MAX_PENDING_ROWS + 1], rest_hi[MAX_PENDING_ROWS + 1];
  bool rest_blank[MAX_PENDING_ROWS + 1];
} column_check;

/* What candidate c of pending row i adds to check k, and whether it
 * leaves one of the check's cells blank (the check then holds, as an
 * undecidable identity does). */
typedef struct settle_term {
  int64_t add;
  bool blank;
} settle_term;

/* The search over the pending rows' candidates. */
typedef struct settle_job {
  table_notes *tn;
  column_check *checks;
  size_t n_checks;
  const settle_term *terms; /* [row][candidate][check] */
  /* The rows searched, in order: those that own a cell of some check.
   * The others do not change whether a combination holds. */
  size_t order[MAX_PENDING_ROWS];
  size_t n_order;
  bool involved[MAX_PENDING_ROWS];
  int64_t sum[MAX_SETTLE_CHECKS];
  int blanks[MAX_SETTLE_CHECKS];
  size_t idx[MAX_PENDING_ROWS];
  uint32_t used[MAX_PENDING_ROWS]; /* candidates in holding combinations */
  size_t holding;
} settle_job;

static const settle_term *settle_at(const settle_job *sj, size_t i, size_t c) {
  return sj->terms + (i * MAX_SPLIT_CANDIDATES + c) * sj->n_checks;
}

/* Whether check k can still hold once rows d.. are given candidates. */
static bool still_possible(const settle_job *sj, size_t k, size_t d) {
  const column_check *ck = &sj->checks[k];
  if (sj->blanks[k] > 0 || ck->rest_blank[d])
    return true;
  int64_t lo = sj->sum[k] + ck->rest_lo[d], hi = sj->sum[k] + ck->rest_hi[d];
  return lo <= 0 && hi >= 0;
}

/* Depth-first over the rows' candidates.  A branch is cut as soon as some
 * identity can no longer hold whatever the rows still open add (their
 * least and most), so the search visits the combinations that hold and
 * few others, not the whole product; the combinations it reaches at the
 * bottom are exactly those in which every identity holds. */
static void settle_rec(settle_job *sj, size_t d) {
  table_notes *tn = sj->tn;
  if (d == sj->n_order) {
    sj->holding++;
    for (size_t o = 0; o < sj->n_order; o++)
      sj->used[sj->order[o]] |= 1u << sj->idx[o];
    return;
  }
  size_t row = sj->order[d];
  for (size_t c = 0; c < tn->pending[row].n_cand; c++) {
    const settle_term *st = settle_at(sj, row, c);
    bool ok = true;
    for (size_t k = 0; k < sj->n_checks; k++) {
      sj->sum[k] += st[k].add;
      sj->blanks[k] += st[k].blank;
    }
    for (size_t k = 0; k < sj->n_checks && ok; k++)
      ok = still_possible(sj, k, d + 1);
    if (ok) {
      sj->idx[d] = c;
      settle_rec(sj, d + 1);
    }
    for (size_t k = 0; k < sj->n_checks; k++) {
      sj->sum[k] -= st[k].add;
      sj->blanks[k] -= st[k].blank;
    }
  }
}

/*
 * The settling reads the column identities through gk__identity_eval()
 * (format/identity.c), the one place that knows how an identity's terms
 * are laid out and summed.  An identity at one column is linear in its
 * cells, so what it says about a combination of the pending rows'
 * candidates is the sum of parts evaluated apart: the fixed cells alone
 * (the pending rows' cells read as 0), and each candidate of each pending
 * row alone (every other cell read as 0); the search adds those parts.
 */
typedef struct settle_read {
  const gk__tabledef *def;
  const gk__table *t;
  const table_notes *tn;
  /* [row * max_cols + col]: 1 + the pending row that owns the cell (0: a
   * fixed cell), and its slot there. */
  const uint8_t *owner;
  const uint8_t *owner_slot;
  int row_i;   /* the pending row whose candidate is read; -1: fixed cells */
  size_t cand; /* ... and which candidate */
  uint32_t touched; /* pending rows owning a term (fixed pass) */
} settle_read;

/* A term of a column identity (gk__term_fn): a cell of the table, read as
 * the pass reads it.  False when the identity cannot be decided there: a
 * row or column the table does not have, a fixed cell without an integer,
 * or a blank cell in the candidate read. */
static bool settle_term_value(void *ctx, int side, int row, int col,
                              int64_t *value) {
  settle_read *sr = ctx;
  (void)side;
  if (row < 0 || row >= sr->def->n_rows || col < 0 ||
      col >= sr->def->rows[row].n_cols)
    return false;
  size_t at = (size_t)row * sr->def->max_cols + (size_t)col;
  int owner = (int)sr->owner[at] - 1;
  *value = 0;
  if (sr->row_i < 0) {
    if (owner >= 0) {
      sr->touched |= 1u << owner;
      return true;
    }
    const gk__cell *cell = gk__table_cell(sr->t, row, col);
    if (cell->state != GK_CELL_VALUE || cell->scale)
      return false;
    *value = cell->value;
    return true;
  }
  if (owner != sr->row_i)
    return true;
  const pending_row *pr = &sr->tn->pending[owner];
  size_t q = sr->owner_slot[at];
  if (!pr->cand_known[sr->cand][q])
    return false;
  *value = pr->cand[sr->cand][q];
  return true;
}

/* Builds the checks of the table's column identities into sj.  Returns
 * false when one of them fails whatever the pending rows hold (its cells
 * are all fixed and it does not add up): then no combination holds. */
static bool settle_prepare(gk__parse *p, const gk__edition_def *ed,
                           const gk__tabledef *def, gk__table *t,
                           settle_job *sj) {
  table_notes *tn = sj->tn;
  size_t m = tn->n_pending;
  size_t n_cells = (size_t)def->n_rows * def->max_cols;
  uint8_t *owner = gk__arena_calloc(&p->r->arena, n_cells ? n_cells : 1, 2);
  if (!owner)
    return false;
  for (size_t i = 0; i < m; i++)
    for (size_t q = 0; q < tn->pending[i].n; q++) {
      size_t at = (size_t)(tn->pending[i].slots[q].cell - t->cells);
      if (at < n_cells) {
        owner[at] = (uint8_t)(i + 1);
        owner[n_cells + at] = (uint8_t)q;
      }
    }
  settle_read sr = {.def = def,
                    .t = t,
                    .tn = tn,
                    .owner = owner,
                    .owner_slot = owner + n_cells};
  const gk__identity *ids[MAX_SETTLE_CHECKS];
  int cols[MAX_SETTLE_CHECKS];
  int64_t fixed[MAX_SETTLE_CHECKS];
  uint32_t touched[MAX_SETTLE_CHECKS];
  size_t n = 0;
  for (size_t x = 0; x < ed->n_identities; x++) {
    const gk__identity *id = &ed->identities[x];
    if (id->table != def->id || id->axis != GK_AXIS_ROWS)
      continue;
    for (int col = 0; col < def->max_cols; col++) {
      if (!(id->mask & (1u << col)))
        continue;
      int64_t lhs, rhs;
      sr.row_i = -1;
      sr.touched = 0;
      if (gk__identity_eval(id, col, settle_term_value, &sr, &lhs, &rhs) ==
          GK_ID_UNDECIDED)
        continue; /* undecidable whatever the pending rows hold */
      if (!sr.touched) {
        if (lhs != rhs)
          return false;
        continue;
      }
      if (n == MAX_SETTLE_CHECKS)
        return false;
      ids[n] = id;
      cols[n] = col;
      touched[n] = sr.touched;
      fixed[n++] = lhs - rhs;
    }
  }
  sj->n_checks = n;
  settle_term *terms = gk__arena_calloc(
      &p->r->arena, m * MAX_SPLIT_CANDIDATES * n, sizeof *terms);
  column_check *checks =
      gk__arena_calloc(&p->r->arena, n ? n : 1, sizeof *checks);
  if (!terms || !checks)
    return false;
  sj->terms = terms;
  sj->checks = checks;
  /* What each candidate of each pending row adds to each check. */
  for (size_t k = 0; k < n; k++) {
    sj->sum[k] = fixed[k];
    for (size_t i = 0; i < m; i++) {
      if (!(touched[k] & (1u << i)))
        continue;
      sj->involved[i] = true;
      sr.row_i = (int)i;
      for (size_t c = 0; c < tn->pending[i].n_cand; c++) {
        settle_term *st = &terms[(i * MAX_SPLIT_CANDIDATES + c) * n + k];
        int64_t lhs, rhs;
        sr.cand = c;
        if (gk__identity_eval(ids[k], cols[k], settle_term_value, &sr, &lhs,
                              &rhs) == GK_ID_UNDECIDED)
          st->blank = true; /* the check then holds, as undecidable */
        else
          st->add = lhs - rhs;
      }
    }
  }
  sj->n_order = 0;
  for (size_t i = 0; i < m; i++)
    if (sj->involved[i])
      sj->order[sj->n_order++] = i;
  for (size_t k = 0; k < n; k++) {
    column_check *ck = &checks[k];
    for (size_t o = sj->n_order; o-- > 0;) {
      size_t i = sj->order[o];
      int64_t lo = 0, hi = 0;
      bool blank = false;
      for (size_t c = 0; c < tn->pending[i].n_cand; c++) {
        const settle_term *st = settle_at(sj, i, c);
        if (c == 0 || st[k].add < lo)
          lo = st[k].add;
        if (c == 0 || st[k].add > hi)
          hi = st[k].add;
        blank |= st[k].blank;
      }
      ck->rest_lo[o] = ck->rest_lo[o + 1] + lo;
      ck->rest_hi[o] = ck->rest_hi[o + 1] + hi;
      ck->rest_blank[o] = ck->rest_blank[o + 1] || blank;
    }
  }
  return true;
}

/* Settles the pending rows of a table with its column identities: every
 * combination of their candidates is tried; a row whose candidate is the
 * same in every combination that holds is split that way; the others
 * stay null with cell.ambiguous. */
void gk__resolve_pending(gk__parse *p, const gk__edition_def *ed,
                         const gk__tabledef *def, gk__table *t,
                         table_notes *tn) {
  if (tn->n_pending == 0)
    return;
  size_t m = tn->n_pending;
  double combos = 1;
  for (size_t i = 0; i < m; i++)
    combos *= tn->pending[i].overflow ? 1e9 : (double)tn->pending[i].n_cand;
  settle_job sj = {.tn = tn};
  if (combos <= MAX_SPLIT_COMBINATIONS && settle_prepare(p, ed, def, t, &sj)) {
    settle_rec(&sj, 0);
    /* A row no check reaches takes any of its candidates in every
     * combination that holds. */
    for (size_t i = 0; i < m && sj.holding; i++)
      if (!sj.involved[i])
        sj.used[i] = tn->pending[i].n_cand == 32
                         ? UINT32_MAX
                         : (1u << tn->pending[i].n_cand) - 1;
  }
  size_t holding = sj.holding;
  const uint32_t *used = sj.used;
  for (size_t i = 0; i < m; i++) {
    pending_row *pr = &tn->pending[i];
    bool unique = holding > 0 && (used[i] & (used[i] - 1)) == 0;
    if (unique) {
      size_t c = 0;
      while (!(used[i] & (1u << c)))
        c++;
      store_split(p, pr->slots, pr->n, pr->cand[c], pr->cand_known[c],
                  pr->cand_src[c], pr->line);
      note_split(p, tn, pr->label, pr->printed, pr->cand[c], pr->cand_known[c],
                 pr->n, pr->line);
      continue;
    }
    for (size_t q = 0; q < pr->n; q++)
      pr->slots[q].cell->state = GK_CELL_NULL;
    gk__buf b;
    gk__buf_init(&b, 1024);
    size_t shown = 0;
    for (size_t c = 0; c < pr->n_cand && shown < 3; c++) {
      if (holding && !(used[i] & (1u << c)))
        continue;
      gk__buf_puts(&b, shown ? "；" : "");
      values_text(&b, pr->cand[c], pr->cand_known[c], pr->n);
      shown++;
    }
    size_t total = pr->overflow ? 0 : pr->n_cand;
    if (holding) {
      total = 0;
      for (size_t c = 0; c < pr->n_cand; c++)
        total += (used[i] >> c) & 1u;
    }
    gk__buf_oom_to(&b, &p->r->arena);
    int row = pr->slots[0].row;
    char *path = def->layout == GK_LAYOUT_BLOCKS ? (char *)def->key
                                                 : gk__row_path(p->r, def, row);
    if (total)
      gk__diag_rule(p->r, GK_R_CELL_AMBIGUOUS, pr->line, path,
                    "%s“%s”的数字连写为“%s”，有 %zu 种拆分，表格的算术关系"
                    "无法区分（%s%s），这些单元格按空处理",
                    gk__table_part_name(def->id), pr->label, pr->printed, total,
                    b.data ? b.data : "", total > shown ? "等" : "");
    else
      gk__diag_rule(p->r, GK_R_CELL_AMBIGUOUS, pr->line, path,
                    "%s“%s”的数字连写为“%s”，可能的拆分过多，无法确定，"
                    "这些单元格按空处理",
                    gk__table_part_name(def->id), pr->label, pr->printed);
    gk__buf_free(&b);
  }
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

/*
 * The rows whose cut was not forced: the same digits also read as a row
 * whose blank cells the crawler dropped.  Which one the text is, only the
 * rest of the text can say.  The rows stand as printed (the arith.*
 * checks report a break) only when it shows that it prints every cell and
 * no row is too short for its cells: it marks blank cells ("—", "/"), or
 * every row of several counts prints exactly one character per cell and
 * no row is empty (corpus report 045: thirty rows of seven digits for
 * seven cells, which a text that drops blank cells would print only by
 * chance).  Zeros are no such sign: a table may hold 0 in some cells and
 * leave others blank.  Otherwise the cut is one of several: no cell of the
 * row is read, and cell.ambiguous lists the cuts.
 */
void gk__settle_unforced(gk__parse *p) {
  if (!p->blanks_dropped && (p->blanks_marked || !p->cells_not_one))
    return;
  const char *why =
      p->blanks_dropped
          ? "本文有的行数字少于单元格且未标出空白，空白单元格被略去"
          : "本文未标出空白单元格，且并非每行每格一位数字，"
            "不能排除空白单元格被略去";
  for (size_t i = 0; i < p->n_unforced; i++) {
    const gk__unforced_row *u = &p->unforced[i];
    for (size_t c = 0; c < u->n; c++) {
      u->cells[c]->state = GK_CELL_NULL;
      u->cells[c]->value = 0;
    }
    gk__diag_add(p->r, "cell.ambiguous", GK_SEV_WARNING, u->line, u->path,
                 "%s，%s；%s", u->what ? u->what : "", why,
                 u->msg ? u->msg : "");
  }
}
