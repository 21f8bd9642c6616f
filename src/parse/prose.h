/*
 * prose.h - the prose pass (prose.c): the parser's last, reading the
 * numbers and statements of the parts' text into the model (facts.h).
 */
#ifndef GK_PARSE_PROSE_H
#define GK_PARSE_PROSE_H

#include "facts.h"
#include "parse.h"

/*
 * Reads every part's prose and stores what it found in r->facts, in the
 * report's arena, with each fact's source line; and whether the source
 * mentions accountability anywhere.  `st` is the parser's stream of
 * r->layout, or NULL (the model reader has none): the result is the same.
 * Running it again does nothing.  Returns GK_OK, or GK_ENOMEM (r->facts
 * may then stay NULL; the vocabulary is built again on the next call).
 */
gk_status gk__parse_prose(gk_report *r, const gk__stream *st);

/*
 * The prose pass for a report read back from its model, which has no
 * layout: `lines` (by part number 1..6, in the arena) says where each
 * source line starts in the part's text, as the model recorded it, and
 * whether the source mentions accountability is as recorded too.
 */
gk_status gk__parse_prose_lines(gk_report *r, const gk__facts_lines lines[7],
                                bool mentions_accountability);

/*
 * The facts of one text, for tests and for gk__parse_prose(): `text` is
 * a part's prose (len bytes of UTF-8), `part` its number, `year` the
 * report's year (0: unknown; counts in a clause that names another year
 * are skipped).  Facts and breakdowns are appended to *out, allocated in
 * `a`; their lines stay 0.  Returns GK_OK or GK_ENOMEM.
 */
gk_status gk__facts_scan(gk__arena *a, const char *text, size_t len, int part,
                         int year, gk__facts *out);

#endif /* GK_PARSE_PROSE_H */
