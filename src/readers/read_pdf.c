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
 * Steps 2 to 4 are pure geometry on float boxes, in pdf_grid.c; this
 * file is the MuPDF side: the allocator, the devices, the orientation of
 * the page, and writing the grid's items into the layout.
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
#include "readers/layout_build.h"
#include "readers/pdf_grid.h"
#include "readers/readers.h"

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

/* Memory MuPDF may allocate while reading one PDF: 256 MiB.  Its object
 * cache, fonts and the structured text of a page live in it; a
 * decompression bomb or a giant image stops here with GK_ELIMIT. */
#define GK_PDF_MAX_MEMORY ((size_t)256 << 20)

/* MuPDF's resource cache (fonts, decoded streams), within the above. */
#define GK_PDF_STORE_BYTES ((size_t)32 << 20)

/* ------------------------------------------------------------ geometry */

/* In font sizes (em); the grid's own tolerances are in pdf_grid.c.  A gap
 * wider than this between two characters is a space; between two Chinese
 * characters, which justified lines spread apart, only a wider one is... */
#define SPACE_GAP_EM 0.2f
#define WIDE_SPACE_GAP_EM 0.6f
/* ...and wider than this, outside ruled tables, a new run (a cell). */
#define RUN_GAP_EM 1.2f
/* The same character again within this distance (em) is a glyph drawn
 * twice or four times over for a bold effect. */
#define DUP_TOL_EM 0.3f

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

/* A straight piece of a stroked path, or a filled shape's box: rulings
 * when they are level or upright hairlines (pdf_grid.c decides). */
static void add_line(gk__pdf_page *pw, fz_point p, fz_point q) {
  gk__pdf_add_line(pw, p.x, p.y, q.x, q.y);
}

static void add_box(gk__pdf_page *pw, fz_rect r) {
  gk__pdf_add_box(pw, r.x0, r.y0, r.x1, r.y1);
}

