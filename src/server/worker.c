/*
 * worker.c - the job queue's workers: a pool of threads, each with its
 * own connection to the store, that parse and check uploaded reports
 * through the public API and store the model JSON and the findings.
 *
 * A job's results (the report's state, model, source text, findings and
 * body) are written in one transaction with the job's completion, so a
 * crash leaves a job either done with all its results or still to do.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef __GLIBC__ /* defined by the headers above */
#include <malloc.h>
#endif

#include "auth.h"
#include "gongkai.h"
#include "server.h"

/* How long an idle worker sleeps before looking at the queue again when
 * nobody woke it: jobs queued by another process (PostgreSQL) are seen
 * within this time. */
#define GK_WORKER_POLL_MS 500

/* The most workers one process runs: more would only contend for the
 * database and the cores. */
#define GK_WORKERS_MAX 64

/* Jobs a worker claims at once and whose results it commits together:
 * a commit's fixed cost (the pages of the tables and indexes every job
 * touches, written again with each transaction) is paid once for up to
 * this many reports.  Small enough that a batch's results reach the page
 * within a second or two, that a crash redoes little, and that a handful
 * of uploads still spreads over the workers (each claims what is
 * queued, up to this). */
#define GK_WORKER_BATCH 16

/* glibc's malloc, by default, gives memory back to the kernel as soon as
 * 128 KiB lie free at the top of a heap, and maps an allocation over its
 * (moving) threshold on its own.  A job allocates and frees a report's
 * arena, its model JSON and the query rows, so each job faulted fresh
 * pages in again: 10 page faults a report, 6 % of an import's CPU
 * (perf).  Freed memory is kept up to this much per heap, and only
 * allocations of this size or more are mapped on their own (a ZIP's
 * body, a large file), which took an import of the 10,000-report bench
 * corpus from 78,000-120,000 page faults to 8,400 and its resident
 * memory from 36 to 44 MB. */
#define GK_MALLOC_TRIM_BYTES ((size_t)16 << 20)
#define GK_MALLOC_MMAP_BYTES ((size_t)4 << 20)

/* SQLite: connections of their own for what the checks made on upload
 * read (the region tree, last year's report), so that a check does not
 * wait for the shared store's lock, which a group's commit holds for
 * tens of milliseconds (docs/PERFORMANCE.md "Eighth pass"): as many as
 * threads check at once in the usual case (the HTTP threads and the
 * workers); a check that finds every one taken reads through the shared
 * store, as every check did before. */
#define GK_CHECK_CONNS 6

/* An idle worker on SQLite claims queued jobs through the shared store;
 * when a commit holds it, the worker waits this long for a request for
 * help instead of waiting out the commit, at most this many times before
 * it waits for the lock (so that a queue is never starved by uploads). */
#define GK_WORKER_BUSY_WAIT_MS 5
#define GK_WORKER_BUSY_TRIES 100

/* Work that a caller shares with the idle workers (gk_workers_help()):
 * fn(arg) run by the caller and by up to `wanted` more workers. */
typedef struct help_request {
  void (*fn)(void *);
  void *arg;
  int wanted, running;
  struct help_request *next;
} help_request;

typedef struct worker_pool {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  pthread_cond_t helped; /* a helper returned from its help_request */
  help_request *help;    /* open requests, newest first */
  pthread_t threads[GK_WORKERS_MAX];
  int n;
  unsigned long pending_wakes;
  gk_checkpointer *ckpt; /* SQLite: the WAL checkpointed beside the writers */
  gk_store *checks[GK_CHECK_CONNS]; /* SQLite: gk_checks_acquire()'s */
  int n_checks;
  atomic_uint next_check; /* where the next acquire starts looking */
} worker_pool;

typedef struct worker_arg {
  gk_server *srv;
  int index;
} worker_arg;

static void id_text(char *buf, size_t cap, int64_t id) {
  snprintf(buf, cap, "%lld", (long long)id);
}

/* ------------------------------------------------------------- matching */

