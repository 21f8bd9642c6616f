/*
 * write_docx.c - the document as a Word file (Office Open XML,
 * WordprocessingML), written by hand and zipped with libzip in memory.
 *
 * The parts are the fewest Word and LibreOffice need to open a document
 * cleanly, plus the footer with the page number that official documents
 * carry: [Content_Types].xml, _rels/.rels, docProps/core.xml and app.xml,
 * word/document.xml with its _rels, styles.xml, settings.xml,
 * fontTable.xml and footer1.xml.
 *
 * The page is set as official documents are (GB/T 9704-2012): A4, margins
 * 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; the title in 二号
 * 方正小标宋简体, headings in 三号 黑体, prose in 三号 仿宋_GB2312 at a fixed
 * 28 pt line pitch with a two-character first-line indent; the signature
 * right-aligned.  fontTable.xml names the common substitutes (仿宋 for
 * 仿宋_GB2312, 宋体 for 方正小标宋简体) for machines without the official
 * fonts.
 *
 * Tables merge cells as Word does: w:gridSpan for a cell spanning
 * columns, w:vMerge="restart" on a cell spanning rows and an empty w:vMerge
 * cell below it in each row it covers.  Header rows repeat on each page
 * (w:tblHeader) and no row splits across pages (w:cantSplit).
 *
 * Entries carry a fixed date (1980-01-01), so the same report always
 * gives the same bytes.
 */
#include <stdio.h>
#include <string.h>
#include <zip.h>

#include "render.h"

/* The text width between the margins, in twentieths of a point:
 * 210 mm − 28 mm − 26 mm = 156 mm. */
#define PAGE_W 11906
#define PAGE_H 16838
#define MARGIN_TOP 2098
#define MARGIN_BOTTOM 1984
#define MARGIN_LEFT 1587
#define MARGIN_RIGHT 1474
#define TEXT_W (PAGE_W - MARGIN_LEFT - MARGIN_RIGHT)

/* Entries of the archive: the parts above. */
#define MAX_PARTS 12

#define XML_DECL                                                               \
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R                                                                   \
  "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG_REL                                                             \
  "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_TYPE NS_R "/"
#define CT_WML "application/vnd.openxmlformats-officedocument.wordprocessingml."

static const char content_types[] = XML_DECL
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
    "content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/"
    "vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"" CT_WML
    "document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" ContentType=\"" CT_WML
    "styles+xml\"/>"
    "<Override PartName=\"/word/settings.xml\" ContentType=\"" CT_WML
    "settings+xml\"/>"
    "<Override PartName=\"/word/fontTable.xml\" ContentType=\"" CT_WML
    "fontTable+xml\"/>"
    "<Override PartName=\"/word/footer1.xml\" ContentType=\"" CT_WML
    "footer+xml\"/>"
    "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/"
    "vnd.openxmlformats-package.core-properties+xml\"/>"
    "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
    "</Types>";

static const char package_rels[] =
    XML_DECL "<Relationships xmlns=\"" NS_PKG_REL "\">"
             "<Relationship Id=\"rId1\" Type=\"" REL_TYPE
             "officeDocument\" Target=\"word/document.xml\"/>"
             "<Relationship Id=\"rId2\" Type=\"" NS_PKG_REL
             "/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
             "<Relationship Id=\"rId3\" Type=\"" REL_TYPE
             "extended-properties\" Target=\"docProps/app.xml\"/>"
             "</Relationships>";

static const char document_rels[] =
    XML_DECL "<Relationships xmlns=\"" NS_PKG_REL "\">"
             "<Relationship Id=\"rId1\" Type=\"" REL_TYPE
             "styles\" Target=\"styles.xml\"/>"
             "<Relationship Id=\"rId2\" Type=\"" REL_TYPE
             "settings\" Target=\"settings.xml\"/>"
             "<Relationship Id=\"rId3\" Type=\"" REL_TYPE
             "fontTable\" Target=\"fontTable.xml\"/>"
             "<Relationship Id=\"rId4\" Type=\"" REL_TYPE
             "footer\" Target=\"footer1.xml\"/>"
             "</Relationships>";

static const char app_xml[] =
    XML_DECL "<Properties xmlns=\"http://schemas.openxmlformats.org/"
             "officeDocument/2006/extended-properties\">"
             "<Application>gongkai " GK_VERSION "</Application>"
             "</Properties>";

