/*
 * read_html.c - HTML pages to the layout (see layout.h), with libxml2's
 * HTML parser.
 *
 * Reports reach us as government portal pages: a site template (menus,
 * search box, footer, scripts) around a body pasted from Word, where a
 * label is split over a dozen <span>/<font> runs and the tables carry
 * colspan and rowspan.  Crawlers add their own wrappers, and some pages are
 * an HTML string inside a JavaScript file.  This reader:
 *
 * 1. decides the encoding (a BOM; valid UTF-8; else the <meta> charset, or
 *    GB18030, which covers GBK and GB2312) and converts to UTF-8 itself,
 *    strictly, so that mojibake never reaches the parser and libxml2 never
 *    guesses;
 * 2. parses with libxml2's HTML parser in SAX mode (no tree is built, and
 *    the nesting limit stops a hostile page at once), silenced;
 * 3. reports what a reader of the page sees to the layout builder
 *    (layout_build.h): scripts, styles, form controls, the document head
 *    and recognisable site chrome (navigation, headers and footers outside
 *    the article) are dropped; block elements end lines; inline runs join
 *    into one string; white space collapses as a browser collapses it;
 *    tables become grids.  The layout's lines are numbered in order, as
 *    they are seen (gk__lb_finish with number_lines).
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include "layout_build.h"
#include "model.h"
#include "readers/readers.h"
#include "xml_quiet.h"

/* Input bytes: 32 MiB.  Portal pages are 50 KB to 2 MB; a page pasted from
 * Word with its images inlined as base64 reaches 20 MB.  Bigger is not a
 * report page, and libxml2 holds its own copy of the input. */
#define GK_HTML_MAX_BYTES ((size_t)32 << 20)

/* Open elements: 1024.  Real pages nest 20 to 60 deep (a few hundred
 * where unclosed <font> tags pile up); a page nested deeper is refused
 * with GK_ELIMIT the moment it gets there, before the rest is parsed. */
#define GK_HTML_MAX_DEPTH 1024

/* Bytes searched for a <meta> charset: 64 KiB.  Portal templates put
 * scripts and styles of several kilobytes before it, and crawlers repeat
 * the page's head inside the body. */
#define GK_HTML_CHARSET_SCAN ((size_t)64 << 10)

/* What an element does to the layout. */
typedef enum {
  K_INLINE = 0, /* nothing: its text joins the text around it */
  K_BLOCK,      /* ends the line before and after it */
  K_BR,         /* a line break */
  K_SKIP,       /* dropped with everything inside */
  K_PRE,        /* a block whose white space and line ends are kept */
  K_ARTICLE,    /* a block that is the page's content (article, main) */
  K_CHROME,     /* header, footer, aside: chrome outside an article */
  K_TABLE,
  K_ROW,
  K_CELL
} elem_kind;

typedef struct elem_def {
  const char *name;
  elem_kind kind;
} elem_def;

/* Sorted by name (bsearch).  Elements not listed are inline: that covers
 * span, font, b, a, Word's o:p, and a portal's own tags (ucapcontent). */
