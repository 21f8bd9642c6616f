/*
 * test_readers.c - the HTML and DOCX readers' layouts (src/readers/
 * read_html.c, read_docx.c, layout_build.c), checked line by line.
 *
 * Each test reads a small made-up input straight into a layout and
 * compares every line, written as its runs joined by '|' ("A|B||C": four
 * grid columns, the third empty), so that a blank cell, a span's empty
 * continuation and a dropped run all show.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "model.h"
#include "readers/layout_build.h"
#include "readers/readers.h"
#include "zipmem.h"

static gk_report *report;
static gk__layout layout;
static const char *detail;

static gk_status read_with(gk_status (*reader)(gk_report *, const char *,
                                               size_t, gk__layout *,
                                               const char **),
                           const char *data, size_t len) {
  if (report) {
    gk__arena_free(&report->arena);
    free(report);
  }
  report = calloc(1, sizeof *report);
  gk__arena_init(&report->arena);
  memset(&layout, 0, sizeof layout);
  detail = NULL;
  return reader(report, data, len, &layout, &detail);
}

/* Frees the last report; each test ends with it, so that LeakSanitizer
 * sees nothing left when any subset of the tests runs. */
static void done(void) {
  if (report) {
    gk__arena_free(&report->arena);
    free(report);
    report = NULL;
  }
}

static gk_status html(const char *s) {
  return read_with(gk__read_html, s, strlen(s));
}

/* A .docx whose body is w:body's content `body`. */
static gk_status docx(const char *body) {
  static const char head[] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<w:document xmlns:w="
      "\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
      "xmlns:mc="
      "\"http://schemas.openxmlformats.org/markup-compatibility/2006\">"
      "<w:body>";
  static const char tail[] = "</w:body></w:document>";
  size_t n = strlen(head) + strlen(body) + strlen(tail);
  char *xml = malloc(n + 1);
  snprintf(xml, n + 1, "%s%s%s", head, body, tail);
  gk_zip_entry e = {"word/document.xml", xml, n, 0, false, NULL, 0};
  size_t len = 0;
  unsigned char *z = gk_zip_build(&e, 1, &len);
  free(xml);
  if (!z)
    return GK_ENOMEM;
  gk_status st = read_with(gk__read_docx, (const char *)z, len);
  free(z);
  return st;
}

/* Line i as its runs joined by '|', or "(none)". */
static const char *line(size_t i) {
  static char buf[4096];
  if (i >= layout.n_lines)
    return "(none)";
  const gk__line *ln = &layout.lines[i];
  size_t k = 0;
  for (uint32_t r = 0; r < ln->n_runs; r++) {
    const gk__run *run = &layout.runs[ln->first_run + r];
    if (r && k < sizeof buf - 1)
      buf[k++] = '|';
    for (uint32_t b = 0; b < run->len && k < sizeof buf - 1; b++)
      buf[k++] = run->text[b];
  }
  buf[k] = '\0';
  return buf;
}

static const gk__run *run_at(size_t li, uint32_t r) {
  return &layout.runs[layout.lines[li].first_run + r];
}

/* ---------------------------------------------------------------- HTML */

TEST(html_grid_spans) {
  CHECK_STATUS(GK_OK, html("<table>"
                           "<tr><td rowspan=2>A</td><td colspan=2>B</td>"
                           "<td>C</td></tr>"
                           "<tr><td>1</td><td>&nbsp;</td><td>3</td></tr>"
                           "<tr><td colspan=\"3\">D</td><td rowspan=0>E</td>"
                           "</tr><tr><td>x</td></tr></table>"));
  CHECK_UINT_EQ(layout.n_lines, 4);
  CHECK_STR_EQ(line(0), "A|B||C");
  CHECK_STR_EQ(line(1), "|1||3"); /* rowspan; the &nbsp; cell is empty */
  CHECK_STR_EQ(line(2), "D|||E");
  CHECK_STR_EQ(line(3), "x|||"); /* rowspan=0 runs to the table's end */
  const gk__run *r = run_at(1, 3);
  CHECK_INT_EQ(r->table, 0);
  CHECK_INT_EQ(r->row, 1);
  CHECK_INT_EQ(r->col, 3);
  CHECK_UINT_EQ(r->field, 3);
  done();
}

