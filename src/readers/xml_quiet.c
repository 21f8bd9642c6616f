/*
 * xml_quiet.c - libxml2 initialised once and kept silent (xml_quiet.h).
 */
#include <pthread.h>

#include <libxml/globals.h>
#include <libxml/parser.h>

#include "xml_quiet.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* xmlInitParser() must not run for the first time on two threads at
 * once; every later call is a no-op. */
static void init_libxml(void) { xmlInitParser(); }

void gk__xml_ignore(void *ctx, const char *msg, ...) {
  (void)ctx;
  (void)msg;
}

void gk__xml_ignore_structured(void *ctx, xmlErrorPtr error) {
  (void)ctx;
  (void)error;
}

void gk__xml_quiet_begin(gk__xml_quiet *q) {
  pthread_once(&init_once, init_libxml);
  q->generic = xmlGenericError;
  q->generic_ctx = xmlGenericErrorContext;
  q->structured = xmlStructuredError;
  q->structured_ctx = xmlStructuredErrorContext;
  xmlSetGenericErrorFunc(NULL, gk__xml_ignore);
  xmlSetStructuredErrorFunc(NULL, gk__xml_ignore_structured);
}

void gk__xml_quiet_end(const gk__xml_quiet *q) {
  xmlSetGenericErrorFunc(q->generic_ctx, q->generic);
  xmlSetStructuredErrorFunc(q->structured_ctx, q->structured);
}