static int same(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Whether key a ends with key b (or equals it); keys shorter than two
 * characters (six bytes of CJK) would match too much and never do. */
static int key_ends(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  return lb >= 6 && la >= lb && strcmp(a + la - lb, b) == 0;
}

static int history_refresh(gk_store *s, const char *id, const char *old_region);

/* The region tree as find_body() reads it, kept with the connection
 * (gk_store_cache()): every region's id, parent, name and key, by id.
 * Regions are only ever added (api.c inserts them; nothing updates or
 * deletes one), so the number of regions says whether the copy is
 * current: one count(*) per match instead of reading every key. */
typedef struct body_entry {
  int64_t id, parent;
  char *name, *key;
} body_entry;

typedef struct body_cache {
  int64_t count;
  size_t n;
  body_entry *e;
  gk_rows *rows; /* owns the strings */
} body_cache;

/* How many parents a scope test climbs at most: the tree is province to
 * township (five levels); the cap stops a cycle. */
#define GK_BODY_MAX_DEPTH 32

static void body_cache_free(void *p) {
  body_cache *c = p;
  if (!c)
    return;
  gk_rows_free(c->rows);
  free(c->e);
  free(c);
}

/* The connection's copy of the tree, read again when regions were added;
 * NULL when the store failed or memory ran out.  Hold the store's lock. */
static body_cache *bodies(gk_store *s) {
  int ok;
  int64_t count = gk_store_int(s, "SELECT count(*) FROM regions", NULL, 0, &ok);
  if (!ok)
    return NULL;
  body_cache *c = gk_store_cache(s);
  if (c && c->count == count)
    return c;
  gk_rows *r = NULL;
  if (gk_store_query(s,
                     "SELECT id, parent_id, name, name_key FROM regions "
                     "ORDER BY id",
                     NULL, 0, &r) != 0)
    return NULL;
  c = calloc(1, sizeof *c);
  size_t n = gk_rows_count(r);
  body_entry *e = c ? calloc(n ? n : 1, sizeof *e) : NULL;
  if (!e) {
    free(c);
    gk_rows_free(r);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    e[i].id = gk_rows_int(r, i, 0, -1);
    e[i].parent = gk_rows_int(r, i, 1, 0);
    e[i].name = (char *)gk_rows_get(r, i, 2, NULL);
    e[i].key = (char *)gk_rows_get(r, i, 3, NULL);
  }
  /* the count read with the rows: a region added in between is read
   * again at the next match */
  c->count = (int64_t)n;
  c->n = n;
  c->e = e;
  c->rows = r;
  gk_store_set_cache(s, c, body_cache_free);
  return c;
}

static const body_entry *body_by_id(const body_cache *c, int64_t id) {
  size_t lo = 0, hi = c->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->e[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < c->n && c->e[lo].id == id ? &c->e[lo] : NULL;
}

/* Whether region e is `scope` or under it (0: the whole tree), as
 * gk_authz_scope_sql() selects. */
static int in_scope(const body_cache *c, const body_entry *e, int64_t scope) {
  if (scope == 0)
    return 1;
  for (int depth = 0; e && depth < GK_BODY_MAX_DEPTH; depth++) {
    if (e->id == scope)
      return 1;
    e = e->parent > 0 ? body_by_id(c, e->parent) : NULL;
  }
  return 0;
}

/* Finds the body of the region tree an agency names, among the bodies of
 * the uploader's scope only (reports.scope_region_id; 0: the whole tree),
 * so that an upload is never filed under a body its uploader may not see:
 * exactly, else by gk_body_key() (one key ending the other).  Sets *found
 * (-1 for none) and *kind ("exact", "normalised", "unsure" or "none").
 * Returns 0, or -1 when the store failed. */
static int find_body(gk_store *s, int64_t scope_region, const char *agency,
                     int64_t *found, const char **kind) {
  char key[512];
  size_t klen = gk_body_key(agency, key, sizeof key);
  *kind = "none";
  *found = -1;
  gk_store_lock(s);
  const body_cache *c = bodies(s);
  if (!c) {
    gk_store_unlock(s);
    return -1;
  }
  size_t hits = 0;
  for (size_t i = 0; i < c->n; i++)
    if (c->e[i].name && strcmp(c->e[i].name, agency) == 0 &&
        in_scope(c, &c->e[i], scope_region)) {
      hits++;
      *found = c->e[i].id;
    }
  if (hits == 1) {
    *kind = "exact";
  } else if (hits > 1) {
    *kind = "unsure";
    *found = -1;
  } else if (klen > 0) {
    for (size_t i = 0; i < c->n; i++) {
      const char *k = c->e[i].key;
      if (k && (strcmp(k, key) == 0 || key_ends(key, k) || key_ends(k, key)) &&
          in_scope(c, &c->e[i], scope_region)) {
        hits++;
        *found = c->e[i].id;
      }
    }
    if (hits == 1)
      *kind = "normalised";
    else if (hits > 1) {
      *kind = "unsure";
      *found = -1;
    }
  }
  gk_store_unlock(s);
  return 0;
}

/* Matches the report (see gk_match_report()); then, when its body changed,
 * brings the history.* findings of the report and of its body's next year
 * up to date. */
static int match_report(gk_store *s, int64_t report_id) {
  char id[24];
  id_text(id, sizeof id, report_id);
  gk_param p[] = {GK_TEXT(id)};
  gk_rows *r = NULL;
  if (gk_store_query(s,
                     "SELECT agency, match, region_id, scope_region_id "
                     "FROM reports WHERE id = $1",
                     p, 1, &r) != 0)
    return -1;
  const char *agency = gk_rows_get(r, 0, 0, NULL);
  const char *match = gk_rows_get(r, 0, 1, NULL);
  const char *old_region = gk_rows_get(r, 0, 2, NULL);
  if (!agency || (match && strcmp(match, "manual") == 0)) {
    gk_rows_free(r);
    return 0;
  }
  const char *kind;
  int64_t found;
  int rc = find_body(s, gk_rows_int(r, 0, 3, 0), agency, &found, &kind);
  if (rc != 0)
    goto out;
  char fid[24];
  id_text(fid, sizeof fid, found);
  gk_param u[] = {GK_TEXT(id), found > 0 ? GK_TEXT(fid) : GK_TEXT(NULL),
                  GK_TEXT(kind)};
  rc = gk_store_exec(s,
                     "UPDATE reports SET region_id = $2, match = $3 "
                     "WHERE id = $1",
                     u, 3);
  if (rc == 0 && !same(old_region, found > 0 ? fid : NULL))
    rc = history_refresh(s, id, old_region);
out:
  gk_rows_free(r);
  return rc;
}

int gk_match_report(gk_store *s, int64_t report_id) {
  return match_report(s, report_id);
}

/* On PostgreSQL, locks report `id`'s row until the transaction ends, so
 * that two connections replacing its findings (a worker reading the
 * report, another re-checking it because last year's report arrived) take
 * turns instead of both deleting the old findings and both inserting.
 * Locks are taken in the order of the years (a report, then its body's
 * next year), so they cannot deadlock.  SQLite has one writer at a time. */
static int lock_report(gk_store *s, const char *id) {
  if (gk_store_kind(s) == GK_DB_SQLITE)
    return 0;
  gk_param p[] = {GK_TEXT(id)};
  return gk_store_exec(s, "SELECT id FROM reports WHERE id = $1 FOR UPDATE", p,
                       1);
}

/* ------------------------------------------------------------- findings */

/* An earlier finding whose line and review carry over to a new one of the
 * same rule and path. */
typedef struct old_finding {
  char *rule, *path, *line, *page, *status, *reason, *reviewer, *reviewed;
  int used;
} old_finding;

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* Inserts diagnostics as findings.  `old` (n_old) are the
 * findings they replace: a new finding of the same rule and path takes
 * over the old one's line (a model read back from JSON has no lines) and
 * review. */
static int insert_findings(gk_store *s, const char *id, const gk_diag **list,
                           size_t n, old_finding *old, size_t n_old) {
  for (size_t i = 0; i < n; i++) {
    const gk_diag *d = list[i];
    char seq[24], line[24], page[24], exp[24], act[24];
    snprintf(seq, sizeof seq, "%zu", i);
    snprintf(line, sizeof line, "%u", (unsigned)d->line);
    snprintf(page, sizeof page, "%u", (unsigned)d->page);
    snprintf(exp, sizeof exp, "%lld", (long long)d->expected);
    snprintf(act, sizeof act, "%lld", (long long)d->actual);
    old_finding *o = NULL;
    for (size_t k = 0; k < n_old && !o; k++)
      if (!old[k].used && same(old[k].rule, d->rule) &&
          same(old[k].path, d->path)) {
        o = &old[k];
        o->used = 1;
      }
    gk_param p[] = {
        GK_TEXT(id),
        GK_TEXT(seq),
        GK_TEXT(d->rule),
        GK_TEXT(gk_severity_name(d->severity)),
        GK_TEXT(d->message),
        GK_TEXT(d->line ? line : (o ? o->line : NULL)),
        GK_TEXT(d->page ? page : (o ? o->page : NULL)),
        GK_TEXT(d->path),
        GK_TEXT(d->has_expected ? exp : NULL),
        GK_TEXT(d->has_expected ? act : NULL),
        GK_TEXT(o ? o->status : "open"),
        GK_TEXT(o ? o->reason : NULL),
        GK_TEXT(o ? o->reviewer : NULL),
        GK_TEXT(o ? o->reviewed : NULL),
    };
    if (gk_store_exec(s,
                      "INSERT INTO findings (report_id, seq, rule, severity, "
                      "message, line, page, path, expected, actual, status, "
                      "reason, reviewer, reviewed) VALUES ($1, $2, $3, $4, "
                      "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                      p, 14) != 0)
      return -1;
  }
  return 0;
}

/* Counts a list of diagnostics by severity, and the meta.late ones (the
 * region page's 逾期 column). */
static void count_diags(const gk_diag **list, size_t n, char es[24],
                        char ws[24], char ns[24], char late[24]) {
  size_t c[3] = {0, 0, 0}, nl = 0;
  for (size_t i = 0; i < n; i++) {
    c[list[i]->severity == GK_SEV_ERROR     ? 0
      : list[i]->severity == GK_SEV_WARNING ? 1
                                            : 2]++;
    nl += strcmp(list[i]->rule, "meta.late") == 0;
  }
  snprintf(es, 24, "%zu", c[0]);
  snprintf(ws, 24, "%zu", c[1]);
  snprintf(ns, 24, "%zu", c[2]);
  snprintf(late, 24, "%zu", nl);
}

/* Writes the counts of findings into the report's row after its findings
 * were replaced (a re-check): by severity, the late ones, and the
 * confirmed ones (a review carried over). */
static int update_summary(gk_store *s, const char *id, const gk_diag **list,
                          size_t n) {
  char es[24], ws[24], ns[24], late[24], now[21];
  count_diags(list, n, es, ws, ns, late);
  gk_store_now(now);
  gk_param p[] = {GK_TEXT(id), GK_TEXT(es),  GK_TEXT(ws),
                  GK_TEXT(ns), GK_TEXT(now), GK_TEXT(late)};
  return gk_store_exec(s,
                       "UPDATE reports SET errors = $2, warnings = $3, "
                       "notes = $4, checked = $5, late = $6, confirmed = "
                       "(SELECT count(*) FROM findings WHERE report_id = $1 "
                       "AND status = 'confirmed') WHERE id = $1",
                       p, 6);
}

/* The report's diagnostics as a list (malloc'd; NULL with *n 0 when
 * there are none or memory ran out). */
static const gk_diag **diag_list(const gk_report *rep, size_t *n) {
  *n = gk_report_diag_count(rep);
  // NOLINTNEXTLINE(bugprone-sizeof-expression): a list of pointers
  const gk_diag **l = calloc(*n ? *n : 1, sizeof *l);
  if (!l) {
    *n = 0;
    return NULL;
  }
  for (size_t i = 0; i < *n; i++)
    l[i] = gk_report_diag(rep, i);
  return l;
}

static void check_options(const gk_server *srv, gk_check_options *o) {
  memset(o, 0, sizeof *o);
  o->township_deadline_month = srv->cfg->township_deadline_month;
  o->township_deadline_day = srv->cfg->township_deadline_day;
}

static gk_report *previous_report(gk_store *s, const char *region, int year,
                                  int *ok);
static int recheck(gk_store *s, const char *id);
static int recheck_next_year(gk_store *s, const char *region, const char *year);

/*
 * A claimed job on its way: read (job_read), then checked against what
 * the store says of its body and last year (job_prepare), both outside
 * the store's lock, so that the workers parse, check and write the model
 * JSON side by side; then its results written inside its batch's
 * transaction (job_write), which first looks again at the body and last
 * year's report and re-checks from the stored model when either changed
 * in between.
 */
typedef struct job_work {
  gk_job job;
  gk_rows *row; /* sha256, name, match, region_id, scope_region_id */
  /* the report's row as job_read() read it (pointers into row), or as an
   * upload makes it (gk_upload_check_*: no match, no body yet) */
  const char *name, *match, *old_region;
  int64_t scope;
  gk_report *rep;
  gk_status st;
  int fresh; /* a report inserted by this transaction: no findings yet */
  const char *detail; /* the reader's static words on failure */
  /* job_prepare()'s: the body matched (text id, "" for none) and how
   * (NULL when not looked for: a manual choice, or no agency), last
   * year's report of that body (-1: none), the model JSON, the findings */
  char region[24];
  const char *kind;
  int64_t prev_id;
  char *json;
  size_t json_len;
  const gk_diag **list;
  size_t n_list;
  /* what job_write() needs of the read report, kept by keep_results()
   * once the report is freed: its metadata and body kind, and the
   * findings (list points into diags); the strings are in `kept` */
  gk_meta meta;
  const char *body_kind;
  gk_diag *diags;
  char *kept;
} job_work;

/* Reads a claimed job's file.  Returns 0 (w->st says whether it read), or
 * -1 when the store failed. */
static int job_read(gk_store *s, job_work *w) {
  char id[24];
  id_text(id, sizeof id, w->job.report_id);
  gk_param p[] = {GK_TEXT(id)};
  char *bytes = NULL;
  size_t len = 0;
  if (gk_store_query(s,
                     "SELECT sha256, name, match, region_id, scope_region_id "
                     "FROM reports "
                     "WHERE id = $1",
                     p, 1, &w->row) != 0 ||
      gk_rows_count(w->row) != 1 ||
      gk_store_get_file(s, gk_rows_get(w->row, 0, 0, NULL), &bytes, &len) != 0)
    return -1;
  w->name = gk_rows_get(w->row, 0, 1, NULL);
  w->match = gk_rows_get(w->row, 0, 2, NULL);
  w->old_region = gk_rows_get(w->row, 0, 3, NULL);
  w->scope = gk_rows_int(w->row, 0, 4, 0);
  /* the file's key is its SHA-256: the reader need not hash it again */
  gk_read_options ro = {.sha256 = gk_rows_get(w->row, 0, 0, NULL)};
  w->st = gk_read_buffer(bytes, len, w->name, &ro, &w->rep, &w->detail);
  free(bytes);
  return 0;
}

static void job_free(job_work *w) {
  free(w->kept);
  free(w->diags);
  free(w->list);
  free(w->json);
  gk_report_free(w->rep);
  gk_rows_free(w->row);
  memset(w, 0, sizeof *w);
}

/* The body a read report belongs to (text id into region, "" for none)
 * and how it was matched (*kind; NULL when not looked for: a manual
 * choice stands, and without an agency nothing matches).  Returns 0, or
 * -1 when the store failed. */
static int job_match(gk_store *s, const job_work *w, const gk_meta *m,
                     char region[24], const char **kind) {
  const char *match = w->match;
  const char *old_region = w->old_region;
  region[0] = '\0';
  *kind = NULL;
  if (!m->agency || (match && strcmp(match, "manual") == 0)) {
    if (old_region)
      snprintf(region, 24, "%s", old_region);
    return 0;
  }
  int64_t found = -1;
  if (find_body(s, w->scope, m->agency, &found, kind) != 0)
    return -1;
  if (found > 0)
    id_text(region, 24, found);
  return 0;
}

/* The id of last year's report of body `region` (text) for `year`, as
 * previous_report() picks it; -1 when there is none.  *ok is 0 when the
 * store failed. */
static int64_t previous_id(gk_store *s, const char *region, int year, int *ok) {
  char y[16];
  snprintf(y, sizeof y, "%d", year);
  gk_param p[] = {GK_TEXT(region), GK_TEXT(y)};
  gk_rows *r = NULL;
  *ok = gk_store_query(s,
                       "SELECT p.id FROM reports p JOIN report_models m ON "
                       "m.report_id = p.id WHERE p.region_id = $1 AND p.year "
                       "= $2 AND p.state = 'done' ORDER BY p.id DESC LIMIT 1",
                       p, 2, &r) == 0;
  int64_t id = gk_rows_count(r) ? gk_rows_int(r, 0, 0, -1) : -1;
  gk_rows_free(r);
  return id;
}

/* Appends s (NULL stays NULL) to the block at *at; returns the copy. */
static const char *keep_str(char **at, const char *s) {
  if (!s)
    return NULL;
  size_t n = strlen(s) + 1;
  char *copy = memcpy(*at, s, n);
  *at += n;
  return copy;
}

/* Copies what job_write() needs of a checked report (its metadata, body
 * kind and findings) and frees the report: a parsed report holds a
 * quarter to half a megabyte of arena, and the reports checked on upload
 * wait for their group's commit (64 files a group, several groups at
 * once), which took `serve --import` of the bench corpus from 46 to
 * 155-174 MB resident before the copy.  Returns GK_OK or GK_ENOMEM. */
static gk_status keep_results(job_work *w) {
  gk_report_meta(w->rep, &w->meta);
  w->body_kind = gk_body_kind_label(gk_report_body_kind(w->rep));
  const gk_meta *m = &w->meta;
  const char *strs[] = {m->source_format, m->title, m->agency, m->published};
  size_t bytes = 0;
  for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
    bytes += strs[i] ? strlen(strs[i]) + 1 : 0;
  for (size_t i = 0; i < w->n_list; i++) {
    const gk_diag *d = w->list[i];
    const char *ds[] = {d->rule, d->message, d->path};
    for (size_t k = 0; k < 3; k++)
      bytes += ds[k] ? strlen(ds[k]) + 1 : 0;
  }
  w->kept = malloc(bytes ? bytes : 1);
  w->diags = calloc(w->n_list ? w->n_list : 1, sizeof *w->diags);
  if (!w->kept || !w->diags)
    return GK_ENOMEM;
  char *at = w->kept;
  w->meta.source_format = keep_str(&at, m->source_format);
  w->meta.title = keep_str(&at, m->title);
  w->meta.agency = keep_str(&at, m->agency);
  w->meta.published = keep_str(&at, m->published);
  /* the other fields point into the report: not used after this */
  w->meta.source_name = w->meta.sha256 = NULL;
  for (size_t i = 0; i < w->n_list; i++) {
    gk_diag *d = &w->diags[i];
    *d = *w->list[i];
    d->rule = keep_str(&at, d->rule);
    d->message = keep_str(&at, d->message);
    d->path = keep_str(&at, d->path);
    w->list[i] = d;
  }
  gk_report_free(w->rep);
  w->rep = NULL;
  return GK_OK;
}

/* Matches and checks a read report with last year's report of its body,
 * and writes its model JSON and findings list, outside the store's lock
 * (each query takes it on its own).  Returns 0 (w->st says whether the
 * report was checked), or -1 when the store failed. */
static int job_prepare(gk_server *srv, gk_store *s, job_work *w) {
  if (w->st != GK_OK)
    return 0;
  gk_meta m;
  gk_report_meta(w->rep, &m);
  if (job_match(s, w, &m, w->region, &w->kind) != 0)
    return -1;
  int ok = 1;
  gk_report *prev = NULL;
  w->prev_id = -1;
  if (w->region[0] && m.year) {
    w->prev_id = previous_id(s, w->region, m.year - 1, &ok);
    if (ok && w->prev_id > 0)
      prev = previous_report(s, w->region, m.year - 1, &ok);
  }
  if (!ok) {
    gk_report_free(prev);
    return -1;
  }
  gk_check_options o;
  check_options(srv, &o);
  o.prev = prev;
  w->st = gk_check(w->rep, &o);
  gk_report_free(prev);
  if (w->st == GK_OK)
    w->st = gk_report_to_json(w->rep, 0, &w->json, &w->json_len);
  if (w->st == GK_OK) {
    w->list = diag_list(w->rep, &w->n_list);
    if (!w->list && w->n_list)
      w->st = GK_ENOMEM;
  }
  if (w->st == GK_OK)
    w->st = keep_results(w);
  return 0;
}

/*
 * A job's results, inside the open results transaction, with as few
 * statements as the store allows: the model once (report_models), the
 * report's row once, the findings.  The source text is not stored: the
 * report page reads it again from the stored original.  The body and
 * last year's report are looked up again first: when either changed
 * since job_prepare() (a roster import, last year's report committed in
 * between), the row takes the body found now and the report is checked
 * again from its stored model (recheck()), so that its history.*
 * findings are those of the store as committed.  Reports of the body's
 * next year are checked again with this one.  Returns 0, or -1 when the
 * store failed (the caller rolls back).
 */
static int job_write(gk_store *s, job_work *w) {
  char id[24];
  id_text(id, sizeof id, w->job.report_id);
  gk_param p[] = {GK_TEXT(id)};
  if (!w->fresh &&
      (lock_report(s, id) != 0 ||
       gk_store_exec(s, "DELETE FROM findings WHERE report_id = $1", p, 1) !=
           0))
    return -1;
  const char *old_region = w->old_region;
  if (w->st != GK_OK) {
    /* The reader's own words, for the page: "不支持的文件格式：PNG 图像". */
    char msg[512];
    snprintf(msg, sizeof msg, "%s%s%s", gk_strerror(w->st),
             w->detail ? "：" : "", w->detail ? w->detail : "");
    char now[21];
    gk_store_now(now);
    gk_param f[] = {GK_TEXT(id), GK_TEXT(msg), GK_TEXT(now)};
    return gk_store_exec(s,
                         "UPDATE reports SET state = 'failed', error = $2, "
                         "checked = $3 WHERE id = $1",
                         f, 3);
  }
  const gk_meta m = w->meta;
  char region[24], year[16] = "";
  const char *kind;
  int ok = 1;
  if (job_match(s, w, &m, region, &kind) != 0)
    return -1;
  int64_t prev_id =
      region[0] && m.year ? previous_id(s, region, m.year - 1, &ok) : -1;
  if (!ok)
    return -1;
  int stale = strcmp(region, w->region) != 0 || prev_id != w->prev_id;
  if (m.year)
    snprintf(year, sizeof year, "%d", m.year);
  char es[24], ws[24], ns[24], late[24], now[21];
  count_diags(w->list, w->n_list, es, ws, ns, late);
  gk_store_now(now);
  /* model stays NULL until a reviewer corrects a cell (readers take
   * coalesce(model, model_read)): the model is not stored twice */
  gk_param u[] = {GK_TEXT(id), GK_TEXT(w->json)};
  gk_param v[] = {GK_TEXT(id),
                  GK_TEXT(m.source_format),
                  GK_TEXT(m.title),
                  GK_TEXT(m.agency),
                  GK_TEXT(w->body_kind),
                  GK_TEXT(year[0] ? year : NULL),
                  GK_TEXT(m.published),
                  GK_TEXT(es),
                  GK_TEXT(ws),
                  GK_TEXT(ns),
                  GK_TEXT(late),
                  GK_TEXT(now),
                  GK_TEXT(region[0] ? region : NULL),
                  GK_TEXT(kind)};
  if (gk_store_exec(s,
                    "INSERT INTO report_models (report_id, model_read, "
                    "model) VALUES ($1, $2, NULL) ON CONFLICT (report_id) "
                    "DO UPDATE SET model_read = excluded.model_read, "
                    "model = NULL",
                    u, 2) != 0 ||
      gk_store_exec(s,
                    "UPDATE reports SET state = 'done', error = NULL, "
                    "source_format = $2, title = $3, agency = $4, "
                    "body_kind = $5, year = $6, published = $7, "
                    "errors = $8, warnings = $9, notes = $10, late = $11, "
                    "confirmed = 0, checked = $12, region_id = $13, "
                    "match = coalesce($14, match) WHERE id = $1",
                    v, 14) != 0 ||
      insert_findings(s, id, w->list, w->n_list, NULL, 0) != 0 ||
      (stale && recheck(s, id) != 0))
    return -1;
  /* this report is last year's for its body's next year, and no longer
   * for the next year of a body it left */
  if (recheck_next_year(s, region[0] ? region : NULL, year) != 0 ||
      (old_region && !same(old_region, region[0] ? region : NULL) &&
       recheck_next_year(s, old_region, year) != 0))
    return -1;
  return 0;
}

int gk_worker_process(gk_server *srv, gk_store *s, const gk_job *job,
                      const char *worker) {
  job_work w;
  memset(&w, 0, sizeof w);
  w.job = *job;
  int rc = -1;
  if (job_read(s, &w) != 0 || job_prepare(srv, s, &w) != 0 ||
      gk_store_job_results_begin(s) != 0)
    goto out;
  if (job_write(s, &w) != 0) {
    gk_store_rollback(s);
    goto out;
  }
  rc = gk_store_job_done(s, job, worker);
out:
  job_free(&w);
  return rc;
}

/* Runs a claimed batch: every file read and checked first, outside the
 * store's lock, then every job's results and completions in one
 * transaction, so that the commit's fixed cost (the shared pages of the
 * tables and indexes, the WAL frames) is paid once per batch.  Returns
 * 0, or -1 when the store failed: the whole batch is then given back and
 * nothing of it is written. */
static int run_batch(gk_server *srv, gk_store *s, job_work *w, size_t n,
                     const char *worker) {
  for (size_t i = 0; i < n; i++)
    if (job_read(s, &w[i]) != 0 || job_prepare(srv, s, &w[i]) != 0)
      return -1;
  if (gk_store_job_results_begin(s) != 0)
    return -1;
  for (size_t i = 0; i < n; i++)
    if (job_write(s, &w[i]) != 0) {
      gk_store_rollback(s);
      return -1;
    }
  gk_job jobs[GK_WORKER_BATCH];
  for (size_t i = 0; i < n; i++)
    jobs[i] = w[i].job;
  return gk_store_jobs_done(s, jobs, n, worker);
}

/* ---------------------------------------------------- checked on upload */

struct gk_upload_check {
  job_work w;
};

gk_upload_check *gk_upload_check_prepare(gk_server *srv, gk_store *s,
                                         const void *bytes, size_t len,
                                         const char *name, const char *sha,
                                         int64_t scope) {
  gk_upload_check *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  job_work *w = &c->w;
  w->name = name;
  w->scope = scope;
  gk_read_options ro = {.sha256 = sha};
  w->st = gk_read_buffer(bytes, len, name, &ro, &w->rep, &w->detail);
  if (job_prepare(srv, s, w) != 0) {
    gk_upload_check_free(c);
    return NULL;
  }
  return c;
}

int gk_upload_check_write(gk_server *srv, gk_store *s, gk_upload_check *c,
                          int64_t report_id, int64_t scope) {
  job_work *w = &c->w;
  w->job.report_id = report_id;
  w->fresh = 1;
  /* the uploader's scope as the transaction read it: when it changed
   * since gk_upload_check_prepare(), job_write() matches again and
   * re-checks */
  w->scope = scope;
  char worker[sizeof srv->instance + 8];
  snprintf(worker, sizeof worker, "%s/upload", srv->instance);
  return job_write(s, w) != 0 || gk_store_job_add_done(s, report_id, worker) < 0
             ? -1
             : 0;
}

void gk_upload_check_free(gk_upload_check *c) {
  if (!c)
    return;
  job_free(&c->w);
  free(c);
}

static void free_old(old_finding *old, size_t n) {
  if (!old)
    return; /* its calloc failed: nothing to free */
  for (size_t i = 0; i < n; i++) {
    free(old[i].rule);
    free(old[i].path);
    free(old[i].line);
    free(old[i].page);
    free(old[i].status);
    free(old[i].reason);
    free(old[i].reviewer);
    free(old[i].reviewed);
  }
  free(old);
}

/* The check options of this process (the township deadline given with
 * --deadline), set by gk_worker_configure() before any thread runs and
 * only read afterwards: re-checks started from the roster import, which
 * has no gk_server at hand, use them too. */
static gk_check_options process_options;

void gk_worker_configure(const gk_server_config *cfg) {
  memset(&process_options, 0, sizeof process_options);
  process_options.township_deadline_month = cfg->township_deadline_month;
  process_options.township_deadline_day = cfg->township_deadline_day;
}

/* The report of body `region` (text id) for `year` (the newest one read
 * when there are several), read back from its model JSON; NULL when
 * there is none.  *ok is 0 when the store failed. */
static gk_report *previous_report(gk_store *s, const char *region, int year,
                                  int *ok) {
  char y[16];
  snprintf(y, sizeof y, "%d", year);
  gk_param p[] = {GK_TEXT(region), GK_TEXT(y)};
  gk_rows *r = NULL;
  gk_report *prev = NULL;
  *ok = gk_store_query(s,
                       "SELECT coalesce(m.model, m.model_read), p.name "
                       "FROM reports p JOIN report_models m ON m.report_id "
                       "= p.id WHERE p.region_id = $1 AND p.year = $2 AND "
                       "p.state = 'done' ORDER BY p.id DESC LIMIT 1",
                       p, 2, &r) == 0;
  size_t len = 0;
  const char *model =
      *ok && gk_rows_count(r) ? gk_rows_get(r, 0, 0, &len) : NULL;
  /* A stored model that no longer reads is left out of the history
   * rules rather than blocking this report's check. */
  if (model && gk_read_buffer(model, len, gk_rows_get(r, 0, 1, NULL), NULL,
                              &prev, NULL) != GK_OK)
    prev = NULL;
  gk_rows_free(r);
  return prev;
}

/*
 * Checks a report's current model (the corrected one, else the one read)
 * with last year's report of its body, and replaces its findings.  The
 * model JSON carries the provenance and the evidence "as written"
 * (docs/MODEL.md), so reading it back and checking it finds exactly what
 * `gongkai check --json` finds in that JSON file: no need for the source.
 * A finding of the same rule and path as an earlier one keeps its
 * review.
 */
static int recheck(gk_store *s, const char *id) {
  gk_param p[] = {GK_TEXT(id)};
  gk_rows *r = NULL, *f = NULL;
  gk_report *rep = NULL, *prev = NULL;
  old_finding *old = NULL;
  size_t n_old = 0, n = 0;
  const gk_diag **list = NULL;
  char *json = NULL;
  size_t json_len = 0;
  int rc = -1, ok;
  if (lock_report(s, id) != 0)
    return -1;
  if (gk_store_query(s,
                     "SELECT coalesce(m.model, m.model_read), r.name, "
                     "r.region_id, r.year, CASE WHEN m.model IS NULL THEN 0 "
                     "ELSE 1 END FROM reports r JOIN report_models m ON "
                     "m.report_id = r.id WHERE r.id = $1 AND r.state = "
                     "'done'",
                     p, 1, &r) != 0 ||
      gk_rows_count(r) != 1 || !gk_rows_get(r, 0, 0, NULL))
    goto out;
  size_t len;
  const char *model = gk_rows_get(r, 0, 0, &len);
  const char *region = gk_rows_get(r, 0, 2, NULL);
  int64_t year = gk_rows_int(r, 0, 3, 0);
  ok = 1;
  if (region && year)
    prev = previous_report(s, region, (int)year - 1, &ok);
  if (!ok)
    goto out;
  gk_check_options o = process_options;
  o.prev = prev;
  if (gk_read_buffer(model, len, gk_rows_get(r, 0, 1, NULL), NULL, &rep,
                     NULL) != GK_OK ||
      gk_check(rep, &o) != GK_OK)
    goto out;
  list = diag_list(rep, &n);
  if (!list && n)
    goto out;
  /* The stored model carries its diagnostics: rewritten with the new
   * findings, so that the model served (api.c) says what the findings
   * say, whichever order the reports of a body were checked in.  The
   * model read back writes the same bytes but for its diagnostics
   * (gongkai.h, gk_read_model_json()). */
  /* (column 4 is 0 or 1 as a number: PostgreSQL writes a boolean as
   * "t"/"f", which gk_rows_int() reads as 0) */
  if (gk_report_to_json(rep, 0, &json, &json_len) != GK_OK)
    goto out;
  gk_param mp[] = {GK_TEXT(id), GK_TEXT(json)};
  if (gk_store_exec(s,
                    gk_rows_int(r, 0, 4, 0)
                        ? "UPDATE report_models SET model = $2 WHERE "
                          "report_id = $1 AND model IS DISTINCT FROM $2"
                        : "UPDATE report_models SET model_read = $2 WHERE "
                          "report_id = $1 AND model_read IS DISTINCT FROM $2",
                    mp, 2) != 0)
    goto out;
  if (gk_store_query(s,
                     "SELECT rule, path, line, page, status, reason, "
                     "reviewer, reviewed FROM findings WHERE report_id = $1 "
                     "ORDER BY seq",
                     p, 1, &f) != 0)
    goto out;
  n_old = gk_rows_count(f);
  old = calloc(n_old ? n_old : 1, sizeof *old);
  if (!old)
    goto out;
  for (size_t i = 0; i < n_old; i++) {
    char **fields[] = {&old[i].rule,     &old[i].path,    &old[i].line,
                       &old[i].page,     &old[i].status,  &old[i].reason,
                       &old[i].reviewer, &old[i].reviewed};
    for (size_t c = 0; c < 8; c++)
      *fields[c] = dup_or_null(gk_rows_get(f, i, c, NULL));
  }
  if (gk_store_exec(s, "DELETE FROM findings WHERE report_id = $1", p, 1) !=
          0 ||
      insert_findings(s, id, list, n, old, n_old) != 0 ||
      update_summary(s, id, list, n) != 0)
    goto out;
  rc = 0;
out:
  free_old(old, n_old);
  free(list);
  free(json);
  gk_report_free(rep);
  gk_report_free(prev);
  gk_rows_free(f);
  gk_rows_free(r);
  return rc;
}

int gk_recheck_report(gk_server *srv, gk_store *s, int64_t report_id) {
  (void)srv;
  char id[24];
  id_text(id, sizeof id, report_id);
  return recheck(s, id);
}

/* Checks again, with their last year's report, the reports of the year
 * after `year` matched to body `region` (text ids; NULL does nothing). */
static int recheck_next_year(gk_store *s, const char *region,
                             const char *year) {
  if (!region || !year)
    return 0;
  char next[24];
  snprintf(next, sizeof next, "%lld", atoll(year) + 1);
  gk_param p[] = {GK_TEXT(region), GK_TEXT(next)};
  gk_rows *r = NULL;
  int rc = gk_store_query(s,
                          "SELECT id FROM reports WHERE region_id = $1 AND "
                          "year = $2 AND state = 'done'",
                          p, 2, &r);
  for (size_t i = 0; rc == 0 && i < gk_rows_count(r); i++)
    rc = recheck(s, gk_rows_get(r, i, 0, NULL));
  gk_rows_free(r);
  return rc;
}

/* The history.* rules of report `id` and of its body's next year, after
 * the report was read or its body changed (from old_region, text or
 * NULL, whose next year loses it as last year). */
static int history_refresh(gk_store *s, const char *id,
                           const char *old_region) {
  gk_param p[] = {GK_TEXT(id)};
  gk_rows *r = NULL;
  int rc = -1;
  if (gk_store_query(s,
                     "SELECT region_id, year FROM reports WHERE id = $1 "
                     "AND state = 'done'",
                     p, 1, &r) != 0)
    return -1;
  if (gk_rows_count(r) != 1) {
    rc = 0;
    goto out;
  }
  const char *region = gk_rows_get(r, 0, 0, NULL);
  const char *year = gk_rows_get(r, 0, 1, NULL);
  if ((region && recheck(s, id) != 0) ||
      recheck_next_year(s, region, year) != 0)
    goto out;
  if (old_region && !same(old_region, region) &&
      recheck_next_year(s, old_region, year) != 0)
    goto out;
  rc = 0;
out:
  gk_rows_free(r);
  return rc;
}

int gk_history_refresh(gk_store *s, int64_t report_id, int64_t old_region) {
  char id[24], old[24];
  id_text(id, sizeof id, report_id);
  id_text(old, sizeof old, old_region);
  return history_refresh(s, id, old_region > 0 ? old : NULL);
}

/* ------------------------------------------------------------ the pool */

/* The newest help request a helper may still join; NULL when none.
 * Hold pool->mu. */
static help_request *help_open(worker_pool *pool) {
  help_request *h = pool->help;
  while (h && h->wanted == 0)
    h = h->next;
  return h;
}

/* Runs one open help request, if there is one a helper may still join.
 * Returns whether it did. */
static int help_one(worker_pool *pool) {
  pthread_mutex_lock(&pool->mu);
  help_request *h = help_open(pool);
  if (!h) {
    pthread_mutex_unlock(&pool->mu);
    return 0;
  }
  h->wanted--;
  h->running++;
  pthread_mutex_unlock(&pool->mu);
  h->fn(h->arg);
  pthread_mutex_lock(&pool->mu);
  h->running--;
  pthread_cond_broadcast(&pool->helped);
  pthread_mutex_unlock(&pool->mu);
  return 1;
}

gk_store *gk_checks_acquire(gk_server *srv) {
  worker_pool *pool = srv->wake;
  if (!pool || pool->n_checks == 0)
    return NULL;
  unsigned start = atomic_fetch_add(&pool->next_check, 1);
  for (int i = 0; i < pool->n_checks; i++) {
    gk_store *s =
        pool->checks[(start + (unsigned)i) % (unsigned)pool->n_checks];
    if (gk_store_trylock(s) == 0)
      return s;
  }
  return NULL; /* every one taken: the shared store, as before the pool */
}

void gk_checks_release(gk_store *s) {
  if (s)
    gk_store_unlock(s);
}

/* The time ms milliseconds from now, for pthread_cond_timedwait(). */
static struct timespec deadline_in(long ms) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_nsec += ms * 1000000L;
  ts.tv_sec += ts.tv_nsec / 1000000000L;
  ts.tv_nsec %= 1000000000L;
  return ts;
}

/* A worker whose claim found the shared store held (SQLite: a group's
 * commit): waits up to GK_WORKER_BUSY_WAIT_MS for a request for help. */
static void wait_busy(worker_pool *pool, gk_server *srv) {
  pthread_mutex_lock(&pool->mu);
  if (!help_open(pool) && !atomic_load(&srv->stopping)) {
    struct timespec ts = deadline_in(GK_WORKER_BUSY_WAIT_MS);
    pthread_cond_timedwait(&pool->cv, &pool->mu, &ts);
  }
  pthread_mutex_unlock(&pool->mu);
}

void gk_workers_help(gk_server *srv, void (*fn)(void *), void *arg,
                     int helpers) {
  worker_pool *pool = srv->wake;
  if (!pool || helpers < 1) {
    fn(arg);
    return;
  }
  help_request h = {.fn = fn, .arg = arg, .wanted = helpers};
  pthread_mutex_lock(&pool->mu);
  h.next = pool->help;
  pool->help = &h;
  pthread_cond_broadcast(&pool->cv);
  pthread_mutex_unlock(&pool->mu);
  fn(arg);
  pthread_mutex_lock(&pool->mu);
  h.wanted = 0; /* nobody joins any more: the work is taken */
  while (h.running > 0)
    pthread_cond_wait(&pool->helped, &pool->mu);
  help_request **pp = &pool->help;
  while (*pp != &h)
    pp = &(*pp)->next;
  *pp = h.next;
  pthread_mutex_unlock(&pool->mu);
}

static void *worker_main(void *arg) {
  worker_arg *wa = arg;
  gk_server *srv = wa->srv;
  worker_pool *pool = srv->wake;
  char name[160], err[512];
  snprintf(name, sizeof name, "%s/w%d", srv->instance, wa->index);
  free(wa);
  /* SQLite: the process's one connection, shared (one writer, so no
   * waiting on SQLite's file lock); PostgreSQL: a connection per worker,
   * whose open transaction holds its job's row lock. */
  gk_store *s = NULL;
  int own = gk_store_kind(srv->store) != GK_DB_SQLITE;
  if (!own)
    s = srv->store;
  else if (gk_store_open(srv->cfg->data_dir, srv->cfg->db_url, &s, err,
                         sizeof err) != 0) {
    fprintf(stderr, "gongkai serve: 工作线程无法连接数据库：%s\n", err);
    return NULL;
  }
  int busy = 0;
  while (!atomic_load(&srv->stopping)) {
    if (help_one(pool))
      continue;
    /* SQLite: a commit of uploads holds the shared store; rather than
     * wait it out in the claim, be ready to help check the next group
     * (which is what the uploads are waiting for) */
    if (!own && busy < GK_WORKER_BUSY_TRIES && gk_store_trylock(s) != 0) {
      busy++;
      wait_busy(pool, srv);
      continue;
    }
    if (!own && busy < GK_WORKER_BUSY_TRIES)
      gk_store_unlock(s); /* the trylock's; the claim takes it again */
    busy = 0;
    gk_job jobs[GK_WORKER_BATCH];
    int got = gk_store_jobs_claim(s, name, jobs, GK_WORKER_BATCH);
    if (got > 0) {
      job_work w[GK_WORKER_BATCH];
      memset(w, 0, sizeof w);
      for (int i = 0; i < got; i++)
        w[i].job = jobs[i];
      if (run_batch(srv, s, w, (size_t)got, name) != 0) {
        fprintf(stderr,
                "gongkai serve: 任务 %lld 等 %d 个未完成，稍后重试：%s\n",
                (long long)jobs[0].id, got, gk_store_error(s));
        gk_store_jobs_abort(s, jobs, (size_t)got);
      }
      for (int i = 0; i < got; i++)
        job_free(&w[i]);
      continue;
    }
    if (got < 0)
      fprintf(stderr, "gongkai serve: 读取任务队列失败：%s\n",
              gk_store_error(s));
    pthread_mutex_lock(&pool->mu);
    if (pool->pending_wakes == 0 && !help_open(pool) &&
        !atomic_load(&srv->stopping)) {
      struct timespec ts = deadline_in(GK_WORKER_POLL_MS);
      pthread_cond_timedwait(&pool->cv, &pool->mu, &ts);
    }
    if (pool->pending_wakes > 0)
      pool->pending_wakes--;
    pthread_mutex_unlock(&pool->mu);
  }
  if (own)
    gk_store_close(s);
  return NULL;
}

int gk_workers_start(gk_server *srv, int n) {
#ifdef __GLIBC__
  /* process-wide settings (mallopt takes malloc's own lock) */
  (void)mallopt(M_TRIM_THRESHOLD, (int)GK_MALLOC_TRIM_BYTES);
  (void)mallopt(M_MMAP_THRESHOLD, (int)GK_MALLOC_MMAP_BYTES);
#endif
  worker_pool *pool = calloc(1, sizeof *pool);
  if (!pool)
    return -1;
  pthread_mutex_init(&pool->mu, NULL);
  pthread_cond_init(&pool->cv, NULL);
  pthread_cond_init(&pool->helped, NULL);
  srv->wake = pool;
  /* the process's shared connection, which the workers and the uploads
   * commit on, no longer checkpoints in the committing thread (NULL on
   * PostgreSQL, or when it cannot start: it then does, as before) */
  pool->ckpt = gk_store_checkpointer_start(srv->store);
  atomic_init(&pool->next_check, 0);
  if (gk_store_kind(srv->store) == GK_DB_SQLITE) {
    char err[512];
    while (pool->n_checks < GK_CHECK_CONNS &&
           gk_store_open(srv->cfg->data_dir, NULL,
                         &pool->checks[pool->n_checks], err, sizeof err) == 0)
      pool->n_checks++; /* fewer (none): the checks read through store */
  }
  if (n < 1)
    n = 1;
  if (n > GK_WORKERS_MAX)
    n = GK_WORKERS_MAX;
  for (int i = 0; i < n; i++) {
    worker_arg *wa = malloc(sizeof *wa);
    if (!wa)
      return -1;
    wa->srv = srv;
    wa->index = i;
    if (pthread_create(&pool->threads[i], NULL, worker_main, wa) != 0) {
      free(wa);
      return -1;
    }
    pool->n++;
  }
  return 0;
}

void gk_workers_wake(gk_server *srv) {
  worker_pool *pool = srv->wake;
  if (!pool)
    return;
  pthread_mutex_lock(&pool->mu);
  pool->pending_wakes++;
  pthread_cond_signal(&pool->cv);
  pthread_mutex_unlock(&pool->mu);
}

void gk_workers_stop(gk_server *srv) {
  worker_pool *pool = srv->wake;
  if (!pool)
    return;
  atomic_store(&srv->stopping, 1);
  pthread_mutex_lock(&pool->mu);
  pthread_cond_broadcast(&pool->cv);
  pthread_mutex_unlock(&pool->mu);
  for (int i = 0; i < pool->n; i++)
    pthread_join(pool->threads[i], NULL);
  gk_store_checkpointer_stop(pool->ckpt);
  for (int i = 0; i < pool->n_checks; i++)
    gk_store_close(pool->checks[i]);
  pthread_cond_destroy(&pool->cv);
  pthread_cond_destroy(&pool->helped);
  pthread_mutex_destroy(&pool->mu);
  free(pool);
  srv->wake = NULL;
}
