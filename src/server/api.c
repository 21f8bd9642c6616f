/*
 * api.c - the JSON API under /api/v1/ (docs/API.md): batches and uploads,
 * reports and their findings, review and corrections, the region tree and
 * the roster, exports and the audit log.
 *
 * Each handler reads its arguments, asks the store or the library, and
 * writes JSON (jansson).  Judgements about a report come only from the
 * library: the findings are gk_check()'s diagnostics; a correction edits
 * the model JSON and the library checks it again.  Every change is written
 * to the audit log in the transaction that makes it.
 */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "gongkai.h"
#include "server.h"

/* ------------------------------------------------------------------ limits */

/* One uploaded file: the library's own input cap, so that nothing is
 * stored that it would refuse to read. */
#define GK_UPLOAD_MAX_FILE GK_MAX_INPUT_BYTES
/* Files in one batch: a province's reports for a year are a few
 * thousand; the cap bounds one batch's rows and its page. */
#define GK_UPLOAD_MAX_BATCH_FILES 20000
/* Bytes in one batch, so that one batch cannot fill the disk. */
#define GK_UPLOAD_MAX_BATCH_BYTES ((int64_t)4 << 30)
/* A ZIP archive of reports uploaded at once: it is held in memory while
 * it is unpacked, so it is capped well below the machine's memory; larger
 * folders go up as files or several archives. */
#define GK_UPLOAD_MAX_ZIP ((size_t)256 << 20)
/* A JSON request body (review, correction, batch): a few hundred bytes
 * in practice. */
#define GK_JSON_BODY_MAX ((size_t)64 << 10)
/* A roster CSV: 20,000 bodies of ~100 bytes each. */
#define GK_ROSTER_MAX_BYTES ((size_t)4 << 20)
#define GK_ROSTER_MAX_ROWS 20000
/* A list of URLs to fetch: 1,000 URLs of up to 200 characters. */
#define GK_URL_LIST_MAX_BYTES ((size_t)256 << 10)
/* Text a person types (reviewer's name, reason, file name). */
#define GK_NAME_MAX 200
#define GK_REASON_MAX 2000
/* Rows one list answer returns; pages ask again with offset. */
#define GK_LIST_MAX 5000
/* An export holds at most this many reports (one XLSX row each). */
#define GK_EXPORT_MAX_REPORTS 100000

size_t gk_api_body_limit(const char *method, const char *path) {
  if (strcmp(method, "POST") != 0 && strcmp(method, "PUT") != 0)
    return 0;
  size_t n = strlen(path);
  if (n > 6 && strcmp(path + n - 6, "/files") == 0)
    return GK_UPLOAD_MAX_FILE;
  if (n > 4 && strcmp(path + n - 4, "/zip") == 0)
    return GK_UPLOAD_MAX_ZIP;
  if (strcmp(path, "/api/v1/roster") == 0)
    return GK_ROSTER_MAX_BYTES;
  if (n > 5 && strcmp(path + n - 5, "/urls") == 0)
    return GK_URL_LIST_MAX_BYTES;
  return GK_JSON_BODY_MAX;
}

/* --------------------------------------------------------------- replies */

static void reply_json(gk_response *res, int status, json_t *j) {
  res->status = status;
  res->content_type = "application/json; charset=utf-8";
  res->body = j ? json_dumps(j, JSON_COMPACT) : NULL;
  if (!res->body) {
    /* json_pack() refuses text that is not UTF-8 (a roster line echoed
     * in a message, found by fuzz_request): answer valid JSON anyway */
    static const char bad[] = "{\"error\":\"请求内容含有无效的 UTF-8 文字\"}";
    res->body = strdup(bad);
    if (status < 400)
      res->status = 500;
  }
  res->len = res->body ? strlen(res->body) : 0;
  json_decref(j);
}

static void reply_error(gk_response *res, int status, const char *msg) {
  reply_json(res, status, json_pack("{s:s}", "error", msg));
}

/* What a person reads when the database failed (the log has why). */
static const char store_failed[] = "数据库错误，请稍后重试";

static void log_store_error(gk_store *s) {
  fprintf(stderr, "gongkai serve: 数据库错误：%s\n", gk_store_error(s));
}

static void reply_store_error(gk_response *res, gk_store *s) {
  log_store_error(s);
  reply_error(res, 500, store_failed);
}

/* ---------------------------------------------------------- transactions */

/* The body of a transaction: does its work on s and returns the HTTP
 * status of the answer.  Below 400 the transaction commits; from 400 on
 * it rolls back, and *why is the reason in Chinese (static text, or text
 * that outlives the transaction in ctx).  A store failure returns 500 and
 * leaves *why NULL: it is then logged with the database's message. */
typedef int (*tx_body)(gk_store *s, void *ctx, const char **why);

/* Runs body in one transaction, holding the store's lock throughout (the
 * HTTP threads share one connection).  Returns the status: the body's, or
 * 500 when begin or commit failed.  For a status from 400 on, *why is
 * always set (store_failed after a store failure, which is logged); below
 * 400 it is NULL and the caller answers with its own reply. */
static int transaction(gk_store *s, tx_body body, void *ctx, const char **why) {
  *why = NULL;
  gk_store_lock(s);
  int status = 500;
  if (gk_store_begin(s) == 0) {
    status = body(s, ctx, why);
    if (status < 400 && gk_store_commit(s) != 0) {
      status = 500;
      *why = NULL;
    }
    if (status >= 400) {
      if (!*why)
        log_store_error(s);
      gk_store_rollback(s);
    }
  } else {
    log_store_error(s);
  }
  gk_store_unlock(s);
  if (status >= 400 && !*why)
    *why = store_failed;
  return status;
}

/* ----------------------------------------------------------------- input */

/* Parses a decimal id; 0 when it is not one. */
static int64_t parse_id(const char *s) {
  if (!s || !*s || strlen(s) > 18)
    return 0;
  for (const char *p = s; *p; p++)
    if (!isdigit((unsigned char)*p))
      return 0;
  return strtoll(s, NULL, 10);
}

/* Matches path against a pattern where "#" stands for one decimal id
 * segment (at most two); fills ids in order.  Returns 1 on a match.  The
 * one matcher of the route table (authz.c), so that the router and the
 * authorisation gate can never read a path differently. */
static int route(const char *path, const char *pattern, int64_t *ids) {
  return gk_route_match(path, pattern, ids);
}

json_t *gk_request_json(const gk_request *req) {
  if (!req->body || req->body_len == 0)
    return json_object();
  return json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, NULL);
}

const char *gk_json_member(json_t *o, const char *key, size_t max) {
  const char *v = json_string_value(json_object_get(o, key));
  return v && strlen(v) <= max ? v : NULL;
}

/* Who made a change: the logged-in user (auth.c sets req->user before
 * any handler runs). */
static const char *actor_of(const gk_request *req) {
  return req->user ? req->user->name : "命令行";
}

static void id_text(char *buf, size_t cap, int64_t id) {
  snprintf(buf, cap, "%lld", (long long)id);
}

/* ------------------------------------------------------- rows to JSON */

/* The columns of a rows spec, "id:i,name:s,model:j": in order, each a
 * name and a type (i integer, s string, j JSON text, embedded). */
#define GK_SPEC_MAX_COLUMNS 32
typedef struct row_spec {
  char names[GK_SPEC_MAX_COLUMNS][40];
  char types[GK_SPEC_MAX_COLUMNS];
  size_t n;
} row_spec;

static void spec_parse(const char *spec, row_spec *sp) {
  sp->n = 0;
  for (const char *p = spec; *p && sp->n < GK_SPEC_MAX_COLUMNS;) {
    const char *colon = strchr(p, ':');
    size_t len = (size_t)(colon - p);
    memcpy(sp->names[sp->n], p, len < 39 ? len : 39);
    sp->names[sp->n][len < 39 ? len : 39] = '\0';
    sp->types[sp->n] = colon[1];
    sp->n++;
    p = colon + 2;
    if (*p == ',')
      p++;
  }
}

/* Turns rows into an array of objects, one member per column of spec. */
static json_t *rows_json(const gk_rows *r, const char *spec) {
  json_t *arr = json_array();
  row_spec sp;
  spec_parse(spec, &sp);
  for (size_t i = 0; i < gk_rows_count(r); i++) {
    json_t *o = json_object();
    for (size_t c = 0; c < sp.n && c < gk_rows_columns(r); c++) {
      size_t len;
      const char *v = gk_rows_get(r, i, c, &len);
      json_t *val;
      if (!v)
        val = json_null();
      else if (sp.types[c] == 'i')
        val = json_integer(strtoll(v, NULL, 10));
      else if (sp.types[c] == 'j')
        val = json_loadb(v, len, 0, NULL);
      else
        val = json_stringn(v, len);
      json_object_set_new(o, sp.names[c], val ? val : json_null());
    }
    json_array_append_new(arr, o);
  }
  return arr;
}

/* The same as text (json_text.c), without jansson's objects: the members
 * of row i, without the braces (the caller may add its own members).  A
 * 'j' column is copied as stored: the store holds only JSON that this
 * server wrote (the library's model writer, or jansson). */
static void row_text(gk_json_text *b, const gk_rows *r, size_t i,
                     const row_spec *sp) {
  for (size_t c = 0; c < sp->n && c < gk_rows_columns(r); c++) {
    size_t len;
    const char *v = gk_rows_get(r, i, c, &len);
    if (c)
      gk_json_text_raw(b, ",", 1);
    gk_json_text_str(b, sp->names[c], strlen(sp->names[c]));
    gk_json_text_raw(b, ":", 1);
    if (!v || (sp->types[c] == 'j' && len == 0))
      gk_json_text_lit(b, "null"); /* as json_loadb() of nothing */
    else if (sp->types[c] == 'i')
      gk_json_text_int(b, strtoll(v, NULL, 10));
    else if (sp->types[c] == 'j')
      gk_json_text_raw(b, v, len);
    else
      gk_json_text_str(b, v, len);
  }
}

static void rows_text(gk_json_text *b, const gk_rows *r, const char *spec) {
  row_spec sp;
  spec_parse(spec, &sp);
  gk_json_text_raw(b, "[", 1);
  for (size_t i = 0; i < gk_rows_count(r); i++) {
    gk_json_text_raw(b, i ? ",{" : "{", i ? 2 : 1);
    row_text(b, r, i, &sp);
    gk_json_text_raw(b, "}", 1);
  }
  gk_json_text_raw(b, "]", 1);
}

/* Answers 200 with the text, or 500 when writing it failed. */
static void reply_text(gk_response *res, gk_json_text *b) {
  if (b->failed || !b->p) {
    gk_json_text_free(b);
    reply_error(res, 500, "内存不足，请稍后重试");
    return;
  }
  res->status = 200;
  res->content_type = "application/json; charset=utf-8";
  res->body = b->p;
  res->len = b->len;
  b->p = NULL;
}

/* ---------------------------------------------------------- cached GETs */

/* A GET answer that depends only on the store's rows, the path, the
 * query value q ("year=2024", or "") and who asks (role and scope: issue
 * 14's scopes must never leak, so the key has them even where the route's
 * gate alone decides access).  Served from answer_cache.c while the
 * store's generation is the one it was computed under; otherwise computed
 * by fn and kept when it is a 200.  The generation is read BEFORE the
 * rows, so a kept answer is never older than its generation.  The answer
 * says which in X-Gongkai-Cache (docs/API.md). */
typedef void (*get_fn)(gk_server *srv, const gk_request *req, gk_response *res,
                       int64_t id);

static void cached_get(gk_server *srv, const gk_request *req, gk_response *res,
                       const char *q, get_fn fn, int64_t id) {
  char key[GK_ANSWER_KEY_MAX + 1], gen[GK_ANSWER_GEN_MAX + 1];
  int n = req->user
              ? snprintf(key, sizeof key, "%s?%s|role=%d|scope=%lld", req->path,
                         q, (int)req->user->role, (long long)req->user->scope)
              : -1;
  int cacheable = n > 0 && (size_t)n < sizeof key &&
                  gk_store_generation(srv->store, gen, sizeof gen) == 0;
  if (cacheable && gk_answer_cache_get(key, gen, &res->body, &res->len)) {
    res->status = 200;
    res->content_type = "application/json; charset=utf-8";
    res->cache = "hit";
    return;
  }
  fn(srv, req, res, id);
  if (!cacheable)
    return;
  if (res->status == 200 && res->body)
    gk_answer_cache_put(key, gen, res->body, res->len);
  res->cache = "miss";
}

/* ------------------------------------------------------------- handlers */

/* The years are those of the asker's scope: the reports placed in it and
 * the roster entries of its bodies (another county's years are not
 * theirs to know). */
