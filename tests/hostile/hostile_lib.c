/*
 * hostile_lib.c - hostile inputs against the library, under the build's
 * sanitizers, each with a time budget, and one memory budget for the run.
 *
 * The inputs are generated, never stored: an image, an empty file,
 * random bytes from a fixed seed, a directory, a 1 GiB sparse file (which
 * must be refused by its size before a byte is read), 200,000 lines of
 * tabs, invalid UTF-8, invalid GBK, UTF-16 of odd length, a 1 MiB line,
 * NULs in text, PDFs of 10,000 pages, of an image only, cut off part
 * way, with 120,000 characters on a page and with a 12 MiB content
 * stream, HTML nested 100,000 deep or
 * declaring GBK falsely, a Word document cut in half and two ZIP bombs.  Each
 * must be refused with the right status, fast, with no report left behind; the
 * same bytes through gk_read_buffer() must give the same answer as through
 * gk_read_file().
 *
 *   hostile_lib                  generates into a temporary directory,
 *                                runs the checks, removes the directory
 *   hostile_lib --generate DIR   only writes the inputs into DIR (the CLI
 *                                test, hostile_cli.sh, uses this)
 *   hostile_lib NAME...          runs only the named checks
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gongkai.h"
#include "harness.h"
#include "zipmem.h"

/* Each read must finish within this much CPU time (see now_ms()); real
 * reports take milliseconds, so going over means something scales badly
 * (a quadratic scan, a read of the whole sparse file).  GK_HOSTILE_BUDGET_MS
 * overrides it for a slow machine. */
#define BUDGET_MS 1000
static double budget_ms = BUDGET_MS;

/* Peak resident memory may grow by at most this over the whole run; a
 * 1 GiB file read into memory, or a runaway arena, goes far past it. */
#define MEMORY_BUDGET_KIB (256L << 10)

/* The made-up report the mixed checks need as the one good input. */
static const char valid_report[] =
    "某某镇2024年政府信息公开工作年度报告\n"
    "\n"
    "一、总体情况\n"
    "2024年，某某镇认真贯彻落实《中华人民共和国政府信息公开条例》。\n"
    "二、主动公开政府信息情况\n"
    "三、收到和处理政府信息公开申请情况\n"
    "四、政府信息公开行政复议、行政诉讼情况\n"
    "五、存在的主要问题及改进情况\n"
    "六、其他需要报告的事项\n";

/* A small fixed-seed generator (xorshift64), so that "random" inputs are
 * the same on every machine and every run. */
static uint64_t rng_state;
static uint8_t rng_byte(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint8_t)(rng_state >> 32);
}

/* ------------------------------------------------------------ generation */

static char gen_dir[4096];

static int write_file(const char *name, const void *data, size_t len) {
  char path[4200];
  snprintf(path, sizeof path, "%s/%s", gen_dir, name);
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  size_t put = len ? fwrite(data, 1, len, f) : 0;
  return (fclose(f) == 0 && put == len) ? 0 : -1;
}

/* Writes `len` bytes made by repeating `unit`. */
static int write_repeated(const char *name, const char *unit, size_t len) {
  size_t u = strlen(unit);
  char *buf = malloc(len);
  if (!buf)
    return -1;
  for (size_t i = 0; i < len; i++)
    buf[i] = unit[i % u];
  int rc = write_file(name, buf, len);
  free(buf);
  return rc;
}

/* A Markdown file: a small pipe table (so that it is recognised as
 * Markdown), then `unit` repeated to `len` bytes and a line end. */
static int write_md(const char *name, const char *unit, size_t len) {
  static const char head[] = "| a | b |\n|---|---|\n| 1 | 2 |\n";
  size_t h = sizeof head - 1, u = strlen(unit);
  char *buf = malloc(h + len + 1);
  if (!buf)
    return -1;
  memcpy(buf, head, h);
  for (size_t i = 0; i < len; i++)
    buf[h + i] = unit[i % u];
  buf[h + len] = '\n';
  int rc = write_file(name, buf, h + len + 1);
  free(buf);
  return rc;
}

/* PDFs (read_pdf.c), written object by object with their cross-reference
 * table.  Object 1 is the catalog and 2 the page tree; `body` writes the
 * rest, from object 3 on, recording where each starts in off[]. */
