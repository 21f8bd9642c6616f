/*
 * cli_common.c - what both executables of the command share: the usage
 * error message and the --deadline option.  `gongkai` (main.c) and
 * `gongkai-serve` (serve_main.c, cmd_serve.c) each link this file, so that
 * `gongkai serve` says what it said before it became its own program.
 */
#include <stdio.h>
#include <stdlib.h>

#include "batch.h"
#include "cli.h"

int gk_cli_usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "gongkai: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n请运行 gongkai --help 查看用法\n");
  return EXIT_USAGE;
}

bool gk_batch_parse_deadline(const char *s, int *month, int *day) {
  char *end;
  long mm = strtol(s, &end, 10);
  if (end == s || *end != '-')
    return false;
  const char *d = end + 1;
  long dd = strtol(d, &end, 10);
  if (end == d || *end != '\0' || mm < 1 || mm > 12 || dd < 1 || dd > 31)
    return false;
  *month = (int)mm;
  *day = (int)dd;
  return true;
}