static void api_status(gk_server *srv, const gk_request *req,
                       gk_response *res) {
  char report_scope[512], roster_scope[512], sql[1400];
  gk_authz_scope_sql(req->user, GK_REPORT_PLACE, report_scope,
                     sizeof report_scope);
  gk_authz_scope_sql(req->user, "g.region_id", roster_scope,
                     sizeof roster_scope);
  snprintf(sql, sizeof sql,
           "SELECT r.year FROM reports r WHERE r.year IS NOT NULL AND %s "
           "UNION SELECT g.year FROM roster g WHERE %s ORDER BY 1 DESC",
           report_scope, roster_scope);
  gk_rows *y = NULL;
  if (gk_store_query(srv->store, sql, NULL, 0, &y) != 0) {
    reply_store_error(res, srv->store);
    return;
  }
  json_t *years = json_array();
  for (size_t i = 0; i < gk_rows_count(y); i++)
    json_array_append_new(years, json_integer(gk_rows_int(y, i, 0, 0)));
  gk_rows_free(y);
  reply_json(res, 200,
             json_pack("{s:s,s:s,s:i,s:s,s:o}", "version", GK_VERSION,
                       "database",
                       gk_store_kind(srv->store) == GK_DB_SQLITE ? "sqlite"
                                                                 : "postgresql",
                       "schema", gk_store_schema_version(srv->store),
                       "instance", srv->instance, "years", years));
}

static void api_cells(const gk_request *req, gk_response *res) {
  const char *e = req->query(req->ctx, "edition");
  gk_edition ed = e && strcmp(e, "2019") == 0   ? GK_EDITION_2019
                  : e && strcmp(e, "2021") == 0 ? GK_EDITION_2021
                                                : GK_EDITION_UNKNOWN;
  json_t *arr = json_array();
  size_t n = gk_cell_count(ed);
  for (size_t i = 0; i < n; i++) {
    gk_cell_info c;
    if (gk_cell_get(ed, i, &c) != GK_OK)
      continue;
    json_array_append_new(
        arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?,s:s,s:i,s:i,s:i,s:b}", "path",
                       c.path, "label", c.label, "table", c.table, "row", c.row,
                       "row_label", c.row_label, "group_label", c.group_label,
                       "column_label", c.column_label, "part", c.part,
                       "row_index", c.row_index, "column_index", c.column_index,
                       "decimal", c.decimal));
  }
  reply_json(res, 200, arr);
}