typedef void (*pdf_body)(FILE *f, long *off, int n);

static int write_pdf(const char *name, int n_objs, pdf_body body, int n,
                     long cut_percent) {
  char path[4200];
  snprintf(path, sizeof path, "%s/%s", gen_dir, name);
  FILE *f = fopen(path, "wb");
  long *off = calloc((size_t)n_objs + 1, sizeof *off);
  if (!f || !off) {
    if (f)
      fclose(f);
    free(off);
    return -1;
  }
  fprintf(f, "%%PDF-1.4\n");
  off[1] = ftell(f);
  fprintf(f, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
  body(f, off, n);
  long xref = ftell(f);
  fprintf(f, "xref\n0 %d\n0000000000 65535 f \n", n_objs + 1);
  for (int i = 1; i <= n_objs; i++)
    fprintf(f, "%010ld 00000 n \n", off[i]);
  fprintf(f, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n",
          n_objs + 1, xref);
  long size = ftell(f);
  free(off);
  int rc = fclose(f) == 0 ? 0 : -1;
  /* A file cut off part way, as by an interrupted download. */
  if (rc == 0 && cut_percent > 0 && truncate(path, size * cut_percent / 100))
    rc = -1;
  return rc;
}

/* n pages with nothing on them, all children of the root page tree. */
static void pdf_empty_pages(FILE *f, long *off, int n) {
  off[2] = ftell(f);
  fprintf(f, "2 0 obj\n<< /Type /Pages /Count %d /Kids [", n);
  for (int i = 0; i < n; i++)
    fprintf(f, "%d 0 R%s", i + 3, i % 16 == 15 ? "\n" : " ");
  fprintf(f, "] >>\nendobj\n");
  for (int i = 0; i < n; i++) {
    off[i + 3] = ftell(f);
    fprintf(f,
            "%d 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            ">>\nendobj\n",
            i + 3);
  }
}

/* One page holding a grey image and no text: a scan without OCR. */
static void pdf_image_page(FILE *f, long *off, int n) {
  (void)n;
  static const char content[] = "q 500 0 0 700 40 60 cm /Im1 Do Q";
  off[2] = ftell(f);
  fprintf(f, "2 0 obj\n<< /Type /Pages /Count 1 /Kids [3 0 R] >>\nendobj\n");
  off[3] = ftell(f);
  fprintf(f, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
             "/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>\n"
             "endobj\n");
  off[4] = ftell(f);
  fprintf(f, "4 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n",
          sizeof content - 1, content);
  off[5] = ftell(f);
  fprintf(f, "5 0 obj\n<< /Type /XObject /Subtype /Image /Width 8 /Height 8 "
             "/ColorSpace /DeviceGray /BitsPerComponent 8 /Length 64 >>\n"
             "stream\n");
  for (int i = 0; i < 64; i++)
    fputc((i * 37) & 0xFF, f);
  fprintf(f, "\nendstream\nendobj\n");
}

/* One page of text whose long content stream comes last, so that cutting
 * the file loses the stream's end, the cross-reference table and the
 * trailer. */
static void pdf_text_page(FILE *f, long *off, int n) {
  (void)n;
  off[2] = ftell(f);
  fprintf(f, "2 0 obj\n<< /Type /Pages /Count 1 /Kids [3 0 R] >>\nendobj\n");
  off[3] = ftell(f);
  fprintf(f, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
             "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>\n"
             "endobj\n");
  off[4] = ftell(f);
  fprintf(f, "4 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
             ">>\nendobj\n");
  off[5] = ftell(f);
  fprintf(f, "5 0 obj\n<< /Length %d >>\nstream\n", 40 * 60);
  for (int i = 0; i < 60; i++)
    fprintf(f, "BT /F1 9 Tf 72 %3d Td (row %2d: 1 0 0) Tj ET\n", 780 - 12 * i,
            i);
  fprintf(f, "endstream\nendobj\n");
}

/* ------------------------------------------------------------ HTML, DOCX */

static const char W_DOC[] =
    "<w:document xmlns:w="
    "\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:body>";

/* Puts a little-endian 32-bit value at p. */
static void put_le32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}

