/*
 * rules.h - the rule catalogue (rules.def) as an enum, for every layer.
 *
 * A rule is named by its symbol everywhere in the library (GK_R_CELL_BLANK),
 * never by its ID typed by hand: the parser and the model reader report
 * cell.* and structure.* findings with gk__diag_rule() (model.h), the
 * identities in format.c name their rule, and the checks add theirs with
 * gk__finding().  The catalogue itself (ID, severity, summary) is data
 * like the rest of the format, so it lives here, below every user.
 */
#ifndef GK_FORMAT_RULES_H
#define GK_FORMAT_RULES_H

#include "gongkai.h"

typedef enum {
#define GK_RULE(sym, id, sev, desc) GK_R_##sym,
#include "rules.def"
#undef GK_RULE
  GK_N_RULES
} gk__rule;

/* The catalogue entry of a rule (rule < GK_N_RULES). */
const gk_rule_info *gk__rule_info(gk__rule rule);

#endif /* GK_FORMAT_RULES_H */
