/*
 * patterns.c - the format's labels folded once per process (see parse.h).
 *
 * The parser matches every row label, anchor, variant, furniture text,
 * column header, part keyword, blank marker and agency suffix against
 * every report.  Folding them is the same work each time, so it is done
 * once, on first use, for every string of the format data; afterwards a
 * label's pattern is found by the address of its string.  The table is
 * never changed after it is built and is shared by all threads.  When
 * memory runs out while it is built, every pattern is folded on use (the
 * same answer, more slowly) and the next call tries to build it again: a
 * failure is never kept for the life of the process.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "parse.h"

/* Slots of the address table: a power of two, at least twice the number
 * of strings in the format data (fewer than 1,000 string literals in
 * format.c today); strings past half of it are folded on each use. */
#define PATTERN_SLOTS 4096

typedef struct entry {
  const char *key;
  const gk__pattern *pattern;
} entry;

static entry *slots;
static gk__pattern *patterns;
static size_t n_patterns, cap_patterns;
/* Set (release) once slots and patterns are complete; read (acquire)
 * without the lock on every call. */
static atomic_bool built;
static pthread_mutex_t build_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t slot_of(const char *key) {
  uintptr_t h = (uintptr_t)key;
  h ^= h >> 17;
  h *= (uintptr_t)0x9E3779B97F4A7C15u;
  return (size_t)(h >> 7) & (PATTERN_SLOTS - 1);
}

/* Adds a string; counts only while patterns is NULL (the sizing pass). */
static void add(const char *key) {
  if (!key)
    return;
  if (!patterns) {
    cap_patterns++;
    return;
  }
  size_t i = slot_of(key);
  while (slots[i].key && slots[i].key != key)
    i = (i + 1) & (PATTERN_SLOTS - 1);
  if (slots[i].key || n_patterns == cap_patterns ||
      n_patterns * 2 >= PATTERN_SLOTS)
    return;
  gk__pattern *p = &patterns[n_patterns++];
  gk__pattern_make(p, key);
  slots[i].key = key;
  slots[i].pattern = p;
}

static void add_list(const char *const *list) {
  for (size_t k = 0; list && list[k]; k++)
    add(list[k]);
}

static void add_label(const gk__label *l) {
  add(l->text);
  add(l->anchor);
  add_list(l->variants);
}

static void walk(void) {
  static const gk_edition editions[] = {GK_EDITION_2021, GK_EDITION_2019};
  for (size_t e = 0; e < sizeof editions / sizeof editions[0]; e++) {
    const gk__edition_def *ed = gk__edition_get(editions[e]);
    for (int ti = 0; ed && ti < GK_N_TABLES; ti++) {
      const gk__tabledef *t = ed->tables[ti];
      for (int r = 0; r < t->n_rows; r++) {
        add_label(&t->rows[r].label);
        for (int c = 0; c < t->rows[r].n_cols; c++)
          add_label(&t->rows[r].cols[c].label);
      }
      for (int f = 0; f < t->n_furniture; f++)
        add_label(&t->furniture[f]);
      for (int c = 0; c < t->n_header_cols; c++)
        add_label(&t->header_cols[c].label);
    }
  }
  for (int k = 0; k < 6; k++) {
    add(gk__parts[k].heading);
    add_list(gk__parts[k].keywords);
  }
  add_list(gk__blank_markers);
  for (size_t k = 0; gk__number_signs[k].text; k++)
    add(gk__number_signs[k].text);
  add_list(gk__number_group_marks);
  add_list(gk__number_not_after);
  add_list(gk__agency_suffixes);
}

static void build(void) {
  n_patterns = cap_patterns = 0;
  walk(); /* sizing */
  slots = calloc(PATTERN_SLOTS, sizeof *slots);
  patterns = malloc((cap_patterns ? cap_patterns : 1) * sizeof *patterns);
  if (!slots || !patterns) {
    free(slots);
    free(patterns);
    slots = NULL;
    patterns = NULL;
    return;
  }
  walk();
  atomic_store_explicit(&built, true, memory_order_release);
}

const gk__pattern *gk__pattern_of(const char *utf8, gk__pattern *scratch) {
  if (!atomic_load_explicit(&built, memory_order_acquire)) {
    pthread_mutex_lock(&build_lock);
    if (!atomic_load_explicit(&built, memory_order_relaxed))
      build();
    pthread_mutex_unlock(&build_lock);
  }
  if (atomic_load_explicit(&built, memory_order_acquire)) {
    size_t i = slot_of(utf8);
    /* built is set (release) only after slots and patterns were allocated
     * and filled: a failed build() leaves it false. */
    // NOLINTNEXTLINE(clang-analyzer-core.NullDereference)
    while (slots[i].key) {
      if (slots[i].key == utf8)
        return slots[i].pattern;
      i = (i + 1) & (PATTERN_SLOTS - 1);
    }
  }
  gk__pattern_make(scratch, utf8);
  return scratch;
}