/* Makes the archive claim that word/document.xml inflates to `size` bytes,
 * in its central directory and in its local header. */
static void lie_about_size(unsigned char *z, size_t len, uint32_t size) {
  static const char name[] = "word/document.xml";
  size_t nl = sizeof name - 1;
  for (size_t i = 0; i + 46 + nl <= len; i++) {
    if (memcmp(z + i, "PK\1\2", 4) != 0 ||
        (size_t)(z[i + 28] | z[i + 29] << 8) != nl ||
        memcmp(z + i + 46, name, nl) != 0)
      continue;
    put_le32(z + i + 24, size);
    size_t local = (size_t)z[i + 42] | (size_t)z[i + 43] << 8 |
                   (size_t)z[i + 44] << 16 | (size_t)z[i + 45] << 24;
    if (local + 30 <= len && memcmp(z + local, "PK\3\4", 4) == 0)
      put_le32(z + local + 22, size);
  }
}

/* Writes a .docx whose body is W_DOC and then `unit` repeated up to
 * `total` bytes, cut in half when `half`, and lying about the body's size
 * when `lie` is not 0. */
static int write_docx(const char *name, const char *unit, size_t total,
                      bool half, uint32_t lie) {
  static const char types[] =
      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
      "content-types\"/>";
  gk_zip_entry e[2] = {
      {"[Content_Types].xml", types, sizeof types - 1, 0, false, NULL, 0},
      {"word/document.xml", unit, strlen(unit), total, false, W_DOC,
       sizeof W_DOC - 1}};
  size_t len = 0;
  unsigned char *z = gk_zip_build(e, 2, &len);
  if (!z)
    return -1;
  if (lie)
    lie_about_size(z, len, lie);
  int rc = write_file(name, z, half ? len / 2 : len);
  free(z);
  return rc;
}

/* HTML (read_html.c) and DOCX (read_docx.c): a page nested 100,000
 * elements deep, a page that declares GBK and is not, a Word document cut
 * in half, and two ZIP bombs whose body inflates to 80 MiB (over the
 * 64 MiB cap): one that says so in its headers, one that claims 1 KB. */
static int generate_markup(void) {
  size_t depth = 100000, n = 0;
  char *deep = malloc(32 + depth * 5);
  if (!deep)
    return -1;
  memcpy(deep, "<html><body>", 12);
  n = 12;
  for (size_t i = 0; i < depth; i++, n += 5)
    memcpy(deep + n, "<div>", 5);
  memcpy(deep + n, "一、总体情况", 18);
  int rc = write_file("html_deep.html", deep, n + 18);
  free(deep);

  static const char bad_gbk_html[] =
      "<html><head><meta charset=\"gbk\"></head><body><p>"
      "\xD2\xBB\xA1\xA2\xD7\xDC\xCC\xE5\xC7\xE9\xBF\xF6</p><p>\x81\x7F\xFF"
      "</p></body></html>";
  rc |= write_file("html_invalid_gbk.html", bad_gbk_html,
                   sizeof bad_gbk_html - 1);

  /* 2,000 paragraphs, cut in half: the central directory is lost. */
  rc |= write_docx("docx_truncated.docx",
                   "<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>",
                   (size_t)2000 * 50, true, 0);
  rc |= write_docx("docx_bomb.docx", "                ", (size_t)80 << 20,
                   false, 0);
  rc |= write_docx("docx_bomb_lying.docx", "                ", (size_t)80 << 20,
                   false, 1024);
  return rc;
}

/* One page of n characters (over the per-page cap), in lines of 100 as a
 * page of tiny print would set them.  (Not in one string: MuPDF grows a
 * string's glyph array 36 at a time, which is quadratic under ASan.) */