static const char settings_xml[] =
    XML_DECL "<w:settings xmlns:w=\"" NS_W "\">"
             "<w:defaultTabStop w:val=\"420\"/>"
             "<w:characterSpacingControl w:val=\"compressPunctuation\"/>"
             "<w:compat><w:compatSetting w:name=\"compatibilityMode\" "
             "w:uri=\"http://schemas.microsoft.com/office/word\" "
             "w:val=\"15\"/></w:compat>"
             "</w:settings>";

/* The fonts the document names, with the substitutes a machine without
 * the official fonts should use (fontTable.xml). */
static const struct font {
  const char *name, *alt, *charset, *family;
} fonts[] = {
    {"仿宋_GB2312", "仿宋", "86", "modern"},
    {"仿宋", "FangSong", "86", "modern"},
    {"黑体", "SimHei", "86", "modern"},
    {"方正小标宋简体", "宋体", "86", "script"},
    {"宋体", "SimSun", "86", "auto"},
    {"Times New Roman", NULL, "00", "roman"},
};

static gk_status font_table_xml(gk__buf *b) {
  gk_status st = gk__buf_puts(b, XML_DECL "<w:fonts xmlns:w=\"" NS_W "\">");
  for (size_t i = 0; i < sizeof fonts / sizeof fonts[0] && st == GK_OK; i++) {
    st = gk__buf_printf(b, "<w:font w:name=\"%s\">", fonts[i].name);
    if (st == GK_OK && fonts[i].alt)
      st = gk__buf_printf(b, "<w:altName w:val=\"%s\"/>", fonts[i].alt);
    if (st == GK_OK)
      st = gk__buf_printf(b,
                          "<w:charset w:val=\"%s\"/><w:family w:val=\"%s\"/>"
                          "<w:pitch w:val=\"variable\"/></w:font>",
                          fonts[i].charset, fonts[i].family);
  }
  return st == GK_OK ? gk__buf_puts(b, "</w:fonts>") : st;
}

/* A paragraph style: its id and name, the style it is based on (NULL:
 * none), its paragraph properties, and the East Asian font and size (in
 * half points: 二号 44, 三号 32, 小四 24, 五号 21, 四号 28) of its text, or
 * NULL and 0 to inherit them. */
static const struct pstyle {
  const char *id, *name, *based_on, *ppr, *east;
  int size;
} pstyles[] = {
    /* The prose: two characters' first-line indent. */
    {"Normal", "Normal", NULL,
     "<w:widowControl/><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>",
     NULL, 0},
    /* The title: centred, a blank line after. */
    {"Title", "Title", "Normal",
     "<w:keepNext/><w:spacing w:after=\"560\" w:line=\"700\" "
     "w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
     "<w:jc w:val=\"center\"/>",
     "方正小标宋简体", 44},
    /* A part's heading, indented as the prose. */
    {"Heading1", "heading 1", "Normal",
     "<w:keepNext/><w:outlineLvl w:val=\"0\"/>", "黑体", 0},
    /* The signature: right-aligned, four characters from the margin. */
    {"Signature", "Signature", "Normal",
     "<w:ind w:right=\"1280\" w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
     "<w:jc w:val=\"right\"/>",
     NULL, 0},
    /* Table text: single spacing, no indent, centred, 五号. */
    {"TableText", "Table Text", "Normal",
     "<w:spacing w:line=\"240\" w:lineRule=\"auto\"/>"
     "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc "
     "w:val=\"center\"/>",
     NULL, 21},
    /* The page number: 四号 宋体, centred. */
    {"Footer", "footer", "Normal",
     "<w:spacing w:line=\"240\" w:lineRule=\"auto\"/>"
     "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc "
     "w:val=\"center\"/>",
     "宋体", 28},
};

/* Latin letters and digits in Times New Roman, Chinese in `east`. */
static gk_status put_rfonts(gk__buf *b, const char *east) {
  return gk__buf_printf(b,
                        "<w:rFonts w:ascii=\"Times New Roman\" "
                        "w:hAnsi=\"Times New Roman\" w:eastAsia=\"%s\" "
                        "w:cs=\"Times New Roman\"/>",
                        east);
}

