/*
 * read_docx.c - Word documents (.docx) to the layout (see layout.h), with
 * libzip and libxml2.
 *
 * A .docx is a ZIP archive whose body is word/document.xml
 * (WordprocessingML).  This reader checks the archive's shape before
 * trusting it (entry count, declared size), inflates the body in chunks
 * straight into libxml2's push parser in SAX mode, counting what it
 * inflates (a ZIP bomb stops at the cap, whatever its headers claim), and
 * reports what Word would show to the layout builder (layout_build.h):
 *
 * - a paragraph (w:p) is a line; its runs' text (w:t) joins into one
 *   string; a tab (w:tab) starts a new field, as in Word's "save as text";
 *   a line break (w:br, w:cr) ends the line;
 * - a table (w:tbl/w:tr/w:tc) is a grid: w:gridSpan is a column span,
 *   a w:vMerge continuation cell is an empty cell under the one that
 *   started the merge, w:gridBefore leaves empty cells at the row's start;
 * - text boxes (w:txbxContent) are read as paragraphs; of the two copies
 *   Word writes for compatibility (mc:Choice and mc:Fallback) only the
 *   first is read; deleted text (w:del, w:moveFrom) is not read.
 *
 * Entities are never expanded and nothing is loaded from outside the
 * archive: the SAX table has no entity or DTD callbacks, and the parser
 * runs with XML_PARSE_NONET.  Sources have no line numbers; layout lines
 * are numbered in order, as in the text Word would save.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <zip.h>

#include "docx_numbering.h"
#include "layout_build.h"
#include "model.h"
#include "readers/readers.h"
#include "xml_quiet.h"

/* Compressed input: 64 MiB.  Word documents with photos reach 30 MB; the
 * body, the only part read, is rarely over 2 MB. */
#define GK_DOCX_MAX_BYTES ((size_t)64 << 20)

/* Entries in the archive: 10,000.  A document has 10 to a few hundred
 * (one per image); libzip reads the whole central directory at open, so
 * the count is checked in the raw bytes first. */
#define GK_DOCX_MAX_ENTRIES 10000u

/* Inflated bytes of word/document.xml: 64 MiB.  A 100-page report's body
 * is 1 to 5 MB; a ZIP bomb is refused here, checked against the size the
 * archive declares and again against the bytes actually inflated. */
#define GK_DOCX_MAX_XML_BYTES ((uint64_t)64 << 20)

/* Inflation ratio: 200 to 1, once past 8 MiB.  Deflate shrinks a real
 * body 5 to 30 times (50 for pages of identical empty cells); a ZIP bomb
 * shrinks a thousand times and more.  The check stops one long before the
 * size cap would, whatever its headers say, and a real body is never near
 * both limits at once. */
#define GK_DOCX_MAX_RATIO 200u
#define GK_DOCX_RATIO_FLOOR ((uint64_t)8 << 20)

/* Inflated bytes of word/numbering.xml and word/styles.xml: 8 MiB each.
 * They are 10 KB to 1 MB; over the cap, paragraphs lose their list numbers
 * and nothing else. */
#define GK_DOCX_MAX_AUX_BYTES ((uint64_t)8 << 20)

/* Open XML elements: 200.  Real bodies nest 10 to 40 deep (tables in
 * tables in text boxes add a few levels each); libxml2's own guard is
 * 256.  Deeper is refused with GK_ELIMIT when it is reached. */
#define GK_DOCX_MAX_DEPTH 200

/* Bytes inflated and parsed at a time. */
#define DOCX_CHUNK ((size_t)64 << 10)

static const char W_NS[] =
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
static const char W_NS_STRICT[] =
    "http://purl.oclc.org/ooxml/wordprocessingml/main";
static const char MC_NS[] =
    "http://schemas.openxmlformats.org/markup-compatibility/2006";

