/*
 * test_render.c - gk_render_pdf_page_png(): a page of a PDF as a PNG of
 * the page's size times the scale, and every refusal as a status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongkai.h"
#include "harness.h"

/* Reads a file of the project's tests into memory (NULL when missing). */
static char *slurp(const char *name, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", GK_TEST_CASES, name);
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *buf = malloc((size_t)1 << 20);
  *len = buf ? fread(buf, 1, (size_t)1 << 20, f) : 0;
  fclose(f);
  return buf;
}

/* The width and height in a PNG's IHDR. */
static void png_size(const unsigned char *p, size_t len, unsigned *w,
                     unsigned *h) {
  *w = *h = 0;
  if (len < 24 || memcmp(p, "\x89PNG\r\n\x1a\n", 8) != 0 ||
      memcmp(p + 12, "IHDR", 4) != 0)
    return;
  *w = (unsigned)p[16] << 24 | (unsigned)p[17] << 16 | (unsigned)p[18] << 8 |
       p[19];
  *h = (unsigned)p[20] << 24 | (unsigned)p[21] << 16 | (unsigned)p[22] << 8 |
       p[23];
}

TEST(render_page_sizes) {
  size_t len = 0;
  char *pdf = slurp("golden/cases/14_pdf_blank_cell.pdf", &len);
  if (!CHECK_NOT_NULL(pdf))
    return;
  unsigned char *png = NULL;
  size_t n = 0;
  double w = 0, h = 0;
  unsigned pw, ph;
  CHECK_STATUS(GK_OK,
               gk_render_pdf_page_png(pdf, len, 2, 1.0, &png, &n, &w, &h));
  png_size(png, n, &pw, &ph);
  CHECK_INT_EQ((long long)w, 595);
  CHECK_INT_EQ((long long)h, 842);
  CHECK_UINT_EQ(pw, 595);
  CHECK_UINT_EQ(ph, 842);
  free(png);
  /* the scale is clamped to 4 pixels a point */
  CHECK_STATUS(
      GK_OK, gk_render_pdf_page_png(pdf, len, 1, 100.0, &png, &n, NULL, NULL));
  png_size(png, n, &pw, &ph);
  CHECK_UINT_EQ(pw, 595 * 4);
  free(png);
  /* no page 4 of 3, no page 0 */
  png = (unsigned char *)"x";
  CHECK_STATUS(GK_ENOENT,
               gk_render_pdf_page_png(pdf, len, 4, 1.0, &png, &n, NULL, NULL));
  CHECK_NULL(png);
  CHECK_STATUS(GK_EINVAL,
               gk_render_pdf_page_png(pdf, len, 0, 1.0, &png, &n, NULL, NULL));
  CHECK_STATUS(GK_EINVAL,
               gk_render_pdf_page_png(NULL, len, 1, 1.0, &png, &n, NULL, NULL));
  free(pdf);
}

TEST(render_refusals) {
  unsigned char *png = NULL;
  size_t n = 0;
  const char junk[] = "this is not a PDF at all";
  CHECK_STATUS(
      GK_EUNSUPPORTED,
      gk_render_pdf_page_png(junk, sizeof junk, 1, 1.0, &png, &n, NULL, NULL));
  CHECK_NULL(png);
  size_t len = 0;
  char *enc = slurp("fuzz/corpus/pdf/encrypted_user_password.pdf", &len);
  if (!CHECK_NOT_NULL(enc))
    return;
  CHECK_STATUS(GK_EUNSUPPORTED,
               gk_render_pdf_page_png(enc, len, 1, 1.0, &png, &n, NULL, NULL));
  CHECK_NULL(png);
  free(enc);
}

static const gk_test gk_tests[] = {
    TEST_ENTRY(render_page_sizes),
    TEST_ENTRY(render_refusals),
};

GK_TEST_MAIN(gk_tests)
