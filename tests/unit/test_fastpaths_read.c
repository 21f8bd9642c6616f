/*
 * test_fastpaths_read.c - the readers' fast paths against their plain
 * loops (issue 12, the readers' pass): the text and Markdown readers are
 * run on made-up inputs with gk__read_fast_paths on and off, and must give
 * the same layout (or the same refusal) on every one; the base helpers
 * they scan with (sixteen bytes at a time) are compared with byte loops,
 * and the layout floor's arena mode (gk__lines_reserve) with its malloc'd
 * one.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "model.h"
#include "readers/layout_build.h"
#include "readers/readers.h"

/* Pieces a generated document is made of: what either reader splits at
 * or cleans (line ends of every kind, tabs, pipes, escapes, inline
 * Markdown, pandoc rules), and text long enough to fill a 16-byte block
 * on its own. */
static const char *const pieces[] = {
    "一",
    "公开",
    "依申请公开政府信息情况统计表",
    "abcdefghijklmnopqrstuvwxyz",
    "12",
    "0",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "|",
    "| ",
    "\\|",
    "\\",
    "\\\\",
    "*",
    "**",
    "***",
    "`",
    "!",
    "[",
    "]",
    "(",
    ")",
    "[链接](http://x)",
    "![图](y.png)",
    "<br>",
    "<BR />",
    "---",
    "----- ----",
    "- ",
    "# ",
    "> ",
    "\f",
    "\v",
    ":--:",
    "|---|---|\n",
    "| 收到申请数 | 12 | 3 |\n",
};

/* A document of about `target` bytes of random pieces into buf (room for
 * target + 64); returns its length. */
static size_t make_doc(uint32_t *state, char *buf, size_t target) {
  size_t n = 0;
  while (n < target) {
    const char *p = pieces[next_rand(state) % (sizeof pieces / sizeof *pieces)];
    size_t k = strlen(p);
    // NOLINTNEXTLINE(bugprone-not-null-terminated-result): length-counted bytes
    memcpy(buf + n, p, k);
    n += k;
  }
  return n;
}

/* Whether two layouts are the same: lines, and runs by their text's bytes
 * (the Markdown reader's point into each read's own arena), length,
 * field, table cell and geometry. */
static bool same_layout(const gk__layout *x, const gk__layout *y) {
  if (x->n_lines != y->n_lines || x->n_runs != y->n_runs)
    return false;
  for (size_t i = 0; i < x->n_lines; i++)
    if (x->lines[i].lineno != y->lines[i].lineno ||
        x->lines[i].first_run != y->lines[i].first_run ||
        x->lines[i].n_runs != y->lines[i].n_runs)
      return false;
  for (size_t i = 0; i < x->n_runs; i++) {
    const gk__run *a = &x->runs[i], *b = &y->runs[i];
    if (a->len != b->len || a->field != b->field || a->table != b->table ||
        a->row != b->row || a->col != b->col || a->page != b->page ||
        a->x0 != b->x0 || a->y0 != b->y0 || a->x1 != b->x1 || a->y1 != b->y1 ||
        (a->len && memcmp(a->text, b->text, a->len) != 0))
      return false;
  }
  return true;
}

/* One Markdown read with the fast paths on or off, into its own report. */
static gk_status read_md(gk_report *r, const char *doc, size_t len, bool fast,
                         gk__layout *out, const char **detail) {
  memset(r, 0, sizeof *r);
  gk__arena_init(&r->arena);
  memset(out, 0, sizeof *out);
  *detail = NULL;
  gk__read_fast_paths = fast;
  gk_status st = gk__read_markdown(r, doc, len, out, detail);
  gk__read_fast_paths = true;
  return st;
}

TEST(text_reader_fast_matches_plain) {
  uint32_t state = 0x9E3779B9u;
  char *buf = malloc(2048 + 64);
  if (!CHECK_NOT_NULL(buf))
    return;
  int same = 0;
  for (int k = 0; k < 3000; k++) {
    size_t len = make_doc(&state, buf, next_rand(&state) % 2048);
    gk__arena fa, pa;
    gk__arena_init(&fa);
    gk__arena_init(&pa);
    gk__layout fl = {0}, pl = {0};
    gk__read_fast_paths = false;
    gk_status ps = gk__read_text(&pa, buf, len, &pl);
    gk__read_fast_paths = true;
    gk_status fs = gk__read_text(&fa, buf, len, &fl);
    /* The text reader's runs point into the text itself: the same
     * pointers, not only the same bytes. */
    bool ok = fs == ps && same_layout(&fl, &pl);
    for (size_t i = 0; ok && i < fl.n_runs; i++)
      ok = fl.runs[i].text == pl.runs[i].text;
    same += ok;
    gk__arena_free(&fa);
    gk__arena_free(&pa);
  }
  CHECK_INT_EQ(same, 3000);
  free(buf);
}