/* What an element does. */
typedef enum {
  K_OTHER = 0,
  K_P,      /* paragraph */
  K_R,      /* run */
  K_T,      /* text */
  K_TAB,    /* tab in a run */
  K_BR,     /* line break in a run (w:br, w:cr) */
  K_HYPHEN, /* non-breaking hyphen */
  K_TBL,
  K_TR,
  K_TRPR,
  K_TC,
  K_TCPR,
  K_TXBX, /* text box content */
  K_PPR,  /* paragraph properties */
  K_SKIP  /* not read, with everything inside */
} elem_kind;

typedef struct elem_def {
  const char *name;
  elem_kind kind;
} elem_def;

/* WordprocessingML elements that matter, sorted by name (bsearch). */
static const elem_def w_elems[] = {
    {"br", K_BR},
    {"cr", K_BR},
    {"del", K_SKIP},
    {"moveFrom", K_SKIP},
    {"noBreakHyphen", K_HYPHEN},
    {"p", K_P},
    {"pPr", K_PPR},
    {"pPrChange", K_SKIP}, /* the properties before a revision */
    {"ptab", K_TAB},       /* an absolute-position tab */
    {"r", K_R},
    {"t", K_T},
    {"tab", K_TAB},
    {"tbl", K_TBL},
    {"tc", K_TC},
    {"tcPr", K_TCPR},
    {"tr", K_TR},
    {"trPr", K_TRPR},
    {"txbxContent", K_TXBX},
};

static int elem_cmp(const void *key, const void *e) {
  return strcmp((const char *)key, ((const elem_def *)e)->name);
}

typedef struct docx_state {
  gk__lb lb;
  xmlParserCtxtPtr ctxt;
  gk_status status;
  int depth; /* open elements */
  int skip;  /* depth of the element not read that we are in, or 0 */
  int in_t;  /* open w:t */
  int in_r;  /* open w:r */
  int in_trpr, in_tcpr;
  /* The cell whose properties are being read: it is begun when its
   * content starts, once its span and merge are known. */
  bool cell_pending;
  int cell_depth;
  uint32_t grid_span;
  bool merged; /* a vMerge or hMerge continuation */
  uint32_t grid_before;
  bool row_has_cells;
  /* The paragraph's list number: its style and numbering properties, read
   * from w:pPr, and whether its number was written. */
  gk__docx_numbering *numbering;
  int in_ppr;
  char p_style[64];
  int p_num_id, p_ilvl;
  bool p_numbered;
  uint8_t kind[GK_DOCX_MAX_DEPTH];
} docx_state;

static void stop(docx_state *st, gk_status status) {
  if (st->status == GK_OK)
    st->status = status;
  xmlStopParser(st->ctxt);
}

/* The w:val attribute (any namespace), as a NUL-terminated copy in buf;
 * NULL when absent. */
static const char *attr_val(int n, const xmlChar **atts, char *buf,
                            size_t cap) {
  for (int i = 0; i < n; i++) {
    const xmlChar **a = atts + (size_t)5 * (size_t)i;
    if (strcmp((const char *)a[0], "val") != 0)
      continue;
    size_t len = (size_t)(a[4] - a[3]);
    if (len >= cap) /* cut at a character boundary */
      for (len = cap - 1; len > 0 && (a[3][len] & 0xC0) == 0x80;)
        len--;
    memcpy(buf, a[3], len);
    buf[len] = '\0';
    return buf;
  }
  return NULL;
}

static uint32_t to_count(const char *v) {
  uint32_t n = 0;
  for (int i = 0; v && i < 7 && v[i] >= '0' && v[i] <= '9'; i++)
    n = n * 10 + (uint32_t)(v[i] - '0');
  return n;
}

/* Writes the paragraph's list number before its first run (or at its end
 * when it has none: Word shows the number of an empty item too). */
static void put_number(docx_state *st) {
  if (st->p_numbered)
    return;
  st->p_numbered = true;
  if (!st->numbering)
    return;
  char buf[96];
  size_t n = gk__docx_number(st->numbering, st->p_style[0] ? st->p_style : NULL,
                             st->p_num_id, st->p_ilvl, buf, sizeof buf);
  if (n)
    gk__lb_text(&st->lb, buf, n, false);
}