static const elem_def elems[] = {
    {"address", K_BLOCK},    {"applet", K_SKIP},
    {"article", K_ARTICLE},  {"aside", K_CHROME},
    {"audio", K_SKIP},       {"blockquote", K_BLOCK},
    {"body", K_BLOCK},       {"br", K_BR},
    {"button", K_SKIP},      {"canvas", K_SKIP},
    {"caption", K_BLOCK},    {"center", K_BLOCK},
    {"datalist", K_SKIP},    {"dd", K_BLOCK},
    {"details", K_BLOCK},    {"dialog", K_BLOCK},
    {"dir", K_BLOCK},        {"div", K_BLOCK},
    {"dl", K_BLOCK},         {"dt", K_BLOCK},
    {"embed", K_SKIP},       {"fieldset", K_BLOCK},
    {"figcaption", K_BLOCK}, {"figure", K_BLOCK},
    {"footer", K_CHROME},    {"form", K_BLOCK},
    {"h1", K_BLOCK},         {"h2", K_BLOCK},
    {"h3", K_BLOCK},         {"h4", K_BLOCK},
    {"h5", K_BLOCK},         {"h6", K_BLOCK},
    {"head", K_SKIP},        {"header", K_CHROME},
    {"hgroup", K_BLOCK},     {"hr", K_BLOCK},
    {"html", K_BLOCK},       {"iframe", K_SKIP},
    {"input", K_SKIP},       {"legend", K_BLOCK},
    {"li", K_BLOCK},         {"link", K_SKIP},
    {"listing", K_PRE},      {"main", K_ARTICLE},
    {"menu", K_BLOCK},       {"meta", K_SKIP},
    {"nav", K_SKIP},         {"noembed", K_SKIP},
    {"noframes", K_SKIP},    {"noscript", K_SKIP},
    {"object", K_SKIP},      {"ol", K_BLOCK},
    {"optgroup", K_SKIP},    {"option", K_SKIP},
    {"p", K_BLOCK},          {"plaintext", K_PRE},
    {"pre", K_PRE},          {"script", K_SKIP},
    {"section", K_BLOCK},    {"select", K_SKIP},
    {"style", K_SKIP},       {"summary", K_BLOCK},
    {"svg", K_SKIP},         {"table", K_TABLE},
    {"td", K_CELL},          {"template", K_SKIP},
    {"textarea", K_SKIP},    {"th", K_CELL},
    {"title", K_SKIP},       {"tr", K_ROW},
    {"ul", K_BLOCK},         {"video", K_SKIP},
    {"xmp", K_PRE},
};

static int elem_cmp(const void *key, const void *e) {
  return strcmp((const char *)key, ((const elem_def *)e)->name);
}

static elem_kind elem_kind_of(const char *name) {
  const elem_def *d = bsearch(name, elems, sizeof elems / sizeof *elems,
                              sizeof *elems, elem_cmp);
  return d ? d->kind : K_INLINE;
}

/* ------------------------------------------------------------ chrome */

/* Words that name site chrome when they begin a class or id ("header-t",
 * "nav_list", "breadcrumb") - never when they end one ("article-header"
 * may hold the title). */
static const char *const chrome_words[] = {
    "header",  "footer",     "nav",         "navbar",   "navigation", "menu",
    "menubar", "breadcrumb", "breadcrumbs", "crumb",    "crumbs",     "topbar",
    "toolbar", "sidebar",    "copyright",   "location", NULL};

