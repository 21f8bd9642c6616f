/*
 * batch.h - many reports at once, on every core, in a stable order
 * (batch.c), for `gongkai table` and `gongkai check`.
 *
 * The batch expands its PATH arguments (a folder is walked, its entries
 * in byte order of their names, hidden ones skipped; a folder reached
 * again through a symbolic link is not walked twice, a file reached under
 * two names is read once, and FIFOs, sockets and devices are skipped
 * without being opened, each with a line on standard error), reads and checks
 * each file on a pool of worker threads, lets the command turn each
 * checked report into bytes on the worker (`render`), and hands those
 * bytes to the command on the calling thread in input order (`emit`), so
 * the output is the same whatever the number of threads.  No report
 * outlives its render: memory stays flat however many files there are.
 *
 * When `pair_years` is set, reports of one body for consecutive years
 * (gk_body_key() equal, or one ending the other; years Y and Y+1, the
 * match unique) are paired and the later one is checked with the earlier
 * as gk_check_options.prev, so the history.* rules run.  Which reports
 * pair is known only once all have been read; the first pass therefore
 * keeps each item's bytes in an unlinked spool file, and a second pass
 * reads and checks again only the reports that have last year's among
 * the inputs, with it.  Nothing is emitted before the first pass ends.
 *
 * A progress bar (count, rate, time left) is drawn on standard error when
 * it is a terminal; otherwise the batch is quiet.  A file that cannot be
 * read gets its one line on standard error ("gongkai: PATH: reason"), in
 * input order, and makes the result EXIT_INPUT; the others go on.
 */
#ifndef GK_CLI_BATCH_H
#define GK_CLI_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"

/* Folders deeper than this below a PATH argument are not entered.  Loops
 * of symbolic links are caught before (each folder is entered once, by
 * device and inode); this bounds the recursion on a real, very deep
 * tree. */
#define GK_BATCH_MAX_DEPTH 32

/* The most worker threads, whatever the machine has. */
#define GK_BATCH_MAX_JOBS 64

/* One input, as render and emit see it. */
typedef struct gk_batch_item {
  size_t index;          /* position in input order, from 0 */
  const char *path;      /* as given or as walked ("dir/sub/a.txt") */
  const char *prev_path; /* the report checked as last year's, or NULL */
  /* render: the report, read and checked (the callee must not free it).
   * emit: always NULL (the report is gone). */
  gk_report *report;
  /* emit: EXIT_OK, or the exit code of a file that could not be read or
   * checked (its line on standard error is already printed; bytes are
   * NULL). */
  int rc;
  size_t errors, warnings, notes; /* its findings, by severity */
} gk_batch_item;

typedef struct gk_batch_options {
  /* Passed to gk_check().  For a report the batch paired, `prev` is its
   * last year's report; for the others it is what the caller set (the
   * report of `check --prev`, read-only and shared by every thread), or
   * NULL. */
  gk_check_options check;
  /* Pair consecutive years of one body and run the history.* rules. */
  bool pair_years;
  /* Worker threads; 0: one per online processor. */
  unsigned jobs;
  /* Draw a progress bar when standard error is a terminal. */
  bool progress;
  /* On a worker thread: turns the checked report into bytes (*out is
   * malloc'd, the batch frees it).  Returns GK_OK or a failure, which the
   * batch reports in order as an internal error for that file.  May be
   * NULL: emit then gets no bytes. */
  gk_status (*render)(void *ctx, const gk_batch_item *item, char **out,
                      size_t *len);
  /* On the calling thread, once per input in input order: writes the
   * bytes.  Returns an exit code to merge; EXIT_INTERNAL stops the batch
   * (nothing more is emitted). */
  int (*emit)(void *ctx, const gk_batch_item *item, const char *bytes,
              size_t len);
  void *ctx;
  /* Files never to read, NULL-terminated (may be NULL): the command's
   * own outputs and their temporary files, which a walk of the folder
   * they are written to would otherwise meet.  Matched by device and
   * inode, so any spelling of the path is caught. */
  const char *const *skip;
} gk_batch_options;

/*
 * Runs the batch over n_paths arguments (files, folders, "-" for standard
 * input).  Returns the merged exit code (cli.h): EXIT_OK, EXIT_INPUT when
 * a file could not be read, EXIT_INTERNAL when memory, a thread, the
 * spool or emit failed.  What emit returned is merged in too, so a
 * `check` that returns EXIT_FINDINGS from emit gets it back here.
 */
int gk_batch_run(int n_paths, char **paths, const gk_batch_options *opts);

/* "01-31" → month and day (the --deadline option); false when malformed.
 * In cli_common.c, which gongkai-serve links too (serve --deadline). */
bool gk_batch_parse_deadline(const char *s, int *month, int *day);

#endif /* GK_CLI_BATCH_H */
