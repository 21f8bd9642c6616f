/*
 * test_pdf_grid.c - unit tests of src/readers/pdf_grid.c, the geometry of
 * a PDF page, without a PDF: each test lays synthetic character boxes and
 * ruling lines on a page and looks at the grid and lines found, the way
 * pdfplumber's table tests drive words_to_edges -> merge_edges ->
 * intersections -> cells -> tables.
 *
 * Coordinates are in points, y growing down the page (MuPDF's device
 * space, which read_pdf.c turns to the page's reading orientation).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "harness.h"
#include "readers/pdf_grid.h"

/* ------------------------------------------------------------- helpers */

/* A character of font size 10 with its box's top left at (x, y): 10 by
 * 10 points, the baseline 2 points above the box's bottom. */
static void put_char(gk__pdf_page *pw, int32_t cp, float x, float y) {
  if (gk__array_grow(&pw->ch, &pw->cap_ch, pw->n_ch + 1, sizeof *pw->ch,
                     SIZE_MAX) != GK_OK) {
    pw->oom = true;
    return;
  }
  gk__pdf_char *c = &pw->ch[pw->n_ch];
  memset(c, 0, sizeof *c);
  c->cp = cp;
  c->x0 = x;
  c->y0 = y;
  c->x1 = x + 10;
  c->y1 = y + 10;
  c->base = y + 8;
  c->size = 10;
  c->seq = (uint32_t)pw->n_ch;
  c->cell = -1;
  c->slot = -1;
  pw->n_ch++;
}

/* ASCII text, one 10-point character after another from x. */
static void put_text(gk__pdf_page *pw, const char *s, float x, float y) {
  for (; *s; s++, x += 10)
    put_char(pw, (int32_t)(unsigned char)*s, x, y);
}

static void new_page(gk__pdf_page *pw) {
  memset(pw, 0, sizeof *pw);
  pw->top = 0;
  pw->bottom = 800;
}

/* The characters of order[from..from+n) as ASCII. */
static const char *text_of(const gk__pdf_page *pw, size_t from, size_t n) {
  static char s[64];
  size_t k = 0;
  for (size_t i = 0; i < n && k + 1 < sizeof s; i++)
    s[k++] = (char)pw->ch[pw->order[from + i]].cp;
  s[k] = '\0';
  return s;
}

/* The characters of slot s as ASCII. */
static const char *slot_text(const gk__pdf_page *pw, size_t s) {
  size_t a = pw->slot_first[s], b = pw->slot_first[s + 1];
  return text_of(pw, pw->n_loose + a, b - a);
}

/* A table of n_rows x n_cols cells, each w by h points, its top left at
 * (x, y): every ruling drawn as one stroke. */
static void rule_grid(gk__pdf_page *pw, float x, float y, int n_rows,
                      int n_cols, float w, float h) {
  for (int r = 0; r <= n_rows; r++)
    gk__pdf_add_line(pw, x, y + (float)r * h, x + (float)n_cols * w,
                     y + (float)r * h);
  for (int c = 0; c <= n_cols; c++)
    gk__pdf_add_line(pw, x + (float)c * w, y, x + (float)c * w,
                     y + (float)n_rows * h);
}

/* ------------------------------------------------------------- rulings */

TEST(rulings_from_lines_and_boxes) {
  gk__pdf_page pw;
  new_page(&pw);
  gk__pdf_add_line(&pw, 0, 10, 100, 10.3f); /* level: horizontal */
  gk__pdf_add_line(&pw, 5, 0, 5.2f, 50);    /* upright: vertical */
  gk__pdf_add_line(&pw, 0, 0, 100, 50);     /* slanted: none */
  gk__pdf_add_line(&pw, 0, 0, 3, 0);        /* too short */
  gk__pdf_add_box(&pw, 0, 0, 100, 2);       /* a hairline box */
  gk__pdf_add_box(&pw, 0, 0, 2, 100);       /* an upright one */
  gk__pdf_add_box(&pw, 0, 0, 100, 10);      /* a filled block */
  gk__pdf_add_box(&pw, 10, 0, 0, 2);        /* inverted */
  gk__pdf_add_box(&pw, 0, 0, NAN, 2);       /* not finite */
  CHECK_FALSE(pw.oom);
  CHECK_FALSE(pw.rulings_overflow);
  if (CHECK_UINT_EQ(pw.h.n, 2)) {
    CHECK_TRUE(fabsf(pw.h.v[0].pos - 10.15f) < 1e-4f);
    CHECK_TRUE(pw.h.v[0].lo == 0 && pw.h.v[0].hi == 100);
    CHECK_TRUE(pw.h.v[1].pos == 1 && pw.h.v[1].hi == 100);
  }
  if (CHECK_UINT_EQ(pw.v.n, 2)) {
    CHECK_TRUE(fabsf(pw.v.v[0].pos - 5.1f) < 1e-4f);
    CHECK_TRUE(pw.v.v[0].lo == 0 && pw.v.v[0].hi == 50);
    CHECK_TRUE(pw.v.v[1].pos == 1 && pw.v.v[1].hi == 100);
  }
  gk__pdf_page_free(&pw);
}