static bool chrome_name(const char *s, size_t n) {
  char w[32];
  if (n == 0 || n >= sizeof w)
    return false;
  for (size_t i = 0; i < n; i++)
    w[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
  w[n] = '\0';
  /* "mainNav", "topmenu": a camel-case or glued navigation name. */
  if ((n > 3 && strcmp(w + n - 3, "nav") == 0) ||
      (n > 4 && strcmp(w + n - 4, "menu") == 0))
    return true;
  size_t t = 0;
  while (t < n && w[t] != '-' && w[t] != '_')
    t++;
  w[t] = '\0';
  for (int i = 0; chrome_words[i]; i++)
    if (strcmp(w, chrome_words[i]) == 0)
      return true;
  return false;
}

/* Whether a class or id attribute value names chrome. */
static bool chrome_attr(const char *v) {
  while (*v) {
    while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
      v++;
    const char *w = v;
    while (*v && *v != ' ' && *v != '\t' && *v != '\n' && *v != '\r')
      v++;
    if (v > w && chrome_name(w, (size_t)(v - w)))
      return true;
  }
  return false;
}

/* ------------------------------------------------------------- parsing */

typedef struct html_state {
  gk__lb lb;
  htmlParserCtxtPtr ctxt;
  gk_status status;
  int depth;   /* open elements */
  int skip;    /* depth of the dropped element we are in, or 0 */
  int pre;     /* open <pre>-like elements */
  int article; /* open article/main elements */
  uint8_t kind[GK_HTML_MAX_DEPTH];
} html_state;

static void stop(html_state *st, gk_status status) {
  if (st->status == GK_OK)
    st->status = status;
  xmlStopParser(st->ctxt);
}

/* A colspan or rowspan value.  Lenient as browsers are ("2 ", "2px"),
 * and past the backslashes and quotes of markup that sat in a
 * JavaScript string (colspan=\"2\"). */
static uint32_t span_attr(const char *v, uint32_t if_absent) {
  if (!v)
    return if_absent;
  while (*v == ' ' || *v == '"' || *v == '\'' || *v == '\\' || *v == '\t')
    v++;
  if (*v < '0' || *v > '9')
    return if_absent;
  uint32_t n = 0;
  for (int i = 0; i < 7 && *v >= '0' && *v <= '9'; i++, v++)
    n = n * 10 + (uint32_t)(*v - '0');
  return n;
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts) {
  html_state *st = ctx;
  if (st->status != GK_OK)
    return;
  if (st->depth >= GK_HTML_MAX_DEPTH) {
    stop(st, GK_ELIMIT);
    return;
  }
  int d = st->depth++;
  elem_kind k = elem_kind_of((const char *)name);
  if (k == K_CHROME)
    k = st->article ? K_BLOCK : K_SKIP;
  if (st->skip) {
    st->kind[d] = K_INLINE;
    return;
  }
  const char *colspan = NULL, *rowspan = NULL;
  for (size_t i = 0; atts && atts[i]; i += 2) {
    const char *an = (const char *)atts[i], *av = (const char *)atts[i + 1];
    if (!av)
      continue;
    if (strcasecmp(an, "colspan") == 0)
      colspan = av;
    else if (strcasecmp(an, "rowspan") == 0)
      rowspan = av;
    else if ((k == K_BLOCK || k == K_TABLE) &&
             (strcasecmp(an, "class") == 0 || strcasecmp(an, "id") == 0) &&
             strcmp((const char *)name, "body") != 0 &&
             strcmp((const char *)name, "html") != 0 && chrome_attr(av))
      k = K_SKIP;
  }
  st->kind[d] = (uint8_t)k;
  gk__lb *lb = &st->lb;
  switch (k) {
  case K_SKIP:
    st->skip = st->depth;
    break;
  case K_BLOCK:
  case K_BR:
    gk__lb_break(lb);
    break;
  case K_PRE:
    gk__lb_break(lb);
    st->pre++;
    break;
  case K_ARTICLE:
    gk__lb_break(lb);
    st->article++;
    break;
  case K_TABLE:
    gk__lb_table_begin(lb);
    break;
  case K_ROW:
    gk__lb_row_begin(lb);
    break;
  case K_CELL:
    gk__lb_cell_begin(lb, span_attr(colspan, 1), span_attr(rowspan, 1));
    break;
  default:
    break;
  }
  if (lb->status != GK_OK)
    stop(st, lb->status);
}

static void on_end(void *ctx, const xmlChar *name) {
  html_state *st = ctx;
  (void)name;
  if (st->depth == 0)
    return;
  int d = --st->depth;
  if (st->skip) {
    if (st->skip == d + 1)
      st->skip = 0;
    return;
  }
  if (st->status != GK_OK)
    return;
  gk__lb *lb = &st->lb;
  switch ((elem_kind)st->kind[d]) {
  case K_BLOCK:
    gk__lb_break(lb);
    break;
  case K_PRE:
    st->pre--;
    gk__lb_break(lb);
    break;
  case K_ARTICLE:
    st->article--;
    gk__lb_break(lb);
    break;
  case K_TABLE:
    gk__lb_table_end(lb);
    break;
  case K_ROW:
    gk__lb_row_end(lb);
    break;
  case K_CELL:
    gk__lb_cell_end(lb);
    break;
  default:
    break;
  }
  if (lb->status != GK_OK)
    stop(st, lb->status);
}

static void on_text(void *ctx, const xmlChar *ch, int len) {
  html_state *st = ctx;
  if (st->skip || st->status != GK_OK || len <= 0)
    return;
  const char *s = (const char *)ch;
  size_t n = (size_t)len;
  gk__lb *lb = &st->lb;
  if (!st->pre) {
    gk__lb_text(lb, s, n, true);
  } else {
    /* Preformatted: line ends end lines, tabs separate fields. */
    size_t i = 0;
    while (i < n && lb->status == GK_OK) {
      size_t j = i;
      while (j < n && s[j] != '\n' && s[j] != '\t' && s[j] != '\r')
        j++;
      gk__lb_text(lb, s + i, j - i, false);
      if (j < n && s[j] == '\n') {
        gk__lb_break(lb);
      } else if (j < n && s[j] == '\t') {
        gk__lb_field(lb);
      }
      i = j + 1;
    }
  }
  if (lb->status != GK_OK)
    stop(st, lb->status);
}

/* ------------------------------------------------------------ encoding */

/* The charset a <meta> tag declares in the first bytes, lowercased into
 * out; false when there is none.  Only <meta> counts: <script charset=>
 * names the script's encoding, not the page's. */
static bool meta_charset(const char *d, size_t len, char *out, size_t cap) {
  if (len > GK_HTML_CHARSET_SCAN)
    len = GK_HTML_CHARSET_SCAN;
  for (size_t i = 0; i + 5 < len; i++) {
    if (d[i] != '<' || strncasecmp(d + i + 1, "meta", 4) != 0)
      continue;
    size_t end = i + 5;
    while (end < len && d[end] != '>')
      end++;
    for (size_t j = i + 5; j + 7 < end; j++) {
      if (strncasecmp(d + j, "charset", 7) != 0)
        continue;
      size_t k = j + 7;
      while (k < end && (d[k] == ' ' || d[k] == '\t'))
        k++;
      if (k >= end || d[k] != '=')
        continue;
      k++;
      while (k < end && (d[k] == ' ' || d[k] == '"' || d[k] == '\'' ||
                         d[k] == '\\' || d[k] == '\t'))
        k++;
      size_t n = 0;
      while (k < end && n + 1 < cap &&
             ((d[k] >= 'a' && d[k] <= 'z') || (d[k] >= 'A' && d[k] <= 'Z') ||
              (d[k] >= '0' && d[k] <= '9') || d[k] == '-' || d[k] == '_' ||
              d[k] == '.' || d[k] == ':')) {
        char c = d[k++];
        out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
      }
      out[n] = '\0';
      if (n)
        return true;
    }
    i = end;
  }
  return false;
}

/* Converts len bytes from `from` to UTF-8 in malloc'd memory. */
static gk_status convert(const char *from, const char *data, size_t len,
                         char **out, size_t *out_len) {
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == (iconv_t)-1)
    return GK_EENCODING;
  /* Every encoding tried here needs at most two UTF-8 bytes per input
   * byte (GBK and Big5: 3 for 2; UTF-16: 3 for 2, 4 for 4). */
  size_t cap = len * 2 + 16;
  char *dst = malloc(cap);
  if (!dst) {
    iconv_close(cd);
    return GK_ENOMEM;
  }
  char *in = (char *)data, *o = dst;
  size_t in_left = len, o_left = cap - 1;
  size_t r = iconv(cd, &in, &in_left, &o, &o_left);
  iconv_close(cd);
  if (r == (size_t)-1 || in_left != 0) {
    free(dst);
    return GK_EENCODING;
  }
  *o = '\0';
  *out = dst;
  *out_len = (size_t)(o - dst);
  return GK_OK;
}