static void pdf_dense_page(FILE *f, long *off, int n) {
  off[2] = ftell(f);
  fprintf(f, "2 0 obj\n<< /Type /Pages /Count 1 /Kids [3 0 R] >>\nendobj\n");
  off[3] = ftell(f);
  fprintf(f, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
             "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>\n"
             "endobj\n");
  off[4] = ftell(f);
  fprintf(f, "4 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
             ">>\nendobj\n");
  off[5] = ftell(f);
  /* Each line: "BT /F1 1 Tf 10 NNN Td (" 100 digits ") Tj ET\n". */
  int lines = n / 100;
  fprintf(f, "5 0 obj\n<< /Length %d >>\nstream\n", lines * 131);
  for (int i = 0; i < lines; i++) {
    fprintf(f, "BT /F1 1 Tf 10 %3d Td (", 10 + (i % 800));
    for (int k = 0; k < 100; k++)
      fputc('0' + k % 10, f);
    fprintf(f, ") Tj ET\n");
  }
  fprintf(f, "endstream\nendobj\n");
}

/* One page whose content stream is n bytes of "q Q\n" (save and restore
 * the graphics state: work for the interpreter, nothing drawn): issue 15,
 * a page of tens of MB took seconds of CPU before it was refused. */
static void pdf_big_content(FILE *f, long *off, int n) {
  off[2] = ftell(f);
  fprintf(f, "2 0 obj\n<< /Type /Pages /Count 1 /Kids [3 0 R] >>\nendobj\n");
  off[3] = ftell(f);
  fprintf(f, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
             "/Contents 4 0 R >>\nendobj\n");
  off[4] = ftell(f);
  int reps = n / 4;
  fprintf(f, "4 0 obj\n<< /Length %d >>\nstream\n", reps * 4);
  for (int i = 0; i < reps; i++)
    fputs("q Q\n", f);
  fprintf(f, "endstream\nendobj\n");
}

static int generate(void) {
  int rc = 0;
  uint8_t junk[64 << 10];

  /* The PNG signature and junk after it. */
  rng_state = 0x9E3779B97F4A7C15u;
  memcpy(junk, "\x89PNG\r\n\x1A\n", 8);
  for (size_t i = 8; i < 4096; i++)
    junk[i] = rng_byte();
  rc |= write_file("image.png", junk, 4096);

  rc |= write_file("empty.txt", "", 0);

  /* Issue 15: Markdown of separator rows only (the reader returned
   * success with no lines), and a report whose last character is cut off
   * (two of the three bytes of 字: it rejected the whole file). */
  static const char separators[] = "|---|---|\n|---|---|\n|---|---|\n";
  rc |= write_file("md_separators.md", separators, sizeof separators - 1);
  {
    char cut[sizeof valid_report + 2];
    memcpy(cut, valid_report, sizeof valid_report - 1);
    memcpy(cut + sizeof valid_report - 1, "\xE5\xAD", 2);
    rc |= write_file("cut_utf8.txt", cut, sizeof valid_report + 1);
  }

  rng_state = 42;
  for (size_t i = 0; i < sizeof junk; i++)
    junk[i] = rng_byte();
  rc |= write_file("random.bin", junk, sizeof junk);

  char path[4200];
  snprintf(path, sizeof path, "%s/folder.txt", gen_dir);
  if (mkdir(path, 0755) != 0 && errno != EEXIST)
    rc = -1;

  /* 1 GiB, all hole but a report title at the start: only its size is
   * wrong with it. */
  snprintf(path, sizeof path, "%s/sparse_1g.txt", gen_dir);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || write(fd, valid_report, 64) != 64 ||
      ftruncate(fd, (off_t)1 << 30) != 0)
    rc = -1;
  if (fd >= 0)
    close(fd);

  rc |= write_repeated("tabs_200k.txt", "\t\t\t\t\t\t\t\t\n", 200000 * 9);

  /* UTF-8 text spoilt by a surrogate and a byte that is in neither UTF-8
   * nor GB18030. */
  static const char bad_utf8[] = "一、总体情况\n\xED\xA0\x80 本年度\xFF\xFE\n";
  rc |= write_file("invalid_utf8.txt", bad_utf8, sizeof bad_utf8 - 1);

  /* GBK text (一、总体情况) with a bad trail byte and a lead byte cut off at
   * the end. */
  static const char bad_gbk[] = "\xD2\xBB\xA1\xA2\xD7\xDC\xCC\xE5\xC7\xE9\xBF"
                                "\xF6\r\n\x81\x7F\r\n\xD5";
  rc |= write_file("invalid_gbk.txt", bad_gbk, sizeof bad_gbk - 1);

  /* A UTF-16LE BOM, 一、 and one byte too many. */
  static const char odd16[] = "\xFF\xFE\x00\x4E\x01\x30\x0A";
  rc |= write_file("utf16_odd.txt", odd16, sizeof odd16 - 1);

  /* 1 MiB without a line end: enough for anything quadratic in the line
   * length to blow the budget many times over. */
  rc |= write_repeated("long_line.txt", "0123456789\t", (size_t)1 << 20);

  /* A text report with NULs inside. */
  static const char nul_text[] =
      "一、总体情况\n\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
      "二、主动公开政府信息情况\n";
  rc |= write_file("nul_text.txt", nul_text, sizeof nul_text - 1);

  rc |= write_file("valid.txt", valid_report, sizeof valid_report - 1);

  /* Markdown (read_markdown.c): a pipe table of 70,000 rows (over the
   * rows-per-table limit), a row of 2^20 pipes (over the cells-per-row
   * limit), and a line of unclosed links, emphasis, <br> and escapes
   * (anything quadratic in the line length would show). */
  rc |= write_md("md_rows_70k.md", "| 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n",
                 (size_t)70000 * 30);
  rc |= write_md("md_wide_row.md", "|", (size_t)1 << 20);
  rc |= write_md("md_brackets.md", "[[[[](](](**<br>\\|![](", (size_t)1 << 19);

  /* PDF (read_pdf.c): 10,000 empty pages (over the page limit, which must
   * be found from the page count before any page is read), a scan with no
   * text layer, and a text PDF cut off part way through. */
  rc |= write_pdf("pdf_10k_pages.pdf", 10002, pdf_empty_pages, 10000, 0);
  rc |= write_pdf("pdf_image_only.pdf", 5, pdf_image_page, 1, 0);
  rc |= write_pdf("pdf_truncated.pdf", 5, pdf_text_page, 1, 40);
  rc |= write_pdf("pdf_dense_page.pdf", 5, pdf_dense_page, 120000, 0);
  rc |= write_pdf("pdf_big_content.pdf", 4, pdf_big_content, 12 << 20, 0);

  rc |= generate_markup();
  return rc;
}

