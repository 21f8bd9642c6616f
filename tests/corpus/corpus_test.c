/*
 * corpus_test.c - cell-by-cell accuracy of the parser on the real reports
 * of ../shared/corpus.
 *
 *   corpus_test [--markdown] [--only NNN] [CORPUS_DIR [EXPECTED_DIR]]
 *
 * CORPUS_DIR holds MANIFEST.tsv and raw/; EXPECTED_DIR holds NNN.json, one
 * per report, written by hand from the source (never from gongkai's
 * output): "edition", "year", and every cell of "proactive",
 * "applications" and "appeals" in the shape of model.md section 1.  The
 * raw file of report NNN is the MANIFEST.tsv row whose `id` column is NNN,
 * found through its `file` column (relative to CORPUS_DIR).
 *
 * Every leaf the expected file names is one cell, judged:
 *
 *   RIGHT    the actual value equals the expected one (null equals null);
 *   FLAGGED  the actual value is null and the report has a diagnostic whose
 *            path is the cell's path or a dotted prefix of it (its row, its
 *            table), so the reader is told the cell could not be read;
 *   WRONG    anything else: a number the source does not print there, a
 *            null without a diagnostic, a table missing without one.
 *
 * An expected table that is null (the source has none) is one cell: RIGHT
 * when the actual table is null too, WRONG when the parser made one up.
 * Each report is one test, failed when any of its cells is WRONG or when
 * it cannot be read.  The output is a line per report, "017 (text):
 * 150/212 right, 40 flagged, 22 wrong" followed by its wrong cells, then
 * the totals per input kind (source.format) and "N passed, N failed".
 * With --markdown only the per-kind table and the per-report table are
 * printed, as Markdown, for docs/ACCURACY.md; the exit status is then 0
 * whenever the suite could run.
 *
 * Exit status: 0 when no cell is WRONG, 1 when one is or the suite is
 * misconfigured, 2 on a usage error, 77 (ctest's SKIP_RETURN_CODE) when the
 * shared corpus is absent, as it is outside the project's own checkout.
 */
#include "gongkai.h"

#include <jansson.h>

#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef GK_CORPUS_DIR
#define GK_CORPUS_DIR "../shared/corpus"
#endif
#ifndef GK_EXPECTED_DIR
#define GK_EXPECTED_DIR "tests/corpus/expected"
#endif

/* The input kinds the totals are kept for, in print order; a format not
 * listed here is counted under the last entry. */
static const char *const KINDS[] = {"text", "markdown", "html",
                                    "pdf",  "docx",     "other"};
#define N_KINDS (sizeof KINDS / sizeof KINDS[0])

/* Manifest rows kept: ids are short ("001"), files relative paths. */
#define MAX_MANIFEST 4096

typedef struct tally {
  int reports, passed;
  long total, right, flagged, wrong;
} tally;

typedef struct manifest_row {
  char id[16];
  char *file;
  char *format; /* the manifest's own description of the input */
} manifest_row;

typedef struct suite {
  bool markdown;
  const char *only;
  const char *corpus_dir;
  manifest_row rows[MAX_MANIFEST];
  size_t n_rows;
  tally kinds[N_KINDS];
  tally all;
  /* Per-report lines kept for the Markdown table. */
  char **report_lines;
  size_t n_report_lines, cap_report_lines;
} suite;

/* State of one report's comparison. */
typedef struct judge {
  suite *s;
  const char *id;
  json_t *diags; /* the actual "diagnostics" array, or NULL */
  tally t;
  /* The report's wrong cells, one line each, printed after its summary
   * line; NULL when none (or out of memory: the count stays right). */
  char *detail;
  size_t detail_len;
} judge;

static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* "dir/name", malloc'd; NULL when out of memory. */
static char *join(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *out = malloc(n);
  if (out)
    snprintf(out, n, "%s/%s", dir, name);
  return out;
}

static char *dup_range(const char *p, size_t n) {
  char *out = malloc(n + 1);
  if (out) {
    memcpy(out, p, n);
    out[n] = '\0';
  }
  return out;
}

/* Reads MANIFEST.tsv: the columns `id`, `file` and `format` found by
 * their header names.  Returns 0, or -1 after printing why not. */