/* Whether a declared charset is one of the GB family, which GB18030
 * decodes. */
static bool gb_family(const char *cs) {
  static const char *const names[] = {
      "gbk",   "gb2312",      "gb18030", "gb_2312-80", "x-gbk",    "cp936",
      "ms936", "windows-936", "euc-cn",  "csgb2312",   "x-euc-cn", NULL};
  for (int i = 0; names[i]; i++)
    if (strcmp(cs, names[i]) == 0)
      return true;
  return false;
}

/*
 * The page as UTF-8: *text points either into data (already UTF-8) or to
 * malloc'd memory (*owned, to be freed).  A BOM decides; valid UTF-8 is
 * UTF-8 whatever the page declares (crawlers re-encode pages and keep
 * their GBK <meta>); else a declared Big5 is Big5 and anything else is
 * tried as GB18030 (GBK and GB2312 are subsets).  Bytes invalid in the
 * chosen encoding are refused, never replaced.
 */
static gk_status to_utf8(gk_report *r, const char *data, size_t len,
                         const char **text, size_t *text_len, char **owned,
                         const char **detail) {
  const unsigned char *u = (const unsigned char *)data;
  *owned = NULL;
  if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
    if (!gk__utf8_valid(data + 3, len - 3)) {
      *detail = "网页以 UTF-8 BOM 开头，但内容不是有效的 UTF-8";
      return GK_EENCODING;
    }
    r->encoding = GK_ENC_UTF8_BOM;
    *text = data + 3;
    *text_len = len - 3;
    return GK_OK;
  }
  if (len >= 2 &&
      ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
    bool le = u[0] == 0xFF;
    gk_status st = convert(le ? "UTF-16LE" : "UTF-16BE", data + 2, len - 2,
                           owned, text_len);
    if (st == GK_EENCODING)
      *detail = "网页以 UTF-16 BOM 开头，但内容不是有效的 UTF-16";
    if (st != GK_OK)
      return st;
    r->encoding = le ? GK_ENC_UTF16LE : GK_ENC_UTF16BE;
    *text = *owned;
    return GK_OK;
  }
  if (gk__utf8_valid(data, len)) {
    r->encoding = GK_ENC_UTF8;
    *text = data;
    *text_len = len;
    return GK_OK;
  }
  char cs[40];
  bool declared = meta_charset(data, len, cs, sizeof cs);
  bool big5 = declared && strncmp(cs, "big5", 4) == 0;
  gk_status st =
      convert(big5 ? "BIG5-HKSCS" : "GB18030", data, len, owned, text_len);
  if (st == GK_EENCODING) {
    if (big5)
      *detail = "网页声明为 Big5 编码，但内容不是有效的 Big5";
    else if (declared && gb_family(cs))
      *detail = "网页声明为 GBK/GB2312 编码，但内容不是有效的 GBK/GB18030";
    else
      *detail = "网页既不是 UTF-8，也不是 GBK/GB18030 编码";
  }
  if (st != GK_OK)
    return st;
  if (!big5)
    r->encoding = GK_ENC_GB18030;
  *text = *owned;
  return GK_OK;
}