/* styles.xml: the defaults (三号 仿宋_GB2312 at a fixed 28 pt pitch,
 * justified), the paragraph styles above, and the default table style
 * with its narrow cell margins. */
static gk_status styles_xml(gk__buf *b) {
  gk_status st =
      gk__buf_puts(b, XML_DECL "<w:styles xmlns:w=\"" NS_W "\">"
                               "<w:docDefaults><w:rPrDefault><w:rPr>");
  if (st == GK_OK)
    st = put_rfonts(b, "仿宋_GB2312");
  if (st == GK_OK)
    st = gk__buf_puts(
        b, "<w:kern w:val=\"2\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>"
           "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/>"
           "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
           "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"560\" "
           "w:lineRule=\"exact\"/><w:jc w:val=\"both\"/></w:pPr>"
           "</w:pPrDefault></w:docDefaults>");
  for (size_t i = 0; i < sizeof pstyles / sizeof pstyles[0] && st == GK_OK;
       i++) {
    const struct pstyle *ps = &pstyles[i];
    st = gk__buf_printf(b,
                        "<w:style w:type=\"paragraph\"%s w:styleId=\"%s\">"
                        "<w:name w:val=\"%s\"/>",
                        i == 0 ? " w:default=\"1\"" : "", ps->id, ps->name);
    if (st == GK_OK && ps->based_on)
      st = gk__buf_printf(b,
                          "<w:basedOn w:val=\"%s\"/><w:next w:val=\"Normal\"/>",
                          ps->based_on);
    if (st == GK_OK)
      st = gk__buf_printf(b, "<w:qFormat/><w:pPr>%s</w:pPr>", ps->ppr);
    if (st == GK_OK && (ps->east || ps->size)) {
      st = gk__buf_puts(b, "<w:rPr>");
      if (st == GK_OK && ps->east)
        st = put_rfonts(b, ps->east);
      if (st == GK_OK && ps->size)
        st = gk__buf_printf(b, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>",
                            ps->size, ps->size);
      if (st == GK_OK)
        st = gk__buf_puts(b, "</w:rPr>");
    }
    if (st == GK_OK)
      st = gk__buf_puts(b, "</w:style>");
  }
  if (st == GK_OK)
    st = gk__buf_puts(
        b,
        "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"
        "<w:name w:val=\"Normal Table\"/><w:tblPr>"
        "<w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar>"
        "<w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"57\" w:type=\"dxa\"/>"
        "<w:bottom w:w=\"0\" w:type=\"dxa\"/>"
        "<w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>"
        "</w:style></w:styles>");
  return st;
}

/* The page number, "— 1 —", centred at the foot of each page. */
static const char footer_xml[] =
    XML_DECL "<w:ftr xmlns:w=\"" NS_W "\"><w:p><w:pPr>"
             "<w:pStyle w:val=\"Footer\"/></w:pPr>"
             "<w:r><w:t xml:space=\"preserve\">— </w:t></w:r>"
             "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
             "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText>"
             "</w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
             "<w:r><w:t>1</w:t></w:r>"
             "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
             "<w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>";

/* -------------------------------------------------------- document.xml */

/* A run of text; line breaks become w:br. */
static gk_status put_runs(gk__buf *out, const char *s, const char *rpr) {
  gk_status st = gk__buf_puts(out, "<w:r>");
  if (st == GK_OK && rpr)
    st = gk__buf_puts(out, rpr);
  if (st == GK_OK)
    st = gk__buf_puts(out, "<w:t xml:space=\"preserve\">");
  for (const char *nl; st == GK_OK && (nl = strchr(s, '\n')); s = nl + 1) {
    st = gk__buf_put_xmln(out, s, (size_t)(nl - s));
    if (st == GK_OK)
      st = gk__buf_puts(out, "</w:t><w:br/><w:t xml:space=\"preserve\">");
  }
  if (st == GK_OK)
    st = gk__buf_put_xml(out, s);
  if (st == GK_OK)
    st = gk__buf_puts(out, "</w:t></w:r>");
  return st;
}