TEST(html_spans_join) {
  CHECK_STATUS(GK_OK, html("<p><span>三、本</span><span>年度</span><b>办理"
                           "</b><font>结果</font></p>\n<p>a <span> b </span>\n"
                           "  c<br>d</p><div>e<div>f</div>g</div>"));
  CHECK_STR_EQ(line(0), "三、本年度办理结果");
  CHECK_STR_EQ(line(1), "a b c");
  CHECK_STR_EQ(line(2), "d");
  CHECK_STR_EQ(line(3), "e");
  CHECK_STR_EQ(line(4), "f");
  CHECK_STR_EQ(line(5), "g");
  CHECK_UINT_EQ(layout.n_lines, 6);
  CHECK_INT_EQ(run_at(0, 0)->table, -1);
  done();
}

TEST(html_cell_paragraphs) {
  CHECK_STATUS(GK_OK, html("<table><tr><td><p>本年新</p><p>制作数量</p></td>"
                           "<td>a<br>b</td><td>\n  <p>\n 7 </p>\n</td></tr>"
                           "</table>"));
  CHECK_STR_EQ(line(0), "本年新 制作数量|a b|7");
  done();
}

TEST(html_chrome_dropped) {
  CHECK_STATUS(GK_OK,
               html("<html><head><title>t</title><style>p{}</style></head>"
                    "<body><div class=\"header-t\">首页</div>"
                    "<ul id=mainNav><li>菜单</li></ul><nav>导航</nav>"
                    "<header>站点</header><script>var a='<p>x</p>';</script>"
                    "<form><input value=1><select><option>o</option></select>"
                    "<p>kept</p></form><div class=\"article-header\">"
                    "<h1>标题</h1></div><article><header><h2>文章</h2></header>"
                    "</article><footer>主办单位</footer>"
                    "<div class=\"footer_info\">版权</div></body></html>"));
  CHECK_STR_EQ(line(0), "kept");
  CHECK_STR_EQ(line(1), "标题");
  CHECK_STR_EQ(line(2), "文章");
  CHECK_UINT_EQ(layout.n_lines, 3);
  done();
}

TEST(html_layout_table) {
  /* A table whose cell holds a table is layout: its cells are paragraphs,
   * the inner table is the grid. */
  CHECK_STATUS(GK_OK, html("<table><tr><td><p>一、总体情况</p>"
                           "<table><tr><td>规章</td><td>0</td></tr></table>"
                           "<p>五、问题</p></td><td>侧栏</td></tr></table>"));
  CHECK_STR_EQ(line(0), "一、总体情况");
  CHECK_STR_EQ(line(1), "规章|0");
  CHECK_INT_EQ(run_at(1, 1)->table, 0);
  CHECK_STR_EQ(line(2), "五、问题");
  CHECK_STR_EQ(line(3), "侧栏");
  CHECK_INT_EQ(run_at(3, 0)->table, -1);
  done();
}

TEST(html_loose_table_text) {
  /* A caption comes before the grid; stray text between rows stays
   * between them. */
  CHECK_STATUS(GK_OK, html("<table><caption>表一</caption><tr><td>a</td></tr>"
                           "间<tr><td>b</td></tr></table>"));
  CHECK_STR_EQ(line(0), "表一");
  CHECK_STR_EQ(line(1), "a");
  CHECK_STR_EQ(line(2), "间");
  CHECK_STR_EQ(line(3), "b");
  done();
}

/* An HTML report's lines are its visible lines, numbered in order (issue
 * 11): the markup's line numbers mean nothing to a reviewer, and a page
 * written on one markup line would put every finding on line 1. */
