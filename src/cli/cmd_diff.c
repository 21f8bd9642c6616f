/*
 * cmd_diff.c - `gongkai diff OLD NEW`: one body's two years side by side
 * (model.md §3).
 *
 *   gongkai diff [--all] [--deadline MM-DD] OLD NEW
 *
 * Prints, for a reviewer comparing this year's report with last year's:
 * the two reports' body, year, edition and date; the findings of the
 * history.* rules (NEW checked with OLD as gk_check_options.prev:
 * carry-over, documents in force, copied prose, identical tables, a
 * report of another body: history.other-body); every cell whose number
 * changed, led by its Chinese location, old and new as printed with the
 * change (--all: every cell either report has); and how similar the prose
 * of parts 一, 五 and 六 is to last year's.  Exit status 1 when a
 * history.* rule found an error, 3 when a report cannot be read.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"

/* Prose parts compared, as the issue and history.copied-text name them. */
static const int prose_parts[] = {1, 5, 6};

/* value / 10^scale as text into buf (48 bytes): "12", "0.35", "-3". */
static const char *scaled(int64_t value, int scale, char *buf) {
  if (!gk_format_number(value, scale, buf, 48))
    buf[0] = '\0';
  return buf;
}

/* The change new - old, with a sign, at the finer of the two scales;
 * false when it does not fit in 64 bits. */
static bool change(const gk_cell_change *c, char *buf) {
  int s = c->old_scale > c->new_scale ? c->old_scale : c->new_scale;
  int64_t a = c->old_value, b = c->new_value;
  for (int i = c->old_scale; i < s; i++)
    if (__builtin_mul_overflow(a, 10, &a))
      return false;
  for (int i = c->new_scale; i < s; i++)
    if (__builtin_mul_overflow(b, 10, &b))
      return false;
  int64_t d;
  if (__builtin_sub_overflow(b, a, &d))
    return false;
  char num[48];
  scaled(d, s, num);
  snprintf(buf, 50, "%s%s", d > 0 ? "+" : "", d == 0 ? "=" : num);
  return true;
}

static void print_side(const char *which, const char *path,
                       const gk_report *r) {
  gk_meta m;
  gk_report_meta(r, &m);
  printf("%s %s：%s", which, path, m.agency ? m.agency : "（未写明机关）");
  if (m.year)
    printf("，%d 年度", m.year);
  switch (m.edition) {
  case GK_EDITION_2021:
    printf("，2021 年格式");
    break;
  case GK_EDITION_2019:
    printf("，2019 年试行格式");
    break;
  case GK_EDITION_PRE2019:
    printf("，2019 年以前的格式");
    break;
  default:
    break;
  }
  if (m.published)
    printf("，发布于 %s", m.published);
  printf("\n");
}

/* The history.* findings of the new report, as `check` prints them;
 * returns the number of errors. */
static size_t print_history(const gk_report *r, const char *path) {
  size_t errors = 0, shown = 0;
  printf("\n历年对比检查（history.*）：\n");
  for (size_t i = 0; i < gk_report_diag_count(r); i++) {
    const gk_diag *d = gk_report_diag(r, i);
    if (!d->rule || strncmp(d->rule, "history.", 8) != 0)
      continue;
    shown++;
    if (d->severity == GK_SEV_ERROR)
      errors++;
    if (d->page) /* a PDF: the page a person can open, as check says */
      printf("%s:第%" PRIu32 "页: %s: %s [%s]\n", path, d->page,
             gk_severity_name(d->severity), d->message, d->rule);
    else if (d->line)
      printf("%s:%" PRIu32 ": %s: %s [%s]\n", path, d->line,
             gk_severity_name(d->severity), d->message, d->rule);
    else
      printf("%s: %s: %s [%s]\n", path, gk_severity_name(d->severity),
             d->message, d->rule);
  }
  if (!shown)
    printf("未发现问题。\n");
  return errors;
}

/* One line per cell, the Chinese location first (where a reviewer looks
 * in the report), then last year's and this year's numbers as each report
 * printed them (a fee "1.50" stays "1.50") with the change, and the
 * model path last, for scripts:
 *   第二部分·行政许可·本年处理决定数量：10 → 14（+4） [proactive.licensing]
 * A side with no number is "—". */