static int read_manifest(suite *s, const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    printf("cannot open %s\n", path);
    return -1;
  }
  char line[16384];
  int c_id = -1, c_file = -1, c_format = -1;
  bool header = true;
  while (fgets(line, sizeof line, f)) {
    size_t len = strcspn(line, "\r\n");
    line[len] = '\0';
    const char *field[64];
    size_t flen[64];
    int n = 0;
    const char *p = line;
    while (n < 64) {
      const char *tab = strchr(p, '\t');
      field[n] = p;
      flen[n] = tab ? (size_t)(tab - p) : strlen(p);
      n++;
      if (!tab)
        break;
      p = tab + 1;
    }
    if (header) {
      for (int i = 0; i < n; i++) {
        if (flen[i] == 2 && memcmp(field[i], "id", 2) == 0)
          c_id = i;
        else if (flen[i] == 4 && memcmp(field[i], "file", 4) == 0)
          c_file = i;
        else if (flen[i] == 6 && memcmp(field[i], "format", 6) == 0)
          c_format = i;
      }
      header = false;
      if (c_id < 0 || c_file < 0) {
        printf("%s: no `id` and `file` columns in the header\n", path);
        fclose(f);
        return -1;
      }
      continue;
    }
    if (c_id >= n || c_file >= n || flen[c_id] == 0 ||
        flen[c_id] >= sizeof s->rows[0].id || s->n_rows == MAX_MANIFEST)
      continue;
    manifest_row *r = &s->rows[s->n_rows];
    memcpy(r->id, field[c_id], flen[c_id]);
    r->id[flen[c_id]] = '\0';
    r->file = dup_range(field[c_file], flen[c_file]);
    r->format = c_format >= 0 && c_format < n
                    ? dup_range(field[c_format], flen[c_format])
                    : NULL;
    if (!r->file) {
      fclose(f);
      return -1;
    }
    s->n_rows++;
  }
  fclose(f);
  return 0;
}

static const manifest_row *manifest_find(const suite *s, const char *id) {
  for (size_t i = 0; i < s->n_rows; i++)
    if (strcmp(s->rows[i].id, id) == 0)
      return &s->rows[i];
  return NULL;
}

static size_t kind_index(const char *format) {
  for (size_t k = 0; format && k + 1 < N_KINDS; k++)
    if (strcmp(KINDS[k], format) == 0)
      return k;
  return N_KINDS - 1;
}

/* The kind of an input that could not be read, from the manifest's
 * description ("text-from-html", "markdown-from-pdf", "pdf"). */
static const char *kind_from_manifest(const manifest_row *m) {
  if (!m->format)
    return "other";
  for (size_t k = 0; k + 1 < N_KINDS; k++)
    if (strncmp(m->format, KINDS[k], strlen(KINDS[k])) == 0)
      return KINDS[k];
  return "other";
}

/* Whether diagnostic path `dp` is `path` or a dotted prefix of it. */
static bool path_covers(const char *dp, const char *path) {
  size_t n = strlen(dp);
  return n > 0 && strncmp(dp, path, n) == 0 &&
         (path[n] == '\0' || path[n] == '.');
}

static bool has_diag_for(const judge *j, const char *path) {
  size_t i;
  json_t *d;
  json_array_foreach(j->diags, i, d) {
    const char *dp = json_string_value(json_object_get(d, "path"));
    if (dp && path_covers(dp, path))
      return true;
  }
  return false;
}

/* Value as short text for messages; `buf` must hold 64 bytes. */
static const char *show(const json_t *v, char *buf) {
  if (!v || json_is_null(v))
    return "null";
  if (json_is_integer(v))
    snprintf(buf, 64, "%lld", (long long)json_integer_value(v));
  else if (json_is_real(v))
    snprintf(buf, 64, "%.10g", json_real_value(v));
  else if (json_is_string(v))
    snprintf(buf, 64, "\"%.58s\"", json_string_value(v));
  else if (json_is_object(v))
    return "{…}";
  else
    return "?";
  return buf;
}

static bool same_scalar(const json_t *e, const json_t *a) {
  if (json_is_null(e) || json_is_null(a))
    return json_is_null(e) && json_is_null(a);
  if (json_is_number(e) && json_is_number(a)) {
    double x = json_number_value(e), y = json_number_value(a);
    return fabs(x - y) <= 1e-9 * fmax(1.0, fmax(fabs(x), fabs(y)));
  }
  if (json_is_string(e) && json_is_string(a))
    return strcmp(json_string_value(e), json_string_value(a)) == 0;
  return false;
}

static void wrong(judge *j, const char *path, const json_t *e, const json_t *a,
                  const char *why) {
  char eb[64], ab[64], line[768];
  j->t.wrong++;
  int n = snprintf(line, sizeof line, "  WRONG %s: expected %s, actual %s%s\n",
                   path, show(e, eb), show(a, ab), why);
  if (n < 0)
    return;
  size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
  char *grown = realloc(j->detail, j->detail_len + len + 1);
  if (!grown)
    return;
  memcpy(grown + j->detail_len, line, len + 1);
  j->detail = grown;
  j->detail_len += len;
}

/* Judges the expected leaf or subtree `e` at `path` against `a` (NULL
 * when the actual model has nothing there). */
