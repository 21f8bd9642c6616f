/*
 * golden_test.c - the golden suite: our own small reports beside the JSON
 * model they must produce.
 *
 * Every file in the cases directory that does not end in ".json" is an
 * input; NAME.json beside it (NAME is the input's name without its last
 * extension) is the expected model, written by hand from reading the input.
 * For each input, in byte order of the names, the program reads the report
 * with gk_read_file(), writes it with gk_report_to_json(), parses that with
 * jansson and compares it with the expected file through gk_jsoncmp(): only
 * the members the expected file spells out are asserted (tests/support/
 * jsoncmp.h has the rules).  Each difference is one line,
 *
 *     golden NAME: PATH: expected X, actual Y
 *
 * and the run ends with exactly one line "N passed, N failed" counting
 * cases.  Exit status: 0 when every case passed, 1 when one failed (or there
 * were no cases at all), 2 on a usage error.
 *
 * With --update, each case whose output differs from its expected file (or
 * that has none) gets NAME.json rewritten from the actual output, pretty
 * printed; cases that already pass are left alone, so a hand-written file
 * keeps its small set of assertions.  Use it only after reading the
 * differences of a normal run: the rewritten file asserts everything the
 * library printed, right or wrong.  Review the diff before committing it.
 *
 *     golden_test [--update] CASES_DIR [NAME...]
 *
 * NAMEs restrict the run to those cases (with or without the extension).
 * Everything allocated is freed, so the suite runs clean under ASan/LSan.
 */
/* opendir(), stat() and strdup() are POSIX; the build defines this too. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "gongkai.h"
#include "jsoncmp.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The most cases one directory may hold; a guard against pointing the
 * program at the wrong (huge) directory, not a real limit. */
#define MAX_CASES 10000

typedef struct options {
  int update;
  const char *dir;
  char **only; /* NAMEs from the command line, or NULL */
  int n_only;
} options;

/* The case a difference belongs to, for the report callback. */
typedef struct case_ctx {
  const char *name;
} case_ctx;

static void usage(FILE *to) {
  fprintf(to, "usage: golden_test [--update] CASES_DIR [NAME...]\n");
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A malloc'd "a/b"; NULL when out of memory. */
static char *join_path(const char *dir, const char *name) {
  size_t n = strlen(dir) + 1 + strlen(name) + 1;
  char *p = malloc(n);
  if (p)
    snprintf(p, n, "%s/%s", dir, name);
  return p;
}

/* A malloc'd copy of `file` without its last extension ("a.txt" -> "a");
 * a name without a dot (or only a leading one) is kept whole. */
static char *stem_of(const char *file) {
  const char *dot = strrchr(file, '.');
  size_t n = (dot && dot != file) ? (size_t)(dot - file) : strlen(file);
  char *s = malloc(n + 1);
  if (s) {
    memcpy(s, file, n);
    s[n] = '\0';
  }
  return s;
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
}

/*
 * Lists the inputs in `dir`: regular files not ending in ".json" and not
 * hidden, sorted by name.  On success returns 0 and gives a malloc'd array
 * of malloc'd names; on failure prints why and returns -1.
 */
static int list_inputs(const char *dir, char ***out, size_t *n_out) {
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "golden: cannot open %s: %s\n", dir, strerror(errno));
    return -1;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  int rc = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || ends_with(e->d_name, ".json"))
      continue;
    char *path = join_path(dir, e->d_name);
    struct stat st;
    int regular = path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
    free(path);
    if (!regular)
      continue;
    if (n == MAX_CASES) {
      fprintf(stderr, "golden: more than %d files in %s\n", MAX_CASES, dir);
      rc = -1;
      break;
    }
    if (n == cap) {
      size_t ncap = cap ? cap * 2 : 32;
      char **grown = realloc(names, ncap * sizeof *names);
      if (!grown) {
        rc = -1;
        break;
      }
      names = grown;
      cap = ncap;
    }
    if (!(names[n] = strdup(e->d_name))) {
      rc = -1;
      break;
    }
    n++;
  }
  closedir(d);
  if (rc != 0) {
    free_names(names, n);
    return -1;
  }
  if (n > 0)
    qsort(names, n, sizeof *names, compare_names);
  *out = names;
  *n_out = n;
  return 0;
}

/* Whether the case is selected by the NAMEs on the command line; marks the
 * NAMEs that matched so that unknown ones can be reported. */
static int selected(const options *o, const char *file, const char *stem,
                    unsigned char *matched) {
  if (o->n_only == 0)
    return 1;
  int hit = 0;
  for (int i = 0; i < o->n_only; i++) {
    if (strcmp(o->only[i], file) == 0 || strcmp(o->only[i], stem) == 0) {
      matched[i] = 1;
      hit = 1;
    }
  }
  return hit;
}

static void print_diff(void *ctx, const char *path, const char *expected,
                       const char *actual) {
  const case_ctx *c = ctx;
  printf("golden %s: %s: expected %s, actual %s\n", c->name, path, expected,
         actual);
}

/* Writes `len` bytes and a final newline to `path` through a temporary file
 * and a rename, so that an interrupted update never leaves half a file.
 * Returns 0 on success; prints why and returns -1 on failure. */