TEST(html_line_numbers) {
  CHECK_STATUS(GK_OK, html("<html>\n<body>\n<p>a</p>\n\n<p>\n  b\n</p>\n"
                           "<table>\n<tr>\n<td>1</td>\n</tr>\n</table>"));
  CHECK_UINT_EQ(layout.lines[0].lineno, 1);
  CHECK_UINT_EQ(layout.lines[1].lineno, 2);
  CHECK_UINT_EQ(layout.lines[2].lineno, 3);
  done();
}

TEST(html_pre_tabs) {
  CHECK_STATUS(GK_OK, html("<pre>规章\t0\t\t1\n\n  二、主动公开</pre>"));
  CHECK_STR_EQ(line(0), "规章|0||1");
  CHECK_STR_EQ(line(1), "二、主动公开");
  done();
}

TEST(html_js_escaped_spans) {
  /* Markup from a JavaScript string keeps its backslashes. */
  CHECK_STATUS(GK_OK, html("let c = \"<table><tr><td colspan=\\\"2\\\">a</td>"
                           "<td>b</td></tr></table>\";"));
  CHECK_STR_EQ(line(1), "a||b");
  done();
}

TEST(html_encodings) {
  /* GBK declared: 一、总体情况 */
  CHECK_STATUS(GK_OK, html("<meta charset=gbk><p>\xD2\xBB\xA1\xA2\xD7\xDC\xCC"
                           "\xE5\xC7\xE9\xBF\xF6</p>"));
  CHECK_STR_EQ(line(0), "一、总体情况");
  CHECK_INT_EQ(report->encoding, GK_ENC_GB18030);
  /* Undeclared GBK is GB18030 too. */
  CHECK_STATUS(GK_OK, html("<p>\xD2\xBB\xA1\xA2</p>"));
  CHECK_STR_EQ(line(0), "一、");
  /* UTF-8 bytes win over a GBK declaration (a crawler re-encoded it). */
  CHECK_STATUS(GK_OK,
               html("<meta http-equiv=\"Content-Type\" "
                    "content=\"text/html; charset=gb2312\"><p>一、</p>"));
  CHECK_STR_EQ(line(0), "一、");
  /* A script's charset is not the page's. */
  CHECK_STATUS(GK_OK, html("<script charset=\"big5\"></script><p>\xD2\xBB"
                           "\xA1\xA2\xD7\xDC\xCC\xE5\xC7\xE9\xBF\xF6</p>"));
  CHECK_STR_EQ(line(0), "一、总体情况");
  /* BOM. */
  CHECK_STATUS(GK_OK, html("\xEF\xBB\xBF<p>x</p>"));
  CHECK_STR_EQ(line(0), "x");
  /* Neither UTF-8 nor GB18030. */
  CHECK_STATUS(GK_EENCODING, html("<meta charset=gbk><p>\x81\x7F\xFF</p>"));
  CHECK_NOT_NULL(detail);
  done();
}

TEST(html_depth_limit) {
  size_t n = 5000, k = 12;
  char *s = malloc(n * 6 + 16);
  memcpy(s, "<html><body>", 12);
  for (size_t i = 0; i < n; i++, k += 6)
    memcpy(s + k, "<span>", 6);
  s[k] = '\0';
  CHECK_STATUS(GK_ELIMIT, html(s));
  CHECK_NOT_NULL(detail);
  /* Deep, but under the limit. */
  memcpy(s + 12 + 500 * 6, "x", 2);
  CHECK_STATUS(GK_OK, html(s));
  CHECK_STR_EQ(line(0), "x");
  free(s);
  done();
}

TEST(html_empty_page) {
  CHECK_STATUS(GK_OK, html("<html><body><p> &nbsp; </p></body></html>"));
  CHECK_UINT_EQ(layout.n_lines, 0);
  CHECK_STR_EQ(layout.format, "html");
  done();
}

/* ---------------------------------------------------------------- DOCX */