static void judge_value(judge *j, const char *path, const json_t *e,
                        const json_t *a) {
  if (json_is_object(e)) {
    if (a && !json_is_null(a) && !json_is_object(a)) {
      wrong(j, path, e, a, " (not an object)");
      return;
    }
    const char *key;
    json_t *ev;
    json_object_foreach((json_t *)e, key, ev) {
      char sub[512];
      snprintf(sub, sizeof sub, "%s.%s", path, key);
      judge_value(j, sub, ev, a ? json_object_get(a, key) : NULL);
    }
    return;
  }
  j->t.total++;
  if (json_is_null(e) && a && json_is_object(a)) {
    /* The source has no such table and the parser made one up. */
    wrong(j, path, e, a, " (no table in the source)");
    return;
  }
  if (a && same_scalar(e, a)) {
    j->t.right++;
    return;
  }
  if ((!a || json_is_null(a)) && has_diag_for(j, path)) {
    j->t.flagged++;
    return;
  }
  wrong(j, path, e, a,
        !a || json_is_null(a) ? " (no diagnostic for this path)" : "");
}

/* Reads the report at `path` and returns its JSON model, or NULL after
 * printing why not. */
static json_t *read_report(FILE *out, const char *id, const char *path) {
  gk_report *report = NULL;
  const char *detail = NULL;
  gk_status st = gk_read_file(path, NULL, &report, &detail);
  if (st != GK_OK) {
    fprintf(out, "  %s: gk_read_file(%s): %s %s%s%s%s\n", id, path,
            gk_status_name(st), gk_strerror(st), detail ? " (" : "",
            detail ? detail : "", detail ? ")" : "");
    return NULL;
  }
  char *text = NULL;
  size_t len = 0;
  st = gk_report_to_json(report, 0, &text, &len);
  gk_report_free(report);
  if (st != GK_OK) {
    fprintf(out, "  %s: gk_report_to_json: %s %s\n", id, gk_status_name(st),
            gk_strerror(st));
    return NULL;
  }
  json_error_t err;
  json_t *model = json_loadb(text, len, 0, &err);
  free(text);
  if (!model || !json_is_object(model)) {
    fprintf(out, "  %s: the library's JSON does not parse as an object: %s\n",
            id, model ? "" : err.text);
    json_decref(model);
    return NULL;
  }
  return model;
}

static void add_tally(tally *to, const tally *t, bool passed) {
  to->reports++;
  to->passed += passed;
  to->total += t->total;
  to->right += t->right;
  to->flagged += t->flagged;
  to->wrong += t->wrong;
}

static void keep_line(suite *s, const char *line) {
  if (s->n_report_lines == s->cap_report_lines) {
    size_t cap = s->cap_report_lines ? s->cap_report_lines * 2 : 64;
    char **p = realloc(s->report_lines, cap * sizeof *p);
    if (!p)
      return;
    s->report_lines = p;
    s->cap_report_lines = cap;
  }
  char *copy = strdup(line);
  if (copy)
    s->report_lines[s->n_report_lines++] = copy;
}

/* Runs one expected file.  Returns true when the report passes. */
static bool run_report(suite *s, const char *id, const char *expected_path) {
  json_error_t err;
  json_t *expected = json_load_file(expected_path, 0, &err);
  judge j = {.s = s, .id = id};
  const char *kind = "other";
  bool readable = false;
  json_t *actual = NULL;
  /* Problems go to stderr in --markdown mode, keeping stdout a table. */
  FILE *out = s->markdown ? stderr : stdout;
  if (!expected || !json_is_object(expected)) {
    fprintf(out, "%s: %s: %s (line %d)\n", id, expected_path,
            expected ? "not a JSON object" : err.text, err.line);
    goto done;
  }
  const manifest_row *m = manifest_find(s, id);
  if (!m) {
    fprintf(out, "%s: no row with id %s in MANIFEST.tsv\n", id, id);
    goto done;
  }
  kind = kind_from_manifest(m);
  char *raw = join(s->corpus_dir, m->file);
  if (!raw)
    goto done;
  actual = read_report(out, id, raw);
  free(raw);
  if (actual) {
    readable = true;
    const char *f = json_string_value(
        json_object_get(json_object_get(actual, "source"), "format"));
    kind = KINDS[kind_index(f)];
    j.diags = json_object_get(actual, "diagnostics");
  }
  /* Every member the expected file names, in its order; an unreadable
   * report gets every cell WRONG. */
  const char *key;
  json_t *ev;
  json_object_foreach(expected, key, ev) {
    judge_value(&j, key, ev, actual ? json_object_get(actual, key) : NULL);
  }
done:;
  bool passed = readable && j.t.wrong == 0;
  char line[256];
  snprintf(line, sizeof line, "%s (%s): %ld/%ld right, %ld flagged, %ld wrong",
           id, kind, j.t.right, j.t.total, j.t.flagged, j.t.wrong);
  if (!s->markdown)
    printf("%s%s\n%s", line, passed ? "" : " FAIL", j.detail ? j.detail : "");
  free(j.detail);
  snprintf(line, sizeof line, "| %s | %s | %ld | %ld | %ld | %ld |", id, kind,
           j.t.total, j.t.right, j.t.flagged, j.t.wrong);
  keep_line(s, line);
  add_tally(&s->kinds[kind_index(kind)], &j.t, passed);
  add_tally(&s->all, &j.t, passed);
  json_decref(actual);
  json_decref(expected);
  return passed;
}

