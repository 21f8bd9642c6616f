/*
 * authz.c - who may do what: the API's route table and the one
 * authorisation function (docs/SECURITY.md).
 *
 * Every API request is looked up in gk_routes[] before it is handled
 * (auth.c); a route missing from the table answers 404, so a handler
 * added to api.c without a line here is unreachable rather than open.
 * `gongkai serve --list-routes` prints the table; the authorisation
 * matrix test (tests/server/authz_test.py) fails on a route it does not
 * know.
 *
 * Scope: a user's scope is a node of the region tree and includes its
 * subtree; 0 (NULL in the users table) is the whole tree.  A report is in
 * scope when its matched body is; a report not yet matched to a body is
 * in the scope its uploader had when uploading it (reports.scope_region_id,
 * NULL: the whole tree, so seen only by users of the whole tree) -- the
 * report's place is coalesce(region_id, scope_region_id), GK_REPORT_PLACE.
 * A batch belongs to the user who created it (and to administrators).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"

/* clang-format off */
const gk_route gk_routes[] = {
  /* accounts (auth.c) */
  {"POST", "/api/v1/login",               GK_ACT_PUBLIC, GK_OBJ_NONE},
  {"POST", "/api/v1/logout",              GK_ACT_SELF,   GK_OBJ_NONE},
  {"GET",  "/api/v1/session",             GK_ACT_SELF,   GK_OBJ_NONE},
  {"POST", "/api/v1/password",            GK_ACT_SELF,   GK_OBJ_NONE},
  {"GET",  "/api/v1/users",               GK_ACT_ADMIN,  GK_OBJ_NONE},
  {"POST", "/api/v1/users",               GK_ACT_ADMIN,  GK_OBJ_NONE},
  {"POST", "/api/v1/users/#/password",    GK_ACT_ADMIN,  GK_OBJ_USER},
  /* issue 14's second pass: role, scope, disabled (auth.c) */
  {"POST", "/api/v1/users/#",             GK_ACT_ADMIN,  GK_OBJ_USER},
  /* the workspace (api.c) */
  {"GET",  "/api/v1/status",              GK_ACT_READ,   GK_OBJ_NONE},
  {"GET",  "/api/v1/cells",               GK_ACT_READ,   GK_OBJ_NONE},
  {"POST", "/api/v1/batches",             GK_ACT_UPLOAD, GK_OBJ_NONE},
  {"GET",  "/api/v1/batches/#",           GK_ACT_READ,   GK_OBJ_BATCH},
  {"POST", "/api/v1/batches/#/files",     GK_ACT_UPLOAD, GK_OBJ_BATCH},
  {"POST", "/api/v1/batches/#/zip",       GK_ACT_UPLOAD, GK_OBJ_BATCH},
  {"GET",  "/api/v1/reports",             GK_ACT_READ,   GK_OBJ_NONE},
  {"GET",  "/api/v1/reports/#",           GK_ACT_READ,   GK_OBJ_REPORT},
  {"GET",  "/api/v1/reports/#/compare",   GK_ACT_READ,   GK_OBJ_REPORT},
  {"GET",  "/api/v1/reports/#/notice.docx", GK_ACT_REVIEW, GK_OBJ_REPORT},
  {"GET",  "/api/v1/reports/#/file",      GK_ACT_READ,   GK_OBJ_REPORT},
  {"POST", "/api/v1/reports/#/corrections", GK_ACT_REVIEW, GK_OBJ_REPORT},
  {"POST", "/api/v1/reports/#/body",      GK_ACT_REVIEW, GK_OBJ_REPORT},
  {"POST", "/api/v1/findings/#/review",   GK_ACT_REVIEW, GK_OBJ_FINDING},
  {"GET",  "/api/v1/regions",             GK_ACT_READ,   GK_OBJ_NONE},
  {"POST", "/api/v1/regions",             GK_ACT_ADMIN,  GK_OBJ_NONE},
  {"POST", "/api/v1/roster/remove",       GK_ACT_ADMIN,  GK_OBJ_NONE},
  {"GET",  "/api/v1/roster",              GK_ACT_READ,   GK_OBJ_NONE},
  {"POST", "/api/v1/roster",              GK_ACT_ADMIN,  GK_OBJ_NONE},
  {"GET",  "/api/v1/export.xlsx",         GK_ACT_REVIEW, GK_OBJ_NONE},
  {"GET",  "/api/v1/audit",               GK_ACT_ADMIN,  GK_OBJ_NONE},
  /* issue 13's second pass: the server fetches the URLs itself, so only
   * the office's reviewers may ask it to (docs/SECURITY.md) */
  {"POST", "/api/v1/batches/#/urls",      GK_ACT_REVIEW, GK_OBJ_BATCH},
  {"GET",  "/api/v1/reports/#/pages/#",   GK_ACT_READ,   GK_OBJ_REPORT},
  {"GET",  "/api/v1/ranking",             GK_ACT_REVIEW, GK_OBJ_NONE},
  {NULL, NULL, GK_ACT_PUBLIC, GK_OBJ_NONE}};