TEST(docx_grid) {
  CHECK_STATUS(GK_OK,
               docx("<w:p><w:r><w:t>标题</w:t></w:r></w:p><w:tbl><w:tblGrid/>"
                    "<w:tr>"
                    "<w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>"
                    "<w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc>"
                    "<w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>"
                    "<w:p><w:r><w:t>B</w:t></w:r></w:p></w:tc>"
                    "<w:tc><w:p><w:r><w:t>C</w:t></w:r></w:p></w:tc>"
                    "</w:tr><w:tr>"
                    "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>gone"
                    "</w:t></w:r></w:p></w:tc>"
                    "<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>"
                    "<w:tc><w:p/></w:tc>"
                    "<w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc>"
                    "</w:tr><w:tr>"
                    "<w:trPr><w:gridBefore w:val=\"2\"/></w:trPr>"
                    "<w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>"
                    "</w:tr></w:tbl>"));
  CHECK_STR_EQ(line(0), "标题");
  CHECK_STR_EQ(line(1), "A|B||C");
  CHECK_STR_EQ(line(2), "|1||3"); /* a continuation's content is not read */
  CHECK_STR_EQ(line(3), "||x");
  CHECK_UINT_EQ(layout.lines[3].lineno, 4);
  CHECK_INT_EQ(run_at(2, 1)->table, 0);
  CHECK_INT_EQ(run_at(2, 1)->row, 1);
  CHECK_STR_EQ(layout.format, "docx");
  done();
}

TEST(docx_runs_tabs_breaks) {
  CHECK_STATUS(GK_OK,
               docx("<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"1\"/>"
                    "</w:tabs></w:pPr><w:r><w:t>三、本</w:t></w:r><w:r><w:rPr>"
                    "<w:b/></w:rPr><w:t xml:space=\"preserve\">年度 </w:t>"
                    "</w:r><w:r><w:t>结果</w:t><w:tab/><w:t>5</w:t><w:tab/>"
                    "<w:tab/><w:t>7</w:t><w:br/><w:t>下一行</w:t></w:r></w:p>"
                    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t><w:tab/>"
                    "<w:t>b</w:t></w:r></w:p><w:p><w:r><w:t>c</w:t></w:r>"
                    "</w:p></w:tc></w:tr></w:tbl>"));
  CHECK_STR_EQ(line(0), "三、本年度 结果|5||7");
  CHECK_STR_EQ(line(1), "下一行");
  CHECK_STR_EQ(line(2), "a b c");
  done();
}

TEST(docx_revisions_and_textboxes) {
  CHECK_STATUS(GK_OK,
               docx("<w:p><w:del><w:r><w:delText>3</w:delText></w:r></w:del>"
                    "<w:ins><w:r><w:t>2</w:t></w:r></w:ins><w:r><w:instrText>"
                    "PAGE</w:instrText></w:r></w:p>"
                    "<w:p><w:r><w:t>前</w:t></w:r><w:r><mc:AlternateContent>"
                    "<mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent>"
                    "<w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent>"
                    "</w:drawing></mc:Choice><mc:Fallback><w:pict>"
                    "<w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p>"
                    "</w:txbxContent></w:pict></mc:Fallback>"
                    "</mc:AlternateContent></w:r><w:r><w:t>后</w:t></w:r>"
                    "</w:p>"));
  CHECK_STR_EQ(line(0), "2");
  CHECK_STR_EQ(line(1), "前");
  CHECK_STR_EQ(line(2), "框内"); /* once: the Fallback copy is not read */
  CHECK_STR_EQ(line(3), "后");
  CHECK_UINT_EQ(layout.n_lines, 4);
  done();
}