static double pct(long part, long whole) {
  return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void print_kind_row(const char *name, const tally *t, bool md) {
  if (md)
    printf("| %s | %d | %ld | %ld (%.1f%%) | %ld (%.1f%%) | %ld (%.1f%%) |\n",
           name, t->reports, t->total, t->right, pct(t->right, t->total),
           t->flagged, pct(t->flagged, t->total), t->wrong,
           pct(t->wrong, t->total));
  else
    printf("%-9s %3d reports, %3d passed: %5ld/%5ld right (%.1f%%), %ld "
           "flagged, %ld wrong\n",
           name, t->reports, t->passed, t->right, t->total,
           pct(t->right, t->total), t->flagged, t->wrong);
}

static void print_totals(const suite *s) {
  if (s->markdown) {
    printf("| input kind | reports | cells | right | null, flagged | wrong "
           "|\n|---|---:|---:|---:|---:|---:|\n");
  } else {
    printf("\nper input kind:\n");
  }
  for (size_t k = 0; k < N_KINDS; k++)
    if (s->kinds[k].reports)
      print_kind_row(KINDS[k], &s->kinds[k], s->markdown);
  print_kind_row(s->markdown ? "**all**" : "all", &s->all, s->markdown);
  if (s->markdown) {
    printf("\n| report | input kind | cells | right | null, flagged | wrong "
           "|\n|---|---|---:|---:|---:|---:|\n");
    for (size_t i = 0; i < s->n_report_lines; i++)
      printf("%s\n", s->report_lines[i]);
  }
}

static int ends_with_json(const struct dirent *e) {
  size_t len = strlen(e->d_name);
  return len > 5 && e->d_name[0] != '.' &&
         strcmp(e->d_name + len - 5, ".json") == 0;
}

int main(int argc, char **argv) {
  static suite s;
  const char *dirs[2] = {GK_CORPUS_DIR, GK_EXPECTED_DIR};
  int n_dirs = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--markdown") == 0) {
      s.markdown = true;
    } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      s.only = argv[++i];
    } else if (argv[i][0] == '-' || n_dirs == 2) {
      fprintf(stderr,
              "usage: %s [--markdown] [--only NNN] [CORPUS_DIR "
              "[EXPECTED_DIR]]\n",
              argv[0]);
      return 2;
    } else {
      dirs[n_dirs++] = argv[i];
    }
  }
  s.corpus_dir = dirs[0];
  const char *expected_dir = dirs[1];
  char *manifest = join(s.corpus_dir, "MANIFEST.tsv");
  struct stat st;
  if (!is_dir(s.corpus_dir) || !manifest || stat(manifest, &st) != 0) {
    printf("SKIP: %s/MANIFEST.tsv not found (the shared corpus is outside "
           "the checkout; set GK_SHARED_DIR)\n",
           s.corpus_dir);
    free(manifest);
    return 77;
  }
  int rc = 1;
  struct dirent **names = NULL;
  int n_names = -1;
  if (read_manifest(&s, manifest) != 0)
    goto out;
  n_names = scandir(expected_dir, &names, ends_with_json, alphasort);
  if (n_names <= 0) {
    printf("no expected files in %s\n0 passed, 1 failed\n", expected_dir);
    goto out;
  }
  int n_passed = 0, n_failed = 0;
  for (int i = 0; i < n_names; i++) {
    char id[256];
    snprintf(id, sizeof id, "%.*s", (int)(strlen(names[i]->d_name) - 5),
             names[i]->d_name);
    if (s.only && strcmp(s.only, id) != 0)
      continue;
    char *path = join(expected_dir, names[i]->d_name);
    if (path && run_report(&s, id, path))
      n_passed++;
    else
      n_failed++;
    free(path);
  }
  print_totals(&s);
  if (!s.markdown)
    printf("%d passed, %d failed\n", n_passed, n_failed);
  rc = s.markdown || n_failed == 0 ? 0 : 1;
out:
  for (int i = 0; i < n_names; i++)
    free(names[i]);
  free(names);
  for (size_t i = 0; i < s.n_rows; i++) {
    free(s.rows[i].file);
    free(s.rows[i].format);
  }
  for (size_t i = 0; i < s.n_report_lines; i++)
    free(s.report_lines[i]);
  free(s.report_lines);
  free(manifest);
  return rc;
}
