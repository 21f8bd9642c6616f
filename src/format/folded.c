/*
 * folded.c - the format's own strings folded once per process.
 *
 * The parser's written pass (parse/written.c) and the structure rules
 * (checks/rules_structure.c) compare every found row and column label
 * with the standard label and its variants, folded (base/fold.h); the
 * meta pass folds the 2019 edition markers.  Those strings are the same
 * for every report, so folding them per report spent as much as the
 * comparison itself.  Here they are folded on first use into one table
 * kept for the life of the process (static data in another form, like
 * the prose vocabulary in parse/prose.c), and gk__format_fold() answers
 * from it; any other string is folded into the caller's buffer as
 * gk__fold() would.  tests/unit (unit_base, format_fold_table) requires
 * the table to give gk__fold()'s bytes for every string it holds.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../base/fold.h"
#include "format.h"

/* One string of the format and its folded form. */
typedef struct fold_entry {
  const char *text;
  const char *folded;
  size_t len; /* of folded */
} fold_entry;

/* Found by the address of text in an open-addressed table of 2^bits
 * slots (linear probing, at most a quarter full), so a lookup is a few
 * instructions. */
typedef struct fold_table {
  fold_entry *slot; /* text NULL: empty */
  unsigned bits;
  char *bytes; /* every folded form, NUL-terminated, one after another */
} fold_table;

static size_t slot_of(const char *s, unsigned bits) {
  return (size_t)(((uint64_t)(uintptr_t)s * UINT64_C(0x9E3779B97F4A7C15)) >>
                  (64 - bits));
}

static fold_table shared_table;
static _Atomic(const fold_table *) shared_ready;
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;

/* The strings the table holds: every edition's row and column labels
 * with their variants, and the edition markers.  With e NULL, only
 * counts them. */
static size_t add(fold_entry *e, size_t n, const char *s) {
  if (e)
    e[n].text = s;
  return n + 1;
}

static size_t add_label(fold_entry *e, size_t n, const gk__label *l) {
  n = add(e, n, l->text);
  for (int v = 0; l->variants && l->variants[v]; v++)
    n = add(e, n, l->variants[v]);
  return n;
}

static size_t collect(fold_entry *e) {
  static const gk__edition_def *const editions[] = {&gk__edition_2021,
                                                    &gk__edition_2019};
  size_t n = 0;
  for (int p = 0; p < 6; p++)
    n = add(e, n, gk__parts[p].heading);
  for (size_t k = 0; k < sizeof editions / sizeof editions[0]; k++) {
    const gk__edition_def *ed = editions[k];
    for (int t = 0; t < GK_N_TABLES; t++) {
      const gk__tabledef *def = ed->tables[t];
      for (int i = 0; i < def->n_rows; i++)
        n = add_label(e, n, &def->rows[i].label);
      for (int c = 0; c < def->n_header_cols; c++)
        n = add_label(e, n, &def->header_cols[c].label);
      for (int f = 0; f < def->n_furniture; f++)
        n = add_label(e, n, &def->furniture[f]);
    }
    for (int m = 0; ed->markers && ed->markers[m]; m++)
      n = add(e, n, ed->markers[m]);
  }
  return n;
}

static bool table_build(fold_table *t) {
  size_t n = collect(NULL), bytes = 0;
  fold_entry *e = malloc(n * sizeof *e);
  unsigned bits = 4;
  while (((size_t)1 << bits) < 4 * n)
    bits++;
  fold_entry *slot = calloc((size_t)1 << bits, sizeof *slot);
  if (!e || !slot)
    goto fail;
  collect(e);
  /* Room for any of them whole: the longest label is about 40
   * characters. */
  char buf[GK_FOLD_LINE_MAX];
  for (size_t i = 0; i < n; i++)
    bytes += gk__fold(e[i].text, buf, sizeof buf) + 1;
  char *out = malloc(bytes);
  if (!out)
    goto fail;
  size_t at = 0, mask = ((size_t)1 << bits) - 1;
  for (size_t i = 0; i < n; i++) {
    /* A string in two tables (table 4 is both editions') once. */
    size_t k = slot_of(e[i].text, bits);
    while (slot[k].text && slot[k].text != e[i].text)
      k = (k + 1) & mask;
    if (slot[k].text)
      continue;
    size_t len = gk__fold(e[i].text, buf, sizeof buf);
    memcpy(out + at, buf, len + 1);
    slot[k] = (fold_entry){e[i].text, out + at, len};
    at += len + 1;
  }
  free(e);
  t->slot = slot;
  t->bits = bits;
  t->bytes = out;
  return true;
fail:
  free(e);
  free(slot);
  return false;
}

/* The table, built on first use; NULL when memory ran out (the next call
 * tries again: a failed build is never remembered). */
static const fold_table *table_get(void) {
  const fold_table *t =
      atomic_load_explicit(&shared_ready, memory_order_acquire);
  if (t)
    return t;
  pthread_mutex_lock(&shared_lock);
  t = atomic_load_explicit(&shared_ready, memory_order_relaxed);
  if (!t && table_build(&shared_table)) {
    t = &shared_table;
    atomic_store_explicit(&shared_ready, t, memory_order_release);
  }
  pthread_mutex_unlock(&shared_lock);
  return t;
}

/* The entry of s, or NULL. */
static const fold_entry *entry_of(const char *s) {
  const fold_table *t = s ? table_get() : NULL;
  if (!t)
    return NULL;
  size_t mask = ((size_t)1 << t->bits) - 1;
  for (size_t k = slot_of(s, t->bits);; k = (k + 1) & mask) {
    if (t->slot[k].text == s)
      return &t->slot[k];
    if (!t->slot[k].text)
      return NULL;
  }
}

const char *gk__format_folded(const char *s) {
  const fold_entry *e = entry_of(s);
  return e ? e->folded : NULL;
}

const char *gk__format_fold(const char *s, char *buf, size_t cap) {
  const fold_entry *e = entry_of(s);
  /* What gk__fold() writes into cap bytes: the whole folded form when
   * it fits. */
  if (e && e->len < cap)
    return e->folded;
  gk__fold(s, buf, cap);
  return buf;
}
