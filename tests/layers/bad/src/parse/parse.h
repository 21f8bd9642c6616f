/* The parser's header in the self-test's tree (never compiled). */
#include "model.h"