static void print_cells(const gk_diff *d, const gk_report *old_r,
                        const gk_report *new_r, bool all) {
  gk_meta mo, mn;
  gk_report_meta(old_r, &mo);
  gk_report_meta(new_r, &mn);
  size_t n = gk_diff_count(d);
  printf("\n%s：%zu 个", all ? "单元格（两年对照）" : "有变化的单元格", n);
  if (n && mo.year && mn.year)
    printf("（%d 年 → %d 年）", mo.year, mn.year);
  printf("\n");
  gk_cell_info info;
  for (size_t i = 0; i < n; i++) {
    const gk_cell_change *c = gk_diff_get(d, i);
    if (gk_cell_get(GK_EDITION_UNKNOWN, c->cell, &info) != GK_OK)
      continue;
    char a[48], b[48], ch[50];
    if (!c->has_old || !c->has_new || !change(c, ch))
      strcpy(ch, "—");
    else if (strcmp(ch, "=") == 0)
      strcpy(ch, "不变");
    printf("%s：%s → %s（%s） [%s]\n", info.label,
           c->has_old ? scaled(c->old_value, c->old_scale, a) : "—",
           c->has_new ? scaled(c->new_value, c->new_scale, b) : "—", ch,
           info.path);
  }
}

/* The heading of part `part` as either report writes it, or NULL. */
static const char *heading(const gk_report *r, int part) {
  for (size_t i = 0; i < gk_report_section_count(r); i++) {
    const gk_section *s = gk_report_section(r, i);
    if (s->number == part)
      return s->heading;
  }
  return NULL;
}

static void print_similarity(const gk_diff *d, const gk_report *old_r,
                             const gk_report *new_r) {
  printf("\n各部分文字与上年的相似度（五字片段重合比例，不计数字和标点）：\n");
  for (size_t k = 0; k < sizeof prose_parts / sizeof prose_parts[0]; k++) {
    int part = prose_parts[k];
    const char *h = heading(new_r, part);
    if (!h)
      h = heading(old_r, part);
    double s = gk_diff_similarity(d, part);
    printf("  部分 %d %s：", part, h ? h : "");
    if (s >= 0)
      printf("%d%%\n", (int)(s * 100 + 0.5));
    else if (!heading(new_r, part) || !heading(old_r, part))
      printf("有一份报告缺少这一部分，未比较\n");
    else
      printf("文字过短，未比较\n");
  }
}

int gk_cmd_diff(int argc, char **argv) {
  bool all = false;
  gk_check_options opts = {0};
  int i = 0;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--all") == 0) {
      all = true;
    } else if (strcmp(a, "--deadline") == 0) {
      if (++i >= argc ||
          !gk_batch_parse_deadline(argv[i], &opts.township_deadline_month,
                                   &opts.township_deadline_day))
        return gk_cli_usage_error(
            "diff: --deadline 需要 MM-DD 形式的日期，如 %s", "01-31");
    } else if (strcmp(a, "--") == 0) {
      i++;
      break;
    } else if (a[0] == '-' && a[1] != '\0') {
      return gk_cli_usage_error("diff: 未知选项 %s", a);
    } else {
      break;
    }
  }
  if (argc - i != 2)
    return gk_cli_usage_error("diff: 需要两个文件：上年的报告和本年的报告%s",
                              "");
  const char *old_path = argv[i], *new_path = argv[i + 1];
  gk_report *old_r = NULL, *new_r = NULL;
  gk_diff *d = NULL;
  int rc = gk_cli_read_input(old_path, &old_r);
  rc = gk_cli_max_rc(rc, gk_cli_read_input(new_path, &new_r));
  if (rc != EXIT_OK)
    goto done;
  opts.prev = old_r;
  gk_status st = gk_check(new_r, &opts);
  if (st == GK_OK)
    st = gk_diff_reports(old_r, new_r, all ? GK_DIFF_ALL_CELLS : 0, &d);
  if (st != GK_OK) {
    fprintf(stderr, "gongkai: %s: %s\n", new_path, gk_strerror(st));
    rc = EXIT_INTERNAL;
    goto done;
  }
  print_side("上年", old_path, old_r);
  print_side("本年", new_path, new_r);
  if (print_history(new_r, new_path) > 0)
    rc = EXIT_FINDINGS;
  print_cells(d, old_r, new_r, all);
  print_similarity(d, old_r, new_r);
  if (fflush(stdout) != 0) {
    fprintf(stderr, "gongkai: 写入标准输出失败\n");
    rc = EXIT_INTERNAL;
  }
done:
  gk_diff_free(d);
  gk_report_free(new_r);
  gk_report_free(old_r);
  return rc;
}