/* Begins the pending cell: the row's gridBefore gap first, then the cell;
 * a merge continuation's content is not read. */
static void begin_cell(docx_state *st) {
  st->cell_pending = false;
  gk__lb *lb = &st->lb;
  if (!st->row_has_cells && st->grid_before > 0) {
    gk__lb_cell_begin(lb, st->grid_before, 1);
    gk__lb_cell_end(lb);
  }
  st->row_has_cells = true;
  gk__lb_cell_begin(lb, st->grid_span ? st->grid_span : 1, 1);
  if (st->merged)
    st->skip = st->cell_depth;
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces,
                     const xmlChar **namespaces, int nb_attributes,
                     int nb_defaulted, const xmlChar **attributes) {
  docx_state *st = ctx;
  (void)prefix, (void)nb_namespaces, (void)namespaces, (void)nb_defaulted;
  if (st->status != GK_OK)
    return;
  if (st->depth >= GK_DOCX_MAX_DEPTH) {
    stop(st, GK_ELIMIT);
    return;
  }
  int d = st->depth++;
  const char *name = (const char *)localname;
  elem_kind k = K_OTHER;
  if (uri && (strcmp((const char *)uri, W_NS) == 0 ||
              strcmp((const char *)uri, W_NS_STRICT) == 0)) {
    const elem_def *e = bsearch(name, w_elems, sizeof w_elems / sizeof *w_elems,
                                sizeof *w_elems, elem_cmp);
    if (e)
      k = e->kind;
  } else if (uri && strcmp((const char *)uri, MC_NS) == 0 &&
             strcmp(name, "Fallback") == 0) {
    k = K_SKIP;
  }
  st->kind[d] = (uint8_t)k;
  if (st->skip)
    return;
  gk__lb *lb = &st->lb;
  char val[32];

  /* Cell and row properties. */
  if (st->in_tcpr) {
    const char *v = attr_val(nb_attributes, attributes, val, sizeof val);
    if (strcmp(name, "gridSpan") == 0)
      st->grid_span = to_count(v);
    else if (strcmp(name, "vMerge") == 0 || strcmp(name, "hMerge") == 0)
      st->merged = !v || strcmp(v, "restart") != 0;
  } else if (st->in_trpr && strcmp(name, "gridBefore") == 0) {
    st->grid_before =
        to_count(attr_val(nb_attributes, attributes, val, sizeof val));
  }
  if (st->in_ppr) {
    if (strcmp(name, "pStyle") == 0) {
      if (!attr_val(nb_attributes, attributes, st->p_style, sizeof st->p_style))
        st->p_style[0] = '\0';
    } else if (strcmp(name, "numId") == 0) {
      const char *v = attr_val(nb_attributes, attributes, val, sizeof val);
      st->p_num_id = v ? (int)to_count(v) : -1;
    } else if (strcmp(name, "ilvl") == 0) {
      const char *v = attr_val(nb_attributes, attributes, val, sizeof val);
      st->p_ilvl = v ? (int)to_count(v) : -1;
    }
  }
  if (st->cell_pending && k != K_TCPR && !st->in_tcpr) {
    begin_cell(st);
    if (st->skip) {
      st->kind[d] = K_OTHER;
      return;
    }
  }

  switch (k) {
  case K_SKIP:
    st->skip = st->depth;
    break;
  case K_P:
    st->p_style[0] = '\0';
    st->p_num_id = st->p_ilvl = -1;
    st->p_numbered = false;
    break;
  case K_PPR:
    st->in_ppr++;
    break;
  case K_R:
    put_number(st);
    st->in_r++;
    break;
  case K_T:
    st->in_t++;
    break;
  case K_TAB:
    if (st->in_r)
      gk__lb_field(lb);
    break;
  case K_BR:
    if (st->in_r)
      gk__lb_break(lb);
    break;
  case K_HYPHEN:
    if (st->in_r)
      gk__lb_text(lb, "-", 1, false);
    break;
  case K_TXBX:
    gk__lb_break(lb);
    break;
  case K_TBL:
    gk__lb_table_begin(lb);
    break;
  case K_TR:
    gk__lb_row_begin(lb);
    st->grid_before = 0;
    st->row_has_cells = false;
    break;
  case K_TRPR:
    st->in_trpr++;
    break;
  case K_TC:
    st->cell_pending = true;
    st->cell_depth = st->depth;
    st->grid_span = 1;
    st->merged = false;
    break;
  case K_TCPR:
    st->in_tcpr++;
    break;
  default:
    break;
  }
  if (lb->status != GK_OK)
    stop(st, lb->status);
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                   const xmlChar *uri) {
  docx_state *st = ctx;
  (void)localname, (void)prefix, (void)uri;
  if (st->depth == 0)
    return;
  int d = --st->depth;
  if (st->skip) {
    if (st->skip != d + 1)
      return;
    st->skip = 0;
    /* A merge continuation cell, skipped from its content on, still
     * ends as a cell. */
    if (st->kind[d] != K_TC)
      return;
  }
  if (st->status != GK_OK)
    return;
  gk__lb *lb = &st->lb;
  switch ((elem_kind)st->kind[d]) {
  case K_P:
    put_number(st);
    gk__lb_break(lb);
    break;
  case K_PPR:
    st->in_ppr--;
    break;
  case K_R:
    st->in_r--;
    break;
  case K_T:
    st->in_t--;
    break;
  case K_TXBX:
    gk__lb_break(lb);
    break;
  case K_TBL:
    gk__lb_table_end(lb);
    break;
  case K_TR:
    gk__lb_row_end(lb);
    break;
  case K_TRPR:
    st->in_trpr--;
    break;
  case K_TC:
    if (st->cell_pending)
      begin_cell(st);
    st->skip = 0;
    gk__lb_cell_end(lb);
    break;
  case K_TCPR:
    st->in_tcpr--;
    break;
  default:
    break;
  }
  if (lb->status != GK_OK)
    stop(st, lb->status);
}

