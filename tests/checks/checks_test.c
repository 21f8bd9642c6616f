/*
 * checks_test.c - golden tests of the rule catalogue.
 *
 * Each case is a made-up report NAME.txt with NAME.expect beside it (and
 * optionally last year's report NAME.prev.txt, passed as --prev).  The
 * expect file has one statement per line:
 *
 *   +rule.id            the rule must fire (at least once)
 *   +rule.id@path       ... on that model path
 *   +rule.id:LINE       ... at that source line
 *   +rule.id!note       ... with that severity (error, warning, note;
 *                       combines with @path or :LINE before the !)
 *   =N rule.id[:LINE]   the rule must fire exactly N times (there)
 *   -rule.id            the rule must stay quiet
 *   -*                  no rule may fire except those listed with +
 *   deadline MM-DD      the township deadline option
 *   # comment
 *
 * A rule ending in "*" ("-arith.*") matches by prefix.
 *
 * The run ends with "N passed, N failed"; each case is one test.
 * Usage: checks_test [--expect DIR] CASES_DIR [NAME...]
 *   --expect DIR  read NAME.expect from DIR instead of CASES_DIR, and run
 *                 only the cases that have one there (the real reports in
 *                 ../shared keep their expectations in the project); when
 *                 CASES_DIR does not exist, skip with exit 77.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongkai.h"

static int failures_in_case;

static void fail(const char *name, const char *what, const char *rule) {
  printf("checks %s: %s %s\n", name, what, rule);
  failures_in_case++;
}

static void print_findings(const gk_report *r) {
  for (size_t i = 0; i < gk_report_diag_count(r); i++) {
    const gk_diag *d = gk_report_diag(r, i);
    printf("    %u: %s [%s] %s %s\n", d->line, gk_severity_name(d->severity),
           d->rule, d->path ? d->path : "-", d->message);
  }
}

static int fired(const gk_report *r, const char *spec) {
  char rule[128], path[128] = "";
  unsigned line = 0;
  snprintf(rule, sizeof rule, "%s", spec);
  char *bang = strchr(rule, '!');
  const char *sev = NULL;
  if (bang) {
    *bang = '\0';
    sev = bang + 1;
  }
  char *at = strchr(rule, '@');
  char *colon = strchr(rule, ':');
  if (at) {
    *at = '\0';
    snprintf(path, sizeof path, "%s", at + 1);
  } else if (colon) {
    *colon = '\0';
    line = (unsigned)strtoul(colon + 1, NULL, 10);
  }
  /* "arith.*" and "structure.missing-*" match by prefix. */
  size_t rl = strlen(rule);
  bool prefix = rl > 0 && rule[rl - 1] == '*';
  int n = 0;
  for (size_t i = 0; i < gk_report_diag_count(r); i++) {
    const gk_diag *d = gk_report_diag(r, i);
    if (prefix ? strncmp(d->rule, rule, rl - 1) != 0
               : strcmp(d->rule, rule) != 0)
      continue;
    if (*path && (!d->path || strcmp(d->path, path) != 0))
      continue;
    if (line && d->line != line)
      continue;
    if (sev && strcmp(gk_severity_name(d->severity), sev) != 0)
      continue;
    n++;
  }
  return n;
}

static const char *expect_dir;

