/*
 * xlsx_roster.c - a roster sent as an Excel/WPS workbook (XLSX): its first
 * sheet is turned into the CSV the roster import reads (名称,类型,上级
 * [,须发布]).  libxlsxwriter only writes, so the sheet is read with libzip
 * and libxml2, which the project links already: the workbook names its
 * first sheet, the sheet's cells are numbers, shared strings or inline
 * strings.  The file is untrusted: entries and inflated sizes are capped
 * before anything is inflated, and libxml2 loads nothing from the network
 * and expands no entities.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "server.h"

/* Entries in a workbook: Excel writes about a dozen; a few hundred would
 * be a workbook of many sheets and media. */
#define GK_XLSX_MAX_ENTRIES 1000

/* Inflated bytes of one part read (workbook, rels, strings, the sheet):
 * a sheet of 20,000 roster rows is about 3 MB of XML. */
#define GK_XLSX_MAX_PART_BYTES ((zip_uint64_t)32 << 20)

/* Columns kept per row: the roster has four; a wider sheet is cut. */
#define GK_XLSX_COLUMNS 4

/* Shared strings: as many as the roster's rows times its columns. */
#define GK_XLSX_MAX_STRINGS 200000

typedef struct strbuf {
  char *p;
  size_t n, cap;
  int oom;
} strbuf;

static void sb_add(strbuf *b, const char *s, size_t n) {
  if (b->oom)
    return;
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + n + 1)
      cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
      b->oom = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
}

/* Reads one entry whole (NULL when missing or over the cap). */
static char *read_part(zip_t *za, const char *name, size_t *len) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(za, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
      st.size > GK_XLSX_MAX_PART_BYTES)
    return NULL;
  zip_file_t *zf = zip_fopen(za, name, 0);
  if (!zf)
    return NULL;
  char *buf = malloc((size_t)st.size + 1);
  zip_int64_t got = buf ? zip_fread(zf, buf, st.size) : -1;
  zip_fclose(zf);
  if (got < 0 || (zip_uint64_t)got != st.size) {
    free(buf);
    return NULL;
  }
  buf[got] = '\0';
  *len = (size_t)got;
  return buf;
}