static gk_status put_para(gk__buf *out, const char *style, const char *text) {
  gk_status st = gk__buf_puts(out, "<w:p>");
  if (st == GK_OK && style)
    st = gk__buf_printf(out, "<w:pPr><w:pStyle w:val=\"%s\"/></w:pPr>", style);
  if (st == GK_OK && text && *text)
    st = put_runs(out, text, NULL);
  if (st == GK_OK)
    st = gk__buf_puts(out, "</w:p>");
  return st;
}

/* The number of characters of s (UTF-8). */
static size_t chars(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* Left plus right cell margin (TableNormal's w:tblCellMar). */
#define CELL_MARGINS 114

/*
 * The width of a number's text in hundredths of an em.  Digits are taken
 * at 64/100 em: Times New Roman's are 50, but a machine without it falls
 * back to DejaVu Serif (63.6) or a similar face, and a number must not
 * wrap there either (a wrapped `154` over `5` is what every text extracted
 * from the PDF then shows).  Separators and the decimal point are narrow;
 * anything else (a stray letter, a CJK character) is counted wide.
 */
static unsigned number_width(const char *s) {
  unsigned w = 0;
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '.' || ch == ',' || ch == ' ')
      w += 32;
    else if (ch < 0x80) /* a digit, or another ASCII character */
      w += 64;
    else if ((ch & 0xC0) != 0x80)
      w += 100;
  }
  return w;
}

/* A4 portrait's text width, and landscape's (the same margins, turned):
 * 297 mm − 28 mm − 26 mm = 243 mm. */
#define TEXT_W_LANDSCAPE (PAGE_H - MARGIN_LEFT - MARGIN_RIGHT)

/* The font sizes a table may be set in, in half points, largest first:
 * 小四 (table 2), 五号 (tables 3 and 4), and 小五, the size of last resort
 * when a wide table's numbers do not fit in 五号 even on a landscape page
 * (table 4's fifteen columns with six-digit totals). */
#define SZ_SMALL4 24
#define SZ_5 21
#define SZ_SMALL5 18

/* How a table is set: its font size, page orientation and widths. */
typedef struct table_setting {
  unsigned sz; /* half points */
  bool landscape;
  unsigned w[GK_MAX_GRID_COLS];
} table_setting;

/*
 * Column widths for a text width `text_w` at `cw` twips a character, or
 * false when the numbers and the labels' minimum do not fit in it.
 *
 * A label column needs its longest label on one line, up to 20
 * characters (with half a character to spare, so that a label that just
 * fits does not wrap); a column of labels that span rows needs them on two
 * lines, or three when they span ten rows or more (三、本年度办理结果
 * beside table 3's 22 result rows).  A number column needs its widest
 * number on one line (number_width()), and beside labels at least two
 * characters so that its header wraps no narrower; the number columns are of
 * one width (the widest's) unless only narrower ones fit.  When everything
 * fits, labels get what they need and the number columns share the rest in
 * proportion to their need; when not (table 3), numbers get their need, the
 * spanning labels their lines, and the row labels the rest, which must leave
 * each at least eight characters (else the table does not fit).  A table
 * without label columns (table 4) has equal columns, each as wide as the
 * widest number needs.
 */
