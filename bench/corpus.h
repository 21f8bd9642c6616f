/*
 * corpus.h - the benchmark's corpus of reports (bench/corpus.c).
 *
 * gk_bench measures gongkai on thousands of reports; there are not
 * thousands of real ones in the repository, so it writes them: most from
 * a template of the 2021 format (made-up bodies, years and numbers that
 * add up, prose from a pool of sentences, three layouts: Word-export
 * tabs, PDF-text spaces, Markdown pipe tables), the rest from the real
 * reports in ../shared (seeds and corpus) with the body renamed and the
 * years shifted.  The same seed gives the same corpus.
 */
#ifndef GK_BENCH_CORPUS_H
#define GK_BENCH_CORPUS_H

#include <stddef.h>
#include <stdint.h>

typedef struct corpus_stats {
  size_t files;
  uint64_t bytes;
  size_t from_template[3]; /* tabs, spaces, markdown */
  size_t from_shared;
  size_t shared_sources; /* distinct real reports used */
} corpus_stats;

/*
 * Writes n reports under `dir`, in `folders` sub-folders (batch_00 …) of
 * n / folders each, named so that the sorted walk is their order.
 * `shared` is the ../shared folder, or NULL to use the template alone;
 * `shared_share` the fraction (0..1) of reports derived from it.  Returns
 * 0, or -1 with a message on standard error.
 */
int corpus_write(const char *dir, size_t n, size_t folders, const char *shared,
                 double shared_share, uint64_t seed, corpus_stats *stats);

#endif /* GK_BENCH_CORPUS_H */
