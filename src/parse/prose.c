/*
 * prose.c - the prose pass: numbers and statements read from the parts'
 * text (see facts.h and prose.h).
 *
 * Where it sits: the parser's last pass (gk__parse_report() ->
 * gk__parse_prose()), the way cmark runs its inline pass after the block
 * pass, over the parts' text the parser made (tables and signature left
 * out); the model reader runs it too.  It keeps what it found in the
 * model (r->facts), and the text rules compare that with the tables.
 *
 * How it reads a part:
 *
 * 1. Fold.  Every character is folded as labels are (gk__fold_cp: NFKC,
 *    so "，" is "," and "１２" is "12"); white space is dropped and line
 *    breaks become one paragraph mark.  Each folded character remembers
 *    where in the part's text the character it comes from starts.
 *
 * 2. Tokens.  At each position, in this order:
 *    - a word of the prose vocabulary (format.h gk__prose_words), the
 *      longest that matches;
 *    - a number: ASCII digits (with "1,234" thousands groups), or Chinese
 *      numerals (一 二 两 … 十 百 千 万, "二十三", "一百零五").  A Chinese
 *      numeral right after a character it forms a word with (统一, 唯一,
 *      逐一 …) is no number.  What follows the number decides what it is:
 *        COUNT  a unit from gk__count_units (件 条 次 个 宗 份 项 起),
 *               not a longer word (个月, 个工作日, 条例, 项目 …), and not
 *               after 第 (第二十条 is an article);
 *        YEAR   four ASCII digits 1990..2100 and 年;
 *        MONEY  元 or 万元 (decimals allowed; kept in 分);
 *        other  anything else: dates (12月31日), percentages, "1." and
 *               "（一）" enumerators, decimals — none of them a count;
 *      a count is approximate when 约, 近, 超过 … stands before it or 余,
 *      多, 以上, 左右 after the number or the unit ("50余次"), and is
 *      marked ETC when 等 follows its unit;
 *    - a boundary: clause (, ; :), sentence (。 ! ?), paragraph.
 *
 * 3. Counts.  A count belongs to the trigger word before it in its clause
 *    (after the clause's previous count): "予以公开6件、部分公开2件" gives
 *    予以公开 6, and 部分公开 (a word of kind OTHER) keeps 2 from it; so do
 *    the results of an appeal (纠正, 败诉: kind OUTCOME).  办理 and 答复
 *    within LOOSE_JOIN_CHARS after another trigger word are part of it
 *    ("同意公开答复9件" is 同意公开 9); 答复 alone counts nothing (当场答复
 *    is a kind of reply).
 *    With 均 or 各 between the words and the number ("行政复议和行政诉讼
 *    均为0件") the number belongs to every word.  A count with no word
 *    before it takes the first word after it in its clause ("1件行政复议"),
 *    or, when its clause has no word at all, the first word of the next
 *    clause of the sentence if that clause has no count of its own ("另有
 *    1件因需征求第三方意见，结转至2025年继续办理").  A count is dropped
 *    when its clause speaks of a change (同比, 较上年, 增加 …) or when a
 *    year other than the report's stands before it in its sentence
 *    ("2023年收到申请5件"; "2019年以来" is no other year).
 *    Then, by the word's kind:
 *      applications (收到 新收 办结 办理 予以公开 上年结转 结转): the
 *        paragraph must speak of 申请 up to the count (or the clause at
 *        all); not when the clause speaks of 建议, 提案, 信访 … (other
 *        business) or of 行政复议/行政诉讼;
 *      appeals (行政复议 行政诉讼): the sentence or an earlier one of the
 *        paragraph must speak of 公开, or the count stand in part 四 (a
 *        司法局 handles 行政复议 of its own);
 *      规范性文件 made or repealed (制发 制定 出台 印发 / 废止 作废): the
 *        clause names 规范性文件 and not 规章, or an earlier clause of
 *        the sentence does and this one holds at most SHORT_CLAUSE_CHARS
 *        other characters ("全年制发行政规范性文件2件，废止1件");
 *      主动公开: kept as it is.
 *
 * 4. None.  A clause with 未收到, 未发生, 无因 … (GK_PW_NONE) that names
 *    行政复议 or 行政诉讼 says there was none of those (in a disclosure
 *    context, as for counts; not when it speaks of a result: "未发生…被
 *    行政复议纠错" is no statement that there was no case); else, when 申请
 *    follows the word within NONE_TOPIC_WINDOW characters (not 申请人),
 *    that there were no applications.  "无依申请", "无行政复议" … carry
 *    their topic.
 *
 * 5. The fee.  A clause naming 信息处理费 (or 处理费; or, after an
 *    earlier clause of its sentence did, denying or collecting) says: none
 *    was collected (未收取, 无依据, 免收, 未发生 …, or an amount of 0
 *    元), an amount was collected (N 元), something was collected (收取),
 *    or it only mentions the fee.  "未收取任何费用" counts as none.
 *
 * 6. Breakdowns.  "其中" after a count, with at most one clause boundary
 *    between them, makes that count a total; its parts are the counts
 *    after 其中 up to the end of the sentence or the next 其中.  A part
 *    with another unit, or in a clause speaking of a change, marks the
 *    list mixed; a clause among the parts without a count marks it with
 *    gaps (it names things it does not count); 其中包括 or a part followed
 *    by 等 marks it as a selection.  Whether the parts reach the total is
 *    recorded as the running sum goes, so that "办结12件，其中予以公开6件
 *    ……不予处理1件；另有1件……结转" is consistent.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "prose.h"

/* The longest part text read: 1 M characters.  Real parts are a few
 * thousand; the cap bounds the scanner's temporaries (a few dozen bytes a
 * character at most) on adversarial input.  The rest of a longer part is
 * not read. */
#define MAX_PART_CHARS ((size_t)1 << 20)

/* A count has at most 9 digits: larger numbers are identifiers (文号,
 * phone numbers), not counts. */
#define MAX_COUNT_DIGITS 9
/* A Chinese numeral is at most 8 characters (九千九百九十九万). */
#define MAX_CN_NUMERAL 8
/* 未收到 … 申请: at most this many characters between. */
#define NONE_TOPIC_WINDOW 16
/* A clause that inherits 规范性文件 from an earlier one: at most this many
 * characters besides its trigger words ("宣布废止1件"). */
#define SHORT_CLAUSE_CHARS 3
/* 办理 or 答复 at most this many characters after another trigger word
 * belongs to it. */
#define LOOSE_JOIN_CHARS 4
/* Facts and breakdowns kept per report.  A real report states a few dozen;
 * the caps keep the rules (which compare facts pairwise) and the number
 * of findings bounded on adversarial input.  Later ones are dropped. */
#define MAX_FACTS 4096
#define MAX_BREAKDOWNS 1024

/* ------------------------------------------------------------ folding */

typedef struct fch {
  int32_t cp;   /* folded */
  uint32_t off; /* where the character it comes from starts in the text */
} fch;

/* Where the character at byte off of the text (len bytes) ends. */
static size_t char_end(const char *text, size_t len, size_t off) {
  int32_t cp;
  return off < len ? off + gk__utf8_next(text + off, len - off, &cp) : off;
}

static bool is_digit(int32_t cp) { return cp >= '0' && cp <= '9'; }