#define MIN_ROW_LABEL_CHARS 8
static bool column_widths(const gk__grid *g, unsigned cw, unsigned text_w,
                          unsigned *w) {
  size_t lc = g->label_cols, nc = g->n_cols;
  /* Beside labels, a number column is at least two characters wide; in
   * a table of numbers only (table 4's fifteen columns) the headers wrap
   * to whatever the numbers leave them. */
  unsigned num_min = lc ? 2 * cw + cw / 2 + CELL_MARGINS : CELL_MARGINS;
  unsigned num_need[GK_MAX_GRID_COLS], num_total = 0, widest = num_min;
  for (size_t c = lc; c < nc; c++) {
    num_need[c] = num_min;
    for (size_t r = g->header_rows; r < g->n_rows; r++) {
      const gk__gcell *x = gk__grid_at(g, r, c);
      if (!x->text || x->colspan != 1 || x->kind != GK_GC_NUMBER)
        continue;
      /* A tenth of a character to spare: digits are counted wide. */
      unsigned n = number_width(x->text) * cw / 100 + cw / 10 + CELL_MARGINS;
      if (n > num_need[c])
        num_need[c] = n;
    }
    num_total += num_need[c];
    if (num_need[c] > widest)
      widest = num_need[c];
  }
  if (lc == 0 || lc >= nc) {
    if (widest * (unsigned)nc > text_w)
      return false;
    for (size_t c = 0; c < nc; c++)
      w[c] = text_w / (unsigned)nc;
    return true;
  }
  unsigned need[GK_MAX_GRID_COLS], label_need = 0, spanning_need = 0,
                                   label_min = 0;
  bool spanning[GK_MAX_GRID_COLS];
  for (size_t c = 0; c < lc; c++) {
    size_t longest = 2;
    spanning[c] = true;
    for (size_t r = g->header_rows; r < g->n_rows; r++) {
      const gk__gcell *x = gk__grid_at(g, r, c);
      if (!x->text || x->colspan != 1 ||
          (x->kind != GK_GC_LABEL && x->kind != GK_GC_GROUP))
        continue;
      size_t n = chars(x->text);
      if (x->kind == GK_GC_GROUP) {
        size_t lines = x->rowspan >= 10 ? 3 : 2;
        n = (n + lines - 1) / lines;
      } else {
        spanning[c] = false;
        n = n > 20 ? 20 : n;
      }
      if (n > longest)
        longest = n;
    }
    need[c] = (unsigned)longest * cw + cw / 2 + CELL_MARGINS;
    label_need += need[c];
    if (spanning[c]) {
      spanning_need += need[c];
      label_min += need[c];
    } else {
      unsigned least = MIN_ROW_LABEL_CHARS * cw + CELL_MARGINS;
      label_min += need[c] < least ? need[c] : least;
    }
  }
  /* Number columns of one width, as the national format prints them,
   * when that fits; else each as wide as its own numbers need. */
  unsigned n_num = (unsigned)(nc - lc);
  if (label_min + widest * n_num <= text_w) {
    num_total = widest * n_num;
    for (size_t c = lc; c < nc; c++)
      num_need[c] = widest;
  }
  if (label_need + num_total <= text_w) {
    for (size_t c = 0; c < lc; c++)
      w[c] = need[c];
    for (size_t c = lc; c < nc; c++)
      w[c] = (unsigned)((unsigned long)(text_w - label_need) * num_need[c] /
                        num_total);
    return true;
  }
  if (label_min + num_total > text_w)
    return false;
  unsigned budget = text_w - num_total;
  unsigned rest = budget - spanning_need;
  unsigned rest_need = label_need - spanning_need;
  for (size_t c = 0; c < lc; c++)
    w[c] = spanning[c] || rest_need == 0
               ? need[c]
               : (unsigned)((unsigned long)rest * need[c] / rest_need);
  for (size_t c = lc; c < nc; c++)
    w[c] = num_need[c];
  return true;
}

/*
 * How a table is set: in its own size on the portrait page when its
 * numbers fit their columns there, else on a landscape page (the table
 * and its part's heading, between section breaks), else landscape in
 * 小五.  A table that fits none of these (numbers of more digits than a
 * report holds) is set landscape in 小五 with equal columns: its widest
 * numbers wrap, nothing is lost.
 */
static void table_setting_for(const gk__grid *g, table_setting *ts) {
  /* Table 2 is set in 小四, the wide tables 3 and 4 in 五号 (the style). */
  unsigned sz = g->def && g->def->id == GK_T_PROACTIVE ? SZ_SMALL4 : SZ_5;
  static const struct {
    bool landscape, small;
  } tries[] = {{false, false}, {true, false}, {true, true}};
  for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
    ts->sz = tries[i].small && sz > SZ_SMALL5 ? SZ_SMALL5 : sz;
    ts->landscape = tries[i].landscape;
    /* A character of a size in half points is 10 × that many twips. */
    if (column_widths(g, ts->sz * 10, ts->landscape ? TEXT_W_LANDSCAPE : TEXT_W,
                      ts->w))
      return;
  }
  for (size_t c = 0; c < g->n_cols; c++)
    ts->w[c] = TEXT_W_LANDSCAPE / (unsigned)g->n_cols;
}

