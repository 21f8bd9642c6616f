/*
 * serve_exec.c - `gongkai serve ARGS...`: runs gongkai-serve ARGS... in
 * place of this process.
 *
 * The review workspace needs libmicrohttpd, libpq, libcurl (with GnuTLS,
 * Kerberos, LDAP...), libargon2 and SQLite: 29 more shared libraries for
 * the dynamic linker to load at every start.  So it is a second program,
 * gongkai-serve (serve_main.c, cmd_serve.c and src/server, src/store), and
 * the `gongkai` that a clerk or a script runs once per report loads only
 * what parse, check, table, diff and render need.  This is git's split
 * (git-remote-https keeps libcurl out of git).
 *
 * execv(), not fork(): the process id, the signals' dispositions, the
 * standard streams, the environment and the exit status are the server's
 * own, exactly as when serve was linked in.  gongkai-serve is looked for
 * next to this executable (the build tree: both are built in one
 * folder), then in the install layout relative to it (bin/gongkai and
 * libexec/gongkai/gongkai-serve under any --prefix), then in the install
 * folder configured at build time.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Set by src/cli/CMakeLists.txt from the install rules. */
#if !defined(GK_SERVE_NAME) || !defined(GK_SERVE_REL_DIR) ||                   \
    !defined(GK_SERVE_INSTALLED)
#error "GK_SERVE_NAME, GK_SERVE_REL_DIR and GK_SERVE_INSTALLED must be set"
#endif

/* The longest path tried, with its NUL: Linux's PATH_MAX.  execve()
 * refuses a longer one (ENAMETOOLONG) anyway. */
#define GK_SERVE_MAX_PATH 4096
/* Next to us, relative to us, the configured folder. */
#define GK_SERVE_N_PLACES 3

/* This executable's folder, with its trailing slash, from /proc/self/exe
 * (symbolic links resolved); false without /proc or past the cap. */
static bool self_dir(char *dir, size_t cap) {
  ssize_t n = readlink("/proc/self/exe", dir, cap);
  if (n <= 0 || (size_t)n >= cap)
    return false;
  dir[n] = '\0';
  char *slash = strrchr(dir, '/');
  if (!slash)
    return false;
  slash[1] = '\0';
  return true;
}

/* Why an existing gongkai-serve could not be run, for a person. */
static const char *exec_error_zh(int e) {
  switch (e) {
  case EACCES:
  case EPERM:
    return "没有执行权限";
  case ENOEXEC:
    return "不是本机可执行的程序";
  case ENOMEM:
    return "内存不足";
  case E2BIG:
    return "参数或环境变量过长";
  case ENAMETOOLONG:
    return "路径过长";
  default:
    return "系统错误";
  }
}

int gk_cmd_serve_exec(char **argv) {
  char places[GK_SERVE_N_PLACES][GK_SERVE_MAX_PATH];
  size_t n = 0;
  char dir[GK_SERVE_MAX_PATH];
  if (self_dir(dir, sizeof dir)) {
    int a = snprintf(places[n], sizeof places[n], "%s%s", dir, GK_SERVE_NAME);
    if (a > 0 && (size_t)a < sizeof places[n])
      n++;
    int b = snprintf(places[n], sizeof places[n], "%s%s/%s", dir,
                     GK_SERVE_REL_DIR, GK_SERVE_NAME);
    if (b > 0 && (size_t)b < sizeof places[n])
      n++;
  }
  snprintf(places[n++], sizeof places[0], "%s", GK_SERVE_INSTALLED);
  for (size_t i = 0; i < n; i++) {
    argv[0] = places[i];
    execv(places[i], argv);
    /* Only a missing program moves on to the next place: one that is
     * there but cannot run is reported, not replaced by another copy. */
    int e = errno;
    if (e != ENOENT && e != ENOTDIR) {
      fprintf(stderr, "gongkai: serve: 无法运行 %s：%s（errno %d）\n",
              places[i], exec_error_zh(e), e);
      return 1;
    }
  }
  fprintf(stderr, "gongkai: serve: 找不到审核工作台程序 %s，已查找：\n",
          GK_SERVE_NAME);
  for (size_t i = 0; i < n; i++)
    fprintf(stderr, "  %s\n", places[i]);
  fprintf(stderr, "它随 gongkai 一同构建和安装（cmake --install 把它放在 "
                  "libexec/gongkai/）；请重新安装 gongkai，或把它放回 gongkai "
                  "旁边\n");
  return 1;
}
