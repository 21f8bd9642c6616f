/*
 * cli_common.c - what both executables of the command share: the usage
 * error message, the usage text and --help, and the --deadline option.
 * `gongkai` (main.c) and `gongkai-serve` (serve_main.c, cmd_serve.c) each link
 * this file, so that `gongkai serve` says what it said before it became its own
 * program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

const char gk_cli_usage_text[] =
    "用法 / usage:\n"
    "  gongkai parse [--pretty] FILE...\n"
    "      解析报告，每个文件输出一行 JSON（FILE 为 - 表示标准输入）\n"
    "  gongkai check [--json] [--pretty] [--prev FILE] [--deadline MM-DD]\n"
    "                [--no-pair] [--jobs N] [--quiet] "
    "[--color=auto|always|never]\n"
    "                [--excerpt|--no-excerpt] PATH...\n"
    "      检查报告（目录会被遍历，多核并行），按编译器格式逐条输出问题，"
    "最后一行为汇总；\n"
    "      同一机关相邻两年的报告自动配对，检查结转等历史规则；--prev "
    "指定上一年的报告；\n"
    "      --excerpt 在每条问题下引用原文（在终端上默认开启），--no-excerpt "
    "关闭\n"
    "  gongkai table [--csv OUT] [--xlsx OUT] [--force] [--zh] [--jobs N]\n"
    "                [--no-pair] [--deadline MM-DD] [--quiet] PATH...\n"
    "      每份报告一行，含全部单元格和问题数（CSV 带 BOM，Excel/WPS "
    "可直接打开）\n"
    "  gongkai diff [--all] [--deadline MM-DD] OLD NEW\n"
    "      同一机关两年报告逐格对比、历史规则和文字相似度\n"
    "  gongkai render [--to md|html|docx|txt] [-o OUT] [--force] DATA.json\n"
    "  gongkai render --template [--year Y] [--agency NAME] [--to FORMAT] "
    "[-o OUT]\n"
    "      按国家格式生成报告（有算术或结构错误时拒绝，除非 --force）\n"
    "  gongkai rules [--markdown]\n"
    "      列出全部检查规则\n"
    "  gongkai serve [--data DIR] [--db postgresql://...] [--listen "
    "IP:PORT]\n"
    "                [--workers N] [--deadline MM-DD] [--answer-cache MB]\n"
    "      启动审核工作台（浏览器打开显示的地址）\n"
    "  gongkai serve [--data DIR] --import PATH... [--roster YEAR:名单.csv]\n"
    "      把报告（目录会被遍历）和名单导入工作台的数据库，读取检查完后退出\n"
    "  gongkai --help | --version | CMD --help\n"
    "\n"
    "--jobs N 与 --jobs=N 同义 / --jobs N and --jobs=N are the same.\n"
    "退出码 / exit status: 0 成功（check：没有错误），1 发现错误，\n"
    "  2 用法错误，3 有输入无法读取（或目录中没有报告），4 内部错误\n";

/* `gongkai CMD --help`: the lines of gk_cli_usage_text about CMD (those from
 * "  gongkai CMD" up to the next command), then the exit status. */
int gk_cli_command_help(const char *cmd) {
  char head[64];
  snprintf(head, sizeof head, "  gongkai %s ", cmd);
  size_t hl = strlen(head);
  bool in = false;
  fputs("用法 / usage:\n", stdout);
  for (const char *l = gk_cli_usage_text; *l;) {
    const char *e = strchr(l, '\n');
    size_t n = e ? (size_t)(e - l) + 1 : strlen(l);
    if (strncmp(l, "  gongkai ", 10) == 0)
      in = strncmp(l, head, hl) == 0;
    else if (strncmp(l, "      ", 6) != 0)
      in = false;
    if (in)
      fwrite(l, 1, n, stdout);
    l += n;
  }
  const char *exit = strstr(gk_cli_usage_text, "--jobs N 与");
  if (exit)
    fputs(exit, stdout);
  return EXIT_OK;
}

/* Whether argv (up to "--") asks for help. */
bool gk_cli_wants_help(int argc, char **argv) {
  for (int i = 0; i < argc && strcmp(argv[i], "--") != 0; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
      return true;
  return false;
}