static int remove_generated(void) {
  static const char *const names[] = {"image.png",
                                      "empty.txt",
                                      "random.bin",
                                      "sparse_1g.txt",
                                      "tabs_200k.txt",
                                      "invalid_utf8.txt",
                                      "invalid_gbk.txt",
                                      "utf16_odd.txt",
                                      "long_line.txt",
                                      "nul_text.txt",
                                      "valid.txt",
                                      "md_rows_70k.md",
                                      "md_wide_row.md",
                                      "md_brackets.md",
                                      "pdf_10k_pages.pdf",
                                      "pdf_image_only.pdf",
                                      "pdf_truncated.pdf",
                                      "pdf_dense_page.pdf",
                                      "html_deep.html",
                                      "html_invalid_gbk.html",
                                      "docx_truncated.docx",
                                      "docx_bomb.docx",
                                      "docx_bomb_lying.docx",
                                      "md_separators.md",
                                      "pdf_big_content.pdf",
                                      "cut_utf8.txt"};
  char path[4200];
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    snprintf(path, sizeof path, "%s/%s", gen_dir, names[i]);
    unlink(path);
  }
  snprintf(path, sizeof path, "%s/folder.txt", gen_dir);
  rmdir(path);
  return rmdir(gen_dir);
}

/* ---------------------------------------------------------------- checks */

/* CPU time of the process, not the wall clock: on a loaded machine (two
 * cores shared by several builds) a read can wait seconds for a core
 * without doing more work, and the budget is there to catch work that
 * scales badly.  A read that hangs without using CPU is caught by ctest's
 * timeout. */
static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static bool allowed(gk_status st, const gk_status *ok, size_t n_ok) {
  for (size_t i = 0; i < n_ok; i++)
    if (st == ok[i])
      return true;
  return false;
}

/* Reads the whole file at path into malloc'd memory; NULL if it cannot or
 * it is over 16 MiB (the sparse file is not read this way). */