/* Walking a path: the current point, the subpath's start and box. */
typedef struct walk {
  gk__pdf_page *pw;
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

static void record_path(fz_context *ctx, gk__pdf_page *pw, const fz_path *path,
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
  gk__pdf_page *pw;
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

static fz_device *new_tee(fz_context *ctx, fz_device *text, gk__pdf_page *pw) {
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

static void orient_segs(gk__pdf_page *pw, const frame *f) {
  int rot = f->rot;
  gk__pdf_segs h = pw->h, v = pw->v;
  /* A quarter turn makes horizontal rulings vertical and back. */
  if (rot == 1 || rot == 3) {
    pw->h = v;
    pw->v = h;
  }
  for (int k = 0; k < 2; k++) {
    gk__pdf_segs *sv = k ? &pw->v : &pw->h;
    for (size_t i = 0; i < sv->n; i++) {
      gk__pdf_seg *s = &sv->v[i];
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
static void take_chars(gk__pdf_page *pw, const fz_stext_page *tp) {
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
        if (gk__array_grow(&pw->ch, &pw->cap_ch, pw->n_ch + 1,
                           sizeof(gk__pdf_char), SIZE_MAX) != GK_OK) {
          pw->oom = true;
          return;
        }
        gk__pdf_char *p = &pw->ch[pw->n_ch++];
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

/* ------------------------------------------------------------ output */

/* The layout being built (layout_build.h's floor, which caps the runs at
 * GK_PDF_MAX_RUNS); a line is numbered by its place in the document. */
typedef struct out_state {
  gk__arena *arena;
  gk__lines w;
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
  if (o->w.open &&
      gk__lines_close(&o->w, (uint32_t)o->w.n_lines + 1, false) != GK_OK) {
    o->st = o->w.status;
    return;
  }
  gk__lines_open(&o->w);
}

/* Ends the run being built: its text goes into the arena. */
static void end_run(out_state *o, fz_rect box, int32_t table, int32_t row,
                    int32_t col) {
  if (o->st != GK_OK)
    return;
  if (o->w.n_runs >= GK_PDF_MAX_RUNS ||
      o->text_bytes + o->text.len > GK_PDF_MAX_TEXT_BYTES) {
    o->st = GK_ELIMIT;
    return;
  }
  char *s = gk__arena_strndup(o->arena, o->text.data ? o->text.data : "",
                              o->text.len);
  if (!s) {
    o->st = GK_ENOMEM;
    return;
  }
  gk__run *r = gk__lines_run(&o->w, s, (uint32_t)o->text.len, table, row, col);
  if (!r) {
    o->st = o->w.status;
    return;
  }
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
static void write_chars(out_state *o, const gk__pdf_char *ch,
                        const uint32_t *order, const uint8_t *brk, size_t n,
                        bool split_runs) {
  const gk__pdf_char *last = NULL;
  fz_rect box = fz_empty_rect;
  for (size_t i = 0; i < n; i++) {
    const gk__pdf_char *c = &ch[order[i]];
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

/* Lays out one page's characters and rulings into the output: the grid
 * and lines pdf_grid.c finds, item by item down the page. */
static gk_status layout_page(gk__pdf_page *pw, out_state *o) {
  gk_status st = gk__pdf_grid_page(pw);
  if (st != GK_OK)
    return st;
  size_t n_loose = pw->n_loose;
  const size_t *slot_first = pw->slot_first;

  /* Tables are numbered through the document. */
  int32_t last = -1;
  for (size_t it = 0; it < pw->n_items && o->st == GK_OK; it++) {
    const gk__pdf_item *x = &pw->items[it];
    if (!x->is_row) {
      begin_line(o);
      write_chars(o, pw->ch, pw->order + x->index, pw->brk + x->index, x->n,
                  true);
      continue;
    }
    const gk__pdf_row *rw = &pw->rows[x->index];
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
  if (o->n_chars > GK_PDF_MAX_CHARS && o->st == GK_OK)
    o->st = GK_ELIMIT;
  return o->st;
}

/* ------------------------------------------------------------ reading */

/* What reading the document came to, beyond a status. */
/* Bytes of a PDF's document title kept: 1 KiB.  Report titles are under
 * 60 characters (180 bytes); a longer Info /Title is no title and is
 * dropped whole rather than cut. */
#define GK_PDF_MAX_TITLE_BYTES 1024

typedef struct doc_state {
  fz_context *ctx;
  char title[GK_PDF_MAX_TITLE_BYTES]; /* info:Title, UTF-8, or "" */
  capped_alloc alloc;
  size_t n_messages;
  bool repaired;      /* MuPDF rebuilt a broken cross-reference table */
  size_t page_errors; /* pages whose content stream broke off */
  int first_bad_page; /* 1-based, when page_errors */
  gk__pdf_page pw;
  out_state out;
  const char *why;
} doc_state;

/* Reads one page into the output.  Exceptions are MuPDF's: the caller
 * catches them. */
static void read_page(doc_state *ds, fz_document *doc, int i) {
  fz_context *ctx = ds->ctx;
  gk__pdf_page *pw = &ds->pw;
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
    /* The document title, the fallback for a body without a title line
     * (meta.c).  MuPDF gives it as UTF-8; one longer than the buffer
     * (the return value counts the whole and the NUL) is not kept. */
    int tn = fz_lookup_metadata(ctx, doc, FZ_META_INFO_TITLE, ds->title,
                                (int)sizeof ds->title);
    if (tn < 0 || (size_t)tn > sizeof ds->title)
      ds->title[0] = '\0';
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
      gk__pdf_page *pw = &ds->pw;
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
  gk__lines_init(&ds->out.w, GK_PDF_MAX_RUNS);
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
    st = gk__lines_finish(&ds->out.w, &r->arena, "pdf", out);
    if (st == GK_OK) {
      if (ds->title[0] && gk__utf8_valid(ds->title, strlen(ds->title)))
        r->pdf_title =
            gk__arena_strndup(&r->arena, ds->title, strlen(ds->title));
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
  gk__pdf_page_free(&ds->pw);
  gk__lines_free(&ds->out.w);
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
