/*
 * cmd_serve.c - `gongkai serve`: parses the options and starts the review
 * workspace (src/server).  Exit status 0 after a clean stop (Ctrl-C), 1 when
 * the server could not start, 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "batch.h"
#include "cli.h"
#include "server.h"

/* The most worker threads a user may ask for; server.c caps it again. */
#define GK_SERVE_MAX_WORKERS 64
/* The largest answer cache a user may ask for, in MB: the server's memory
 * target is 256 MB in all (docs/PERFORMANCE.md); more is a typo. */
#define GK_SERVE_MAX_ANSWER_CACHE_MB 1024

/* Set by opt_value() when an option that takes a value has none: it is
 * the last argument, or the next argument is another option ("--import
 * --roster r.csv" must not import a file named "--roster"). */
static const char *missing_value;

/* Takes "--opt VALUE" or "--opt=VALUE"; returns the value, or NULL when
 * argv[*i] is not OPT (or has no value: then missing_value is OPT). */
static const char *opt_value(int argc, char **argv, int *i, const char *opt) {
  size_t n = strlen(opt);
  /* argv[0, argc) are strings (C17 5.1.2.2.1, and main() passes a tail of
   * its argv), *i < argc; the analyzer supposes argv[++*i] may be NULL. */
  // NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker)
  if (strncmp(argv[*i], opt, n) != 0)
    return NULL;
  if (argv[*i][n] == '=')
    return argv[*i] + n + 1;
  if (argv[*i][n] != '\0')
    return NULL; /* --database is not --data */
  if (*i + 1 < argc && strncmp(argv[*i + 1], "--", 2) != 0)
    return argv[++*i];
  missing_value = opt;
  return NULL;
}

int gk_cmd_serve(int argc, char **argv) {
  gk_server_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.data_dir = "gongkai-data";
  cfg.listen = "127.0.0.1:8080";
  /* --import and --roster arguments point into argv */
  char **imports = calloc((size_t)argc + 1, sizeof *imports);
  char **rosters = calloc((size_t)argc + 1, sizeof *rosters);
  size_t n_imports = 0, n_rosters = 0;
  int rc = EXIT_USAGE;
  if (!imports || !rosters) {
    free(imports);
    free(rosters);
    return EXIT_INTERNAL;
  }
  const char *init_admin = NULL, *backup = NULL;
  int list_routes = 0;
  missing_value = NULL;
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  cfg.workers = cores > 0 ? (int)cores : 2;
  for (int i = 0; i < argc; i++) {
    const char *v;
    if ((v = opt_value(argc, argv, &i, "--data")))
      cfg.data_dir = v;
    else if ((v = opt_value(argc, argv, &i, "--import")))
      imports[n_imports++] = (char *)v;
    // NOLINTNEXTLINE(clang-analyzer-core.NullDereference): see opt_value()
    else if (argv[i][0] != '-' && n_imports > 0)
      imports[n_imports++] = argv[i]; /* --import A B C */
    else if ((v = opt_value(argc, argv, &i, "--roster")))
      rosters[n_rosters++] = (char *)v;
    else if ((v = opt_value(argc, argv, &i, "--db"))) {
      if (strncmp(v, "postgresql://", 13) != 0 &&
          strncmp(v, "postgres://", 11) != 0) {
        rc = gk_cli_usage_error("--db 应为 postgresql://... 地址：%s", v);
        goto out;
      }
      cfg.db_url = v;
    } else if ((v = opt_value(argc, argv, &i, "--listen")))
      cfg.listen = v;
    else if ((v = opt_value(argc, argv, &i, "--init-admin")))
      init_admin = v; /* issue 14: the first administrator */
    else if ((v = opt_value(argc, argv, &i, "--backup")))
      backup = v;
    // NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker): see opt_value()
    else if (strcmp(argv[i], "--list-routes") == 0)
      list_routes = 1;
    else if ((v = opt_value(argc, argv, &i, "--tls-cert")))
      cfg.tls_cert = v;
    else if ((v = opt_value(argc, argv, &i, "--tls-key")))
      cfg.tls_key = v;
    else if ((v = opt_value(argc, argv, &i, "--port-file")))
      cfg.port_file = v; /* for tests that listen on port 0 */
    else if ((v = opt_value(argc, argv, &i, "--workers"))) {
      char *end;
      long n = strtol(v, &end, 10);
      if (*end || n < 1 || n > GK_SERVE_MAX_WORKERS) {
        rc = gk_cli_usage_error("--workers 应为 1 到 64：%s", v);
        goto out;
      }
      cfg.workers = (int)n;
    } else if ((v = opt_value(argc, argv, &i, "--answer-cache"))) {
      char *end;
      long n = strtol(v, &end, 10);
      if (*end || !*v || n < 0 || n > GK_SERVE_MAX_ANSWER_CACHE_MB) {
        rc = gk_cli_usage_error("--answer-cache 应为 0 到 1024（MB）：%s", v);
        goto out;
      }
      cfg.answer_cache_mb = n ? n : -1; /* 0: no cache */
    } else if ((v = opt_value(argc, argv, &i, "--deadline"))) {
      if (!gk_batch_parse_deadline(v, &cfg.township_deadline_month,
                                   &cfg.township_deadline_day)) {
        rc = gk_cli_usage_error("--deadline 应为 MM-DD：%s", v);
        goto out;
      }
    } else if (missing_value) {
      rc = gk_cli_usage_error("serve: %s 需要一个值", missing_value);
      goto out;
    } else {
      rc = gk_cli_usage_error("serve: 未知选项 %s", argv[i]);
      goto out;
    }
  }
  if (list_routes) {
    gk_auth_list_routes();
    rc = 0;
    goto out;
  }
  if (init_admin) {
    rc = gk_auth_init_admin(cfg.data_dir, cfg.db_url, init_admin);
    goto out;
  }
  if (backup) {
    rc = gk_auth_backup(cfg.data_dir, cfg.db_url, backup);
    goto out;
  }
  rc = n_imports || n_rosters
           ? gk_server_import(&cfg, imports, n_imports, rosters, n_rosters)
           : gk_server_run(&cfg);
out:
  free(imports);
  free(rosters);
  return rc;
}