static bool is_ascii_alpha(int32_t cp) {
  return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

/* The characters a Chinese numeral can start with: every code point
 * cn_digit() below knows, and 十 (read_number() reads "十二" but no
 * numeral starting with 百, 千 or 万). */
static const int32_t cn_numeral_starts[] = {
    0x3007, 0x96F6, 0x4E00, 0x4E8C, 0x4E24, 0x4E09, 0x56DB,
    0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341};

/* The folded first code point of a UTF-8 word. */
static int32_t first_cp(const char *w) {
  int32_t cp, f[4];
  gk__utf8_decode(w, strlen(w), &cp);
  return gk__fold_cp_fast(cp, f) ? f[0] : cp;
}

/*
 * The vocabulary, folded once per process instead of at every position a
 * word is tried: every word of every list the scanner matches, as folded
 * code points back to back.  The words are also filed by their beginning
 * (word_index): a position is compared only with the few words that
 * start with its characters.  A word matches where the text's folded
 * characters equal its own, all of them.
 */
enum {
  WL_PROSE = 0,     /* gk__prose_words, in their order */
  WL_UNITS,         /* gk__count_units */
  WL_UNIT_NOT,      /* gk__count_unit_not */
  WL_NOT_BEFORE,    /* gk__count_not_before */
  WL_CN_NOT_BEFORE, /* gk__cn_numeral_not_before */
  WL_APPROX_BEFORE, /* gk__approx_before */
  WL_APPROX_AFTER,  /* gk__approx_after */
  WL_PARTIAL,       /* gk__breakdown_partial */
  WL_SINCE,         /* gk__year_since */
  WL_MONEY,         /* gk__money_units */
  WL_COUNT
};

static const char *const *const small_lists[WL_COUNT] = {
    NULL,
    gk__count_units,
    gk__count_unit_not,
    gk__count_not_before,
    gk__cn_numeral_not_before,
    gk__approx_before,
    gk__approx_after,
    gk__breakdown_partial,
    gk__year_since,
    gk__money_units};

/* What a character of the Basic Multilingual Plane is to the scanner
 * (vocab.cls): a token can start at it alone (START_SINGLE: a boundary
 * (END_), a digit or a numeral (START_NUMBER), a one-character word
 * (START_WORD)), or with the next one (the first character of a longer
 * word: START_PAIR); and fold_run() folds it (FOLD_PLAIN).  The flags
 * are exact: the tokenizer tries at a place only what they say.  A
 * character beyond the plane may start a word (char_flags()). */
enum {
  START_SINGLE = 1,
  START_PAIR = 2,
  FOLD_PLAIN = 4,
  START_WORD = 8,
  START_NUMBER = 16,
  END_CLAUSE = 32,
  END_SENTENCE = 64,
  END_PARAGRAPH = 128
};
/* Cells of the filter of two-character beginnings: with a few hundred
 * words, a character pair of the text rarely hits one by chance.  A byte
 * each rather than a bit: one load and no shift in the filter's loop. */
#define PAIR_CELLS 4096

/*
 * The words by what a match starts from, so that a place is compared
 * with the few words that can match there: a key is a code point and
 * what comes with it, and names its words, longest first, and in their
 * order among words of one length (the first listed wins a tie).  The
 * prose words are filed by their first two folded characters, or by
 * their one (and KEY_SINGLE); the words of the other lists by their
 * first character (KEY_FIRST) and, those of four or fewer, by their last
 * (KEY_LAST); the units by the first_cp() of each (KEY_UNIT).
 */
enum { KEY_SINGLE = -1, KEY_UNIT = -3 };
#define KEY_FIRST(l) (-16 - (int32_t)(l))
#define KEY_LAST(l) (-32 - (int32_t)(l))

/* A slot of an index: its key, and its words, words[lo, hi).  `third`
 * has a bit (cp mod 64) for the third character of each, all of them
 * when one has none: most places where a pair of the prose index stands
 * ("信息", "公开", "行政") start none of its words, and the character after
 * the pair tells at once. */
typedef struct index_slot {
  int32_t a, b; /* a = -1: an empty slot */
  uint32_t lo, hi;
  uint64_t third;
} index_slot;

/* A word as an index files it: its index in the vocabulary, and its
 * folded characters, vocab.cp[start, start + len). */
typedef struct index_word {
  uint32_t w, start, len;
} index_word;

/* Open addressing, linear probing; at most half full, so that a probe
 * soon meets an empty slot. */
typedef struct word_index {
  index_slot *slot; /* mask + 1 slots */
  uint32_t mask;
  index_word *words;
} word_index;

typedef struct vocab {
  size_t list[WL_COUNT + 1]; /* list L is words list[L] .. list[L + 1] */
  int32_t *first;            /* per word: first_cp() of its text */
  int32_t *cp;               /* every word folded: word w is */
  uint32_t *start;           /* cp[start[w], start[w + 1]) */
  /* The prose words by their beginning, and the other lists' words (the
   * places of the prose are looked up far more often: they have an
   * index of their own, smaller). */
  word_index prose, lists;
  /* Where a token can start, for the tokenizer to skip the rest at once
   * (find the filter at put()): cls[] has the flags of each character,
   * pairs[] (PAIR_CELLS, by pair_cell()) START_PAIR for the first two
   * characters of the longer words.  One byte per character, not the
   * bit of a bucket: fold_run() reads the flag of the folding and of the
   * filter with one load, and the filter is exact for the first
   * character. */
  uint8_t cls[0x10000];
  uint8_t pairs[PAIR_CELLS];
  /* Per list, a bit (cp mod 64) for the first and for the last code point
   * of each of its words: a position no word can start or end at is
   * passed over without a lookup. */
  uint64_t first_bits[WL_COUNT], last_bits[WL_COUNT];
} vocab;

/* The flags of a folded character (but FOLD_PLAIN, which is of the
 * character folded from). */
static inline unsigned char_flags(const vocab *v, int32_t cp) {
  return (uint32_t)cp < 0x10000 ? v->cls[cp]
                                : START_SINGLE | START_PAIR | START_WORD;
}

/* The cell of pairs[] of two characters; also the slot of the index
 * where the probe for them starts (masked). */
static inline uint32_t pair_cell(int32_t a, int32_t b) {
  return ((uint32_t)a * 31u + (uint32_t)b) % PAIR_CELLS;
}

/* The slot of key (a, b) in x, or NULL. */
static inline const index_slot *index_find(const word_index *x, int32_t a,
                                           int32_t b) {
  for (uint32_t h = pair_cell(a, b) & x->mask;; h = (h + 1) & x->mask) {
    const index_slot *e = &x->slot[h];
    if (e->a == a && e->b == b)
      return e;
    if (e->a < 0)
      return NULL;
  }
}

static void index_free(word_index *x) {
  free(x->slot);
  free(x->words);
}

static void vocab_free(vocab *v) {
  free(v->first);
  free(v->cp);
  free(v->start);
  index_free(&v->prose);
  index_free(&v->lists);
}

/* A word as index_build() takes it: its key, then what it files. */
typedef struct index_key {
  int32_t a, b;
  index_word word;
} index_key;

/* By key, then longest first, then in the vocabulary's order. */
static int index_key_cmp(const void *x, const void *y) {
  const index_key *p = x, *q = y;
  if (p->a != q->a)
    return p->a < q->a ? -1 : 1;
  if (p->b != q->b)
    return p->b < q->b ? -1 : 1;
  if (p->word.len != q->word.len)
    return p->word.len > q->word.len ? -1 : 1;
  return p->word.w < q->word.w ? -1 : p->word.w > q->word.w;
}

/* Files the n words of keys (sorted here) in x; false when memory ran
 * out. */
static bool index_build(const vocab *v, word_index *x, index_key *keys,
                        size_t n) {
  size_t slots = 2;
  while (slots < 2 * n)
    slots *= 2;
  x->slot = malloc(slots * sizeof *x->slot);
  x->words = malloc((n + 1) * sizeof *x->words);
  if (!x->slot || !x->words)
    return false;
  x->mask = (uint32_t)(slots - 1);
  for (size_t h = 0; h < slots; h++)
    x->slot[h] = (index_slot){-1, -1, 0, 0, 0};
  qsort(keys, n, sizeof *keys, index_key_cmp);
  for (size_t q = 0; q < n;) {
    size_t r = q;
    uint64_t third = 0;
    for (; r < n && keys[r].a == keys[q].a && keys[r].b == keys[q].b; r++) {
      const index_word *w = &keys[r].word;
      x->words[r] = *w;
      third |= w->len > 2 ? (uint64_t)1 << ((uint32_t)v->cp[w->start + 2] % 64)
                          : ~(uint64_t)0;
    }
    uint32_t h = pair_cell(keys[q].a, keys[q].b) & x->mask;
    while (x->slot[h].a >= 0)
      h = (h + 1) & x->mask;
    x->slot[h] =
        (index_slot){keys[q].a, keys[q].b, (uint32_t)q, (uint32_t)r, third};
    q = r;
  }
  return true;
}

/* Builds v's indexes; false when memory ran out.  Only the words that
 * can match are filed: not an empty one, nor a prose word whose
 * first_cp() differs from its first folded character (a prose word
 * matches where the text's character is both). */
static bool index_words(vocab *v) {
  size_t n_words = v->list[WL_COUNT];
  index_key *keys = malloc((3 * n_words + 1) * sizeof *keys);
  if (!keys)
    return false;
  size_t n = 0;
  for (size_t k = v->list[WL_PROSE]; k < v->list[WL_PROSE + 1]; k++) {
    const int32_t *p = v->cp + v->start[k];
    uint32_t len = v->start[k + 1] - v->start[k];
    if (len > 0 && v->first[k] == p[0])
      keys[n++] = (index_key){
          p[0], len > 1 ? p[1] : KEY_SINGLE, {(uint32_t)k, v->start[k], len}};
  }
  bool ok = index_build(v, &v->prose, keys, n);
  n = 0;
  for (size_t l = WL_PROSE + 1; ok && l < WL_COUNT; l++) {
    for (size_t k = v->list[l]; k < v->list[l + 1]; k++) {
      const int32_t *p = v->cp + v->start[k];
      uint32_t len = v->start[k + 1] - v->start[k];
      index_word w = {(uint32_t)k, v->start[k], len};
      if (l == WL_UNITS) /* is_unit() asks for first_cp() only */
        keys[n++] = (index_key){v->first[k], KEY_UNIT, w};
      if (len > 0)
        keys[n++] = (index_key){p[0], KEY_FIRST(l), w};
      if (len > 0 && len <= 4)
        keys[n++] = (index_key){p[len - 1], KEY_LAST(l), w};
    }
  }
  ok = ok && index_build(v, &v->lists, keys, n);
  free(keys);
  return ok;
}

/* Decodes and folds the character at t (NUL-terminated, not at its end)
 * into f as gk__utf8_decode() and gk__fold_cp() would; returns the bytes
 * it takes and sets *cp (as written) and *m (code points in f).  ASCII
 * and ideographs, which fold to themselves, inline. */
static inline size_t fold_char(const char *t, int32_t *cp, int32_t f[4],
                               size_t *m) {
  const unsigned char *u = (const unsigned char *)t;
  unsigned b0 = u[0];
  *m = 1;
  if (b0 < 0x80) {
    f[0] = *cp = (int32_t)b0;
    return 1;
  }
  if (gk__cjk_at(u)) {
    f[0] = *cp = (int32_t)(((b0 & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) |
                           (u[2] & 0x3Fu));
    return 3;
  }
  /* The decoder reads four bytes at most, and not past the NUL. */
  size_t k = gk__utf8_decode(t, strnlen(t, 4), cp);
  *m = gk__fold_cp_fast(*cp, f);
  return k;
}

/* Sets v up for the vocabulary; false when memory ran out. */
static bool vocab_build(vocab *v) {
  memset(v, 0, sizeof *v);
  size_t n_words = 0;
  for (size_t l = 0; l < WL_COUNT; l++) {
    v->list[l] = n_words;
    if (l == WL_PROSE)
      while (gk__prose_words[n_words].text)
        n_words++;
    else
      while (small_lists[l][n_words - v->list[l]])
        n_words++;
  }
  v->list[WL_COUNT] = n_words;
  size_t room = 1024;
  v->first = malloc((n_words + 1) * sizeof *v->first);
  v->cp = malloc(room * sizeof *v->cp);
  v->start = malloc((n_words + 1) * sizeof *v->start);
  if (!v->first || !v->cp || !v->start) {
    vocab_free(v);
    return false;
  }
  int32_t *out = v->cp;
  size_t n = 0;
  for (size_t l = 0; l < WL_COUNT; l++) {
    for (size_t w = v->list[l]; w < v->list[l + 1]; w++) {
      const char *t = l == WL_PROSE ? gk__prose_words[w].text
                                    : small_lists[l][w - v->list[l]];
      const unsigned char *u = (const unsigned char *)t;
      v->start[w] = (uint32_t)n;
      for (size_t i = 0; u[i];) {
        /* A character folds to four code points at most. */
        if (gk__array_grow(&v->cp, &room, n + 4, sizeof *v->cp, SIZE_MAX) !=
            GK_OK) {
          vocab_free(v);
          return false;
        }
        out = v->cp;
        /* Nearly every word is ideographs, which fold to themselves. */
        if (gk__cjk_at(u + i)) {
          out[n++] = (int32_t)(((u[i] & 0x0Fu) << 12) |
                               ((u[i + 1] & 0x3Fu) << 6) | (u[i + 2] & 0x3Fu));
          i += 3;
          continue;
        }
        int32_t cp, f[4];
        size_t m;
        i += fold_char(t + i, &cp, f, &m);
        for (size_t q = 0; q < m; q++)
          out[n++] = f[q];
      }
      /* first_cp(): the first character folded, or as written when it
       * folds to nothing. */
      if (!u[0]) {
        v->first[w] = first_cp(t);
      } else if (gk__cjk_at(u)) {
        v->first[w] = out[v->start[w]];
      } else {
        int32_t cp0, f0[4];
        size_t m0;
        fold_char(t, &cp0, f0, &m0);
        v->first[w] = m0 ? f0[0] : cp0;
      }
    }
  }
  v->start[n_words] = (uint32_t)n;
  if (!index_words(v)) {
    vocab_free(v);
    return false;
  }
  /* The flags of the characters; those beyond the plane have them all
   * (char_flags()). */
  for (size_t k = v->list[WL_PROSE]; k < v->list[WL_PROSE + 1]; k++) {
    /* The word matches where the text has its folded characters. */
    const int32_t *p = v->cp + v->start[k];
    size_t len = v->start[k + 1] - v->start[k];
    if (len > 0 && (uint32_t)p[0] < 0x10000)
      v->cls[p[0]] |= len == 1 ? START_SINGLE | START_WORD : START_PAIR;
    if (len > 1)
      v->pairs[pair_cell(p[0], p[1])] = START_PAIR;
  }
  /* 公开 lets its place through the filter whatever the vocabulary: the
   * tokenizer notes the sentences that speak of it there. */
  v->cls[0x516C] |= START_PAIR;
  v->pairs[pair_cell(0x516C, 0x5F00)] = START_PAIR;
  for (size_t l = 0; l < WL_COUNT; l++) {
    for (size_t w = v->list[l]; w < v->list[l + 1]; w++) {
      if (v->start[w + 1] == v->start[w])
        continue; /* an empty word matches nowhere */
      v->first_bits[l] |= (uint64_t)1 << ((uint32_t)v->cp[v->start[w]] % 64);
      v->last_bits[l] |= (uint64_t)1
                         << ((uint32_t)v->cp[v->start[w + 1] - 1] % 64);
    }
  }
  v->cls['\n'] |= START_SINGLE | END_PARAGRAPH;
  v->cls[0x3002] |= START_SINGLE | END_SENTENCE; /* 。 */
  v->cls['!'] |= START_SINGLE | END_SENTENCE;
  v->cls['?'] |= START_SINGLE | END_SENTENCE;
  v->cls[','] |= START_SINGLE | END_CLAUSE;
  v->cls[';'] |= START_SINGLE | END_CLAUSE;
  v->cls[':'] |= START_SINGLE | END_CLAUSE;
  for (int32_t d = '0'; d <= '9'; d++)
    v->cls[d] |= START_SINGLE | START_NUMBER;
  for (size_t k = 0; k < sizeof cn_numeral_starts / sizeof cn_numeral_starts[0];
       k++)
    v->cls[cn_numeral_starts[k]] |= START_SINGLE | START_NUMBER;
  /* What fold_run() folds: ideographs and 、 。, to themselves, and
   * full-width ASCII (all from U+FF00 on), to ASCII; its flags are those
   * of what it folds to.  Nothing below U+0800: fold_run() relies on it
   * to turn down an overlong form. */
  for (int32_t c = 0x3400; c <= 0x9FFF; c++)
    if (gk__is_cjk(c))
      v->cls[c] |= FOLD_PLAIN;
  v->cls[0x3001] |= FOLD_PLAIN;
  v->cls[0x3002] |= FOLD_PLAIN;
  for (int32_t c = 0xFF01; c <= 0xFF5E; c++)
    v->cls[c] |= FOLD_PLAIN | v->cls[c - 0xFEE0];
  return true;
}

/* The vocabulary is the same for every report: it is folded once per
 * process, on first use, and kept (never freed: it is static data in
 * another form).  NULL when memory ran out: the caller reports GK_ENOMEM
 * and the next report tries again; a failed build is never remembered. */
static vocab shared_vocab;
static _Atomic(const vocab *) shared_vocab_ready;
static pthread_mutex_t shared_vocab_lock = PTHREAD_MUTEX_INITIALIZER;

static const vocab *vocab_get(void) {
  const vocab *v =
      atomic_load_explicit(&shared_vocab_ready, memory_order_acquire);
  if (v)
    return v;
  pthread_mutex_lock(&shared_vocab_lock);
  v = atomic_load_explicit(&shared_vocab_ready, memory_order_relaxed);
  if (!v && vocab_build(&shared_vocab)) {
    v = &shared_vocab;
    atomic_store_explicit(&shared_vocab_ready, v, memory_order_release);
  }
  pthread_mutex_unlock(&shared_vocab_lock);
  return v;
}

/* Whether word w (of the index) is at ch[i], its first `from`
 * characters known to be. */
static inline bool word_at(const vocab *v, const fch *ch, size_t n, size_t i,
                           const index_word *w, size_t from) {
  if (w->len > n - i)
    return false;
  const int32_t *p = v->cp + w->start;
  for (size_t q = from; q < w->len; q++)
    if (ch[i + q].cp != p[q])
      return false;
  return true;
}

/* The longest word of list l matching at ch[i]; 0 when none. */
static size_t match_list(const vocab *v, const fch *ch, size_t n, size_t i,
                         size_t l) {
  if (i >= n || !((v->first_bits[l] >> ((uint32_t)ch[i].cp % 64)) & 1))
    return 0;
  const index_slot *e = index_find(&v->lists, ch[i].cp, KEY_FIRST(l));
  for (uint32_t q = e ? e->lo : 0; e && q < e->hi; q++)
    if (word_at(v, ch, n, i, &v->lists.words[q], 1))
      return v->lists.words[q].len;
  return 0;
}

/* Whether a word of list l (of at most four folded characters) ends
 * right before ch[i]; its length, the longest. */
static size_t match_list_before(const vocab *v, const fch *ch, size_t n,
                                size_t i, size_t l) {
  if (i == 0 || !((v->last_bits[l] >> ((uint32_t)ch[i - 1].cp % 64)) & 1))
    return 0;
  const index_slot *e = index_find(&v->lists, ch[i - 1].cp, KEY_LAST(l));
  for (uint32_t q = e ? e->lo : 0; e && q < e->hi; q++) {
    const index_word *w = &v->lists.words[q];
    if (w->len <= i && word_at(v, ch, n, i - w->len, w, 0))
      return w->len;
  }
  return 0;
}

/*
 * The folded text, and where a token may start in it: a boundary, a
 * digit, a numeral, a one-character word (the character's flag
 * START_SINGLE), or the first two characters of a longer word
 * (START_PAIR, and the pair's cell in pairs[]).  The filter lets through
 * every such place and few others; the tokenizer looks only there.  It
 * is computed as the characters are stored, for each one when the next
 * comes, without a branch, and the places are listed: with a third of
 * the characters starting a word of the vocabulary, a branch on each
 * would mispredict often.
 */
typedef struct folded {
  fch *ch; /* ch[n] is NO_CP when the folding is done */
  size_t n;
  uint32_t *pos; /* the places, increasing */
  size_t n_pos;
  int32_t last;     /* ch[n - 1].cp, or NO_CP */
  unsigned last_fl; /* its START_ flags, or 0 */
} folded;

/* Where fold_text() puts what it makes, kept from one part to the next. */
typedef struct fold_bufs {
  fch *ch;
  uint32_t *pos;
  size_t cap_ch, cap_pos;
} fold_bufs;

/* A code point no text has: the character before the first and after
 * the last, for the filter and the tokenizer, without a test of their
 * own. */
#define NO_CP (-2)

/* Stores c (from byte off), and notes whether a token may start at the
 * character before it. */
static inline void put(const vocab *v, folded *fo, int32_t c, uint32_t off) {
  size_t n = fo->n;
  fo->ch[n] = (fch){c, off};
  fo->pos[fo->n_pos] = (uint32_t)(n - 1); /* kept when counted */
  fo->n_pos +=
      (fo->last_fl & (START_SINGLE | v->pairs[pair_cell(fo->last, c)])) != 0;
  fo->last = c;
  fo->last_fl = char_flags(v, c) & (START_SINGLE | START_PAIR);
  fo->n = n + 1;
}

/* Stores the characters from byte *pi of u (len bytes) on that fold to
 * one code point without the general folder (FOLD_PLAIN), as long as
 * they last and fo->n stays under nmax, and moves *pi past them.  They
 * are what most of a text is: ideographs and 、 。, which fold to
 * themselves, and full-width ASCII (U+FF01..U+FF5E: "，" "：" "（"), which
 * folds to ASCII.  This is the hot loop of the folding: put() inline on
 * the state kept in registers, and one test per character, with no
 * branch that a comma or a full stop mispredicts. */
static void fold_run(const vocab *v, const unsigned char *u, size_t len,
                     size_t *pi, folded *fo, size_t nmax) {
  /* Few values live in the loop, so that all stay in registers. */
  size_t i = *pi, n = fo->n;
  uint32_t *pk = fo->pos + fo->n_pos;
  int32_t last = fo->last;
  unsigned last_fl = fo->last_fl;
  fch *ch = fo->ch;
  size_t lim = (len - i) / 3 < nmax - n ? (len - i) / 3 : nmax - n;
  for (size_t end = n + lim; n < end; n++, i += 3) {
    /* A three-byte form is 1110xxxx 10xxxxxx 10xxxxxx; its code point
     * is the x's.  No overlong form (below U+0800) nor surrogate is
     * FOLD_PLAIN. */
    uint32_t w = (uint32_t)u[i] << 16 | (uint32_t)u[i + 1] << 8 | u[i + 2];
    uint32_t c = (w >> 4 & 0xF000u) | (w >> 2 & 0x0FC0u) | (w & 0x3Fu);
    unsigned fl = v->cls[c];
    /* (A 0-or-1 and fl / FOLD_PLAIN: only FOLD_PLAIN, bit 0 of the
     * quotient, can meet the 1; no branch on either test.) */
    if (!(((w & 0xF0C0C0u) == 0xE08080u) & (fl / FOLD_PLAIN)))
      break;
    /* Full-width ASCII is all of FOLD_PLAIN from U+FF00 on. */
    int32_t cp = (int32_t)(c - (c >= 0xFF00u ? 0xFEE0u : 0u));
    ch[n].cp = cp;
    ch[n].off = (uint32_t)i;
    *pk = (uint32_t)(n - 1);
    pk += (last_fl & (START_SINGLE | v->pairs[pair_cell(last, cp)])) != 0;
    last = cp;
    last_fl = fl & (START_SINGLE | START_PAIR);
  }
  *pi = i;
  fo->n = n;
  fo->n_pos = (size_t)(pk - fo->pos);
  fo->last = last;
  fo->last_fl = last_fl;
}

/* Folds text into w's buffers (made large enough first; the caller frees
 * them), as gk__fold_cp() folds each character, white space dropped and
 * line breaks made one paragraph mark, and notes where tokens may start;
 * false when memory ran out. */
static bool fold_text(const vocab *v, const char *text, size_t len,
                      fold_bufs *w, folded *fo) {
  size_t cap = len < MAX_PART_CHARS ? len + 1 : MAX_PART_CHARS + 4;
  /* cap bounds the characters read: a character starts only while n + 4
   * is under cap, and folds to four at most, so n stays under cap.
   * Reserving that at once (and one more, for NO_CP) keeps the loops
   * free of a test for room; memory not written to is not touched. */
  if (gk__array_grow(&w->ch, &w->cap_ch, cap + 1, sizeof *w->ch, SIZE_MAX) !=
          GK_OK ||
      gk__array_grow(&w->pos, &w->cap_pos, cap, sizeof *w->pos, SIZE_MAX) !=
          GK_OK)
    return false;
  *fo = (folded){w->ch, 0, w->pos, 0, NO_CP, 0};
  const unsigned char *u = (const unsigned char *)text;
  size_t i = 0;
  while (i < len && fo->n + 4 < cap) {
    /* What most of the text is, without the general decoder and folder:
     * ASCII folds to itself, and fold_run() takes the rest. */
    unsigned c = u[i];
    uint32_t off = (uint32_t)i;
    if (c < 0x80) {
      i++;
      if (c == '\n' || c == '\r') {
        if (fo->n > 0 && fo->last != '\n')
          put(v, fo, '\n', off);
      } else if (c != ' ' && c != '\t' && c != '\v' && c != '\f') {
        put(v, fo, (int32_t)c, off);
      }
      continue;
    }
    if (len - i >= 3) {
      size_t i0 = i;
      fold_run(v, u, len, &i, fo, cap - 4);
      if (i != i0)
        continue;
    }
    int32_t cp;
    i += gk__utf8_next(text + i, len - i, &cp);
    if (cp == '\n' || cp == '\r') {
      if (fo->n > 0 && fo->last != '\n')
        put(v, fo, '\n', off);
      continue;
    }
    if (gk__is_space(cp))
      continue;
    if (cp < 0x80 || gk__is_cjk(cp)) { /* folds to itself */
      put(v, fo, cp, off);
      continue;
    }
    int32_t f[4];
    size_t m = gk__fold_cp_fast(cp, f);
    for (size_t j = 0; j < m; j++) {
      if (gk__is_space(f[j]))
        continue;
      put(v, fo, f[j], off);
    }
  }
  /* The last character, before NO_CP. */
  fo->ch[fo->n] = (fch){NO_CP, 0};
  fo->pos[fo->n_pos] = (uint32_t)(fo->n - 1);
  fo->n_pos += (fo->last_fl &
                (START_SINGLE | v->pairs[pair_cell(fo->last, NO_CP)])) != 0;
  return true;
}

/* ------------------------------------------------------------ numbers */

static int cn_digit(int32_t cp) {
  switch (cp) {
  case 0x3007: /* 〇 */
  case 0x96F6: /* 零 */
    return 0;
  case 0x4E00: /* 一 */
    return 1;
  case 0x4E8C: /* 二 */
  case 0x4E24: /* 两 */
    return 2;
  case 0x4E09:
    return 3;
  case 0x56DB:
    return 4;
  case 0x4E94:
    return 5;
  case 0x516D:
    return 6;
  case 0x4E03:
    return 7;
  case 0x516B:
    return 8;
  case 0x4E5D:
    return 9;
  default:
    return -1;
  }
}

static int cn_mult(int32_t cp) {
  switch (cp) {
  case 0x5341: /* 十 */
    return 10;
  case 0x767E: /* 百 */
    return 100;
  case 0x5343: /* 千 */
    return 1000;
  case 0x4E07: /* 万 */
    return 10000;
  default:
    return 0;
  }
}

/* The value of a Chinese numeral run: positional without multipliers
 * (二〇二四), else 十/百/千 within a 万 section (一百零五, 二十三). */
static int64_t cn_value(const fch *ch, size_t a, size_t b) {
  bool mult = false;
  for (size_t i = a; i < b; i++)
    mult |= cn_mult(ch[i].cp) != 0;
  int64_t v = 0;
  if (!mult) {
    for (size_t i = a; i < b; i++)
      v = v * 10 + cn_digit(ch[i].cp);
    return v;
  }
  int64_t total = 0, section = 0, num = 0;
  bool have_num = false;
  for (size_t i = a; i < b; i++) {
    int d = cn_digit(ch[i].cp), m = cn_mult(ch[i].cp);
    if (d >= 0) {
      num = d;
      have_num = true;
    } else if (m == 10000) {
      total += (section + num) * 10000;
      section = num = 0;
      have_num = false;
    } else {
      section += (have_num ? num : 1) * m;
      num = 0;
      have_num = false;
    }
  }
  return total + section + num;
}

/* ------------------------------------------------------------- tokens */

typedef enum {
  TK_KW = 0,
  TK_COUNT,
  TK_YEAR,
  TK_MONEY,
  TK_NUM,
  TK_CLAUSE,
  TK_SENT,
  TK_PARA
} tk_type;

enum {
  TKF_APPROX = 1,
  TKF_ETC = 2,
  TKF_SINCE = 4,
  /* set as the token is stored */
  TKF_APP_BEFORE = 8,  /* 申请 earlier in the token's paragraph */
  TKF_YEAR_BEFORE = 16 /* another year earlier in its sentence */
};

/* A token; small, as a text has one every few characters (the indexes
 * fit: a part has at most MAX_PART_CHARS characters and a few more). */
typedef struct tok {
  const char *word;      /* TK_KW */
  int64_t value;         /* COUNT, YEAR; MONEY in 分 */
  uint32_t a, b;         /* folded characters [a, b) */
  uint32_t clause, sent; /* indexes of the units it belongs to */
  int32_t unit;          /* COUNT */
  uint8_t type;          /* tk_type */
  uint8_t kind;          /* TK_KW: gk__prose_kind */
  uint8_t flags;         /* TKF_ */
} tok;

/* What a clause (or sentence) holds: one bit per prose kind. */
typedef uint64_t kindset;
#define KBIT(k) ((kindset)1 << (k))

/* No token (unitspan.money). */
#define NO_TOKEN UINT32_MAX

typedef struct unitspan {
  kindset kinds;
  kindset before;  /* clauses: the kinds of the earlier clauses of the
                      sentence */
  uint32_t t0, t1; /* tokens [t0, t1) */
  uint32_t ca, cb; /* its characters [ca, cb), without the boundary */
  uint32_t money;  /* clauses: the first TK_MONEY token, or NO_TOKEN */
  bool has_count;
  /* Sentences: 公开 among its characters, or in an earlier sentence of
   * its paragraph.  Clauses: 公开 among its characters (its sentence
   * takes it when the clause closes). */
  bool disclosure;
} unitspan;

/*
 * The tokenizer's state.  It also makes the clauses and sentences as the
 * tokens come: a boundary token closes the clause (and the sentence) it
 * ends, and what the fact makers ask about a unit or about the words
 * before a token is noted on the way, where the tokenizer already knows
 * what each token is.  The clause of a token is the count of clauses
 * closed before it, and so on: every clause and sentence holds a token
 * at least, its boundary.
 *
 * A token starts at a place of the filter, each at its own: there are
 * no more tokens than places, nor more clauses or sentences (with the
 * open one) than tokens and two.  The buffers are that large before the
 * tokenizer starts, which then never allocates.
 */
typedef struct scan {
  const fch *ch;
  size_t n;
  const char *text; /* what ch was folded from */
  const vocab *v;
  int year; /* the report's, or 0 */
  tok *tk;
  size_t n_tk;
  /* The closed clauses and sentences, and after them the open ones
   * (cl[n_cl], se[n_se]; se[n_se].kinds holds only the kinds of its
   * closed clauses). */
  unitspan *cl, *se;
  size_t n_cl, n_se;
  bool app;        /* 申请 earlier in the open paragraph */
  bool other_year; /* another year earlier in the open sentence */
  bool carry;      /* the last sentence's disclosure, when the paragraph
                      goes on */
} scan;

/* Opens a unit at token t0, its characters starting at ca. */
static inline void open_unit(unitspan *u, size_t t0, size_t ca) {
  u->t0 = (uint32_t)t0;
  u->ca = (uint32_t)ca;
  u->kinds = u->before = 0;
  u->money = NO_TOKEN;
  u->has_count = u->disclosure = false;
}

/* A new token of type `type` over ch[a, b), in the open units, its other
 * fields zero.  Written field by field: a token is written at every few
 * characters. */
static inline tok *push(scan *s, tk_type type, size_t a, size_t b) {
  tok *t = &s->tk[s->n_tk++];
  t->type = (uint8_t)type;
  t->kind = GK_PW_RECEIVED; /* 0 */
  t->word = NULL;
  t->a = (uint32_t)a;
  t->b = (uint32_t)b;
  t->value = 0;
  t->unit = 0;
  t->flags = (uint8_t)((s->app ? TKF_APP_BEFORE : 0u) |
                       (s->other_year ? TKF_YEAR_BEFORE : 0u));
  t->clause = (uint32_t)s->n_cl;
  t->sent = (uint32_t)s->n_se;
  return t;
}

/* Closes the open clause with token t1 - 1, its characters ending at cb,
 * and opens the next after them. */
static void close_clause(scan *s, size_t t1, size_t cb) {
  unitspan *u = &s->cl[s->n_cl], *se = &s->se[s->n_se];
  u->t1 = (uint32_t)t1;
  u->cb = cb < u->ca ? u->ca : (uint32_t)cb;
  u->before = se->kinds;
  se->kinds |= u->kinds;
  se->has_count |= u->has_count;
  se->disclosure |= u->disclosure;
  open_unit(&s->cl[++s->n_cl], t1, cb + 1);
}

/* Closes the open sentence likewise (after its last clause); a paragraph
 * mark (`para`) ends what its disclosure carries. */
static void close_sentence(scan *s, size_t t1, size_t cb, bool para) {
  unitspan *u = &s->se[s->n_se];
  u->t1 = (uint32_t)t1;
  u->cb = cb < u->ca ? u->ca : (uint32_t)cb;
  /* 公开 anywhere in the sentence's characters (in one of its clauses), or
   * in an earlier sentence of the paragraph. */
  u->disclosure |= s->carry;
  s->carry = u->disclosure && !para;
  open_unit(&s->se[++s->n_se], t1, cb + 1);
}

/* A boundary at ch[i]: ends a clause, a sentence or a paragraph. */
static void push_boundary(scan *s, tk_type type, size_t i) {
  push(s, type, i, i + 1);
  close_clause(s, s->n_tk, i);
  if (type == TK_CLAUSE)
    return;
  close_sentence(s, s->n_tk, i, type == TK_PARA);
  s->other_year = false;
  if (type == TK_PARA)
    s->app = false;
}

/* Word w of the prose vocabulary at ch[i], len characters. */
static void push_word(scan *s, size_t w, size_t i, size_t len) {
  tok *t = push(s, TK_KW, i, i + len);
  gk__prose_kind kind = gk__prose_words[w].kind;
  t->kind = kind;
  t->word = gk__prose_words[w].text;
  s->cl[s->n_cl].kinds |= KBIT(kind);
  if (kind == GK_PW_TOPIC_APP || kind == GK_PW_NONE_APP)
    s->app = true;
}

/* What a number token t (the last) tells its units. */
static void note_number(scan *s, const tok *t) {
  unitspan *u = &s->cl[s->n_cl];
  if (t->type == TK_COUNT)
    u->has_count = true;
  else if (t->type == TK_MONEY && u->money == NO_TOKEN)
    u->money = (uint32_t)(s->n_tk - 1);
  else if (t->type == TK_YEAR && !(t->flags & TKF_SINCE) && s->year > 0 &&
           t->value != s->year)
    s->other_year = true;
}

/* The longest vocabulary word at ch[i]: its index, or -1.  Of the
 * words starting with the two characters there, longest first, the
 * first that matches; else the one-character word.  f is the place's
 * char_flags(): a lookup they rule out is not made. */
static int longest_word(const scan *s, size_t i, unsigned f, size_t *len) {
  const vocab *v = s->v;
  const fch *ch = s->ch;
  int32_t cp = ch[i].cp;
  const index_slot *e;
  /* ch[i + 2] may be the NO_CP after the text: it matches no word. */
  if ((f & START_PAIR) &&
      (e = index_find(&v->prose, cp, ch[i + 1].cp)) != NULL &&
      ((e->third >> ((uint32_t)ch[i + 2].cp % 64)) & 1)) {
    for (uint32_t q = e->lo; q < e->hi; q++) {
      const index_word *pw = &v->prose.words[q];
      if (pw->len > s->n - i)
        continue;
      const int32_t *p = v->cp + pw->start;
      size_t k = 2; /* the key matched */
      while (k < pw->len && ch[i + k].cp == p[k])
        k++;
      if (k == pw->len) {
        *len = k;
        return (int)pw->w;
      }
    }
  }
  if ((f & START_WORD) && (e = index_find(&v->prose, cp, KEY_SINGLE)) != NULL) {
    *len = 1;
    return (int)v->prose.words[e->lo].w;
  }
  *len = 0;
  return -1;
}

/* Whether cp is the first_cp() of a unit. */
static bool is_unit(const vocab *v, int32_t cp) {
  return index_find(&v->lists, cp, KEY_UNIT) != NULL;
}

/* Reads a number at ch[i] and what it is; false when ch[i] starts none.
 * Sets the token's type, value, flags and end. */
static bool read_number(const scan *s, size_t i, tok *t) {
  const fch *ch = s->ch;
  size_t n = s->n, j = i;
  int64_t v = 0;
  bool ascii = is_digit(ch[i].cp), decimal = false;
  int64_t frac = 0;
  int frac_digits = 0;
  size_t n_digits = 0;
  if (ascii) {
    if (i > 0 && (is_digit(ch[i - 1].cp) || is_ascii_alpha(ch[i - 1].cp) ||
                  ch[i - 1].cp == '.'))
      return false;
    while (j < n && is_digit(ch[j].cp)) {
      if (n_digits < 18)
        v = v * 10 + (ch[j].cp - '0');
      n_digits++;
      j++;
    }
    /* Thousands groups: an ASCII comma and exactly three digits (a
     * character from "," is ","; the folded one is looked at first, as
     * it is at hand). */
    while (j + 3 < n && ch[j].cp == ',' && s->text[ch[j].off] == ',' &&
           is_digit(ch[j + 1].cp) && is_digit(ch[j + 2].cp) &&
           is_digit(ch[j + 3].cp) && (j + 4 >= n || !is_digit(ch[j + 4].cp))) {
      for (size_t q = 1; q <= 3; q++)
        v = v * 10 + (ch[j + q].cp - '0');
      n_digits += 3;
      j += 4;
    }
    if (j + 1 < n && ch[j].cp == '.' && is_digit(ch[j + 1].cp)) {
      decimal = true;
      j++;
      while (j < n && is_digit(ch[j].cp)) {
        if (frac_digits < 2) {
          frac = frac * 10 + (ch[j].cp - '0');
          frac_digits++;
        }
        j++;
      }
      if (frac_digits == 1)
        frac *= 10;
    }
  } else {
    int d = cn_digit(ch[i].cp);
    if (d < 0 && cn_mult(ch[i].cp) != 10)
      return false;
    if (match_list_before(s->v, ch, n, i, WL_CN_NOT_BEFORE))
      return false;
    if (i > 0 && (cn_digit(ch[i - 1].cp) >= 0 || cn_mult(ch[i - 1].cp)))
      return false;
    while (j < n && j - i < MAX_CN_NUMERAL &&
           (cn_digit(ch[j].cp) >= 0 || cn_mult(ch[j].cp)))
      j++;
    /* 两 is a number only alone ("两件"), 〇 and 零 only inside one. */
    bool liang = false;
    for (size_t q = i; q < j; q++)
      liang |= ch[q].cp == 0x4E24;
    if ((liang && j - i > 1) || (j - i == 1 && cn_digit(ch[i].cp) == 0))
      return false;
    v = cn_value(ch, i, j);
    n_digits = 1;
  }
  t->a = i;
  t->type = TK_NUM;
  t->value = v;
  if (n_digits > 18) {
    t->b = j;
    return true;
  }
  /* What follows decides what the number is. */
  size_t k = j;
  size_t m;
  if ((m = match_list(s->v, ch, n, k, WL_APPROX_AFTER)) > 0) {
    t->flags |= TKF_APPROX;
    k += m;
  }
  if ((m = match_list(s->v, ch, n, k, WL_MONEY)) > 0) {
    int64_t fen = v * 100 + frac;
    if (m > 1)
      fen *= 10000;
    t->type = TK_MONEY;
    t->value = fen;
    t->b = k + m;
    return true;
  }
  if (decimal || n_digits > MAX_COUNT_DIGITS) {
    t->b = j;
    return true;
  }
  if (ascii && n_digits == 4 && v >= 1990 && v <= 2100 && k == j && k < n &&
      ch[k].cp == 0x5E74 /* 年 */) {
    t->type = TK_YEAR;
    t->b = k + 1;
    size_t q = k + 1;
    if (q < n && ch[q].cp == 0x5EA6 /* 度 */)
      q++;
    if (match_list(s->v, ch, n, q, WL_SINCE))
      t->flags |= TKF_SINCE;
    return true;
  }
  if (k < n && is_unit(s->v, ch[k].cp) &&
      !match_list(s->v, ch, n, k, WL_UNIT_NOT) &&
      !match_list_before(s->v, ch, n, i, WL_NOT_BEFORE)) {
    t->type = TK_COUNT;
    t->unit = ch[k].cp;
    k++;
    if ((m = match_list(s->v, ch, n, k, WL_APPROX_AFTER)) > 0) {
      t->flags |= TKF_APPROX;
      k += m;
    }
    if (k < n && ch[k].cp == 0x7B49 /* 等 */)
      t->flags |= TKF_ETC;
    if (match_list_before(s->v, ch, n, i, WL_APPROX_BEFORE))
      t->flags |= TKF_APPROX;
    t->b = k;
    return true;
  }
  t->b = j;
  return true;
}

/* Reads the tokens at the places pos lists (fold_text()), in order. */
static void tokenize(scan *s, const uint32_t *pos, size_t n_pos) {
  const fch *ch = s->ch;
  size_t i = 0; /* the first character not yet read */
  open_unit(&s->cl[0], 0, 0);
  open_unit(&s->se[0], 0, 0);
  for (size_t p = 0; p < n_pos; p++) {
    /* 公开 at any place, in a word or not, is in the open clause (no
     * sentence's boundary is part of a token, nor is 开 a boundary). */
    s->cl[s->n_cl].disclosure |=
        (ch[pos[p]].cp == 0x516C /* 公 */) & (ch[pos[p] + 1].cp == 0x5F00);
    if (pos[p] < i)
      continue; /* inside the token just read */
    i = pos[p];
    /* i is a pos[] entry: fold_text() lists only characters it wrote (each
     * below fo->n, and ch[fo->n] is NO_CP). */
    // NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage)
    unsigned f = char_flags(s->v, ch[i].cp);
    if (f & (END_CLAUSE | END_SENTENCE | END_PARAGRAPH)) {
      push_boundary(s,
                    f & END_PARAGRAPH  ? TK_PARA
                    : f & END_SENTENCE ? TK_SENT
                                       : TK_CLAUSE,
                    i);
      i++;
      continue;
    }
    size_t len;
    int w = longest_word(s, i, f, &len);
    if (w >= 0) {
      push_word(s, (size_t)w, i, len);
      i += len;
      continue;
    }
    if (f & START_NUMBER) {
      /* Read into the next token, and take it back when there is none. */
      tok *t = push(s, TK_NUM, i, i);
      if (read_number(s, i, t)) {
        note_number(s, t);
        i = t->b > i ? t->b : i + 1;
        continue;
      }
      s->n_tk--;
    }
    i++;
  }
  /* The text's last clause and sentence, when no boundary ends them: the
   * clause runs to the end of the text, and so does the sentence, but
   * for one whose last token is a clause's boundary (the characters after
   * it are in no clause, nor in the sentence). */
  if (s->cl[s->n_cl].t0 < s->n_tk)
    close_clause(s, s->n_tk, s->n);
  if (s->se[s->n_se].t0 < s->n_tk) {
    const tok *last = &s->tk[s->n_tk - 1];
    close_sentence(s, s->n_tk, last->type == TK_CLAUSE ? last->a : s->n, true);
  }
}

/* ------------------------------------------------------------- output */

typedef struct emit {
  gk__arena *a;
  gk__facts *f;
  size_t cap_facts, cap_bd;
  int part;
  const fch *ch;
  const char *text; /* the part's text, len bytes */
  size_t len;
} emit;

static gk__fact *add_fact(emit *o, gk__fact_kind kind, size_t a, size_t b) {
  gk__facts *f = o->f;
  if (gk__arena_array_grow(o->a, &f->facts, &o->cap_facts, f->n_facts,
                           f->n_facts + 1, sizeof *f->facts,
                           MAX_FACTS) != GK_OK)
    return NULL;
  gk__fact *x = &f->facts[f->n_facts++];
  memset(x, 0, sizeof *x);
  x->kind = kind;
  x->part = o->part;
  if (b <= a)
    b = a + 1;
  x->start = o->ch[a].off;
  x->end = char_end(o->text, o->len, o->ch[b - 1].off);
  return x;
}

static gk__breakdown *add_breakdown(emit *o) {
  gk__facts *f = o->f;
  if (gk__arena_array_grow(o->a, &f->breakdowns, &o->cap_bd, f->n_breakdowns,
                           f->n_breakdowns + 1, sizeof *f->breakdowns,
                           MAX_BREAKDOWNS) != GK_OK)
    return NULL;
  gk__breakdown *x = &f->breakdowns[f->n_breakdowns++];
  memset(x, 0, sizeof *x);
  x->part = o->part;
  return x;
}

/* ------------------------------------------------------------ clauses */

static bool is_action(gk__prose_kind k) {
  return k <= GK_PW_LOOSE; /* RECEIVED .. LOOSE: words a count belongs to */
}

/* 办理 and 答复 join the action word right before them. */
static bool is_loose(gk__prose_kind k) {
  return k == GK_PW_HANDLED_LOOSE || k == GK_PW_LOOSE;
}

static bool is_app_kind(gk__prose_kind k) {
  return k >= GK_PW_RECEIVED && k <= GK_PW_CARRIED_FWD;
}

/* Everything the fact makers need about the text. */
typedef struct ctx {
  scan *s;
  emit *o;
  unitspan *cl; /* clauses */
  size_t n_cl;
  unitspan *se; /* sentences */
  size_t n_se;
} ctx;

/* The scanner's buffers, kept from one part to the next: a report's parts
 * are scanned with a handful of allocations, not dozens per part. */
typedef struct work {
  fold_bufs fb;
  tok *tk;
  unitspan *cl, *se;
  size_t cap_tk, cap_cl, cap_se;
} work;

static void work_free(work *w) {
  free(w->fb.ch);
  free(w->fb.pos);
  free(w->tk);
  free(w->cl);
  free(w->se);
}

/* Every helper below is linear in the text: what a rule asks about the
 * words before a token is computed once, as the tokens are made. */

/* Whether token k's sentence, or an earlier one of its paragraph, speaks
 * of 公开: 行政复议 there is about disclosure work. */
static bool disclosure_context(const ctx *c, size_t k) {
  return c->o->part == 4 || c->se[c->s->tk[k].sent].disclosure;
}

/* CJK characters in folded [a, b) that no keyword token covers. */
static size_t loose_chars(const ctx *c, size_t t0, size_t t1, size_t a,
                          size_t b) {
  const scan *s = c->s;
  size_t n = 0;
  for (size_t i = a; i < b; i++)
    n += gk__is_cjk(s->ch[i].cp);
  for (size_t q = t0; q < t1; q++) {
    const tok *t = &s->tk[q];
    if (t->type != TK_KW || t->a < a || t->b > b)
      continue;
    for (size_t i = t->a; i < t->b; i++)
      n -= gk__is_cjk(s->ch[i].cp);
  }
  return n;
}

/* Whether an earlier clause of the sentence of clause `cl` names kind. */
static bool earlier_clause_has(const ctx *c, size_t cl, gk__prose_kind kind) {
  return (c->cl[cl].before & KBIT(kind)) != 0;
}

static gk__fact_kind fact_of(gk__prose_kind k) {
  switch (k) {
  case GK_PW_RECEIVED:
  case GK_PW_RECEIVED_NEW:
    return GK_FACT_RECEIVED;
  case GK_PW_HANDLED:
  case GK_PW_HANDLED_LOOSE:
    return GK_FACT_HANDLED;
  case GK_PW_GRANTED:
    return GK_FACT_GRANTED;
  case GK_PW_CARRIED_OVER:
    return GK_FACT_CARRIED_OVER;
  case GK_PW_CARRIED_FWD:
    return GK_FACT_CARRIED_FWD;
  case GK_PW_REVIEW:
    return GK_FACT_REVIEW;
  case GK_PW_LITIGATION:
    return GK_FACT_LITIGATION;
  case GK_PW_DOC_MADE:
    return GK_FACT_DOC_MADE;
  case GK_PW_DOC_REPEALED:
    return GK_FACT_DOC_REPEALED;
  default:
    return GK_FACT_PUBLISHED;
  }
}

/* Makes the fact of count token `ct` belonging to keyword token `kw`. */
static void count_fact(ctx *c, size_t cl, size_t seg_t, size_t seg_a, size_t ct,
                       size_t kw, bool each) {
  const scan *s = c->s;
  const tok *t = &s->tk[ct], *w = &s->tk[kw];
  kindset kinds = c->cl[cl].kinds;
  gk__prose_kind k = w->kind;
  if (k == GK_PW_OTHER || k == GK_PW_OUTCOME || k == GK_PW_LOOSE)
    return;
  if (is_app_kind(k)) {
    if (kinds &
        (KBIT(GK_PW_OFF_TOPIC) | KBIT(GK_PW_REVIEW) | KBIT(GK_PW_LITIGATION)))
      return;
    bool specific = k == GK_PW_CARRIED_OVER || k == GK_PW_CARRIED_FWD ||
                    k == GK_PW_RECEIVED_NEW;
    if (!specific && !(kinds & KBIT(GK_PW_TOPIC_APP)) &&
        !(t->flags & TKF_APP_BEFORE))
      return;
  } else if (k == GK_PW_REVIEW || k == GK_PW_LITIGATION) {
    if (!disclosure_context(c, ct))
      return;
  } else if (k == GK_PW_DOC_MADE || k == GK_PW_DOC_REPEALED) {
    if (kinds & KBIT(GK_PW_TOPIC_RULES))
      return;
    if (!(kinds & KBIT(GK_PW_TOPIC_DOC))) {
      if (!earlier_clause_has(c, cl, GK_PW_TOPIC_DOC) ||
          loose_chars(c, seg_t, ct, seg_a, t->a) > SHORT_CLAUSE_CHARS)
        return;
    }
  }
  size_t a = w->a < t->a ? w->a : t->a;
  size_t b = w->b > t->b ? w->b : t->b;
  gk__fact *f = add_fact(c->o, fact_of(k), a, b);
  if (!f)
    return;
  f->value = t->value;
  f->flags = GK_FACT_HAS_VALUE;
  if (t->flags & TKF_APPROX)
    f->flags |= GK_FACT_APPROX;
  if (t->flags & TKF_ETC)
    f->flags |= GK_FACT_ETC;
  if (k == GK_PW_RECEIVED_NEW || k == GK_PW_HANDLED)
    f->flags |= GK_FACT_STRICT;
  if (each)
    f->flags |= GK_FACT_BOTH;
  f->word = w->word;
}

static void clause_counts(ctx *c, size_t cl) {
  const scan *s = c->s;
  const unitspan *u = &c->cl[cl];
  if (!u->has_count || (u->kinds & KBIT(GK_PW_COMPARE)))
    return;
  size_t prev = SIZE_MAX; /* previous count token in the clause */
  for (size_t k = u->t0; k < u->t1; k++) {
    if (s->tk[k].type != TK_COUNT)
      continue;
    size_t from = prev == SIZE_MAX ? u->t0 : prev + 1;
    size_t seg_a = prev == SIZE_MAX ? u->ca : s->tk[prev].b;
    prev = k;
    if (s->tk[k].flags & TKF_YEAR_BEFORE)
      continue;
    /* Backward: the last action word after the previous count; with 均
     * or 各 after it, every action word there.  A loose word (办理, 答复)
     * right after another action word is part of it ("同意公开答复9件",
     * "转下一年度办理答复的有1件"). */
    size_t last = SIZE_MAX, specific = SIZE_MAX;
    bool each = false;
    for (size_t q = from; q < k; q++) {
      const tok *t = &s->tk[q];
      if (t->type != TK_KW)
        continue;
      if (is_action(t->kind)) {
        if (is_loose(t->kind) && specific != SIZE_MAX &&
            t->a - s->tk[last].b <= LOOSE_JOIN_CHARS) {
          last = q;
          continue;
        }
        last = q;
        specific = is_loose(t->kind) ? SIZE_MAX : q;
        each = false;
      } else if (t->kind == GK_PW_EACH && last != SIZE_MAX) {
        each = true;
      }
    }
    if (last != SIZE_MAX && specific != SIZE_MAX && !each)
      last = specific;
    if (last != SIZE_MAX) {
      if (each) {
        for (size_t q = from; q < k; q++)
          if (s->tk[q].type == TK_KW && is_action(s->tk[q].kind))
            count_fact(c, cl, from, seg_a, k, q, true);
      } else {
        count_fact(c, cl, from, seg_a, k, last, false);
      }
      continue;
    }
    /* Forward: the first action word after it, before the next count. */
    size_t fwd = SIZE_MAX;
    for (size_t q = k + 1; q < u->t1 && fwd == SIZE_MAX; q++) {
      if (s->tk[q].type == TK_COUNT)
        break;
      if (s->tk[q].type == TK_KW && is_action(s->tk[q].kind))
        fwd = q;
    }
    bool clause_has_action = (u->kinds & (KBIT(GK_PW_LOOSE + 1) - 1)) != 0;
    if (fwd == SIZE_MAX && !clause_has_action && cl + 1 < c->n_cl) {
      const unitspan *nx = &c->cl[cl + 1];
      if (nx->t1 > nx->t0 && !nx->has_count &&
          s->tk[nx->t0].sent == s->tk[k].sent) {
        for (size_t q = nx->t0; q < nx->t1 && fwd == SIZE_MAX; q++)
          if (s->tk[q].type == TK_KW && is_action(s->tk[q].kind))
            fwd = q;
      }
    }
    if (fwd != SIZE_MAX)
      count_fact(c, cl, from, seg_a, k, fwd, false);
  }
}

/* The first token of kind `kind` in the clause at or after token `from`,
 * or SIZE_MAX. */
static size_t find_kw(const ctx *c, size_t cl, size_t from,
                      gk__prose_kind kind) {
  const unitspan *u = &c->cl[cl];
  for (size_t q = from < u->t0 ? u->t0 : from; q < u->t1; q++)
    if (c->s->tk[q].type == TK_KW && c->s->tk[q].kind == kind)
      return q;
  return SIZE_MAX;
}

static void clause_none(ctx *c, size_t cl) {
  const scan *s = c->s;
  const unitspan *u = &c->cl[cl];
  kindset k = u->kinds;
  kindset neg = KBIT(GK_PW_NONE) | KBIT(GK_PW_NONE_APP) |
                KBIT(GK_PW_NONE_REVIEW) | KBIT(GK_PW_NONE_LITIGATION);
  if (!(k & neg))
    return;
  /* "未发生…行政复议纠错": none of a result, not of the case. */
  if (k & KBIT(GK_PW_OUTCOME))
    return;
  /* The first negation word: where the statement starts. */
  size_t first = SIZE_MAX;
  for (size_t q = u->t0; q < u->t1 && first == SIZE_MAX; q++)
    if (s->tk[q].type == TK_KW && (KBIT(s->tk[q].kind) & neg))
      first = q;
  size_t a = s->tk[first].a, b = u->cb;
  bool review = (k & KBIT(GK_PW_NONE_REVIEW)) || (k & KBIT(GK_PW_REVIEW));
  bool lit = (k & KBIT(GK_PW_NONE_LITIGATION)) || (k & KBIT(GK_PW_LITIGATION));
  if (review || lit) {
    if (!disclosure_context(c, first))
      return;
    if (review) {
      gk__fact *f = add_fact(c->o, GK_FACT_NO_REVIEW, a, b);
      if (f)
        f->word = s->tk[first].word;
    }
    if (lit) {
      gk__fact *f = add_fact(c->o, GK_FACT_NO_LITIGATION, a, b);
      if (f)
        f->word = s->tk[first].word;
    }
    return;
  }
  if (k & KBIT(GK_PW_OFF_TOPIC))
    return;
  bool app = false;
  size_t nk = find_kw(c, cl, u->t0, GK_PW_NONE_APP);
  if (nk != SIZE_MAX) {
    app = true;
    first = nk;
  } else {
    size_t nn = find_kw(c, cl, u->t0, GK_PW_NONE);
    size_t tp = nn == SIZE_MAX ? SIZE_MAX : find_kw(c, cl, nn, GK_PW_TOPIC_APP);
    if (tp != SIZE_MAX && s->tk[tp].a - s->tk[nn].b <= NONE_TOPIC_WINDOW &&
        !(s->tk[tp].b < s->n && s->ch[s->tk[tp].b].cp == 0x4EBA /* 人 */)) {
      app = true;
      first = nn;
    }
  }
  if (app) {
    gk__fact *f = add_fact(c->o, GK_FACT_NO_APPLICATIONS, s->tk[first].a, b);
    if (f)
      f->word = s->tk[first].word;
  }
}

static void clause_fee(ctx *c, size_t cl) {
  const scan *s = c->s;
  const unitspan *u = &c->cl[cl];
  kindset k = u->kinds;
  bool topic = k & KBIT(GK_PW_TOPIC_FEE);
  bool deny = k & (KBIT(GK_PW_FEE_DENY) | KBIT(GK_PW_NONE));
  bool collect = k & KBIT(GK_PW_FEE_COLLECT);
  size_t money = u->money == NO_TOKEN ? SIZE_MAX : u->money;
  if (!topic && (deny || collect || money != SIZE_MAX) &&
      earlier_clause_has(c, cl, GK_PW_TOPIC_FEE))
    topic = true;
  if (!topic) {
    /* "未收取任何费用" */
    if ((k & KBIT(GK_PW_TOPIC_FEE_WEAK)) && (k & KBIT(GK_PW_FEE_DENY))) {
      size_t d = find_kw(c, cl, u->t0, GK_PW_FEE_DENY);
      gk__fact *f = add_fact(c->o, GK_FACT_FEE_NONE, s->tk[d].a, u->cb);
      if (f)
        f->word = s->tk[d].word;
    }
    return;
  }
  gk__fact_kind kind;
  int64_t value = 0;
  bool has_value = false;
  if (money != SIZE_MAX) {
    value = s->tk[money].value;
    has_value = true;
  }
  if (deny || (has_value && value == 0))
    kind = GK_FACT_FEE_NONE;
  else if (has_value || collect)
    kind = GK_FACT_FEE_COLLECTED;
  else
    kind = GK_FACT_FEE_MENTION;
  gk__fact *f = add_fact(c->o, kind, u->ca, u->cb);
  if (!f)
    return;
  if (has_value) {
    f->value = value;
    f->flags |= GK_FACT_HAS_VALUE;
  }
  size_t w = find_kw(c, cl, u->t0, GK_PW_TOPIC_FEE);
  f->word = w != SIZE_MAX ? s->tk[w].word : NULL;
}

/* Whether the number token p is a whole number in digits that ends its
 * sentence (or its text) right after a word: the last part of a list
 * written without its unit.  A number after a digit, a unit, a year or a
 * sign is something else. */
static bool bare_last_part(const scan *s, const unitspan *u, size_t p) {
  const tok *t = &s->tk[p];
  if (t->a == 0 || t->b <= t->a)
    return false;
  for (size_t i = t->a; i < t->b; i++)
    if (s->ch[i].cp < '0' || s->ch[i].cp > '9')
      return false;
  if (!gk__is_cjk(s->ch[t->a - 1].cp))
    return false;
  if (p + 1 < u->t1) {
    const tok *nx = &s->tk[p + 1];
    return nx->a == t->b && (nx->type == TK_SENT || nx->type == TK_PARA);
  }
  return t->b == s->n || s->ch[t->b].cp == 0x3002 /* 。 */ ||
         s->ch[t->b].cp == '\n';
}

static void sentence_breakdowns(ctx *c, size_t se) {
  const scan *s = c->s;
  const unitspan *u = &c->se[se];
  if (!(u->kinds & KBIT(GK_PW_BREAKDOWN)))
    return; /* the common case: no 其中 */
  for (size_t k = u->t0; k < u->t1; k++) {
    const tok *q = &s->tk[k];
    if (q->type != TK_KW || q->kind != GK_PW_BREAKDOWN)
      continue;
    /* The total: the nearest count before, at most one clause back. */
    size_t total = SIZE_MAX;
    int bounds = 0;
    for (size_t p = k; p-- > u->t0;) {
      const tok *t = &s->tk[p];
      if (t->type == TK_CLAUSE && ++bounds > 1)
        break;
      if (t->type == TK_KW && t->kind == GK_PW_BREAKDOWN)
        break;
      if (t->type == TK_COUNT) {
        total = p;
        break;
      }
    }
    if (total == SIZE_MAX ||
        (c->cl[s->tk[total].clause].kinds & KBIT(GK_PW_COMPARE)))
      continue;
    const tok *tt = &s->tk[total];
    int64_t sum = 0;
    size_t n_parts = 0, last = total;
    bool approx = tt->flags & TKF_APPROX, etc = false, mixed = false;
    bool reaches = false, gaps = false;
    /* 其中包括, 其中主要有: a selection. */
    size_t after = q->b;
    while (after < s->n && (s->ch[after].cp == ':' || s->ch[after].cp == ','))
      after++;
    if (match_list(s->v, s->ch, s->n, after, WL_PARTIAL))
      etc = true;
    /* Parentheses opened after 其中 hold the sub-items of the part
     * before them ("预决算197条（政府预决算32条、部门预决算165条）"):
     * not parts.  A parenthesis closed that was open at 其中 ends the
     * list ("（其中…856条）对于…"). */
    size_t pos = q->b;
    int depth = 0;
    for (size_t p = k + 1; p < u->t1; p++) {
      const tok *t = &s->tk[p];
      if (t->type == TK_KW && t->kind == GK_PW_BREAKDOWN)
        break;
      for (; pos < t->a && depth >= 0; pos++)
        depth += s->ch[pos].cp == '(' ? 1 : s->ch[pos].cp == ')' ? -1 : 0;
      if (depth < 0)
        break;
      if (t->type == TK_NUM && n_parts > 0 && bare_last_part(s, u, p)) {
        /* "…依申请公开信息数46条，不予公开信息数1402。": the last part's
         * unit left out, the list's own unit meant. */
        sum += t->value;
        n_parts++;
        last = p;
        if (sum == tt->value)
          reaches = true;
        continue;
      }
      if (t->type != TK_COUNT || depth > 0)
        continue;
      if (t->unit != tt->unit ||
          (c->cl[t->clause].kinds & KBIT(GK_PW_COMPARE))) {
        mixed = true;
        continue;
      }
      sum += t->value;
      n_parts++;
      last = p;
      approx |= (t->flags & TKF_APPROX) != 0;
      etc |= (t->flags & TKF_ETC) != 0;
      if (sum == tt->value)
        reaches = true;
    }
    if (n_parts == 0)
      continue;
    /* Clauses after the one of 其中, up to the last part's, without a
     * count of their own. */
    for (size_t cl = q->clause + 1; cl <= s->tk[last].clause; cl++)
      if (c->cl[cl].t1 > c->cl[cl].t0 && !c->cl[cl].has_count)
        gaps = true;
    gk__breakdown *b = add_breakdown(c->o);
    if (!b)
      return;
    b->total = tt->value;
    b->sum = sum;
    b->n_parts = n_parts;
    b->approx = approx;
    b->etc = etc;
    b->mixed_units = mixed;
    b->gaps = gaps;
    b->reaches_total = reaches;
    b->unit[gk__utf8_encode(tt->unit, b->unit)] = '\0';
    b->start = s->ch[tt->a].off;
    b->end = char_end(c->o->text, c->o->len, s->ch[s->tk[last].b - 1].off);
  }
}

/* gk__facts_scan() with the vocabulary folded already and the buffers of
 * earlier parts to reuse. */
static gk_status scan_text(gk__arena *a, const vocab *v, work *w,
                           const char *text, size_t len, int part, int year,
                           gk__facts *f) {
  scan s;
  memset(&s, 0, sizeof s);
  ctx c;
  memset(&c, 0, sizeof c);
  /* The output arrays grow in the arena; a grown array is a fresh copy,
   * so the capacity of what *f holds now is its length. */
  emit o = {a, f, f->n_facts, f->n_breakdowns, part, NULL, text, len};
  folded fo;
  if (!fold_text(v, text, len, &w->fb, &fo) ||
      gk__array_grow(&w->tk, &w->cap_tk, fo.n_pos + 1, sizeof *w->tk,
                     SIZE_MAX) != GK_OK ||
      gk__array_grow(&w->cl, &w->cap_cl, fo.n_pos + 2, sizeof *w->cl,
                     SIZE_MAX) != GK_OK ||
      gk__array_grow(&w->se, &w->cap_se, fo.n_pos + 2, sizeof *w->se,
                     SIZE_MAX) != GK_OK)
    return GK_ENOMEM;
  const fch *ch = fo.ch;
  s.ch = ch;
  s.n = fo.n;
  s.text = text;
  s.v = v;
  s.year = year;
  s.tk = w->tk;
  s.cl = w->cl;
  s.se = w->se;
  tokenize(&s, fo.pos, fo.n_pos);
  o.ch = ch;
  c.s = &s;
  c.o = &o;
  c.cl = s.cl;
  c.n_cl = s.n_cl;
  c.se = s.se;
  c.n_se = s.n_se;
  for (size_t cl = 0; cl < c.n_cl; cl++) {
    if (c.cl[cl].t1 == c.cl[cl].t0)
      continue;
    clause_counts(&c, cl);
    clause_none(&c, cl);
    clause_fee(&c, cl);
  }
  for (size_t se = 0; se < c.n_se; se++)
    if (c.se[se].t1 > c.se[se].t0)
      sentence_breakdowns(&c, se);
  return gk__arena_failed(a) ? GK_ENOMEM : GK_OK;
}

gk_status gk__facts_scan(gk__arena *a, const char *text, size_t len, int part,
                         int year, gk__facts *f) {
  if (!text || len == 0)
    return GK_OK;
  const vocab *v = vocab_get();
  if (!v)
    return GK_ENOMEM;
  work w;
  memset(&w, 0, sizeof w);
  gk_status st = scan_text(a, v, &w, text, len, part, year, f);
  work_free(&w);
  return st;
}

/* ---------------------------------------------------------- the report */

/* Appends the trimmed text of layout line li (its runs joined by one
 * space, as the parser joins them) to *buf; returns its length, or
 * SIZE_MAX when memory ran out. */
static size_t layout_line_text(const gk__layout *l, size_t li, char **buf,
                               size_t *cap) {
  size_t need = gk__layout_line_bytes(l, li);
  if (need > *cap) {
    char *p = realloc(*buf, need);
    if (!p)
      return SIZE_MAX;
    *buf = p;
    *cap = need;
  }
  return gk__layout_line_join(l, li, *buf);
}

/* Layout line li's text as layout_line_text() gives it, without copying,
 * when that is one run's bytes as they stand: a line of a single run
 * that neither starts nor ends with what could be white space or a CR.
 * NULL otherwise (the caller copies).  *len is its length. */
static const char *plain_line(const gk__layout *l, size_t li, size_t *len) {
  const gk__line *ln = &l->lines[li];
  const gk__run *only = NULL;
  for (uint32_t i = 0; i < ln->n_runs; i++) {
    const gk__run *run = &l->runs[ln->first_run + i];
    if (run->len == 0)
      continue;
    if (only)
      return NULL;
    only = run;
  }
  *len = 0;
  if (!only)
    return "";
  const unsigned char *t = (const unsigned char *)only->text;
  /* The first bytes of the white space gk__is_space() knows and of CR;
   * the last bytes of it. */
  unsigned a = t[0], z = t[only->len - 1];
  if (a == ' ' || (a >= 0x09 && a <= 0x0D) || a == 0xC2 || a == 0xE2 ||
      a == 0xE3 || a == 0xEF)
    return NULL;
  if (z == ' ' || (z >= 0x09 && z <= 0x0D) || z == 0xA0 ||
      (z >= 0x80 && z <= 0x8B) || z == 0xBF)
    return NULL;
  *len = only->len;
  return only->text;
}

static bool in_table(const gk_report *r, uint32_t lineno) {
  for (int t = 0; t < GK_N_TABLES; t++) {
    const gk__table *tab = r->tables[t];
    if (tab && lineno >= tab->first_line && lineno <= tab->last_line)
      return true;
  }
  return false;
}

/* Finds where each source line of a part begins in the part's text: the
 * parser built the text from the part's lines outside the tables, in
 * order, joined by nothing, a space or a blank line. */
static gk_status map_lines(gk_report *r, const gk__section *sec, size_t tlen,
                           bool sorted, gk__facts_lines *out) {
  const gk__layout *l = &r->layout;
  const char *text = sec->pub.text;
  size_t cursor = 0, n = 0, cap = 0, cap_line = 0;
  size_t *off = NULL;
  uint32_t *line = NULL;
  char *buf = NULL;
  size_t bufcap = 0;
  gk_status st = GK_OK;
  /* With line numbers in order, the part's lines are one run of them:
   * start at its first instead of reading every line of the report for
   * every part. */
  size_t li = 0;
  if (sorted) {
    size_t hi = l->n_lines;
    while (li < hi) {
      size_t mid = li + (hi - li) / 2;
      if (l->lines[mid].lineno <= sec->pub.line)
        li = mid + 1;
      else
        hi = mid;
    }
  }
  for (; li < l->n_lines && cursor < tlen; li++) {
    uint32_t no = l->lines[li].lineno;
    if (sorted && no > sec->end_line)
      break;
    if (no <= sec->pub.line || no > sec->end_line || in_table(r, no))
      continue;
    size_t len;
    const char *lt = plain_line(l, li, &len);
    if (!lt) {
      len = layout_line_text(l, li, &buf, &bufcap);
      if (len == SIZE_MAX) {
        st = GK_ENOMEM;
        break;
      }
      lt = buf;
    }
    if (len == 0)
      continue;
    size_t at = cursor;
    while (at < tlen && (text[at] == '\n' || text[at] == ' '))
      at++;
    /* lt is never NULL: layout_line_text() needs gk__layout_line_bytes() >= 1
     * (the NUL) bytes, so it has realloc()ed buf before it returns. */
    // NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker)
    if (tlen - at < len || memcmp(text + at, lt, len) != 0)
      continue;
    if (gk__arena_array_grow(&r->arena, &off, &cap, n, n + 1, sizeof *off,
                             SIZE_MAX) != GK_OK ||
        gk__arena_array_grow(&r->arena, &line, &cap_line, n, n + 1,
                             sizeof *line, SIZE_MAX) != GK_OK) {
      st = GK_ENOMEM;
      break;
    }
    off[n] = at;
    line[n] = no;
    n++;
    cursor = at + len;
  }
  free(buf);
  out->offset = off;
  out->line = line;
  out->n = n;
  return st;
}

/* Reads the facts of every part; `given` (per part number) says where the
 * part's source lines start in its text, else they are found in the
 * layout. */
static gk_status extract(gk_report *r, const gk__facts_lines *given) {
  if (r->facts)
    return GK_OK;
  gk__facts *f = gk__arena_calloc(&r->arena, 1, sizeof *f);
  if (!f)
    return GK_ENOMEM;
  const vocab *v = vocab_get();
  if (!v)
    return GK_ENOMEM;
  work w;
  memset(&w, 0, sizeof w);
  bool sorted = true;
  for (size_t li = 1; li < r->layout.n_lines && sorted; li++)
    sorted = r->layout.lines[li - 1].lineno <= r->layout.lines[li].lineno;
  gk_status st = GK_OK;
  for (size_t i = 0; i < r->n_sections; i++) {
    const gk__section *sec = &r->sections[i];
    int part = sec->pub.number;
    if (part < 1 || part > 6 || !sec->pub.text)
      continue;
    size_t nf = f->n_facts, nb = f->n_breakdowns;
    size_t tlen = strlen(sec->pub.text);
    if (tlen > 0)
      st = scan_text(&r->arena, v, &w, sec->pub.text, tlen, part, r->year, f);
    if (st == GK_OK && given)
      f->lines[part] = given[part];
    else if (st == GK_OK)
      st = map_lines(r, sec, tlen, sorted, &f->lines[part]);
    if (st != GK_OK)
      break;
    /* A count's line is the number's (the unit ends the span); a
     * statement's is where it starts. */
    for (size_t k = nf; k < f->n_facts; k++) {
      const gk__fact *x = &f->facts[k];
      size_t at = (x->flags & GK_FACT_HAS_VALUE) && x->end > x->start
                      ? x->end - 1
                      : x->start;
      f->facts[k].line = gk__facts_lineno(f, part, at);
    }
    for (size_t k = nb; k < f->n_breakdowns; k++)
      f->breakdowns[k].line = gk__facts_lineno(f, part, f->breakdowns[k].start);
    /* A part without mappable lines still points at its heading. */
    for (size_t k = nf; k < f->n_facts; k++)
      if (!f->facts[k].line)
        f->facts[k].line = sec->pub.line;
    for (size_t k = nb; k < f->n_breakdowns; k++)
      if (!f->breakdowns[k].line)
        f->breakdowns[k].line = sec->pub.line;
  }
  work_free(&w);
  if (st != GK_OK)
    return st;
  r->facts = f;
  return GK_OK;
}

/* Whether a non-empty word is ideographs only.  Such a word cannot
 * straddle the space that joins two runs, nor the white space a line's
 * text is trimmed of, so it is found in the runs themselves exactly where
 * it is found in the line's text. */
static bool ideographs_only(const char *w) {
  size_t len = strlen(w);
  if (len == 0)
    return false;
  for (size_t i = 0; i < len;) {
    int32_t cp;
    size_t n = gk__utf8_decode(w + i, len - i, &cp);
    if (n != 3 || !gk__is_cjk(cp))
      return false;
    i += n;
  }
  return true;
}

/* Words of report_mentions() looked for by their code points
 * in the stream first, at most this many of at most MENTION_CPS. */
#define MENTION_MAX_WORDS 16
_Static_assert(MENTION_MAX_WORDS <= GK_FIND_ANY_MAX,
               "every word's first character fits gk__cps_find_any's set");
#define MENTION_CPS 16

/* Whether layout line li's text (its runs joined by a space, trimmed, as a
 * C string) holds one of the words of ws, all ideographs. */
static bool line_mentions(const gk__layout *l, size_t li,
                          const gk__wordset *ws) {
  const gk__line *ln = &l->lines[li];
  for (uint32_t i = 0; i < ln->n_runs; i++) {
    const gk__run *run = &l->runs[ln->first_run + i];
    /* The line's text is a C string: a NUL ends it. */
    const char *nul = run->len ? memchr(run->text, 0, run->len) : NULL;
    size_t len = nul ? (size_t)(nul - run->text) : run->len;
    const unsigned char *t = (const unsigned char *)run->text;
    for (size_t q = 0; q < len; q = gk__wordset_step(ws, t, len, q))
      if (gk__wordset_at(ws, t, len, q))
        return true;
    if (nul)
      break;
  }
  return false;
}

static bool report_mentions(const gk_report *r, const gk__stream *st,
                            const char *const *words) {
  const gk__layout *l = &r->layout;
  size_t n_words = 0;
  bool fast = true;
  while (words[n_words])
    fast &= ideographs_only(words[n_words++]);
  if (fast && n_words <= GK_WORDSET_MAX) {
    /* The fast way: a run's bytes once, a position compared only with the
     * words that start with its first two bytes (a word of ideographs
     * cannot straddle the space that joins two runs, nor the white space
     * the text is trimmed of).  And first, the parser's stream: an
     * ideograph folds to itself and white space only drops out, so a line
     * whose text holds a word has the word's characters in a row there.
     * The stream is read once, all lines together; only the lines where
     * a word's characters are found have their text read. */
    gk__wordset ws;
    gk__wordset_init(&ws, words, n_words);
    int32_t cps[MENTION_MAX_WORDS][MENTION_CPS];
    size_t n_cps[MENTION_MAX_WORDS];
    /* The words' first characters, each once. */
    int32_t firsts[MENTION_MAX_WORDS];
    size_t n_firsts = 0;
    if (n_words > MENTION_MAX_WORDS)
      st = NULL;
    for (size_t k = 0; st && k < n_words; k++) {
      n_cps[k] = 0;
      if (gk__str_chars(words[k]) < MENTION_CPS)
        n_cps[k] = gk__utf8_cps(words[k], cps[k], MENTION_CPS);
      if (n_cps[k] == 0) {
        st = NULL;
        break;
      }
      size_t f = 0;
      while (f < n_firsts && firsts[f] != cps[k][0])
        f++;
      if (f == n_firsts)
        firsts[n_firsts++] = cps[k][0];
    }
    if (!st) {
      for (size_t li = 0; li < l->n_lines; li++)
        if (line_mentions(l, li, &ws))
          return true;
      return false;
    }
    const int32_t *cp = st->cp;
    size_t n = st->n, last = SIZE_MAX;
    for (size_t i = gk__cps_find_any(cp, 0, n, firsts, n_firsts); i < n;
         i = gk__cps_find_any(cp, i + 1, n, firsts, n_firsts)) {
      size_t li = st->ch[i].line;
      if (li == last)
        continue;
      for (size_t k = 0; k < n_words; k++) {
        if (i + n_cps[k] > st->line_end[li] ||
            memcmp(cp + i, cps[k], n_cps[k] * sizeof *cp) != 0)
          continue;
        /* The first candidate of this line: its text decides. */
        if (line_mentions(l, li, &ws))
          return true;
        last = li;
        break;
      }
    }
    return false;
  }
  char *buf = NULL;
  size_t cap = 0;
  bool found = false;
  for (size_t li = 0; li < l->n_lines && !found; li++) {
    if (layout_line_text(l, li, &buf, &cap) == SIZE_MAX)
      break;
    for (size_t k = 0; words[k] && !found; k++)
      /* buf is not NULL here: see map_lines() on layout_line_text(). */
      // NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker)
      found = strstr(buf, words[k]) != NULL;
  }
  free(buf);
  return found;
}

gk_status gk__parse_prose(gk_report *r, const gk__stream *st) {
  if (st && st->layout != &r->layout)
    st = NULL;
  gk_status status = extract(r, NULL);
  if (status != GK_OK)
    return status;
  /* Anywhere in the report: the preamble and lines the parser could not
   * place in a part count too. */
  r->facts->mentions_accountability =
      report_mentions(r, st, gk__accountability_words);
  return gk__arena_failed(&r->arena) ? GK_ENOMEM : GK_OK;
}

gk_status gk__parse_prose_lines(gk_report *r, const gk__facts_lines lines[7],
                                bool mentions_accountability) {
  gk_status status = extract(r, lines);
  if (status != GK_OK)
    return status;
  r->facts->mentions_accountability = mentions_accountability;
  return gk__arena_failed(&r->arena) ? GK_ENOMEM : GK_OK;
}