static int write_file(const char *path, const char *data, size_t len) {
  size_t n = strlen(path) + 5;
  char *tmp = malloc(n);
  if (!tmp)
    return -1;
  snprintf(tmp, n, "%s.tmp", path);
  int rc = -1;
  FILE *f = fopen(tmp, "wb");
  if (f) {
    int ok = fwrite(data, 1, len, f) == len && fputc('\n', f) != EOF;
    if (fclose(f) == 0 && ok && rename(tmp, path) == 0)
      rc = 0;
  }
  if (rc != 0) {
    fprintf(stderr, "golden: cannot write %s: %s\n", path, strerror(errno));
    remove(tmp);
  }
  free(tmp);
  return rc;
}

/*
 * Runs one case.  Returns 1 when it passed (or, with --update, when its
 * expected file is now up to date) and 0 when it failed; every reason for a
 * failure has been printed.
 */
static int run_case(const options *o, const char *file, const char *stem) {
  case_ctx ctx = {stem};
  char *input = join_path(o->dir, file);
  char *json_name = malloc(strlen(stem) + sizeof ".json");
  char *expected_path = NULL;
  gk_report *report = NULL;
  char *text = NULL;
  size_t len = 0;
  json_t *actual = NULL, *expected = NULL;
  json_error_t err;
  const char *detail = NULL;
  gk_status st;
  int passed = 0;

  if (!input || !json_name) {
    printf("golden %s: out of memory\n", stem);
    goto done;
  }
  strcpy(json_name, stem);
  strcat(json_name, ".json");
  if (!(expected_path = join_path(o->dir, json_name))) {
    printf("golden %s: out of memory\n", stem);
    goto done;
  }

  st = gk_read_file(input, NULL, &report, &detail);
  if (st != GK_OK) {
    printf("golden %s: gk_read_file: %s (%s%s%s)\n", stem, gk_status_name(st),
           gk_strerror(st), detail ? ", " : "", detail ? detail : "");
    goto done;
  }
  st = gk_report_to_json(report, 0, &text, &len);
  if (st != GK_OK) {
    printf("golden %s: gk_report_to_json: %s\n", stem, gk_status_name(st));
    goto done;
  }
  actual = json_loadb(text, len, 0, &err);
  if (!actual) {
    printf("golden %s: the library's JSON does not parse: %d:%d: %s\n", stem,
           err.line, err.column, err.text);
    goto done;
  }

  if (o->update) {
    /* A missing or unreadable expected file counts as different. */
    expected = json_load_file(expected_path, 0, &err);
    if (expected && gk_jsoncmp(expected, actual, NULL, NULL) == 0) {
      passed = 1;
      goto done;
    }
    free(text);
    text = NULL;
    st = gk_report_to_json(report, GK_JSON_PRETTY, &text, &len);
    if (st != GK_OK) {
      printf("golden %s: gk_report_to_json: %s\n", stem, gk_status_name(st));
      goto done;
    }
    if (write_file(expected_path, text, len) == 0) {
      printf("golden %s: updated %s\n", stem, json_name);
      passed = 1;
    } else {
      printf("golden %s: cannot update %s\n", stem, json_name);
    }
    goto done;
  }

  expected = json_load_file(expected_path, 0, &err);
  if (!expected) {
    printf("golden %s: cannot read %s: %d:%d: %s\n", stem, json_name, err.line,
           err.column, err.text);
    goto done;
  }
  passed = gk_jsoncmp(expected, actual, print_diff, &ctx) == 0;

done:
  json_decref(expected);
  json_decref(actual);
  free(text);
  gk_report_free(report);
  free(expected_path);
  free(json_name);
  free(input);
  return passed;
}

int main(int argc, char **argv) {
  options o = {0};
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    if (strcmp(argv[i], "--update") == 0) {
      o.update = 1;
    } else if (strcmp(argv[i], "--help") == 0) {
      usage(stdout);
      return 0;
    } else if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    } else {
      fprintf(stderr, "golden: unknown option %s\n", argv[i]);
      usage(stderr);
      return 2;
    }
  }
  if (i >= argc) {
    usage(stderr);
    return 2;
  }
  o.dir = argv[i++];
  o.only = argv + i;
  o.n_only = argc - i;

  char **names = NULL;
  size_t n_names = 0;
  if (list_inputs(o.dir, &names, &n_names) != 0)
    return 1;

  unsigned char *matched = calloc((size_t)o.n_only + 1, 1);
  if (!matched) {
    free_names(names, n_names);
    fprintf(stderr, "golden: out of memory\n");
    return 1;
  }

  int n_passed = 0, n_failed = 0;
  for (size_t k = 0; k < n_names; k++) {
    char *stem = stem_of(names[k]);
    if (!stem) {
      printf("golden %s: out of memory\n", names[k]);
      n_failed++;
      continue;
    }
    if (selected(&o, names[k], stem, matched)) {
      if (run_case(&o, names[k], stem))
        n_passed++;
      else
        n_failed++;
    }
    free(stem);
  }
  for (int k = 0; k < o.n_only; k++) {
    if (!matched[k]) {
      printf("golden %s: no such case in %s\n", o.only[k], o.dir);
      n_failed++;
    }
  }
  if (n_passed + n_failed == 0)
    fprintf(stderr, "golden: no cases in %s\n", o.dir);

  free(matched);
  free_names(names, n_names);
  printf("%d passed, %d failed\n", n_passed, n_failed);
  return (n_failed == 0 && n_passed > 0) ? 0 : 1;
}
