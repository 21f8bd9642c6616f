/*
 * test_api.c - unit tests of the public interface, gongkai.h, used only as
 * a program outside the library would use it.
 *
 * The contract tested here is the header's: status codes and their names,
 * what gk_read_buffer() and gk_read_file() return for good input, for
 * refused input and for bad arguments, that the bytes are copied, that
 * gk_report_free(NULL) is harmless, and the first bytes of the JSON.
 * What the parser makes of real reports is the golden and seeds suites'
 * business.
 */
#include <iconv.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "gongkai.h"
#include "harness.h"

/* A made-up report: a title and the six statutory part headings of the
 * 2021 format, with a line of prose under the first. */
static const char mini_report[] =
    "某某镇2024年政府信息公开工作年度报告\n"
    "\n"
    "一、总体情况\n"
    "2024年，某某镇认真贯彻落实《中华人民共和国政府信息公开条例》。\n"
    "二、主动公开政府信息情况\n"
    "三、收到和处理政府信息公开申请情况\n"
    "四、政府信息公开行政复议、行政诉讼情况\n"
    "五、存在的主要问题及改进情况\n"
    "六、其他需要报告的事项\n";

static const char *const mini_headings[6] = {
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
};

/* A pointer that is not NULL and not a report, to see that failures set
 * *out to NULL. */
static gk_report *const not_a_report = (gk_report *)&mini_report;

/* ---------------------------------------------------------------- status */