/* clang-format on */

static const char *const role_names[] = {"管理员", "审核人员", "填报人员",
                                         "只读"};

const char *gk_role_name(gk_role r) {
  return (unsigned)r < 4 ? role_names[r] : "";
}

int gk_role_parse(const char *name) {
  for (int i = 0; name && i < 4; i++)
    if (strcmp(name, role_names[i]) == 0)
      return i;
  return -1;
}

/* The longest id segment: 18 digits fit in int64_t. */
#define GK_ROUTE_ID_DIGITS 18

int gk_route_match(const char *path, const char *pattern, int64_t *ids) {
  size_t k = 0;
  while (*pattern) {
    if (*pattern == '#') {
      const char *end = path;
      while (isdigit((unsigned char)*end))
        end++;
      if (end == path || end - path > GK_ROUTE_ID_DIGITS || k >= 2)
        return 0;
      char buf[GK_ROUTE_ID_DIGITS + 1];
      memcpy(buf, path, (size_t)(end - path));
      buf[end - path] = '\0';
      ids[k++] = strtoll(buf, NULL, 10);
      path = end;
      pattern++;
      continue;
    }
    if (*path != *pattern)
      return 0;
    path++;
    pattern++;
  }
  return *path == '\0';
}

const gk_route *gk_route_find(const char *method, const char *path,
                              int64_t *ids) {
  const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
  for (const gk_route *r = gk_routes; r->method; r++)
    if (strcmp(r->method, m) == 0 && gk_route_match(path, r->pattern, ids))
      return r;
  return NULL;
}

/* Does the role include the action? */
static int role_may(gk_role role, gk_action a) {
  switch (a) {
  case GK_ACT_PUBLIC:
  case GK_ACT_SELF:
  case GK_ACT_READ:
    return 1;
  case GK_ACT_UPLOAD:
    return role == GK_ROLE_ADMIN || role == GK_ROLE_REVIEWER ||
           role == GK_ROLE_FILER;
  case GK_ACT_REVIEW:
    return role == GK_ROLE_ADMIN || role == GK_ROLE_REVIEWER;
  case GK_ACT_ADMIN:
    return role == GK_ROLE_ADMIN;
  }
  return 0;
}

void gk_authz_scope_sql(const gk_user *u, const char *col, char *buf,
                        size_t cap) {
  if (!u || u->scope == 0) {
    snprintf(buf, cap, "%s", u ? "1=1" : "1=0");
    return;
  }
  snprintf(
      buf, cap,
      "%s IN (WITH RECURSIVE sub(id) AS (SELECT CAST(%lld AS BIGINT) UNION ALL "
      "SELECT g.id FROM regions g JOIN sub ON g.parent_id = sub.id) "
      "SELECT id FROM sub)",
      col, (long long)u->scope);
}

