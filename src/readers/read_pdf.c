/*
 * read_pdf.c - PDF to the layout (see layout.h), with MuPDF 1.21.
 *
 * A PDF has no lines, only glyphs at positions and, in the reports we
 * read, the ruling lines of their tables.  This reader rebuilds what a
 * Word "save as text" would have given, so that the one parser reads it:
 *
 * 1. MuPDF runs each page into two devices at once (a tee): its
 *    structured-text device, which gives every character with its box,
 *    and ours, which keeps the horizontal and vertical ruling lines
 *    (stroked lines and rectangles, and filled hairline rectangles).
 * 2. A character enclosed by rulings on all four sides, in a box that has
 *    another ruled cell beside it, is in a table cell.  Cells whose top
 *    rulings agree make one table row: the vertical rulings that cross
 *    the row cut it into its grid cells, and each grid cell becomes one
 *    run, empty when nothing is written in it (a blank cell, or a merged
 *    cell continuing from the row above).  A cell's text that wraps over
 *    several lines is joined into its one run, and a vertical label
 *    ("三、本年度办理结果") is read top to bottom and kept with the first
 *    row it spans.
 * 3. Every other character is grouped into visual lines by its baseline
 *    (a tolerance relative to the font size) and split into runs where
 *    the gap between two characters is wide, so that a table without
 *    rulings still gives one run per cell (blank cells cannot be seen
 *    there).  Glyphs drawn twice for a bold effect are kept once.
 * 4. Table rows and visual lines are put in order down the page, pages one
 *    after another.  Nothing resets at a page break: a table that
 *    continues on the next page continues in the layout.  A header or
 *    footer that is only the page number ("- 4 -", "第 4 页") is dropped,
 *    so that prose running on to the next page joins up.
 *
 * Every run carries its page (1-based) and box in points, in the page's
 * reading orientation; runs from a ruled table also carry their table,
 * row and column.  Lines are numbered 1, 2, ... through the document.
 *
 * MuPDF's exceptions (fz_try/fz_catch) and its messages stay in this
 * file: its warnings and errors are counted, never printed, and every
 * failure becomes a gk_status.  Its memory comes from a capped allocator,
 * so a hostile file fails with GK_ELIMIT instead of exhausting memory.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "model.h"

#if FZ_VERSION_MAJOR != 1 || FZ_VERSION_MINOR < 21
#error "read_pdf.c is written for MuPDF 1.21 (Debian 12's libmupdf-dev)"
#endif

/* ------------------------------------------------------------ limits */

/* Pages in one PDF: 2,000.  Annual reports have 3 to 40; the count is
 * read before any page is, so a 10,000-page file is refused at once. */
#define GK_PDF_MAX_PAGES 2000

/* Characters on one page: 100,000.  A page of 6-point text holds about
 * 10,000; past the cap the page is text drawn to hide something or to
 * exhaust us, and the file is refused with GK_ELIMIT. */
#define GK_PDF_MAX_PAGE_CHARS 100000u

/* The content streams of one page, as stored: 8 MiB.  A page of a real
 * report takes tens of KB (a dense table with every ruling drawn, a few
 * hundred); MuPDF interprets about 45 MB of operators a second (50 MB of
 * path operators: 1.1 s of CPU in the release build), so a page of 50-62
 * MB (under the input cap) cost one to two seconds of CPU before it was
 * refused.  The cap bounds one page's interpretation to about 0.2 s;
 * past it the file is refused with GK_ELIMIT before the page is run.  (A stream
 * that inflates far beyond its stored size is bounded by GK_PDF_MAX_PAGE_CHARS
 * and MuPDF's memory cap.) */
#define GK_PDF_MAX_CONTENT_BYTES ((int64_t)8 << 20)

/* Characters in one PDF: 2 million, twenty times the longest real report
 * and an eighth of the parser's stream cap (GK_MAX_STREAM_CHARS). */
#define GK_PDF_MAX_CHARS 2000000u

/* Runs in one PDF's layout: 1 million (40 bytes each). */
#define GK_PDF_MAX_RUNS 1000000u

/* Bytes of UTF-8 text the layout may hold: 64 MiB, the input cap. */
#define GK_PDF_MAX_TEXT_BYTES ((size_t)64 << 20)

/* Ruling segments kept per page: 4,096.  A report's table page has under
 * 100; a page with more is a drawing (a map, a chart), and its rulings
 * are ignored: its text is read by gaps alone. */
#define GK_PDF_MAX_RULINGS 4096u

/* Memory MuPDF may allocate while reading one PDF: 256 MiB.  Its object
 * cache, fonts and the structured text of a page live in it; a
 * decompression bomb or a giant image stops here with GK_ELIMIT. */
#define GK_PDF_MAX_MEMORY ((size_t)256 << 20)

/* MuPDF's resource cache (fonts, decoded streams), within the above. */
#define GK_PDF_STORE_BYTES ((size_t)32 << 20)

/* Rulings examined when looking for a character's cell: 64 on each side.
 * Real tables have at most 20 columns; the bound keeps the search linear
 * on a page of crafted rulings. */
#define MAX_RULING_SCAN 64

/* A ruled cell whose text takes more visual lines than this is not a
 * table cell but a frame around prose, read as ordinary lines. */
#define MAX_CELL_LINES 40

/* ------------------------------------------------------------ geometry */

/* All in points (1/72 inch) or in font sizes (em). */

/* Two characters are on one visual line when their baselines differ by
 * at most this much of the font size. */
#define LINE_TOL_EM 0.4f
/* A gap wider than this (em) between two characters is a space; between
 * two Chinese characters, which justified lines spread apart, only a
 * wider one is... */
#define SPACE_GAP_EM 0.2f
#define WIDE_SPACE_GAP_EM 0.6f
/* ...and wider than this, outside ruled tables, a new run (a cell). */
#define RUN_GAP_EM 1.2f
/* The same character again within this distance (em) is a glyph drawn
 * twice or four times over for a bold effect. */
#define DUP_TOL_EM 0.3f
/* A level or upright stroked line is a ruling, and so is a filled
 * rectangle no thicker than this (Word draws borders so)... */
#define RULE_THICK 2.5f
/* ...when it is at least this long. */
#define RULE_MIN_LEN 4.0f
/* Collinear ruling pieces closer than this are one ruling. */
#define RULE_JOIN 1.5f
/* A ruling reaches a point within this slack. */
#define RULE_SLACK 1.0f
/* Vertical rulings closer than this cut no cell between them (a double
 * border). */
#define RULE_MIN_CELL 3.0f
/* Cells whose tops differ by at most this are on one table row. */
#define ROW_TOL 2.0f

/* ------------------------------------------------ MuPDF's memory, capped */

typedef struct capped_alloc {
  size_t used;
  size_t cap;
  bool hit; /* the cap refused a request: an input limit, not an OOM */
  /* malloc itself failed.  MuPDF swallows some failures (a font that
   * cannot be loaded is replaced, a page's resources are skipped) and
   * carries on with a different text, so any failure at all fails the
   * document with GK_ENOMEM. */
  bool failed;
} capped_alloc;

/* Each block starts with its size, in a header aligned for any type. */
typedef union alloc_header {
  size_t size;
  max_align_t align;
} alloc_header;

static void *cap_malloc(void *user, size_t n) {
  capped_alloc *ca = user;
  if (n > ca->cap - ca->used || n > SIZE_MAX - sizeof(alloc_header)) {
    ca->hit = true;
    return NULL;
  }
  alloc_header *h = malloc(sizeof *h + n);
  if (!h) {
    ca->failed = true;
    return NULL;
  }
  h->size = n;
  ca->used += n;
  return h + 1;
}

static void cap_free(void *user, void *p) {
  capped_alloc *ca = user;
  if (!p)
    return;
  alloc_header *h = (alloc_header *)p - 1;
  ca->used -= h->size;
  free(h);
}

static void *cap_realloc(void *user, void *p, size_t n) {
  capped_alloc *ca = user;
  if (!p)
    return cap_malloc(user, n);
  if (n == 0) {
    cap_free(user, p);
    return NULL;
  }
  alloc_header *h = (alloc_header *)p - 1;
  size_t old = h->size;
  if (n > old &&
      (n - old > ca->cap - ca->used || n > SIZE_MAX - sizeof(alloc_header))) {
    ca->hit = true;
    return NULL;
  }
  alloc_header *g = realloc(h, sizeof *g + n);
  if (!g) {
    ca->failed = true;
    return NULL;
  }
  g->size = n;
  ca->used = ca->used - old + n;
  return g + 1;
}

/* MuPDF's messages: counted, never printed. */
static void quiet_message(void *user, const char *message) {
  (void)message;
  (*(size_t *)user)++;
}

/* ---------------------------------------------------- page collection */

/* A ruling: a horizontal one at y = pos from x = lo to hi, or a vertical
 * one at x = pos from y = lo to hi. */
typedef struct seg {
  float pos, lo, hi;
} seg;

typedef struct seg_vec {
  seg *v;
  size_t n, cap;
} seg_vec;

/* A character of the page, in the page's reading orientation. */
typedef struct pch {
  int32_t cp;
  float x0, y0, x1, y1; /* box */
  float base;           /* baseline (horizontal) or centre (vertical) */
  float size;           /* font size */
  uint32_t seq;         /* drawing order, for stable sorts */
  bool space;           /* the PDF has a space character before it */
  int32_t cell;         /* its ruled cell, or -1 */
  int32_t slot;         /* the table grid cell (run) it went to, or -1 */
} pch;

