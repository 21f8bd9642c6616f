/* A reader calling the parser: an arrow between peers (never compiled). */
#include "model.h"
#include "parse/parse.h"