static int run_case(const char *dir, const char *name) {
  char path[4096], expect[4096], prevp[4096];
  snprintf(path, sizeof path, "%s/%s.txt", dir, name);
  snprintf(expect, sizeof expect, "%s/%s.expect", expect_dir ? expect_dir : dir,
           name);
  snprintf(prevp, sizeof prevp, "%s/%s.prev.txt", dir, name);
  failures_in_case = 0;
  FILE *ef = fopen(expect, "r");
  if (!ef) {
    fail(name, "no expect file", expect);
    return 1;
  }
  gk_check_options opts = {0};
  char lines[256][256];
  size_t n_lines = 0;
  char buf[256];
  while (fgets(buf, sizeof buf, ef) && n_lines < 256) {
    buf[strcspn(buf, "\r\n")] = '\0';
    if (!buf[0] || buf[0] == '#')
      continue;
    int m, d;
    if (sscanf(buf, "deadline %d-%d", &m, &d) == 2) {
      opts.township_deadline_month = m;
      opts.township_deadline_day = d;
      continue;
    }
    snprintf(lines[n_lines++], sizeof lines[0], "%s", buf);
  }
  fclose(ef);

  gk_report *prev = NULL, *r = NULL;
  const char *detail;
  FILE *pf = fopen(prevp, "r");
  if (pf) {
    fclose(pf);
    gk_status st = gk_read_file(prevp, NULL, &prev, &detail);
    if (st != GK_OK) {
      fail(name, "cannot read prev:", gk_strerror(st));
      return 1;
    }
    opts.prev = prev;
  }
  gk_status st = gk_read_file(path, NULL, &r, &detail);
  if (st != GK_OK) {
    fail(name, "cannot read:", gk_strerror(st));
    gk_report_free(prev);
    return 1;
  }
  st = gk_check(r, &opts);
  if (st != GK_OK)
    fail(name, "gk_check failed:", gk_strerror(st));
  bool only_listed = false;
  for (size_t i = 0; i < n_lines; i++) {
    const char *l = lines[i];
    if (strcmp(l, "-*") == 0)
      only_listed = true;
    else if (l[0] == '=') {
      char *end;
      long want = strtol(l + 1, &end, 10);
      while (*end == ' ')
        end++;
      if (fired(r, end) != want)
        fail(name, "expected to fire a different number of times:", l);
    } else if (l[0] == '+' && !fired(r, l + 1))
      fail(name, "expected to fire:", l + 1);
    else if (l[0] == '-' && fired(r, l + 1))
      fail(name, "expected quiet:", l + 1);
  }
  if (only_listed) {
    for (size_t i = 0; i < gk_report_diag_count(r); i++) {
      const gk_diag *d = gk_report_diag(r, i);
      bool listed = false;
      for (size_t k = 0; k < n_lines && !listed; k++) {
        const char *l = lines[k];
        size_t rl = strlen(d->rule);
        listed = l[0] == '+' && strncmp(l + 1, d->rule, rl) == 0 &&
                 (l[1 + rl] == '\0' || l[1 + rl] == '@' || l[1 + rl] == ':');
      }
      if (!listed)
        fail(name, "unexpected finding:", d->rule);
    }
  }
  if (failures_in_case)
    print_findings(r);
  gk_report_free(r);
  gk_report_free(prev);
  return failures_in_case ? 1 : 0;
}

static int cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "--expect") == 0) {
    expect_dir = argv[2];
    argv += 2;
    argc -= 2;
  }
  if (argc < 2) {
    fprintf(stderr, "usage: checks_test [--expect DIR] CASES_DIR [NAME...]\n");
    return 2;
  }
  const char *dir = argv[1];
  char *names[1024];
  size_t n = 0;
  if (argc > 2) {
    for (int i = 2; i < argc && n < 1024; i++)
      names[n++] = strdup(argv[i]);
  } else {
    DIR *d = opendir(dir);
    if (!d && expect_dir) {
      printf("SKIP: %s not found (the real reports live in ../shared)\n", dir);
      return 77;
    }
    if (!d) {
      perror(dir);
      return 2;
    }
    struct dirent *e;
    while ((e = readdir(d)) && n < 1024) {
      size_t len = strlen(e->d_name);
      if (len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
        continue;
      if (len > 9 && strcmp(e->d_name + len - 9, ".prev.txt") == 0)
        continue;
      if (expect_dir) {
        char ep[4096];
        snprintf(ep, sizeof ep, "%s/%.*s.expect", expect_dir, (int)(len - 4),
                 e->d_name);
        FILE *f = fopen(ep, "r");
        if (!f)
          continue;
        fclose(f);
      }
      names[n] = strndup(e->d_name, len - 4);
      n++;
    }
    closedir(d);
  }
  qsort(names, n, sizeof *names, cmp);
  int passed = 0, failed = 0;
  for (size_t i = 0; i < n; i++) {
    if (run_case(dir, names[i]))
      failed++;
    else
      passed++;
    free(names[i]);
  }
  if (n == 0)
    failed++;
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