static void on_text(void *ctx, const xmlChar *ch, int len) {
  docx_state *st = ctx;
  if (st->skip || !st->in_t || st->status != GK_OK || len <= 0)
    return;
  if (gk__lb_text(&st->lb, (const char *)ch, (size_t)len, false) != GK_OK)
    stop(st, st->lb.status);
}

/* ------------------------------------------------------------ archive */

/* The entry count the archive's end-of-central-directory record declares,
 * or -1 when there is no such record (libzip then reports the damage).
 * ZIP64 archives, which declare 0xFFFF here, count as too many: no Word
 * document needs them. */
static long declared_entries(const unsigned char *d, size_t len) {
  if (len < 22)
    return -1;
  size_t lo = len > 22 + 65535 ? len - 22 - 65535 : 0;
  for (size_t i = len - 22 + 1; i-- > lo;) {
    if (d[i] == 'P' && d[i + 1] == 'K' && d[i + 2] == 5 && d[i + 3] == 6) {
      unsigned n = (unsigned)d[i + 10] | (unsigned)d[i + 11] << 8;
      return n == 0xFFFF ? (long)GK_DOCX_MAX_ENTRIES + 1 : (long)n;
    }
  }
  return -1;
}

/*
 * Inflates entry idx of the archive in chunks straight into a push parser
 * with the callbacks in *sax (and `user` as their data), counting what it
 * inflates against `max` and the compression ratio.  *slot holds the
 * parser while it runs, so that callbacks can stop it; *user_status is
 * the callbacks' own failure, checked after each chunk.  Returns GK_OK or
 * the failure, with *detail set.
 */