/* A ruled cell with text: where its sides are. */
typedef struct cell {
  float l, r, t, b;
  int32_t it, ib; /* its top and bottom rulings (indexes into h), or -1 */
  uint32_t index; /* its place in pw->cells, kept when a copy is sorted */
  bool ok;        /* a table cell, not a frame around prose */
} cell;

/* A table row: a band of cells with one top. */
typedef struct trow {
  float t;          /* top */
  float b;          /* bottom of the band: the nearest bottom of its cells */
  float bmax;       /* the farthest bottom of its cells (merged down) */
  float ext0, ext1; /* horizontal extent of the rulings above and below */
  uint32_t slot0, n_slots;
  uint32_t first_cell, n_cells;
  int32_t table, index; /* table in the document, row in the table */
} trow;

/* A grid cell of a row: one run of the layout. */
typedef struct slot {
  float x0, x1;
  uint32_t row;
} slot;

/* What is laid out on the page, in order down it. */
typedef struct item {
  float key;
  uint32_t is_row; /* a table row (index into rows), else a visual line */
  uint32_t index;  /* row, or first position in order[] of the line */
  uint32_t n;      /* characters of the line */
} item;

/* Everything one page needs; the arrays are reused from page to page. */
typedef struct page_work {
  pch *ch;
  size_t n_ch, cap_ch;
  seg_vec h, v;
  bool rulings_overflow;
  size_t n_glyphs;
  bool glyphs_overflow;
  bool content_overflow; /* over GK_PDF_MAX_CONTENT_BYTES */
  bool oom;
  float top, bottom; /* the page's extent down, in reading orientation */

  uint32_t *order; /* character indexes, sorted for the task at hand */
  uint8_t *brk;    /* per order[] position: starts a visual line */
  size_t cap_order;
  cell *cells;
  size_t n_cells, cap_cells;
  trow *rows;
  size_t n_rows, cap_rows;
  slot *slots;
  size_t n_slots, cap_slots;
  item *items;
  size_t n_items, cap_items;
} page_work;

/* Grows the array whose pointer is at `array` (of elem-byte elements,
 * *cap of them) to hold n; false when memory ran out, the array kept.
 * The pointer is read and written with memcpy, whatever its type. */
static bool grow(void *array, size_t *cap, size_t n, size_t elem) {
  if (n <= *cap)
    return true;
  size_t c = *cap ? *cap : 64;
  while (c < n)
    c *= 2;
  if (c > SIZE_MAX / elem)
    return false;
  void *p;
  memcpy(&p, array, sizeof p);
  void *q = realloc(p, c * elem);
  if (!q)
    return false;
  memcpy(array, &q, sizeof q);
  *cap = c;
  return true;
}

/* qsort, but never with a null base: with fewer than two elements there
 * is nothing to sort (and the arrays of an empty page are null). */
static void sort_n(void *base, size_t n, size_t size,
                   int (*cmp)(const void *, const void *)) {
  if (n > 1)
    qsort(base, n, size, cmp);
}

static void add_seg(page_work *pw, bool horizontal, float pos, float a,
                    float b) {
  if (!isfinite(pos) || !isfinite(a) || !isfinite(b))
    return;
  if (a > b) {
    float t = a;
    a = b;
    b = t;
  }
  if (b - a < RULE_MIN_LEN)
    return;
  if (pw->h.n + pw->v.n >= GK_PDF_MAX_RULINGS) {
    pw->rulings_overflow = true;
    return;
  }
  seg_vec *sv = horizontal ? &pw->h : &pw->v;
  if (!grow(&sv->v, &sv->cap, sv->n + 1, sizeof(seg))) {
    pw->oom = true;
    return;
  }
  sv->v[sv->n++] = (seg){pos, a, b};
}

/* A straight piece of a stroked path: a ruling when it is level or
 * upright. */
static void add_line(page_work *pw, fz_point p, fz_point q) {
  float dx = fabsf(q.x - p.x), dy = fabsf(q.y - p.y);
  if (dy <= 0.5f && dx >= RULE_MIN_LEN)
    add_seg(pw, true, (p.y + q.y) / 2, p.x, q.x);
  else if (dx <= 0.5f && dy >= RULE_MIN_LEN)
    add_seg(pw, false, (p.x + q.x) / 2, p.y, q.y);
}

/* A filled shape's box: a ruling when it is a hairline. */
static void add_box(page_work *pw, fz_rect r) {
  float w = r.x1 - r.x0, h = r.y1 - r.y0;
  if (!(w >= 0) || !(h >= 0))
    return;
  if (h <= RULE_THICK && w >= RULE_MIN_LEN)
    add_seg(pw, true, (r.y0 + r.y1) / 2, r.x0, r.x1);
  else if (w <= RULE_THICK && h >= RULE_MIN_LEN)
    add_seg(pw, false, (r.x0 + r.x1) / 2, r.y0, r.y1);
}

/* Walking a path: the current point, the subpath's start and box. */
typedef struct walk {
  page_work *pw;
  fz_matrix ctm;
  bool stroke;
  fz_point cur, start;
  fz_rect box;
  bool open;
} walk;

static void walk_end_subpath(walk *w) {
  if (!w->stroke && w->open)
    add_box(w->pw, w->box);
  w->open = false;
}

static void walk_point(walk *w, fz_point p) {
  if (!w->open) {
    w->box = fz_make_rect(p.x, p.y, p.x, p.y);
    w->open = true;
  } else {
    w->box = fz_include_point_in_rect(w->box, p);
  }
}

static void walk_moveto(fz_context *ctx, void *arg, float x, float y) {
  (void)ctx;
  walk *w = arg;
  walk_end_subpath(w);
  w->cur = w->start = fz_transform_point_xy(x, y, w->ctm);
  walk_point(w, w->cur);
}

static void walk_lineto(fz_context *ctx, void *arg, float x, float y) {
  (void)ctx;
  walk *w = arg;
  fz_point p = fz_transform_point_xy(x, y, w->ctm);
  if (w->stroke)
    add_line(w->pw, w->cur, p);
  walk_point(w, p);
  w->cur = p;
}

static void walk_curveto(fz_context *ctx, void *arg, float x1, float y1,
                         float x2, float y2, float x3, float y3) {
  (void)ctx;
  walk *w = arg;
  walk_point(w, fz_transform_point_xy(x1, y1, w->ctm));
  walk_point(w, fz_transform_point_xy(x2, y2, w->ctm));
  w->cur = fz_transform_point_xy(x3, y3, w->ctm);
  walk_point(w, w->cur);
}

static void walk_closepath(fz_context *ctx, void *arg) {
  (void)ctx;
  walk *w = arg;
  if (w->stroke)
    add_line(w->pw, w->cur, w->start);
  w->cur = w->start;
}

static void walk_rectto(fz_context *ctx, void *arg, float x1, float y1,
                        float x2, float y2) {
  (void)ctx;
  walk *w = arg;
  walk_end_subpath(w);
  fz_point a = fz_transform_point_xy(x1, y1, w->ctm);
  fz_point b = fz_transform_point_xy(x2, y1, w->ctm);
  fz_point c = fz_transform_point_xy(x2, y2, w->ctm);
  fz_point d = fz_transform_point_xy(x1, y2, w->ctm);
  if (w->stroke) {
    add_line(w->pw, a, b);
    add_line(w->pw, b, c);
    add_line(w->pw, c, d);
    add_line(w->pw, d, a);
  } else {
    fz_rect r = fz_make_rect(a.x, a.y, a.x, a.y);
    r = fz_include_point_in_rect(r, b);
    r = fz_include_point_in_rect(r, c);
    r = fz_include_point_in_rect(r, d);
    add_box(w->pw, r);
  }
  w->cur = w->start = a;
}

static const fz_path_walker path_walker = {
    walk_moveto, walk_lineto, walk_curveto, walk_closepath,
    NULL,        NULL,        NULL,         walk_rectto,
};

static void record_path(fz_context *ctx, page_work *pw, const fz_path *path,
                        fz_matrix ctm, bool stroke) {
  if (pw->rulings_overflow)
    return;
  walk w;
  memset(&w, 0, sizeof w);
  w.pw = pw;
  w.ctm = ctm;
  w.stroke = stroke;
  fz_walk_path(ctx, path, &path_walker, &w);
  walk_end_subpath(&w);
}

/* The tee: text goes on to MuPDF's structured-text device, paths are
 * noted here, and nothing else is needed. */
typedef struct tee_device {
  fz_device super;
  fz_device *text;
  page_work *pw;
} tee_device;

/* Counts a text object's glyphs against the page's cap; false once the
 * cap is passed (the text is then not extracted at all). */
static bool count_glyphs(tee_device *t, const fz_text *text) {
  size_t n = 0;
  for (const fz_text_span *s = text->head; s; s = s->next)
    n += s->len > 0 ? (size_t)s->len : 0;
  t->pw->n_glyphs += n;
  if (t->pw->n_glyphs > GK_PDF_MAX_PAGE_CHARS)
    t->pw->glyphs_overflow = true;
  return !t->pw->glyphs_overflow;
}