TEST(markdown_reader_fast_matches_plain) {
  uint32_t state = 0x12345u;
  char *buf = malloc(2048 + 64);
  if (!CHECK_NOT_NULL(buf))
    return;
  int same = 0, tables = 0;
  for (int k = 0; k < 3000; k++) {
    size_t len = make_doc(&state, buf, next_rand(&state) % 2048);
    gk_report fr, pr;
    gk__layout fl, pl;
    const char *fd, *pd;
    gk_status ps = read_md(&pr, buf, len, false, &pl, &pd);
    gk_status fs = read_md(&fr, buf, len, true, &fl, &fd);
    bool ok = fs == ps && (fd == pd || (fd && pd && strcmp(fd, pd) == 0)) &&
              (fs != GK_OK || same_layout(&fl, &pl));
    same += ok;
    for (size_t i = 0; fs == GK_OK && i < fl.n_runs; i++)
      if (fl.runs[i].table >= 0) {
        tables++;
        break;
      }
    gk__arena_free(&fr.arena);
    gk__arena_free(&pr.arena);
  }
  CHECK_INT_EQ(same, 3000);
  /* The generated documents do reach the table paths. */
  CHECK_TRUE(tables > 100);
  free(buf);
}

TEST(mask_and_count_helpers_match_loops) {
  uint32_t state = 77;
  char buf[512 + 16];
  for (int k = 0; k < 2000; k++) {
    size_t n = next_rand(&state) % 512;
    for (size_t i = 0; i < n + 16; i++) {
      /* Mostly the bytes the readers look for, then anything. */
      static const char common[] = "\t\n\r|\\ a\x0d\x0e\x80\xe4";
      uint32_t r = next_rand(&state);
      buf[i] =
          (r & 1) ? common[(r >> 1) % (sizeof common - 1)] : (char)(r >> 8);
    }
    size_t na, nb, wa = 0, wb = 0;
    gk__count_bytes2(buf, n, '|', '\t', &na, &nb);
    for (size_t i = 0; i < n; i++) {
      wa += buf[i] == '|';
      wb += buf[i] == '\t';
    }
    CHECK_TRUE(na == wa && nb == wb);
    uint32_t ctrl = 0, eq = 0;
    for (unsigned i = 0; i < 16; i++) {
      ctrl |= (uint32_t)((unsigned char)buf[i] < 0x0E) << i;
      eq |= (uint32_t)(buf[i] == '\\' || buf[i] == '|') << i;
    }
    CHECK_TRUE(gk__ctrl_mask16(buf) == ctrl);
    CHECK_TRUE(gk__eq_mask16(buf, '\\', '|') == eq);
  }
}

/* The same lines and runs written through a floor in the arena (reserved
 * far too small, so that it grows there) and through a malloc'd one. */
TEST(lines_reserved_in_arena_match_malloced) {
  gk__arena a;
  gk__arena_init(&a);
  gk__lines w[2];
  gk__layout out[2];
  static const char text[] = "runs";
  for (int k = 0; k < 2; k++) {
    gk__lines_init(&w[k], 1000);
    if (k == 1)
      gk__lines_reserve(&w[k], &a, 1, 1);
    for (uint32_t line = 1; line <= 40; line++) {
      for (int32_t c = 0; c < (int32_t)(line % 7); c++)
        gk__lines_run(&w[k], text, line % 5, (int32_t)line, c, c);
      gk__lines_close(&w[k], line, line % 3 == 0);
    }
    CHECK_STATUS(GK_OK, gk__lines_finish(&w[k], &a, "markdown", &out[k]));
    gk__lines_free(&w[k]);
  }
  CHECK_TRUE(out[0].n_runs > 100);
  CHECK_TRUE(same_layout(&out[0], &out[1]));
  /* A floor over its cap fails in the arena as it does in malloc. */
  gk__lines over;
  gk__lines_init(&over, 3);
  gk__lines_reserve(&over, &a, 1, 10);
  for (int c = 0; c < 4; c++)
    gk__lines_run(&over, text, 1, -1, -1, -1);
  CHECK_STATUS(GK_ELIMIT, over.status);
  gk__lines_free(&over);
  gk__arena_free(&a);
}

static const gk_test gk_tests[] = {
    TEST_ENTRY(text_reader_fast_matches_plain),
    TEST_ENTRY(markdown_reader_fast_matches_plain),
    TEST_ENTRY(mask_and_count_helpers_match_loops),
    TEST_ENTRY(lines_reserved_in_arena_match_malloced),
};
GK_TEST_MAIN(gk_tests)