TEST(docx_list_numbers) {
  /* 一、 from a heading style's list; （一） and 1. from the paragraphs'
   * own properties; a restarted instance; a bullet gives nothing. */
  static const char numbering[] =
      "<w:numbering xmlns:w="
      "\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
      "<w:abstractNum w:abstractNumId=\"0\">"
      "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt "
      "w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/>"
      "<w:suff w:val=\"nothing\"/></w:lvl>"
      "<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt "
      "w:val=\"chineseCounting\"/><w:lvlText w:val=\"（%2）\"/>"
      "<w:suff w:val=\"nothing\"/></w:lvl>"
      "<w:lvl w:ilvl=\"2\"><w:start w:val=\"1\"/><w:numFmt "
      "w:val=\"decimal\"/><w:lvlText w:val=\"%3.\"/></w:lvl>"
      "</w:abstractNum>"
      "<w:abstractNum w:abstractNumId=\"1\"><w:lvl w:ilvl=\"0\">"
      "<w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"\xEF\x82\xB7\"/>"
      "</w:lvl></w:abstractNum>"
      "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>"
      "<w:num w:numId=\"2\"><w:abstractNumId w:val=\"1\"/></w:num>"
      "<w:num w:numId=\"3\"><w:abstractNumId w:val=\"0\"/>"
      "<w:lvlOverride w:ilvl=\"2\"><w:startOverride w:val=\"5\"/>"
      "</w:lvlOverride></w:num>"
      "</w:numbering>";
  static const char styles[] =
      "<w:styles xmlns:w="
      "\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
      "<w:style w:type=\"paragraph\" w:styleId=\"H1\"><w:pPr><w:numPr>"
      "<w:numId w:val=\"1\"/></w:numPr></w:pPr></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"H1x\"><w:basedOn "
      "w:val=\"H1\"/></w:style>"
      "</w:styles>";
#define NUMP(ppr, text)                                                        \
  "<w:p><w:pPr>" ppr "</w:pPr><w:r><w:t>" text "</w:t></w:r></w:p>"
  static const char body[] =
      "<w:document xmlns:w="
      "\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
      "<w:body>" NUMP("<w:pStyle w:val=\"H1\"/>", "总体情况")
          NUMP("<w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"1\"/></w:numPr>",
               "主动公开") NUMP("<w:numPr><w:ilvl w:val=\"2\"/><w:numId "
                                "w:val=\"1\"/></w:numPr>",
                                "规章")
              NUMP("<w:pStyle w:val=\"H1x\"/>", "主动公开政府信息情况")
                  NUMP("<w:numPr><w:ilvl w:val=\"2\"/><w:numId w:val=\"3\"/>"
                       "</w:numPr>",
                       "续")
                      NUMP("<w:numPr><w:numId w:val=\"2\"/></w:numPr>", "要点")
                          NUMP("<w:pStyle w:val=\"H1\"/><w:numPr><w:numId "
                               "w:val=\"0\"/></w:numPr>",
                               "无编号") "</w:body></w:document>";
#undef NUMP
  gk_zip_entry e[3] = {
      {"word/document.xml", body, sizeof body - 1, 0, false, NULL, 0},
      {"word/numbering.xml", numbering, sizeof numbering - 1, 0, false, NULL,
       0},
      {"word/styles.xml", styles, sizeof styles - 1, 0, false, NULL, 0}};
  size_t len = 0;
  unsigned char *z = gk_zip_build(e, 3, &len);
  CHECK_STATUS(GK_OK, read_with(gk__read_docx, (const char *)z, len));
  free(z);
  CHECK_STR_EQ(line(0), "一、总体情况");
  CHECK_STR_EQ(line(1), "（一）主动公开");
  CHECK_STR_EQ(line(2), "1. 规章");
  CHECK_STR_EQ(line(3), "二、主动公开政府信息情况"); /* through w:basedOn */
  CHECK_STR_EQ(line(4), "5. 续"); /* the instance starts its level at 5 */
  CHECK_STR_EQ(line(5), "要点");
  CHECK_STR_EQ(line(6), "无编号");
  done();
}