static void tee_fill_text(fz_context *ctx, fz_device *dev, const fz_text *text,
                          fz_matrix ctm, fz_colorspace *cs, const float *color,
                          float alpha, fz_color_params cp) {
  tee_device *t = (tee_device *)dev;
  if (count_glyphs(t, text))
    fz_fill_text(ctx, t->text, text, ctm, cs, color, alpha, cp);
}

static void tee_stroke_text(fz_context *ctx, fz_device *dev,
                            const fz_text *text, const fz_stroke_state *st,
                            fz_matrix ctm, fz_colorspace *cs,
                            const float *color, float alpha,
                            fz_color_params cp) {
  tee_device *t = (tee_device *)dev;
  if (count_glyphs(t, text))
    fz_stroke_text(ctx, t->text, text, st, ctm, cs, color, alpha, cp);
}

/* Text used as a clip is still text on the page.  The structured-text
 * device keeps no clip stack, so its handlers are called directly and
 * the pops that follow need not reach it. */
static void tee_clip_text(fz_context *ctx, fz_device *dev, const fz_text *text,
                          fz_matrix ctm, fz_rect scissor) {
  tee_device *t = (tee_device *)dev;
  if (count_glyphs(t, text) && t->text->clip_text)
    t->text->clip_text(ctx, t->text, text, ctm, scissor);
}

static void tee_clip_stroke_text(fz_context *ctx, fz_device *dev,
                                 const fz_text *text, const fz_stroke_state *st,
                                 fz_matrix ctm, fz_rect scissor) {
  tee_device *t = (tee_device *)dev;
  if (count_glyphs(t, text) && t->text->clip_stroke_text)
    t->text->clip_stroke_text(ctx, t->text, text, st, ctm, scissor);
}

/* Invisible text (render mode 3) is the text layer of a scanned page that
 * was run through OCR: it is the page's text. */
static void tee_ignore_text(fz_context *ctx, fz_device *dev,
                            const fz_text *text, fz_matrix ctm) {
  tee_device *t = (tee_device *)dev;
  if (count_glyphs(t, text))
    fz_ignore_text(ctx, t->text, text, ctm);
}

static void tee_fill_path(fz_context *ctx, fz_device *dev, const fz_path *path,
                          int even_odd, fz_matrix ctm, fz_colorspace *cs,
                          const float *color, float alpha, fz_color_params cp) {
  (void)even_odd, (void)cs, (void)color, (void)alpha, (void)cp;
  record_path(ctx, ((tee_device *)dev)->pw, path, ctm, false);
}

static void tee_stroke_path(fz_context *ctx, fz_device *dev,
                            const fz_path *path, const fz_stroke_state *st,
                            fz_matrix ctm, fz_colorspace *cs,
                            const float *color, float alpha,
                            fz_color_params cp) {
  (void)st, (void)cs, (void)color, (void)alpha, (void)cp;
  record_path(ctx, ((tee_device *)dev)->pw, path, ctm, true);
}

static void tee_close(fz_context *ctx, fz_device *dev) {
  fz_close_device(ctx, ((tee_device *)dev)->text);
}

static fz_device *new_tee(fz_context *ctx, fz_device *text, page_work *pw) {
  tee_device *t = fz_new_derived_device(ctx, tee_device);
  t->super.close_device = tee_close;
  t->super.fill_text = tee_fill_text;
  t->super.stroke_text = tee_stroke_text;
  t->super.clip_text = tee_clip_text;
  t->super.clip_stroke_text = tee_clip_stroke_text;
  t->super.ignore_text = tee_ignore_text;
  t->super.fill_path = tee_fill_path;
  t->super.stroke_path = tee_stroke_path;
  t->text = text;
  t->pw = pw;
  return &t->super;
}

/* ------------------------------------------------ orientation of a page */

/* Text may run in any of four directions (a landscape table set on a
 * portrait page); the page is read in the direction most of its text
 * runs, and characters running any other way (a diagonal watermark) are
 * dropped.  A frame turns the page's coordinates that way: rot quarter
 * turns (0..3) that bring the text level, then the page's top left corner
 * moved to (0, 0). */
typedef struct frame {
  int rot;
  float ox, oy;
} frame;

static fz_point turn(fz_point p, int rot) {
  switch (rot) {
  case 1: /* text runs down the page */
    return fz_make_point(p.y, -p.x);
  case 2: /* upside down */
    return fz_make_point(-p.x, -p.y);
  case 3: /* text runs up the page */
    return fz_make_point(-p.y, p.x);
  default:
    return p;
  }
}

static fz_point orient(fz_point p, const frame *f) {
  p = turn(p, f->rot);
  return fz_make_point(p.x - f->ox, p.y - f->oy);
}

/* The quarter turn of a baseline direction, or -1 when it is none. */
static int dir_rot(fz_point d) {
  if (d.x > 0.95f && fabsf(d.y) < 0.2f)
    return 0;
  if (d.y > 0.95f && fabsf(d.x) < 0.2f)
    return 1;
  if (d.x < -0.95f && fabsf(d.y) < 0.2f)
    return 2;
  if (d.y < -0.95f && fabsf(d.x) < 0.2f)
    return 3;
  return -1;
}

static void orient_segs(page_work *pw, const frame *f) {
  int rot = f->rot;
  seg_vec h = pw->h, v = pw->v;
  /* A quarter turn makes horizontal rulings vertical and back. */
  if (rot == 1 || rot == 3) {
    pw->h = v;
    pw->v = h;
  }
  for (int k = 0; k < 2; k++) {
    seg_vec *sv = k ? &pw->v : &pw->h;
    for (size_t i = 0; i < sv->n; i++) {
      seg *s = &sv->v[i];
      /* Map the two ends and rebuild the segment. */
      bool was_h = (rot == 1 || rot == 3) ? k == 1 : k == 0;
      fz_point a =
          was_h ? fz_make_point(s->lo, s->pos) : fz_make_point(s->pos, s->lo);
      fz_point b =
          was_h ? fz_make_point(s->hi, s->pos) : fz_make_point(s->pos, s->hi);
      a = orient(a, f);
      b = orient(b, f);
      if (k == 0) { /* now horizontal */
        s->pos = a.y;
        s->lo = fminf(a.x, b.x);
        s->hi = fmaxf(a.x, b.x);
      } else {
        s->pos = a.x;
        s->lo = fminf(a.y, b.y);
        s->hi = fmaxf(a.y, b.y);
      }
    }
  }
}

/* Takes the characters out of MuPDF's structured text into pw->ch. */
static void take_chars(page_work *pw, const fz_stext_page *tp) {
  /* The page's direction, by count of characters. */
  size_t by_rot[4] = {0, 0, 0, 0};
  for (const fz_stext_block *b = tp->first_block; b; b = b->next) {
    if (b->type != FZ_STEXT_BLOCK_TEXT)
      continue;
    for (const fz_stext_line *ln = b->u.t.first_line; ln; ln = ln->next) {
      int rot = ln->wmode ? 0 : dir_rot(ln->dir);
      if (rot < 0)
        continue;
      for (const fz_stext_char *c = ln->first_char; c; c = c->next)
        by_rot[rot]++;
    }
  }
  int rot = 0;
  for (int k = 1; k < 4; k++)
    if (by_rot[k] > by_rot[rot])
      rot = k;
  frame f = {rot, 0, 0};
  fz_point m0 = turn(fz_make_point(tp->mediabox.x0, tp->mediabox.y0), rot);
  fz_point m1 = turn(fz_make_point(tp->mediabox.x1, tp->mediabox.y1), rot);
  if (isfinite(m0.x) && isfinite(m0.y) && isfinite(m1.x) && isfinite(m1.y)) {
    f.ox = fminf(m0.x, m1.x);
    f.oy = fminf(m0.y, m1.y);
  }
  pw->top = 0;
  pw->bottom = fabsf(m1.y - m0.y);
  orient_segs(pw, &f);

  pw->n_ch = 0;
  uint32_t seq = 0;
  for (const fz_stext_block *b = tp->first_block; b; b = b->next) {
    if (b->type != FZ_STEXT_BLOCK_TEXT)
      continue;
    for (const fz_stext_line *ln = b->u.t.first_line; ln; ln = ln->next) {
      bool vert = ln->wmode != 0;
      if (vert ? rot != 0 : dir_rot(ln->dir) != rot)
        continue;
      bool space = false;
      for (const fz_stext_char *c = ln->first_char; c; c = c->next) {
        if (gk__is_space(c->c)) {
          space = true;
          continue;
        }
        if (c->c < 0x20 || c->c > 0x10FFFF ||
            (c->c >= 0xD800 && c->c <= 0xDFFF) || !(c->size >= 0.5f) ||
            c->size > 2000.0f)
          continue;
        fz_point q[4] = {orient(c->quad.ul, &f), orient(c->quad.ur, &f),
                         orient(c->quad.ll, &f), orient(c->quad.lr, &f)};
        fz_point o = orient(c->origin, &f);
        float x0 = q[0].x, x1 = q[0].x, y0 = q[0].y, y1 = q[0].y;
        for (int k = 1; k < 4; k++) {
          x0 = fminf(x0, q[k].x);
          x1 = fmaxf(x1, q[k].x);
          y0 = fminf(y0, q[k].y);
          y1 = fmaxf(y1, q[k].y);
        }
        if (!isfinite(x0) || !isfinite(x1) || !isfinite(y0) || !isfinite(y1) ||
            !isfinite(o.y))
          continue;
        if (!grow(&pw->ch, &pw->cap_ch, pw->n_ch + 1, sizeof(pch))) {
          pw->oom = true;
          return;
        }
        pch *p = &pw->ch[pw->n_ch++];
        p->cp = c->c;
        p->x0 = x0;
        p->x1 = x1;
        p->y0 = y0;
        p->y1 = y1;
        p->base = vert ? (y0 + y1) / 2 : o.y;
        p->size = c->size;
        p->seq = seq++;
        p->space = space;
        space = false;
        p->cell = -1;
        p->slot = -1;
      }
    }
  }
}

