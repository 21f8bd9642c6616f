/*
 * hostile_lib.c - hostile inputs against the library, under the build's
 * sanitizers, each with a time budget, and one memory budget for the run.
 *
 * The inputs are generated, never stored: an image, an empty file,
 * random bytes from a fixed seed, a directory, a 1 GiB sparse file (which
 * must be refused by its size before a byte is read), 200,000 lines of
 * tabs, invalid UTF-8, invalid GBK, UTF-16 of odd length, a 1 MiB line,
 * NULs in text.  Each must be refused with the right status, fast, with no
 * report left behind; the same bytes through gk_read_buffer() must give
 * the same answer as through gk_read_file().
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

/* Each read must finish within this; real reports take milliseconds, so
 * going over means something scales badly (a quadratic scan, a read of the
 * whole sparse file).  GK_HOSTILE_BUDGET_MS overrides it for a slow
 * machine. */
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
  return rc;
}

static int remove_generated(void) {
  static const char *const names[] = {
      "image.png",     "empty.txt",        "random.bin",      "sparse_1g.txt",
      "tabs_200k.txt", "invalid_utf8.txt", "invalid_gbk.txt", "utf16_odd.txt",
      "long_line.txt", "nul_text.txt",     "valid.txt"};
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

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
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

TEST(size_option) {
  /* The cap in the options holds for buffers too. */
  gk_read_options opts = {.max_bytes = 100};
  gk_report *r = NULL;
  CHECK_STATUS(GK_ETOOBIG, gk_read_buffer(valid_report, sizeof valid_report - 1,
                                          "v", &opts, &r, NULL));
  CHECK_NULL(r);
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
    TEST_ENTRY(png),       TEST_ENTRY(empty),        TEST_ENTRY(random_bytes),
    TEST_ENTRY(directory), TEST_ENTRY(missing),      TEST_ENTRY(sparse_1g),
    TEST_ENTRY(tabs_200k), TEST_ENTRY(invalid_utf8), TEST_ENTRY(invalid_gbk),
    TEST_ENTRY(utf16_odd), TEST_ENTRY(long_line),    TEST_ENTRY(nul_text),
    TEST_ENTRY(valid),     TEST_ENTRY(size_option),  TEST_ENTRY(memory_budget),
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
