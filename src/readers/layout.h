/*
 * layout.h - what every reader produces and the parser consumes.
 *
 * The layout is the document as lines of text runs.  Each run knows where
 * it came from: its line (text, Markdown, HTML) or page and box (PDF), and
 * when the source has a real table, the table, row and column of the cell
 * it sits in.  A text file gives lines whose runs are the tab-separated
 * fields (an empty field is a run of length 0: table positions matter);
 * a PDF gives runs with positions.  One parser turns any layout into the
 * model; a new input format is a new reader and nothing else.
 */
#ifndef GK_LAYOUT_H
#define GK_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

typedef struct gk__run {
  const char *text; /* UTF-8, not NUL-terminated */
  uint32_t len;
  uint32_t field; /* index of the run within its line (tab field) */
  /* Real-table provenance; -1 when the source has none. */
  int32_t table, row, col;
  /* Geometry (PDF); all 0 when the source has none. */
  uint32_t page;
  float x0, y0, x1, y1;
} gk__run;

typedef struct gk__line {
  uint32_t lineno; /* 1-based line in the source text */
  uint32_t first_run;
  uint32_t n_runs;
} gk__line;

typedef struct gk__layout {
  const char *format; /* "text", ... */
  const gk__line *lines;
  size_t n_lines;
  const gk__run *runs;
  size_t n_runs;
} gk__layout;

/*
 * The readers.  Each turns its input into a layout allocated in the
 * report's arena and nothing more; the parser does the rest.  Text-based
 * readers get UTF-8 (report.c converts first); binary and markup readers
 * get the raw bytes and handle their own encodings.  A reader may add
 * reading diagnostics to the report (struct gk_report, model.h) and may
 * set *detail to a short static Chinese phrase explaining a refusal
 * ("无文字层，需要 OCR").  Failures: GK_ENOMEM, GK_ELIMIT, GK_EUNSUPPORTED,
 * GK_EENCODING, GK_EINTERNAL; every limit is a named constant in the
 * reader's file.
 *
 * In a layout from a real table (HTML, DOCX, Markdown, PDF), each table
 * row is one layout line and each grid cell one run (a colspan or a
 * rowspan continuation is an empty run), so that tab-like field positions
 * line up with the grid exactly as in a Word "save as text" file.
 */
struct gk_report;

/* read_text.c: lines split at LF, CR LF or bare CR; runs split at tabs.
 * `text` must stay alive as long as the layout. */
gk_status gk__read_text(gk__arena *a, const char *text, size_t len,
                        gk__layout *out);

/* read_text.c: whether the text is a crawler's CSV export holding more
 * than one report (a header "标题,…,内容,…" and a record per report, each
 * titled "…年度报告"): such a file is refused, never read as one merged
 * report. */
bool gk__text_holds_several_reports(const char *text, size_t len);

/* read_markdown.c: Markdown from PDF converters and OCR, pipe tables. */
gk_status gk__read_markdown(struct gk_report *r, const char *text, size_t len,
                            gk__layout *out, const char **detail);

/* read_html.c: portal pages (libxml2's HTML parser). */
gk_status gk__read_html(struct gk_report *r, const char *data, size_t len,
                        gk__layout *out, const char **detail);

/* read_crawler.c: one crawler record {"url", "title", "publish_time",
 * "content"}; its content goes to the text, Markdown or HTML reader.
 * GK_EUNSUPPORTED when the bytes are no such record (read them as text). */
gk_status gk__read_crawler(struct gk_report *r, const char *data, size_t len,
                           gk__layout *out, const char **detail);
/* Whether the bytes may be a crawler record (a JSON object naming
 * "content"); gk__read_crawler() decides. */
bool gk__looks_like_crawler(const char *data, size_t len);
/* After parsing: the record's title and publish_time where the report's
 * own text gave none. */
void gk__crawler_fallbacks(struct gk_report *r);

/* read_docx.c: Word documents (libzip + libxml2). */
gk_status gk__read_docx(struct gk_report *r, const char *data, size_t len,
                        gk__layout *out, const char **detail);

/* read_pdf.c: PDF (MuPDF structured text). */
gk_status gk__read_pdf(struct gk_report *r, const char *data, size_t len,
                       gk__layout *out, const char **detail);

/* A layout line's text: its non-empty runs joined by one space, trimmed
 * of white space (U+3000 indents and a BOM included), NUL-terminated.
 * gk__layout_line_bytes() is the room gk__layout_line_join() needs in
 * `out`; the join returns the text's length. */
size_t gk__layout_line_bytes(const gk__layout *l, size_t li);
size_t gk__layout_line_join(const gk__layout *l, size_t li, char *out);

/* The page of source line `lineno` (1-based) when the layout has pages
 * (PDF: lines are numbered through the document), else 0. */
static inline uint32_t gk__layout_page(const gk__layout *l, uint32_t lineno) {
  if (lineno == 0 || lineno > l->n_lines)
    return 0;
  const gk__line *ln = &l->lines[lineno - 1];
  if (ln->lineno != lineno || ln->n_runs == 0)
    return 0;
  return l->runs[ln->first_run].page;
}

/* Whether UTF-8 text is Markdown with pipe tables (read_markdown.c). */
bool gk__looks_like_markdown(const char *text, size_t len);

#endif /* GK_LAYOUT_H */