/* ------------------------------------------------------------ rulings */

static int cmp_seg(const void *a, const void *b) {
  const seg *x = a, *y = b;
  if (x->pos != y->pos)
    return x->pos < y->pos ? -1 : 1;
  if (x->lo != y->lo)
    return x->lo < y->lo ? -1 : 1;
  return 0;
}

static int cmp_seg_lo(const void *a, const void *b) {
  const seg *x = a, *y = b;
  if (x->lo != y->lo)
    return x->lo < y->lo ? -1 : 1;
  return x->hi < y->hi ? -1 : x->hi > y->hi;
}

/* Sorts rulings by position and joins collinear pieces that touch: a
 * border drawn cell by cell is one ruling.  Rulings at nearly the same
 * position (within 0.75 pt) are one line; along it, pieces that overlap
 * or nearly meet are joined, and pieces apart stay apart (two tables one
 * above the other). */
static void merge_segs(seg_vec *sv) {
  if (sv->n == 0)
    return;
  sort_n(sv->v, sv->n, sizeof(seg), cmp_seg);
  size_t k = 0;
  for (size_t i = 0; i < sv->n;) {
    size_t j = i + 1;
    while (j < sv->n && sv->v[j].pos - sv->v[j - 1].pos <= 0.75f)
      j++;
    float pos = sv->v[i].pos;
    sort_n(sv->v + i, j - i, sizeof(seg), cmp_seg_lo);
    seg cur = sv->v[i];
    for (size_t q = i + 1; q < j; q++) {
      const seg *s = &sv->v[q];
      if (s->lo <= cur.hi + RULE_JOIN) {
        if (s->hi > cur.hi)
          cur.hi = s->hi;
      } else {
        cur.pos = pos;
        sv->v[k++] = cur;
        cur = *s;
      }
    }
    cur.pos = pos;
    sv->v[k++] = cur;
    i = j;
  }
  sv->n = k;
}

