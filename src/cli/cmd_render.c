/* PLACEHOLDER until its owner writes it. */
#include "cli.h"
int gk_cmd_render(int argc, char **argv) {
  (void)argc, (void)argv;
  return gk_cli_usage_error("%s 命令尚未实现", "render");
}