TEST(docx_refusals) {
  /* A ZIP archive without a Word body. */
  gk_zip_entry e = {"hello.txt", "hi", 2, 0, false, NULL, 0};
  size_t len = 0;
  unsigned char *z = gk_zip_build(&e, 1, &len);
  CHECK_STATUS(GK_EUNSUPPORTED, read_with(gk__read_docx, (const char *)z, len));
  CHECK_STR_EQ(detail, "ZIP 压缩包，不是 Word 文档");
  /* Cut off. */
  CHECK_STATUS(GK_EUNSUPPORTED,
               read_with(gk__read_docx, (const char *)z, len - 10));
  CHECK_NOT_NULL(detail);
  free(z);
  /* Not well-formed. */
  CHECK_STATUS(GK_EUNSUPPORTED, docx("<w:p><w:r><w:t>x</w:r></w:p>"));
  CHECK_NOT_NULL(detail);
  /* An entity is never expanded: the document is refused instead. */
  gk_zip_entry dtd = {"word/document.xml",
                      "<!DOCTYPE d [<!ENTITY a \"aaaaaaaa\">]><d>&a;</d>",
                      45,
                      0,
                      false,
                      NULL,
                      0};
  z = gk_zip_build(&dtd, 1, &len);
  CHECK_STATUS(GK_EUNSUPPORTED, read_with(gk__read_docx, (const char *)z, len));
  free(z);
  done();
}

TEST(docx_depth_limit) {
  size_t n = 300;
  char *s = malloc(n * 20 + 64);
  s[0] = '\0';
  for (size_t i = 0; i < n; i++)
    strcat(s, "<w:sdt>");
  CHECK_STATUS(GK_ELIMIT, docx(s));
  CHECK_NOT_NULL(detail);
  free(s);
  done();
}

/* ------------------------------------------------- the builder's floor */

TEST(lines_floor) {
  gk__arena a;
  gk__arena_init(&a);
  gk__lines w;
  gk__lines_init(&w, 100);
  gk__lines_run(&w, "ab", 2, -1, -1, -1);
  gk__run *r = gk__lines_run(&w, "c", 1, 0, 1, 2);
  if (CHECK_NOT_NULL(r))
    r->page = 3;
  CHECK_STATUS(GK_OK, gk__lines_close(&w, 7, false));
  /* A line of empty runs: dropped when asked, runs and all... */
  gk__lines_run(&w, "", 0, -1, -1, -1);
  CHECK_STATUS(GK_OK, gk__lines_close(&w, 8, true));
  /* ...and kept when not, as is an opened line with no run. */
  gk__lines_open(&w);
  CHECK_STATUS(GK_OK, gk__lines_close(&w, 9, false));
  gk__lines_run(&w, "d", 1, -1, -1, -1); /* left open: finish closes it */
  gk__layout out;
  memset(&out, 0, sizeof out);
  CHECK_STATUS(GK_OK, gk__lines_finish(&w, &a, "test", &out));
  gk__lines_free(&w);
  CHECK_STR_EQ(out.format, "test");
  if (CHECK_UINT_EQ(out.n_lines, 3) && CHECK_UINT_EQ(out.n_runs, 3)) {
    CHECK_UINT_EQ(out.lines[0].lineno, 7);
    CHECK_UINT_EQ(out.lines[0].n_runs, 2);
    CHECK_UINT_EQ(out.lines[1].lineno, 9);
    CHECK_UINT_EQ(out.lines[1].n_runs, 0);
    CHECK_UINT_EQ(out.lines[2].lineno, 3);
    CHECK_UINT_EQ(out.lines[2].first_run, 2);
    CHECK_UINT_EQ(out.runs[1].field, 1);
    CHECK_INT_EQ(out.runs[1].col, 2);
    CHECK_UINT_EQ(out.runs[1].page, 3);
    CHECK_MEM_EQ(out.runs[2].text, out.runs[2].len, "d", 1);
  }
  gk__arena_free(&a);
}

TEST(lines_floor_cap_is_sticky) {
  gk__arena a;
  gk__arena_init(&a);
  gk__lines w;
  gk__lines_init(&w, 2);
  CHECK_NOT_NULL(gk__lines_run(&w, "a", 1, -1, -1, -1));
  CHECK_NOT_NULL(gk__lines_run(&w, "b", 1, -1, -1, -1));
  CHECK_NULL(gk__lines_run(&w, "c", 1, -1, -1, -1));
  CHECK_STATUS(GK_ELIMIT, w.status);
  CHECK_STATUS(GK_ELIMIT, gk__lines_close(&w, 1, false));
  gk__layout out;
  memset(&out, 0, sizeof out);
  CHECK_STATUS(GK_ELIMIT, gk__lines_finish(&w, &a, "test", &out));
  CHECK_NULL(out.lines);
  gk__lines_free(&w);
  gk__arena_free(&a);
}

