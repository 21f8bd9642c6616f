/*
 * findings.h - what the findings writer shares with the JSON writer: the
 * short excerpt of the source a finding quotes (write_findings.c).
 */
#ifndef GK_WRITERS_FINDINGS_H
#define GK_WRITERS_FINDINGS_H

#include "model.h"

/* Characters (code points) of an excerpt: 80.  A table row's label and
 * its numbers, or the start of a sentence, fit; a reviewer opens the
 * source for more, and a flattened crawler line of 100 KB must not be
 * printed whole under every finding on it. */
#define GK_EXCERPT_MAX_CHARS 80
/* Bytes an excerpt needs at most: four per character, the "…" and the
 * NUL. */
#define GK_EXCERPT_BYTES (GK_EXCERPT_MAX_CHARS * 4 + 8)

/* The source text at a finding: the text of its source line (the line of
 * a text, Markdown, DOCX or HTML report; the extracted line of a PDF,
 * which holds the cell's token), white space collapsed, cut after
 * GK_EXCERPT_MAX_CHARS characters on a character boundary with "…".
 * Writes it NUL-terminated into buf (GK_EXCERPT_BYTES) and returns its
 * length; 0 when the finding has no line or the report no source lines
 * (a model read back, a template). */
size_t gk__diag_excerpt(const gk_report *r, const gk_diag *d, char *buf);

#endif
