/*
 * rules.c - the rule catalogue of rules.def, and its public accessors.
 */
#include "rules.h"

static const gk_rule_info catalogue[GK_N_RULES] = {
#define GK_RULE(sym, id, sev, desc) {id, GK_SEV_##sev, desc},
#include "rules.def"
#undef GK_RULE
};

size_t gk_rule_count(void) { return GK_N_RULES; }

const gk_rule_info *gk_rule_get(size_t i) {
  return i < GK_N_RULES ? &catalogue[i] : NULL;
}

const gk_rule_info *gk__rule_info(gk__rule rule) { return &catalogue[rule]; }