/* gk__lines_run() grows the runs only when they are full: across the
 * growth steps (16, 32, then the cap of 40) every run is written whole,
 * and the cap holds exactly. */
TEST(lines_floor_grows_to_the_cap) {
  gk__arena a;
  gk__arena_init(&a);
  gk__lines w;
  gk__lines_init(&w, 40);
  static const char digits[] = "0123456789";
  for (size_t i = 0; i < 40; i++) {
    gk__run *r = gk__lines_run(&w, digits + i % 10, 1, (int32_t)i, -1, 2);
    if (!CHECK_NOT_NULL(r))
      break;
    if (i % 7 == 0)
      r->page = 5; /* set by a reader: must not leak into the next runs */
    if (i % 8 == 7)
      CHECK_STATUS(GK_OK, gk__lines_close(&w, (uint32_t)i, false));
  }
  CHECK_NULL(gk__lines_run(&w, "x", 1, -1, -1, -1));
  CHECK_STATUS(GK_ELIMIT, w.status);
  gk__lines_free(&w);
  /* The same forty runs again, read back. */
  gk__lines_init(&w, 40);
  for (size_t i = 0; i < 40; i++) {
    gk__run *r = gk__lines_run(&w, digits + i % 10, 1, (int32_t)i, -1, 2);
    if (r && i % 7 == 0)
      r->page = 5;
    if (i % 8 == 7)
      gk__lines_close(&w, (uint32_t)i, false);
  }
  gk__layout out;
  memset(&out, 0, sizeof out);
  CHECK_STATUS(GK_OK, gk__lines_finish(&w, &a, "test", &out));
  gk__lines_free(&w);
  if (CHECK_UINT_EQ(out.n_runs, 40) && CHECK_UINT_EQ(out.n_lines, 5)) {
    for (size_t i = 0; i < 40; i++) {
      const gk__run *r = &out.runs[i];
      CHECK_MEM_EQ(r->text, r->len, digits + i % 10, 1);
      CHECK_UINT_EQ(r->field, i % 8);
      CHECK_INT_EQ(r->table, (int)i);
      CHECK_INT_EQ(r->row, -1);
      CHECK_INT_EQ(r->col, 2);
      CHECK_UINT_EQ(r->page, i % 7 == 0 ? 5u : 0u);
      CHECK_TRUE(r->x0 == 0 && r->y0 == 0 && r->x1 == 0 && r->y1 == 0);
    }
  }
  gk__arena_free(&a);
}

static const gk_test gk_tests[] = {
    TEST_ENTRY(html_grid_spans),
    TEST_ENTRY(html_spans_join),
    TEST_ENTRY(html_cell_paragraphs),
    TEST_ENTRY(html_chrome_dropped),
    TEST_ENTRY(html_layout_table),
    TEST_ENTRY(html_loose_table_text),
    TEST_ENTRY(html_line_numbers),
    TEST_ENTRY(html_pre_tabs),
    TEST_ENTRY(html_js_escaped_spans),
    TEST_ENTRY(html_encodings),
    TEST_ENTRY(html_depth_limit),
    TEST_ENTRY(html_empty_page),
    TEST_ENTRY(docx_grid),
    TEST_ENTRY(docx_runs_tabs_breaks),
    TEST_ENTRY(docx_revisions_and_textboxes),
    TEST_ENTRY(docx_list_numbers),
    TEST_ENTRY(docx_refusals),
    TEST_ENTRY(docx_depth_limit),
    TEST_ENTRY(lines_floor),
    TEST_ENTRY(lines_floor_cap_is_sticky),
    TEST_ENTRY(lines_floor_grows_to_the_cap),
};

GK_TEST_MAIN(gk_tests)
