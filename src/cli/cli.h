/*
 * cli.h - what the command files of the gongkai CLI share.
 *
 * main.c dispatches to one function per command; each command lives in
 * its own file (cmd_table.c, cmd_diff.c, cmd_render.c) and includes only
 * gongkai.h and this header.  Exit codes are model.md §4's.
 */
#ifndef GK_CLI_H
#define GK_CLI_H

#include <stdbool.h>

#include "gongkai.h"

enum {
  EXIT_OK = 0,
  EXIT_FINDINGS = 1,
  EXIT_USAGE = 2,
  EXIT_INPUT = 3,
  EXIT_INTERNAL = 4
};

/* Prints "gongkai: <fmt with arg>" and the --help hint to stderr;
 * returns EXIT_USAGE.  In cli_common.c (gongkai-serve links it too). */
int gk_cli_usage_error(const char *fmt, const char *arg);

/* The usage of every command (main.c's --help), `gongkai CMD --help`'s
 * part of it on stdout (returns EXIT_OK), and whether argv (up to "--")
 * asks for help (--help or -h).  In cli_common.c, so that gongkai-serve
 * answers --help as `gongkai serve --help` does. */
extern const char gk_cli_usage_text[];
int gk_cli_command_help(const char *cmd);
bool gk_cli_wants_help(int argc, char **argv);

/* Reads one input ("-" is standard input); on failure prints the one-line
 * message naming it to stderr and returns the exit code to merge
 * (EXIT_INPUT or EXIT_INTERNAL); EXIT_OK with *out set on success. */
int gk_cli_read_input(const char *path, gk_report **out);

#include <stdio.h>

/* Reads a stream whole, up to the library's input cap plus one byte (so
 * that the library refuses an overflow by size).  *out is malloc'd.
 * GK_ENOMEM, GK_ETOOBIG, GK_EISDIR or GK_EIO on failure. */
gk_status gk_cli_read_all(FILE *f, char **out, size_t *len);

/* One line of a JSON Lines stream: bytes [off, off + len) of the input. */
typedef struct gk_cli_slice {
  size_t off, len;
} gk_cli_slice;

/* Models read from one JSON Lines stream: 100,000.  A province's reports
 * of one year are a few thousand; the cap keeps a stream of empty
 * objects ("{}" a line, 20 million in the 64 MiB input cap) from making
 * an index of hundreds of megabytes. */
#define GK_CLI_MAX_JSON_LINES 100000

/* Whether standard input's bytes are a stream of JSON Lines holding more
 * than one object (what `gongkai parse` and `check --json` write: one
 * model per line): then *out (malloc'd) holds each non-blank line and the
 * count is returned.  0 when the input is anything else (read it whole);
 * GK_ENOMEM when memory ran out or GK_ELIMIT past GK_CLI_MAX_JSON_LINES
 * in *st, with SIZE_MAX returned. */
size_t gk_cli_json_lines(const char *data, size_t len, gk_cli_slice **out,
                         gk_status *st);

/* Merges exit codes: internal > unreadable input > findings > ok. */
int gk_cli_max_rc(int a, int b);

/* output_guard.c.  What an existing regular file holds, told from its
 * first bytes: "docx", "xlsx", "zip", "pdf", "html", "json", "csv",
 * "text" or "binary"; NULL when it is missing, empty, unreadable or not a
 * regular file (a device or a FIFO is never opened). */
const char *gk_cli_output_kind(const char *path);
/* The kind as a person reads it ("Word 文档（DOCX）"). */
const char *gk_cli_kind_label(const char *kind);
/* The one check every writer makes before writing to `path`: EXIT_OK when
 * it may (force, standard output "-", no such file, a file of the kind
 * `will` already), else prints why it will not, naming both kinds and
 * --force, and returns EXIT_USAGE. */
int gk_cli_guard_output(const char *cmd, const char *path, const char *will,
                        bool force);

/* The commands: argv[0] is the first argument after the command name. */
int gk_cmd_table(int argc, char **argv);
int gk_cmd_diff(int argc, char **argv);
int gk_cmd_render(int argc, char **argv);
/* cmd_serve.c, in the gongkai-serve executable only (serve_main.c): the
 * workspace and its libraries (libmicrohttpd, libpq, libcurl, libargon2,
 * SQLite) stay out of the gongkai process. */
int gk_cmd_serve(int argc, char **argv);
/* serve_exec.c, in gongkai: `gongkai serve ARGS...` replaces this process
 * with gongkai-serve ARGS...  argv is main()'s from the command name on
 * ("serve", ARGS..., NULL); argv[0] is overwritten with the path run.
 * Returns only when no gongkai-serve could be run: the message is printed
 * and the exit status is 1, as for a server that could not start. */
int gk_cmd_serve_exec(char **argv);

#endif
