/*
 * write_html.c - the document as one self-contained HTML page, ready to
 * print on A4: the page margins of official documents (GB/T 9704: 37 mm
 * top, 35 mm bottom, 28 mm left, 26 mm right), the title in 小标宋, the
 * parts' headings in 黑体, the prose in 仿宋, fonts named by family with
 * fallbacks so that any Chinese system finds one.  Tables merge their
 * cells with rowspan and colspan exactly as the printed grid does; the
 * header rows of tables 3 and 4 are a <thead>, which browsers repeat on
 * each printed page.  The tables also carry border="1", for the programs
 * that import HTML without applying its style sheet (word processors).
 * No scripts, no external resources.
 */
#include <string.h>

#include "render.h"

static const char style[] =
    "@page{size:A4;margin:37mm 26mm 35mm 28mm}\n"
    "html{background:#fff;color:#000}\n"
    "body{margin:0 auto;max-width:156mm;padding:1em 0;"
    "font-family:\"仿宋_GB2312\",\"FangSong_GB2312\",\"仿宋\",\"FangSong\","
    "\"STFangsong\",\"Noto Serif CJK SC\",\"Source Han Serif SC\",serif;"
    "font-size:16pt;line-height:28pt}\n"
    "h1{font-family:\"方正小标宋简体\",\"FZXiaoBiaoSong-B05S\",\"华文中宋\","
    "\"STZhongsong\",\"宋体\",\"SimSun\",\"Noto Serif CJK SC\",serif;"
    "font-size:22pt;line-height:35pt;font-weight:normal;text-align:center;"
    "margin:0 0 28pt}\n"
    "h2{font-family:\"黑体\",\"SimHei\",\"Heiti SC\",\"Noto Sans CJK SC\","
    "\"Source Han Sans SC\",sans-serif;font-size:16pt;font-weight:normal;"
    "margin:0;text-indent:2em;page-break-after:avoid}\n"
    "p{margin:0;text-indent:2em;text-align:justify}\n"
    "p.sig{text-indent:0;text-align:right;padding-right:4em}\n"
    "p.sig.agency{margin-top:28pt}\n"
    "table{border-collapse:collapse;width:100%;margin:6pt 0 14pt;"
    "font-size:10.5pt;line-height:1.35}\n"
    "table.proactive{font-size:12pt}\n"
    "th,td{border:1px solid #000;padding:2pt 3pt;text-align:center;"
    "vertical-align:middle;font-weight:normal}\n"
    "th{min-width:2.2em}\n"
    "td.label{text-align:left}\n"
    "thead{display:table-header-group}\n"
    "tr{page-break-inside:avoid}\n"
    "@media screen{body{padding:2em}}\n";

/* Text with line breaks as <br>. */
static gk_status put_text(gk__buf *out, const char *s) {
  gk_status st = GK_OK;
  for (const char *nl; st == GK_OK && (nl = strchr(s, '\n')); s = nl + 1) {
    st = gk__buf_put_xmln(out, s, (size_t)(nl - s));
    if (st == GK_OK)
      st = gk__buf_puts(out, "<br>");
  }
  return st == GK_OK ? gk__buf_put_xml(out, s) : st;
}

static gk_status put_cell(gk__buf *out, const gk__gcell *x, bool head) {
  const char *tag = head ? "th" : "td";
  gk_status st = gk__buf_printf(out, "<%s", tag);
  if (st == GK_OK && x->rowspan > 1)
    st = gk__buf_printf(out, " rowspan=\"%u\"", (unsigned)x->rowspan);
  if (st == GK_OK && x->colspan > 1)
    st = gk__buf_printf(out, " colspan=\"%u\"", (unsigned)x->colspan);
  if (st == GK_OK && x->kind == GK_GC_LABEL)
    st = gk__buf_puts(out, " class=\"label\"");
  if (st == GK_OK)
    st = gk__buf_putc(out, '>');
  if (st == GK_OK)
    st = gk__buf_put_xml(out, x->text);
  if (st == GK_OK)
    st = gk__buf_printf(out, "</%s>", tag);
  return st;
}

static gk_status put_rows(gk__buf *out, const gk__grid *g, size_t from,
                          size_t to, bool head) {
  gk_status st = GK_OK;
  for (size_t r = from; r < to && st == GK_OK; r++) {
    st = gk__buf_puts(out, "<tr>");
    for (size_t c = 0; c < g->n_cols && st == GK_OK; c++) {
      const gk__gcell *x = gk__grid_at(g, r, c);
      if (x->text)
        st = put_cell(out, x, head);
    }
    if (st == GK_OK)
      st = gk__buf_puts(out, "</tr>\n");
  }
  return st;
}

static gk_status put_grid(gk__buf *out, const gk__grid *g) {
  gk_status st =
      gk__buf_printf(out,
                     "<table class=\"%s\" border=\"1\" cellspacing=\"0\" "
                     "cellpadding=\"3\">\n",
                     g->def ? g->def->key : "");
  if (st == GK_OK && g->header_rows) {
    st = gk__buf_puts(out, "<thead>\n");
    if (st == GK_OK)
      st = put_rows(out, g, 0, g->header_rows, true);
    if (st == GK_OK)
      st = gk__buf_puts(out, "</thead>\n");
  }
  if (st == GK_OK)
    st = gk__buf_puts(out, "<tbody>\n");
  if (st == GK_OK)
    st = put_rows(out, g, g->header_rows, g->n_rows, false);
  if (st == GK_OK)
    st = gk__buf_puts(out, "</tbody>\n</table>\n");
  return st;
}

gk_status gk__write_html(const gk__doc *doc, gk__buf *out) {
  gk_status st =
      gk__buf_puts(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n"
                        "<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" "
                        "content=\"width=device-width\">\n"
                        "<meta name=\"generator\" content=\"gongkai " GK_VERSION
                        "\">\n<title>");
  if (st == GK_OK)
    st = gk__buf_put_xml(out, doc->title ? doc->title : "");
  if (st == GK_OK)
    st = gk__buf_printf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n",
                        style);
  for (size_t i = 0; i < doc->n_blocks && st == GK_OK; i++) {
    const gk__doc_block *b = &doc->blocks[i];
    const char *open = "<p>", *close = "</p>\n";
    switch (b->kind) {
    case GK_DOC_TITLE:
      open = "<h1>", close = "</h1>\n";
      break;
    case GK_DOC_HEADING:
      open = "<h2>", close = "</h2>\n";
      break;
    case GK_DOC_AGENCY:
      open = "<p class=\"sig agency\">";
      break;
    case GK_DOC_DATE:
      open = "<p class=\"sig date\">";
      break;
    case GK_DOC_TABLE:
      st = put_grid(out, b->grid);
      continue;
    default:
      break;
    }
    st = gk__buf_puts(out, open);
    if (st == GK_OK)
      st = put_text(out, b->text);
    if (st == GK_OK)
      st = gk__buf_puts(out, close);
  }
  if (st == GK_OK)
    st = gk__buf_puts(out, "</body>\n</html>\n");
  return st;
}
