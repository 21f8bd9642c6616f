/*
 * xml_quiet.h - libxml2 for the markup readers (read_html.c,
 * read_docx.c): initialised once, and silent.
 *
 * libxml2 reports some problems (encoding errors, out of memory) through
 * its generic and structured error handlers, which print to stderr by
 * default, whatever the parser context says.  The library never prints,
 * so each parse runs between gk__xml_quiet_begin() and _end(), which
 * install no-op handlers for the calling thread (libxml2 keeps them per
 * thread) and then put back whatever the application had.
 */
#ifndef GK_XML_QUIET_H
#define GK_XML_QUIET_H

#include <libxml/xmlerror.h>

typedef struct gk__xml_quiet {
  xmlGenericErrorFunc generic;
  void *generic_ctx;
  xmlStructuredErrorFunc structured;
  void *structured_ctx;
} gk__xml_quiet;

/* Initialises libxml2 (once per process, thread-safely) and silences it
 * on this thread, remembering the handlers in *q. */
void gk__xml_quiet_begin(gk__xml_quiet *q);
/* Puts back the handlers saved in *q. */
void gk__xml_quiet_end(const gk__xml_quiet *q);

/* No-op handlers, for parser contexts' SAX tables. */
void gk__xml_ignore(void *ctx, const char *msg, ...);
void gk__xml_ignore_structured(void *ctx, xmlErrorPtr error);

#endif /* GK_XML_QUIET_H */
