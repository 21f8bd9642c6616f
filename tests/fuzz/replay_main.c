/*
 * replay_main.c - runs a fuzz target without libFuzzer: calls
 * LLVMFuzzerTestOneInput() once for every file named on the command line
 * or found (recursively) in a directory named there.
 *
 * This is how the saved corpus runs under ctest on every build, with
 * whatever compiler and sanitizers the build uses.  It fails when an
 * argument cannot be read or when no input was found at all, so that a
 * moved corpus does not pass as "nothing crashed".
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Replay inputs larger than this are refused: the corpus holds small
 * files, and a stray big one would only make the test slow. */
#define MAX_INPUT ((size_t)16 << 20)

static int replayed;

static int replay_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "%s: %s\n", path, strerror(errno));
    return -1;
  }
  size_t cap = 4096, len = 0;
  uint8_t *data = malloc(cap);
  int rc = 0;
  while (data) {
    len += fread(data + len, 1, cap - len, f);
    if (len < cap)
      break;
    if (cap >= MAX_INPUT) {
      fprintf(stderr, "%s: larger than %zu bytes\n", path, MAX_INPUT);
      rc = -1;
      break;
    }
    uint8_t *grown = realloc(data, cap * 2);
    if (!grown) {
      free(data);
      data = NULL;
      break;
    }
    data = grown;
    cap *= 2;
  }
  if (!data || ferror(f)) {
    fprintf(stderr, "%s: cannot read\n", path);
    rc = -1;
  }
  fclose(f);
  if (rc == 0) {
    /* An exact-size copy, so that AddressSanitizer sees reads past the
     * end of the input. */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) {
      rc = -1;
    } else {
      if (len)
        memcpy(exact, data, len);
      LLVMFuzzerTestOneInput(exact, len);
      free(exact);
      replayed++;
    }
  }
  free(data);
  return rc;
}

static int replay_path(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "%s: %s\n", path, strerror(errno));
    return -1;
  }
  if (!S_ISDIR(st.st_mode))
    return replay_file(path);
  DIR *d = opendir(path);
  if (!d) {
    fprintf(stderr, "%s: %s\n", path, strerror(errno));
    return -1;
  }
  int rc = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue; /* ., .., and hidden files such as .gitkeep */
    size_t n = strlen(path) + strlen(e->d_name) + 2;
    char *child = malloc(n);
    if (!child) {
      rc = -1;
      break;
    }
    snprintf(child, n, "%s/%s", path, e->d_name);
    if (replay_path(child) != 0)
      rc = -1;
    free(child);
  }
  closedir(d);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
    return 2;
  }
  int rc = 0;
  for (int i = 1; i < argc; i++)
    if (replay_path(argv[i]) != 0)
      rc = 1;
  printf("replayed %d input%s\n", replayed, replayed == 1 ? "" : "s");
  if (replayed == 0) {
    fprintf(stderr, "no inputs found\n");
    rc = 1;
  }
  return rc;
}