TEST(status_names_and_messages) {
  /* The numbers are part of the ABI: the list is append-only. */
  CHECK_INT_EQ(GK_OK, 0);
  CHECK_INT_EQ(GK_ENOMEM, 1);
  CHECK_INT_EQ(GK_ETOOBIG, 6);
  CHECK_INT_EQ(GK_EINTERNAL, 13);
  const char *msgs[GK_STATUS_COUNT] = {0};
#define CHECK_ONE(name, msg)                                                   \
  CHECK_STR_EQ(gk_status_name(GK_##name), "GK_" #name);                        \
  CHECK_STR_EQ(gk_strerror(GK_##name), msg);                                   \
  msgs[GK_##name] = gk_strerror(GK_##name);
  GK_STATUS_MAP(CHECK_ONE)
#undef CHECK_ONE
  /* Every message is non-empty and says something of its own. */
  for (int i = 0; i < GK_STATUS_COUNT; i++) {
    if (!CHECK_NOT_NULL(msgs[i]))
      continue;
    CHECK_TRUE(msgs[i][0] != '\0');
    for (int k = 0; k < i; k++)
      if (msgs[k] && strcmp(msgs[i], msgs[k]) == 0)
        CHECK_INT_EQ(i, k);
  }
  /* Unknown codes: a generic answer, never NULL, never a real name. */
  const gk_status unknown[] = {GK_STATUS_COUNT, (gk_status)-1, (gk_status)1000};
  for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++) {
    const char *name = gk_status_name(unknown[i]);
    const char *msg = gk_strerror(unknown[i]);
    if (CHECK_NOT_NULL(name) && CHECK_NOT_NULL(msg)) {
      CHECK_TRUE(msg[0] != '\0');
#define CHECK_NOT_NAME(name_, msg_) CHECK_TRUE(strcmp(name, "GK_" #name_) != 0);
      GK_STATUS_MAP(CHECK_NOT_NAME)
#undef CHECK_NOT_NAME
    }
  }
}

TEST(severity_names) {
  CHECK_STR_EQ(gk_severity_name(GK_SEV_ERROR), "error");
  CHECK_STR_EQ(gk_severity_name(GK_SEV_WARNING), "warning");
  CHECK_STR_EQ(gk_severity_name(GK_SEV_NOTE), "note");
}

/* ------------------------------------------------------------ reading */

/* Checks what every reading of mini_report must give, whatever encoding
 * it came in. */
static void check_mini(const gk_report *r, const char *name, size_t bytes) {
  gk_meta m;
  memset(&m, 0xA5, sizeof m);
  gk_report_meta(r, &m);
  CHECK_INT_EQ(m.year, 2024);
  CHECK_STR_EQ(m.title, "某某镇2024年政府信息公开工作年度报告");
  CHECK_STR_EQ(m.source_name, name);
  CHECK_STR_EQ(m.source_format, "text");
  CHECK_UINT_EQ(m.source_bytes, bytes);
  if (CHECK_NOT_NULL(m.sha256)) {
    CHECK_UINT_EQ(strlen(m.sha256), 64);
    CHECK_UINT_EQ(strspn(m.sha256, "0123456789abcdef"), 64);
  }
  if (CHECK_UINT_EQ(gk_report_section_count(r), 6)) {
    for (size_t i = 0; i < 6; i++) {
      const gk_section *s = gk_report_section(r, i);
      if (!CHECK_NOT_NULL(s))
        continue;
      CHECK_INT_EQ(s->number, (int)i + 1);
      CHECK_STR_EQ(s->heading, mini_headings[i]);
      /* Headings are on lines 3, 5, 6, 7, 8, 9. */
      CHECK_UINT_EQ(s->line, i == 0 ? 3 : i + 4);
    }
  }
  CHECK_NULL(gk_report_section(r, 6));
  CHECK_NULL(gk_report_section(r, (size_t)-1));
  /* Diagnostics (the tables are missing) are data; the list is well
   * formed and ends where it says. */
  size_t n = gk_report_diag_count(r);
  for (size_t i = 0; i < n; i++) {
    const gk_diag *d = gk_report_diag(r, i);
    if (!CHECK_NOT_NULL(d))
      break;
    CHECK_NOT_NULL(d->rule);
    CHECK_NOT_NULL(d->message);
    CHECK_TRUE(d->severity >= GK_SEV_NOTE && d->severity <= GK_SEV_ERROR);
  }
  CHECK_NULL(gk_report_diag(r, n));
}

TEST(read_buffer_minimal_report) {
  /* The bytes are copied: the caller's copy is gone before the report is
   * looked at (AddressSanitizer would catch a use after free). */
  size_t len = sizeof mini_report - 1;
  char *copy = malloc(len);
  if (!CHECK_NOT_NULL(copy))
    return;
  memcpy(copy, mini_report, len);
  gk_report *r = not_a_report;
  const char *detail = "unset";
  gk_status st = gk_read_buffer(copy, len, "mini.txt", NULL, &r, &detail);
  memset(copy, 0, len);
  free(copy);
  if (!CHECK_STATUS(GK_OK, st) || !CHECK_NOT_NULL(r))
    return;
  CHECK_TRUE(r != not_a_report);
  check_mini(r, "mini.txt", len);

  /* A cell whose table is absent is null; a path that names no cell is
   * invalid.  Neither touches the out-parameters' meaning. */
  int64_t v = 0;
  int scale = 0;
  CHECK_STATUS(
      GK_ENOENT,
      gk_report_cell(r, "applications.received.natural_person", &v, &scale));
  CHECK_STATUS(GK_EINVAL, gk_report_cell(r, "no.such.cell", &v, &scale));
  CHECK_STATUS(GK_EINVAL, gk_report_cell(r, "", &v, &scale));
  gk_report_free(r);
}

/* The source text numbers its lines as the diagnostics do: the section
 * headings of the mini report are on lines 3, 5, 6, ... of it, in GBK as
 * in UTF-8; a report made from its model has no source text. */
TEST(source_text_lines) {
  gk_report *r = NULL;
  if (!CHECK_STATUS(GK_OK, gk_read_buffer(mini_report, sizeof mini_report - 1,
                                          "mini.txt", NULL, &r, NULL)))
    return;
  char *text = NULL;
  size_t len = 0;
  if (CHECK_STATUS(GK_OK, gk_report_source_text(r, &text, &len))) {
    CHECK_UINT_EQ(strlen(text), len);
    for (size_t i = 0; i < gk_report_section_count(r); i++) {
      const gk_section *sec = gk_report_section(r, i);
      const char *at = text;
      for (uint32_t k = 1; k < sec->line && at; k++) {
        at = strchr(at, '\n');
        at = at ? at + 1 : NULL;
      }
      if (CHECK_NOT_NULL(at))
        CHECK_STR_PREFIX(at, sec->heading);
    }
    free(text);
  }
  CHECK_STATUS(GK_EINVAL, gk_report_source_text(r, NULL, &len));
  gk_report_free(r);
  gk_report *t = NULL;
  if (CHECK_STATUS(GK_OK, gk_report_template(2024, NULL, &t))) {
    if (CHECK_STATUS(GK_OK, gk_report_source_text(t, &text, &len))) {
      CHECK_UINT_EQ(len, 0);
      CHECK_STR_EQ(text, "");
      free(text);
    }
    gk_report_free(t);
  }
}

TEST(read_buffer_options) {
  size_t len = sizeof mini_report - 1;
  gk_read_options opts = {0};
  gk_report *r = NULL;
  /* Defaults spelled out: the same as NULL options. */
  CHECK_STATUS(GK_OK, gk_read_buffer(mini_report, len, "-", &opts, &r, NULL));
  if (r)
    check_mini(r, "-", len);
  gk_report_free(r);
  /* One byte under the input: refused by size. */
  opts.max_bytes = len - 1;
  r = not_a_report;
  CHECK_STATUS(GK_ETOOBIG,
               gk_read_buffer(mini_report, len, "big", &opts, &r, NULL));
  CHECK_NULL(r);
  /* Exactly the size of the input: accepted. */
  opts.max_bytes = len;
  r = NULL;
  CHECK_STATUS(GK_OK, gk_read_buffer(mini_report, len, "x", &opts, &r, NULL));
  gk_report_free(r);

  /* A SHA-256 the caller has (a server's storage key) is the model's
   * source.sha256 as given; anything but 64 lowercase hex digits is
   * ignored and the bytes are hashed, as without options. */
  opts.max_bytes = 0;
  char computed[65] = "";
  gk_meta m;
  r = NULL;
  if (CHECK_STATUS(GK_OK,
                   gk_read_buffer(mini_report, len, "x", NULL, &r, NULL))) {
    gk_report_meta(r, &m);
    if (CHECK_NOT_NULL(m.sha256) && CHECK_UINT_EQ(strlen(m.sha256), 64))
      memcpy(computed, m.sha256, 65);
  }
  gk_report_free(r);
  static const char given[] =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  static const char *const ignored[] = {
      "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0", ""};
  opts.sha256 = given;
  r = NULL;
  if (CHECK_STATUS(GK_OK,
                   gk_read_buffer(mini_report, len, "x", &opts, &r, NULL))) {
    gk_report_meta(r, &m);
    CHECK_STR_EQ(m.sha256, given);
  }
  gk_report_free(r);
  for (size_t i = 0; i < sizeof ignored / sizeof *ignored; i++) {
    opts.sha256 = ignored[i];
    r = NULL;
    if (CHECK_STATUS(GK_OK,
                     gk_read_buffer(mini_report, len, "x", &opts, &r, NULL))) {
      gk_report_meta(r, &m);
      CHECK_STR_EQ(m.sha256, computed);
    }
    gk_report_free(r);
  }
}

/* Converts mini_report with iconv to `to`, prefixed by `bom`; returns a
 * malloc'd buffer and its length, or NULL. */
static char *convert_mini(const char *to, const char *bom, size_t bom_len,
                          size_t *out_len) {
  size_t in_len = sizeof mini_report - 1;
  size_t cap = bom_len + in_len * 2 + 16;
  char *buf = malloc(cap);
  if (!buf)
    return NULL;
  memcpy(buf, bom, bom_len);
  iconv_t cd = iconv_open(to, "UTF-8");
  if (cd == (iconv_t)-1) {
    free(buf);
    return NULL;
  }
  char *in = (char *)mini_report;
  char *o = buf + bom_len;
  size_t o_left = cap - bom_len;
  size_t r = iconv(cd, &in, &in_len, &o, &o_left);
  iconv_close(cd);
  if (r == (size_t)-1) {
    free(buf);
    return NULL;
  }
  *out_len = (size_t)(o - buf);
  return buf;
}

TEST(read_buffer_encodings) {
  static const struct {
    const char *to;
    const char *bom;
    size_t bom_len;
  } cases[] = {
      {"UTF-8", "\xEF\xBB\xBF", 3}, /* the BOM Notepad writes */
      {"GB18030", "", 0},           /* what old government sites serve */
      {"GBK", "", 0},               /* its subset, as most files are */
      {"UTF-16LE", "\xFF\xFE", 2},  /* Windows "Unicode" text */
      {"UTF-16BE", "\xFE\xFF", 2},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    size_t len = 0;
    char *data =
        convert_mini(cases[i].to, cases[i].bom, cases[i].bom_len, &len);
    if (!CHECK_NOT_NULL(data))
      continue;
    gk_report *r = NULL;
    gk_status st = gk_read_buffer(data, len, cases[i].to, NULL, &r, NULL);
    free(data);
    if (!CHECK_STATUS(GK_OK, st)) {
      printf("  (encoding %s)\n", cases[i].to);
      continue;
    }
    /* source.bytes counts the input as given, BOM included. */
    check_mini(r, cases[i].to, len);
    gk_report_free(r);
  }
}

TEST(read_buffer_refusals) {
  gk_report *r = not_a_report;
  const char *detail = NULL;
  CHECK_STATUS(GK_EEMPTY, gk_read_buffer("", 0, "empty", NULL, &r, &detail));
  CHECK_NULL(r);

  /* PNG: the 8-byte signature and an IHDR chunk. */
  static const unsigned char png[] = {
      0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0,    0,    0,
      13,   'I', 'H', 'D', 'R',  0,    0,    0,    1,    0,    0,
      0,    1,   8,   6,   0,    0,    0,    0x1F, 0x15, 0xC4, 0x89};
  r = not_a_report;
  gk_status st = gk_read_buffer(png, sizeof png, "x.png", NULL, &r, &detail);
  CHECK_TRUE(st == GK_EUNSUPPORTED || st == GK_EBINARY);
  if (st != GK_EUNSUPPORTED && st != GK_EBINARY)
    CHECK_STATUS(GK_EUNSUPPORTED, st);
  CHECK_NULL(r);

  /* NUL bytes in the middle of otherwise plain text. */
  static const char nul[] = "一、总体情况\0\0\0\0\0\0\0\0二、主动公开";
  r = not_a_report;
  st = gk_read_buffer(nul, sizeof nul - 1, "nul", NULL, &r, &detail);
  CHECK_TRUE(st == GK_EBINARY || st == GK_EUNSUPPORTED);
  if (st != GK_EUNSUPPORTED && st != GK_EBINARY)
    CHECK_STATUS(GK_EBINARY, st);
  CHECK_NULL(r);

  /* Neither UTF-8 nor GB18030. */
  static const char bad[] = "\xFF\xFF\xFF\xFF abc \xFF";
  r = not_a_report;
  CHECK_STATUS(GK_EENCODING,
               gk_read_buffer(bad, sizeof bad - 1, "bad", NULL, &r, &detail));
  CHECK_NULL(r);

  /* UTF-16 with an odd number of bytes after the BOM. */
  static const char odd[] = "\xFF\xFE\x00\x4E\x8C";
  r = not_a_report;
  CHECK_STATUS(GK_EENCODING,
               gk_read_buffer(odd, sizeof odd - 1, "odd", NULL, &r, &detail));
  CHECK_NULL(r);

  /* Text, but not an annual report. */
  static const char prose[] = "今天天气很好。\nThe weather is fine.\n";
  r = not_a_report;
  CHECK_STATUS(GK_ENOTREPORT, gk_read_buffer(prose, sizeof prose - 1, "prose",
                                             NULL, &r, &detail));
  CHECK_NULL(r);
}

TEST(read_file_refusals) {
  gk_report *r = not_a_report;
  CHECK_STATUS(GK_ENOENT,
               gk_read_file("/nonexistent/gongkai/report.txt", NULL, &r, NULL));
  CHECK_NULL(r);
  r = not_a_report;
  CHECK_STATUS(GK_EISDIR, gk_read_file(".", NULL, &r, NULL));
  CHECK_NULL(r);
}

TEST(report_free_null) {
  gk_report_free(NULL);
  CHECK_TRUE(true);
}

/* ---------------------------------------------------------------- JSON */

TEST(report_to_json) {
  gk_report *r = NULL;
  if (!CHECK_STATUS(GK_OK, gk_read_buffer(mini_report, sizeof mini_report - 1,
                                          "mini.txt", NULL, &r, NULL)))
    return;
  char *json = NULL;
  size_t len = 0;
  if (CHECK_STATUS(GK_OK, gk_report_to_json(r, 0, &json, &len)) &&
      CHECK_NOT_NULL(json)) {
    CHECK_STR_PREFIX(json, "{\"schema\":\"gongkai.report/1\"");
    CHECK_UINT_EQ(strlen(json), len);
    /* One line, no trailing newline. */
    CHECK_NULL(strchr(json, '\n'));
    json_error_t err;
    json_t *root = json_loadb(json, len, 0, &err);
    if (CHECK_NOT_NULL(root)) {
      CHECK_INT_EQ(json_integer_value(json_object_get(root, "year")), 2024);
      CHECK_STR_EQ(json_string_value(json_object_get(root, "title")),
                   "某某镇2024年政府信息公开工作年度报告");
      json_t *src = json_object_get(root, "source");
      CHECK_STR_EQ(json_string_value(json_object_get(src, "name")), "mini.txt");
      CHECK_INT_EQ(json_integer_value(json_object_get(src, "bytes")),
                   sizeof mini_report - 1);
      CHECK_UINT_EQ(json_array_size(json_object_get(root, "sections")), 6);
      CHECK_TRUE(json_is_array(json_object_get(root, "diagnostics")));
      json_decref(root);
    } else {
      printf("  JSON error: %s at %d:%d\n", err.text, err.line, err.column);
    }
  }
  free(json);

  /* Pretty: the same object, indented. */
  json = NULL;
  if (CHECK_STATUS(GK_OK, gk_report_to_json(r, GK_JSON_PRETTY, &json, &len)) &&
      CHECK_NOT_NULL(json)) {
    CHECK_STR_PREFIX(json, "{\n  \"schema\": \"gongkai.report/1\"");
    CHECK_UINT_EQ(strlen(json), len);
    json_t *root = json_loadb(json, len, 0, NULL);
    CHECK_NOT_NULL(root);
    json_decref(root);
  }
  free(json);
  gk_report_free(r);
}

static const gk_test gk_tests[] = {
    TEST_ENTRY(status_names_and_messages),  TEST_ENTRY(severity_names),
    TEST_ENTRY(read_buffer_minimal_report), TEST_ENTRY(source_text_lines),
    TEST_ENTRY(read_buffer_options),        TEST_ENTRY(read_buffer_encodings),
    TEST_ENTRY(read_buffer_refusals),       TEST_ENTRY(read_file_refusals),
    TEST_ENTRY(report_free_null),           TEST_ENTRY(report_to_json),
};

GK_TEST_MAIN(gk_tests)