/* One w:tc: an origin cell, or the continuation of a vertical merge. */
static gk_status put_tc(gk__buf *out, const unsigned *w,
                        const gk__gcell *origin, bool cont, const char *rpr) {
  unsigned width = 0;
  for (size_t c = origin->ocol; c < (size_t)origin->ocol + origin->colspan; c++)
    width += w[c];
  gk_status st = gk__buf_printf(
      out, "<w:tc><w:tcPr><w:tcW w:w=\"%u\" w:type=\"dxa\"/>", width);
  if (st == GK_OK && origin->colspan > 1)
    st = gk__buf_printf(out, "<w:gridSpan w:val=\"%u\"/>",
                        (unsigned)origin->colspan);
  if (st == GK_OK && origin->rowspan > 1)
    st = gk__buf_puts(out,
                      cont ? "<w:vMerge/>" : "<w:vMerge w:val=\"restart\"/>");
  if (st == GK_OK)
    st = gk__buf_puts(out, "<w:vAlign w:val=\"center\"/></w:tcPr><w:p><w:pPr>"
                           "<w:pStyle w:val=\"TableText\"/>");
  if (st == GK_OK && origin->kind == GK_GC_LABEL)
    st = gk__buf_puts(out, "<w:jc w:val=\"left\"/>");
  if (st == GK_OK && rpr)
    st = gk__buf_puts(out, rpr);
  if (st == GK_OK)
    st = gk__buf_puts(out, "</w:pPr>");
  if (st == GK_OK && !cont && origin->text[0])
    st = put_runs(out, origin->text, rpr);
  if (st == GK_OK)
    st = gk__buf_puts(out, "</w:p></w:tc>");
  return st;
}

static gk_status put_table(gk__buf *out, const gk__grid *g,
                           const table_setting *ts) {
  const unsigned *w = ts->w;
  unsigned total = 0;
  for (size_t c = 0; c < g->n_cols; c++)
    total += w[c];
  /* The style's size is 五号; other sizes are set on each run. */
  char rpr_buf[80];
  const char *rpr = NULL;
  if (ts->sz != SZ_5) {
    snprintf(rpr_buf, sizeof rpr_buf,
             "<w:rPr><w:sz w:val=\"%u\"/><w:szCs w:val=\"%u\"/></w:rPr>",
             ts->sz, ts->sz);
    rpr = rpr_buf;
  }
  gk_status st = gk__buf_printf(
      out,
      "<w:tbl><w:tblPr><w:tblW w:w=\"%u\" w:type=\"dxa\"/>"
      "<w:jc w:val=\"center\"/><w:tblBorders>"
      "<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
      "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
      "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
      "w:color=\"000000\"/>"
      "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
      "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
      "w:color=\"000000\"/>"
      "<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
      "w:color=\"000000\"/>"
      "</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
      "<w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/>"
      "<w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar>"
      "<w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" "
      "w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" "
      "w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
      total);
  for (size_t c = 0; c < g->n_cols && st == GK_OK; c++)
    st = gk__buf_printf(out, "<w:gridCol w:w=\"%u\"/>", w[c]);
  if (st == GK_OK)
    st = gk__buf_puts(out, "</w:tblGrid>");
  for (size_t r = 0; r < g->n_rows && st == GK_OK; r++) {
    st = gk__buf_printf(out, "<w:tr><w:trPr><w:cantSplit/>%s</w:trPr>",
                        r < g->header_rows ? "<w:tblHeader/>" : "");
    for (size_t c = 0; c < g->n_cols && st == GK_OK; c++) {
      const gk__gcell *x = gk__grid_at(g, r, c);
      const gk__gcell *o = gk__grid_at(g, x->orow, x->ocol);
      if (x->text)
        st = put_tc(out, w, x, false, rpr);
      else if (x->orow < r && x->ocol == c)
        st = put_tc(out, w, o, true, rpr);
      /* else: covered by a cell to the left in this row (w:gridSpan). */
    }
    if (st == GK_OK)
      st = gk__buf_puts(out, "</w:tr>");
  }
  if (st == GK_OK)
    st = gk__buf_puts(out, "</w:tbl>");
  /* A table is followed by a paragraph: Word requires one before the end
   * of the body, and it sets the table off from what follows. */
  if (st == GK_OK)
    st = put_para(out, "TableText", NULL);
  return st;
}

/* A section's properties: the footer, A4 portrait or landscape, the
 * margins of official documents (the same on a landscape page). */