TEST(rulings_cap) {
  gk__pdf_page pw;
  new_page(&pw);
  for (unsigned i = 0; i < GK_PDF_MAX_RULINGS; i++)
    gk__pdf_add_line(&pw, 0, (float)i, 100, (float)i);
  CHECK_FALSE(pw.rulings_overflow);
  gk__pdf_add_line(&pw, 0, 0, 0, 100);
  CHECK_TRUE(pw.rulings_overflow);
  CHECK_UINT_EQ(pw.h.n + pw.v.n, GK_PDF_MAX_RULINGS);
  /* Past the cap the rulings are ignored: the text is read by lines. */
  put_text(&pw, "ab", 10, 10);
  CHECK_STATUS(GK_OK, gk__pdf_grid_page(&pw));
  CHECK_UINT_EQ(pw.n_cells, 0);
  CHECK_UINT_EQ(pw.n_rows, 0);
  CHECK_UINT_EQ(pw.n_items, 1);
  gk__pdf_page_free(&pw);
}

TEST(rulings_merge) {
  gk__pdf_segs sv = {0};
  const gk__pdf_seg in[] = {
      {100, 0, 50},    {100.5f, 300, 400}, {100, 51, 100},
      {100, 110, 200}, {200, 0, 10},
  };
  sv.v = malloc(sizeof in);
  if (!CHECK_NOT_NULL(sv.v))
    return;
  memcpy(sv.v, in, sizeof in);
  sv.n = sv.cap = sizeof in / sizeof in[0];
  gk__pdf_merge_rulings(&sv);
  /* A border drawn piece by piece is one ruling; pieces apart stay
   * apart, and a piece half a point off is on the same line. */
  if (CHECK_UINT_EQ(sv.n, 4)) {
    CHECK_TRUE(sv.v[0].pos == 100 && sv.v[0].lo == 0 && sv.v[0].hi == 100);
    CHECK_TRUE(sv.v[1].pos == 100 && sv.v[1].lo == 110 && sv.v[1].hi == 200);
    CHECK_TRUE(sv.v[2].pos == 100 && sv.v[2].lo == 300 && sv.v[2].hi == 400);
    CHECK_TRUE(sv.v[3].pos == 200 && sv.v[3].lo == 0 && sv.v[3].hi == 10);
  }
  free(sv.v);
}

/* --------------------------------------------------------------- lines */

TEST(lines_by_baseline) {
  gk__pdf_page pw;
  new_page(&pw);
  /* Drawn out of order, the second a point lower: one visual line, read
   * left to right; a third character well below is the next line. */
  put_char(&pw, 'b', 20, 101);
  put_char(&pw, 'a', 10, 100);
  put_char(&pw, 'c', 10, 130);
  CHECK_STATUS(GK_OK, gk__pdf_grid_page(&pw));
  CHECK_UINT_EQ(pw.n_loose, 3);
  CHECK_UINT_EQ(pw.n_rows, 0);
  if (CHECK_UINT_EQ(pw.n_items, 2)) {
    CHECK_FALSE(pw.items[0].is_row);
    CHECK_STR_EQ(text_of(&pw, pw.items[0].index, pw.items[0].n), "ab");
    CHECK_STR_EQ(text_of(&pw, pw.items[1].index, pw.items[1].n), "c");
  }
  CHECK_UINT_EQ(pw.brk[0], 1);
  CHECK_UINT_EQ(pw.brk[1], 0);
  CHECK_UINT_EQ(pw.brk[2], 1);
  gk__pdf_page_free(&pw);
}

TEST(empty_page) {
  gk__pdf_page pw;
  new_page(&pw);
  CHECK_STATUS(GK_OK, gk__pdf_grid_page(&pw));
  CHECK_UINT_EQ(pw.n_items, 0);
  CHECK_UINT_EQ(pw.n_loose, 0);
  gk__pdf_page_free(&pw);
}

/* --------------------------------------------------------------- grid */