static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = (size_t)16 << 20;
  char *buf = malloc(cap);
  size_t n = buf ? fread(buf, 1, cap, f) : 0;
  bool eof = buf && feof(f);
  fclose(f);
  if (!eof) {
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

/* Reads `name` from the generated directory and checks that the status is
 * one of ok[], that no report is left on failure, and the time; then the
 * same bytes through gk_read_buffer() when the file is an ordinary one. */
static void check_input(const char *name, bool by_buffer, const gk_status *ok,
                        size_t n_ok) {
  char path[4200];
  snprintf(path, sizeof path, "%s/%s", gen_dir, name);
  gk_report *r = (gk_report *)&rng_state; /* not NULL, not a report */
  const char *detail = NULL;
  double t0 = now_ms();
  gk_status st = gk_read_file(path, NULL, &r, &detail);
  double ms = now_ms() - t0;
  if (!CHECK_TRUE(allowed(st, ok, n_ok)))
    printf("  %s: gk_read_file gave %s, expected %s%s\n", name,
           gk_status_name(st), gk_status_name(ok[0]),
           n_ok > 1 ? " or another listed" : "");
  if (st != GK_OK)
    CHECK_NULL(r);
  else
    gk_report_free(r);
  if (!CHECK_TRUE(ms < budget_ms))
    printf("  %s: gk_read_file took %.0f ms (budget %.0f)\n", name, ms,
           budget_ms);
  if (!by_buffer)
    return;

  size_t len = 0;
  char *data = slurp(path, &len);
  if (!CHECK_NOT_NULL(data))
    return;
  r = NULL;
  t0 = now_ms();
  gk_status st2 = gk_read_buffer(data, len, name, NULL, &r, &detail);
  ms = now_ms() - t0;
  free(data);
  CHECK_STATUS(st, st2);
  if (st2 == GK_OK)
    gk_report_free(r);
  if (!CHECK_TRUE(ms < budget_ms))
    printf("  %s: gk_read_buffer took %.0f ms (budget %.0f)\n", name, ms,
           budget_ms);
}

#define EXPECT(name, by_buffer, ...)                                           \
  check_input(name, by_buffer, (const gk_status[]){__VA_ARGS__},               \
              sizeof((const gk_status[]){__VA_ARGS__}) / sizeof(gk_status))

TEST(png) { EXPECT("image.png", true, GK_EUNSUPPORTED, GK_EBINARY); }
TEST(empty) { EXPECT("empty.txt", true, GK_EEMPTY); }
TEST(random_bytes) {
  EXPECT("random.bin", true, GK_EBINARY, GK_EUNSUPPORTED, GK_EENCODING);
}
TEST(directory) { EXPECT("folder.txt", false, GK_EISDIR); }
TEST(missing) { EXPECT("no-such-file.txt", false, GK_ENOENT); }
TEST(sparse_1g) { EXPECT("sparse_1g.txt", false, GK_ETOOBIG); }
TEST(tabs_200k) { EXPECT("tabs_200k.txt", true, GK_ENOTREPORT, GK_EEMPTY); }
TEST(invalid_utf8) { EXPECT("invalid_utf8.txt", true, GK_EENCODING); }
TEST(invalid_gbk) { EXPECT("invalid_gbk.txt", true, GK_EENCODING); }
TEST(utf16_odd) { EXPECT("utf16_odd.txt", true, GK_EENCODING); }
TEST(long_line) { EXPECT("long_line.txt", true, GK_ENOTREPORT, GK_ELIMIT); }
TEST(nul_text) { EXPECT("nul_text.txt", true, GK_EBINARY, GK_EUNSUPPORTED); }
TEST(valid) { EXPECT("valid.txt", true, GK_OK); }
TEST(md_rows_70k) { EXPECT("md_rows_70k.md", true, GK_ELIMIT); }
TEST(md_wide_row) { EXPECT("md_wide_row.md", true, GK_ELIMIT); }
TEST(md_brackets) { EXPECT("md_brackets.md", true, GK_ENOTREPORT, GK_OK); }
TEST(pdf_10k_pages) { EXPECT("pdf_10k_pages.pdf", true, GK_ELIMIT); }
TEST(pdf_truncated) {
  EXPECT("pdf_truncated.pdf", true, GK_EUNSUPPORTED, GK_ENOTREPORT);
  /* A broken file is not a scan: the reason must not be "needs OCR"
   * (issue 15). */
  char path[4200];
  snprintf(path, sizeof path, "%s/pdf_truncated.pdf", gen_dir);
  gk_report *r = NULL;
  const char *detail = NULL;
  (void)gk_read_file(path, NULL, &r, &detail);
  if (detail)
    CHECK_TRUE(strstr(detail, "OCR") == NULL);
  gk_report_free(r);
}

TEST(md_separators_only) { EXPECT("md_separators.md", true, GK_EEMPTY); }

/* Issue 15: a cut-off last character costs its bytes and a diagnostic,
 * not the whole file. */
TEST(cut_utf8_tail) {
  EXPECT("cut_utf8.txt", true, GK_OK);
  char path[4200];
  snprintf(path, sizeof path, "%s/cut_utf8.txt", gen_dir);
  gk_report *r = NULL;
  if (!CHECK_STATUS(GK_OK, gk_read_file(path, NULL, &r, NULL)))
    return;
  bool said = false;
  for (size_t i = 0; i < gk_report_diag_count(r); i++)
    said |= strcmp(gk_report_diag(r, i)->rule, "source.truncated") == 0;
  CHECK_TRUE(said);
  gk_report_free(r);
}
TEST(pdf_dense_page) { EXPECT("pdf_dense_page.pdf", true, GK_ELIMIT); }
TEST(pdf_big_content) { EXPECT("pdf_big_content.pdf", true, GK_ELIMIT); }
TEST(pdf_image_only) {
  EXPECT("pdf_image_only.pdf", true, GK_EUNSUPPORTED);
  /* The reason names what is missing, for the CLI's message. */
  char path[4200];
  snprintf(path, sizeof path, "%s/pdf_image_only.pdf", gen_dir);
  gk_report *r = NULL;
  const char *detail = NULL;
  (void)gk_read_file(path, NULL, &r, &detail);
  if (CHECK_NOT_NULL(detail))
    CHECK_TRUE(strcmp(detail, "无文字层，需要 OCR") == 0);
  gk_report_free(r);
}

TEST(html_deep) { EXPECT("html_deep.html", true, GK_ELIMIT); }
TEST(html_invalid_gbk) { EXPECT("html_invalid_gbk.html", true, GK_EENCODING); }
TEST(docx_truncated) { EXPECT("docx_truncated.docx", true, GK_EUNSUPPORTED); }
TEST(docx_bomb) { EXPECT("docx_bomb.docx", true, GK_ELIMIT); }
TEST(docx_bomb_lying) {
  /* Refused either when the inflated bytes pass the cap or when libzip
   * finds more data than the header declared. */
  EXPECT("docx_bomb_lying.docx", true, GK_ELIMIT, GK_EUNSUPPORTED);
}

TEST(size_option) {
  /* The cap in the options holds for buffers too. */
  gk_read_options opts = {.max_bytes = 100};
  gk_report *r = NULL;
  CHECK_STATUS(GK_ETOOBIG, gk_read_buffer(valid_report, sizeof valid_report - 1,
                                          "v", &opts, &r, NULL));
  CHECK_NULL(r);
}

/* Issue 15: a report over its memory budget is a limit of the input
 * (GK_ELIMIT, exit 3, with a reason), not the machine out of memory
 * (GK_ENOMEM, exit 4).  A 4 MB text report (part 一 repeated: under
 * GK_MAX_TEXT_BYTES) needs about ten times its size; with a budget of
 * 32 MiB it must be refused so, at once, saying it is the memory. */
TEST(large_input_budget) {
  const char *para =
      "本年度，某某镇认真贯彻落实《中华人民共和国政府信息公开条例》。\n";
  size_t plen = strlen(para), head = sizeof valid_report - 1;
  size_t reps = ((size_t)4 << 20) / plen, len = head + reps * plen;
  char *big = malloc(len);
  if (!CHECK_NOT_NULL(big))
    return;
  /* The valid report's title and part 一 heading, then the paragraphs,
   * then its other parts. */
  const char *two = strstr(valid_report, "二、");
  size_t first = (size_t)(two - valid_report);
  memcpy(big, valid_report, first);
  for (size_t i = 0; i < reps; i++)
    memcpy(big + first + i * plen, para, plen);
  memcpy(big + first + reps * plen, two, head - first);
  gk_read_options opts = {.max_memory = (size_t)32 << 20};
  gk_report *r = NULL;
  const char *detail = NULL;
  double t0 = now_ms();
  CHECK_STATUS(GK_ELIMIT,
               gk_read_buffer(big, len, "big.txt", &opts, &r, &detail));
  CHECK_NULL(r);
  CHECK_NOT_NULL(detail);
  CHECK_TRUE(detail && strstr(detail, "内存") != NULL);
  CHECK_TRUE(now_ms() - t0 < budget_ms);
  /* (The default budget holds the largest accepted text: hostile_faults
   * reads it; reading it here would take the memory budget of this
   * program.) */
  free(big);
}

static long max_rss_kib(void) {
  struct rusage ru;
  return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
}

/* Peak resident memory before the first check. */
static long rss_before;

/* Last: the whole run's memory. */
TEST(memory_budget) {
  long grown = max_rss_kib() - rss_before;
  if (!CHECK_TRUE(grown <= MEMORY_BUDGET_KIB))
    printf("  peak resident memory grew by %ld KiB (budget %ld KiB)\n", grown,
           MEMORY_BUDGET_KIB);
}

static const gk_test gk_tests[] = {
    TEST_ENTRY(png),
    TEST_ENTRY(empty),
    TEST_ENTRY(random_bytes),
    TEST_ENTRY(directory),
    TEST_ENTRY(missing),
    TEST_ENTRY(sparse_1g),
    TEST_ENTRY(tabs_200k),
    TEST_ENTRY(invalid_utf8),
    TEST_ENTRY(invalid_gbk),
    TEST_ENTRY(utf16_odd),
    TEST_ENTRY(long_line),
    TEST_ENTRY(nul_text),
    TEST_ENTRY(valid),
    TEST_ENTRY(md_rows_70k),
    TEST_ENTRY(md_wide_row),
    TEST_ENTRY(md_brackets),
    TEST_ENTRY(pdf_10k_pages),
    TEST_ENTRY(pdf_truncated),
    TEST_ENTRY(md_separators_only),
    TEST_ENTRY(cut_utf8_tail),
    TEST_ENTRY(pdf_image_only),
    TEST_ENTRY(pdf_dense_page),
    TEST_ENTRY(pdf_big_content),
    TEST_ENTRY(html_deep),
    TEST_ENTRY(html_invalid_gbk),
    TEST_ENTRY(docx_truncated),
    TEST_ENTRY(docx_bomb),
    TEST_ENTRY(docx_bomb_lying),
    TEST_ENTRY(size_option),
    TEST_ENTRY(large_input_budget),
    TEST_ENTRY(memory_budget),
};

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--generate") == 0) {
    snprintf(gen_dir, sizeof gen_dir, "%s", argv[2]);
    if (generate() != 0) {
      fprintf(stderr, "%s: cannot write the inputs into %s\n", argv[0],
              argv[2]);
      return 1;
    }
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "--list") == 0)
    return gk_test_run(gk_tests, sizeof gk_tests / sizeof *gk_tests, argc,
                       argv);

  const char *budget = getenv("GK_HOSTILE_BUDGET_MS");
  if (budget && atof(budget) > 0)
    budget_ms = atof(budget);
  const char *tmp = getenv("TMPDIR");
  snprintf(gen_dir, sizeof gen_dir, "%s/gk-hostile-XXXXXX",
           tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(gen_dir) || generate() != 0) {
    fprintf(stderr, "%s: cannot generate the inputs in %s\n", argv[0], gen_dir);
    return 1;
  }
  rss_before = max_rss_kib();
  int rc =
      gk_test_run(gk_tests, sizeof gk_tests / sizeof *gk_tests, argc, argv);
  if (remove_generated() != 0)
    fprintf(stderr, "%s: could not remove %s\n", argv[0], gen_dir);
  return rc;
}
