/*
 * auth.h - accounts, sessions and authorisation of `gongkai serve`
 * (issue 14; docs/SECURITY.md).
 *
 * auth.c: passwords (Argon2id, libargon2), sessions (a 256-bit random
 * token in an HttpOnly SameSite=Strict cookie, stored hashed; idle and
 * absolute expiry; a CSRF token per session), login rate limits, and the
 * routes of accounts (/api/v1/login, logout, session, password, users).
 *
 * authz.c: the route table of the API (every route, its action and the
 * kind of object its id names) and the one function that says whether a
 * user may do an action to an object.  An object outside the user's scope
 * answers 404, as one that does not exist.
 */
#ifndef GK_AUTH_H
#define GK_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct gk_server;
struct gk_request;
struct gk_response;

/* The roles (model names in Chinese, as the users table stores them). */
typedef enum {
  GK_ROLE_ADMIN = 0, /* 管理员: everything in scope, users, regions, audit */
  GK_ROLE_REVIEWER,  /* 审核人员: read, upload, review, correct, export */
  GK_ROLE_FILER,     /* 填报人员: read and upload */
  GK_ROLE_READER     /* 只读: read */
} gk_role;

/* The logged-in user of a request. */
typedef struct gk_user {
  int64_t id;
  char name[201];
  gk_role role;
  int64_t scope; /* region id; 0: the whole tree */
  char csrf[65];
} gk_user;

/* Actions a route performs. */
typedef enum {
  GK_ACT_PUBLIC = 0, /* no login needed */
  GK_ACT_SELF,       /* any logged-in user, on their own account */
  GK_ACT_READ,
  GK_ACT_UPLOAD,
  GK_ACT_REVIEW,
  GK_ACT_ADMIN
} gk_action;

/* The kind of object the route's first id names. */
typedef enum {
  GK_OBJ_NONE = 0,
  GK_OBJ_BATCH,
  GK_OBJ_REPORT,
  GK_OBJ_FINDING,
  GK_OBJ_USER
} gk_object;

typedef struct gk_route {
  const char *method;  /* GET or POST (HEAD is answered as GET) */
  const char *pattern; /* "#" stands for one decimal id */
  gk_action action;
  gk_object object;
} gk_route;

/* The route table, ended by a NULL method. */
extern const gk_route gk_routes[];

/* Matches path against a pattern ("#" one decimal id); fills ids (at
 * most 2).  Returns 1 on a match. */
int gk_route_match(const char *path, const char *pattern, int64_t *ids);

/* The route of a request, or NULL. */
const gk_route *gk_route_find(const char *method, const char *path,
                              int64_t *ids);

/* THE authorisation function: may user u (NULL: logged out) perform
 * action on the object (kind, id)?  Returns 0 when allowed, else the
 * HTTP status to answer: 401 logged out, 404 no such object or outside
 * the scope, 403 the role may not.  s is the store to read through. */
int gk_authz(gk_store *s, const gk_user *u, gk_action action, gk_object kind,
             int64_t id);

/* May u see region `region` (0: none, as an unmatched report)? */
int gk_authz_region(gk_store *s, const gk_user *u, int64_t region);

/* Where a report is, for its scope: its matched body, or while it has
 * none the scope of its uploader (reports r). */
#define GK_REPORT_PLACE "coalesce(r.region_id, r.scope_region_id)"

/* An SQL condition limiting column `col` (a region id) to u's scope,
 * into buf: "1=1" for the whole tree.  The scope id is a number read from
 * the database, never a user's string. */
void gk_authz_scope_sql(const gk_user *u, const char *col, char *buf,
                        size_t cap);

/* The role's Chinese name, and back (-1 when unknown). */
const char *gk_role_name(gk_role r);
int gk_role_parse(const char *name);

/* Authenticates an API request, answers the account routes, enforces
 * the CSRF token on every state-changing request, and asks gk_authz()
 * for every other route before handing it to gk_api_handle().  rs is the
 * store to read through (the thread's reader for GET); srv->store takes
 * the writes. */
void gk_auth_handle(struct gk_server *srv, gk_store *rs, struct gk_request *req,
                    struct gk_response *res);

/* Creates an administrator (or resets that user's password) and prints a
 * one-time password on standard output.  Returns the exit status. */
int gk_auth_init_admin(const char *data_dir, const char *db_url,
                       const char *name);

/* Writes a consistent copy of the SQLite database to `dest` while the
 * server may be running (SQLite's online backup API).  Exit status. */
int gk_auth_backup(const char *data_dir, const char *db_url, const char *dest);

/* Prints the route table (METHOD PATTERN ACTION OBJECT per line). */
void gk_auth_list_routes(void);

#endif