static void api_batch_create(gk_server *srv, const gk_request *req,
                             gk_response *res) {
  json_t *b = gk_request_json(req);
  if (!b) {
    reply_error(res, 400, "请求内容不是有效的 JSON");
    return;
  }
  const char *actor = actor_of(req);
  const char *note = gk_json_member(b, "note", GK_REASON_MAX);
  char now[21];
  gk_store_now(now);
  /* the creating account: its scope is the scope of the batch's uploads */
  char uid[24];
  id_text(uid, sizeof uid, req->user ? req->user->id : 0);
  gk_param p[] = {GK_TEXT(now), GK_TEXT(actor && *actor ? actor : "匿名"),
                  GK_TEXT(note ? note : ""), GK_TEXT(req->user ? uid : NULL)};
  int ok;
  int64_t id = gk_store_int(srv->store,
                            "INSERT INTO batches (created, actor, note, "
                            "user_id) VALUES ($1, $2, $3, CAST($4 AS BIGINT)) "
                            "RETURNING id",
                            p, 4, &ok);
  json_decref(b);
  if (!ok) {
    reply_store_error(res, srv->store);
    return;
  }
  reply_json(res, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

/* The name shown for an upload: its last path component (a folder upload
 * sends "folder/sub/file.txt"), kept as text only. */
static const char *display_name(const char *name) {
  const char *slash = strrchr(name, '/');
  return slash && slash[1] ? slash + 1 : name;
}

/* A batch as the uploads of one transaction see it: its row, read by the
 * first of them, and the files and bytes they added, written back once by
 * batch_flush() (the row was read and updated for every file: two of an
 * upload's seven statements, docs/PERFORMANCE.md "Sixth pass"). */
typedef struct upload_batch {
  const char *bid;
  int64_t n_files, n_bytes;     /* as read */
  int64_t add_files, add_bytes; /* by this transaction's uploads */
  int64_t scope;
  char actor[GK_NAME_MAX + 1];
  char uploader[24], uscope[24];
  int loaded;
} upload_batch;

/* An upload's transaction: the batch's limits, the file, the report and
 * its results (or its job), the batch's counts (batch_flush()) and the
 * audit. */
typedef struct upload_tx {
  gk_server *srv;
  const char *bid, *name, *now;
  const void *bytes;
  size_t len;
  int64_t *report;
  int *duplicate;
  char *sha; /* computed before the transaction (gk_store_file_sha()) */
  /* read and checked before the transaction (gk_store_uploads_check());
   * NULL: the new report is queued for the workers */
  gk_upload_check *check;
  int queued; /* set when a job was queued for the workers */
  upload_batch *batch;
} upload_tx;

/* Reads the batch's row into b once.  Returns 0, 404 (*why set) or 500. */
static int batch_load(gk_store *s, upload_batch *b, const char **why) {
  if (b->loaded)
    return 0;
  gk_param pb[] = {GK_TEXT(b->bid)};
  gk_rows *r = NULL;
  if (gk_store_query(s,
                     "SELECT b.n_files, b.n_bytes, b.actor, b.user_id, "
                     "u.scope_region_id FROM batches b LEFT JOIN users u ON "
                     "u.id = b.user_id WHERE b.id = $1",
                     pb, 1, &r) != 0)
    return 500;
  if (gk_rows_count(r) == 0) {
    gk_rows_free(r);
    *why = "批次不存在";
    return 404;
  }
  b->n_files = gk_rows_int(r, 0, 0, 0);
  b->n_bytes = gk_rows_int(r, 0, 1, 0);
  /* the upload is audited under the batch's creator: the logged-in user
   * who made it (a batch is its creator's, authz.c) */
  const char *ba = gk_rows_get(r, 0, 2, NULL);
  snprintf(b->actor, sizeof b->actor, "%s", ba && *ba ? ba : "上传");
  /* the uploader (the batch's creator; none from the command line) and
   * their scope now: the new report's scope, and where "already uploaded"
   * is looked for (0: the whole tree) */
  snprintf(b->uploader, sizeof b->uploader, "%s",
           gk_rows_get(r, 0, 3, NULL) ? gk_rows_get(r, 0, 3, NULL) : "");
  b->scope = gk_rows_int(r, 0, 4, 0);
  id_text(b->uscope, sizeof b->uscope, b->scope);
  gk_rows_free(r);
  b->loaded = 1;
  return 0;
}

/* Writes the files and bytes the transaction's uploads added to the
 * batch's row.  Returns 0, or -1 when the store failed. */
static int batch_flush(gk_store *s, upload_batch *b) {
  if (b->add_files == 0)
    return 0;
  char nf[24], nb[24];
  snprintf(nf, sizeof nf, "%lld", (long long)b->add_files);
  snprintf(nb, sizeof nb, "%lld", (long long)b->add_bytes);
  gk_param c[] = {GK_TEXT(b->bid), GK_TEXT(nf), GK_TEXT(nb)};
  return gk_store_exec(s,
                       "UPDATE batches SET n_files = n_files + $2, n_bytes = "
                       "n_bytes + $3 WHERE id = $1",
                       c, 3);
}

static int upload_body(gk_store *s, void *ctx, const char **why) {
  upload_tx *t = ctx;
  upload_batch *bt = t->batch;
  int st = batch_load(s, bt, why);
  if (st != 0)
    return st;
  int64_t n_files = bt->n_files + bt->add_files,
          n_bytes = bt->n_bytes + bt->add_bytes;
  const char *actor = bt->actor, *uploader = bt->uploader;
  const char *uscope = bt->uscope;
  gk_user up;
  memset(&up, 0, sizeof up);
  up.scope = bt->scope;
  if (n_files >= GK_UPLOAD_MAX_BATCH_FILES ||
      n_bytes + (int64_t)t->len > GK_UPLOAD_MAX_BATCH_BYTES) {
    *why = "本批次的文件数或总大小已达上限，请新建批次";
    return 413;
  }
  int created, ok;
  if (gk_store_put_file_hashed(s, t->bytes, t->len, t->sha, &created) != 0)
    return 500;
  gk_param p[] = {GK_TEXT(t->sha),
                  GK_TEXT(t->bid),
                  GK_TEXT(display_name(t->name)),
                  GK_TEXT(t->now),
                  GK_TEXT(*uploader ? uploader : NULL),
                  GK_TEXT(up.scope ? uscope : NULL)};
  /* Each upload is its own report over the one stored file.  Bytes that
   * a report of the uploader's scope already has are "already uploaded"
   * (that report is named: the uploader may see it); bytes that only
   * reports outside the scope have make a new report, and the answer is
   * the same as for bytes never seen, so it tells nothing of the others.
   * On PostgreSQL, uploads of the same bytes take turns (two servers
   * must not both find none and both insert). */
  if (gk_store_kind(s) == GK_DB_POSTGRESQL &&
      gk_store_exec(s, "SELECT pg_advisory_xact_lock(hashtext($1))", p, 1) != 0)
    return 500;
  char scope[512], sql[768];
  gk_authz_scope_sql(&up, GK_REPORT_PLACE, scope, sizeof scope);
  snprintf(sql, sizeof sql,
           "SELECT r.id FROM reports r WHERE r.sha256 = $1 AND %s ORDER BY "
           "r.id LIMIT 1",
           scope);
  gk_rows *r = NULL;
  if (gk_store_query(s, sql, p, 1, &r) != 0)
    return 500;
  *t->duplicate = gk_rows_count(r) == 1;
  *t->report = *t->duplicate ? gk_rows_int(r, 0, 0, -1) : -1;
  gk_rows_free(r);
  if (!*t->duplicate) {
    *t->report = gk_store_int(s,
                              "INSERT INTO reports (sha256, batch_id, name, "
                              "received, uploader_id, scope_region_id) VALUES "
                              "($1, $2, $3, $4, CAST($5 AS BIGINT), CAST($6 "
                              "AS BIGINT)) RETURNING id",
                              p, 6, &ok);
    if (!ok)
      return 500;
    if (t->check) {
      if (gk_upload_check_write(t->srv, s, t->check, *t->report, bt->scope) !=
          0)
        return 500;
    } else {
      if (gk_store_job_add(s, *t->report) < 0)
        return 500;
      t->queued = 1;
    }
    bt->add_files++;
    bt->add_bytes += (int64_t)t->len;
  }
  char obj[40];
  snprintf(obj, sizeof obj, "report:%lld", (long long)*t->report);
  if (gk_store_audit(s, actor, *t->duplicate ? "upload-duplicate" : "upload",
                     obj, display_name(t->name)) != 0)
    return 500;
  return *t->duplicate ? 200 : 201;
}

/* Files committed together at most (gk_store_uploads()): one group's
 * transaction holds the store, and the workers sharing it, for about a
 * millisecond per file; 64 keep that under a tenth of a second on a
 * loaded machine while the pages shared by every upload are written once
 * for many files. */
#define GK_UPLOAD_GROUP_MAX 64

/* An upload waiting for its group's commit. */
typedef struct upload_wait {
  gk_store *store;
  upload_tx tx;
  gk_upload *u;
  size_t *left; /* its caller's files not yet answered */
  struct upload_wait *next;
} upload_wait;

/* The uploads of the process waiting for a commit, oldest first, and
 * whether a group is being committed now.  One thread at a time commits
 * (the leader); it takes the waiting uploads of its own store. */
static pthread_mutex_t group_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t group_cv = PTHREAD_COND_INITIALIZER;
static upload_wait *group_head, *group_tail;
static int group_running;

/* One upload in a transaction of its own (transaction()): the batch's
 * row read and written for it alone. */
static int upload_one(gk_store *s, void *ctx, const char **why) {
  upload_tx *t = ctx;
  upload_batch b = {.bid = t->bid};
  t->batch = &b;
  int status = upload_body(s, t, why);
  t->batch = NULL;
  if (status < 400 && batch_flush(s, &b) != 0)
    status = 500;
  return status;
}

/* Commits a group (the store's lock held throughout): every upload in
 * one transaction, each batch's row read once and written once.  Each
 * upload_body() that answers 4xx has written nothing (the batch's checks
 * come before its first write, and its counts are written at the end),
 * so the others stand.  When the store fails, the group is rolled back
 * and each upload is stored again in a transaction of its own. */
static void commit_group(gk_store *s, upload_wait **g, size_t n) {
  upload_batch b[GK_UPLOAD_GROUP_MAX];
  size_t nb = 0;
  int failed = 0;
  gk_store_lock(s);
  if (gk_store_begin(s) != 0)
    failed = 1;
  for (size_t i = 0; i < n && !failed; i++) {
    size_t k = 0;
    while (k < nb && strcmp(b[k].bid, g[i]->tx.bid) != 0)
      k++;
    if (k == nb)
      b[nb++] = (upload_batch){.bid = g[i]->tx.bid};
    g[i]->tx.batch = &b[k];
    g[i]->u->why = NULL;
    g[i]->u->status = upload_body(s, &g[i]->tx, &g[i]->u->why);
    g[i]->tx.batch = NULL;
    failed = g[i]->u->status >= 500;
  }
  for (size_t k = 0; k < nb && !failed; k++)
    failed = batch_flush(s, &b[k]) != 0;
  if (!failed && gk_store_commit(s) != 0)
    failed = 1;
  if (failed) {
    log_store_error(s);
    gk_store_rollback(s);
    for (size_t i = 0; i < n; i++) {
      *g[i]->tx.duplicate = 0;
      g[i]->tx.queued = 0;
      g[i]->u->status = transaction(s, upload_one, &g[i]->tx, &g[i]->u->why);
    }
  }
  gk_store_unlock(s);
  for (size_t i = 0; i < n; i++)
    if (g[i]->u->status >= 400 && !g[i]->u->why)
      g[i]->u->why = store_failed;
}

/* The uploads of one gk_store_uploads_check() call being checked,
 * shared by its threads: each takes the next file not yet taken. */
typedef struct check_run {
  gk_server *srv;
  gk_upload *u;
  size_t n;
  int64_t scope;
  atomic_size_t next;
} check_run;

static void check_some(void *arg) {
  check_run *c = arg;
  gk_store *own = gk_checks_acquire(c->srv);
  for (size_t i; (i = atomic_fetch_add(&c->next, 1)) < c->n;)
    if (!c->u[i].check) {
      /* hashed once, for the reader and for the file's key */
      if (!c->u[i].sha[0])
        gk_store_file_sha(c->u[i].bytes, c->u[i].len, c->u[i].sha);
      c->u[i].check = gk_upload_check_prepare(
          c->srv, own ? own : c->srv->store, c->u[i].bytes, c->u[i].len,
          display_name(c->u[i].name), c->u[i].sha, c->scope);
    }
  gk_checks_release(own);
}

/*
 * gk_store_uploads_check(): reads and checks the uploads before their
 * group's transaction, so that the transaction stores each new report
 * with its results (model,
 * findings, state) instead of queuing a job that would read the file
 * back, check it and write the report again in a transaction of its own
 * (docs/PERFORMANCE.md "Seventh pass").  The HTTP threads of concurrent
 * uploads check side by side; a call with many files (a ZIP, the files
 * of `serve --import`) shares them with the idle workers.
 * SQLite only: on PostgreSQL the workers of every process share the job
 * queue (FOR UPDATE SKIP LOCKED), and uploads are queued as before.  A
 * batch that is not there is left to the transaction (404).
 */
void gk_store_uploads_check(gk_server *srv, int64_t batch, gk_upload *u,
                            size_t n) {
  size_t todo = 0;
  for (size_t i = 0; i < n; i++)
    todo += !u[i].check;
  if (todo == 0 || gk_store_kind(srv->store) != GK_DB_SQLITE)
    return;
  char bid[24];
  id_text(bid, sizeof bid, batch);
  gk_param p[] = {GK_TEXT(bid)};
  static const char scope_sql[] =
      "SELECT u.scope_region_id FROM batches b LEFT JOIN "
      "users u ON u.id = b.user_id WHERE b.id = $1";
  gk_rows *r = NULL;
  /* read beside a commit of the shared store when a connection of the
   * checks' is free; else (or when it does not see the batch yet)
   * through the shared one */
  gk_store *own = gk_checks_acquire(srv);
  if (own && (gk_store_query(own, scope_sql, p, 1, &r) != 0 ||
              gk_rows_count(r) != 1)) {
    gk_rows_free(r);
    r = NULL;
  }
  gk_checks_release(own);
  if (!r && (gk_store_query(srv->store, scope_sql, p, 1, &r) != 0 ||
             gk_rows_count(r) != 1)) {
    gk_rows_free(r);
    return;
  }
  check_run c = {.srv = srv, .u = u, .n = n, .scope = gk_rows_int(r, 0, 0, 0)};
  gk_rows_free(r);
  atomic_init(&c.next, 0);
  /* the idle workers help with a call of several files (a ZIP's group,
   * `serve --import`): nothing is queued for them while uploads are
   * checked on upload */
  gk_workers_help(srv, check_some, &c, todo > 1 ? (int)(todo - 1) : 0);
}

void gk_store_uploads(gk_server *srv, int64_t batch, gk_upload *u, size_t n) {
  if (n == 0)
    return;
  char bid[24], now[21];
  id_text(bid, sizeof bid, batch);
  gk_store_now(now);
  upload_wait one, *w = n == 1 ? &one : calloc(n, sizeof *w);
  if (!w) {
    for (size_t i = 0; i < n; i++) {
      u[i].status = 500;
      u[i].why = "内存不足";
      gk_upload_check_free(u[i].check);
      u[i].check = NULL;
    }
    return;
  }
  gk_store_uploads_check(srv, batch, u, n);
  size_t left = n;
  for (size_t i = 0; i < n; i++) {
    u[i].report = -1;
    u[i].duplicate = 0;
    /* hashed here (unless checked, and hashed, already), before the
     * store's lock is taken */
    if (!u[i].sha[0])
      gk_store_file_sha(u[i].bytes, u[i].len, u[i].sha);
    w[i] = (upload_wait){.store = srv->store,
                         .tx = {.srv = srv,
                                .bid = bid,
                                .name = u[i].name,
                                .now = now,
                                .bytes = u[i].bytes,
                                .len = u[i].len,
                                .report = &u[i].report,
                                .duplicate = &u[i].duplicate,
                                .sha = u[i].sha,
                                .check = u[i].check},
                         .u = &u[i],
                         .left = &left,
                         .next = NULL};
  }
  for (size_t i = 0; i < n; i++)
    u[i].check = NULL; /* the transaction's now (w[i].tx.check) */
  int queued = 0;
  pthread_mutex_lock(&group_mu);
  for (size_t i = 0; i < n; i++) {
    if (group_tail)
      group_tail->next = &w[i];
    else
      group_head = &w[i];
    group_tail = &w[i];
  }
  while (left > 0) {
    if (group_running) {
      pthread_cond_wait(&group_cv, &group_mu);
      continue;
    }
    /* the leader: the waiting uploads of this store, oldest first */
    group_running = 1;
    upload_wait *g[GK_UPLOAD_GROUP_MAX];
    size_t k = 0;
    upload_wait **pp = &group_head, *prev = NULL;
    while (*pp && k < GK_UPLOAD_GROUP_MAX) {
      upload_wait *x = *pp;
      if (x->store != srv->store) {
        prev = x;
        pp = &x->next;
        continue;
      }
      *pp = x->next;
      if (group_tail == x)
        group_tail = prev;
      x->next = NULL;
      g[k++] = x;
    }
    pthread_mutex_unlock(&group_mu);
    commit_group(srv->store, g, k);
    pthread_mutex_lock(&group_mu);
    for (size_t i = 0; i < k; i++)
      (*g[i]->left)--;
    group_running = 0;
    pthread_cond_broadcast(&group_cv);
  }
  pthread_mutex_unlock(&group_mu);
  for (size_t i = 0; i < n; i++) {
    queued |= w[i].tx.queued;
    gk_upload_check_free(w[i].tx.check);
  }
  if (w != &one)
    free(w);
  if (queued)
    gk_workers_wake(srv);
}

int gk_store_upload(gk_server *srv, int64_t batch, const char *name,
                    const void *bytes, size_t len, int64_t *report,
                    int *duplicate, char sha[65], const char **why) {
  gk_upload u = {.name = name, .bytes = bytes, .len = len};
  gk_store_uploads(srv, batch, &u, 1);
  *report = u.report;
  *duplicate = u.duplicate;
  memcpy(sha, u.sha, sizeof u.sha);
  *why = u.status >= 400 ? u.why : NULL;
  return u.status;
}

static void api_upload(gk_server *srv, const gk_request *req, gk_response *res,
                       int64_t batch) {
  const char *name = req->query(req->ctx, "name");
  if (!name || !*name || strlen(name) > GK_NAME_MAX) {
    reply_error(res, 400, "缺少文件名（?name=）或文件名过长");
    return;
  }
  if (req->body_len == 0) {
    reply_error(res, 400, "文件为空");
    return;
  }
  int64_t report = -1;
  int duplicate;
  char sha[65];
  const char *why;
  int status = gk_store_upload(srv, batch, name, req->body, req->body_len,
                               &report, &duplicate, sha, &why);
  if (why) {
    reply_error(res, status, why);
    return;
  }
  reply_json(res, status,
             json_pack("{s:I,s:s,s:b}", "report_id", (json_int_t)report,
                       "sha256", sha, "duplicate", duplicate));
}

static void reply_import(gk_response *res, int status, gk_zip_result *zr);

static void api_upload_zip(gk_server *srv, const gk_request *req,
                           gk_response *res, int64_t batch) {
  if (req->body_len == 0) {
    reply_error(res, 400, "文件为空");
    return;
  }
  gk_zip_result zr;
  int status = gk_zip_import(srv, batch, req->body, req->body_len, &zr);
  reply_import(res, status, &zr);
}

/* The answer to a ZIP or a URL list: each file stored, a duplicate, or
 * refused with its reason; or the error that stopped the whole. */
static void reply_import(gk_response *res, int status, gk_zip_result *zr_) {
  gk_zip_result zr = *zr_;
  if (status != 200) {
    reply_error(res, status, zr.error ? zr.error : "内部错误");
    gk_zip_result_free(&zr);
    return;
  }
  json_t *files = json_array();
  int stored = 0, dups = 0, refused = 0;
  for (size_t i = 0; i < zr.n; i++) {
    const gk_zip_entry *e = &zr.entries[i];
    if (e->error)
      refused++;
    else if (e->duplicate)
      dups++;
    else
      stored++;
    json_array_append_new(
        files,
        e->error ? json_pack("{s:s,s:s}", "name", e->name, "error", e->error)
                 : json_pack("{s:s,s:I,s:b}", "name", e->name, "report_id",
                             (json_int_t)e->report, "duplicate", e->duplicate));
  }
  gk_zip_result_free(&zr);
  reply_json(res, 200,
             json_pack("{s:i,s:i,s:i,s:o}", "stored", stored, "duplicates",
                       dups, "refused", refused, "files", files));
}

/* A list of URLs, one a line (blank lines and # comments skipped): each
 * fetched (url_import.c) and stored as an upload of its own. */
static void api_upload_urls(gk_server *srv, const gk_request *req,
                            gk_response *res, int64_t batch) {
  gk_zip_result zr;
  int status =
      gk_url_import(srv, batch, req->body ? req->body : "", req->body_len, &zr);
  reply_import(res, status, &zr);
}

/* Pixels per point of a PDF page image, by default (?scale= asks for
 * another, which the library clamps to 0.25 .. 4): an A4 page is then
 * 893 x 1263 pixels, legible beside the findings. */
#define GK_PAGE_IMAGE_SCALE 1.5

/* A page of a PDF report as a PNG (gk_render_pdf_page_png()): the report
 * page draws the cells' provenance boxes over it. */
static void api_report_page(gk_server *srv, const gk_request *req,
                            gk_response *res, int64_t id, int64_t page) {
  char rid[24];
  id_text(rid, sizeof rid, id);
  gk_param p[] = {GK_TEXT(rid)};
  gk_rows *r = NULL;
  if (gk_store_query(srv->store,
                     "SELECT sha256 FROM reports WHERE id = $1 AND "
                     "source_format = 'pdf'",
                     p, 1, &r) != 0) {
    reply_store_error(res, srv->store);
    return;
  }
  if (gk_rows_count(r) == 0 || page < 1 || page > 100000) {
    gk_rows_free(r);
    reply_error(res, 404, "报告不存在或不是 PDF");
    return;
  }
  const char *sc = req->query(req->ctx, "scale");
  double scale = sc ? strtod(sc, NULL) : GK_PAGE_IMAGE_SCALE;
  if (!(scale > 0))
    scale = GK_PAGE_IMAGE_SCALE;
  /* the library's own clamp, so that the cache keys what is drawn */
  if (scale < 0.25)
    scale = 0.25;
  if (scale > 4)
    scale = 4;
  char sha[65];
  snprintf(sha, sizeof sha, "%s", gk_rows_get(r, 0, 0, NULL));
  gk_rows_free(r);
  unsigned char *png = NULL;
  size_t png_len = 0;
  if (gk_page_cache_get(sha, (unsigned)page, scale, &png, &png_len)) {
    res->status = 200;
    res->content_type = "image/png";
    res->body = (char *)png;
    res->len = png_len;
    res->cache = "hit";
    return;
  }
  char *bytes = NULL;
  size_t len = 0;
  if (gk_store_get_file(srv->store, sha, &bytes, &len) != 0) {
    reply_store_error(res, srv->store);
    return;
  }
  gk_status st = gk_render_pdf_page_png(bytes, len, (unsigned)page, scale, &png,
                                        &png_len, NULL, NULL);
  free(bytes);
  if (st == GK_OK)
    gk_page_cache_put(sha, (unsigned)page, scale, png, png_len);
  if (st != GK_OK) {
    reply_error(res,
                st == GK_ENOENT   ? 404
                : st == GK_ENOMEM ? 500
                                  : 422,
                st == GK_ENOENT ? "PDF 没有这一页" : gk_strerror(st));
    return;
  }
  res->status = 200;
  res->content_type = "image/png";
  res->body = (char *)png;
  res->len = png_len;
  res->cache = "miss";
}

/* The year's bodies ranked by the office's scoring rubric (ranking.c). */
static void api_ranking(gk_server *srv, const gk_request *req,
                        gk_response *res) {
  const char *year = req->query(req->ctx, "year");
  if (!year || !parse_id(year)) {
    reply_error(res, 400, "需要年度（?year=2024）");
    return;
  }
  char msg[256], body_scope[512], report_scope[512];
  gk_authz_scope_sql(req->user, "g.id", body_scope, sizeof body_scope);
  gk_authz_scope_sql(req->user, "r.region_id", report_scope,
                     sizeof report_scope);
  json_t *out = NULL;
  int status =
      gk_ranking(srv, year, body_scope, report_scope, &out, msg, sizeof msg);
  if (status != 200)
    reply_error(res, status, msg);
  else
    reply_json(res, 200, out);
}

static const char report_list_cols[] =
    "SELECT r.id, r.name, r.state, r.error, r.agency, r.year, r.errors, "
    "r.warnings, r.notes, r.region_id, g.name, r.match, r.review, "
    "r.published, r.batch_id FROM reports r LEFT JOIN regions g ON g.id = "
    "r.region_id ";
static const char report_list_spec[] =
    "id:i,name:s,state:s,error:s,agency:s,year:i,errors:i,warnings:i,notes:"
    "i,region_id:i,region:s,match:s,review:s,published:s,batch_id:i";

static void api_batch_get(gk_server *srv, gk_response *res, int64_t batch) {
  char bid[24];
  id_text(bid, sizeof bid, batch);
  gk_param p[] = {GK_TEXT(bid)};
  gk_rows *b = NULL, *r = NULL, *c = NULL;
  char sql[1024];
  snprintf(sql, sizeof sql, "%s WHERE r.batch_id = $1 ORDER BY r.id LIMIT %d",
           report_list_cols, GK_LIST_MAX);
  /* The counts are of the whole batch, not of the reports listed (at
   * most GK_LIST_MAX): a batch of 10,000 was "done" at its 5,000th.
   * They are read before the list (each query is its own snapshot): a
   * report counted done or failed is so in the list too, so a client
   * that waits for no queued one sees every state final (the list read
   * first could show a report still queued that the counts, read after,
   * called failed). */
  if (gk_store_query(srv->store,
                     "SELECT id, created, actor, note FROM batches WHERE id = "
                     "$1",
                     p, 1, &b) != 0 ||
      gk_store_query(srv->store,
                     "SELECT state, count(*) FROM reports WHERE batch_id = $1 "
                     "GROUP BY state",
                     p, 1, &c) != 0 ||
      gk_store_query(srv->store, sql, p, 1, &r) != 0) {
    gk_rows_free(b);
    gk_rows_free(c);
    reply_store_error(res, srv->store);
    return;
  }
  if (gk_rows_count(b) == 0) {
    gk_rows_free(b);
    gk_rows_free(c);
    gk_rows_free(r);
    reply_error(res, 404, "批次不存在");
    return;
  }
  json_t *reports = rows_json(r, report_list_spec);
  json_int_t queued = 0, done = 0, failed = 0;
  for (size_t i = 0; i < gk_rows_count(c); i++) {
    const char *st = gk_rows_get(c, i, 0, NULL);
    json_int_t k = gk_rows_int(c, i, 1, 0);
    if (strcmp(st, "done") == 0)
      done += k;
    else if (strcmp(st, "failed") == 0)
      failed += k;
    else
      queued += k;
  }
  gk_rows_free(c);
  json_t *o = json_pack(
      "{s:I,s:s,s:{s:I,s:I,s:I,s:I},s:o}", "id", (json_int_t)batch, "created",
      gk_rows_get(b, 0, 1, NULL), "counts", "received", queued + done + failed,
      "queued", queued, "done", done, "failed", failed, "reports", reports);
  gk_rows_free(b);
  gk_rows_free(r);
  reply_json(res, 200, o);
}

static void api_reports(gk_server *srv, const gk_request *req,
                        gk_response *res) {
  const char *year = req->query(req->ctx, "year");
  const char *unmatched = req->query(req->ctx, "unmatched");
  char sql[1024];
  gk_param p[1];
  size_t np = 0;
  const char *where = "";
  if (year && parse_id(year)) {
    p[np++] = GK_TEXT(year);
    where = unmatched ? "WHERE r.year = $1 AND r.region_id IS NULL AND "
                        "r.state = 'done'"
                      : "WHERE r.year = $1";
  } else if (unmatched) {
    where = "WHERE r.region_id IS NULL AND r.state = 'done'";
  }
  char scope[512];
  gk_authz_scope_sql(req->user, GK_REPORT_PLACE, scope, sizeof scope);
  snprintf(sql, sizeof sql, "%s %s %s %s ORDER BY r.id DESC LIMIT %d",
           report_list_cols, where, *where ? "AND" : "WHERE", scope,
           GK_LIST_MAX);
  gk_rows *r = NULL;
  if (gk_store_query(srv->store, sql, p, np, &r) != 0) {
    reply_store_error(res, srv->store);
    return;
  }
  reply_json(res, 200, rows_json(r, report_list_spec));
  gk_rows_free(r);
}

/* The source as text, line N = line N of the findings, read again from
 * the stored original through the reader (the store keeps no copy of
 * it: the bytes are there, and reading is a fraction of a page view's
 * cost); null when it cannot be read. */
static void source_text_write(gk_json_text *out, gk_store *s, const char *sha,
                              const char *name) {
  char *bytes = NULL, *text = NULL;
  size_t len = 0, text_len = 0;
  gk_report *rep = NULL;
  if (gk_store_get_file(s, sha, &bytes, &len) == 0 &&
      gk_read_buffer(bytes, len, name, NULL, &rep, NULL) == GK_OK &&
      gk_report_source_text(rep, &text, &text_len) == GK_OK)
    gk_json_text_str(out, text, text_len);
  else
    gk_json_text_lit(out, "null");
  free(text);
  gk_report_free(rep);
  free(bytes);
}

static void api_report_get(gk_server *srv, const gk_request *req,
                           gk_response *res, int64_t id) {
  (void)req;
  char rid[24];
  id_text(rid, sizeof rid, id);
  gk_param p[] = {GK_TEXT(rid)};
  gk_rows *r = NULL, *f = NULL, *c = NULL, *prev = NULL;
  gk_store *s = srv->store;
  if (gk_store_query(
          s,
          "SELECT r.id, r.name, r.state, r.error, r.sha256, r.source_format, "
          "r.title, r.agency, r.body_kind, r.year, r.published, r.errors, "
          "r.warnings, r.notes, r.region_id, g.name, r.match, r.review, "
          "r.received, r.checked, r.batch_id, coalesce(m.model, m.model_read), "
          "f.size FROM reports r LEFT JOIN regions g ON g.id = r.region_id "
          "LEFT JOIN report_models m ON m.report_id = r.id "
          "JOIN files f ON f.sha256 = r.sha256 WHERE r.id = $1",
          p, 1, &r) != 0)
    goto fail;
  if (gk_rows_count(r) == 0) {
    gk_rows_free(r);
    reply_error(res, 404, "报告不存在");
    return;
  }
  if (gk_store_query(s,
                     "SELECT id, seq, rule, severity, message, line, page, "
                     "path, expected, actual, status, reason, reviewer, "
                     "reviewed FROM findings WHERE report_id = $1 ORDER BY "
                     "seq",
                     p, 1, &f) != 0 ||
      gk_store_query(s,
                     "SELECT id, path, value_read, value, actor, at FROM "
                     "corrections WHERE report_id = $1 ORDER BY id",
                     p, 1, &c) != 0 ||
      gk_store_query(s,
                     "SELECT p.id, p.year FROM reports r JOIN reports p ON "
                     "p.region_id = r.region_id AND p.year = r.year - 1 "
                     "WHERE r.id = $1 ORDER BY p.id DESC LIMIT 1",
                     p, 1, &prev) != 0)
    goto fail;
  /* written as text, the stored model copied as it is: building and
   * dumping jansson's objects was half of the call (json_text.c) */
  gk_json_text b = {0};
  row_spec sp;
  spec_parse("id:i,name:s,state:s,error:s,sha256:s,source_format:s,title:s,"
             "agency:s,body_kind:s,year:i,published:s,errors:i,warnings:i,"
             "notes:i,region_id:i,region:s,match:s,review:s,received:s,"
             "checked:s,batch_id:i,model:j,size:i",
             &sp);
  gk_json_text_raw(&b, "{", 1);
  row_text(&b, r, 0, &sp);
  gk_json_text_lit(&b, ",\"source_text\":");
  if (strcmp(gk_rows_get(r, 0, 2, NULL), "done") == 0)
    source_text_write(&b, s, gk_rows_get(r, 0, 4, NULL),
                      gk_rows_get(r, 0, 1, NULL));
  else
    gk_json_text_lit(&b, "null");
  gk_json_text_lit(&b, ",\"findings\":");
  rows_text(&b, f,
            "id:i,seq:i,rule:s,severity:s,message:s,line:i,page:i,path:s,"
            "expected:i,actual:i,status:s,reason:s,reviewer:s,reviewed:s");
  gk_json_text_lit(&b, ",\"corrections\":");
  rows_text(&b, c, "id:i,path:s,value_read:s,value:s,actor:s,at:s");
  gk_json_text_lit(&b, ",\"previous\":");
  if (gk_rows_count(prev))
    gk_json_text_int(&b, gk_rows_int(prev, 0, 0, 0));
  else
    gk_json_text_lit(&b, "null");
  gk_json_text_raw(&b, "}", 1);
  gk_rows_free(r);
  gk_rows_free(f);
  gk_rows_free(c);
  gk_rows_free(prev);
  reply_text(res, &b);
  return;
fail:
  gk_rows_free(r);
  gk_rows_free(f);
  gk_rows_free(c);
  gk_rows_free(prev);
  reply_store_error(res, s);
}

static void api_report_file(gk_server *srv, gk_response *res, int64_t id) {
  char rid[24];
  id_text(rid, sizeof rid, id);
  gk_param p[] = {GK_TEXT(rid)};
  gk_rows *r = NULL;
  if (gk_store_query(srv->store, "SELECT sha256 FROM reports WHERE id = $1", p,
                     1, &r) != 0) {
    reply_store_error(res, srv->store);
    return;
  }
  if (gk_rows_count(r) == 0) {
    gk_rows_free(r);
    reply_error(res, 404, "报告不存在");
    return;
  }
  char *bytes;
  size_t len;
  int rc =
      gk_store_get_file(srv->store, gk_rows_get(r, 0, 0, NULL), &bytes, &len);
  if (rc != 0) {
    gk_rows_free(r);
    reply_store_error(res, srv->store);
    return;
  }
  res->status = 200;
  /* Never a type a browser would run: the original is a download. */
  res->content_type = "application/octet-stream";
  res->body = bytes;
  res->len = len;
  snprintf(res->disposition, sizeof res->disposition,
           "attachment; filename=\"report-%lld\"", (long long)id);
  gk_rows_free(r);
}

/* Sets the review summary of a report from its findings, and its count
 * of confirmed ones (the region page reads it from the row). */
static int update_review(gk_store *s, const char *rid) {
  gk_param p[] = {GK_TEXT(rid)};
  return gk_store_exec(
      s,
      "UPDATE reports SET review = CASE "
      "WHEN NOT EXISTS (SELECT 1 FROM findings WHERE report_id = $1 AND "
      "status <> 'open') THEN '未审核' "
      "WHEN EXISTS (SELECT 1 FROM findings WHERE report_id = $1 AND status "
      "= 'open') THEN '审核中' ELSE '已审核' END, confirmed = (SELECT "
      "count(*) FROM findings WHERE report_id = $1 AND status = "
      "'confirmed') WHERE id = $1",
      p, 1);
}

typedef struct review_tx {
  const char *id, *status, *reason, *who, *now, *obj;
} review_tx;

static int review_body(gk_store *s, void *ctx, const char **why) {
  review_tx *t = ctx;
  gk_param p[] = {GK_TEXT(t->id), GK_TEXT(t->status), GK_TEXT(t->reason),
                  GK_TEXT(t->who), GK_TEXT(t->now)};
  gk_rows *r = NULL;
  if (gk_store_query(s,
                     "UPDATE findings SET status = $2, reason = $3, reviewer "
                     "= $4, reviewed = $5 WHERE id = $1 RETURNING report_id",
                     p, 5, &r) != 0)
    return 500;
  if (gk_rows_count(r) == 0) {
    gk_rows_free(r);
    *why = "问题不存在";
    return 404;
  }
  char detail[GK_REASON_MAX + 40];
  snprintf(detail, sizeof detail, "%s%s%s", t->status, t->reason ? "：" : "",
           t->reason ? t->reason : "");
  int rc = update_review(s, gk_rows_get(r, 0, 0, NULL)) != 0 ||
           gk_store_audit(s, t->who, "review", t->obj, detail) != 0;
  gk_rows_free(r);
  return rc ? 500 : 200;
}

static void api_review(gk_server *srv, const gk_request *req, gk_response *res,
                       int64_t fid) {
  json_t *b = gk_request_json(req);
  const char *status = b ? gk_json_member(b, "status", 20) : NULL;
  const char *reason = b ? gk_json_member(b, "reason", GK_REASON_MAX) : NULL;
  const char *who = actor_of(req);
  if (!status ||
      (strcmp(status, "confirmed") != 0 && strcmp(status, "dismissed") != 0 &&
       strcmp(status, "open") != 0)) {
    json_decref(b);
    reply_error(res, 400, "status 应为 confirmed、dismissed 或 open");
    return;
  }
  if (!who || !*who) {
    json_decref(b);
    reply_error(res, 400, "请填写审核人姓名");
    return;
  }
  if (strcmp(status, "dismissed") == 0 && (!reason || !*reason)) {
    json_decref(b);
    reply_error(res, 400, "忽略一条问题时须说明理由");
    return;
  }
  char id[24], now[21], obj[48];
  id_text(id, sizeof id, fid);
  gk_store_now(now);
  snprintf(obj, sizeof obj, "finding:%lld", (long long)fid);
  review_tx t = {id, status, reason, who, now, obj};
  const char *why;
  int st = transaction(srv->store, review_body, &t, &why);
  if (why)
    reply_error(res, st, why);
  else
    reply_json(res, 200,
               json_pack("{s:I,s:s}", "id", (json_int_t)fid, "status", status));
  json_decref(b); /* status points into it */
}

/* Finds the member of the model JSON that a cell path names
 * ("applications.received.total"), creating nothing.  Returns the parent
 * object and the last key, or NULL. */
static json_t *model_slot(json_t *model, const char *path, char *last,
                          size_t cap) {
  char buf[GK_CELL_PATH_MAX];
  snprintf(buf, sizeof buf, "%s", path);
  json_t *at = model;
  char *save = NULL;
  char *tok = strtok_r(buf, ".", &save);
  while (tok) {
    char *next = strtok_r(NULL, ".", &save);
    if (!next) {
      if (!json_is_object(at) || !json_object_get(at, tok))
        return NULL;
      snprintf(last, cap, "%s", tok);
      return at;
    }
    at = json_object_get(at, tok);
    tok = next;
  }
  return NULL;
}

static int is_cell_path(const char *path, int *decimal) {
  size_t n = gk_cell_count(GK_EDITION_UNKNOWN);
  for (size_t i = 0; i < n; i++) {
    gk_cell_info c;
    if (gk_cell_get(GK_EDITION_UNKNOWN, i, &c) == GK_OK &&
        strcmp(c.path, path) == 0) {
      *decimal = c.decimal;
      return 1;
    }
  }
  return 0;
}

/* The label of a cell path ("第三部分·…·总计"), or of a row path (the
 * row's first cell's label without its column), or NULL. */
static int cell_label(const char *path, char *buf, size_t cap) {
  size_t n = gk_cell_count(GK_EDITION_UNKNOWN), plen = strlen(path);
  for (size_t i = 0; i < n; i++) {
    gk_cell_info c;
    if (gk_cell_get(GK_EDITION_UNKNOWN, i, &c) != GK_OK)
      continue;
    if (strcmp(c.path, path) == 0) {
      snprintf(buf, cap, "%s", c.label);
      return 1;
    }
    if (strncmp(c.path, path, plen) == 0 && c.path[plen] == '.') {
      /* a row: its label is the cell's without the column part */
      snprintf(buf, cap, "%s", c.label);
      char *dot = strstr(buf, "·");
      char *end = NULL;
      while (dot) {
        end = dot;
        dot = strstr(dot + 1, "·");
      }
      if (end)
        *end = '\0';
      return 1;
    }
  }
  return 0;
}

/* Parses a cell value typed by a reviewer: "" is null (blank), else a
 * number (a count, or a decimal for amounts). */
static json_t *parse_cell_value(const char *v, int decimal) {
  if (!v || !*v)
    return json_null();
  char *end;
  errno = 0;
  if (decimal) {
    double d = strtod(v, &end);
    return *end || errno || d < 0 ? NULL : json_real(d);
  }
  long long n = strtoll(v, &end, 10);
  return *end || errno ? NULL : json_integer(n);
}

static char *value_text(json_t *v) {
  if (!v || json_is_null(v))
    return NULL;
  return json_dumps(v, JSON_ENCODE_ANY);
}

typedef struct correct_tx {
  gk_server *srv;
  int64_t id;
  const char *rid, *path, *who, *now, *obj;
  json_t *value;
} correct_tx;

/* The correction's transaction: the model edited, the correction and the
 * audit written, the report checked again and its review summary set. */
static int correct_body(gk_store *s, void *ctx, const char **why) {
  correct_tx *t = ctx;
  gk_param p[] = {GK_TEXT(t->rid)};
  gk_rows *r = NULL;
  json_t *model = NULL, *read = NULL;
  char *dump = NULL, *old_text = NULL, *new_text = NULL;
  int status = 500;
  if (gk_store_query(
          s,
          "SELECT coalesce(m.model, m.model_read), m.model_read FROM "
          "reports r JOIN report_models m ON m.report_id = r.id "
          "WHERE r.id = $1 AND r.state = 'done'",
          p, 1, &r) != 0)
    goto out;
  if (gk_rows_count(r) == 0) {
    status = 404;
    *why = "报告不存在或尚未读取";
    goto out;
  }
  model = json_loads(gk_rows_get(r, 0, 0, NULL), 0, NULL);
  read = json_loads(gk_rows_get(r, 0, 1, NULL), 0, NULL);
  char key[64], key_read[64];
  json_t *slot = model ? model_slot(model, t->path, key, sizeof key) : NULL;
  json_t *slot_read =
      read ? model_slot(read, t->path, key_read, sizeof key_read) : NULL;
  if (!slot) {
    status = 400;
    *why = "该报告的表格中没有这个单元格";
    goto out;
  }
  old_text =
      value_text(slot_read ? json_object_get(slot_read, key_read) : NULL);
  new_text = value_text(t->value);
  json_object_set(slot, key, t->value);
  dump = json_dumps(model, JSON_COMPACT);
  if (!dump) {
    *why = "内部错误";
    goto out;
  }
  gk_param u[] = {GK_TEXT(t->rid), GK_TEXT(dump)};
  gk_param c[] = {GK_TEXT(t->rid),   GK_TEXT(t->path), GK_TEXT(old_text),
                  GK_TEXT(new_text), GK_TEXT(t->who),  GK_TEXT(t->now)};
  char detail[256];
  snprintf(detail, sizeof detail, "%s：%s → %s", t->path,
           old_text ? old_text : "空白", new_text ? new_text : "空白");
  if (gk_store_exec(s,
                    "UPDATE report_models SET model = $2 WHERE report_id = $1",
                    u, 2) != 0 ||
      gk_store_exec(s,
                    "INSERT INTO corrections (report_id, path, value_read, "
                    "value, actor, at) VALUES ($1, $2, $3, $4, $5, $6)",
                    c, 6) != 0 ||
      gk_store_audit(s, t->who, "correct", t->obj, detail) != 0)
    goto out;
  if (gk_recheck_report(t->srv, s, t->id) != 0) {
    status = 422;
    *why = "改正后的报告无法重新检查（数值不符合报告格式）";
    goto out;
  }
  if (update_review(s, t->rid) == 0)
    status = 200;
out:
  json_decref(model);
  json_decref(read);
  free(dump);
  free(old_text);
  free(new_text);
  gk_rows_free(r);
  return status;
}

static void api_correct(gk_server *srv, const gk_request *req, gk_response *res,
                        int64_t id) {
  json_t *b = gk_request_json(req);
  const char *path = b ? gk_json_member(b, "path", GK_CELL_PATH_MAX) : NULL;
  const char *who = actor_of(req);
  json_t *jv = b ? json_object_get(b, "value") : NULL;
  const char *vtext = json_is_string(jv) ? json_string_value(jv) : NULL;
  int decimal = 0;
  if (!path || !is_cell_path(path, &decimal)) {
    json_decref(b);
    reply_error(res, 400, "path 不是表格单元格");
    return;
  }
  if (!who || !*who) {
    json_decref(b);
    reply_error(res, 400, "请填写审核人姓名");
    return;
  }
  json_t *value = parse_cell_value(json_is_null(jv) ? "" : vtext, decimal);
  if (!value || (!json_is_null(jv) && !vtext)) {
    json_decref(value);
    json_decref(b);
    reply_error(res, 400,
                "数值无效：应为非负整数（金额可有小数），留空表示空白");
    return;
  }
  char rid[24], now[21], obj[48];
  id_text(rid, sizeof rid, id);
  gk_store_now(now);
  snprintf(obj, sizeof obj, "report:%lld", (long long)id);
  correct_tx t = {srv, id, rid, path, who, now, obj, value};
  const char *why;
  int status = transaction(srv->store, correct_body, &t, &why);
  json_decref(value);
  json_decref(b); /* path points into it */
  if (why)
    reply_error(res, status, why);
  else
    api_report_get(srv, req, res, id);
}

typedef struct report_body_tx {
  int64_t id;
  const char *rid, *gid, *who, *obj;
} report_body_tx;

static int report_body_body(gk_store *s, void *ctx, const char **why) {
  report_body_tx *t = ctx;
  gk_param p[] = {GK_TEXT(t->rid), GK_TEXT(t->gid)};
  int ok;
  int64_t old_region = gk_store_int(
      s, "SELECT coalesce(max(region_id), 0) FROM reports WHERE id = $1", p, 1,
      &ok);
  if (!ok)
    return 500;
  gk_rows *r = NULL;
  if (gk_store_query(s,
                     "UPDATE reports SET region_id = $2, match = 'manual' "
                     "WHERE id = $1 AND EXISTS (SELECT 1 FROM regions WHERE "
                     "id = $2) RETURNING id",
                     p, 2, &r) != 0)
    return 500;
  size_t n = gk_rows_count(r);
  gk_rows_free(r);
  if (n == 0) {
    *why = "报告或机关不存在";
    return 404;
  }
  if (gk_store_audit(s, t->who, "match", t->obj, t->gid) != 0 ||
      gk_history_refresh(s, t->id, old_region) != 0)
    return 500;
  return 200;
}

static void api_report_body(gk_server *srv, const gk_request *req,
                            gk_response *res, int64_t id) {
  json_t *b = gk_request_json(req);
  json_t *jr = b ? json_object_get(b, "region_id") : NULL;
  const char *who = actor_of(req);
  if (!json_is_integer(jr) || !who || !*who) {
    json_decref(b);
    reply_error(res, 400, "需要 region_id 和审核人姓名");
    return;
  }
  if (!gk_authz_region(srv->store, req->user,
                       (int64_t)json_integer_value(jr))) {
    json_decref(b);
    reply_error(res, 404, "报告或机关不存在");
    return;
  }
  char rid[24], gid[24], obj[48];
  id_text(rid, sizeof rid, id);
  id_text(gid, sizeof gid, (int64_t)json_integer_value(jr));
  snprintf(obj, sizeof obj, "report:%lld", (long long)id);
  json_decref(b);
  report_body_tx t = {id, rid, gid, who, obj};
  const char *why;
  int status = transaction(srv->store, report_body_body, &t, &why);
  if (why)
    reply_error(res, status, why);
  else
    reply_json(res, 200,
               json_pack("{s:I,s:s}", "id", (json_int_t)id, "match", "manual"));
}

/* --------------------------------------------------- regions and roster */

static void api_regions(gk_server *srv, gk_response *res) {
  gk_rows *r = NULL;
  if (gk_store_query(srv->store,
                     "SELECT id, parent_id, name, kind FROM regions ORDER BY "
                     "id",
                     NULL, 0, &r) != 0) {
    reply_store_error(res, srv->store);
    return;
  }
  reply_json(res, 200, rows_json(r, "id:i,parent_id:i,name:s,kind:s"));
  gk_rows_free(r);
}

static int valid_kind(const char *k) {
  static const char *kinds[] = {"省", "市", "县", "乡镇", "街道", "部门"};
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
    if (strcmp(k, kinds[i]) == 0)
      return 1;
  return 0;
}

/* Splits one CSV line (RFC 4180 quotes, no line breaks inside fields)
 * into at most max fields, in place. */
static size_t csv_fields(char *line, char **f, size_t max) {
  size_t n = 0;
  char *p = line;
  while (n < max) {
    char *out = p;
    f[n++] = p;
    if (*p == '"') {
      p++;
      for (;;) {
        if (*p == '"' && p[1] == '"') {
          *out++ = '"';
          p += 2;
        } else if (*p == '"' || !*p) {
          if (*p)
            p++;
          break;
        } else {
          *out++ = *p++;
        }
      }
      while (*p && *p != ',')
        p++;
    } else {
      while (*p && *p != ',')
        *out++ = *p++;
    }
    int more = *p == ',';
    if (*p)
      p++;
    *out = '\0';
    /* trim spaces that spreadsheets leave */
    while (*f[n - 1] == ' ')
      f[n - 1]++;
    for (char *e = out; e > f[n - 1] && e[-1] == ' '; e--)
      e[-1] = '\0';
    if (!more)
      break;
  }
  return n;
}

static int64_t region_find(gk_store *s, const char *name, const char *parent,
                           int *ok) {
  gk_param p[] = {GK_TEXT(name), GK_TEXT(parent)};
  return gk_store_int(
      s,
      parent ? "SELECT id FROM regions WHERE name = $1 AND parent_id = $2"
             : "SELECT id FROM regions WHERE name = $1 AND parent_id IS NULL",
      p, parent ? 2 : 1, ok);
}

/* Matches again the reports that have no body (after the tree grew). */
static int rematch(gk_store *s) {
  gk_rows *um = NULL;
  int rc = gk_store_query(s,
                          "SELECT id FROM reports WHERE region_id IS NULL "
                          "AND state = 'done'",
                          NULL, 0, &um);
  for (size_t i = 0; rc == 0 && i < gk_rows_count(um); i++)
    rc = gk_match_report(s, gk_rows_int(um, i, 0, 0));
  gk_rows_free(um);
  return rc;
}

typedef struct roster_tx {
  const char *year, *who;
  char *text; /* the CSV, NUL-terminated, split in place */
  char *msg;
  size_t cap;
  int rows, added;
} roster_tx;

/* The roster's transaction: every line, the audit, and the reports that
 * came before the roster matched now.  A refused line returns 400 with
 * t->msg saying which and why. */
static int roster_body(gk_store *s, void *ctx, const char **why) {
  roster_tx *t = ctx;
  char *msg = t->msg;
  size_t cap = t->cap;
  int added = 0, rows = 0, line_no = 0;
  char *save = NULL;
  for (char *line = strtok_r(t->text, "\n", &save); line;
       line = strtok_r(NULL, "\n", &save)) {
    line_no++;
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r')
      line[n - 1] = '\0';
    if (!*line)
      continue;
    char *f[4] = {0};
    size_t nf = csv_fields(line, f, 4);
    if (rows == 0 && line_no == 1 &&
        (strcmp(f[0], "名称") == 0 || strcmp(f[0], "name") == 0))
      continue; /* the header */
    if (++rows > GK_ROSTER_MAX_ROWS) {
      snprintf(msg, cap, "名单超过 %d 行", GK_ROSTER_MAX_ROWS);
      *why = msg;
      return 400;
    }
    if (nf < 2 || !*f[0] || !valid_kind(f[1])) {
      snprintf(msg, cap,
               "第 %d 行格式不对：应为“名称,类型,上级”，类型为省、市、县、"
               "乡镇、街道或部门",
               line_no);
      *why = msg;
      return 400;
    }
    const char *parent_name = nf >= 3 && *f[2] ? f[2] : NULL;
    char pid[24] = "";
    int ok = 1;
    if (parent_name) {
      gk_param q[] = {GK_TEXT(parent_name)};
      gk_rows *pr = NULL;
      if (gk_store_query(s, "SELECT id FROM regions WHERE name = $1", q, 1,
                         &pr) != 0)
        return 500;
      if (gk_rows_count(pr) != 1) {
        snprintf(msg, cap,
                 gk_rows_count(pr) ? "第 %d 行：上级“%s”有重名，无法确定"
                                   : "第 %d 行：上级“%s”不在名单中（上级须写"
                                     "在下级之前）",
                 line_no, parent_name);
        gk_rows_free(pr);
        *why = msg;
        return 400;
      }
      snprintf(pid, sizeof pid, "%s", gk_rows_get(pr, 0, 0, NULL));
      gk_rows_free(pr);
    }
    int64_t gid = region_find(s, f[0], parent_name ? pid : NULL, &ok);
    if (!ok) {
      char key[512];
      gk_body_key(f[0], key, sizeof key);
      gk_param ins[] = {GK_TEXT(parent_name ? pid : NULL), GK_TEXT(f[0]),
                        GK_TEXT(f[1]), GK_TEXT(key)};
      gid = gk_store_int(s,
                         "INSERT INTO regions (parent_id, name, kind, "
                         "name_key) VALUES ($1, $2, $3, $4) RETURNING id",
                         ins, 4, &ok);
      if (!ok)
        return 500;
      added++;
    }
    /* a fourth column 否 makes a node of the tree that publishes no
     * report of its own (a county as a region, not its government) */
    if (nf >= 4 && strcmp(f[3], "否") == 0)
      continue;
    char gs[24];
    id_text(gs, sizeof gs, gid);
    gk_param ro[] = {GK_TEXT(t->year), GK_TEXT(gs)};
    if (gk_store_exec(s,
                      "INSERT INTO roster (year, region_id) VALUES ($1, $2) "
                      "ON CONFLICT DO NOTHING",
                      ro, 2) != 0)
      return 500;
  }
  char detail[64];
  snprintf(detail, sizeof detail, "%d 行，新增 %d 个机关", rows, added);
  /* Reports that came before the roster find their bodies now. */
  if (gk_store_audit(s, t->who, "roster-import", t->year, detail) != 0 ||
      rematch(s) != 0)
    return 500;
  t->rows = rows;
  t->added = added;
  return 200;
}

int gk_store_import_roster(gk_store *s, const char *year, const char *who,
                           const char *csv, size_t len, char *msg, size_t cap,
                           int *rows_out, int *added_out) {
  char *text = malloc(len + 1);
  if (!text) {
    snprintf(msg, cap, "内存不足");
    return 500;
  }
  memcpy(text, csv ? csv : "", len);
  text[len] = '\0';
  msg[0] = '\0';
  roster_tx t = {
      .year = year, .who = who, .text = text, .msg = msg, .cap = cap};
  if (strncmp(t.text, "\xEF\xBB\xBF", 3) == 0)
    t.text += 3;
  const char *why;
  int status = transaction(s, roster_body, &t, &why);
  free(text);
  if (status == 500)
    snprintf(msg, cap, "数据库错误");
  if (status != 200)
    return status;
  *rows_out = t.rows;
  *added_out = t.added;
  return 200;
}

static void api_roster_import(gk_server *srv, const gk_request *req,
                              gk_response *res) {
  const char *year = req->query(req->ctx, "year");
  const char *who = actor_of(req);
  if (!year || parse_id(year) < 2000 || parse_id(year) > 2100) {
    reply_error(res, 400, "需要年度（?year=2024）");
    return;
  }
  if (!who || !*who || strlen(who) > GK_NAME_MAX) {
    reply_error(res, 400, "请填写审核人姓名（?reviewer=）");
    return;
  }
  char msg[300];
  int rows = 0, added = 0;
  int status =
      gk_roster_import_file(srv->store, year, who, req->body, req->body_len,
                            msg, sizeof msg, &rows, &added);
  if (status != 200) {
    reply_error(res, status, msg); /* a store failure was logged */
    return;
  }
  reply_json(res, 200,
             json_pack("{s:i,s:i}", "rows", rows, "added_bodies", added));
}

typedef struct region_add_tx {
  const char *pid, *name, *kind, *key, *year, *who;
  int has_parent, has_year;
  int64_t id; /* the new body's */
} region_add_tx;

static int region_add_body(gk_store *s, void *ctx, const char **why) {
  region_add_tx *t = ctx;
  int ok;
  if (t->has_parent) {
    gk_param q[] = {GK_TEXT(t->pid)};
    if (gk_store_int(s, "SELECT count(*) FROM regions WHERE id = $1", q, 1,
                     &ok) != 1) {
      *why = "上级不存在";
      return 404;
    }
  }
  (void)region_find(s, t->name, t->has_parent ? t->pid : NULL, &ok);
  if (ok) {
    *why = "同一上级下已有同名机关";
    return 409;
  }
  gk_param ins[] = {GK_TEXT(t->has_parent ? t->pid : NULL), GK_TEXT(t->name),
                    GK_TEXT(t->kind), GK_TEXT(t->key)};
  t->id = gk_store_int(s,
                       "INSERT INTO regions (parent_id, name, kind, "
                       "name_key) VALUES ($1, $2, $3, $4) RETURNING id",
                       ins, 4, &ok);
  if (!ok)
    return 500;
  char gid[24], obj[40];
  id_text(gid, sizeof gid, t->id);
  gk_param ro[] = {GK_TEXT(t->year), GK_TEXT(gid)};
  snprintf(obj, sizeof obj, "region:%lld", (long long)t->id);
  if ((t->has_year && gk_store_exec(s,
                                    "INSERT INTO roster (year, region_id) "
                                    "VALUES ($1, $2) ON CONFLICT DO NOTHING",
                                    ro, 2) != 0) ||
      gk_store_audit(s, t->who, "region-add", obj, t->name) != 0 ||
      rematch(s) != 0)
    return 500;
  return 201;
}

/* Adds a body or region to the tree, and to a year's roster when `year`
 * is given: {name, kind, parent_id, year, reviewer}. */
static void api_region_add(gk_server *srv, const gk_request *req,
                           gk_response *res) {
  json_t *b = gk_request_json(req);
  const char *name = b ? gk_json_member(b, "name", GK_NAME_MAX) : NULL;
  const char *kind = b ? gk_json_member(b, "kind", 20) : NULL;
  const char *who = actor_of(req);
  json_t *jp = b ? json_object_get(b, "parent_id") : NULL;
  json_t *jy = b ? json_object_get(b, "year") : NULL;
  if (!name || !*name || !kind || !valid_kind(kind) || !who || !*who ||
      (jp && !json_is_null(jp) && !json_is_integer(jp)) ||
      (jy && !json_is_null(jy) &&
       (!json_is_integer(jy) || json_integer_value(jy) < 2000 ||
        json_integer_value(jy) > 2100))) {
    json_decref(b);
    reply_error(res, 400,
                "需要名称、类型（省、市、县、乡镇、街道或部门）和审核人姓名");
    return;
  }
  char pid[24], year[16], key[512];
  int has_parent = json_is_integer(jp), has_year = json_is_integer(jy);
  id_text(pid, sizeof pid, has_parent ? (int64_t)json_integer_value(jp) : 0);
  snprintf(year, sizeof year, "%lld",
           has_year ? (long long)json_integer_value(jy) : 0LL);
  gk_body_key(name, key, sizeof key);
  region_add_tx t = {.pid = pid,
                     .name = name,
                     .kind = kind,
                     .key = key,
                     .year = year,
                     .who = who,
                     .has_parent = has_parent,
                     .has_year = has_year};
  const char *why;
  int status = transaction(srv->store, region_add_body, &t, &why);
  json_decref(b); /* name and kind point into it */
  if (why)
    reply_error(res, status, why);
  else
    reply_json(res, 201, json_pack("{s:I}", "id", (json_int_t)t.id));
}

typedef struct roster_remove_tx {
  const char *year, *gid, *who, *obj;
} roster_remove_tx;

static int roster_remove_body(gk_store *s, void *ctx, const char **why) {
  roster_remove_tx *t = ctx;
  gk_param p[] = {GK_TEXT(t->year), GK_TEXT(t->gid)};
  gk_rows *r = NULL;
  if (gk_store_query(s,
                     "DELETE FROM roster WHERE year = $1 AND region_id = "
                     "$2 RETURNING region_id",
                     p, 2, &r) != 0)
    return 500;
  size_t found = gk_rows_count(r);
  gk_rows_free(r);
  if (!found) {
    *why = "该机关不在本年度名单中";
    return 404;
  }
  return gk_store_audit(s, t->who, "roster-remove", t->obj, t->year) != 0 ? 500
                                                                          : 200;
}

/* Takes a body off a year's roster (it stays in the tree, and its
 * reports stay): {year, region_id, reviewer}. */
static void api_roster_remove(gk_server *srv, const gk_request *req,
                              gk_response *res) {
  json_t *b = gk_request_json(req);
  json_t *jy = b ? json_object_get(b, "year") : NULL;
  json_t *jr = b ? json_object_get(b, "region_id") : NULL;
  const char *who = actor_of(req);
  if (!json_is_integer(jy) || !json_is_integer(jr) || !who || !*who) {
    json_decref(b);
    reply_error(res, 400, "需要 year、region_id 和审核人姓名");
    return;
  }
  char year[24], gid[24], obj[40];
  id_text(year, sizeof year, (int64_t)json_integer_value(jy));
  id_text(gid, sizeof gid, (int64_t)json_integer_value(jr));
  snprintf(obj, sizeof obj, "region:%s", gid);
  json_decref(b);
  roster_remove_tx t = {year, gid, who, obj};
  const char *why;
  int status = transaction(srv->store, roster_remove_body, &t, &why);
  if (why)
    reply_error(res, status, why);
  else
    reply_json(res, 200, json_pack("{s:b}", "removed", 1));
}

static void api_roster(gk_server *srv, const gk_request *req, gk_response *res,
                       int64_t unused) {
  (void)unused;
  const char *year = req->query(req->ctx, "year");
  if (!year || !parse_id(year)) {
    reply_error(res, 400, "需要年度（?year=2024）");
    return;
  }
  gk_param p[] = {GK_TEXT(year)};
  gk_rows *r = NULL;
  char scope[512], sql[2048];
  gk_authz_scope_sql(req->user, "g.id", scope, sizeof scope);
  /* Per body, the latest report of the year and of the year before are
   * each one seek in the (year, region_id, id) index, whatever the
   * number of reports (grouping the year's reports instead scanned all of
   * them: 2 s at p50 with 100,000 reports under 32 clients); the counts
   * of late and confirmed findings are read from the report's row, kept
   * by whoever writes findings (worker.c, update_review()), instead of
   * two counts over the findings per body. */
  snprintf(sql, sizeof sql,
           "SELECT g.id, g.name, g.kind, pg.name, r.id, r.state, r.published, "
           "r.errors, r.warnings, r.review, r.match, r.late, "
           "(SELECT max(q.id) FROM reports q WHERE q.year = ro.year - 1 AND "
           "q.region_id = g.id), r.confirmed "
           "FROM roster ro JOIN regions g ON g.id = ro.region_id "
           "LEFT JOIN regions pg ON pg.id = g.parent_id "
           "LEFT JOIN reports r ON r.id = (SELECT max(x.id) FROM reports x "
           "WHERE x.year = ro.year AND x.region_id = g.id) "
           "WHERE ro.year = $1 AND %s ORDER BY pg.name, CASE g.kind WHEN '省' "
           "THEN 0 WHEN '市' THEN 1 WHEN '县' THEN 2 WHEN '部门' THEN 3 WHEN "
           "'乡镇' THEN 4 ELSE 5 END, g.name",
           scope);
  if (gk_store_query(srv->store, sql, p, 1, &r) != 0) {
    reply_store_error(res, srv->store);
    return;
  }
  /* 1,000 bodies: written as text, without jansson's objects */
  gk_json_text b = {0};
  rows_text(&b, r,
            "body_id:i,name:s,kind:s,parent:s,report_id:i,state:s,published:s,"
            "errors:i,warnings:i,review:s,match:s,late:i,previous:i,"
            "confirmed:i");
  gk_rows_free(r);
  reply_text(res, &b);
}

/* The region page's roster, cached by year (an invalid year is answered
 * 400 by api_roster(), and not kept). */
static void api_roster_cached(gk_server *srv, const gk_request *req,
                              gk_response *res) {
  const char *year = req->query(req->ctx, "year");
  char q[40];
  if (!year || !parse_id(year)) {
    api_roster(srv, req, res, 0);
    return;
  }
  snprintf(q, sizeof q, "year=%s", year); /* parse_id(): 18 digits at most */
  cached_get(srv, req, res, q, api_roster, 0);
}

/* The audit log: an administrator of the whole tree reads all of it; one
 * of a county reads what the users of their scope did (their uploads,
 * reviews, logins and account changes), not what other counties did. */
static void api_audit(gk_server *srv, const gk_request *req, gk_response *res) {
  char scope[512], sql[1024];
  gk_authz_scope_sql(req->user, "u.scope_region_id", scope, sizeof scope);
  if (req->user && req->user->scope == 0)
    snprintf(sql, sizeof sql,
             "SELECT id, at, actor, action, object, detail FROM audit ORDER "
             "BY id DESC LIMIT 1000");
  else
    snprintf(sql, sizeof sql,
             "SELECT a.id, a.at, a.actor, a.action, a.object, a.detail FROM "
             "audit a WHERE a.actor IN (SELECT u.name FROM users u WHERE %s) "
             "ORDER BY a.id DESC LIMIT 1000",
             scope);
  gk_rows *r = NULL;
  if (gk_store_query(srv->store, sql, NULL, 0, &r) != 0) {
    reply_store_error(res, srv->store);
    return;
  }
  reply_json(res, 200,
             rows_json(r, "id:i,at:s,actor:s,action:s,object:s,detail:s"));
  gk_rows_free(r);
}

/* ------------------------------------------------------- two years */

/* Reads a stored report's (corrected) model; NULL when it has none. */
static gk_report *stored_model(gk_store *s, int64_t id, json_t **meta) {
  char rid[24];
  id_text(rid, sizeof rid, id);
  gk_param p[] = {GK_TEXT(rid)};
  gk_rows *r = NULL;
  gk_report *rep = NULL;
  if (gk_store_query(s,
                     "SELECT r.id, r.name, r.agency, r.year, r.published, "
                     "coalesce(m.model, m.model_read) FROM reports r JOIN "
                     "report_models m ON m.report_id = r.id WHERE r.id = $1 "
                     "AND r.state = 'done'",
                     p, 1, &r) != 0 ||
      gk_rows_count(r) != 1) {
    gk_rows_free(r);
    return NULL;
  }
  size_t len;
  const char *model = gk_rows_get(r, 0, 5, &len);
  if (model && gk_read_model_json(model, len, &rep, NULL) == GK_OK) {
    json_t *arr = rows_json(r, "id:i,name:s,agency:s,year:i,published:s");
    *meta = json_incref(json_array_get(arr, 0));
    json_decref(arr);
  }
  gk_rows_free(r);
  return rep;
}

static json_t *number_json(int has, int64_t v, int scale) {
  char buf[48];
  if (!has || !gk_format_number(v, scale, buf, sizeof buf))
    return json_null();
  return json_string(buf);
}

/* One body's two years: the changed cells, the history.* findings of this
 * year checked against last year, and each part's prose with its
 * similarity (the page draws the redline). */
static void api_compare(gk_server *srv, const gk_request *req, gk_response *res,
                        int64_t id) {
  gk_store *s = srv->store;
  int64_t prev = parse_id(req->query(req->ctx, "with"));
  if (prev && gk_authz(s, req->user, GK_ACT_READ, GK_OBJ_REPORT, prev) != 0) {
    reply_error(res, 404, "报告不存在");
    return;
  }
  if (!prev) {
    char rid[24];
    id_text(rid, sizeof rid, id);
    gk_param p[] = {GK_TEXT(rid)};
    int ok;
    prev = gk_store_int(s,
                        "SELECT max(p.id) FROM reports r JOIN reports p ON "
                        "p.region_id = r.region_id AND p.year = r.year - 1 "
                        "AND p.state = 'done' WHERE r.id = $1",
                        p, 1, &ok);
    if (!ok || prev <= 0) {
      reply_error(res, 404, "没有找到同一机关上一年度的报告");
      return;
    }
  }
  json_t *mnew = NULL, *mold = NULL;
  gk_report *rnew = stored_model(s, id, &mnew);
  gk_report *rold = stored_model(s, prev, &mold);
  gk_diff *d = NULL;
  if (!rnew || !rold) {
    reply_error(res, 404, "报告不存在或尚未读取");
    goto out;
  }
  gk_check_options o;
  memset(&o, 0, sizeof o);
  o.township_deadline_month = srv->cfg->township_deadline_month;
  o.township_deadline_day = srv->cfg->township_deadline_day;
  o.prev = rold;
  if (gk_check(rnew, &o) != GK_OK ||
      gk_diff_reports(rold, rnew, 0, &d) != GK_OK) {
    reply_error(res, 500, "内存不足");
    goto out;
  }
  json_t *history = json_array();
  for (size_t i = 0; i < gk_report_diag_count(rnew); i++) {
    const gk_diag *g = gk_report_diag(rnew, i);
    if (strncmp(g->rule, "history.", 8) == 0)
      json_array_append_new(history,
                            json_pack("{s:s,s:s,s:s,s:s?}", "rule", g->rule,
                                      "severity", gk_severity_name(g->severity),
                                      "message", g->message, "path", g->path));
  }
  json_t *cells = json_array();
  for (size_t i = 0; i < gk_diff_count(d); i++) {
    const gk_cell_change *c = gk_diff_get(d, i);
    gk_cell_info info;
    if (gk_cell_get(GK_EDITION_UNKNOWN, c->cell, &info) != GK_OK)
      continue;
    json_array_append_new(
        cells,
        json_pack("{s:s,s:s,s:o,s:o}", "path", info.path, "label", info.label,
                  "old", number_json(c->has_old, c->old_value, c->old_scale),
                  "new", number_json(c->has_new, c->new_value, c->new_scale)));
  }
  json_t *parts = json_array();
  for (int part = 1; part <= 6; part++) {
    const char *texts[2] = {NULL, NULL};
    const gk_report *reps[2] = {rold, rnew};
    for (int k = 0; k < 2; k++)
      for (size_t i = 0; i < gk_report_section_count(reps[k]); i++)
        if (gk_report_section(reps[k], i)->number == part)
          texts[k] = gk_report_section(reps[k], i)->text;
    double sim = gk_diff_similarity(d, part);
    json_array_append_new(parts,
                          json_pack("{s:i,s:s?,s:s?,s:o}", "part", part, "old",
                                    texts[0], "new", texts[1], "similarity",
                                    sim < 0 ? json_null() : json_real(sim)));
  }
  reply_json(res, 200,
             json_pack("{s:O,s:O,s:o,s:o,s:o}", "old", mold, "new", mnew,
                       "history", history, "cells", cells, "parts", parts));
out:
  gk_diff_free(d);
  gk_report_free(rnew);
  gk_report_free(rold);
  json_decref(mnew);
  json_decref(mold);
}

/* --------------------------------------------------------------- export */

static int read_whole(const char *path, char **out, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return -1;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (n < cap)
      break;
    char *nb = realloc(buf, cap * 2);
    if (!nb) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = nb;
    cap *= 2;
  }
  fclose(f);
  if (!buf)
    return -1;
  *out = buf;
  *len = n;
  return 0;
}

/* The region's XLSX, as `gongkai table --xlsx` writes it, from the stored
 * (corrected) models, each checked again by the library. */
static void api_export(gk_server *srv, const gk_request *req,
                       gk_response *res) {
  const char *year = req->query(req->ctx, "year");
  const char *who = actor_of(req);
  gk_param p[1];
  size_t np = 0;
  char sql[1024], scope[512];
  if (year && parse_id(year))
    p[np++] = GK_TEXT(year);
  gk_authz_scope_sql(req->user, GK_REPORT_PLACE, scope, sizeof scope);
  snprintf(sql, sizeof sql,
           "SELECT r.id, r.name, coalesce(m.model, m.model_read) FROM "
           "reports r JOIN report_models m ON m.report_id = r.id "
           "WHERE r.state = 'done' %s AND %s "
           "ORDER BY r.name, r.id LIMIT %d",
           np ? "AND r.year = $1" : "", scope, GK_EXPORT_MAX_REPORTS);
  gk_rows *r = NULL;
  if (gk_store_query(srv->store, sql, p, np, &r) != 0) {
    reply_store_error(res, srv->store);
    return;
  }
  const char *tmpdir = getenv("TMPDIR");
  char path[512];
  snprintf(path, sizeof path, "%s/gongkai-export-XXXXXX",
           tmpdir && *tmpdir ? tmpdir : "/tmp");
  int fd = mkstemp(path);
  if (fd < 0) {
    gk_rows_free(r);
    reply_error(res, 500, "无法创建临时文件");
    return;
  }
  close(fd);
  gk_table_writer *w = NULL;
  gk_status st = gk_table_writer_open(path, GK_TABLE_XLSX, 0, &w);
  gk_check_options o;
  memset(&o, 0, sizeof o);
  o.township_deadline_month = srv->cfg->township_deadline_month;
  o.township_deadline_day = srv->cfg->township_deadline_day;
  for (size_t i = 0; st == GK_OK && i < gk_rows_count(r); i++) {
    size_t len;
    const char *model = gk_rows_get(r, i, 2, &len);
    gk_report *rep = NULL;
    if (!model || gk_read_model_json(model, len, &rep, NULL) != GK_OK)
      continue;
    st = gk_check(rep, &o);
    if (st == GK_OK)
      st = gk_table_writer_add(w, rep, gk_rows_get(r, i, 1, NULL), NULL);
    gk_report_free(rep);
  }
  /* the sheet of confirmed findings, body by body */
  gk_rows *f = NULL;
  snprintf(sql, sizeof sql,
           "SELECT coalesce(g.name, r.agency, r.name), r.name, f.line, "
           "f.path, f.severity, f.rule, f.message, f.reason, f.reviewer, "
           "f.reviewed FROM findings f JOIN reports r ON r.id = f.report_id "
           "LEFT JOIN regions g ON g.id = r.region_id WHERE f.status = "
           "'confirmed' AND r.state = 'done' %s AND %s ORDER BY 1, r.id, "
           "f.seq",
           np ? "AND r.year = $1" : "", scope);
  if (st == GK_OK && gk_store_query(srv->store, sql, p, np, &f) != 0)
    st = GK_EIO;
  for (size_t i = 0; st == GK_OK && i < gk_rows_count(f); i++) {
    char label[GK_CELL_LABEL_MAX];
    const char *fpath = gk_rows_get(f, i, 3, NULL);
    gk_review_row rr = {.agency = gk_rows_get(f, i, 0, NULL),
                        .source = gk_rows_get(f, i, 1, NULL),
                        .line = (uint32_t)gk_rows_int(f, i, 2, 0),
                        .label = fpath && cell_label(fpath, label, sizeof label)
                                     ? label
                                     : fpath,
                        .severity = gk_rows_get(f, i, 4, NULL),
                        .rule = gk_rows_get(f, i, 5, NULL),
                        .message = gk_rows_get(f, i, 6, NULL),
                        .status = "确认",
                        .reason = gk_rows_get(f, i, 7, NULL),
                        .reviewer = gk_rows_get(f, i, 8, NULL),
                        .reviewed = gk_rows_get(f, i, 9, NULL)};
    st = gk_table_writer_add_review(w, &rr);
  }
  gk_rows_free(f);
  if (st == GK_OK)
    st = gk_table_writer_close(w);
  else
    gk_table_writer_discard(w);
  char *bytes = NULL;
  size_t len = 0;
  int rc = st == GK_OK ? read_whole(path, &bytes, &len) : -1;
  unlink(path);
  gk_rows_free(r);
  if (rc != 0) {
    reply_error(res, 500, "导出失败");
    return;
  }
  (void)gk_store_audit(srv->store, who && *who ? who : "匿名", "export", "xlsx",
                       year ? year : "全部");
  res->status = 200;
  res->content_type =
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  res->body = bytes;
  res->len = len;
  snprintf(res->disposition, sizeof res->disposition,
           "attachment; filename=\"gongkai-%s.xlsx\"",
           year && parse_id(year) ? year : "all");
}

/* ------------------------------------------------- the notice (整改通知) */

/* The longest office name put into a notice. */
#define GK_OFFICE_MAX 100

/* 2025年2月10日, today (UTC: the server keeps no time zone). */
static void today_chinese(char *buf, size_t cap) {
  char now[21];
  gk_store_now(now);
  snprintf(buf, cap, "%.4s年%d月%d日", now, atoi(now + 5), atoi(now + 8));
}

/* A rectification notice for one report's body, as DOCX: its confirmed
 * findings with where they are, written by the library's document
 * writer. */
static void api_notice(gk_server *srv, const gk_request *req, gk_response *res,
                       int64_t id) {
  const char *office = req->query(req->ctx, "office");
  const char *who = actor_of(req);
  if (!office || !*office || strlen(office) > GK_OFFICE_MAX)
    office = "政务公开办公室";
  char rid[24];
  id_text(rid, sizeof rid, id);
  gk_param p[] = {GK_TEXT(rid)};
  gk_rows *r = NULL, *f = NULL;
  gk_block *blocks = NULL;
  char **texts = NULL;
  size_t n_texts = 0;
  char *out = NULL;
  if (gk_store_query(srv->store,
                     "SELECT coalesce(g.name, r.agency, r.name), r.title, "
                     "r.published, r.year, r.name FROM reports r LEFT JOIN "
                     "regions g ON g.id = r.region_id WHERE r.id = $1 AND "
                     "r.state = 'done'",
                     p, 1, &r) != 0 ||
      gk_store_query(srv->store,
                     "SELECT message, line, path, reason FROM findings "
                     "WHERE report_id = $1 AND status = 'confirmed' ORDER BY "
                     "seq",
                     p, 1, &f) != 0) {
    reply_store_error(res, srv->store);
    goto out;
  }
  if (gk_rows_count(r) == 0) {
    reply_error(res, 404, "报告不存在或尚未读取");
    goto out;
  }
  if (gk_rows_count(f) == 0) {
    reply_error(res, 409, "这份报告还没有已确认的问题，无需整改通知");
    goto out;
  }
  const char *body = gk_rows_get(r, 0, 0, NULL);
  const char *title = gk_rows_get(r, 0, 1, NULL);
  const char *published = gk_rows_get(r, 0, 2, NULL);
  const char *year = gk_rows_get(r, 0, 3, NULL);
  char pub_zh[40] = "";
  if (published && strlen(published) == 10)
    snprintf(pub_zh, sizeof pub_zh, "%.4s年%d月%d日", published,
             atoi(published + 5), atoi(published + 8));
  size_t nf = gk_rows_count(f);
  blocks = calloc(nf + 12, sizeof *blocks);
  texts = calloc(nf + 12, sizeof *texts);
  if (!blocks || !texts) {
    reply_error(res, 500, "内存不足");
    goto out;
  }
  size_t nb = 0;
#define ADD(block_kind, ...)                                                   \
  do {                                                                         \
    char tmp[4096];                                                            \
    snprintf(tmp, sizeof tmp, __VA_ARGS__);                                    \
    texts[n_texts] = strdup(tmp);                                              \
    if (!texts[n_texts])                                                       \
      goto oom;                                                                \
    blocks[nb].kind = (block_kind);                                            \
    blocks[nb++].text = texts[n_texts++];                                      \
  } while (0)
  ADD(GK_BLOCK_TITLE, "关于%s%s年政府信息公开工作年度报告的整改通知", body,
      year ? year : "");
  ADD(GK_BLOCK_PARA, "%s：", body);
  ADD(GK_BLOCK_PARA,
      "经审核，你单位发布的《%s》%s%s%s存在以下 %zu 个问题，请逐项核实整改，"
      "更正报告并重新发布，并将整改情况报送%s。",
      title ? title : gk_rows_get(r, 0, 4, NULL),
      pub_zh[0] ? "（落款日期 " : "", pub_zh, pub_zh[0] ? "）" : "", nf,
      office);
  ADD(GK_BLOCK_HEADING, "一、需要整改的问题");
  for (size_t i = 0; i < nf; i++) {
    const char *path = gk_rows_get(f, i, 2, NULL);
    const char *reason = gk_rows_get(f, i, 3, NULL);
    int64_t line = gk_rows_int(f, i, 1, 0);
    char label[GK_CELL_LABEL_MAX] = "";
    char where[GK_CELL_LABEL_MAX + 64] = "";
    int has_label = path && cell_label(path, label, sizeof label);
    if (line && has_label)
      snprintf(where, sizeof where, "（位置：原文第 %lld 行，%s）",
               (long long)line, label);
    else if (line)
      snprintf(where, sizeof where, "（位置：原文第 %lld 行）",
               (long long)line);
    else if (has_label)
      snprintf(where, sizeof where, "（位置：%s）", label);
    ADD(GK_BLOCK_PARA, "%zu. %s%s%s%s", i + 1, gk_rows_get(f, i, 0, NULL),
        where, reason && *reason ? "审核意见：" : "",
        reason && *reason ? reason : "");
  }
  ADD(GK_BLOCK_HEADING, "二、整改要求");
  ADD(GK_BLOCK_PARA,
      "请对照《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开"
      "工作年度报告格式》（国办公开办函〔2021〕30号）核实上述问题，数字有误的"
      "应按原始台账更正，表格与正文不一致的应统一口径。");
  ADD(GK_BLOCK_AGENCY, "%s", office);
  char date[40];
  today_chinese(date, sizeof date);
  ADD(GK_BLOCK_DATE, "%s", date);
#undef ADD
  size_t len = 0;
  if (gk_document_render(texts[0], blocks, nb, GK_RENDER_DOCX, &out, &len) !=
      GK_OK) {
    reply_error(res, 500, "生成整改通知失败");
    goto out;
  }
  char obj[40];
  snprintf(obj, sizeof obj, "report:%lld", (long long)id);
  (void)gk_store_audit(srv->store, who && *who ? who : "匿名", "notice", obj,
                       office);
  res->status = 200;
  res->content_type = "application/vnd.openxmlformats-officedocument."
                      "wordprocessingml.document";
  res->body = out;
  res->len = len;
  out = NULL;
  snprintf(res->disposition, sizeof res->disposition,
           "attachment; filename=\"notice-%lld.docx\"", (long long)id);
  goto out;
oom:
  reply_error(res, 500, "内存不足");
out:
  for (size_t i = 0; i < n_texts; i++)
    free(texts[i]);
  free(texts);
  free(blocks);
  free(out);
  gk_rows_free(r);
  gk_rows_free(f);
}

/* ------------------------------------------------------------- routing */

void gk_api_handle(gk_server *srv, const gk_request *req, gk_response *res) {
  int64_t id[2] = {0, 0};
  const char *m = req->method;
  const char *u = req->path;
  int get = strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
  int post = strcmp(m, "POST") == 0;
  if (get && strcmp(u, "/api/v1/status") == 0)
    api_status(srv, req, res);
  else if (get && strcmp(u, "/api/v1/cells") == 0)
    api_cells(req, res);
  else if (post && strcmp(u, "/api/v1/batches") == 0)
    api_batch_create(srv, req, res);
  else if (get && route(u, "/api/v1/batches/#", id))
    api_batch_get(srv, res, id[0]);
  else if (post && route(u, "/api/v1/batches/#/files", id))
    api_upload(srv, req, res, id[0]);
  else if (post && route(u, "/api/v1/batches/#/zip", id))
    api_upload_zip(srv, req, res, id[0]);
  else if (get && strcmp(u, "/api/v1/reports") == 0)
    api_reports(srv, req, res);
  else if (get && route(u, "/api/v1/reports/#", id))
    cached_get(srv, req, res, "", api_report_get, id[0]);
  else if (get && route(u, "/api/v1/reports/#/compare", id))
    api_compare(srv, req, res, id[0]);
  else if (get && route(u, "/api/v1/reports/#/notice.docx", id))
    api_notice(srv, req, res, id[0]);
  else if (get && route(u, "/api/v1/reports/#/file", id))
    api_report_file(srv, res, id[0]);
  else if (post && route(u, "/api/v1/reports/#/corrections", id))
    api_correct(srv, req, res, id[0]);
  else if (post && route(u, "/api/v1/reports/#/body", id))
    api_report_body(srv, req, res, id[0]);
  else if (post && route(u, "/api/v1/findings/#/review", id))
    api_review(srv, req, res, id[0]);
  else if (get && strcmp(u, "/api/v1/regions") == 0)
    api_regions(srv, res);
  else if (post && strcmp(u, "/api/v1/regions") == 0)
    api_region_add(srv, req, res);
  else if (post && strcmp(u, "/api/v1/roster/remove") == 0)
    api_roster_remove(srv, req, res);
  else if (get && strcmp(u, "/api/v1/roster") == 0)
    api_roster_cached(srv, req, res);
  else if (post && strcmp(u, "/api/v1/roster") == 0)
    api_roster_import(srv, req, res);
  else if (get && strcmp(u, "/api/v1/export.xlsx") == 0)
    api_export(srv, req, res);
  else if (get && strcmp(u, "/api/v1/audit") == 0)
    api_audit(srv, req, res);
  /* issue 13, second pass: import from URLs, the ranking, PDF pages */
  else if (post && route(u, "/api/v1/batches/#/urls", id))
    api_upload_urls(srv, req, res, id[0]);
  else if (get && route(u, "/api/v1/reports/#/pages/#", id))
    api_report_page(srv, req, res, id[0], id[1]);
  else if (get && strcmp(u, "/api/v1/ranking") == 0)
    api_ranking(srv, req, res);
  else
    reply_error(res, 404, "没有这个接口");
}
