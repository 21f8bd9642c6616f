/*
 * fault.c - allocation-failure injection for the tests (see base.h), in
 * the manner of SQLite's fault simulator (src/test_malloc.c).
 *
 * Built only with -DGK_FAULT_INJECT=ON (the dev and clang presets, which
 * `make check` runs): the release library has no counter and no branch.
 * The test arms a countdown on its own thread; every allocation the
 * library asks for on that thread counts one: each gk__arena_alloc()
 * here, and in the test program (tests/faults, linked with --wrap) every
 * malloc, calloc and realloc the library's code calls, which includes
 * gk__buf growth and MuPDF's allocator (read_pdf.c's capped allocator
 * calls malloc).  The request that brings the countdown to zero fails.  Only
 * that one: later requests succeed again, so code that swallows a failure and
 * carries on gives a different answer, which the test then sees.
 *
 * The state is thread-local: the batch's worker threads in other tests
 * of the same build are never armed, and the armed thread's count is not
 * disturbed by them.
 */
#include <stdlib.h>

#include "base.h"

#ifdef GK_FAULT_INJECT

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_SANITIZER 1
#endif
#endif
#ifdef HAVE_SANITIZER
#include <sanitizer/common_interface_defs.h>
#endif

static _Thread_local unsigned long countdown; /* 0: not armed */
static _Thread_local unsigned long seen;      /* requests since arming */
static _Thread_local bool fired;

void gk__fault_arm(unsigned long n) {
  countdown = n;
  seen = 0;
  fired = false;
}

bool gk__fault_disarm(unsigned long *requests) {
  if (requests)
    *requests = seen;
  countdown = 0;
  bool f = fired;
  fired = false;
  return f;
}

bool gk__fault_fail(void) {
  if (countdown == 0)
    return false;
  seen++;
  if (--countdown == 0) {
    fired = true;
#ifdef HAVE_SANITIZER
    /* GK_FAULT_TRACE=1: where the failing request came from. */
    if (getenv("GK_FAULT_TRACE"))
      __sanitizer_print_stack_trace();
#endif
    return true;
  }
  return false;
}

#endif /* GK_FAULT_INJECT */
