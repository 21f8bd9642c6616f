/*
 * serve_main.c - the gongkai-serve executable: `gongkai serve`'s review
 * workspace (cmd_serve.c over src/server and src/store) as a program of
 * its own, so that `gongkai` does not load the server's libraries
 * (serve_exec.c).  `gongkai serve ARGS...` runs it as gongkai-serve
 * ARGS...; its arguments, exit status and messages are serve's (cmd_serve.c).
 */
#include <signal.h>

#include "cli.h"

int main(int argc, char **argv) {
  /* As main.c: a write past the file size limit (ulimit -f) fails with
   * EFBIG instead of killing the server (a backup, an export). */
  signal(SIGXFSZ, SIG_IGN);
  /* gongkai-serve --help says what `gongkai serve --help` says. */
  if (gk_cli_wants_help(argc - 1, argv + 1))
    return gk_cli_command_help("serve");
  return gk_cmd_serve(argc - 1, argv + 1);
}
