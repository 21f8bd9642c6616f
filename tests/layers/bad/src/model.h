/* The model, as the self-test's tree has it (never compiled). */
#include "base/base.h"
