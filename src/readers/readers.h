/*
 * readers.h - the entry points of the readers (src/readers/), which
 * read.c calls: each turns one kind of input into a layout (layout.h).
 */
#ifndef GK_READERS_H
#define GK_READERS_H

#include <stdbool.h>
#include <stddef.h>

#include "facts.h"
#include "layout.h"

/*
 * The readers.  Each turns its input into a layout allocated in the
 * report's arena and nothing more; the parser does the rest.  Text-based
 * readers get UTF-8 (read.c converts first); binary and markup readers
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

/* The readers' fast paths (issue 12): the text reader's and the Markdown
 * reader's scans sixteen bytes at a time.  On by default; the unit test
 * tests/unit/test_fastpaths_read.c turns them off to compare each layout
 * with the one the plain byte loops give. */
extern bool gk__read_fast_paths;

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

/* Whether UTF-8 text is Markdown with pipe tables (read_markdown.c). */
bool gk__looks_like_markdown(const char *text, size_t len);

/*
 * read_model.c: a report from its JSON model, and the blank template.  A
 * reader does not run the parser: these say which of the parser's last
 * passes the report still needs, and read.c runs them
 * (gk_read_model_json, gk_report_template in gongkai.h).
 */
typedef struct gk__model_passes {
  /* A parsed model (it states its provenance): the prose pass over the
   * parts' text, with the source lines the model recorded. */
  bool prose_from_lines;
  gk__facts_lines lines[7]; /* by part number 1..6 */
  bool mentions_accountability;
  /* A model without provenance, or the template: the text-as-written
   * and prose passes over the layout made from the model's text. */
  bool written_and_prose;
} gk__model_passes;

/* gk_read_model_json() without the passes; the same failures. */
gk_status gk__read_model(const char *json, size_t len, struct gk_report **out,
                         gk__model_passes *passes, const char **detail);
/* gk_report_template() without the passes. */
gk_status gk__model_template(int year, const char *agency,
                             struct gk_report **out, gk__model_passes *passes);

#endif /* GK_READERS_H */
