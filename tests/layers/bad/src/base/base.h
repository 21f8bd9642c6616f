/* A base header that reaches up to the model: the arrow the test must
 * find (include_graph.py's self-test; never compiled). */
#include "model.h"