static gk_status read_part(zip_t *za, zip_uint64_t idx, uint64_t max,
                           const xmlSAXHandler *callbacks, void *user,
                           xmlParserCtxtPtr *slot, const gk_status *user_status,
                           const char **detail) {
  zip_stat_t sb;
  zip_stat_init(&sb);
  if (zip_stat_index(za, idx, 0, &sb) != 0) {
    *detail = "ZIP 压缩包已损坏或不完整";
    return GK_EUNSUPPORTED;
  }
  if ((sb.valid & ZIP_STAT_SIZE) && sb.size > max) {
    *detail = "Word 文档正文解压后超过 64 MiB 的处理上限";
    return GK_ELIMIT;
  }
  if ((sb.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
      sb.encryption_method != ZIP_EM_NONE) {
    *detail = "加密的 Word 文档";
    return GK_EUNSUPPORTED;
  }
  /* Without a compressed size, the ratio is judged against the whole
   * archive, which the part's compressed bytes cannot exceed. */
  uint64_t comp_size = (sb.valid & ZIP_STAT_COMP_SIZE) ? sb.comp_size : 0;
  zip_file_t *zf = zip_fopen_index(za, idx, 0);
  if (!zf) {
    int code = zip_error_code_zip(zip_get_error(za));
    if (code == ZIP_ER_MEMORY)
      return GK_ENOMEM;
    *detail = code == ZIP_ER_COMPNOTSUPP ? "Word 文档使用了不支持的压缩方式"
                                         : "Word 文档已损坏（正文无法解压）";
    return GK_EUNSUPPORTED;
  }
  char *chunk = malloc(DOCX_CHUNK);
  xmlSAXHandler sax = *callbacks;
  sax.initialized = XML_SAX2_MAGIC;
  sax.warning = gk__xml_ignore;
  sax.error = gk__xml_ignore;
  sax.fatalError = gk__xml_ignore;
  sax.serror = gk__xml_ignore_structured;
  xmlParserCtxtPtr ctxt =
      chunk ? xmlCreatePushParserCtxt(&sax, user, NULL, 0, NULL) : NULL;
  if (!ctxt) {
    free(chunk);
    zip_fclose(zf);
    return GK_ENOMEM;
  }
  xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR |
                              XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
  if (slot)
    *slot = ctxt;
  gk_status status = GK_OK;
  uint64_t total = 0;
  for (;;) {
    zip_int64_t n = zip_fread(zf, chunk, DOCX_CHUNK);
    if (n < 0) {
      status = GK_EUNSUPPORTED;
      *detail = "Word 文档已损坏（正文无法解压）";
      break;
    }
    total += (uint64_t)n;
    if (total > max) {
      status = GK_ELIMIT;
      *detail = "Word 文档正文解压后超过 64 MiB 的处理上限";
      break;
    }
    if (comp_size && total > GK_DOCX_RATIO_FLOOR &&
        total / GK_DOCX_MAX_RATIO > comp_size) {
      status = GK_ELIMIT;
      *detail = "Word 文档正文的压缩比异常（疑似 ZIP 炸弹）";
      break;
    }
    xmlParseChunk(ctxt, chunk, (int)n, n == 0);
    if ((user_status && *user_status != GK_OK) || !ctxt->wellFormed || n == 0)
      break;
  }
  if (status == GK_OK && user_status && *user_status != GK_OK) {
    status = *user_status;
    if (status == GK_ELIMIT)
      *detail = "Word 文档的嵌套层数、表格或文字超出处理上限";
  } else if (status == GK_OK && !ctxt->wellFormed) {
    status = GK_EUNSUPPORTED;
    *detail = "Word 文档已损坏（正文不是完整的 XML）";
  }
  if (slot)
    *slot = NULL;
  /* An internal DTD subset makes libxml2 build a document to hold its
   * declarations, even in SAX mode; it is the caller's to free. */
  if (ctxt->myDoc)
    xmlFreeDoc(ctxt->myDoc);
  xmlFreeParserCtxt(ctxt);
  free(chunk);
  zip_fclose(zf);
  return status;
}

/* Reads the list definitions and paragraph styles, when the document has
 * them, into a new numbering set.  A damaged or oversized part only loses
 * numbers: GK_OK unless memory ran out. */
static gk_status read_numbering(zip_t *za, gk__docx_numbering **out) {
  *out = NULL;
  zip_int64_t num = zip_name_locate(za, "word/numbering.xml", ZIP_FL_NOCASE);
  if (num < 0)
    return GK_OK;
  gk__docx_numbering *n = gk__docx_numbering_new();
  if (!n)
    return GK_ENOMEM;
  xmlSAXHandler sax;
  memset(&sax, 0, sizeof sax);
  gk__docx_numbering_sax(&sax);
  const char *ignored = NULL;
  gk_status st = read_part(za, (zip_uint64_t)num, GK_DOCX_MAX_AUX_BYTES, &sax,
                           n, NULL, NULL, &ignored);
  zip_int64_t styles = zip_name_locate(za, "word/styles.xml", ZIP_FL_NOCASE);
  if (st != GK_ENOMEM && styles >= 0)
    st = read_part(za, (zip_uint64_t)styles, GK_DOCX_MAX_AUX_BYTES, &sax, n,
                   NULL, NULL, &ignored);
  if (st == GK_ENOMEM) {
    gk__docx_numbering_free(n);
    return st;
  }
  *out = n;
  return GK_OK;
}

gk_status gk__read_docx(gk_report *r, const char *data, size_t len,
                        gk__layout *out, const char **detail) {
  if (len > GK_DOCX_MAX_BYTES) {
    *detail = "Word 文档超过 64 MiB 的处理上限";
    return GK_ELIMIT;
  }
  if (declared_entries((const unsigned char *)data, len) >
      (long)GK_DOCX_MAX_ENTRIES) {
    *detail = "ZIP 压缩包内文件过多";
    return GK_ELIMIT;
  }
  zip_error_t zerr;
  zip_error_init(&zerr);
  zip_source_t *src = zip_source_buffer_create(data, len, 0, &zerr);
  if (!src) {
    zip_error_fini(&zerr);
    return GK_ENOMEM;
  }
  zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &zerr);
  if (!za) {
    int code = zip_error_code_zip(&zerr);
    zip_source_free(src);
    zip_error_fini(&zerr);
    if (code == ZIP_ER_MEMORY)
      return GK_ENOMEM;
    *detail = "ZIP 压缩包已损坏或不完整";
    return GK_EUNSUPPORTED;
  }
  zip_error_fini(&zerr);

  gk_status st;
  docx_state *ds = NULL;
  zip_int64_t idx = -1;
  gk__xml_quiet quiet;
  gk__xml_quiet_begin(&quiet);
  if (zip_get_num_entries(za, 0) > (zip_int64_t)GK_DOCX_MAX_ENTRIES) {
    *detail = "ZIP 压缩包内文件过多";
    st = GK_ELIMIT;
    goto done;
  }
  idx = zip_name_locate(za, "word/document.xml", ZIP_FL_NOCASE);
  if (idx < 0) {
    *detail = "ZIP 压缩包，不是 Word 文档";
    st = GK_EUNSUPPORTED;
    goto done;
  }
  ds = calloc(1, sizeof *ds);
  if (!ds) {
    st = GK_ENOMEM;
    goto done;
  }
  gk__lb_init(&ds->lb, &r->arena);
  st = read_numbering(za, &ds->numbering);
  if (st == GK_OK) {
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_text;
    sax.cdataBlock = on_text;
    st = read_part(za, (zip_uint64_t)idx, GK_DOCX_MAX_XML_BYTES, &sax, ds,
                   &ds->ctxt, &ds->status, detail);
  }
  if (st == GK_OK)
    st = gk__lb_finish(&ds->lb, "docx", true, out);
  if (st == GK_ELIMIT && !*detail)
    *detail = "Word 文档的表格或文字超出处理上限";
  gk__lb_free(&ds->lb);
  gk__docx_numbering_free(ds->numbering);
done:
  gk__xml_quiet_end(&quiet);
  free(ds);
  zip_discard(za);
  return st;
}