static gk_status put_sect_pr(gk__buf *out, bool landscape) {
  return gk__buf_printf(
      out,
      "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId4\"/>"
      "<w:pgSz w:w=\"%d\" w:h=\"%d\"%s/><w:pgMar w:top=\"%d\" w:right=\"%d\" "
      "w:bottom=\"%d\" w:left=\"%d\" w:header=\"851\" w:footer=\"992\" "
      "w:gutter=\"0\"/></w:sectPr>",
      landscape ? PAGE_H : PAGE_W, landscape ? PAGE_W : PAGE_H,
      landscape ? " w:orient=\"landscape\"" : "", MARGIN_TOP, MARGIN_RIGHT,
      MARGIN_BOTTOM, MARGIN_LEFT);
}

/* A paragraph that ends the section before it (Word's section break). */
static gk_status put_section_break(gk__buf *out, bool landscape) {
  gk_status st = gk__buf_puts(out, "<w:p><w:pPr>");
  if (st == GK_OK)
    st = put_sect_pr(out, landscape);
  return st == GK_OK ? gk__buf_puts(out, "</w:pPr></w:p>") : st;
}

/* Whether block i is set on a landscape page: a table whose numbers need
 * it (table_setting_for()), or the heading right before such a table. */
static bool block_landscape(const gk__doc *doc, size_t i) {
  table_setting ts;
  if (i < doc->n_blocks && doc->blocks[i].kind == GK_DOC_HEADING)
    i++;
  else if (i < doc->n_blocks && doc->blocks[i].kind != GK_DOC_TABLE)
    return false;
  if (i >= doc->n_blocks || doc->blocks[i].kind != GK_DOC_TABLE ||
      doc->blocks[i].grid->n_cols > GK_MAX_GRID_COLS)
    return false;
  table_setting_for(doc->blocks[i].grid, &ts);
  return ts.landscape;
}

static gk_status document_xml(const gk__doc *doc, gk__buf *out) {
  gk_status st = gk__buf_puts(out, XML_DECL "<w:document xmlns:w=\"" NS_W
                                            "\" xmlns:r=\"" NS_R "\"><w:body>");
  for (size_t i = 0; i < doc->n_blocks && st == GK_OK; i++) {
    const gk__doc_block *b = &doc->blocks[i];
    bool land = block_landscape(doc, i);
    /* A landscape run begins: end the portrait section before it. */
    if (land && i > 0 && !block_landscape(doc, i - 1))
      st = put_section_break(out, false);
    if (st != GK_OK)
      break;
    switch (b->kind) {
    case GK_DOC_TITLE:
      st = put_para(out, "Title", b->text);
      break;
    case GK_DOC_HEADING:
      st = put_para(out, "Heading1", b->text);
      break;
    case GK_DOC_PARA:
      st = put_para(out, NULL, b->text);
      break;
    case GK_DOC_TABLE:
      if (b->grid->n_cols > GK_MAX_GRID_COLS)
        st = GK_EINTERNAL;
      else {
        table_setting ts;
        table_setting_for(b->grid, &ts);
        st = put_table(out, b->grid, &ts);
      }
      break;
    case GK_DOC_AGENCY:
      /* A blank line sets the signature off from the prose. */
      st = put_para(out, "Signature", NULL);
      if (st == GK_OK)
        st = put_para(out, "Signature", b->text);
      break;
    case GK_DOC_DATE:
      if (i == 0 || doc->blocks[i - 1].kind != GK_DOC_AGENCY)
        st = put_para(out, "Signature", NULL);
      if (st == GK_OK)
        st = put_para(out, "Signature", b->text);
      break;
    }
    /* A landscape run ends (its table's trailing paragraph carried it):
     * end the landscape section, portrait again after it. */
    if (st == GK_OK && land && !block_landscape(doc, i + 1))
      st = put_section_break(out, true);
  }
  if (st == GK_OK)
    st = put_sect_pr(out, false);
  if (st == GK_OK)
    st = gk__buf_puts(out, "</w:body></w:document>");
  return st;
}

