/*
 * main.c - the gongkai command: a thin adapter over gongkai.h.
 *
 * It parses arguments, calls the library, prints what it returns and
 * maps status to the exit codes of model.md §4: 0 done, 2 usage, 3 an
 * input could not be read (the others are still processed), 4 internal
 * failure.  Messages for people are in Chinese; each names the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gongkai.h"

enum {
  EXIT_OK = 0,
  EXIT_FINDINGS = 1,
  EXIT_USAGE = 2,
  EXIT_INPUT = 3,
  EXIT_INTERNAL = 4
};

static const char usage_text[] =
    "用法 / usage:\n"
    "  gongkai parse [--pretty] FILE...   解析报告，每个文件输出一行 JSON（- "
    "表示标准输入）\n"
    "  gongkai --help                      显示本帮助\n"
    "  gongkai --version                   显示版本\n"
    "\n"
    "退出码 / exit status: 0 成功，2 用法错误，3 有输入无法读取，4 内部错误\n"
    "计划中 / planned: check, table, diff, render, rules, serve\n";

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "gongkai: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n请运行 gongkai --help 查看用法\n");
  return EXIT_USAGE;
}

/* Reads standard input whole, up to the library's input cap (+1 so that
 * the library sees the overflow and refuses it by size). */
static gk_status read_stdin(gk_report **out, const char **detail) {
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  if (!buf)
    return GK_ENOMEM;
  for (;;) {
    if (len == cap) {
      if (cap > GK_MAX_INPUT_BYTES) {
        free(buf);
        return GK_ETOOBIG;
      }
      char *nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        return GK_ENOMEM;
      }
      buf = nb;
      cap *= 2;
    }
    size_t n = fread(buf + len, 1, cap - len, stdin);
    len += n;
    if (n == 0)
      break;
  }
  if (ferror(stdin)) {
    free(buf);
    return GK_EIO;
  }
  gk_status st = gk_read_buffer(buf, len, "-", NULL, out, detail);
  free(buf);
  return st;
}

static int exit_for(gk_status st) {
  return st == GK_ENOMEM || st == GK_EINTERNAL ? EXIT_INTERNAL : EXIT_INPUT;
}

static int cmd_parse(int argc, char **argv) {
  unsigned flags = 0;
  int first = argc;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--pretty") == 0) {
      flags |= GK_JSON_PRETTY;
    } else if (strcmp(argv[i], "--") == 0) {
      first = i + 1;
      break;
    } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
      return usage_error("parse: 未知选项 %s", argv[i]);
    } else {
      first = i;
      break;
    }
  }
  if (first >= argc)
    return usage_error("parse: 缺少文件参数%s", "");
  int rc = EXIT_OK;
  for (int i = first; i < argc; i++) {
    const char *path = argv[i];
    if (i > first && strcmp(path, "--pretty") == 0) {
      flags |= GK_JSON_PRETTY;
      continue;
    }
    gk_report *r = NULL;
    const char *detail = NULL;
    gk_status st = strcmp(path, "-") == 0
                       ? read_stdin(&r, &detail)
                       : gk_read_file(path, NULL, &r, &detail);
    if (st != GK_OK) {
      fprintf(stderr, "gongkai: %s: %s%s%s\n", path, gk_strerror(st),
              detail ? "：" : "", detail ? detail : "");
      int e = exit_for(st);
      if (e > rc)
        rc = e;
      continue;
    }
    char *json = NULL;
    size_t len = 0;
    st = gk_report_to_json(r, flags, &json, &len);
    gk_report_free(r);
    if (st != GK_OK) {
      fprintf(stderr, "gongkai: %s: %s\n", path, gk_strerror(st));
      rc = EXIT_INTERNAL;
      continue;
    }
    fwrite(json, 1, len, stdout);
    fputc('\n', stdout);
    free(json);
  }
  if (fflush(stdout) != 0) {
    fprintf(stderr, "gongkai: 写入标准输出失败\n");
    return EXIT_INTERNAL;
  }
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage_text, stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
      strcmp(cmd, "help") == 0) {
    fputs(usage_text, stdout);
    return EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0) {
    printf("gongkai %s\n", GK_VERSION);
    return EXIT_OK;
  }
  if (strcmp(cmd, "parse") == 0)
    return cmd_parse(argc - 2, argv + 2);
  return usage_error("未知命令 %s", cmd);
}