static xmlDocPtr read_xml(zip_t *za, const char *name) {
  size_t len = 0;
  char *x = read_part(za, name, &len);
  if (!x || len > INT32_MAX) {
    free(x);
    return NULL;
  }
  xmlDocPtr d =
      xmlReadMemory(x, (int)len, NULL, NULL,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  free(x);
  /* Excel writes no DTD; one here could only define entities to expand
   * (a "billion laughs"), so the part is refused. */
  if (d && (d->intSubset || d->extSubset || !xmlDocGetRootElement(d))) {
    xmlFreeDoc(d);
    d = NULL;
  }
  return d;
}

static int is(const xmlNode *n, const char *name) {
  return n->type == XML_ELEMENT_NODE &&
         strcmp((const char *)n->name, name) == 0;
}

/* The text of all <t> under n, but not of phonetic runs (<rPh>). */
static void text_of(const xmlNode *n, strbuf *out) {
  for (const xmlNode *c = n->children; c; c = c->next) {
    if (is(c, "rPh"))
      continue;
    if (is(c, "t")) {
      xmlChar *t = xmlNodeGetContent(c);
      if (t)
        sb_add(out, (const char *)t, strlen((const char *)t));
      xmlFree(t);
    } else if (c->type == XML_ELEMENT_NODE) {
      text_of(c, out);
    }
  }
}

/* The path of the first sheet: xl/workbook.xml's first <sheet> and its
 * relationship's target; "xl/worksheets/sheet1.xml" when not found. */
static void first_sheet(zip_t *za, char *path, size_t cap) {
  snprintf(path, cap, "xl/worksheets/sheet1.xml");
  xmlDocPtr wb = read_xml(za, "xl/workbook.xml");
  xmlDocPtr rels = read_xml(za, "xl/_rels/workbook.xml.rels");
  xmlChar *rid = NULL;
  for (xmlNode *n = wb ? xmlDocGetRootElement(wb)->children : NULL; n && !rid;
       n = n->next)
    if (is(n, "sheets"))
      for (xmlNode *s = n->children; s && !rid; s = s->next)
        if (is(s, "sheet"))
          rid = xmlGetNsProp(
              s, (const xmlChar *)"id",
              (const xmlChar *)"http://schemas.openxmlformats.org/"
                               "officeDocument/2006/relationships");
  for (xmlNode *r = rid && rels ? xmlDocGetRootElement(rels)->children : NULL;
       r; r = r->next) {
    if (!is(r, "Relationship"))
      continue;
    xmlChar *id = xmlGetProp(r, (const xmlChar *)"Id");
    xmlChar *target = xmlGetProp(r, (const xmlChar *)"Target");
    if (id && target && xmlStrEqual(id, rid)) {
      const char *t = (const char *)target;
      if (t[0] == '/')
        snprintf(path, cap, "%s", t + 1);
      else
        snprintf(path, cap, "xl/%s", t);
    }
    xmlFree(id);
    xmlFree(target);
  }
  xmlFree(rid);
  xmlFreeDoc(wb);
  xmlFreeDoc(rels);
}

/* The column index of a cell reference ("C7" -> 2), or -1. */
static int column_of(const char *ref) {
  int c = 0, n = 0;
  for (; *ref >= 'A' && *ref <= 'Z' && n < 4; ref++, n++)
    c = c * 26 + (*ref - 'A' + 1);
  return n ? c - 1 : -1;
}

/* Appends a field to a CSV line: quoted when it holds a comma or a
 * quote; line breaks inside a cell become spaces (the roster's CSV has
 * none). */
static void csv_field(strbuf *out, const char *s) {
  int quote = strchr(s, ',') || strchr(s, '"');
  if (quote)
    sb_add(out, "\"", 1);
  for (; *s; s++) {
    if (*s == '"')
      sb_add(out, "\"\"", 2);
    else if (*s == '\n' || *s == '\r')
      sb_add(out, " ", 1);
    else
      sb_add(out, s, 1);
  }
  if (quote)
    sb_add(out, "\"", 1);
}

int gk_xlsx_roster_csv(const void *data, size_t len, char **csv,
                       size_t *csv_len, const char **why) {
  *csv = NULL;
  *csv_len = 0;
  *why = NULL;
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
  zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
  zip_error_fini(&ze);
  if (!za) {
    if (src)
      zip_source_free(src);
    *why = "XLSX 文件已损坏或不完整";
    return 400;
  }
  if (zip_get_num_entries(za, 0) > GK_XLSX_MAX_ENTRIES) {
    zip_discard(za);
    *why = "XLSX 文件中的部件过多";
    return 413;
  }
  char sheet_path[512];
  first_sheet(za, sheet_path, sizeof sheet_path);
  /* shared strings (absent when the sheet has only inline strings) */
  char **strings = NULL;
  size_t n_strings = 0;
  int status = 200;
  strbuf out = {0};
  xmlDocPtr ss = read_xml(za, "xl/sharedStrings.xml");
  int has_ss = zip_name_locate(za, "xl/sharedStrings.xml", 0) >= 0;
  xmlDocPtr sh = read_xml(za, sheet_path);
  zip_discard(za);
  if (has_ss && !ss) {
    *why = "XLSX 中的共享字符串无法读取（已损坏、超过 32 MiB 或含有 DTD）";
    status = 400;
    goto out;
  }
  if (!sh) {
    *why = "XLSX 中找不到第一张工作表（或工作表超过 32 MiB）";
    status = 400;
    goto out;
  }
  if (ss) {
    for (xmlNode *n = xmlDocGetRootElement(ss)->children; n; n = n->next)
      if (is(n, "si"))
        n_strings++;
    if (n_strings > GK_XLSX_MAX_STRINGS) {
      *why = "XLSX 中的文字过多";
      status = 413;
      goto out;
    }
    strings = calloc(n_strings + 1, sizeof *strings);
    size_t i = 0;
    for (xmlNode *n = xmlDocGetRootElement(ss)->children; strings && n;
         n = n->next)
      if (is(n, "si")) {
        strbuf t = {0};
        text_of(n, &t);
        strings[i] = t.p ? t.p : strdup("");
        if (!strings[i++] || t.oom)
          out.oom = 1;
      }
    if (!strings || out.oom) {
      status = 500;
      goto out;
    }
  }
  for (xmlNode *n = xmlDocGetRootElement(sh)->children; n; n = n->next) {
    if (!is(n, "sheetData"))
      continue;
    for (xmlNode *row = n->children; row; row = row->next) {
      if (!is(row, "row"))
        continue;
      char *val[GK_XLSX_COLUMNS] = {0};
      int next = 0, any = 0;
      for (xmlNode *c = row->children; c; c = c->next) {
        if (!is(c, "c"))
          continue;
        xmlChar *ref = xmlGetProp(c, (const xmlChar *)"r");
        xmlChar *type = xmlGetProp(c, (const xmlChar *)"t");
        int col = ref ? column_of((const char *)ref) : next;
        next = col + 1;
        strbuf t = {0};
        if (type && xmlStrEqual(type, (const xmlChar *)"inlineStr")) {
          for (xmlNode *k = c->children; k; k = k->next)
            if (is(k, "is"))
              text_of(k, &t);
        } else {
          for (xmlNode *k = c->children; k; k = k->next)
            if (is(k, "v")) {
              xmlChar *v = xmlNodeGetContent(k);
              if (v && type && xmlStrEqual(type, (const xmlChar *)"s")) {
                unsigned long i = strtoul((const char *)v, NULL, 10);
                if (i < n_strings)
                  sb_add(&t, strings[i], strlen(strings[i]));
              } else if (v) {
                sb_add(&t, (const char *)v, strlen((const char *)v));
              }
              xmlFree(v);
            }
        }
        xmlFree(ref);
        xmlFree(type);
        if (col >= 0 && col < GK_XLSX_COLUMNS && t.p && !val[col]) {
          val[col] = t.p;
          any = 1;
        } else {
          free(t.p);
        }
        if (t.oom)
          out.oom = 1;
      }
      int last = -1;
      for (int k = 0; k < GK_XLSX_COLUMNS; k++)
        if (val[k] && *val[k])
          last = k;
      for (int k = 0; any && k <= last; k++) {
        if (k)
          sb_add(&out, ",", 1);
        csv_field(&out, val[k] ? val[k] : "");
      }
      if (any && last >= 0)
        sb_add(&out, "\n", 1);
      for (int k = 0; k < GK_XLSX_COLUMNS; k++)
        free(val[k]);
    }
  }
  if (out.oom) {
    status = 500;
    goto out;
  }
  if (!out.p) {
    *why = "XLSX 的第一张工作表是空的";
    status = 400;
    goto out;
  }
  *csv = out.p;
  *csv_len = out.n;
  out.p = NULL;
out:
  free(out.p);
  for (size_t i = 0; strings && i < n_strings; i++)
    free(strings[i]);
  free(strings);
  xmlFreeDoc(ss);
  xmlFreeDoc(sh);
  if (status == 500 && !*why)
    *why = "内存不足";
  return status;
}

int gk_roster_import_file(gk_store *s, const char *year, const char *who,
                          const char *data, size_t len, char *msg, size_t cap,
                          int *rows, int *added) {
  if (len < 4 || memcmp(data, "PK\x03\x04", 4) != 0)
    return gk_store_import_roster(s, year, who, data, len, msg, cap, rows,
                                  added);
  char *csv = NULL;
  size_t csv_len = 0;
  const char *why = NULL;
  int st = gk_xlsx_roster_csv(data, len, &csv, &csv_len, &why);
  if (st != 200) {
    snprintf(msg, cap, "%s", why ? why : "XLSX 无法读取");
    return st;
  }
  st =
      gk_store_import_roster(s, year, who, csv, csv_len, msg, cap, rows, added);
  free(csv);
  return st;
}