/* ---------------------------------------------------------------- entry */

gk_status gk__read_html(gk_report *r, const char *data, size_t len,
                        gk__layout *out, const char **detail) {
  if (len > GK_HTML_MAX_BYTES) {
    *detail = "网页超过 32 MiB 的处理上限";
    return GK_ELIMIT;
  }
  const char *text;
  size_t text_len;
  char *owned;
  gk_status st = to_utf8(r, data, len, &text, &text_len, &owned, detail);
  if (st != GK_OK)
    return st;
  /* Conversion can grow the text past what an int holds only for inputs
   * far over the cap; checked all the same. */
  if (text_len > (size_t)INT32_MAX) {
    free(owned);
    return GK_ELIMIT;
  }

  html_state *hs = calloc(1, sizeof *hs);
  if (!hs) {
    free(owned);
    return GK_ENOMEM;
  }
  gk__lb_init(&hs->lb, &r->arena);

  gk__xml_quiet quiet;
  gk__xml_quiet_begin(&quiet);
  st = GK_ENOMEM;
  htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
  if (ctxt) {
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElement = on_start;
    sax.endElement = on_end;
    sax.characters = on_text;
    sax.ignorableWhitespace = on_text;
    sax.cdataBlock = on_text;
    sax.warning = gk__xml_ignore;
    sax.error = gk__xml_ignore;
    sax.fatalError = gk__xml_ignore;
    sax.serror = gk__xml_ignore_structured;
    memcpy(ctxt->sax, &sax, sizeof sax);
    ctxt->userData = hs;
    hs->ctxt = ctxt;
    /* The text is UTF-8 now: the page's own charset declaration must not
     * switch libxml2 to another decoding. */
    htmlCtxtReadMemory(ctxt, text, (int)text_len, NULL, "UTF-8",
                       HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                           HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                           HTML_PARSE_NODEFDTD | HTML_PARSE_IGNORE_ENC);
    hs->ctxt = NULL;
    if (ctxt->myDoc) /* not built without a startDocument callback */
      xmlFreeDoc(ctxt->myDoc);
    htmlFreeParserCtxt(ctxt);
    st = hs->status;
    /* Lines are numbered as a reader sees them, one per paragraph or
     * table row (as DOCX's): a markup line number means nothing to a
     * reviewer, and a page written on one markup line would put every
     * finding on line 1 (issue 11). */
    if (st == GK_OK)
      st = gk__lb_finish(&hs->lb, "html", true, out);
  }
  gk__xml_quiet_end(&quiet);
  if (st == GK_ELIMIT && !*detail)
    *detail = "网页的嵌套层数、表格或文字超出处理上限";
  gk__lb_free(&hs->lb);
  free(hs);
  free(owned);
  return st;
}