TEST(ruled_table) {
  gk__pdf_page pw;
  new_page(&pw);
  put_text(&pw, "T", 60, 50); /* a title above */
  rule_grid(&pw, 50, 100, 2, 3, 100, 20);
  put_text(&pw, "ab", 60, 105); /* row 0: "ab" | "1" | blank */
  put_text(&pw, "1", 160, 105);
  put_text(&pw, "cd", 60, 125); /* row 1: "cd" | blank | "23" */
  put_text(&pw, "23", 260, 125);
  put_text(&pw, "E", 60, 200); /* a line below */
  CHECK_STATUS(GK_OK, gk__pdf_grid_page(&pw));
  CHECK_UINT_EQ(pw.n_cells, 4);
  if (!CHECK_UINT_EQ(pw.n_rows, 2) || !CHECK_UINT_EQ(pw.n_slots, 6))
    goto done;
  for (size_t r = 0; r < 2; r++) {
    const gk__pdf_row *rw = &pw.rows[r];
    CHECK_INT_EQ(rw->table, 0);
    CHECK_INT_EQ(rw->index, (int)r);
    CHECK_UINT_EQ(rw->n_slots, 3);
    CHECK_UINT_EQ(rw->slot0, 3 * r);
    CHECK_TRUE(rw->t == 100 + 20 * (float)r && rw->b == rw->t + 20);
    for (uint32_t s = 0; s < 3; s++) {
      const gk__pdf_slot *sl = &pw.slots[rw->slot0 + s];
      CHECK_TRUE(sl->x0 == 50 + 100 * (float)s && sl->x1 == sl->x0 + 100);
      CHECK_UINT_EQ(sl->row, r);
    }
  }
  CHECK_STR_EQ(slot_text(&pw, 0), "ab");
  CHECK_STR_EQ(slot_text(&pw, 1), "1");
  CHECK_STR_EQ(slot_text(&pw, 2), "");
  CHECK_STR_EQ(slot_text(&pw, 3), "cd");
  CHECK_STR_EQ(slot_text(&pw, 4), "");
  CHECK_STR_EQ(slot_text(&pw, 5), "23");
  /* Down the page: the title, the two rows, the line below. */
  if (CHECK_UINT_EQ(pw.n_items, 4)) {
    CHECK_FALSE(pw.items[0].is_row);
    CHECK_STR_EQ(text_of(&pw, pw.items[0].index, pw.items[0].n), "T");
    CHECK_TRUE(pw.items[1].is_row && pw.items[1].index == 0);
    CHECK_TRUE(pw.items[2].is_row && pw.items[2].index == 1);
    CHECK_FALSE(pw.items[3].is_row);
    CHECK_STR_EQ(text_of(&pw, pw.items[3].index, pw.items[3].n), "E");
  }
done:
  gk__pdf_page_free(&pw);
}

TEST(two_tables_apart) {
  gk__pdf_page pw;
  new_page(&pw);
  rule_grid(&pw, 50, 100, 1, 2, 100, 20);
  put_text(&pw, "a", 60, 105);
  rule_grid(&pw, 50, 300, 1, 2, 100, 20);
  put_text(&pw, "b", 60, 305);
  CHECK_STATUS(GK_OK, gk__pdf_grid_page(&pw));
  if (CHECK_UINT_EQ(pw.n_rows, 2)) {
    /* A gap between the rows: two tables, each starting at its row 0. */
    CHECK_INT_EQ(pw.rows[0].table, 0);
    CHECK_INT_EQ(pw.rows[1].table, 1);
    CHECK_INT_EQ(pw.rows[1].index, 0);
  }
  gk__pdf_page_free(&pw);
}

TEST(frame_is_no_table) {
  gk__pdf_page pw;
  new_page(&pw);
  /* A box around prose, and elsewhere an upright rule: nothing is ruled
   * beside the box, so its text is ordinary lines. */
  rule_grid(&pw, 50, 100, 1, 1, 300, 200);
  gk__pdf_add_line(&pw, 500, 400, 500, 500);
  put_text(&pw, "xy", 60, 150);
  CHECK_STATUS(GK_OK, gk__pdf_grid_page(&pw));
  CHECK_UINT_EQ(pw.n_cells, 0);
  CHECK_UINT_EQ(pw.n_rows, 0);
  CHECK_UINT_EQ(pw.n_loose, 2);
  gk__pdf_page_free(&pw);
}