int gk_authz_region(gk_store *s, const gk_user *u, int64_t region) {
  if (!u)
    return 0;
  if (u->scope == 0)
    return 1;
  if (region <= 0)
    return 0;
  /* walk up from the region to the root: the tree is shallow (province
   * to township is five levels) and the walk is bounded by its depth */
  char rid[24], sid[24];
  snprintf(rid, sizeof rid, "%lld", (long long)region);
  snprintf(sid, sizeof sid, "%lld", (long long)u->scope);
  gk_param p[] = {GK_TEXT(rid), GK_TEXT(sid)};
  int ok;
  int64_t n = gk_store_int(
      s,
      "WITH RECURSIVE up(id, parent_id, depth) AS (SELECT id, parent_id, 0 "
      "FROM regions WHERE id = CAST($1 AS BIGINT) UNION ALL SELECT g.id, "
      "g.parent_id, up.depth + 1 FROM regions g JOIN up ON g.id = "
      "up.parent_id WHERE up.depth < 64) SELECT count(*) FROM up WHERE id = "
      "CAST($2 AS BIGINT)",
      p, 2, &ok);
  return ok && n > 0;
}

/* The region of an object and whether it exists: 1 found (*region, 0
 * when unmatched), 0 not found, -1 store failure.  For a batch, *owner
 * is its creator. */
static int object_region(gk_store *s, gk_object kind, int64_t id,
                         int64_t *region, char *owner, size_t cap) {
  char oid[24];
  snprintf(oid, sizeof oid, "%lld", (long long)id);
  gk_param p[] = {GK_TEXT(oid)};
  const char *sql = NULL;
  switch (kind) {
  case GK_OBJ_REPORT:
    sql = "SELECT coalesce(region_id, scope_region_id), '' FROM reports "
          "WHERE id = CAST($1 AS BIGINT)";
    break;
  case GK_OBJ_FINDING:
    sql = "SELECT coalesce(r.region_id, r.scope_region_id), '' FROM findings "
          "f JOIN reports r ON r.id = f.report_id WHERE f.id = CAST($1 AS "
          "BIGINT)";
    break;
  case GK_OBJ_BATCH:
    sql = "SELECT NULL, actor FROM batches WHERE id = CAST($1 AS BIGINT)";
    break;
  case GK_OBJ_USER:
    sql = "SELECT scope_region_id, name FROM users WHERE id = "
          "CAST($1 AS BIGINT)";
    break;
  case GK_OBJ_NONE:
    return 1;
  }
  gk_rows *r = NULL;
  if (gk_store_query(s, sql, p, 1, &r) != 0)
    return -1;
  int found = gk_rows_count(r) > 0;
  if (found) {
    *region = gk_rows_int(r, 0, 0, 0);
    const char *o = gk_rows_get(r, 0, 1, NULL);
    snprintf(owner, cap, "%s", o ? o : "");
  }
  gk_rows_free(r);
  return found;
}

int gk_authz(gk_store *s, const gk_user *u, gk_action action, gk_object kind,
             int64_t id) {
  if (action == GK_ACT_PUBLIC)
    return 0;
  if (!u)
    return 401;
  if (kind != GK_OBJ_NONE) {
    int64_t region = 0;
    char owner[201] = "";
    int f = object_region(s, kind, id, &region, owner, sizeof owner);
    if (f < 0)
      return 500;
    if (f == 0)
      return 404;
    if (kind == GK_OBJ_BATCH) {
      /* a batch is its creator's (and the administrators') */
      if (u->role != GK_ROLE_ADMIN && strcmp(owner, u->name) != 0)
        return 404;
    } else if (kind == GK_OBJ_USER) {
      /* an administrator manages the users of their scope */
      if (u->scope != 0 && (region == 0 || !gk_authz_region(s, u, region)))
        return 404;
    } else if (!gk_authz_region(s, u, region)) {
      return 404;
    }
  }
  return role_may(u->role, action) ? 0 : 403;
}

static const char *action_name(gk_action a) {
  static const char *const n[] = {"public", "self",   "read",
                                  "upload", "review", "admin"};
  return (unsigned)a < 6 ? n[a] : "?";
}

static const char *object_name(gk_object o) {
  static const char *const n[] = {"-", "batch", "report", "finding", "user"};
  return (unsigned)o < 5 ? n[o] : "?";
}

void gk_auth_list_routes(void) {
  for (const gk_route *r = gk_routes; r->method; r++)
    printf("%s %s %s %s\n", r->method, r->pattern, action_name(r->action),
           object_name(r->object));
}