/* The first ruling with pos > x. */
static size_t seg_upper(const seg_vec *sv, float x) {
  size_t lo = 0, hi = sv->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (sv->v[mid].pos <= x)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static bool seg_covers(const seg *s, float at) {
  return at >= s->lo - RULE_SLACK && at <= s->hi + RULE_SLACK;
}

/* The nearest ruling before (dir < 0) or after (dir > 0) position x that
 * reaches `at`, starting from index `from`; -1 when there is none within
 * MAX_RULING_SCAN. */
static long seg_nearest(const seg_vec *sv, size_t from, int dir, float at) {
  long i = (long)from;
  for (int steps = 0; steps < MAX_RULING_SCAN; steps++) {
    if (dir < 0 ? i < 0 : i >= (long)sv->n)
      return -1;
    if (seg_covers(&sv->v[i], at))
      return i;
    i += dir;
  }
  return -1;
}

/* Whether a ruling beyond index i (in direction dir), at least
 * RULE_MIN_CELL further out, reaches `at`. */
static bool seg_beyond(const seg_vec *sv, long i, int dir, float at) {
  float pos = sv->v[i].pos;
  long j = i + dir;
  for (int steps = 0; steps < MAX_RULING_SCAN; steps++, j += dir) {
    if (j < 0 || j >= (long)sv->n)
      return false;
    if (fabsf(sv->v[j].pos - pos) >= RULE_MIN_CELL && seg_covers(&sv->v[j], at))
      return true;
  }
  return false;
}

/* ------------------------------------------------------------- sorting */

/* qsort has no context argument in C17; the page being sorted. */
static _Thread_local const pch *sort_ch;

static int cmp_base(const void *a, const void *b) {
  const pch *x = &sort_ch[*(const uint32_t *)a];
  const pch *y = &sort_ch[*(const uint32_t *)b];
  if (x->base != y->base)
    return x->base < y->base ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_x(const void *a, const void *b) {
  const pch *x = &sort_ch[*(const uint32_t *)a];
  const pch *y = &sort_ch[*(const uint32_t *)b];
  if (x->x0 != y->x0)
    return x->x0 < y->x0 ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* By cell, then by slot; -1 sorts first. */
static int cmp_cell(const void *a, const void *b) {
  const pch *x = &sort_ch[*(const uint32_t *)a];
  const pch *y = &sort_ch[*(const uint32_t *)b];
  if (x->cell != y->cell)
    return x->cell < y->cell ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_slot(const void *a, const void *b) {
  const pch *x = &sort_ch[*(const uint32_t *)a];
  const pch *y = &sort_ch[*(const uint32_t *)b];
  if (x->slot != y->slot)
    return x->slot < y->slot ? -1 : 1;
  return cmp_base(a, b);
}

/* A cell key: where its four sides are, for grouping characters by
 * cell; it and ib are its top and bottom rulings, or -1 when a side is
 * where the vertical rulings end (a table cut by a page break has no
 * ruling there). */
typedef struct cell_key {
  float t, l, r, b;
  int32_t it, ib;
  uint32_t ch;
} cell_key;

static int cmp_key(const void *a, const void *b) {
  const cell_key *x = a, *y = b;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  if (x->l != y->l)
    return x->l < y->l ? -1 : 1;
  if (x->r != y->r)
    return x->r < y->r ? -1 : 1;
  if (x->b != y->b)
    return x->b < y->b ? -1 : 1;
  return x->ch < y->ch ? -1 : x->ch > y->ch;
}

static bool same_cell(const cell_key *x, const cell_key *y) {
  return x->t == y->t && x->l == y->l && x->r == y->r && x->b == y->b;
}

static int cmp_item(const void *a, const void *b) {
  const item *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  if (x->is_row != y->is_row)
    return x->is_row ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Puts order[0..n) (characters already sorted by baseline) into reading
 * order: visual lines top to bottom, each left to right, and marks in
 * brk[] where each visual line starts.  Returns the number of lines.
 */
static size_t into_lines(const pch *ch, uint32_t *order, uint8_t *brk,
                         size_t n) {
  size_t lines = 0, i = 0;
  sort_ch = ch;
  while (i < n) {
    const pch *first = &ch[order[i]];
    float tol = LINE_TOL_EM * first->size;
    size_t j = i + 1;
    while (j < n && ch[order[j]].base - first->base <= tol)
      j++;
    sort_n(order + i, j - i, sizeof *order, cmp_x);
    brk[i] = 1;
    for (size_t k = i + 1; k < j; k++)
      brk[k] = 0;
    lines++;
    i = j;
  }
  return lines;
}

/* ------------------------------------------------------------ output */

/* The layout being built, in malloc'd vectors until the end. */
typedef struct out_state {
  gk__arena *arena;
  gk__run *runs;
  size_t n_runs, cap_runs;
  gk__line *lines;
  size_t n_lines, cap_lines;
  size_t text_bytes;
  size_t n_chars;
  gk__buf text; /* the run being built */
  uint32_t page;
  int32_t n_tables;
  gk_status st;
} out_state;

/* Chinese characters and full-width punctuation, which are set without
 * spaces between them. */
static bool is_wide(int32_t cp) { return cp >= 0x2E80 && cp < 0xFF61; }

static bool is_word_char(int32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') ||
         (cp >= 'a' && cp <= 'z');
}

/* Appends one character's UTF-8 to the run being built. */
static void put_cp(out_state *o, int32_t cp) {
  char u[4];
  size_t k = gk__utf8_encode(cp, u);
  gk_status st = o->st == GK_OK ? gk__buf_append(&o->text, u, k) : GK_OK;
  if (st != GK_OK) /* GK_ETOOBIG: one run over the text cap */
    o->st = st == GK_ENOMEM ? GK_ENOMEM : GK_ELIMIT;
}

static void begin_line(out_state *o) {
  if (o->st != GK_OK)
    return;
  if (o->n_lines >= GK_MAX_LINES) {
    o->st = GK_ELIMIT;
    return;
  }
  if (!grow(&o->lines, &o->cap_lines, o->n_lines + 1, sizeof(gk__line))) {
    o->st = GK_ENOMEM;
    return;
  }
  gk__line *ln = &o->lines[o->n_lines++];
  ln->lineno = (uint32_t)o->n_lines;
  ln->first_run = (uint32_t)o->n_runs;
  ln->n_runs = 0;
}

/* Ends the run being built: its text goes into the arena. */
static void end_run(out_state *o, fz_rect box, int32_t table, int32_t row,
                    int32_t col) {
  if (o->st != GK_OK)
    return;
  if (o->n_runs >= GK_PDF_MAX_RUNS ||
      o->text_bytes + o->text.len > GK_PDF_MAX_TEXT_BYTES) {
    o->st = GK_ELIMIT;
    return;
  }
  if (!grow(&o->runs, &o->cap_runs, o->n_runs + 1, sizeof(gk__run))) {
    o->st = GK_ENOMEM;
    return;
  }
  char *s = gk__arena_strndup(o->arena, o->text.data ? o->text.data : "",
                              o->text.len);
  if (!s) {
    o->st = GK_ENOMEM;
    return;
  }
  gk__line *ln = &o->lines[o->n_lines - 1];
  gk__run *r = &o->runs[o->n_runs++];
  r->text = s;
  r->len = (uint32_t)o->text.len;
  r->field = ln->n_runs++;
  r->table = table;
  r->row = row;
  r->col = col;
  r->page = o->page;
  r->x0 = box.x0;
  r->y0 = box.y0;
  r->x1 = box.x1;
  r->y1 = box.y1;
  o->text_bytes += o->text.len;
  o->text.len = 0;
  if (o->text.data)
    o->text.data[0] = '\0';
}

/*
 * Writes the characters order[0..n) (in reading order, with brk[] marking
 * the visual lines) as text.  With split_runs, a wide gap ends the run
 * (a visual line outside a ruled table); otherwise everything is one run,
 * visual lines joined (a wrapped cell).  Duplicate glyphs are dropped.
 */
static void write_chars(out_state *o, const pch *ch, const uint32_t *order,
                        const uint8_t *brk, size_t n, bool split_runs) {
  const pch *last = NULL;
  fz_rect box = fz_empty_rect;
  for (size_t i = 0; i < n; i++) {
    const pch *c = &ch[order[i]];
    if (brk[i] && last) {
      /* A new visual line of the same cell.  Digits on both sides are
       * one number wrapped in a narrow column ("1545" as "154" over
       * "5"); words are set apart. */
      bool digits =
          last->cp >= '0' && last->cp <= '9' && c->cp >= '0' && c->cp <= '9';
      if (is_word_char(last->cp) && is_word_char(c->cp) &&
          !(digits && !split_runs))
        put_cp(o, ' ');
      last = NULL;
    }
    if (last) {
      float em = (last->size + c->size) / 2;
      float gap = c->x0 - last->x1;
      /* The same glyph again, a hair to the side (a bold effect); never
       * as far as half its width, which two narrow digits set tight
       * ("11" in a condensed font) can be. */
      float dup = fminf(DUP_TOL_EM * em, 0.5f * (last->x1 - last->x0));
      if (c->cp == last->cp && fabsf(c->x0 - last->x0) <= dup &&
          fabsf(c->base - last->base) < DUP_TOL_EM * em)
        continue;
      if (split_runs && gap > RUN_GAP_EM * em) {
        end_run(o, box, -1, -1, -1);
        box = fz_empty_rect;
      } else if (gap > (is_wide(last->cp) && is_wide(c->cp) ? WIDE_SPACE_GAP_EM
                                                            : SPACE_GAP_EM) *
                           em ||
                 (c->space && gap > -SPACE_GAP_EM * em)) {
        put_cp(o, ' ');
      }
    }
    put_cp(o, c->cp);
    box = fz_union_rect(box, fz_make_rect(c->x0, c->y0, c->x1, c->y1));
    last = c;
  }
  o->n_chars += n;
  if (split_runs && n > 0)
    end_run(o, box, -1, -1, -1);
}

/* ------------------------------------------------------- page layout */

/* Finds each character's ruled cell; groups the characters by cell. */
static bool find_cells(page_work *pw) {
  const seg_vec *h = &pw->h, *v = &pw->v;
  pw->n_cells = 0;
  if (h->n < 1 || v->n < 3 || pw->rulings_overflow)
    return true;
  cell_key *keys = malloc(pw->n_ch * sizeof *keys);
  if (!keys && pw->n_ch)
    return false;
  size_t nk = 0;
  for (size_t i = 0; i < pw->n_ch; i++) {
    pch *c = &pw->ch[i];
    float cx = (c->x0 + c->x1) / 2, cy = (c->y0 + c->y1) / 2;
    size_t ux = seg_upper(v, cx), uy = seg_upper(h, cy);
    long il = ux > 0 ? seg_nearest(v, ux - 1, -1, cy) : -1;
    long ir = seg_nearest(v, ux, 1, cy);
    long it = uy > 0 ? seg_nearest(h, uy - 1, -1, cx) : -1;
    long ib = seg_nearest(h, uy, 1, cx);
    if (il < 0 || ir < 0)
      continue;
    /* The cell's top is the ruling above, or where the rulings on both
     * sides begin if that is lower (or there is none); the same below. */
    const seg *sl = &v->v[il], *sr = &v->v[ir];
    float vt = fmaxf(sl->lo, sr->lo), vb = fminf(sl->hi, sr->hi);
    cell_key key = {vt, sl->pos, sr->pos, vb, -1, -1, (uint32_t)i};
    if (it >= 0 && h->v[it].pos >= vt - RULE_SLACK) {
      key.t = h->v[it].pos;
      key.it = (int32_t)it;
    }
    if (ib >= 0 && h->v[ib].pos <= vb + RULE_SLACK) {
      key.b = h->v[ib].pos;
      key.ib = (int32_t)ib;
    }
    if (key.t >= cy || key.b <= cy)
      continue;
    /* A box with nothing ruled beside it is a frame, not a cell. */
    if (!seg_beyond(v, il, -1, cy) && !seg_beyond(v, ir, 1, cy))
      continue;
    keys[nk++] = key;
  }
  sort_n(keys, nk, sizeof *keys, cmp_key);
  bool ok = true;
  for (size_t i = 0; i < nk && ok;) {
    size_t j = i + 1;
    while (j < nk && same_cell(&keys[j], &keys[i]))
      j++;
    if (!grow(&pw->cells, &pw->cap_cells, pw->n_cells + 1, sizeof(cell))) {
      ok = false;
      break;
    }
    cell *c = &pw->cells[pw->n_cells];
    c->l = keys[i].l;
    c->r = keys[i].r;
    c->t = keys[i].t;
    c->b = keys[i].b;
    c->it = keys[i].it;
    c->ib = keys[i].ib;
    c->index = (uint32_t)pw->n_cells;
    c->ok = true;
    for (size_t k = i; k < j; k++)
      pw->ch[keys[k].ch].cell = (int32_t)pw->n_cells;
    pw->n_cells++;
    i = j;
  }
  free(keys);
  return ok;
}

/* Sorts the cells' characters into order[] by cell and rejects cells that
 * hold a whole frame of prose. */
static void check_cells(page_work *pw) {
  size_t n = 0;
  for (size_t i = 0; i < pw->n_ch; i++)
    pw->order[n++] = (uint32_t)i;
  sort_ch = pw->ch;
  sort_n(pw->order, n, sizeof *pw->order, cmp_cell);
  size_t i = 0;
  while (i < n && pw->ch[pw->order[i]].cell < 0)
    i++;
  while (i < n) {
    int32_t ci = pw->ch[pw->order[i]].cell;
    size_t j = i;
    while (j < n && pw->ch[pw->order[j]].cell == ci)
      j++;
    cell *c = &pw->cells[ci];
    sort_ch = pw->ch;
    sort_n(pw->order + i, j - i, sizeof *pw->order, cmp_base);
    if (into_lines(pw->ch, pw->order + i, pw->brk + i, j - i) >
        MAX_CELL_LINES) {
      c->ok = false;
      for (size_t k = i; k < j; k++)
        pw->ch[pw->order[k]].cell = -1;
    }
    i = j;
  }
}

static int cmp_cell_top(const void *a, const void *b) {
  const cell *x = a, *y = b;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  return x->l < y->l ? -1 : x->l > y->l;
}

/* The grid cell of row rw holding x, or -1. */
static long slot_at(const page_work *pw, const trow *rw, float x) {
  for (uint32_t k = 0; k < rw->n_slots; k++) {
    const slot *s = &pw->slots[rw->slot0 + k];
    if (x >= s->x0 && x <= s->x1)
      return (long)rw->slot0 + (long)k;
  }
  return -1;
}

/* Groups the ruled cells into table rows and cuts each row into its grid
 * cells; gives each character in a row its grid cell (slot). */
static bool build_rows(page_work *pw) {
  pw->n_rows = 0;
  pw->n_slots = 0;
  /* Cells by top: the characters keep their cell index, so map it. */
  size_t nc = 0;
  for (size_t i = 0; i < pw->n_cells; i++)
    if (pw->cells[i].ok)
      nc++;
  if (nc == 0)
    return true;
  uint32_t *map = malloc(pw->n_cells * sizeof *map);
  cell *sorted = malloc(nc * sizeof *sorted);
  if (!map || !sorted) {
    free(map), free(sorted);
    return false;
  }
  size_t k = 0;
  for (size_t i = 0; i < pw->n_cells; i++)
    if (pw->cells[i].ok) {
      sorted[k] = pw->cells[i];
      k++;
    }
  sort_n(sorted, nc, sizeof *sorted, cmp_cell_top);
  for (size_t i = 0; i < nc; i++)
    map[sorted[i].index] = (uint32_t)i;
  bool ok = true;
  for (size_t i = 0; i < nc && ok;) {
    size_t j = i + 1;
    while (j < nc && sorted[j].t - sorted[i].t <= ROW_TOL)
      j++;
    if (!grow(&pw->rows, &pw->cap_rows, pw->n_rows + 1, sizeof(trow))) {
      ok = false;
      break;
    }
    trow *rw = &pw->rows[pw->n_rows];
    rw->t = sorted[i].t;
    rw->b = rw->bmax = sorted[i].b;
    rw->ext0 = sorted[i].l;
    rw->ext1 = sorted[i].r;
    /* The row spans its cells and the rulings above and below them: a
     * blank column at either end is in the row too. */
    for (size_t q = i; q < j; q++) {
      const cell *ce = &sorted[q];
      rw->b = fminf(rw->b, ce->b);
      rw->bmax = fmaxf(rw->bmax, ce->b);
      rw->ext0 = fminf(rw->ext0, ce->l);
      rw->ext1 = fmaxf(rw->ext1, ce->r);
      for (int side = 0; side < 2; side++) {
        int32_t hi = side ? ce->ib : ce->it;
        if (hi >= 0) {
          rw->ext0 = fminf(rw->ext0, pw->h.v[hi].lo);
          rw->ext1 = fmaxf(rw->ext1, pw->h.v[hi].hi);
        }
      }
    }
    rw->first_cell = (uint32_t)i;
    rw->n_cells = (uint32_t)(j - i);
    pw->n_rows++;
    i = j;
  }
  /* Rows that follow one another without a gap make one table; the table
   * spans all their extents, so that a column merged down from a row
   * above is an empty run in every row it covers. */
  for (size_t i = 0; i < pw->n_rows;) {
    trow *g = &pw->rows[i];
    float bmax = g->bmax, e0 = g->ext0, e1 = g->ext1;
    size_t j = i + 1;
    while (j < pw->n_rows && pw->rows[j].t <= bmax + ROW_TOL &&
           pw->rows[j].ext0 < e1 && pw->rows[j].ext1 > e0) {
      bmax = fmaxf(bmax, pw->rows[j].bmax);
      e0 = fminf(e0, pw->rows[j].ext0);
      e1 = fmaxf(e1, pw->rows[j].ext1);
      j++;
    }
    for (size_t q = i; q < j; q++) {
      pw->rows[q].ext0 = e0;
      pw->rows[q].ext1 = e1;
      pw->rows[q].table = (int32_t)i; /* the table's first row */
      pw->rows[q].index = (int32_t)(q - i);
    }
    i = j;
  }
  /* Each row's grid: the vertical rulings across its middle. */
  for (size_t i = 0; i < pw->n_rows && ok; i++) {
    trow *rw = &pw->rows[i];
    rw->slot0 = (uint32_t)pw->n_slots;
    rw->n_slots = 0;
    float ym = (rw->t + rw->b) / 2, prev = -INFINITY;
    bool have_prev = false;
    for (size_t q = 0; q < pw->v.n; q++) {
      const seg *s = &pw->v.v[q];
      if (s->pos < rw->ext0 - RULE_MIN_CELL ||
          s->pos > rw->ext1 + RULE_MIN_CELL || !seg_covers(s, ym))
        continue;
      if (have_prev && s->pos - prev < RULE_MIN_CELL)
        continue;
      if (have_prev) {
        if (!grow(&pw->slots, &pw->cap_slots, pw->n_slots + 1, sizeof(slot))) {
          ok = false;
          break;
        }
        pw->slots[pw->n_slots++] = (slot){prev, s->pos, (uint32_t)i};
        rw->n_slots++;
      }
      prev = s->pos;
      have_prev = true;
    }
  }
  /* Each cell's characters to the grid cell under their middle. */
  for (size_t i = 0; i < pw->n_ch && ok; i++) {
    pch *c = &pw->ch[i];
    if (c->cell < 0)
      continue;
    uint32_t si = map[c->cell];
    /* The row holding sorted cell si. */
    size_t lo = 0, hi = pw->n_rows;
    while (hi - lo > 1) {
      size_t mid = (lo + hi) / 2;
      if (pw->rows[mid].first_cell <= si)
        lo = mid;
      else
        hi = mid;
    }
    const trow *rw = &pw->rows[lo];
    long s = slot_at(pw, rw, (c->x0 + c->x1) / 2);
    if (s < 0) {
      const cell *ce = &sorted[si];
      s = slot_at(pw, rw, (ce->l + ce->r) / 2);
    }
    c->slot = (int32_t)s;
    if (s < 0)
      c->cell = -1; /* read with the page's loose lines */
  }
  free(map);
  free(sorted);
  return ok;
}

/* A loose character inside a row's band and grid joins that grid cell
 * (a cell whose top ruling is missing, as at the top of a page). */
static void attach_loose(page_work *pw) {
  if (pw->n_rows == 0)
    return;
  for (size_t i = 0; i < pw->n_ch; i++) {
    pch *c = &pw->ch[i];
    if (c->slot >= 0)
      continue;
    float cx = (c->x0 + c->x1) / 2, cy = (c->y0 + c->y1) / 2;
    /* The last row whose top is above cy (rows are sorted by top). */
    size_t lo = 0, hi = pw->n_rows;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (pw->rows[mid].t <= cy)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (lo == 0)
      continue;
    const trow *rw = &pw->rows[lo - 1];
    if (cy > rw->b)
      continue;
    long s = slot_at(pw, rw, cx);
    if (s >= 0)
      c->slot = (int32_t)s;
  }
}

/* A page number's share of the page: it sits in the top or bottom this
 * much of the height. */
#define PAGE_MARGIN 0.15f

static bool is_dash(int32_t cp) {
  return cp == '-' || cp == 0x2010 || cp == 0x2012 || cp == 0x2013 ||
         cp == 0x2014 || cp == 0x2015 || cp == 0x2212 || cp == 0xFF0D ||
         cp == '~' || cp == 0xFF5E;
}

static bool is_digit_cp(int32_t cp) { return cp >= '0' && cp <= '9'; }

/* Whether characters order[0..n) (a visual line) say only a page number:
 * "- 4 -", "— 12 —", "4", "第 3 页", "第3页 共8页", "3/8". */
static bool page_number_text(const pch *ch, const uint32_t *order, size_t n) {
  int32_t cp[24];
  if (n == 0 || n > 24)
    return false;
  for (size_t i = 0; i < n; i++)
    cp[i] = ch[order[i]].cp;
  size_t i = 0, digits = 0;
  if (cp[0] == 0x7B2C /* 第 */) {
    for (i = 1; i < n && is_digit_cp(cp[i]); i++)
      digits++;
    if (!digits || i >= n || cp[i] != 0x9875 /* 页 */)
      return false;
    if (++i == n)
      return true;
    if (cp[i] != 0x5171 /* 共 */)
      return false;
    for (i++, digits = 0; i < n && is_digit_cp(cp[i]); i++)
      digits++;
    return digits && i + 1 == n && cp[i] == 0x9875;
  }
  while (i < n && is_dash(cp[i]))
    i++;
  for (; i < n && is_digit_cp(cp[i]); i++)
    digits++;
  if (digits == 0 || digits > 4)
    return false;
  if (i < n && cp[i] == '/') {
    size_t more = 0;
    for (i++; i < n && is_digit_cp(cp[i]); i++)
      more++;
    if (!more)
      return false;
  }
  while (i < n && is_dash(cp[i]))
    i++;
  return i == n;
}

/* Drops the page's header or footer when it is only the page number:
 * the first or last visual line of the page, in its margin.  Prose that
 * runs on to the next page then joins up as if the page had not ended. */
static void drop_page_numbers(page_work *pw) {
  float h = pw->bottom - pw->top;
  if (pw->n_items == 0 || !(h > 0))
    return;
  for (int end = 0; end < 2 && pw->n_items > 0; end++) {
    size_t k = end ? pw->n_items - 1 : 0;
    const item *x = &pw->items[k];
    if (x->is_row)
      continue;
    const pch *c = &pw->ch[pw->order[x->index]];
    float y = (c->y0 + c->y1) / 2;
    bool margin =
        end ? y > pw->bottom - PAGE_MARGIN * h : y < pw->top + PAGE_MARGIN * h;
    if (!margin || !page_number_text(pw->ch, pw->order + x->index, x->n))
      continue;
    memmove(pw->items + k, pw->items + k + 1,
            (pw->n_items - k - 1) * sizeof *pw->items);
    pw->n_items--;
  }
}

/* Lays out one page's characters and rulings into the output. */
static gk_status layout_page(page_work *pw, out_state *o) {
  if (!grow(&pw->order, &pw->cap_order, pw->n_ch + 1, sizeof(uint32_t)))
    return GK_ENOMEM;
  uint8_t *nb = realloc(pw->brk, pw->cap_order);
  if (!nb)
    return GK_ENOMEM;
  pw->brk = nb;
  pw->n_rows = pw->n_slots = pw->n_items = 0;

  merge_segs(&pw->h);
  merge_segs(&pw->v);
  if (!find_cells(pw))
    return GK_ENOMEM;
  if (pw->n_cells) {
    check_cells(pw);
    if (!build_rows(pw))
      return GK_ENOMEM;
    attach_loose(pw);
  }

  /* order[]: first the loose characters, in visual lines; then those of
   * the table grid cells, cell by cell, each cell's in reading order. */
  size_t n = 0;
  for (size_t i = 0; i < pw->n_ch; i++)
    pw->order[n++] = (uint32_t)i;
  sort_ch = pw->ch;
  sort_n(pw->order, n, sizeof *pw->order, cmp_slot);
  size_t n_loose = 0;
  while (n_loose < n && pw->ch[pw->order[n_loose]].slot < 0)
    n_loose++;
  into_lines(pw->ch, pw->order, pw->brk, n_loose);
  for (size_t i = n_loose; i < n;) {
    size_t j = i + 1;
    while (j < n && pw->ch[pw->order[j]].slot == pw->ch[pw->order[i]].slot)
      j++;
    into_lines(pw->ch, pw->order + i, pw->brk + i, j - i);
    i = j;
  }

  /* The items down the page: rows by their top, lines by their top. */
  for (size_t i = 0; i < pw->n_rows; i++) {
    if (!grow(&pw->items, &pw->cap_items, pw->n_items + 1, sizeof(item)))
      return GK_ENOMEM;
    pw->items[pw->n_items++] = (item){pw->rows[i].t, 1, (uint32_t)i, 0};
  }
  for (size_t i = 0; i < n_loose;) {
    size_t j = i + 1;
    float top = pw->ch[pw->order[i]].y0;
    while (j < n_loose && !pw->brk[j]) {
      top = fminf(top, pw->ch[pw->order[j]].y0);
      j++;
    }
    if (!grow(&pw->items, &pw->cap_items, pw->n_items + 1, sizeof(item)))
      return GK_ENOMEM;
    pw->items[pw->n_items++] = (item){top, 0, (uint32_t)i, (uint32_t)(j - i)};
    i = j;
  }
  sort_n(pw->items, pw->n_items, sizeof(item), cmp_item);
  drop_page_numbers(pw);

  /* Where each slot's characters start in order[]. */
  size_t *slot_first = calloc(pw->n_slots + 1, sizeof *slot_first);
  if (!slot_first)
    return GK_ENOMEM;
  for (size_t i = n_loose; i < n; i++)
    slot_first[pw->ch[pw->order[i]].slot + 1]++;
  for (size_t s = 0; s < pw->n_slots; s++)
    slot_first[s + 1] += slot_first[s];

  /* Tables are numbered through the document. */
  int32_t last = -1;
  for (size_t it = 0; it < pw->n_items && o->st == GK_OK; it++) {
    const item *x = &pw->items[it];
    if (!x->is_row) {
      begin_line(o);
      write_chars(o, pw->ch, pw->order + x->index, pw->brk + x->index, x->n,
                  true);
      continue;
    }
    const trow *rw = &pw->rows[x->index];
    /* A row whose text all went elsewhere is no line. */
    if (slot_first[rw->slot0 + rw->n_slots] == slot_first[rw->slot0])
      continue;
    begin_line(o);
    if (rw->table != last) {
      last = rw->table;
      o->n_tables++;
    }
    int32_t table = o->n_tables - 1;
    for (uint32_t q = 0; q < rw->n_slots; q++) {
      size_t s = rw->slot0 + q;
      size_t a = n_loose + slot_first[s], b = n_loose + slot_first[s + 1];
      write_chars(o, pw->ch, pw->order + a, pw->brk + a, b - a, false);
      fz_rect box =
          fz_make_rect(pw->slots[s].x0, rw->t, pw->slots[s].x1, rw->b);
      end_run(o, box, table, rw->index, (int32_t)q);
    }
  }
  free(slot_first);
  if (o->n_chars > GK_PDF_MAX_CHARS && o->st == GK_OK)
    o->st = GK_ELIMIT;
  return o->st;
}

/* ------------------------------------------------------------ reading */

/* What reading the document came to, beyond a status. */
typedef struct doc_state {
  fz_context *ctx;
  capped_alloc alloc;
  size_t n_messages;
  bool repaired;      /* MuPDF rebuilt a broken cross-reference table */
  size_t page_errors; /* pages whose content stream broke off */
  int first_bad_page; /* 1-based, when page_errors */
  page_work pw;
  out_state out;
  const char *why;
} doc_state;

/* Reads one page into the output.  Exceptions are MuPDF's: the caller
 * catches them. */
static void read_page(doc_state *ds, fz_document *doc, int i) {
  fz_context *ctx = ds->ctx;
  page_work *pw = &ds->pw;
  fz_page *page = NULL;
  fz_stext_page *tp = NULL;
  fz_device *sdev = NULL, *tee = NULL;
  fz_var(page);
  fz_var(tp);
  fz_var(sdev);
  fz_var(tee);
  pw->h.n = pw->v.n = 0;
  pw->n_ch = 0;
  pw->rulings_overflow = pw->glyphs_overflow = pw->content_overflow = false;
  pw->n_glyphs = 0;
  fz_try(ctx) {
    page = fz_load_page(ctx, doc, i);
    /* The stored size of the page's content streams, before running
     * them. */
    pdf_obj *contents =
        pdf_page_contents(ctx, pdf_page_from_fz_page(ctx, page));
    int64_t content_bytes = 0;
    if (pdf_is_array(ctx, contents)) {
      int nc = pdf_array_len(ctx, contents);
      for (int k = 0; k < nc; k++)
        content_bytes += pdf_dict_get_int(ctx, pdf_array_get(ctx, contents, k),
                                          PDF_NAME(Length));
    } else if (contents) {
      content_bytes = pdf_dict_get_int(ctx, contents, PDF_NAME(Length));
    }
    if (content_bytes > GK_PDF_MAX_CONTENT_BYTES) {
      pw->content_overflow = true;
      break; /* out of fz_try: the always block drops the page */
    }
    tp = fz_new_stext_page(ctx, fz_bound_page(ctx, page));
    fz_stext_options opts = {FZ_STEXT_PRESERVE_WHITESPACE |
                                 FZ_STEXT_INHIBIT_SPACES |
                                 FZ_STEXT_MEDIABOX_CLIP,
                             1.0f};
    sdev = fz_new_stext_device(ctx, tp, &opts);
    tee = new_tee(ctx, sdev, pw);
    fz_run_page(ctx, page, tee, fz_identity, NULL);
    fz_close_device(ctx, tee);
  }
  fz_always(ctx) {
    fz_drop_device(ctx, tee);
    fz_drop_device(ctx, sdev);
    fz_drop_page(ctx, page);
  }
  fz_catch(ctx) {
    /* Out of memory or over the cap: the document fails.  Any other
     * error (a broken content stream) loses the rest of this page only;
     * what was read so far is kept. */
    if (fz_caught(ctx) == FZ_ERROR_MEMORY || ds->alloc.hit ||
        ds->alloc.failed) {
      fz_drop_stext_page(ctx, tp);
      fz_rethrow(ctx);
    }
    /* Said in a diagnostic (gk__read_pdf()), never lost silently. */
    if (ds->page_errors++ == 0)
      ds->first_bad_page = i + 1;
  }
  if (tp) {
    take_chars(pw, tp);
    fz_drop_stext_page(ctx, tp);
  }
}

static void free_page_work(page_work *pw) {
  free(pw->ch);
  free(pw->h.v);
  free(pw->v.v);
  free(pw->order);
  free(pw->brk);
  free(pw->cells);
  free(pw->rows);
  free(pw->slots);
  free(pw->items);
}

/* Opens the document and reads every page; MuPDF's exceptions become a
 * status here. */
static gk_status read_document(doc_state *ds, const char *data, size_t len) {
  fz_context *ctx = ds->ctx;
  fz_stream *stm = NULL;
  pdf_document *pdf = NULL;
  gk_status st = GK_OK;
  fz_var(stm);
  fz_var(pdf);
  fz_var(st);
  fz_try(ctx) {
    stm = fz_open_memory(ctx, (const unsigned char *)data, len);
    pdf = pdf_open_document_with_stream(ctx, stm);
    fz_document *doc = &pdf->super;
    if (fz_needs_password(ctx, doc)) {
      st = GK_EUNSUPPORTED;
      ds->why = "PDF 已加密，需要密码才能读取";
      break;
    }
    int n = fz_count_pages(ctx, doc);
    if (n > GK_PDF_MAX_PAGES) {
      st = GK_ELIMIT;
      ds->why = "PDF 页数超过上限（2000 页）";
      break;
    }
    if (n <= 0) {
      st = GK_EUNSUPPORTED;
      ds->why = pdf_was_repaired(ctx, pdf)
                    ? "PDF 文件已损坏（修复后仍找不到页面），无法读取"
                    : "PDF 没有页面";
      break;
    }
    for (int i = 0; i < n && st == GK_OK; i++) {
      read_page(ds, doc, i);
      page_work *pw = &ds->pw;
      if (pw->oom) {
        st = GK_ENOMEM;
        break;
      }
      if (pw->glyphs_overflow) {
        st = GK_ELIMIT;
        ds->why = "PDF 单页文字量超过上限";
        break;
      }
      if (pw->content_overflow) {
        st = GK_ELIMIT;
        ds->why = "PDF 单页内容流超过上限（8 MiB）";
        break;
      }
      ds->out.page = (uint32_t)i + 1;
      st = layout_page(pw, &ds->out);
      if (st == GK_ELIMIT)
        ds->why = "PDF 文字量超过上限";
    }
    /* Repair can happen late, when a page's object is first looked up. */
    ds->repaired = pdf_was_repaired(ctx, pdf);
  }
  fz_always(ctx) {
    pdf_drop_document(ctx, pdf);
    fz_drop_stream(ctx, stm);
  }
  fz_catch(ctx) {
    if (ds->alloc.hit) {
      ds->why = "PDF 解析所需内存超过上限（256 MiB）";
      return GK_ELIMIT;
    }
    if (fz_caught(ctx) == FZ_ERROR_MEMORY || ds->alloc.failed)
      return GK_ENOMEM;
    ds->why = "PDF 文件已损坏，无法读取";
    return GK_EUNSUPPORTED;
  }
  return st;
}

/*
 * Reads the PDF of len bytes at data (they are only read, and may be freed
 * once this returns) into *out: the lines, runs and their text are in r's
 * arena.  A fresh MuPDF context, with its own capped allocator and silent
 * message callbacks, is made for the call and dropped before it returns,
 * so calls on separate threads share nothing.  Failures, each with a
 * phrase in *detail but GK_ENOMEM: GK_EUNSUPPORTED (not a PDF MuPDF can
 * repair, encrypted, no pages, or no text at all: "无文字层，需要 OCR"),
 * GK_ELIMIT (pages, characters, runs, text or MuPDF's memory over its
 * cap), GK_ENOMEM.  *out is set only on GK_OK.
 */
gk_status gk__read_pdf(gk_report *r, const char *data, size_t len,
                       gk__layout *out, const char **detail) {
  doc_state *ds = calloc(1, sizeof *ds);
  if (!ds)
    return GK_ENOMEM;
  ds->alloc.cap = GK_PDF_MAX_MEMORY;
  fz_alloc_context alloc = {&ds->alloc, cap_malloc, cap_realloc, cap_free};
  gk_status st = GK_OK;
  ds->ctx = fz_new_context(&alloc, NULL, GK_PDF_STORE_BYTES);
  if (!ds->ctx) {
    free(ds);
    return GK_ENOMEM;
  }
  fz_set_warning_callback(ds->ctx, quiet_message, &ds->n_messages);
  fz_set_error_callback(ds->ctx, quiet_message, &ds->n_messages);
  ds->out.arena = &r->arena;
  ds->out.st = GK_OK;
  gk__buf_init(&ds->out.text, GK_PDF_MAX_TEXT_BYTES);

  st = read_document(ds, data, len);
  if (ds->alloc.failed && st != GK_ELIMIT)
    st = GK_ENOMEM;
  if (st == GK_OK && ds->out.n_chars == 0) {
    st = GK_EUNSUPPORTED;
    /* No text because the file is broken is not a scan: OCR would not
     * help. */
    ds->why = ds->repaired || ds->page_errors
                  ? "PDF 文件已损坏（页面内容无法解析），读不到文字"
                  : "无文字层，需要 OCR";
  }
  if (st == GK_OK) {
    gk__line *lines =
        gk__arena_alloc(&r->arena, (ds->out.n_lines + 1) * sizeof *lines);
    gk__run *runs =
        gk__arena_alloc(&r->arena, (ds->out.n_runs + 1) * sizeof *runs);
    if (!lines || !runs) {
      st = GK_ENOMEM;
    } else {
      if (ds->out.n_lines)
        memcpy(lines, ds->out.lines, ds->out.n_lines * sizeof *lines);
      if (ds->out.n_runs)
        memcpy(runs, ds->out.runs, ds->out.n_runs * sizeof *runs);
      out->format = "pdf";
      out->lines = lines;
      out->n_lines = ds->out.n_lines;
      out->runs = runs;
      out->n_runs = ds->out.n_runs;
      /* A failed allocation here leaves the arena failed: the read then
       * fails with GK_ENOMEM rather than lose the diagnostic. */
      const char *pages = "";
      if (ds->page_errors)
        pages = gk__arena_printf(&r->arena,
                                 "；%zu 页的内容无法完整解析（第 %d 页起）",
                                 ds->page_errors, ds->first_bad_page);
      if ((ds->repaired || ds->page_errors) && pages)
        gk__diag_add(r, "source.repaired", GK_SEV_WARNING, 0, NULL,
                     "%s%s，读到的内容可能不完整，请核对原文件",
                     ds->repaired ? "PDF 文件结构已损坏（如下载不完整），"
                                    "经修复后读取"
                                  : "PDF 文件部分损坏",
                     pages);
    }
  }
  if (st != GK_OK && detail && ds->why)
    *detail = ds->why;
  fz_drop_context(ds->ctx);
  free_page_work(&ds->pw);
  free(ds->out.runs);
  free(ds->out.lines);
  gk__buf_free(&ds->out.text);
  free(ds);
  return st;
}

/* ------------------------------------------------------ page as image */

/* The largest image rendered: 4,000 x 4,000 pixels (48 MB of RGB before
 * PNG).  An A4 page at 2 pixels per point is 1,190 x 1,684; the cap stops
 * a page that declares a huge media box from costing gigabytes. */
#define GK_RENDER_MAX_PIXELS ((double)4000 * 4000)

/* Pixels per point: from a thumbnail (0.25) to print quality (4). */
#define GK_RENDER_MIN_SCALE 0.25
#define GK_RENDER_MAX_SCALE 4.0

/* The MuPDF side of gk_render_pdf_page_png(), arguments checked.  The
 * scale comes through a pointer: a floating-point argument live across
 * fz_try's setjmp may be clobbered (gcc -Wclobbered at -O2). */
static gk_status render_page_png(const void *data, size_t len, unsigned page,
                                 const double *zoomp, unsigned char **png,
                                 size_t *png_len, double *page_width,
                                 double *page_height) {
  capped_alloc ca = {0, GK_PDF_MAX_MEMORY, false, false};
  fz_alloc_context alloc = {&ca, cap_malloc, cap_realloc, cap_free};
  fz_context *ctx = fz_new_context(&alloc, NULL, GK_PDF_STORE_BYTES);
  if (!ctx)
    return GK_ENOMEM;
  size_t n_messages = 0;
  fz_set_warning_callback(ctx, quiet_message, &n_messages);
  fz_set_error_callback(ctx, quiet_message, &n_messages);
  fz_stream *stm = NULL;
  pdf_document *pdf = NULL;
  fz_page *pg = NULL;
  fz_pixmap *pix = NULL;
  fz_buffer *buf = NULL;
  gk_status st = GK_OK;
  fz_var(stm);
  fz_var(pdf);
  fz_var(pg);
  fz_var(pix);
  fz_var(buf);
  fz_var(st);
  fz_try(ctx) {
    stm = fz_open_memory(ctx, (const unsigned char *)data, len);
    pdf = pdf_open_document_with_stream(ctx, stm);
    fz_document *doc = &pdf->super;
    if (fz_needs_password(ctx, doc)) {
      st = GK_EUNSUPPORTED;
      break;
    }
    int n = fz_count_pages(ctx, doc);
    if (n > GK_PDF_MAX_PAGES) {
      st = GK_ELIMIT;
      break;
    }
    if ((int)page > n) {
      st = GK_ENOENT;
      break;
    }
    pg = fz_load_page(ctx, doc, (int)page - 1);
    fz_rect b = fz_bound_page(ctx, pg);
    double w = b.x1 - b.x0, h = b.y1 - b.y0;
    if (!(w > 0 && h > 0) || w * h * *zoomp * *zoomp > GK_RENDER_MAX_PIXELS) {
      st = GK_ELIMIT;
      break;
    }
    if (page_width)
      *page_width = w;
    if (page_height)
      *page_height = h;
    pix = fz_new_pixmap_from_page(
        ctx, pg, fz_scale((float)*zoomp, (float)*zoomp), fz_device_rgb(ctx), 0);
    buf = fz_new_buffer_from_pixmap_as_png(ctx, pix, fz_default_color_params);
    unsigned char *bytes = NULL;
    size_t n_bytes = fz_buffer_storage(ctx, buf, &bytes);
    unsigned char *copy = malloc(n_bytes ? n_bytes : 1);
    if (!copy) {
      st = GK_ENOMEM;
      break;
    }
    memcpy(copy, bytes, n_bytes);
    *png = copy;
    *png_len = n_bytes;
  }
  fz_always(ctx) {
    fz_drop_buffer(ctx, buf);
    fz_drop_pixmap(ctx, pix);
    fz_drop_page(ctx, pg);
    pdf_drop_document(ctx, pdf);
    fz_drop_stream(ctx, stm);
  }
  fz_catch(ctx) {
    if (ca.hit)
      st = GK_ELIMIT;
    else if (fz_caught(ctx) == FZ_ERROR_MEMORY || ca.failed)
      st = GK_ENOMEM;
    else
      st = GK_EUNSUPPORTED;
  }
  if (st == GK_OK && ca.failed)
    st = GK_ENOMEM;
  if (st != GK_OK && *png) {
    free(*png);
    *png = NULL;
    *png_len = 0;
  }
  fz_drop_context(ctx);
  return st;
}

gk_status gk_render_pdf_page_png(const void *data, size_t len, unsigned page,
                                 double scale, unsigned char **png,
                                 size_t *png_len, double *page_width,
                                 double *page_height) {
  if (png)
    *png = NULL;
  if (png_len)
    *png_len = 0;
  if (!data || !png || !png_len || page == 0 || isnan(scale))
    return GK_EINVAL;
  if (len > GK_MAX_INPUT_BYTES)
    return GK_ETOOBIG;
  double zoom = scale < GK_RENDER_MIN_SCALE   ? GK_RENDER_MIN_SCALE
                : scale > GK_RENDER_MAX_SCALE ? GK_RENDER_MAX_SCALE
                                              : scale;
  return render_page_png(data, len, page, &zoom, png, png_len, page_width,
                         page_height);
}