TEST(cell_of_prose_is_no_cell) {
  gk__pdf_page pw;
  new_page(&pw);
  /* Two ruled cells side by side, the right one blank; the left holds 41
   * visual lines (over MAX_CELL_LINES): a frame of prose, read as lines. */
  rule_grid(&pw, 50, 0, 1, 2, 100, 800);
  for (int i = 0; i < 41; i++)
    put_char(&pw, 'p', 60, 5 + 15 * (float)i);
  CHECK_STATUS(GK_OK, gk__pdf_grid_page(&pw));
  if (CHECK_UINT_EQ(pw.n_cells, 1))
    CHECK_FALSE(pw.cells[0].ok);
  CHECK_UINT_EQ(pw.n_rows, 0);
  CHECK_UINT_EQ(pw.n_loose, 41);
  CHECK_UINT_EQ(pw.n_items, 41);
  /* With 40 lines it is a cell: one row, the text in its first slot. */
  pw.n_ch--;
  CHECK_STATUS(GK_OK, gk__pdf_grid_page(&pw));
  CHECK_UINT_EQ(pw.n_loose, 0);
  if (CHECK_UINT_EQ(pw.n_rows, 1))
    CHECK_UINT_EQ(pw.slot_first[1] - pw.slot_first[0], 40);
  gk__pdf_page_free(&pw);
}

TEST(row_without_top_ruling) {
  gk__pdf_page pw;
  new_page(&pw);
  /* A table continued from the previous page: no ruling on top; the
   * first row's top is where the vertical rulings begin. */
  gk__pdf_add_line(&pw, 50, 120, 350, 120);
  gk__pdf_add_line(&pw, 50, 140, 350, 140);
  for (int c = 0; c <= 3; c++)
    gk__pdf_add_line(&pw, 50 + 100 * (float)c, 100, 50 + 100 * (float)c, 140);
  put_text(&pw, "a", 60, 105);
  put_text(&pw, "b", 160, 125);
  CHECK_STATUS(GK_OK, gk__pdf_grid_page(&pw));
  CHECK_UINT_EQ(pw.n_loose, 0);
  if (CHECK_UINT_EQ(pw.n_rows, 2)) {
    CHECK_STR_EQ(slot_text(&pw, pw.rows[0].slot0), "a");
    CHECK_STR_EQ(slot_text(&pw, pw.rows[1].slot0 + 1), "b");
  }
  gk__pdf_page_free(&pw);
}

/* -------------------------------------------------------- page numbers */

TEST(page_number_dropped) {
  static const int32_t forms[][8] = {
      {'-', ' ', '4', ' ', '-', 0},
      {0x7B2C /* 第 */, '3', 0x9875 /* 页 */, 0},
      {0x7B2C, '3', 0x9875, 0x5171 /* 共 */, '8', 0x9875, 0},
      {'3', '/', '8', 0},
  };
  for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
    gk__pdf_page pw;
    new_page(&pw);
    put_text(&pw, "body", 60, 400);
    float x = 300;
    for (const int32_t *cp = forms[f]; *cp; cp++, x += 10)
      if (*cp != ' ')
        put_char(&pw, *cp, x, 780);
    CHECK_STATUS(GK_OK, gk__pdf_grid_page(&pw));
    if (CHECK_UINT_EQ(pw.n_items, 1))
      CHECK_STR_EQ(text_of(&pw, pw.items[0].index, pw.items[0].n), "body");
    gk__pdf_page_free(&pw);
  }
}

TEST(page_number_kept) {
  gk__pdf_page pw;
  new_page(&pw);
  /* The same "- 4 -" in the middle of the page is text; "12345" at the
   * bottom is too long for a page number. */
  put_text(&pw, "-4-", 300, 400);
  put_text(&pw, "12345", 300, 780);
  CHECK_STATUS(GK_OK, gk__pdf_grid_page(&pw));
  CHECK_UINT_EQ(pw.n_items, 2);
  gk__pdf_page_free(&pw);
}

static const gk_test gk_tests[] = {
    TEST_ENTRY(rulings_from_lines_and_boxes),
    TEST_ENTRY(rulings_cap),
    TEST_ENTRY(rulings_merge),
    TEST_ENTRY(lines_by_baseline),
    TEST_ENTRY(empty_page),
    TEST_ENTRY(ruled_table),
    TEST_ENTRY(two_tables_apart),
    TEST_ENTRY(frame_is_no_table),
    TEST_ENTRY(cell_of_prose_is_no_cell),
    TEST_ENTRY(row_without_top_ruling),
    TEST_ENTRY(page_number_dropped),
    TEST_ENTRY(page_number_kept),
};

GK_TEST_MAIN(gk_tests)