static gk_status core_xml(const gk__doc *doc, gk__buf *out) {
  gk_status st = gk__buf_puts(
      out, XML_DECL
      "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/"
      "package/2006/metadata/core-properties\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
      "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
  if (st == GK_OK)
    st = gk__buf_put_xml(out, doc->title ? doc->title : "");
  if (st == GK_OK)
    st = gk__buf_puts(out, "</dc:title><dc:creator>gongkai</dc:creator>"
                           "</cp:coreProperties>");
  return st;
}

/* ------------------------------------------------------------- zipping */

typedef struct part {
  const char *name;
  const char *data;
  size_t len;
} part;

/* Zips the parts into memory and appends the archive to out. */
static gk_status zip_parts(const part *parts, size_t n, gk__buf *out) {
  zip_error_t ze;
  zip_error_init(&ze);
  gk_status st = GK_EINTERNAL;
  zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
  if (!src) {
    zip_error_fini(&ze);
    return GK_ENOMEM;
  }
  zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
  if (!za) {
    zip_source_free(src);
    zip_error_fini(&ze);
    return GK_EINTERNAL;
  }
  /* The archive is written into src when za is closed; keep src. */
  zip_source_keep(src);
  for (size_t i = 0; i < n; i++) {
    zip_source_t *s = zip_source_buffer(za, parts[i].data, parts[i].len, 0);
    zip_int64_t idx =
        s ? zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8) : -1;
    if (idx < 0) {
      if (s)
        zip_source_free(s);
      zip_discard(za);
      goto done;
    }
    /* 1980-01-01 00:00 in MS-DOS form: reproducible archives. */
    if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9) <
            0 ||
        zip_file_set_dostime(za, (zip_uint64_t)idx, 0, (1 << 5) | 1, 0) < 0) {
      zip_discard(za);
      goto done;
    }
  }
  if (zip_close(za) < 0) {
    zip_discard(za);
    goto done;
  }
  if (zip_source_open(src) < 0)
    goto done;
  if (zip_source_seek(src, 0, SEEK_END) < 0) {
    zip_source_close(src);
    goto done;
  }
  zip_int64_t size = zip_source_tell(src);
  if (size <= 0 || zip_source_seek(src, 0, SEEK_SET) < 0) {
    zip_source_close(src);
    goto done;
  }
  st = GK_OK;
  char chunk[16384];
  for (zip_int64_t left = size; left > 0 && st == GK_OK;) {
    zip_int64_t got = zip_source_read(
        src, chunk,
        left < (zip_int64_t)sizeof chunk ? (zip_uint64_t)left : sizeof chunk);
    if (got <= 0) {
      st = GK_EINTERNAL;
      break;
    }
    st = gk__buf_append(out, chunk, (size_t)got);
    left -= got;
  }
  zip_source_close(src);
done:
  zip_source_free(src);
  zip_error_fini(&ze);
  return st;
}

gk_status gk__write_docx(const gk__doc *doc, gk__buf *out) {
  gk__buf document, core, styles, font_table;
  gk__buf_init(&document, GK_MAX_RENDER_BYTES);
  gk__buf_init(&core, 1 << 20);
  gk__buf_init(&styles, 1 << 20);
  gk__buf_init(&font_table, 1 << 20);
  gk_status st = document_xml(doc, &document);
  if (st == GK_OK)
    st = core_xml(doc, &core);
  if (st == GK_OK)
    st = styles_xml(&styles);
  if (st == GK_OK)
    st = font_table_xml(&font_table);
  if (st == GK_OK) {
    const part parts[] = {
        {"[Content_Types].xml", content_types, sizeof content_types - 1},
        {"_rels/.rels", package_rels, sizeof package_rels - 1},
        {"docProps/core.xml", core.data, core.len},
        {"docProps/app.xml", app_xml, sizeof app_xml - 1},
        {"word/document.xml", document.data, document.len},
        {"word/_rels/document.xml.rels", document_rels,
         sizeof document_rels - 1},
        {"word/styles.xml", styles.data, styles.len},
        {"word/settings.xml", settings_xml, sizeof settings_xml - 1},
        {"word/fontTable.xml", font_table.data, font_table.len},
        {"word/footer1.xml", footer_xml, sizeof footer_xml - 1},
    };
    _Static_assert(sizeof parts / sizeof parts[0] <= MAX_PARTS,
                   "raise MAX_PARTS");
    st = zip_parts(parts, sizeof parts / sizeof parts[0], out);
  }
  gk__buf_free(&document);
  gk__buf_free(&core);
  gk__buf_free(&styles);
  gk__buf_free(&font_table);
  return st;
}
