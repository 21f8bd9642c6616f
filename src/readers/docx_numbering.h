/*
 * docx_numbering.h - the numbers Word prints before list paragraphs, for
 * read_docx.c.
 *
 * A Word heading such as "一、总体情况" often holds only "总体情况": the
 * "一、" comes from a list definition in word/numbering.xml, attached to
 * the paragraph directly or through its style (word/styles.xml).  Without
 * it the parser would find no part headings at all.  This module reads
 * both parts and produces, paragraph by paragraph in document order, the
 * text Word shows before each: counting per list, restarting deeper levels,
 * in the list's number format (一, 1, ①, 甲, a, i, ...).
 *
 * Bullets and unknown formats give no text.  Definitions beyond the limits
 * in docx_numbering.c are ignored (their paragraphs get no number), never
 * refused: numbering only adds text.
 */
#ifndef GK_DOCX_NUMBERING_H
#define GK_DOCX_NUMBERING_H

#include <stddef.h>

#include <libxml/parser.h>

typedef struct gk__docx_numbering gk__docx_numbering;

/* A new, empty set of definitions; NULL when memory ran out. */
gk__docx_numbering *gk__docx_numbering_new(void);
void gk__docx_numbering_free(gk__docx_numbering *n);

/* Fills the SAX2 callbacks that read word/numbering.xml and
 * word/styles.xml into n (the user data of the parse must be n).  The two
 * parts may be read in either order; other callbacks are left alone. */
void gk__docx_numbering_sax(xmlSAXHandler *sax);

/*
 * The text Word shows before a paragraph whose style is `style` (NULL when
 * none) and whose own numbering properties are num_id and ilvl (-1 when
 * the paragraph does not set them), with its separator ("一、 ", "1. ").
 * Counts the paragraph in its list.  Writes a NUL-terminated string of at
 * most cap - 1 bytes into out and returns its length (0: no number).
 */
size_t gk__docx_number(gk__docx_numbering *n, const char *style, int num_id,
                       int ilvl, char *out, size_t cap);

#endif /* GK_DOCX_NUMBERING_H */
